"""Notebook plumbing shared by the demo, the tests and `course try`: fill answer cells, execute
a notebook in a scratch folder, and score its test cells the way nbgrader does."""
from __future__ import annotations

import tempfile
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from ..cells import grade_id, solution_text


def solutions(source_nb) -> dict[str, str]:
    """{grade_id: the reference answer} of every answer cell of an instructor notebook."""
    out = {}
    for cell in source_nb.cells:
        nbg = cell.metadata.get("nbgrader", {})
        if nbg.get("solution"):
            out[nbg["grade_id"]] = solution_text(cell.source)
    return out


def fill(release_nb, answers: dict[str, str]):
    """A copy of a student notebook with some answer cells replaced (as a student would)."""
    nb = nbformat.from_dict(release_nb)
    for cell in nb.cells:
        gid = grade_id(cell)
        if gid in answers:
            cell.source = answers[gid]
    return nb


def execute(nb, timeout: int = 120, cwd: Path | None = None):
    """Run every cell (errors recorded, never raised) in a scratch folder; returns the notebook."""
    nb = nbformat.from_dict(nb)
    with tempfile.TemporaryDirectory(prefix="course-run-") as tmp:
        client = NotebookClient(nb, timeout=timeout, kernel_name="python3", allow_errors=True,
                                resources={"metadata": {"path": str(cwd or tmp)}})
        client.execute()
    return nb


def scores(nb) -> dict[str, tuple[float, float]]:
    """{grade_id: (score, max)} of the auto-graded test cells, by nbgrader's own rule."""
    from nbgrader.utils import determine_grade

    out = {}
    for cell in nb.cells:
        nbg = cell.metadata.get("nbgrader", {})
        if nbg.get("grade") and not nbg.get("solution") and cell.cell_type == "code":
            out[nbg["grade_id"]] = determine_grade(cell)
    return out


def errors(nb) -> dict[str, str]:
    """{cell id: 'Ename: message'} for every cell that raised."""
    out = {}
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            if o.output_type == "error":
                out[grade_id(cell) or cell.get("id", "?")] = f"{o.ename}: {o.evalue}"
    return out


__all__ = ["solutions", "fill", "execute", "scores", "errors"]
