"""What nbgrader's gradebook holds for one assignment, copied out as plain data.

Feedback and reports both need every submission's per-cell points, totals, late penalty and the
graders' comments; reading them once here keeps SQLAlchemy sessions out of the templates.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import nbgrader_api


@dataclass
class CellGrade:
    name: str  # grade_id of the graded cell
    score: float
    max_score: float
    pending: bool  # waits for a grader (formgrader)
    by_hand: bool  # a grader set the score


@dataclass
class Submission:
    student: str
    first_name: str | None
    last_name: str | None
    email: str | None
    score: float  # nbgrader's total (manual scores and extra credit included)
    max_score: float
    penalty: float  # late-submission penalty
    pending: bool  # some cell still needs manual grading
    cells: dict[str, CellGrade] = field(default_factory=dict)
    comments: dict[str, str] = field(default_factory=dict)  # grade_id -> grader's comment

    @property
    def final(self) -> float:
        """The score an LMS should get: nbgrader's `score` column of `nbgrader export`."""
        return max(0.0, self.score - self.penalty)

    @property
    def name(self) -> str:
        """"Last, First" when the gradebook knows the names, else the student id."""
        parts = [p for p in (self.last_name, self.first_name) if p]
        return ", ".join(parts) if parts else self.student


def _open(root: Path):
    from nbgrader.api import Gradebook

    cfg = nbgrader_api.load_config(root)
    return Gradebook(cfg.CourseDirectory.db_url, cfg.CourseDirectory.course_id)


def max_score(root: Path, assignment: str) -> float | None:
    """The assignment's total points, or None when the gradebook does not know it."""
    from nbgrader.api import MissingEntry

    with _open(root) as gb:
        try:
            return float(gb.find_assignment(assignment).max_score)
        except MissingEntry:
            return None


def submissions(root: Path, assignment: str) -> dict[str, Submission]:
    """{student id: Submission} of every graded submission of `assignment`, sorted by id."""
    from nbgrader.api import MissingEntry

    out = {}
    with _open(root) as gb:
        try:
            found = gb.find_assignment(assignment).submissions
        except MissingEntry:
            return {}
        for sub in sorted(found, key=lambda s: s.student_id):
            st = sub.student
            item = Submission(st.id, st.first_name, st.last_name, st.email,
                              float(sub.score or 0), float(sub.max_score or 0),
                              float(sub.late_submission_penalty or 0),
                              bool(sub.needs_manual_grade))
            for nb in sub.notebooks:
                for g in nb.grades:
                    item.cells[g.name] = CellGrade(g.name, float(g.score or 0),
                                                   float(g.max_score or 0),
                                                   bool(g.needs_manual_grade),
                                                   g.manual_score is not None)
                for c in nb.comments:
                    if c.manual_comment and c.manual_comment.strip():
                        item.comments[c.name] = c.manual_comment.strip()
            out[st.id] = item
    return out
