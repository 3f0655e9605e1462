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
# Everything the instructor reads from Python code (the lessons and the hidden tests' library
# speak the student's language through their own pt/es messages, not these catalogs).
CODE = sorted(p for p in (ROOT / "course").rglob("*.py")
              if not {"lessons", "checks"} & set(p.relative_to(ROOT / "course").parts))
PLACEHOLDER = re.compile(r"%\(\w+\)[sdr]|%[sdr]|\{\w*[^{}]*\}")


# Messages that read the same in a language ("error" is Spanish too); anything else copied
# from the English is an untranslated message.
SAME_IN = {"pt": {"{points:g} pts", "{n} bytes"},
           "es": {"{points:g} pts", "{n} bytes", "%(prog)s: error: %(message)s\n",
                  "course {command}: error: {message}"}}


def template_messages() -> set[str]:
    from jinja2.ext import babel_extract

    found = set()
    for path in TEMPLATES:
        for found_msg in extract_from_file(
                babel_extract, str(path), keywords={"_": None},
                options={"extensions": "jinja2.ext.i18n", "trim_blocks": "1",
                         "lstrip_blocks": "1"}):
            found.add(found_msg[1])
    return found


def code_messages() -> set[str]:
    found = set()
    for path in CODE:
        for found_msg in extract_from_file("python", str(path),
                                           keywords={"_": None, "N_": None, "ngettext": (1, 2)}):
            msg = found_msg[1]
            found.update(msg if isinstance(msg, tuple) else [msg])
    return found


def messages() -> set[str]:
    return template_messages() | code_messages()


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
            assert sorted(PLACEHOLDER.findall(msg.id)) == sorted(PLACEHOLDER.findall(msg.string)), \
                msg.id
            assert msg.string != msg.id or len(msg.id) < 8 or msg.id in SAME_IN[lang], \
                f"copied, not translated: {msg.id}"


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


def test_no_template_message_has_a_bare_percent_sign():
    """Jinja's newstyle gettext always applies `%` formatting: "mean %" would crash a page."""
    bare = [m for m in template_messages() if re.search(r"%(?!\(\w+\)s)", m)]
    assert bare == []


def test_every_catalog_message_is_still_used():
    """A msgid no code or template asks for is a stale translation (the English changed)."""
    from course import cli

    used = messages() | set(cli.ARGPARSE_MESSAGES)
    for lang in ("pt", "es"):
        with (i18n.LOCALE_DIR / f"{lang}.po").open("rb") as fh:
            stale = sorted(m.id for m in read_po(fh, locale=lang) if m.id and m.id not in used)
        assert stale == [], f"{lang}.po has messages nothing uses: {stale}"


@pytest.mark.parametrize("lang", ["pt", "es"])
def test_code_messages_format_in_every_language(lang):
    """Every `{field}` message formats with the fields the English one takes."""
    fields = re.compile(r"\{(\w+)")
    translate = i18n.gettext(lang)
    for msg in code_messages():
        names = set(fields.findall(msg))
        if names:
            values = {n: 1.5 for n in names}
            assert translate(msg).format(**values)


def test_the_command_speaks_the_instructors_language(monkeypatch, capsys, tmp_path):
    """Errors, argparse's own texts and --help follow $COURSE_INSTRUCTOR_LANG; without it,
    the course's `c.Course.instructor_language`."""
    from course import cli

    from conftest import scratch_course

    course = scratch_course(tmp_path / "c")
    monkeypatch.setenv("COURSE_INSTRUCTOR_LANG", "pt")
    assert cli.main(["--course", str(course.root), "grade", "nope_pt"]) == 2
    assert "não é uma tarefa deste curso" in capsys.readouterr().err
    monkeypatch.setenv("COURSE_INSTRUCTOR_LANG", "es")
    with pytest.raises(SystemExit):
        cli.main(["--course", str(course.root), "collect"])
    assert "se requieren estos argumentos" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        cli.main(["--course", str(course.root), "grade", "--help"])
    out = capsys.readouterr().out
    assert "opciones" in out and "vuelve a calificar todas las entregas" in out

    monkeypatch.delenv("COURSE_INSTRUCTOR_LANG")
    config = course.root / "nbgrader_config.py"
    config.write_text(config.read_text() + '\nc.Course.instructor_language = "es"\n')
    assert cli.main(["--course", str(course.root), "due", "01_graph_pt"]) == 0
    assert "01_graph_pt: fecha de entrega sin definir" in capsys.readouterr().out
    monkeypatch.setenv("COURSE_INSTRUCTOR_LANG", "en")
    assert cli.main(["--course", str(course.root), "due", "01_graph_pt"]) == 0
    assert "01_graph_pt: due none" in capsys.readouterr().out
