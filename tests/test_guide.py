"""The instructor guide exists in en, pt and es with the same structure and the same commands,
and `course guide` prints the instructor's language."""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from course import cli

GUIDE = Path(cli.__file__).resolve().parent / "guide"
FENCE = re.compile(r"```.*?```", re.S)


def shape(text: str) -> dict:
    """What must not differ between translations: code, links, and the outline."""
    body = FENCE.sub("", text)
    lines = body.splitlines()
    return {
        "code blocks": FENCE.findall(text),
        "inline code": Counter(re.sub(r"\s+", " ", span)
                               for span in re.findall(r"`([^`]+)`", body)),
        "links": sorted(t for t in re.findall(r"\]\(([^)]+)\)", body)
                        if t not in ("en.md", "pt.md", "es.md")),
        "headings": sum(ln.startswith("#") for ln in lines),
        "numbered": sum(bool(re.match(r"\d+\. ", ln)) for ln in lines),
        "bullets": sum(bool(re.match(r"\s*- ", ln)) for ln in lines),
    }


@pytest.mark.parametrize("lang", ["pt", "es"])
def test_the_guide_says_the_same_in_each_language(lang):
    english = shape((GUIDE / "en.md").read_text(encoding="utf-8"))
    other = shape((GUIDE / f"{lang}.md").read_text(encoding="utf-8"))
    for key, value in english.items():
        assert other[key] == value, f"{lang}.md differs from en.md in its {key}"


def test_every_command_of_the_cli_is_in_the_guide():
    text = (GUIDE / "en.md").read_text(encoding="utf-8")
    commands = cli._parser()._subparsers._group_actions[0].choices
    missing = [c for c in commands if f"course {c}" not in text]
    assert missing == [], f"course commands the guide never mentions: {missing}"


@pytest.mark.parametrize("lang,words", [("pt", "Guia do professor"), ("es", "Guía del docente"),
                                        ("en", "Instructor guide")])
def test_course_guide_prints_the_instructors_language(monkeypatch, capsys, lang, words):
    monkeypatch.setenv("COURSE_INSTRUCTOR_LANG", lang)
    assert cli.main(["guide"]) == 0
    assert capsys.readouterr().out.startswith(f"# {words}")
