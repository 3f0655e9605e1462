"""Hidden tests of lesson 01 (the computational graph)."""
from __future__ import annotations

from collections import deque

import torch

from course.checks.core import (Snapshot, as_plain, call, call_without_autograd, check_choice,
                                close, devices, expect_close, expect_tensor, generator,
                                plain_dict, plain_items, plain_str_list, randn, type_name)

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


def _close_any_dtype(*args, **kwargs):
    """The contract fixes device and shape, not dtype: a float64 input may give float32."""
    return expect_close(*args, check_dtype=False, rtol=1e-6, table=M, **kwargs)


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
            parts = plain_items(out, tuple)
            if parts is None or len(parts) != 4:
                M.fail(lang, "forward_not_a_4_tuple", type=type_name(out))
            ref, ref_grads = _reference(x, w, y)
            y_pred, e, e2, J = parts
            _close_any_dtype(lang, "y_pred", y_pred, ref["y_pred"], hint=M.hint("y_pred"))
            _close_any_dtype(lang, "e", e, ref["e"], wrong={"e_sign_flipped": -ref["e"]})
            _close_any_dtype(lang, "e2", e2, ref["e2"], hint=M.hint("e2"))
            expect_tensor(lang, "J", J, ref["J"], check_dtype=False)
            _close_any_dtype(lang, "J", J, ref["J"], wrong={"mean_instead_of_sum": ref["J"] / len(x)})
            if J.grad_fn is None:
                M.fail(lang, "graph_broken")
            (grad_w,) = call(lang, "torch.autograd.grad(J, w)", torch.autograd.grad, J, w)
            _close_any_dtype(lang, "dJ/dw = torch.autograd.grad(J, w)", grad_w, ref_grads["w"],
                             hint=M.hint("grad_w_through_graph"))


GRADIENT_HINTS = {"e2": "d_e2", "e": "d_e", "y_pred": "d_y_pred", "w": "d_w"}


def check_manual_backward(manual_backward, lang: str = "pt") -> None:
    for device in devices():
        for seed in SEEDS:
            x, w, y = _data(seed, device)
            _, ref = _reference(x, w, y)
            snap = Snapshot(x=x, w=w, y=y)
            with torch.no_grad():
                out = call_without_autograd(lang, "manual_backward", manual_backward, x, w, y)
            snap.verify(lang, "manual_backward")
            grads = plain_dict(out)
            if grads is None or set(grads) != set(ref):
                keys = sorted(grads) if grads is not None else type_name(out)
                M.fail(lang, "wrong_gradient_keys", keys=keys)
            for key in ("e2", "e", "y_pred", "w"):
                got = grads[key]
                plain = as_plain(got)
                if plain is not None and plain.shape == ref[key].shape and \
                        close(plain, ref[key] / 2, 1e-6):
                    M.fail(lang, "factor_2_forgotten", key=key)
                expect_close(lang, f'manual_backward(...)["{key}"]', got, ref[key],
                             hint=M.hint(GRADIENT_HINTS[key]), rtol=1e-6, check_dtype=False)


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
    yield "leaf", a
    yield "constant", x


def check_grad_fn_names(grad_fn_names, lang: str = "pt") -> None:
    for device in devices():
        for label, t in _graphs(device):
            expected = reference_grad_fn_names(t)
            answer = call(lang, "grad_fn_names", grad_fn_names, t)
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
