"""Hidden tests of lesson 03 (gradient descent and optimizers)."""
from __future__ import annotations

import copy
import math

import torch

from .core import (CheckFailed, Snapshot, call, check_choice, close, devices, expect_tensor,
                   fail, generator, randn, short)

SEEDS = (31, 32, 33)


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


MISTAKES = {
    "noreset": ("o gradiente não foi zerado a cada passo: backward() soma o gradiente novo ao "
                "antigo (na aula isso leva a w ≈ 2.017915 em vez de 1.998598). Zere w.grad "
                "(w.grad = None ou w.grad.zero_()) depois de cada atualização.",
                "el gradiente no se puso en cero en cada paso: backward() suma el gradiente nuevo "
                "al anterior (en la clase eso da w ≈ 2.017915 en lugar de 1.998598). Pon w.grad "
                "en cero (w.grad = None o w.grad.zero_()) después de cada actualización."),
    "flipped": ("sinal trocado: o passo deve ir CONTRA o gradiente, w ← w − lr·dJ/dw; com o "
                "sinal + a descida vira subida e w diverge.",
                "signo invertido: el paso debe ir EN CONTRA del gradiente, w ← w − lr·dJ/dw; con "
                "el signo + el descenso se vuelve ascenso y w diverge."),
    "mean": ("você usou a média (.mean()) no lugar da soma: J é a SOMA dos erros ao quadrado "
             "(na aula a média leva a w ≈ 1.765761).",
             "usaste la media (.mean()) en lugar de la suma: J es la SUMA de los errores al "
             "cuadrado (en la clase la media da w ≈ 1.765761)."),
    "after": ("history guardou J DEPOIS de cada atualização; o pedido é o valor de J ANTES de "
              "cada passo (history[0] é J(w0)).",
              "history guardó J DESPUÉS de cada actualización; se pide el valor de J ANTES de "
              "cada paso (history[0] es J(w0))."),
}


def _values(got_w, got_hist):
    return got_w.detach().to("cpu", torch.float64).reshape(-1), \
        torch.tensor([float(h) for h in got_hist], dtype=torch.float64)


def _structure(name: str, out, w0, n_iter: int, lang: str):
    """(w, history) with w a tensor like w0 (shape, device) and history n_iter Python floats."""
    if not isinstance(out, tuple) or len(out) != 2:
        fail(lang, f"`{name}` deve devolver a tupla (w, history); devolveu "
                   f"{type(out).__name__}.",
             f"`{name}` debe devolver la tupla (w, history); devolvió {type(out).__name__}.")
    w, history = out
    expect_tensor(lang, f"{name}: w", w, w0, check_dtype=False)
    if not isinstance(history, list):
        fail(lang, f"{name}: history deve ser uma lista (list) de floats; veio "
                   f"{type(history).__name__}.",
             f"{name}: history debe ser una lista (list) de floats; llegó "
                   f"{type(history).__name__}.")
    if len(history) != n_iter:
        fail(lang, f"{name}: history deve ter n_iter = {n_iter} valores (um por passo); veio com "
                   f"{len(history)}.",
             f"{name}: history debe tener n_iter = {n_iter} valores (uno por paso); llegó con "
                   f"{len(history)}.")
    bad = next((h for h in history if not isinstance(h, float)), None)
    if bad is not None:
        fail(lang, f"{name}: os elementos de history devem ser floats do Python; veio "
                   f"{type(bad).__name__}. Use J.item().",
             f"{name}: los elementos de history deben ser floats de Python; llegó "
                   f"{type(bad).__name__}. Usa J.item().")
    return _values(w, history)


def _check_gd(name: str, out, x, y, w0, lr, n_iter, lang: str,
              mistakes=("flipped", "mean", "after")) -> None:
    """Values of (w, history) against the float64 reference, naming the classic mistakes."""
    got_w, got_h = _structure(name, out, w0, n_iter, lang)
    w = out[0]
    ref_w, ref_h = _reference_gd(x, y, w0, lr, n_iter)
    tol = dict(rtol=1e-5, atol=1e-7)
    if close(got_w, ref_w, **tol) and close(got_h, torch.tensor(ref_h), **tol):
        return
    for variant in mistakes:
        alt_w, alt_h = _reference_gd(x, y, w0, lr, n_iter, variant)
        if close(got_w, alt_w, **tol) and (variant != "after" or
                                           close(got_h, torch.tensor(alt_h), **tol)):
            pt, es = MISTAKES[variant]
            fail(lang, f"{name}: {pt}", f"{name}: {es}")
    hint_pt = hint_es = ""
    if w.dtype != w0.dtype:
        hint_pt = f" Seu w saiu em {w.dtype}, mas w0 era {w0.dtype}: não mude o dtype."
        hint_es = f" Tu w salió en {w.dtype}, pero w0 era {w0.dtype}: no cambies el dtype."
    for i in range(n_iter):
        if not close(got_h[i:i + 1], torch.tensor(ref_h[i:i + 1]), **tol):
            fail(lang, f"{name}: history[{i}] errado: esperado {ref_h[i]:.6g}, obtido "
                       f"{float(got_h[i]):.6g} (lr={lr:.4g}, n_iter={n_iter}). Use o lr e o "
                       "n_iter recebidos, comece de uma cópia de w0 e guarde J antes de cada "
                       "passo." + hint_pt,
                 f"{name}: history[{i}] incorrecto: se esperaba {ref_h[i]:.6g} y se obtuvo "
                       f"{float(got_h[i]):.6g} (lr={lr:.4g}, n_iter={n_iter}). Usa el lr y el "
                       "n_iter recibidos, empieza de una copia de w0 y guarda J antes de cada "
                       "paso." + hint_es)
    fail(lang, f"{name}: w final errado: esperado {short(ref_w)}, obtido {short(got_w)} "
               f"(lr={lr:.4g}, n_iter={n_iter}).{hint_pt}",
         f"{name}: w final incorrecto: se esperaba {short(ref_w)} y se obtuvo {short(got_w)} "
               f"(lr={lr:.4g}, n_iter={n_iter}).{hint_es}")


def _grad_none_hint(lang: str, exc: CheckFailed) -> None:
    """Re-raise a failure; when w.grad came back None, say why (w is no longer a leaf)."""
    msg = str(exc)
    if "NoneType" in msg:
        fail(lang, msg + "\nProvável causa: w.grad é None porque w deixou de ser uma folha "
                   "(w = w - lr*w.grad cria um tensor novo, fora do seu controle) ou porque a "
                   "cópia de w0 continua presa ao grafo de w0. Comece de "
                   "w0.detach().clone().requires_grad_(True) e atualize in-place dentro de "
                   "torch.no_grad(): w -= lr * w.grad.",
             msg + "\nCausa probable: w.grad es None porque w dejó de ser una hoja "
                   "(w = w - lr*w.grad crea un tensor nuevo) o porque la copia de w0 sigue "
                   "atada al grafo de w0. Empieza de w0.detach().clone().requires_grad_(True) y "
                   "actualiza in-place dentro de torch.no_grad(): w -= lr * w.grad.")
    raise exc


def check_gd_finite_diff(gd_finite_diff, lang: str = "pt") -> None:
    for device in devices():
        for seed in SEEDS:
            x, y, w0, lr, n_iter = _data(seed, device)
            snap = Snapshot(x=x, y=y, w0=w0)
            with torch.no_grad():
                out = call(lang, "gd_finite_diff", gd_finite_diff, x, y, w0, lr=lr,
                           n_iter=n_iter)
            snap.verify(lang, "gd_finite_diff")
            _check_gd("gd_finite_diff", out, x, y, w0, lr, n_iter, lang)
        x, y, w0, lr, n_iter = _data(SEEDS[0] + 100, device, default_lr=True)
        with torch.no_grad():
            out = call(lang, "gd_finite_diff", gd_finite_diff, x, y, w0)
        _check_gd("gd_finite_diff(x, y, w0)", out, x, y, w0, lr, n_iter, lang)


def check_gd_autograd(gd_autograd, lang: str = "pt") -> None:
    for device in devices():
        for seed in SEEDS:
            x, y, w0, lr, n_iter = _data(seed + 10, device)
            start = w0.clone()  # the values are graded here; w0 left intact is graded apart
            try:
                out = call(lang, "gd_autograd", gd_autograd, x, y, w0, lr=lr, n_iter=n_iter)
            except CheckFailed as exc:
                _grad_none_hint(lang, exc)
            _check_gd("gd_autograd", out, x, y, start, lr, n_iter, lang,
                      mistakes=("noreset", "flipped", "mean", "after"))
        x, y, w0, lr, n_iter = _data(SEEDS[0] + 110, device, default_lr=True)
        start = w0.clone()
        try:
            out = call(lang, "gd_autograd", gd_autograd, x, y, w0)
        except CheckFailed as exc:
            _grad_none_hint(lang, exc)
        _check_gd("gd_autograd(x, y, w0)", out, x, y, start, lr, n_iter, lang,
                  mistakes=("noreset", "flipped", "mean", "after"))


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
                        _grad_none_hint(lang, exc)
                    fail(lang, f"{exc}\n(w0 chegou com requires_grad=True e um .grad antigo: "
                               "comece de uma cópia desligada do grafo, "
                               "w0.detach().clone().requires_grad_(True).)",
                         f"{exc}\n(w0 llegó con requires_grad=True y un .grad viejo: empieza "
                               "de una copia desconectada del grafo, "
                               "w0.detach().clone().requires_grad_(True).)")
                snap.verify(lang, "gd_autograd")
                outs.append(_structure("gd_autograd", out, w0, n_iter, lang))
            (w_a, h_a), (w_b, h_b) = outs
            if not (torch.equal(w_a, w_b) and torch.equal(h_a, h_b)):
                fail(lang, "duas chamadas de `gd_autograd` com os mesmos argumentos deram "
                           "resultados diferentes: algum estado sobrevive entre chamadas "
                           "(um w global, ou o .grad de w0). Cada chamada deve partir de uma "
                           "cópia nova de w0.",
                     "dos llamadas a `gd_autograd` con los mismos argumentos dieron resultados "
                           "distintos: algún estado sobrevive entre llamadas (un w global, o el "
                           ".grad de w0). Cada llamada debe partir de una copia nueva de w0.")
            x64, y64 = x.detach().cpu().double(), y.detach().cpu().double()
            j0 = float(((x64 * w0.detach().cpu().double() - y64) ** 2).sum())
            j_end = float(((x64 * w_a - y64) ** 2).sum())
            if not j_end < j0:
                fail(lang, f"`gd_autograd` não fez J descer: J(w0) = {j0:.6g}, J(w final) = "
                           f"{j_end:.6g} (lr={lr:.4g}, n_iter={n_iter}, passos estáveis).",
                     f"`gd_autograd` no hizo bajar J: J(w0) = {j0:.6g}, J(w final) = "
                           f"{j_end:.6g} (lr={lr:.4g}, n_iter={n_iter}, pasos estables).")


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
        optimizer = torch.optim.SGD(model.parameters(), **hyper)
        snap = Snapshot(x=x, y=y)
        out = call(lang, "train_step", train_step, model, x, y, loss_fn, optimizer)
        snap.verify(lang, "train_step")
        params = [p.detach() for p in model.parameters()]
        yield out, params, before, ref_params, leak_params, loss_before, loss_after


def check_train_step(train_step, lang: str = "pt") -> None:
    for device in devices():
        for out, params, before, ref, leak, _, _ in _run_train_step(train_step, device, lang):
            if _same_params(params, ref):
                continue
            if _same_params(params, before):
                fail(lang, "`train_step` não mudou os pesos. Faltou optimizer.step(), ou o "
                           "zero_grad() foi chamado entre backward() e step() (apagando o "
                           "gradiente antes de usá-lo).",
                     "`train_step` no cambió los pesos. Falta optimizer.step(), o se llamó a "
                           "zero_grad() entre backward() y step() (borrando el gradiente antes "
                           "de usarlo).")
            if _same_params(params, leak):
                fail(lang, "`train_step` usou gradientes que já estavam nos parâmetros (de um "
                           "batch anterior) somados aos deste batch: o backward() acumula. Chame "
                           "optimizer.zero_grad() no INÍCIO do passo, antes do backward().",
                     "`train_step` usó gradientes que ya estaban en los parámetros (de un batch "
                           "anterior) sumados a los de este batch: backward() acumula. Llama a "
                           "optimizer.zero_grad() al INICIO del paso, antes de backward().")
            diff = max(float((p.double() - r.double()).abs().max()) for p, r in zip(params, ref))
            fail(lang, "`train_step`: os pesos depois do passo não coincidem com um passo de "
                       f"referência do otimizador (maior diferença {diff:.3g}). Um passo é: "
                       "zero_grad(), forward, loss_fn(model(x), y), backward(), step() — uma "
                       "vez só.",
                 "`train_step`: los pesos después del paso no coinciden con un paso de "
                       f"referencia del optimizador (mayor diferencia {diff:.3g}). Un paso es: "
                       "zero_grad(), forward, loss_fn(model(x), y), backward(), step(), una "
                       "sola vez.")


def check_train_step_loss(train_step, lang: str = "pt") -> None:
    for device in devices():
        for out, _, _, _, _, before, after in _run_train_step(train_step, device, lang):
            if isinstance(out, torch.Tensor):
                fail(lang, "`train_step` devolveu um tensor; devolva a perda como float do Python "
                           "(loss.item()).",
                     "`train_step` devolvió un tensor; devuelve la pérdida como float de Python "
                           "(loss.item()).")
            if not isinstance(out, float):
                fail(lang, f"`train_step` deve devolver um float (loss.item()); devolveu "
                           f"{type(out).__name__}.",
                     f"`train_step` debe devolver un float (loss.item()); devolvió "
                           f"{type(out).__name__}.")
            if math.isclose(out, before, rel_tol=1e-9, abs_tol=1e-12):
                continue
            if math.isclose(out, after, rel_tol=1e-9, abs_tol=1e-12):
                fail(lang, "`train_step` devolveu a perda DEPOIS da atualização; o pedido é a "
                           "perda calculada no forward deste passo, antes do step().",
                     "`train_step` devolvió la pérdida DESPUÉS de la actualización; se pide la "
                           "pérdida del forward de este paso, antes de step().")
            fail(lang, f"`train_step`: perda esperada {before:.6g}, obtida {out:.6g}. Devolva "
                       "loss_fn(model(x), y) deste batch, antes do step().",
                 f"`train_step`: se esperaba la pérdida {before:.6g} y se obtuvo {out:.6g}. "
                       "Devuelve loss_fn(model(x), y) de este batch, antes de step().")


# ---------------------------------------------------------------- expected_initial_ce

def check_expected_initial_ce(expected_initial_ce, lang: str = "pt") -> None:
    gen = generator(5)
    ks = [2, 10] + [int(k) for k in torch.randint(3, 2000, (4,), generator=gen)]
    for K in ks:
        got = call(lang, "expected_initial_ce", expected_initial_ce, K)
        if isinstance(got, torch.Tensor):
            fail(lang, "`expected_initial_ce` devolveu um tensor; devolva um float do Python "
                       "(por exemplo com math.log ou .item()).",
                 "`expected_initial_ce` devolvió un tensor; devuelve un float de Python "
                       "(por ejemplo con math.log o .item()).")
        if not isinstance(got, float):
            fail(lang, f"`expected_initial_ce` deve devolver um float; devolveu "
                       f"{type(got).__name__}.",
                 f"`expected_initial_ce` debe devolver un float; devolvió {type(got).__name__}.")
        expected = math.log(K)
        if math.isclose(got, expected, rel_tol=1e-6):
            continue
        known = {"log2": (math.log2(K), "usou log na base 2; a entropia cruzada do PyTorch usa o "
                                        "log natural (math.log).",
                          "usaste log en base 2; la entropía cruzada de PyTorch usa el log "
                          "natural (math.log)."),
                 "log10": (math.log10(K), "usou log na base 10; use o log natural (math.log).",
                           "usaste log en base 10; usa el log natural (math.log)."),
                 "1/K": (1.0 / K, "1/K é a probabilidade de cada classe, não a perda: a perda "
                                  "é −log(1/K).",
                         "1/K es la probabilidad de cada clase, no la pérdida: la pérdida es "
                         "−log(1/K)."),
                 "neg": (-math.log(K), "sinal trocado: a entropia cruzada é −log p, positiva.",
                         "signo invertido: la entropía cruzada es −log p, positiva.")}
        for value, pt, es in known.values():
            if math.isclose(got, value, rel_tol=1e-6):
                fail(lang, f"expected_initial_ce({K}): esperado {expected:.6g}, obtido {got:.6g}. "
                           f"Provável causa: {pt}",
                     f"expected_initial_ce({K}): se esperaba {expected:.6g} y se obtuvo "
                           f"{got:.6g}. Causa probable: {es}")
        fail(lang, f"expected_initial_ce({K}): esperado {expected:.6g}, obtido {got:.6g}. Use o "
                   "K recebido (não um valor fixo da aula).",
             f"expected_initial_ce({K}): se esperaba {expected:.6g} y se obtuvo {got:.6g}. Usa "
                   "el K recibido (no un valor fijo de la clase).")


# ---------------------------------------------------------------- multiple choice

def check_lr_scaling(answer, lang: str = "pt") -> None:
    check_choice(lang, "answer_lr_scaling", answer, "c", "abcd")


def check_zero_grad(answer, lang: str = "pt") -> None:
    check_choice(lang, "answer_zero_grad", answer, "b", "abcd")
