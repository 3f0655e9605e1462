"""Undo what a submission may have monkeypatched before a hidden test runs.

A student can redefine `torch.allclose`, `builtins.abs`, `AssertionError` or our own check
functions in an answer cell.  This module snapshots those namespaces when it is first imported
— `course grade` imports it in every kernel before any student code runs — and `restore()`
(injected by the build as the first line of every hidden-test block) puts the originals back.
Under plain `nbgrader autograde` the snapshot is taken at the first hidden test instead, which
protects the later cells only.
"""
from __future__ import annotations

import builtins
import math
import sys

import torch
import torch.autograd
import torch.nn.functional
import torch.testing

_MODULES = [builtins, math, torch, torch.autograd, torch.nn.functional, torch.testing]
_TYPES = [torch.Tensor]
_snapshot: dict = {}
_modules_snapshot: dict = {}


def _grading_side(name: str) -> bool:
    """The modules hidden tests run on: this library, the lessons' checks and mistakes."""
    return (name in ("course", "course.cells", "course.lessons")
            or name.startswith("course.checks")
            or (name.startswith("course.lessons.")
                and name.rsplit(".", 1)[-1] in ("checks", "mistakes")))


def _take() -> None:
    for owner in _MODULES + _TYPES:
        _snapshot[owner] = dict(vars(owner))
    for name, mod in list(sys.modules.items()):
        if _grading_side(name) or name in ("torch", "math"):
            _modules_snapshot[name] = (mod, dict(vars(mod)))


def protect_checks() -> None:
    """Also snapshot the grading-side modules imported since (called by each restore)."""
    for name, mod in list(sys.modules.items()):
        if _grading_side(name) and name not in _modules_snapshot:
            _modules_snapshot[name] = (mod, dict(vars(mod)))


def restore() -> list[str]:
    """Put back every snapshotted attribute; return what had been changed (for the record)."""
    protect_checks()
    changed = []
    for owner, attrs in _snapshot.items():
        current = vars(owner)
        for name, value in attrs.items():
            if current.get(name, _MISSING) is not value:
                setattr(owner, name, value)
                changed.append(f"{getattr(owner, '__name__', owner)}.{name}")
    for name, (mod, attrs) in _modules_snapshot.items():
        if sys.modules.get(name) is not mod:
            sys.modules[name] = mod
            changed.append(f"sys.modules[{name!r}]")
        current = vars(mod)
        for attr, value in attrs.items():
            if current.get(attr, _MISSING) is not value:
                setattr(mod, attr, value)
                changed.append(f"{name}.{attr}")
    return changed


_MISSING = object()
_take()
