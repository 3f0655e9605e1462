"""Which mistake each failed hidden test named, read back from autograded notebooks.

A hidden test that fails publishes its mistake id as a display output of type
`cells.MISTAKE_MIME` in its test cell (course.checks.mistakes); nothing is re-run here.
"""
from __future__ import annotations

import nbformat

from ..cells import MISTAKE_MIME, grade_id, role
from ..course_folder import Course


def recorded(nb) -> dict[str, str]:
    """{test cell grade_id: mistake id} for every test cell of `nb` that recorded one (the
    last one recorded, which is the one whose failure ended the cell)."""
    out = {}
    for cell in nb.cells:
        if cell.cell_type != "code" or role(cell) != "test":
            continue
        for output in cell.get("outputs", []):
            data = output.get("data", {}) if output.get("output_type") == "display_data" else {}
            found = data.get(MISTAKE_MIME)
            if isinstance(found, dict) and isinstance(found.get("mistake"), str):
                out[grade_id(cell)] = found["mistake"]
    return out


def of_assignment(course: Course, assignment: str) -> dict[str, dict[str, str]]:
    """{student: {test cell grade_id: mistake id}} over the assignment's autograded notebooks."""
    out = {}
    for student in course.students_in(course.autograded_dir, assignment):
        path = course.autograded_notebook(student, assignment)
        if path.exists():
            out[student] = recorded(nbformat.read(path, as_version=4))
    return out
