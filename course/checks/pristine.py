"""Undo what a submission may have monkeypatched or left active before a hidden test runs.

A student can redefine `torch.allclose`, `numpy.isclose`, `builtins.abs`, `AssertionError` or our
own check functions in an answer cell, push a torch function or dispatch mode that intercepts
every torch call (the hidden test's included), or set a tracer.  This module snapshots those
namespaces (`originals`: what is kept, and the fast check that nothing changed) when it is
first imported — `course grade` imports it in every kernel before any
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
import operator
import sys
import threading
from types import ModuleType as _ModuleType

from . import (autograd_state, code_lock, dispatch_lock, float_env, global_hooks, interpreter,
               python_dispatcher, signals)
from .originals import (_BEHAVIOUR_ONLY, _BUILTIN_NAMES, _MISSING, _behaviour,
                        _classes_snapshot, _fast, _modules_snapshot, _objects_snapshot,
                        _snap_keys, _snapshot, adopt, protect_checks, snapshot_again, take)
from .originals import modules_unchanged as _modules_unchanged
from .originals import unchanged as _unchanged

__all__ = ["adopt", "found_in_block", "protect_checks", "restore", "settle", "snapshot_again",
           "state"]

# Bound now: restore() must not go through what it restores.
_vars, _setattr, _getattr, _delattr = vars, setattr, getattr, delattr
_id, _len, _list, _isinstance = id, len, list, isinstance
_all, _map, _is = all, map, operator.is_
_sys_modules = sys.modules  # the interpreter's own dict, even if `sys.modules` is rebound
_signals_restore, _refused = signals.restore, code_lock.refused
_python_dispatcher_off = python_dispatcher.switch_off
_global_hooks_restore = global_hooks.restore
_float_env_restore = float_env.restore
_autograd_state, _autograd_settle, _autograd_restore = (autograd_state.state,
                                                        autograd_state.settle,
                                                        autograd_state.restore)
_depths, _tracing, _pop_modes = interpreter.depths, interpreter.tracing, interpreter.pop_modes
_restore_tracing, _restore_hooks, _restore_gc = (interpreter.restore_tracing,
                                                 interpreter.restore_hooks,
                                                 interpreter.restore_gc)
_TRACING, _NO_TRACING, _in_ipython = (interpreter.TRACING, interpreter.NO_TRACING,
                                      interpreter.in_ipython)


def state() -> tuple:
    """What is active now (mode stack depths, tracers), for `settle` to come back to."""
    return (*_depths(), _tracing(), _autograd_state())


def restore() -> list[str]:
    """Put back every snapshotted attribute, pop every torch mode, remove tracers and hooks;
    return what had been changed (for the record)."""
    changed = _restore_attributes()
    per_thread = (_pop_modes(0, 0) + _python_dispatcher_off() + _autograd_restore()
                  + _float_env_restore())
    changed += per_thread
    changed += _restore_tracing(_NO_TRACING if _in_ipython() else _TRACING)
    changed += _restore_hooks()
    changed += _restore_gc() + _signals_restore() + _refused() + _global_hooks_restore()
    during, _settled[:] = _settled[:], []
    if per_thread and _get_ident() == _main_ident:  # a hidden-test block's first line
        _found_in_block.extend(per_thread)
    return changed + [f"{what} (during a call)" for what in dict.fromkeys(during)]


# What `restore()` found on the main thread, where the cells run, of what only that thread
# holds (torch's modes, its Python dispatcher, gradient mode, saved-tensor hooks, the CPU's
# flush-to-zero flags): the guard's reset, on the control thread, cannot see it, and a
# hidden-test block's first line undoes it.  The guard's verdict reports it (`found_in_block`),
# so the record names it too.  (The rest is the reset's to report: ipykernel itself sets
# `builtins.input` around every cell.)
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
               + _python_dispatcher_off() + _autograd_settle(autograd) + _float_env_restore()
               + _global_hooks_restore())
    _settled.extend(changed)
    return changed


_settled: list[str] = []  # what settle() undid since the last restore()


# ids of what `watch.autograd_watch` puts in torch's place for the length of one call (the
# forward-mode entry points' counting wrappers, the recording autograd engine): a settle inside
# it leaves them there, so what the student's function runs after a first call is still
# counted, and does not report them as the submission's doing.
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
        if type(owner) is _ModuleType and owner is not builtins:
            changed += _drop_shadows(owner, _snap_keys[owner])
        get = current.get
        for name, value in attrs.items():
            now = get(name, _MISSING)
            if now is not value:
                if _id(now) in _grader_wrappers:  # the watch's own, for the length of a call
                    continue
                _setattr(owner, name, value)
                if not _torch_rewrap(value, now):
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
    for name, (mod, attrs) in ([] if _modules_unchanged() else _modules_snapshot.items()):
        if _sys_modules.get(name) is not mod:
            _sys_modules[name] = mod
            changed.append(f"sys.modules[{name!r}]")
        if attrs is None:
            continue
        changed += _drop_shadows(mod, attrs)
        get = _vars(mod).get
        for attr, value in attrs.items():
            now = get(attr, _MISSING)
            if now is not value:
                _setattr(mod, attr, value)
                if _torch_rewrap(value, now):
                    continue
                changed.append(f"{name}.{attr}")
    return changed


def _drop_shadows(module, had) -> list[str]:
    """Delete the globals `module` gained since its snapshot (`had`: its names then) that are
    named like a builtin: each hides that builtin from the module's own functions."""
    current = _vars(module)
    new = [name for name in current if name in _BUILTIN_NAMES and name not in had]
    for name in new:
        del current[name]
    return [f"{_getattr(module, '__name__', module)}.{name}" for name in new]


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


code_lock.install()
dispatch_lock.install()
take()
