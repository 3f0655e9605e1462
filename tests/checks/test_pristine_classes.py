"""A submission that patches a *class* of the grading side (through an instance the hidden
tests use, `type(checks.M).fail = …`) is undone before the next hidden test, like a module's
attributes, and the record says which."""
from __future__ import annotations

from course.checks import pristine
from course.checks.mistakes import Mistakes
from course.lessons import load_checks


def test_a_patched_method_of_a_grading_class_is_put_back_and_named():
    checks = load_checks("01_graph")
    pristine.restore()
    cls = type(checks.M)
    assert cls is Mistakes
    real = vars(cls)["fail"]
    cls.fail = lambda *a, **k: None  # what the red team's submission did: no mistake fails
    cls.extra = "planted"
    changed = pristine.restore()
    assert vars(cls)["fail"] is real
    assert not hasattr(cls, "extra")
    assert "course.checks.mistakes.Mistakes.fail" in changed
    assert "Mistakes.extra" in changed


def test_an_untouched_class_is_not_reported():
    load_checks("01_graph")
    pristine.restore()
    assert not [c for c in pristine.restore() if "Mistakes" in c]
