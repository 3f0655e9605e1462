"""Hidden tests of lesson 05 (linear regression by hand and with Dataset / Module / DataLoader)."""
from __future__ import annotations

import copy
import os
import random
import re
import tempfile

import torch
from torch import nn
from torch.utils.data import DataLoader, Dataset, TensorDataset

from .core import (CheckFailed, Snapshot, call, check_choice, close, devices, expect_close, fail,
                   generator, randn, short)


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
            if isinstance(out, torch.Tensor) and out.shape == expected.shape and \
                    close(out, (b * x + a).detach(), 1e-6):
                fail(lang, "linear_model: a e b trocados. O modelo é a*x + b (a é a inclinação, "
                           "b o intercepto).",
                     "linear_model: a y b intercambiados. El modelo es a*x + b (a es la "
                           "pendiente, b la ordenada al origen).")
            expect_close(lang, "linear_model(x, a, b)", out, expected,
                         "o modelo é exatamente a*x + b, com os a e b recebidos (nada fixo).",
                         "el modelo es exactamente a*x + b, con los a y b recibidos (nada fijo).",
                         rtol=1e-6, check_dtype=False)
            if out.grad_fn is None:
                fail(lang, "linear_model: o resultado não tem grad_fn, então backward() não chega "
                           "a a e b. Use só operações do torch (sem .item(), numpy ou "
                           "torch.tensor(...)).",
                     "linear_model: el resultado no tiene grad_fn, así que backward() no llega a "
                           "a y b. Usa solo operaciones de torch (sin .item(), numpy ni "
                           "torch.tensor(...)).")
            ga, gb = torch.autograd.grad(out.sum(), (a, b), allow_unused=True)
            if ga is None or gb is None or not close(ga, x.sum().reshape(1), 1e-6) or \
                    not close(gb, torch.full((1,), float(len(x)), dtype=x.dtype), 1e-6):
                fail(lang, "linear_model: o gradiente não chega corretamente a a e b "
                           "(d/da = x, d/db = 1).",
                     "linear_model: el gradiente no llega bien a a y b (d/da = x, d/db = 1).")
        gen = generator(53)
        x = randn(gen, 5, device=device)
        out = call(lang, "linear_model", linear_model, x, 1.5, -0.25)
        expect_close(lang, "linear_model(x, 1.5, -0.25)", out, 1.5 * x - 0.25,
                     "a e b também podem ser números Python.",
                     "a y b también pueden ser números de Python.", rtol=1e-6, check_dtype=False)


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
    g = torch.tensor(got, dtype=torch.float64)
    e = torch.tensor(expected, dtype=torch.float64)
    return g.shape == e.shape and bool(torch.isfinite(g).all()) and \
        bool(((g - e).abs() <= atol + rtol * e.abs()).all())


def _device_hint(lang: str, err: CheckFailed, name: str) -> None:
    """Re-raise a failure with a hint when the student's error has a known cause."""
    msg = str(err)
    if "same device" in msg:
        fail(lang, msg + f"\nProvável causa: `{name}` misturou dispositivos. Crie os tensores "
                         "novos no dispositivo das entradas (device=x.device) e leve os batches "
                         "para o dispositivo do modelo (next(model.parameters()).device), não para "
                         "um dispositivo fixo.",
             msg + f"\nCausa probable: `{name}` mezcló dispositivos. Crea los tensores nuevos en el "
                   "dispositivo de las entradas (device=x.device) y lleva los batches al "
                   "dispositivo del modelo (next(model.parameters()).device), no a uno fijo.")
    raise err


def _is_float(v) -> bool:
    return isinstance(v, float) and not isinstance(v, bool)


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
                out = call(lang, "fit_by_hand", fit_by_hand, x, y, **kwargs)
            except CheckFailed as err:
                msg = str(err)
                if "leaf" in msg or "NoneType" in msg:
                    fail(lang, msg + "\nProvável causa: a atualização de a e b foi feita fora de "
                                     "`with torch.no_grad():`. Fora dele, `a -= ...` é recusado "
                                     "numa folha que pede gradiente, e `a = a - ...` cria um nó "
                                     "do grafo (não mais folha, sem .grad). Atualize in-place "
                                     "(`a -= lr * a.grad`) dentro do no_grad.",
                         msg + "\nCausa probable: la actualización de a y b se hizo fuera de "
                               "`with torch.no_grad():`. Fuera de él, `a -= ...` se rechaza en "
                               "una hoja que pide gradiente, y `a = a - ...` crea un nodo del "
                               "grafo (ya no hoja, sin .grad). Actualiza in-place "
                               "(`a -= lr * a.grad`) dentro del no_grad.")
                _device_hint(lang, err, "fit_by_hand")
            snap.verify(lang, "fit_by_hand")
            if not isinstance(out, (tuple, list)) or len(out) != 3:
                fail(lang, "`fit_by_hand` deve devolver a tupla (a, b, losses); devolveu "
                           f"{type(out).__name__}.",
                     "`fit_by_hand` debe devolver la tupla (a, b, losses); devolvió "
                           f"{type(out).__name__}.")
            a, b, losses = out
            for name, v in (("a", a), ("b", b)):
                if not _is_float(v):
                    fail(lang, f"fit_by_hand: {name} deve ser um float do Python; veio "
                               f"{type(v).__name__}. Use `{name}.item()` ao devolver.",
                         f"fit_by_hand: {name} debe ser un float de Python; llegó "
                               f"{type(v).__name__}. Usa `{name}.item()` al devolver.")
            if not isinstance(losses, list):
                fail(lang, f"fit_by_hand: losses deve ser uma lista; veio {type(losses).__name__}.",
                     f"fit_by_hand: losses debe ser una lista; llegó {type(losses).__name__}.")
            if len(losses) != n_epochs:
                fail(lang, f"fit_by_hand: com n_epochs={n_epochs} a lista losses deve ter "
                           f"{n_epochs} valores (um por época); veio {len(losses)}.",
                     f"fit_by_hand: con n_epochs={n_epochs} la lista losses debe tener "
                           f"{n_epochs} valores (uno por época); llegó {len(losses)}.")
            bad = next((v for v in losses if not _is_float(v)), None)
            if bad is not None:
                fail(lang, "fit_by_hand: cada valor de losses deve ser um float do Python; veio "
                           f"{type(bad).__name__}. Guarde `loss.item()` (um tensor guardado "
                           "também prende o grafo na memória).",
                     "fit_by_hand: cada valor de losses debe ser un float de Python; llegó "
                           f"{type(bad).__name__}. Guarda `loss.item()` (un tensor guardado "
                           "además retiene el grafo en memoria).")
            ref_a, ref_b, ref_losses = reference_fit(x, y, lr, n_epochs)
            if not _same(losses[0], ref_losses[0]):
                y64 = y.double()
                if _same(losses[0], float((y64 ** 2).sum())):
                    fail(lang, "fit_by_hand: a primeira perda é a soma dos erros ao quadrado; a "
                               "perda pedida é a MSE, a média (.mean()).",
                         "fit_by_hand: la primera pérdida es la suma de los errores al cuadrado; "
                               "la pérdida pedida es el MSE, la media (.mean()).")
                if _same(losses[0], ref_losses[1]):
                    fail(lang, "fit_by_hand: losses[0] é a perda depois da primeira "
                               "atualização. Registre a perda calculada no forward de cada época, "
                               "antes do passo (losses[0] = MSE com a = b = 0).",
                         "fit_by_hand: losses[0] es la pérdida después de la primera "
                               "actualización. Registra la pérdida calculada en el forward de "
                               "cada época, antes del paso (losses[0] = MSE con a = b = 0).")
                fail(lang, f"fit_by_hand: losses[0] deveria ser {ref_losses[0]:.6g} (a MSE com "
                           f"a = b = 0, isto é, mean(y²)); veio {short(losses[0])}. a e b devem "
                           "começar em 0 e a perda é mean((a*x + b - y)²).",
                     f"fit_by_hand: losses[0] debería ser {ref_losses[0]:.6g} (el MSE con "
                           f"a = b = 0, es decir, mean(y²)); llegó {short(losses[0])}. a y b "
                           "deben empezar en 0 y la pérdida es mean((a*x + b - y)²).")
            if not _same(losses, ref_losses):
                _, _, no_reset = reference_fit(x, y, lr, n_epochs, reset=False)
                if _same(losses, no_reset):
                    fail(lang, "fit_by_hand: os gradientes não são zerados a cada passo, então se "
                               "acumulam (.grad soma os backward() anteriores). Zere a.grad e "
                               "b.grad depois de cada atualização.",
                         "fit_by_hand: los gradientes no se ponen en cero en cada paso, así que "
                               "se acumulan (.grad suma los backward() anteriores). Pon a.grad y "
                               "b.grad en cero después de cada actualización.")
                if _same(losses[:-1], ref_losses[1:]) or \
                        _same(losses, reference_fit(x, y, lr, n_epochs + 1)[2][1:]):
                    fail(lang, "fit_by_hand: as perdas estão deslocadas de uma época: você "
                               "registra a perda depois da atualização. Registre a do forward de "
                               "cada época, antes do passo.",
                         "fit_by_hand: las pérdidas están corridas una época: registras la "
                               "pérdida después de la actualización. Registra la del forward de "
                               "cada época, antes del paso.")
                if kwargs and _same(losses, reference_fit(x, y, 1e-2, n_epochs)[2]):
                    fail(lang, f"fit_by_hand: foi chamada com lr={lr}, mas usou lr=0.01. Use o "
                               "parâmetro lr, não um valor fixo.",
                         f"fit_by_hand: se llamó con lr={lr}, pero usó lr=0.01. Usa el "
                               "parámetro lr, no un valor fijo.")
                i = next(i for i in range(n_epochs) if not _same(losses[i], ref_losses[i]))
                fail(lang, f"fit_by_hand: as perdas divergem do esperado a partir da época {i}: "
                           f"esperado {ref_losses[i]:.6g}, obtido {short(losses[i])}. Confira "
                           "o passo a -= lr * dL/da, b -= lr * dL/db com os gradientes do "
                           "backward() da MSE.",
                     f"fit_by_hand: las pérdidas se apartan de lo esperado desde la época {i}: "
                           f"se esperaba {ref_losses[i]:.6g} y se obtuvo {short(losses[i])}. "
                           "Revisa el paso a -= lr * dL/da, b -= lr * dL/db con los gradientes "
                           "del backward() del MSE.")
            if not _same([a, b], [ref_a, ref_b]):
                fail(lang, f"fit_by_hand: (a, b) finais esperados ({ref_a:.6g}, {ref_b:.6g}); "
                           f"obtidos ({short(a)}, {short(b)}). Devolva os valores depois da "
                           "última atualização, na ordem (a, b, losses).",
                     f"fit_by_hand: se esperaban (a, b) finales ({ref_a:.6g}, {ref_b:.6g}); se "
                           f"obtuvieron ({short(a)}, {short(b)}). Devuelve los valores después "
                           "de la última actualización, en el orden (a, b, losses).")


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
    if not (isinstance(LinearData, type) and issubclass(LinearData, Dataset)):
        fail(lang, "`LinearData` deve ser uma classe filha de torch.utils.data.Dataset "
                   "(class LinearData(Dataset): ...).",
             "`LinearData` debe ser una clase hija de torch.utils.data.Dataset "
                   "(class LinearData(Dataset): ...).")
    ds = call(lang, "LinearData(dataset_dir)", LinearData, folder)
    n_files = len(os.listdir(folder))
    n = call(lang, "len(dataset)", len, ds)
    if n != n_files:
        fail(lang, f"len(dataset) deveria ser {n_files} (um exemplo por arquivo da pasta "
                   f"recebida); veio {n}. Não fixe o tamanho nem o caminho da pasta.",
             f"len(dataset) debería ser {n_files} (una muestra por archivo de la carpeta "
                   f"recibida); llegó {n}. No fijes el tamaño ni la ruta de la carpeta.")
    got = []
    for i in range(n):
        item = call(lang, f"dataset[{i}]", ds.__getitem__, i)
        if not isinstance(item, (tuple, list)) or len(item) != 2:
            fail(lang, f"dataset[{i}] deve ser o par (x, y); veio {short(item)}.",
                 f"dataset[{i}] debe ser el par (x, y); llegó {short(item)}.")
        for name, t in zip(("x", "y"), item):
            if not isinstance(t, torch.Tensor):
                fail(lang, f"dataset[{i}]: {name} deve ser um tensor; veio {type(t).__name__}. "
                           "Converta com torch.tensor(..., dtype=torch.float32).",
                     f"dataset[{i}]: {name} debe ser un tensor; llegó {type(t).__name__}. "
                           "Conviértelo con torch.tensor(..., dtype=torch.float32).")
            if t.dim() != 0:
                fail(lang, f"dataset[{i}]: {name} deve ser um tensor 0-d (um número, shape ()); "
                           f"veio shape {tuple(t.shape)}. Separe a linha em dois números: "
                           "x, y = ...",
                     f"dataset[{i}]: {name} debe ser un tensor 0-d (un número, shape ()); llegó "
                           f"shape {tuple(t.shape)}. Separa la fila en dos números: x, y = ...")
            if t.dtype != torch.float32:
                fail(lang, f"dataset[{i}]: {name} tem dtype {t.dtype}; esperado torch.float32 "
                           "(np.loadtxt devolve float64: converta com dtype=torch.float32 ou "
                           ".float()).",
                     f"dataset[{i}]: {name} tiene dtype {t.dtype}; se esperaba torch.float32 "
                           "(np.loadtxt devuelve float64: convierte con dtype=torch.float32 o "
                           ".float()).")
        got.append((float(item[0]), float(item[1])))
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


def check_LinearData_items(LinearData, lang: str = "pt") -> None:
    for seed, n in ((71, 12), (72, 3)):
        with tempfile.TemporaryDirectory() as folder:
            expected = _as_f32(_write_folder(folder, seed, n))
            got, _ = _items(lang, LinearData, folder)
            left = list(got)
            for pair in expected:
                hit = next((i for i, p in enumerate(left) if _match(p, pair)), None)
                if hit is None:
                    fail(lang, "os exemplos lidos não são os dos arquivos: por exemplo, o par "
                               f"(x, y) = {_pair(pair)} não aparece. Cada arquivo contém `x y`; "
                               "leia-o com np.loadtxt.",
                         "las muestras leídas no son las de los archivos: por ejemplo, el par "
                               f"(x, y) = {_pair(pair)} no aparece. Cada archivo contiene `x y`; "
                               "léelo con np.loadtxt.")
                left.pop(hit)


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
            fail(lang, "a ordem é a numérica (sample_2 antes de sample_10), mas o contrato pede "
                       "a ordem dos nomes (sorted), em que 'sample_10.txt' vem antes de "
                       "'sample_2.txt'.",
                 "el orden es el numérico (sample_2 antes de sample_10), pero el contrato pide "
                       "el orden de los nombres (sorted), en el que 'sample_10.txt' va antes de "
                       "'sample_2.txt'.")
        i = next((i for i, (p, q) in enumerate(zip(got, expected)) if not _match(p, q)), 0)
        fail(lang, "os exemplos não estão na ordem dos nomes dos arquivos. os.listdir devolve os "
                   "nomes numa ordem arbitrária: ordene-os com sorted(...). Esperado "
                   f"dataset[{i}] = {_pair(expected[i])} (arquivo {names[i]}), veio "
                   f"{_pair(got[i])}.",
             "las muestras no están en el orden de los nombres de archivo. os.listdir devuelve "
                   "los nombres en un orden arbitrario: ordénalos con sorted(...). Se esperaba "
                   f"dataset[{i}] = {_pair(expected[i])} (archivo {names[i]}) y llegó "
                   f"{_pair(got[i])}.")


# ---------------------------------------------------------------------------------------------
# LinearModel
# ---------------------------------------------------------------------------------------------

def _new_model(lang: str, LinearModel) -> nn.Module:
    model = call(lang, "LinearModel()", LinearModel)
    if not isinstance(model, nn.Module):
        fail(lang, "`LinearModel()` deve criar um torch.nn.Module "
                   "(class LinearModel(nn.Module): ...).",
             "`LinearModel()` debe crear un torch.nn.Module (class LinearModel(nn.Module): ...).")
    return model


def check_LinearModel_parameters(LinearModel, lang: str = "pt") -> None:
    model = _new_model(lang, LinearModel)
    named = dict(model.named_parameters())
    if not named:
        fail(lang, "LinearModel não tem parâmetros registrados: list(model.parameters()) está "
                   "vazia. Tensores comuns (mesmo com requires_grad=True) ou guardados numa "
                   "lista ficam invisíveis para parameters(), para o otimizador e para "
                   ".to(device). Use self.a = nn.Parameter(...).",
             "LinearModel no tiene parámetros registrados: list(model.parameters()) está vacía. "
                   "Los tensores comunes (aunque tengan requires_grad=True) o guardados en una "
                   "lista son invisibles para parameters(), para el optimizador y para "
                   ".to(device). Usa self.a = nn.Parameter(...).")
    if sorted(named) != ["a", "b"]:
        fail(lang, f"os parâmetros de LinearModel devem se chamar a e b; vieram {sorted(named)}. "
                   "Crie self.a e self.b como nn.Parameter (sem nn.Linear).",
             f"los parámetros de LinearModel deben llamarse a y b; llegaron {sorted(named)}. "
                   "Crea self.a y self.b como nn.Parameter (sin nn.Linear).")
    for name, p in named.items():
        if tuple(p.shape) != (1,):
            fail(lang, f"o parâmetro {name} tem shape {tuple(p.shape)}; esperado (1,), por "
                       "exemplo nn.Parameter(torch.randn(1)).",
                 f"el parámetro {name} tiene shape {tuple(p.shape)}; se esperaba (1,), por "
                       "ejemplo nn.Parameter(torch.randn(1)).")
        if not p.requires_grad:
            fail(lang, f"o parâmetro {name} tem requires_grad=False: o otimizador não o "
                       "atualizaria.",
                 f"el parámetro {name} tiene requires_grad=False: el optimizador no lo "
                       "actualizaría.")


def check_LinearModel_forward(LinearModel, lang: str = "pt") -> None:
    for device in devices():
        gen = generator(81)
        model = _new_model(lang, LinearModel)
        moved = call(lang, "model.to(device)", model.to, device)
        a_val, b_val = randn(gen, 1), randn(gen, 1)
        try:
            a, b = model.a, model.b
            with torch.no_grad():
                a.copy_(a_val.to(a.dtype))
                b.copy_(b_val.to(b.dtype))
        except Exception:
            fail(lang, "LinearModel precisa dos atributos a e b, tensores de shape (1,).",
                 "LinearModel necesita los atributos a y b, tensores de shape (1,).")
        if a.device.type != torch.device(device).type or b.device.type != torch.device(device).type:
            fail(lang, f"depois de model.to('{device}'), a e b continuam em {a.device}: só "
                       "nn.Parameter registrados são levados pelo .to(device).",
                 f"después de model.to('{device}'), a y b siguen en {a.device}: solo los "
                       "nn.Parameter registrados se mueven con .to(device).")
        x = randn(gen, 7, device=device, dtype=a.dtype)
        out = call(lang, "model(x)", moved, x)
        expected = (a * x + b).detach()
        expect_close(lang, "model(x)", out, expected,
                     "forward(x) = self.a * x + self.b, com os parâmetros do modelo.",
                     "forward(x) = self.a * x + self.b, con los parámetros del modelo.",
                     rtol=1e-5, atol=1e-6, check_dtype=False)
        if not isinstance(a, torch.Tensor) or not a.requires_grad or out.grad_fn is None:
            fail(lang, "model(x) não tem grad_fn: o forward não usa os parâmetros com operações "
                       "do torch (sem .item() ou torch.tensor(...)).",
                 "model(x) no tiene grad_fn: el forward no usa los parámetros con operaciones "
                       "de torch (sin .item() ni torch.tensor(...)).")
        ga, gb = torch.autograd.grad(out.sum(), (a, b), allow_unused=True)
        if ga is None or gb is None or not close(ga, x.sum().reshape(1).detach(), 1e-5, 1e-5) \
                or not close(gb, torch.full((1,), 7.0), 1e-5):
            fail(lang, "o gradiente de model(x).sum() não chega corretamente a a e b "
                       "(esperado d/da = soma de x, d/db = número de exemplos).",
                 "el gradiente de model(x).sum() no llega bien a a y b (se esperaba "
                       "d/da = suma de x, d/db = número de muestras).")


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
    """Per epoch, the list of (batch loss, batch size)."""
    history = []
    for _ in range(epochs):
        batches = []
        for xb, yb in loader:
            if zero_grad:
                optimizer.zero_grad()
            loss = loss_fn(model(xb), yb)
            loss.backward()
            optimizer.step()
            batches.append((loss.item(), len(xb)))
        history.append(batches)
    return history


def _setup(seed: int, device: str, n: int, batch_size: int, opt_kwargs: dict):
    gen = generator(seed)
    x = randn(gen, n, dtype=torch.float32) * 2
    y = 1.7 * x - 0.6 + 0.3 * randn(gen, n, dtype=torch.float32)
    loader = DataLoader(TensorDataset(x.to(device), y.to(device)), batch_size=batch_size,
                        shuffle=False)
    model = _Line(float(randn(gen, 1)), float(randn(gen, 1))).to(device)
    optimizer = torch.optim.SGD(model.parameters(), **opt_kwargs)
    return model, loader, optimizer


def check_train(train, lang: str = "pt") -> None:
    configs = [  # (seed, n, batch size, optimizer, loss, epochs)
        (91, 10, 4, {"lr": 0.05}, nn.MSELoss, 3),
        (92, 10, 5, {"lr": 0.02, "momentum": 0.9}, nn.L1Loss, 4),
    ]
    for device in devices():
        for seed, n, bs, opt_kwargs, loss_cls, epochs in configs:
            model, loader, optimizer = _setup(seed, device, n, bs, opt_kwargs)
            ref_model = copy.deepcopy(model)
            ref_opt = torch.optim.SGD(ref_model.parameters(), **opt_kwargs)
            ref = reference_train(ref_model, loader, ref_opt, loss_cls(), epochs)
            expected = [sum(l for l, _ in ep) / len(ep) for ep in ref]
            try:
                hist = call(lang, "train", train, model, loader, optimizer, loss_cls(), epochs)
            except CheckFailed as err:
                _device_hint(lang, err, "train")
            if not isinstance(hist, list):
                fail(lang, f"`train` deve devolver uma lista de floats; devolveu "
                           f"{type(hist).__name__}.",
                     f"`train` debe devolver una lista de floats; devolvió "
                           f"{type(hist).__name__}.")
            if len(hist) != epochs:
                fail(lang, f"train(..., epochs={epochs}) deve devolver {epochs} valores (um por "
                           f"época); devolveu {len(hist)}.",
                     f"train(..., epochs={epochs}) debe devolver {epochs} valores (uno por "
                           f"época); devolvió {len(hist)}.")
            bad = next((v for v in hist if not _is_float(v)), None)
            if bad is not None:
                fail(lang, f"train: cada valor deve ser um float do Python; veio "
                           f"{type(bad).__name__}. Some `loss.item()`, não o tensor.",
                     f"train: cada valor debe ser un float de Python; llegó "
                           f"{type(bad).__name__}. Suma `loss.item()`, no el tensor.")
            if not _same(hist, expected):
                hints = [
                    ([sum(l for l, _ in ep) for ep in ref],
                     "você devolveu a soma das perdas dos batches; o pedido é a média "
                     "(divida pelo número de batches).",
                     "devolviste la suma de las pérdidas de los batches; se pide la media "
                     "(divide por el número de batches)."),
                    ([sum(l * s for l, s in ep) / sum(s for _, s in ep) for ep in ref],
                     "você ponderou cada batch pelo seu tamanho (média por exemplo); o pedido é "
                     "a média simples das perdas dos batches (o último batch pode ser menor).",
                     "ponderaste cada batch por su tamaño (media por muestra); se pide la media "
                     "simple de las pérdidas de los batches (el último batch puede ser menor)."),
                    ([ep[-1][0] for ep in ref],
                     "você devolveu só a perda do último batch de cada época; o pedido é a média "
                     "das perdas de todos os batches da época.",
                     "devolviste solo la pérdida del último batch de cada época; se pide la media "
                     "de las pérdidas de todos los batches de la época."),
                ]
                for alt, pt, es in hints:
                    if _same(hist, alt):
                        fail(lang, "train: " + pt, "train: " + es)
                def means(zero_grad=True, loss=loss_cls, kwargs=opt_kwargs):
                    m2, l2, _ = _setup(seed, device, n, bs, opt_kwargs)
                    o2 = torch.optim.SGD(m2.parameters(), **kwargs)
                    runs = reference_train(m2, l2, o2, loss(), epochs, zero_grad=zero_grad)
                    return [sum(l for l, _ in ep) / len(ep) for ep in runs]

                if _same(hist, means(zero_grad=False)):
                    fail(lang, "train: faltou optimizer.zero_grad() a cada batch; os gradientes "
                               "se acumulam de um batch para o outro.",
                         "train: falta optimizer.zero_grad() en cada batch; los gradientes se "
                               "acumulan de un batch al siguiente.")
                if loss_cls is not nn.MSELoss and _same(hist, means(loss=nn.MSELoss)):
                    fail(lang, f"train: foi chamada com loss_fn={loss_cls.__name__}(), mas usou "
                               "MSELoss. Use a loss_fn recebida.",
                         f"train: se llamó con loss_fn={loss_cls.__name__}(), pero usó MSELoss. "
                               "Usa la loss_fn recibida.")
                if _same(hist, means(kwargs={"lr": 1e-2})):
                    fail(lang, "train: os passos não vêm do optimizer recebido (parece um SGD "
                               "novo com lr=0.01). Use o optimizer passado como argumento.",
                         "train: los pasos no vienen del optimizer recibido (parece un SGD nuevo "
                               "con lr=0.01). Usa el optimizer pasado como argumento.")
                got_txt = ", ".join(short(v) for v in hist)
                exp_txt = ", ".join(f"{v:.6g}" for v in expected)
                fail(lang, f"train: perdas por época esperadas [{exp_txt}], obtidas [{got_txt}]. "
                           "Use o model, o optimizer e a loss_fn recebidos (sem criar outros) e, "
                           "a cada batch: zero_grad, forward, loss, backward, step.",
                     f"train: pérdidas por época esperadas [{exp_txt}], obtenidas [{got_txt}]. "
                           "Usa el model, el optimizer y la loss_fn recibidos (sin crear otros) "
                           "y, en cada batch: zero_grad, forward, loss, backward, step.")
            for name in ("a", "b"):
                got_p = getattr(model, name).detach()
                ref_p = getattr(ref_model, name).detach()
                if not close(got_p, ref_p, 1e-5, 1e-6):
                    fail(lang, f"train: depois do treino, model.{name} = {short(got_p)}, "
                               f"esperado {short(ref_p)}. Um optimizer.step() por batch, sobre o "
                               "modelo recebido.",
                         f"train: después del entrenamiento, model.{name} = {short(got_p)}, se "
                               f"esperaba {short(ref_p)}. Un optimizer.step() por batch, sobre el "
                               "modelo recibido.")


# ---------------------------------------------------------------------------------------------
# Multiple choice
# ---------------------------------------------------------------------------------------------

def check_batches(answer, lang: str = "pt") -> None:
    check_choice(lang, "answer_batches", answer, "b", "abcd")


def check_device(answer, lang: str = "pt") -> None:
    check_choice(lang, "answer_device", answer, "c", "abcd")

