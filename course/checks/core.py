"""Shared machinery of the hidden tests: devices, calling an answer, localized failures, and
comparisons on plain data.

A submission runs in the same interpreter as the hidden tests, so what it returns can lie: a
`torch.Tensor` subclass whose `__torch_function__`/`__torch_dispatch__` makes `allclose` or `<=`
say True, a torch function or dispatch mode that intercepts every torch call, a `str`/`list`
subclass or any object whose `__eq__`/`__bool__`/`__len__`/`__iter__` says what suits it,
torch or numpy functions patched.  So:

- `call` runs the student's function, then `pristine.settle`s: the modes it pushed are popped,
  the tracers it set removed, the torch/numpy/builtins attributes it patched put back.
- The converters accept exact types only (`type(x) is ...`; never `isinstance`, which asks
  `x.__class__`) and copy values through torch's and Python's own C code, so no method of the
  student's object ever runs: `as_plain`/`plain_tensor` (exactly `torch.Tensor` or
  `torch.nn.Parameter`, without a Python dispatch key, read with `torch._C.TensorBase`'s own
  methods inside `untouchable()`), `floats`, `plain_float` (a float, or a subclass such as
  `numpy.float64` read through `float.__float__`), `plain_str`, `plain_str_list`,
  `plain_items`, `plain_dict`.
- Verdicts are decided on those copies in Python: a tensor becomes a list of Python floats
  (float64, so the same IEEE arithmetic torch's float64 ops do) compared with `-`, `<=` and
  `math.isfinite`.  No torch function, mode or subclass is ever asked whether two things are
  equal; for the course's small tensors it is also fast.  Torch ops a check runs on plain copies
  (masks, sums) go inside `untouchable()`: no `__torch_function__` (subclasses and modes), no
  `__torch_dispatch__` (subclasses and modes).
- Failure messages show a student's value through `short`/`shown`: plain copies, builtin
  scalars, or a type's name — never the student's `repr`.

What a student's function does *while* it runs is theirs; what it leaves behind is undone by
`call`, and everything else the tests do (references, comparisons) happens after that.
"""
from __future__ import annotations

import contextlib
import io
import linecache
import os
import sysconfig
import types
import warnings
from math import isfinite
from typing import Any, Callable, Mapping

import torch

from . import pristine
from .generic import GENERIC, HINT, fail
from .mistakes import CheckFailed, Message, Mistakes, raise_mistake

# torch's own C methods and builtins' own slots, bound before any student code runs: an
# instance attribute (`t.tolist = ...`) or a patched class attribute cannot stand in for them.
_Base = torch._C.TensorBase
_detach, _to, _tolist, _size, _reshape = (_Base.detach, _Base.to, _Base.tolist, _Base.size,
                                          _Base.reshape)
_dtype, _device = _Base.dtype.__get__, _Base.device.__get__
_grad, _requires_grad = _Base.grad.__get__, _Base.requires_grad.__get__
_dispatch_keys = torch._C._dispatch_keys
_PYTHON_KEYS = (torch._C.DispatchKey.Python, torch._C.DispatchKey.PythonTLSSnapshot)
_new_tensor, _F64 = torch.tensor, torch.float64
_Tensor, _Parameter = torch.Tensor, torch.nn.Parameter
_float_value = float.__float__
_type_name = type.__dict__["__name__"].__get__
_cuda_available = torch.cuda.is_available
_DisableTorchFunction, _DisableTorchDispatch = (torch._C.DisableTorchFunction,
                                                torch._C._DisableTorchDispatch)
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
    if any(filename.startswith(root) for root in _LIBRARY_ROOTS):
        return True
    line = linecache.getline(filename, tb.tb_lineno).strip()
    return bool(line) and not line.startswith("raise")


_LIBRARY_ROOTS = tuple(sorted({sysconfig.get_paths()[k] for k in ("purelib", "platlib",
                                                                   "stdlib")}
                              | {os.path.dirname(os.path.dirname(torch.__file__))}))


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


class _RecordingEngine:
    """autograd's C++ engine, with every backward pass counted (it still runs)."""

    def __init__(self, engine):
        self._engine, self.runs = engine, 0

    def run_backward(self, *args, **kwargs):
        self.runs += 1
        return self._engine.run_backward(*args, **kwargs)

    def __getattr__(self, name):
        return getattr(self._engine, name)


# Forward-mode entry points (they do not go through the engine), watched by module attribute.
_FORWARD_MODE = [("torch.func", n) for n in ("jvp", "jacfwd", "hessian", "linearize")] + [
    ("torch.autograd.forward_ad", "make_dual"),
    # what make_dual looks up at each call (torch >= 2.12): catches it however it was imported
    ("torch._functorch.predispatch", "_make_dual"),
    # No forward-mode AD without entering a dual level, and that path is looked up at each call
    # in every torch: what `dual_level()` calls, what that calls in torch >= 2.12, and what it
    # calls before (where make_dual goes straight to torch._VF, unwatched).
    ("torch.autograd.forward_ad", "enter_dual_level"),
    ("torch._functorch.predispatch", "_enter_dual_level"),
    ("torch._C", "_enter_dual_level"),
    ("torch.autograd.functional", "jvp"), ("torch.autograd.functional", "hvp")]


@contextlib.contextmanager
def autograd_watch():
    """Inside, every use of automatic differentiation is counted: each backward pass of the
    engine (`.backward()`, `torch.autograd.grad`, `torch.autograd.functional.*`,
    `torch.func.grad/vjp/jacrev`, however imported) and each call of a forward-mode entry
    point (`torch.func.jvp/jacfwd`, `forward_ad.make_dual`, however imported).  Yields a
    list whose length is the count; a "no autograd" exercise's check calls the student's
    function inside and fails with `used_autograd` when it is not empty.  Compute the
    references outside.  A backward pass that reaches the engine through a reference kept
    from before (`Variable._execution_engine` saved at a cell's top level) is still seen when
    it reads a tensor that a node of the graph built inside saved (a product, a power: every
    "by hand" exercise's function has them)."""
    import importlib

    from torch.autograd.variable import Variable

    engine = Variable._execution_engine
    recording = _RecordingEngine(engine)
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
        patched.append((module, attr, original))
    unpacked: list[int] = []

    def unpack(saved):  # runs when a backward pass reads what a node saved
        unpacked.append(1)
        return saved

    Variable._execution_engine = recording
    try:
        with torch.autograd.graph.saved_tensors_hooks(lambda saved: saved, unpack):
            yield used
    finally:
        Variable._execution_engine = engine
        for module, attr, original in patched:
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


# --------------------------------------------------------------------------- plain data

class untouchable:
    """Inside, torch runs its own kernels only: `__torch_function__` (tensor subclasses and
    function modes) and `__torch_dispatch__` (subclasses and dispatch modes) are off."""

    __slots__ = ("guards",)

    def __enter__(self):
        self.guards = (_DisableTorchFunction(), _DisableTorchDispatch())
        for guard in self.guards:
            guard.__enter__()
        return self

    def __exit__(self, *exc):
        for guard in reversed(self.guards):
            guard.__exit__(*exc)
        return False


def type_name(x: Any) -> str:
    """The name of x's type, read from the type itself (a metaclass cannot dress it)."""
    return _type_name(type(x))


def is_plain_tensor(x: Any) -> bool:
    """x is exactly a torch.Tensor or an nn.Parameter (no subclass, no Python dispatch key)."""
    kind = type(x)
    if kind is not _Tensor and kind is not _Parameter:
        return False
    with untouchable():
        keys = _dispatch_keys(x)
    return not any(keys.has(k) for k in _PYTHON_KEYS)


def _read(x: Any) -> tuple[torch.Size, list[float]] | None:
    """(shape, flat float64 values) of a plain tensor, or None (not one, or unreadable)."""
    if not is_plain_tensor(x):
        return None
    try:
        with untouchable():
            if _dtype(x).is_complex:
                return None
            flat = _reshape(_to(_detach(x), "cpu", _F64), (-1,))
            return _size(x), _tolist(flat)
    except Exception:  # sparse, meta, a storage-less tensor...: not plain data
        return None


def floats(x: Any) -> list[float] | None:
    """The values of a plain tensor as a flat list of Python floats, else None."""
    read = _read(x)
    return None if read is None else read[1]


def as_plain(x: Any) -> torch.Tensor | None:
    """A fresh detached CPU float64 copy, of exact type torch.Tensor, of a plain tensor (see
    `is_plain_tensor`); None for anything else."""
    read = _read(x)
    if read is None:
        return None
    with untouchable():
        return _reshape(_new_tensor(read[1], dtype=_F64), read[0])


def plain_tensor(lang: str, what: str, got: Any) -> torch.Tensor:
    """`as_plain(got)`, or the generic `not_a_tensor` failure naming got's type."""
    copy = as_plain(got)
    if copy is None:
        fail(lang, "not_a_tensor", what=what, type=type_name(got))
    return copy


def plain_float(x: Any) -> float | None:
    """x's value as an exact float when x is a float (or a subclass of float, such as
    numpy.float64, whose stored value is read by float's own slot); else None."""
    if issubclass(type(x), float):
        return _float_value(x)
    return None


def plain_str(x: Any) -> str | None:
    """x when it is exactly a str (a subclass may lie in `strip`, `lower`, `__eq__`); else None."""
    return x if type(x) is str else None


def plain_str_list(x: Any) -> list[str] | None:
    """A copy of x when it is exactly a list; an item that is not exactly a str becomes
    "<its type>" (never equal to a name).  None when x is not a list."""
    if type(x) is not list:
        return None
    return [item if type(item) is str else f"<{type_name(item)}>" for item in x]


def plain_items(x: Any, *kinds: type) -> list | None:
    """A list copy of x's items when x is exactly one of `kinds` (tuple, list); else None."""
    if not any(type(x) is kind for kind in kinds):
        return None
    return list(x)


def plain_dict(x: Any) -> dict | None:
    """A copy of x when it is exactly a dict; a key that is not exactly a str becomes
    "<its type>".  None when x is not a dict."""
    if type(x) is not dict:
        return None
    return {key if type(key) is str else f"<{type_name(key)}>": value
            for key, value in dict.items(x)}


# --------------------------------------------------------------------------- showing values

_SCALARS = (str, int, float, bool, complex, type(None))


def shown(x: Any, limit: int = 80) -> str:
    """repr(x) for builtin values, containers of them and plain tensors; "<type>" otherwise."""
    return _shown(x, 2)[:limit]


def _shown(x: Any, depth: int) -> str:
    kind = type(x)
    if any(kind is k for k in _SCALARS):
        return repr(x)
    if is_plain_tensor(x):
        with untouchable():
            return repr(_detach(x))
    if depth > 0 and (kind is list or kind is tuple):
        items = list(x)
        body = ", ".join(_shown(i, depth - 1) for i in items[:8]) + (", …" if len(items) > 8
                                                                     else "")
        if kind is list:
            return f"[{body}]"
        return f"({body},)" if len(items) == 1 else f"({body})"
    return f"<{type_name(x)}>"


def short(t: Any, n: int = 6, digits: int | None = None) -> str:
    """A compact rendering of a value for a failure message (4 significant digits in a
    tensor, 6 in a number, unless `digits` says otherwise)."""
    read = _read(t)
    if read is not None:
        shape, flat = read
        d = digits or 4
        body = ", ".join(f"{v:.{d}g}" for v in flat[:n]) + (", …" if len(flat) > n else "")
        return f"tensor[{'×'.join(map(str, shape)) or '0-d'}]({body})"
    value = plain_float(t)
    if value is not None:
        return f"{value:.{digits or 6}g}"
    return shown(t)


def contrast(expected: Any, got: Any) -> dict[str, str]:
    """{"expected": …, "got": …} rendered with the fewest significant digits (4 up to 17) at
    which they read differently: "expected 1.5, got 1.5" would tell a student nothing."""
    for digits in (None, 8, 12, 17):
        pair = {"expected": short(expected, digits=digits), "got": short(got, digits=digits)}
        if pair["expected"] != pair["got"]:
            break
    return pair


# --------------------------------------------------------------------------- comparisons

def _agree(got: list[float], expected: list[float], rtol: float, atol: float) -> bool:
    """|g - e| <= atol + rtol·|e| everywhere and g finite (NaN never agrees), as torch would
    compute it in float64, in plain Python arithmetic."""
    for g, e in zip(got, expected):
        if not isfinite(g):
            return False
        diff = g - e
        if diff < 0:
            diff = -diff
        if not diff <= atol + rtol * (-e if e < 0 else e):
            return False
    return True


def expect_tensor(lang: str, what: str, got: Any, like: torch.Tensor,
                  check_dtype: bool = True) -> torch.Tensor:
    """`got` is a plain tensor (exactly torch.Tensor or nn.Parameter) with `like`'s shape,
    device (and dtype).  Returns got itself."""
    if not is_plain_tensor(got):
        fail(lang, "not_a_tensor", what=what, type=type_name(got))
    with untouchable():
        shape, device, dtype = _size(got), _device(got), _dtype(got)
        want = (_size(like), _device(like), _dtype(like))
    if shape != want[0]:
        fail(lang, "wrong_shape", what=what, got=tuple(shape), expected=tuple(want[0]))
    if device != want[1]:
        fail(lang, "wrong_device", what=what, got=device, expected=want[1])
    if check_dtype and dtype != want[2]:
        fail(lang, "wrong_dtype", what=what, got=dtype, expected=want[2])
    return got


def close(got: Any, expected: Any, rtol: float = 1e-7, atol: float = 1e-9) -> bool:
    """Values agree (NaN never agrees).  Compared in float64, in Python, on plain copies; False
    when either is not a plain tensor."""
    g, e = _read(got), _read(expected)
    return g is not None and e is not None and g[0] == e[0] and _agree(g[1], e[1], rtol, atol)


def equal(got: Any, expected: Any) -> bool:
    """Same shape and the very same values (as torch.equal; NaN is never equal); False when
    either is not a plain tensor."""
    g, e = _read(got), _read(expected)
    return (g is not None and e is not None and g[0] == e[0]
            and all(a == b for a, b in zip(g[1], e[1])))


def expect_close(lang: str, what: str, got: Any, expected: torch.Tensor, *,
                 hint: Message | None = None, wrong: Mapping[str, torch.Tensor] | None = None,
                 table: Mistakes | None = None, rtol: float = 1e-7, atol: float = 1e-9,
                 check_dtype: bool = True) -> None:
    """`got` equals `expected`; else the first of `wrong` ({mistake id: what that mistake
    gives}) that it equals names the mistake (from `table`), else an unrecognised wrong value
    with `hint` (a likely cause) appended."""
    expect_tensor(lang, what, got, expected, check_dtype)
    if close(got, expected, rtol, atol):
        return
    for mid, value in (wrong or {}).items():
        if value is not None and close(got, value, rtol, atol):
            if table is None:
                raise ValueError("expect_close(wrong=...) needs the lesson's mistakes table")
            table.fail(lang, mid, what=what)
    text = GENERIC.message("wrong_value").say(lang, what=what, **contrast(expected, got))
    if hint is not None:
        text += HINT.say(lang, hint=hint.say(lang))
    raise_mistake("wrong_value", text)


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
        values = _read(t)
        if values is None:
            return type(t), None, None, None, None
        with untouchable():
            meta = (_dtype(t), _device(t), _requires_grad(t))
            grad = _grad(t)
        return type(t), values, meta, type(grad), None if grad is None else _read(grad)

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


def normalize_choice(text: str) -> str:
    """" B ", "(b)", "b)", "b.", "'b'" -> "b": the rule the visible check_choice applies too
    (course/authoring/helper_cell.py), so a letter the visible check accepts scores."""
    return text.strip().strip("\"'").strip().lstrip("(").rstrip(").").strip().lower()


def check_choice(lang: str, name: str, answer: Any, correct: str, options: str,
                 why: dict | None = None, table=None) -> None:
    """Multiple-choice answer: one letter among `options` (a str, any case, spaces or
    parentheses).  `why` maps a wrong letter to the mistake id in `table` (the lesson's
    MISTAKES) whose message says why that option is wrong; other wrong letters get the
    generic `wrong_choice`."""
    text = plain_str(answer)
    letter = None if text is None else normalize_choice(text)
    if letter is None or letter not in tuple(options):
        fail(lang, "not_a_choice", name=name, got=shown(answer),
             options=", ".join(repr(o) for o in options))
    if letter != correct:
        if why and letter in why and table is not None:
            table.fail(lang, why[letter], name=name, got=repr(letter))
        fail(lang, "wrong_choice", name=name, got=repr(letter))
