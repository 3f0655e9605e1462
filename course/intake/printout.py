"""What `course collect` prints: one line per file of the export, accepted, rejected or skipped
(nobody's file), with the student it went to and why (renamed, converted, late, or the
rejection's reason)."""
from __future__ import annotations

from pathlib import Path, PurePosixPath

from ..i18n import _
from .outcome import Outcome


def render(outcomes: list[Outcome], assignment: str, path: Path | str) -> str:
    accepted = [o for o in outcomes if o.accepted]
    skipped = [o for o in outcomes if o.skipped]
    head_row = (_("status"), _("student"), _("file"), _("note"))
    rows = [head_row, tuple("-" * len(h) for h in head_row)]
    for out in sorted(outcomes, key=lambda o: (not o.accepted, o.skipped, o.student or "",
                                               o.upload.path)):
        renamed = PurePosixPath(out.upload.path).name != f"{assignment}.ipynb"
        late = _("late by {late}", late=out.late) if out.late else ""
        lms = _("marked LATE by the LMS") if out.lms_late else ""
        note = "; ".join(n for n in (_("renamed") if renamed else "", out.notes, late, lms) if n)
        status = (_("accepted") if out.accepted else _("skipped") if out.skipped
                  else _("rejected"))
        rows.append((status, out.student or "-",
                     out.upload.path, note if out.accepted else out.reason))
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r[:3], widths)) + "  " + r[3] for r in rows]
    head = _("collect {assignment} from {path}: {accepted} accepted, {rejected} rejected -> "
             "submitted/<student>/{assignment}/", assignment=assignment, path=path,
             accepted=len(accepted), rejected=len(outcomes) - len(accepted) - len(skipped))
    if skipped:
        head += " " + _("({n} skipped: no student's file)", n=len(skipped))
    return "\n".join([head] + [ln.rstrip() for ln in lines])
