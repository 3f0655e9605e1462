"""Read grades back from nbgrader's gradebook: one row per student, one column per graded cell."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import nbgrader_api


@dataclass
class Row:
    student: str
    cells: dict[str, float | None]  # grade_id -> points (None: waits for manual grading)
    max_points: dict[str, float]

    @property
    def auto_total(self) -> float:
        return sum(v for v in self.cells.values() if v is not None)


def cell_order(root: Path, assignment: str) -> list[str]:
    """grade_ids in the order the notebook shows them (the gradebook does not keep it)."""
    import nbformat

    path = root / "source" / assignment / f"{assignment}.ipynb"
    if not path.exists():
        return []
    nb = nbformat.read(path, as_version=4)
    return [c.metadata["nbgrader"]["grade_id"] for c in nb.cells
            if c.metadata.get("nbgrader", {}).get("grade")]


def table(root: Path, assignment: str, scratch: bool = False) -> list[Row]:
    cfg = nbgrader_api.load_config(root, scratch=scratch)
    from nbgrader.api import Gradebook, MissingEntry

    order = {gid: i for i, gid in enumerate(cell_order(root, assignment))}
    rows = []
    with Gradebook(cfg.CourseDirectory.db_url, cfg.CourseDirectory.course_id) as gb:
        for student in sorted(s.id for s in gb.students):
            try:
                sub = gb.find_submission(assignment, student)
            except MissingEntry:
                continue
            cells, maxes = {}, {}
            for nb in sub.notebooks:
                for grade in sorted(nb.grades, key=lambda g: order.get(g.name, len(order))):
                    cells[grade.name] = None if grade.needs_manual_grade else grade.score
                    maxes[grade.name] = grade.max_score
            rows.append(Row(student, cells, maxes))
    return rows


def render(rows: list[Row], assignment: str) -> str:
    """A plain-text score table (student × exercise × points)."""
    if not rows:
        return f"{assignment}: no graded submissions"
    columns = list(rows[0].max_points)
    header = ["student"] + [f"{c} ({rows[0].max_points[c]:g})" for c in columns] + ["total"]
    body = [[r.student] + ["manual" if r.cells.get(c) is None else f"{r.cells[c]:g}"
                           for c in columns] + [f"{r.auto_total:g}"] for r in rows]
    widths = [max(len(line[i]) for line in [header] + body) for i in range(len(header))]
    fmt = lambda line: "  ".join(cell.ljust(w) for cell, w in zip(line, widths))  # noqa: E731
    return "\n".join([f"== {assignment} ==", fmt(header), fmt(["-" * w for w in widths])]
                     + [fmt(line) for line in body])
