"""Hidden tests of lesson 04 (a custom torch.autograd.Function: the unnormalized sinc)."""
from __future__ import annotations

import math

import torch

from .core import Snapshot, call, check_choice, devices, expect_tensor, fail, generator, randn

DTYPES = (torch.float64, torch.float32)


# --------------------------------------------------------------------------- references
def _safe(x: torch.Tensor, small: torch.Tensor) -> torch.Tensor:
    return torch.where(small, torch.ones_like(x), x)


def ref_value(x: torch.Tensor) -> torch.Tensor:
    """sin(x)/x with sinc(0) = 1, in float64 (sin(x)/x has no cancellation, only 0 is special)."""
    x = x.detach().to(torch.float64)
    zero = x == 0
    safe = _safe(x, zero)
    return torch.where(zero, torch.ones_like(x), torch.sin(safe) / safe)


def _series_derivative(x: torch.Tensor) -> torch.Tensor:
    """Σ_k (−1)^k 2k x^(2k−1)/(2k+1)!, nine terms: exact to float64 rounding for |x| < 0.5."""
    out = torch.zeros_like(x)
    for k in range(9, 0, -1):
        out = out + (-1) ** k * 2 * k * torch.pow(x, 2 * k - 1) / math.factorial(2 * k + 1)
    return out


def ref_derivative(x: torch.Tensor) -> torch.Tensor:
    """d sinc/dx in float64: the series near 0, torch.autograd of sin(x)/x elsewhere."""
    x = x.detach().to(torch.float64)
    small = x.abs() < 0.5
    leaf = _safe(x, small).clone().requires_grad_(True)
    (auto,) = torch.autograd.grad((torch.sin(leaf) / leaf).sum(), leaf)
    return torch.where(small, _series_derivative(torch.where(small, x, torch.zeros_like(x))), auto)


# --------------------------------------------------------------------------- calling the answer
def _require_function(lang: str, Sinc) -> None:
    if not (isinstance(Sinc, type) and issubclass(Sinc, torch.autograd.Function)):
        fail(lang, "`Sinc` deve ser uma classe que herda de torch.autograd.Function, com "
                   "forward(ctx, x) e backward(ctx, grad_output) estáticos; veio "
                   f"{type(Sinc).__name__}.",
             "`Sinc` debe ser una clase que hereda de torch.autograd.Function, con "
                   "forward(ctx, x) y backward(ctx, grad_output) estáticos; llegó "
                   f"{type(Sinc).__name__}.")


def _forward(lang: str, Sinc, x: torch.Tensor, what: str) -> torch.Tensor:
    """Sinc.apply(x), checked to be a tensor of x's shape, dtype and device."""
    _require_function(lang, Sinc)
    snap = Snapshot(x=x)
    out = call(lang, "Sinc.apply", Sinc.apply, x)
    snap.verify(lang, "Sinc")
    if isinstance(out, (float, int)):
        fail(lang, f"{what}: Sinc.apply devolveu um número Python ({type(out).__name__}), não "
                   "um tensor. O forward deve devolver um tensor com o formato, o dtype e o "
                   "device de x (nada de .item() ou `return 1.0`).",
             f"{what}: Sinc.apply devolvió un número de Python ({type(out).__name__}), no un "
                   "tensor. El forward debe devolver un tensor con la forma, el dtype y el "
                   "device de x (nada de .item() ni `return 1.0`).")
    expect_tensor(lang, what, out, x)
    return out


def _derivative(lang: str, Sinc, x: torch.Tensor, g: torch.Tensor | None = None,
                what: str = "") -> torch.Tensor:
    """g · Sinc'(x) computed by the answer's backward (torch.autograd.grad on a copy of x)."""
    leaf = x.detach().clone().requires_grad_(True)
    out = _forward(lang, Sinc, leaf, what or "Sinc.apply(x)")
    if out.grad_fn is None:
        fail(lang, "a saída de Sinc.apply(x) não tem grad_fn: o backward nunca será chamado. "
                   "Use a classe por Sinc.apply(x) e não desligue o grafo no forward.",
             "la salida de Sinc.apply(x) no tiene grad_fn: el backward nunca se llamará. Usa "
                   "la clase con Sinc.apply(x) y no cortes el grafo en el forward.")
    g = torch.ones_like(out) if g is None else g
    grads = call(lang, "Sinc.backward", torch.autograd.grad, out, leaf, g)
    grad = grads[0]
    expect_tensor(lang, f"d/dx {what or 'Sinc.apply(x)'}", grad, x)
    return grad


def _bad(got: torch.Tensor, ref: torch.Tensor, rtol: float, atol: float | torch.Tensor):
    """Mask of the entries that disagree (NaN/inf never agree)."""
    g = got.detach().to("cpu", torch.float64)
    e = ref.detach().to("cpu", torch.float64)
    atol = atol.cpu() if isinstance(atol, torch.Tensor) else atol
    return ~torch.isfinite(g) | ((g - e).abs() > atol + rtol * e.abs())


def _report(lang: str, what: str, x: torch.Tensor, got: torch.Tensor, ref: torch.Tensor,
            bad: torch.Tensor, hint_pt: str = "", hint_es: str = "", worst: bool = False) -> None:
    """Fail naming one wrong entry: the first one or, with `worst`, the one with the largest
    relative error (the largest |x| among equals)."""
    idx = bad.flatten().nonzero().flatten()
    i = int(idx[0])
    if worst:
        g = got.detach().flatten().cpu().double()[idx]
        e = ref.detach().flatten().cpu().double()[idx]
        rel = ((g - e).abs() / e.abs()).nan_to_num(nan=math.inf)
        ax = x.detach().flatten().cpu().double()[idx].abs()
        top = rel == rel.max()
        i = int(idx[top.nonzero().flatten()[ax[top].argmax()]])
    xv = x.detach().flatten()[i].item()
    gv = got.detach().flatten()[i].item()
    ev = ref.detach().flatten()[i].item()
    dtype = str(x.dtype).replace("torch.", "")
    fail(lang, f"{what} errado em x = {xv:.6g} ({dtype}): esperado {ev:.10g}, obtido {gv:.10g}."
               + (f" Provável causa: {hint_pt}" if hint_pt else ""),
         f"{what} incorrecto en x = {xv:.6g} ({dtype}): se esperaba {ev:.10g} y se obtuvo "
               f"{gv:.10g}." + (f" Causa probable: {hint_es}" if hint_es else ""))


def _signed(gen: torch.Generator, magnitudes: torch.Tensor) -> torch.Tensor:
    signs = torch.randint(0, 2, magnitudes.shape, generator=gen, dtype=torch.float64) * 2 - 1
    return magnitudes * signs


def _away_from_zero(gen: torch.Generator, n: int) -> torch.Tensor:
    """float64 values with 0.5 <= |x| <= 12."""
    mags = 0.5 + 11.5 * torch.rand(n, generator=gen, dtype=torch.float64)
    return _signed(gen, mags)


TORCH_SINC_PT = ("torch.sinc é a sinc *normalizada*, sin(πx)/(πx); aqui queremos sin(x)/x "
                 "(não normalizada).")
TORCH_SINC_ES = ("torch.sinc es la sinc *normalizada*, sin(πx)/(πx); aquí queremos sin(x)/x "
                 "(no normalizada).")


# --------------------------------------------------------------------------- the checks
def check_sinc_forward(Sinc, lang: str = "pt") -> None:
    """Forward values away from the special points, float64 and float32, inputs untouched."""
    for device in devices():
        for seed, dtype in ((41, torch.float64), (42, torch.float32)):
            gen = generator(seed)
            x = (3 * randn(gen, 9)).to(device=device, dtype=dtype)
            for requires_grad in (False, True):
                x = x.detach().requires_grad_(requires_grad)
                snap = Snapshot(x=x)
                out = _forward(lang, Sinc, x, "Sinc.apply(x)")
                snap.verify(lang, "Sinc.forward")
                ref = ref_value(x)
                rtol, atol = (1e-9, 1e-14) if dtype == torch.float64 else (1e-5, 1e-6)
                bad = _bad(out, ref, rtol, atol)
                if bool(bad.any()):
                    if not _bad(out, torch.sinc(x.detach()), 1e-5, 1e-7).any():
                        _report(lang, "Sinc(x)", x, out, ref, bad, TORCH_SINC_PT, TORCH_SINC_ES)
                    near = bad & (x.detach().abs().cpu() < 1) & ~_bad(out, ref, 1e-3, 0.0)
                    if bool(near.any()):
                        _report(lang, "Sinc(x)", x, out, ref, near,
                                "a série 1 − x²/6 + x⁴/120 está sendo usada longe demais de 0 "
                                "(o erro de truncamento cresce como x⁶/5040): diminua o limiar.",
                                "la serie 1 − x²/6 + x⁴/120 se usa demasiado lejos de 0 (el "
                                "error de truncamiento crece como x⁶/5040): baja el umbral.")
                    _report(lang, "Sinc(x)", x, out, ref, bad,
                            "o forward deve devolver sin(x)/x, elemento a elemento.",
                            "el forward debe devolver sin(x)/x, elemento a elemento.")


def check_sinc_contract(Sinc, lang: str = "pt") -> None:
    """Shapes (0-d, 2-D), dtypes, devices, a Python number never returned, inputs untouched."""
    for device in devices():
        gen = generator(77)
        for dtype in DTYPES:
            for x in (torch.tensor(0.7, dtype=dtype, device=device),
                      torch.tensor(0.0, dtype=dtype, device=device),
                      (2 * randn(gen, 3, 4)).to(device=device, dtype=dtype),
                      (2 * randn(gen, 2, 1, 3)).to(device=device, dtype=dtype)):
                shape = "×".join(map(str, x.shape)) or "0-d"
                what = f"Sinc.apply(x) [x {shape}, {str(dtype).replace('torch.', '')}]"
                snap = Snapshot(x=x)
                out = _forward(lang, Sinc, x, what)
                snap.verify(lang, "Sinc")
                bad = _bad(out, ref_value(x), 1e-5, 1e-7)
                if bool(bad.any()):
                    _report(lang, what, x, out, ref_value(x), bad)
                leaf = x.clone().requires_grad_(True)
                snap = Snapshot(x=leaf)
                out = _forward(lang, Sinc, leaf, what)
                (grad,) = call(lang, "Sinc.backward", torch.autograd.grad, out, leaf,
                               torch.ones_like(out))
                snap.verify(lang, "Sinc")
                expect_tensor(lang, f"gradiente de {what}", grad, x)
                bad = _bad(grad, ref_derivative(x), 1e-3, 1e-4)
                if bool(bad.any()):
                    _report(lang, f"d/dx {what}", x, grad, ref_derivative(x), bad)


def check_sinc_special(Sinc, lang: str = "pt") -> None:
    """x = ±0, ±tiny (smallest normal), ±the smallest subnormal and huge values: finite and
    right, forward and backward."""
    for device in devices():
        for dtype in DTYPES:
            fi = torch.finfo(dtype)
            zero = torch.tensor(0.0, dtype=dtype)
            sub = torch.nextafter(zero, torch.tensor(1.0, dtype=dtype)).item()
            big = (1e10, 3e38) if dtype == torch.float32 else (1e100, 1e300)
            points = [0.0, -0.0, fi.tiny, -fi.tiny, sub, -sub, 4 * fi.tiny, big[0], -big[1]]
            names_pt = ["0", "-0", "o menor float normal (finfo.tiny)", "-finfo.tiny",
                        "o menor subnormal (nextafter(0, 1))", "-nextafter(0, 1)", "4·tiny",
                        "um valor grande", "um valor grande"]
            names_es = ["0", "-0", "el menor float normal (finfo.tiny)", "-finfo.tiny",
                        "el menor subnormal (nextafter(0, 1))", "-nextafter(0, 1)", "4·tiny",
                        "un valor grande", "un valor grande"]
            x = torch.tensor(points, dtype=dtype, device=device)
            dname = str(dtype).replace("torch.", "")

            out = _forward(lang, Sinc, x, f"Sinc.apply(x) [{dname}]")
            ref = ref_value(x)
            bad = _bad(out, ref, 1e-6, 1e-6)
            if bool(bad.any()):
                i = int(bad.nonzero()[0])
                v = out.detach()[i].item()
                if i < 2 and math.isnan(v):
                    hint = ("sin(0)/0 = 0/0 dá NaN; trate x = 0 (sinc(0) = 1) com torch.where e "
                            "um x seguro.", "sin(0)/0 = 0/0 da NaN; trata x = 0 (sinc(0) = 1) "
                            "con torch.where y un x seguro.")
                elif not math.isfinite(v):
                    hint = (f"NaN/inf em {names_pt[i]}: alguma conta estoura (x*x, x**4, 1/x) ou "
                            "0·inf aparece; use torch.where (não máscara multiplicada) e um x "
                            "seguro.", f"NaN/inf en {names_es[i]}: alguna cuenta se desborda "
                            "(x*x, x**4, 1/x) o aparece 0·inf; usa torch.where (no una máscara "
                            "multiplicada) y un x seguro.")
                else:
                    hint = ("", "")
                _report(lang, "Sinc(x)", x, out, ref, bad, *hint)

            grad = _derivative(lang, Sinc, x, what=f"Sinc.apply(x) [{dname}]")
            ref = ref_derivative(x)
            atol = torch.tensor([max(abs(p), fi.tiny) for p in points[:7]] + [1e-6, 1e-6],
                                dtype=torch.float64)
            bad = _bad(grad, ref, 1e-3, atol)
            if bool(bad.any()):
                i = int(bad.nonzero()[0])
                v = grad.detach()[i].item()
                if not math.isfinite(v):
                    hint = (f"a derivada dá NaN/inf em {names_pt[i]}: 0/0, x*x que vira 0, 1/x "
                            "que vira inf, ou 0·inf. Perto de 0 use a série −x/3 + x³/30 e, no "
                            "outro ramo, um x seguro.", f"la derivada da NaN/inf en "
                            f"{names_es[i]}: 0/0, x*x que se vuelve 0, 1/x que se vuelve inf, o "
                            "0·inf. Cerca de 0 usa la serie −x/3 + x³/30 y, en la otra rama, un "
                            "x seguro.")
                elif i < 2:
                    hint = ("a derivada da sinc em 0 é 0 (a função é par, com máximo em 0); não "
                            "copie o 1 do forward para o backward.", "la derivada de la sinc en "
                            "0 es 0 (la función es par, con máximo en 0); no copies el 1 del "
                            "forward al backward.")
                else:
                    hint = ("", "")
                _report(lang, "d/dx Sinc(x)", x, grad, ref, bad, *hint)


def check_sinc_backward(Sinc, lang: str = "pt") -> None:
    """Backward away from 0 against torch.autograd of sin(x)/x, and torch.autograd.gradcheck."""
    for device in devices():
        gen = generator(2024)
        x64 = _away_from_zero(gen, 11).to(device)
        for dtype, rtol, atol in ((torch.float64, 1e-7, 1e-10), (torch.float32, 1e-4, 1e-6)):
            x = x64.to(dtype)
            grad = _derivative(lang, Sinc, x)
            ref = ref_derivative(x)
            bad = _bad(grad, ref, rtol, atol)
            if bool(bad.any()):
                if not _bad(grad, -ref, rtol, atol).any():
                    hint = ("sinal trocado: d/dx [sin(x)/x] = (cos x − sin(x)/x)/x.",
                            "signo invertido: d/dx [sin(x)/x] = (cos x − sin(x)/x)/x.")
                elif not _bad(grad, torch.cos(x.double()) / x.double(), rtol, atol).any():
                    hint = ("faltou o termo −sin(x)/x² da regra do quociente.",
                            "falta el término −sin(x)/x² de la regla del cociente.")
                elif not _bad(grad, torch.cos(x.double()), rtol, atol).any():
                    hint = ("cos x é a derivada de sin x, não de sin(x)/x (regra do quociente).",
                            "cos x es la derivada de sin x, no de sin(x)/x (regla del cociente).")
                else:
                    hint = ("d/dx [sin(x)/x] = (cos x − sin(x)/x)/x para x ≠ 0.",
                            "d/dx [sin(x)/x] = (cos x − sin(x)/x)/x para x ≠ 0.")
                _report(lang, "d/dx Sinc(x)", x, grad, ref, bad, *hint)
        xr = randn(generator(7), 6, device=device).requires_grad_(True)
        _require_function(lang, Sinc)
        ok = call(lang, "torch.autograd.gradcheck(Sinc.apply, ...)", torch.autograd.gradcheck,
                  Sinc.apply, (xr,), raise_exception=False)
        if not ok:
            g = randn(generator(8), 6, device=device)
            grad = _derivative(lang, Sinc, xr.detach(), g)
            ones = _derivative(lang, Sinc, xr.detach())
            if not _bad(grad, ones, 1e-9, 1e-12).any():
                fail(lang, "torch.autograd.gradcheck falhou: o backward ignora grad_output. Ele "
                           "deve devolver grad_output * sinc'(x) (regra da cadeia).",
                     "torch.autograd.gradcheck falló: el backward ignora grad_output. Debe "
                           "devolver grad_output * sinc'(x) (regla de la cadena).")
            fail(lang, "torch.autograd.gradcheck(Sinc.apply, (x,)) falhou num vetor float64 "
                       "aleatório: o backward não corresponde às diferenças finitas do forward.",
                 "torch.autograd.gradcheck(Sinc.apply, (x,)) falló con un vector float64 "
                       "aleatorio: el backward no coincide con las diferencias finitas del "
                       "forward.")


def check_sinc_grad_output(Sinc, lang: str = "pt") -> None:
    """The backward returns grad_output · sinc'(x) for a random, non-ones grad_output."""
    for device in devices():
        gen = generator(515)
        for shape, dtype in (((), torch.float64), ((7,), torch.float64),
                             ((3, 4), torch.float64), ((3, 4), torch.float32)):
            n = math.prod(shape)
            x = _away_from_zero(gen, n).reshape(shape).to(device=device, dtype=dtype)
            g = (randn(gen, n) * 3).reshape(shape).to(device=device, dtype=dtype)
            grad = _derivative(lang, Sinc, x, g, "Sinc.apply(x)")
            d = ref_derivative(x)
            ref = g.double() * d
            rtol, atol = (1e-7, 1e-10) if dtype == torch.float64 else (1e-4, 1e-5)
            bad = _bad(grad, ref, rtol, atol)
            if bool(bad.any()):
                if not _bad(grad, d, rtol, atol).any():
                    hint = ("o backward ignora grad_output: devolva grad_output * sinc'(x).",
                            "el backward ignora grad_output: devuelve grad_output * sinc'(x).")
                elif not _bad(grad, g, rtol, atol).any():
                    hint = ("o backward devolve só grad_output: falta multiplicar por sinc'(x).",
                            "el backward devuelve solo grad_output: falta multiplicar por "
                            "sinc'(x).")
                else:
                    hint = ("o backward deve devolver grad_output * sinc'(x), elemento a "
                            "elemento.", "el backward debe devolver grad_output * sinc'(x), "
                            "elemento a elemento.")
                _report(lang, "grad_output · sinc'(x)", x, grad, ref, bad, *hint)


def _near_zero_points(gen: torch.Generator, lowest: float) -> torch.Tensor:
    """|x| from `lowest` to 0.5, log-spaced with jitter, plus the spots where errors hide."""
    mags = torch.logspace(math.log10(lowest), math.log10(0.45), 70, dtype=torch.float64)
    mags = mags * (1 + 0.1 * torch.rand(70, generator=gen, dtype=torch.float64))
    spots = torch.tensor([1e-9, 1e-8, 3e-8, 1e-7, 1e-6, 1e-5, 1e-4, 3e-4, 1e-3, 3e-3, 0.01,
                          0.02, 0.05, 0.08, 0.12, 0.15, 0.18, 0.2, 0.22, 0.25, 0.3, 0.35,
                          0.4, 0.45], dtype=torch.float64)
    return _signed(gen, torch.cat([mags, spots]))


def check_sinc_near_zero(Sinc, lang: str = "pt") -> None:
    """Forward and backward accurate for 0 < |x| < 0.5 (float64 and float32)."""
    for device in devices():
        gen = generator(99)
        for dtype, lowest, rtol_f, rtol_d in ((torch.float64, 1e-300, 1e-8, 1e-6),
                                              (torch.float32, 1e-35, 1e-5, 1e-3)):
            x = _near_zero_points(gen, lowest).to(device=device, dtype=dtype)
            dname = str(dtype).replace("torch.", "")
            out = _forward(lang, Sinc, x, f"Sinc.apply(x) [{dname}]")
            bad = _bad(out, ref_value(x), rtol_f, 0.0)
            if bool(bad.any()):
                _report(lang, "Sinc(x)", x, out, ref_value(x), bad,
                        "perto de 0 a série 1 − x²/6 + x⁴/120 só vale para |x| bem pequeno; "
                        "confira o limiar e os termos.",
                        "cerca de 0 la serie 1 − x²/6 + x⁴/120 solo vale para |x| bien pequeño; "
                        "revisa el umbral y los términos.")
            grad = _derivative(lang, Sinc, x, what=f"Sinc.apply(x) [{dname}]")
            ref = ref_derivative(x)
            bad = _bad(grad, ref, rtol_d, 0.0)
            if not bool(bad.any()):
                continue
            xd = x.detach().cpu().double().abs()
            bad = bad.cpu()
            g64 = grad.detach().cpu().double()
            rel = ((g64 - ref.cpu()) / ref.cpu()).abs()
            if not bool(torch.isfinite(g64).all()):
                bad = ~torch.isfinite(g64)
                hint = ("NaN/inf perto de 0: contas como x*x ou x**2 viram 0 para |x| minúsculo "
                        "(e 1/x vira inf). Use a série −x/3 + x³/30 para |x| pequeno e um x "
                        "seguro no outro ramo.", "NaN/inf cerca de 0: cuentas como x*x o x**2 se "
                        "vuelven 0 para |x| minúsculo (y 1/x se vuelve inf). Usa la serie "
                        "−x/3 + x³/30 para |x| pequeño y un x seguro en la otra rama.")
            elif not (_bad(grad, -ref, rtol_d, 0.0) & bad).any():
                hint = ("sinal trocado: perto de 0, sinc'(x) ≈ −x/3 (a sinc desce dos dois "
                        "lados do máximo em 0).", "signo invertido: cerca de 0, sinc'(x) ≈ −x/3 "
                        "(la sinc baja a ambos lados del máximo en 0).")
            elif dtype == torch.float64 and bool((bad & (xd < 1e-6) & (rel > 1e-2)).any()):
                hint = ("cancelamento catastrófico: para |x| pequeno, cos x e sin(x)/x são "
                        "ambos ≈ 1 e a diferença (cos x − sin(x)/x)/x perde todos os dígitos. "
                        "Use a série −x/3 + x³/30 abaixo de um limiar (o erro de arredondamento "
                        "cresce como 3ε/x²).", "cancelación catastrófica: para |x| pequeño, "
                        "cos x y sin(x)/x valen ≈ 1 y la diferencia (cos x − sin(x)/x)/x pierde "
                        "todos los dígitos. Usa la serie −x/3 + x³/30 por debajo de un umbral "
                        "(el error de redondeo crece como 3ε/x²).")
            elif dtype == torch.float32 and bool((bad & (xd < 0.05)).any()):
                hint = ("em float32 (ε ≈ 1,2e-7) o cancelamento de (cos x − sin(x)/x)/x já "
                        "estraga a derivada para |x| até ~0,01–0,05: o limiar da série precisa "
                        "ser maior em float32 (use torch.finfo(x.dtype).eps ou um limiar que "
                        "sirva para os dois dtypes).", "en float32 (ε ≈ 1,2e-7) la cancelación "
                        "de (cos x − sin(x)/x)/x ya arruina la derivada para |x| hasta "
                        "~0,01–0,05: el umbral de la serie tiene que ser mayor en float32 (usa "
                        "torch.finfo(x.dtype).eps o un umbral que sirva para ambos dtypes).")
            elif bool((bad & (xd > 1e-3)).any()) and float(rel[bad].max()) < 1e-2:
                hint = ("a série truncada −x/3 + x³/30 erra ~x⁴/280 (relativo): o limiar está "
                        "grande demais, ou falta um termo da série.", "la serie truncada "
                        "−x/3 + x³/30 se equivoca ~x⁴/280 (relativo): el umbral es demasiado "
                        "grande, o falta un término de la serie.")
            else:
                hint = ("sinc'(x) = (cos x − sin(x)/x)/x para x ≠ 0 e, perto de 0, a série "
                        "−x/3 + x³/30 − …", "sinc'(x) = (cos x − sin(x)/x)/x para x ≠ 0 y, "
                        "cerca de 0, la serie −x/3 + x³/30 − …")
            _report(lang, "d/dx Sinc(x)", x, grad, ref, bad, *hint, worst=True)


# --------------------------------------------------------------------------- questions
def check_hook_value(answer, lang: str = "pt") -> None:
    check_choice(lang, "answer_hook_value", answer, "b", "abcd")


def check_where_nan(answer, lang: str = "pt") -> None:
    check_choice(lang, "answer_where_nan", answer, "c", "abcd")


def check_gradcheck_zero(answer, lang: str = "pt") -> None:
    check_choice(lang, "answer_gradcheck_zero", answer, "d", "abcd")
