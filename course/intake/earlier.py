"""Students collected before whom this export does not bring again.

Collecting again (a late export, a corrected zip) only adds and replaces: a student already in
`submitted/<student>/<assignment>/` with no notebook accepted from this export keeps the one
collected earlier, and that one is graded.  That is usually right (the export holds only the
late students) but can hide a mistake (the wrong export, a student renamed by a new id
pattern), so the command names them and the attention log holds one entry each.

What earlier collects left also counts now: a notebook collected earlier by the due date is not
replaced by a late one of this export (`keep_on_time`), and what the attention log held about
students and files this export does not bring stays there (`forget_replaced`).
"""
from __future__ import annotations

from datetime import datetime

from .. import attention, late_policy
from ..course_folder import Course
from ..i18n import _
from . import timestamps
from .outcome import Outcome


def kept_from_before(course: Course, assignment: str, outcomes: list[Outcome]) -> list[str]:
    """Students with a submitted notebook for `assignment` and none accepted now, sorted."""
    now = {o.student for o in outcomes if o.accepted}
    return [s for s in course.submitted_students(assignment)
            if s not in now and course.submitted_notebook(s, assignment).is_file()]


def note(course: Course, assignment: str, students: list[str]) -> None:
    for student in students:
        attention.record(course, attention.Entry(
            assignment, student, "kept_earlier",
            _("no notebook of this export was accepted for this student: the one collected "
              "earlier stays in submitted/ and is the one graded (delete "
              "submitted/{student}/{assignment}/ if it should not be)", student=student,
              assignment=assignment), step="collect"))


def summary(students: list[str]) -> str:
    """One line for the command's output; '' when there is nobody."""
    if not students:
        return ""
    return _("kept from an earlier collect, none accepted from this export ({n}): {students}",
             n=len(students), students=", ".join(students))


def keep_on_time(course: Course, assignment: str, outcomes: list[Outcome],
                         due: datetime | None, extended: dict[str, datetime], tz) -> None:
    """A notebook collected earlier and handed in by the due date is not replaced by a late one
    of this export: the rule `keep_one` applies inside one export holds across exports.  An
    LMS's later download (Moodle keeps only each student's last file) brings a student who
    edited after the due date with that late file alone; it used to overwrite the on-time
    notebook already collected (and graded), which was then lost and the student penalized.
    The late one is rejected, saying so; `--prefer newest` takes it."""
    for out in outcomes:
        deadline = (extended or {}).get(out.student, due) if out.student else due
        if not out.accepted or deadline is None or out.at is None or out.at <= deadline:
            continue
        before = course.submitted_notebook(out.student, assignment)
        at = timestamps.read(before.parent) if before.is_file() else None
        if at is not None and at <= deadline:
            out.reason = _("superseded by the notebook collected earlier for this student, "
                           "handed in {at}, by the due date {due} (this one came after it; "
                           "`--prefer newest` keeps the newest)", at=late_policy.show(at, tz),
                           due=late_policy.show(deadline, tz))


def forget_replaced(course: Course, assignment: str, outcomes: list[Outcome]) -> None:
    """Forget what earlier collects logged about the students and files of this export (it is
    said again now) and every "kept from before" entry (said again by `earlier`).  What they
    logged about anyone else stays: a late export holding only the late students must not wipe
    the first export's rejections (a student whose only notebook was refused would vanish
    from the report) nor its late and rename notes about the students it does not bring."""
    students = {o.student for o in outcomes if o.student is not None}
    files = {o.upload.path for o in outcomes}
    attention.forget(course, assignment, lambda e: e.step == "collect" and (
        e.kind == "kept_earlier" or e.student in students or e.file in files))
