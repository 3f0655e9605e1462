"""When each notebook was handed in, recorded where nbgrader looks for it.

nbgrader's own `collect` leaves `submitted/<student>/<a>/timestamp.txt`, and `autograde` reads
it (`CourseDirectory.get_existing_timestamp` → `utils.parse_utc`) into the submission's
`timestamp`; the late penalty is computed from it and the due date (see `late_policy`).
`course collect` writes the same file, in the format of nbgrader's exchange
(`Exchange.timestamp_format`, "%Y-%m-%d %H:%M:%S.%f %Z"), always in UTC:
"2026-12-11 02:59:00.000000 UTC".  (Not in the local zone: `parse_utc` reads a numeric zone
such as "-03", which `%Z` writes for America/Sao_Paulo, as that many *seconds*.)

The time is what the export says:

* a zip entry's time: a wall-clock time with no zone (the zip format has none).  It is read in
  the course's zone (`--timezone`, else `c.CourseLatePolicy.timezone`, else this computer's):
  that must be the zone of the LMS that wrote the zip, usually the instructor's;
* Sakai's own `timestamp.txt` in the student's folder, where there is one (see `lms`): the
  time the LMS recorded, a wall clock read in the course's zone like a zip entry's (the zip's
  entry times may be those of the download);
* a file in a folder: its modification time, an absolute instant.  Unzipping keeps the zip's
  times (read in the zone of the computer that unzipped); copying or downloading a file anew
  may not, in which case the folder's times say when it was copied, not submitted.

An entry with no usable time (a zeroed DOS date) gets no timestamp.txt: nbgrader then treats
the submission as on time.
"""
from __future__ import annotations

from datetime import datetime, timezone, tzinfo
from pathlib import Path

from ..late_policy import localize
from .archive import Upload

FILE = "timestamp.txt"
FORMAT = "%Y-%m-%d %H:%M:%S.%f %Z"  # nbgrader's Exchange.timestamp_format
NO_TIME = (1980, 1, 1, 0, 0, 0)  # the zip format's earliest time: what tools write for "none"


def submitted_at(upload: Upload, tz: tzinfo | None,
                 lms_time: datetime | None = None) -> datetime | None:
    """The upload's time as an aware datetime; None when the export holds no usable time.
    `lms_time`: the LMS's own record (a wall clock without zone), which wins."""
    if lms_time is not None:
        try:
            return localize(lms_time, tz)
        except (ValueError, OverflowError, OSError):
            pass
    if upload.date_time is not None:
        if tuple(upload.date_time) <= NO_TIME:
            return None
        try:
            return localize(datetime(*upload.date_time), tz)
        except (ValueError, OverflowError, OSError):
            return None
    if upload.mtime <= 0:
        return None
    try:
        return datetime.fromtimestamp(upload.mtime, timezone.utc)
    except (ValueError, OverflowError, OSError):
        return None


def read(folder: Path) -> datetime | None:
    """The time `folder/timestamp.txt` holds (as `write` writes it); None without one."""
    try:
        found = (folder / FILE).read_text(encoding="utf-8").strip()
        return datetime.strptime(found, FORMAT).replace(tzinfo=timezone.utc)  # as `text` writes
    except (OSError, ValueError):
        return None


def text(when: datetime) -> str:
    """What timestamp.txt holds for `when`: '2026-12-11 02:59:00.000000 UTC'."""
    return when.astimezone(timezone.utc).strftime(FORMAT)


def write(folder: Path, when: datetime | None) -> None:
    """`folder/timestamp.txt` for `when`; without a time, no file (an old one is removed)."""
    path = folder / FILE
    if when is None:
        path.unlink(missing_ok=True)
    else:
        path.write_text(text(when) + "\n", encoding="utf-8")
