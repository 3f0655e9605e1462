"""The scan's entry points: every code cell of a submission, against the release notebook the
student was given (the lesson's own cells are read for their bindings, not flagged)."""
from __future__ import annotations

import re
import time
from dataclasses import dataclass

from ...cells import HELPER_GRADE_ID, HIDDEN_MARKERS, defined_names, grade_id, role
from .scanner import Scanner, ScanTimeout
from .text import short

#: seconds one notebook's scan may take.  An honest notebook takes a few milliseconds; the
#: scan runs before anyone is graded, so a notebook built to stall it must not hold up the
#: class: past this its remaining cells are left unscanned and a flag says so.
SCAN_BUDGET_S = 5.0


@dataclass(frozen=True)
class Flag:
    cell: str    # the cell's nbgrader grade_id if it has one, else f"cell {index}" (1-based)
    line: int    # 1-based line inside the cell
    kind: str    # a short stable id (see KINDS)
    detail: str  # one English sentence for the instructor, quoting the offending code


def scan_source(source: str) -> list[tuple[int, str, str]]:
    """(line, kind, detail) for one cell's source, as a fresh kernel would run it."""
    return Scanner().scan(source)


def _text(cell) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


# HTML in a markdown cell that would run, not show: formgrader's template renders written
# answers as they are (it ignores nbconvert's sanitize_html for markdown), in the grader's
# session.  The course's nbgrader_config.py defuses it (SanitizeHTML, no harmful link
# schemes); the flag stays, for a formgrader run without that file and for the instructor
# to know who tried.
_ACTIVE_HTML = re.compile(r"<\s*(script|iframe|object|embed|frame|base|meta|link|form|svg)\b"
                          r"|\son[a-z]+\s*=|javascript\s*:", re.IGNORECASE)


def _active_html(cell, index: int, released) -> list[Flag]:
    """A flag for a markdown cell the student wrote (not one of the release's) holding HTML
    that would run in the grader's browser."""
    source = _text(cell)
    found = _ACTIVE_HTML.search(source)
    if found is None or any(c.get("cell_type") == "markdown" and _text(c) == source
                            for c in (released or {"cells": []})["cells"]):
        return []
    line = source.count("\n", 0, found.start()) + 1
    quoted = source.splitlines()[line - 1] if source.splitlines() else source
    return [Flag(grade_id(cell) or f"cell {index}", line, "active_html",
                 "Writes HTML or a link that would run in the grader's browser when formgrader "
                 "shows this markdown cell without the course's nbgrader_config.py (it could set "
                 f"scores there): `{short(quoted.strip())}`.")]


def _lesson_key(source: str) -> str:
    return "\n".join(line.rstrip() for line in source.strip().splitlines())


def _without_hidden_tests(source: str) -> str:
    """The cell with its hidden-test blocks blanked out (line numbers kept)."""
    out, inside = [], False
    for line in source.splitlines():
        marker = line.strip()
        if marker == HIDDEN_MARKERS[0]:
            inside = True
        out.append("" if inside else line)
        if marker == HIDDEN_MARKERS[1]:
            inside = False
    return "\n".join(out)


def _is_course_helper(cell) -> bool:
    """The build's locked helper cell (it hands IPython a NotImplementedError handler, which
    the scan would flag in a student's code).  Whatever a submission holds there, grading
    runs the course's own: nbgrader's OverwriteCells restores every locked cell."""
    return grade_id(cell) == HELPER_GRADE_ID and role(cell) == "locked"


def scan_notebook(nb, released=None, budget_s: float = SCAN_BUDGET_S) -> list[Flag]:
    """Flags for every code cell of a student's notebook, in order.  Code cells identical to a
    code cell of `released` (the release notebook the student was given) are the lesson's own
    and are not scanned, only read for the names they bind.

    A submission's metadata is the student's to edit, so with `released` nothing is exempted
    by it: a cell tagged as the helper or as a test cell is scanned like any other (an extra
    copy of one is run as student code once repair has de-duplicated it), except the lines of
    a helper-tagged cell that are the released helper's own.  Without `released` (the
    instructor's own notebooks) hidden-test blocks in test cells and the helper are skipped.

    Past `budget_s` seconds the scan stops with a `scan_incomplete` flag on the cell it had
    reached, which names how many code cells were left unscanned."""
    reference = released if released is not None else nb
    lesson = {_lesson_key(_text(c)) for c in (released or {"cells": []})["cells"]
              if c.get("cell_type") == "code"}
    helper_lines = {line.strip() for c in (released or {"cells": []})["cells"]
                    if c.get("cell_type") == "code" and _is_course_helper(c)
                    for line in _text(c).splitlines()}
    protected = set()
    for cell in reference["cells"]:
        if cell.get("cell_type") == "code" and role(cell) == "locked":
            protected |= defined_names(_text(cell))
    scanner, flags = Scanner(), []
    start = time.monotonic()
    scanner.deadline = start + budget_s
    for index, cell in enumerate(nb["cells"], 1):
        if cell.get("cell_type") == "markdown" and released is not None:
            flags += _active_html(cell, index, released)
        if cell.get("cell_type") != "code":
            continue
        try:
            flags += _scan_cell(scanner, cell, index, released, lesson, helper_lines, protected)
        except ScanTimeout:
            left = sum(c.get("cell_type") == "code" for c in nb["cells"][index:])
            first = (_text(cell).strip().splitlines() or [""])[0]
            flags.append(Flag(grade_id(cell) or f"cell {index}", 1, "scan_incomplete",
                              f"The scan stopped at this cell after "
                              f"{time.monotonic() - start:.1f} s (its limit per notebook is "
                              f"{budget_s:g} s): this cell and the {left} code cell(s) "
                              f"after it were not scanned: `{short(first)}`."))
            break
    return flags


def _scan_cell(scanner: Scanner, cell, index: int, released, lesson: set[str],
               helper_lines: set[str], protected: set[str]) -> list[Flag]:
    """One code cell's flags (none for the lesson's own cells, which only bind names)."""
    source = _text(cell)
    trusted = released is None
    if trusted and role(cell) == "test":
        source = _without_hidden_tests(source)
    # a locked cell may define the names it protects
    scanner.protected = frozenset() if role(cell) == "locked" else frozenset(protected)
    found = scanner.scan(source)  # the lesson's own cells too: they bind names
    if _lesson_key(_text(cell)) in lesson or (trusted and _is_course_helper(cell)):
        return []
    if _is_course_helper(cell):  # an edited helper: what the student added or changed
        lines = source.splitlines()
        found = [f for f in found
                 if not (0 < f[0] <= len(lines) and lines[f[0] - 1].strip() in helper_lines)]
    name = grade_id(cell) or f"cell {index}"
    return [Flag(name, line, kind, detail) for line, kind, detail in found]
