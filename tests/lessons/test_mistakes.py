"""Mistakes are data: every lesson's table is well formed in both languages, and no sentence a
student reads is left in a checks.py (message text lives in mistakes.py, logic in checks.py)."""
from __future__ import annotations

import ast
import re
import string

import pytest

from course.checks.generic import GENERIC
from course.checks.mistakes import CheckFailed, Message, Mistakes
from course.lessons import LESSONS_DIR, load_mistakes, slugs

ACCENTED = re.compile(r"[ãõçáéíóúâêôàñ¿¡]", re.I)
WORDS = re.compile(r"\b(n[aã]o|voc[eê]|esperad[oa]|esperaba|errad[oa]|incorrect[oa]|deve|debe|"
                   r"pelo|para|uma?|una?|com|con|sem|sin|est[aá]|obtido|obtuvo)\b", re.I)


def fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def tables():
    yield "generic", GENERIC
    for slug in slugs():
        yield slug, load_mistakes(slug).MISTAKES


@pytest.mark.parametrize("name,table", list(tables()), ids=lambda x: x if isinstance(x, str) else "")
def test_every_message_is_in_both_languages_with_the_same_fields(name, table):
    messages = [(mid, table.message(mid)) for mid in table.ids()]
    messages += [(f"hint {k}", m) for k, m in table.hints.items()]
    assert messages, name
    for mid, msg in messages:
        assert isinstance(msg, Message), mid
        assert msg.pt.strip() and msg.es.strip(), (name, mid)  # (a formula may read the same)
        assert fields(msg.pt) == fields(msg.es), (name, mid, fields(msg.pt), fields(msg.es))
        if not mid.startswith("hint "):
            assert re.fullmatch(r"[a-z][a-z0-9_]*", mid), (name, mid)


@pytest.mark.parametrize("slug", slugs())
def test_checks_hold_no_student_facing_sentence(slug):
    tree = ast.parse((LESSONS_DIR / slug / "checks.py").read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
            if node.lineno and (ACCENTED.search(text) or WORDS.search(text)):
                found.append(f"line {node.lineno}: {text[:60]!r}")
    docstrings = {n.body[0].value.lineno for n in ast.walk(tree)
                  if isinstance(n, (ast.Module, ast.FunctionDef, ast.ClassDef)) and n.body
                  and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
    found = [f for f in found if int(f.split()[1].rstrip(":")) not in docstrings]
    assert not found, f"{slug}/checks.py has text for students (move it to mistakes.py): {found}"


def test_a_mistake_fails_with_its_id_and_message_in_the_language():
    table = Mistakes({"f": {"off_by_one": Message("um a mais: {n}", "uno de más: {n}")}},
                     generic=GENERIC)
    with pytest.raises(CheckFailed) as info:
        table.fail("es", "off_by_one", n=3)
    assert info.value.mistake == "off_by_one" and str(info.value) == "uno de más: 3"
    with pytest.raises(KeyError, match="unknown mistake id 'nope'"):
        table.fail("pt", "nope")
    with pytest.raises(CheckFailed) as info:
        table.fail("pt", "wrong_choice", name="x", got="'a'")  # generic fallback
    assert info.value.mistake == "wrong_choice"


def test_a_table_rejects_duplicate_and_generic_ids():
    m = Message("a", "b")
    with pytest.raises(ValueError, match="declared twice"):
        Mistakes({"f": {"x": m}, "g": {"x": m}})
    with pytest.raises(ValueError, match="is a generic id"):
        Mistakes({"f": {"wrong_value": m}}, generic=GENERIC)


def test_the_mistake_is_published_inside_a_kernel(monkeypatch):
    """In a kernel the id goes out as a display output a later step can read."""
    from course.cells import MISTAKE_MIME
    from course.checks import mistakes

    published = []

    class Pub:
        def publish(self, data, metadata=None):
            published.append(data)

    class Shell:
        display_pub = Pub()

    monkeypatch.setattr("IPython.get_ipython", lambda: Shell())
    with pytest.raises(CheckFailed):
        mistakes.raise_mistake("no_zero_grad", "texto")
    assert published == [{MISTAKE_MIME: {"mistake": "no_zero_grad"}}]
