"""Lesson 04: the mistakes its hidden tests recognise, per exercise (pt/es messages)."""
from course.checks.generic import GENERIC
from course.checks.mistakes import Message, Mistakes

# A wrong value at one x (the first wrong entry, or the worst one): the sentence of an
# unrecognised wrong value (`wrong_value`, a hint may follow) and the start of every mistake
# recognised from wrong values, which adds its cause.
WRONG_AT = Message(
    "{what} errado em x = {x:.6g} ({dtype}): esperado {expected:.10g}, obtido {got:.10g}.",
    "{what} incorrecto en x = {x:.6g} ({dtype}): se esperaba {expected:.10g} y se obtuvo "
    "{got:.10g}.")


def _wrong_at(pt: str, es: str) -> Message:
    """A wrong value at one x whose cause is recognised."""
    return Message(WRONG_AT.pt + " Provável causa: " + pt, WRONG_AT.es + " Causa probable: " + es)


# What is compared: the gradient of the output of one contract case.
GRADIENT_OF = Message("gradiente de {what}", "gradiente de {what}")

# The special points of check_sinc_special, in its order (fill `{point}`).
_BIG = Message("um valor grande", "un valor grande")
POINT_NAMES = (
    Message("0", "0"),
    Message("-0", "-0"),
    Message("o menor float normal (finfo.tiny)", "el menor float normal (finfo.tiny)"),
    Message("-finfo.tiny", "-finfo.tiny"),
    Message("o menor subnormal (nextafter(0, 1))", "el menor subnormal (nextafter(0, 1))"),
    Message("-nextafter(0, 1)", "-nextafter(0, 1)"),
    Message("4·tiny", "4·tiny"),
    _BIG,
    _BIG,
)

# gradcheck failed and no known cause explains it (an unrecognised wrong value).
GRADCHECK_FAILED = Message(
    "torch.autograd.gradcheck(Sinc.apply, (x,)) falhou num vetor float64 aleatório: o backward "
    "não corresponde às diferenças finitas do forward.",
    "torch.autograd.gradcheck(Sinc.apply, (x,)) falló con un vector float64 aleatorio: el "
    "backward no coincide con las diferencias finitas del forward.")

MISTAKES = Mistakes({
    "Sinc": {
        # ---- the class and what Sinc.apply returns
        "not_an_autograd_function": Message(
            "`Sinc` deve ser uma classe que herda de torch.autograd.Function, com "
            "forward(ctx, x) e backward(ctx, grad_output) estáticos; veio {type}.",
            "`Sinc` debe ser una clase que hereda de torch.autograd.Function, con "
            "forward(ctx, x) y backward(ctx, grad_output) estáticos; llegó {type}."),
        "returned_python_number": Message(
            "{what}: Sinc.apply devolveu um número Python ({type}), não um tensor. O forward "
            "deve devolver um tensor com o formato, o dtype e o device de x (nada de .item() ou "
            "`return 1.0`).",
            "{what}: Sinc.apply devolvió un número de Python ({type}), no un tensor. El forward "
            "debe devolver un tensor con la forma, el dtype y el device de x (nada de .item() "
            "ni `return 1.0`)."),
        "output_without_grad_fn": Message(
            "a saída de Sinc.apply(x) não tem grad_fn: o backward nunca será chamado. Use a "
            "classe por Sinc.apply(x) e não desligue o grafo no forward.",
            "la salida de Sinc.apply(x) no tiene grad_fn: el backward nunca se llamará. Usa la "
            "clase con Sinc.apply(x) y no cortes el grafo en el forward."),
        # ---- forward values
        "torch_sinc_normalized": _wrong_at(
            "torch.sinc é a sinc *normalizada*, sin(πx)/(πx); aqui queremos sin(x)/x "
            "(não normalizada).",
            "torch.sinc es la sinc *normalizada*, sin(πx)/(πx); aquí queremos sin(x)/x "
            "(no normalizada)."),
        "forward_series_too_far": _wrong_at(
            "a série 1 − x²/6 + x⁴/120 está sendo usada longe demais de 0 (o erro de "
            "truncamento cresce como x⁶/5040): diminua o limiar.",
            "la serie 1 − x²/6 + x⁴/120 se usa demasiado lejos de 0 (el error de truncamiento "
            "crece como x⁶/5040): baja el umbral."),
        "nan_at_zero": _wrong_at(
            "sin(0)/0 = 0/0 dá NaN; trate x = 0 (sinc(0) = 1) com torch.where e um x seguro.",
            "sin(0)/0 = 0/0 da NaN; trata x = 0 (sinc(0) = 1) con torch.where y un x seguro."),
        "forward_not_finite": _wrong_at(
            "NaN/inf em {point}: alguma conta estoura (x*x, x**4, 1/x) ou 0·inf aparece; use "
            "torch.where (não máscara multiplicada) e um x seguro.",
            "NaN/inf en {point}: alguna cuenta se desborda (x*x, x**4, 1/x) o aparece 0·inf; "
            "usa torch.where (no una máscara multiplicada) y un x seguro."),
        # ---- derivative at the special points
        "derivative_not_finite": _wrong_at(
            "a derivada dá NaN/inf em {point}: 0/0, x*x que vira 0, 1/x que vira inf, ou 0·inf. "
            "Perto de 0 use a série −x/3 + x³/30 e, no outro ramo, um x seguro.",
            "la derivada da NaN/inf en {point}: 0/0, x*x que se vuelve 0, 1/x que se vuelve "
            "inf, o 0·inf. Cerca de 0 usa la serie −x/3 + x³/30 y, en la otra rama, un x "
            "seguro."),
        "nonzero_derivative_at_zero": _wrong_at(
            "a derivada da sinc em 0 é 0 (a função é par, com máximo em 0); não copie o 1 do "
            "forward para o backward.",
            "la derivada de la sinc en 0 es 0 (la función es par, con máximo en 0); no copies "
            "el 1 del forward al backward."),
        # ---- derivative away from 0
        "derivative_sign_flipped": _wrong_at(
            "sinal trocado: d/dx [sin(x)/x] = (cos x − sin(x)/x)/x.",
            "signo invertido: d/dx [sin(x)/x] = (cos x − sin(x)/x)/x."),
        "missing_quotient_term": _wrong_at(
            "faltou o termo −sin(x)/x² da regra do quociente.",
            "falta el término −sin(x)/x² de la regla del cociente."),
        "derivative_of_sin_only": _wrong_at(
            "cos x é a derivada de sin x, não de sin(x)/x (regra do quociente).",
            "cos x es la derivada de sin x, no de sin(x)/x (regla del cociente)."),
        # ---- grad_output
        "ignores_grad_output": Message(
            "torch.autograd.gradcheck falhou: o backward ignora grad_output. Ele deve devolver "
            "grad_output * sinc'(x) (regra da cadeia).",
            "torch.autograd.gradcheck falló: el backward ignora grad_output. Debe devolver "
            "grad_output * sinc'(x) (regla de la cadena)."),
        "returns_grad_output_only": _wrong_at(
            "o backward devolve só grad_output: falta multiplicar por sinc'(x).",
            "el backward devuelve solo grad_output: falta multiplicar por sinc'(x)."),
        # ---- derivative near 0
        "series_sign_flipped": _wrong_at(
            "sinal trocado: perto de 0, sinc'(x) ≈ −x/3 (a sinc desce dos dois lados do máximo "
            "em 0).",
            "signo invertido: cerca de 0, sinc'(x) ≈ −x/3 (la sinc baja a ambos lados del "
            "máximo en 0)."),
        "catastrophic_cancellation": _wrong_at(
            "cancelamento catastrófico: para |x| pequeno, cos x e sin(x)/x são ambos ≈ 1 e a "
            "diferença (cos x − sin(x)/x)/x perde todos os dígitos. Use a série −x/3 + x³/30 "
            "abaixo de um limiar (o erro de arredondamento cresce como 3ε/x²).",
            "cancelación catastrófica: para |x| pequeño, cos x y sin(x)/x valen ≈ 1 y la "
            "diferencia (cos x − sin(x)/x)/x pierde todos los dígitos. Usa la serie "
            "−x/3 + x³/30 por debajo de un umbral (el error de redondeo crece como 3ε/x²)."),
        "float32_threshold_too_small": _wrong_at(
            "em float32 (ε ≈ 1,2e-7) o cancelamento de (cos x − sin(x)/x)/x já estraga a "
            "derivada para |x| até ~0,01–0,05: o limiar da série precisa ser maior em float32 "
            "(use torch.finfo(x.dtype).eps ou um limiar que sirva para os dois dtypes).",
            "en float32 (ε ≈ 1,2e-7) la cancelación de (cos x − sin(x)/x)/x ya arruina la "
            "derivada para |x| hasta ~0,01–0,05: el umbral de la serie tiene que ser mayor en "
            "float32 (usa torch.finfo(x.dtype).eps o un umbral que sirva para ambos dtypes)."),
        "series_truncation_error": _wrong_at(
            "a série truncada −x/3 + x³/30 erra ~x⁴/280 (relativo): o limiar está grande "
            "demais, ou falta um termo da série.",
            "la serie truncada −x/3 + x³/30 se equivoca ~x⁴/280 (relativo): el umbral es "
            "demasiado grande, o falta un término de la serie."),
    },
}, hints={
    "forward_formula": Message(
        "o forward deve devolver sin(x)/x, elemento a elemento.",
        "el forward debe devolver sin(x)/x, elemento a elemento."),
    "derivative_formula": Message(
        "d/dx [sin(x)/x] = (cos x − sin(x)/x)/x para x ≠ 0.",
        "d/dx [sin(x)/x] = (cos x − sin(x)/x)/x para x ≠ 0."),
    # check_sinc_grad_output: an answer that ignores grad_output fails gradcheck first
    # (`ignores_grad_output`), so here it is only the likely cause.
    "grad_output_ignored": Message(
        "o backward ignora grad_output: devolva grad_output * sinc'(x).",
        "el backward ignora grad_output: devuelve grad_output * sinc'(x)."),
    "grad_output_product": Message(
        "o backward deve devolver grad_output * sinc'(x), elemento a elemento.",
        "el backward debe devolver grad_output * sinc'(x), elemento a elemento."),
    "forward_near_zero": Message(
        "perto de 0 a série 1 − x²/6 + x⁴/120 só vale para |x| bem pequeno; confira o limiar e "
        "os termos.",
        "cerca de 0 la serie 1 − x²/6 + x⁴/120 solo vale para |x| bien pequeño; revisa el "
        "umbral y los términos."),
    # check_sinc_near_zero: a derivative that is NaN/inf near 0 is NaN/inf at the special points
    # first (`derivative_not_finite`), so here it is only the likely cause.
    "derivative_not_finite_near_zero": Message(
        "NaN/inf perto de 0: contas como x*x ou x**2 viram 0 para |x| minúsculo (e 1/x vira "
        "inf). Use a série −x/3 + x³/30 para |x| pequeno e um x seguro no outro ramo.",
        "NaN/inf cerca de 0: cuentas como x*x o x**2 se vuelven 0 para |x| minúsculo (y 1/x se "
        "vuelve inf). Usa la serie −x/3 + x³/30 para |x| pequeño y un x seguro en la otra "
        "rama."),
    "derivative_near_zero": Message(
        "sinc'(x) = (cos x − sin(x)/x)/x para x ≠ 0 e, perto de 0, a série −x/3 + x³/30 − …",
        "sinc'(x) = (cos x − sin(x)/x)/x para x ≠ 0 y, cerca de 0, la serie −x/3 + x³/30 − …"),
}, generic=GENERIC)
