"""The hidden tests build their references with autograd as torch starts: gradients on, and no
saved-tensor hooks but the grader's own.

Why: both are per-thread switches a cell can leave set, and neither is a mode or an attribute
that `pristine`'s other restores see.  `torch.autograd.graph.saved_tensors_hooks(pack,
unpack).__enter__()` left active in an answer cell makes every tensor a reference's backward
reads pass through the submission's `unpack` (returning zeros made lesson 01's reference
gradient of `e` zero); `torch.set_grad_enabled(False)` left behind makes the references raise.
`restore()` (before every hidden test) puts both back as they were at import; `settle()` (after
every call of a student's function) puts them back as they were just before that call, so a
grader's own `no_grad` or saved-tensor hooks around the call stay as the grader left them.
The default dtype is left alone on purpose: it is part of what the student's own notebook
runs with, and the references name their dtype.

A forward-mode AD level (`torch.autograd.forward_ad.enter_dual_level()`) entered in an answer
cell and never exited is closed too: with one left open, an answer made dual numbers straight
through `torch._VF._make_dual(w, t, level=0)`, past every entry point `watch` counts, and
lesson 01's "no autograd" `manual_backward` scored with derivatives from forward-mode AD.
Levels are global (torch allows one at a time, never nested) and the hidden tests open none.
"""
from __future__ import annotations

import torch

_ag = torch._C._autograd
# bound before any student code runs
_is_grad_enabled, _set_grad_enabled = torch.is_grad_enabled, torch._C._set_grad_enabled
_top = _ag._top_saved_tensors_default_hooks
_push, _pop = _ag._push_saved_tensors_default_hooks, _ag._pop_saved_tensors_default_hooks
_hooks_enabled = _ag._saved_tensors_hooks_is_enabled
_enable_hooks = _ag._saved_tensors_hooks_enable
_enter_dual_level, _exit_dual_level = torch._C._enter_dual_level, torch._C._exit_dual_level


def _same(a, b) -> bool:
    """Two tops of the hooks stack are the same pair of functions (compared by identity: a
    submission's function could claim to equal anything)."""
    if a is None or b is None:
        return a is b
    return a[0] is b[0] and a[1] is b[1]


def state() -> tuple:
    """What is set now, for `settle` to come back to."""
    return _is_grad_enabled(), _top(False), _hooks_enabled()


INITIAL = (True, None, True)


def settle(before: tuple = INITIAL) -> list[str]:
    """Put the switches back as they were in `before`; what was changed (for the record)."""
    grad, top, enabled = before
    changed = []
    if _is_grad_enabled() is not grad:
        _set_grad_enabled(grad)
        changed.append("torch.set_grad_enabled")
    if not _same(_top(False), top):
        changed.append("torch.autograd.graph.saved_tensors_hooks")
        current = _top(False)
        while current is not None and not _same(current, top):  # every pair pushed since
            _pop()
            current = _top(False)
        if top is not None and not _same(_top(False), top):  # popped below the grader's
            _push(*top)
    if enabled and not _hooks_enabled():
        _enable_hooks()
        changed.append("torch.autograd.graph.disable_saved_tensors_hooks")
    return changed + _close_dual_level()


def _close_dual_level() -> list[str]:
    """Exit the forward-mode AD level left open, if any (torch refuses to enter a second one:
    entering is how to know, and one entered here is exited at once)."""
    try:
        level = _enter_dual_level()
    except RuntimeError:  # "Nested forward mode AD is not supported": one is open, level 0
        _exit_dual_level(level=0)
        return ["torch.autograd.forward_ad.enter_dual_level"]
    _exit_dual_level(level=level)
    return []


def restore() -> list[str]:
    """Back to how torch starts (gradients on, no saved-tensor hooks)."""
    return settle(INITIAL)
