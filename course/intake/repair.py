"""Give a submission back the cell structure of its source notebook before nbgrader grades it.

nbgrader finds answers, tests and locked cells by their `nbgrader` metadata.  Colab drops that
metadata (and cell ids), students duplicate or delete cells, and an edited or untagged cell
would otherwise be graded as missing — a silent 0.  `repair` matches every cell of the source
notebook to the submission by what it must contain:

* answer cells by the `def`/`class` line or top-level assigned name they must define;
* locked and test cells by content (whitespace-normalized; a test cell's visible part is its
  source without the `### BEGIN HIDDEN TESTS` block), then, when edited, by similarity within
  the place they belong (between their matched neighbours);
* the manual (markdown) answer by its stub, else by its place.

Duplicates keep the student's answer (the last copy that is not the release stub); unanswered
stub copies and exact copies of locked cells are removed.  Two copies of one answer cell
holding *different* answers are never resolved in silence: a note names the cell and which
copy is graded.  Decision: the graded copy stays the last answer (nbgrader's DeduplicateIds,
which runs before this step, keeps the last copy's metadata; the copy that keeps its metadata is
graded, and that is the last copy defining the name, as when the notebook runs top to bottom:
a later `def` replaces an earlier one).  Choosing another copy would grade code the student's
own run of the notebook never used; the instructor reads the note and decides.  Deleted test and locked cells are
restored from the source with their hidden tests.  An answer cell moved below the cells that
follow it (its test cell) is put back in its place.  A submission that is not this notebook
(another language or lesson, no answer cell at all) raises `CannotRepair` instead of scoring 0.
"""
from __future__ import annotations

import copy
import difflib

import nbformat
from nbformat import NotebookNode

from ..cells import (HIDDEN_MARKERS, TEXT_STUBS, defined_names, nbgrader_meta, normalized, role,
                     strip_markers)
from ..i18n import N_, _
from .matching import Expected, expected_cells, notebook_lang

SIMILAR_ENOUGH = 0.6  # difflib ratio for an edited locked cell to still count as that cell


class CannotRepair(Exception):
    """The submission cannot be matched to its source notebook; the reason says why."""


class Note(str):
    """One repair, in a sentence; `.cell` is the grade_id it concerns."""

    cell: str | None

    def __new__(cls, text: str, cell: str | None = None):
        note = super().__new__(cls, text)
        note.cell = cell
        return note


# --- is it the right notebook -----------------------------------------------------------

def check_same_notebook(nb: NotebookNode, source_nb: NotebookNode) -> None:
    """The stamp decides; without it, the helper cell's `LANG` tells the language — unless
    the text cells are this notebook's (then the helper cell was edited, and is restored)."""
    want = source_nb.metadata.get("course", {}).get("assignment")
    stamped = nb.get("metadata", {}).get("course", {}).get("assignment")
    if want and stamped:
        if stamped != want:
            raise CannotRepair(_("this is the notebook of {found}, not of {want}",
                                 found=stamped, want=want))
        return
    lang, want_lang = notebook_lang(nb), notebook_lang(source_nb)
    texts = {normalized(c.source) for c in nb.cells if c.cell_type == "markdown"}
    shares_text = any(normalized(c.source) in texts for c in source_nb.cells
                      if c.cell_type == "markdown" and role(c) == "plain")
    if lang and want_lang and lang != want_lang and not shares_text:
        raise CannotRepair(_("this notebook is in '{lang}', {assignment} is in '{want}'",
                             lang=lang, assignment=want or _("the assignment"),
                             want=want_lang))


# --- matching ---------------------------------------------------------------------------

class _Match:
    """Which submission cell stands for which source cell, by object identity (cells can be
    equal, and positions move as cells are inserted and removed)."""

    def __init__(self, nb: NotebookNode, source_nb: NotebookNode):
        self.nb = nb
        self.lang = notebook_lang(source_nb)
        self.expected = expected_cells(source_nb)
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


def _drop_foreign_metadata(m: _Match) -> None:
    """nbgrader metadata naming no source cell would make nbgrader reject the notebook."""
    known = {e.grade_id for e in m.expected if e.grade_id}
    for cell in m.nb.cells:
        if "nbgrader" not in cell.get("metadata", {}):
            continue
        gid = nbgrader_meta(cell).get("grade_id")
        if gid not in known:
            del cell.metadata["nbgrader"]
            if gid:
                m.note(_("a cell tagged with unknown grade_id `{gid}` became a plain cell",
                         gid=gid))


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


def _unchanged(exp: Expected, cell: NotebookNode) -> bool:
    """The release stub of an answer, or an intact locked/test cell."""
    return normalized(cell.source) in exp.texts


def _choose(exp: Expected, candidates: list[NotebookNode],
            tagged: list[NotebookNode]) -> NotebookNode:
    if exp.role in ("test", "locked"):
        return ([c for c in candidates if _unchanged(exp, c)] or tagged or candidates)[-1]
    if len(tagged) == 1 and not _unchanged(exp, tagged[0]):
        return tagged[0]  # the tagged cell holds an answer: leave it where it is
    answered = [c for c in candidates if not _unchanged(exp, c)]
    defining = [c for c in answered if exp.names & defined_names(c.source)]
    return (defining or answered or candidates)[-1]


def _match_by_content(m: _Match, exp: Expected, instructor_texts: set[str]) -> None:
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
              and (any(c is t for t in tagged) or _unchanged(exp, c))]
    for c in copies:
        c.metadata.pop("nbgrader", None)
        if _unchanged(exp, c):
            m.removed.add(id(c))
    _note_different_answers(m, exp, candidates, chosen)
    if copies:
        dropped = sum(_unchanged(exp, c) for c in copies)
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


def _note_different_answers(m: _Match, exp: Expected, candidates: list[NotebookNode],
                            chosen: NotebookNode) -> None:
    """Copies of one answer cell that hold different answers (nbgrader's DeduplicateIds has
    already stripped all but the last one's metadata, silently): say which one is graded."""
    if exp.role != "answer":
        return
    answered = [c for c in candidates if not _unchanged(exp, c)]
    if len({normalized(c.source) for c in answered}) < 2:
        return
    k = next(i for i, c in enumerate(answered, 1) if c is chosen)
    m.note(_("cell {cell} holds {n} different answers (copies of the cell): copy {k} of {n}, "
             "counting from the top, is graded; the others stay in the notebook, not graded "
             "(check which one the student meant)", cell=exp.label, n=len(answered), k=k), exp)


def _match_plain(m: _Match, exp: Expected) -> None:
    for cell in m.window(exp):
        if normalized(cell.source) in exp.texts:
            m.take(exp, cell)
            return


def _match_by_place(m: _Match, exp: Expected) -> None:
    """Cells that lost their metadata and cannot be told by content alone, looked for only
    between the cells matched around them: an answer stub that defines nothing, a written
    answer, an edited locked or test cell (the most similar one, if similar enough)."""
    free = m.window(exp)
    if exp.role == "answer":
        free = [c for c in free if _unchanged(exp, c)]
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


def _restore(m: _Match, exp: Expected) -> None:
    """Locked cells are the instructor's: an edited one gets its source back (hidden tests
    included, as nbgrader's OverwriteCells would do), a deleted one is inserted again at its
    place; a deleted written answer comes back as the unanswered stub."""
    cell = m.cell_of.get(exp.index)
    if cell is not None:
        if exp.role in ("test", "locked") and not _unchanged(exp, cell):
            cell.source = exp.cell.source
            m.note(_("locked cell {cell} was edited; restored from the source",
                     cell=exp.label), exp)
        return
    lo, _hi = m.neighbours(exp)
    new = (nbformat.v4.new_code_cell if exp.cell.cell_type == "code"
           else nbformat.v4.new_markdown_cell)
    cell = new(exp.cell.source if exp.role != "manual" else TEXT_STUBS.get(m.lang or "", ""))
    if exp.grade_id not in {c.get("id") for c in m.nb.cells}:
        cell.id = exp.grade_id
    m.nb.cells.insert(lo + 1, cell)
    m.take(exp, cell, tag=True)
    said = {"test": N_("test cell {cell} was missing; restored from the source with its hidden "
                       "tests"),
            "locked": N_("locked cell {cell} was missing; restored from the source"),
            "manual": N_("written-answer cell {cell} was missing; restored from the source")}
    m.note(_(said[exp.role], cell=exp.label), exp)


def repair(nb: NotebookNode, source_nb: NotebookNode) -> tuple[NotebookNode, list[str]]:
    """A copy of `nb` whose cells carry the source notebook's nbgrader metadata, and what was
    changed (each a `Note`: a sentence, with `.cell` the grade_id).  Raises CannotRepair."""
    nb = nbformat.from_dict(copy.deepcopy(nb))
    check_same_notebook(nb, source_nb)
    m = _Match(nb, source_nb)
    _drop_foreign_metadata(m)
    graded = [e for e in m.expected if e.role != "plain"]
    instructor_texts = set().union(*(e.texts for e in m.expected if e.role != "answer"))
    for exp in graded:
        _match_by_content(m, exp, instructor_texts)
    _put_answers_back(m)  # before anything is looked for by its place
    for exp in m.expected:
        if exp.role == "plain":
            _match_plain(m, exp)
    for exp in graded:
        if exp.index not in m.cell_of:
            _match_by_place(m, exp)
    answers = [e for e in graded if e.role == "answer"]
    if answers and not any(e.index in m.cell_of for e in answers):
        names = ", ".join(sorted({n for e in answers for n in e.names}))
        assignment = (source_nb.metadata.get("course", {}).get("assignment")
                      or _("this assignment"))
        raise CannotRepair(_("no answer cell was found (no cell defines {names}): this is not "
                             "a submission of {assignment}", names=names,
                             assignment=assignment))
    for exp in graded:
        if exp.role != "answer":
            _restore(m, exp)
        elif exp.index not in m.cell_of:
            m.note(_("answer cell {cell} was not found (no cell defines {names}); its tests "
                     "will fail", cell=exp.label, names=", ".join(sorted(exp.names)))
                   if exp.names else
                   _("answer cell {cell} was not found; its tests will fail", cell=exp.label),
                   exp)
    _put_answers_back(m)
    nb.cells = [c for c in nb.cells if id(c) not in m.removed]
    return nb, list(m.notes)


def _put_answers_back(m: _Match) -> None:
    """An answer cell moved below the cells that follow it in the source (its test cell,
    which would then find its function undefined: a NameError and a 0 for a right answer) is
    moved back, right before the first of them."""
    for exp in m.expected:
        cell = m.cell_of.get(exp.index)
        if exp.role not in ("answer", "manual") or cell is None:
            continue
        later = [m.cell_of[e.index] for e in m.expected
                 if e.index > exp.index and e.index in m.cell_of]
        if not later:
            continue
        here, first_later = m.position(cell), min(m.position(c) for c in later)
        if here < first_later:
            continue
        m.nb.cells.pop(here)
        m.nb.cells.insert(first_later, cell)
        m.note(_("answer cell {cell} had been moved below the cells that follow it in the "
                 "notebook (its test would not find it); put back in its place",
                 cell=exp.label), exp)
