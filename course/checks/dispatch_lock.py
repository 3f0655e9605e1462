"""In a grading kernel, a submission registers no kernel with torch's dispatcher.

Why: `torch.library.Library("aten", "IMPL").impl("detach", fn, "CPU")` (however reached:
`torch._custom_op.impl.library.Library` passes for another name) replaces what torch runs for
an operator, for every caller: the hidden tests' own reads and references included, with no
mode or attribute left for `pristine` to put back.  Every Python registration goes through
one C function, `torch._C._dispatch_library`; `install()` puts a gate in its place, and once
`enforce()` ran (the guard, in a grading kernel, before student code) the gate lets through
only what torch asks for itself: the first frame above torch's registration API
(`torch/library.py`, `torch/_library/`, `torch/_custom_op*`) must be torch's own code — a
module torch imports lazily registering its operators — never a submission's cell, nor a
standard-library trampoline (a thread, an event loop) that runs one.  A refusal raises in the
code that tried and is recorded like `code_lock`'s (the guard's reply names it).

The original function lives only in the frame of a suspended generator: a submission cannot
read that frame (`introspection_lock` refuses `gi_frame` and the collector's walks), and a
generator it reaches through the gate's globals answers only the gate.  torch's Python
dispatcher (`OpOverload.py_impl`, active only where a submission turns it on) registers nothing
here: `python_dispatcher` keeps it off for the hidden tests.  What this cannot see:
registrations through ctypes or a second copy of torch's C module; the tamper scan flags the
names involved.
"""
from __future__ import annotations

import os
import sys

import torch

from . import code_lock

_TORCH_DIR = os.path.dirname(os.path.abspath(torch.__file__)) + os.sep
_REGISTRARS = tuple(_TORCH_DIR + p for p in ("library.py", "_library" + os.sep,
                                             "_custom_op" + os.sep, "_custom_ops.py",
                                             "_python_dispatcher.py"))
_getframe = sys._getframe
_installed = [False]
WHAT = "torch._C._dispatch_library"
MESSAGE = ("correção automática: o código do notebook não pode registrar kernels no despachante "
           "do torch / corrección automática: el código del notebook no puede registrar "
           "kernels en el despachador de torch (torch.library)")


def _keeper():
    """Holds the original, whether the lock is enforced and what it compares with, all in its
    own frame (a module global, a list or a closure cell could be rewritten by a submission);
    answers the gate only."""
    original, getframe, gate = torch._C._dispatch_library, _getframe, _gate.__code__
    torch_dir, registrars, enforce = _TORCH_DIR, _REGISTRARS, _ENFORCE
    enforced = False
    answer = None
    while True:
        message = yield answer
        if message is enforce:  # one way: nothing turns it off again
            enforced, answer = True, None
            continue
        caller = getframe(1)  # the frame that sent: the gate's, or someone else's
        allowed = caller.f_code is gate
        if allowed and enforced:  # the first frame above torch's registration API is torch's
            frame = caller.f_back
            while frame is not None and frame.f_code.co_filename.startswith(registrars):
                frame = frame.f_back
            allowed = frame is not None and frame.f_code.co_filename.startswith(torch_dir)
        if not allowed:
            answer = (False, None)
            continue
        args, kwargs = message
        try:
            answer = (True, original(*args, **kwargs))
        except Exception as exc:  # torch's own error (a bad namespace…), raised by the gate
            answer = (True, exc)


def _gate(*args, **kwargs):
    allowed, value = _send((args, kwargs))
    if not allowed:
        code_lock.refuse(WHAT, MESSAGE)
    if isinstance(value, BaseException):
        raise value
    return value


_ENFORCE = object()
_generator = _keeper()
_send = _generator.send


def install() -> None:
    """Put the gate in place of torch's registration function (once per process, in the
    zygote, before any student code; forked kernels inherit it)."""
    if not _installed[0]:
        next(_generator)
        torch._C._dispatch_library = _gate
        _installed[0] = True


def enforce() -> None:
    """From now on, only torch itself registers kernels (the guard calls this)."""
    install()
    _send(_ENFORCE)
