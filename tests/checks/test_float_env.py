"""Subnormal numbers stay subnormal in the hidden tests: `torch.set_flush_denormal(True)` left
by an answer cell (the CPU's flush-to-zero and denormals-are-zero flags) is switched off before
each test and after each call of an answer, so an answer wrong only at the subnormals still
fails the lesson's tests of them."""
from __future__ import annotations

import pytest
import torch

from course.checks import CheckFailed, core, float_env, pristine
from course.lessons import load_checks

sinc = load_checks("04_custom_function")


class SincOneOverX(torch.autograd.Function):
    """sin(x) · (1/x): 1/x is inf at the smallest subnormal, so the forward is inf there (the
    `x == 0` branch covers only ±0)."""

    @staticmethod
    def forward(x):
        return torch.where(x == 0, torch.ones_like(x), torch.sin(x) * (1 / x))

    @staticmethod
    def setup_context(ctx, inputs, output):
        ctx.save_for_backward(inputs[0])

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        small = x.abs() < 0.5
        xs = torch.where(small, torch.ones_like(x), x)
        far = (xs * torch.cos(xs) - torch.sin(xs)) / xs ** 2
        x2 = x * x
        near = x * (-1 / 3 + x2 * (1 / 30 + x2 * (-1 / 840 + x2 * (1 / 45360))))
        return g * torch.where(small, near, far)


@pytest.fixture
def flush_denormal_left_on():
    if not torch.set_flush_denormal(True):
        pytest.skip("this CPU cannot flush subnormals to zero")
    try:
        yield
    finally:
        torch.set_flush_denormal(False)


def test_flush_to_zero_left_by_an_answer_cell_is_switched_off(flush_denormal_left_on):
    assert float_env.flushing()
    assert "torch.set_flush_denormal" in pristine.restore()  # the hidden-test block's first line
    assert not float_env.flushing()
    with pytest.raises(CheckFailed) as info:
        sinc.check_sinc_special(SincOneOverX, "pt")
    assert info.value.mistake == "forward_not_finite"


def test_flush_to_zero_set_while_an_answer_runs_is_switched_off(flush_denormal_left_on):
    torch.set_flush_denormal(False)

    def answer():
        torch.set_flush_denormal(True)

    core.call("pt", "f", answer)
    assert not float_env.flushing()


def test_nothing_to_undo_is_not_reported():
    assert not float_env.flushing()
    assert float_env.restore() == []
