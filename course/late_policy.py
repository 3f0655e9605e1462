"""Due dates and the late-submission penalty, kept where nbgrader keeps them.

* **When a notebook was handed in** is nbgrader's `submitted/<student>/<a>/timestamp.txt`,
  written by `course collect` (see `intake/timestamps.py`).
* **The due date** is nbgrader's own `duedate` of the assignment in the gradebook, the one
  formgrader edits ("Manage Assignments" → edit).  `course due ASSIGNMENT DATETIME` and
  `course collect … --due DATETIME` set it; a per-student extension nbgrader holds
  (`SubmittedAssignment.extension`) moves that student's due date.
* **The penalty** is computed by nbgrader's `AssignLatePenalties` when it grades, from
  `timestamp - duedate`, by the plugin `c.AssignLatePenalties.plugin_class` names.  This
  module's `CourseLatePolicy` (a `LateSubmissionPlugin`) is that plugin in `nbgrader_config.py`;
  its traitlets there choose the rule:

  - `method = "none"` (default): no penalty of the course's own; nbgrader's
    `c.LateSubmissionPlugin.penalty_method` decides ("none" by default, so nothing changes);
  - `"zero"`: a late submission scores 0 (nbgrader's own "zero");
  - `"points_per_hour"`: `points_per_hour` points off per started hour late (the per-hour
    subtraction of nbgrader's documentation);
  - `"percent_per_day"`: `percent_per_day` % of the score off per started day late
    (`ceil(seconds / 86400)` days: one second late is one day);

  both of the last two capped at `max_percent` % of the score.  nbgrader stores the result in
  `late_submission_penalty` (never below 0 nor above the score), which `nbgrader export`
  (its score is after the penalty), the feedback pages (nbgrader's and `course feedback`) and
  `course report` (`gradebook.Submission.penalty`, `final`) read.

  nbgrader computes the penalty when it autogrades; the plugin computes it from the
  auto-graded points only (`auto_score`), so points a grader gives by hand (written answers)
  are never reduced, at the first grading or at any re-grade after manual grading.  A
  changed due date or policy takes effect at the next grading of each submission
  (`course grade --force`).

Zone-less times (`--due "2026-12-10 23:59"`, zip entry times) are read in the course's zone:
`--timezone ZONE` (IANA name, e.g. America/Sao_Paulo), else `c.CourseLatePolicy.timezone` in
`nbgrader_config.py`, else this computer's zone.  The gradebook keeps UTC.

A shared module: it imports no stage (the gradebook is opened lazily, through `Course`).
"""
from __future__ import annotations

import math
from datetime import datetime, timezone as dt_timezone, tzinfo
from typing import TYPE_CHECKING

from nbgrader.plugins import LateSubmissionPlugin
from traitlets import Enum, Float, Unicode

from .i18n import _

if TYPE_CHECKING:
    from .course_folder import Course

METHODS = ("none", "zero", "points_per_hour", "percent_per_day")
UTC = dt_timezone.utc


class CourseLatePolicy(LateSubmissionPlugin):
    """The course's late-submission rule (see the module docstring)."""

    method = Enum(METHODS, default_value="none", help=(
        "none: nbgrader's penalty_method decides (none by default); zero: score 0; "
        "points_per_hour: points off per started hour late; percent_per_day: % of the score "
        "off per started day late")).tag(config=True)
    percent_per_day = Float(10.0, min=0, help="% of the score off per started day late "
                            "(method percent_per_day)").tag(config=True)
    points_per_hour = Float(1.0, min=0, help="points off per started hour late "
                            "(method points_per_hour)").tag(config=True)
    max_percent = Float(100.0, min=0, max=100, help="the penalty never exceeds this % of the "
                        "score (points_per_hour, percent_per_day)").tag(config=True)
    timezone = Unicode("", help="IANA zone (e.g. America/Sao_Paulo) `course collect` and "
                       "`course due` read zone-less times in; empty: this computer's zone"
                       ).tag(config=True)

    def late_submission_penalty(self, student_id: str, score: float,
                                total_seconds_late: float) -> float | None:
        score = auto_score(self.parent, score)
        if self.method == "none":
            return super().late_submission_penalty(student_id, score, total_seconds_late)
        return penalty(self.method, score, total_seconds_late, self.percent_per_day,
                       self.points_per_hour, self.max_percent)


def auto_score(late: object, score: float) -> float:
    """The auto-graded points of the notebook nbgrader's AssignLatePenalties (`late`, the
    plugin's parent) is penalizing: the score it passes includes points a grader gave by hand
    (kept through re-grading), which are never reduced, so a re-grade after manual grading
    gives the same penalty as the first grading.  `score` itself when `late` does not say."""
    try:
        notebook = late.gradebook.find_submission_notebook(
            late.notebook_id, late.assignment_id, late.student_id)
        return float(sum(g.auto_score or 0 for g in notebook.grades))
    except Exception:  # another caller, or no gradebook: nbgrader's own score
        return score


def penalty(method: str, score: float, seconds_late: float, percent_per_day: float = 10.0,
            points_per_hour: float = 1.0, max_percent: float = 100.0) -> float | None:
    """Points off a `score` handed in `seconds_late` after the due date; None: no penalty."""
    if method not in METHODS:
        raise ValueError(f"unknown late policy {method!r} (one of {', '.join(METHODS)})")
    score = float(score or 0)
    if seconds_late <= 0 or method == "none" or score <= 0:
        return None if method == "none" else 0.0
    if method == "zero":
        return score
    cap = score * max_percent / 100
    if method == "points_per_hour":
        off = math.ceil(seconds_late / 3600) * points_per_hour
    else:
        off = score * math.ceil(seconds_late / 86400) * percent_per_day / 100
    return round(min(off, cap, score), 6)


def describe(cfg) -> str:
    """The configured rule in one line (for `course due`)."""
    policy = CourseLatePolicy(config=cfg)
    cap = _("at most {cap:g}% of the score", cap=policy.max_percent)
    if policy.method == "percent_per_day":
        return _("{percent:g}% of the score off per started day late, {cap}",
                 percent=policy.percent_per_day, cap=cap)
    if policy.method == "points_per_hour":
        return _("{points:g} points off per started hour late, {cap}",
                 points=policy.points_per_hour, cap=cap)
    if "zero" in (policy.method, policy.penalty_method):
        return _("a late submission scores 0")
    return _("no penalty (late submissions are only recorded as late)")


# --- times ------------------------------------------------------------------------------

def zone(name: str | None, course: "Course | None" = None) -> tzinfo | None:
    """The zone zone-less times are read in: `name`, else the course's
    `c.CourseLatePolicy.timezone`, else None (this computer's zone)."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    from .course_folder import CourseError

    if not name and course is not None:
        name = course.config.get("CourseLatePolicy", {}).get("timezone", "") or None
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise CourseError(_("unknown time zone {name!r} (an IANA name, e.g. "
                            "America/Sao_Paulo, America/Argentina/Buenos_Aires, UTC)",
                            name=name)) from None


def localize(naive: datetime, tz: tzinfo | None) -> datetime:
    """A wall-clock time read in `tz` (None: this computer's zone, its DST rules included)."""
    return naive.replace(tzinfo=tz) if tz is not None else naive.astimezone()


def parse_when(text: str, tz: tzinfo | None) -> datetime:
    """'2026-12-10 23:59' (in `tz`), '2026-12-10T23:59:00-03:00' or '…Z' -> aware datetime."""
    from .course_folder import CourseError

    raw = text.strip()
    try:
        when = datetime.fromisoformat(raw[:-1] + "+00:00" if raw[-1:] in "zZ" and raw else raw)
    except ValueError:
        when = None
    if when is None or len(raw) <= 10:  # no time of day: which minute is "due" is ambiguous
        raise CourseError(_("{text!r} is not a date and time: write it as YYYY-MM-DD HH:MM, "
                            "e.g. '2026-12-10 23:59' (read in the course's time zone; "
                            "--timezone ZONE to choose it)", text=text))
    return when if when.tzinfo is not None else localize(when, tz)


def show(when: datetime | None, tz: tzinfo | None) -> str:
    """An aware time as the instructor reads it: '2026-12-10 23:59 -03'."""
    if when is None:
        return _("none")
    local = when.astimezone(tz) if tz is not None else when.astimezone()
    text = local.strftime("%Y-%m-%d %H:%M" + (":%S" if local.second else "") + " %Z")
    return text.strip()


def how_late(seconds: float) -> str:
    """'2 d 3 h', '1 d 1 min', '5 h 1 min', '3 min 20 s' (seconds only under an hour)."""
    seconds = int(math.ceil(seconds))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{days} d" if days else "", f"{hours} h" if hours else "",
             f"{minutes} min" if minutes else "",
             f"{secs} s" if secs and not (days or hours) else ""]
    return " ".join(p for p in parts if p) or "0 s"


# --- the due date in the gradebook ------------------------------------------------------------

def _gradebook_may_exist(course: "Course") -> bool:
    """False only for a SQLite gradebook whose file is not there (opening it would create it,
    which costs seconds: nbgrader runs alembic)."""
    url = course.db_url
    if url.startswith("sqlite:///"):
        from pathlib import Path

        return Path(url[len("sqlite:///"):]).exists()
    return True


def due_dates(course: "Course", assignment: str) -> tuple[datetime | None, dict[str, datetime]]:
    """(the assignment's due date, {student: due date with that student's extension}) as aware
    UTC datetimes; (None, {}) when the gradebook has no due date for it."""
    from nbgrader.api import MissingEntry

    if not _gradebook_may_exist(course):
        return None, {}
    with course.gradebook() as gb:
        try:
            found = gb.find_assignment(assignment)
        except MissingEntry:
            return None, {}
        if found.duedate is None:
            return None, {}
        due = found.duedate.replace(tzinfo=UTC)
        extended = {s.student_id: due + s.extension for s in found.submissions
                    if s.extension is not None}
    return due, extended


def due_date(course: "Course", assignment: str) -> datetime | None:
    return due_dates(course, assignment)[0]


def set_due_date(course: "Course", assignment: str, when: datetime | None) -> None:
    """nbgrader's duedate of `assignment` (None clears it).  The assignment must be in the
    gradebook already (`course release` puts it there with its notebooks)."""
    from nbgrader.api import MissingEntry

    from .course_folder import CourseError

    with course.gradebook() as gb:
        try:
            found = gb.find_assignment(assignment)
        except MissingEntry:
            raise CourseError(_("{assignment} is not in the gradebook yet: `course release "
                                "{assignment}` first", assignment=assignment)) from None
        if when is None:
            found.duedate = None
            gb.db.commit()
        else:
            gb.update_or_create_assignment(assignment, duedate=when.astimezone(UTC))


def main(course: "Course", assignment: str, when: str | None, tz_name: str | None = None) -> int:
    """`course due ASSIGNMENT [DATETIME|none]`: show or set the due date."""
    from .course_folder import parse_assignment

    parse_assignment(assignment)
    tz = zone(tz_name, course)
    if when is not None:
        set_due_date(course, assignment, None if when.strip().lower() in ("none", "")
                     else parse_when(when, tz))
    due, extended = due_dates(course, assignment)
    if due is None:
        print(_("{assignment}: due {due}", assignment=assignment, due=show(due, tz)))
    else:
        print(_("{assignment}: due {due} ({utc}); late policy: {policy}", assignment=assignment,
                due=show(due, tz), utc=show(due, UTC), policy=describe(course.config)))
    for student, until in sorted(extended.items()):
        print("  " + _("{student}: extended to {until}", student=student, until=show(until, tz)))
    return 0

