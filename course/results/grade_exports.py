"""The grade files an LMS imports, in reports/<assignment>/ (`report.generate` writes them):

grades.csv   nbgrader's own CSV export (CsvExportPlugin) limited to this assignment: every
             student of the gradebook, 0 for those who did not submit.
moodle.csv   Moodle gradebook import: `ID number,<assignment>`.  In Moodle: Grades → Import →
             CSV file, upload, then in "Identify user" map "ID number" to "useridnumber" (the
             students' ID number profile field must hold the nbgrader student ids), and map the
             `<assignment>` column to the grade item (or "new grade item").  The pt and es
             assignments of one lesson can be mapped to the same grade item.
canvas.csv   Canvas gradebook import: `Student,ID,SIS User ID,SIS Login ID,Section,<assignment>`
             then a `Points Possible` row.  ID (Canvas's internal id) is left blank; the student
             id is the SIS User ID, which Canvas uses to find the student.  Canvas offers to
             create the assignment when no column of that name exists.

The Moodle and Canvas files hold only students who submitted this assignment: each language is
its own assignment, and a 0 for everyone in the other language's class would overwrite grades.
"""
from __future__ import annotations

import csv
from pathlib import Path

from .. import gradebook
from ..course_folder import Course

CANVAS_FIXED = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
MOODLE_ID = "ID number"


def number(x: float) -> str:
    """Points as an LMS reads them: no trailing zeros, a dot for decimals."""
    return f"{round(x, 2):g}"


def export_grades_csv(course: Course, assignment: str | None, out: Path) -> Path:
    """nbgrader's CsvExportPlugin, exactly as `nbgrader export [--assignment]` would write it
    (every assignment when `assignment` is None)."""
    from nbgrader.plugins import CsvExportPlugin

    plugin = CsvExportPlugin(config=course.config)
    plugin.to = str(out)
    if assignment is not None:
        plugin.assignment = [assignment]
    with course.gradebook() as gb:
        plugin.export(gb)
    return out


def write_moodle(subs: list[gradebook.Submission], assignment: str, out: Path) -> Path:
    with out.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow([MOODLE_ID, assignment])
        w.writerows([s.student, number(s.final)] for s in subs)
    return out


def write_canvas(subs: list[gradebook.Submission], assignment: str, max_score: float,
                 out: Path) -> Path:
    with out.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(CANVAS_FIXED + [assignment])
        w.writerow(["Points Possible", "", "", "", "", number(max_score)])
        w.writerows([s.name, "", s.student, "", "", number(s.final)] for s in subs)
    return out
