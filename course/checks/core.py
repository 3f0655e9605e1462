"""Shared machinery of the hidden tests: devices, localized failures, tensor comparison."""
from __future__ import annotations

import contextlib
import io
import warnings
from typing import Any, Callable, Mapping

import torch

from .generic import GENERIC, HINT, fail
from .mistakes import CheckFailed, Message, Mistakes, raise_mistake


def devices() -> list[str]:
    """CPU always, CUDA when present: every hidden test runs on each."""
    return ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])


def call(lang: str, name: str, fn: Callable, *args, **kwargs) -> Any:
    """Call the student's function; turn its exception into a readable failure.

    Warnings are silenced (a warning on stderr would zero the test cell) and whatever the answer
    prints is swallowed so hidden tests stay readable.
    """
    sink = io.StringIO()
    try:
        with warnings.catch_warnings(), contextlib.redirect_stdout(sink):
            warnings.simplefilter("ignore")
            return fn(*args, **kwargs)
    except CheckFailed:
        raise
    except NotImplementedError:
        fail(lang, "not_implemented", name=name)
    except Exception as exc:  # the student's bug, reported in their language
        fail(lang, "raised", name=name, error=f"{type(exc).__name__}: {exc}")


def short(t: Any, n: int = 6) -> str:
    """A compact rendering of a value for a failure message."""
    if isinstance(t, torch.Tensor):
        flat = t.detach().flatten().cpu().tolist()
        body = ", ".join(f"{v:.4g}" for v in flat[:n]) + (", …" if len(flat) > n else "")
        shape = "×".join(map(str, t.shape)) or "0-d"
        return f"tensor[{shape}]({body})"
    if isinstance(t, float):
        return f"{t:.6g}"
    return repr(t)[:80]


def expect_tensor(lang: str, what: str, got: Any, like: torch.Tensor,
                  check_dtype: bool = True) -> torch.Tensor:
    """`got` is a tensor with `like`'s shape, device (and dtype)."""
    if not isinstance(got, torch.Tensor):
        fail(lang, "not_a_tensor", what=what, type=type(got).__name__)
    if got.shape != like.shape:
        fail(lang, "wrong_shape", what=what, got=tuple(got.shape), expected=tuple(like.shape))
    if got.device != like.device:
        fail(lang, "wrong_device", what=what, got=got.device, expected=like.device)
    if check_dtype and got.dtype != like.dtype:
        fail(lang, "wrong_dtype", what=what, got=got.dtype, expected=like.dtype)
    return got


def close(got: torch.Tensor, expected: torch.Tensor, rtol: float = 1e-7,
          atol: float = 1e-9) -> bool:
    """Values agree (NaN never agrees).  Compared in float64 on the CPU."""
    g = got.detach().to("cpu", torch.float64)
    e = expected.detach().to("cpu", torch.float64)
    if g.shape != e.shape:
        return False
    diff = (g - e).abs()
    return bool(torch.isfinite(g).all()) and bool((diff <= atol + rtol * e.abs()).all())


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
    text = GENERIC.message("wrong_value").say(lang, what=what, expected=short(expected),
                                              got=short(got))
    if hint is not None:
        text += HINT.say(lang, hint=hint.say(lang))
    raise_mistake("wrong_value", text)


class Snapshot:
    """Values, requires_grad and .grad of the caller's tensors, to prove they were not touched."""

    def __init__(self, **tensors: torch.Tensor):
        self.items = {k: (t, t.detach().clone(), t.requires_grad,
                          None if t.grad is None else t.grad.clone())
                      for k, t in tensors.items()}

    def verify(self, lang: str, fn_name: str) -> None:
        for name, (t, value, req, grad) in self.items.items():
            same_grad = (grad is None and t.grad is None) or (
                grad is not None and t.grad is not None and torch.equal(grad, t.grad))
            if not torch.equal(t.detach(), value) or t.requires_grad != req or not same_grad:
                fail(lang, "modified_input", name=fn_name, input=name)


def generator(seed: int) -> torch.Generator:
    return torch.Generator().manual_seed(seed)


def randn(gen: torch.Generator, *shape: int, device: str = "cpu",
          dtype: torch.dtype = torch.float64) -> torch.Tensor:
    """Random normal tensor drawn on the CPU (same numbers on every device), then moved."""
    return torch.randn(*shape, generator=gen, dtype=torch.float64).to(device=device, dtype=dtype)


def check_choice(lang: str, name: str, answer: Any, correct: str, options: str) -> None:
    """Multiple-choice answer: one letter among `options`."""
    letter = answer.strip().lower() if isinstance(answer, str) else answer
    if letter not in tuple(options):
        fail(lang, "not_a_choice", name=name, got=repr(answer),
             options=", ".join(repr(o) for o in options))
    if letter != correct:
        fail(lang, "wrong_choice", name=name, got=repr(letter))
