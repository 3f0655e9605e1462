"""Everything a student reads is in the notebook's language: in a code cell shared by both
languages, every sentence that is printed or drawn (print, plot titles, axis labels, legend
labels, text on a figure) goes through `lang_text(pt, es)` from the helper cell."""
from __future__ import annotations

import ast
import builtins
import re

import pytest

from course.authoring.lesson_format import read_all

# Calls whose string arguments a student reads.
SHOWN = {"print", "title", "suptitle", "xlabel", "ylabel", "set_title", "set_xlabel",
         "set_ylabel", "set_zlabel", "legend", "text", "annotate", "figtext", "set_label",
         "colorbar"}
SHOWN_KEYWORDS = {"label", "title", "xlabel", "ylabel", "description"}
# A token; one with "_" or a digit is code (y_pred, float32, sample_2), not a word of prose.
WORD = re.compile(r"[A-Za-zÀ-ÿ_][A-Za-zÀ-ÿ0-9_]*")


def _name(func: ast.AST) -> str:
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _strings(node: ast.AST):
    """String constants under `node`, skipping whatever sits inside a lang_text(...) call and
    the format specs of f-strings."""
    if isinstance(node, ast.Call) and _name(node.func) == "lang_text":
        return
    if isinstance(node, ast.FormattedValue):
        yield from _strings(node.value)
        return
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node.value
    for child in ast.iter_child_nodes(node):
        yield from _strings(child)


def identifiers(lesson) -> set[str]:
    names = set()
    for cell in lesson.cells:
        if cell.kind != "code":
            continue
        for node in ast.walk(ast.parse(cell.source)):
            if isinstance(node, ast.Name):
                names.add(node.id)
            elif isinstance(node, ast.Attribute):
                names.add(node.attr)
            elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                names.add(node.name)
            elif isinstance(node, ast.arg):
                names.add(node.arg)
            elif isinstance(node, ast.keyword) and node.arg:
                names.add(node.arg)
    return names


def sentences(source: str, known: set[str]) -> list[str]:
    """Shown strings of a shared code cell that hold a word no identifier explains."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        shown = list(node.args) if _name(node.func) in SHOWN else []
        shown += [k.value for k in node.keywords if k.arg in SHOWN_KEYWORDS]
        for arg in shown:
            for text in _strings(arg):
                words = [w for w in WORD.findall(text) if len(w) >= 3 and w not in known
                         and not re.search(r"[_0-9]", w)]
                if words:
                    found.append(text)
    return found


@pytest.mark.parametrize("lesson", read_all(), ids=lambda l: l.slug)
def test_shared_code_shows_no_sentence_outside_lang_text(lesson):
    known = identifiers(lesson) | set(dir(builtins)) | {"cpu", "cuda", "mps", "float32", "float64", "dtype", "grad",
                                   "torch", "sinc", "VJP", "JVP", "SGD", "MSE", "log", "txt", "csv"}
    bad = {}
    for cell in lesson.cells:
        if cell.kind == "code" and cell.lang is None:
            found = sentences(cell.source, known)
            if found:
                bad[cell.grade_id or cell.source.splitlines()[0][:40]] = found
    assert bad == {}, f"{lesson.slug}: shown text outside lang_text(pt, es): {bad}"


def test_the_rule_sees_a_sentence_and_accepts_lang_text():
    known = {"loss", "w"}
    assert sentences('print(f"initial loss {loss}")', known) == ["initial loss "]
    assert sentences('plt.xlabel("passos")', known) == ["passos"]
    assert sentences('ax.plot(x, y, label="reta tangente")', known) == ["reta tangente"]
    assert sentences('print(lang_text(f"perda {loss}", f"pérdida {loss}"))', known) == []
    assert sentences('print(f"w = {w:.4f}")', known) == []
    assert sentences('print("loss:", loss)', known) == []
