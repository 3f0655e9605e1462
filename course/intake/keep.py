"""One notebook per student, and a reason for each one left out that says why the other won.

A student may send several notebooks.  The newest handed in by the due date is kept (that
student's extension included), else, when all came after it (or with no due date, or
`prefer="newest"`), the newest.  Equal times are common (a zip stamps a whole Moodle submission
with one time), so the tie is broken by what says which upload came later: Canvas's attachment
number (`login_12345_67890_x.ipynb`: 67890, compared as a number, so 10000 is after 9999), then
the copy number an LMS or browser adds to a second file of the same name in the same folder
(`x (1).ipynb` after `x.ipynb`), then the path that sorts last.  The reason names the rule, so an instructor can
check it against the LMS.
"""
from __future__ import annotations

import re
from datetime import datetime
from pathlib import PurePosixPath
from ..i18n import _
from .identify import clean_name
from .outcome import Outcome

# Canvas: `login_12345_67890_x.ipynb`, `login_LATE_12345_67890_x.ipynb` (67890: attachment).
CANVAS_ATTACHMENT = re.compile(r"^[^/]*?_(?:(?i:late)_)?\d+_(\d+)_[^/]+$")
COPY_NUMBER = re.compile(r"\((\d+)\)\s*$")


def when(out: Outcome) -> float:
    return out.at.timestamp() if out.at is not None else out.upload.mtime


def attachment(out: Outcome) -> int:
    found = CANVAS_ATTACHMENT.match(PurePosixPath(out.upload.path).name)
    return int(found.group(1)) if found else -1


def copy_number(out: Outcome) -> int:
    found = COPY_NUMBER.search(PurePosixPath(out.upload.path).stem)
    return int(found.group(1)) if found else 0


def same_file(out: Outcome) -> tuple[str, str]:
    """(folder, name before copying): `x (1).ipynb` is a later upload of `x.ipynb` only there."""
    path = PurePosixPath(out.upload.path)
    return str(path.parent), clean_name(path.name)


def order(out: Outcome) -> tuple:
    """Sort key: later uploads last (time, then the tie-breaks of the module docstring)."""
    return (when(out), attachment(out), same_file(out), copy_number(out), out.upload.path)


def why_kept(kept: Outcome, other: Outcome) -> str:
    """Why `kept` won over `other`, in words."""
    if when(kept) != when(other):
        return _("it was handed in later")
    if attachment(kept) != attachment(other):
        return _("same time; its Canvas attachment number is higher (a later upload)")
    if same_file(kept) == same_file(other) and copy_number(kept) != copy_number(other):
        return _("same time; its copy number `(N)` is higher (a later upload)")
    return _("same time; its path sorts last")


def namesake_note(kept: Outcome) -> str:
    """Where the only id is a name, two students who share it look like one student handing
    in twice: the instructor is told how to tell them apart, since collect cannot."""
    if not kept.id_is_name:
        return ""
    return " " + _("(this id is a name: if two students share it, rename one of the files, e.g. "
                   "add a 2 to the name, and collect again)")


def _note_namesakes(mine: list[Outcome], kept: Outcome) -> None:
    for other in mine:
        if other is not kept:
            other.reason += namesake_note(kept)


def keep_one(outcomes: list[Outcome], due: datetime | None = None,
             extended: dict[str, datetime] | None = None, prefer: str = "on-time") -> None:
    """One notebook per student, the others marked superseded (see the module docstring)."""
    by_student: dict[str, list[Outcome]] = {}
    for out in outcomes:
        if out.accepted:
            by_student.setdefault(out.student, []).append(out)
    for student, mine in by_student.items():
        mine.sort(key=order)
        deadline = (extended or {}).get(student, due)
        on_time = [o for o in mine if deadline is not None and when(o) <= deadline.timestamp()]
        if prefer == "newest" or deadline is None or not on_time or on_time[-1] is mine[-1]:
            kept = mine[-1]
            for old in mine[:-1]:
                old.reason = _("superseded by {path} (only the newest is kept)",
                               path=kept.upload.path) + ": " + why_kept(kept, old)
            _note_namesakes(mine, kept)
            continue
        kept = on_time[-1]
        for other in mine:
            if other is kept:
                continue
            if when(other) <= deadline.timestamp():
                other.reason = _("superseded by {path} (the newest handed in by the due date "
                                 "is kept)", path=kept.upload.path) + ": " + why_kept(kept, other)
            else:
                other.reason = _("superseded by {path}, the newest handed in by the due date "
                                 "(this one came after it; `--prefer newest` keeps the newest)",
                                 path=kept.upload.path)
        _note_namesakes(mine, kept)
