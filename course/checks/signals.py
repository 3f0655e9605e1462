"""Signal handlers and interval timers a submission set, undone before a hidden test runs.

A handler runs between any two bytecodes of the main thread, so `signal.setitimer` plus a
handler lets a submission's code run *during* a hidden test, without being called: it can
walk the interrupted frames and change what the test checks.  `restore()` (run by
`pristine.restore` and `pristine.settle`) disarms the three interval timers (`alarm` shares
the real one) and puts back every handler that is not the interpreter's, a library's or the
one in place when this module was imported.  Handlers can only be set from the main thread;
from another thread only the timers are disarmed.
"""
from __future__ import annotations

import signal
import threading
import types
from types import MappingProxyType

from .code_lock import from_library

_getsignal, _signal, _getitimer, _setitimer = (signal.getsignal, signal.signal,
                                               signal.getitimer, signal.setitimer)
# Frozen: a submission reaching this module (`sys.modules`) could empty a dict or list in place
# (no timer disarmed, its handler taken for the snapshot's); a rebound name is put back by
# `pristine.restore` before this module's restore runs.
_TIMERS = (("ITIMER_REAL", signal.ITIMER_REAL), ("ITIMER_VIRTUAL", signal.ITIMER_VIRTUAL),
           ("ITIMER_PROF", signal.ITIMER_PROF))
_BUILTIN = (signal.SIG_DFL, signal.SIG_IGN, None, signal.default_int_handler)
_FunctionType, _MethodType = types.FunctionType, types.MethodType
_main_thread = threading.main_thread
_current_thread = threading.current_thread
_SIGNALS = tuple(sorted(signal.valid_signals() - {signal.SIGKILL, signal.SIGSTOP}))
_snapshot = MappingProxyType({sig: _getsignal(sig) for sig in _SIGNALS})


def _ours(handler) -> bool:
    """The interpreter's, a library's (ipykernel sets its own) or the snapshot's handler."""
    if any(handler is h for h in _BUILTIN):
        return True
    if type(handler) is _MethodType:  # read by the types' own getters: no student code runs
        handler = handler.__func__
    return type(handler) is _FunctionType and from_library(handler.__code__)


def restore() -> list[str]:
    changed = []
    for name, which in _TIMERS:
        if _getitimer(which) != (0.0, 0.0):
            _setitimer(which, 0)
            changed.append(f"signal.setitimer({name})")
    if _current_thread() is not _main_thread():
        return changed
    for sig in _SIGNALS:
        handler = _getsignal(sig)
        if handler is _snapshot[sig] or _ours(handler):
            continue
        before = _snapshot[sig]
        _signal(sig, before if _ours(before) else signal.SIG_DFL)
        changed.append(f"signal handler ({signal.Signals(sig).name})")
    return changed
