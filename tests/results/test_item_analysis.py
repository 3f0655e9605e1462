"""Item analysis on a hand-computed class.

Five students, three exercises (A max 1, B max 2, C max 1):

    student  A  B  C
    s1       1  2  1
    s2       1  2  0
    s3       0  1  1
    s4       0  0  0
    s5       1  0  1

Difficulty = mean / max: A 3/5 = 0.6, B 5/10 = 0.5, C 3/5 = 0.6.
Discrimination = r(item, total of the other items):
  A vs B+C = [3,2,2,0,1]: Σdxdy = 1.2, Σdx² = 1.2, Σdy² = 5.2 → 1.2/√6.24 = 0.480
  B vs A+C = [2,1,1,0,2]: Σdxdy = 1.0, Σdx² = 4.0, Σdy² = 2.8 → 1.0/√11.2 = 0.299
  C vs A+B = [3,3,1,0,1]: Σdxdy = 0.2, Σdx² = 1.2, Σdy² = 7.2 → 0.2/√8.64 = 0.068 (low)
"""
from __future__ import annotations

import pytest

from course.gradebook import CellGrade, Submission
from course.results import item_analysis

TABLE = {"s1": (1, 2, 1), "s2": (1, 2, 0), "s3": (0, 1, 1), "s4": (0, 0, 0), "s5": (1, 0, 1)}
MAX = {"A": 1.0, "B": 2.0, "C": 1.0}


def subs(table=TABLE):
    out = []
    for student, scores in table.items():
        cells = {n: CellGrade(n, float(v), MAX[n], False, False) for n, v in zip("ABC", scores)}
        out.append(Submission(student, None, None, None, float(sum(scores)), 4.0, 0.0, False,
                              cells))
    return out


def test_hand_computed_difficulty_and_discrimination():
    items = {i.exercise: i for i in item_analysis.analyse(subs(), ["A", "B", "C"])}
    assert {k: round(i.difficulty, 3) for k, i in items.items()} == {"A": 0.6, "B": 0.5, "C": 0.6}
    assert {k: round(i.discrimination, 3) for k, i in items.items()} == {
        "A": 0.480, "B": 0.299, "C": 0.068}
    assert items["C"].flag == item_analysis.FLAGS["low"]
    assert items["A"].flag == items["B"].flag == ""


def test_everyone_right_has_no_discrimination_and_says_so():
    table = {s: (1, v[1], v[2]) for s, v in TABLE.items()}
    a = item_analysis.analyse(subs(table), ["A"])[0]
    assert a.difficulty == 1.0 and a.discrimination is None
    assert a.flag == item_analysis.FLAGS["easy"]


def test_negative_discrimination_is_flagged():
    """The strongest students fail A, the weakest pass it."""
    table = {"s1": (0, 2, 1), "s2": (0, 2, 1), "s3": (1, 0, 0), "s4": (1, 0, 0), "s5": (0, 1, 1)}
    a = item_analysis.analyse(subs(table), ["A"])[0]
    assert a.discrimination < 0 and a.flag == item_analysis.FLAGS["negative"]


@pytest.mark.parametrize("n", [1, 2])
def test_too_few_students_leave_it_undefined(n):
    few = dict(list(TABLE.items())[:n])
    assert item_analysis.analyse(subs(few), ["A"])[0].discrimination is None


def with_manual(manual_scores, pending):
    """TABLE plus a written answer M (max 2) graded by hand, or still waiting (`pending`)."""
    out = subs()
    for s, score in zip(out, manual_scores):
        s.cells["M"] = CellGrade("M", float(score), 2.0, s.student in pending,
                                 s.student not in pending)
    return out


@pytest.mark.parametrize("pending", [set(), {"s1"}])
def test_a_written_answer_is_no_item_and_not_in_the_rest(pending):
    """M, graded by hand (or partly still pending), is left out: the items and their
    discrimination are exactly the hand-computed ones."""
    items = {i.exercise: i for i in item_analysis.analyse(
        with_manual([0, 2, 1, 2, 0], pending), ["A", "B", "M", "C"])}
    assert list(items) == ["A", "B", "C"]
    assert {k: round(i.discrimination, 3) for k, i in items.items()} == {
        "A": 0.480, "B": 0.299, "C": 0.068}


def test_a_test_cell_a_grader_overrode_for_one_student_stays_an_item():
    out = subs()
    grade = out[3].cells["A"]  # s4: 0 -> 1 by hand
    out[3].cells["A"] = CellGrade("A", 1.0, grade.max_score, False, True)
    a = item_analysis.analyse(out, ["A", "B", "C"])[0]
    assert a.exercise == "A" and a.n == 5 and a.difficulty == pytest.approx(0.8)
