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

from ..cells import role_of
from ..lessons import lesson_file, slugs

MARKER = re.compile(r"^# %%")


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
        return f"{lesson.label}, cell {self.index} (line {self.line}){gid}"


@dataclass
class Lesson:
    path: Path
    cells: list[Cell]

    @property
    def slug(self) -> str:
        """The lesson's one name: its folder (`course/lessons/01_graph/lesson.py` → 01_graph)."""
        return self.path.parent.name

    @property
    def label(self) -> str:
        return f"{self.slug}/{self.path.name}"

    def assignment(self, lang: str) -> str:
        return f"{self.slug}_{lang}"

    def cells_for(self, lang: str) -> list[Cell]:
        return [c for c in self.cells if c.lang in (None, lang)]


def read_lesson(path: Path) -> Lesson:
    text = path.read_text(encoding="utf-8")
    lines = [i + 1 for i, line in enumerate(text.splitlines()) if MARKER.match(line)]
    nb = jupytext.reads(text, fmt="py:percent")
    if not text.lstrip().startswith("# %%"):
        raise ValueError(f"{path.parent.name}/{path.name}: a lesson must start with a `# %%` "
                         "cell marker")
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


def read_all() -> list[Lesson]:
    """Every lesson, in course order."""
    return [read_lesson(lesson_file(slug)) for slug in slugs()]


def cell_role(cell: Cell) -> str:
    """'answer', 'manual', 'test', 'locked' or 'plain' (see course.cells.role_of).  In the
    short marker-line form any nbgrader cell that is neither answer nor test is locked."""
    return role_of({"locked": True, **cell.nbgrader} if cell.nbgrader else None)


def expand_nbgrader(cell: Cell) -> dict | None:
    """Complete the short marker-line form into the metadata nbgrader 0.9 expects."""
    if not cell.nbgrader:
        return None
    role = cell_role(cell)
    full = {
        "grade": role in ("test", "manual"),
        "grade_id": cell.grade_id,
        "locked": role in ("test", "locked"),
        "schema_version": 3,
        "solution": role in ("answer", "manual"),
        "task": False,
    }
    if role in ("test", "manual"):
        full["points"] = cell.nbgrader["points"]
    return full

