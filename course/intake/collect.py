"""`course collect ASSIGNMENT PATH`: an LMS export (folder or .zip) -> nbgrader's
`submitted/<student>/<assignment>/<assignment>.ipynb`, with a reason for every file left out.

The student id comes from each file's path (relative to PATH, with `/`), by the first of these
regexes that matches (`--id-pattern` replaces them; each needs a `(?P<student>...)` group):

1. Moodle: `Ana Souza_12345_assignsubmission_file_/x.ipynb` (folder or file prefix) -> 12345
   (Moodle's participant number, the "Identifier" of its grading worksheet)
2. Canvas: `souzaana_12345_67890_x.ipynb`, `souzaana_LATE_12345_67890_x.ipynb` -> 12345
3. Google Classroom copies: `Ana Souza - 01_graph_pt.ipynb` -> Ana_Souza
4. one folder per student, the file's folder: `…/Ana Souza/Copy of x.ipynb` -> Ana_Souza

Characters other than letters, digits, `.`, `@`, `-` and `_` become `_` (ids are folder names
and nbgrader globs).  Which notebook a file is comes from its content (see `identify`), not its
name: a notebook of another assignment (e.g. the es version of a pt assignment) is rejected.
When a student has several notebooks, the newest (zip entry time or file mtime; equal times:
the last path in sorted order) is kept and the others are rejected as superseded.  Accepted
notebooks are written normalized to nbformat 4.5 (Colab saves 4.0 without cell ids); the
originals are only read.  Every rejection and rename goes to the attention log.

No file can blow up the intake or decide where anything is written: files over `--max-file-mb`
(50 MB by default) and zip bombs are refused unread, what is read is streamed and capped, and
a zip inside the export is not opened (see `archive`); one bad file is rejected with its reason
and the others are collected.  The output path is built from the student id and the assignment
only, never from a path in the export, and ids never hold `/` or `..`.
"""
from __future__ import annotations

import json
import math
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import nbformat
from nbformat import NotebookNode

from .. import attention
from ..course_folder import Course, CourseError, parse_assignment
from .archive import DEFAULT_MAX_MB, MB, Upload, uploads
from .identify import clean_name, identify, source_notebooks

DEFAULT_ID_PATTERNS = [
    r"(?:^|/)[^/]*_(?P<student>\d+)_assignsubmission_",
    r"(?:^|/)[^/_]+_(?:(?i:late)_)?(?P<student>\d+)_\d+_[^/]+$",
    r"(?:^|/)(?P<student>[^/]+?) - (?!(?i:copy|c[oó]pia|copie)(?:\s*\(\d+\))?\.ipynb$)[^/]+$",
    r"(?P<student>[^/]+)/[^/]+$",
]


@dataclass
class Outcome:
    upload: Upload
    student: str | None
    reason: str | None = None  # why it was rejected; None when accepted
    notes: str = ""

    @property
    def accepted(self) -> bool:
        return self.reason is None


def compile_patterns(patterns: list[str] | None) -> list[re.Pattern]:
    compiled = []
    for pattern in patterns or DEFAULT_ID_PATTERNS:
        try:
            rx = re.compile(pattern)
        except re.error as exc:
            raise CourseError(f"--id-pattern {pattern!r} is not a valid regex: {exc}") from None
        if "student" not in rx.groupindex:
            raise CourseError(f"--id-pattern {pattern!r} has no (?P<student>...) group")
        compiled.append(rx)
    return compiled


def student_id(path: str, patterns: list[re.Pattern]) -> str | None:
    """The first pattern's `student` group, made safe as a folder name and nbgrader id: one
    path component, without `/` or `..` (it names the folder a notebook is written to)."""
    for rx in patterns:
        found = rx.search(path)
        if found and found.group("student"):
            raw = unicodedata.normalize("NFC", found.group("student").strip())
            safe = re.sub(r"\.{2,}", ".", re.sub(r"[^\w.@-]+", "_", raw))
            return safe.strip("_.") or None
    return None


def read_notebook(upload: Upload) -> tuple[NotebookNode, str]:
    """(the upload as an nbformat 4.5 notebook, what normalizing changed); ValueError says
    why it is not a notebook."""
    suffix = PurePosixPath(upload.path).suffix.lower()
    if suffix != ".ipynb":
        raise ValueError(f"not a notebook: {suffix or 'no extension'} file")
    data = upload.read()  # capped at the size limit; ValueError says why it was not read
    text = data.decode("utf-8-sig", errors="replace")
    if not text.strip():
        raise ValueError("empty file")
    try:
        raw = json.loads(text)
    except json.JSONDecodeError:
        raise ValueError("not a notebook: the file is not JSON") from None
    except RecursionError:
        raise ValueError("not a notebook: JSON nested too deeply") from None
    if not (isinstance(raw, dict) and isinstance(raw.get("cells"), list)
            and isinstance(raw.get("nbformat"), int)):
        raise ValueError("not a notebook: JSON without notebook cells")
    version = (raw["nbformat"], raw.get("nbformat_minor"))
    try:
        nb = nbformat.reads(text, as_version=4)
        nb = nbformat.v4.upgrade(nb)  # 4.0-4.4 (Colab) -> 4.5: cell ids
        _, nb = nbformat.validator.normalize(nb)
        nb = nbformat.from_dict(nb)
        nbformat.validate(nb)
    except Exception as exc:  # nbformat raises several kinds; the message is what matters
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ValueError(f"not a valid notebook: {first}") from None
    return nb, ("" if version == (4, 5) else f"nbformat {version[0]}.{version[1]} -> 4.5")


def examine(upload: Upload, assignment: str, sources: dict[str, NotebookNode],
            patterns: list[re.Pattern]) -> Outcome:
    student = student_id(upload.path, patterns)
    out = Outcome(upload, student)
    if upload.refused:
        out.reason = upload.refused
        return out
    try:
        nb, out.notes = read_notebook(upload)
    except ValueError as exc:
        out.reason = str(exc)
        return out
    if student is None:
        out.reason = "no student id in its path (no --id-pattern matched)"
        return out
    found, how = identify(nb, sources, upload.path)
    if found is None and how == "content":
        out.reason = "not a notebook of this course (no answer cell of any assignment found)"
    elif found is None:
        out.reason = f"cannot tell which notebook this is (told by its {how})"
    elif found != assignment:
        out.reason = f"notebook of {found}, not {assignment} (told by its {how})"
    return out


def keep_newest(outcomes: list[Outcome]) -> None:
    """One notebook per student: the newest wins, the others are marked superseded."""
    by_student: dict[str, list[Outcome]] = {}
    for out in outcomes:
        if out.accepted:
            by_student.setdefault(out.student, []).append(out)
    for mine in by_student.values():
        mine.sort(key=lambda o: (o.upload.mtime, o.upload.path))
        for old in mine[:-1]:
            old.reason = f"superseded by {mine[-1].upload.path} (only the newest is kept)"


def collect(course: Course, assignment: str, path: Path, id_patterns: list[str] | None = None,
            max_file_mb: float = DEFAULT_MAX_MB) -> list[Outcome]:
    """Map every file of `path` into the course's submitted/ or to a rejection; log both."""
    if not path.exists():
        raise CourseError(f"{path}: no such folder or zip file")
    if not (max_file_mb > 0 and math.isfinite(max_file_mb)):
        raise CourseError(f"--max-file-mb must be a positive number, not {max_file_mb}")
    parse_assignment(assignment)
    sources = source_notebooks(course)
    if assignment not in sources:
        raise CourseError(f"unknown assignment {assignment!r}: no source/{assignment}/"
                         f"{assignment}.ipynb (known: {', '.join(sources) or 'none'})")
    patterns = compile_patterns(id_patterns)
    attention.clear(course, assignment, "collect")
    with uploads(path, int(max_file_mb * MB)) as found:
        outcomes = [examine(u, assignment, sources, patterns) for u in found]
        keep_newest(outcomes)
        write(course, assignment, outcomes)
    return outcomes


def write(course: Course, assignment: str, outcomes: list[Outcome]) -> None:
    """Accepted notebooks into submitted/ (read again: one notebook in memory at a time);
    rejections and renames into the attention log."""
    name = f"{assignment}.ipynb"
    for out in outcomes:
        file = out.upload.path
        if not out.accepted:
            attention.record(course, attention.Entry(assignment, out.student, "rejected",
                                                   out.reason, file=file, step="collect"))
            continue
        dest = course.submitted_notebook(out.student, assignment)
        dest.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(read_notebook(out.upload)[0], dest)
        basename = PurePosixPath(file).name
        if basename != name:
            copied = " (a renamed copy)" if clean_name(basename) == assignment else ""
            attention.record(course, attention.Entry(
                assignment, out.student, "renamed",
                f"{basename!r}{copied} saved as {name}", file=file, step="collect"))
    return outcomes


def render(outcomes: list[Outcome], assignment: str, path: Path) -> str:
    accepted = [o for o in outcomes if o.accepted]
    rows = [("status", "student", "file", "note"), ("------", "-------", "----", "----")]
    for out in sorted(outcomes, key=lambda o: (not o.accepted, o.student or "", o.upload.path)):
        renamed = PurePosixPath(out.upload.path).name != f"{assignment}.ipynb"
        note = "; ".join(n for n in ("renamed" if renamed else "", out.notes) if n)
        rows.append(("accepted" if out.accepted else "rejected", out.student or "-",
                     out.upload.path, note if out.accepted else out.reason))
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r[:3], widths)) + "  " + r[3] for r in rows]
    head = (f"collect {assignment} from {path}: {len(accepted)} accepted, "
            f"{len(outcomes) - len(accepted)} rejected -> submitted/<student>/{assignment}/")
    return "\n".join([head] + [ln.rstrip() for ln in lines])


def main(course: Course, assignment: str, path: str, id_patterns: list[str] | None,
         max_file_mb: float = DEFAULT_MAX_MB) -> int:
    outcomes = collect(course, assignment, Path(path), id_patterns, max_file_mb)
    print(render(outcomes, assignment, Path(path)))
    return 0 if any(o.accepted for o in outcomes) else 1
