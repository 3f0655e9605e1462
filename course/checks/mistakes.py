"""Mistakes as data: each lesson declares, per exercise, the mistakes its hidden tests recognise
(an id and one message in pt and es); the checks' logic only names the id.

A failed hidden test raises `CheckFailed` carrying the mistake id.  Inside a grading kernel the
id is also published as a display output of MIME type `MISTAKE_MIME` in the test cell, so a
later step (reports, the class's mistake statistics) reads which mistake each student made from
the autograded notebook without re-running anything.  The output has no text form: neither
the notebook nor nbgrader's pages show it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, NoReturn

from ..cells import MISTAKE_MIME


@dataclass(frozen=True)
class Message:
    """One sentence in both languages; `{name}` fields are filled when it is said."""

    pt: str
    es: str

    def say(self, lang: str, **fields) -> str:
        text = self.es if lang == "es" else self.pt
        return text.format(**fields) if fields else text


class CheckFailed(AssertionError):
    """A failed hidden test.  IPython shows only the message (no traceback, so no test code);
    `mistake` is the id of the recognised mistake ("wrong_value" when none was recognised)."""

    def __init__(self, message: str, mistake: str = "wrong_value"):
        super().__init__(message)
        self.mistake = mistake

    def _render_traceback_(self) -> list[str]:
        return [f"{type(self).__name__}: {line}" if i == 0 else line
                for i, line in enumerate(str(self).splitlines())]


class Mistakes:
    """The named mistakes of one lesson: {exercise: {mistake id: Message}}, plus hints (a
    sentence added to an unrecognised wrong value, keyed by what is compared).

    Ids are unique in the lesson and never reuse a generic id (course.checks.generic), so an id
    alone says which mistake it is.  `fail` falls back to the generic table."""

    def __init__(self, by_exercise: Mapping[str, Mapping[str, Message]],
                 hints: Mapping[str, Message] | None = None, generic: "Mistakes | None" = None):
        self.by_exercise = {ex: dict(table) for ex, table in by_exercise.items()}
        self.hints = dict(hints or {})
        self.generic = generic
        self._index: dict[str, tuple[str, Message]] = {}
        for exercise, table in self.by_exercise.items():
            for mid, message in table.items():
                if mid in self._index:
                    raise ValueError(f"mistake id {mid!r} is declared twice "
                                     f"({self._index[mid][0]} and {exercise})")
                if generic is not None and mid in generic:
                    raise ValueError(f"mistake id {mid!r} of {exercise} is a generic id")
                self._index[mid] = (exercise, message)

    def __contains__(self, mid: str) -> bool:
        return mid in self._index

    def ids(self) -> list[str]:
        return list(self._index)

    def exercise_of(self, mid: str) -> str:
        return self._index[mid][0]

    def message(self, mid: str) -> Message:
        if mid in self._index:
            return self._index[mid][1]
        if self.generic is not None and mid in self.generic:
            return self.generic.message(mid)
        raise KeyError(f"unknown mistake id {mid!r} (declare it in the lesson's mistakes.py)")

    def hint(self, key: str) -> Message:
        if key not in self.hints:
            raise KeyError(f"unknown hint {key!r} (declare it in the lesson's mistakes.py)")
        return self.hints[key]

    def fail(self, lang: str, mid: str, **fields) -> NoReturn:
        raise_mistake(mid, self.message(mid).say(lang, **fields))


def raise_mistake(mid: str, text: str) -> NoReturn:
    publish(mid)
    raise CheckFailed(text, mid) from None


def publish(mid: str) -> None:
    """Record the mistake id in the running test cell's outputs (only inside a kernel)."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython ships with every kernel
        return
    shell = get_ipython()
    if shell is None or getattr(shell, "display_pub", None) is None:
        return
    try:
        shell.display_pub.publish({MISTAKE_MIME: {"mistake": mid}}, metadata={})
    except Exception:  # never let the record hide the verdict
        pass
