"""One `course` command at a time writes a course folder: a second one is refused at once,
says who holds the course, and writes nothing; the lock ends with its process, however it
ends."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from conftest import ROOT, released_course
from course import cli, course_lock

HOLD = """import sys, time
from course.course_folder import Course
from course import course_lock
with course_lock.holding(Course(sys.argv[1]), "grade"):
    print("held", flush=True)
    time.sleep(120)
"""


@pytest.fixture()
def course(tmp_path):
    return released_course(tmp_path / "c", "01_graph", "01_graph_pt")


@pytest.fixture()
def holder(course):
    """Another process running `course grade` on the course (as far as the lock can tell)."""
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(course.root)], cwd=ROOT,
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "held"
    yield proc
    proc.kill()
    proc.wait()


def due_date(course) -> object:
    from nbgrader.api import Gradebook

    with Gradebook(course.db_url) as gb:
        return gb.find_assignment("01_graph_pt").duedate


def test_a_second_command_is_refused_and_writes_nothing(course, holder, capsys, monkeypatch):
    monkeypatch.setenv("COURSE_INSTRUCTOR_LANG", "en")
    before = due_date(course)
    code = cli.main(["--course", str(course.root), "due", "01_graph_pt", "2026-12-20 23:59",
                     "--timezone", "America/Sao_Paulo"])
    err = capsys.readouterr().err
    assert code == 2
    assert "another `course grade` is working on this course folder" in err
    assert f"process {holder.pid}" in err and "nothing was done" in err
    assert due_date(course) == before
    # reading commands are not held up
    assert cli.main(["--course", str(course.root), "build", "--check"]) in (0, 1)


def test_the_refusal_speaks_the_instructors_language(course, holder, capsys, monkeypatch):
    monkeypatch.setenv("COURSE_INSTRUCTOR_LANG", "pt")
    assert cli.main(["--course", str(course.root), "feedback", "01_graph_pt"]) == 2
    assert "outro `course grade` está trabalhando nesta pasta do curso" in capsys.readouterr().err
    monkeypatch.setenv("COURSE_INSTRUCTOR_LANG", "es")
    assert cli.main(["--course", str(course.root), "feedback", "01_graph_pt"]) == 2
    assert "otro `course grade` está trabajando en esta carpeta" in capsys.readouterr().err


def test_a_killed_holder_leaves_no_lock_behind(course, holder, monkeypatch):
    monkeypatch.setenv("COURSE_INSTRUCTOR_LANG", "en")
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    assert cli.main(["--course", str(course.root), "due", "01_graph_pt", "2026-12-20 23:59",
                     "--timezone", "America/Sao_Paulo"]) == 0
    assert due_date(course) is not None
    # and a finished command leaves none either: the next one runs
    assert cli.main(["--course", str(course.root), "due", "01_graph_pt", "none"]) == 0
    assert due_date(course) is None


def test_a_folder_the_lock_file_cannot_be_made_in_is_not_locked(course, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError("read-only")

    monkeypatch.setattr(course_lock, "open", refuse, raising=False)
    ran = []
    with course_lock.holding(course, "report"):
        ran.append(True)
    assert ran == [True]


def test_the_lock_file_says_who_holds_it(course):
    with course_lock.holding(course, "collect"):
        who = course_lock.holder(course.root / course_lock.LOCK_FILE)
        assert who["command"] == "collect" and who["pid"] == os.getpid()
        assert abs(who["since"] - time.time()) < 60
