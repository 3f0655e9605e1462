"""Mistakes any exercise can make, recognised by the shared helpers of course.checks.core.

`wrong_value` is the one unrecognised failure: the answer is a tensor of the right kind whose
values match no known mistake.  `not_implemented` means the stub was left as released.
"""
from __future__ import annotations

from .mistakes import Message, Mistakes

GENERIC = Mistakes({"*": {
    "not_implemented": Message(
        "`{name}` ainda não foi implementada (o esboço levanta NotImplementedError).",
        "`{name}` aún no está implementada (el esqueleto lanza NotImplementedError)."),
    "raised": Message(
        "`{name}` levantou {error}",
        "`{name}` lanzó {error}"),
    "not_a_tensor": Message(
        "{what}: esperava um tensor, veio {type}. Mantenha o resultado como tensor (sem "
        ".item(), .tolist() ou numpy).",
        "{what}: se esperaba un tensor y llegó {type}. Mantén el resultado como tensor (sin "
        ".item(), .tolist() ni numpy)."),
    "wrong_shape": Message(
        "{what}: formato {got}, esperado {expected}.",
        "{what}: forma {got}, se esperaba {expected}."),
    "wrong_device": Message(
        "{what}: está em {got}, mas as entradas estavam em {expected}. Crie tensores novos com "
        "device=... (ou use *_like).",
        "{what}: está en {got}, pero las entradas estaban en {expected}. Crea los tensores "
        "nuevos con device=... (o usa *_like)."),
    "wrong_dtype": Message(
        "{what}: dtype {got}, esperado {expected} (o mesmo das entradas).",
        "{what}: dtype {got}, se esperaba {expected} (el mismo de las entradas)."),
    "wrong_value": Message(
        "{what}: valor errado. Esperado {expected}, obtido {got}.",
        "{what}: valor incorrecto. Se esperaba {expected} y se obtuvo {got}."),
    "used_autograd": Message(
        "`{name}` usou diferenciação automática ({how}), e este exercício pede o cálculo sem "
        "autograd: faça as contas você mesmo (regra da cadeia ou diferenças finitas, como o "
        "enunciado diz).",
        "`{name}` usó diferenciación automática ({how}), y este ejercicio pide el cálculo sin "
        "autograd: haz las cuentas tú (regla de la cadena o diferencias finitas, como dice el "
        "enunciado)."),
    "torch_func_not_backward": Message(
        "`{name}` calculou os gradientes com `torch.func` (grad, vjp, jacrev…), e este "
        "exercício pede os gradientes de `backward()` (ou `torch.autograd.grad`), como o "
        "enunciado mostra.",
        "`{name}` calculó los gradientes con `torch.func` (grad, vjp, jacrev…), y este "
        "ejercicio pide los gradientes de `backward()` (o `torch.autograd.grad`), como muestra "
        "el enunciado."),
    "too_few_backward": Message(
        "`{name}` rodou {got} passagem(ns) de `backward()` onde o enunciado pede {expected} "
        "({why}). Calcule os gradientes com o autograd, como o exercício pede: um valor certo "
        "obtido com a derivada escrita à mão não vale aqui.",
        "`{name}` ejecutó {got} pasada(s) de `backward()` donde el enunciado pide {expected} "
        "({why}). Calcula los gradientes con autograd, como pide el ejercicio: un valor "
        "correcto obtenido con la derivada escrita a mano no vale aquí."),
    "modified_input": Message(
        "`{name}` modificou a entrada `{input}` (valor, requires_grad ou .grad). Trabalhe sobre "
        "cópias (`.detach().clone()`; `.detach()` sozinho não copia: compartilha a memória "
        "com a entrada), nunca in-place nas entradas.",
        "`{name}` modificó la entrada `{input}` (valor, requires_grad o .grad). Trabaja sobre "
        "copias (`.detach().clone()`; `.detach()` por sí solo no copia: comparte la memoria con la "
        "entrada), nunca in-place sobre las entradas."),
    "input_grad_changed": Message(
        "`{name}` mudou o `.grad` da entrada `{input}` (os valores dela ficaram iguais): a "
        "função chamou `backward()`, ou mexeu em `.grad`? Ela deve só devolver o resultado; "
        "o `backward()` fica com quem a chama. Se precisar de um gradiente lá dentro, use "
        "`torch.autograd.grad`, que não toca em `.grad`.",
        "`{name}` cambió el `.grad` de la entrada `{input}` (sus valores quedaron iguales): ¿la "
        "función llamó a `backward()`, o tocó `.grad`? Solo debe devolver el resultado; el "
        "`backward()` lo hace quien la llama. Si necesitas un gradiente adentro, usa "
        "`torch.autograd.grad`, que no toca `.grad`."),
    "not_a_choice": Message(
        "`{name}` deve ser uma das letras {options}; veio {got}.",
        "`{name}` debe ser una de las letras {options}; llegó {got}."),
    "wrong_choice": Message(
        "`{name}`: a alternativa {got} não é a correta. Releia a seção e experimente no "
        "notebook.",
        "`{name}`: la opción {got} no es la correcta. Relee la sección y pruébalo en el "
        "notebook."),
}})

HINT = Message(" Provável causa: {hint}", " Causa probable: {hint}")


def fail(lang: str, mid: str, **fields) -> None:
    GENERIC.fail(lang, mid, **fields)
