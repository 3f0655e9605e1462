# %% [markdown] lang="pt"
# # 02 · Diferenças finitas e verificação do gradiente
#
# **Pré-requisitos:** a aula 01 (o grafo computacional, `backward()` e o gradiente
# $\partial J/\partial w = -28$ que ela calculou) e a série de Taylor de um primeiro curso de
# Cálculo.
# **Tempo estimado:** cerca de 2 horas.
#
# Na aula anterior o `backward()` nos disse que, para $J(w) = \sum_i (x_i w - y_i)^2$ com os
# dados da aula, $\partial J/\partial w = -28$ em $w = 1$. Como saber se esse número está certo
# sem confiar no próprio autograd? Voltando à **definição** de derivada:
#
# $$\frac{dJ}{dw} = \lim_{\Delta w \to 0} \frac{J(w + \Delta w) - J(w)}{\Delta w}.$$
#
# Se trocarmos o limite por um $\Delta w$ pequeno, mas **finito**, obtemos uma aproximação que
# só precisa *avaliar* $J$: nada de grafo, nada de regra da cadeia. São as **diferenças
# finitas**. Elas são lentas e imprecisas demais para treinar uma rede, mas são o juiz ideal para
# conferir gradientes calculados de outro jeito — é o que se chama de **verificação do
# gradiente** (em inglês, *gradient checking*).
#
# Neste notebook você vai:
#
# 1. ver as três fórmulas de diferenças finitas e por que a **central** é a melhor;
# 2. programar `J_func` e `dJ_diff` e conferir o $-28$ do autograd;
# 3. mover $w$ e $\Delta w$ com controles deslizantes e ver as retas secantes e o erro;
# 4. descobrir que $\Delta w$ não pode ser nem grande nem pequeno demais (e por que `float32`
#    piora tudo);
# 5. escrever um verificador de gradientes de verdade, `numerical_grad`, para tensores de
#    qualquer formato, e usar o **erro relativo** para julgar o resultado;
# 6. comparar o custo das diferenças finitas com o do `backward()`.
#
# Execute as células em ordem. As células com `check(...)` conferem seu trabalho na hora; a
# nota final vem de testes ocultos, com outros dados, aplicados na correção. Você pode executar
# o notebook inteiro antes de responder: uma verificação de um exercício ainda sem resposta só
# avisa "⏳ … ainda não respondido".

# %% [markdown] lang="es"
# # 02 · Diferencias finitas y verificación del gradiente
#
# **Requisitos previos:** la clase 01 (el grafo computacional, `backward()` y el gradiente
# $\partial J/\partial w = -28$ que calculó) y la serie de Taylor de un primer curso de Cálculo.
# **Tiempo estimado:** unas 2 horas.
#
# En la clase anterior `backward()` nos dijo que, para $J(w) = \sum_i (x_i w - y_i)^2$ con los
# datos de la clase, $\partial J/\partial w = -28$ en $w = 1$. ¿Cómo saber si ese número es
# correcto sin confiar en el propio autograd? Volviendo a la **definición** de derivada:
#
# $$\frac{dJ}{dw} = \lim_{\Delta w \to 0} \frac{J(w + \Delta w) - J(w)}{\Delta w}.$$
#
# Si cambiamos el límite por un $\Delta w$ pequeño pero **finito**, obtenemos una aproximación
# que solo necesita *evaluar* $J$: sin grafo y sin regla de la cadena. Son las **diferencias
# finitas**. Son demasiado lentas e imprecisas para entrenar una red, pero son el árbitro ideal
# para comprobar gradientes calculados de otra manera; a eso se le llama **verificación del
# gradiente** (en inglés, *gradient checking*).
#
# En este notebook vas a:
#
# 1. ver las tres fórmulas de diferencias finitas y por qué la **central** es la mejor;
# 2. programar `J_func` y `dJ_diff` y comprobar el $-28$ de autograd;
# 3. mover $w$ y $\Delta w$ con controles deslizantes y ver las rectas secantes y el error;
# 4. descubrir que $\Delta w$ no puede ser ni demasiado grande ni demasiado pequeño (y por qué
#    `float32` lo empeora todo);
# 5. escribir un verificador de gradientes de verdad, `numerical_grad`, para tensores de
#    cualquier forma, y usar el **error relativo** para juzgar el resultado;
# 6. comparar el costo de las diferencias finitas con el de `backward()`.
#
# Ejecuta las celdas en orden. Las celdas con `check(...)` revisan tu trabajo al instante; la
# nota final sale de pruebas ocultas, con otros datos, que se aplican al corregir. Puedes
# ejecutar el notebook entero antes de responder: la verificación de un ejercicio todavía sin
# respuesta solo avisa "⏳ … todavía sin responder".

# %%
import time

import torch
import matplotlib.pyplot as plt

device = "cuda" if torch.cuda.is_available() else "cpu"
print("torch", torch.__version__, "| device =", device)

# %% [markdown] lang="pt"
# Esta aula usa a GPU da NVIDIA (`cuda`) se houver e, senão, a CPU. Ela não usa a GPU dos Macs
# com chip Apple (`mps`) porque quase todas as contas daqui são em `float64`, que o `mps` não
# aceita.
#
# ## 1. Três maneiras de aproximar uma derivada
#
# Com um passo $\Delta w > 0$ dá para olhar para a frente, para trás ou para os dois lados:
#
# $$\underbrace{\frac{J(w+\Delta w) - J(w)}{\Delta w}}_{\text{para a frente}}, \qquad
#   \underbrace{\frac{J(w) - J(w-\Delta w)}{\Delta w}}_{\text{para trás}}, \qquad
#   \underbrace{\frac{J(w+\Delta w) - J(w-\Delta w)}{2\,\Delta w}}_{\text{central}}.$$
#
# Qual é a melhor? A série de Taylor responde:
#
# $$J(w \pm \Delta w) = J(w) \pm J'(w)\,\Delta w + \tfrac{1}{2}J''(w)\,\Delta w^2
#   \pm \tfrac{1}{6}J'''(w)\,\Delta w^3 + \dots$$
#
# Na diferença para a frente (ou progressiva) sobra o termo de segunda ordem:
# $\frac{J(w+\Delta w) - J(w)}{\Delta w} = J'(w) + \tfrac12 J''(w)\,\Delta w + \dots$ — um erro
# **proporcional a** $\Delta w$. Na central, os termos pares se cancelam quando subtraímos
# $J(w+\Delta w) - J(w-\Delta w)$, e fica
# $J'(w) + \tfrac16 J'''(w)\,\Delta w^2 + \dots$ — um erro **proporcional a** $\Delta w^2$. Com
# $\Delta w = 10^{-3}$ e derivadas de tamanho parecido, o erro da central é umas mil vezes menor
# ($\Delta w^2 = 10^{-6}$ contra $\Delta w = 10^{-3}$).
#
# Esse erro, que vem de cortar a série de Taylor, chama-se **erro de truncamento**.
#
# No nosso exemplo, como $y = 2x$,
# $J(w) = \sum_i x_i^2 (w-2)^2 = 14\,(w-2)^2$: uma parábola com $J'(1) = -28$, $J'' = 28$ e
# $J''' = 0$. Logo a diferença central não tem erro de truncamento nenhum, e a diferença para a
# frente erra exatamente $\tfrac12 J''\,\Delta w = 14\,\Delta w$.
#
# ## 2. Exercícios: `J_func` e `dJ_diff`
#
# Cada exercício tem uma célula de resposta (substitua a linha `raise NotImplementedError(...)`
# pelo seu código; **não mude o nome nem os parâmetros da função**) e uma célula de verificação
# logo abaixo. Na correção, testes ocultos repetem a conferência com dados aleatórios, em
# `float64`, na CPU e na GPU (se houver), e aceitam uma diferença relativa de até $10^{-6}$ em
# relação à resposta exata. Não modifique os tensores recebidos.
#
# ### Exercício 1 — `J_func(w, x, y)` (1 ponto)
#
# Devolva o tensor escalar $J = \sum_i (x_i w - y_i)^2$ (atenção à ordem dos argumentos: `w`
# vem primeiro).

# %% [markdown] lang="es"
# Esta clase usa la GPU de NVIDIA (`cuda`) si la hay y, si no, la CPU. No usa la GPU de las Mac
# con chip de Apple (`mps`) porque casi todas las cuentas de aquí son en `float64`, que `mps` no
# admite.
#
# ## 1. Tres maneras de aproximar una derivada
#
# Con un paso $\Delta w > 0$ podemos mirar hacia adelante, hacia atrás o a ambos lados:
#
# $$\underbrace{\frac{J(w+\Delta w) - J(w)}{\Delta w}}_{\text{hacia adelante}}, \qquad
#   \underbrace{\frac{J(w) - J(w-\Delta w)}{\Delta w}}_{\text{hacia atrás}}, \qquad
#   \underbrace{\frac{J(w+\Delta w) - J(w-\Delta w)}{2\,\Delta w}}_{\text{central}}.$$
#
# ¿Cuál es la mejor? La serie de Taylor lo responde:
#
# $$J(w \pm \Delta w) = J(w) \pm J'(w)\,\Delta w + \tfrac{1}{2}J''(w)\,\Delta w^2
#   \pm \tfrac{1}{6}J'''(w)\,\Delta w^3 + \dots$$
#
# En la diferencia hacia adelante (o progresiva) queda el término de segundo orden:
# $\frac{J(w+\Delta w) - J(w)}{\Delta w} = J'(w) + \tfrac12 J''(w)\,\Delta w + \dots$, un error
# **proporcional a** $\Delta w$. En la central, los términos pares se cancelan al restar
# $J(w+\Delta w) - J(w-\Delta w)$, y queda $J'(w) + \tfrac16 J'''(w)\,\Delta w^2 + \dots$, un error
# **proporcional a** $\Delta w^2$. Con $\Delta w = 10^{-3}$ y derivadas de tamaño parecido, el
# error de la central es unas mil veces menor ($\Delta w^2 = 10^{-6}$ frente a
# $\Delta w = 10^{-3}$).
#
# Ese error, que viene de cortar la serie de Taylor, se llama **error de truncamiento**.
#
# En nuestro ejemplo, como $y = 2x$, $J(w) = \sum_i x_i^2 (w-2)^2 = 14\,(w-2)^2$: una parábola con
# $J'(1) = -28$, $J'' = 28$ y $J''' = 0$. Por lo tanto la diferencia central no tiene ningún
# error de truncamiento, y la diferencia hacia adelante se equivoca exactamente en
# $\tfrac12 J''\,\Delta w = 14\,\Delta w$.
#
# ## 2. Ejercicios: `J_func` y `dJ_diff`
#
# Cada ejercicio tiene una celda de respuesta (reemplaza la línea `raise NotImplementedError(...)`
# por tu código; **no cambies el nombre ni los parámetros de la función**) y una celda de
# verificación justo debajo. Al corregir, pruebas ocultas repiten la comprobación con datos
# aleatorios, en `float64`, en CPU y en GPU (si hay), y aceptan una diferencia relativa de hasta
# $10^{-6}$ respecto de la respuesta exacta. No modifiques los tensores que recibes.
#
# ### Ejercicio 1 — `J_func(w, x, y)` (1 punto)
#
# Devuelve el tensor escalar $J = \sum_i (x_i w - y_i)^2$ (ojo con el orden de los argumentos:
# `w` va primero).

# %% nbgrader={"grade_id": "J_func", "solution": true}
def J_func(w, x, y):
    ### BEGIN SOLUTION
    return ((x * w - y) ** 2).sum()
    ### END SOLUTION

# %% nbgrader={"grade_id": "test_J_func", "grade": true, "points": 1}
x_chk = torch.tensor([0.0, 1.0, 2.0, 3.0], device=device)
y_chk = 2 * x_chk
check("J_func(1)", lambda: J_func(torch.ones(1, device=device), x_chk, y_chk), 14.0)
check("J_func(2)", lambda: J_func(torch.full((1,), 2.0, device=device), x_chk, y_chk), 0.0)
check("J_func(0.5)", lambda: J_func(torch.full((1,), 0.5, device=device), x_chk, y_chk), 31.5)
### BEGIN HIDDEN TESTS
from course.lessons import load_checks
hidden_checks = load_checks("02_finite_differences")
hidden_checks.check_J_func(J_func, LANG)
### END HIDDEN TESTS

# %% [markdown] lang="pt"
# ### Exercício 2 — `dJ_diff(w, x, y, dw=1e-3)` (2 pontos)
#
# **Sem autograd**, devolva a diferença central
# $\dfrac{J(w+\Delta w) - J(w-\Delta w)}{2\,\Delta w}$ de `J_func` em relação ao tensor `w` de um
# único elemento, com $\Delta w$ = `dw`. Esse elemento pode vir em qualquer formato: `(1,)`,
# `(1, 1)` ou 0-d (um escalar de formato `()`, que não aceita índice: `w[0]` dá erro); some
# `dw` ao tensor inteiro. O resultado é um tensor **com o formato de `w`** (se `w` tem formato
# `(1,)`, o resultado também; `.reshape(w.shape)` resolve). A função será chamada
# dentro de `torch.no_grad()`, com tensores que não pedem gradiente, e não pode alterar `w`; os
# testes ocultos também conferem que ela não usa o autograd (`backward()`,
# `torch.autograd.grad`).
#
# Calcule $J$ **chamando `J_func`** (o do exercício 1), com o passo `dw` recebido. Na correção,
# os testes ocultos chamam `dJ_diff` com um `J_func` de referência no lugar do seu — a nota deste
# exercício não depende do exercício 1 — e também com outras perdas no lugar de `J_func`, que não
# são parábolas (como $J + (w-2)^3$): para elas a diferença central **não** é igual à derivada, e
# só uma resposta que chama `J_func` com `w ± dw` acerta. A verificação visível usa `float64` e
# o seu `J_func`; a seção 4 mostra o que acontece em `float32`.

# %% [markdown] lang="es"
# ### Ejercicio 2 — `dJ_diff(w, x, y, dw=1e-3)` (2 puntos)
#
# **Sin autograd**, devuelve la diferencia central
# $\dfrac{J(w+\Delta w) - J(w-\Delta w)}{2\,\Delta w}$ de `J_func` respecto del tensor `w` de un
# solo elemento, con $\Delta w$ = `dw`. Ese elemento puede venir con cualquier forma: `(1,)`,
# `(1, 1)` o 0-d (un escalar de forma `()`, que no admite índices: `w[0]` da error); suma `dw`
# al tensor entero. El resultado es un tensor **con la forma de `w`** (si `w` tiene forma
# `(1,)`, el resultado también; `.reshape(w.shape)` lo resuelve). La función se
# llamará dentro de `torch.no_grad()`, con tensores que no piden gradiente, y no puede modificar
# `w`; las pruebas ocultas también comprueban que no use autograd (`backward()`,
# `torch.autograd.grad`).
#
# Calcula $J$ **llamando a `J_func`** (el del ejercicio 1), con el paso `dw` recibido. Al
# corregir, las pruebas ocultas llaman a `dJ_diff` con un `J_func` de referencia en lugar del
# tuyo — la nota de este ejercicio no depende del ejercicio 1 — y también con otras pérdidas en
# lugar de `J_func` que no son parábolas (como $J + (w-2)^3$): para ellas la diferencia central
# **no** es igual a la derivada, y solo acierta una respuesta que llama a `J_func` con `w ± dw`.
# La verificación visible usa `float64` y tu `J_func`; la sección 4 muestra lo que pasa en
# `float32`.

# %% nbgrader={"grade_id": "dJ_diff", "solution": true}
def dJ_diff(w, x, y, dw=1e-3):
    ### BEGIN SOLUTION
    J_plus = J_func(w + dw, x, y)
    J_minus = J_func(w - dw, x, y)
    return ((J_plus - J_minus) / (2 * dw)).reshape(w.shape)
    ### END SOLUTION

# %% nbgrader={"grade_id": "test_dJ_diff", "grade": true, "points": 2}
x_chk = torch.tensor([0.0, 1.0, 2.0, 3.0], dtype=torch.float64, device=device)
y_chk = 2 * x_chk
w_chk = torch.ones(1, dtype=torch.float64, device=device)


def w_after_dJ_diff():
    with torch.no_grad():
        dJ_diff(w_chk, x_chk, y_chk)
    return w_chk


def dJ_diff_with_cubic_J():
    """dJ_diff(w=1, dw=0.5) with J_func briefly replaced by J + (w - 2)**3."""
    global J_func
    own_J_func = J_func
    J_func = lambda w, x, y: own_J_func(w, x, y) + ((w - 2) ** 3).sum()
    try:
        with torch.no_grad():
            return dJ_diff(w_chk, x_chk, y_chk, dw=0.5)
    finally:
        J_func = own_J_func


with torch.no_grad():
    check("dJ_diff(w=1)", lambda: dJ_diff(w_chk, x_chk, y_chk), [-28.0])
    check("dJ_diff(w=1, dw=0.5)", lambda: dJ_diff(w_chk, x_chk, y_chk, dw=0.5), [-28.0])
    check("dJ_diff(w=3)", lambda: dJ_diff(3 * w_chk, x_chk, y_chk), [28.0])
    check("dJ_diff(w=1, 0-d)", lambda: dJ_diff(w_chk.reshape(()), x_chk, y_chk), -28.0)
check("dJ_diff(w=1, dw=0.5), J_func = J + (w-2)³", dJ_diff_with_cubic_J, [-24.75])
check(lang_text("w inalterado", "w sin cambios"), w_after_dJ_diff, [1.0], tol=0.0)
### BEGIN HIDDEN TESTS
from course.lessons import load_checks
hidden_checks = load_checks("02_finite_differences")
hidden_checks.check_dJ_diff(dJ_diff, LANG)
### END HIDDEN TESTS

# %% [markdown] lang="pt"
# ## 3. Explore: tangente e secantes
#
# Cada fórmula é a inclinação de uma reta **secante** que corta a curva em dois pontos; a
# derivada é a inclinação da reta **tangente**. A célula abaixo desenha as três secantes e a
# tangente (calculada pelo autograd) com as suas próprias contas, sem usar as suas respostas.
# Mova os controles deslizantes:
#
# * `w` muda o ponto e `dw` o tamanho do passo. Para o $J$ da aula (com `k = 0`), a secante
#   central sai sempre **paralela** à tangente — em toda parábola a corda entre $w-\Delta w$ e
#   $w+\Delta w$ tem a inclinação da tangente no ponto médio —, enquanto as secantes para a
#   frente e para trás erram por $\pm 14\,\Delta w$ (em $w = 1$ com $\Delta w = 0{,}5$: $-21$ e
#   $-35$ em vez de $-28$);
# * `k` acrescenta um termo cúbico, $J(w) + k\,(w-2)^3$, que tem $J''' = 6k \ne 0$: agora a
#   central também erra, por $\tfrac16 J'''\,\Delta w^2 = k\,\Delta w^2$, e o erro some bem
#   mais depressa que o das outras quando você diminui `dw`.
#
# (Sem suporte a *widgets*, a célula desenha uma vez, em $w = 1$, $\Delta w = 0{,}5$, $k = 0$.)

# %% [markdown] lang="es"
# ## 3. Explora: tangente y secantes
#
# Cada fórmula es la pendiente de una recta **secante** que corta la curva en dos puntos; la
# derivada es la pendiente de la recta **tangente**. La celda de abajo dibuja las tres secantes
# y la tangente (calculada por autograd) con sus propias cuentas, sin usar tus respuestas. Mueve
# los controles deslizantes:
#
# * `w` cambia el punto y `dw` el tamaño del paso. Para el $J$ de la clase (con `k = 0`), la
#   secante central sale siempre **paralela** a la tangente (en toda parábola, la cuerda entre
#   $w-\Delta w$ y $w+\Delta w$ tiene la pendiente de la tangente en el punto medio), mientras que
#   las secantes hacia adelante y hacia atrás se equivocan en $\pm 14\,\Delta w$ (en $w = 1$ con
#   $\Delta w = 0.5$: $-21$ y $-35$ en lugar de $-28$);
# * `k` agrega un término cúbico, $J(w) + k\,(w-2)^3$, que tiene $J''' = 6k \ne 0$: ahora la
#   central también se equivoca, en $\tfrac16 J'''\,\Delta w^2 = k\,\Delta w^2$, y su error
#   desaparece mucho más rápido que el de las otras cuando achicas `dw`.
#
# (Sin soporte para *widgets*, la celda dibuja una sola vez, en $w = 1$, $\Delta w = 0.5$,
# $k = 0$.)

# %%
x = torch.tensor([0.0, 1.0, 2.0, 3.0], device=device)
y = 2 * x


def J_curve(v, k=0.0):
    return ((x.to(v.dtype) * v - y.to(v.dtype)) ** 2).sum() + k * (v - 2).sum() ** 3


def J_value(v, k=0.0):
    return J_curve(torch.tensor([v], dtype=torch.float64, device=device), k).item()


def draw_secants(w, dw, k):
    w_leaf = torch.tensor([w], dtype=torch.float64, device=device, requires_grad=True)
    J_curve(w_leaf, k).backward()
    tangent = w_leaf.grad.item()
    names = {"central": "central",
             "forward": lang_text("para a frente", "hacia adelante"),
             "backward": lang_text("para trás", "hacia atrás")}
    secants = {"central": (w - dw, w + dw, "C0"), "forward": (w, w + dw, "C1"),
               "backward": (w - dw, w, "C2")}
    grid = torch.linspace(-1.0, 5.0, 121, dtype=torch.float64).tolist()
    span = [-1.0, 5.0]
    fig, ax = plt.subplots(figsize=(7.5, 4.6))
    ax.plot(grid, [J_value(v, k) for v in grid], color="black", lw=2,
            label="J(w) + k·(w − 2)³")
    ax.plot(span, [J_value(w, k) + tangent * (v - w) for v in span], "k:", lw=2,
            label=lang_text(f"tangente (autograd): {tangent:.3f}",
                            f"tangente (autograd): {tangent:.3f}"))
    for key, (a, b, color) in secants.items():
        slope = (J_value(b, k) - J_value(a, k)) / (b - a)
        ax.plot(span, [J_value(a, k) + slope * (v - a) for v in span], color=color,
                label=f"{names[key]}: {slope:.3f}")
        ax.plot([a, b], [J_value(a, k), J_value(b, k)], "o", color=color)
    ax.set_xlim(*span)
    ax.set_ylim(-20, 140)
    ax.set_xlabel("w")
    ax.set_ylabel("J")
    ax.set_title(f"w = {w:.2f}   Δw = {dw:.2f}   k = {k:.1f}")
    ax.legend(loc="upper center", fontsize=9)
    plt.show()


explore(draw_secants, w=slider(-0.5, 4.5, 1.0, step=0.05), dw=slider(0.05, 1.5, 0.5, step=0.05),
        k=slider(0.0, 3.0, 0.0, step=0.25))

# %% [markdown] lang="pt"
# Agora com passos pequenos, em `float64`: a diferença central dá $-28$ a menos de um erro de
# arredondamento de no máximo $\sim 10^{-12}$, e o erro da diferença para a frente, dividido por
# $\Delta w$, dá sempre $14 = \tfrac12 J''$, como previsto pela série de Taylor.

# %% [markdown] lang="es"
# Ahora con pasos pequeños, en `float64`: la diferencia central da $-28$ salvo un error de
# redondeo de a lo sumo $\sim 10^{-12}$, y el error de la diferencia hacia adelante, dividido por
# $\Delta w$, da siempre $14 = \tfrac12 J''$, como predice la serie de Taylor.

# %%
w64 = torch.ones(1, dtype=torch.float64, device=device)
with torch.no_grad():
    for dw in (1e-1, 1e-2, 1e-3):
        central = ((J_curve(w64 + dw) - J_curve(w64 - dw)) / (2 * dw)).item()
        forward = ((J_curve(w64 + dw) - J_curve(w64)) / dw).item()
        print(f"dw={dw:<6g} central = {central:.12f}   "
              + lang_text("para a frente", "hacia adelante")
              + f" = {forward:.12f}   ({forward:.4f} - (-28)) / dw = {(forward + 28) / dw:.6f}")

# %% [markdown] lang="pt"
# ## 4. Quão pequeno deve ser $\Delta w$?
#
# A série de Taylor sugere "quanto menor, melhor". O computador discorda. Veja o que a mesma
# diferença central dá com os dados em `float32` (o dtype padrão do PyTorch):

# %% [markdown] lang="es"
# ## 4. ¿Qué tan pequeño debe ser $\Delta w$?
#
# La serie de Taylor sugiere "cuanto más pequeño, mejor". La computadora no está de acuerdo.
# Mira lo que da la misma diferencia central con los datos en `float32` (el dtype por defecto de
# PyTorch):

# %%
w32 = torch.ones(1, device=device)
with torch.no_grad():
    for dw in (1e-3, 1e-5, 1e-7, 1e-8):
        central = ((J_curve(w32 + dw) - J_curve(w32 - dw)) / (2 * dw)).item()
        print(f"float32, dw={dw:g}: central = {central:.6f}")
    print("w + 1e-7 =", f"{(w32 + 1e-7).item():.9f}", "| w - 1e-7 =", f"{(w32 - 1e-7).item():.9f}")
    print("J(w + 1e-7) =", f"{J_curve(w32 + 1e-7).item():.7f}",
          "| J(w - 1e-7) =", f"{J_curve(w32 - 1e-7).item():.7f}")
one, fourteen = torch.tensor(1.0), torch.tensor(14.0)
print(lang_text("degrau do float32 logo acima de 1:", "escalón de float32 justo arriba de 1:"),
      (torch.nextafter(one, one + 1) - one).item(),
      lang_text("| logo acima de 14:", "| justo arriba de 14:"),
      (torch.nextafter(fourteen, fourteen + 1) - fourteen).item())

# %% [markdown] lang="pt"
# Com $\Delta w = 10^{-7}$ a estimativa na CPU é $\approx -38{,}15$ em vez de $-28$ (em outro
# hardware os últimos dígitos podem mudar, o estrago não), e com $10^{-8}$ é $0$! O culpado é o
# **erro de arredondamento**. Um `float32` guarda cerca de 7 algarismos significativos:
#
# * perto de 1, os números representáveis vêm em degraus de $2^{-23} \approx 1{,}19 \times
#   10^{-7}$ (logo abaixo de 1, de metade disso). Então $1 + 10^{-7}$ vira $1{,}000000119$ e
#   $1 - 10^{-7}$ vira $0{,}999999881$: o passo efetivo não é o que pedimos. Com
#   $\Delta w = 10^{-8}$, $w \pm \Delta w$ arredonda para o próprio $w$ e a diferença é zero;
# * perto de $J \approx 14$ os degraus são de $2^{-20} \approx 9{,}5 \times 10^{-7}$. Entre
#   esses dois pontos arredondados, a diferença exata de $J$ é de só uns $-6{,}7 \times 10^{-6}$,
#   ou seja, uns 7 degraus; o `float32` entrega $-8$ degraus ($13{,}9999962 - 14{,}0000038$).
#   Dividindo por $2\Delta w = 2 \times 10^{-7}$, cada degrau vale $\approx 4{,}8$ no resultado:
#   $-8 \times 4{,}77 \approx -38{,}15$.
#
# Em geral, o arredondamento de $J$ (tamanho $\approx \varepsilon\,|J|$, onde $\varepsilon$ é o
# **épsilon da máquina**: $1{,}2 \times 10^{-7}$ em `float32`, $2{,}2 \times 10^{-16}$ em
# `float64`) é dividido por $\Delta w$: um erro que **cresce** como $\varepsilon |J| / \Delta w$
# quando $\Delta w$ diminui. O erro total é truncamento (que cai com $\Delta w$) **mais**
# arredondamento (que sobe).
#
# O gráfico abaixo mostra as duas partes, em escala log-log, para as diferenças para a frente e
# central nos dois dtypes; a reta tracejada preta é a previsão do truncamento, $14\,\Delta w$, e
# as pontilhadas, a do arredondamento, $\varepsilon \cdot 14 / \Delta w$. Mova o controle
# deslizante `dw` (de $10^{-12}$ a $1$, em escala logarítmica): a linha vertical marca o passo e
# o título mostra o erro de cada estimativa nesse passo. (Sem *widgets*, o desenho fica em $\Delta w = 10^{-7}$.)

# %% [markdown] lang="es"
# Con $\Delta w = 10^{-7}$ la estimación en CPU es $\approx -38.15$ en lugar de $-28$ (en otro
# hardware los últimos dígitos pueden cambiar, el desastre no), ¡y con $10^{-8}$ es $0$! El
# culpable es el **error de redondeo**. Un `float32` guarda unas 7 cifras significativas:
#
# * cerca de 1, los números representables van en escalones de $2^{-23} \approx 1.19 \times
#   10^{-7}$ (justo debajo de 1, de la mitad). Así que $1 + 10^{-7}$ se convierte en
#   $1.000000119$ y $1 - 10^{-7}$ en $0.999999881$: el paso efectivo no es el que pedimos. Con
#   $\Delta w = 10^{-8}$, $w \pm \Delta w$ se redondea al propio $w$ y la diferencia es cero;
# * cerca de $J \approx 14$ los escalones son de $2^{-20} \approx 9.5 \times 10^{-7}$. Entre
#   esos dos puntos redondeados, la diferencia exacta de $J$ es de apenas unos
#   $-6.7 \times 10^{-6}$, es decir, unos 7 escalones; `float32` entrega $-8$ escalones
#   ($13.9999962 - 14.0000038$). Al dividir por $2\Delta w = 2 \times 10^{-7}$, cada escalón
#   vale $\approx 4.8$ en el resultado: $-8 \times 4.77 \approx -38.15$.
#
# En general, el redondeo de $J$ (de tamaño $\approx \varepsilon\,|J|$, donde $\varepsilon$ es el
# **épsilon de máquina**: $1.2 \times 10^{-7}$ en `float32`, $2.2 \times 10^{-16}$ en `float64`)
# se divide por $\Delta w$: un error que **crece** como $\varepsilon |J| / \Delta w$ a medida que
# $\Delta w$ baja. El error total es truncamiento (que baja con $\Delta w$) **más** redondeo (que
# sube).
#
# El gráfico de abajo muestra las dos partes, en escala log-log, para las diferencias hacia
# adelante y central en los dos dtypes; la recta negra de trazos es la predicción del
# truncamiento, $14\,\Delta w$, y las de puntos, la del redondeo, $\varepsilon \cdot 14 /
# \Delta w$. Mueve el control deslizante `dw` (de $10^{-12}$ a $1$, en escala logarítmica): la
# línea vertical marca el paso y el título muestra el error de cada estimación con ese paso.
# (Sin *widgets*, el dibujo queda en $\Delta w = 10^{-7}$.)

# %%
def estimate_errors(dw, dtype):
    wd = torch.ones(1, dtype=dtype, device=device)
    with torch.no_grad():
        J0, J_plus, J_minus = J_curve(wd), J_curve(wd + dw), J_curve(wd - dw)
    forward = ((J_plus - J0) / dw).item()
    central = ((J_plus - J_minus) / (2 * dw)).item()
    return {"forward": abs(forward + 28), "central": abs(central + 28)}


steps = torch.logspace(-12, 0, 49, dtype=torch.float64).tolist()
curves = {dtype: [estimate_errors(s, dtype) for s in steps]
          for dtype in (torch.float32, torch.float64)}
colors = {torch.float32: "C0", torch.float64: "C3"}


def draw_errors(dw):
    titles = {"forward": lang_text("para a frente", "hacia adelante"), "central": "central"}
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.6), sharey=True)
    for ax, kind in zip(axes, ("forward", "central")):
        shown = []
        for dtype, color in colors.items():
            name = str(dtype).replace("torch.", "")
            errors = [e[kind] or float("nan") for e in curves[dtype]]
            ax.loglog(steps, errors, "o-", ms=3, color=color, label=name)
            ax.loglog(steps, [torch.finfo(dtype).eps * 14 / s for s in steps], ":", color=color,
                      lw=1, label=f"ε·14/Δw ({name})")
            here = estimate_errors(dw, dtype)[kind]
            ax.plot([dw], [here or 1e-16], "s", color=color, ms=9, mfc="none", mew=2)
            shown.append(f"{name}: {here:.1e}")
        if kind == "forward":
            ax.loglog(steps, [14 * s for s in steps], "k--", lw=1, label="14·Δw")
        ax.axvline(dw, color="gray", lw=1)
        ax.set_title(f"{titles[kind]}, Δw = {dw:.0e}\n" + "   ".join(shown), fontsize=10)
        ax.set_xlabel("Δw")
        ax.set_ylim(1e-16, 1e3)
        ax.grid(True, which="major", alpha=0.3)
        ax.legend(fontsize=8, loc="lower right" if kind == "forward" else "lower left")
    axes[0].set_ylabel(lang_text("erro |estimativa − (−28)|", "error |estimación − (−28)|"))
    plt.show()


explore(draw_errors, dw=slider(1e-12, 1.0, 1e-7, log=True))

# %% [markdown] lang="pt"
# Leia o gráfico da direita para a esquerda (de $\Delta w$ grande para pequeno):
#
# * **Para a frente:** o erro cai ao longo da reta $14\,\Delta w$ (truncamento) até encontrar a
#   reta do arredondamento, e daí em diante **sobe**. O melhor $\Delta w$ fica no cruzamento,
#   $\Delta w \approx \sqrt{\varepsilon}$: uns $3 \times 10^{-4}$ em `float32` e
#   $1{,}5 \times 10^{-8}$ em `float64`.
# * **Central:** não há truncamento (a parábola tem $J''' = 0$; os pontos que faltam são erros
#   exatamente zero), só o arredondamento, que cresce como $1/\Delta w$. Para uma função
#   qualquer apareceria também o ramo de truncamento, com inclinação 2 (erro $\propto \Delta
#   w^2$), e o melhor passo ficaria perto de $\sqrt[3]{\varepsilon}$: uns $5 \times 10^{-3}$ em
#   `float32` e $6 \times 10^{-6}$ em `float64`.
# * No canto esquerdo, o `float32` satura em 28: $w \pm \Delta w$ arredondou para $w$ e a
#   estimativa é 0.
# * O `float64` tem uns 9 algarismos a mais que o `float32` ($\varepsilon$ é $5 \times 10^{8}$
#   vezes menor). Por isso **a verificação do gradiente se faz em `float64`**.

# %% [markdown] lang="es"
# Lee el gráfico de derecha a izquierda (de $\Delta w$ grande a pequeño):
#
# * **Hacia adelante:** el error baja siguiendo la recta $14\,\Delta w$ (truncamiento) hasta
#   encontrarse con la recta del redondeo, y a partir de ahí **sube**. El mejor $\Delta w$ está
#   en el cruce, $\Delta w \approx \sqrt{\varepsilon}$: unos $3 \times 10^{-4}$ en `float32` y
#   $1.5 \times 10^{-8}$ en `float64`.
# * **Central:** no hay truncamiento (la parábola tiene $J''' = 0$; los puntos que faltan son
#   errores exactamente cero), solo redondeo, que crece como $1/\Delta w$. Para una función
#   cualquiera aparecería también la rama de truncamiento, con pendiente 2 (error
#   $\propto \Delta w^2$), y el mejor paso quedaría cerca de $\sqrt[3]{\varepsilon}$: unos
#   $5 \times 10^{-3}$ en `float32` y $6 \times 10^{-6}$ en `float64`.
# * En la esquina izquierda, `float32` se satura en 28: $w \pm \Delta w$ se redondeó a $w$ y la
#   estimación es 0.
# * `float64` tiene unas 9 cifras más que `float32` ($\varepsilon$ es $5 \times 10^{8}$ veces
#   menor). Por eso **la verificación del gradiente se hace en `float64`**.

# %% [markdown] lang="pt"
# ### Exercício 3 — múltipla escolha (1 ponto cada)
#
# Responda atribuindo a letra da alternativa, por exemplo `answer_dw_limits = "a"`. Os dois
# controles deslizantes acima ajudam a conferir.
#
# **3a.** Você vai verificar, em `float64` e com a diferença central, o gradiente de uma função
# suave que **não** é quadrática, num ponto $w$ perto de 1 e com valores de $f$ da ordem de 1.
# Qual $\Delta w$ é a escolha mais segura?
#
# * (a) $10^{-15}$: quanto menor o passo, menor o erro de truncamento e melhor a estimativa.
# * (b) $10^{-1}$: um passo grande foge do arredondamento, e a central não tem truncamento.
# * (c) $10^{-5}$: perto de onde o truncamento ($\propto \Delta w^2$) e o arredondamento se equilibram.
# * (d) $1$: o passo precisa ter a escala de $w$ para a diferença entre os dois $f$ aparecer.
#
# **3b.** Em `float32`, com $\Delta w = 10^{-7}$, a diferença central em $w = 1$ deu
# $\approx -38$ em vez de $-28$. Qual mudança, **sozinha**, traz a estimativa para perto de $-28$?
#
# * (a) Usar $\Delta w = 10^{-9}$, um passo ainda menor, para reduzir o erro que sobrou.
# * (b) Usar $\Delta w = 10^{-3}$: o erro de arredondamento, $\approx \varepsilon|J|/\Delta w$, cai.
# * (c) Trocar pela diferença para a frente, mantendo $\Delta w = 10^{-7}$ e o `float32`.
# * (d) Calcular $1000 \cdot J$ no lugar de $J$ e dividir a estimativa por 1000 no final.

# %% [markdown] lang="es"
# ### Ejercicio 3 — opción múltiple (1 punto cada una)
#
# Responde asignando la letra de la opción, por ejemplo `answer_dw_limits = "a"`. Los dos
# controles deslizantes de arriba ayudan a comprobarlo.
#
# **3a.** Vas a verificar, en `float64` y con la diferencia central, el gradiente de una función
# suave que **no** es cuadrática, en un punto $w$ cercano a 1 y con valores de $f$ del orden de 1.
# ¿Qué $\Delta w$ es la elección más segura?
#
# * (a) $10^{-15}$: cuanto más pequeño el paso, menor el error de truncamiento y mejor la estimación.
# * (b) $10^{-1}$: un paso grande escapa del redondeo, y la central no tiene truncamiento.
# * (c) $10^{-5}$: cerca de donde el truncamiento ($\propto \Delta w^2$) y el redondeo se equilibran.
# * (d) $1$: el paso tiene que tener la escala de $w$ para que se note la diferencia entre los $f$.
#
# **3b.** En `float32`, con $\Delta w = 10^{-7}$, la diferencia central en $w = 1$ dio
# $\approx -38$ en lugar de $-28$. ¿Qué cambio, **por sí solo**, acerca la estimación a $-28$?
#
# * (a) Usar $\Delta w = 10^{-9}$, un paso todavía menor, para reducir el error que quedó.
# * (b) Usar $\Delta w = 10^{-3}$: el error de redondeo, $\approx \varepsilon|J|/\Delta w$, baja.
# * (c) Cambiar a la diferencia hacia adelante, manteniendo $\Delta w = 10^{-7}$ y `float32`.
# * (d) Calcular $1000 \cdot J$ en lugar de $J$ y dividir la estimación por 1000 al final.

# %% nbgrader={"grade_id": "answer_dw_limits", "solution": true}
### BEGIN SOLUTION
answer_dw_limits = "c"
### END SOLUTION

# %% nbgrader={"grade_id": "test_dw_limits", "grade": true, "points": 1}
check_choice("answer_dw_limits", answer_dw_limits)
### BEGIN HIDDEN TESTS
from course.lessons import load_checks
hidden_checks = load_checks("02_finite_differences")
hidden_checks.check_dw_limits(answer_dw_limits, LANG)
### END HIDDEN TESTS

# %% nbgrader={"grade_id": "answer_float32_step", "solution": true}
### BEGIN SOLUTION
answer_float32_step = "b"
### END SOLUTION

# %% nbgrader={"grade_id": "test_float32_step", "grade": true, "points": 1}
check_choice("answer_float32_step", answer_float32_step)
### BEGIN HIDDEN TESTS
from course.lessons import load_checks
hidden_checks = load_checks("02_finite_differences")
hidden_checks.check_float32_step(answer_float32_step, LANG)
### END HIDDEN TESTS

# %% [markdown] lang="pt"
# ## 5. Um verificador de gradientes para tensores de qualquer formato
#
# Numa rede de verdade os parâmetros são matrizes e tensores, não um número só. A ideia continua
# a mesma: para cada elemento $w_k$, perturbe **só ele**, avalie $f$ dos dois lados e divida:
#
# $$\frac{\partial f}{\partial w_k} \approx \frac{f(w + \varepsilon\,e_k) - f(w - \varepsilon\,e_k)}
#   {2\varepsilon},$$
#
# onde $e_k$ é o tensor com 1 na posição $k$ e 0 no resto. São **duas avaliações de $f$ por
# elemento**.
#
# ### Exercício 4 — `numerical_grad(f, w, eps=1e-6)` (3 + 2 pontos)
#
# **Sem autograd**, devolva o gradiente por diferença central de uma função escalar `f` no
# ponto `w`, um tensor de **qualquer formato** (0-d, 1-D, 2-D, …). O contrato:
#
# * o resultado tem o formato, o dtype e o dispositivo (`device`) de `w`;
# * use o `eps` recebido (nada de passo fixo);
# * `w` volta **exatamente** como estava: mesmos valores, bit a bit, mesmo `requires_grad`, mesmo
#   `.grad`. Perturbar `w` in-place e "desfazer" somando e subtraindo `eps` não basta (o
#   arredondamento não volta ao mesmo número); trabalhe numa cópia, `w.detach().clone()`;
# * funciona dentro de `torch.no_grad()` e com um `f` que nem tenha grafo: use só avaliações de
#   `f` (`f` devolve um tensor escalar); os testes ocultos conferem que o autograd não é usado.
#
# Precisão exigida: em `float64`, os testes ocultos comparam o seu resultado com a diferença
# central exata com o mesmo `eps` (e, com `eps = 1e-6`, com o gradiente do autograd), com
# tolerância relativa de $10^{-6}$; num teste do contrato em `float32`, com tolerância
# relativa de $10^{-3}$.
#
# Dica: um índice `i` de `0` a `w.numel() - 1` sobre uma cópia achatada (`reshape(-1)`) percorre
# todos os elementos; `copia.view(w.shape)` devolve o formato original para chamar `f`. A primeira
# célula de testes confere os valores (3 pontos); a segunda, o contrato (2 pontos).

# %% [markdown] lang="es"
# ## 5. Un verificador de gradientes para tensores de cualquier forma
#
# En una red de verdad los parámetros son matrices y tensores, no un solo número. La idea sigue
# siendo la misma: para cada elemento $w_k$, perturba **solo ese**, evalúa $f$ a ambos lados y
# divide:
#
# $$\frac{\partial f}{\partial w_k} \approx \frac{f(w + \varepsilon\,e_k) - f(w - \varepsilon\,e_k)}
#   {2\varepsilon},$$
#
# donde $e_k$ es el tensor con 1 en la posición $k$ y 0 en el resto. Son **dos evaluaciones de
# $f$ por elemento**.
#
# ### Ejercicio 4 — `numerical_grad(f, w, eps=1e-6)` (3 + 2 puntos)
#
# **Sin autograd**, devuelve el gradiente por diferencia central de una función escalar `f` en
# el punto `w`, un tensor de **cualquier forma** (0-d, 1-D, 2-D, …). El contrato:
#
# * el resultado tiene la forma, el dtype y el dispositivo (`device`) de `w`;
# * usa el `eps` recibido (nada de paso fijo);
# * `w` queda **exactamente** como estaba: mismos valores, bit a bit, mismo `requires_grad`, mismo
#   `.grad`. Perturbar `w` in-place y "deshacer" sumando y restando `eps` no alcanza (el redondeo
#   no vuelve al mismo número); trabaja sobre una copia, `w.detach().clone()`;
# * funciona dentro de `torch.no_grad()` y con una `f` que ni siquiera tenga grafo: usa solo
#   evaluaciones de `f` (`f` devuelve un tensor escalar); las pruebas ocultas comprueban que no
#   se use autograd.
#
# Precisión exigida: en `float64`, las pruebas ocultas comparan tu resultado con la diferencia
# central exacta con el mismo `eps` (y, con `eps = 1e-6`, con el gradiente de autograd), con
# tolerancia relativa de $10^{-6}$; en una prueba del contrato en `float32`, con tolerancia
# relativa de $10^{-3}$.
#
# Pista: un índice `i` de `0` a `w.numel() - 1` sobre una copia aplanada (`reshape(-1)`) recorre
# todos los elementos; `copia.view(w.shape)` recupera la forma original para llamar a `f`. La
# primera celda de pruebas revisa los valores (3 puntos); la segunda, el contrato (2 puntos).

# %% nbgrader={"grade_id": "numerical_grad", "solution": true}
def numerical_grad(f, w, eps=1e-6):
    ### BEGIN SOLUTION
    flat = w.detach().reshape(-1).clone()
    grad = torch.empty_like(flat)
    for i in range(flat.numel()):
        original = flat[i].item()
        flat[i] = original + eps
        f_plus = float(f(flat.view(w.shape)))
        flat[i] = original - eps
        f_minus = float(f(flat.view(w.shape)))
        flat[i] = original
        grad[i] = (f_plus - f_minus) / (2 * eps)
    return grad.view(w.shape)
    ### END SOLUTION

# %% nbgrader={"grade_id": "test_numerical_grad_values", "grade": true, "points": 3}
x_chk = torch.tensor([0.0, 1.0, 2.0, 3.0], dtype=torch.float64, device=device)
w_chk = torch.ones(1, dtype=torch.float64, device=device)
W_chk = torch.tensor([[1.0, -2.0, 0.5], [3.0, 0.0, -1.5]], dtype=torch.float64, device=device)
s_chk = torch.tensor(0.5, dtype=torch.float64, device=device)
check("J, w=1", lambda: numerical_grad(lambda v: ((x_chk * v - 2 * x_chk) ** 2).sum(), w_chk),
      [-28.0])
check("sum(W**2) -> 2W", lambda: numerical_grad(lambda v: (v ** 2).sum(), W_chk),
      (2 * W_chk).tolist())
check("sum(W**3) -> 3W², eps=1e-4",
      lambda: numerical_grad(lambda v: (v ** 3).sum(), W_chk, 1e-4), (3 * W_chk ** 2).tolist())
check("0-d: sin -> cos", lambda: numerical_grad(torch.sin, s_chk), torch.cos(s_chk).item())
### BEGIN HIDDEN TESTS
from course.lessons import load_checks
hidden_checks = load_checks("02_finite_differences")
hidden_checks.check_numerical_grad_values(numerical_grad, LANG)
### END HIDDEN TESTS

# %% nbgrader={"grade_id": "test_numerical_grad_contract", "grade": true, "points": 2}
W_chk = torch.tensor([[1.0, -2.0, 0.5], [3.0, 0.0, -1.5]], dtype=torch.float64, device=device)
W_before = W_chk.clone()


def grad_under_no_grad():
    with torch.no_grad():
        return numerical_grad(lambda v: (v ** 3).sum(), W_chk)


def W_unchanged():
    grad_under_no_grad()
    return bool(torch.equal(W_chk, W_before))


def requires_grad_and_grad_kept():
    W_req = W_before.clone().requires_grad_(True)
    numerical_grad(lambda v: (v ** 2).sum(), W_req)
    return [W_req.requires_grad, W_req.grad is None]


check(lang_text("W inalterado (bit a bit)", "W sin cambios (bit a bit)"), W_unchanged, True)
check(lang_text("formato", "forma"), lambda: list(grad_under_no_grad().shape), [2, 3])
check("dtype", lambda: str(grad_under_no_grad().dtype), str(W_chk.dtype))
check("device", lambda: str(grad_under_no_grad().device), str(W_chk.device))
check(lang_text("requires_grad e .grad mantidos", "requires_grad y .grad sin cambios"),
      requires_grad_and_grad_kept, [True, True])
### BEGIN HIDDEN TESTS
from course.lessons import load_checks
hidden_checks = load_checks("02_finite_differences")
hidden_checks.check_numerical_grad_contract(numerical_grad, LANG)
### END HIDDEN TESTS

# %% [markdown] lang="pt"
# ### Erro relativo: quando dois gradientes "batem"?
#
# Comparar a diferença absoluta não basta: um erro de $10^{-4}$ é ótimo se o gradiente vale
# $10^{3}$ e péssimo se vale $10^{-4}$. Por isso compara-se o **erro relativo**, elemento a
# elemento,
#
# $$\text{erro relativo} = \frac{|g_\text{analítico} - g_\text{numérico}|}
#   {\max(|g_\text{analítico}|, |g_\text{numérico}|)},$$
#
# e olha-se o maior. A tabela das notas de aula do CS231n (Stanford), para conferências em
# `float64` com diferença central:
#
# | erro relativo | veredito |
# |---|---|
# | $> 10^{-2}$ | o gradiente provavelmente está **errado** |
# | entre $10^{-4}$ e $10^{-2}$ | desconfortável, investigue |
# | entre $10^{-7}$ e $10^{-4}$ | aceitável se a função tem "quinas" (ReLU, `abs`, `max`), alto demais se é suave |
# | $\le 10^{-7}$ | **bom** |
#
# Vamos conferir o autograd numa camada `tanh` pequena, em `float64` e em `float32`, usando o
# **seu** `numerical_grad` como juiz (se o exercício 4 ainda não tem resposta, as células
# abaixo só avisam).

# %% [markdown] lang="es"
# ### Error relativo: ¿cuándo "coinciden" dos gradientes?
#
# Comparar la diferencia absoluta no alcanza: un error de $10^{-4}$ es excelente si el gradiente
# vale $10^{3}$ y pésimo si vale $10^{-4}$. Por eso se compara el **error relativo**, elemento
# por elemento,
#
# $$\text{error relativo} = \frac{|g_\text{analítico} - g_\text{numérico}|}
#   {\max(|g_\text{analítico}|, |g_\text{numérico}|)},$$
#
# y se mira el mayor. La tabla de los apuntes del curso CS231n (Stanford), para comprobaciones en
# `float64` con diferencia central:
#
# | error relativo | veredicto |
# |---|---|
# | $> 10^{-2}$ | el gradiente probablemente está **mal** |
# | entre $10^{-4}$ y $10^{-2}$ | incómodo, investiga |
# | entre $10^{-7}$ y $10^{-4}$ | aceptable si la función tiene "quiebres" (ReLU, `abs`, `max`), demasiado alto si es suave |
# | $\le 10^{-7}$ | **bueno** |
#
# Comprobemos autograd en una capa `tanh` pequeña, en `float64` y en `float32`, con **tu**
# `numerical_grad` como árbitro (si el ejercicio 4 todavía no tiene respuesta, las celdas de
# abajo solo avisan).

# %%
def rel_error(a, b):
    a, b = a.detach().double(), b.detach().double()
    return ((a - b).abs() / torch.maximum(a.abs(), b.abs()).clamp_min(1e-12)).max().item()


def waiting_for_exercise_4():
    print(lang_text("⏳ responda o exercício 4 (numerical_grad) para ver esta comparação",
                    "⏳ responde el ejercicio 4 (numerical_grad) para ver esta comparación"))


# %%
gen = torch.Generator().manual_seed(0)
X_net = torch.randn(8, 3, generator=gen, dtype=torch.float64).to(device)
T_net = torch.randn(8, 2, generator=gen, dtype=torch.float64).to(device)
W_net = torch.randn(3, 2, generator=gen, dtype=torch.float64).to(device)


def layer_loss(W):
    return ((torch.tanh(X_net.to(W.dtype) @ W) - T_net.to(W.dtype)) ** 2).sum()


try:
    for dtype, eps in ((torch.float64, 1e-6), (torch.float32, 1e-6), (torch.float32, 1e-2)):
        W = W_net.to(dtype).requires_grad_(True)
        (g_autograd,) = torch.autograd.grad(layer_loss(W), W)
        g_numeric = numerical_grad(layer_loss, W, eps)
        print(f"{str(dtype):14s} eps={eps:<6g} rel_error = {rel_error(g_autograd, g_numeric):.1e}")
except NotImplementedError:
    waiting_for_exercise_4()

# %% [markdown] lang="pt"
# O gradiente do autograd está certo nos três casos; o que muda é a qualidade do **juiz**. Em
# `float64` com $\varepsilon = 10^{-6}$ o erro relativo fica na casa de $10^{-9}$: bom. Em
# `float32` com o mesmo passo, o arredondamento faz o erro passar de $10^{-1}$ — pela tabela,
# "errado", um alarme falso. Com um passo maior, $10^{-2}$, o `float32` chega só a uns
# $10^{-4}$. Moral: verifique gradientes em `float64`.
#
# ### Pegando um erro de verdade
#
# O verificador serve para conferir gradientes escritos **à mão** (ou uma `Function`
# personalizada do autograd, como faremos na aula 04). Abaixo, o gradiente da perda de
# regressão linear $L(v) = \lVert A v - b\rVert^2$ é $2A^\top(Av - b)$; a versão com erro
# esqueceu o fator 2 que vem da derivada do quadrado — o mesmo fator de
# $\partial e2/\partial e = 2e$ que você aplicou à mão no exercício 2 da aula 01
# (`manual_backward`). O PyTorch também traz um verificador pronto, `torch.autograd.gradcheck`,
# que compara a derivada do autograd com diferenças finitas (passo $10^{-6}$, em `float64`) e
# devolve `True` quando batem.

# %% [markdown] lang="es"
# El gradiente de autograd es correcto en los tres casos; lo que cambia es la calidad del
# **árbitro**. En `float64` con $\varepsilon = 10^{-6}$ el error relativo queda del orden de
# $10^{-9}$: bueno. En `float32` con el mismo paso, el redondeo lleva el error por encima de
# $10^{-1}$: según la tabla, "mal", una falsa alarma. Con un paso mayor, $10^{-2}$, `float32`
# llega apenas a unos $10^{-4}$. Moraleja: verifica gradientes en `float64`.
#
# ### Atrapando un error de verdad
#
# El verificador sirve para comprobar gradientes escritos **a mano** (o una `Function`
# personalizada de autograd, como haremos en la clase 04). Abajo, el gradiente de la pérdida de
# regresión lineal $L(v) = \lVert A v - b\rVert^2$ es $2A^\top(Av - b)$; la versión con error
# olvidó el factor 2 que viene de la derivada del cuadrado, el mismo factor de
# $\partial e2/\partial e = 2e$ que aplicaste a mano en el ejercicio 2 de la clase 01
# (`manual_backward`). PyTorch también trae un verificador listo, `torch.autograd.gradcheck`,
# que compara la derivada de autograd con diferencias finitas (paso $10^{-6}$, en `float64`) y
# devuelve `True` cuando coinciden.

# %%
A = torch.randn(10, 3, generator=gen, dtype=torch.float64).to(device)
b = torch.randn(10, generator=gen, dtype=torch.float64).to(device)
v = torch.randn(3, generator=gen, dtype=torch.float64).to(device)


def linreg_loss(v):
    return ((A @ v - b) ** 2).sum()


g_by_hand = 2 * A.T @ (A @ v - b)
g_buggy = A.T @ (A @ v - b)
try:
    g_numeric = numerical_grad(linreg_loss, v)
    print(f"rel_error(2·Aᵀ(Av-b)) = {rel_error(g_by_hand, g_numeric):.1e}")
    print(f"rel_error(Aᵀ(Av-b))   = {rel_error(g_buggy, g_numeric):.1e}")
except NotImplementedError:
    waiting_for_exercise_4()
print("gradcheck:", torch.autograd.gradcheck(linreg_loss, (v.clone().requires_grad_(True),)))

# %% [markdown] lang="pt"
# O gradiente certo dá um erro relativo minúsculo, entre $10^{-11}$ e $10^{-10}$ (o valor exato,
# impresso acima, muda um pouco de uma máquina para outra: por exemplo, `2.4e-11` numa CPU e
# `9.9e-11` em outra); o que esqueceu o fator 2 dá exatamente $0{,}5$ ($|g - 2g| / |2g|$) —
# impossível não notar.
#
# ## 6. Por que então treinar com `backward()`?
#
# Se as diferenças finitas são tão simples, por que não treinar com elas? Conte as avaliações de
# $f$: com $P$ parâmetros, a diferença central precisa de $2P$ avaliações da perda **a cada
# passo** de treino. O `backward()` (diferenciação automática em modo reverso) entrega as $P$
# derivadas de uma vez, por um custo equivalente a poucas avaliações da perda, **qualquer que
# seja** $P$. E entrega derivadas exatas a menos de arredondamento, sem $\Delta w$ para escolher.
# A célula abaixo mede as duas coisas numa camada `tanh` com $P$ crescente (com o seu
# `numerical_grad`):

# %% [markdown] lang="es"
# El gradiente correcto da un error relativo minúsculo, entre $10^{-11}$ y $10^{-10}$ (el valor
# exacto, impreso arriba, cambia un poco de una máquina a otra: por ejemplo, `2.4e-11` en una CPU
# y `9.9e-11` en otra); el que olvidó el factor 2 da exactamente $0.5$ ($|g - 2g| / |2g|$):
# imposible no notarlo.
#
# ## 6. Entonces, ¿por qué entrenar con `backward()`?
#
# Si las diferencias finitas son tan simples, ¿por qué no entrenar con ellas? Cuenta las
# evaluaciones de $f$: con $P$ parámetros, la diferencia central necesita $2P$ evaluaciones de la
# pérdida **en cada paso** de entrenamiento. `backward()` (diferenciación automática en modo
# reverso) entrega las $P$ derivadas de una vez, por un costo equivalente a unas pocas
# evaluaciones de la pérdida, **sea cual sea** $P$. Y entrega derivadas exactas salvo redondeo,
# sin $\Delta w$ que elegir. La celda de abajo mide las dos cosas en una capa `tanh` con $P$
# creciente (con tu `numerical_grad`):

# %%
X_big = torch.randn(16, 10, generator=gen, dtype=torch.float64).to(device)
sizes = []
for n_out in (1, 4, 16):
    T_big = torch.randn(16, n_out, generator=gen, dtype=torch.float64).to(device)
    W_big = 0.1 * torch.randn(10, n_out, generator=gen, dtype=torch.float64).to(device)
    sizes.append((T_big, W_big))

try:
    for T_big, W_big in sizes:
        calls = []

        def counted_loss(W):
            calls.append(1)
            return ((torch.tanh(X_big @ W) - T_big) ** 2).mean()

        start = time.perf_counter()
        numerical_grad(counted_loss, W_big)
        t_numeric = time.perf_counter() - start
        n_numeric = len(calls)

        calls.clear()
        W_req = W_big.clone().requires_grad_(True)
        start = time.perf_counter()
        counted_loss(W_req).backward()
        t_backward = time.perf_counter() - start
        print(f"P={W_big.numel():5d}: numerical_grad {n_numeric:5d} "
              + lang_text("avaliações", "evaluaciones") + f", {t_numeric * 1e3:7.1f} ms | "
              + f"backward {len(calls)} " + lang_text("avaliação", "evaluación")
              + f", {t_backward * 1e3:5.2f} ms")
except NotImplementedError:
    waiting_for_exercise_4()

# %% [markdown] lang="pt"
# O número de avaliações cresce com $P$ e o tempo acompanha; o `backward()` continua precisando
# de um único *forward*. Uma rede com um milhão de parâmetros pediria dois milhões de
# avaliações da perda por passo. As diferenças finitas ficam para o que fazem bem: **conferir**,
# em poucos elementos e em `float64`, gradientes calculados de outra forma.
#
# ### Exercício 5 — múltipla escolha (1 ponto)
#
# Uma rede tem $P = 10^6$ parâmetros, e uma avaliação da perda leva 10 ms. Quanto tempo leva,
# aproximadamente, **um** gradiente completo por diferenças centrais, e quanto pelo
# `backward()`? Responda em `answer_backward_cost`.
#
# * (a) Cerca de 3 horas pelas diferenças ($10^6$ avaliações) e outras 3 horas pelo `backward()`.
# * (b) Cerca de 20 ms pelas diferenças (2 avaliações, mexendo em todos os pesos) e 5,5 h pelo `backward()`.
# * (c) Cerca de 5,5 horas pelas diferenças ($2 \times 10^6$ avaliações) e outras 5,5 h pelo `backward()`.
# * (d) Cerca de 5,5 horas pelas diferenças ($2 \times 10^6$ avaliações) e poucas dezenas de ms pelo `backward()`.

# %% [markdown] lang="es"
# La cantidad de evaluaciones crece con $P$ y el tiempo la acompaña; `backward()` sigue
# necesitando un único *forward*. Una red con un millón de parámetros pediría dos millones de
# evaluaciones de la pérdida por paso. Las diferencias finitas quedan para lo que hacen bien:
# **comprobar**, en pocos elementos y en `float64`, gradientes calculados de otra manera.
#
# ### Ejercicio 5 — opción múltiple (1 punto)
#
# Una red tiene $P = 10^6$ parámetros, y una evaluación de la pérdida tarda 10 ms. ¿Cuánto tarda,
# aproximadamente, **un** gradiente completo por diferencias centrales, y cuánto con
# `backward()`? Responde en `answer_backward_cost`.
#
# * (a) Unas 3 horas por diferencias ($10^6$ evaluaciones) y otras 3 horas con `backward()`.
# * (b) Unos 20 ms por diferencias (2 evaluaciones, moviendo todos los pesos) y 5.5 h con `backward()`.
# * (c) Unas 5.5 horas por diferencias ($2 \times 10^6$ evaluaciones) y otras 5.5 h con `backward()`.
# * (d) Unas 5.5 horas por diferencias ($2 \times 10^6$ evaluaciones) y pocas decenas de ms con `backward()`.

# %% nbgrader={"grade_id": "answer_backward_cost", "solution": true}
### BEGIN SOLUTION
answer_backward_cost = "d"
### END SOLUTION

# %% nbgrader={"grade_id": "test_backward_cost", "grade": true, "points": 1}
check_choice("answer_backward_cost", answer_backward_cost)
### BEGIN HIDDEN TESTS
from course.lessons import load_checks
hidden_checks = load_checks("02_finite_differences")
hidden_checks.check_backward_cost(answer_backward_cost, LANG)
### END HIDDEN TESTS

# %% [markdown] lang="pt"
# ### Exercício 6 — resposta escrita (2 pontos, corrigida pelo professor)
#
# Mostre, com uma conta curta, por que para o $J$ desta aula a diferença central dá $-28$ para
# **qualquer** $\Delta w$ (a menos de arredondamento), enquanto a diferença para a frente erra
# em exatamente $14\,\Delta w$. Dica: escreva $J(w) = a w^2 + b w + c$.

# %% [markdown] lang="es"
# ### Ejercicio 6 — respuesta escrita (2 puntos, la corrige el docente)
#
# Muestra, con una cuenta corta, por qué para el $J$ de esta clase la diferencia central da $-28$
# para **cualquier** $\Delta w$ (salvo redondeo), mientras que la diferencia hacia adelante se
# equivoca en exactamente $14\,\Delta w$. Pista: escribe $J(w) = a w^2 + b w + c$.

# %% [markdown] lang="pt" nbgrader={"grade_id": "explain_central_exact", "solution": true, "grade": true, "points": 2}
# $J$ é um polinômio de grau 2: $J(w) = a w^2 + b w + c$ com $a = \sum x_i^2 = 14$,
# $b = -2\sum x_i y_i = -56$ e $c = \sum y_i^2 = 56$, logo $J'(w) = 2aw + b$ e $J'' = 2a = 28$.
# Central: $J(w+\Delta) - J(w-\Delta) = a\,[(w+\Delta)^2 - (w-\Delta)^2] + b\,(2\Delta) =
# 2\Delta\,(2aw + b)$; dividindo por $2\Delta$ sobra exatamente $J'(w) = -28$ em $w=1$, sem
# nenhum termo em $\Delta$ (na série de Taylor, o erro seria $J'''\Delta^2/6$, e $J''' = 0$).
# Para a frente: $J(w+\Delta) - J(w) = \Delta\,(2aw + b) + a\Delta^2$; dividindo por $\Delta$ dá
# $J'(w) + a\Delta = J'(w) + \tfrac12 J''\,\Delta$, um erro de $14\,\Delta w$. Na prática, só o
# arredondamento de ponto flutuante afasta a central de $-28$.

# %% [markdown] lang="es" nbgrader={"grade_id": "explain_central_exact", "solution": true, "grade": true, "points": 2}
# $J$ es un polinomio de grado 2: $J(w) = a w^2 + b w + c$ con $a = \sum x_i^2 = 14$,
# $b = -2\sum x_i y_i = -56$ y $c = \sum y_i^2 = 56$, así que $J'(w) = 2aw + b$ y $J'' = 2a = 28$.
# Central: $J(w+\Delta) - J(w-\Delta) = a\,[(w+\Delta)^2 - (w-\Delta)^2] + b\,(2\Delta) =
# 2\Delta\,(2aw + b)$; al dividir por $2\Delta$ queda exactamente $J'(w) = -28$ en $w=1$, sin
# ningún término en $\Delta$ (en la serie de Taylor, el error sería $J'''\Delta^2/6$, y
# $J''' = 0$). Hacia adelante: $J(w+\Delta) - J(w) = \Delta\,(2aw + b) + a\Delta^2$; al dividir
# por $\Delta$ da $J'(w) + a\Delta = J'(w) + \tfrac12 J''\,\Delta$, un error de $14\,\Delta w$.
# En la práctica, solo el redondeo de punto flotante aleja la central de $-28$.

# %% [markdown] lang="pt"
# ## Resumo
#
# * As **diferenças finitas** aproximam uma derivada só avaliando a função. A **central**,
#   $\frac{f(w+\Delta w) - f(w-\Delta w)}{2\Delta w}$, tem erro de truncamento
#   $\propto \Delta w^2$; as diferenças para a frente e para trás, $\propto \Delta w$.
# * $\Delta w$ tem um ponto ótimo: grande demais, domina o **erro de truncamento**; pequeno
#   demais, o **erro de arredondamento**, $\approx \varepsilon |f| / \Delta w$. Em `float32`
#   ($\varepsilon \approx 1{,}2 \times 10^{-7}$) sobra pouca margem; por isso a verificação do
#   gradiente se faz em `float64`.
# * Um verificador de gradientes perturba um elemento por vez, numa cópia, e compara pelo
#   **erro relativo**; `torch.autograd.gradcheck` faz isso pronto.
# * Para treinar, as diferenças finitas custam $2P$ avaliações por passo; o `backward()` dá as
#   $P$ derivadas pelo custo de poucas avaliações.
#
# Na próxima aula vamos usar esses gradientes para **minimizar** $J$ por descida do gradiente
# (também chamada de gradiente descendente), primeiro com `dJ_diff` e depois com `backward()`.
#
# ## Para saber mais
#
# * Notas do CS231n (Stanford) sobre verificação do gradiente, com a tabela de erros relativos
#   (em inglês): https://cs231n.github.io/neural-networks-3/#gradcheck
# * Documentação de `torch.autograd.gradcheck` (em inglês):
#   https://pytorch.org/docs/stable/generated/torch.autograd.gradcheck.html
# * Documentação do PyTorch, "Autograd mechanics" (em inglês):
#   https://pytorch.org/docs/stable/notes/autograd.html
# * Notas do CS231n sobre retropropagação (em inglês): https://cs231n.github.io/optimization-2/
# * *Mergulho Profundo no Aprendizado Profundo* (d2l), capítulo "Diferenciação automática", em
#   português: https://pt.d2l.ai/chapter_preliminaries/autograd.html

# %% [markdown] lang="es"
# ## Resumen
#
# * Las **diferencias finitas** aproximan una derivada solo evaluando la función. La **central**,
#   $\frac{f(w+\Delta w) - f(w-\Delta w)}{2\Delta w}$, tiene error de truncamiento
#   $\propto \Delta w^2$; las diferencias hacia adelante y hacia atrás, $\propto \Delta w$.
# * $\Delta w$ tiene un punto óptimo: si es demasiado grande, domina el **error de
#   truncamiento**; si es demasiado pequeño, el **error de redondeo**,
#   $\approx \varepsilon |f| / \Delta w$. En `float32` ($\varepsilon \approx 1.2 \times 10^{-7}$)
#   queda poco margen; por eso la verificación del gradiente se hace en `float64`.
# * Un verificador de gradientes perturba un elemento por vez, sobre una copia, y compara con el
#   **error relativo**; `torch.autograd.gradcheck` lo trae hecho.
# * Para entrenar, las diferencias finitas cuestan $2P$ evaluaciones por paso; `backward()` da
#   las $P$ derivadas por el costo de unas pocas evaluaciones.
#
# En la próxima clase vamos a usar esos gradientes para **minimizar** $J$ por descenso de
# gradiente (también llamado descenso por gradiente o gradiente descendente), primero con
# `dJ_diff` y después con `backward()`.
#
# ## Para saber más
#
# Estas referencias están en inglés (no conocemos ediciones en español):
#
# * Apuntes de CS231n (Stanford) sobre verificación del gradiente, con la tabla de errores
#   relativos: https://cs231n.github.io/neural-networks-3/#gradcheck
# * Documentación de `torch.autograd.gradcheck`:
#   https://pytorch.org/docs/stable/generated/torch.autograd.gradcheck.html
# * Documentación de PyTorch, "Autograd mechanics":
#   https://pytorch.org/docs/stable/notes/autograd.html
# * Apuntes de CS231n sobre retropropagación: https://cs231n.github.io/optimization-2/
# * *Dive into Deep Learning* (d2l), capítulo "Automatic Differentiation":
#   https://d2l.ai/chapter_preliminaries/autograd.html
