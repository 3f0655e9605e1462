"""Every wrong answer in course/variants loses its exercise's points; the reference solution and
every differently-written correct answer keep them.  Runs the hidden-test block of each test
cell on the answer code directly (as the notebook would), on every available device."""
from __future__ import annotations

import ast

import pytest

from course import variants
from course.checks import CheckFailed
from course.lesson_format import (HIDDEN_MARKERS, SOLUTION_MARKERS, cell_role, marked_lines,
                                  read_all)


def _cases():
    for lesson in read_all():
        mod = variants.load(lesson.slug)
        if mod is None:
            continue
        cells = lesson.cells_for("pt")
        answers = [c for c in cells if cell_role(c) == "answer"]
        for gid, table in mod.WRONG.items():
            for label in table:
                yield pytest.param(lesson, gid, table[label], False, id=f"{lesson.slug}-{gid}-wrong-{label}")
        for gid, table in getattr(mod, "CORRECT", {}).items():
            for label in table:
                yield pytest.param(lesson, gid, table[label], True, id=f"{lesson.slug}-{gid}-ok-{label}")
        for cell in answers:
            yield pytest.param(lesson, cell.grade_id, None, True, id=f"{lesson.slug}-{cell.grade_id}-reference")


def _solution(cell) -> str:
    return "\n".join(ln for ln in cell.source.splitlines() if ln.strip() not in SOLUTION_MARKERS)


def hidden_tests_of(lesson, gid: str) -> list[str]:
    """Hidden blocks of the test cells that follow answer `gid` up to the next answer cell."""
    cells = lesson.cells_for("pt")
    start = next(i for i, c in enumerate(cells) if c.grade_id == gid)
    blocks = []
    for cell in cells[start + 1:]:
        if cell_role(cell) == "answer":
            break
        if cell_role(cell) == "test":
            blocks.append(marked_lines(cell.source, HIDDEN_MARKERS))
    return blocks


def _only_definitions(source: str) -> bool:
    """A cell made only of imports, defs, classes and constant assignments (cheap to run)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return False
    ok = (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.ClassDef)
    return all(isinstance(n, ok) or (isinstance(n, ast.Assign) and
                                     isinstance(n.value, ast.Constant)) for n in tree.body)


def namespace(lesson, lang: str = "pt") -> dict:
    """What a notebook has defined when a test cell runs: the lesson's first code cell (imports,
    device), every definition-only cell, and every answer cell's reference solution."""
    cells = lesson.cells_for(lang)
    ns = {"__name__": "__student__", "LANG": lang}
    first_code = next(c for c in cells if c.kind == "code")
    exec(first_code.source, ns)
    for cell in cells:
        if cell_role(cell) == "answer":
            exec(_solution(cell), ns)
        elif cell_role(cell) == "plain" and cell.kind == "code" and _only_definitions(cell.source):
            exec(cell.source, ns)
    return ns


@pytest.mark.parametrize("lesson,gid,code,correct", list(_cases()))
def test_variant_scores(lesson, gid, code, correct):
    ns = namespace(lesson)
    if code is not None:
        exec(code, ns)
    blocks = hidden_tests_of(lesson, gid)
    assert blocks, f"answer {gid} has no hidden tests"
    if correct:
        for block in blocks:
            exec(block, ns)
    else:
        with pytest.raises(Exception) as info:
            for block in blocks:
                exec(block, ns)
        assert isinstance(info.value, CheckFailed), f"crashed instead of failing: {info.value!r}"
