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

import nbformat
from nbformat import NotebookNode

from ..cells import TEXT_STUBS, nbgrader_meta, normalized, role
from ..i18n import N_, _
from .cell_match import Match, Note, match_by_content, match_by_place, match_plain, unchanged
from .matching import Expected, expected_cells, notebook_lang

__all__ = ["CannotRepair", "Note", "check_same_notebook", "expected_cells", "repair"]


class CannotRepair(Exception):
    """The submission cannot be matched to its source notebook; the reason says why."""


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


def _drop_foreign_metadata(m: Match) -> None:
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


def _restore(m: Match, exp: Expected) -> None:
    """Locked cells are the instructor's: an edited one gets its source back (hidden tests
    included, as nbgrader's OverwriteCells would do), a deleted one is inserted again at its
    place; a deleted written answer comes back as the unanswered stub."""
    cell = m.cell_of.get(exp.index)
    if cell is not None:
        if exp.role in ("test", "locked") and not unchanged(exp, cell):
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


def repair(nb: NotebookNode, source_nb: NotebookNode, expected: list | None = None
           ) -> tuple[NotebookNode, list[str]]:
    """A copy of `nb` whose cells carry the source notebook's nbgrader metadata, and what was
    changed (each a `Note`: a sentence, with `.cell` the grade_id).  Raises CannotRepair.
    `source_nb` is only read; `expected`: its `matching.expected_cells`, if already known."""
    nb = nbformat.from_dict(copy.deepcopy(nb))
    check_same_notebook(nb, source_nb)
    m = Match(nb, source_nb, expected)
    _drop_foreign_metadata(m)
    graded = [e for e in m.expected if e.role != "plain"]
    instructor_texts = set().union(*(e.texts for e in m.expected if e.role != "answer"))
    for exp in graded:
        match_by_content(m, exp, instructor_texts)
    _put_answers_back(m)  # before anything is looked for by its place
    for exp in m.expected:
        if exp.role == "plain":
            match_plain(m, exp)
    for exp in graded:
        if exp.index not in m.cell_of:
            match_by_place(m, exp)
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


def _put_answers_back(m: Match) -> None:
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
