"""`course list --json`: every assignment with its language, notebooks and graded cells, for
instructors and tools (LMS import, dashboards, other graders)."""
from __future__ import annotations

import json

from ..cells import LANGS, defined_name
from ..i18n import _
from .build import notebook_relpath
from .lesson_format import cell_role, read_all


def manifest() -> list[dict]:
    out = []
    for lesson in read_all():
        for lang in LANGS:
            graded, answer = [], None
            for cell in lesson.cells_for(lang):
                role = cell_role(cell)
                if role == "answer":
                    answer = defined_name(cell.source)
                elif role in ("test", "manual"):
                    graded.append({
                        "grade_id": cell.grade_id,
                        "points": cell.nbgrader["points"],
                        "grading": "auto" if role == "test" else "manual",
                        "defines": answer if role == "test" else None,
                    })
            rel = notebook_relpath(lesson.assignment(lang))
            out.append({
                "assignment": lesson.assignment(lang),
                "lesson": lesson.slug,
                "lang": lang,
                "source": f"source/{rel}",
                "release": f"release/{rel}",
                "points": sum(g["points"] for g in graded),
                "graded_cells": graded,
            })
    return out


def main(as_json: bool = False) -> int:
    data = manifest()
    if as_json:
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return 0
    for a in data:
        cells = ", ".join(f"{g['grade_id']}={g['points']:g}" for g in a["graded_cells"])
        points = _("{points:g} pts", points=a["points"])
        print(f"{a['assignment']:28s} {points:>8s}  {a['release']}\n    {cells}")
    return 0
