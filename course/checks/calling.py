"""Calling a student's answer from a hidden test: on every device, with its exception turned
into a failure in the student's language, and with whatever it left active or patched undone
(`pristine.settle`); `Snapshot` proves it left its inputs alone."""
from __future__ import annotations

import contextlib
import functools
import io
import linecache
import re
import types
import warnings
from typing import Any, Callable

import torch

from . import pristine
from .code_lock import LIBRARY_ROOTS
from .generic import fail
from .mistakes import CheckFailed
from .plain import grad_of, is_plain_tensor, meta, read_plain, type_name

_cuda_available = torch.cuda.is_available
_state, _settle = pristine.state, pristine.settle


def devices() -> list[str]:
    """CPU always, CUDA when present: every hidden test runs on each."""
    return ["cpu"] + (["cuda"] if _cuda_available() else [])


def call(lang: str, name: str, fn: Callable, *args, **kwargs) -> Any:
    """Call the student's function; turn its exception into a readable failure.

    Warnings are silenced (a warning on stderr would zero the test cell) and whatever the answer
    prints is swallowed so hidden tests stay readable.  Afterwards whatever the call left active
    or patched is undone (`pristine.settle`).
    """
    sink = io.StringIO()
    before = _state()
    try:
        with warnings.catch_warnings(), contextlib.redirect_stdout(sink):
            warnings.simplefilter("ignore")
            return fn(*args, **kwargs)
    except CheckFailed:
        raise
    except NotImplementedError as exc:
        if not _raised_by_a_library(exc):  # the stub's own `raise NotImplementedError()`
            fail(lang, "not_implemented", name=name)
        fail(lang, "raised", name=name, error=f"{type_name(exc)}: {exc}")
    except Exception as exc:  # the student's bug, reported in their language
        fail(lang, "raised", name=name, error=f"{type_name(exc)}: {exc}")
    finally:
        _settle(before)


def _raised_by_a_library(exc: BaseException) -> bool:
    """A NotImplementedError that torch (or another library) raised inside an implemented
    answer — `"log_softmax_lastdim_kernel_impl" not implemented for 'Long'` — is a bug to
    report, not the unanswered stub: its innermost frame is the library's, or a call into C
    from the student's line rather than a `raise` statement there."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    if tb is None:
        return False
    filename = tb.tb_frame.f_code.co_filename
    if any(filename.startswith(root) for root in LIBRARY_ROOTS):
        return True
    line = linecache.getline(filename, tb.tb_lineno).strip()
    return bool(line) and not line.startswith("raise")


def reads_global(fn, name: str) -> bool:
    """The function's code (nested functions and lambdas included) reads the global `name`:
    an answer built on another exercise's answer, named when that one is unanswered.  Only
    the code object is read, never a method of the student's object."""
    code = getattr(fn, "__code__", None)
    stack = [code] if type(code) is types.CodeType else []
    while stack:
        code = stack.pop()
        if name in code.co_names:
            return True
        stack.extend(c for c in code.co_consts if type(c) is types.CodeType)
    return False


class Snapshot:
    """Type, values, dtype, device, requires_grad and .grad of the caller's tensors, to prove
    they were not touched (a tensor whose class was swapped, or whose .grad was replaced by
    something else, counts as touched)."""

    def __init__(self, **tensors: torch.Tensor):
        self.items = {k: (t, self._state(t)) for k, t in tensors.items()}

    @staticmethod
    def _state(t: Any) -> tuple:
        """(type, (shape, values), (dtype, device, requires_grad), type of .grad, its values);
        types are compared with `is`, the rest is plain data."""
        values = read_plain(t)
        if values is None:
            return type(t), None, None, None, None
        _, dtype, device, requires_grad = meta(t)
        grad = grad_of(t)
        return (type(t), values, (dtype, device, requires_grad), type(grad),
                None if grad is None else read_plain(grad))

    def verify(self, lang: str, fn_name: str) -> None:
        for name, (t, before) in self.items.items():
            now = self._state(t)
            same_tensor = now[0] is before[0] and now[1:3] == before[1:3]
            same_grad = now[3] is before[3] and now[4] == before[4]
            if same_tensor and not same_grad and now[1] is not None:
                fail(lang, "input_grad_changed", name=fn_name, input=name)
            if not (same_tensor and same_grad):
                fail(lang, "modified_input", name=fn_name, input=name)



def generator(seed: int) -> torch.Generator:
    return torch.Generator().manual_seed(seed)


def randn(gen: torch.Generator, *shape: int, device: str = "cpu",
          dtype: torch.dtype = torch.float64) -> torch.Tensor:
    """Random normal tensor drawn on the CPU (same numbers on every device), then moved."""
    return torch.randn(*shape, generator=gen, dtype=torch.float64).to(device=device, dtype=dtype)


def answer_function(fn) -> types.FunctionType | None:
    """The function whose code is the answer's own: the innermost under decorators that keep
    `__wrapped__` (`@torch.no_grad()`, `functools.wraps`), a `functools.partial`'s function, or
    a callable object's `__call__`.  Read through the types' own attributes and the function's
    `__dict__`: no code of the answer runs."""
    for _ in range(16):
        kind = type(fn)
        if kind is functools.partial:
            fn = fn.func
        elif kind is types.FunctionType:
            inner = vars(fn).get("__wrapped__")
            if inner is None:
                return fn
            fn = inner
        elif kind is types.MethodType:
            fn = fn.__func__
        else:
            call = vars(kind).get("__call__")
            if type(call) is not types.FunctionType:
                return None
            fn = call
    return None


def answer_globals(fn) -> dict | None:
    """The globals the answer's own code reads its notebook's names from (see
    `answer_function`)."""
    inner = answer_function(fn)
    return None if inner is None else inner.__globals__


@contextlib.contextmanager
def swapped_global(fn, name: str, value):
    """While a hidden test runs inside, the notebook name `name`, as the answer `fn` reads it,
    is `value` (a reference the test controls, or a probe that counts its calls); the
    notebook's own is put back afterwards.  A default argument bound to the notebook's object
    when the answer was defined (`def dJ_diff(w, x, y, J=J_func)`) is swapped the same way.
    Yields False where the answer has no namespace to put it in."""
    inner = answer_function(fn)
    space = None if inner is None else inner.__globals__
    if type(space) is not dict:
        yield False
        return
    missing = object()
    saved = space.get(name, missing)
    defaults, kwdefaults = inner.__defaults__, inner.__kwdefaults__
    space[name] = value
    if saved is not missing:
        if defaults and any(d is saved for d in defaults):
            inner.__defaults__ = tuple(value if d is saved else d for d in defaults)
        if kwdefaults and any(d is saved for d in kwdefaults.values()):
            inner.__kwdefaults__ = {k: value if d is saved else d for k, d in kwdefaults.items()}
    try:
        yield True
    finally:
        inner.__defaults__, inner.__kwdefaults__ = defaults, kwdefaults
        if saved is missing:
            space.pop(name, None)
        else:
            space[name] = saved


# The notebook's global `device` while an answer that should follow its inputs' device runs:
# the meta device, whose tensors hold no values.  An answer that reads the notebook's `device`
# instead of its inputs' is right only where that happens to be the inputs' device, which on a
# machine without CUDA is always; with `device` moved to meta it fails on every machine alike.
NOTEBOOK_DEVICE = "meta"
_NAMES_META = re.compile(r"\bmeta\b")


def _own_functions(answer) -> list[types.FunctionType]:
    """The functions whose globals are the notebook's, for moving its `device`: the answer's
    own (`answer_function`), or, for a class (a `torch.autograd.Function`), the functions its
    classes define themselves (static methods included), never a library's.  Read through the
    classes' `__dict__`s: no code of the answer runs."""
    if not issubclass(type(answer), type):
        inner = answer_function(answer)
        return [] if inner is None else [inner]
    found = []
    for klass in type.__dict__["__mro__"].__get__(answer):
        for value in vars(klass).values():
            if type(value) in (staticmethod, classmethod):
                value = value.__func__
            if type(value) is not types.FunctionType:
                continue
            filename = value.__code__.co_filename
            if not any(filename.startswith(root) for root in LIBRARY_ROOTS):
                found.append(value)
    return found


@contextlib.contextmanager
def notebook_device_moved(answer, on_use: Callable[[], None]):
    """While the hidden test inside runs, the notebook's `device`, as the answer (a function,
    or a class whose methods read the notebook's globals) reads it, is NOTEBOOK_DEVICE (see
    above); the notebook's own is put back afterwards.  A failure inside whose error names the
    meta device (torch's "Tensor on device meta is not on the expected device cpu!", a result
    on the meta device) calls `on_use`, which fails with the lesson's named mistake.  A class's
    methods read one namespace (every cell's is the notebook's): the swap covers forward,
    setup_context and backward alike (a default argument bound to the notebook's `device` is
    swapped in the first method swapped only: the later ones find `device` already moved)."""
    with contextlib.ExitStack() as stack:
        for fn in _own_functions(answer):
            stack.enter_context(swapped_global(fn, "device", NOTEBOOK_DEVICE))
        try:
            yield
        except CheckFailed as err:
            if err.mistake in ("raised", "wrong_device") and _NAMES_META.search(str(err)):
                on_use()
            raise


def holds_meta(value: Any, depth: int = 0) -> bool:
    """The value, or a plain tuple, list or dict in it, holds a plain tensor on the meta
    device: an answer built it on the notebook's `device` (see `notebook_device_moved`)."""
    if depth > 4:
        return False
    kind = type(value)
    if kind in (tuple, list):
        return any(holds_meta(v, depth + 1) for v in value)
    if kind is dict:
        return any(holds_meta(v, depth + 1) for v in dict.values(value))
    return is_plain_tensor(value) and meta(value)[2].type == NOTEBOOK_DEVICE
