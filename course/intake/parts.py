"""An export in several parts, read as one: Google Drive splits a large "Download all" into
`drive-download-20261209T101500Z-001.zip`, `-002.zip`…, each holding some files of the same
folders (one student's notebooks can be in two parts), and an instructor may also have a
folder and a zip of late submissions for the same assignment.

Collected part by part, the second run would replace what the first kept for a student with
whatever the second part holds, even an older copy, since each run sees only its own files.
Given all at once (`course collect A part1.zip part2.zip`), the parts are one export: every
rule that picks one notebook per student (newest, on time) sees all of them.

Decisions: a file path present in two parts stops the collect before anything is written
(the same zip given twice, or parts of two different downloads: which copy is meant cannot
be told, and guessing could drop a student's notebook); a Drive part given without the other
parts lying beside it is collected, with a warning naming the parts left out."""
from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from ..course_folder import CourseError
from ..i18n import _
from .archive import Upload, uploads

# Drive's split download: drive-download-<UTC time>-<part>.zip (a browser may add " (1)")
DRIVE_PART = re.compile(r"^(?P<stem>drive-download-\d{8}T\d{6}Z)-(?P<part>\d{3})"
                        r"(?: \(\d+\))?\.zip$", re.IGNORECASE)


@contextmanager
def uploads_of(paths: list[Path], max_bytes: int) -> Iterator[list[Upload]]:
    """The files of every part, as one export (see archive.uploads for one part)."""
    with ExitStack() as stack:
        found: list[Upload] = []
        where: dict[str, Path] = {}
        for path in paths:
            for upload in stack.enter_context(uploads(path, max_bytes)):
                if upload.path in where:
                    raise CourseError(_(
                        "{file} is in both {first} and {second}: give each part of an export "
                        "once (nothing was collected)", file=upload.path,
                        first=where[upload.path], second=path))
                where[upload.path] = path
                found.append(upload)
        yield sorted(found, key=lambda u: u.path)


def missing_parts(paths: list[Path]) -> list[Path]:
    """Parts of a Drive download lying beside a given part but not given themselves."""
    given = {p.resolve() for p in paths}
    missing: set[Path] = set()
    for path in paths:
        match = DRIVE_PART.match(path.name)
        if not match or not path.is_file():
            continue
        for sibling in path.parent.iterdir():
            other = DRIVE_PART.match(sibling.name)
            if other and other["stem"].lower() == match["stem"].lower() and \
                    sibling.resolve() not in given:
                missing.add(sibling)
    return sorted(missing)


def warning(paths: list[Path]) -> str:
    """What to print when parts of a Drive download were left out ('' when none were)."""
    missing = missing_parts(paths)
    if not missing:
        return ""
    return _("WARNING: {missing} beside it is another part of the same Google Drive download "
             "and was not given: collect all the parts in one command (`course collect "
             "ASSIGNMENT part-001.zip part-002.zip …`), or a student's newest notebook may be "
             "in the part left out", missing=", ".join(str(p) for p in missing))
