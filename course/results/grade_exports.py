"""The grade files an LMS imports, in reports/<assignment>/ (`report.generate` writes them):

grades.csv   nbgrader's own CSV export (CsvExportPlugin) limited to this assignment: every
             student of the gradebook, 0 for those who did not submit.
moodle_worksheet.csv
             Moodle's own grading worksheet of the assignment, for the students `collect` took
             from a Moodle export: `Identifier,Full name,Email address,Grade,Maximum Grade`,
             Identifier = "Participant 101" (the number in Moodle's folder names, which is the
             student's number in that one assignment, recorded at collect in
             `moodle_participants.json`).  In Moodle: the assignment → View all submissions →
             Grading action "Upload grading worksheet" (with "Offline grading worksheet"
             enabled in the assignment's feedback types).  Moodle reads the headers in the
             language you use it in: upload it with Moodle in English.
moodle.csv   Moodle gradebook import: `ID number,<assignment>`, for students whose id is not
             a Moodle participant number (ids from a roster, e.g. Moodle's participants export
             with its ID number, or from another LMS).  In Moodle: Grades → Import → CSV file,
             then in "Identify user" map "ID number" to "useridnumber" (the students' ID number
             profile field must hold the nbgrader student ids), and map the `<assignment>`
             column to the grade item (or "new grade item").  The pt and es assignments of one
             lesson can be mapped to the same grade item.
canvas.csv   Canvas gradebook import: `Student,ID,SIS User ID,SIS Login ID,Section,<assignment>`
             then a `Points Possible` row.  ID is the student id: the Canvas user id `collect`
             takes from Canvas's file names (`souzaana_12345_…` → 12345), which Canvas matches
             first; SIS User ID, the institution's id, is not known here and left empty.
             Canvas offers to create the assignment when no column of that name exists.

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
MOODLE_WORKSHEET = ["Identifier", "Full name", "Email address", "Grade", "Maximum Grade"]
MOODLE_PARTICIPANTS = "moodle_participants.json"  # written by `course collect`


def moodle_participants(course: Course, assignment: str) -> dict[str, dict]:
    """{student: {"participant": "101", "name": …}} that collect recorded for `assignment`."""
    import json

    try:
        found = json.loads((course.reports_dir(assignment) / MOODLE_PARTICIPANTS)
                           .read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


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


def write_moodle(subs: list[gradebook.Submission], assignment: str, out: Path,
                 participants: dict[str, dict] | None = None) -> Path:
    """Students whose id is a Moodle participant number are left out: it is no ID number."""
    bare = {s for s, e in (participants or {}).items() if s == e.get("participant")}
    with out.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow([MOODLE_ID, assignment])
        w.writerows([s.student, number(s.final)] for s in subs if s.student not in bare)
    return out


def write_moodle_worksheet(subs: list[gradebook.Submission], max_score: float,
                           participants: dict[str, dict], out: Path) -> Path | None:
    """Moodle's grading worksheet of the assignment (None, and no file, without Moodle)."""
    rows = []
    for s in subs:
        entry = participants.get(s.student)
        if entry and entry.get("participant"):
            full = " ".join(p for p in (s.first_name, s.last_name) if p) or entry.get("name", "")
            rows.append([f"Participant {entry['participant']}", full, s.email or "",
                         number(s.final), number(max_score)])
    if not rows:
        if out.exists():
            out.unlink()  # a stale worksheet would upload other grades
        return None
    with out.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(MOODLE_WORKSHEET)
        w.writerows(rows)
    return out


def write_canvas(subs: list[gradebook.Submission], assignment: str, max_score: float,
                 out: Path) -> Path:
    with out.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(CANVAS_FIXED + [assignment])
        w.writerow(["Points Possible", "", "", "", "", number(max_score)])
        w.writerows([s.name, s.student, "", "", "", number(s.final)] for s in subs)
    return out
