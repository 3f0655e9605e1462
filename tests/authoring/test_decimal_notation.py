"""Decimal numbers are written one way per place (docs/GLOSSARY.md, "Numbers"):

- Portuguese prose (markdown) uses the decimal comma, `0,5` (in LaTeX `0{,}5`, and `;` between
  the entries of a vector that holds one), as a Brazilian teacher writes;
- Spanish prose uses the decimal point, `0.5`, as Mexico and most of Central America write and
  as every Spanish-speaking student reads in code;
- whatever code prints or draws (check messages, `lang_text` strings, plot labels) uses the
  decimal point in both languages, next to the numbers Python prints itself (`tensor(0.5000)`).
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from course.authoring.lesson_format import read_all

LESSONS = Path(__file__).resolve().parents[2] / "course" / "lessons"
CODE_SPAN = re.compile(r"`[^`]*`")
MATH = re.compile(r"\$\$.*?\$\$|\$[^$]*\$", re.S)
# 0.5, 2.25 — but not a version (PyTorch 2.0, versão 0.4) nor a section number (seção 2.1).
DECIMAL_POINT = re.compile(r"(?<![\w.])(?<!PyTorch )(?<!versão )(?<!versión )(?<!seção )"
                           r"(?<!sección )(?<!Python )\d+\.\d+(?![\w.])")
# 0,5 and 0{,}5 — but not a list of integers ([0,1,2,3], (1,2)).
DECIMAL_COMMA = re.compile(r"(?<![\w.,\[(])\d+(?:\{,\}|,)\d+(?![\d,\])])")


def _prose(lang: str):
    for lesson in read_all():
        for cell in lesson.cells_for(lang):
            if cell.kind == "markdown":
                yield lesson.slug, CODE_SPAN.sub("", cell.source)


def _offending(pattern: re.Pattern, text: str) -> list[str]:
    return [text[max(0, m.start() - 30):m.end() + 10] for m in pattern.finditer(text)]


def test_portuguese_prose_writes_the_decimal_comma():
    bad = [(slug, hit) for slug, text in _prose("pt") for hit in _offending(DECIMAL_POINT, text)]
    assert not bad, bad


def test_spanish_prose_writes_the_decimal_point():
    bad = [(slug, hit) for slug, text in _prose("es")
           for hit in _offending(DECIMAL_COMMA, text) + [h for h in _offending(
               re.compile(r"\d\{,\}\d"), text)]]
    assert not bad, bad


def _printed_strings(path: Path):
    """String constants of a module whose text reaches students through code."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.value


def _shown_code_strings():
    for path in sorted(LESSONS.glob("*/mistakes.py")) + sorted(LESSONS.glob("*/checks.py")):
        for text in _printed_strings(path):
            yield path.parent.name, text
    for lesson in read_all():
        for cell in lesson.cells:
            if cell.kind != "code":
                continue
            try:
                tree = ast.parse(cell.source)
            except SyntaxError:
                continue
            for node in ast.walk(tree):
                if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "lang_text":
                    for arg in node.args:
                        for sub in ast.walk(arg):
                            if isinstance(sub, ast.Constant) and isinstance(sub.value, str):
                                yield lesson.slug, sub.value


def test_what_code_prints_writes_the_decimal_point():
    bad = [(where, hit) for where, text in _shown_code_strings()
           for hit in _offending(DECIMAL_COMMA, MATH.sub("", text))]
    assert not bad, bad


@pytest.mark.parametrize("text, pattern, found", [
    ("com $x = 1.5$ e", DECIMAL_POINT, True),
    ("desde o PyTorch 2.0 e a seção 2.1", DECIMAL_POINT, False),
    ("Δw = 0,1 e $0{,}57$", DECIMAL_COMMA, True),
    ("$x = [0,1,2,3]$ e nextafter(0, 1)", DECIMAL_COMMA, False),
])
def test_the_patterns_tell_decimals_from_versions_and_lists(text, pattern, found):
    assert bool(pattern.search(text)) is found
