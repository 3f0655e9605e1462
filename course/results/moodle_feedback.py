"""The feedback pages as the zip Moodle takes back: `reports/<assignment>/moodle_feedback.zip`.

Moodle's "Upload multiple feedback files in a zip" (the assignment → View all submissions →
Grading action; the assignment needs "Feedback files" among its feedback types) gives each
file to the student whose *participant number* a folder of the zip names, the way its own
"Download all submissions" names them: `Ana Souza_101_assignfeedback_file_/page.html`.
Moodle splits that folder name at its first underscores and reads only the number after the
first one (`assignfeedback_file_zip_importer::is_valid_filename_for_import`), so the name
before it is written without underscores.  The numbers are those `collect` recorded for this
assignment (`moodle_participants.json`); a student collected from another LMS, or whose
participant number is not known, has no entry in the zip, and `course feedback` says so.
Entries carry a fixed date, so the same pages always make the same zip.
"""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

from ..course_folder import Course
from .grade_exports import moodle_participants

FILE = "moodle_feedback.zip"
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)
_NOT_IN_NAME = re.compile(r"[_/\\\x00-\x1f]+")


def folder_name(full_name: str, participant: str) -> str:
    """The zip folder Moodle reads as participant `participant`'s feedback files."""
    name = " ".join(_NOT_IN_NAME.sub(" ", full_name).split()) or "student"
    return f"{name}_{participant}_assignfeedback_file_"


def write(course: Course, assignment: str,
          pages: dict[str, Path]) -> tuple[Path | None, list[str]]:
    """The zip of `pages` ({student: feedback page}) for the students with a Moodle
    participant number in `assignment`, and the students left out (sorted).  No participant
    at all: no zip (and a stale one is removed: it would return earlier pages)."""
    participants = moodle_participants(course, assignment)
    inside = {s: p for s, p in pages.items()
              if isinstance(participants.get(s), dict)
              and str(participants[s].get("participant", "")).isdigit()}
    out = course.reports_dir(assignment) / FILE
    if not inside:
        if out.exists():
            out.unlink()
        return None, sorted(pages) if participants else []
    out.parent.mkdir(parents=True, exist_ok=True)
    staged = out.with_name(out.name + ".part")
    with zipfile.ZipFile(staged, "w", zipfile.ZIP_DEFLATED) as zf:
        for student in sorted(inside):
            entry = participants[student]
            folder = folder_name(str(entry.get("name") or ""), str(entry["participant"]))
            info = zipfile.ZipInfo(f"{folder}/{pages[student].name}", date_time=_FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, pages[student].read_bytes())
    staged.replace(out)
    return out, sorted(set(pages) - set(inside))
