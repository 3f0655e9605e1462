"""Re-grading keeps the teacher's work: only new or changed submissions are graded again,
`--force` re-grades all, `--student` just those, and a hand-graded written answer keeps its
score and its graded status unless its text changed (then it goes back to pending, and the
attention log says so) — under both engines."""
from __future__ import annotations

import shutil
import uuid

import pytest

from conftest import hand_in, reference_answers, released_course
from course import attention
from course.course_folder import CourseError
from course.grading import grade

pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore:.*not in session.*")]

A = "01_graph_pt"
WRITTEN = "explain_accumulation"


@pytest.fixture(scope="module")
def course(root):
    course = released_course(root / "build" / f"regrade-{uuid.uuid4().hex[:8]}", "01_graph", A)
    yield course
    shutil.rmtree(course.root, ignore_errors=True)


def submit(course, student, written="Acumular serve para somar gradientes de vários lotes."):
    hand_in(course, A, student, {**reference_answers(course, A), WRITTEN: written})


def grade_by_hand(course, student, score, comment):
    with course.gradebook() as gb:
        g = gb.find_grade(WRITTEN, A, A, student)
        g.manual_score, g.needs_manual_grade = score, False
        gb.find_comment(WRITTEN, A, A, student).manual_comment = comment
        gb.db.commit()


def manual(course, student):
    with course.gradebook() as gb:
        g = gb.find_grade(WRITTEN, A, A, student)
        c = gb.find_comment(WRITTEN, A, A, student)
        return g.manual_score, bool(g.needs_manual_grade), c.manual_comment


def stamp(course, student):
    return course.autograded_notebook(student, A).stat().st_mtime_ns


def test_a_semester_of_regrading(course):
    submit(course, "ana")
    submit(course, "bruno")
    _, failed = grade.grade(course, A, jobs=2, progress=False)
    assert failed == {}
    assert manual(course, "ana")[1] is True  # pending until a grader scores it
    grade_by_hand(course, "ana", 1.5, "Bom.")
    grade_by_hand(course, "bruno", 2.0, "Ótimo.")
    first = {s: stamp(course, s) for s in ("ana", "bruno")}

    # a late student: only she is graded; nobody's manual work is undone
    submit(course, "carla")
    assert grade.to_grade(course, A) == (["carla"], ["ana", "bruno"])
    grade.grade(course, A, jobs=2, progress=False)
    assert {s: stamp(course, s) for s in ("ana", "bruno")} == first
    assert manual(course, "ana") == (1.5, False, "Bom.")
    assert manual(course, "bruno") == (2.0, False, "Ótimo.")

    # bruno rewrites his written answer: re-graded, that answer back to pending
    submit(course, "bruno", written="Outra resposta, escrita de novo.")
    assert grade.to_grade(course, A) == (["bruno"], ["ana", "carla"])
    grade.grade(course, A, jobs=2, progress=False)
    assert manual(course, "bruno")[1] is True
    again = [e for e in attention.load(course, A) if e.kind == "pending_again"]
    assert [(e.student, e.cell) for e in again] == [("bruno", WRITTEN)]
    assert stamp(course, "ana") == first["ana"]

    # --force re-grades everyone; ana's unchanged answer keeps its score and status
    grade.grade(course, A, jobs=2, progress=False, force=True)
    assert stamp(course, "ana") != first["ana"]
    assert manual(course, "ana") == (1.5, False, "Bom.")

    # --student grades just that one, changed or not, under plain nbgrader too
    before = stamp(course, "carla")
    grade.grade(course, A, engine="nbgrader", only=["ana"])
    assert stamp(course, "carla") == before
    assert manual(course, "ana") == (1.5, False, "Bom.")
    with pytest.raises(CourseError, match="nobody"):
        grade.grade(course, A, only=["nobody"])


def test_the_summary_line_counts_skipped_submissions(course, capsys):
    submit(course, "dora")
    grade.main(course, A, jobs=1)
    out = capsys.readouterr().out
    assert "unchanged since their last grading" in out
    line = [ln for ln in out.splitlines() if "unchanged since" in ln][0]
    assert line.startswith("1 graded, 3 unchanged since their last grading")


def test_a_new_due_date_regrades_everyone(course):
    from datetime import datetime, timezone

    from course import late_policy

    students = course.submitted_students(A)
    assert grade.to_grade(course, A)[0] == []
    late_policy.set_due_date(course, A, datetime(2030, 1, 1, tzinfo=timezone.utc))
    assert grade.to_grade(course, A)[0] == students


def test_another_instructor_language_regrades_no_one(course, monkeypatch):
    """A pt and an es teaching assistant on one course: the late policy, in the words of
    whoever runs `course grade`, is no reason to grade the whole class again."""
    from course import i18n

    submit(course, "eva")
    grade.grade(course, A, jobs=2, progress=False)
    assert grade.to_grade(course, A)[0] == []
    for lang in ("pt", "es", "en"):
        monkeypatch.setenv("COURSE_INSTRUCTOR_LANG", lang)
        i18n.use(lang)
        assert grade.to_grade(course, A)[0] == [], lang


@pytest.mark.parametrize("engine", ["fast", "nbgrader"])
def test_an_interrupted_regrade_keeps_the_manual_work_of_what_it_recorded(course, monkeypatch,
                                                                         engine):
    """Ctrl-C right after the first submission's grades are recorded (which resets its
    written answers to pending): that submission already has its teacher's work back and is
    remembered as graded; the other keeps its earlier grading.  Nothing needs grading again."""
    from course.grading import record

    pair = [f"{engine}-1", f"{engine}-2"]
    for student in pair:
        submit(course, student)
    grade.grade(course, A, engine=engine, jobs=1, progress=False, only=pair)
    for student in pair:
        grade_by_hand(course, student, 1.0, "Certo.")
    if engine == "fast":
        write = record.Recorder.write

        def write_then_interrupt(self, result):
            if self.written:  # the next one would be written: Ctrl-C
                raise KeyboardInterrupt
            return write(self, result)

        monkeypatch.setattr(record.Recorder, "write", write_then_interrupt)
    else:
        plain = grade.autograde_plain

        def one_then_interrupt(course_, assignment, students, on_graded):
            plain(course_, assignment, students[:1], on_graded)
            raise KeyboardInterrupt

        monkeypatch.setattr(grade, "autograde_plain", one_then_interrupt)
    with pytest.raises(KeyboardInterrupt):
        grade.grade(course, A, engine=engine, jobs=1, progress=False, only=pair, force=True)
    for student in pair:
        assert manual(course, student) == (1.0, False, "Certo."), student
    monkeypatch.undo()
    todo, unchanged = grade.to_grade(course, A)
    assert set(pair) <= set(unchanged) and not set(pair) & set(todo)


def test_a_change_in_the_hidden_tests_code_regrades_everyone(course, monkeypatch, capsys):
    """The hidden tests run the installed package's code (course.checks, the lesson's checks
    and mistakes), not the source notebook's: an update that changes them must grade the
    whole class again, not only the students graded after it."""
    from course.grading import incremental

    students = course.submitted_students(A)
    assert students and grade.to_grade(course, A)[0] == []
    assert incremental.graded_by_other_tests(course, A, students) == []
    monkeypatch.setattr(incremental, "hidden_tests_code", lambda assignment: "changed tests")
    assert grade.to_grade(course, A)[0] == students
    assert incremental.graded_by_other_tests(course, A, students) == students
    monkeypatch.setenv("COURSE_INSTRUCTOR_LANG", "en")
    grade.main(course, A, jobs=2)
    out = capsys.readouterr().out
    assert f"{len(students)} graded, 0 unchanged" in out
    assert f"{len(students)} of them graded again because the hidden tests changed" in out
    assert grade.to_grade(course, A)[0] == []  # graded by the new tests: nothing left
    assert incremental.graded_by_other_tests(course, A, students) == []


def test_the_hidden_tests_code_is_what_grading_runs_and_nothing_else(tmp_path):
    """A byte changed in course/checks, the grading verdict or the lesson's checks or mistakes
    changes the digest; the lesson's text (already in the source notebook), its sample answers
    and another lesson's checks do not."""
    from course.grading import incremental

    package = tmp_path / "course"
    real = incremental.Path(incremental.__file__).resolve().parent.parent
    for sub in ("checks", "lessons"):
        shutil.copytree(real / sub, package / sub, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(real / "verdict.py", package / "verdict.py")
    digest = lambda: incremental.hidden_tests_code(A, package)  # noqa: E731
    before = digest()
    assert before == incremental.hidden_tests_code(A) and len(before) == 64
    for untouched in ("lessons/01_graph/lesson.py", "lessons/01_graph/answers.py",
                      "lessons/03_gradient_descent/checks.py"):
        (package / untouched).write_text((package / untouched).read_text() + "\n# edited\n")
        assert digest() == before, untouched
    for changed in ("lessons/01_graph/checks.py", "lessons/01_graph/mistakes.py",
                    "checks/guard.py", "verdict.py", "lessons/__init__.py"):
        (package / changed).write_text((package / changed).read_text() + "\n# edited\n")
        assert digest() != before, changed
        before = digest()
    assert incremental.hidden_tests_code("not_an_assignment", package) == ""
