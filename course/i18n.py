"""The instructor's language (en, pt, es) for what `course` writes for the teacher.

Students read their notebook's language; the teacher reads this one.  It comes from, in order:
`$COURSE_INSTRUCTOR_LANG`, `c.Course.instructor_language` in the course's `nbgrader_config.py`,
the system locale (`LC_ALL`, `LC_MESSAGES`, `LANG`: `pt_BR.UTF-8` → pt), else English.

The texts live in gettext catalogs (`course/locale/<lang>.po`, English msgids), read with
Babel and compiled in memory, so editing a translation needs no build step.  Templates use
Jinja's i18n extension (`{{ _("...") }}`); Python code uses `gettext(lang)`.
`tests/test_i18n.py` fails on any message without a pt or es translation.
"""
from __future__ import annotations

import functools
import gettext as _gettext
import io
import os
from pathlib import Path
from typing import Any, Callable

INSTRUCTOR_LANGS = ("en", "pt", "es")
LOCALE_DIR = Path(__file__).resolve().parent / "locale"


def _from_locale() -> str | None:
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(var, "")
        code = value.split(":")[0][:2].lower()
        if code in INSTRUCTOR_LANGS:
            return code
        if value and value not in ("C", "POSIX") and not value.startswith("C."):
            return "en"
    return None


def instructor_lang(course: "Any" = None) -> str:
    """en, pt or es (see the module docstring for where it comes from)."""
    choice = os.environ.get("COURSE_INSTRUCTOR_LANG", "").strip().lower()[:2]
    if choice not in INSTRUCTOR_LANGS and course is not None:
        section = course.config.get("Course", {})
        choice = str(section.get("instructor_language", "") or "").strip().lower()[:2]
    if choice in INSTRUCTOR_LANGS:
        return choice
    return _from_locale() or "en"


@functools.lru_cache(maxsize=None)
def translations(lang: str) -> _gettext.NullTranslations:
    """The catalog of `lang` (English: the msgids themselves)."""
    path = LOCALE_DIR / f"{lang}.po"
    if lang == "en" or not path.exists():
        return _gettext.NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with path.open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    buf = io.BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    return _gettext.GNUTranslations(buf)


def N_(text: str) -> str:
    """Marks a message translated later (a constant shown through `_()`), for extraction."""
    return text


def gettext(lang: str) -> Callable[[str], str]:
    return translations(lang).gettext


def install(env, lang: str) -> None:
    """Give a Jinja environment (with jinja2.ext.i18n) the catalog of `lang`."""
    env.install_gettext_translations(translations(lang), newstyle=True)


_current: str | None = None


def use(lang_or_course: "Any") -> str:
    """Set the language `_()` speaks for this process (the CLI calls it once it knows the
    course); a course means its instructor language.  Returns the language chosen."""
    global _current
    if isinstance(lang_or_course, str):
        lang = lang_or_course if lang_or_course in INSTRUCTOR_LANGS else "en"
    else:
        lang = instructor_lang(lang_or_course)
    _current = lang
    return lang


def current() -> str:
    """The language `_()` speaks: the one `use()` set, else the environment's choice."""
    return _current or instructor_lang(None)


def _(text: str, /, **fields) -> str:
    """`text` (an English msgid) in the instructor's language, `{name}` fields filled in
    after translation, so translators can move them: `_("{n} graded", n=3)`."""
    out = translations(current()).gettext(text)
    return out.format(**fields) if fields else out


def ngettext(singular: str, plural: str, n: int, /, **fields) -> str:
    """Singular or plural by `n` (`{n}` is filled in with the rest of the fields)."""
    out = translations(current()).ngettext(singular, plural, n)
    return out.format(n=n, **fields)
