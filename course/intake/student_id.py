"""Which student a file of an LMS export is, from its path alone: the id patterns (see
`collect`'s docstring for the list), and the name an export carries beside the id."""
from __future__ import annotations

import re
from dataclasses import dataclass

from nbformat import NotebookNode

from ..course_folder import CourseError
from ..i18n import _
from . import lms, names
from .identify import COLAB_TITLE_START, COPY_PREFIX, clean_name
from .layout import FILE_NAMED_BY_STUDENT, identity_path, named_by_student

# (?P<name>) is the student's name (a folder looks like one only as two or more words of
# letters); (?P<late>) is the LMS's own late mark.
DEFAULT_ID_PATTERNS = [
    r"(?:^|/)(?P<name>[^/]*)_(?P<student>\d+)_assignsubmission_",
    r"(?:^|/)[^/]*?_(?P<late>(?i:late)_)?(?<!_(?:19|20)\d\d_)"
    r"(?!(?:19|20)\d\d_[01]?\d_[0-3]?\d(?:\D|$))(?P<student>\d+)_\d+_[^/]+$",
    r"(?:^|/)[^/]*_(?P<student>[^_/]+)_attempt_\d{4}(?:-\d\d){5}(?:[_.][^/]*)?$",
    r"(?:^|/)\d+-(?P<student>\d+) - (?P<name>[^/]+?) - [^/]*?\d{4}[^/]*?(?: - [^/]+|/[^/]+)$",
    r"(?:^|/)(?P<student>(?P<name>[^/]+?)) - "
    r"(?!(?i:copy|c[oó]pia|copie)(?:\s*\(\d+\))?\.ipynb$)(?P<other>[^/]+)$",
    r"(?P<student>(?P<name>[^\W\d_/]+(?:[ '’.-]+[^\W\d_/]+)+)|[^/]+)/[^/]+$",
]


def classroom_other_side(other: str, sources) -> str:
    """The student in a Drive name whose first side is the assignment's notebook (`01_graph_pt
    - Ana Souza (1).ipynb` -> `Ana Souza`); "" when that side names an assignment too.  The
    rest of Colab's tab title goes with the assignment's side (`01_graph_pt.ipynb -
    Colaboratory - Ana Souza.ipynb` -> `Ana Souza`)."""
    text = COLAB_TITLE_START.sub("", clean_name(COPY_PREFIX.sub("", other.strip())))
    return "" if text in sources else text


def compile_patterns(patterns: list[str] | None) -> list[re.Pattern]:
    compiled = []
    for pattern in patterns or DEFAULT_ID_PATTERNS:
        try:
            rx = re.compile(pattern)
        except re.error as exc:
            raise CourseError(_("--id-pattern {pattern!r} is not a valid regex: {error}",
                                pattern=pattern, error=exc)) from None
        if "student" not in rx.groupindex:
            raise CourseError(_("--id-pattern {pattern!r} has no (?P<student>...) group",
                                pattern=pattern))
        compiled.append(rx)
    return compiled


@dataclass(frozen=True)
class Identity:
    student: str | None  # the id, made safe (names.safe_id); None: no pattern names one
    name: "names.Name | None"  # the full name the export carries, if any
    lms_late: bool = False  # the LMS's own "late" mark (Canvas's LATE)
    id_is_name: bool = False  # the id is the student's name (Classroom, a folder, a file)
    moodle: str = ""  # Moodle's participant number


def identity(path: str, sources: dict[str, NotebookNode], patterns: list[re.Pattern],
             level: int | None = None, defaults: bool = True, in_class_folder: bool = False,
             blackboard: dict[str, tuple[str, str | None]] | None = None,
             groups: set[str] | None = None) -> Identity:
    """The student of the file at `path` (relative to the export, `/` separators), by the
    first pattern that names one: `patterns` (compile_patterns; the defaults when `defaults`)
    tried where `layout.identity_path` says; `blackboard`: Blackboard's usernames and names by
    path; `groups`: Moodle's group names (not part of a student's name)."""
    where, tried = identity_path(path, level, patterns, defaults, in_class_folder)
    found, raw, by = None, "", None
    for rx in tried:
        match = rx.search(where)
        text = COPY_PREFIX.sub("", match.group("student") or "").strip() if match else ""
        if not text:
            continue
        if rx is FILE_NAMED_BY_STUDENT and not named_by_student(text, sources):
            continue  # `Copy of 01_graph_pt (1).ipynb`: no student in that name
        if defaults and rx is patterns[4] and clean_name(text) in sources:
            # Drive names a copy `<assignment> - Ana Souza.ipynb` too: the student is the side
            # that is not the assignment's notebook
            text = classroom_other_side(match.group("other"), sources)
            if not text:
                break  # `01_graph_pt - Cópia de 01_graph_pt.ipynb` names no one
        if defaults and clean_name(text) in sources:
            continue  # an assignment's name (a folder, a file, a copy) is never a student
        found, raw, by = match, text, rx
        break
    fields = dict(found.groupdict()) if found else {}
    if by is not None and defaults and by is patterns[4]:
        fields["student"] = fields["name"] = raw
    if defaults and by is patterns[2] and path in (blackboard or {}):
        raw, sidecar_name = blackboard[path]  # Blackboard: the username, in full
        fields["name"] = sidecar_name or fields.get("name")
    if defaults and by is patterns[0] and fields.get("name"):
        fields["name"] = lms.without_group(fields["name"], groups or set())
    student = names.safe_id(raw) if raw else None
    id_is_name = by is FILE_NAMED_BY_STUDENT or (
        bool(fields.get("name")) and fields.get("name") == fields.get("student"))
    if fields.get("name"):
        fields["name"] = COPY_PREFIX.sub("", fields["name"])
    return Identity(student, names.exported_name(fields.get("name")), bool(fields.get("late")),
                    id_is_name, str(found.group("student")) if defaults and by is patterns[0]
                    else "")
