"""Hidden tests of lesson 03 (gradient descent and optimizers)."""
from __future__ import annotations

import copy
import functools
import math
from types import MappingProxyType

import torch

from course.checks.core import (backward_runs, call_counting_backward, call_without_autograd, swapped_global, expect_backward,
                                call_with_scaled_gradients,
                               CheckFailed, Snapshot, as_plain, call, check_choice, close,
                                contrast, devices, equal, expect_tensor, generator, plain_float,
                                notebook_device_moved, plain_items, plain_tensor, randn, type_name,
                                untouchable)
from course.checks.mistakes import raise_mistake

from .mistakes import MISTAKES

SEEDS = (31, 32, 33)


def _follows_inputs(mistake: str):
    """The check runs with the notebook's `device` moved to the meta device, as the answer reads
    it (`notebook_device_moved`): w and the model's batch live on the inputs' device, and an
    answer that builds w on the notebook's `device`, or moves x, y or the model there, was right
    only where that is the inputs' device, on a machine without CUDA always.  With this it fails
    on every machine with `mistake`."""
    def wrap(check):
        @functools.wraps(check)
        def run(answer, lang: str = "pt") -> None:
            with notebook_device_moved(answer, lambda: MISTAKES.fail(lang, mistake)):
                check(answer, lang)
        return run
    return wrap


# ---------------------------------------------------------------- gradient descent on J(w)

def _data(seed: int, device: str, default_lr: bool = False):
    """Random x, y = a·x + noise, a one-element w0, a stable lr and a number of steps."""
    gen = generator(seed)
    n = int(torch.randint(3, 9, (1,), generator=gen))
    x = randn(gen, n, device=device)
    a = float(randn(gen, 1))
    y = a * x + 0.3 * randn(gen, n, device=device)
    w0 = randn(gen, 1, device=device)
    sxx = float((x.double() ** 2).sum())
    if default_lr:
        x = x * (1.0 / max(1.0, math.sqrt(sxx / 30.0)))  # 0.01·2·Σx² ≤ 0.6: stable
        y = a * x + 0.3 * randn(gen, n, device=device)
        return x, y, w0, 0.01, 20
    u = 0.1 + 0.3 * float(torch.rand(1, generator=gen))  # contraction factor 1 - 2u in [0.2, 0.8]
    lr = u / sxx
    n_iter = int(torch.randint(5, 16, (1,), generator=gen))
    return x, y, w0, lr, n_iter


def _reference_gd(x, y, w0, lr, n_iter, variant: str = "ok"):
    """Closed-form gradient descent in float64 on the CPU, and the classic mistakes."""
    x = x.detach().to("cpu", torch.float64)
    y = y.detach().to("cpu", torch.float64)
    w = float(w0.detach().to("cpu", torch.float64).reshape(-1)[0])
    scale = 1.0 / len(x) if variant == "mean" else 1.0
    history, acc = [], 0.0
    for _ in range(n_iter):
        r = x * w - y
        J = float((r ** 2).sum()) * scale
        g = float(2 * (r * x).sum()) * scale
        if variant == "noreset":
            acc += g
            g = acc
        if variant != "after":
            history.append(J)
        w = w + lr * g if variant == "flipped" else w - lr * g
        if variant == "after":
            history.append(float(((x * w - y) ** 2).sum()))
    return torch.tensor([w], dtype=torch.float64), history


def _prefix(name: str) -> str:
    """The exercise a gd_* check grades, as the prefix of its mistake ids."""
    return "fd" if name.startswith("gd_finite_diff") else "autograd"


# The mistake each variant of _reference_gd stands for (ids prefixed with the exercise).
VARIANT_MISTAKES = MappingProxyType({"noreset": "grad_not_reset", "flipped": "{p}_sign_flipped",
                                     "mean": "{p}_mean_instead_of_sum",
                                     "after": "{p}_history_after_update"})


def _structure(name: str, out, w0, n_iter: int, lang: str):
    """(w, history) with w a tensor like w0 (shape, device) and history n_iter Python floats;
    returns w itself and plain float64 copies of w (flat) and of the history."""
    p = _prefix(name)
    parts = plain_items(out, tuple)
    if parts is None or len(parts) != 2:
        MISTAKES.fail(lang, f"{p}_not_a_tuple", name=name, type=type_name(out))
    w, history = parts
    expect_tensor(lang, f"{name}: w", w, w0, check_dtype=False)
    items = plain_items(history, list)
    if items is None:
        MISTAKES.fail(lang, f"{p}_history_not_a_list", name=name, type=type_name(history))
    if len(items) != n_iter:
        MISTAKES.fail(lang, f"{p}_wrong_history_length", name=name, n_iter=n_iter,
                      got=len(items))
    values = [plain_float(h) for h in items]
    bad = next((h for h, v in zip(items, values) if v is None), None)
    if bad is not None:
        MISTAKES.fail(lang, f"{p}_history_not_float", name=name, type=type_name(bad))
    got_w = plain_tensor(lang, f"{name}: w", w)
    with untouchable():
        return w, got_w.reshape(-1), torch.tensor(values, dtype=torch.float64)


def _check_gd(name: str, out, x, y, w0, lr, n_iter, lang: str,
              mistakes=("flipped", "mean", "after")) -> None:
    """Values of (w, history) against the float64 reference, naming the classic mistakes."""
    p = _prefix(name)
    w, got_w, got_h = _structure(name, out, w0, n_iter, lang)
    ref_w, ref_h = _reference_gd(x, y, w0, lr, n_iter)
    tol = dict(rtol=1e-5, atol=1e-7)
    if close(got_w, ref_w, **tol) and close(got_h, torch.tensor(ref_h), **tol):
        return
    for variant in mistakes:
        alt_w, alt_h = _reference_gd(x, y, w0, lr, n_iter, variant)
        if close(got_w, alt_w, **tol) and (variant != "after" or
                                           close(got_h, torch.tensor(alt_h), **tol)):
            MISTAKES.fail(lang, VARIANT_MISTAKES[variant].format(p=p), name=name)
    dtype_hint = ""
    if w.dtype != w0.dtype:
        dtype_hint = " " + MISTAKES.hint("w_dtype").say(lang, got=w.dtype, expected=w0.dtype)
    for i in range(n_iter):
        if not close(got_h[i:i + 1], torch.tensor(ref_h[i:i + 1]), **tol):
            MISTAKES.fail(lang, f"{p}_wrong_history", name=name, i=i, expected=ref_h[i],
                          got=float(got_h[i]), lr=lr, n_iter=n_iter, dtype_hint=dtype_hint)
    MISTAKES.fail(lang, f"{p}_wrong_final_w", name=name, **contrast(ref_w, got_w),
                  lr=lr, n_iter=n_iter, dtype_hint=dtype_hint)


_NO_GRAPH = "does not require grad and does not have a grad_fn"
# torch's error for `w -= lr * w.grad` on the leaf w while grad mode is on
_IN_PLACE_ON_LEAF = "leaf Variable that requires grad is being used in an in-place operation"


def _grad_none_hint(lang: str, exc: CheckFailed, rerun=None) -> None:
    """Re-raise a failure, naming its cause when it is known: backward() on a J without a graph
    (w never asked for gradients: `w0.clone()` of a w0 that does not); w.grad still None, either
    before any backward() ran (`w.grad.zero_()` at the top of the loop: `rerun`, the same call
    again, counts the backward passes before the failure) or because w is no longer a leaf."""
    msg = str(exc)
    if exc.mistake == "raised" and _NO_GRAPH in msg:
        MISTAKES.fail(lang, "w_without_requires_grad", error=msg)
    if exc.mistake == "raised" and _IN_PLACE_ON_LEAF in msg:
        MISTAKES.fail(lang, "update_outside_no_grad", error=msg)
    if "NoneType" in msg:
        if rerun is not None and backward_runs(rerun) == 0:
            MISTAKES.fail(lang, "zero_grad_before_first_backward", error=msg)
        MISTAKES.fail(lang, "w_not_a_leaf", error=msg)
    raise exc


def _central_difference(w, x, y, dw=1e-3):
    """The lesson's dJ_diff, in the test's hands: what `gd_finite_diff` must call."""
    return ((((x * (w + dw) - y) ** 2).sum() - ((x * (w - dw) - y) ** 2).sum())
            / (2 * dw)).reshape(w.shape)


@_follows_inputs("fd_uses_notebook_device")
def check_gd_finite_diff(gd_finite_diff, lang: str = "pt") -> None:
    for device in devices():
        for seed in SEEDS:
            x, y, w0, lr, n_iter = _data(seed, device)
            snap = Snapshot(x=x, y=y, w0=w0)
            calls = []

            def counted(*args, **kwargs):
                calls.append(1)
                return _central_difference(*args, **kwargs)

            # on this quadratic J the closed-form derivative gives the very same descent: only
            # the calls to dJ_diff tell finite differences from it
            with swapped_global(gd_finite_diff, "dJ_diff", counted), torch.no_grad():
                out = call_without_autograd(lang, "gd_finite_diff", gd_finite_diff, x, y, w0,
                                            lr=lr, n_iter=n_iter)
            snap.verify(lang, "gd_finite_diff")
            _check_gd("gd_finite_diff", out, x, y, w0, lr, n_iter, lang)
            if len(calls) < n_iter:
                MISTAKES.fail(lang, "fd_dj_diff_not_called", calls=len(calls), n_iter=n_iter)
        _check_dj_diff_value_used(gd_finite_diff, device, lang)
        x, y, w0, lr, n_iter = _data(SEEDS[0] + 100, device, default_lr=True)
        snap = Snapshot(x=x, y=y, w0=w0)
        with torch.no_grad():
            out = call(lang, "gd_finite_diff", gd_finite_diff, x, y, w0)
        snap.verify(lang, "gd_finite_diff")
        _check_gd("gd_finite_diff(x, y, w0)", out, x, y, w0, lr, n_iter, lang)


# What the probe dJ_diff of `_check_dj_diff_value_used` multiplies the central difference by:
# descent with it is descent with lr·SCALE (still contracting: 1 − 2u·SCALE in [−0.2, 0.7]).
PROBE_SCALE = 1.5


def _check_dj_diff_value_used(gd_finite_diff, device: str, lang: str) -> None:
    """dJ_diff's value, not only its calls: on this quadratic J the test's dJ_diff equals the
    closed-form derivative, so an answer that calls it and steps with a derivative of its own
    passed.  Here dJ_diff returns PROBE_SCALE times the central difference: the answer that
    steps with what dJ_diff returns follows the descent with lr·PROBE_SCALE; one that
    follows the descent with lr ignored dJ_diff's value."""
    x, y, w0, lr, n_iter = _data(SEEDS[0] + 200, device)

    def probe(*args, **kwargs):
        return _central_difference(*args, **kwargs) * PROBE_SCALE

    with swapped_global(gd_finite_diff, "dJ_diff", probe), torch.no_grad():
        out = call_without_autograd(lang, "gd_finite_diff", gd_finite_diff, x, y, w0, lr=lr,
                                    n_iter=n_iter)
    _expect_probe_descent("gd_finite_diff", "dJ_diff", out, x, y, w0, lr, n_iter, lang,
                          unused="fd_dj_diff_value_unused")


def _check_autograd_gradient_used(gd_autograd, device: str, lang: str) -> None:
    """The gradients backward() computed, not only backward()'s runs: an answer that ran a
    backward pass per iteration (to be counted) and stepped with a derivative written by hand
    passed.  Here every gradient autograd computes is PROBE_SCALE times the true one: the
    answer that steps with w.grad follows the descent with lr·PROBE_SCALE."""
    x, y, w0, lr, n_iter = _data(SEEDS[0] + 210, device)
    start = w0.clone()
    snap = Snapshot(x=x, y=y)
    out = call_with_scaled_gradients(lang, "gd_autograd", PROBE_SCALE, gd_autograd, x, y, w0,
                                     lr=lr, n_iter=n_iter)
    snap.verify(lang, "gd_autograd")
    _expect_probe_descent("gd_autograd", "gradients", out, x, y, start, lr, n_iter, lang,
                          unused="autograd_gradient_unused")


def _expect_probe_descent(name: str, scaled: str, out, x, y, w0, lr, n_iter, lang: str,
                          unused: str) -> None:
    """`out` of a run where the gradient the answer must use was PROBE_SCALE times the true
    one: the descent with lr·PROBE_SCALE passes; the one with lr is the `unused` mistake (the
    answer stepped with a gradient of its own); anything else, a wrong final w."""
    _, got_w, got_h = _structure(name, out, w0, n_iter, lang)
    tol = dict(rtol=1e-5, atol=1e-7)
    ref_w, ref_h = _reference_gd(x, y, w0, lr * PROBE_SCALE, n_iter)
    if close(got_w, ref_w, **tol) and close(got_h, torch.tensor(ref_h), **tol):
        return
    if close(got_w, _reference_gd(x, y, w0, lr, n_iter)[0], **tol):
        MISTAKES.fail(lang, unused, scale=PROBE_SCALE)
    MISTAKES.fail(lang, f"{_prefix(name)}_wrong_final_w",
                  name=f"{name} ({scaled} × {PROBE_SCALE:g})", **contrast(ref_w, got_w), lr=lr,
                  n_iter=n_iter, dtype_hint="")


@_follows_inputs("autograd_uses_notebook_device")
def check_gd_autograd(gd_autograd, lang: str = "pt") -> None:
    for device in devices():
        for seed in SEEDS:
            x, y, w0, lr, n_iter = _data(seed + 10, device)
            start = w0.clone()  # the values are graded here; w0 left intact is graded apart
            # the reference is computed from x and y after the call: zeroed in place, they made
            # it "w0, and a history of zeros", whatever the answer did
            snap = Snapshot(x=x, y=y)
            try:
                out, runs = call_counting_backward(lang, "gd_autograd", gd_autograd, x, y, w0,
                                                   lr=lr, n_iter=n_iter)
            except CheckFailed as exc:
                _grad_none_hint(lang, exc, lambda: call(lang, "gd_autograd", gd_autograd, x, y,
                                                        start.clone(), lr=lr, n_iter=n_iter))
            snap.verify(lang, "gd_autograd")
            _check_gd("gd_autograd", out, x, y, start, lr, n_iter, lang,
                      mistakes=("noreset", "flipped", "mean", "after"))
            # the right values from a derivative written by hand: the quadratic J allows it
            expect_backward(lang, "gd_autograd", runs, n_iter,
                            MISTAKES.hint("one_backward_per_iteration"), n=n_iter)
        _check_autograd_gradient_used(gd_autograd, device, lang)
        x, y, w0, lr, n_iter = _data(SEEDS[0] + 110, device, default_lr=True)
        start = w0.clone()
        snap = Snapshot(x=x, y=y)
        try:
            out = call(lang, "gd_autograd", gd_autograd, x, y, w0)
        except CheckFailed as exc:
            _grad_none_hint(lang, exc, lambda: call(lang, "gd_autograd", gd_autograd, x, y,
                                                    start.clone()))
        snap.verify(lang, "gd_autograd")
        _check_gd("gd_autograd(x, y, w0)", out, x, y, start, lr, n_iter, lang,
                  mistakes=("noreset", "flipped", "mean", "after"))


@_follows_inputs("autograd_uses_notebook_device")
def check_gd_autograd_repeat(gd_autograd, lang: str = "pt") -> None:
    """w0 untouched (values, requires_grad, .grad), two calls agree, and J goes down."""
    for device in devices():
        for seed, leaf in ((SEEDS[1] + 20, False), (SEEDS[2] + 20, True)):
            x, y, w0, lr, n_iter = _data(seed, device)
            if leaf:
                w0.requires_grad_(True)
                w0.grad = torch.full_like(w0, 0.5)
            snap = Snapshot(x=x, y=y, w0=w0)
            outs = []
            for _ in range(2):
                try:
                    out = call(lang, "gd_autograd", gd_autograd, x, y, w0, lr=lr, n_iter=n_iter)
                except CheckFailed as exc:
                    if not leaf:
                        _grad_none_hint(lang, exc, lambda: call(
                            lang, "gd_autograd", gd_autograd, x, y, w0.detach().clone(), lr=lr,
                            n_iter=n_iter))
                    MISTAKES.fail(lang, "copy_not_detached", error=str(exc))
                snap.verify(lang, "gd_autograd")
                outs.append(_structure("gd_autograd", out, w0, n_iter, lang)[1:])
            (w_a, h_a), (w_b, h_b) = outs
            if not (equal(w_a, w_b) and equal(h_a, h_b)):
                # Unrecognised (see the hint's note in mistakes.py): generic "wrong_value".
                raise_mistake("wrong_value", MISTAKES.hint("second_call").say(lang))
            with untouchable():
                x64, y64 = x.detach().cpu().double(), y.detach().cpu().double()
                j0 = float(((x64 * w0.detach().cpu().double() - y64) ** 2).sum())
                j_end = float(((x64 * w_a - y64) ** 2).sum())
            if not j_end < j0:
                raise_mistake("wrong_value", MISTAKES.hint("final_loss").say(
                    lang, j0=j0, j_end=j_end, lr=lr, n_iter=n_iter))


# ---------------------------------------------------------------- train_step

def _setups(device: str):
    """(model, x, y, loss_fn, optimizer factory) with stale gradients already on the model."""
    gen = generator(77)
    cases = []
    specs = [(5, 7, 3, "mse", dict(lr=0.1)),
             (6, 8, 4, "ce", dict(lr=0.05, momentum=0.9)),
             (4, 6, 2, "mse", dict(lr=0.2, weight_decay=0.01))]
    for d_in, hidden, d_out, kind, hyper in specs:
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(d_in)
            model = torch.nn.Sequential(torch.nn.Linear(d_in, hidden), torch.nn.Tanh(),
                                        torch.nn.Linear(hidden, d_out)).to(device, torch.float64)
        batch = 9
        x = randn(gen, batch, d_in, device=device)
        if kind == "mse":
            y = randn(gen, batch, d_out, device=device)
            loss_fn = torch.nn.MSELoss()
        else:
            y = torch.randint(0, d_out, (batch,), generator=gen).to(device)
            loss_fn = torch.nn.CrossEntropyLoss()
        for p in model.parameters():
            p.grad = randn(gen, *p.shape, device=device)
        cases.append((model, x, y, loss_fn, hyper))
    return cases


def _reference_step(model, x, y, loss_fn, hyper, reset: bool = True):
    """Loss before, the parameters after one SGD step on a copy, and the loss after."""
    ref = copy.deepcopy(model)
    for p_ref, p in zip(ref.parameters(), model.parameters()):
        p_ref.grad = None if p.grad is None else p.grad.clone()
    opt = torch.optim.SGD(ref.parameters(), **hyper)
    if reset:
        opt.zero_grad()
    loss = loss_fn(ref(x), y)
    loss.backward()
    opt.step()
    with torch.no_grad():
        after = float(loss_fn(ref(x), y))
    return loss.item(), [p.detach().clone() for p in ref.parameters()], after


def _same_params(params, ref_params) -> bool:
    return all(close(p, r, rtol=1e-9, atol=1e-12) for p, r in zip(params, ref_params))


def _run_train_step(train_step, device: str, lang: str):
    for model, x, y, loss_fn, hyper in _setups(device):
        before = [p.detach().clone() for p in model.parameters()]
        loss_before, ref_params, loss_after = _reference_step(model, x, y, loss_fn, hyper)
        _, leak_params, _ = _reference_step(model, x, y, loss_fn, hyper, reset=False)
        # a plain `p -= lr * p.grad` (by hand, or a new SGD(lr=...)): it differs from this
        # optimizer's step only where it has more than lr (weight decay, momentum)
        extras = ", ".join(f"{k}={v}" for k, v in hyper.items() if k != "lr")
        plain_params = (_reference_step(model, x, y, loss_fn, {"lr": hyper["lr"]})[1]
                        if extras else None)
        params = list(model.parameters())  # the model's own parameters, read after the call
        optimizer = torch.optim.SGD(params, **hyper)
        snap = Snapshot(x=x, y=y)
        try:
            out = call(lang, "train_step", train_step, model, x, y, loss_fn, optimizer)
        except CheckFailed as failed:
            if failed.mistake == "raised" and _loss_arguments_swapped(train_step, lang, device):
                MISTAKES.fail(lang, "loss_arguments_swapped")
            raise
        snap.verify(lang, "train_step")
        yield (out, params, before, ref_params, leak_params, loss_before, loss_after,
               plain_params, extras)


def _loss_arguments_swapped(train_step, lang: str, device: str) -> bool:
    """Did the answer call `loss_fn(y, model(x))`?  Seen on the cross-entropy case, where the
    swap raises (its target must be the integer labels), through a loss that notes whether
    its first argument is the target it was given."""
    model, x, y, loss_fn, hyper = _setups(device)[1]
    first_is_target = []

    def noting(*args, **kwargs):
        first_is_target.append(bool(args) and args[0] is y)
        return loss_fn(*args, **kwargs)

    try:
        call(lang, "train_step", train_step, model, x, y, noting,
             torch.optim.SGD(model.parameters(), **hyper))
    except CheckFailed:
        pass
    return first_is_target[:1] == [True]


@_follows_inputs("train_step_uses_notebook_device")
def check_train_step(train_step, lang: str = "pt") -> None:
    for device in devices():
        for out, params, before, ref, leak, _, _, plain, extras in _run_train_step(
                train_step, device, lang):
            if _same_params(params, ref):
                continue
            if _same_params(params, before):
                MISTAKES.fail(lang, "weights_not_updated")
            if _same_params(params, leak):
                MISTAKES.fail(lang, "stale_gradients_used")
            if plain is not None and _same_params(params, plain):
                MISTAKES.fail(lang, "optimizer_not_used", extras=extras)
            with untouchable():
                diff = max(float((g - as_plain(r)).abs().max()) if g is not None else math.inf
                           for g, r in zip(map(as_plain, params), ref))
            MISTAKES.fail(lang, "wrong_step_weights", diff=diff)
        _check_optimizer_state_kept(train_step, device, lang)


def _check_optimizer_state_kept(train_step, device: str, lang: str, steps: int = 3) -> None:
    """Three steps with one SGD-with-momentum optimizer, against three of the reference: the
    first step of momentum equals plain SGD (its buffer starts as the gradient), so only a
    later one tells `optimizer.step()` from a step written by hand, or from a new optimizer
    built at each call."""
    model, x, y, loss_fn, hyper = _setups(device)[1]
    assert hyper.get("momentum")
    ref = copy.deepcopy(model)
    ref_opt = torch.optim.SGD(ref.parameters(), **hyper)
    for _ in range(steps):
        ref_opt.zero_grad()
        loss_fn(ref(x), y).backward()
        ref_opt.step()
    params = list(model.parameters())
    optimizer = torch.optim.SGD(params, **hyper)
    for _ in range(steps):
        call(lang, "train_step", train_step, model, x, y, loss_fn, optimizer)
    if not _same_params(params, [p.detach() for p in ref.parameters()]):
        MISTAKES.fail(lang, "optimizer_state_lost", steps=steps)


@_follows_inputs("train_step_uses_notebook_device")
def check_train_step_loss(train_step, lang: str = "pt") -> None:
    for device in devices():
        for out, _, _, _, _, before, after, _, _ in _run_train_step(train_step, device, lang):
            if issubclass(type(out), torch.Tensor):
                MISTAKES.fail(lang, "returns_loss_tensor")
            loss = plain_float(out)
            if loss is None:
                MISTAKES.fail(lang, "loss_not_float", type=type_name(out))
            if math.isclose(loss, before, rel_tol=1e-9, abs_tol=1e-12):
                continue
            if math.isclose(loss, after, rel_tol=1e-9, abs_tol=1e-12):
                MISTAKES.fail(lang, "loss_after_step")
            MISTAKES.fail(lang, "wrong_step_loss", expected=before, got=loss)


# ---------------------------------------------------------------- expected_initial_ce

def check_expected_initial_ce(expected_initial_ce, lang: str = "pt") -> None:
    gen = generator(5)
    ks = [2, 10] + [int(k) for k in torch.randint(3, 2000, (4,), generator=gen)]
    for K in ks:
        answer = call(lang, "expected_initial_ce", expected_initial_ce, K)
        if issubclass(type(answer), torch.Tensor):
            MISTAKES.fail(lang, "ce_returns_tensor")
        got = plain_float(answer)
        if got is None:
            MISTAKES.fail(lang, "ce_not_float", type=type_name(answer))
        expected = math.log(K)
        if math.isclose(got, expected, rel_tol=1e-6):
            continue
        known = {"log_base_2": math.log2(K), "log_base_10": math.log10(K),
                 "probability_not_loss": 1.0 / K, "ce_sign_flipped": -math.log(K)}
        for mistake, value in known.items():
            if math.isclose(got, value, rel_tol=1e-6):
                MISTAKES.fail(lang, mistake, K=K, expected=expected, got=got)
        MISTAKES.fail(lang, "wrong_initial_ce", K=K, expected=expected, got=got)


# ---------------------------------------------------------------- multiple choice

def check_lr_scaling(answer, lang: str = "pt") -> None:
    check_choice(lang, "answer_lr_scaling", answer, "c", "abcd",
                 why={"a": "choice_a_same_optimum", "b": "choice_b_gradient_doubles",
                      "d": "choice_d_larger_steps"}, table=MISTAKES)


def check_zero_grad(answer, lang: str = "pt") -> None:
    check_choice(lang, "answer_zero_grad", answer, "b", "abcd",
                 why={"a": "choice_a_mean_not_scaled", "c": "choice_c_zero_grad_each_micro_batch",
                      "d": "choice_d_step_each_micro_batch"}, table=MISTAKES)
