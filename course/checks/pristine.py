"""Undo what a submission may have monkeypatched or left active before a hidden test runs.

A student can redefine `torch.allclose`, `numpy.isclose`, `builtins.abs`, `AssertionError` or our
own check functions in an answer cell, push a torch function or dispatch mode that intercepts
every torch call (the hidden test's included), or set a tracer.  This module snapshots those
namespaces when it is first imported — `course grade` imports it in every kernel before any
student code runs — and `restore()` (injected by the build as the first line of every
hidden-test block) puts the originals back, pops every torch function/dispatch mode, and puts
back `sys.settrace`/`sys.setprofile` (and threading's), `sys.displayhook` and `sys.excepthook`,
disarms interval timers and removes signal handlers a submission set (`signals`), puts back the
garbage collector's callbacks and thresholds, and reports
what `code_lock` refused (a write to the code of a function the grader relies on).
Under plain `nbgrader autograde` the snapshot is taken at the first hidden test instead, which
protects the later cells only.

`settle(state())` is what `core.call` runs after every call of a student's function: the same
undoing, down to what was active before that call, so what the function did while the hidden
test was calling it does not last into the test's own computations.

Every name `restore` relies on is bound here at import, so a patched `builtins.setattr` or
`sys.gettrace` cannot stop it.  A mode of torch's own `DeviceContext` type
(`torch.set_default_device`) is kept: it only picks the device of new tensors.
"""
from __future__ import annotations

import builtins
import gc
import itertools
import math
import operator
import sys
import threading
from types import MappingProxyType

import torch
import torch.autograd
import torch.nn.functional
import torch.testing
from torch.utils._device import DeviceContext as _DeviceContext

from . import (autograd_state, code_lock, dispatch_lock, global_hooks, python_dispatcher,
               signals)

try:
    import numpy
except ImportError:  # pragma: no cover - torch's wheels bring numpy
    numpy = None

_MODULES = [builtins, math, torch, torch.autograd, torch.nn.functional, torch.testing]
if numpy is not None:
    _MODULES.append(numpy)
# The torch namespaces whose functions and classes hidden tests build their references with
# (optimizers, modules and losses, Dataset/DataLoader, autograd.Function, torch.func…): a
# submission that patches `type(optimizer).step` makes the reference's SGD as wrong as its own.
_TORCH_NAMESPACES = ("torch.optim", "torch.nn", "torch.nn.init", "torch.utils.data",
                     "torch.autograd.function", "torch.autograd.functional",
                     "torch.autograd.graph", "torch.autograd.forward_ad", "torch.func",
                     "torch.linalg")
# Of those, the classes kept as they were: all that the optimizer, data and autograd modules
# define, and of torch.nn's hundreds (a comparison per attribute, after every call of a
# student's function) those the lessons build: the layers, losses and containers they use.
_CLASS_NAMESPACES = ("torch.optim", "torch.utils.data", "torch.utils.data.dataloader",
                     "torch.utils.data._utils.fetch", "torch.autograd.function",
                     "torch.autograd.graph", "torch.autograd.forward_ad")
_NN_CLASSES = ("Module", "Parameter", "Linear", "Sequential", "ModuleList", "ParameterList",
               "MSELoss", "L1Loss", "SmoothL1Loss", "HuberLoss", "CrossEntropyLoss", "NLLLoss",
               "BCELoss", "BCEWithLogitsLoss", "Tanh", "ReLU", "Sigmoid", "Softmax", "Identity",
               "Flatten")
_TYPES = [torch.Tensor]
_BEHAVIOUR_ONLY: set = set()  # the classes of _TYPES snapshotted for their behaviour only
_snapshot: dict = {}
# Per snapshotted owner: (its size, its keys, its values), to tell "nothing changed" at C speed
# by identity alone (no __eq__ of any value is called, so no value can claim to be unchanged).
_fast: dict = {}
_whole: list = []  # the same for all owners at once (see _all_at_once)
_modules_snapshot: dict = {}
# The classes the grading-side modules define (`Mistakes`, `Message`…): patching one of their
# methods through an instance (`type(checks.M).fail = …`) must be undone like a module's.
_classes_snapshot: dict = {}
# The objects those modules hold (a lesson's `M = Mistakes(...)`, `GENERIC`): an attribute set on
# one (`M.fail = lambda *a: None`) hides its class's method and would outlive every restore.
_objects_snapshot: dict = {}

# Bound now: restore() must not go through what it restores.
_vars, _setattr, _getattr, _delattr = vars, setattr, getattr, delattr
_hasattr, _id, _callable = hasattr, id, callable
_all, _map, _is, _call, _tuple = all, map, operator.is_, operator.call, tuple
_chain, _dict_values = itertools.chain, dict.values
_len, _list, _dict, _isinstance = len, list, dict, isinstance
_sys_modules = sys.modules  # the interpreter's own dict, even if `sys.modules` is rebound
_len_function_modes = torch._C._len_torch_function_stack
_pop_function_mode = torch._C._pop_torch_function_stack
_push_function_mode = torch._C._push_on_torch_function_stack
_len_dispatch_modes = torch._C._len_torch_dispatch_stack
_pop_dispatch_mode = torch._C._pop_torch_dispatch_stack
_gettrace, _settrace = sys.gettrace, sys.settrace
_getprofile, _setprofile = sys.getprofile, sys.setprofile
_thread_gettrace, _thread_settrace = threading.gettrace, threading.settrace
_thread_getprofile, _thread_setprofile = threading.getprofile, threading.setprofile
_signals_restore, _refused = signals.restore, code_lock.refused
_python_dispatcher_off = python_dispatcher.switch_off
_global_hooks_restore = global_hooks.restore
_autograd_state, _autograd_settle, _autograd_restore = (autograd_state.state,
                                                        autograd_state.settle,
                                                        autograd_state.restore)
_HOOKS = MappingProxyType({"displayhook": sys.displayhook, "excepthook": sys.excepthook})
# The collector's callbacks run in the middle of whatever code allocates, a hidden test's too.
_gc_callbacks, _gc_threshold, _gc_enable = gc.callbacks, gc.set_threshold, gc.enable
_gc_get_threshold, _gc_isenabled = gc.get_threshold, gc.isenabled
_GC = (tuple(gc.callbacks), gc.get_threshold(), gc.isenabled())  # frozen: see signals._TIMERS
# Outside IPython (tests, a debugger, coverage) tracers go back to what they were at import;
# in a grading kernel to none at all (the snapshot may postdate a submission's cells).
_TRACING = (_gettrace(), _getprofile(), _thread_gettrace(), _thread_getprofile())
_NO_TRACING = (None, None, None, None)


def _grading_side(name: str) -> bool:
    """The modules hidden tests run on: this library, the lessons' checks and mistakes."""
    return (name in ("course", "course.cells", "course.lessons")
            or name.startswith("course.checks")
            or (name.startswith("course.lessons.")
                and name.rsplit(".", 1)[-1] in ("checks", "mistakes")))


def _torch_owners() -> tuple[list, list]:
    """The modules of _TORCH_NAMESPACES that are loaded, and the torch classes named above,
    with their torch base classes (`SGD` and `Optimizer`, `MSELoss` and `_Loss`)."""
    modules = [_sys_modules[n] for n in _TORCH_NAMESPACES if n in _sys_modules]
    nn = _sys_modules.get("torch.nn")
    found = [_getattr(nn, name, None) for name in _NN_CLASSES] if nn is not None else []
    for name in _CLASS_NAMESPACES:
        if name in _sys_modules:
            found += _list(_vars(_sys_modules[name]).values())
    classes: dict = {}
    for value in found:
        if _isinstance(value, type):
            for cls in value.__mro__:
                if (str(_getattr(cls, "__module__", "") or "").startswith("torch")
                        and cls is not torch.Tensor):
                    classes[cls] = None
    return modules, _list(classes)


def _hook_optimizers() -> None:
    """torch wraps an optimizer class's `step` (its step hooks) the first time one is built:
    done now for every optimizer class, so that the snapshot holds the wrapped one and a
    student's first `torch.optim.SGD(...)` changes nothing."""
    optim = _sys_modules.get("torch.optim")
    if optim is None:
        return
    for value in _list(_vars(optim).values()):
        if _isinstance(value, type) and issubclass(value, optim.Optimizer) and (
                value is not optim.Optimizer):
            try:
                value([torch.zeros(1, requires_grad=True)])
            except Exception:
                pass


def _all_at_once() -> None:
    """What `_unchanged` needs to look at every snapshotted owner in a few C-level passes
    (a Python loop over the hundred owners costs more than all their attributes): for the
    modules, every value in order; for the classes, every key in order and the values kept."""
    owners = _list(_snapshot)
    modules = [o for o in owners if type(_vars(o)) is dict]
    classes = [o for o in owners if type(_vars(o)) is not dict]
    _whole[:] = [tuple(_vars(o) for o in modules),  # live: the modules' own dicts
                 tuple(_fast[o][0] for o in modules),
                 tuple(v for o in modules for v in _fast[o][3]),
                 tuple(_vars(o) for o in classes),  # live views of the classes' dicts
                 tuple(_fast[o][0] for o in classes),
                 tuple(k for o in classes for k in _fast[o][1]),
                 tuple(_vars(o).get for o in classes for _ in _fast[o][2]),
                 tuple(k for o in classes for k in _fast[o][2]),
                 tuple(v for o in classes for v in _fast[o][3])]


def _unchanged() -> bool:
    """Every snapshotted owner holds what it held: compared by identity only, so no value's
    __eq__ is ever called.  A module's values in the same order and number cannot hide a
    deleted or added name; a class is also compared key by key, since its data (counters)
    may move on."""
    if not _whole:
        return False
    dicts, sizes, values, views, view_sizes, keys, getters, kept, kept_values = _whole
    return (_tuple(_map(_len, dicts)) == sizes
            and _all(_map(_is, _chain.from_iterable(_map(_dict_values, dicts)), values))
            and _tuple(_map(_len, views)) == view_sizes
            and _all(_map(_is, _chain.from_iterable(views), keys))
            and _all(_map(_is, _map(_call, getters, kept), kept_values)))


def _behaviour(value) -> bool:
    """A class attribute that is behaviour (a function, a descriptor, a nested class), not
    data: torch keeps counters on some classes (`RemovableHandle.next_id`) that honest code
    moves on, and putting one back would hand out a hook id twice."""
    return _callable(value) or _hasattr(type(value), "__get__")


def _take() -> None:
    _hook_optimizers()
    global_hooks.take()
    modules, classes = _torch_owners()
    _BEHAVIOUR_ONLY.clear()
    _BEHAVIOUR_ONLY.update(classes)
    _TYPES[1:] = classes
    for owner in _MODULES + modules + _TYPES:
        current = _dict(_vars(owner))
        if owner in _BEHAVIOUR_ONLY:  # a torch class: its methods, not its counters
            _snapshot[owner] = {k: v for k, v in current.items() if _behaviour(v)}
        else:
            _snapshot[owner] = current
        _fast[owner] = (_len(current), tuple(current), tuple(_snapshot[owner]),
                        tuple(_snapshot[owner].values()))
    _all_at_once()
    for name in ("torch", "math"):  # their attributes are in _snapshot already
        _modules_snapshot[name] = (_sys_modules[name], None)
    protect_checks()


_scanned = [0]  # len(sys.modules) at the last scan: modules only appear by being imported


def protect_checks() -> None:
    """Also snapshot the grading-side modules imported since (called by each restore)."""
    if _len(_sys_modules) == _scanned[0]:
        return
    for name, mod in _list(_sys_modules.items()):
        if _grading_side(name) and name not in _modules_snapshot:
            _modules_snapshot[name] = (mod, _dict(_vars(mod)))
            for value in _list(_vars(mod).values()):
                if (_isinstance(value, type) and _getattr(value, "__module__", None) == name
                        and value not in _classes_snapshot):
                    _classes_snapshot[value] = _dict(_vars(value))
                elif (_grading_side(_getattr(type(value), "__module__", "") or "")
                      and _hasattr(value, "__dict__") and _id(value) not in _objects_snapshot):
                    _objects_snapshot[_id(value)] = (value, _dict(_vars(value)))
    _scanned[0] = _len(_sys_modules)


def snapshot_again() -> None:
    """Take the whole snapshot anew.  Only where no submission has run yet: the grading
    zygote, after importing the modules one assignment's kernels need (an import may wrap a
    torch function, as importing torch._dynamo wraps `torch.manual_seed`)."""
    _snapshot.clear()
    _fast.clear()
    _whole.clear()
    _modules_snapshot.clear()
    _classes_snapshot.clear()
    _objects_snapshot.clear()
    _scanned[0] = 0
    _take()


def state() -> tuple:
    """What is active now (mode stack depths, tracers), for `settle` to come back to."""
    return (_len_function_modes(), _len_dispatch_modes(),
            (_gettrace(), _getprofile(), _thread_gettrace(), _thread_getprofile()),
            _autograd_state())


def restore() -> list[str]:
    """Put back every snapshotted attribute, pop every torch mode, remove tracers and hooks;
    return what had been changed (for the record)."""
    changed = _restore_attributes()
    per_thread = _pop_modes(0, 0) + _python_dispatcher_off() + _autograd_restore()
    changed += per_thread
    changed += _restore_tracing(_NO_TRACING if _in_ipython() else _TRACING)
    changed += _restore_hooks()
    changed += _restore_gc() + _signals_restore() + _refused() + _global_hooks_restore()
    during, _settled[:] = _settled[:], []
    if per_thread and _get_ident() == _main_ident:  # a hidden-test block's first line
        _found_in_block.extend(per_thread)
    return changed + [f"{what} (during a call)" for what in dict.fromkeys(during)]


# What `restore()` found on the main thread, where the cells run, of what only that thread
# holds (torch's modes, its Python dispatcher, gradient mode, saved-tensor hooks): the guard's
# reset, on the control thread, cannot see it, and a hidden-test block's first line undoes
# it.  The guard's verdict reports it (`found_in_block`), so the record names it too.  (The
# rest is the reset's to report: ipykernel itself sets `builtins.input` around every cell.)
_found_in_block: list[str] = []
_get_ident, _main_ident = threading.get_ident, threading.main_thread().ident


def found_in_block() -> list[str]:
    """What the main thread's restores undid since the last call (then forgotten)."""
    found, _found_in_block[:] = _found_in_block[:], []
    return _list(dict.fromkeys(found))


def settle(before: tuple) -> list[str]:
    """After a student's function ran: attributes back to the snapshot, modes and tracers back
    to `before` (a `state()` taken just before the call).  What it undid is also reported by
    the next `restore()` (the guard's, before the next hidden test)."""
    functions, dispatch, tracing, autograd = before
    changed = (_restore_attributes() + _pop_modes(functions, dispatch)
               + _restore_tracing(tracing) + _restore_gc() + _signals_restore()
               + _python_dispatcher_off() + _autograd_settle(autograd)
               + _global_hooks_restore())
    _settled.extend(changed)
    return changed


_settled: list[str] = []  # what settle() undid since the last restore()


# ids of the wrappers `watch.autograd_watch` puts on torch's forward-mode entry points for the
# length of one call: a settle inside it puts the originals back (always the safe direction)
# without reporting the grader's own wrappers as the submission's doing.
_grader_wrappers: set[int] = set()


def _torch_rewrap(old, new) -> bool:
    """torch replacing one of its own functions by a wrapper of it (importing torch._dynamo
    wraps `torch.manual_seed`): put back, but not the submission's doing, so not reported."""
    try:
        return (_getattr(new, "__wrapped__", None) is old
                and str(_getattr(new, "__module__", "") or "").startswith("torch"))
    except Exception:
        return False


def _restore_attributes() -> list[str]:
    protect_checks()
    changed = []
    for owner, attrs in ([] if _unchanged() else _snapshot.items()):  # builtins first
        current = _vars(owner)
        size, keys, kept, values = _fast[owner]
        if (_len(current) == size and _all(_map(_is, current, keys))
                and _all(_map(_is, _map(current.get, kept), values))):
            continue  # the same keys, and the same objects where it matters
        get = current.get
        for name, value in attrs.items():
            now = get(name, _MISSING)
            if now is not value:
                _setattr(owner, name, value)
                if not _torch_rewrap(value, now) and _id(now) not in _grader_wrappers:
                    changed.append(f"{_getattr(owner, '__name__', owner)}.{name}")
        if _isinstance(owner, type):  # a new class attribute hides a base's
            changed += _drop_new(owner, attrs)
    for owner, attrs in _classes_snapshot.items():
        current = _vars(owner)
        for name, value in attrs.items():
            if current.get(name, _MISSING) is not value:
                _setattr(owner, name, value)
                changed.append(f"{owner.__module__}.{owner.__name__}.{name}")
        changed += _drop_new(owner, attrs)
    for obj, attrs in _objects_snapshot.values():
        current = _vars(obj)
        for name in [n for n in current if n not in attrs]:
            del current[name]
            changed.append(f"{type(obj).__name__}.{name}")
        for name, value in attrs.items():
            if current.get(name, _MISSING) is not value:
                current[name] = value
                changed.append(f"{type(obj).__name__}.{name}")
    for name, (mod, attrs) in _modules_snapshot.items():
        if _sys_modules.get(name) is not mod:
            _sys_modules[name] = mod
            changed.append(f"sys.modules[{name!r}]")
        if attrs is None:
            continue
        get = _vars(mod).get
        for attr, value in attrs.items():
            now = get(attr, _MISSING)
            if now is not value:
                _setattr(mod, attr, value)
                if _torch_rewrap(value, now):
                    continue
                changed.append(f"{name}.{attr}")
    return changed


def _drop_new(owner: type, attrs: dict) -> list[str]:
    """Delete the class attributes added since the snapshot (one may hide a base's); of a
    torch class, only new behaviour (torch may cache data on its classes)."""
    current = _vars(owner)
    added = [name for name in current if name not in attrs]
    if owner in _BEHAVIOUR_ONLY:
        added = [name for name in added if _behaviour(current[name])]
    for name in added:
        _delattr(owner, name)
    return [f"{owner.__name__}.{name}" for name in added]


def _pop_modes(functions: int, dispatch: int) -> list[str]:
    """Pop the torch function modes above depth `functions` (keeping torch's own
    DeviceContext) and the dispatch modes (user and infra) above depth `dispatch`."""
    changed = []
    kept = []
    while _len_function_modes() > functions:
        mode = _pop_function_mode()
        if type(mode) is _DeviceContext:
            kept.append(mode)
        elif not changed:
            changed.append("torch function mode")
    for mode in reversed(kept):
        _push_function_mode(mode)
    popped = False
    while _len_dispatch_modes() > dispatch:
        _pop_dispatch_mode(None)
        popped = True
    if popped:
        changed.append("torch dispatch mode")
    return changed


def _restore_tracing(tracing: tuple) -> list[str]:
    trace, profile, thread_trace, thread_profile = tracing
    changed = []
    if _gettrace() is not trace:
        _settrace(trace)
        changed.append("sys.settrace")
    if _getprofile() is not profile:
        _setprofile(profile)
        changed.append("sys.setprofile")
    if _thread_gettrace() is not thread_trace:
        _thread_settrace(thread_trace)
        changed.append("threading.settrace")
    if _thread_getprofile() is not thread_profile:
        _thread_setprofile(thread_profile)
        changed.append("threading.setprofile")
    return changed


def _restore_hooks() -> list[str]:
    """sys.displayhook and sys.excepthook back to the snapshot, outside IPython.  Inside an
    IPython shell they are the shell's (it sets sys.displayhook around every cell, and shows a
    cell's exception itself); there the grading engine's guard restores them from a snapshot
    taken when the kernel started, so this leaves them alone."""
    if _in_ipython():
        return []
    changed = []
    for name, value in _HOOKS.items():
        if _getattr(sys, name) is not value:
            _setattr(sys, name, value)
            changed.append(f"sys.{name}")
    return changed


def _restore_gc() -> list[str]:
    """The collector's callbacks, thresholds and on/off switch back to the snapshot's: a
    callback (or a threshold of 1, which runs them at nearly every allocation) lets code the
    submission left behind run during a hidden test without being called."""
    callbacks, threshold, enabled = _GC
    changed = []
    if _len(_gc_callbacks) != _len(callbacks) or any(
            a is not b for a, b in zip(_gc_callbacks, callbacks)):
        _gc_callbacks[:] = callbacks
        changed.append("gc.callbacks")
    if _gc_get_threshold() != threshold:
        _gc_threshold(*threshold)
        changed.append("gc.set_threshold")
    if enabled and not _gc_isenabled():
        _gc_enable()
        changed.append("gc.disable")
    return changed


def _in_ipython() -> bool:
    mod = _sys_modules.get("IPython.core.interactiveshell")
    shell = None if mod is None else _vars(mod).get("InteractiveShell")
    try:
        return shell is not None and bool(shell.initialized())
    except Exception:
        return True  # an IPython we cannot read: leave its hooks alone


_MISSING = object()
code_lock.install()
dispatch_lock.install()
_take()
