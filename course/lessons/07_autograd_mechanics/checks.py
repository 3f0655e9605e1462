"""Hidden tests of lesson 07 (autograd mechanics: define-by-run, saved tensors and the version
counter, retain_graph, hooks, detach/no_grad, gradient accumulation).

Every reference is computed here with torch.autograd, in float64, on every device of
`devices()`; nothing is taken from the student's namespace.
"""
from __future__ import annotations

import math
from types import MappingProxyType

import torch

from course.checks.core import (equal, call_counting_backward, expect_backward,
                               Snapshot, as_plain, call, check_choice, close, devices,
                                expect_close, expect_tensor, fail, generator, plain_float,
                                plain_items, randn, holds_meta, notebook_device_moved,
                                type_name)

from course.checks.mistakes import CheckFailed

from .mistakes import MISTAKES as M

# Autograd in float64 against autograd in float64: the same operations give the same bits, so
# the tolerance is tight enough to tell a finite-difference answer (error >= ~1e-11) apart.
STRICT = MappingProxyType(dict(rtol=1e-11, atol=1e-13))
# accumulated_grad: a float32 weight's rounding (2^-24 relative), and no more
FLOAT32_WEIGHT = MappingProxyType(dict(rtol=1e-6, atol=1e-12))

# Substrings of torch's own RuntimeError messages (not shown to students).
INPLACE_ERROR = "modified by an inplace operation"
FREED_ERROR = "backward through the graph a second time"


class _TorchError:
    """What `_catching` returns instead of raising: the RuntimeError matched one marker."""

    def __init__(self, marker: str):
        self.marker = marker


def _catching(fn, *args, markers=()):
    """fn(*args), but a RuntimeError whose message holds one of `markers` comes back as a
    `_TorchError` (any other exception propagates, for `call` to report)."""
    try:
        return fn(*args)
    except RuntimeError as exc:
        text = str(exc)
        for marker in markers:
            if marker in text:
                return _TorchError(marker)
        raise


def _flat(tensors) -> torch.Tensor:
    return torch.cat([t.detach().reshape(-1) for t in tensors])


# =========================================================================== pointwise_grad
# Functions of a 0-d tensor written with Python control flow, and points that hit each branch
# (at least 0.1 away from every boundary).

def cf_branches(t):
    if t > 1:
        return t ** 3 / 3 - t
    elif t > -1:
        return torch.sin(2 * t) + t
    return torch.exp(t) * t


def cf_halving(t):
    y = t * t
    while y > 1:
        y = y / 2
    return y + torch.cos(t)


def cf_loop(t):
    y = t
    for k in range(1, 4):
        if y > 0:
            y = torch.tanh(y) * k + t
        else:
            y = y * y - t / k
    return y


def _uniform(gen, n, lo, hi):
    return lo + (hi - lo) * torch.rand(n, generator=gen, dtype=torch.float64)


def _signs(gen, n):
    return torch.randint(0, 2, (n,), generator=gen, dtype=torch.float64) * 2 - 1


def _points(label: str, seed: int, device: str) -> torch.Tensor:
    gen = generator(seed)
    if label == "branches":
        parts = [_uniform(gen, 2, 1.1, 2.5), _uniform(gen, 3, -0.9, 0.9),
                 _uniform(gen, 2, -2.5, -1.1)]
    elif label == "halving":
        squares = [_uniform(gen, 2, 0.1, 0.9), _uniform(gen, 2, 1.1, 1.9),
                   _uniform(gen, 1, 2.2, 3.8), _uniform(gen, 1, 4.4, 7.6)]
        parts = [s.sqrt() * _signs(gen, len(s)) for s in squares]
    else:
        parts = [_uniform(gen, 6, -2.0, 2.0)]
    x = torch.cat(parts)
    return x[torch.randperm(len(x), generator=gen)].to(device)


CONTROL_FLOW = (("branches", cf_branches), ("halving", cf_halving), ("loop", cf_loop))


# torch's error when a function vmapped by torch.func decides with Python's `if` on a tensor
VMAP_CONTROL_FLOW = "data-dependent control flow"


def _recorded(f):
    """(f as the student receives it, whether it was ever called on more than one number:
    Python's `if` cannot decide for a whole vector).  The note is the check's, in a closure:
    an attribute of what the answer holds could be reset (`f.vector = False`)."""
    vector: list[bool] = []

    def recorded(t):
        if torch.is_tensor(t) and t.numel() != 1:
            vector.append(True)
        return f(t)

    return recorded, vector


def reference_pointwise_grad(f, x: torch.Tensor) -> torch.Tensor:
    out = torch.empty_like(x)
    for i in range(len(x)):
        t = x[i].detach().clone().requires_grad_(True)
        (g,) = torch.autograd.grad(f(t), t)
        out[i] = g
    return out


def _values(f, x: torch.Tensor) -> torch.Tensor:
    with torch.no_grad():
        return torch.stack([f(t) for t in x.detach()])


def _on_notebook_device(lang: str, pointwise_grad, f, x):
    """pointwise_grad(f, x) with the notebook's `device` moved away from x's
    (`notebook_device_moved`): an answer that builds its result there fails on every machine."""
    def used():
        M.fail(lang, "pointwise_uses_notebook_device")

    with notebook_device_moved(pointwise_grad, used):
        got = call(lang, "pointwise_grad", pointwise_grad, f, x)
    if holds_meta(got):
        used()
    return got


def check_pointwise_grad(pointwise_grad, lang: str = "pt") -> None:
    for device in devices():
        for k, (label, f) in enumerate(CONTROL_FLOW):
            for requires_grad in (False, True):
                x = _points(label, 7100 + 10 * k, device).requires_grad_(requires_grad)
                ref = reference_pointwise_grad(f, x)
                snap = Snapshot(x=x)
                rec, vector = _recorded(f)
                try:
                    got = _on_notebook_device(lang, pointwise_grad, rec, x)
                except CheckFailed as err:
                    if vector:
                        M.fail(lang, "f_called_on_vector")
                    if err.mistake == "raised" and VMAP_CONTROL_FLOW in str(err):
                        M.fail(lang, "vmap_over_control_flow")
                    raise
                snap.verify(lang, "pointwise_grad")
                if vector:
                    M.fail(lang, "f_called_on_vector")
                what = f"pointwise_grad(f_{label}, x)"
                expect_tensor(lang, what, got, x)
                if close(got, ref, **STRICT):
                    continue
                if close(got, _values(f, x), **STRICT):
                    M.fail(lang, "returned_f_values", what=what)
                if close(got, ref.cumsum(0), **STRICT):
                    M.fail(lang, "grad_accumulated_across_points", what=what)
                if close(got, ref, rtol=1e-5, atol=1e-7):
                    M.fail(lang, "finite_differences_used", what=what)
                expect_close(lang, what, got, ref, hint=M.hint("pointwise_grad"), **STRICT)
        # float32 points: the result keeps x's dtype (values are graded in float64 above)
        label, f = CONTROL_FLOW[0]
        x = _points(label, 7190, device).to(torch.float32)
        got = _on_notebook_device(lang, pointwise_grad, f, x)
        expect_tensor(lang, f"pointwise_grad(f_{label}, x float32)", got, x)


def check_branch_at_boundary(answer, lang: str = "pt") -> None:
    check_choice(lang, "answer_branch_at_boundary", answer, "c", "abcd",
                 why={"a": "choice_other_branch", "b": "choice_average_of_sides",
                      "d": "choice_nan_at_boundary"}, table=M)


# =========================================================================== fixed

def reference_fixed(x: torch.Tensor) -> torch.Tensor:
    """The value `broken(x)` means, written without any in-place operation."""
    p = torch.sigmoid(2 * x + 1) * x
    return (p ** 2 + p + 1).sum()


def _with_data_trick(x: torch.Tensor) -> torch.Tensor:
    """`broken(x)` with its in-place operations done on `.data`: no error, a wrong gradient."""
    h = x * 2
    h += 1
    s = torch.sigmoid(h)
    s.data *= x.data
    q = s ** 2
    s.data += 1
    return (q + s).sum()


def _grad_of(fn, x: torch.Tensor) -> torch.Tensor:
    leaf = x.detach().clone().requires_grad_(True)
    (g,) = torch.autograd.grad(fn(leaf), leaf)
    return g


def check_fixed(fixed, lang: str = "pt") -> None:
    for device in devices():
        for seed in (7201, 7202, 7203):
            gen = generator(seed)
            n = int(torch.randint(3, 8, (1,), generator=gen))
            x0 = 1.5 * randn(gen, n, device=device)
            ref = reference_fixed(x0)

            x = x0.clone()
            snap = Snapshot(x=x)
            out = call(lang, "fixed", fixed, x)
            snap.verify(lang, "fixed")
            expect_tensor(lang, "fixed(x)", out, ref)
            expect_close(lang, "fixed(x)", out, ref, hint=M.hint("fixed_value"), **STRICT)

            x = x0.clone().requires_grad_(True)
            snap = Snapshot(x=x)
            out = call(lang, "fixed", fixed, x)
            snap.verify(lang, "fixed")
            expect_tensor(lang, "fixed(x)", out, ref)
            expect_close(lang, "fixed(x)", out, ref, hint=M.hint("fixed_value"), **STRICT)
            if not out.requires_grad or out.grad_fn is None:
                M.fail(lang, "fixed_without_graph")
            grads = call(lang, "torch.autograd.grad(fixed(x), x)", _catching,
                         torch.autograd.grad, out, x, markers=(INPLACE_ERROR,))
            if type(grads) is _TorchError:
                M.fail(lang, "still_inplace")
            what = "d fixed(x) / dx"
            ref_grad = _grad_of(reference_fixed, x0)
            expect_tensor(lang, what, grads[0], x)
            if close(grads[0], ref_grad, **STRICT):
                continue
            if close(grads[0], _grad_of(_with_data_trick, x0), **STRICT):
                M.fail(lang, "data_hides_inplace")
            expect_close(lang, what, grads[0], ref_grad, hint=M.hint("fixed_grad"), **STRICT)


# =========================================================================== per_loss_grads

def _multi_task(seed: int, device: str, k: int):
    """f(w) -> k scalar losses sharing one trunk, tanh(A @ w), whose saved output the first
    backward frees; and a counter of f's calls."""
    gen = generator(seed)
    d = 5
    A = randn(gen, 4, d, device=device)
    B = randn(gen, 3, 4, device=device)
    calls = [0]

    def f(w):
        calls[0] += 1
        h = torch.tanh(A @ w)
        losses = ((h * B[0]).sum() ** 2, torch.logsumexp(h * B[1] * 2, 0),
                  ((h - B[2]) ** 2).mean())
        return losses[:k]

    w = randn(gen, d, device=device)
    return f, calls, w


def reference_per_loss_grads(f, w: torch.Tensor) -> list[torch.Tensor]:
    k = len(f(w.detach()))
    grads = []
    for i in range(k):
        leaf = w.detach().clone().requires_grad_(True)
        (g,) = torch.autograd.grad(f(leaf)[i], leaf)
        grads.append(g)
    return grads


def check_per_loss_grads(per_loss_grads, lang: str = "pt") -> None:
    for device in devices():
        for seed, k, with_grad in ((7301, 3, False), (7302, 2, True), (7303, 3, True)):
            f, calls, w = _multi_task(seed, device, k)
            ref = reference_per_loss_grads(f, w)
            total = sum(ref)
            if with_grad:
                w.requires_grad_(True)
                w.grad = torch.ones_like(w)
            calls[0] = 0
            snap = Snapshot(w=w)
            out = call(lang, "per_loss_grads", _catching, per_loss_grads, f, w,
                       markers=(FREED_ERROR,))
            if type(out) is _TorchError:
                M.fail(lang, "graph_freed_no_retain")
            snap.verify(lang, "per_loss_grads")
            if calls[0] > 1:
                M.fail(lang, "forward_repeated", calls=calls[0])
            items = plain_items(out, list, tuple)
            if items is not None and len(items) == 1 and close(items[0], total, **STRICT):
                M.fail(lang, "sum_of_all_losses_gradient")
            if items is None or len(items) != k:
                got = type_name(out) if items is None else f"{type_name(out)} ({len(items)})"
                M.fail(lang, "grads_not_a_list", k=k, got=got)
            for i, got in enumerate(items):
                expect_tensor(lang, f"per_loss_grads(f, w)[{i}]", got, ref[i])
            if all(close(g, total, **STRICT) for g in items):
                M.fail(lang, "sum_of_all_losses_gradient")
            if any(items[j] is items[0] for j in range(1, k)) or all(
                    equal(g, torch.zeros_like(r)) and not equal(r, torch.zeros_like(r))
                    for g, r in zip(items, ref)):
                M.fail(lang, "grad_tensor_reused", what="per_loss_grads(f, w)")
            for i, got in enumerate(items):
                what = f"per_loss_grads(f, w)[{i}]"
                if close(got, ref[i], **STRICT):
                    continue
                if close(got, sum(ref[:i + 1]), **STRICT):
                    M.fail(lang, "grad_accumulated_between_losses", what=what, i=i)
                expect_close(lang, what, got, ref[i], **STRICT)


# =========================================================================== clipped_grad_hook

def _clip(limit):
    return lambda g: g.clamp(-limit, limit)


def _variants(limit):
    """The hooks of the recognised mistakes, by mistake id."""
    def in_place(g):
        g.clamp_(-limit, limit)

    def by_norm(g):
        return g * min(1.0, limit / float(g.norm()))

    return {"hook_result_not_returned": lambda g: None,
            "hook_modifies_grad_in_place": in_place,
            "clipped_by_norm": by_norm,
            "clip_upper_only": lambda g: g.clamp(max=limit)}


def _hooked_grad(scenario: str, hook, x, A, w) -> torch.Tensor:
    """d loss / d x with `hook` registered on the scenario's tensor.

    leaf: on x itself; chain: on h = A @ x inside tanh; shared: on h = 2 sin(x) in h + g,
    where g = cos(x) is created first, so h's branch runs first and the gradient tensor it
    receives is the very tensor g's branch receives afterwards."""
    leaf = x.detach().clone().requires_grad_(True)
    if scenario == "leaf":
        leaf.register_hook(hook)
        loss = (w * leaf).sum()
    elif scenario == "chain":
        h = A @ leaf
        h.register_hook(hook)
        loss = (w * torch.tanh(h)).sum()
    else:
        g = torch.cos(leaf)
        h = 2 * torch.sin(leaf)
        h.register_hook(hook)
        loss = (w * (h + g)).sum()
    (grad,) = torch.autograd.grad(loss, leaf)
    return grad


def check_clipped_grad_hook(clipped_grad_hook, lang: str = "pt") -> None:
    for device in devices():
        # every hook is made before any is used: each must keep its own limit (one kept in a
        # global, or on the function, is the last call's for every hook)
        cases = []
        for seed, scenario in ((7401, "leaf"), (7402, "chain"), (7403, "shared")):
            gen = generator(seed)
            limit = float(_uniform(gen, 1, 0.3, 0.8))
            n = 6
            x = randn(gen, n, device=device)
            A = randn(gen, n, n, device=device)
            w = 1.5 * randn(gen, n, device=device)
            hook = call(lang, "clipped_grad_hook", clipped_grad_hook, limit)
            cases.append((scenario, limit, hook, x, A, w))
        limits = [case[1] for case in cases]
        for scenario, limit, hook, x, A, w in cases:
            got = call(lang, "backward", _hooked_grad, scenario, hook, x, A, w)
            ref = _hooked_grad(scenario, _clip(limit), x, A, w)
            what = f"x.grad [{scenario}, limit={limit:.3g}]"
            expect_tensor(lang, what, got, ref)
            if close(got, ref, **STRICT):
                continue
            for mistake, variant in _variants(limit).items():
                if close(got, _hooked_grad(scenario, variant, x, A, w), **STRICT):
                    M.fail(lang, mistake, what=what)
            for other in limits:
                if other != limit and close(got, _hooked_grad(scenario, _clip(other), x, A, w),
                                            **STRICT):
                    M.fail(lang, "hook_limit_shared", what=what, other=f"{other:.3g}")
            expect_close(lang, what, got, ref, hint=M.hint("clip"), **STRICT)


# =========================================================================== stop_gradient_loss

def _td_problem(seed: int, device: str):
    gen = generator(seed)
    n = int(torch.randint(4, 9, (1,), generator=gen))
    d = int(torch.randint(2, 5, (1,), generator=gen))
    w = randn(gen, d, device=device)
    x = randn(gen, n, d, device=device)
    x_next = randn(gen, n, d, device=device)
    r = randn(gen, n, device=device)
    gamma = float(_uniform(gen, 1, 0.5, 0.99))
    return w, x, r, x_next, gamma


def _td_loss(w, x, r, x_next, gamma, stop: str = "target"):
    """The mean squared TD error; `stop` says what is detached: the target (the right
    semi-gradient), nothing, or the prediction."""
    v = x @ w
    target = r + gamma * (x_next @ w)
    if stop == "target":
        target = target.detach()
    elif stop == "prediction":
        v = v.detach()
    return ((v - target) ** 2).mean()


def check_stop_gradient_loss(stop_gradient_loss, lang: str = "pt") -> None:
    for device in devices():
        for seed, with_grad in ((7501, False), (7502, True), (7503, True)):
            w, x, r, x_next, gamma = _td_problem(seed, device)
            refs = {}
            for stop in ("target", "nothing", "prediction"):
                leaf = w.clone().requires_grad_(True)
                loss = _td_loss(leaf, x, r, x_next, gamma, stop)
                (g,) = torch.autograd.grad(loss, leaf)
                refs[stop] = (loss.detach(), g)
            w.requires_grad_(True)
            if with_grad:
                w.grad = torch.ones_like(w)
            snap = Snapshot(w=w, x=x, r=r, x_next=x_next)
            out = call(lang, "stop_gradient_loss", stop_gradient_loss, w, x, r, x_next, gamma)
            snap.verify(lang, "stop_gradient_loss")
            what = "stop_gradient_loss(w, x, r, x_next, gamma)"
            value, ref_grad = refs["target"]
            expect_tensor(lang, what, out, value)
            expect_close(lang, what, out, value, wrong={"sum_instead_of_mean": value * len(x)},
                         hint=M.hint("td_target"), table=M, **STRICT)
            if not out.requires_grad or out.grad_fn is None:
                M.fail(lang, "loss_without_graph")
            (g,) = call(lang, "torch.autograd.grad(loss, w)", torch.autograd.grad, out, w,
                        allow_unused=True)
            if g is None:
                M.fail(lang, "loss_without_graph")
            what = "d loss / dw"
            expect_tensor(lang, what, g, ref_grad)
            expect_close(lang, what, g, ref_grad, table=M, wrong={
                "target_not_detached": refs["nothing"][1],
                "prediction_detached": refs["prediction"][1]}, **STRICT)


# =========================================================================== evaluate

class _Probe(torch.nn.Module):
    """A small float64 regression net (`_watched` notes what each of its forwards saw)."""

    def __init__(self, seed: int, device: str, d_in: int = 3, hidden: int = 4):
        super().__init__()
        self.hidden = torch.nn.Linear(d_in, hidden, dtype=torch.float64)
        self.out = torch.nn.Linear(hidden, 1, dtype=torch.float64)
        gen = generator(seed)
        with torch.no_grad():
            for p in self.parameters():
                p.copy_(randn(gen, *p.shape))
        self.to(device)

    def forward(self, x):
        return self.out(torch.tanh(self.hidden(x))).squeeze(-1)


def _watched(seed: int, device: str) -> tuple[_Probe, list[int], list[bool]]:
    """A `_Probe`, and what it notes at every forward: the batch size and whether autograd was
    recording.  The notes are the check's, reached by the model's forward only through its
    closure: kept on the model, which the answer holds, they could be emptied or rewritten
    (`model.recording.clear()` made an answer that detached after a recorded forward score).
    An answer that goes around the forward leaves no note."""
    sizes: list[int] = []
    recording: list[bool] = []

    class Watched(_Probe):
        def forward(self, x):
            sizes.append(int(x.shape[0]))
            recording.append(torch.is_grad_enabled())
            return super().forward(x)

    return Watched(seed, device), sizes, recording


def _regression_data(seed: int, device: str, n: int, d_in: int = 3):
    gen = generator(seed)
    return randn(gen, n, d_in, device=device), randn(gen, n, device=device)


def _l1(pred, y):
    return (pred - y).abs().mean()


def _grads(model) -> list:
    return [None if p.grad is None else as_plain(p.grad) for p in model.parameters()]


def _same_grads(before: list, after: list) -> bool:
    for b, a in zip(before, after):
        if (b is None) != (a is None):
            return False
        if b is not None and not (a.shape == b.shape and close(a, b, rtol=0, atol=0)):
            return False
    return True


def check_evaluate(evaluate, lang: str = "pt") -> None:
    for device in devices():
        for seed, loss_fn in ((7601, torch.nn.MSELoss()), (7602, _l1)):
            model, _, recording = _watched(seed, device)
            x, y = _regression_data(seed + 50, device, 9)
            gen = generator(seed + 99)
            model.hidden.weight.grad = randn(gen, *model.hidden.weight.shape, device=device)
            model.out.bias.grad = randn(gen, 1, device=device)
            with torch.no_grad():
                ref = loss_fn(model(x), y)
            recording.clear()
            grads_before = _grads(model)
            snap = Snapshot(x=x, y=y, **{name.replace(".", "_"): p.detach()
                                         for name, p in model.named_parameters()})
            left_on = []

            def evaluate_then_look(*args):
                """What the answer left behind, read before `call` puts gradients back on."""
                try:
                    return evaluate(*args)
                finally:
                    left_on.append(torch.is_grad_enabled())

            out = call(lang, "evaluate", evaluate_then_look, model, x, y, loss_fn)
            if left_on and not left_on[-1]:
                M.fail(lang, "grad_left_disabled")
            snap.verify(lang, "evaluate")
            if not _same_grads(grads_before, _grads(model)):
                M.fail(lang, "touched_param_grads")
            what = "evaluate(model, x, y, loss_fn)"
            expect_tensor(lang, what, out, ref)
            expect_close(lang, what, out, ref, **STRICT)
            if out.requires_grad or out.grad_fn is not None:
                M.fail(lang, "eval_graph_built")
            if any(recording):
                M.fail(lang, "detached_after_forward")
            if not recording:  # its forward was replaced or gone around
                fail(lang, "modified_input", name="evaluate", input="model")


# =========================================================================== accumulated_grad

ACCUMULATION_CASES = ((7701, 10, 4, "mse"), (7702, 12, 3, "l1"), (7703, 7, 2, "mse"))


# torch's own, taken before any answer runs (one patched during a call could number the
# nodes of one backward pass as if each were its own)
_graph_task_id = torch._C._current_graph_task_id


def _traced(seed: int, device: str):
    """A `_Probe` that notes each forward (batch size, input rows and output, as plain
    copies), and whose every output passes through an identity node that notes, when a
    backward pass reaches it, which forward it was, that pass (its graph task) and the
    gradient it received.  The notes live in closures, as in `_watched`."""
    forwards: list[tuple] = []
    reached: list[tuple] = []
    index_of: dict[int, int] = {}  # id(node) -> its forward (not an attribute of the node)

    class Reached(torch.autograd.Function):
        @staticmethod
        def forward(ctx, out):
            index_of[id(ctx)] = len(forwards) - 1
            return out.clone()

        @staticmethod
        def backward(ctx, grad):
            reached.append((index_of.get(id(ctx)), _graph_task_id(), as_plain(grad)))
            return grad

    class Traced(_Probe):
        def forward(self, x):
            out = super().forward(x)
            forwards.append((int(x.shape[0]), as_plain(x), as_plain(out)))
            return Reached.apply(out)

    return Traced(seed, device), forwards, reached


def _accumulation_case(seed: int, n: int, kind: str, device: str):
    model, forwards, reached = _traced(seed, device)
    x, y = _regression_data(seed + 50, device, n)
    loss_fn = torch.nn.MSELoss() if kind == "mse" else torch.nn.SmoothL1Loss(beta=0.5)
    gen = generator(seed + 99)
    stale = [randn(gen, *p.shape, device=device) for p in model.parameters()]
    for p, s in zip(model.parameters(), stale):
        p.grad = s.clone()
    return model, x, y, loss_fn, stale, forwards, reached


def _one_pass_each(forwards: list, reached: list) -> bool:
    """Each forward's output was backpropagated exactly once, each in a backward pass of its
    own: one backward of the summed losses, padded with backward passes of anything else to
    reach the count, backpropagates every micro-batch in the same pass."""
    tasks = [task for _, task, _ in reached]
    return (sorted(i for i, _, _ in reached if i is not None) == list(range(len(forwards)))
            and -1 not in tasks and len(set(tasks)) == len(tasks))


def _weighted_as_accumulation(forwards: list, reached: list, x, y, loss_fn,
                              rtol: float = 1e-9) -> bool:
    """The gradient each micro-batch's output received is that of its own weighted loss,
    len(micro-batch) / n · loss_fn(output, its y): a pass that backpropagates a micro-batch
    scaled to nothing, plus the full-batch loss computed around the model's forward, puts
    the right sum in .grad without accumulating anything."""
    xs, ys = as_plain(x), as_plain(y)
    rows = {tuple(row): i for i, row in enumerate(xs.tolist())}
    for index, _, grad in reached:
        size, xb, out = forwards[index]
        if xb is None or out is None or grad is None or xb.dim() != 2:
            return False
        idx = [rows.get(tuple(row)) for row in xb.tolist()]
        if None in idx:
            return False
        leaf = out.clone().requires_grad_(True)
        (want,) = torch.autograd.grad(loss_fn(leaf, ys[idx]) * (size / len(rows)), leaf)
        if not close(grad, want, rtol=rtol, atol=1e-14):
            return False
    return True


def _chunk_grad(seed: int, device: str, x, y, loss_fn, scale: float = 1.0) -> torch.Tensor:
    """The flat gradient of scale · loss_fn(model(x), y) on a fresh copy of the model."""
    model = _Probe(seed, device)
    loss = scale * loss_fn(model(x), y)
    return _flat(torch.autograd.grad(loss, list(model.parameters())))


def _run_accumulated(accumulated_grad, lang: str, device: str, seed: int, n: int, k: int,
                     kind: str):
    model, x, y, loss_fn, stale, forwards, reached = _accumulation_case(seed, n, kind, device)
    snap = Snapshot(x=x, y=y)
    before = [as_plain(p) for p in model.parameters()]
    out, runs = call_counting_backward(lang, "accumulated_grad", accumulated_grad, model,
                                       loss_fn, x, y, k)
    snap.verify(lang, "accumulated_grad")
    if not all(equal(p, b) for p, b in zip(model.parameters(), before)):  # "no optimizer step"
        M.fail(lang, "accumulation_changed_parameters")
    sizes = [size for size, _, _ in forwards]
    if any(s > math.ceil(n / k) for s in sizes):
        M.fail(lang, "not_micro_batched", biggest=max(sizes), limit=math.ceil(n / k), n=n,
               k=k)
    if sum(sizes) != n:
        M.fail(lang, "samples_not_once", got=sum(sizes), n=n)
    # one backward over the sum of the micro-batch losses gives the same .grad, but keeps
    # every micro-batch's graph alive: what accumulation is there to avoid
    expect_backward(lang, "accumulated_grad", runs, len(sizes),
                    M.hint("one_backward_per_micro_batch"), at_least=False, n=len(sizes))
    if not _one_pass_each(forwards, reached):
        M.fail(lang, "backward_not_per_micro_batch", n=len(sizes))
    return model, x, y, loss_fn, stale, (forwards, reached), out


def check_accumulated_grad(accumulated_grad, lang: str = "pt") -> None:
    for device in devices():
        for seed, n, k, kind in ACCUMULATION_CASES:
            model, x, y, loss_fn, stale, (forwards, reached), _ = _run_accumulated(
                accumulated_grad, lang, device, seed, n, k, kind)
            sizes = [size for size, _, _ in forwards]
            for (name, p) in model.named_parameters():
                expect_tensor(lang, f"{name}.grad", p.grad, p)
            got = _flat([as_plain(p.grad) for p in model.parameters()])
            ref = _chunk_grad(seed, device, x, y, loss_fn)
            what = "model.parameters() .grad"
            if close(got, ref, **STRICT):
                if not _weighted_as_accumulation(forwards, reached, x, y, loss_fn):
                    M.fail(lang, "backward_not_per_micro_batch", n=len(sizes))
                continue
            # a weight handed to backward() as a float32 tensor (`torch.tensor(len(xb) / n)`)
            # on these float64 losses: exact accumulation, each weight rounded to float32
            if close(got, ref, **FLOAT32_WEIGHT) and _weighted_as_accumulation(
                    forwards, reached, x, y, loss_fn, rtol=FLOAT32_WEIGHT["rtol"]):
                continue
            bounds = [0]
            for s in sizes:
                bounds.append(bounds[-1] + s)
            chunks = [_chunk_grad(seed, device, x[a:b], y[a:b], loss_fn)
                      for a, b in zip(bounds, bounds[1:])]
            last, m = chunks[-1], len(chunks)
            wrong = {"accumulated_loss_not_scaled": sum(chunks),
                     "scaled_by_n_chunks": sum(chunks) / k,
                     "stale_grads_kept": ref + _flat(stale).to(ref.device)}
            for mistake, value in wrong.items():
                if close(got, value, **STRICT):
                    M.fail(lang, mistake)
            if m > 1 and any(close(got, last * c, **STRICT) for c in (sizes[-1] / n, 1 / k, 1.0)):
                M.fail(lang, "zeroed_inside_loop")
            expect_close(lang, what, got, ref.cpu(), hint=M.hint("chunk_weight"), **STRICT)


def check_accumulated_grad_loss(accumulated_grad, lang: str = "pt") -> None:
    for device in devices():
        for seed, n, k, kind in ACCUMULATION_CASES:
            model, x, y, loss_fn, _, _, out = _run_accumulated(
                accumulated_grad, lang, device, seed, n, k, kind)
            with torch.no_grad():
                ref = float(loss_fn(_Probe(seed, device)(x), y))
            got = plain_float(out)
            if got is None:
                M.fail(lang, "loss_not_a_float", type=type_name(out))
            if not math.isclose(got, ref, rel_tol=1e-10, abs_tol=1e-12):
                M.fail(lang, "wrong_full_batch_loss", expected=f"{ref:.6g}", got=f"{got:.6g}")
