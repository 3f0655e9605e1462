"""Answers students really write, per lesson: `WRONG[grade_id]` and `CORRECT[grade_id]` map a
short description to the code of a whole answer cell.  The demo class and the tests use them to
show that every wrong answer loses its exercise's points and every correct one keeps them."""
from __future__ import annotations

import importlib


def load(lesson_slug: str):
    """The variants module of a lesson (e.g. "01_graph"), or None if it has none."""
    try:
        return importlib.import_module(f"course.variants.v{lesson_slug}")
    except ModuleNotFoundError:
        return None
