"""The floating-point environment the hidden tests compute in: IEEE arithmetic, with subnormal
numbers kept (no flush-to-zero, no denormals-are-zero).

Why: `torch.set_flush_denormal(True)` in an answer cell sets the CPU's FTZ/DAZ flags for the
rest of the kernel's life (on the main thread, where the cells and the hidden tests run).  Then
every subnormal input reads as 0, the references' as much as the answer's: lesson 04's Sinc
written `sin(x) * (1 / x)`, which is inf at the smallest subnormal, took its `x == 0` branch
there and scored the tests of ±0, ±tiny and the subnormals it fails.  Nothing of it is an
attribute `pristine`'s other restores see, and torch offers no getter: the flag is read from
Python's own float arithmetic (compiled to the same SSE instructions the flags govern), on
values the compiler cannot fold.  `restore()` (before every hidden test) and `settle()` (after
every call of a student's function) switch it off and say so when it was on.
"""
from __future__ import annotations

import torch

_set_flush_denormal = torch._C.set_flush_denormal  # bound before any student code runs
_SMALLEST_SUBNORMAL, _ONE = (5e-324,), (1.0,)  # read at run time: no constant folding


def flushing() -> bool:
    """Subnormal numbers are flushed to zero on this thread now."""
    return _SMALLEST_SUBNORMAL[0] * _ONE[0] == 0.0


def restore() -> list[str]:
    """Subnormals kept again; what was changed (for the record)."""
    if not flushing():
        return []
    _set_flush_denormal(False)
    return ["torch.set_flush_denormal"]
