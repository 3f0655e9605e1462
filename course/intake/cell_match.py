"""Which submission cell stands for which source cell: the matching half of `repair`.

A submission cell is claimed by a source cell first by its nbgrader metadata or id, then by
its content (the name an answer must define, the text of a locked or test cell), then by its
place between cells already matched, for the cells content alone cannot tell (see repair's
docstring for the decisions: which copy of a duplicated answer is graded, and why).
"""
from __future__ import annotations

import copy
import difflib

from nbformat import NotebookNode

from ..cells import HIDDEN_MARKERS, defined_names, nbgrader_meta, normalized, strip_markers
from ..i18n import N_, _
from .matching import Expected, expected_cells, notebook_lang

SIMILAR_ENOUGH = 0.6  # difflib ratio for an edited locked cell to still count as that cell


class Note(str):
    """One repair, in a sentence; `.cell` is the grade_id it concerns."""

    cell: str | None

    def __new__(cls, text: str, cell: str | None = None):
        note = super().__new__(cls, text)
        note.cell = cell
        return note


class Match:
    """Which submission cell stands for which source cell, by object identity (cells can be
    equal, and positions move as cells are inserted and removed)."""

    def __init__(self, nb: NotebookNode, source_nb: NotebookNode,
                 expected: list[Expected] | None = None):
        self.nb = nb
        self.lang = notebook_lang(source_nb)
        self.expected = expected if expected is not None else expected_cells(source_nb)
        self.cell_of: dict[int, NotebookNode] = {}  # Expected.index -> submission cell
        self.taken: set[int] = set()  # id() of submission cells already matched
        self.removed: set[int] = set()  # id() of submission cells to drop
        self.notes: list[Note] = []

    def position(self, cell: NotebookNode) -> int:
        return next(i for i, c in enumerate(self.nb.cells) if c is cell)

    def free(self, cell: NotebookNode) -> bool:
        untagged = not nbgrader_meta(cell).get("grade_id")
        return untagged and id(cell) not in self.taken | self.removed

    def take(self, exp: Expected, cell: NotebookNode, tag: bool = False) -> None:
        self.cell_of[exp.index] = cell
        self.taken.add(id(cell))
        if tag:
            cell.metadata["nbgrader"] = copy.deepcopy(dict(exp.cell.metadata["nbgrader"]))

    def note(self, text: str, exp: Expected | None = None) -> None:
        self.notes.append(Note(text, exp.grade_id if exp else None))

    def window(self, exp: Expected) -> list[NotebookNode]:
        """Free submission cells of the right type between the matched neighbours of `exp`."""
        lo, hi = self.neighbours(exp)
        return [c for c in self.nb.cells[lo + 1:hi]
                if self.free(c) and c.cell_type == exp.cell.cell_type]

    def neighbours(self, exp: Expected) -> tuple[int, int]:
        before = [self.position(self.cell_of[e.index]) for e in self.expected
                  if e.index < exp.index and e.index in self.cell_of]
        after = [self.position(self.cell_of[e.index]) for e in self.expected
                 if e.index > exp.index and e.index in self.cell_of]
        return (max(before) if before else -1), (min(after) if after else len(self.nb.cells))


def _ids(cell: NotebookNode) -> set[str]:
    return {i for i in (cell.get("id"), cell.get("metadata", {}).get("id")) if i}


def _claims(exp: Expected, cell: NotebookNode, instructor_texts: set[str]) -> bool:
    """Does an untagged submission cell show, by its id or content, that it is `exp`?
    (An answer stub that defines nothing, e.g. for `answer_x = ...`, is found by place.)"""
    if cell.cell_type != exp.cell.cell_type:
        return False
    if exp.grade_id in _ids(cell):
        return True
    text = normalized(cell.source)
    if exp.role == "answer":
        return text not in instructor_texts and bool(exp.names & defined_names(cell.source))
    return exp.role != "manual" and text in exp.texts


def _flags(cell: NotebookNode) -> dict:
    """What nbgrader grades a cell by (and hashes into its checksum): a student who turns a
    test cell's `grade` off or its `solution` on would otherwise make the whole notebook fail
    nbgrader's checksum check ("Inconsistent checksums"), all of it ungraded."""
    meta = nbgrader_meta(cell)
    flags = {key: bool(meta.get(key)) for key in ("grade", "solution", "locked", "task")}
    if flags["grade"]:
        try:
            flags["points"] = float(meta.get("points") or 0)
        except (TypeError, ValueError):
            flags["points"] = meta.get("points")
    return flags


def unchanged(exp: Expected, cell: NotebookNode) -> bool:
    """The release stub of an answer, or an intact locked/test cell."""
    return normalized(cell.source) in exp.texts


def _choose(exp: Expected, candidates: list[NotebookNode],
            tagged: list[NotebookNode]) -> NotebookNode:
    if exp.role in ("test", "locked"):
        return ([c for c in candidates if unchanged(exp, c)] or tagged or candidates)[-1]
    if len(tagged) == 1 and not unchanged(exp, tagged[0]):
        return tagged[0]  # the tagged cell holds an answer: leave it where it is
    answered = [c for c in candidates if not unchanged(exp, c)]
    defining = [c for c in answered if exp.names & defined_names(c.source)]
    return (defining or answered or candidates)[-1]


def match_by_content(m: Match, exp: Expected, instructor_texts: set[str]) -> None:
    tagged = [c for c in m.nb.cells if nbgrader_meta(c).get("grade_id") == exp.grade_id]
    untagged = [c for c in m.nb.cells if m.free(c) and _claims(exp, c, instructor_texts)]
    candidates = [c for c in m.nb.cells if any(c is x for x in tagged + untagged)]
    if not candidates:
        return
    chosen = _choose(exp, candidates, tagged)
    was_tagged = any(chosen is t for t in tagged)
    edited = was_tagged and _flags(chosen) != _flags(exp.cell)
    m.take(exp, chosen, tag=not was_tagged or edited)
    if edited:
        m.note(_("cell {cell} had its nbgrader metadata changed ({changed} instead of "
                 "{source}); restored from the source", cell=exp.label,
                 changed=_flags(chosen), source=_flags(exp.cell)), exp)
    if not was_tagged and tagged:
        m.note(_("cell {cell} was answered in another cell, which became the answer cell",
                 cell=exp.label), exp)
    elif not was_tagged:
        m.note(_("cell {cell} had lost its nbgrader metadata; found by its `def`/name line",
                 cell=exp.label) if exp.role == "answer" else
               _("cell {cell} had lost its nbgrader metadata; found by its content",
                 cell=exp.label), exp)
    # other copies: unchanged ones (stubs, intact locked cells) go; edited ones stay untagged
    copies = [c for c in candidates if c is not chosen
              and (any(c is t for t in tagged) or unchanged(exp, c))]
    for c in copies:
        c.metadata.pop("nbgrader", None)
        if unchanged(exp, c):
            m.removed.add(id(c))
    _note_different_answers(m, exp, candidates, chosen)
    if copies:
        dropped = sum(unchanged(exp, c) for c in copies)
        said = {(True, True): N_("cell {cell} appeared {times} times; kept the student's "
                                 "answer, removed {n} unchanged copy"),
                (True, False): N_("cell {cell} appeared {times} times; kept the student's "
                                  "answer, removed {n} unchanged copies"),
                (False, True): N_("cell {cell} appeared {times} times; kept one copy, removed "
                                  "{n} unchanged copy"),
                (False, False): N_("cell {cell} appeared {times} times; kept one copy, removed "
                                   "{n} unchanged copies")}
        text = _(said[exp.role in ("answer", "manual"), dropped == 1], cell=exp.label,
                 times=len(copies) + 1, n=dropped)
        m.note(text, exp)


def _note_different_answers(m: Match, exp: Expected, candidates: list[NotebookNode],
                            chosen: NotebookNode) -> None:
    """Copies of one answer cell that hold different answers (nbgrader's DeduplicateIds has
    already stripped all but the last one's metadata, silently): say which one is graded."""
    if exp.role != "answer":
        return
    answered = [c for c in candidates if not unchanged(exp, c)]
    if len({normalized(c.source) for c in answered}) < 2:
        return
    k = next(i for i, c in enumerate(answered, 1) if c is chosen)
    m.note(_("cell {cell} holds {n} different answers (copies of the cell): copy {k} of {n}, "
             "counting from the top, is graded; the others stay in the notebook, not graded "
             "(check which one the student meant)", cell=exp.label, n=len(answered), k=k), exp)


def match_plain(m: Match, exp: Expected) -> None:
    for cell in m.window(exp):
        if normalized(cell.source) in exp.texts:
            m.take(exp, cell)
            return


def match_by_place(m: Match, exp: Expected) -> None:
    """Cells that lost their metadata and cannot be told by content alone, looked for only
    between the cells matched around them: an answer stub that defines nothing, a written
    answer, an edited locked or test cell (the most similar one, if similar enough)."""
    free = m.window(exp)
    if exp.role == "answer":
        free = [c for c in free if unchanged(exp, c)]
    if not free:
        return
    if exp.role in ("answer", "manual"):
        m.take(exp, free[0], tag=True)
        m.note(_("cell {cell} had lost its nbgrader metadata; found by its place",
                 cell=exp.label), exp)
        return
    target = normalized(strip_markers(exp.cell.source, HIDDEN_MARKERS))

    def similarity(cell: NotebookNode) -> float:
        return difflib.SequenceMatcher(None, normalized(cell.source), target).ratio()

    best = max(free, key=similarity)
    if similarity(best) >= SIMILAR_ENOUGH:
        m.take(exp, best, tag=True)
        m.note(_("cell {cell} had lost its nbgrader metadata and was edited; found by "
                 "similarity", cell=exp.label), exp)
