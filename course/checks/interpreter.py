"""What the interpreter and torch hold outside any attribute, put back for `pristine`: torch's
function and dispatch mode stacks, tracers and profilers, `sys.displayhook`/`excepthook`, and
the garbage collector's callbacks and thresholds.

Each is a way for code a submission left behind to run inside a hidden test without being
called (a mode sees every torch call, a tracer every line, a collector callback every
allocation).  Every function used here is bound at import, before any student code, and the
saved values are frozen (tuples, a read-only mapping): emptying them in place changes nothing.
"""
from __future__ import annotations

import gc
import sys
import threading
from types import MappingProxyType

import torch
from torch.utils._device import DeviceContext as _DeviceContext

_vars, _getattr, _setattr, _len, _zip, _any, _tuple = vars, getattr, setattr, len, zip, any, tuple
_sys_modules = sys.modules
_len_function_modes = torch._C._len_torch_function_stack
_pop_function_mode = torch._C._pop_torch_function_stack
_push_function_mode = torch._C._push_on_torch_function_stack
_len_dispatch_modes = torch._C._len_torch_dispatch_stack
_pop_dispatch_mode = torch._C._pop_torch_dispatch_stack
_gettrace, _settrace = sys.gettrace, sys.settrace
_getprofile, _setprofile = sys.getprofile, sys.setprofile
_thread_gettrace, _thread_settrace = threading.gettrace, threading.settrace
_thread_getprofile, _thread_setprofile = threading.getprofile, threading.setprofile
HOOKS = MappingProxyType({"displayhook": sys.displayhook, "excepthook": sys.excepthook})
# The collector's callbacks run in the middle of whatever code allocates, a hidden test's too.
_gc_callbacks, _gc_threshold, _gc_enable = gc.callbacks, gc.set_threshold, gc.enable
_gc_get_threshold, _gc_isenabled = gc.get_threshold, gc.isenabled
GC = (tuple(gc.callbacks), gc.get_threshold(), gc.isenabled())  # frozen: see signals._TIMERS


# (getter, setter, name) of each tracer and profiler: this thread's, and threading's for new
# threads
_TRACERS = ((_gettrace, _settrace, "sys.settrace"), (_getprofile, _setprofile, "sys.setprofile"),
            (_thread_gettrace, _thread_settrace, "threading.settrace"),
            (_thread_getprofile, _thread_setprofile, "threading.setprofile"))


def tracing() -> tuple:
    """The tracers and profilers now, in _TRACERS' order."""
    return _tuple(get() for get, _set, _name in _TRACERS)


def depths() -> tuple[int, int]:
    """How many torch function modes and dispatch modes are pushed now."""
    return _len_function_modes(), _len_dispatch_modes()


# Outside IPython (tests, a debugger, coverage) tracers go back to what they were at import;
# in a grading kernel to none at all (the snapshot may postdate a submission's cells).
TRACING = tracing()
NO_TRACING = (None, None, None, None)


def pop_modes(functions: int, dispatch: int) -> list[str]:
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


def restore_tracing(tracing: tuple) -> list[str]:
    """Each tracer and profiler back to `tracing` (a `tracing()` taken earlier)."""
    changed = []
    for (get, set_, name), wanted in _zip(_TRACERS, tracing):
        if get() is not wanted:
            set_(wanted)
            changed.append(name)
    return changed


def restore_hooks() -> list[str]:
    """sys.displayhook and sys.excepthook back to the snapshot, outside IPython.  Inside an
    IPython shell they are the shell's (it sets sys.displayhook around every cell, and shows a
    cell's exception itself); there the grading engine's guard restores them from a snapshot
    taken when the kernel started, so this leaves them alone."""
    if in_ipython():
        return []
    changed = []
    for name, value in HOOKS.items():
        if _getattr(sys, name) is not value:
            _setattr(sys, name, value)
            changed.append(f"sys.{name}")
    return changed


def restore_gc() -> list[str]:
    """The collector's callbacks, thresholds and on/off switch back to the snapshot's: a
    callback (or a threshold of 1, which runs them at nearly every allocation) lets code the
    submission left behind run during a hidden test without being called."""
    callbacks, threshold, enabled = GC
    changed = []
    if _len(_gc_callbacks) != _len(callbacks) or _any(
            a is not b for a, b in _zip(_gc_callbacks, callbacks)):
        _gc_callbacks[:] = callbacks
        changed.append("gc.callbacks")
    if _gc_get_threshold() != threshold:
        _gc_threshold(*threshold)
        changed.append("gc.set_threshold")
    if enabled and not _gc_isenabled():
        _gc_enable()
        changed.append("gc.disable")
    return changed


def in_ipython() -> bool:
    mod = _sys_modules.get("IPython.core.interactiveshell")
    shell = None if mod is None else _vars(mod).get("InteractiveShell")
    try:
        return shell is not None and bool(shell.initialized())
    except Exception:
        return True  # an IPython we cannot read: leave its hooks alone
