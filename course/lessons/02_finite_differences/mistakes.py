"""Lesson 02: the mistakes its hidden tests recognise, per exercise (pt/es messages)."""
from course.checks.generic import GENERIC
from course.checks.mistakes import Message, Mistakes

_J = ("J_func: esperado {expected}, obtido {got}. Você ",
      "J_func: se esperaba {expected} y se obtuvo {got}. Parece que ")
_CAUSE = ("{what}: esperado {expected}, obtido {got}. Provável causa: ",
          "{what}: se esperaba {expected} y se obtuvo {got}. Causa probable: ")


def _j(pt: str, es: str) -> Message:
    return Message(_J[0] + pt, _J[1] + es)


def _cause(pt: str, es: str) -> Message:
    return Message(_CAUSE[0] + pt, _CAUSE[1] + es)


MISTAKES = Mistakes({
    "J_func": {
        "mean_instead_of_sum": _j(
            "calculou a média; J é a soma (.sum()), não a média.",
            "calculaste la media; J es la suma (.sum()), no la media."),
        "norm_instead_of_sum_of_squares": _j(
            "calculou a norma (raiz da soma); J é a soma dos quadrados, sem raiz.",
            "calculaste la norma (raíz de la suma); J es la suma de los cuadrados, sin raíz."),
        "abs_instead_of_square": _j(
            "somou |e|; J soma os erros ao quadrado.",
            "sumaste |e|; J suma los errores al cuadrado."),
        "square_forgotten": _j(
            "esqueceu o quadrado: J = Σ (x·w − y)².",
            "olvidaste el cuadrado: J = Σ (x·w − y)²."),
    },
    "dJ_diff": {
        "result_not_shaped_like_w": Message(
            "{what}: valor certo, mas com formato {got}; o contrato pede o formato de w, "
            "{expected} (use .reshape(w.shape)).",
            "{what}: valor correcto, pero con forma {got}; el contrato pide la forma de w, "
            "{expected} (usa .reshape(w.shape))."),
        "forward_difference": _cause(
            "diferença para frente (J(w+dw) − J(w))/dw: o erro dela é J''·dw/2. Use a "
            "diferença central (J(w+dw) − J(w−dw)) / (2·dw).",
            "diferencia hacia adelante (J(w+dw) − J(w))/dw: su error es J''·dw/2. Usa la "
            "diferencia central (J(w+dw) − J(w−dw)) / (2·dw)."),
        "backward_difference": _cause(
            "diferença para trás (J(w) − J(w−dw))/dw: o erro dela é −J''·dw/2. Use a "
            "diferença central.",
            "diferencia hacia atrás (J(w) − J(w−dw))/dw: su error es −J''·dw/2. Usa la "
            "diferencia central."),
        "divided_by_dw": _cause(
            "dividiu por dw; a distância entre w−dw e w+dw é 2·dw.",
            "dividiste por dw; la distancia entre w−dw y w+dw es 2·dw."),
        "dw_sign_flipped": _cause(
            "sinal trocado: o numerador é J(w+dw) − J(w−dw).",
            "signo invertido: el numerador es J(w+dw) − J(w−dw)."),
    },
    "numerical_grad": {
        "eps_forward_difference": _cause(
            "diferença para frente (f(w+eps) − f(w))/eps; use a central "
            "(f(w+eps) − f(w−eps)) / (2·eps).",
            "diferencia hacia adelante (f(w+eps) − f(w))/eps; usa la central "
            "(f(w+eps) − f(w−eps)) / (2·eps)."),
        "eps_backward_difference": _cause(
            "diferença para trás (f(w) − f(w−eps))/eps; use a central.",
            "diferencia hacia atrás (f(w) − f(w−eps))/eps; usa la central."),
        "divided_by_eps": _cause(
            "dividiu por eps; o passo total da diferença central é 2·eps.",
            "dividiste por eps; el paso total de la diferencia central es 2·eps."),
        "eps_sign_flipped": _cause(
            "sinal trocado: o numerador é f(w+eps) − f(w−eps).",
            "signo invertido: el numerador es f(w+eps) − f(w−eps)."),
        "eps_ignored": Message(
            "{what}: o resultado é o gradiente com um eps minúsculo (ou do autograd), não a "
            "diferença central com o eps={eps} pedido. Use o argumento eps, sem fixar o passo.",
            "{what}: el resultado es el gradiente con un eps diminuto (o de autograd), no la "
            "diferencia central con el eps={eps} pedido. Usa el argumento eps, sin fijar el "
            "paso."),
    },
}, hints={
    "J_func": Message("J = Σ (x·w − y)², com os x, y e w recebidos como argumentos.",
                      "J = Σ (x·w − y)², con los x, y y w recibidos como argumentos."),
    "dJ_central": Message(
        "(J_func(w+dw) − J_func(w−dw)) / (2·dw), com o J_func e o dw recebidos.",
        "(J_func(w+dw) − J_func(w−dw)) / (2·dw), con J_func y el dw recibido."),
    "called_under_no_grad": Message(
        "{error} (dJ_diff foi chamada dentro de torch.no_grad(), com w sem requires_grad: sem "
        "autograd, use só avaliações de J_func.)",
        "{error} (dJ_diff se llamó dentro de torch.no_grad(), con w sin requires_grad: sin "
        "autograd, usa solo evaluaciones de J_func.)"),
    "w_requires_grad": Message("dJ_diff (w com requires_grad=True)",
                               "dJ_diff (w con requires_grad=True)"),
    "call_context": Message("[w {label}, formato {shape}] {error} {hint}",
                            "[w {label}, forma {shape}] {error} {hint}"),
    "every_element": Message(
        "Percorra todos os w.numel() elementos (por exemplo com um índice num w.reshape(-1) de "
        "uma cópia), qualquer que seja o número de dimensões.",
        "Recorre los w.numel() elementos (por ejemplo con un índice sobre un w.reshape(-1) de "
        "una copia), sea cual sea el número de dimensiones."),
    "returned_w_itself": Message(
        "numerical_grad devolveu o próprio w; devolva um tensor novo.",
        "numerical_grad devolvió el mismo w; devuelve un tensor nuevo."),
    "work_on_a_copy": Message(
        "Não perturbe o w recebido: trabalhe numa cópia (w.detach().clone()).",
        "No perturbes el w recibido: trabaja sobre una copia (w.detach().clone())."),
    "no_autograd": Message(
        "numerical_grad não pode usar autograd (backward, torch.autograd.grad): f pode nem ter "
        "grafo. Use só avaliações de f.",
        "numerical_grad no puede usar autograd (backward, torch.autograd.grad): f puede no "
        "tener grafo. Usa solo evaluaciones de f."),
    "f_without_graph": Message("f sem grafo", "f sin grafo"),
    "numerical_grad_f_without_graph": Message("numerical_grad (f sem grafo)",
                                              "numerical_grad (f sin grafo)"),
}, generic=GENERIC)
