"""Hidden tests of lesson 04 (a custom torch.autograd.Function: the unnormalized sinc)."""
from __future__ import annotations

import functools
import inspect
import math

import torch

from course.checks.core import (Snapshot, as_plain, call, check_choice, devices, expect_tensor,
                                generator, notebook_device_moved, plain_tensor, randn, type_name,
                                untouchable)
from course.checks.generic import HINT
from course.checks.mistakes import CheckFailed, Message, raise_mistake

from .mistakes import GRADCHECK_FAILED, GRADIENT_OF, MISTAKES, POINT_NAMES, WRONG_AT

DTYPES = (torch.float64, torch.float32)


# --------------------------------------------------------------------------- references
def _safe(x: torch.Tensor, small: torch.Tensor) -> torch.Tensor:
    return torch.where(small, torch.ones_like(x), x)


def ref_value(x: torch.Tensor) -> torch.Tensor:
    """sin(x)/x with sinc(0) = 1, in float64 (sin(x)/x has no cancellation, only 0 is special)."""
    x = x.detach().to(torch.float64)
    zero = x == 0
    safe = _safe(x, zero)
    return torch.where(zero, torch.ones_like(x), torch.sin(safe) / safe)


def _series_derivative(x: torch.Tensor) -> torch.Tensor:
    """Σ_k (−1)^k 2k x^(2k−1)/(2k+1)!, nine terms: exact to float64 rounding for |x| < 0.5."""
    out = torch.zeros_like(x)
    for k in range(9, 0, -1):
        out = out + (-1) ** k * 2 * k * torch.pow(x, 2 * k - 1) / math.factorial(2 * k + 1)
    return out


def ref_derivative(x: torch.Tensor) -> torch.Tensor:
    """d sinc/dx in float64: the series near 0, torch.autograd of sin(x)/x elsewhere."""
    x = x.detach().to(torch.float64)
    small = x.abs() < 0.5
    leaf = _safe(x, small).clone().requires_grad_(True)
    (auto,) = torch.autograd.grad((torch.sin(leaf) / leaf).sum(), leaf)
    return torch.where(small, _series_derivative(torch.where(small, x, torch.zeros_like(x))), auto)


# --------------------------------------------------------------------------- calling the answer
def _follows_inputs(check):
    """The check runs with the notebook's `device` moved to the meta device
    (`notebook_device_moved`).  Sinc is a class: its forward, setup_context and backward are
    static methods, plain functions whose globals are the notebook's, so the swap is made in
    that namespace for the whole check, and covers the backward that autograd runs later
    (inside `torch.autograd.grad`, `gradcheck`) as well as `Sinc.apply`.  The checks read no
    notebook name themselves, and the notebook's `device` is put back when the check ends,
    passed or failed.  An answer that builds a tensor on the notebook's `device`
    (`torch.tensor(1.0, device=device)`, the series' coefficients) instead of x's was right
    only where that is x's device, on a machine without CUDA always; now it fails on every
    machine with `sinc_uses_notebook_device`."""
    @functools.wraps(check)
    def run(Sinc, lang: str = "pt") -> None:
        used = lambda: MISTAKES.fail(lang, "sinc_uses_notebook_device")  # noqa: E731
        with notebook_device_moved(Sinc, used):
            check(Sinc, lang)
    return run


def _require_function(lang: str, Sinc) -> None:
    if not (issubclass(type(Sinc), type) and issubclass(Sinc, torch.autograd.Function)):
        MISTAKES.fail(lang, "not_an_autograd_function", type=type_name(Sinc))


def _positional_parameters(fn) -> int | None:
    """How many positional parameters `fn` declares (None: unknown, or *args)."""
    try:
        parameters = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return None
    if any(p.kind is inspect.Parameter.VAR_POSITIONAL for p in parameters):
        return None
    return sum(p.kind in (inspect.Parameter.POSITIONAL_ONLY,
                          inspect.Parameter.POSITIONAL_OR_KEYWORD) for p in parameters)


def _api_mistake(Sinc, error: str) -> str | None:
    """The mix-up of the two styles of torch.autograd.Function that made Sinc.apply raise, if
    it is one: forward(ctx, x) together with setup_context, forward(x) without setup_context,
    or setup_context saving the whole `inputs` tuple."""
    own_setup = inspect.getattr_static(Sinc, "setup_context", None) is not \
        inspect.getattr_static(torch.autograd.Function, "setup_context", None)
    forward = inspect.getattr_static(Sinc, "forward", None)
    if isinstance(forward, staticmethod):
        forward = forward.__func__
    n = _positional_parameters(forward) if inspect.isfunction(forward) else None
    if own_setup and "save_for_backward" in error and "tuple" in error:
        return "setup_context_saves_tuple"
    if own_setup and n is not None and n >= 2:
        return "ctx_in_forward_with_setup_context"
    if not own_setup and n == 1:
        return "forward_without_ctx_needs_setup_context"
    return None


def _forward_raw(lang: str, Sinc, x: torch.Tensor, what: str) -> torch.Tensor:
    """Sinc.apply(x) itself (for its graph), checked to be a tensor of x's shape, dtype and
    device."""
    _require_function(lang, Sinc)
    snap = Snapshot(x=x)
    try:
        out = call(lang, "Sinc.apply", lambda: Sinc.apply(x))
    except CheckFailed as exc:
        mistake = _api_mistake(Sinc, str(exc)) if exc.mistake == "raised" else None
        if mistake is not None:
            MISTAKES.fail(lang, mistake, error=str(exc))
        raise
    snap.verify(lang, "Sinc")
    if issubclass(type(out), (float, int)):
        MISTAKES.fail(lang, "returned_python_number", what=what, type=type_name(out))
    expect_tensor(lang, what, out, x)
    return out


def _forward(lang: str, Sinc, x: torch.Tensor, what: str) -> torch.Tensor:
    """The values of Sinc.apply(x): a plain float64 CPU copy (see course.checks.core)."""
    return plain_tensor(lang, what, _forward_raw(lang, Sinc, x, what))


def _require_grad_fn(lang: str, out: torch.Tensor) -> None:
    if out.grad_fn is None:
        MISTAKES.fail(lang, "output_without_grad_fn")


def _derivative(lang: str, Sinc, x: torch.Tensor, g: torch.Tensor | None = None,
                what: str = "") -> torch.Tensor:
    """g · Sinc'(x) computed by the answer's backward (torch.autograd.grad on a copy of x), as a
    plain float64 CPU copy."""
    leaf = x.detach().clone().requires_grad_(True)
    out = _forward_raw(lang, Sinc, leaf, what or "Sinc.apply(x)")
    _require_grad_fn(lang, out)
    # a copy: the answer's backward receives it as grad_output, and the caller's g makes the
    # reference (zeroed in place, it made the reference zeros, as a backward returning zeros)
    g = torch.ones_like(out) if g is None else g.detach().clone()
    g_before = g.detach().clone()
    grads = call(lang, "Sinc.backward", torch.autograd.grad, out, leaf, g)
    with untouchable():
        g_kept = torch.equal(g, g_before)
    if not g_kept:  # grad_output.mul_(d): right values, but the caller's gradient is destroyed
        MISTAKES.fail(lang, "grad_output_modified_in_place")
    grad = grads[0]
    what = f"d/dx {what or 'Sinc.apply(x)'}"
    expect_tensor(lang, what, grad, x)
    return plain_tensor(lang, what, grad)


def _bad(got: torch.Tensor, ref: torch.Tensor, rtol: float, atol: float | torch.Tensor):
    """Mask of the entries that disagree (NaN/inf never agree), computed on plain float64 CPU
    copies with torch's own kernels only."""
    g, e = as_plain(got), as_plain(ref)
    with untouchable():
        atol = atol.cpu() if isinstance(atol, torch.Tensor) else atol
        return ~torch.isfinite(g) | ((g - e).abs() > atol + rtol * e.abs())


def _some(mask: torch.Tensor) -> bool:
    """Any entry of a plain mask is set."""
    with untouchable():
        return bool(mask.any())


def _report(lang: str, what: str, x: torch.Tensor, got: torch.Tensor, ref: torch.Tensor,
            bad: torch.Tensor, mistake: str | None = None, hint: Message | None = None,
            worst: bool = False, **fields) -> None:
    """Fail naming one wrong entry: the first one or, with `worst`, the one with the largest
    relative error (the largest |x| among equals).  With `mistake` the failure is that
    recognised mistake (`fields` fill its message); else an unrecognised wrong value, followed
    by `hint` (a likely cause) when given."""
    idx = bad.flatten().nonzero().flatten()
    i = int(idx[0])
    if worst:
        g = got.detach().flatten().cpu().double()[idx]
        e = ref.detach().flatten().cpu().double()[idx]
        rel = ((g - e).abs() / e.abs()).nan_to_num(nan=math.inf)
        ax = x.detach().flatten().cpu().double()[idx].abs()
        top = rel == rel.max()
        i = int(idx[top.nonzero().flatten()[ax[top].argmax()]])
    xv = x.detach().flatten()[i].item()
    gv = got.detach().flatten()[i].item()
    ev = ref.detach().flatten()[i].item()
    at = dict(what=what, x=xv, dtype=str(x.dtype).replace("torch.", ""), expected=ev, got=gv)
    if mistake is not None:
        MISTAKES.fail(lang, mistake, **at, **fields)
    text = WRONG_AT.say(lang, **at)
    if hint is not None:
        text += HINT.say(lang, hint=hint.say(lang))
    raise_mistake("wrong_value", text)


def _signed(gen: torch.Generator, magnitudes: torch.Tensor) -> torch.Tensor:
    signs = torch.randint(0, 2, magnitudes.shape, generator=gen, dtype=torch.float64) * 2 - 1
    return magnitudes * signs


def _away_from_zero(gen: torch.Generator, n: int) -> torch.Tensor:
    """float64 values with 0.5 <= |x| <= 12."""
    mags = 0.5 + 11.5 * torch.rand(n, generator=gen, dtype=torch.float64)
    return _signed(gen, mags)


def _only(got: torch.Tensor, alt: torch.Tensor, bad: torch.Tensor, rtol: float,
          atol: float) -> bool:
    """Every wrong entry of `got` is what `alt` gives."""
    return not _some(_bad(got, alt, rtol, atol) & bad)


def _series_ratio(x: torch.Tensor, grad: torch.Tensor, ref: torch.Tensor,
                  bad: torch.Tensor) -> float | None:
    """The constant c when every wrong entry is at 0 < |x| < 0.5 and equals c times the right
    derivative (c not 0, 1 or −1): a wrong coefficient in the series branch, such as −x/6
    (the x² of 1 − x²/6 not differentiated).  None otherwise."""
    with untouchable():
        xd = x.detach().cpu().double().flatten().abs()
        g, e = as_plain(grad).flatten(), as_plain(ref).flatten()
        b = bad.cpu().flatten()
        sel = b & (e != 0) & (xd > 0) & (xd < 0.5)
        if not bool(sel.any()) or bool((b & ~sel).any()):
            return None
        r = g[sel] / e[sel]
        c = float(r.median())
        if not math.isfinite(c) or min(abs(c), abs(c - 1), abs(c + 1)) < 1e-2:
            return None
        if not bool(((r - c).abs() <= 1e-3 * abs(c)).all()):
            return None
        return c


def _contract_forward_mistake(x: torch.Tensor, out: torch.Tensor,
                              bad: torch.Tensor) -> str | None:
    """The recognised mistake of a wrong forward of check_sinc_contract, if any (the test
    reports its first wrong entry)."""
    i = int(bad.flatten().nonzero()[0])
    if x.detach().flatten()[i].item() == 0 and math.isnan(out.detach().flatten()[i].item()):
        return "nan_at_zero"
    return None


def _contract_derivative_mistake(x: torch.Tensor, grad: torch.Tensor, ref: torch.Tensor,
                                 bad: torch.Tensor, rtol: float, atol: float) -> str | None:
    """The recognised mistake of a wrong derivative of check_sinc_contract (computed with
    grad_output = 1), if any: the first wrong entry is at x = 0, or every wrong entry is what
    a known mistake gives."""
    xd = x.detach().cpu().double()
    bad = bad.cpu()
    i = int(bad.flatten().nonzero()[0])
    if xd.flatten()[i].item() == 0:
        return ("nonzero_derivative_at_zero" if math.isfinite(grad.detach().flatten()[i].item())
                else None)
    if _some(bad & (xd == 0)):
        return None
    if _only(grad, -ref, bad, rtol, atol):
        return ("series_sign_flipped" if bool((xd.abs()[bad] < 0.5).all())
                else "derivative_sign_flipped")
    safe = torch.where(xd == 0, torch.ones_like(xd), xd)
    if _only(grad, torch.cos(safe) / safe, bad, rtol, atol):
        return "missing_quotient_term"
    if _only(grad, torch.cos(xd), bad, rtol, atol):
        return "derivative_of_sin_only"
    if _only(grad, torch.ones_like(xd), bad, rtol, atol):
        return "returns_grad_output_only"
    return None


# --------------------------------------------------------------------------- the checks
@_follows_inputs
def check_sinc_forward(Sinc, lang: str = "pt") -> None:
    """Forward values away from the special points, float64 and float32, inputs untouched."""
    for device in devices():
        for seed, dtype in ((41, torch.float64), (42, torch.float32)):
            gen = generator(seed)
            x = (3 * randn(gen, 9)).to(device=device, dtype=dtype)
            for requires_grad in (False, True):
                x = x.detach().requires_grad_(requires_grad)
                snap = Snapshot(x=x)
                out = _forward(lang, Sinc, x, "Sinc.apply(x)")
                snap.verify(lang, "Sinc.forward")
                ref = ref_value(x)
                rtol, atol = (1e-9, 1e-14) if dtype == torch.float64 else (1e-5, 1e-6)
                bad = _bad(out, ref, rtol, atol)
                if _some(bad):
                    if not _some(_bad(out, torch.sinc(x.detach()), 1e-5, 1e-7)):
                        _report(lang, "Sinc(x)", x, out, ref, bad, "torch_sinc_normalized")
                    near = bad & (x.detach().abs().cpu() < 1) & ~_bad(out, ref, 1e-3, 0.0)
                    if _some(near):
                        _report(lang, "Sinc(x)", x, out, ref, near, "forward_series_too_far")
                    _report(lang, "Sinc(x)", x, out, ref, bad,
                            hint=MISTAKES.hint("forward_formula"))


@_follows_inputs
def check_sinc_contract(Sinc, lang: str = "pt") -> None:
    """Shapes (0-d, 2-D), dtypes, devices, a Python number never returned, inputs untouched."""
    for device in devices():
        gen = generator(77)
        for dtype in DTYPES:
            for x in (torch.tensor(0.7, dtype=dtype, device=device),
                      torch.tensor(0.0, dtype=dtype, device=device),
                      (2 * randn(gen, 3, 4)).to(device=device, dtype=dtype),
                      (2 * randn(gen, 2, 1, 3)).to(device=device, dtype=dtype)):
                shape = "×".join(map(str, x.shape)) or "0-d"
                what = f"Sinc.apply(x) [x {shape}, {str(dtype).replace('torch.', '')}]"
                snap = Snapshot(x=x)
                out = _forward(lang, Sinc, x, what)
                snap.verify(lang, "Sinc")
                bad = _bad(out, ref_value(x), 1e-5, 1e-7)
                if _some(bad):
                    _report(lang, what, x, out, ref_value(x), bad,
                            _contract_forward_mistake(x, out, bad))
                leaf = x.clone().requires_grad_(True)
                snap = Snapshot(x=leaf)
                out = _forward_raw(lang, Sinc, leaf, what)
                _require_grad_fn(lang, out)
                (grad,) = call(lang, "Sinc.backward", torch.autograd.grad, out, leaf,
                               torch.ones_like(out))
                snap.verify(lang, "Sinc")
                expect_tensor(lang, GRADIENT_OF.say(lang, what=what), grad, x)
                grad = plain_tensor(lang, GRADIENT_OF.say(lang, what=what), grad)
                bad = _bad(grad, ref_derivative(x), 1e-3, 1e-4)
                if _some(bad):
                    ref = ref_derivative(x)
                    ratio = _series_ratio(x, grad, ref, bad)
                    if ratio is not None:
                        _report(lang, f"d/dx {what}", x, grad, ref, bad,
                                "series_wrong_coefficient", ratio=ratio)
                    _report(lang, f"d/dx {what}", x, grad, ref, bad,
                            _contract_derivative_mistake(x, grad, ref, bad, 1e-3, 1e-4))


@_follows_inputs
def check_sinc_special(Sinc, lang: str = "pt") -> None:
    """x = ±0, ±tiny (smallest normal), ±the smallest subnormal and huge values: finite and
    right, forward and backward."""
    for device in devices():
        for dtype in DTYPES:
            fi = torch.finfo(dtype)
            zero = torch.tensor(0.0, dtype=dtype)
            sub = torch.nextafter(zero, torch.tensor(1.0, dtype=dtype)).item()
            big = (1e10, 3e38) if dtype == torch.float32 else (1e100, 1e300)
            points = [0.0, -0.0, fi.tiny, -fi.tiny, sub, -sub, 4 * fi.tiny, big[0], -big[1]]
            x = torch.tensor(points, dtype=dtype, device=device)
            dname = str(dtype).replace("torch.", "")

            out = _forward(lang, Sinc, x, f"Sinc.apply(x) [{dname}]")
            ref = ref_value(x)
            bad = _bad(out, ref, 1e-6, 1e-6)
            if _some(bad):
                i = int(bad.nonzero()[0])
                v = out.detach()[i].item()
                if i < 2 and math.isnan(v):
                    _report(lang, "Sinc(x)", x, out, ref, bad, "nan_at_zero")
                elif not math.isfinite(v):
                    _report(lang, "Sinc(x)", x, out, ref, bad, "forward_not_finite",
                            point=POINT_NAMES[i].say(lang))
                _report(lang, "Sinc(x)", x, out, ref, bad)

            grad = _derivative(lang, Sinc, x, what=f"Sinc.apply(x) [{dname}]")
            ref = ref_derivative(x)
            atol = torch.tensor([max(abs(p), fi.tiny) for p in points[:7]] + [1e-6, 1e-6],
                                dtype=torch.float64)
            bad = _bad(grad, ref, 1e-3, atol)
            if _some(bad):
                i = int(bad.nonzero()[0])
                v = grad.detach()[i].item()
                if not math.isfinite(v):
                    _report(lang, "d/dx Sinc(x)", x, grad, ref, bad, "derivative_not_finite",
                            point=POINT_NAMES[i].say(lang))
                elif i < 2:
                    _report(lang, "d/dx Sinc(x)", x, grad, ref, bad, "nonzero_derivative_at_zero")
                _report(lang, "d/dx Sinc(x)", x, grad, ref, bad)


@_follows_inputs
def check_sinc_backward(Sinc, lang: str = "pt") -> None:
    """Backward away from 0 against torch.autograd of sin(x)/x, and torch.autograd.gradcheck."""
    for device in devices():
        gen = generator(2024)
        x64 = _away_from_zero(gen, 11).to(device)
        for dtype, rtol, atol in ((torch.float64, 1e-7, 1e-10), (torch.float32, 1e-4, 1e-6)):
            x = x64.to(dtype)
            grad = _derivative(lang, Sinc, x)
            ref = ref_derivative(x)
            bad = _bad(grad, ref, rtol, atol)
            if _some(bad):
                if not _some(_bad(grad, -ref, rtol, atol)):
                    _report(lang, "d/dx Sinc(x)", x, grad, ref, bad, "derivative_sign_flipped")
                elif not _some(_bad(grad, torch.cos(x.double()) / x.double(), rtol, atol)):
                    _report(lang, "d/dx Sinc(x)", x, grad, ref, bad, "missing_quotient_term")
                elif not _some(_bad(grad, torch.cos(x.double()), rtol, atol)):
                    _report(lang, "d/dx Sinc(x)", x, grad, ref, bad, "derivative_of_sin_only")
                _report(lang, "d/dx Sinc(x)", x, grad, ref, bad,
                        hint=MISTAKES.hint("derivative_formula"))
        xr = randn(generator(7), 6, device=device).requires_grad_(True)
        _require_function(lang, Sinc)
        ok = call(lang, "torch.autograd.gradcheck(Sinc.apply, ...)",
                  lambda: torch.autograd.gradcheck(Sinc.apply, (xr,), raise_exception=False))
        if ok is not True or not _jacobian_agrees(lang, Sinc, xr.detach()):
            g = randn(generator(8), 6, device=device)
            grad = _derivative(lang, Sinc, xr.detach(), g)
            ones = _derivative(lang, Sinc, xr.detach())
            if not _some(_bad(grad, ones, 1e-9, 1e-12)):
                MISTAKES.fail(lang, "ignores_grad_output")
            raise_mistake("wrong_value", GRADCHECK_FAILED.say(lang))
        _check_nodes_independent(lang, Sinc, device)


def _check_nodes_independent(lang: str, Sinc, device: str) -> None:
    """Three Sinc nodes alive at once, their backward run one at a time in another order than
    their forwards (2nd, 1st, 3rd): each must use its own x, which only ctx carries.  One call
    then its backward, as every other check does, cannot tell a Sinc that keeps x (or its
    derivative) in a global or a class attribute from a right one: there it is always the
    last call's x; here a node gets another node's (a stack or a queue of them, too)."""
    gen = generator(2025)
    xs = [_away_from_zero(gen, 5).to(device) for _ in range(3)]
    leaves = [x.clone().requires_grad_(True) for x in xs]
    outs = [_forward_raw(lang, Sinc, leaf, "Sinc.apply(x)") for leaf in leaves]
    for out in outs:
        _require_grad_fn(lang, out)
    refs = [ref_derivative(x) for x in xs]
    for i in (1, 0, 2):
        (grad,) = call(lang, "Sinc.backward", torch.autograd.grad, outs[i], leaves[i],
                       torch.ones_like(outs[i]))
        what = "d/dx Sinc(x)"
        expect_tensor(lang, what, grad, xs[i])
        grad = plain_tensor(lang, what, grad)
        bad = _bad(grad, refs[i], 1e-7, 1e-10)
        if _some(bad):
            other = any(not _some(_bad(grad, refs[j], 1e-7, 1e-10)) for j in range(3) if j != i)
            _report(lang, what, xs[i], grad, refs[i], bad,
                    "backward_state_outside_ctx" if other else None,
                    hint=MISTAKES.hint("state_in_ctx"))


def _jacobian_agrees(lang: str, Sinc, x: torch.Tensor) -> bool:
    """gradcheck's own comparison redone on plain data: the Jacobian the answer's backward gives
    (one-hot grad_outputs) within gradcheck's tolerances (rtol 1e-3, atol 1e-5) of the exact
    one.  gradcheck compares with torch ops, which a mode or subclass the answer left active
    during the call could have answered; this confirms its True."""
    d = ref_derivative(x)
    for i in range(x.numel()):
        onehot = torch.zeros_like(x)
        onehot[i] = 1
        row = torch.zeros_like(d)
        row[i] = d[i]
        if _some(_bad(_derivative(lang, Sinc, x, onehot), row, 1e-3, 1e-5)):
            return False
    return True


@_follows_inputs
def check_sinc_grad_output(Sinc, lang: str = "pt") -> None:
    """The backward returns grad_output · sinc'(x) for a random, non-ones grad_output."""
    for device in devices():
        gen = generator(515)
        for shape, dtype in (((), torch.float64), ((7,), torch.float64),
                             ((3, 4), torch.float64), ((3, 4), torch.float32)):
            n = math.prod(shape)
            x = _away_from_zero(gen, n).reshape(shape).to(device=device, dtype=dtype)
            g = (randn(gen, n) * 3).reshape(shape).to(device=device, dtype=dtype)
            grad = _derivative(lang, Sinc, x, g, "Sinc.apply(x)")
            d = ref_derivative(x)
            ref = g.double() * d
            rtol, atol = (1e-7, 1e-10) if dtype == torch.float64 else (1e-4, 1e-5)
            bad = _bad(grad, ref, rtol, atol)
            if _some(bad):
                if not _some(_bad(grad, d, rtol, atol)):
                    hint = MISTAKES.hint("grad_output_ignored")
                elif not _some(_bad(grad, g, rtol, atol)):
                    _report(lang, "grad_output · sinc'(x)", x, grad, ref, bad,
                            "returns_grad_output_only")
                else:
                    hint = MISTAKES.hint("grad_output_product")
                _report(lang, "grad_output · sinc'(x)", x, grad, ref, bad, hint=hint)
        # the series branch too: a backward that multiplies by grad_output only away from 0
        # passes everything else (check_sinc_near_zero's grad_output is all ones).  Compared
        # with the answer's own derivative times grad_output, so that a derivative wrong near
        # 0 costs check_sinc_near_zero's points only, not these as well.
        for dtype, lowest, rtol in ((torch.float64, 1e-300, 1e-6), (torch.float32, 1e-30, 1e-3)):
            x = _near_zero_points(gen, lowest).to(device=device, dtype=dtype)
            sign = torch.where(randn(gen, x.numel()) < 0, -1.0, 1.0)
            g = (sign * (randn(gen, x.numel()).abs() * 3 + 0.5)).to(device=device, dtype=dtype)
            dname = str(dtype).replace("torch.", "")
            grad = _derivative(lang, Sinc, x, g, f"Sinc.apply(x) [{dname}]")
            own = _derivative(lang, Sinc, x, what=f"Sinc.apply(x) [{dname}]")
            with untouchable():
                finite = torch.isfinite(own)
                bad = _bad(grad, g.double().cpu() * own, rtol, 0.0) & finite
            if _some(bad):
                ref = g.double() * ref_derivative(x)
                if not _some(_bad(grad, own, rtol, 0.0) & bad):
                    _report(lang, "grad_output · sinc'(x)", x, grad, ref, bad,
                            "grad_output_ignored_near_zero")
                _report(lang, "grad_output · sinc'(x)", x, grad, ref, bad,
                        hint=MISTAKES.hint("grad_output_product"))


def _near_zero_points(gen: torch.Generator, lowest: float) -> torch.Tensor:
    """|x| from `lowest` to 0.5, log-spaced with jitter, plus the spots where errors hide."""
    mags = torch.logspace(math.log10(lowest), math.log10(0.45), 70, dtype=torch.float64)
    mags = mags * (1 + 0.1 * torch.rand(70, generator=gen, dtype=torch.float64))
    spots = torch.tensor([1e-9, 1e-8, 3e-8, 1e-7, 1e-6, 1e-5, 1e-4, 3e-4, 1e-3, 3e-3, 0.01,
                          0.02, 0.05, 0.08, 0.12, 0.15, 0.18, 0.2, 0.22, 0.25, 0.3, 0.35,
                          0.4, 0.45], dtype=torch.float64)
    return _signed(gen, torch.cat([mags, spots]))


@_follows_inputs
def check_sinc_near_zero(Sinc, lang: str = "pt") -> None:
    """Forward and backward accurate for 0 < |x| < 0.5 (float64 and float32)."""
    for device in devices():
        gen = generator(99)
        for dtype, lowest, rtol_f, rtol_d in ((torch.float64, 1e-300, 1e-8, 1e-6),
                                              (torch.float32, 1e-35, 1e-5, 1e-3)):
            x = _near_zero_points(gen, lowest).to(device=device, dtype=dtype)
            dname = str(dtype).replace("torch.", "")
            out = _forward(lang, Sinc, x, f"Sinc.apply(x) [{dname}]")
            bad = _bad(out, ref_value(x), rtol_f, 0.0)
            if _some(bad):
                _report(lang, "Sinc(x)", x, out, ref_value(x), bad,
                        hint=MISTAKES.hint("forward_near_zero"))
            grad = _derivative(lang, Sinc, x, what=f"Sinc.apply(x) [{dname}]")
            ref = ref_derivative(x)
            bad = _bad(grad, ref, rtol_d, 0.0)
            if not _some(bad):
                continue
            xd = x.detach().cpu().double().abs()
            bad = bad.cpu()
            g64 = grad.detach().cpu().double()
            rel = ((g64 - ref.cpu()) / ref.cpu()).abs()
            mistake, hint, fields = None, None, {}
            ratio = _series_ratio(x, grad, ref, bad)
            if ratio is not None:
                mistake, fields = "series_wrong_coefficient", {"ratio": ratio}
            elif not bool(torch.isfinite(g64).all()):
                bad = ~torch.isfinite(g64)
                hint = MISTAKES.hint("derivative_not_finite_near_zero")
            elif not _some(_bad(grad, -ref, rtol_d, 0.0) & bad):
                mistake = "series_sign_flipped"
            elif dtype == torch.float64 and _some(bad & (xd < 1e-6) & (rel > 1e-2)):
                mistake = "catastrophic_cancellation"
            elif dtype == torch.float32 and _some(bad & (xd < 0.05)):
                mistake = "float32_threshold_too_small"
            elif _some(bad & (xd > 1e-3)) and float(rel[bad].max()) < 1e-2:
                mistake = "series_truncation_error"
            else:
                hint = MISTAKES.hint("derivative_near_zero")
            _report(lang, "d/dx Sinc(x)", x, grad, ref, bad, mistake, hint, worst=True, **fields)


# --------------------------------------------------------------------------- questions
def check_hook_value(answer, lang: str = "pt") -> None:
    check_choice(lang, "answer_hook_value", answer, "b", "abcd",
                 why={"a": "choice_a_hook_at_x_two", "c": "choice_c_hook_dy_dx",
                      "d": "choice_d_hook_value_of_y"}, table=MISTAKES)


def check_where_grad(answer, lang: str = "pt") -> None:
    check_choice(lang, "answer_where_grad", answer, "c", "abcd",
                 why={"a": "choice_a_zero_cancels_nan", "b": "choice_b_nan_everywhere",
                      "d": "choice_d_sqrt_negative_raises"}, table=MISTAKES)


def check_gradcheck(answer, lang: str = "pt") -> None:
    check_choice(lang, "answer_gradcheck", answer, "c", "abcd",
                 why={"a": "choice_a_zero_never_drawn", "b": "choice_b_error_below_atol",
                      "d": "choice_d_float32_within_rtol"}, table=MISTAKES)
