"""Read a lesson source (jupytext py:percent) into cells that know their language and line.

A lesson is the single source of truth for both languages: markdown cells carry `lang="pt"` or
`lang="es"`, code cells are shared unless they hold language-specific strings, and nbgrader
metadata sits on the `# %%` marker line in a short form that `expand_nbgrader` completes.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import jupytext

from .settings import LANGS, LESSONS_DIR

MARKER = re.compile(r"^# %%")
SOLUTION_MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")
HIDDEN_MARKERS = ("### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS")


@dataclass
class Cell:
    index: int  # 1-based position in the lesson file
    line: int  # line of its `# %%` marker
    kind: str  # "markdown" or "code"
    source: str
    lang: str | None = None
    nbgrader: dict | None = None
    extra: dict = field(default_factory=dict)  # any other metadata (rejected by validation)
    outputs: list = field(default_factory=list)

    @property
    def grade_id(self) -> str | None:
        return (self.nbgrader or {}).get("grade_id")

    def where(self, lesson: "Lesson") -> str:
        gid = f" [{self.grade_id}]" if self.grade_id else ""
        return f"{lesson.path.name}, cell {self.index} (line {self.line}){gid}"


@dataclass
class Lesson:
    path: Path
    cells: list[Cell]

    @property
    def slug(self) -> str:
        return self.path.stem

    def assignment(self, lang: str) -> str:
        return f"{self.slug}_{lang}"

    def cells_for(self, lang: str) -> list[Cell]:
        return [c for c in self.cells if c.lang in (None, lang)]


def read_lesson(path: Path) -> Lesson:
    text = path.read_text(encoding="utf-8")
    lines = [i + 1 for i, line in enumerate(text.splitlines()) if MARKER.match(line)]
    nb = jupytext.reads(text, fmt="py:percent")
    if not text.lstrip().startswith("# %%"):
        raise ValueError(f"{path.name}: a lesson must start with a `# %%` cell marker")
    cells = []
    for i, nbcell in enumerate(nb.cells):
        meta = dict(nbcell.metadata)
        meta.pop("lines_to_next_cell", None)
        meta.pop("cell_marker", None)
        lang = meta.pop("lang", None)
        nbg = meta.pop("nbgrader", None)
        cells.append(Cell(
            index=i + 1,
            line=lines[i] if i < len(lines) else 0,
            kind=nbcell.cell_type,
            source=nbcell.source,
            lang=lang,
            nbgrader=nbg,
            extra=meta,
            outputs=list(nbcell.get("outputs", [])),
        ))
    return Lesson(path=path, cells=cells)


def lesson_paths(lessons_dir: Path = LESSONS_DIR) -> list[Path]:
    """Lesson sources: `NN_slug.py` files, in course order."""
    return sorted(p for p in lessons_dir.glob("[0-9][0-9]_*.py"))


def read_all(lessons_dir: Path = LESSONS_DIR) -> list[Lesson]:
    return [read_lesson(p) for p in lesson_paths(lessons_dir)]


def cell_role(cell: Cell) -> str:
    """'answer' (auto-graded code answer), 'manual' (manually graded answer), 'test',
    'readonly' (locked cell restored at grading) or 'plain'."""
    nbg = cell.nbgrader
    if not nbg:
        return "plain"
    if nbg.get("solution") and nbg.get("grade"):
        return "manual"
    if nbg.get("solution"):
        return "answer"
    if nbg.get("grade"):
        return "test"
    return "readonly"


def expand_nbgrader(cell: Cell) -> dict | None:
    """Complete the short marker-line form into the metadata nbgrader 0.9 expects."""
    if not cell.nbgrader:
        return None
    role = cell_role(cell)
    full = {
        "grade": role in ("test", "manual"),
        "grade_id": cell.grade_id,
        "locked": role in ("test", "readonly"),
        "schema_version": 3,
        "solution": role in ("answer", "manual"),
        "task": False,
    }
    if role in ("test", "manual"):
        full["points"] = cell.nbgrader["points"]
    return full


def _split(source: str, markers: tuple[str, str]) -> tuple[list[str], list[str]]:
    outside, inside, depth = [], [], False
    for line in source.splitlines():
        s = line.strip()
        if s == markers[0]:
            depth = True
        elif s == markers[1]:
            depth = False
        else:
            (inside if depth else outside).append(line)
    return outside, inside


def strip_markers(source: str, markers: tuple[str, str]) -> str:
    """The source with every `markers` block removed (what a student's copy keeps)."""
    return "\n".join(_split(source, markers)[0])


def marked_lines(source: str, markers: tuple[str, str]) -> str:
    """Only the lines inside `markers` blocks (e.g. a cell's hidden tests)."""
    return "\n".join(_split(source, markers)[1])


__all__ = ["Cell", "Lesson", "LANGS", "read_lesson", "read_all", "lesson_paths", "cell_role",
           "expand_nbgrader", "strip_markers", "marked_lines", "SOLUTION_MARKERS", "HIDDEN_MARKERS"]
