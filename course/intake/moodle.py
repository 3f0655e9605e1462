"""Moodle's participant numbers, and one student one id across assignments.

Moodle's "Download all submissions" names a student's folder `Ana Souza_101_assignsubmission_
file_`: 101 is the student's *participant number in that assignment* (Moodle's
`assign_user_mapping`), the "Participant 101" of the assignment's grading worksheet.  It is
neither the user's ID number nor Moodle's user id, and the same student has another number in
the next assignment.  So:

* every collect records, per assignment, which student had which participant number
  (`reports/<assignment>/moodle_participants.json`); `course report` writes the assignment's
  grading worksheet from it (`moodle_worksheet.csv`, "Identifier" = "Participant 101"), which
  Moodle's *Upload grading worksheet* takes back for that assignment;
* where the gradebook holds the class list (`course roster`, e.g. Moodle's own participants
  export), a Moodle submission goes to the roster student of the same full name (case and
  accents aside), so a student keeps one id in every assignment.  A name that fits several
  roster students, or two submissions that would land on one roster student, are not linked
  (they keep the participant number) and are said so.  Without a roster, the id is the
  participant number of that assignment.
"""
from __future__ import annotations

import html
import json
import re
from pathlib import Path

from ..course_folder import Course
from ..i18n import _
from .archive import Upload
from .names import folded
from .outcome import Outcome

FILE = "moodle_participants.json"


def path(course: Course, assignment: str) -> Path:
    return course.reports_dir(assignment) / FILE


def load(course: Course, assignment: str) -> dict[str, dict]:
    """{student: {"participant": "101", "name": "Ana Souza"}} recorded for `assignment`."""
    try:
        return json.loads(path(course, assignment).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def save(course: Course, assignment: str, outcomes: list[Outcome]) -> None:
    """Add this export's participant numbers to what earlier collects recorded."""
    found = {o.student: {"participant": o.moodle, "name": str(o.name or "")}
             for o in outcomes if o.accepted and o.moodle}
    if not found:
        return
    known = load(course, assignment)
    for student, entry in found.items():  # a student now known by another id loses the old one
        for old in [s for s, e in known.items() if e.get("participant") == entry["participant"]]:
            del known[old]
    known.update(found)
    target = path(course, assignment)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(known, ensure_ascii=False, indent=1, sort_keys=True),
                      encoding="utf-8")


def _roster(course: Course) -> dict[str, list[str]]:
    """{plain full name: [student ids]} of the students a roster brought (`roster.listed`),
    with the names the gradebook holds for them now."""
    from .roster import listed

    ids = listed(course)
    if not ids:
        return {}
    index: dict[str, list[str]] = {}
    with course.gradebook() as gb:
        for s in gb.students:
            full = folded(f"{s.first_name or ''} {s.last_name or ''}")
            if full and s.id in ids:
                index.setdefault(full, []).append(s.id)
    return index


def link_to_roster(course: Course, outcomes: list[Outcome]) -> None:
    """Moodle submissions to the roster student of the same name (see the module docstring);
    what was done, or why not, goes in each outcome's notes."""
    # rejected files too: a wrong notebook is told under the student's roster id, and the
    # roster check then knows that student sent something
    mine = [o for o in outcomes if not o.skipped and o.student is not None and o.moodle
            and o.name is not None]
    if not mine:
        return
    index = _roster(course)
    if not index:
        return
    target: dict[int, str] = {}
    for out in mine:
        ids = sorted(index.get(folded(str(out.name)), []))
        if len(ids) == 1:
            target[id(out)] = ids[0]
        elif len(ids) > 1:
            out.notes = _join(out.notes, _(
                "the name {name} fits several roster students ({ids}): kept Moodle's "
                "participant number; set the id with --id-pattern or edit the roster",
                name=str(out.name), ids=", ".join(ids)))
    by_roster: dict[str, set[str]] = {}
    for out in mine:
        if id(out) in target:
            by_roster.setdefault(target[id(out)], set()).add(out.moodle)
    for out in mine:
        student = target.get(id(out))
        if student is None:
            continue
        if len(by_roster[student]) > 1:
            out.notes = _join(out.notes, _(
                "participants {numbers} of this export share the name of roster student "
                "{student}: none is linked to it", numbers=", ".join(sorted(by_roster[student])),
                student=student))
            continue
        out.student, out.id_is_name = student, False
        out.notes = _join(out.notes, _("Moodle participant {number}: roster student {student} "
                                       "(same name)", number=out.moodle, student=student))


def _join(*notes: str) -> str:
    return "; ".join(n for n in notes if n)


# --- online text ---------------------------------------------------------------------------
ONLINE_TEXT = "_assignsubmission_onlinetext_"
LINK = re.compile(r"https?://(?:colab\.research\.google\.com|drive\.google\.com|"
                  r"docs\.google\.com|github\.com|gist\.github\.com)/[^\s\"'<>]+")
TEXT_MAX = 256 * 1024


def online_text(upload: Upload) -> str | None:
    """Why a Moodle "online text" (`Ana Souza_101_assignsubmission_onlinetext_/onlinetext.html`,
    what the student typed on the submission page) is not collected, naming the Colab, Drive
    or GitHub links it holds: the notebook is there, not in the export.  None for other files."""
    if ONLINE_TEXT not in upload.path:
        return None
    return with_links(_("Moodle's online text (what the student typed on the submission "
                         "page), not a notebook file"), upload, as_html=True)


def with_links(reason: str, upload: Upload, as_html: bool = False) -> str:
    """`reason`, naming the Colab, Drive or GitHub links the small text file `upload` holds
    (what a student typed in an LMS's submission field instead of handing in the file)."""
    links: list[str] = []
    if upload.refused is None and upload.size <= TEXT_MAX:
        try:
            text = upload.read().decode("utf-8-sig", errors="replace")
            links = list(dict.fromkeys(LINK.findall(html.unescape(text) if as_html else text)))
        except ValueError:
            pass
    if links:
        reason += "; " + _("it holds a link, so the notebook is there and not in this export: "
                           "{links}", links=" ".join(links[:3]))
    return reason
