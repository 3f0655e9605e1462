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



def from_library(code) -> bool:
    """`code` comes from a library or from this package, not from a submission's cell."""
    return code.co_filename.startswith(PROTECTED_ROOTS)


def _hook(event: str, args: tuple) -> None:
    if event != "object.__setattr__":
        return
    obj, part = args[0], args[1]
    if part not in _PARTS or type(obj) is not _FunctionType:
        return
    code = obj.__code__
    if code.co_filename.startswith(COURSE_ROOT) or (
            code.co_filename.startswith(LIBRARY_ROOTS) and not from_library(_getframe(1).f_code)):
        name = code.co_qualname
        refuse(f"{name}.{part}", MESSAGE.format(name=name, part=part))


def refuse(what: str, message: str) -> None:
    """Record `what` as refused and raise in the code that tried (also for introspection_lock,
    whose refusals the guard's verdict reads here too)."""
    for table in (_refused, _since_mark):
        table[what] = table.get(what, 0) + 1
    raise RuntimeError(message)


def install() -> None:
    """Add the audit hook once per process (it is inherited by forked kernels)."""
    if not _installed[0]:
        sys.addaudithook(_hook)
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
