"""torch's global hook registries (optimizer step hooks, module forward/backward hooks) are
emptied of what a submission registered, before every hidden test and after every call of a
student's function: their functions run inside the hidden tests' own references."""
from __future__ import annotations

import pytest
import torch
from torch.nn.modules import module as nn_module
from torch.optim import optimizer as optim_module

from course.checks import CheckFailed, global_hooks, pristine
from course.lessons import load_checks

gd = load_checks("03_gradient_descent")


def _undo_steps():
    """The red-team pair: save the parameters before every step, put them back after it."""
    saved = {}

    def pre(opt, args, kwargs):
        saved[id(opt)] = [p.detach().clone() for g in opt.param_groups for p in g["params"]]

    def post(opt, args, kwargs):
        with torch.no_grad():
            params = [p for g in opt.param_groups for p in g["params"]]
            for p, old in zip(params, saved.pop(id(opt))):
                p.copy_(old)

    return (optim_module.register_optimizer_step_pre_hook(pre),
            optim_module.register_optimizer_step_post_hook(post))


def never_steps(model, x, y, loss_fn, optimizer):
    return loss_fn(model(x), y).item()


@pytest.fixture(autouse=True)
def clean():
    pristine.restore()
    yield
    global_hooks.restore()


def test_step_hooks_left_by_an_answer_cell_do_not_undo_the_reference_steps():
    _undo_steps()  # an answer cell; the hidden test block restores first
    changed = pristine.restore()
    assert "torch.optim.optimizer._global_optimizer_pre_hooks" in changed
    assert "torch.optim.optimizer._global_optimizer_post_hooks" in changed
    assert not optim_module._global_optimizer_pre_hooks
    with pytest.raises(CheckFailed) as info:
        gd.check_train_step(never_steps, "pt")
    assert info.value.mistake == "weights_not_updated"


def test_hooks_registered_while_the_answer_runs_are_removed_after_it():
    def train_step(model, x, y, loss_fn, optimizer):
        _undo_steps()
        nn_module.register_module_forward_hook(lambda m, args, out: out * 0)
        return never_steps(model, x, y, loss_fn, optimizer)

    with pytest.raises(CheckFailed):
        gd.check_train_step(train_step, "pt")
    assert not optim_module._global_optimizer_post_hooks
    assert not nn_module._global_forward_hooks


def test_a_module_forward_hook_is_removed_and_named():
    nn_module.register_module_forward_hook(lambda m, args, out: out * 0)
    assert "torch.nn.modules.module._global_forward_hooks" in pristine.restore()
    layer = torch.nn.Linear(1, 1)
    with torch.no_grad():
        layer.weight.fill_(2.0)
        layer.bias.fill_(1.0)
    assert layer(torch.ones(1)).item() == 3.0
    assert pristine.restore() == []


def test_a_replaced_registry_is_put_back():
    real = optim_module._global_optimizer_pre_hooks
    optim_module._global_optimizer_pre_hooks = {0: lambda *a: None}
    assert "torch.optim.optimizer._global_optimizer_pre_hooks" in global_hooks.restore()
    assert optim_module._global_optimizer_pre_hooks is real and not real
