"""Verdicts on plain copies: a tensor becomes a list of Python floats (float64, the same IEEE
arithmetic torch's float64 ops do) compared with `-`, `<=` and `math.isfinite`.  No torch
function, mode or subclass is ever asked whether two things are equal."""
from __future__ import annotations

from math import isfinite
from typing import Any, Mapping

import torch

from .generic import GENERIC, HINT, fail
from .mistakes import Message, Mistakes, raise_mistake
from .plain import contrast, is_plain_tensor, meta, read_plain, type_name


def _agree(got: tuple[float, ...], expected: tuple[float, ...], rtol: float, atol: float
           ) -> bool:
    """|g - e| <= atol + rtol·|e| everywhere and g finite (NaN never agrees), as torch would
    compute it in float64, in plain Python arithmetic."""
    for g, e in zip(got, expected):
        if not isfinite(g):
            return False
        diff = g - e
        if diff < 0:
            diff = -diff
        if not diff <= atol + rtol * (-e if e < 0 else e):
            return False
    return True


def expect_tensor(lang: str, what: str, got: Any, like: torch.Tensor,
                  check_dtype: bool = True) -> torch.Tensor:
    """`got` is a plain tensor (exactly torch.Tensor or nn.Parameter) with `like`'s shape,
    device (and dtype).  Returns got itself."""
    if not is_plain_tensor(got):
        fail(lang, "not_a_tensor", what=what, type=type_name(got))
    shape, dtype, device = meta(got)[:3]
    want_shape, want_dtype, want_device = meta(like)[:3]
    want = (want_shape, want_device, want_dtype)
    if shape != want[0]:
        fail(lang, "wrong_shape", what=what, got=tuple(shape), expected=tuple(want[0]))
    if device != want[1]:
        fail(lang, "wrong_device", what=what, got=device, expected=want[1])
    if check_dtype and dtype != want[2]:
        fail(lang, "wrong_dtype", what=what, got=dtype, expected=want[2])
    return got


def close(got: Any, expected: Any, rtol: float = 1e-7, atol: float = 1e-9) -> bool:
    """Values agree (NaN never agrees).  Compared in float64, in Python, on plain copies; False
    when either is not a plain tensor."""
    g, e = read_plain(got), read_plain(expected)
    return g is not None and e is not None and g[0] == e[0] and _agree(g[1], e[1], rtol, atol)


def equal(got: Any, expected: Any) -> bool:
    """Same shape and the very same values (as torch.equal; NaN is never equal); False when
    either is not a plain tensor."""
    g, e = read_plain(got), read_plain(expected)
    return (g is not None and e is not None and g[0] == e[0]
            and all(a == b for a, b in zip(g[1], e[1])))


def expect_close(lang: str, what: str, got: Any, expected: torch.Tensor, *,
                 hint: Message | None = None, wrong: Mapping[str, torch.Tensor] | None = None,
                 table: Mistakes | None = None, rtol: float = 1e-7, atol: float = 1e-9,
                 check_dtype: bool = True) -> None:
    """`got` equals `expected`; else the first of `wrong` ({mistake id: what that mistake
    gives}) that it equals names the mistake (from `table`), else an unrecognised wrong value
    with `hint` (a likely cause) appended."""
    expect_tensor(lang, what, got, expected, check_dtype)
    if close(got, expected, rtol, atol):
        return
    for mid, value in (wrong or {}).items():
        if value is not None and close(got, value, rtol, atol):
            if table is None:
                raise ValueError("expect_close(wrong=...) needs the lesson's mistakes table")
            table.fail(lang, mid, what=what)
    text = GENERIC.message("wrong_value").say(lang, what=what, **contrast(expected, got))
    if hint is not None:
        text += HINT.say(lang, hint=hint.say(lang))
    raise_mistake("wrong_value", text)
