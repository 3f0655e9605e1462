"""Plain data out of whatever a submission returned, without running any of its methods.

The converters accept exact types only (`type(x) is ...`; never `isinstance`, which asks
`x.__class__`) and copy values through torch's and Python's own C code, bound here before any
student code runs; torch ops on those copies run inside `untouchable()`.  Failure messages show
a student's value through `short`/`shown`: plain copies, builtin scalars, or a type's name —
never the student's `repr`.  (See `core` for why.)"""
from __future__ import annotations

from typing import Any

import torch

from . import python_dispatcher
from .generic import fail

# torch's own C methods and builtins' own slots, bound before any student code runs: an
# instance attribute (`t.tolist = ...`) or a patched class attribute cannot stand in for them.
_Base = torch._C.TensorBase
_detach, _to, _tolist, _size, _reshape = (_Base.detach, _Base.to, _Base.tolist, _Base.size,
                                          _Base.reshape)
_dtype, _device = _Base.dtype.__get__, _Base.device.__get__
_grad, _requires_grad = _Base.grad.__get__, _Base.requires_grad.__get__
_is_leaf, _retains_grad = _Base.is_leaf.__get__, _Base.retains_grad.__get__
_dispatch_keys = torch._C._dispatch_keys
_PYTHON_KEYS = (torch._C.DispatchKey.Python, torch._C.DispatchKey.PythonTLSSnapshot)
_new_tensor, _F64 = torch.tensor, torch.float64
_Tensor, _Parameter = torch.Tensor, torch.nn.Parameter
_float_value = float.__float__
_tuple, _list = tuple, list
_type_name = type.__dict__["__name__"].__get__
_DisableTorchFunction, _DisableTorchDispatch = (torch._C.DisableTorchFunction,
                                                torch._C._DisableTorchDispatch)
_NoPythonDispatcher, _PYTHON_DISPATCHER = python_dispatcher.Excluded, python_dispatcher.KEYS


class untouchable:
    """Inside, torch runs its own kernels only: `__torch_function__` (tensor subclasses and
    function modes), `__torch_dispatch__` (subclasses and dispatch modes) and the Python
    dispatcher's kernels (`py_impl`, see python_dispatcher) are off."""

    __slots__ = ("guards",)

    def __enter__(self):
        self.guards = (_DisableTorchFunction(), _DisableTorchDispatch(),
                       _NoPythonDispatcher(_PYTHON_DISPATCHER))
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


def read_plain(x: Any) -> tuple[torch.Size, tuple[float, ...]] | None:
    """(shape, flat float64 values) of a plain tensor, or None (not one, or unreadable).  The
    values are a tuple: code that runs while a check compares them (a finalizer, a collector
    callback) cannot rewrite them in place."""
    if not is_plain_tensor(x):
        return None
    try:
        with untouchable():
            if _dtype(x).is_complex:
                return None
            flat = _reshape(_to(_detach(x), "cpu", _F64), (-1,))
            return _size(x), _tuple(_tolist(flat))
    except Exception:  # sparse, meta, a storage-less tensor...: not plain data
        return None


def meta(t: torch.Tensor) -> tuple:
    """(shape, dtype, device, requires_grad) of a plain tensor, read by torch's own getters
    with every override off."""
    with untouchable():
        return _size(t), _dtype(t), _device(t), _requires_grad(t)


def grad_of(t: torch.Tensor):
    """A plain tensor's `.grad`, read the same way.  A tensor that is no leaf (an answer that
    changed its input in place made it one) has none unless it retains it, and reading it
    would make torch warn on stderr, which zeroes a test cell under nbgrader."""
    with untouchable():
        if not _is_leaf(t) and not _retains_grad(t):
            return None
        return _grad(t)


def floats(x: Any) -> list[float] | None:
    """The values of a plain tensor as a flat list of Python floats, else None."""
    read = read_plain(x)
    return None if read is None else _list(read[1])


def as_plain(x: Any) -> torch.Tensor | None:
    """A fresh detached CPU float64 copy, of exact type torch.Tensor, of a plain tensor (see
    `is_plain_tensor`); None for anything else."""
    read = read_plain(x)
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
    """A list copy of x's items when x is exactly one of `kinds` (tuple, list); else None.

    When `kinds` has tuple, a subclass of tuple (a namedtuple, which *is* a tuple) is read
    too, through tuple's own slots: what the tuple stores, never what the subclass's
    `__iter__`, `__len__` or `__getitem__` would say."""
    if any(type(x) is kind for kind in kinds):
        return list(x)
    if any(kind is tuple for kind in kinds) and issubclass(type(x), tuple):
        return [tuple.__getitem__(x, i) for i in range(tuple.__len__(x))]
    return None


def plain_dict(x: Any) -> dict | None:
    """A copy of x when it is exactly a dict; a key that is not exactly a str becomes
    "<its type>".  None when x is not a dict."""
    if type(x) is not dict:
        return None
    return {key if type(key) is str else f"<{type_name(key)}>": value
            for key, value in dict.items(x)}

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
    read = read_plain(t)
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
