"""A small class of lesson 01 graded once per test session, shared by the feedback and report
tests (grading is the slow part: one kernel per submission).

01_graph_pt: ana (reference answers), bruno (a `forward` that passes the visible checks but
modifies its input, with an injected `<script>`, a wrong letter, and a written answer that a
grader scored 1.5/2 with a comment), eva (submitted after grading: never graded).
01_graph_es: diego (the same wrong `forward`).
"""
from __future__ import annotations

import shutil
from pathlib import Path

import nbformat

from conftest import scratch_course
from course.authoring import release
from course.authoring.notebooks import fill, solutions
from course.course_folder import Course
from course.grading import grade
from course.lessons import load_answers

WRONG = load_answers("01_graph").WRONG

ROOT = Path(__file__).resolve().parent.parent
PT, ES = "01_graph_pt", "01_graph_es"
INJECTION = "# </pre><script>alert('pwned')</script>"
WRONG_FORWARD = WRONG["forward"]["modifies x in place"].code + "\n" + INJECTION
GRADER_COMMENT = "Boa ideia, mas <b>faltou</b> dizer quando acumular é útil."
MANUAL_CELL, MANUAL_SCORE = "explain_accumulation", 1.5

_built: dict[Path, Course] = {}


def _submit(course: Course, student: str, assignment: str, nb) -> None:
    target = course.submitted_notebook(student, assignment)
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, target)


def _notebooks(course: Course, assignment: str):
    src = nbformat.read(course.source_notebook(assignment), as_version=4)
    rel = nbformat.read(course.release_notebook(assignment), as_version=4)
    return src, rel


def _grade_by_hand(course: Course) -> None:
    """What a grader does in formgrader: a manual score and a comment on bruno's answer."""
    with course.gradebook() as gb:
        g = gb.find_grade(MANUAL_CELL, PT, PT, "bruno")
        g.manual_score, g.needs_manual_grade = MANUAL_SCORE, False
        gb.find_comment(MANUAL_CELL, PT, PT, "bruno").manual_comment = GRADER_COMMENT
        gb.db.commit()


def build(base: Path) -> Course:
    """The graded course folder under `base` (built on the first call of the session)."""
    if base in _built:
        return _built[base]
    course = scratch_course(base / "graded_course")
    for a in (PT, ES):
        shutil.copytree(ROOT / "source" / a, course.source_dir / a)
    plan = {PT: lambda ref: {"ana": ref,
                             "bruno": {**ref, "forward": WRONG_FORWARD,
                                       "answer_backward_twice": 'answer_backward_twice = "d"'}},
            ES: lambda ref: {"diego": {**ref, "forward": WRONG_FORWARD}}}
    for a, students in plan.items():
        release.generate(course, a)
        src, rel = _notebooks(course, a)
        for student, answers in students(solutions(src)).items():
            _submit(course, student, a, fill(rel, answers))
        _, failed = grade.grade(course, a)
        assert failed == {}, failed
    _submit(course, "eva", PT, _notebooks(course, PT)[1])
    _grade_by_hand(course)
    _built[base] = course
    return course
