"""The instructor's texts in pt and es: every message of the templates and of the code that
speaks through `_()`/`N_()` has a translation in both catalogs, with the same placeholders;
the language comes from the setting, the course's config, or the locale."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

from course import i18n

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = sorted((ROOT / "course" / "results" / "templates").glob("report*.html.j2"))
CODE = [ROOT / "course" / "results" / "report.py", ROOT / "course" / "results" / "mistake_stats.py",
        ROOT / "course" / "results" / "item_analysis.py"]
PLACEHOLDER = re.compile(r"%\(\w+\)s")


def messages() -> set[str]:
    from jinja2.ext import babel_extract

    found = set()
    for path in TEMPLATES:
        for found_msg in extract_from_file(
                babel_extract, str(path), keywords={"_": None},
                options={"extensions": "jinja2.ext.i18n", "trim_blocks": "1",
                         "lstrip_blocks": "1"}):
            found.add(found_msg[1])
    for path in CODE:
        if path.exists():
            for found_msg in extract_from_file("python", str(path),
                                               keywords={"_": None, "N_": None}):
                found.add(found_msg[1])
    return found


def test_there_are_messages_to_translate():
    assert len(messages()) > 50


@pytest.mark.parametrize("lang", ["pt", "es"])
def test_every_message_is_translated(lang):
    with (i18n.LOCALE_DIR / f"{lang}.po").open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    missing = sorted(m for m in messages() if not (catalog.get(m) and catalog.get(m).string))
    assert missing == [], f"untranslated in {lang}.po: {missing}"
    for msg in catalog:
        if msg.id:
            assert PLACEHOLDER.findall(msg.id) == PLACEHOLDER.findall(msg.string), msg.id
            assert msg.string != msg.id or len(msg.id) < 8, f"copied, not translated: {msg.id}"


def test_language_from_setting_config_and_locale(monkeypatch, tmp_path):
    for var in ("COURSE_INSTRUCTOR_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        monkeypatch.delenv(var, raising=False)
    assert i18n.instructor_lang() == "en"
    monkeypatch.setenv("LANG", "pt_BR.UTF-8")
    assert i18n.instructor_lang() == "pt"
    monkeypatch.setenv("LANG", "es_MX.UTF-8")
    assert i18n.instructor_lang() == "es"
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    assert i18n.instructor_lang() == "en"

    class Config(dict):
        pass

    class FakeCourse:
        config = Config(Course={"instructor_language": "pt"})

    assert i18n.instructor_lang(FakeCourse()) == "pt"
    monkeypatch.setenv("COURSE_INSTRUCTOR_LANG", "es")
    assert i18n.instructor_lang(FakeCourse()) == "es"
    monkeypatch.setenv("COURSE_INSTRUCTOR_LANG", "xx")
    assert i18n.instructor_lang(FakeCourse()) == "pt"


def test_a_translation_is_used():
    assert i18n.gettext("pt")("What the class got wrong") == "O que a turma errou"
    assert i18n.gettext("es")("What the class got wrong") == "En qué se equivocó el grupo"
    assert i18n.gettext("en")("What the class got wrong") == "What the class got wrong"


def test_no_message_has_a_bare_percent_sign():
    """Jinja's newstyle gettext always applies `%` formatting: "mean %" would crash a page."""
    bare = [m for m in messages() if re.search(r"%(?!\(\w+\)s)", m)]
    assert bare == []
