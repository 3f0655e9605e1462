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
from course.grading.local_workers import STOP_SIGNALS, signal_safe_context

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
    try:
        _interrupt_and_grade_again(course, sent, starting, scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _interrupt_and_grade_again(course, sent, starting, scratch: Path) -> None:
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

    saved = recorded(course)
    again = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True,
                           timeout=600)
    assert again.returncode == 0, again.stderr
    summary = [ln for ln in again.stdout.splitlines() if "unchanged since" in ln][0]
    assert summary.startswith(f"{CLASS - saved} graded, {saved} unchanged since"), summary
    assert recorded(course) == CLASS


def _start_slowly_then_ignore_ctrl_c() -> None:
    """A worker still starting (as before worker_init has run), then set up as worker_init does."""
    time.sleep(1.0)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)


@pytest.mark.parametrize("safe", [True, False], ids=["signal-safe", "plain"])
def test_a_ctrl_c_while_a_worker_starts_waits_until_the_worker_ignores_it(safe):
    """The workers' processes start with Ctrl-C blocked: one that arrives before worker_init
    has set it to be ignored is held, then ignored, not raised as KeyboardInterrupt inside
    the new worker (a traceback, and every submission "grading worker crashed").  The plain
    context shows what the test guards against: the same worker dies of it."""
    import multiprocessing

    context = signal_safe_context("fork") if safe else multiprocessing.get_context("fork")
    worker = context.Process(target=_start_slowly_then_ignore_ctrl_c)
    worker.start()
    time.sleep(0.3)
    os.kill(worker.pid, signal.SIGINT)
    worker.join(30)
    assert worker.exitcode == (0 if safe else 1)
    assert signal.pthread_sigmask(signal.SIG_BLOCK, set()) & STOP_SIGNALS == set()  # not here


STARTING = """
import signal, time
from course.grading import local_workers
from course.grading.kernels import WarmKernels
signal.signal(signal.SIGTERM, local_workers._exit_cleanly)  # as worker_init sets it
WarmKernels([], False)
print("ready", flush=True)
time.sleep(600)
"""


def test_a_worker_stopped_while_its_zygote_starts_kills_it_before_removing_its_folder(tmp_path):
    """SIGTERM (stop_now, after a Ctrl-C) reaches a worker while its zygote still imports
    torch: the worker kills the zygote, waits for it, then removes the kernels' folder.  It
    once removed the folder first, while the zygote was still writing into it, and a
    `course-kernels-…` folder was left behind."""
    env = dict(os.environ, TMPDIR=str(tmp_path))
    worker = subprocess.Popen([sys.executable, "-c", STARTING], cwd=ROOT, env=env,
                              stdout=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        children = []
        while not children and time.monotonic() < deadline and worker.poll() is None:
            children = psutil.Process(worker.pid).children(recursive=True)
            time.sleep(0.01)
        assert children, "the zygote never started"
        zygote = children[0]
        worker.send_signal(signal.SIGTERM)
        out, _ = worker.communicate(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.communicate()
    assert out == "", "the zygote was ready before the signal: nothing was tested"
    assert worker.returncode == 128 + signal.SIGTERM
    assert not zygote.is_running(), "the zygote outlived its worker"
    assert list(tmp_path.iterdir()) == []
