"""Item analysis: per auto-graded exercise, how hard it was and whether it separates the
students who master the lesson from the others — computed from the gradebook rows only
(`gradebook.Submission`), nothing re-run.

For each test cell of `order`:
  * difficulty = mean score / max score (0..1; 1 = everyone got every point);
  * discrimination = the *corrected item-total correlation*: Pearson's r between the
    students' scores on this item and their score on the rest of the assignment: the sum of
    their other auto-graded cells, in `order` or not (the item itself left out, so that it
    does not correlate with itself).  Auto-graded cells only: a written answer still waiting
    for a grader counts 0 in nbgrader's total, which would make its author look weak.
    None when undefined: fewer than `MIN_STUDENTS` (3) students, or no spread in the item or
    in the rest (a correlation needs both to vary).

Which cells are items: `CellGrade` does not say whether a cell is a test cell or a written
answer, so the caller gives the test cells in `order` (`gradebook.cell_order(course, a,
tests_only=True)`).  As a safeguard a cell is still left out when it is not auto-graded by the
gradebook's own evidence: its max score is 0, some student's grade is pending (waits for a
grader: only manual cells do; a test cell always gets a score), or every student's score was
set by hand (a graded written answer; a grader overriding a test cell for a few students keeps
it an item, with the score they set).  A student counts for an item when the gradebook has a
grade for it; a missing grade of another item counts 0 in their rest score.

Flags (one short English reason, `FLAGS`, translated by the report through `_()`; the first
that applies): too easy (everyone got every point) → too hard (nobody got a point) → negative
discrimination → low discrimination (< 0.2) → "".  0.2 is the usual floor for a usable item
(Ebel & Frisbie: < 0.2 poor, 0.2–0.29 marginal, >= 0.4 very good).  A negative value means
the students who do well elsewhere fail this item more often: a wrong reference, an ambiguous
question, or a hidden test that rejects good answers.  An undefined discrimination for another
reason (fewer than 3 students, everyone with the same partial score, no spread in the rest)
has no flag: the report shows "–".
"""
from __future__ import annotations

import statistics
from dataclasses import dataclass

from ..gradebook import Submission
from ..i18n import N_

MIN_STUDENTS = 3
LOW_DISCRIMINATION = 0.2

FLAGS = {
    "easy": N_("too easy (everyone right)"),
    "hard": N_("too hard (nobody right)"),
    "negative": N_("negative discrimination: check the test"),
    "low": N_("low discrimination (< 0.2)"),
}


@dataclass(frozen=True)
class Item:
    exercise: str  # the test cell's grade_id
    max_score: float
    n: int  # students with a grade for it
    difficulty: float | None  # mean score / max score (0..1); None without grades
    discrimination: float | None  # corrected item-total correlation; None when undefined
    flag: str  # "" or a short English reason (see the module docstring)


def _auto_graded(subs: list[Submission], cell: str) -> bool:
    grades = [s.cells[cell] for s in subs if cell in s.cells]
    if not grades or max(g.max_score for g in grades) <= 0:
        return False
    if any(g.pending for g in grades):
        return False
    return not all(g.by_hand for g in grades)


def _correlation(xs: list[float], ys: list[float]) -> float | None:
    if len(xs) < MIN_STUDENTS or len(set(xs)) < 2 or len(set(ys)) < 2:
        return None
    try:
        return statistics.correlation(xs, ys)
    except statistics.StatisticsError:
        return None


def _flag(scores: list[float], top: float, r: float | None) -> str:
    if not scores:
        return ""
    if all(v >= top for v in scores):
        return FLAGS["easy"]
    if all(v <= 0 for v in scores):
        return FLAGS["hard"]
    if r is not None and r < 0:
        return FLAGS["negative"]
    if r is not None and r < LOW_DISCRIMINATION:
        return FLAGS["low"]
    return ""


def analyse(subs: list[Submission], order: list[str]) -> list[Item]:
    """One Item per auto-graded cell of `order` (the test cells, in notebook order), from the
    gradebook's rows; cells that are not auto-graded (see the module docstring) are left out.
    The rest score of a student is their other auto-graded cells, `order` or not."""
    auto = [c for c in dict.fromkeys(
        [*order, *(c for s in subs for c in s.cells)]) if _auto_graded(subs, c)]
    out = []
    for cell in (c for c in dict.fromkeys(order) if c in auto):
        graded = [s for s in subs if cell in s.cells]
        top = max(s.cells[cell].max_score for s in graded)
        scores = [s.cells[cell].score for s in graded]
        rest = [sum(s.cells[o].score for o in auto if o != cell and o in s.cells)
                for s in graded]
        r = _correlation(scores, rest)
        out.append(Item(cell, top, len(graded), statistics.fmean(scores) / top, r,
                        _flag(scores, top, r)))
    return out


__all__ = ["Item", "analyse", "FLAGS", "LOW_DISCRIMINATION", "MIN_STUDENTS"]
