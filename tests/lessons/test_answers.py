"""Every wrong answer in a lesson's answers.py fails its exercise's hidden tests with the very
mistake id it declares (so the diagnosis itself is tested); the reference solution and every
differently-written correct answer pass.  Runs the hidden-test blocks of each test cell on the
answer code directly, as the notebook would, on every available device."""
from __future__ import annotations

import ast
import warnings

import pytest

from course.authoring.lesson_format import cell_role, read_all
from course.cells import HIDDEN_MARKERS, marked_lines, solution_text
from course.checks import CheckFailed
from course.checks.generic import GENERIC
from course.lessons import Wrong, load_answers, load_mistakes

LESSONS = read_all()


def _cases():
    for lesson in LESSONS:
        mod = load_answers(lesson.slug)
        for gid, table in mod.WRONG.items():
            for label, wrong in table.items():
                yield pytest.param(lesson, gid, wrong.code, wrong.mistake,
                                   id=f"{lesson.slug}-{gid}-wrong-{label}")
        for gid, table in getattr(mod, "CORRECT", {}).items():
            for label, code in table.items():
                yield pytest.param(lesson, gid, code, None, id=f"{lesson.slug}-{gid}-ok-{label}")
        for cell in lesson.cells_for("pt"):
            if cell_role(cell) == "answer":
                yield pytest.param(lesson, cell.grade_id, None, None,
                                   id=f"{lesson.slug}-{cell.grade_id}-reference")


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
            exec(solution_text(cell.source), ns)
        elif cell_role(cell) == "plain" and cell.kind == "code" and _only_definitions(cell.source):
            exec(cell.source, ns)
    return ns


@pytest.mark.parametrize("lesson,gid,code,mistake", list(_cases()))
def test_answer_is_diagnosed(lesson, gid, code, mistake):
    ns = namespace(lesson)
    if code is not None:
        exec(code, ns)
    blocks = hidden_tests_of(lesson, gid)
    assert blocks, f"answer {gid} has no hidden tests"
    # a warning the hidden test itself raises reaches stderr in a kernel: nbgrader gives the
    # cell 0 (the student's own warnings are silenced inside each call)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if mistake is None:
            for block in blocks:
                exec(block, ns)
        else:
            with pytest.raises(Exception) as info:
                for block in blocks:
                    exec(block, ns)
    assert not caught, [f"{w.filename}:{w.lineno}: {w.message}" for w in caught]
    if mistake is None:
        return
    assert isinstance(info.value, CheckFailed), f"crashed instead of failing: {info.value!r}"
    assert info.value.mistake == mistake, (
        f"diagnosed as {info.value.mistake!r}, declared {mistake!r}: {info.value}")


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda l: l.slug)
def test_every_declared_mistake_is_triggered_by_some_wrong_answer(lesson):
    table = load_mistakes(lesson.slug).MISTAKES
    declared = {w.mistake for t in load_answers(lesson.slug).WRONG.values() for w in t.values()}
    untested = sorted(set(table.ids()) - declared)
    assert not untested, f"{lesson.slug}: mistakes no wrong answer demonstrates: {untested}"


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda l: l.slug)
def test_answers_file_is_well_formed(lesson):
    mod = load_answers(lesson.slug)
    table = load_mistakes(lesson.slug).MISTAKES
    answers = {c.grade_id for c in lesson.cells_for("pt") if cell_role(c) == "answer"}
    assert set(mod.WRONG) <= answers, set(mod.WRONG) - answers
    for gid, wrongs in mod.WRONG.items():
        assert len(wrongs) >= 3 or gid.startswith("answer_"), f"{gid}: fewer than 3 wrong answers"
        for label, wrong in wrongs.items():
            assert isinstance(wrong, Wrong), f"{gid}/{label} is not a Wrong(mistake, code)"
            assert wrong.mistake in table or wrong.mistake in GENERIC, (
                f"{gid}/{label}: unknown mistake id {wrong.mistake!r}")
            if wrong.mistake in table:
                assert table.exercise_of(wrong.mistake) == gid, (
                    f"{gid}/{label}: {wrong.mistake!r} is declared for "
                    f"{table.exercise_of(wrong.mistake)}")
    for gid, label in getattr(mod, "DEMO_MISTAKES", {}).items():
        assert label in mod.WRONG[gid], (gid, label)
