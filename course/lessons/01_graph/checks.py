"""Hidden tests of lesson 01 (the computational graph)."""
from __future__ import annotations

from collections import deque
from types import MappingProxyType

import torch

from course.checks.core import (Snapshot, as_plain, call, call_without_autograd, check_choice,
                                close, devices, expect_close, expect_tensor, generator,
                                holds_meta, notebook_device_moved, plain_dict, plain_items, plain_str_list, randn, type_name)
from course.checks.mistakes import CheckFailed
from course.checks.plain import is_plain_tensor, meta

from .mistakes import MISTAKES as M

SEEDS = (101, 202, 303)


def _data(seed: int, device: str):
    """Random x, y of a random length and a one-element w, in float64."""
    gen = generator(seed)
    n = int(torch.randint(3, 9, (1,), generator=gen))
    x = randn(gen, n, device=device)
    y = randn(gen, n, device=device)
    w = randn(gen, 1, device=device)
    return x, w, y


FLOAT32_TOL = 1e-5


def _tolerance(parts, scales):
    """How close forward's values must be, per compared name: {name: (rtol, atol)}.

    Decision (rt5 F4): the contract fixes device and shape, not dtype, so a forward that
    computes in float32 (`x.float()`, ...) is accepted, and judged with a tolerance that fits
    float32.  Relative 1e-6 alone does not: e = x·w − y cancels, and a small e (or e2, or
    dJ/dw = 2·Σ e·x) carries float32's rounding of the large terms it came from.  So when any
    returned tensor is float32, each value may differ by FLOAT32_TOL times the largest
    magnitude its terms have (`_scales`: the same formulas on |x|, |w|, |y|, with every
    subtraction made an addition), about 80 times float32's epsilon.  A float64 forward keeps
    the statement's relative 1e-6.  Half precision (float16, bfloat16) is refused by name
    (forward_low_precision) instead of failing with values that look the same."""
    dtypes = {meta(p)[1] for p in parts}
    if dtypes <= {torch.float64}:
        return {name: (1e-6, 1e-9) for name in scales}
    return {name: (1e-6, FLOAT32_TOL * float(s.abs().max())) for name, s in scales.items()}


def _scales(x, w, y):
    """The magnitudes of the terms behind each forward value (see `_tolerance`)."""
    ax, aw, ay = x.abs(), w.detach().abs(), y.abs()
    y_pred = ax * aw
    e = y_pred + ay
    e2 = e ** 2
    return {"y_pred": y_pred, "e": e, "e2": e2, "J": e2.sum(), "w": 2 * (e * ax).sum()}


def _low_precision(parts):
    """The first returned tensor in half precision (float16, bfloat16), or None."""
    for name, p in zip(("y_pred", "e", "e2", "J"), parts):
        dtype = meta(p)[1]
        if dtype in (torch.float16, torch.bfloat16):
            return name, dtype
    return None


def _reference(x, w, y):
    """Forward values and every node's dJ/d(node), from torch.autograd."""
    w = w.detach().clone().requires_grad_(True)
    y_pred = x * w
    e = y_pred - y
    e2 = e ** 2
    J = e2.sum()
    for t in (y_pred, e, e2):
        t.retain_grad()
    J.backward()
    values = {k: v.detach() for k, v in dict(y_pred=y_pred, e=e, e2=e2, J=J).items()}
    grads = {"e2": e2.grad, "e": e.grad, "y_pred": y_pred.grad, "w": w.grad}
    return values, grads


def check_forward(forward, lang: str = "pt") -> None:
    for device in devices():
        for seed in SEEDS:
            x, w, y = _data(seed, device)
            w.requires_grad_(True)
            snap = Snapshot(x=x, w=w, y=y)
            out = call(lang, "forward", forward, x, w, y)
            snap.verify(lang, "forward")
            parts = plain_items(out, tuple, list)
            if parts is None or len(parts) != 4:
                M.fail(lang, "forward_not_a_4_tuple", type=type_name(out))
            ref, ref_grads = _reference(x, w, y)
            y_pred, e, e2, J = parts
            for name, part in zip(("y_pred", "e", "e2", "J"), parts):
                expect_tensor(lang, name, part, ref[name], check_dtype=False)
            low = _low_precision(parts)
            if low is not None:
                M.fail(lang, "forward_low_precision", what=low[0], dtype=low[1])
            tol = _tolerance(parts, _scales(x, w, y))

            def close_to(name, got, expected, what=None, **kw):
                rtol, atol = tol[name]
                expect_close(lang, what or name, got, expected, check_dtype=False, rtol=rtol,
                             atol=atol, table=M, **kw)

            close_to("y_pred", y_pred, ref["y_pred"], hint=M.hint("y_pred"))
            close_to("e", e, ref["e"], wrong={"e_sign_flipped": -ref["e"]})
            close_to("e2", e2, ref["e2"], hint=M.hint("e2"))
            close_to("J", J, ref["J"], wrong={"mean_instead_of_sum": ref["J"] / len(x)})
            if J.grad_fn is None:
                M.fail(lang, "graph_broken")
            (grad_w,) = call(lang, "torch.autograd.grad(J, w)", torch.autograd.grad, J, w,
                             allow_unused=True)
            if grad_w is None:  # J has a graph, but not through the w it was given
                M.fail(lang, "graph_broken")
            close_to("w", grad_w, ref_grads["w"], what="dJ/dw = torch.autograd.grad(J, w)",
                     hint=M.hint("grad_w_through_graph"))


GRADIENT_HINTS = MappingProxyType({"e2": "d_e2", "e": "d_e", "y_pred": "d_y_pred", "w": "d_w"})


def _manual_backward_atol(grads, scales):
    """Absolute tolerance per key of manual_backward's dict, as `_tolerance` does for forward
    (rt7): a chain rule done in float32 (`x.float()`, `torch.tensor(..., dtype=torch.float32)`)
    is accepted with float32's rounding of the terms each gradient comes from: dJ/de = 2e
    cancels in e = x·w − y exactly as forward's e does.  Float64 answers keep 1e-9."""
    dtypes = {meta(g)[1] for g in grads.values() if is_plain_tensor(g)}
    if not dtypes & {torch.float32}:
        return {key: 1e-9 for key in GRADIENT_HINTS}
    d_e = 2 * float(scales["e"].abs().max())
    return {key: FLOAT32_TOL * s for key, s in
            {"e2": 1.0, "e": d_e, "y_pred": d_e, "w": float(scales["w"])}.items()}


def check_manual_backward(manual_backward, lang: str = "pt") -> None:
    for device in devices():
        for seed in SEEDS:
            x, w, y = _data(seed, device)
            _, ref = _reference(x, w, y)
            snap = Snapshot(x=x, w=w, y=y)
            used_device = lambda: M.fail(lang, "manual_backward_uses_notebook_device")
            with torch.no_grad(), notebook_device_moved(manual_backward, used_device):
                out = call_without_autograd(lang, "manual_backward", manual_backward, x, w, y)
            if holds_meta(out):
                used_device()
            snap.verify(lang, "manual_backward")
            grads = plain_dict(out)
            if grads is None or set(grads) != set(ref):
                keys = sorted(grads) if grads is not None else type_name(out)
                M.fail(lang, "wrong_gradient_keys", keys=keys)
            atol = _manual_backward_atol(grads, _scales(x, w, y))
            for key in ("e2", "e", "y_pred", "w"):
                got = grads[key]
                plain = as_plain(got)
                if plain is not None and plain.shape == ref[key].shape and \
                        close(plain, ref[key] / 2, 1e-6, atol[key]):
                    M.fail(lang, "factor_2_forgotten", key=key)
                expect_close(lang, f'manual_backward(...)["{key}"]', got, ref[key],
                             wrong={"gradient_sign_flipped": -ref[key]}, table=M,
                             hint=M.hint(GRADIENT_HINTS[key]), rtol=1e-6, atol=atol[key],
                             check_dtype=False)


def reference_grad_fn_names(t: torch.Tensor) -> list[str]:
    if t.grad_fn is None:
        return []
    seen, queue, names = {t.grad_fn}, deque([t.grad_fn]), []
    while queue:
        node = queue.popleft()
        names.append(type(node).__name__)
        for nxt, _ in node.next_functions:
            if nxt is not None and nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return names


def _graphs(device: str):
    """Graphs that separate BFS from DFS, catch repeats of shared nodes and `None` inputs."""
    gen = generator(7)
    x, w, y = _data(11, device)
    w.requires_grad_(True)
    yield "J", (((x * w) - y) ** 2).sum()
    a = randn(gen, 3, device=device).requires_grad_(True)
    b = randn(gen, 3, device=device).requires_grad_(True)
    h = a * 2
    yield "diamond", (h.exp() + h.sin()).sum()
    yield "two leaves", (torch.tanh(a) * b.sigmoid() + b).mean()
    yield "deep", ((a * b).relu().pow(3) - (a + 1).log1p().cos()).sum()
    # distinct nodes of the same class (two MulBackward0, two SinBackward0): "each node once"
    # is each node, not each name (a `seen` of class names passed every graph above but for
    # AccumulateGrad)
    yield "same ops", (torch.sin(a) * torch.sin(b) * 2).sum()
    yield "leaf", a
    yield "constant", x


# Python's error when a None entry of next_functions is visited as if it were a node
NONE_VISITED = "'NoneType' object has no attribute"


def check_grad_fn_names(grad_fn_names, lang: str = "pt") -> None:
    for device in devices():
        for label, t in _graphs(device):
            expected = reference_grad_fn_names(t)
            try:
                answer = call(lang, "grad_fn_names", grad_fn_names, t)
            except CheckFailed as exc:
                if exc.mistake == "raised" and NONE_VISITED in str(exc):
                    M.fail(lang, "none_not_skipped", error=str(exc))
                raise
            got = plain_str_list(answer)
            if got is None:
                M.fail(lang, "not_a_list", type=type_name(answer))
            if got == expected:
                continue
            if not expected:
                M.fail(lang, "leaf_not_empty")
            if "NoneType" in got:
                M.fail(lang, "keeps_none")
            if len(got) > len(expected) and sorted(set(got)) == sorted(set(expected)):
                M.fail(lang, "repeated_nodes", graph=label)
            if sorted(got) == sorted(expected):
                M.fail(lang, "not_breadth_first", graph=label)
            if len(set(got)) == len(got) < len(expected) and set(got) <= set(expected) and \
                    len(set(expected)) < len(expected):  # each name once: nodes skipped
                M.fail(lang, "visited_by_name", graph=label)
            M.fail(lang, "wrong_nodes", graph=label, n=len(expected), first=expected[:1],
                   got=got[:8])


def check_backward_twice(answer, lang: str = "pt") -> None:
    check_choice(lang, "answer_backward_twice", answer, "b", "abcd",
                 why={"a": "choice_grad_reset_restores_graph", "c": "choice_old_grad_in_graph",
                      "d": "choice_silent_none"}, table=M)


def check_accumulation(answer, lang: str = "pt") -> None:
    check_choice(lang, "answer_accumulation", answer, "c", "abcd",
                 why={"a": "choice_last_path_overwrites", "b": "choice_grad_per_path",
                      "d": "choice_leaf_used_once"}, table=M)
