"""Multiple-choice answers: one letter, read as the visible check reads it."""
from __future__ import annotations

from typing import Any

from .generic import fail
from .plain import plain_str, shown


def normalize_choice(text: str) -> str:
    """" B ", "(b)", "b)", "b.", "'b'" -> "b": the rule the visible check_choice applies too
    (course/authoring/helper_cell.py), so a letter the visible check accepts scores."""
    return text.strip().strip("\"'").strip().lstrip("(").rstrip(").").strip().lower()


def check_choice(lang: str, name: str, answer: Any, correct: str, options: str,
                 why: dict | None = None, table=None) -> None:
    """Multiple-choice answer: one letter among `options` (a str, any case, spaces or
    parentheses).  `why` maps a wrong letter to the mistake id in `table` (the lesson's
    MISTAKES) whose message says why that option is wrong; other wrong letters get the
    generic `wrong_choice`."""
    text = plain_str(answer)
    letter = None if text is None else normalize_choice(text)
    if letter is None or letter not in tuple(options):
        fail(lang, "not_a_choice", name=name, got=shown(answer),
             options=", ".join(repr(o) for o in options))
    if letter != correct:
        if why and letter in why and table is not None:
            table.fail(lang, why[letter], name=name, got=repr(letter))
        fail(lang, "wrong_choice", name=name, got=repr(letter))
