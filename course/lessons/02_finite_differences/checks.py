"""Hidden tests of lesson 02 (finite differences and gradient checking)."""
from __future__ import annotations

import torch

from course.checks.core import (CheckFailed, Snapshot, call, check_choice, close, devices, expect_close,
                   expect_tensor, fail, generator, randn, say, short)

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

def check_J_func(J_func, lang: str = "pt") -> None:
    for device in devices():
        for seed in SEEDS:
            x, w, y = _data(seed, device)
            snap = Snapshot(x=x, w=w, y=y)
            got = call(lang, "J_func", J_func, w, x, y)
            snap.verify(lang, "J_func")
            ref = _J(w, x, y)
            expect_tensor(lang, "J_func(w, x, y)", got, ref, check_dtype=False)
            e = x * w - y
            wrong = [(ref / len(x), "calculou a média; J é a soma (.sum()), não a média.",
                      "calculaste la media; J es la suma (.sum()), no la media."),
                     (ref.sqrt(), "calculou a norma (raiz da soma); J é a soma dos quadrados, "
                                  "sem raiz.",
                      "calculaste la norma (raíz de la suma); J es la suma de los cuadrados, "
                      "sin raíz."),
                     (e.abs().sum(), "somou |e|; J soma os erros ao quadrado.",
                      "sumaste |e|; J suma los errores al cuadrado."),
                     (e.sum(), "esqueceu o quadrado: J = Σ (x·w − y)².",
                      "olvidaste el cuadrado: J = Σ (x·w − y)².")]
            for value, hint_pt, hint_es in wrong:
                if close(got, value, 1e-6) and not close(got, ref, 1e-6):
                    fail(lang, f"J_func: esperado {short(ref)}, obtido {short(got)}. "
                               f"Você {hint_pt}",
                         f"J_func: se esperaba {short(ref)} y se obtuvo {short(got)}. "
                         f"Parece que {hint_es}")
            expect_close(lang, "J_func(w, x, y)", got, ref,
                         "J = Σ (x·w − y)², com os x, y e w recebidos como argumentos.",
                         "J = Σ (x·w − y)², con los x, y y w recibidos como argumentos.",
                         rtol=1e-6, check_dtype=False)


# -------------------------------------------------------------------------------------- dJ_diff

_DJ_CASES = ((202, (1,), None), (303, (), 0.05), (404, (1, 1), 0.5), (505, (1,), 1e-2))


def check_dJ_diff(dJ_diff, lang: str = "pt") -> None:
    for device in devices():
        for seed, shape, dw in _DJ_CASES:
            x, w, y = _data(seed, device, shape)
            step = 1e-3 if dw is None else dw
            args = (w, x, y) if dw is None else (w, x, y, dw)
            snap = Snapshot(x=x, w=w, y=y)
            try:
                with torch.no_grad():
                    got = call(lang, "dJ_diff", dJ_diff, *args)
            except CheckFailed as exc:
                fail(lang, f"{exc} (dJ_diff foi chamada dentro de torch.no_grad(), com w sem "
                           "requires_grad: sem autograd, use só avaliações de J_func.)",
                     f"{exc} (dJ_diff se llamó dentro de torch.no_grad(), con w sin "
                           "requires_grad: sin autograd, usa solo evaluaciones de J_func.)")
            snap.verify(lang, "dJ_diff")
            ref = _autograd(lambda v: _J(v, x, y), w)
            what = f"dJ_diff (w {tuple(w.shape)}, dw={step:g})"
            if isinstance(got, torch.Tensor) and got.shape != w.shape and got.numel() == 1 \
                    and close(got.reshape(w.shape), ref, 1e-6, 1e-9):
                fail(lang, f"{what}: valor certo, mas com formato {tuple(got.shape)}; o contrato "
                           f"pede o formato de w, {tuple(w.shape)} (use .reshape(w.shape)).",
                     f"{what}: valor correcto, pero con forma {tuple(got.shape)}; el contrato "
                           f"pide la forma de w, {tuple(w.shape)} (usa .reshape(w.shape)).")
            expect_tensor(lang, what, got, ref, check_dtype=False)
            half_curv = (x * x).sum()  # J''/2: the first error term of one-sided differences
            wrong = [
                (ref + half_curv * step,
                 "diferença para frente (J(w+dw) − J(w))/dw: o erro dela é J''·dw/2. Use a "
                 "diferença central (J(w+dw) − J(w−dw)) / (2·dw).",
                 "diferencia hacia adelante (J(w+dw) − J(w))/dw: su error es J''·dw/2. Usa la "
                 "diferencia central (J(w+dw) − J(w−dw)) / (2·dw)."),
                (ref - half_curv * step,
                 "diferença para trás (J(w) − J(w−dw))/dw: o erro dela é −J''·dw/2. Use a "
                 "diferença central.",
                 "diferencia hacia atrás (J(w) − J(w−dw))/dw: su error es −J''·dw/2. Usa la "
                 "diferencia central."),
                (2 * ref, "dividiu por dw; a distância entre w−dw e w+dw é 2·dw.",
                 "dividiste por dw; la distancia entre w−dw y w+dw es 2·dw."),
                (-ref, "sinal trocado: o numerador é J(w+dw) − J(w−dw).",
                 "signo invertido: el numerador es J(w+dw) − J(w−dw)."),
            ]
            for value, hint_pt, hint_es in wrong:
                if close(got, value, 1e-6, 1e-9) and not close(got, ref, 1e-6, 1e-9):
                    fail(lang, f"{what}: esperado {short(ref)}, obtido {short(got)}. Provável "
                               f"causa: {hint_pt}",
                         f"{what}: se esperaba {short(ref)} y se obtuvo {short(got)}. Causa "
                               f"probable: {hint_es}")
            expect_close(lang, what, got, ref,
                         "(J_func(w+dw) − J_func(w−dw)) / (2·dw), com o J_func e o dw recebidos.",
                         "(J_func(w+dw) − J_func(w−dw)) / (2·dw), con J_func y el dw recibido.",
                         rtol=1e-6, atol=1e-8, check_dtype=False)
        x, w, y = _data(606, device)
        w.requires_grad_(True)
        w.grad = torch.ones_like(w)
        snap = Snapshot(x=x, w=w, y=y)
        got = call(lang, "dJ_diff", dJ_diff, w, x, y)
        snap.verify(lang, "dJ_diff")
        expect_close(lang, say(lang, "dJ_diff (w com requires_grad=True)",
                                   "dJ_diff (w con requires_grad=True)"), got,
                     _autograd(lambda v: _J(v, x, y), w), rtol=1e-6, atol=1e-8,
                     check_dtype=False)


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


def _call_grad(lang, numerical_grad, f, w, eps, label, hint_pt="", hint_es=""):
    args = (f, w) if eps is None else (f, w, eps)
    try:
        return call(lang, "numerical_grad", numerical_grad, *args)
    except CheckFailed as exc:
        fail(lang, f"[w {label}, formato {tuple(w.shape)}] {exc} {hint_pt}".rstrip(),
             f"[w {label}, forma {tuple(w.shape)}] {exc} {hint_es}".rstrip())


_SHAPE_HINT = ("Percorra todos os w.numel() elementos (por exemplo com um índice num "
               "w.reshape(-1) de uma cópia), qualquer que seja o número de dimensões.",
               "Recorre los w.numel() elementos (por ejemplo con un índice sobre un "
               "w.reshape(-1) de una copia), sea cual sea el número de dimensiones.")


def check_numerical_grad_values(numerical_grad, lang: str = "pt") -> None:
    for device in devices():
        for label, f, w in _functions(device):
            shape_hint = _SHAPE_HINT if label != "1-D" else ("", "")
            auto = _autograd(f, w)
            for eps in (0.1, 1e-2, None):
                step = 1e-6 if eps is None else eps
                if eps is not None:
                    central, forward, backward = _differences(f, w, eps)
                snap = Snapshot(w=w)
                got = _call_grad(lang, numerical_grad, f, w, eps, label, *shape_hint)
                snap.verify(lang, "numerical_grad")
                what = f"numerical_grad (w {label} {tuple(w.shape)}, eps={step:g})"
                expect_tensor(lang, what, got, w)
                if eps is None:
                    expect_close(lang, what, got, auto, *shape_hint, rtol=1e-6,
                                 atol=1e-7 * max(1.0, auto.abs().max().item()))
                    continue
                if close(got, central, 1e-6, 1e-8):
                    continue
                wrong = [
                    (forward, "diferença para frente (f(w+eps) − f(w))/eps; use a central "
                              "(f(w+eps) − f(w−eps)) / (2·eps).",
                     "diferencia hacia adelante (f(w+eps) − f(w))/eps; usa la central "
                     "(f(w+eps) − f(w−eps)) / (2·eps)."),
                    (backward, "diferença para trás (f(w) − f(w−eps))/eps; use a central.",
                     "diferencia hacia atrás (f(w) − f(w−eps))/eps; usa la central."),
                    (2 * central, "dividiu por eps; o passo total da diferença central é 2·eps.",
                     "dividiste por eps; el paso total de la diferencia central es 2·eps."),
                    (-central, "sinal trocado: o numerador é f(w+eps) − f(w−eps).",
                     "signo invertido: el numerador es f(w+eps) − f(w−eps)."),
                ]
                for value, hint_pt, hint_es in wrong:
                    if close(got, value, 1e-6, 1e-8):
                        fail(lang, f"{what}: esperado {short(central)}, obtido {short(got)}. "
                                   f"Provável causa: {hint_pt}",
                             f"{what}: se esperaba {short(central)} y se obtuvo {short(got)}. "
                                   f"Causa probable: {hint_es}")
                if close(got, auto, 1e-5, 1e-7):
                    fail(lang, f"{what}: o resultado é o gradiente com um eps minúsculo (ou do "
                               f"autograd), não a diferença central com o eps={eps:g} pedido. "
                               "Use o argumento eps, sem fixar o passo.",
                         f"{what}: el resultado es el gradiente con un eps diminuto (o de "
                               f"autograd), no la diferencia central con el eps={eps:g} pedido. "
                               "Usa el argumento eps, sin fijar el paso.")
                expect_close(lang, what, got, central, *shape_hint, rtol=1e-6, atol=1e-8)


_INPLACE_HINT = ("Não perturbe o w recebido: trabalhe numa cópia (w.detach().clone()).",
                 "No perturbes el w recibido: trabaja sobre una copia (w.detach().clone()).")
_AUTOGRAD_HINT = ("numerical_grad não pode usar autograd (backward, torch.autograd.grad): "
                  "f pode nem ter grafo. Use só avaliações de f.",
                  "numerical_grad no puede usar autograd (backward, torch.autograd.grad): "
                  "f puede no tener grafo. Usa solo evaluaciones de f.")


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
        if got is w:
            fail(lang, "numerical_grad devolveu o próprio w; devolva um tensor novo.",
                 "numerical_grad devolvió el mismo w; devuelve un tensor nuevo.")
        expect_close(lang, "numerical_grad (torch.no_grad)", got, _autograd(f, w), rtol=1e-6,
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
        got = _call_grad(lang, numerical_grad, f, w, 1e-6, "requires_grad=True", *_INPLACE_HINT)
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
                             say(lang, "f sem grafo", "f sin grafo"), *_AUTOGRAD_HINT)
        snap.verify(lang, "numerical_grad")
        expect_close(lang, say(lang, "numerical_grad (f sem grafo)",
                                   "numerical_grad (f sin grafo)"), got, w ** 2 - torch.sin(w),
                     rtol=1e-6, atol=1e-6, check_dtype=False)


# ---------------------------------------------------------------------------- multiple choice

def check_dw_limits(answer, lang: str = "pt") -> None:
    check_choice(lang, "answer_dw_limits", answer, "c", "abcd")


def check_backward_cost(answer, lang: str = "pt") -> None:
    check_choice(lang, "answer_backward_cost", answer, "d", "abcd")


def check_float32_step(answer, lang: str = "pt") -> None:
    check_choice(lang, "answer_float32_step", answer, "b", "abcd")
