"""Functions the grader relies on keep their code while a submission runs.

A function object is mutable: `check_forward.__code__ = (lambda *a: None).__code__` (or its
`__defaults__`, `__kwdefaults__`) changes what every holder of that very object runs — the
hidden test's `from ... import check_forward` included — without rebinding any name, so no
snapshot of module attributes sees it.  CPython raises the audit event `object.__setattr__`
for each of those writes, and an audit hook cannot be removed once added: `install()` adds one
that refuses such a write (RuntimeError in the student's code) to a function of this package
(the hidden tests' and their library's), whoever writes, or to a library's function (torch's
`autograd.grad`…) when the write comes straight from a submission's code, and keeps what it
refused for the record (`refused()`, `pending()`).  Libraries still rewrite their own functions
as they load (pyparsing sets `__kwdefaults__` at import), and a submission's own functions stay
its own to rewrite.

Installed when `pristine` is first imported: in a grading kernel's zygote, before any student
code.  What it cannot see: a closure cell's `cell_contents` (no audit event; the hidden tests'
functions do not keep state in closures) and writes through ctypes (flagged by the tamper scan).

Nothing a submission can write turns it off.  The module's names (`PROTECTED_ROOTS`,
`COURSE_ROOT`…) are only read to build the hook: `install()` adds a private copy of `_hook`
(a function object no name refers to, with an empty namespace) that holds the frozen state it
reads as a constant of its code, and `from_library` reads its roots from its own defaults — a write to either's
`__defaults__`/`__code__` is the very write this hook refuses.  File names are compared with
`str.startswith` itself and only when they are plain `str`: a code object may carry a `str`
subclass whose `startswith` is the submission's (posing as a library's, or running inside the
hook).  What remains is the record of refusals (`_refused`, `_since_mark`): a module global a
submission can clear, as it can call `mark()`; the refusal itself (the RuntimeError) stands.
"""
from __future__ import annotations

import os
import sys
import sysconfig
import types

import torch

# Where code the grader runs comes from: the standard library, installed packages, torch's
# tree, and this package (an editable install lives outside site-packages).
LIBRARY_ROOTS = tuple(sorted({sysconfig.get_paths()[k] for k in ("purelib", "platlib", "stdlib")}
                             | {os.path.dirname(os.path.dirname(torch.__file__))}))
COURSE_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep
PROTECTED_ROOTS = LIBRARY_ROOTS + (COURSE_ROOT,)
_getframe = sys._getframe
_PARTS = frozenset(("__code__", "__defaults__", "__kwdefaults__"))
_FunctionType = types.FunctionType
# What was refused, and how often: a collector callback is refused at every collection.
_refused: dict[str, int] = {}
_since_mark: dict[str, int] = {}
_installed = [False]

# The kernel does not know the notebook's language here: both, as the helper cell's stubs do.
MESSAGE = ("correção automática: o código de uma função da biblioteca ou dos testes não pode "
           "ser trocado / corrección automática: el código de una función de la biblioteca o de "
           "las pruebas no se puede reemplazar "
           "({name}.{part})")



def from_library(code, _roots=PROTECTED_ROOTS, _type=type, _str=str,
                 _startswith=str.startswith) -> bool:
    """`code` comes from a library or from this package, not from a submission's cell (its
    roots are this default, frozen at import: rebinding `PROTECTED_ROOTS` changes nothing)."""
    name = code.co_filename
    return _type(name) is _str and _startswith(name, _roots)


def _hook(event: str, args: tuple) -> None:
    """The audit hook, run for every event: reads no global name (`install()` puts the frozen
    state in place of the constant "<state>")."""
    if event != "object.__setattr__":
        return
    parts, function_type, type_, str_, startswith, course, library, getframe, from_lib, \
        record, error, message = "<state>"
    obj, part = args[0], args[1]
    if type_(part) is not str_ or part not in parts or type_(obj) is not function_type:
        return
    code = obj.__code__
    name = code.co_filename
    if type_(name) is not str_:  # a str subclass: no method of it runs here
        name = ""
    if startswith(name, course) or (
            startswith(name, library) and not from_lib(getframe(1).f_code)):
        qualname = code.co_qualname
        qualname = qualname if type_(qualname) is str_ else "?"
        what = qualname + "." + part
        try:
            record(what)
        finally:
            raise error(message.format(name=qualname, part=part))


def _record(what: str) -> None:
    for table in (_refused, _since_mark):
        table[what] = table.get(what, 0) + 1


def refuse(what: str, message: str) -> None:
    """Record `what` as refused and raise in the code that tried (also for introspection_lock
    and dispatch_lock, whose refusals the guard's verdict reads here too)."""
    try:
        _record(what)
    finally:
        raise RuntimeError(message)


def private(fn, *defaults, **constants):
    """A copy of `fn` that no name refers to, with an empty namespace (so it reads no global,
    not even a builtin), `defaults` as its defaults and, for each `name=value`, `value` in place
    of its string constant "<name>" (a constant is as fast to read as it gets, and unlike a
    default, a copy's constants hang off nothing but its code): what an audit hook is made of."""
    code = fn.__code__
    code = code.replace(co_consts=tuple(
        constants[c[1:-1]] if type(c) is str and c[1:-1] in constants and c[:1] == "<" else c
        for c in code.co_consts))
    return _FunctionType(code, {"__builtins__": {}}, fn.__name__, defaults or None)


def install() -> None:
    """Add the audit hook once per process (it is inherited by forked kernels), with its state
    as it is now, before any student code."""
    if not _installed[0]:
        state = (_PARTS, _FunctionType, type, str, str.startswith, COURSE_ROOT, LIBRARY_ROOTS,
                 sys._getframe, private(from_library, *from_library.__defaults__), _record,
                 RuntimeError, MESSAGE)
        sys.addaudithook(private(_hook, state=state))
        _installed[0] = True


def _counted(table: dict[str, int]) -> list[str]:
    """Each refused thing once, in order, with how often when more than once."""
    return [name if n == 1 else f"{name} ×{n}" for name, n in table.items()]


def mark() -> None:
    """Start counting anew for `pending` (the guard, when it resets the kernel for a test)."""
    _since_mark.clear()


def pending() -> list[str]:
    """What was refused since the last `mark()`, reported or not: the guard's verdict reads it,
    so a refusal that `refused()` already reported inside the test still refuses it."""
    return _counted(_since_mark)


def refused() -> list[str]:
    """What was refused since the last call, as "<function>.<part> (refused)"."""
    out = [f"{name} (refused)" for name in _counted(_refused)]
    _refused.clear()
    return out
