"""Reject a lesson before it becomes notebooks, naming the lesson file and the cell.

Every rule here guards a way a generated notebook could grade wrongly or confuse a student:
a language without its twin, a grade_id nbgrader would crash on, a marker that would leak a
solution, stored outputs, or a test cell whose last expression nbgrader would read as a score.
"""
from __future__ import annotations

import ast
from itertools import groupby

from ..cells import HIDDEN_MARKERS, LANGS, SOLUTION_MARKERS, marked_lines, strip_markers
from ..course_folder import CourseError
from .lesson_format import Cell, Lesson, cell_role

NBGRADER_KEYS = {"grade_id", "solution", "grade", "points", "locked", "task", "schema_version"}


class LessonError(CourseError):
    """One or more problems in lesson sources; the message lists them all."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("invalid lesson:\n  " + "\n  ".join(problems))


def validate(lesson: Lesson) -> list[str]:
    """All problems found in `lesson` (empty when it is valid)."""
    problems: list[str] = []
    for cell in lesson.cells:
        problems += [f"{cell.where(lesson)}: {p}" for p in _cell_problems(cell)]
    problems += _twin_problems(lesson)
    problems += _grade_id_problems(lesson)
    return problems


def check(lessons: list[Lesson]) -> None:
    problems = [p for lesson in lessons for p in validate(lesson)]
    if problems:
        raise LessonError(problems)


def _cell_problems(cell: Cell) -> list[str]:
    out = []
    if cell.lang is not None and cell.lang not in LANGS:
        out.append(f"unknown language tag lang={cell.lang!r} (use one of {', '.join(LANGS)})")
    if cell.kind == "markdown" and cell.lang is None:
        out.append("markdown cell without lang=\"pt\" or lang=\"es\"")
    if cell.outputs or "execution_count" in cell.extra or "outputs" in cell.extra:
        out.append("stored outputs: lesson sources hold no outputs (clear them)")
    unknown = set(cell.extra) - {"execution_count", "outputs"}
    if unknown:
        out.append(f"unknown cell metadata {sorted(unknown)} (allowed: lang, nbgrader)")
    out += _marker_problems(cell)
    if cell.nbgrader is not None:
        out += _nbgrader_problems(cell)
    return out


def _marker_problems(cell: Cell) -> list[str]:
    out = []
    role = cell_role(cell)
    for markers, allowed_role, what in ((SOLUTION_MARKERS, ("answer",), "solution"),
                                        (HIDDEN_MARKERS, ("test",), "hidden-test")):
        depth, seen = 0, False
        for line in cell.source.splitlines():
            s = line.strip()
            if s == markers[0]:
                depth += 1
                seen = True
                if depth > 1:
                    out.append(f"nested `{markers[0]}`")
            elif s == markers[1]:
                depth -= 1
                if depth < 0:
                    out.append(f"`{markers[1]}` without a matching `{markers[0]}`")
                    depth = 0
        if depth > 0:
            out.append(f"unbalanced markers: `{markers[0]}` is never closed by `{markers[1]}`")
        if seen and role not in allowed_role:
            out.append(f"{what} markers in a cell that is not an nbgrader {allowed_role[0]} cell")
    return out


def _nbgrader_problems(cell: Cell) -> list[str]:
    nbg = cell.nbgrader
    out = []
    if not isinstance(nbg, dict):
        return ["nbgrader metadata must be a JSON object"]
    unknown = set(nbg) - NBGRADER_KEYS
    if unknown:
        out.append(f"unknown nbgrader keys {sorted(unknown)}")
    gid = nbg.get("grade_id")
    if gid == "helpers":
        out.append("grade_id 'helpers' is reserved for the helper cell the build adds")
    if not isinstance(gid, str) or not gid.replace("_", "").replace("-", "").isalnum():
        out.append("nbgrader cell needs a grade_id made of letters, digits, '_' or '-'")
    role = cell_role(cell)
    if role in ("test", "manual"):
        pts = nbg.get("points")
        if not isinstance(pts, (int, float)) or isinstance(pts, bool) or pts <= 0:
            out.append("a graded cell needs points > 0")
    elif "points" in nbg:
        out.append("points on a cell that is not graded")
    if role == "answer" and cell.kind == "code" and SOLUTION_MARKERS[0] not in cell.source:
        out.append("answer cell without `### BEGIN SOLUTION` (the student would see the solution)")
    if role == "test" and cell.kind != "code":
        out.append("a test cell must be a code cell")
    if role == "test":
        out += _trailing_expression_problems(cell)
    return out


# Calls that may end a test cell: the visible-check helper and the hidden-test modules, both
# of which return None (so nbgrader never sees a value it could read as a score).
SAFE_CALLS = {"check", "check_choice", "hidden_checks"}


def _is_safe_call(node: ast.AST) -> bool:
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    while isinstance(func, ast.Attribute):
        func = func.value
    return isinstance(func, ast.Name) and func.id in SAFE_CALLS


def _trailing_expression_problems(cell: Cell) -> list[str]:
    """nbgrader reads a test cell's last displayed value as its score: forbid one."""
    out = []
    for label, code in (("", cell.source), (" once hidden tests are removed",
                                            strip_markers(cell.source, HIDDEN_MARKERS))):
        try:
            tree = ast.parse(code)
        except SyntaxError as exc:
            return [f"syntax error in test cell: {exc.msg} (line {exc.lineno})"]
        last = tree.body[-1] if tree.body else None
        if isinstance(last, ast.Expr) and not _is_safe_call(last.value):
            out.append("test cell ends with a bare expression" + label + ": nbgrader would "
                       "read its value as the score (make it a statement, e.g. `assert ...`, "
                       "or a call to `check`/`hidden_checks`, which return None)")
    return out


def _twin_problems(lesson: Lesson) -> list[str]:
    """Each run of language-tagged cells holds the same cells, in the same order, per language."""
    out = []
    for tagged, run in groupby(lesson.cells, key=lambda c: c.lang is not None):
        if not tagged:
            continue
        run = [c for c in run if c.lang in LANGS]
        per_lang = {lang: [c for c in run if c.lang == lang] for lang in LANGS}
        longest = max(len(v) for v in per_lang.values())
        for i in range(longest):
            present = {lang: cells[i] for lang, cells in per_lang.items() if i < len(cells)}
            some = next(iter(present.values()))
            for lang in LANGS:
                if lang not in present:
                    out.append(f"{some.where(lesson)}: lang={some.lang} cell has no "
                               f"lang={lang} twin next to it")
                    continue
                twin = present[lang]
                if twin.kind != some.kind or twin.nbgrader != some.nbgrader:
                    out.append(f"{twin.where(lesson)}: twin of {some.where(lesson)} differs "
                               "in cell type or nbgrader metadata")
                elif marked_lines(twin.source, HIDDEN_MARKERS) != \
                        marked_lines(some.source, HIDDEN_MARKERS):
                    out.append(f"{twin.where(lesson)}: hidden tests differ from its twin's")
    return out


def _grade_id_problems(lesson: Lesson) -> list[str]:
    out = []
    for lang in LANGS:
        seen: dict[str, Cell] = {}
        for cell in lesson.cells_for(lang):
            gid = cell.grade_id
            if gid is None:
                continue
            if gid in seen:
                out.append(f"{cell.where(lesson)}: duplicated grade_id {gid!r} in the {lang} "
                           f"notebook (first at cell {seen[gid].index})")
            else:
                seen[gid] = cell
    return out
