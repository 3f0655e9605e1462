"""The fast "nothing changed" check of `pristine` (one C-level pass by identity) must say
"changed" whenever the slow path would put something back, and must not say it for what a
grading kernel does honestly (IPython's names in builtins), or every restore and every settle
after a student's function takes the slow path."""
from __future__ import annotations

import builtins
import sys

import pytest
import torch.nn.functional as F

from course.checks import compare, guard, pristine
from course.lessons import load_checks


@pytest.fixture(autouse=True)
def _clean():
    """The snapshot as a grading zygote takes it, once everything is imported (in this test
    process, other tests import torch submodules after it: honest new names, which send the
    fast check down the slow path until the next snapshot)."""
    load_checks("01_graph")
    pristine.restore()
    pristine.snapshot_again()
    yield
    pristine.restore()


def test_names_added_to_builtins_keep_the_fast_path():
    """IPython adds `display` and `__IPYTHON__` to builtins when a kernel starts (after the
    zygote's snapshot), and `get_ipython`, `exit`, `quit` around every cell."""
    assert pristine._unchanged() and pristine._modules_unchanged()
    builtins.display_for_test = print
    try:
        assert pristine._unchanged()
        assert pristine.restore() == []
    finally:
        del builtins.display_for_test


@pytest.mark.parametrize("name, change", [
    ("abs", lambda: setattr(builtins, "abs", lambda x: 0)),
    ("sorted", lambda: delattr(builtins, "sorted")),
], ids=["replaced", "deleted"])
def test_a_changed_builtin_still_leaves_the_fast_path_and_is_put_back(name, change):
    real = vars(builtins)[name]
    builtins.display_for_test = print  # (with an honest addition beside it)
    change()
    try:
        assert not pristine._unchanged()
        assert f"builtins.{name}" in pristine.restore()
        assert vars(builtins)[name] is real
    finally:
        setattr(builtins, name, real)
        del builtins.display_for_test


@pytest.mark.parametrize("module", [F, compare], ids=["torch.nn.functional", "checks.compare"])
def test_a_last_name_swapped_for_a_builtin_name_with_the_same_value_is_caught(module):
    """Deleting a module's last global and adding `len` with the same value keeps the values
    in the same order and number: only the keys tell."""
    assert pristine._unchanged() and pristine._modules_unchanged()
    names = list(vars(module))
    last = names[-1]
    value = vars(module)[last]
    delattr(module, last)
    setattr(module, "len", value)
    try:
        if module is F:
            assert not pristine._unchanged()
        else:
            assert not pristine._modules_unchanged()
        changed = pristine.restore()
        assert "len" not in vars(module)
        assert vars(module)[last] is value
        assert f"{module.__name__}.len" in changed
    finally:
        vars(module).pop("len", None)
        setattr(module, last, value)


def test_a_patched_hidden_test_module_leaves_the_fast_path_and_is_put_back():
    real = compare.close
    compare.close = lambda *a, **k: True
    try:
        assert not pristine._modules_unchanged()
        assert "course.checks.compare.close" in pristine.restore()
        assert compare.close is real
    finally:
        compare.close = real


def test_a_replaced_hidden_test_module_in_sys_modules_is_put_back():
    real = sys.modules["course.checks.compare"]
    sys.modules["course.checks.compare"] = type(real)("course.checks.compare")
    try:
        assert not pristine._modules_unchanged()
        assert "sys.modules['course.checks.compare']" in pristine.restore()
        assert sys.modules["course.checks.compare"] is real
    finally:
        sys.modules["course.checks.compare"] = real


def test_adopt_makes_a_value_set_before_student_code_the_one_put_back():
    """The guard sets its `_passed` hook when a kernel starts, after the zygote snapshotted
    the guard module: adopted, a restore keeps it, and puts it back if a submission
    clears it."""
    before = guard._passed
    hook = lambda cell, frame: None  # noqa: E731
    guard._passed = hook
    try:
        assert "course.checks.guard._passed" in pristine.restore()  # not adopted: undone
        guard._passed = hook
        pristine.adopt(guard, "_passed")
        assert pristine.restore() == [] and guard._passed is hook
        guard._passed = None  # what a submission would do
        assert "course.checks.guard._passed" in pristine.restore()
        assert guard._passed is hook
    finally:
        guard._passed = before
        pristine.adopt(guard, "_passed")


def test_what_a_grading_package_gains_after_its_snapshot_is_kept(tmp_path):
    """`course.checks` is snapshotted while it is still importing (pristine is imported as
    part of it), before its own `from .mistakes import Mistakes`; `course` before its
    submodules.  Taken whole at the next scan, and each submodule attribute adopted, a
    rebinding of either is put back — and the fast check holds once nothing changed."""
    import subprocess

    code = (
        "import course.checks as pkg, course, sys\n"
        "from course.checks import pristine\n"
        "import course.checks.guard, course.verdict\n"
        "from course.lessons import load_checks\nload_checks('01_graph')\n"
        "pristine.restore()\n"
        "ok = pristine._modules_unchanged()\n"
        "real = (pkg.Mistakes, pkg.guard, course.verdict)\n"
        "pkg.Mistakes, pkg.guard, course.verdict = object(), None, None\n"
        "changed = pristine.restore()\n"
        "print(ok, (pkg.Mistakes, pkg.guard, course.verdict) == real,"
        " sorted(c for c in changed if c.startswith(('course.checks.', 'course.verdict'))))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=tmp_path).stdout.strip().splitlines()[-1]
    assert out == ("True True ['course.checks.Mistakes', 'course.checks.guard', "
                   "'course.verdict']")
