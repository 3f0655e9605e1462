"""Which assignment a notebook is, from its content rather than its file name.

Students and Colab rename files ("Copy of …", "… (1)"), so the name is only a tie-breaker.
The stamp `course build` writes (metadata.course.assignment) decides when it names one of the
course's assignments; otherwise
the notebook is compared with every source notebook: answer cells found (by grade_id or by the
`def`/name they define) and instructor cells found verbatim (markdown, helper and test cells —
these differ between the pt and es notebooks of a lesson, whose code is shared).
"""
from __future__ import annotations

import re

import nbformat
from nbformat import NotebookNode

from ..cells import defined_names, nbgrader_meta, normalized
from ..course_folder import Course
from ..i18n import _
from .matching import expected_cells

# Colab, Google Drive and operating systems rename downloads and copies like this.
COPY_PREFIX = re.compile(r"^(?:copy of|c[oó]pia de|copie de)\s+", re.I)
COPY_SUFFIX = re.compile(r"(?:\s*\(\d+\)|\s+-\s+(?:copy|c[oó]pia|copie)(?:\s*\(\d+\))?)$", re.I)
# Colab's browser-tab title, `01_graph_pt.ipynb - Colab` (`- Colaboratory` before 2024), kept
# in a file name when a student names the download after the tab.
COLAB_TITLE = re.compile(r"(?:\.ipynb)?\s+-\s+colab(?:oratory)?$", re.I)
COLAB_TITLE_START = re.compile(r"^colab(?:oratory)?(?:\s+-\s+|$)", re.I)


def clean_name(filename: str) -> str:
    """'Copy of 01_graph_pt (1).ipynb' -> '01_graph_pt': the name before it was copied (or
    named after Colab's tab: '01_graph_pt.ipynb - Colab.ipynb' -> '01_graph_pt')."""
    stem = filename.rsplit("/", 1)[-1]
    stem = stem[:-len(".ipynb")] if stem.lower().endswith(".ipynb") else stem
    previous = None
    while previous != stem:
        previous = stem
        stem = COPY_SUFFIX.sub("", COPY_PREFIX.sub("", stem.strip())).strip()
        stem = COLAB_TITLE.sub("", stem).strip()
    return stem


def source_notebooks(course: Course) -> dict[str, NotebookNode]:
    """{assignment: instructor notebook} for every `source/<a>/<a>.ipynb` of the course."""
    out = {}
    for path in sorted(course.source_dir.glob("*/*.ipynb")):
        if path.stem == path.parent.name:
            out[path.stem] = nbformat.read(path, as_version=4)
    return out


def stamped_assignment(nb: NotebookNode) -> str | None:
    return nb.get("metadata", {}).get("course", {}).get("assignment") or None


_EXPECTED: dict[int, tuple[NotebookNode, list]] = {}  # id(source) -> (source, its cells)


def _expected(source_nb: NotebookNode) -> list:
    """expected_cells, computed once per source notebook (kept alive, so ids stay unique)."""
    if id(source_nb) not in _EXPECTED:
        _EXPECTED[id(source_nb)] = (source_nb, expected_cells(source_nb))
    return _EXPECTED[id(source_nb)][1]


class Contents:
    """What a notebook holds, gathered once to compare it with every source notebook."""

    def __init__(self, nb: NotebookNode):
        self.tags = {nbgrader_meta(c).get("grade_id") for c in nb.cells}
        self.defined = set().union(*(defined_names(c.source) for c in nb.cells
                                     if c.cell_type == "code"))
        self.texts = {normalized(c.source) for c in nb.cells}

    def resemblance(self, source_nb: NotebookNode) -> tuple[int, int]:
        """(answer cells found, instructor cells found verbatim) of `source_nb`."""
        answers = verbatim = 0
        for exp in _expected(source_nb):
            if exp.role == "answer":
                answers += exp.grade_id in self.tags or bool(exp.names & self.defined)
            elif exp.role != "manual":
                verbatim += bool(exp.texts & self.texts)
        return answers, verbatim


def identify(nb: NotebookNode, sources: dict[str, NotebookNode],
             filename: str = "") -> tuple[str | None, str]:
    """(assignment or None, how it was told).  The stamp wins; else the source notebook the
    content resembles most (at least one answer cell found); a tie goes to the file name."""
    stamped = stamped_assignment(nb)
    if stamped and stamped in sources:
        return stamped, "stamp"
    # a stamp naming no assignment of this course (a release of an older name, another
    # course's) tells nothing: the content decides
    contents = Contents(nb)
    scores = {a: contents.resemblance(src) for a, src in sources.items()}
    scores = {a: s for a, s in scores.items() if s[0] > 0}
    if not scores:
        return None, "content"
    best = max(scores.values())
    tied = [a for a, s in scores.items() if s == best]
    if len(tied) == 1:
        return tied[0], "content"
    named = [a for a in tied if a in clean_name(filename)]
    if len(named) == 1:
        return named[0], "content and name"
    first, *rest = sorted(tied)
    return None, _("content: as much like {one} as {other}", one=first, other=", ".join(rest))
