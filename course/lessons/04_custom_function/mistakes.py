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
        "grad_output_modified_in_place": Message(
            "o backward modificou `grad_output` in-place (`grad_output.mul_(...)`, "
            "`grad_output *= ...`). Esse tensor pertence ao autograd: o mesmo gradiente pode "
            "seguir também por outro ramo do grafo (em `Sinc.apply(x) + x`, por exemplo), que "
            "passaria a receber um valor errado. Devolva um tensor novo: "
            "`return grad_output * derivada`.",
            "el backward modificó `grad_output` in-place (`grad_output.mul_(...)`, "
            "`grad_output *= ...`). Ese tensor pertenece a autograd: el mismo gradiente puede "
            "seguir también por otra rama del grafo (en `Sinc.apply(x) + x`, por ejemplo), que "
            "pasaría a recibir un valor erróneo. Devuelve un tensor nuevo: "
            "`return grad_output * derivada`."),
        "sinc_uses_notebook_device": Message(
            "`Sinc` usou a variável `device` do notebook. Ela só coincide com o dispositivo de "
            "x por acaso: a correção chama Sinc.apply com x na CPU e, quando há GPU, na GPU. "
            "No forward e no backward, crie cada tensor novo no dispositivo de x: "
            "`torch.ones_like(x)`, `torch.full_like(x, 1.0)` ou `device=x.device` (ou use um "
            "número Python, como em `torch.where(small, 1.0, ...)`).",
            "`Sinc` usó la variable `device` del notebook. Solo coincide con el dispositivo de x "
            "por casualidad: la corrección llama a Sinc.apply con x en la CPU y, cuando hay GPU, "
            "en la GPU. En el forward y en el backward, crea cada tensor nuevo en el dispositivo "
            "de x: `torch.ones_like(x)`, `torch.full_like(x, 1.0)` o `device=x.device` (o usa "
            "un número de Python, como en `torch.where(small, 1.0, ...)`)."),
        # ---- the class and what Sinc.apply returns
        "not_an_autograd_function": Message(
            "`Sinc` deve ser uma classe que herda de torch.autograd.Function, com forward(x), "
            "setup_context(ctx, inputs, output) e backward(ctx, grad_output) estáticos (ou, na "
            "forma antiga, forward(ctx, x) e backward(ctx, grad_output)); veio {type}.",
            "`Sinc` debe ser una clase que hereda de torch.autograd.Function, con forward(x), "
            "setup_context(ctx, inputs, output) y backward(ctx, grad_output) estáticos (o, en "
            "la forma antigua, forward(ctx, x) y backward(ctx, grad_output)); llegó {type}."),
        # ---- the two styles of Function mixed up (`error` is the exception Sinc.apply raised)
        "ctx_in_forward_with_setup_context": Message(
            "{error}\nProvável causa: com setup_context, o forward NÃO recebe ctx: escreva "
            "forward(x) e guarde os tensores em setup_context(ctx, inputs, output). (Ou use a "
            "forma antiga: forward(ctx, x) sem setup_context.)",
            "{error}\nCausa probable: con setup_context, el forward NO recibe ctx: escribe "
            "forward(x) y guarda los tensores en setup_context(ctx, inputs, output). (O usa la "
            "forma antigua: forward(ctx, x) sin setup_context.)"),
        "forward_without_ctx_needs_setup_context": Message(
            "{error}\nProvável causa: forward(x) sem ctx só funciona junto com um método "
            "estático setup_context(ctx, inputs, output), que guarda o que o backward usa. "
            "Sem setup_context, o forward precisa ser forward(ctx, x).",
            "{error}\nCausa probable: forward(x) sin ctx solo funciona junto con un método "
            "estático setup_context(ctx, inputs, output), que guarda lo que usa el backward. "
            "Sin setup_context, el forward tiene que ser forward(ctx, x)."),
        "setup_context_saves_tuple": Message(
            "{error}\nProvável causa: `inputs` é a TUPLA das entradas do forward; "
            "ctx.save_for_backward(inputs) tenta salvar a tupla. Desempacote antes: "
            "(x,) = inputs; ctx.save_for_backward(x) (ou ctx.save_for_backward(*inputs)).",
            "{error}\nCausa probable: `inputs` es la TUPLA de las entradas del forward; "
            "ctx.save_for_backward(inputs) intenta guardar la tupla. Desempaquétala antes: "
            "(x,) = inputs; ctx.save_for_backward(x) (o ctx.save_for_backward(*inputs))."),
        "returned_python_number": Message(
            "{what}: Sinc.apply devolveu um número Python ({type}), não um tensor. O forward "
            "deve devolver um tensor com o formato, o dtype e o dispositivo (`device`) de x "
            "(nada de .item() ou `return 1.0`).",
            "{what}: Sinc.apply devolvió un número de Python ({type}), no un tensor. El forward "
            "debe devolver un tensor con la forma, el dtype y el dispositivo (`device`) de x "
            "(nada de .item() ni `return 1.0`)."),
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
        "backward_state_outside_ctx": _wrong_at(
            "com três saídas de Sinc.apply vivas ao mesmo tempo, o backward de uma usou o x de "
            "outra chamada: o x (ou a derivada) foi guardado fora do ctx, numa variável global "
            "ou num atributo da classe, que a chamada seguinte sobrescreve. Guarde o que o "
            "backward precisa com ctx.save_for_backward(x) e leia com ctx.saved_tensors.",
            "con tres salidas de Sinc.apply vivas a la vez, el backward de una usó el x de "
            "otra llamada: el x (o la derivada) se guardó fuera del ctx, en una variable global "
            "o en un atributo de la clase, que la llamada siguiente sobrescribe. Guarda lo que "
            "el backward necesita con ctx.save_for_backward(x) y léelo con ctx.saved_tensors."),
        # ---- grad_output
        "ignores_grad_output": Message(
            "torch.autograd.gradcheck falhou: o backward ignora grad_output. Ele deve devolver "
            "grad_output * sinc'(x) (regra da cadeia).",
            "torch.autograd.gradcheck falló: el backward ignora grad_output. Debe devolver "
            "grad_output * sinc'(x) (regla de la cadena)."),
        "grad_output_ignored_near_zero": _wrong_at(
            "perto de 0 (no ramo da série) o backward não multiplica por grad_output; os dois "
            "ramos devem devolver grad_output * sinc'(x).",
            "cerca de 0 (en la rama de la serie) el backward no multiplica por grad_output; "
            "las dos ramas deben devolver grad_output * sinc'(x)."),
        "returns_grad_output_only": _wrong_at(
            "o backward devolve só grad_output: falta multiplicar por sinc'(x).",
            "el backward devuelve solo grad_output: falta multiplicar por sinc'(x)."),
        # ---- derivative near 0
        "series_sign_flipped": _wrong_at(
            "sinal trocado: perto de 0, sinc'(x) ≈ −x/3 (a sinc desce dos dois lados do máximo "
            "em 0).",
            "signo invertido: cerca de 0, sinc'(x) ≈ −x/3 (la sinc baja a ambos lados del "
            "máximo en 0)."),
        "series_wrong_coefficient": _wrong_at(
            "perto de 0 a derivada vale {ratio:.4g} vezes a certa: o coeficiente da série está "
            "errado. Derive a série da própria sinc, 1 − x²/6 + x⁴/120: a derivada é "
            "−2x/6 + 4x³/120 = −x/3 + x³/30.",
            "cerca de 0 la derivada vale {ratio:.4g} veces la correcta: el coeficiente de la "
            "serie está mal. Deriva la serie de la propia sinc, 1 − x²/6 + x⁴/120: la derivada "
            "es −2x/6 + 4x³/120 = −x/3 + x³/30."),
        "catastrophic_cancellation": _wrong_at(
            "cancelamento catastrófico: para |x| pequeno, cos x e sin(x)/x são ambos ≈ 1 e a "
            "diferença (cos x − sin(x)/x)/x perde todos os dígitos. Use a série −x/3 + x³/30 "
            "abaixo de um limiar (o erro de arredondamento cresce como 3ε/x²).",
            "cancelación catastrófica: para |x| pequeño, cos x y sin(x)/x valen ≈ 1 y la "
            "diferencia (cos x − sin(x)/x)/x pierde todos los dígitos. Usa la serie "
            "−x/3 + x³/30 por debajo de un umbral (el error de redondeo crece como 3ε/x²)."),
        "float32_threshold_too_small": _wrong_at(
            "em float32 (ε ≈ 1.2e-7) o cancelamento de (cos x − sin(x)/x)/x já estraga a "
            "derivada para |x| até ~0.01–0.05: o limiar da série precisa ser maior em float32 "
            "(use torch.finfo(x.dtype).eps ou um limiar que sirva para os dois dtypes).",
            "en float32 (ε ≈ 1.2e-7) la cancelación de (cos x − sin(x)/x)/x ya arruina la "
            "derivada para |x| hasta ~0.01–0.05: el umbral de la serie tiene que ser mayor en "
            "float32 (usa torch.finfo(x.dtype).eps o un umbral que sirva para ambos dtypes)."),
        "series_truncation_error": _wrong_at(
            "a série truncada −x/3 + x³/30 erra ~x⁴/280 (relativo): o limiar está grande "
            "demais, ou falta um termo da série.",
            "la serie truncada −x/3 + x³/30 se equivoca ~x⁴/280 (relativo): el umbral es "
            "demasiado grande, o falta un término de la serie."),
    },
    "answer_hook_value": {
        "choice_a_hook_at_x_two": Message(
            "{name} = {got}: 18 é o valor de dy/da em x = 2, o exemplo da seção 1. Refaça a "
            "conta com x = 3: b = 1.5·(2·3) e dy/da = 3b.",
            "{name} = {got}: 18 es el valor de dy/da en x = 2, el ejemplo de la sección 1. Rehaz "
            "la cuenta con x = 3: b = 1.5·(2·3) y dy/da = 3b."),
        "choice_c_hook_dy_dx": Message(
            "{name} = {got}: 54 = 18·3 é dy/dx, o que chega a `x`. O hook de `a` mostra o "
            "gradiente antes do último fator 2 da regra da cadeia: dy/da = 3b.",
            "{name} = {got}: 54 = 18·3 es dy/dx, lo que llega a `x`. El hook de `a` muestra el "
            "gradiente antes del último factor 2 de la regla de la cadena: dy/da = 3b."),
        "choice_d_hook_value_of_y": Message(
            "{name} = {got}: 81 = 9·3² é o valor de y no forward. Um hook recebe o GRADIENTE "
            "que chega ao tensor durante o backward, não um valor do forward.",
            "{name} = {got}: 81 = 9·3² es el valor de y en el forward. Un hook recibe el "
            "GRADIENTE que llega al tensor durante el backward, no un valor del forward."),
    },
    "answer_where_grad": {
        "choice_a_zero_cancels_nan": Message(
            "{name} = {got}: em ponto flutuante, 0 vezes nan (ou 0/nan) é nan, não 0. O "
            "backward do sqrt usa a saída do forward, sqrt(-1) = nan, mesmo no ramo que o "
            "where descartou.",
            "{name} = {got}: en punto flotante, 0 por nan (o 0/nan) es nan, no 0. El backward "
            "de sqrt usa la salida del forward, sqrt(-1) = nan, incluso en la rama que where "
            "descartó."),
        "choice_b_nan_everywhere": Message(
            "{name} = {got}: as operações são elemento a elemento: o gradiente de x[1] só passa "
            "pelas contas de x[1], onde sqrt(4) = 2 está bem definido. O nan fica preso ao "
            "elemento que o produziu.",
            "{name} = {got}: las operaciones son elemento a elemento: el gradiente de x[1] solo "
            "pasa por las cuentas de x[1], donde sqrt(4) = 2 está bien definido. El nan queda "
            "atado al elemento que lo produjo."),
        "choice_d_sqrt_negative_raises": Message(
            "{name} = {got}: torch.sqrt não levanta erro com negativos: devolve nan, como em "
            "ponto flutuante. Experimente torch.sqrt(torch.tensor(-1.0)) numa célula nova.",
            "{name} = {got}: torch.sqrt no lanza error con negativos: devuelve nan, como en "
            "punto flotante. Prueba torch.sqrt(torch.tensor(-1.0)) en una celda nueva."),
    },
    "answer_gradcheck": {
        "choice_a_zero_never_drawn": Message(
            "{name} = {got}: gradcheck só compara nos pontos que você dá, e torch.randn "
            "praticamente nunca sorteia o 0 exato: o valor errado nunca é avaliado (seção 5).",
            "{name} = {got}: gradcheck solo compara en los puntos que le das, y torch.randn "
            "prácticamente nunca sortea el 0 exacto: el valor incorrecto nunca se evalúa "
            "(sección 5)."),
        "choice_b_error_below_atol": Message(
            "{name} = {got}: num vetor randn quase nenhum |x| fica abaixo de 1e-8, e mesmo lá o "
            "erro ABSOLUTO, da ordem de |x|/3, fica muito abaixo de atol = 1e-5: gradcheck não "
            "vê perda de precisão (seção 5).",
            "{name} = {got}: en un vector randn casi ningún |x| queda por debajo de 1e-8, e "
            "incluso ahí el error ABSOLUTO, del orden de |x|/3, queda muy por debajo de "
            "atol = 1e-5: gradcheck no ve pérdidas de precisión (sección 5)."),
        "choice_d_float32_within_rtol": Message(
            "{name} = {got}: contas em float32 erram ~1e-7 em termos relativos, muito abaixo "
            "de rtol = 1e-3 do gradcheck; convertido de volta a float64, o resultado passa.",
            "{name} = {got}: las cuentas en float32 se equivocan ~1e-7 en términos relativos, "
            "muy por debajo de rtol = 1e-3 de gradcheck; convertido de vuelta a float64, el "
            "resultado pasa."),
    },
}, hints={
    "state_in_ctx": Message(
        "cada chamada de Sinc.apply tem o seu ctx: o backward deve ler o x da sua própria "
        "chamada em ctx.saved_tensors, nunca de algo guardado fora dele.",
        "cada llamada de Sinc.apply tiene su propio ctx: el backward debe leer el x de su "
        "propia llamada en ctx.saved_tensors, nunca de algo guardado fuera de él."),
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
