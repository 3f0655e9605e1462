"""Several assignments graded by the same local workers (`warm_workers`, `course grade A B`):
the workers and their zygotes start once, every score is the one fresh workers give, the
workers are gone after the block, and a worker that died in between is replaced.  What is
sent ahead (`grade_ahead`) is graded once and recorded by its own grading, a submission changed
after it was sent is graded anew, and what is never asked for is never recorded."""
from __future__ import annotations

import os
import shutil
import signal
import tempfile
import time
import uuid

import psutil
import pytest

from conftest import hand_in, reference_answers, released_course
from course import cli, gradebook
from course.grading import engine, grade
from course.grading.engine import grade_all, warm_workers

pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore:.*not in session.*")]

A, B = "01_graph_pt", "01_graph_es"
STUDENTS = ["solution", "blank", "wrong"]


@pytest.fixture(scope="module")
def course(root):
    course = released_course(root / "build" / f"test-warm-{uuid.uuid4().hex[:8]}", "01_graph",
                             A, B)
    for a in (A, B):
        ref = reference_answers(course, a)
        hand_in(course, a, "solution", ref)
        hand_in(course, a, "blank", None)
        hand_in(course, a, "wrong", {**ref, "forward": ref["forward"].replace("**", "*")})
    yield course
    shutil.rmtree(course.root, ignore_errors=True)


def scores(course, assignment):
    return {r.student: r.cells for r in gradebook.table(course, assignment)}


def pids(outcomes) -> set[int]:
    return {int(o.worker.rsplit(":", 1)[1]) for o in outcomes}


def test_workers_start_once_for_several_assignments_and_grade_as_fresh_ones(course, tmp_path,
                                                                           monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # the workers' scratch folders
    with warm_workers():
        first = grade_all(course, A, "pt", STUDENTS, jobs=2, progress=False)
        second = grade_all(course, B, "es", STUDENTS, jobs=2, progress=False)
        warm = {a: scores(course, a) for a in (A, B)}
        assert all(o.success for o in first + second), [o.reason for o in first + second]
        assert pids(second) <= pids(first)  # the same processes graded both
        assert sum(o.startup_cpu for o in first) > 0
        assert all(o.startup_cpu == 0 for o in second)  # no start-up paid again
        assert all(psutil.pid_exists(p) for p in pids(first))
    deadline = time.monotonic() + 20
    while any(psutil.pid_exists(p) for p in pids(first)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(psutil.pid_exists(p) for p in pids(first)), "workers outlived the block"
    for a, lang in ((A, "pt"), (B, "es")):  # fresh workers, one pool per assignment
        assert all(o.success for o in grade_all(course, a, lang, STUDENTS, jobs=2,
                                                progress=False))
    assert {a: scores(course, a) for a in (A, B)} == warm
    assert warm[A]["solution"] != warm[A]["wrong"] != warm[A]["blank"]
    # every worker removed its scratch courses (source notebooks with the hidden tests)
    # and its kernels' folders when it ended
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_a_worker_that_died_between_assignments_is_replaced(course):
    with warm_workers():
        first = grade_all(course, A, "pt", STUDENTS, jobs=2, progress=False)
        pool = engine._WARM["pool"]
        victim = min(pids(first))
        # its scratch course (hidden tests) and its kernels' folder, found by the locks it holds
        left = [f.path[:-len(".lock")] for f in psutil.Process(victim).open_files()
                if f.path.endswith(".lock")]
        assert len(left) == 2 and all(os.path.isdir(f) for f in left), left
        os.kill(victim, signal.SIGKILL)
        deadline = time.monotonic() + 20  # the pool notices its dead worker
        while not getattr(pool, "_broken", False) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert getattr(pool, "_broken", False)
        second = grade_all(course, B, "es", STUDENTS, jobs=2, progress=False)
        assert all(o.success for o in second), [o.reason for o in second]
        assert not pids(second) & pids(first)
        assert engine._WARM["pool"] is not pool
        assert not any(os.path.exists(f) for f in left)  # removed by the new workers
    assert "pool" not in engine._WARM


def test_course_grade_takes_several_assignments_and_checks_every_name_first(course, capsys):
    root = str(course.root)
    before = {a: scores(course, a) for a in (A, B)}
    assert cli.main(["--course", root, "grade", A, "99_nothing_pt", "--force"]) == 2
    assert "99_nothing_pt" in capsys.readouterr().err
    assert {a: scores(course, a) for a in (A, B)} == before  # nothing graded
    shutil.rmtree(course.autograded_dir, ignore_errors=True)
    assert cli.main(["--course", root, "grade", A, B, "--force", "--jobs", "2"]) == 0
    out = capsys.readouterr().out
    assert f"`course report {A}`" in out and f"`course report {B}`" in out
    assert all((course.autograded_dir / s / a / f"{a}.ipynb").is_file()
               for s in STUDENTS for a in (A, B))


class _Sends:
    """The students whose submissions this process sends to the kept pool from now on."""

    def __init__(self, monkeypatch):
        self.students: list[str] = []
        pool = engine._WARM["pool"]
        submit = pool.submit

        def counted(fn, bundle, task):
            self.students.append(task.student)
            return submit(fn, bundle, task)

        monkeypatch.setattr(pool, "submit", counted)


def test_what_is_sent_ahead_is_graded_once_and_recorded_by_its_own_grading(course,
                                                                            monkeypatch):
    fresh = {}
    for a, lang in ((A, "pt"), (B, "es")):
        grade_all(course, a, lang, STUDENTS, jobs=2, progress=False)
        fresh[a] = scores(course, a)
    with warm_workers():
        assert engine.grade_ahead(course, A, "pt", STUDENTS, jobs=2)
        assert engine.grade_ahead(course, B, "es", STUDENTS, jobs=2)
        assert not engine.grade_ahead(course, B, "es", STUDENTS, jobs=2)  # already sent
        sends = _Sends(monkeypatch)
        first = grade_all(course, A, "pt", STUDENTS, jobs=2, progress=False)
        ahead = engine._AHEAD[engine._ahead_key(course, B)][2]
        deadline = time.monotonic() + 120  # the workers went on with B meanwhile
        while not all(f.done() for f, _t in ahead.values()) and time.monotonic() < deadline:
            time.sleep(0.05)
        second = grade_all(course, B, "es", STUDENTS, jobs=2, progress=False)
        assert sends.students == []  # nothing graded twice
        assert not engine._AHEAD
    assert all(o.success for o in first + second)
    assert [o.student for o in second] == STUDENTS
    assert {a: scores(course, a) for a in (A, B)} == fresh


def test_a_submission_changed_after_it_was_sent_ahead_is_graded_anew(course, monkeypatch):
    ref = reference_answers(course, A)
    hand_in(course, A, "late", None)  # blank when sent ahead, then the real answers
    with warm_workers():
        assert engine.grade_ahead(course, A, "pt", STUDENTS + ["late"], jobs=2)
        sends = _Sends(monkeypatch)
        hand_in(course, A, "late", ref)
        out = grade_all(course, A, "pt", STUDENTS + ["late"], jobs=2, progress=False)
        assert sends.students == ["late"]
    assert all(o.success for o in out)
    got = scores(course, A)
    assert got["late"] == got["solution"] != got["blank"]


def test_what_was_sent_ahead_and_never_asked_for_is_not_recorded(course):
    hand_in(course, B, "unasked", reference_answers(course, B))
    with warm_workers():
        assert engine.grade_ahead(course, B, "es", ["unasked"], jobs=2)
        assert engine.grade_ahead(course, A, "pt", ["solution"], jobs=2)
        out = grade_all(course, A, "pt", ["solution"], jobs=2, progress=False)
        assert out[0].success
    assert not engine._AHEAD and "pool" not in engine._WARM
    assert "unasked" not in scores(course, B)
    assert not (course.autograded_dir / "unasked").exists()
    shutil.rmtree(course.submitted_dir / "unasked")


def test_nothing_is_sent_ahead_outside_warm_workers_or_for_another_engine(course):
    assert not engine.grade_ahead(course, A, "pt", STUDENTS, jobs=2)
    assert "pool" not in engine._WARM and not engine._AHEAD
    with warm_workers():
        assert not grade.ahead(course, A, engine="nbgrader")
        assert not grade.ahead(course, "99_nothing_pt")  # not released
        assert "pool" not in engine._WARM


def test_nothing_is_sent_ahead_to_workers_that_would_have_to_be_replaced(course):
    with warm_workers():
        grade_all(course, A, "pt", ["solution"], jobs=2, progress=False)  # one worker
        pool = engine._WARM["pool"]
        assert not engine.grade_ahead(course, B, "es", STUDENTS, jobs=2)  # two wanted
        assert engine._WARM["pool"] is pool and not engine._AHEAD


def test_course_grade_sends_the_next_assignment_ahead(course, monkeypatch, capsys):
    calls = []
    real = grade.grade_ahead

    def spy(course, assignment, *args, **kwargs):
        calls.append((assignment, real(course, assignment, *args, **kwargs)))
        return calls[-1][1]

    monkeypatch.setattr(grade, "grade_ahead", spy)
    before = {a: scores(course, a) for a in (A, B)}
    assert cli.main(["--course", str(course.root), "grade", A, B, "--force", "--jobs",
                     "2"]) == 0
    assert calls[:2] == [(A, True), (B, True)]  # B sent before A's grading began
    assert {a: scores(course, a) for a in (A, B)} == before


def test_a_run_starts_as_many_workers_as_the_whole_run_can_keep_busy(course):
    """Sized for the run, not its first assignment: two assignments of one submission each
    get two workers (one each) where `jobs` allows, and every score is recorded once."""
    with warm_workers():
        grade.ahead_of(course, [A, B], 0, jobs=3, force=True, only=["solution"])
        assert engine._WARM["jobs"] == 2
        for a in (A, B):
            rows, failed = grade.grade(course, a, jobs=3, force=True, only=["solution"],
                                       progress=False)
            assert failed == {}
        assert engine._WARM["jobs"] == 2  # the same workers graded both
    assert "run" not in engine._WARM
    assert scores(course, A)["solution"] == scores(course, B)["solution"]


def test_an_assignment_already_sent_ahead_is_not_read_again(course, monkeypatch):
    """`ahead_of` sends each assignment twice (as the next, then as the current one): the
    second time its submissions are not fingerprinted again."""
    with warm_workers():
        assert grade.ahead(course, A, jobs=2, force=True)
        monkeypatch.setattr(grade, "to_grade", lambda *a, **k: pytest.fail("read again"))
        assert grade.ahead(course, A, jobs=2, force=True) is False
        monkeypatch.undo()
        outs = grade_all(course, A, "pt", STUDENTS, jobs=2, progress=False)
    assert all(o.success for o in outs)
