"""The cell vocabulary every stage shares: languages, answer stubs, nbgrader markers, a cell's
role and grade_id, and the names an answer cell defines.

Authoring writes cells with these words, intake recognises them in a submission, grading and
results read them back; one definition keeps the three from drifting apart.
"""
from __future__ import annotations

import ast
import re
from typing import Any, Mapping

LANGS = ("pt", "es")

# nbgrader keys ClearSolutions.code_stub by kernel language, so the human language is set per
# assignment when releasing.  The `raise` keeps an untouched stub failing loudly, with a
# sentence in the student's language (the hidden tests name it `not_implemented` either way).
CODE_STUBS = {
    "pt": '# SEU CÓDIGO AQUI\nraise NotImplementedError("exercício ainda não respondido: '
          'substitua esta linha pela sua resposta")',
    "es": '# TU CÓDIGO AQUÍ\nraise NotImplementedError("ejercicio todavía sin responder: '
          'reemplaza esta línea por tu respuesta")',
}
# A multiple-choice answer (grade_id `answer_<topic>`, the variable it defines) is released as
# the variable set to None, so a student never has to guess the name and an unanswered choice
# is no NameError (see authoring.release.choice_stubs).
CHOICE_STUBS = {
    "pt": '{name} = None  # SUA RESPOSTA AQUI: a letra da alternativa, por exemplo "a"',
    "es": '{name} = None  # TU RESPUESTA AQUÍ: la letra de la opción, por ejemplo "a"',
}
CHOICE_PREFIX = "answer_"
TEXT_STUBS = {
    "pt": "ESCREVA SUA RESPOSTA AQUI",
    "es": "ESCRIBE TU RESPUESTA AQUÍ",
}

SOLUTION_MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")
HIDDEN_MARKERS = ("### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS")
HELPER_GRADE_ID = "helpers"  # the locked cell `course build` inserts (LANG, check)

ROLES = ("answer", "manual", "test", "locked", "plain")


def nbgrader_meta(cell: Any) -> dict:
    """The nbgrader metadata of a notebook cell (a NotebookNode or a plain dict)."""
    return (cell.get("metadata", {}) or {}).get("nbgrader") or {}


def grade_id(cell: Any) -> str | None:
    return nbgrader_meta(cell).get("grade_id")


def role_of(meta: Mapping | None) -> str:
    """'answer' (auto-graded code answer), 'manual' (answer graded by hand), 'test' (auto-graded
    test cell), 'locked' (read-only cell restored at grading) or 'plain', from nbgrader metadata."""
    meta = meta or {}
    if meta.get("solution"):
        return "manual" if meta.get("grade") else "answer"
    if meta.get("grade"):
        return "test"
    return "locked" if meta.get("locked") else "plain"


def role(cell: Any) -> str:
    return role_of(nbgrader_meta(cell))


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


def solution_text(source: str) -> str:
    """An answer cell's source without its solution marker lines (the reference answer)."""
    return "\n".join(ln for ln in source.splitlines() if ln.strip() not in SOLUTION_MARKERS)


def normalized(text: str) -> str:
    """Content compared with whitespace ignored (Colab and editors reflow it)."""
    return " ".join(text.split())


def defined_names(source: str) -> set[str]:
    """Top-level functions, classes and assigned names of a code cell (magics allowed; a cell
    with a syntax error still counts by its `def`/`class`/`name =` lines)."""
    from IPython.core.inputtransformer2 import TransformerManager

    try:
        tree = ast.parse(TransformerManager().transform_cell(source))
    except (SyntaxError, ValueError):
        pattern = r"^(?:async\s+def|def|class)\s+(\w+)|^(\w+)\s*(?::[^=\n]*)?=(?!=)"
        return {a or b for a, b in re.findall(pattern, source, flags=re.M)}
    return set(_ordered_names(tree))


def defined_name(source: str) -> str | None:
    """The first function, class or variable an answer cell defines (its exercise's name)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    names = _ordered_names(tree)
    return names[0] if names else None


def _ordered_names(tree: ast.Module) -> list[str]:
    names = []
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.append(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names += [t.id for t in targets if isinstance(t, ast.Name)]
    return names

# A hidden test that fails records the recognised mistake's id as a display output of this type
# in its test cell (course.checks.mistakes); results read it back from the autograded notebook.
MISTAKE_MIME = "application/vnd.autograd-course.mistake+json"
