"""Shared machinery of the hidden tests: devices, localized failures, tensor comparison."""
from __future__ import annotations

import contextlib
import io
import warnings
from typing import Any, Callable

import torch


def devices() -> list[str]:
    """CPU always, CUDA when present: every hidden test runs on each."""
    return ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])


def say(lang: str, pt: str, es: str) -> str:
    """Pick the message in the notebook's language (Portuguese when the language is unknown)."""
    return es if lang == "es" else pt


class CheckFailed(AssertionError):
    """A failed hidden test.  IPython shows only the message (no traceback, so no test code)."""

    def _render_traceback_(self) -> list[str]:
        return [f"{type(self).__name__}: {line}" if i == 0 else line
                for i, line in enumerate(str(self).splitlines())]


def fail(lang: str, pt: str, es: str) -> None:
    raise CheckFailed(say(lang, pt, es)) from None


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
        fail(lang, f"`{name}` ainda não foi implementada (o esboço levanta NotImplementedError).",
             f"`{name}` aún no está implementada (el esqueleto lanza NotImplementedError).")
    except Exception as exc:  # the student's bug, reported in their language
        fail(lang, f"`{name}` levantou {type(exc).__name__}: {exc}",
             f"`{name}` lanzó {type(exc).__name__}: {exc}")


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
        fail(lang, f"{what}: esperava um tensor, veio {type(got).__name__}. "
                   "Mantenha o resultado como tensor (sem .item(), .tolist() ou numpy).",
             f"{what}: se esperaba un tensor y llegó {type(got).__name__}. "
                   "Mantén el resultado como tensor (sin .item(), .tolist() ni numpy).")
    if got.shape != like.shape:
        fail(lang, f"{what}: formato {tuple(got.shape)}, esperado {tuple(like.shape)}.",
             f"{what}: forma {tuple(got.shape)}, se esperaba {tuple(like.shape)}.")
    if got.device != like.device:
        fail(lang, f"{what}: está em {got.device}, mas as entradas estavam em {like.device}. "
                   "Crie tensores novos com device=... (ou use *_like).",
             f"{what}: está en {got.device}, pero las entradas estaban en {like.device}. "
                   "Crea los tensores nuevos con device=... (o usa *_like).")
    if check_dtype and got.dtype != like.dtype:
        fail(lang, f"{what}: dtype {got.dtype}, esperado {like.dtype} (o mesmo das entradas).",
             f"{what}: dtype {got.dtype}, se esperaba {like.dtype} (el mismo de las entradas).")
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


def expect_close(lang: str, what: str, got: Any, expected: torch.Tensor, hint_pt: str = "",
                 hint_es: str = "", rtol: float = 1e-7, atol: float = 1e-9,
                 check_dtype: bool = True) -> None:
    expect_tensor(lang, what, got, expected, check_dtype)
    if not close(got, expected, rtol, atol):
        fail(lang, f"{what}: valor errado. Esperado {short(expected)}, obtido {short(got)}."
                   + (f" Provável causa: {hint_pt}" if hint_pt else ""),
             f"{what}: valor incorrecto. Se esperaba {short(expected)} y se obtuvo {short(got)}."
                   + (f" Causa probable: {hint_es}" if hint_es else ""))


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
                fail(lang, f"`{fn_name}` modificou a entrada `{name}` (valor, requires_grad ou "
                           ".grad). Trabalhe sobre cópias (`.clone()`, `.detach()`), nunca "
                           "in-place nas entradas.",
                     f"`{fn_name}` modificó la entrada `{name}` (valor, requires_grad o .grad). "
                           "Trabaja sobre copias (`.clone()`, `.detach()`), nunca in-place "
                           "sobre las entradas.")


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
        fail(lang, f"`{name}` deve ser uma das letras {', '.join(repr(o) for o in options)}; "
                   f"veio {answer!r}.",
             f"`{name}` debe ser una de las letras {', '.join(repr(o) for o in options)}; "
                   f"llegó {answer!r}.")
    if letter != correct:
        fail(lang, f"`{name}`: a alternativa {letter!r} não é a correta. Releia a seção e "
                   "experimente no notebook.",
             f"`{name}`: la opción {letter!r} no es la correcta. Relee la sección y "
                   "pruébalo en el notebook.")
