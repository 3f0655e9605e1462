"""A "no autograd" contract is checked: every way into automatic differentiation a student is
likely to take is seen, honest arithmetic is not, and autograd works again afterwards."""
from __future__ import annotations

import pytest
import torch

from course.checks.core import autograd_watch, call_without_autograd
from course.checks.mistakes import CheckFailed

# bound when the student's cell ran, before any check patches a module attribute
from torch.autograd.forward_ad import (  # noqa: E402
    dual_level,
    enter_dual_level,
    exit_dual_level,
    make_dual,
    unpack_dual,
)
from torch.func import jacfwd  # noqa: E402


def by_hand(w):
    return 2 * w


def with_backward(w):
    w = w.detach().requires_grad_(True)
    (w ** 2).sum().backward()
    return w.grad


def with_grad(w):
    w = w.detach().requires_grad_(True)
    return torch.autograd.grad((w ** 2).sum(), w)[0]


def with_functional_jacobian(w):
    return torch.autograd.functional.jacobian(lambda v: v ** 2, w).diagonal()


def with_func_grad(w):
    from torch.func import grad  # imported by name: still seen (it runs the engine)
    return grad(lambda v: (v ** 2).sum())(w)


def with_jacrev(w):
    return torch.func.jacrev(lambda v: v ** 2)(w).diagonal()


def with_jacfwd(w):
    return torch.func.jacfwd(lambda v: v ** 2)(w).diagonal()


def with_forward_ad(w):
    import torch.autograd.forward_ad as fwad
    with fwad.dual_level():
        dual = fwad.make_dual(w, torch.ones_like(w))
        return fwad.unpack_dual(dual ** 2).tangent


def with_make_dual_imported_early(w):
    with dual_level():
        return unpack_dual(make_dual(w, torch.ones_like(w)) ** 2).tangent


def _make_dual_of_torch_2_11(tensor, tangent, *, level=None):
    """forward_ad.make_dual as torch 2.11 and older wrote it: straight to torch._VF (seen
    missed on a GPU machine's torch 2.11 when only make_dual was watched)."""
    import torch.autograd.forward_ad as fwad

    return torch._VF._make_dual(tensor, tangent,
                                level=fwad._current_level if level is None else level)


def with_make_dual_of_older_torch(w):
    with dual_level():
        return unpack_dual(_make_dual_of_torch_2_11(w, torch.ones_like(w)) ** 2).tangent


def with_dual_level_entered_by_hand(w):
    level = enter_dual_level()
    try:
        return unpack_dual(_make_dual_of_torch_2_11(w, torch.ones_like(w)) ** 2).tangent
    finally:
        exit_dual_level(level=level)


def with_jacfwd_imported_early(w):
    return jacfwd(lambda v: v ** 2)(w).diagonal()


@pytest.mark.parametrize("answer", [with_backward, with_grad, with_functional_jacobian,
                                    with_func_grad, with_jacrev, with_jacfwd, with_forward_ad,
                                    with_make_dual_imported_early, with_jacfwd_imported_early,
                                    with_make_dual_of_older_torch,
                                    with_dual_level_entered_by_hand])
@pytest.mark.parametrize("lang,words", [("pt", "usou diferenciação automática"),
                                        ("es", "usó diferenciación automática")])
def test_automatic_differentiation_is_seen(answer, lang, words):
    w = torch.tensor([1.0, -2.0, 3.0], dtype=torch.float64)
    with pytest.raises(CheckFailed) as info:
        call_without_autograd(lang, answer.__name__, answer, w)
    assert info.value.mistake == "used_autograd" and words in str(info.value), str(info.value)


def test_arithmetic_by_hand_passes_and_autograd_works_afterwards():
    w = torch.tensor([1.0, -2.0], dtype=torch.float64, requires_grad=True)
    assert torch.equal(call_without_autograd("pt", "by_hand", by_hand, w.detach()),
                       2 * w.detach())
    (w ** 2).sum().backward()
    assert torch.equal(w.grad, 2 * w.detach())
    with autograd_watch() as used:
        pass
    assert used == []
    assert torch.func.jacfwd.__module__.startswith("torch")


def test_a_failing_answer_still_restores_autograd():
    def boom(w):
        raise ValueError("bug")

    with pytest.raises(CheckFailed):
        call_without_autograd("pt", "boom", boom, torch.ones(1))
    from torch.autograd.variable import Variable
    assert type(Variable._execution_engine).__name__ != "_RecordingEngine"


from torch.autograd.variable import Variable  # noqa: E402

KEPT_ENGINE = Variable._execution_engine  # what a student's top-level cell can keep


def with_the_engine_kept_from_before(w):
    w = w.detach().requires_grad_(True)
    loss = (w ** 2).sum()
    (grad,) = KEPT_ENGINE.run_backward((loss,), (torch.ones(()),), False, False, (w,), False)
    return grad


def test_the_engine_reached_through_a_reference_kept_from_before_is_seen():
    w = torch.tensor([1.0, -2.0, 3.0])
    assert torch.equal(with_the_engine_kept_from_before(w), 2 * w)  # it does differentiate
    with pytest.raises(CheckFailed) as info:
        call_without_autograd("pt", "dJ", with_the_engine_kept_from_before, w)
    assert info.value.mistake == "used_autograd"
    assert torch.equal(call_without_autograd("pt", "dJ", by_hand, w), 2 * w)


def test_a_dual_level_left_open_by_an_answer_cell_is_closed_before_the_hidden_test():
    """Entered at a cell's top level, before any check watches: torch._VF._make_dual with that
    level made dual numbers past every entry point the watch counts (lesson 01's "no
    autograd" manual_backward scored with forward-mode derivatives)."""
    from course.checks import pristine
    from course.lessons import load_checks

    level = enter_dual_level()  # the answer cell

    def manual_backward(x, w, y):
        dual = torch._VF._make_dual(w, torch.ones_like(w), level=level)
        e = x * dual - y
        grad_w = unpack_dual((e ** 2).sum(), level=level).tangent
        e = unpack_dual(e, level=level).primal
        return {"e2": torch.ones_like(e), "e": 2 * e, "y_pred": 2 * e,
                "w": grad_w.reshape(w.shape)}

    try:
        assert "torch.autograd.forward_ad.enter_dual_level" in pristine.restore()
        with pytest.raises(CheckFailed):
            load_checks("01_graph").check_manual_backward(manual_backward, "pt")
        with dual_level():  # forward mode works again afterwards
            assert unpack_dual(make_dual(torch.ones(1), torch.ones(1)) * 3).tangent.item() == 3
    finally:
        pristine.restore()  # the level closed, whatever failed above


def _gradients_every_way(w):
    """w's gradient of sum(w**3) through .backward(), torch.autograd.grad (also with
    create_graph) and torch.autograd.functional.vjp."""
    a = w.detach().clone().requires_grad_(True)
    (a ** 3).sum().backward()
    b = w.detach().clone().requires_grad_(True)
    (g_b,) = torch.autograd.grad((b ** 3).sum(), b)
    c = w.detach().clone().requires_grad_(True)
    (g_c,) = torch.autograd.grad((c ** 3).sum(), c, create_graph=True)
    _, g_d = torch.autograd.functional.vjp(lambda t: (t ** 3).sum(), w.detach().clone())
    return [a.grad, g_b, g_c.detach(), g_d]


def test_a_seed_scale_scales_every_gradient_autograd_computes_and_nothing_after():
    """What tells a gradient an answer took from backward() from one it wrote by hand
    (call_with_scaled_gradients): inside, each pass starts from `scale` times its seed."""
    from course.checks.core import call_with_scaled_gradients

    w = torch.tensor([1.0, -2.0, 0.5], dtype=torch.float64)
    true = 3 * w ** 2
    for got in call_with_scaled_gradients("pt", "f", 1.5, _gradients_every_way, w):
        torch.testing.assert_close(got, 1.5 * true)
    assert call_with_scaled_gradients("pt", "f", 1.5, by_hand, w).equal(2 * w)  # untouched
    for got in _gradients_every_way(w):  # and autograd is itself again afterwards
        torch.testing.assert_close(got, true)
