"""A submission that patches a *class* of the grading side (through an instance the hidden
tests use, `type(checks.M).fail = …`) is undone before the next hidden test, like a module's
attributes, and the record says which."""
from __future__ import annotations

import pytest

from course.checks import pristine
from course.checks.mistakes import Mistakes
from course.lessons import load_checks, slugs


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


def test_torch_classes_the_references_build_with_are_put_back_and_named():
    """The red team's lesson-03 attack: `type(optimizer).step` made a no-op at a cell's top
    level, so the hidden test's own SGD steps agreed with an answer that never steps."""
    import torch
    from torch.utils.data import DataLoader, TensorDataset

    pristine.restore()
    optimizer = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1)
    real_step = vars(torch.optim.SGD)["step"]
    real_call = vars(torch.nn.Module)["__call__"]
    setattr(type(optimizer), "step", lambda self, closure=None: None)
    torch.nn.Module.__call__ = lambda self, *a, **k: None
    torch.utils.data.DataLoader.__iter__ = lambda self: iter(())
    torch.optim.Adam = torch.optim.SGD
    changed = pristine.restore()
    assert vars(torch.optim.SGD)["step"] is real_step
    assert vars(torch.nn.Module)["__call__"] is real_call
    assert torch.optim.Adam is not torch.optim.SGD
    assert {"SGD.step", "Module.__call__", "DataLoader.__iter__", "torch.optim.Adam"} <= set(changed)
    loader = DataLoader(TensorDataset(torch.arange(4.0)), batch_size=2)
    assert [b[0].tolist() for b in loader] == [[0.0, 1.0], [2.0, 3.0]]


def test_honest_use_of_optimizers_modules_and_loaders_changes_nothing():
    """torch wraps an optimizer class's step the first time one is built: done before the
    snapshot, so a student's first SGD is not reported as a change."""
    import torch
    from torch.utils.data import DataLoader, TensorDataset

    # a Python-dispatcher guard another test left in a reference cycle (a CheckFailed's
    # traceback) restores its own state when the collector frees it, mid-test: freed first
    import gc

    gc.collect()
    pristine.restore()
    for kind in (torch.optim.SGD, torch.optim.Adam, torch.optim.RMSprop):
        w = torch.zeros(2, requires_grad=True)
        opt = kind([w], lr=0.1)
        model = torch.nn.Linear(2, 1)
        loss = torch.nn.MSELoss()(model(w[None]), torch.ones(1, 1))
        loss.backward()
        opt.step()
        opt.zero_grad()
    for _ in DataLoader(TensorDataset(torch.zeros(4, 1)), batch_size=2, shuffle=True):
        pass
    assert pristine.restore() == []


def test_a_library_module_the_checks_call_is_put_back_and_named():
    """`copy.deepcopy` made the identity by an answer cell: lesson 03's reference step then
    trained the student's own model, and the hidden test named the wrong mistake."""
    import copy

    from course.checks import CheckFailed

    gd = load_checks("03_gradient_descent")
    pristine.restore()  # as the zygote does once every lesson is imported
    real = copy.deepcopy
    copy.deepcopy = lambda x, memo=None: x
    try:
        assert "copy.deepcopy" in pristine.restore()
        assert copy.deepcopy is real

        def never_steps(model, x, y, loss_fn, optimizer):
            return loss_fn(model(x), y).item()

        try:
            gd.check_train_step(never_steps, "pt")
        except CheckFailed as failed:
            assert failed.mistake == "weights_not_updated"
        else:
            raise AssertionError("a train_step that never steps passed")
    finally:
        copy.deepcopy = real


def test_a_library_modules_data_is_left_alone():
    """Only a library module's functions and classes are kept: `tempfile` fills `tempdir`
    lazily, and putting data back would report honest work."""
    import tempfile

    load_checks("05_linear_regression")
    pristine.restore()
    before = tempfile.tempdir
    tempfile.tempdir = "/tmp/elsewhere"
    try:
        assert not [c for c in pristine.restore() if c.startswith("tempfile")]
    finally:
        tempfile.tempdir = before


def test_the_autograd_engine_object_is_put_back_and_named():
    """Every backward() of the references runs through `Variable._execution_engine`: a
    stand-in whose run_backward returns zeros would make their gradients the submission's."""
    import torch
    from torch.autograd.variable import Variable

    pristine.restore()
    real = Variable._execution_engine

    class Zeros:
        def __getattr__(self, name):
            return getattr(real, name)

        def run_backward(self, *args, **kwargs):
            return tuple(torch.zeros_like(g) for g in real.run_backward(*args, **kwargs))

    Variable._execution_engine = Zeros()
    try:
        assert "Variable._execution_engine" in pristine.restore()
        assert Variable._execution_engine is real
        w = torch.ones(2, requires_grad=True)
        (grad,) = torch.autograd.grad((3 * w).sum(), w)
        assert grad.tolist() == [3.0, 3.0]
    finally:
        Variable._execution_engine = real


def test_a_new_global_named_like_a_builtin_is_deleted_and_named():
    """`torch.nn.functional.isinstance = …` (or in `copy`, in torch itself, in the hidden
    tests' own modules) hides that builtin from every function of the module: no existing
    attribute changed, so nothing was put back.  Each is deleted, and named."""
    import copy

    import torch
    import torch.nn.functional as F

    from course.checks import compare

    load_checks("03_gradient_descent")
    pristine.restore()
    planted = [(F, "isinstance"), (copy, "getattr"), (torch, "len"), (compare, "abs")]
    for module, name in planted:
        setattr(module, name, lambda *a, **k: True)
    try:
        changed = pristine.restore()
        for module, name in planted:
            assert name not in vars(module), (module.__name__, name)
            assert f"{module.__name__}.{name}" in changed
        assert F.relu(torch.tensor([-1.0, 2.0])).tolist() == [0.0, 2.0]
    finally:
        for module, name in planted:
            vars(module).pop(name, None)


def test_honest_new_globals_are_left():
    """A name an owner gains honestly (IPython adds `display` to builtins; a module imported
    later becomes an attribute of its package) is not named like a builtin: left, and not
    reported."""
    import builtins

    import torch

    pristine.restore()
    builtins.display_for_test = print
    torch.honest_new_name_for_test = 1
    try:
        assert pristine.restore() == []
        assert builtins.display_for_test is print and torch.honest_new_name_for_test == 1
    finally:
        del builtins.display_for_test
        del torch.honest_new_name_for_test


def test_a_change_made_before_a_grading_module_is_imported_is_still_put_back():
    """A new grading-side module makes the next restore rescan; the rescan must not take the
    owners as they are then as the fast check's baseline (a cell that patches torch and then
    triggers an import would keep its patch)."""
    import sys
    import types

    import torch

    pristine.restore()
    real = torch.allclose
    torch.allclose = lambda *a, **k: True
    sys.modules["course.checks._test_new_module"] = types.ModuleType(
        "course.checks._test_new_module")
    try:
        assert "torch.allclose" in pristine.restore()
        assert torch.allclose is real
    finally:
        torch.allclose = real
        sys.modules.pop("course.checks._test_new_module", None)
        pristine._modules_snapshot.pop("course.checks._test_new_module", None)



@pytest.mark.parametrize("slug", slugs())
def test_no_lessons_check_module_holds_a_container_that_can_be_edited_in_place(slug):
    """A restore puts a module's names back by identity: a dict or list of a lesson's checks
    edited in place (`STRICT.update(atol=1e9)`, reached unflagged by `pydoc.locate(...)`) would
    stay edited, and every comparison made with it would accept a wrong answer.  What decides
    a verdict there is a tuple or a read-only mapping."""
    import importlib

    load_checks(slug)
    for part in ("checks", "mistakes"):
        module = importlib.import_module(f"course.lessons.{slug}.{part}")
        mutable = [name for name, value in vars(module).items()
                   if type(value) in (list, dict, set, bytearray) and not name.startswith("__")]
        assert mutable == [], f"{module.__name__}: {mutable}"
