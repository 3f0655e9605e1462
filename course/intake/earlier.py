"""Students collected before whom this export does not bring again.

Collecting again (a late export, a corrected zip) only adds and replaces: a student already in
`submitted/<student>/<assignment>/` with no notebook accepted from this export keeps the one
collected earlier, and that one is graded.  That is usually right (the export holds only the
late students) but can hide a mistake (the wrong export, a student renamed by a new id
pattern), so the command names them and the attention log holds one entry each.
"""
from __future__ import annotations

from .. import attention
from ..course_folder import Course
from ..i18n import _
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
