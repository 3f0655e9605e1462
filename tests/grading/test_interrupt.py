"""Ctrl-C during `course grade`: the command stops within seconds with one message (no
traceback, from it or its workers), leaves no process and no scratch folder behind, keeps
every submission it recorded, and the next `course grade` grades only the rest."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import psutil
import pytest

from conftest import ROOT, hand_in, reference_answers, released_course

pytestmark = [pytest.mark.slow]

A = "01_graph_pt"
CLASS = 16


@pytest.fixture()
def course(root):
    course = released_course(root / "build" / f"interrupt-{uuid.uuid4().hex[:8]}", "01_graph", A)
    answers = reference_answers(course, A)
    for i in range(CLASS):
        hand_in(course, A, f"s{i:02d}", answers)
    yield course
    shutil.rmtree(course.root, ignore_errors=True)


def recorded(course) -> int:
    return len(list(course.autograded_dir.glob(f"*/{A}/.course-graded.sha256")))


@pytest.mark.parametrize("sent, starting", [(signal.SIGINT, False), (signal.SIGHUP, False),
                                            (signal.SIGINT, True)],
                         ids=["ctrl-c", "hangup", "ctrl-c-while-workers-start"])
def test_ctrl_c_stops_grading_cleanly_and_keeps_what_was_recorded(course, sent, starting):
    """SIGINT to the command's process group is Ctrl-C at the terminal; SIGHUP, the terminal
    (an SSH session) going away, which ends the instructor's process at once.  `starting`:
    sent as soon as the workers exist, while their zygotes import torch."""
    scratch = Path(tempfile.mkdtemp(prefix="int-"))  # the run's temporary folders
    env = dict(os.environ, COURSE_INSTRUCTOR_LANG="en", TMPDIR=str(scratch))
    command = [sys.executable, "-m", "course.cli", "--course", str(course.root), "grade", A,
               "--jobs", "2"]
    run = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        def ready() -> bool:
            if starting:
                return len(psutil.Process(run.pid).children(recursive=True)) >= 2
            return recorded(course) >= 1

        while not ready() and time.monotonic() < deadline and run.poll() is None:
            time.sleep(0.05)
        assert run.poll() is None and recorded(course) < CLASS, run.communicate()
        assert starting or recorded(course) >= 1
        family = psutil.Process(run.pid).children(recursive=True)
        os.killpg(run.pid, sent)
        started = time.monotonic()
        out, err = run.communicate(timeout=60)
        stopped_in = time.monotonic() - started
    finally:
        if run.poll() is None:
            os.killpg(run.pid, signal.SIGKILL)
            run.communicate()
    print(f"\n{sent.name}: stopped in {stopped_in:.1f} s, {recorded(course)} of {CLASS} recorded")
    if sent == signal.SIGINT:
        assert run.returncode == 130, err
        assert "course grade: interrupted" in err
        assert starting or "Every submission graded before the interruption is saved" in err
    else:
        assert run.returncode == -signal.SIGHUP
    assert "Traceback" not in err and "Task exception" not in err, err
    gone = time.monotonic() + 10
    while any(p.is_running() and p.status() != psutil.STATUS_ZOMBIE for p in family) \
            and time.monotonic() < gone:
        time.sleep(0.1)
    left = [p.pid for p in family if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
    assert left == [], "processes outlived the interrupted command"
    assert sorted(p.name for p in scratch.iterdir()) == [], f"scratch folders left behind\n{err}"
    shutil.rmtree(scratch, ignore_errors=True)

    saved = recorded(course)
    again = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True,
                           timeout=600)
    assert again.returncode == 0, again.stderr
    summary = [ln for ln in again.stdout.splitlines() if "unchanged since" in ln][0]
    assert summary.startswith(f"{CLASS - saved} graded, {saved} unchanged since"), summary
    assert recorded(course) == CLASS
