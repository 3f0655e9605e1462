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

Added only by `enforce()` (the guard does, in a grading kernel, where every code object that is
not a library's is the notebook's).  What it cannot see: a frame handed out by another library
and then read without `f_code` (`f_back`, `f_locals` raise no event); the tamper scan flags the
names involved.

No switch a submission can reach: a module global (an "enforced" flag, the set of threads inside
the hook, `code_lock.PROTECTED_ROOTS`) is reachable through `sys.modules` or any function's
`__globals__`, and a closure cell through `__closure__`.  So `enforce()` freezes all the hook
reads into a tuple and adds a private copy of `_hook` (no name refers to it; its namespace is
empty, so it reads no global, not even a builtin) with that tuple as a constant of its code: the hook object
is held only by the interpreter, reachable through the collector or frames, which it refuses.
Its code cannot be swapped either (`code_lock` refuses writes to this package's functions).
Names are compared only when plain `str`, with `str.startswith` itself: a code object may carry
a `str` subclass, whose methods would run the submission's code inside the hook.
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
MESSAGE = ("correção automática: o código do notebook não pode ler a pilha de execução nem os "
           "objetos do coletor de lixo / corrección automática: el código del notebook no puede "
           "leer la pila de ejecución ni los objetos del recolector de basura ({what})")
MESSAGE_POSING = ("correção automática: o código do notebook não pode se passar pelo de uma "
                  "biblioteca / corrección automática: el código del notebook no puede hacerse "
                  "pasar por el de una biblioteca ({what})")




def _hook(event: str, args: tuple) -> None:
    """The audit hook, run for every audit event: reads no global name (`enforce()` adds a
    private copy of it with the frozen state in place of the constants "<watched>", "<s>")."""
    if event not in "<watched>":  # every audit event comes here: be quick
        return
    get_ident, busy, getframe, decide, k, record, error, messages = "<s>"
    me = get_ident()
    if me in busy:  # an event of the hook's own doing (its frame reads)
        return
    busy.add(me)
    try:
        what = decide(event, args, getframe(1), k)
    finally:
        busy.discard(me)
    if what is not None:  # recorded for the guard's verdict; raised in the code that asked
        try:
            record(what)
        finally:
            raise error(messages[what in ("compile", "code.replace")].format(what=what))


def _decide(event: str, args: tuple, caller, k: tuple):
    """The refused operation's name, or None.  Reads no global name (`k` is the frozen state)
    and calls no method of a submission's object: names are compared only when plain `str`."""
    events, attrs, type_, str_, len_, startswith, course, library, helpers, run_code, \
        protected = k
    if event in events:
        what = event
    elif (event == "object.__getattr__" and len_(args) > 1 and type_(args[1]) is str_
          and args[1] in attrs):
        what = "." + args[1]
    elif (event in ("compile", "code.__new__") and len_(args) > 1 and type_(args[1]) is str_
          and startswith(args[1], protected)):  # a submission's code posing as a library's
        what = "compile" if event == "compile" else "code.replace"
    else:
        return None
    # Asked by the submission: the first frame above the standard library's frame helpers
    # (`inspect.stack`…) is not a library's.
    frame = caller
    while frame is not None:
        code = frame.f_code
        name, file = code.co_name, code.co_filename
        if not (type_(name) is str_ and type_(file) is str_ and (file, name) in helpers):
            break
        frame = frame.f_back
    if frame is not None and not library(frame.f_code):
        return what
    if event != "sys._getframe" or not args:
        return None
    # Handed out by a library the submission called: between the frame that asked and the
    # frame returned (both included) is one of the submission's, other than the running
    # cell's top level (whose caller is IPython's `run_code`)…
    frame, returned = caller, args[0]
    while frame is not None:
        code = frame.f_code
        if not library(code):
            back, name = frame.f_back, code.co_name
            if not (type_(name) is str_ and name == "<module>" and back is not None
                    and back.f_code is run_code):
                break
        if frame is returned:
            return None
        frame = frame.f_back
    else:
        return None
    # … while a hidden test calls the submission (a frame of this package is on the stack).
    frame = caller
    while frame is not None:
        file = frame.f_code.co_filename
        if type_(file) is str_ and startswith(file, course):
            return what
        frame = frame.f_back
    return None


def enforce(run_code=None) -> None:
    """From now on, refuse (the guard calls this in a grading kernel, before student code;
    the hook is inherited by nothing: each kernel adds its own).  `run_code`: the code of
    IPython's `InteractiveShell.run_code`, whose frame runs a cell's top level.  Everything
    the hook reads is frozen here: no later write to this module or to `code_lock` changes it."""
    if _installed[0]:
        return
    library = code_lock.private(code_lock.from_library, *code_lock.from_library.__defaults__)
    helpers = frozenset((file, name) for file, names in _HELPERS.items() for name in names)
    k = (_EVENTS, _FRAME_ATTRS, type, str, len, str.startswith, code_lock.COURSE_ROOT,
         library, helpers, run_code, code_lock.PROTECTED_ROOTS)
    s = (threading.get_ident, set(), sys._getframe, code_lock.private(_decide), k,
         code_lock._record, RuntimeError, (MESSAGE, MESSAGE_POSING))
    sys.addaudithook(code_lock.private(_hook, watched=_WATCHED, s=s))
    _installed[0] = True


_installed = [False]
