"""In a grading kernel, a submission's code gets no frame and no walk over the collector's objects.

Why: hidden tests compare plain copies of what a student's function returned, but code a
submission leaves behind runs in the middle of a test without being called — a `gc.callbacks`
entry, a finalizer (`__del__`) that re-creates itself, a weakref callback.  With a frame
(`sys._getframe`, a traceback's `tb_frame`, `inspect.stack()`) or `gc.get_referrers` it reaches
the test's own locals and rewrites the copy being compared.  Every way to get hold of a frame or
of arbitrary objects raises a CPython audit event, and an audit hook cannot be removed: the hook
added here refuses those events (RuntimeError, recorded through `code_lock.refuse`, so the guard
refuses the test's verdict) when the code that asked is the submission's — not a library's, not
this package's.  It looks past the standard library's functions that hand frames out (`inspect.stack`,
`traceback.walk_stack`, `pdb.set_trace`…), so `inspect.stack()` from a cell is refused while a
library's own use of frames (logging, warnings, IPython's tracebacks, `traceback.print_exc()`)
is not.  It also refuses
code that a submission compiles under a library's file name (`compile(src, "/usr/lib/…")`,
`code.replace(co_filename=…)`), which would pass for a library's.

While a hidden test calls the submission (a frame of this package is on the stack), a library
function that hands the submission a frame (its caller's, `logging.currentframe()`, or one
further up) is refused too: the frame `sys._getframe` returns is checked, and the frames between
it and the one that asked must all be libraries' (or the running cell's top level).  Only then,
because libraries that merely *read* their caller's frame (`collections.namedtuple`,
`enum`, `typing` finding the calling module) would be refused as well: called by an answer
during a hidden test they are (a rare, reported refusal), in the student's own cells they are
not.

Enforced only once `enforce()` ran (the guard does, in a grading kernel, where every code object
that is not a library's is the notebook's).  What it cannot see: a frame handed out by another
library and then read without `f_code` (`f_back`, `f_locals` raise no event); the tamper scan
flags the names involved.
"""
from __future__ import annotations

import os
import sys
import sysconfig
import threading

from . import code_lock

_EVENTS = frozenset(("sys._getframe", "sys._current_frames", "sys._getframemodulename",
                     "gc.get_objects", "gc.get_referrers", "gc.get_referents"))
_WATCHED = _EVENTS | {"object.__getattr__", "compile", "code.__new__"}
_FRAME_ATTRS = frozenset(("tb_frame", "gi_frame", "cr_frame", "ag_frame", "f_code"))
_STDLIB = sysconfig.get_paths()["stdlib"] + os.sep
# The standard library's functions that hand frames to their caller: a submission calling one
# is refused as if it had asked itself (`traceback.print_exc()` walks frames but hands none).
_HELPERS = {
    _STDLIB + "inspect.py": {"currentframe", "stack", "trace", "getouterframes",
                             "getinnerframes"},
    _STDLIB + "traceback.py": {"walk_stack", "walk_tb"},
    _STDLIB + "bdb.py": {"set_trace"},
    _STDLIB + "pdb.py": {"set_trace"},
    _STDLIB + os.path.join("asyncio", "base_tasks.py"): {"_task_get_stack"},
}
_getframe = sys._getframe
_get_ident = threading.get_ident
_from_library = code_lock.from_library
_busy: set[int] = set()  # threads inside the hook: what the hook itself does is not checked
_enforced = [False]

MESSAGE = ("correção automática: o código do notebook não pode ler a pilha de execução nem os "
           "objetos do coletor de lixo / corrección automática: el código del notebook no puede "
           "leer la pila de ejecución ni los objetos del recolector de basura ({what})")
MESSAGE_POSING = ("correção automática: o código do notebook não pode se passar pelo de uma "
                  "biblioteca / corrección automática: el código del notebook no puede hacerse "
                  "pasar por el de una biblioteca ({what})")


def _what(event: str, args: tuple) -> str | None:
    """The refused operation's name, or None when the event is not one this hook watches."""
    if event in _EVENTS:
        return event
    if event == "object.__getattr__" and len(args) > 1 and args[1] in _FRAME_ATTRS:
        return f".{args[1]}"
    if event == "compile" and len(args) > 1 and isinstance(args[1], str):
        return "compile" if args[1].startswith(code_lock.PROTECTED_ROOTS) else None
    if event == "code.__new__" and len(args) > 1 and isinstance(args[1], str):
        return "code.replace" if args[1].startswith(code_lock.PROTECTED_ROOTS) else None
    return None


def _asked_by_submission(frame) -> bool:
    """The first frame above the standard library's frame helpers is not a library's."""
    while frame is not None and frame.f_code.co_name in _HELPERS.get(frame.f_code.co_filename,
                                                                     ()):
        frame = frame.f_back
    return frame is not None and not _from_library(frame.f_code)


def _in_hidden_test(frame) -> bool:
    """The grader is calling the submission: a frame of this package's code is on the stack
    (a lesson's hidden test; a notebook's own cells never call it)."""
    while frame is not None:
        if frame.f_code.co_filename.startswith(code_lock.COURSE_ROOT):
            return True
        frame = frame.f_back
    return False


def _cell_top_level(frame) -> bool:
    """The top level of the cell IPython is running (the hidden test's own cell, during a
    test), not code a submission runs with exec()."""
    back = frame.f_back
    return (frame.f_code.co_name == "<module>" and back is not None
            and back.f_code is _run_code[0])


def _reached_through_submission(frame, returned) -> bool:
    """Between the frame that asked and the frame `sys._getframe` returns (both included) is
    one of the submission's: a library function called by the submission handed it its own
    frame or one above it (`logging.currentframe()`, `sys._getframe(2)` in a helper)."""
    while frame is not None:
        if not _from_library(frame.f_code) and not _cell_top_level(frame):
            return True
        if frame is returned:
            return False
        frame = frame.f_back
    return False


def _refused(event: str, args: tuple, caller) -> str | None:
    what = _what(event, args)
    if what is None:
        return None
    if _asked_by_submission(caller):
        return what
    if (event == "sys._getframe" and args and _reached_through_submission(caller, args[0])
            and _in_hidden_test(caller)):
        return what
    return None


def _hook(event: str, args: tuple) -> None:
    if not _enforced[0] or event not in _WATCHED:  # every audit event comes here: be quick
        return
    me = _get_ident()
    if me in _busy:
        return
    _busy.add(me)
    try:
        what = _refused(event, args, _getframe(1))
    finally:
        _busy.discard(me)
    refuse = what is not None
    if refuse:
        posing = what in ("compile", "code.replace")
        code_lock.refuse(what, (MESSAGE_POSING if posing else MESSAGE).format(what=what))


def install() -> None:
    """Add the audit hook (inert until `enforce()`); once per process, inherited by forks."""
    if not _installed[0]:
        sys.addaudithook(_hook)
        _installed[0] = True


def enforce(run_code=None) -> None:
    """From now on, refuse (the guard calls this in a grading kernel, before student code);
    `run_code`: the code of IPython's `InteractiveShell.run_code`, whose frame runs a cell's
    top level."""
    install()
    _run_code[0] = run_code
    _enforced[0] = True


_installed = [False]
_run_code = [None]
