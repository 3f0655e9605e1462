"""What nbgrader's gradebook holds for one assignment, copied out as plain data — the one
place that reads grades back.

Feedback, reports and the score table after grading all need every submission's per-cell
points, totals, late penalty and the graders' comments; reading them here, one way, keeps
SQLAlchemy sessions out of the templates.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .course_folder import Course
from .i18n import _


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


def max_score(course: Course, assignment: str) -> float | None:
    """The assignment's total points, or None when the gradebook does not know it."""
    from nbgrader.api import MissingEntry

    with course.gradebook() as gb:
        try:
            return float(gb.find_assignment(assignment).max_score)
        except MissingEntry:
            return None


def submissions(course: Course, assignment: str) -> dict[str, Submission]:
    """{student id: Submission} of every graded submission of `assignment`, sorted by id."""
    from nbgrader.api import MissingEntry

    out = {}
    with course.gradebook() as gb:
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


# --- the score table `course grade` prints ------------------------------------------------

@dataclass
class Row:
    student: str
    cells: dict[str, float | None]  # grade_id -> points (None: waits for manual grading)
    max_points: dict[str, float]
    penalty: float = 0.0  # late-submission penalty

    @property
    def auto_total(self) -> float:
        return sum(v for v in self.cells.values() if v is not None)

    @property
    def total(self) -> float:
        """The points graded so far, less the late penalty (as `nbgrader export`'s score)."""
        return max(0.0, self.auto_total - self.penalty)


def cell_order(course: Course, assignment: str, tests_only: bool = False) -> list[str]:
    """grade_ids of the graded cells in the order the notebook shows them (the gradebook does
    not keep it); with `tests_only`, just the auto-graded test cells."""
    import nbformat

    from .cells import role

    path = course.source_notebook(assignment)
    if not path.exists():
        return []
    nb = nbformat.read(path, as_version=4)
    wanted = ("test",) if tests_only else ("test", "manual")
    return [c.metadata["nbgrader"]["grade_id"] for c in nb.cells if role(c) in wanted]


def table(course: Course, assignment: str) -> list[Row]:
    order = {gid: i for i, gid in enumerate(cell_order(course, assignment))}
    rows = []
    for sub in submissions(course, assignment).values():
        names = sorted(sub.cells, key=lambda g: order.get(g, len(order)))
        rows.append(Row(sub.student,
                        {g: None if sub.cells[g].pending else sub.cells[g].score for g in names},
                        {g: sub.cells[g].max_score for g in names}, sub.penalty))
    return rows


def render(rows: list[Row], assignment: str) -> str:
    """A plain-text score table (student × exercise × points)."""
    if not rows:
        return _("{assignment}: no graded submissions", assignment=assignment)
    columns = list(rows[0].max_points)
    late = any(r.penalty for r in rows)  # the column only when someone lost points to it
    header = ([_("student")] + [f"{c} ({rows[0].max_points[c]:g})" for c in columns]
              + ([_("late penalty")] if late else []) + [_("total")])
    body = [[r.student] + [_("manual") if r.cells.get(c) is None else f"{r.cells[c]:g}"
                           for c in columns]
            + ([f"-{r.penalty:g}" if r.penalty else ""] if late else []) + [f"{r.total:g}"]
            for r in rows]
    widths = [max(len(line[i]) for line in [header] + body) for i in range(len(header))]
    fmt = lambda line: "  ".join(cell.ljust(w) for cell, w in zip(line, widths))  # noqa: E731
    return "\n".join([f"== {assignment} ==", fmt(header), fmt(["-" * w for w in widths])]
                     + [fmt(line) for line in body])
