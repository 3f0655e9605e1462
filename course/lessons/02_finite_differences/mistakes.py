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
        "j_func_uses_notebook_device": Message(
            "`J_func` usou a variável `device` do notebook. Ela só coincide com o dispositivo "
            "de w, x e y por acaso: a correção chama J_func com os tensores na CPU e, quando há "
            "GPU, na GPU. Calcule J só com operações sobre w, x e y (`((x * w - y) ** "
            "2).sum()`), sem criar tensores em `device` nem mover as entradas com "
            "`.to(device)`.",
            "`J_func` usó la variable `device` del notebook. Solo coincide con el dispositivo "
            "de w, x e y por casualidad: la corrección llama a J_func con los tensores en la "
            "CPU y, cuando hay GPU, en la GPU. Calcula J solo con operaciones sobre w, x e y "
            "(`((x * w - y) ** 2).sum()`), sin crear tensores en `device` ni mover las entradas "
            "con `.to(device)`."),
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
        "dj_diff_uses_notebook_device": Message(
            "`dJ_diff` usou a variável `device` do notebook. Ela só coincide com o dispositivo "
            "de w por acaso: a correção chama dJ_diff com os tensores na CPU e, quando há GPU, "
            "na GPU. Some o passo direto a w (`w + dw`), ou crie tensores novos com "
            "`device=w.device` ou `torch.full_like(w, dw)`; não mova as entradas com "
            "`.to(device)`.",
            "`dJ_diff` usó la variable `device` del notebook. Solo coincide con el dispositivo "
            "de w por casualidad: la corrección llama a dJ_diff con los tensores en la CPU y, "
            "cuando hay GPU, en la GPU. Suma el paso directamente a w (`w + dw`), o crea los "
            "tensores nuevos con `device=w.device` o `torch.full_like(w, dw)`; no muevas las "
            "entradas con `.to(device)`."),
        "result_not_shaped_like_w": Message(
            "{what}: valor certo, mas com formato {got}; o contrato pede o formato de w, "
            "{expected} (use .reshape(w.shape)).",
            "{what}: valor correcto, pero con forma {got}; el contrato pide la forma de w, "
            "{expected} (usa .reshape(w.shape))."),
        "forward_difference": _cause(
            "diferença para a frente (J(w+dw) − J(w))/dw: o erro dela é J''·dw/2. Use a "
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
        "dw_in_numerator": _cause(
            "faltaram parênteses no denominador: `/ 2 * dw` divide por 2 e depois "
            "multiplica por dw, e o resultado sai dw² vezes a diferença central. Escreva "
            "`/ (2 * dw)`.",
            "faltan paréntesis en el denominador: `/ 2 * dw` divide por 2 y después "
            "multiplica por dw, y el resultado sale dw² veces la diferencia central. Escribe "
            "`/ (2 * dw)`."),
        "w_perturbed_in_place": Message(
            "dJ_diff alterou o w recebido (w += dw ou parecido) e, com um w que pede "
            "gradiente, o PyTorch recusa a operação in-place: {error}. Não mexa em w: passe "
            "tensores novos para J_func, J_func(w + dw, x, y) e J_func(w - dw, x, y).",
            "dJ_diff modificó el w recibido (w += dw o algo parecido) y, con un w que pide "
            "gradiente, PyTorch rechaza la operación in-place: {error}. No toques w: pásale "
            "tensores nuevos a J_func, J_func(w + dw, x, y) y J_func(w - dw, x, y)."),
        "computed_in_float32": _cause(
            "as contas foram feitas em float32 (w.float(), x.float()…). O float32 guarda uns 7 "
            "dígitos, e J(w+dw) − J(w−dw) é a diferença de dois números quase iguais: com "
            "dw = 1e-3 ela perde uns 3 desses dígitos. Faça as contas no dtype que w, x e y "
            "já têm (float64).",
            "las cuentas se hicieron en float32 (w.float(), x.float()…). El float32 guarda unos "
            "7 dígitos, y J(w+dw) − J(w−dw) es la diferencia de dos números casi iguales: con "
            "dw = 1e-3 pierde unos 3 de esos dígitos. Haz las cuentas en el dtype que w, x e y "
            "ya tienen (float64)."),
        "loss_not_called": Message(
            "{what}: dJ_diff não chamou J_func. O exercício pede a diferença central de J_func: "
            "nos testes ocultos, J_func é trocado por outra perda (aqui J + (w−2)³), e uma "
            "resposta que refaz a conta de J por conta própria, ou que usa a derivada exata, "
            "não acompanha a troca. Calcule J_func(w + dw, x, y) e J_func(w − dw, x, y).",
            "{what}: dJ_diff no llamó a J_func. El ejercicio pide la diferencia central de "
            "J_func: en las pruebas ocultas, J_func se reemplaza por otra pérdida (aquí "
            "J + (w−2)³), y una respuesta que rehace la cuenta de J por su cuenta, o que usa la "
            "derivada exacta, no sigue el cambio. Calcula J_func(w + dw, x, y) y "
            "J_func(w − dw, x, y)."),
        "step_not_dw": Message(
            "{what}: esperado {expected}, obtido {got}, que é a derivada exata desse J_func. "
            "Como ele não é uma parábola, a diferença central com passo dw = {dw} difere da "
            "derivada (em dw²). Use o dw recebido como passo, e não um passo fixo minúsculo "
            "nem a fórmula da derivada.",
            "{what}: se esperaba {expected} y se obtuvo {got}, que es la derivada exacta de ese "
            "J_func. Como no es una parábola, la diferencia central con paso dw = {dw} difiere "
            "de la derivada (en dw²). Usa el dw recibido como paso, y no un paso fijo diminuto "
            "ni la fórmula de la derivada."),
    },
    "numerical_grad": {
        "numerical_grad_uses_notebook_device": Message(
            "`numerical_grad` usou a variável `device` do notebook. Ela só coincide com o "
            "dispositivo de w por acaso: a correção chama numerical_grad com os tensores na CPU "
            "e, quando há GPU, na GPU. Crie o resultado e as perturbações no dispositivo de w: "
            "`torch.zeros_like(w)`, ou `device=w.device`; não mova w com `.to(device)`.",
            "`numerical_grad` usó la variable `device` del notebook. Solo coincide con el "
            "dispositivo de w por casualidad: la corrección llama a numerical_grad con los "
            "tensores en la CPU y, cuando hay GPU, en la GPU. Crea el resultado y las "
            "perturbaciones en el dispositivo de w: `torch.zeros_like(w)`, o `device=w.device`; "
            "no muevas w con `.to(device)`."),
        "eps_forward_difference": _cause(
            "diferença para a frente (f(w+eps) − f(w))/eps; use a central "
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
        "eps_in_numerator": _cause(
            "faltaram parênteses no denominador: `/ 2 * eps` divide por 2 e depois "
            "multiplica por eps, e o resultado sai eps² vezes a diferença central. Escreva "
            "`/ (2 * eps)`.",
            "faltan paréntesis en el denominador: `/ 2 * eps` divide por 2 y después "
            "multiplica por eps, y el resultado sale eps² veces la diferencia central. "
            "Escribe `/ (2 * eps)`."),
        "perturbed_all_elements": _cause(
            "todos os elementos foram deslocados de uma vez (w + eps soma eps ao tensor "
            "inteiro): cada posição recebeu a mesma soma Σₖ ∂f/∂wₖ, a derivada na direção "
            "(1, 1, …, 1). Desloque um elemento por vez: uma cópia de w com eps somado só na "
            "posição k dá ∂f/∂wₖ.",
            "se desplazaron todos los elementos a la vez (w + eps suma eps al tensor "
            "entero): cada posición recibió la misma suma Σₖ ∂f/∂wₖ, la derivada en la "
            "dirección (1, 1, …, 1). Desplaza un elemento por vez: una copia de w con eps "
            "sumado solo en la posición k da ∂f/∂wₖ."),
        "eps_ignored": Message(
            "{what}: o resultado é o gradiente com um eps minúsculo (ou do autograd), não a "
            "diferença central com o eps={eps} pedido. Use o argumento eps, sem fixar o passo.",
            "{what}: el resultado es el gradiente con un eps diminuto (o de autograd), no la "
            "diferencia central con el eps={eps} pedido. Usa el argumento eps, sin fijar el "
            "paso."),
    },
    "answer_dw_limits": {
        "choice_smaller_always_better": Message(
            "{name} = {got}: em `float64`, perto de 1, os números representáveis vêm em degraus "
            "de 2.2e-16; com Δw = 1e-15, w ± Δw mal difere de w, e o erro de arredondamento, "
            "≈ ε·|f|/Δw, fica da ordem de 0.1 — maior que muitas derivadas. Mova o controle "
            "`dw` do gráfico de erros até a esquerda.",
            "{name} = {got}: en `float64`, cerca de 1, los números representables van en "
            "escalones de 2.2e-16; con Δw = 1e-15, w ± Δw apenas difiere de w, y el error de "
            "redondeo, ≈ ε·|f|/Δw, queda del orden de 0.1, más que muchas derivadas. Mueve el "
            "control `dw` del gráfico de errores hasta la izquierda."),
        "choice_big_step_no_truncation": Message(
            "{name} = {got}: a central só não tem erro de truncamento quando f''' = 0, como na "
            "parábola da aula. Para uma função que não é quadrática o erro é ≈ f'''·Δw²/6, que "
            "com Δw = 0.1 fica na casa de 10⁻³ — veja a central errar no gráfico das secantes "
            "com k > 0.",
            "{name} = {got}: la central solo no tiene error de truncamiento cuando f''' = 0, "
            "como en la parábola de la clase. Para una función que no es cuadrática el error es "
            "≈ f'''·Δw²/6, que con Δw = 0.1 queda del orden de 10⁻³: mira cómo falla la central "
            "en el gráfico de las secantes con k > 0."),
        "choice_step_scale_of_w": Message(
            "{name} = {got}: com Δw = 1 a diferença central mede a inclinação média de f num "
            "intervalo de largura 2, não a derivada em w: o truncamento domina. A diferença "
            "entre os dois valores de f já aparece, em `float64`, com passos muito menores.",
            "{name} = {got}: con Δw = 1 la diferencia central mide la pendiente media de f en "
            "un intervalo de ancho 2, no la derivada en w: domina el truncamiento. La diferencia "
            "entre los dos valores de f ya se nota, en `float64`, con pasos mucho menores."),
    },
    "answer_float32_step": {
        "choice_even_smaller_step": Message(
            "{name} = {got}: um passo menor piora, porque o erro de arredondamento cresce como "
            "ε·|J|/Δw. Com Δw = 1e-9, w ± Δw arredonda para o próprio w em `float32` e a "
            "estimativa vira 0.",
            "{name} = {got}: un paso menor empeora, porque el error de redondeo crece como "
            "ε·|J|/Δw. Con Δw = 1e-9, w ± Δw se redondea al propio w en `float32` y la "
            "estimación da 0."),
        "choice_forward_same_step": Message(
            "{name} = {got}: a diferença para a frente também divide a diferença de dois J "
            "quase iguais por um Δw minúsculo, então sofre o mesmo arredondamento (em `float32` "
            "com Δw = 1e-7 ela também dá ≈ −38) e ainda soma erro de truncamento.",
            "{name} = {got}: la diferencia hacia adelante también divide la diferencia de dos J "
            "casi iguales por un Δw minúsculo, así que sufre el mismo redondeo (en `float32` "
            "con Δw = 1e-7 también da ≈ −38) y además suma error de truncamiento."),
        "choice_rescale_loss": Message(
            "{name} = {got}: multiplicar J por 1000 não muda o erro **relativo** de "
            "arredondamento: 1000·J é guardado com os mesmos ~7 algarismos significativos, e os "
            "degraus entre números representáveis crescem na mesma proporção.",
            "{name} = {got}: multiplicar J por 1000 no cambia el error **relativo** de "
            "redondeo: 1000·J se guarda con las mismas ~7 cifras significativas, y los "
            "escalones entre números representables crecen en la misma proporción."),
    },
    "answer_backward_cost": {
        "choice_one_eval_per_weight": Message(
            "{name} = {got}: a diferença central avalia a perda duas vezes por parâmetro "
            "(w_k + ε e w_k − ε), e o custo do `backward()` não é o de uma avaliação por "
            "parâmetro: reveja a contagem de avaliações da seção 6.",
            "{name} = {got}: la diferencia central evalúa la pérdida dos veces por parámetro "
            "(w_k + ε y w_k − ε), y el costo de `backward()` no es el de una evaluación por "
            "parámetro: revisa el conteo de evaluaciones de la sección 6."),
        "choice_all_weights_at_once": Message(
            "{name} = {got}: mexendo em todos os pesos de uma vez, duas avaliações dão uma só "
            "derivada direcional (na direção em que você mexeu), não as P derivadas parciais; e "
            "o `backward()` não precisa de horas.",
            "{name} = {got}: moviendo todos los pesos a la vez, dos evaluaciones dan una sola "
            "derivada direccional (en la dirección en que los moviste), no las P derivadas "
            "parciales; y `backward()` no necesita horas."),
        "choice_backward_costs_2p": Message(
            "{name} = {got}: o `backward()` não deriva um parâmetro de cada vez: ele percorre o "
            "grafo uma vez e entrega as P derivadas juntas. Reveja a contagem de avaliações da "
            "seção 6.",
            "{name} = {got}: `backward()` no deriva un parámetro por vez: recorre el grafo una "
            "vez y entrega las P derivadas juntas. Revisa el conteo de evaluaciones de la "
            "sección 6."),
    },
}, hints={
    "J_func": Message("J = Σ (x·w − y)², com os x, y e w recebidos como argumentos.",
                      "J = Σ (x·w − y)², con los x, y y w recibidos como argumentos."),
    "dJ_central": Message(
        "(J_func(w+dw) − J_func(w−dw)) / (2·dw), com o J_func e o dw recebidos.",
        "(J_func(w+dw) − J_func(w−dw)) / (2·dw), con J_func y el dw recibido."),
    "called_under_no_grad": Message(
        " (dJ_diff foi chamada dentro de torch.no_grad(), com w sem requires_grad: sem "
        "autograd, use só avaliações de J_func.)",
        " (dJ_diff se llamó dentro de torch.no_grad(), con w sin requires_grad: sin "
        "autograd, usa solo evaluaciones de J_func.)"),
    "dJ_call_context": Message("[w de formato {shape}, dw={dw}] {error}{zero_d}",
                               "[w de forma {shape}, dw={dw}] {error}{zero_d}"),
    "w_0d": Message(
        " (Aqui w é 0-d: um escalar sem índices, em que w[0] dá erro; some dw ao tensor "
        "inteiro.)",
        " (Aquí w es 0-d: un escalar sin índices, en el que w[0] da error; suma dw al tensor "
        "entero.)"),
    "w_requires_grad": Message("dJ_diff (w com requires_grad=True)",
                               "dJ_diff (w con requires_grad=True)"),
    "same_w_other_data": Message(
        "dJ_diff (o mesmo w de antes, com outros x e y: a derivada muda com os dados; um "
        "resultado guardado de uma chamada anterior não serve)",
        "dJ_diff (el mismo w de antes, con otros x e y: la derivada cambia con los datos; un "
        "resultado guardado de una llamada anterior no sirve)"),
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
