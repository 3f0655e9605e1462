"""Hidden tests compare plain data: a wrong answer wrapped in an object that lies (a tensor
subclass, a torch function or dispatch mode, a str/list subclass, an object equal to everything,
monkeypatched torch/numpy) still fails the real lesson checks, a correct answer still passes,
and `pristine.restore()` takes back what a submission left active.

Each test calls a lesson's hidden test the way a hidden-test block does, with a *wrong* answer.
"""
from __future__ import annotations

import builtins
import math
import sys
import threading

import numpy as np
import pytest
import torch
from torch.overrides import TorchFunctionMode
from torch.utils._python_dispatch import TorchDispatchMode

from course.checks import CheckFailed, core, pristine
from course.lessons import load_answers, load_checks

graph = load_checks("01_graph")
fd = load_checks("02_finite_differences")
gd = load_checks("03_gradient_descent")
sinc = load_checks("04_custom_function")
reg = load_checks("05_linear_regression")
jac = load_checks("06_jacobian")

# What a liar answers, by the name of the torch function asked: "equal, finite, all of them".
TRUE = {"allclose", "equal", "eq", "__eq__", "le", "__le__", "ge", "__ge__", "isclose",
        "isfinite", "all"}
FALSE = {"ne", "__ne__", "lt", "__lt__", "gt", "__gt__", "any", "isnan", "isinf"}


def _lie(name: str):
    if name in TRUE:
        return torch.tensor(True)
    if name in FALSE:
        return torch.tensor(False)
    return None


class Liar(torch.Tensor):
    """A tensor subclass whose comparisons all say "equal"."""

    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        lie = _lie(getattr(func, "__name__", ""))
        if lie is not None:
            return lie
        return super().__torch_function__(func, types, args, kwargs or {})


def _lie_aten(name: str):
    """At the dispatcher, composite ops decompose: only say "equal" (and "all")."""
    return torch.tensor(True) if name in TRUE else None


class Wrapper(torch.Tensor):
    """A __torch_dispatch__ wrapper subclass whose comparisons all say "equal"."""

    @staticmethod
    def __new__(cls, elem):
        out = torch.Tensor._make_wrapper_subclass(cls, elem.shape, dtype=elem.dtype,
                                                  device=elem.device)
        out.elem = elem
        return out

    __torch_function__ = torch._C._disabled_torch_function_impl

    @classmethod
    def __torch_dispatch__(cls, func, types, args=(), kwargs=None):
        lie = _lie_aten(func.overloadpacket.__name__)
        if lie is not None:
            return lie

        def unwrap(t):
            return t.elem if type(t) is Wrapper else t

        out = func(*[unwrap(a) for a in args],
                   **{k: unwrap(v) for k, v in (kwargs or {}).items()})
        return Wrapper(out) if isinstance(out, torch.Tensor) else out


class YesMode(TorchFunctionMode):
    """A torch function mode, pushed by a submission, under which everything compares equal."""

    def __torch_function__(self, func, types, args=(), kwargs=None):
        lie = _lie(getattr(func, "__name__", ""))
        return lie if lie is not None else func(*args, **(kwargs or {}))


class YesDispatchMode(TorchDispatchMode):
    """The same at the dispatcher level (aten ops)."""

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        lie = _lie_aten(func.overloadpacket.__name__)
        return lie if lie is not None else func(*args, **(kwargs or {}))


class Always(str):
    """A multiple-choice answer equal to every letter."""

    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    __hash__ = str.__hash__

    def strip(self, *a):
        return self

    def lower(self):
        return self


class EqualList(list):
    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False


class Anything:
    """Truthy and equal to everything."""

    def __bool__(self):
        return True

    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    __hash__ = object.__hash__


def _stacks() -> tuple[int, int]:
    return torch._C._len_torch_function_stack(), torch._C._len_torch_dispatch_stack()


@pytest.fixture(autouse=True)
def clean():
    """Whatever a test leaves active (modes, patches, tracers) is taken back after it."""
    before = _stacks()
    trace, profile = sys.gettrace(), sys.getprofile()
    yield
    while torch._C._len_torch_function_stack() > before[0]:
        torch._C._pop_torch_function_stack()
    while torch._C._len_torch_dispatch_stack() > before[1]:
        torch._C._pop_torch_dispatch_stack(None)
    sys.settrace(trace)
    sys.setprofile(profile)
    threading.settrace(None)
    threading.setprofile(None)
    pristine.restore()


# ---------------------------------------------------------------- the lessons' wrong answers

def e_sign_flipped(x, w, y):  # 01 forward: mistake "e_sign_flipped"
    y_pred = x * w
    e = y - y_pred
    e2 = e ** 2
    return y_pred, e, e2, e2.sum()


def J_mean(w, x, y):  # 02 J_func: mistake "mean_instead_of_sum"
    return ((x * w - y) ** 2).mean()


def vjp_sign_flipped(f, x, v):  # 06 vjp: mistake "vjp_sign_flipped"
    x = x.detach().clone().requires_grad_(True)
    (g,) = torch.autograd.grad(f(x), x, v)
    return -g


def _wrong_sinc(label: str):
    ns = {"torch": torch}
    exec(load_answers("04_custom_function").WRONG["Sinc"][label].code, ns)
    return ns["Sinc"]


# ---------------------------------------------------------------- tensor subclasses

def test_a_torch_function_subclass_does_not_pass_for_a_tensor():
    def forward(x, w, y):
        return tuple(t.as_subclass(Liar) for t in e_sign_flipped(x, w, y))

    with pytest.raises(CheckFailed) as info:
        graph.check_forward(forward, "pt")
    assert info.value.mistake == "not_a_tensor" and "Liar" in str(info.value)


def test_a_torch_function_subclass_does_not_pass_the_jacobian_checks():
    def vjp(f, x, v):
        return vjp_sign_flipped(f, x, v).as_subclass(Liar)

    with pytest.raises(CheckFailed) as info:
        jac.check_vjp_values(vjp, "es")
    assert info.value.mistake == "not_a_tensor"


def test_a_torch_dispatch_subclass_does_not_pass_for_a_tensor():
    def J_func(w, x, y):
        return Wrapper(J_mean(w, x, y))

    with pytest.raises(CheckFailed) as info:
        fd.check_J_func(J_func, "pt")
    assert info.value.mistake == "not_a_tensor" and "Wrapper" in str(info.value)


def test_a_parameter_subclass_in_a_dict_of_gradients_is_not_a_tensor():
    class Param(torch.nn.Parameter):
        @classmethod
        def __torch_function__(cls, func, types, args=(), kwargs=None):
            lie = _lie(getattr(func, "__name__", ""))
            if lie is not None:
                return lie
            return super().__torch_function__(func, types, args, kwargs or {})

    def manual_backward(x, w, y):  # the factor 2 forgotten, dressed as parameters
        e = x * w - y
        grads = {"e2": torch.ones_like(e), "e": e, "y_pred": e, "w": (e * x).sum().reshape(w.shape)}
        return {k: Param(v) for k, v in grads.items()}

    with pytest.raises(CheckFailed) as info:
        graph.check_manual_backward(manual_backward, "pt")
    assert info.value.mistake == "not_a_tensor"


def test_snapshot_sees_an_input_changed_in_place_and_disguised():
    w = torch.ones(3, requires_grad=True)
    snap = core.Snapshot(w=w)
    with torch.no_grad():
        w.add_(1)
    w.__class__ = Liar  # torch.equal(w, saved) now says True
    with pytest.raises(CheckFailed) as info:
        snap.verify("pt", "f")
    assert info.value.mistake == "modified_input"
    untouched = torch.ones(3, requires_grad=True)
    untouched.grad = torch.zeros(3)
    core.Snapshot(w=untouched).verify("pt", "f")


# ---------------------------------------------------------------- modes

def test_a_function_mode_pushed_while_the_answer_runs_is_taken_back():
    def forward(x, w, y):
        YesMode().__enter__()
        return e_sign_flipped(x, w, y)

    before = _stacks()
    with pytest.raises(CheckFailed) as info:
        graph.check_forward(forward, "pt")
    assert info.value.mistake == "e_sign_flipped"
    assert _stacks() == before


def test_a_function_mode_left_active_by_an_answer_cell_does_not_decide_comparisons():
    YesMode().__enter__()  # an answer cell; the check runs without restore() first
    with pytest.raises(CheckFailed) as info:
        graph.check_forward(e_sign_flipped, "pt")
    assert info.value.mistake == "e_sign_flipped"


def test_a_function_mode_lying_to_gradcheck_does_not_pass_the_backward():
    Sinc = _wrong_sinc("ignores grad_output")
    forward = Sinc.forward

    def lying_forward(ctx, x):
        if torch._C._len_torch_function_stack() == 0:
            YesMode().__enter__()  # from here on, gradcheck's allclose says True
        return forward(ctx, x)

    Sinc.forward = staticmethod(lying_forward)
    with pytest.raises(CheckFailed) as info:
        sinc.check_sinc_backward(Sinc, "pt")
    assert info.value.mistake == "ignores_grad_output"


def test_a_dispatch_mode_pushed_while_the_answer_runs_is_taken_back():
    def J_func(w, x, y):
        YesDispatchMode().__enter__()
        return J_mean(w, x, y)

    before = _stacks()
    with pytest.raises(CheckFailed) as info:
        fd.check_J_func(J_func, "pt")
    assert info.value.mistake == "mean_instead_of_sum"
    assert _stacks() == before


def test_a_dispatch_mode_left_active_does_not_decide_comparisons():
    def vjp(f, x, v):
        return vjp_sign_flipped(f, x, v)

    YesDispatchMode().__enter__()
    with pytest.raises(CheckFailed) as info:
        jac.check_vjp_values(vjp, "pt")
    assert info.value.mistake == "vjp_sign_flipped"


def test_restore_pops_the_modes_an_answer_cell_left_and_says_so():
    YesMode().__enter__()
    YesDispatchMode().__enter__()
    changed = pristine.restore()
    assert _stacks() == (0, 0)
    assert "torch function mode" in changed and "torch dispatch mode" in changed
    assert pristine.restore() == []  # nothing left to undo


# ---------------------------------------------------------------- torch's Python dispatcher

_PY_DISPATCHER = torch._C.DispatchKey.PythonDispatcher


def _python_dispatcher_on() -> bool:
    return torch._C._dispatch_tls_is_dispatch_key_included(_PY_DISPATCHER)


@pytest.fixture
def zeros_for_detach():
    """A submission's Python kernel for aten::detach on CPU (`py_impl`, which no C
    registration sees): every value a check reads through `detach` reads as zeros, the
    student's and the reference's alike, so every comparison would agree."""
    op = torch.ops.aten.detach.default
    op.py_impl(torch._C.DispatchKey.CPU)(lambda x: torch.zeros_like(x))
    try:
        yield op
    finally:
        torch._C._dispatch_tls_set_dispatch_key_included(_PY_DISPATCHER, False)
        op.py_kernels.pop(torch._C.DispatchKey.CPU, None)
        op._dispatch_cache.clear()


def test_a_python_dispatcher_left_on_by_an_answer_cell_does_not_decide_comparisons(
        zeros_for_detach):
    keep = torch._C._EnablePythonDispatcher()  # an answer cell keeps it in a global
    assert _python_dispatcher_on()
    with pytest.raises(CheckFailed) as info:  # the check runs without restore() first
        graph.check_forward(e_sign_flipped, "pt")
    assert info.value.mistake == "e_sign_flipped"
    del keep


def test_a_python_dispatcher_turned_on_while_the_answer_runs_is_turned_off(zeros_for_detach):
    kept = []

    def forward(x, w, y):
        kept.append(torch._C._EnablePythonDispatcher())
        return e_sign_flipped(x, w, y)

    with pytest.raises(CheckFailed) as info:
        graph.check_forward(forward, "pt")
    assert info.value.mistake == "e_sign_flipped"
    assert kept and not _python_dispatcher_on()


def test_restore_turns_the_python_dispatcher_off_and_says_so(zeros_for_detach):
    keep = torch._C._EnablePythonDispatcher()
    changed = pristine.restore()
    assert not _python_dispatcher_on()
    assert any("Python dispatcher" in c for c in changed)
    assert pristine.restore() == []
    assert torch.ones(2).detach().tolist() == [1.0, 1.0]  # the kernel is inert now
    del keep


# ---------------------------------------------------------------- autograd switches

def _zero_gradients_but_e2(x, w, y):
    """01 manual_backward, wrong: what the references give when every saved tensor reads 0."""
    return {"e2": torch.ones_like(x), "e": torch.zeros_like(x), "y_pred": torch.zeros_like(x),
            "w": torch.zeros_like(w)}


def _zeros_when_unpacked():
    return torch.autograd.graph.saved_tensors_hooks(lambda t: t, lambda t: torch.zeros_like(t))


def test_saved_tensor_hooks_left_by_an_answer_cell_do_not_make_the_references():
    hooks = _zeros_when_unpacked()
    hooks.__enter__()  # an answer cell; the hidden test block restores first
    try:
        changed = pristine.restore()
        assert "torch.autograd.graph.saved_tensors_hooks" in changed
        assert torch._C._autograd._top_saved_tensors_default_hooks(False) is None
        with pytest.raises(CheckFailed) as info:
            graph.check_manual_backward(_zero_gradients_but_e2, "pt")
        assert info.value.mistake == "wrong_value"  # the reference's e is not 0 any more
    finally:
        while torch._C._autograd._top_saved_tensors_default_hooks(False) is not None:
            torch._C._autograd._pop_saved_tensors_default_hooks()


def test_however_many_saved_tensor_hooks_a_cell_pushed_all_are_popped():
    for _ in range(1500):
        _zeros_when_unpacked().__enter__()
    assert "torch.autograd.graph.saved_tensors_hooks" in pristine.restore()
    assert torch._C._autograd._top_saved_tensors_default_hooks(False) is None


def test_saved_tensor_hooks_pushed_while_the_answer_runs_are_popped():
    def manual_backward(x, w, y):
        _zeros_when_unpacked().__enter__()
        return _zero_gradients_but_e2(x, w, y)

    with pytest.raises(CheckFailed) as info:
        graph.check_manual_backward(manual_backward, "pt")
    assert info.value.mistake == "wrong_value"
    assert torch._C._autograd._top_saved_tensors_default_hooks(False) is None


def test_gradients_switched_off_by_an_answer_cell_are_switched_back_on():
    torch.set_grad_enabled(False)
    try:
        assert "torch.set_grad_enabled" in pristine.restore()
        assert torch.is_grad_enabled()
        graph.check_manual_backward(_right_manual_backward, "pt")  # a right answer passes
    finally:
        torch.set_grad_enabled(True)


def _right_manual_backward(x, w, y):
    e = x * w - y
    return {"e2": torch.ones_like(e), "e": 2 * e, "y_pred": 2 * e,
            "w": (2 * e * x).sum().reshape(w.shape)}


def test_a_grader_no_grad_around_the_call_is_kept():
    def forward_like(x):
        torch.set_grad_enabled(True)  # the answer turns gradients back on inside no_grad
        return x

    with torch.no_grad():
        core.call("pt", "f", forward_like, torch.ones(1))
        assert not torch.is_grad_enabled()  # as the grader had it around the call


# ---------------------------------------------------------------- str, list, float, objects

def test_a_str_subclass_equal_to_every_letter_is_not_a_choice():
    with pytest.raises(CheckFailed) as info:
        graph.check_backward_twice(Always("z"), "pt")
    assert info.value.mistake == "not_a_choice"
    with pytest.raises(CheckFailed) as info:
        fd.check_dw_limits(Always("c"), "es")  # even when its text is the right letter
    assert info.value.mistake == "not_a_choice"


def test_an_object_equal_to_everything_is_not_a_choice():
    with pytest.raises(CheckFailed) as info:
        jac.check_backward_gradient(Anything(), "pt")
    assert info.value.mistake == "not_a_choice"


def test_a_list_subclass_equal_to_everything_is_not_a_list_of_names():
    with pytest.raises(CheckFailed) as info:
        graph.check_grad_fn_names(lambda t: EqualList(["MulBackward0"]), "pt")
    assert info.value.mistake == "not_a_list"


# ---------------------------------------------------------------- monkeypatching

def test_torch_patched_while_the_answer_runs_is_put_back():
    isfinite, le, all_ = torch.isfinite, torch.Tensor.__le__, torch.Tensor.all

    def forward(x, w, y):
        torch.isfinite = lambda t: torch.ones((), dtype=torch.bool)
        torch.Tensor.__le__ = lambda a, b: torch.ones((), dtype=torch.bool)
        torch.Tensor.all = lambda t, *a, **k: torch.ones((), dtype=torch.bool)
        return e_sign_flipped(x, w, y)

    with pytest.raises(CheckFailed) as info:
        graph.check_forward(forward, "pt")
    assert info.value.mistake == "e_sign_flipped"
    assert (torch.isfinite, torch.Tensor.__le__, torch.Tensor.all) == (isfinite, le, all_)


def test_restore_puts_numpy_back():
    allclose, isclose = np.allclose, np.isclose
    np.allclose = lambda *a, **k: True
    np.isclose = lambda *a, **k: True
    changed = pristine.restore()
    assert np.allclose is allclose and np.isclose is isclose
    assert {"numpy.allclose", "numpy.isclose"} <= set(changed)


def test_restore_survives_patched_builtins():
    real = builtins.setattr, builtins.vars, builtins.len, math.isclose
    try:
        math.isclose = lambda *a, **k: True
        builtins.setattr = lambda *a: None  # restore() must not rely on what it restores
        builtins.vars = lambda *a: {}
        builtins.len = lambda *a: 0
        changed = pristine.restore()
    finally:
        after = builtins.setattr, builtins.vars, builtins.len, math.isclose
        builtins.__dict__.update(setattr=real[0], vars=real[1], len=real[2])
        math.__dict__["isclose"] = real[3]
    assert after == real
    assert {"builtins.setattr", "builtins.vars", "builtins.len", "math.isclose"} <= set(changed)


def test_restore_resets_tracers_and_hooks():
    trace, profile = sys.gettrace(), sys.getprofile()
    hook, display = sys.excepthook, sys.displayhook

    def tracer(frame, event, arg):
        return None

    sys.settrace(tracer)
    sys.setprofile(tracer)
    threading.settrace(tracer)
    sys.excepthook = lambda *a: None
    sys.displayhook = lambda value: None
    changed = pristine.restore()
    assert (sys.gettrace(), sys.getprofile()) == (trace, profile)
    assert threading.gettrace() is None
    assert (sys.excepthook, sys.displayhook) == (hook, display)
    assert {"sys.settrace", "sys.setprofile", "threading.settrace", "sys.excepthook",
            "sys.displayhook"} <= set(changed)


# ---------------------------------------------------------------- right answers still pass

def test_plain_tensor_takes_tensors_and_parameters_only():
    p = torch.nn.Parameter(torch.tensor([1.5, -2.0], dtype=torch.float32))
    for got in (p, p.detach(), p * 1):
        copy = core.plain_tensor("pt", "w", got)
        assert type(copy) is torch.Tensor and copy.dtype == torch.float64
        assert copy.device.type == "cpu" and not copy.requires_grad
        assert copy.tolist() == [1.5, -2.0]
    for liar in (p.detach().as_subclass(Liar), Wrapper(p.detach()), [1.5, -2.0], 1.5):
        with pytest.raises(CheckFailed) as info:
            core.plain_tensor("es", "w", liar)
        assert info.value.mistake == "not_a_tensor"
        assert type(liar).__name__ in str(info.value)

    def forward(x, w, y):  # right results, three of them as parameters: accepted
        y_pred, e, e2, J = e_sign_flipped(x, w, y)
        return (*(torch.nn.Parameter(t.detach()) for t in (y_pred, -e, e2)), J)

    graph.check_forward(forward, "pt")
    jac.check_vjp_values(lambda f, x, v: -vjp_sign_flipped(f, x, v), "es")


def test_plain_values_copy_builtin_types_only():
    assert core.plain_str("b") == "b" and core.plain_str(Always("b")) is None
    assert core.plain_str(Anything()) is None
    assert core.plain_float(0.25) == 0.25 and type(core.plain_float(np.float64(0.5))) is float
    assert core.plain_float(True) is None and core.plain_float(1) is None
    assert core.plain_float(torch.tensor(1.0)) is None
    assert core.plain_str_list(["a", "b"]) == ["a", "b"]
    assert core.plain_str_list(EqualList(["a"])) is None and core.plain_str_list(("a",)) is None
    graph.check_backward_twice(" B ", "es")
    graph.check_grad_fn_names(graph.reference_grad_fn_names, "pt")
    gd.check_expected_initial_ce(lambda K: np.float64(math.log(K)), "pt")  # a float subclass


def test_a_correct_answer_keeps_passing_after_a_mode_was_pushed_and_popped():
    def forward(x, w, y):
        YesMode().__enter__()
        y_pred = x * w
        e = y_pred - y
        return y_pred, e, e ** 2, (e ** 2).sum()

    graph.check_forward(forward, "pt")
    assert _stacks() == (0, 0)


def test_checking_a_non_leaf_result_warns_nothing():
    """A warning in a hidden test goes to stderr, which nbgrader scores 0: reading a
    result's shape, dtype and device must not touch the `.grad` of a non-leaf tensor."""
    import warnings

    from course.checks.core import expect_tensor

    w = torch.ones(3, requires_grad=True)
    result = w * 2
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert expect_tensor("pt", "y", result, torch.zeros(3)) is result
