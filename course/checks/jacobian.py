"""Hidden tests of lesson 06 (Jacobians and vector-Jacobian products)."""
from __future__ import annotations

import torch

from .core import (Snapshot, call, check_choice, close, devices, expect_close, expect_tensor, fail,
                   generator, randn)

# (m, n) = (outputs, inputs): square first (it tells J·v and Jᵀ from the right answer), then
# wide, tall, a single output and a single input.
SHAPES = ((4, 4), (3, 5), (5, 3), (1, 4), (4, 1))

# autograd agrees with torch.autograd.functional.jacobian to ~1e-15 in float64; central finite
# differences reach at best ~1e-10, so this tolerance tells them apart.
STRICT = dict(rtol=1e-10, atol=1e-12)
# The contract fixes no dtype: a float64 result written into a float32 tensor is only rounded.
ROUNDED = dict(rtol=1e-6, atol=1e-9)


def make_function(seed: int, m: int, n: int, device: str):
    """A random smooth f: R^n -> R^m with a non-symmetric Jacobian (float64)."""
    gen = generator(seed)
    A = randn(gen, m, n, device=device)
    B = randn(gen, m, n, device=device) / n ** 0.5
    idx = torch.arange(m, device=device) % n

    def f(x):
        return torch.tanh(A @ x) + 0.5 * (B @ x) ** 2 + x[idx] ** 3 / 3

    return f


def _problem(seed: int, m: int, n: int, device: str):
    f = make_function(seed, m, n, device)
    gen = generator(seed + 1)
    return f, randn(gen, n, device=device), randn(gen, m, device=device)


def reference_jacobian(f, x: torch.Tensor) -> torch.Tensor:
    return torch.autograd.functional.jacobian(f, x.detach().clone())


def _tol(got) -> dict:
    if isinstance(got, torch.Tensor) and got.dtype == torch.float32:
        return ROUNDED
    return STRICT


def _expect(lang: str, what: str, got, expected: torch.Tensor, shape_hints=(),
            value_hints=()) -> None:
    """`got` equals `expected` (shape, device, values); name the mistake when one fits."""
    if isinstance(got, torch.Tensor) and got.shape != expected.shape:
        for shape, pt, es in shape_hints:
            if tuple(got.shape) == tuple(shape):
                fail(lang, f"{what}: formato {tuple(got.shape)}, esperado "
                           f"{tuple(expected.shape)}. {pt}",
                     f"{what}: forma {tuple(got.shape)}, se esperaba "
                           f"{tuple(expected.shape)}. {es}")
    expect_tensor(lang, what, got, expected, check_dtype=False)
    if close(got, expected, **_tol(got)):
        return
    for alt, pt, es in value_hints:
        if alt.shape == expected.shape and close(got, alt, 1e-8, 1e-10):
            fail(lang, f"{what}: valor errado. {pt}", f"{what}: valor incorrecto. {es}")
    if close(got, expected, 1e-4, 1e-6):
        fail(lang, f"{what}: os valores batem só até ~1e-6 (esperado erro ~1e-12 em float64). "
                   "Parece uma aproximação numérica (diferenças finitas) ou uma conversão de "
                   "dtype; calcule com o autograd, no dtype de x.",
             f"{what}: los valores coinciden solo hasta ~1e-6 (se espera un error ~1e-12 en "
                   "float64). Parece una aproximación numérica (diferencias finitas) o una "
                   "conversión de dtype; calcula con autograd, en el dtype de x.")
    expect_close(lang, what, got, expected, check_dtype=False, **_tol(got))


# ----------------------------------------------------------------------------------------- vjp

def _vjp_hints(J: torch.Tensor, v: torch.Tensor):
    m, n = J.shape
    shape_hints = [
        ((1, n), "vᵀJ deve voltar com o formato de x, um vetor 1-D (use .reshape(x.shape)).",
         "vᵀJ debe volver con la forma de x, un vector 1-D (usa .reshape(x.shape))."),
        ((n, 1), "vᵀJ deve voltar com o formato de x, um vetor 1-D (use .reshape(x.shape)).",
         "vᵀJ debe volver con la forma de x, un vector 1-D (usa .reshape(x.shape))."),
        ((m, n), "Isso é uma matriz (a Jacobiana ou v*J); vᵀJ soma sobre as saídas e tem uma "
                 "entrada por componente de x.",
         "Eso es una matriz (el jacobiano o v*J); vᵀJ suma sobre las salidas y tiene una "
                 "entrada por componente de x."),
    ]
    if m != n:
        shape_hints.append(((m,), "Isso é o espaço das saídas de f; vᵀJ tem uma entrada por "
                                  "componente de x (é o que chega em x.grad).",
                            "Eso es el espacio de las salidas de f; vᵀJ tiene una entrada por "
                                  "componente de x (es lo que llega a x.grad)."))
    value_hints = [
        (torch.ones_like(v) @ J, "O vetor v foi ignorado: isso é 1ᵀJ, o que dá y.sum().backward(). "
                                 "Passe v: y.backward(gradient=v) ou "
                                 "torch.autograd.grad(y, x, grad_outputs=v).",
         "Se ignoró el vector v: eso es 1ᵀJ, lo que da y.sum().backward(). Pasa v: "
                                 "y.backward(gradient=v) o torch.autograd.grad(y, x, "
                                 "grad_outputs=v)."),
        (-(v @ J), "Sinal trocado: isso é -vᵀJ.", "Signo invertido: eso es -vᵀJ."),
    ]
    if m == n:
        value_hints.insert(0, (J @ v, "Isso é J·v (combinação das colunas), não vᵀJ = Jᵀv "
                                      "(combinação das linhas). Confira a transposição.",
                               "Eso es J·v (combinación de columnas), no vᵀJ = Jᵀv "
                                      "(combinación de filas). Revisa la transposición."))
    return shape_hints, value_hints


def check_vjp_values(vjp, lang: str = "pt") -> None:
    for device in devices():
        for k, (m, n) in enumerate(SHAPES):
            f, x, v = _problem(600 + 10 * k, m, n, device)
            J = reference_jacobian(f, x)
            got = call(lang, "vjp", vjp, f, x, v)
            _expect(lang, f"vjp (f: R^{n} → R^{m})", got, v @ J, *_vjp_hints(J, v))


def _x_cases(n: int, device: str, seed: int):
    """The caller's x: plain; a leaf requiring grad; a leaf requiring grad with a .grad."""
    gen = generator(seed)
    plain = randn(gen, n, device=device)
    leaf = randn(gen, n, device=device).requires_grad_(True)
    with_grad = randn(gen, n, device=device).requires_grad_(True)
    with_grad.grad = randn(gen, n, device=device)
    return [("requires_grad=False", plain), ("requires_grad=True", leaf),
            ("requires_grad=True, .grad", with_grad)]


def _verify_caller_x(lang: str, name: str, x: torch.Tensor, req: bool, had_grad: bool) -> None:
    if x.requires_grad != req:
        fail(lang, f"`{name}` mudou x.requires_grad de {req} para {x.requires_grad}. Não ligue "
                   "o gradiente no tensor de quem chama: trabalhe numa cópia, "
                   "x.detach().requires_grad_(True).",
             f"`{name}` cambió x.requires_grad de {req} a {x.requires_grad}. No actives el "
                   "gradiente en el tensor de quien llama: trabaja sobre una copia, "
                   "x.detach().requires_grad_(True).")
    if not had_grad and x.grad is not None:
        fail(lang, f"`{name}` deixou um .grad no x de quem chama. Derive em relação a uma cópia "
                   "x.detach().requires_grad_(True) (ou use torch.autograd.grad). Atenção: "
                   "x.clone() de um tensor que exige gradiente não é folha, e o backward "
                   "atravessa a cópia até o x original.",
             f"`{name}` dejó un .grad en el x de quien llama. Deriva respecto de una copia "
                   "x.detach().requires_grad_(True) (o usa torch.autograd.grad). Ojo: x.clone() "
                   "de un tensor que requiere gradiente no es una hoja, y el backward atraviesa "
                   "la copia hasta el x original.")


def check_vjp_contract(vjp, lang: str = "pt") -> None:
    for device in devices():
        for k, (m, n) in enumerate(((3, 4), (4, 4))):
            f, _, v = _problem(700 + 10 * k, m, n, device)
            for label, x in _x_cases(n, device, 710 + 10 * k):
                J = reference_jacobian(f, x)
                req, had_grad = x.requires_grad, x.grad is not None
                snap = Snapshot(x=x, v=v)
                got = call(lang, "vjp", vjp, f, x, v)
                _verify_caller_x(lang, "vjp", x, req, had_grad)
                snap.verify(lang, "vjp")
                _expect(lang, f"vjp (x {label})", got, v @ J, *_vjp_hints(J, v))


# ------------------------------------------------------------------------------------ jacobian

def _jacobian_hints(J: torch.Tensor):
    m, n = J.shape
    transposed = ("Isso é a transposta: J[i, j] = ∂f_i/∂x_j, uma linha por saída de f e uma coluna "
                  "por componente de x.",
                  "Eso es la traspuesta: J[i, j] = ∂f_i/∂x_j, una fila por salida de f y una columna por "
                  "componente de x.")
    shape_hints = [((n, m), *transposed)] if m != n else []
    value_hints = []
    if m == n:
        value_hints.append((J.T, *transposed))
    if m > 1:
        value_hints += [
            (J.cumsum(0), "A linha k é a soma das linhas 0…k: o gradiente acumulou entre os "
                          "backward. Zere x.grad a cada linha (ou use torch.autograd.grad, que "
                          "não acumula) e guarde uma cópia de cada linha.",
             "La fila k es la suma de las filas 0…k: el gradiente se acumuló entre los "
                          "backward. Pon x.grad a cero en cada fila (o usa torch.autograd.grad, "
                          "que no acumula) y guarda una copia de cada fila."),
            (J.sum(0).expand(m, n), "Todas as linhas valem 1ᵀJ: o vetor v de cada linha deve "
                                    "ser a base e_i (1 na posição i, 0 no resto).",
             "Todas las filas valen 1ᵀJ: el vector v de cada fila debe ser la base e_i (1 en "
                                    "la posición i, 0 en el resto)."),
            (J[-1].expand(m, n), "Todas as linhas são iguais à última: guarde uma cópia de "
                                 "cada linha (x.grad.clone()), não o mesmo tensor que depois é "
                                 "sobrescrito.",
             "Todas las filas son iguales a la última: guarda una copia de cada fila "
                                 "(x.grad.clone()), no el mismo tensor que luego se "
                                 "sobrescribe."),
        ]
    return shape_hints, value_hints


def _not_a_list(lang: str, got) -> None:
    if isinstance(got, (list, tuple)):
        pt, es = ("uma lista", "una lista") if isinstance(got, list) else ("uma tupla", "una tupla")
        fail(lang, f"`jacobian` devolveu {pt} de linhas; devolva um único tensor de formato "
                   "(len(f(x)), len(x)), por exemplo com torch.stack(linhas).",
             f"`jacobian` devolvió {es} de filas; devuelve un único tensor de forma "
                   "(len(f(x)), len(x)), por ejemplo con torch.stack(filas).")


def check_jacobian_values(jacobian, lang: str = "pt") -> None:
    for device in devices():
        for k, (m, n) in enumerate(SHAPES):
            f, x, _ = _problem(800 + 10 * k, m, n, device)
            J = reference_jacobian(f, x)
            got = call(lang, "jacobian", jacobian, f, x)
            _not_a_list(lang, got)
            _expect(lang, f"jacobian (f: R^{n} → R^{m})", got, J, *_jacobian_hints(J))


def check_jacobian_contract(jacobian, lang: str = "pt") -> None:
    for device in devices():
        for k, (m, n) in enumerate(((2, 3), (3, 3))):
            f, _, _ = _problem(900 + 10 * k, m, n, device)
            for label, x in _x_cases(n, device, 910 + 10 * k):
                J = reference_jacobian(f, x)
                req, had_grad = x.requires_grad, x.grad is not None
                snap = Snapshot(x=x)
                got = call(lang, "jacobian", jacobian, f, x)
                _verify_caller_x(lang, "jacobian", x, req, had_grad)
                snap.verify(lang, "jacobian")
                _not_a_list(lang, got)
                _expect(lang, f"jacobian (x {label})", got, J, *_jacobian_hints(J))


# ------------------------------------------------------------------------------------ choices

def check_backward_gradient(answer, lang: str = "pt") -> None:
    check_choice(lang, "answer_backward_gradient", answer, "b", "abcd")


def check_no_grad_backward(answer, lang: str = "pt") -> None:
    check_choice(lang, "answer_no_grad_backward", answer, "c", "abcd")
