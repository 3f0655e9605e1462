"""The "no autograd" contract of the "by hand" exercises: `autograd_watch` counts every use of
automatic differentiation, however it was imported, and `call_without_autograd` fails the
answer that used any."""
from __future__ import annotations

import contextlib
from typing import Any, Callable

import torch

from . import pristine
from .calling import call
from .generic import fail
from .mistakes import CheckFailed, Message


class _RecordingEngine:
    """autograd's C++ engine, with every backward pass counted (it still runs).  With a
    `seed_scale`, each pass starts from that multiple of its seed (the `grad_tensors` that
    `.backward()` and `torch.autograd.grad` hand the engine): every gradient it computes is
    that multiple of the true one, so a gradient an answer used can be told from one it wrote
    by hand."""

    def __init__(self, engine, seed_scale: float | None = None):
        self._engine, self.runs, self._scale = engine, 0, seed_scale

    def run_backward(self, *args, **kwargs):
        self.runs += 1
        if self._scale is not None and len(args) > 1 and isinstance(args[1], (tuple, list)):
            seeds = tuple(g * self._scale if isinstance(g, torch.Tensor) else g for g in args[1])
            args = (args[0], seeds, *args[2:])
        return self._engine.run_backward(*args, **kwargs)

    def __getattr__(self, name):
        return getattr(self._engine, name)


# Forward-mode entry points (they do not go through the engine), watched by module attribute.
# A tuple: a list a submission could empty in place (a rebound name is put back by `restore`).
_FORWARD_MODE = tuple([("torch.func", n) for n in ("jvp", "jacfwd", "hessian", "linearize")] + [
    ("torch.autograd.forward_ad", "make_dual"),
    # what make_dual looks up at each call (torch >= 2.12): catches it however it was imported
    ("torch._functorch.predispatch", "_make_dual"),
    # No forward-mode AD without entering a dual level, and that path is looked up at each call
    # in every torch: what `dual_level()` calls, what that calls in torch >= 2.12, and what it
    # calls before (where make_dual goes straight to torch._VF, unwatched).
    ("torch.autograd.forward_ad", "enter_dual_level"),
    ("torch._functorch.predispatch", "_enter_dual_level"),
    ("torch._C", "_enter_dual_level"),
    ("torch.autograd.functional", "jvp"), ("torch.autograd.functional", "hvp")])


@contextlib.contextmanager
def autograd_watch(seed_scale: float | None = None):
    """Inside, every use of automatic differentiation is counted: each backward pass of the
    engine (`.backward()`, `torch.autograd.grad`, `torch.autograd.functional.*`,
    `torch.func.grad/vjp/jacrev`, however imported) and each call of a forward-mode entry
    point (`torch.func.jvp/jacfwd`, `forward_ad.make_dual`, however imported).  Yields a
    list whose length is the count; a "no autograd" exercise's check calls the student's
    function inside and fails with `used_autograd` when it is not empty.  Compute the
    references outside.  A backward pass that reaches the engine through a reference kept
    from before (`Variable._execution_engine` saved at a cell's top level) is still seen when
    it reads a tensor that a node of the graph built inside saved (a product, a power: every
    "by hand" exercise's function has them).  `seed_scale`: see _RecordingEngine."""
    import importlib

    from torch.autograd.variable import Variable

    engine = Variable._execution_engine
    recording = _RecordingEngine(engine, seed_scale)
    used: list[str] = []
    patched = []
    for module_name, attr in _FORWARD_MODE:
        try:
            module = importlib.import_module(module_name)
            original = getattr(module, attr)
        except (ImportError, AttributeError):
            continue

        def counted(*args, _original=original, _name=f"{module_name}.{attr}", **kwargs):
            used.append(_name)
            return _original(*args, **kwargs)

        setattr(module, attr, counted)
        patched.append((module, attr, original, counted))
        pristine._grader_wrappers.add(id(counted))
    unpacked: list[int] = []

    def unpack(saved):  # runs when a backward pass reads what a node saved
        unpacked.append(1)
        return saved

    Variable._execution_engine = recording
    pristine._grader_wrappers.add(id(recording))  # a settle inside puts the engine back, unsaid
    try:
        with torch.autograd.graph.saved_tensors_hooks(lambda saved: saved, unpack):
            yield used
    finally:
        pristine._grader_wrappers.discard(id(recording))
        Variable._execution_engine = engine
        for module, attr, original, counted in patched:
            pristine._grader_wrappers.discard(id(counted))
            setattr(module, attr, original)
        used.extend(["backward"] * recording.runs)
        if unpacked and not recording.runs:  # the engine reached past the swap (a reference
            used.append("backward")           # to it kept from before): its nodes still ran


# What torch.func's reverse-mode transforms raise under saved-tensor hooks (autograd_watch's).
TORCH_FUNC_REFUSES = "support saved tensor hooks"


def call_without_autograd(lang: str, name: str, fn: Callable, *args, **kwargs) -> Any:
    """`call`, for an exercise whose contract says "no autograd": fails with `used_autograd`
    if the student's function differentiated anything automatically."""
    failure = None
    with autograd_watch() as used:
        try:
            got = call(lang, name, fn, *args, **kwargs)
        except CheckFailed as exc:  # it may have failed *because* of the autograd it used
            failure = exc
            if TORCH_FUNC_REFUSES in str(exc):  # torch.func.grad/vjp/jacrev/hessian refuse
                used.append("torch.func")       # to run under the watch's hooks
    if used:
        fail(lang, "used_autograd", name=name, how=used[0])
    if failure is not None:
        raise failure
    return got


def backward_runs(rerun: Callable[[], Any]) -> int:
    """How many backward passes an answer ran before it failed again (`rerun` calls it anew):
    none means a `.grad` it found None was read before any backward() (`w.grad.zero_()` at the
    top of its loop), not after an update that made a new tensor."""
    with autograd_watch() as used:
        try:
            rerun()
        except CheckFailed:
            pass
    return used.count("backward")


def call_counting_backward(lang: str, name: str, fn: Callable, *args, **kwargs
                           ) -> tuple[Any, int]:
    """`call`, and how many backward passes the answer ran (`.backward()`,
    `torch.autograd.grad`…, however reached): for an exercise that asks for the gradients
    from autograd, whose values a derivative written by hand would match."""
    return _call_watched(lang, name, None, fn, args, kwargs)


def call_with_scaled_gradients(lang: str, name: str, scale: float, fn: Callable, *args,
                               **kwargs) -> Any:
    """`call`, with every gradient that autograd computes for the answer `scale` times the
    true one: an answer that steps with the gradients backward() gave follows the descent with
    lr·scale; one that runs backward() only to be counted, and steps with a derivative of its
    own, does not."""
    return _call_watched(lang, name, scale, fn, args, kwargs)[0]


def _call_watched(lang: str, name: str, seed_scale: float | None, fn: Callable, args: tuple,
                  kwargs: dict) -> tuple[Any, int]:
    """`call` inside `autograd_watch(seed_scale)`; (its result, the backward passes it ran)."""
    with autograd_watch(seed_scale=seed_scale) as used:
        try:
            got = call(lang, name, fn, *args, **kwargs)
        except CheckFailed as exc:  # torch.func.grad/vjp… refuse to run under the watch's
            if TORCH_FUNC_REFUSES not in str(exc):  # hooks, with torch's own English message
                raise
            fail(lang, "torch_func_not_backward", name=name)
    return got, sum(1 for how in used if how == "backward")


def expect_backward(lang: str, name: str, runs: int, expected: int, why: Message,
                    at_least: bool = True, **fields) -> None:
    """The generic `too_few_backward` failure unless `runs` is `expected` (or more); `why`
    says in the student's language where the count comes from ("one per iteration")."""
    if runs < expected or (not at_least and runs != expected):
        fail(lang, "too_few_backward", name=name, got=runs, expected=expected,
             why=why.say(lang, **fields))
