"""Hidden tests of lesson 05 (linear regression by hand and with Dataset / Module / DataLoader)."""
from __future__ import annotations

import copy
import math
import operator
import os
import random
import re
import tempfile

import torch
from torch import nn
from torch.utils.data import DataLoader, Dataset, TensorDataset

from course.checks.core import (backward_runs, call_counting_backward, expect_backward,
                                call_with_scaled_gradients,
                               CheckFailed, Snapshot, as_plain, call, check_choice, close,
                                contrast, devices, expect_close, floats, generator, is_plain_tensor,
                                plain_float, plain_items, randn, reads_global, short,
                                notebook_device_moved, type_name)

from .mistakes import MISTAKES as M


# ---------------------------------------------------------------------------------------------
# linear_model
# ---------------------------------------------------------------------------------------------

def check_linear_model(linear_model, lang: str = "pt") -> None:
    for device in devices():
        for seed in (51, 52):
            gen = generator(seed)
            x = randn(gen, 6, device=device)
            a = randn(gen, 1, device=device).requires_grad_(True)
            b = randn(gen, 1, device=device).requires_grad_(True)
            snap = Snapshot(x=x, a=a, b=b)
            out = call(lang, "linear_model", linear_model, x, a, b)
            snap.verify(lang, "linear_model")
            expected = (a * x + b).detach()
            plain = as_plain(out)
            if plain is not None and plain.shape == expected.shape and \
                    close(plain, (b * x + a).detach(), 1e-6):
                M.fail(lang, "a_b_swapped")
            expect_close(lang, "linear_model(x, a, b)", out, expected, hint=M.hint("linear_model"),
                         rtol=1e-6, check_dtype=False)
            if out.grad_fn is None:
                M.fail(lang, "graph_broken")
            ga, gb = call(lang, "torch.autograd.grad", torch.autograd.grad, torch.sum(out),
                          (a, b), allow_unused=True)
            if ga is None or gb is None or not close(ga, x.sum().reshape(1), 1e-6) or \
                    not close(gb, torch.full((1,), float(len(x)), dtype=x.dtype), 1e-6):
                M.fail(lang, "gradient_misses_a_b")
        gen = generator(53)
        x = randn(gen, 5, device=device)
        out = call(lang, "linear_model", linear_model, x, 1.5, -0.25)
        expect_close(lang, "linear_model(x, 1.5, -0.25)", out, 1.5 * x - 0.25,
                     hint=M.hint("python_numbers"), rtol=1e-6, check_dtype=False)


# ---------------------------------------------------------------------------------------------
# fit_by_hand
# ---------------------------------------------------------------------------------------------

def reference_fit(x, y, lr=1e-2, n_epochs=500, reset=True):
    """Full-batch gradient descent on the MSE from a = b = 0; losses before each update."""
    a = torch.zeros(1, dtype=x.dtype, device=x.device, requires_grad=True)
    b = torch.zeros(1, dtype=x.dtype, device=x.device, requires_grad=True)
    losses = []
    for _ in range(n_epochs):
        loss = ((a * x + b - y) ** 2).mean()
        losses.append(loss.item())
        loss.backward()
        with torch.no_grad():
            a -= lr * a.grad
            b -= lr * b.grad
        if reset:
            a.grad = None
            b.grad = None
    return a.item(), b.item(), losses


def _line_data(seed: int, n: int, device: str, dtype=torch.float64):
    gen = generator(seed)
    x = randn(gen, n, device=device, dtype=dtype) * 1.5
    a_true = float(randn(gen, 1)) * 2
    b_true = float(randn(gen, 1)) * 2
    y = a_true * x + b_true + 0.5 * randn(gen, n, device=device, dtype=dtype)
    return x, y


def _same(got, expected, rtol=1e-5, atol=1e-6) -> bool:
    """Python floats (or lists of them, already plain) agree as close() says tensors do."""
    return close(torch.tensor(got, dtype=torch.float64),
                 torch.tensor(expected, dtype=torch.float64), rtol, atol)


def _mixed_devices(msg: str) -> bool:
    """The answer's error comes from tensors on another device than its inputs': mixed devices,
    or, on a machine without CUDA, a hard-coded "cuda" (which mixes devices where CUDA exists)."""
    low = msg.lower()
    return "same device" in msg or (not torch.cuda.is_available() and
                                    ("cuda" in low or "nvidia" in low))


def _device_hint(lang: str, err: CheckFailed, name: str, mistake: str) -> None:
    """Re-raise a failure with a hint when the student's error has a known cause."""
    msg = str(err)
    if _mixed_devices(msg):
        M.fail(lang, mistake, error=msg, name=name)
    raise err


def _floats(values: list) -> list:
    """Each value as an exact float (`plain_float`), or None where it is not a float."""
    return [plain_float(v) for v in values]


def check_fit_by_hand(fit_by_hand, lang: str = "pt") -> None:
    cases = [  # (seed, n, dtype, kwargs)
        (61, 16, torch.float64, {"lr": 0.03, "n_epochs": 25}),
        (62, 12, torch.float32, {"lr": 0.01, "n_epochs": 40}),
        (63, 10, torch.float64, {}),
    ]
    for device in devices():
        for seed, n, dtype, kwargs in cases:
            x, y = _line_data(seed, n, device, dtype)
            lr, n_epochs = kwargs.get("lr", 1e-2), kwargs.get("n_epochs", 500)
            snap = Snapshot(x=x, y=y)
            try:
                with notebook_device_moved(  # a and b follow x, not the notebook's `device`
                        fit_by_hand, lambda: M.fail(lang, "fit_uses_notebook_device")):
                    out, runs = call_counting_backward(lang, "fit_by_hand", fit_by_hand, x, y,
                                                       **kwargs)
            except CheckFailed as err:
                if err.mistake == "not_implemented" and reads_global(fit_by_hand, "linear_model"):
                    M.fail(lang, "fit_uses_unanswered_linear_model")
                msg = str(err)
                if "NoneType" in msg and backward_runs(
                        lambda: call(lang, "fit_by_hand", fit_by_hand, x, y, **kwargs)) == 0:
                    M.fail(lang, "zero_grad_before_first_backward", error=msg)
                if "leaf" in msg or "NoneType" in msg:
                    M.fail(lang, "update_outside_no_grad", error=msg)
                _device_hint(lang, err, "fit_by_hand", "fit_mixed_devices")
            snap.verify(lang, "fit_by_hand")
            parts = plain_items(out, tuple, list)
            if parts is None or len(parts) != 3:
                M.fail(lang, "not_a_3_tuple", type=type_name(out))
            a, b, losses = parts
            for name, v in (("a", a), ("b", b)):
                if plain_float(v) is None:
                    M.fail(lang, "param_not_float", name=name, type=type_name(v))
            a, b = plain_float(a), plain_float(b)
            items = plain_items(losses, list)
            if items is None:
                M.fail(lang, "losses_not_a_list", type=type_name(losses))
            if len(items) != n_epochs:
                M.fail(lang, "wrong_number_of_losses", n_epochs=n_epochs, got=len(items))
            losses = _floats(items)
            bad = next((v for v, f in zip(items, losses) if f is None), None)
            if bad is not None:
                M.fail(lang, "loss_not_float", type=type_name(bad))
            ref_a, ref_b, ref_losses = reference_fit(x, y, lr, n_epochs)
            if not _same(losses[0], ref_losses[0]):
                y64 = y.double()
                if _same(losses[0], float((y64 ** 2).sum())):
                    M.fail(lang, "sum_instead_of_mean")
                if _same(losses[0], ref_losses[1]):
                    M.fail(lang, "first_loss_after_update")
                M.fail(lang, "wrong_first_loss", expected=ref_losses[0], got=short(losses[0]))
            if not _same(losses, ref_losses):
                _, _, no_reset = reference_fit(x, y, lr, n_epochs, reset=False)
                if _same(losses, no_reset):
                    M.fail(lang, "gradients_not_reset")
                # Losses shifted by one epoch (recorded after the update) start with ref_losses[1]
                # and were named by "first_loss_after_update" above.
                if kwargs and _same(losses, reference_fit(x, y, 1e-2, n_epochs)[2]):
                    M.fail(lang, "hard_coded_lr", lr=lr)
                i = next(i for i in range(n_epochs) if not _same(losses[i], ref_losses[i]))
                M.fail(lang, "losses_diverge", epoch=i, expected=ref_losses[i],
                       got=short(losses[i]))
            if not _same([a, b], [ref_a, ref_b]):
                M.fail(lang, "wrong_final_params", a=ref_a, b=ref_b, got_a=short(a),
                       got_b=short(b))
            # the right values from the gradient formulas the lesson shows: not from backward()
            expect_backward(lang, "fit_by_hand", runs, n_epochs, M.hint("one_backward_per_epoch"),
                            n=n_epochs)
        _check_gradient_used(fit_by_hand, device, lang)


# What the probe of `_check_gradient_used` scales every gradient by: descent with it is
# descent with lr·PROBE_SCALE (a smaller step: as stable as the case it is taken from).
PROBE_SCALE = 0.5


def _check_gradient_used(fit_by_hand, device: str, lang: str) -> None:
    """The gradients backward() computed, not only backward()'s runs: an answer that ran a
    backward pass per epoch (to be counted) and stepped with the gradient formulas the lesson
    shows passed.  Here every gradient autograd computes is PROBE_SCALE times the true one:
    the answer that steps with a.grad and b.grad follows the descent with lr·PROBE_SCALE."""
    x, y = _line_data(64, 16, device, torch.float64)
    lr, n_epochs = 0.03, 25
    snap = Snapshot(x=x, y=y)
    out = call_with_scaled_gradients(lang, "fit_by_hand", PROBE_SCALE, fit_by_hand, x, y, lr=lr,
                                     n_epochs=n_epochs)
    snap.verify(lang, "fit_by_hand")
    parts = plain_items(out, tuple, list)
    got = [plain_float(v) for v in parts[:2]] if parts is not None and len(parts) == 3 else None
    ref_a, ref_b, _ = reference_fit(x, y, lr * PROBE_SCALE, n_epochs)
    if got is not None and None not in got and _same(got, [ref_a, ref_b]):
        return
    plain_a, plain_b, _ = reference_fit(x, y, lr, n_epochs)
    if got is not None and None not in got and _same(got, [plain_a, plain_b]):
        M.fail(lang, "gradient_unused", scale=PROBE_SCALE)
    M.fail(lang, "wrong_final_params", a=ref_a, b=ref_b,
           got_a=short(got[0]) if got else "?", got_b=short(got[1]) if got else "?")


# ---------------------------------------------------------------------------------------------
# LinearData
# ---------------------------------------------------------------------------------------------

def _write_folder(folder: str, seed: int, n: int) -> list[tuple[float, float]]:
    """n files sample_<i>.txt written in a shuffled order; returns the (x, y) in sorted name order."""
    rng = random.Random(seed)
    values = {f"sample_{i}.txt": (round(rng.uniform(-5, 5), rng.randint(2, 7)),
                                  rng.uniform(-20, 20) * 10.0 ** rng.choice((0, 0, -4)))
              for i in range(n)}
    names = list(values)
    rng.shuffle(names)
    for name in names:
        x, y = values[name]
        sep = rng.choice((" ", "  ", "\t"))
        with open(os.path.join(folder, name), "w") as fh:
            fh.write(f"{x!r}{sep}{y!r}\n")
    return [values[name] for name in sorted(values)]


def _natural(name: str) -> int:
    return int(re.findall(r"\d+", name)[0])


def _items(lang: str, LinearData, folder: str) -> tuple[list, object]:
    """Build the dataset and read every item, checking its type, shape and dtype."""
    if not (issubclass(type(LinearData), type) and issubclass(LinearData, Dataset)):
        M.fail(lang, "not_a_dataset")
    ds = call(lang, "LinearData(dataset_dir)", LinearData, folder)
    n_files = len(os.listdir(folder))
    n = call(lang, "len(dataset)", len, ds)
    if n != n_files:
        M.fail(lang, "wrong_length", n_files=n_files, got=n)
    got = []
    for i in range(n):
        item = call(lang, f"dataset[{i}]", operator.getitem, ds, i)
        pair = plain_items(item, tuple, list)
        if pair is None or len(pair) != 2:
            M.fail(lang, "item_not_a_pair", i=i, got=short(item))
        for name, t in zip(("x", "y"), pair):
            if not is_plain_tensor(t):
                M.fail(lang, "item_not_a_tensor", i=i, name=name, type=type_name(t))
            if len(t.shape) != 0:
                M.fail(lang, "item_not_0d", i=i, name=name, shape=tuple(t.shape))
            if t.dtype != torch.float32:
                M.fail(lang, "item_not_float32", i=i, name=name, dtype=t.dtype)
        got.append((floats(pair[0])[0], floats(pair[1])[0]))
    return got, ds


def _as_f32(pairs) -> list[tuple[float, float]]:
    return [tuple(float(torch.tensor(v, dtype=torch.float32)) for v in p) for p in pairs]


def _match(p, q) -> bool:
    """Two (x, y) pairs agree up to float32 rounding."""
    return all(abs(u - v) <= 1e-12 + 1e-6 * abs(v) for u, v in zip(p, q))


def _pair(p) -> str:
    return f"({p[0]:.6g}, {p[1]:.6g})"


def _same_pairs(got, expected) -> bool:
    return len(got) == len(expected) and all(_match(p, q) for p, q in zip(got, expected))


def _expect_items(lang: str, got, expected) -> None:
    left = list(got)
    for pair in expected:
        hit = next((i for i, p in enumerate(left) if _match(p, pair)), None)
        if hit is None:
            M.fail(lang, "items_not_from_files", pair=_pair(pair))
        left.pop(hit)


def check_LinearData_items(LinearData, lang: str = "pt") -> None:
    for seed, n in ((71, 12), (72, 3)):
        with tempfile.TemporaryDirectory() as folder:
            expected = _as_f32(_write_folder(folder, seed, n))
            got, _ = _items(lang, LinearData, folder)
            _expect_items(lang, got, expected)
    # Two datasets of the same size alive at once, the first read again after the second was
    # built: each instance reads its own folder (data kept on the class, or cached by the
    # number of files, gave the samples of another folder)
    with tempfile.TemporaryDirectory() as one, tempfile.TemporaryDirectory() as two:
        first = _as_f32(_write_folder(one, 74, 5))
        second = _as_f32(_write_folder(two, 75, 5))
        _, ds = _items(lang, LinearData, one)
        got, _ = _items(lang, LinearData, two)
        _expect_items(lang, got, second)
        got = [tuple(floats(t)[0] for t in call(lang, f"dataset[{i}]", operator.getitem, ds, i))
               for i in range(len(first))]
        _expect_items(lang, got, first)


def check_LinearData_order(LinearData, lang: str = "pt") -> None:
    with tempfile.TemporaryDirectory() as folder:
        expected = _as_f32(_write_folder(folder, 73, 12))
        got, _ = _items(lang, LinearData, folder)
        if _same_pairs(got, expected):
            return
        names = sorted(os.listdir(folder))
        by_name = dict(zip(names, expected))
        natural = [by_name[f] for f in sorted(names, key=_natural)]
        if _same_pairs(got, natural):
            M.fail(lang, "numeric_order")
        i = next((i for i, (p, q) in enumerate(zip(got, expected)) if not _match(p, q)), 0)
        M.fail(lang, "not_sorted_by_name", i=i, expected=_pair(expected[i]), file=names[i],
               got=_pair(got[i]))


# ---------------------------------------------------------------------------------------------
# LinearModel
# ---------------------------------------------------------------------------------------------

# torch's error when a Module assigns a Parameter before nn.Module.__init__ ran
NO_SUPER_INIT = "before Module.__init__() call"


def _new_model(lang: str, LinearModel) -> nn.Module:
    try:
        model = call(lang, "LinearModel()", LinearModel)
    except CheckFailed as err:
        if err.mistake == "raised" and NO_SUPER_INIT in str(err):
            M.fail(lang, "missing_super_init")
        raise
    if not issubclass(type(model), nn.Module):
        M.fail(lang, "not_a_module")
    return model


_module_dict = nn.Module.__dict__["__dict__"].__get__


def _registered(model: nn.Module) -> dict[str, nn.Parameter]:
    """What model.named_parameters() lists, read from the modules' own `_parameters` and
    `_modules` dicts (so no method of the answer's class runs); only values that are exactly
    nn.Parameter count."""
    named, seen, visited, queue = {}, set(), set(), [("", model)]
    while queue:
        prefix, module = queue.pop(0)
        if id(module) in visited:
            continue
        visited.add(id(module))
        state = _module_dict(module)
        params, children = state.get("_parameters"), state.get("_modules")
        for key, p in (dict.items(params) if type(params) is dict else ()):
            if type(key) is str and type(p) is nn.Parameter and id(p) not in seen:
                seen.add(id(p))
                named[prefix + key] = p
        for key, child in (dict.items(children) if type(children) is dict else ()):
            if type(key) is str and issubclass(type(child), nn.Module):
                queue.append((f"{prefix}{key}.", child))
    return named


def _expect_parameters(lang: str, model: nn.Module) -> None:
    """The model registers exactly the parameters a and b, of shape (1,), that need gradients."""
    named = _registered(model)
    if not named:
        M.fail(lang, "no_parameters")
    if sorted(named) != ["a", "b"]:
        M.fail(lang, "wrong_parameter_names", names=sorted(named))
    for name, p in named.items():
        if tuple(p.shape) != (1,):
            M.fail(lang, "wrong_parameter_shape", name=name, shape=tuple(p.shape))
        if not p.requires_grad:
            M.fail(lang, "parameter_frozen", name=name)


def check_LinearModel_parameters(LinearModel, lang: str = "pt") -> None:
    _expect_parameters(lang, _new_model(lang, LinearModel))


def _set_a_b(model: nn.Module, a_val: torch.Tensor, b_val: torch.Tensor):
    """model.a and model.b, given the values a_val and b_val (called through `call`)."""
    a, b = model.a, model.b
    with torch.no_grad():
        a.copy_(a_val.to(a.dtype))
        b.copy_(b_val.to(b.dtype))
    return a, b


def check_LinearModel_forward(LinearModel, lang: str = "pt") -> None:
    for device in devices():
        gen = generator(81)
        model = _new_model(lang, LinearModel)
        moved = call(lang, "model.to(device)", lambda: model.to(device))
        a_val, b_val = randn(gen, 1), randn(gen, 1)
        try:
            a, b = call(lang, "LinearModel", _set_a_b, model, a_val, b_val)
        except CheckFailed:
            # Only a model without the registered (1,) parameters a and b gets here: name that.
            _expect_parameters(lang, model)
            raise
        if not (is_plain_tensor(a) and is_plain_tensor(b)):
            _expect_parameters(lang, model)
            M.fail(lang, "not_a_tensor", what="model.a, model.b",
                   type=type_name(b if is_plain_tensor(a) else a))
        if a.device.type != torch.device(device).type or b.device.type != torch.device(device).type:
            # Only tensors that are not registered parameters stay behind on model.to(device).
            _expect_parameters(lang, model)
            M.fail(lang, "wrong_device", what="model.a, model.b", got=a.device, expected=device)
        x = randn(gen, 7, device=device, dtype=a.dtype)
        # computed before the call, and x verified after it: a forward that zeroed x in place
        # and returned b matched an `a * x + b` computed afterwards, its gradients included
        expected = (a * x + b).detach()
        x_sum = x.sum().reshape(1).detach()
        snap = Snapshot(x=x)
        out = call(lang, "model(x)", moved, x)
        snap.verify(lang, "model")
        expect_close(lang, "model(x)", out, expected, hint=M.hint("model_forward"),
                     rtol=1e-5, atol=1e-6, check_dtype=False)
        if not a.requires_grad or out.grad_fn is None:
            M.fail(lang, "forward_graph_broken")
        ga, gb = call(lang, "torch.autograd.grad", torch.autograd.grad, torch.sum(out), (a, b),
                      allow_unused=True)
        if ga is None or gb is None or not close(ga, x_sum, 1e-5, 1e-5) \
                or not close(gb, torch.full((1,), 7.0), 1e-5):
            M.fail(lang, "forward_gradient_wrong")


# ---------------------------------------------------------------------------------------------
# train
# ---------------------------------------------------------------------------------------------

class _Line(nn.Module):
    def __init__(self, a: float, b: float):
        super().__init__()
        self.a = nn.Parameter(torch.tensor([a]))
        self.b = nn.Parameter(torch.tensor([b]))

    def forward(self, x):
        return self.a * x + self.b


def reference_train(model, loader, optimizer, loss_fn, epochs, zero_grad=True):
    """Per epoch, the list of (batch loss, batch size).  Batches are moved to the model's
    device, as the exercise asks."""
    device = next(model.parameters()).device
    history = []
    for _ in range(epochs):
        batches = []
        for xb, yb in loader:
            xb, yb = xb.to(device), yb.to(device)
            if zero_grad:
                optimizer.zero_grad()
            loss = loss_fn(model(xb), yb)
            loss.backward()
            optimizer.step()
            batches.append((loss.item(), len(xb)))
        history.append(batches)
    return history


def _order(seed: int, n: int) -> list[int]:
    """A fixed order of the n samples, not the sequential one (a loader with shuffle=True
    that takes the same order every time it is iterated)."""
    order = list(range(n))
    random.Random(seed).shuffle(order)
    return order if order != sorted(order) else order[::-1]


def _setup(seed: int, device: str, n: int, batch_size: int, opt_kwargs: dict, kind: str,
           shuffled: bool = False):
    """A model on `device`, a loader of CPU data (as a DataLoader usually yields: on CUDA an
    answer that never moves its batches to the model's device fails, as the exercise asks)
    and an SGD optimizer.  kind "line": a line with parameters a and b and 1-D batches; kind
    "linear": an nn.Linear(1, 1) and (n, 1) batches.  `shuffled`: the loader takes the
    samples in a fixed order of `_order` (the same at every iteration, so the reference and
    the answer see the same batches) and drops its last, partial batch: an answer that slices
    `loader.dataset` into batches of its own, not iterating the loader, shows."""
    gen = generator(seed)
    x = randn(gen, n, dtype=torch.float32) * 2
    y = 1.7 * x - 0.6 + 0.3 * randn(gen, n, dtype=torch.float32)
    a0, b0 = float(randn(gen, 1)), float(randn(gen, 1))
    if kind == "linear":
        x, y = x[:, None], y[:, None]
        model = nn.Linear(1, 1)
        with torch.no_grad():
            model.weight.fill_(a0)
            model.bias.fill_(b0)
    else:
        model = _Line(a0, b0)
    if shuffled:
        loader = DataLoader(TensorDataset(x, y), batch_size=batch_size, drop_last=True,
                            sampler=_order(seed, n))
    else:
        loader = DataLoader(TensorDataset(x, y), batch_size=batch_size, shuffle=False)
    model = model.to(device)
    optimizer = torch.optim.SGD(model.parameters(), **opt_kwargs)
    return model, loader, optimizer


def _uses_a_b(msg: str) -> bool:
    """The answer's error is a missing attribute a or b: it read model.a / model.b."""
    return "has no attribute" in msg and ("'a'" in msg or "'b'" in msg)


def _batch_count(hist: list, sums: list) -> float | None:
    """The one number every epoch's sum of batch losses was divided by to give `hist` (the
    batch count off by one, len(dataset) / batch_size, ...), or None."""
    if not hist or hist[0] == 0:
        return None
    count = sums[0] / hist[0]
    if not (count > 0 and math.isfinite(count)):
        return None
    return count if _same(hist, [s / count for s in sums]) else None


def check_train(train, lang: str = "pt") -> None:
    configs = [  # (seed, n, batch size, optimizer, loss, epochs, model kind, shuffled)
        (91, 10, 4, {"lr": 0.05}, nn.MSELoss, 3, "line", False),
        (92, 10, 5, {"lr": 0.02, "momentum": 0.9}, nn.L1Loss, 4, "line", False),
        (93, 9, 4, {"lr": 0.05}, nn.MSELoss, 2, "linear", False),
        # the loader's own order and drop_last (see _setup): the batches are the loader's
        (94, 11, 3, {"lr": 0.03}, nn.MSELoss, 2, "line", True),
    ]
    for device in devices():
        for seed, n, bs, opt_kwargs, loss_cls, epochs, kind, shuffled in configs:
            model, loader, optimizer = _setup(seed, device, n, bs, opt_kwargs, kind, shuffled)
            ref_model = copy.deepcopy(model)
            ref_opt = torch.optim.SGD(ref_model.parameters(), **opt_kwargs)
            ref = reference_train(ref_model, loader, ref_opt, loss_cls(), epochs)
            expected = [sum(l for l, _ in ep) / len(ep) for ep in ref]
            params = dict(model.named_parameters())  # the model's own, read after the call
            try:
                with notebook_device_moved(  # batches go to the model's device
                        train, lambda: M.fail(lang, "train_uses_notebook_device")):
                    answer = call(lang, "train", train, model, loader, optimizer, loss_cls(),
                                  epochs)
            except CheckFailed as err:
                if kind == "linear" and _uses_a_b(str(err)):
                    M.fail(lang, "train_uses_model_a_b")
                _device_hint(lang, err, "train", "train_mixed_devices")
            items = plain_items(answer, list)
            if items is None:
                M.fail(lang, "history_not_a_list", type=type_name(answer))
            if len(items) != epochs:
                M.fail(lang, "wrong_history_length", epochs=epochs, got=len(items))
            hist = _floats(items)
            bad = next((v for v, f in zip(items, hist) if f is None), None)
            if bad is not None:
                M.fail(lang, "history_not_float", type=type_name(bad))
            if not _same(hist, expected):
                known = [
                    ([sum(l for l, _ in ep) for ep in ref], "sum_of_batch_losses"),
                    ([sum(l * s for l, s in ep) / sum(s for _, s in ep) for ep in ref],
                     "weighted_by_batch_size"),
                    ([sum(l for l, _ in ep) / sum(s for _, s in ep) for ep in ref],
                     "batch_means_over_samples"),
                    ([ep[-1][0] for ep in ref], "last_batch_only"),
                ]
                for alt, mistake in known:
                    if _same(hist, alt):
                        M.fail(lang, mistake)
                count = _batch_count(hist, [sum(l for l, _ in ep) for ep in ref])
                if count is not None and abs(count - len(ref[0])) > 1e-6:
                    M.fail(lang, "wrong_batch_count", count=count, n_batches=len(ref[0]))

                def means(zero_grad=True, loss=loss_cls, kwargs=opt_kwargs, shuffled=shuffled):
                    m2, l2, _ = _setup(seed, device, n, bs, opt_kwargs, kind, shuffled)
                    o2 = torch.optim.SGD(m2.parameters(), **kwargs)
                    runs = reference_train(m2, l2, o2, loss(), epochs, zero_grad=zero_grad)
                    return [sum(l for l, _ in ep) / len(ep) for ep in runs]

                if _same(hist, means(zero_grad=False)):
                    M.fail(lang, "no_zero_grad")
                if loss_cls is not nn.MSELoss and _same(hist, means(loss=nn.MSELoss)):
                    M.fail(lang, "ignores_loss_fn", loss=loss_cls.__name__)
                if _same(hist, means(kwargs={"lr": 1e-2})):
                    M.fail(lang, "ignores_optimizer")
                if shuffled and _same(hist, means(shuffled=False)):
                    M.fail(lang, "ignores_loader")
                M.fail(lang, "wrong_epoch_losses", got=", ".join(short(v) for v in hist),
                       expected=", ".join(f"{v:.6g}" for v in expected))
            for name, ref_p in ref_model.named_parameters():
                got_p = params[name]
                if not close(got_p, ref_p.detach(), 1e-5, 1e-6):
                    M.fail(lang, "wrong_trained_params", name=name, **contrast(ref_p, got_p))


# ---------------------------------------------------------------------------------------------
# Multiple choice
# ---------------------------------------------------------------------------------------------

def check_batches(answer, lang: str = "pt") -> None:
    check_choice(lang, "answer_batches", answer, "b", "abcd",
                 why={"a": "choice_a_last_batch_dropped", "c": "choice_c_equal_batches",
                      "d": "choice_d_batch_size_is_count"}, table=M)


def check_device(answer, lang: str = "pt") -> None:
    check_choice(lang, "answer_device", answer, "b", "abcd",
                 why={"a": "choice_a_to_not_in_place", "c": "choice_c_target_left_on_cpu",
                      "d": "choice_d_model_moved_again"}, table=M)
