"""What each cell of a source notebook must look like in a submission, for recognising a
notebook (identify) and putting its cells back in place (repair)."""
from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field

from nbformat import NotebookNode

from ..cells import (CODE_STUBS, HIDDEN_MARKERS, TEXT_STUBS, defined_names, nbgrader_meta,
                     normalized, role, strip_markers)


def release_stubs(cell: NotebookNode) -> set[str]:
    """The answer cell as `course release` hands it out, in every language (normalized)."""
    from nbgrader.preprocessors import ClearSolutions

    stubs = set()
    for lang in CODE_STUBS:
        clear = ClearSolutions(code_stub={"python": CODE_STUBS[lang]}, text_stub=TEXT_STUBS[lang])
        stub, _ = clear.preprocess_cell(copy.deepcopy(cell), {"language": "python"}, 0)
        stubs.add(normalized(stub.source))
    return stubs


@dataclass
class Expected:
    """One cell of the source notebook and how to recognise it in a submission."""

    index: int
    cell: NotebookNode
    role: str
    texts: set[str]  # normalized contents that mean "this cell, unchanged"
    names: set[str] = field(default_factory=set)  # answers: what the cell must define

    @property
    def grade_id(self) -> str | None:
        return nbgrader_meta(self.cell).get("grade_id")

    @property
    def label(self) -> str:
        return f"`{self.grade_id}`"


def expected_cells(source_nb: NotebookNode) -> list[Expected]:
    out = []
    for i, cell in enumerate(source_nb.cells):
        kind = role(cell)
        if kind in ("answer", "manual"):
            names = defined_names(cell.source) if cell.cell_type == "code" else set()
            out.append(Expected(i, cell, kind, release_stubs(cell), names))
        elif kind == "test":
            visible = strip_markers(cell.source, HIDDEN_MARKERS)
            out.append(Expected(i, cell, kind, {normalized(visible), normalized(cell.source)}))
        else:
            out.append(Expected(i, cell, kind, {normalized(cell.source)}))
    return out


def notebook_lang(nb: NotebookNode) -> str | None:
    """The language a course notebook was generated in: its stamp, else its `LANG = "xx"`."""
    lang = nb.get("metadata", {}).get("course", {}).get("lang")
    if lang:
        return lang
    for cell in nb.cells:
        if cell.cell_type == "code":
            found = re.search(r'^LANG = "(\w+)"', cell.source, flags=re.M)
            if found:
                return found.group(1)
    return None
