"""What the attention log says about an accepted notebook's time: late by how much against the
due date (the student's extension included), on time, of unknown time, or marked late by the
LMS itself (Canvas's `LATE`, which the time may contradict)."""
from __future__ import annotations

from datetime import datetime

from .. import late_policy
from ..i18n import _
from .outcome import Outcome


def lateness(out: Outcome, due: datetime | None, tz) -> str:
    """What the attention log says about an accepted notebook's time; '' when nothing."""
    show = late_policy.show
    late = (due is not None and out.at is not None and out.at > due)
    if late:
        out.late = late_policy.how_late((out.at - due).total_seconds())
        text = _("handed in {at}, {late} after the due date {due}: the late policy applies "
                 "when grading", at=show(out.at, tz), late=out.late, due=show(due, tz))
        return text + ("; " + _("the LMS marked it LATE too") if out.lms_late else "")
    if not out.lms_late:  # with a due date, a notebook of unknown time is said to be on time
        return (_("the export holds no time for it: treated as on time")
                if due is not None and out.at is None else "")
    mark = _("the LMS marked it LATE in its file name (Canvas's verdict, against Canvas's own "
             "due date)")
    if out.at is None:
        return mark + "; " + _("the export holds no time for it: treated as on time")
    if due is None:
        return mark + "; " + _("handed in {at}, and the gradebook has no due date "
                               "(`course due`): no penalty", at=show(out.at, tz))
    return mark + "; " + _("handed in {at}, by the due date {due}: not late here (the time "
                           "decides)", at=show(out.at, tz), due=show(due, tz))
