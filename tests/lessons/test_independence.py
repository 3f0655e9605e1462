"""No exercise's points depend on another's answer: for every exercise of every lesson, a
notebook with only that answer filled in (every other answer left as released) gets all the
points of that exercise's test cells, graded by the real engine."""
from __future__ import annotations

import nbformat
import pytest

from conftest import hand_in, reference_answers, released_course
from course import gradebook
from course.cells import role
from course.grading import grade
from course.lessons import slugs

pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore:.*not in session.*")]


def answer_cells_and_their_tests(nb) -> dict[str, list[str]]:
    """{auto-graded answer cell: the test cells after it, up to the next answer cell}."""
    found, current = {}, None
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if role(cell) == "answer":
            current = meta["grade_id"]
            found[current] = []
        elif role(cell) == "test" and current is not None:
            found[current].append(meta["grade_id"])
    return {a: t for a, t in found.items() if t}


@pytest.mark.parametrize("slug", slugs())
def test_each_exercise_alone_gets_its_points(tmp_path, slug):
    a = f"{slug}_pt"
    course = released_course(tmp_path / "c", slug, a)
    answers = reference_answers(course, a)
    exercises = answer_cells_and_their_tests(nbformat.read(course.source_notebook(a), as_version=4))
    for answer in exercises:
        hand_in(course, a, f"only_{answer}", {answer: answers[answer]})
    rows, failed = grade.grade(course, a, progress=False)
    assert failed == {}
    by_student = {r.student: r for r in rows}
    lost = {}
    for answer, tests in exercises.items():
        row = by_student[f"only_{answer}"]
        short = {t: (row.cells[t], row.max_points[t]) for t in tests
                 if row.cells[t] != row.max_points[t]}
        if short:
            lost[answer] = short
    assert lost == {}, f"{a}: points lost by a correct answer when the others are unanswered"
