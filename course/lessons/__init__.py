"""The lessons, one folder each, under one name (e.g. `01_graph`):

    lesson.py    the text of both languages and the reference solutions (jupytext py:percent)
    checks.py    the hidden tests: one `check_<name>(answer, lang)` per graded test cell
    mistakes.py  the mistakes those tests recognise, per exercise, with their pt/es messages
    answers.py   answers students really write: wrong ones (each naming the mistake id it must
                 trigger) and differently-written correct ones

Folder names start with a digit, so modules are loaded by name (`load_checks("01_graph")`),
which is also how a hidden-test block reaches its lesson's checks inside a grading kernel.
"""
from __future__ import annotations

import importlib
import re
from pathlib import Path
from types import ModuleType
from typing import NamedTuple

LESSONS_DIR = Path(__file__).resolve().parent
SLUG = re.compile(r"^\d\d_[a-z0-9_]+$")


def slugs() -> list[str]:
    """Every lesson, in course order."""
    return sorted(p.name for p in LESSONS_DIR.iterdir()
                  if p.is_dir() and SLUG.match(p.name) and (p / "lesson.py").exists())


def lesson_file(slug: str) -> Path:
    return LESSONS_DIR / slug / "lesson.py"


def _load(slug: str, part: str) -> ModuleType:
    if not SLUG.match(slug):
        raise ValueError(f"{slug!r} is not a lesson name (NN_slug)")
    return importlib.import_module(f"{__name__}.{slug}.{part}")


def load_checks(slug: str) -> ModuleType:
    """The hidden tests of a lesson (imported inside every hidden-test block)."""
    return _load(slug, "checks")


def load_mistakes(slug: str) -> ModuleType:
    return _load(slug, "mistakes")


def load_answers(slug: str) -> ModuleType:
    return _load(slug, "answers")


class Wrong(NamedTuple):
    """A wrong answer students really write: the code of the whole answer cell and the id of
    the mistake its hidden tests must name (a lesson mistake or a generic one)."""

    mistake: str
    code: str

