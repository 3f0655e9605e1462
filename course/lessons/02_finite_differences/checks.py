"""Hidden tests of lesson 02 (finite differences and gradient checking)."""
from __future__ import annotations


import torch

from course.checks.core import (swapped_global,
                               Snapshot, as_plain, call, call_without_autograd, check_choice,
                                close, contrast, devices, expect_close, expect_tensor, generator,
                                holds_meta, notebook_device_moved, randn)
from course.checks.mistakes import CheckFailed, raise_mistake

from .mistakes import MISTAKES as M

SEEDS = (202, 303, 404)


def _data(seed: int, device: str, w_shape=(1,)):
    """Random x, y of a random length and a one-element w of the given shape, in float64."""
    gen = generator(seed)
    n = int(torch.randint(3, 9, (1,), generator=gen))
    x = randn(gen, n, device=device)
    y = randn(gen, n, device=device)
    w = randn(gen, 1, device=device).reshape(w_shape)
    return x, w, y


def _J(w, x, y):
    return ((x * w - y) ** 2).sum()


def _autograd(f, w):
    """df/dw from torch.autograd, in w's shape."""
    with torch.enable_grad():
        w = w.detach().clone().requires_grad_(True)
        (g,) = torch.autograd.grad(f(w), w)
    return g.detach()


def _differences(f, w, eps):
    """Central, forward and backward differences of f at w (reference, computed here)."""
    base = w.detach().reshape(-1).clone()
    f0 = float(f(base.view(w.shape)))
    central, forward, backward = (torch.empty_like(base) for _ in range(3))
    with torch.no_grad():
        for i in range(base.numel()):
            old = base[i].item()
            base[i] = old + eps
            fp = float(f(base.view(w.shape)))
            base[i] = old - eps
            fm = float(f(base.view(w.shape)))
            base[i] = old
            central[i] = (fp - fm) / (2 * eps)
            forward[i] = (fp - f0) / eps
            backward[i] = (f0 - fm) / eps
    return central.view(w.shape), forward.view(w.shape), backward.view(w.shape)


# --------------------------------------------------------------------------------------- J_func

def _on_inputs_device(lang: str, name: str, fn, run, *args):
    """`run(lang, name, fn, *args)` (`call`, `call_without_autograd`) with the notebook's
    `device` moved to the meta device (`notebook_device_moved`): a result follows its inputs'
    device, and an answer that builds a tensor on the notebook's `device`, or moves its inputs
    there, was right only where that is theirs, on a machine without CUDA always.  Now it fails
    on every machine with `<name>_uses_notebook_device` (name in lower case)."""
    used = lambda: M.fail(lang, f"{name.lower()}_uses_notebook_device")  # noqa: E731
    with notebook_device_moved(fn, used):
        got = run(lang, name, fn, *args)
    if holds_meta(got):
        used()
    return got


def check_J_func(J_func, lang: str = "pt") -> None:
    for device in devices():
        for seed in SEEDS:
            x, w, y = _data(seed, device)
            snap = Snapshot(x=x, w=w, y=y)
            got = _on_inputs_device(lang, "J_func", J_func, call, w, x, y)
            snap.verify(lang, "J_func")
            ref = _J(w, x, y)
            expect_tensor(lang, "J_func(w, x, y)", got, ref, check_dtype=False)
            e = x * w - y
            wrong = {"mean_instead_of_sum": ref / len(x),
                     "norm_instead_of_sum_of_squares": ref.sqrt(),
                     "abs_instead_of_square": e.abs().sum(),
                     "square_forgotten": e.sum()}
            for mid, value in wrong.items():
                if close(got, value, 1e-6) and not close(got, ref, 1e-6):
                    M.fail(lang, mid, **contrast(ref, got))
            expect_close(lang, "J_func(w, x, y)", got, ref, hint=M.hint("J_func"),
                         rtol=1e-6, check_dtype=False)


# -------------------------------------------------------------------------------------- dJ_diff

_DJ_CASES = ((202, (1,), None), (303, (), 0.05), (404, (1, 1), 0.5), (505, (1,), 1e-2))


def _J_cubic(w, x, y):
    """The probe loss: the lesson's J plus (w − 2)³ (section 3's cubic term, k = 1).  Its third
    derivative is 6, so its central difference with step dw is J'(w) + dw², not J'(w): an
    answer that ignores dw (a fixed step, the exact derivative) or does not call J_func shows."""
    v = torch.as_tensor(w, dtype=x.dtype, device=x.device)
    return ((x * v - y) ** 2).sum() + ((v - 2) ** 3).sum()


_PROBE_CASES = ((707, (1,), 0.5), (808, (), 0.05))


def check_dJ_diff(dJ_diff, lang: str = "pt") -> None:
    # J_func is the reference J while dJ_diff is graded: exercise 2's points never depend on
    # exercise 1 (a stub or a wrong J_func)
    with swapped_global(dJ_diff, "J_func", _J):
        _check_dJ_diff(dJ_diff, lang)
    _check_dJ_diff_follows_J_func(dJ_diff, lang)


def _check_dJ_diff(dJ_diff, lang: str) -> None:
    for device in devices():
        for seed, shape, dw in _DJ_CASES:
            x, w, y = _data(seed, device, shape)
            step = 1e-3 if dw is None else dw
            args = (w, x, y) if dw is None else (w, x, y, dw)
            snap = Snapshot(x=x, w=w, y=y)
            try:
                with torch.no_grad():
                    got = _on_inputs_device(lang, "dJ_diff", dJ_diff, call_without_autograd,
                                            *args)
            except CheckFailed as exc:
                _in_context(lang, exc, w, step)
            snap.verify(lang, "dJ_diff")
            ref = _autograd(lambda v: _J(v, x, y), w)
            what = f"dJ_diff (w {tuple(w.shape)}, dw={step:g})"
            plain = as_plain(got)
            if plain is not None and plain.shape != w.shape and plain.numel() == 1 \
                    and close(plain.reshape(w.shape), ref, 1e-6, 1e-9):
                M.fail(lang, "result_not_shaped_like_w", what=what, got=tuple(plain.shape),
                       expected=tuple(w.shape))
            expect_tensor(lang, what, got, ref, check_dtype=False)
            _name_the_mistake(lang, what, got, lambda v: _J(v, x, y), w, step, ref,
                              in_float32=lambda v: _J(v, x.float(), y.float()))
        x, w, y = _data(606, device)
        w.requires_grad_(True)
        w.grad = torch.ones_like(w)
        snap = Snapshot(x=x, w=w, y=y)
        try:
            got = _on_inputs_device(lang, "dJ_diff", dJ_diff, call_without_autograd, w, x, y)
        except CheckFailed as exc:
            if exc.mistake == "raised" and _IN_PLACE_ON_LEAF in str(exc):
                M.fail(lang, "w_perturbed_in_place", error=_IN_PLACE_ON_LEAF)
            raise
        snap.verify(lang, "dJ_diff")
        expect_close(lang, M.hint("w_requires_grad").say(lang), got,
                     _autograd(lambda v: _J(v, x, y), w), rtol=1e-6, atol=1e-8,
                     check_dtype=False)
        # the first case's very w and dw again, with other x and y: a result kept from an
        # earlier call (keyed by w and dw) is the earlier data's derivative
        seed, shape, dw = _DJ_CASES[0]
        w = _data(seed, device, shape)[1]
        x, _, y = _data(707, device)
        with torch.no_grad():
            got = _on_inputs_device(lang, "dJ_diff", dJ_diff, call_without_autograd,
                                    *((w, x, y) if dw is None else (w, x, y, dw)))
        expect_close(lang, M.hint("same_w_other_data").say(lang), got,
                     _autograd(lambda v: _J(v, x, y), w), rtol=1e-6, atol=1e-8,
                     check_dtype=False)


_AUTOGRAD_ERRORS = ("does not require grad", "grad_fn", "backward", "autograd")
# torch's error for `w += dw` on a w that requires grad (or on a view of it), outside no_grad
_IN_PLACE_ON_LEAF = "leaf Variable that requires grad is being used in an in-place operation"


def _in_context(lang, exc: CheckFailed, w, step) -> None:
    """dJ_diff raised: say with which w (its shape; a 0-d w has no index, so `w[0]` fails
    there only) and dw; only an autograd error gets the reminder that the call runs inside
    torch.no_grad() with a w that does not require grad."""
    if exc.mistake != "raised":
        raise exc
    text = str(exc)
    if any(word in text for word in _AUTOGRAD_ERRORS):
        text += M.hint("called_under_no_grad").say(lang)
    shape = tuple(w.shape)
    zero_d = M.hint("w_0d").say(lang) if not shape else ""
    raise_mistake(exc.mistake, M.hint("dJ_call_context").say(
        lang, shape=shape, zero_d=zero_d, dw=f"{step:g}", error=text))


def _check_dJ_diff_follows_J_func(dJ_diff, lang: str) -> None:
    """With J_func swapped for the cubic probe, the answer is the probe's central difference
    with the step it was given.  On the lesson's quadratic J the central difference equals the
    derivative for every dw, so only this tells it from a fixed tiny step, the exact
    derivative, or a J written out inside dJ_diff."""
    for device in devices():
        for seed, shape, dw in _PROBE_CASES:
            x, w, y = _data(seed, device, shape)
            calls = []

            def probe(w, x, y):  # J_func's own parameter names: keywords work too
                calls.append(1)
                return _J_cubic(w, x, y)

            what = f"dJ_diff (J_func = J + (w−2)³, w {tuple(w.shape)}, dw={dw:g})"
            snap = Snapshot(x=x, w=w, y=y)
            with swapped_global(dJ_diff, "J_func", probe) as swapped:
                if not swapped:  # no namespace to swap J_func in: it cannot call J_func
                    M.fail(lang, "loss_not_called", what=what)
                with torch.no_grad():
                    got = _on_inputs_device(lang, "dJ_diff", dJ_diff, call_without_autograd,
                                            w, x, y, dw)
            snap.verify(lang, "dJ_diff")
            if not calls:
                M.fail(lang, "loss_not_called", what=what)
            expect_tensor(lang, what, got, w, check_dtype=False)
            loss = lambda v: _J_cubic(v, x, y)  # noqa: E731
            central = _differences(loss, w, dw)[0]
            exact = _autograd(loss, w)
            if close(got, exact, 1e-6, 1e-9) and not close(got, central, 1e-6, 1e-9):
                M.fail(lang, "step_not_dw", what=what, dw=f"{dw:g}",
                       **contrast(central, got))
            _name_the_mistake(lang, what, got, loss, w, dw, central)


def _name_the_mistake(lang, what, got, loss, w, step, central, in_float32=None) -> None:
    """`got` is `central`, the central difference of `loss` at w with this step; else the
    one-sided difference, the halved step or the flipped numerator it equals is named, or the
    same central difference computed in float32 (`in_float32`: the loss on float32 data)."""
    central_, forward, backward = _differences(loss, w, step)
    wrong = {"forward_difference": forward, "backward_difference": backward,
             "divided_by_dw": 2 * central_, "dw_sign_flipped": -central_,
             "dw_in_numerator": central_ * step ** 2}
    if in_float32 is not None:
        wrong["computed_in_float32"] = _differences(in_float32, w.float(), step)[0]
    for mid, value in wrong.items():
        if close(got, value, 1e-6, 1e-9) and not close(got, central, 1e-6, 1e-9):
            M.fail(lang, mid, what=what, **contrast(central, got))
    expect_close(lang, what, got, central, hint=M.hint("dJ_central"),
                 rtol=1e-6, atol=1e-8, check_dtype=False)


# -------------------------------------------------------------------------------- numerical_grad

def _functions(device: str):
    """(label, f, w): scalar functions with nonzero third derivatives, w of several shapes."""
    gen = generator(2718)
    a = randn(gen, 5, device=device)
    X = randn(gen, 6, 3, device=device)
    Y = randn(gen, 6, 4, device=device)
    C = randn(gen, 2, 3, 2, device=device)
    yield ("1-D", lambda w: (a * torch.sin(w)).sum() + (w ** 3).sum() / 6,
           randn(gen, 5, device=device))
    yield ("2-D", lambda W: ((X @ W - Y) ** 2).sum() / 2 + torch.tanh(W).sum() + (W ** 3).sum() / 6,
           randn(gen, 3, 4, device=device))
    yield ("0-d", lambda w: torch.exp(0.5 * w) + w ** 3 / 6,
           randn(gen, 1, device=device).reshape(()))
    yield ("3-D", lambda w: torch.logsumexp((C * w).reshape(-1), 0) + (w ** 3).sum() / 6,
           randn(gen, 2, 3, 2, device=device))


def _all_at_once(f, w, eps):
    """What every element gets when eps is added to the whole tensor at once: the derivative
    along (1, …, 1), i.e. the sum of the partial derivatives (equal to the right answer only for
    one element)."""
    base = w.detach()
    with torch.no_grad():
        d = (float(f(base + eps)) - float(f(base - eps))) / (2 * eps)
    return torch.full_like(base, d)


def _call_grad(lang, numerical_grad, f, w, eps, label, hint=None):
    """The answer called on (f, w[, eps]); a failure says on which w it happened."""
    args = (f, w) if eps is None else (f, w, eps)
    try:
        return _on_inputs_device(lang, "numerical_grad", numerical_grad, call_without_autograd,
                                 *args)
    except CheckFailed as exc:
        text = M.hint("call_context").say(lang, label=label, shape=tuple(w.shape), error=exc,
                                          hint=hint.say(lang) if hint else "")
        raise_mistake(exc.mistake, text.rstrip())


def check_numerical_grad_values(numerical_grad, lang: str = "pt") -> None:
    for device in devices():
        for label, f, w in _functions(device):
            shape_hint = M.hint("every_element") if label != "1-D" else None
            auto = _autograd(f, w)
            for eps in (0.1, 1e-2, None):
                step = 1e-6 if eps is None else eps
                if eps is not None:
                    central, forward, backward = _differences(f, w, eps)
                snap = Snapshot(w=w)
                got = _call_grad(lang, numerical_grad, f, w, eps, label, shape_hint)
                snap.verify(lang, "numerical_grad")
                what = f"numerical_grad (w {label} {tuple(w.shape)}, eps={step:g})"
                expect_tensor(lang, what, got, w)
                if eps is None:
                    expect_close(lang, what, got, auto, hint=shape_hint, rtol=1e-6,
                                 atol=1e-7 * max(1.0, auto.abs().max().item()))
                    continue
                if close(got, central, 1e-6, 1e-8):
                    continue
                wrong = {"eps_forward_difference": forward, "eps_backward_difference": backward,
                         "divided_by_eps": 2 * central, "eps_sign_flipped": -central,
                         "eps_in_numerator": central * eps ** 2,
                         "perturbed_all_elements": _all_at_once(f, w, eps)}
                for mid, value in wrong.items():
                    if close(got, value, 1e-6, 1e-8):
                        M.fail(lang, mid, what=what, **contrast(central, got))
                if close(got, auto, 1e-5, 1e-7):
                    M.fail(lang, "eps_ignored", what=what, eps=f"{eps:g}")
                expect_close(lang, what, got, central, hint=shape_hint, rtol=1e-6, atol=1e-8)


def check_numerical_grad_contract(numerical_grad, lang: str = "pt") -> None:
    for device in devices():
        gen = generator(1618)
        X = randn(gen, 5, 3, device=device)
        Y = randn(gen, 5, 2, device=device)

        def f(W):
            return ((X.to(W.dtype) @ W - Y.to(W.dtype)) ** 2).sum() + (W ** 3).sum() / 6

        # 1. called under no_grad, w without grad: w must come back bit for bit.
        w = randn(gen, 3, 2, device=device)
        snap = Snapshot(w=w)
        with torch.no_grad():
            got = _call_grad(lang, numerical_grad, f, w, 1e-6, "no_grad")
        snap.verify(lang, "numerical_grad")
        # Returning w itself (untouched, so not the gradient) fails here; the hint says why.
        expect_close(lang, "numerical_grad (torch.no_grad)", got, _autograd(f, w),
                     hint=M.hint("returned_w_itself") if got is w else None, rtol=1e-6,
                     atol=1e-6, check_dtype=False)

        # 2. dtype and device of the result follow w (float64 and float32).
        for dtype, eps in ((torch.float64, 1e-5), (torch.float32, 1e-2)):
            w = randn(gen, 3, 2, device=device, dtype=dtype)
            snap = Snapshot(w=w)
            got = _call_grad(lang, numerical_grad, f, w, eps, str(dtype))
            snap.verify(lang, "numerical_grad")
            ref = _differences(f, w, eps)[0]
            expect_tensor(lang, f"numerical_grad (w {dtype})", got, ref, check_dtype=True)
            scale = max(1.0, ref.abs().max().item())
            expect_close(lang, f"numerical_grad (w {dtype})", got, ref, rtol=1e-3,
                         atol=1e-3 * scale)

        # 3. w requires grad and already holds a .grad: values, requires_grad and .grad intact.
        w = randn(gen, 3, 2, device=device).requires_grad_(True)
        w.grad = torch.full_like(w, 7.0)
        snap = Snapshot(w=w)
        got = _call_grad(lang, numerical_grad, f, w, 1e-6, "requires_grad=True",
                         M.hint("work_on_a_copy"))
        snap.verify(lang, "numerical_grad")
        expect_close(lang, "numerical_grad (w requires_grad=True)", got, _autograd(f, w),
                     rtol=1e-6, atol=1e-6, check_dtype=False)

        # 4. f without a graph (a black box for autograd): only evaluations may be used.
        w = randn(gen, 4, device=device)
        snap = Snapshot(w=w)

        def black_box(v):
            return (v.detach() ** 3).sum() / 3 + torch.cos(v.detach()).sum()

        with torch.no_grad():
            got = _call_grad(lang, numerical_grad, black_box, w, 1e-6,
                             M.hint("f_without_graph").say(lang), M.hint("no_autograd"))
        snap.verify(lang, "numerical_grad")
        expect_close(lang, M.hint("numerical_grad_f_without_graph").say(lang), got,
                     w ** 2 - torch.sin(w),
                     rtol=1e-6, atol=1e-6, check_dtype=False)


# ---------------------------------------------------------------------------- multiple choice

def check_dw_limits(answer, lang: str = "pt") -> None:
    check_choice(lang, "answer_dw_limits", answer, "c", "abcd",
                 why={"a": "choice_smaller_always_better", "b": "choice_big_step_no_truncation",
                      "d": "choice_step_scale_of_w"}, table=M)


def check_backward_cost(answer, lang: str = "pt") -> None:
    check_choice(lang, "answer_backward_cost", answer, "d", "abcd",
                 why={"a": "choice_one_eval_per_weight", "b": "choice_all_weights_at_once",
                      "c": "choice_backward_costs_2p"}, table=M)


def check_float32_step(answer, lang: str = "pt") -> None:
    check_choice(lang, "answer_float32_step", answer, "b", "abcd",
                 why={"a": "choice_even_smaller_step", "c": "choice_forward_same_step",
                      "d": "choice_rescale_loss"}, table=M)
