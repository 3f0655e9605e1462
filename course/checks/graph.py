"""Hidden tests of lesson 01 (the computational graph)."""
from __future__ import annotations

from collections import deque

import torch

from .core import (Snapshot, call, check_choice, close, devices, expect_close, expect_tensor, fail,
                   generator, randn)

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
    return expect_close(*args, check_dtype=False, rtol=1e-6, **kwargs)


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
    expect_close = _close_any_dtype
    for device in devices():
        for seed in SEEDS:
            x, w, y = _data(seed, device)
            w.requires_grad_(True)
            snap = Snapshot(x=x, w=w, y=y)
            out = call(lang, "forward", forward, x, w, y)
            snap.verify(lang, "forward")
            if not isinstance(out, tuple) or len(out) != 4:
                fail(lang, "`forward` deve devolver a tupla (y_pred, e, e2, J) com 4 elementos; "
                           f"devolveu {type(out).__name__}.",
                     "`forward` debe devolver la tupla (y_pred, e, e2, J) de 4 elementos; "
                           f"devolvió {type(out).__name__}.")
            ref, ref_grads = _reference(x, w, y)
            y_pred, e, e2, J = out
            expect_close(lang, "y_pred", y_pred, ref["y_pred"],
                         "y_pred é x*w (produto elemento a elemento).",
                         "y_pred es x*w (producto elemento a elemento).")
            if isinstance(e, torch.Tensor) and e.shape == ref["e"].shape and \
                    close(e, -ref["e"], 1e-6):
                fail(lang, "e: sinal trocado. Neste curso e = y_pred - y (previsão menos alvo); "
                           "e2 e J não mudam, mas os gradientes de e mudam de sinal.",
                     "e: signo invertido. En este curso e = y_pred - y (predicción menos "
                           "objetivo); e2 y J no cambian, pero el gradiente de e cambia de signo.")
            expect_close(lang, "e", e, ref["e"])
            expect_close(lang, "e2", e2, ref["e2"], "e2 é o quadrado de e, elemento a elemento.",
                         "e2 es el cuadrado de e, elemento a elemento.")
            expect_tensor(lang, "J", J, ref["J"], check_dtype=False)
            if close(J, ref["J"] / len(x), 1e-6):
                fail(lang, "J: você calculou a média; J é a soma dos erros ao quadrado (.sum()).",
                     "J: calculaste la media; J es la suma de los errores al cuadrado (.sum()).")
            expect_close(lang, "J", J, ref["J"])
            if J.grad_fn is None:
                fail(lang, "J não tem grad_fn: o grafo foi quebrado (.item(), torch.tensor(...), "
                           ".detach() ou numpy no meio do caminho). Use apenas operações do torch.",
                     "J no tiene grad_fn: el grafo se rompió (.item(), torch.tensor(...), "
                           ".detach() o numpy en el camino). Usa solo operaciones de torch.")
            (grad_w,) = torch.autograd.grad(J, w)
            expect_close(lang, "dJ/dw (pelo backward de J)", grad_w, ref_grads["w"],
                         "o grafo de J deve passar por w.", "el grafo de J debe pasar por w.")


def check_manual_backward(manual_backward, lang: str = "pt") -> None:
    for device in devices():
        for seed in SEEDS:
            x, w, y = _data(seed, device)
            _, ref = _reference(x, w, y)
            snap = Snapshot(x=x, w=w, y=y)
            with torch.no_grad():
                out = call(lang, "manual_backward", manual_backward, x, w, y)
            snap.verify(lang, "manual_backward")
            if not isinstance(out, dict) or set(out) != set(ref):
                keys = sorted(out) if isinstance(out, dict) else type(out).__name__
                fail(lang, '`manual_backward` deve devolver um dict com as chaves "e2", "e", '
                           f'"y_pred" e "w"; devolveu {keys}.',
                     '`manual_backward` debe devolver un dict con las claves "e2", "e", '
                           f'"y_pred" y "w"; devolvió {keys}.')
            hints = {
                "e2": ("J = soma de e2, então dJ/de2 vale 1 em cada posição.",
                       "J = suma de e2, así que dJ/de2 vale 1 en cada posición."),
                "e": ("dJ/de = dJ/de2 · 2e (não esqueça o fator 2).",
                      "dJ/de = dJ/de2 · 2e (no olvides el factor 2)."),
                "y_pred": ("e = y_pred - y, então dJ/dy_pred = dJ/de.",
                           "e = y_pred - y, así que dJ/dy_pred = dJ/de."),
                "w": ("dJ/dw soma dJ/dy_pred · x sobre todas as amostras, com o formato de w.",
                      "dJ/dw suma dJ/dy_pred · x sobre todas las muestras, con la forma de w."),
            }
            for key in ("e2", "e", "y_pred", "w"):
                got = out[key]
                if isinstance(got, torch.Tensor) and got.shape == ref[key].shape and \
                        close(got, ref[key] / 2, 1e-6):
                    fail(lang, f'"{key}": metade do valor certo; faltou o fator 2 da derivada '
                               "de e².", f'"{key}": la mitad del valor correcto; falta el factor 2 '
                               "de la derivada de e².")
                expect_close(lang, f'manual_backward(...)["{key}"]', got, ref[key], *hints[key],
                             rtol=1e-6, check_dtype=False)


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
            got = call(lang, "grad_fn_names", grad_fn_names, t)
            if not isinstance(got, list):
                fail(lang, f"`grad_fn_names` deve devolver uma lista; devolveu {type(got).__name__}.",
                     f"`grad_fn_names` debe devolver una lista; devolvió {type(got).__name__}.")
            if got == expected:
                continue
            if not expected:
                fail(lang, "um tensor sem grad_fn (folha ou constante) deve dar [].",
                     "un tensor sin grad_fn (hoja o constante) debe dar [].")
            if "NoneType" in got:
                fail(lang, "a lista contém 'NoneType': pule as entradas None de next_functions "
                           "(entradas que não exigem gradiente).",
                     "la lista contiene 'NoneType': salta las entradas None de next_functions "
                           "(entradas que no requieren gradiente).")
            if len(got) > len(expected) and sorted(set(got)) == sorted(set(expected)):
                fail(lang, f"grafo '{label}': há nós repetidos. Um nó alcançado por dois "
                           "caminhos deve aparecer uma vez só (guarde os já visitados).",
                     f"grafo '{label}': hay nodos repetidos. Un nodo alcanzado por dos caminos "
                           "debe aparecer una sola vez (guarda los ya visitados).")
            if sorted(got) == sorted(expected):
                fail(lang, f"grafo '{label}': nós certos, ordem errada. A ordem pedida é em "
                           "largura (BFS, fila), a partir da raiz.",
                     f"grafo '{label}': nodos correctos, orden incorrecto. El orden pedido es "
                           "en anchura (BFS, con una cola), desde la raíz.")
            fail(lang, f"grafo '{label}': esperado {len(expected)} nós, começando por "
                       f"{expected[:1]}; obtido {got[:8]}.",
                 f"grafo '{label}': se esperaban {len(expected)} nodos, empezando por "
                       f"{expected[:1]}; se obtuvo {got[:8]}.")


def check_backward_twice(answer, lang: str = "pt") -> None:
    check_choice(lang, "answer_backward_twice", answer, "b", "abcd")


def check_accumulation(answer, lang: str = "pt") -> None:
    check_choice(lang, "answer_accumulation", answer, "c", "abcd")
