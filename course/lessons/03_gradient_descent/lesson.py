# %% [markdown] lang="pt"
# # 03 · Descida do gradiente e otimizadores
#
# **Pré-requisitos:** as aulas 01 (o grafo, `backward()` e o acúmulo do gradiente) e 02
# (diferenças finitas); de Cálculo, derivada e parábola; de Python, laços e funções.
# **Tempo estimado:** cerca de 2 horas.
#
# Nas duas primeiras aulas calculamos o gradiente $\partial J/\partial w$ de duas formas: pelo
# grafo do autograd e por diferenças finitas. Agora vamos **usá-lo**. O gradiente aponta para
# onde a perda mais cresce; dando pequenos passos no sentido contrário, a perda diminui. Repetir
# isso muitas vezes é a **descida do gradiente** (você também vai encontrar o nome *gradiente
# descendente*), o algoritmo por trás de praticamente todo treino de rede neural.
#
# Neste notebook você vai:
#
# 1. minimizar $J(w) = \sum_i (x_i w - y_i)^2$ com o gradiente por diferenças finitas;
# 2. fazer o mesmo com `backward()`, tomando cuidado com três armadilhas do autograd;
# 3. mover a **taxa de aprendizado** com um controle deslizante e ver a descida convergir,
#    oscilar ou explodir;
# 4. passar para `torch.nn` e `torch.optim`: o passo de treino com `zero_grad`, `backward` e
#    `step`, e acumular gradientes de propósito em minilotes;
# 5. prever qual deve ser a perda de um classificador **antes** de treiná-lo.
#
# Os exercícios avaliados são `gd_finite_diff`, `gd_autograd`, `train_step` e
# `expected_initial_ce`, além de duas questões de múltipla escolha e uma resposta escrita.
#
# Execute as células em ordem (Shift+Enter). As células com `check(...)` conferem seu trabalho
# na hora; a nota final vem de testes ocultos, com outros dados, aplicados na correção. Você pode
# executar o notebook inteiro antes de responder: uma verificação de um exercício ainda sem
# resposta só avisa "⏳ … ainda não respondido".

# %% [markdown] lang="es"
# # 03 · Descenso de gradiente y optimizadores
#
# **Requisitos previos:** las clases 01 (el grafo, `backward()` y la acumulación del gradiente)
# y 02 (diferencias finitas); de Cálculo, derivada y parábola; de Python, bucles y funciones.
# **Tiempo estimado:** unas 2 horas.
#
# En las dos primeras clases calculamos el gradiente $\partial J/\partial w$ de dos maneras: con
# el grafo de autograd y con diferencias finitas. Ahora vamos a **usarlo**. El gradiente apunta
# hacia donde la pérdida crece más rápido; si damos pasos pequeños en sentido contrario, la
# pérdida baja. Repetir eso muchas veces es el **descenso de gradiente** (también lo vas a
# encontrar como *descenso por gradiente* o *gradiente descendente*), el algoritmo detrás de casi
# todo entrenamiento de redes neuronales.
#
# En este notebook vas a:
#
# 1. minimizar $J(w) = \sum_i (x_i w - y_i)^2$ con el gradiente por diferencias finitas;
# 2. hacer lo mismo con `backward()`, cuidando tres trampas de autograd;
# 3. mover la **tasa de aprendizaje** con un control deslizante y ver el descenso converger,
#    oscilar o explotar;
# 4. pasar a `torch.nn` y `torch.optim`: el paso de entrenamiento con `zero_grad`, `backward` y
#    `step`, y acumular gradientes a propósito en minilotes;
# 5. predecir cuánto debería valer la pérdida de un clasificador **antes** de entrenarlo.
#
# Los ejercicios calificados son `gd_finite_diff`, `gd_autograd`, `train_step` y
# `expected_initial_ce`, más dos preguntas de opción múltiple y una respuesta escrita.
#
# Ejecuta las celdas en orden (Shift+Enter). Las celdas con `check(...)` revisan tu trabajo al
# instante; la nota final sale de pruebas ocultas, con otros datos, que se aplican al corregir.
# Puedes ejecutar el notebook entero antes de responder: la verificación de un ejercicio todavía
# sin respuesta solo avisa "⏳ … todavía sin responder".

# %%
import math

import matplotlib.pyplot as plt
import torch

device = ("cuda" if torch.cuda.is_available()
          else "mps" if torch.backends.mps.is_available() else "cpu")
print("torch", torch.__version__, "| device =", device)

# %% [markdown] lang="pt"
# A célula acima escolhe onde os tensores vivem: a GPU da NVIDIA (`cuda`) se houver, a GPU de um
# Mac com chip Apple (`mps`) se houver, e senão a CPU. Tudo nesta aula usa `float32`, que as três
# aceitam.
#
# ## 1. O problema de sempre
#
# Continuamos com o modelo de um peso só, $\hat y_i = x_i w$, e a soma dos erros ao quadrado
#
# $$J(w) = \sum_i (x_i w - y_i)^2, \qquad x = [0, 1, 2, 3], \quad y = [0, 2, 4, 6], \quad
#   w_0 = 1 .$$
#
# A célula abaixo traz as duas funções da aula 02, já prontas: `J_func(w, x, y)` calcula $J$ e
# `dJ_diff(w, x, y, dw=1e-3)` aproxima a derivada por **diferença central**,
#
# $$\frac{\partial J}{\partial w} \approx \frac{J(w + \Delta w) - J(w - \Delta w)}{2\,\Delta w}.$$
#
# Execute-a: o exercício 1 usa `dJ_diff`.

# %% [markdown] lang="es"
# La celda de arriba elige dónde viven los tensores: la GPU de NVIDIA (`cuda`) si la hay, la GPU
# de una Mac con chip de Apple (`mps`) si la hay, y si no, la CPU. Todo en esta clase usa
# `float32`, que las tres aceptan.
#
# ## 1. El problema de siempre
#
# Seguimos con el modelo de un solo peso, $\hat y_i = x_i w$, y la suma de los errores al cuadrado
#
# $$J(w) = \sum_i (x_i w - y_i)^2, \qquad x = [0, 1, 2, 3], \quad y = [0, 2, 4, 6], \quad
#   w_0 = 1 .$$
#
# La celda de abajo trae, ya resueltas, las dos funciones de la clase 02: `J_func(w, x, y)`
# calcula $J$ y `dJ_diff(w, x, y, dw=1e-3)` aproxima la derivada con la **diferencia central**
#
# $$\frac{\partial J}{\partial w} \approx \frac{J(w + \Delta w) - J(w - \Delta w)}{2\,\Delta w}.$$
#
# Ejecútala: el ejercicio 1 usa `dJ_diff`.

# %%
def J_func(w, x, y):
    return ((x * w - y) ** 2).sum()


def dJ_diff(w, x, y, dw=1e-3):
    return ((J_func(w + dw, x, y) - J_func(w - dw, x, y)) / (2 * dw)).reshape(w.shape)

# %%
x = torch.arange(0, 4, dtype=torch.float32, device=device)
y = 2 * x
w0 = torch.ones(1, device=device)

print("J(w0)       =", J_func(w0, x, y).item())
print("dJ_diff(w0) =", dJ_diff(w0, x, y).item())

# %% [markdown] lang="pt"
# $J(1) = 14$ e a derivada é $-28$, como na aula 01. Os dígitos além do $-28$ (algo como
# $-28{,}0008$) são o arredondamento do `float32` que vimos na aula 02.
#
# ## 2. Descer a ladeira
#
# Imagine-se numa encosta com neblina: você não enxerga o vale, só sente a inclinação sob os pés.
# Uma estratégia razoável é dar um passo morro abaixo, sentir a inclinação de novo e repetir. A
# derivada diz as duas coisas de que precisamos: o **sinal** indica para que lado $J$ sobe (então
# andamos para o outro) e o **tamanho** indica quão íngreme é o terreno. A regra é
#
# $$w_{k+1} = w_k - \lambda\,\frac{\partial J}{\partial w}(w_k),$$
#
# em que $\lambda$ é a **taxa de aprendizado** (*learning rate*, `lr`). Com $w_0 = 1$ e
# $\lambda = 0{,}01$, o primeiro passo é $w_1 = 1 - 0{,}01\cdot(-28) = 1{,}28$: a derivada
# negativa empurra $w$ para cima, na direção do ótimo $w = 2$, e a perda cai de 14 para
# $J(1{,}28) = 7{,}2576$.
#
# Neste problema dá até para prever o resultado. Como $y = 2x$,
# $J(w) = (w-2)^2 \sum_i x_i^2 = 14\,(w-2)^2$ e $\partial J/\partial w = 28\,(w-2)$. Substituindo
# na regra:
#
# $$w_{k+1} - 2 = (1 - 28\lambda)\,(w_k - 2) = 0{,}72\,(w_k - 2).$$
#
# Cada passo encolhe a distância até o ótimo pelo fator $0{,}72$; depois de 20 passos,
# $w_{20} = 2 - 0{,}72^{20} \approx 1{,}998598$. (A célula abaixo usa `dJ_diff` em `float32`, por
# isso mostra $1{,}280008$ e $7{,}257432$ em vez dos valores exatos $1{,}28$ e $7{,}2576$.)

# %% [markdown] lang="es"
# $J(1) = 14$ y la derivada es $-28$, como en la clase 01. Las cifras más allá del $-28$ (algo
# como $-28.0008$) son el redondeo de `float32` que vimos en la clase 02.
#
# ## 2. Bajar la ladera
#
# Imagina que estás en una ladera con niebla: no ves el valle, solo sientes la pendiente bajo los
# pies. Una estrategia razonable es dar un paso cuesta abajo, volver a sentir la pendiente y
# repetir. La derivada nos da las dos cosas que hacen falta: el **signo** indica hacia dónde sube
# $J$ (así que vamos hacia el otro lado) y el **tamaño** indica qué tan empinado es el terreno.
# La regla es
#
# $$w_{k+1} = w_k - \lambda\,\frac{\partial J}{\partial w}(w_k),$$
#
# donde $\lambda$ es la **tasa de aprendizaje** (*learning rate*, `lr`). Con $w_0 = 1$ y
# $\lambda = 0.01$, el primer paso es $w_1 = 1 - 0.01\cdot(-28) = 1.28$: la derivada negativa
# empuja a $w$ hacia arriba, hacia el óptimo $w = 2$, y la pérdida baja de 14 a
# $J(1.28) = 7.2576$.
#
# En este problema hasta se puede predecir el resultado. Como $y = 2x$,
# $J(w) = (w-2)^2 \sum_i x_i^2 = 14\,(w-2)^2$ y $\partial J/\partial w = 28\,(w-2)$. Reemplazando
# en la regla:
#
# $$w_{k+1} - 2 = (1 - 28\lambda)\,(w_k - 2) = 0.72\,(w_k - 2).$$
#
# Cada paso achica la distancia al óptimo por el factor $0.72$; después de 20 pasos,
# $w_{20} = 2 - 0.72^{20} \approx 1.998598$. (La celda de abajo usa `dJ_diff` en `float32`, por
# eso muestra $1.280008$ y $7.257432$ en lugar de los valores exactos $1.28$ y $7.2576$.)

# %%
w1 = w0 - 0.01 * dJ_diff(w0, x, y)
print("w1           =", w1.item())
print("J(w1)        =", J_func(w1, x, y).item())
print("2 - 0.72**20 =", 2 - 0.72 ** 20)

# %% [markdown] lang="pt"
# ### Exercício 1 — `gd_finite_diff(x, y, w0, lr=0.01, n_iter=20)` (2 pontos)
#
# Implemente a descida do gradiente **sem autograd**: parta de uma **cópia** de `w0` (nunca
# altere o `w0` recebido) e faça `n_iter` passos $w \leftarrow w - \text{lr}\cdot
# \partial J/\partial w$, com a derivada dada por `dJ_diff`. Devolva a tupla `(w, history)`:
#
# * `w` — o peso final, um tensor com o formato de `w0`;
# * `history` — uma lista com os `n_iter` valores de $J$ (floats do Python, use `.item()`),
#   cada um medido **antes** da atualização daquele passo. Assim `history[0]` é $J(w_0)$.
#
# A função deve funcionar dentro de `torch.no_grad()`. Use os argumentos `lr` e `n_iter`
# recebidos: os testes ocultos usam outros dados (em `float64`), outras taxas e outros números de
# passos, e comparam `w` e cada valor de `history` com uma referência exata, com **erro relativo
# de até $10^{-5}$**.

# %% [markdown] lang="es"
# ### Ejercicio 1 — `gd_finite_diff(x, y, w0, lr=0.01, n_iter=20)` (2 puntos)
#
# Implementa el descenso de gradiente **sin autograd**: parte de una **copia** de `w0` (nunca
# modifiques el `w0` que recibes) y da `n_iter` pasos $w \leftarrow w - \text{lr}\cdot
# \partial J/\partial w$, con la derivada dada por `dJ_diff`. Devuelve la tupla `(w, history)`:
#
# * `w`: el peso final, un tensor con la forma de `w0`;
# * `history`: una lista con los `n_iter` valores de $J$ (floats de Python, usa `.item()`),
#   cada uno medido **antes** de la actualización de ese paso. Así `history[0]` es $J(w_0)$.
#
# La función debe funcionar dentro de `torch.no_grad()`. Usa los argumentos `lr` y `n_iter` que
# recibes: las pruebas ocultas usan otros datos (en `float64`), otras tasas y otras cantidades de
# pasos, y comparan `w` y cada valor de `history` con una referencia exacta, con un **error
# relativo de hasta $10^{-5}$**.

# %% nbgrader={"grade_id": "gd_finite_diff", "solution": true}
def gd_finite_diff(x, y, w0, lr=0.01, n_iter=20):
    ### BEGIN SOLUTION
    w = w0.detach().clone()
    history = []
    for _ in range(n_iter):
        history.append(J_func(w, x, y).item())
        w = w - lr * dJ_diff(w, x, y)
    return w, history
    ### END SOLUTION

# %% nbgrader={"grade_id": "test_gd_finite_diff", "grade": true, "points": 2}
def gd_finite_diff_chk():
    w0_chk = torch.ones(1, device=device)
    w_out, history_out = gd_finite_diff(x, y, w0_chk)
    return w_out, history_out, w0_chk


check("w_20", lambda: gd_finite_diff_chk()[0], [1.998598], tol=1e-5)
check("len(history)", lambda: len(gd_finite_diff_chk()[1]), 20)
check("history[0]", lambda: gd_finite_diff_chk()[1][0], 14.0)
check("history[1]", lambda: gd_finite_diff_chk()[1][1], 7.2576, tol=1e-4)
check("w0", lambda: gd_finite_diff_chk()[2], [1.0])
### BEGIN HIDDEN TESTS
from course.lessons import load_checks
hidden_checks = load_checks("03_gradient_descent")
hidden_checks.check_gd_finite_diff(gd_finite_diff, LANG)
### END HIDDEN TESTS

# %% [markdown] lang="pt"
# A perda em função da iteração: à esquerda em escala linear, à direita em escala logarítmica.
# A linha é a previsão exata, $J_k = 14\cdot 0{,}72^{2k}$; os pontos são o `history` da sua
# `gd_finite_diff` (depois que você responder o exercício 1). Na escala log a curva vira uma
# **reta** de inclinação constante: cada passo multiplica a perda por $0{,}72^2 \approx 0{,}52$.

# %% [markdown] lang="es"
# La pérdida en función de la iteración: a la izquierda en escala lineal, a la derecha en escala
# logarítmica. La línea es la predicción exacta, $J_k = 14\cdot 0.72^{2k}$; los puntos son el
# `history` de tu `gd_finite_diff` (cuando respondas el ejercicio 1). En escala log la curva se
# vuelve una **recta** de pendiente constante: cada paso multiplica la pérdida por
# $0.72^2 \approx 0.52$.

# %%
steps = list(range(20))
predicted = [14 * 0.72 ** (2 * k) for k in steps]
try:
    w_fd, history_fd = gd_finite_diff(x, y, w0.clone())
except NotImplementedError:
    w_fd, history_fd = None, None
    print(lang_text("Responda o exercício 1 para ver os pontos da sua gd_finite_diff.",
                    "Responde el ejercicio 1 para ver los puntos de tu gd_finite_diff."))

fig, axes = plt.subplots(1, 2, figsize=(11, 3.5))
for ax, scale in zip(axes, ("linear", "log")):
    ax.plot(steps, predicted, "-", color="gray",
            label=lang_text("previsão 14·0.72^(2k)", "predicción 14·0.72^(2k)"))
    if history_fd is not None:
        ax.plot(range(len(history_fd)), history_fd, "o", label="gd_finite_diff")
    ax.set_yscale(scale)
    ax.set_xlabel(lang_text("passo k", "paso k"))
    ax.set_ylabel("J(w_k)")
    ax.grid(alpha=0.3)
    ax.legend()
axes[0].set_title(lang_text("escala linear, lr = 0.01", "escala lineal, lr = 0.01"))
axes[1].set_title(lang_text("escala logarítmica", "escala logarítmica"))
plt.tight_layout()
plt.show()

# %% [markdown] lang="pt"
# ## 3. O mesmo laço com `backward()`
#
# Diferenças finitas custam duas avaliações de $J$ **por parâmetro**; numa rede com milhões de
# pesos isso é inviável. Com o autograd, um único `backward()` entrega o gradiente de todos os
# pesos. Mas usar o autograd dentro de um laço tem três armadilhas:
#
# 1. **`w` precisa ser uma folha com `requires_grad=True`.** Só as folhas recebem `.grad`. Crie
#    o peso de trabalho com `w0.detach().clone().requires_grad_(True)`: uma cópia nova,
#    desligada de qualquer grafo em que `w0` esteja, que não altera `w0`.
# 2. **A atualização não pode entrar no grafo.** `w = w - lr * w.grad` cria um tensor **novo**,
#    resultado de uma operação: ele não é mais folha, e no passo seguinte `w.grad` é `None`.
#    Atualize **in-place** e dentro de `torch.no_grad()`: `w -= lr * w.grad`.
# 3. **O gradiente acumula.** Cada `backward()` **soma** em `w.grad` (aula 01). Zere-o a cada
#    passo (`w.grad = None` ou `w.grad.zero_()`), senão o passo $k$ usa a soma de todos os
#    gradientes anteriores.
#
# A célula abaixo mostra as armadilhas 3 e 2 num único passo.

# %% [markdown] lang="es"
# ## 3. El mismo ciclo con `backward()`
#
# Las diferencias finitas cuestan dos evaluaciones de $J$ **por parámetro**; en una red con
# millones de pesos eso no es viable. Con autograd, un solo `backward()` entrega el gradiente de
# todos los pesos. Pero usar autograd dentro de un ciclo tiene tres trampas:
#
# 1. **`w` tiene que ser una hoja con `requires_grad=True`.** Solo las hojas reciben `.grad`.
#    Crea el peso de trabajo con `w0.detach().clone().requires_grad_(True)`: una copia nueva,
#    desconectada de cualquier grafo en el que esté `w0`, que no modifica `w0`.
# 2. **La actualización no puede entrar al grafo.** `w = w - lr * w.grad` crea un tensor
#    **nuevo**, resultado de una operación: ya no es hoja, y en el paso siguiente `w.grad` es
#    `None`. Actualiza **in-place** y dentro de `torch.no_grad()`: `w -= lr * w.grad`.
# 3. **El gradiente se acumula.** Cada `backward()` **suma** en `w.grad` (clase 01). Ponlo en
#    cero en cada paso (`w.grad = None` o `w.grad.zero_()`); si no, el paso $k$ usa la suma de
#    todos los gradientes anteriores.
#
# La celda de abajo muestra las trampas 3 y 2 en un solo paso.

# %%
w = w0.detach().clone().requires_grad_(True)
J_func(w, x, y).backward()
print(lang_text("depois de 1 backward :", "después de 1 backward :"), w.grad)
J_func(w, x, y).backward()
print(lang_text("depois de 2 backwards:", "después de 2 backwards:"), w.grad)

w_new = w - 0.01 * w.grad
print("w_new.is_leaf =", w_new.is_leaf, "| grad_fn =", w_new.grad_fn)

# %% [markdown] lang="pt"
# O segundo `backward()` dobrou o gradiente para $-56$, e `w_new` já não é folha: tem
# `grad_fn`, então no próximo `backward()` o gradiente iria para `w`, não para ele.
#
# Dentro do laço de 20 passos, esquecer de zerar o gradiente leva a $w \approx 2{,}017915$ em
# vez de $1{,}998598$: a descida ganha um "embalo" que passa do ótimo. Um bom teste para esse
# tipo de erro é executar a mesma célula **duas vezes** e conferir que os valores se repetem:
# se o peso de trabalho for o próprio `w0` (ou compartilhar memória com ele, como `w0.detach()`
# sem `.clone()`), a segunda execução parte de onde a primeira parou, e um `.grad` velho soma-se
# ao novo. Numa função isso se traduz em: **chamar duas vezes com os mesmos argumentos dá o mesmo
# resultado**, e `w0` sai intacto.
#
# ### Exercício 2 — `gd_autograd(x, y, w0, lr=0.01, n_iter=20)` (3 pontos)
#
# O mesmo contrato do exercício 1 (`(w, history)`, `history` com $J$ **antes** de cada passo,
# erro relativo de até $10^{-5}$ nos testes ocultos), mas com o gradiente vindo de `backward()`
# sobre `J_func`. Respeite as três regras acima. O `w0` recebido pode ou não ter
# `requires_grad=True` (e até um `.grad` antigo): ele nunca é modificado, nem no valor, nem no
# `requires_grad`, nem no `.grad`. Há dois testes: os valores (2 pontos) e o contrato — `w0`
# intacto e duas chamadas iguais (1 ponto).

# %% [markdown] lang="es"
# El segundo `backward()` duplicó el gradiente a $-56$, y `w_new` ya no es hoja: tiene
# `grad_fn`, así que en el próximo `backward()` el gradiente iría a `w`, no a él.
#
# Dentro del ciclo de 20 pasos, olvidar poner el gradiente en cero lleva a $w \approx 2.017915$
# en lugar de $1.998598$: el descenso toma un "impulso" que lo hace pasarse del óptimo. Una buena
# prueba para este tipo de error es ejecutar la misma celda **dos veces** y comprobar que los
# valores se repiten: si el peso de trabajo es el propio `w0` (o comparte memoria con él, como
# `w0.detach()` sin `.clone()`), la segunda ejecución parte de donde terminó la primera, y un
# `.grad` viejo se suma al nuevo. En una función eso se traduce en: **llamarla dos veces con los
# mismos argumentos da el mismo resultado**, y `w0` queda intacto.
#
# ### Ejercicio 2 — `gd_autograd(x, y, w0, lr=0.01, n_iter=20)` (3 puntos)
#
# El mismo contrato del ejercicio 1 (`(w, history)`, `history` con $J$ **antes** de cada paso,
# error relativo de hasta $10^{-5}$ en las pruebas ocultas), pero con el gradiente obtenido con
# `backward()` sobre `J_func`. Respeta las tres reglas de arriba. El `w0` que recibes puede tener
# o no `requires_grad=True` (e incluso un `.grad` viejo): nunca se modifica, ni el valor, ni
# `requires_grad`, ni `.grad`. Hay dos pruebas: los valores (2 puntos) y el contrato, `w0`
# intacto y dos llamadas iguales (1 punto).

# %% nbgrader={"grade_id": "gd_autograd", "solution": true}
def gd_autograd(x, y, w0, lr=0.01, n_iter=20):
    ### BEGIN SOLUTION
    w = w0.detach().clone().requires_grad_(True)
    history = []
    for _ in range(n_iter):
        J = J_func(w, x, y)
        history.append(J.item())
        J.backward()
        with torch.no_grad():
            w -= lr * w.grad
        w.grad = None
    return w.detach(), history
    ### END SOLUTION

# %% nbgrader={"grade_id": "test_gd_autograd", "grade": true, "points": 2}
check("w_20", lambda: gd_autograd(x, y, w0)[0], [1.998598], tol=1e-5)
check("history[:3]", lambda: gd_autograd(x, y, w0)[1][:3], [14.0, 7.2576, 3.762339], tol=1e-5)
check("len(history)", lambda: len(gd_autograd(x, y, w0)[1]), 20)
### BEGIN HIDDEN TESTS
from course.lessons import load_checks
hidden_checks = load_checks("03_gradient_descent")
hidden_checks.check_gd_autograd(gd_autograd, LANG)
### END HIDDEN TESTS

# %% nbgrader={"grade_id": "test_gd_autograd_repeat", "grade": true, "points": 1}
def gd_autograd_twice():
    w0_leaf = torch.ones(1, device=device, requires_grad=True)
    w0_leaf.grad = torch.full_like(w0_leaf, 0.5)
    (w_a, h_a), (w_b, h_b) = gd_autograd(x, y, w0_leaf), gd_autograd(x, y, w0_leaf)
    differences = [w_b.item() - w_a.item()] + [b - a for a, b in zip(h_a, h_b)]
    return differences, w0_leaf


def grad_value(t):
    return float("nan") if t.grad is None else t.grad.item()


check(lang_text("2ª chamada − 1ª chamada", "2.ª llamada − 1.ª llamada"),
      lambda: gd_autograd_twice()[0], [0.0] * 21, tol=0)
check("w0", lambda: gd_autograd_twice()[1], [1.0])
check("w0.grad", lambda: grad_value(gd_autograd_twice()[1]), 0.5)
### BEGIN HIDDEN TESTS
from course.lessons import load_checks
hidden_checks = load_checks("03_gradient_descent")
hidden_checks.check_gd_autograd_repeat(gd_autograd, LANG)
### END HIDDEN TESTS

# %% [markdown] lang="pt"
# Os dois métodos descem pela mesma curva. A diferença entre eles é só o arredondamento do
# `float32` nas diferenças finitas: a diferença central é **exata** para uma parábola, então não
# há erro de aproximação, só de arredondamento (a maior diferença relativa entre os dois
# `history` fica perto de $7\cdot10^{-4}$, no último passo, quando $J$ já é minúsculo).

# %% [markdown] lang="es"
# Los dos métodos bajan por la misma curva. La diferencia entre ellos es solo el redondeo de
# `float32` en las diferencias finitas: la diferencia central es **exacta** para una parábola,
# así que no hay error de aproximación, solo de redondeo (la mayor diferencia relativa entre los
# dos `history` ronda $7\cdot10^{-4}$, en el último paso, cuando $J$ ya es minúsculo).

# %%
try:
    w_ag, history_ag = gd_autograd(x, y, w0.clone())
except NotImplementedError:
    w_ag, history_ag = None, None
    print(lang_text("Responda o exercício 2 para ver a curva da sua gd_autograd.",
                    "Responde el ejercicio 2 para ver la curva de tu gd_autograd."))

if history_fd is not None and history_ag is not None:
    diff = max(abs(a - b) / b for a, b in zip(history_fd, history_ag))
    print("w_fd =", w_fd.item(), "| w_ag =", w_ag.item())
    print(lang_text("maior diferença relativa entre os dois history:",
                    "mayor diferencia relativa entre los dos history:"), f"{diff:.1e}")

plt.figure(figsize=(6, 3.5))
plt.semilogy(steps, predicted, "-", color="gray",
             label=lang_text("previsão 14·0.72^(2k)", "predicción 14·0.72^(2k)"))
if history_fd is not None:
    plt.semilogy(history_fd, "o", label="gd_finite_diff")
if history_ag is not None:
    plt.semilogy(history_ag, "x", label="gd_autograd")
plt.xlabel(lang_text("passo k", "paso k"))
plt.ylabel("J(w_k)")
plt.legend()
plt.grid(alpha=0.3)
plt.show()

# %% [markdown] lang="pt"
# ## 4. Por que a taxa de aprendizado importa
#
# Voltemos ao fator de encolhimento. Para uma perda quadrática a derivada segunda é constante,
# aqui $J''(w) = 2\sum_i x_i^2 = 28$, e cada passo faz
#
# $$w_{k+1} - w^* = (1 - \lambda J'')\,(w_k - w^*), \qquad w^* = 2 .$$
#
# A distância ao ótimo só encolhe se $|1 - 28\lambda| < 1$, isto é, se
# $0 < \lambda < 2/28 \approx 0{,}0714$. Dentro dessa faixa há três regimes:
#
# * $\lambda < 1/28 \approx 0{,}0357$: o fator é positivo e $w$ se aproxima de 2 sempre pelo
#   mesmo lado (nosso $\lambda = 0{,}01$ dá fator $0{,}72$);
# * $\lambda = 1/28$: fator zero, chega ao ótimo em **um** passo;
# * $1/28 < \lambda < 2/28$: fator negativo, $w$ passa do ponto e **oscila** em torno de 2,
#   cada vez mais perto (com $\lambda = 0{,}07$ o fator é $-0{,}96$, uma convergência lentíssima).
#
# Acima de $2/28$ o fator tem módulo maior que 1: cada passo pula para o outro lado **mais
# longe** do que estava, e $w$ diverge. O desenho mostra as trajetórias de $w_k$ (com
# $w_k = 2 + (1-28\lambda)^k\,(w_0 - 2)$) sobre a parábola e a distância $|w_k - 2|$ por
# iteração.

# %% [markdown] lang="es"
# ## 4. Por qué importa la tasa de aprendizaje
#
# Volvamos al factor de achicamiento. Para una pérdida cuadrática la derivada segunda es
# constante, aquí $J''(w) = 2\sum_i x_i^2 = 28$, y cada paso hace
#
# $$w_{k+1} - w^* = (1 - \lambda J'')\,(w_k - w^*), \qquad w^* = 2 .$$
#
# La distancia al óptimo solo se achica si $|1 - 28\lambda| < 1$, es decir, si
# $0 < \lambda < 2/28 \approx 0.0714$. Dentro de ese rango hay tres regímenes:
#
# * $\lambda < 1/28 \approx 0.0357$: el factor es positivo y $w$ se acerca a 2 siempre por el
#   mismo lado (nuestro $\lambda = 0.01$ da factor $0.72$);
# * $\lambda = 1/28$: factor cero, llega al óptimo en **un** paso;
# * $1/28 < \lambda < 2/28$: factor negativo, $w$ se pasa y **oscila** alrededor de 2, cada vez
#   más cerca (con $\lambda = 0.07$ el factor es $-0.96$, una convergencia lentísima).
#
# Por encima de $2/28$ el factor tiene módulo mayor que 1: cada paso salta al otro lado **más
# lejos** de lo que estaba, y $w$ diverge. El dibujo muestra las trayectorias de $w_k$ (con
# $w_k = 2 + (1-28\lambda)^k\,(w_0 - 2)$) sobre la parábola y la distancia $|w_k - 2|$ por
# iteración.

# %%
def trajectory(lr, n_steps, w_start=1.0, curvature=28.0, w_star=2.0):
    return [w_star + (1 - lr * curvature) ** k * (w_start - w_star) for k in range(n_steps + 1)]


learning_rates = [0.01, 1 / 28, 0.06, 0.07, 0.075]
colors = ["tab:blue", "tab:green", "tab:orange", "tab:purple", "tab:red"]
fig, (ax_path, ax_dist) = plt.subplots(1, 2, figsize=(12, 4))

ws = torch.linspace(0.1, 3.9, 200)
ax_path.plot(ws, 14 * (ws - 2) ** 2, color="gray", lw=1)
for lr, color in zip([0.01, 0.06, 0.075], ["tab:blue", "tab:orange", "tab:red"]):
    path = torch.tensor(trajectory(lr, 6))
    ax_path.plot(path, 14 * (path - 2) ** 2, "o-", color=color, ms=4, label=f"lr = {lr:g}")
ax_path.set_xlabel("w")
ax_path.set_ylabel("J(w)")
ax_path.set_title(lang_text("6 passos a partir de w0 = 1", "6 pasos desde w0 = 1"))
ax_path.legend()

for lr, color in zip(learning_rates, colors):
    dist = [max(abs(w - 2), 1e-12) for w in trajectory(lr, 40)]
    ax_dist.semilogy(dist, "-", color=color,
                     label=lang_text(f"lr = {lr:.4g}  (fator {1 - 28 * lr:+.2f})",
                                     f"lr = {lr:.4g}  (factor {1 - 28 * lr:+.2f})"))
ax_dist.axhline(1, color="gray", lw=0.8, ls="--")
ax_dist.set_xlabel(lang_text("passo k", "paso k"))
ax_dist.set_ylabel("|w_k - 2|")
ax_dist.set_ylim(1e-7, 1e3)
ax_dist.legend(fontsize=8)
plt.tight_layout()
plt.show()

# %% [markdown] lang="pt"
# Na direita, as retas que descem convergem; a de $\lambda = 1/28$ cai de uma vez (chega a zero
# no primeiro passo); a de $\lambda = 0{,}075$ (fator $-1{,}1$) sobe: diverge. Moral: a taxa de
# aprendizado máxima depende da **curvatura** da perda, que depende dos dados. Por isso
# normalizar as entradas ajuda tanto no treino de redes.
#
# ### Explore: a taxa de aprendizado no controle deslizante
#
# Agora é a sua vez. A célula abaixo roda a descida do gradiente de verdade, com `backward()`,
# sobre a mesma $J$ e a partir de $w_0 = 1$; mova `lr` (em escala logarítmica, de $10^{-3}$ a
# $10^{-1}$) e `n_steps`. Procure os quatro comportamentos: a aproximação lenta por um lado só,
# o acerto em um passo perto de $\lambda = 1/28 \approx 0{,}0357$, a oscilação que converge entre
# $0{,}0357$ e $0{,}0714$ e a explosão acima de $0{,}0714$. O título diz o fator $1 - 28\lambda$
# e o regime. (Sem suporte a *widgets*, a célula desenha uma vez, em $\lambda = 0{,}06$.)

# %% [markdown] lang="es"
# A la derecha, las rectas que bajan convergen; la de $\lambda = 1/28$ cae de golpe (llega a cero
# en el primer paso); la de $\lambda = 0.075$ (factor $-1.1$) sube: diverge. Moraleja: la tasa de
# aprendizaje máxima depende de la **curvatura** de la pérdida, que depende de los datos. Por eso
# normalizar las entradas ayuda tanto al entrenar redes.
#
# ### Explora: la tasa de aprendizaje en el control deslizante
#
# Ahora te toca a ti. La celda de abajo ejecuta el descenso de gradiente de verdad, con
# `backward()`, sobre la misma $J$ y desde $w_0 = 1$; mueve `lr` (en escala logarítmica, de
# $10^{-3}$ a $10^{-1}$) y `n_steps`. Busca los cuatro comportamientos: el acercamiento lento por
# un solo lado, el acierto en un paso cerca de $\lambda = 1/28 \approx 0.0357$, la oscilación que
# converge entre $0.0357$ y $0.0714$ y la explosión por encima de $0.0714$. El título indica el
# factor $1 - 28\lambda$ y el régimen. (Sin soporte para *widgets*, la celda dibuja una sola vez,
# en $\lambda = 0.06$.)

# %%
def descend(lr, n_steps):
    w_run = torch.ones(1, device=device, requires_grad=True)
    path = [w_run.item()]
    for _ in range(n_steps):
        J_func(w_run, x, y).backward()
        with torch.no_grad():
            w_run -= lr * w_run.grad
        w_run.grad = None
        path.append(w_run.item())
    return path


def regime(factor):
    if abs(factor) < 0.02:
        return lang_text("ótimo em (quase) um passo", "óptimo en (casi) un paso")
    if factor > 0:
        return lang_text("converge por um lado só", "converge por un solo lado")
    if factor > -1:
        return lang_text("oscila e converge", "oscila y converge")
    return lang_text("oscila e diverge", "oscila y diverge")


def draw_descent(lr, n_steps):
    path = descend(lr, n_steps)
    factor = 1 - 28 * lr
    fig, (ax_path, ax_dist) = plt.subplots(1, 2, figsize=(12, 4))
    grid = torch.linspace(-1.0, 5.0, 200)
    ax_path.plot(grid, 14 * (grid - 2) ** 2, color="gray", lw=1)
    shown = [min(max(w, -1.0), 5.0) for w in path]
    ax_path.plot(shown, [14 * (w - 2) ** 2 for w in shown], "o-", color="C3", ms=4, lw=1)
    ax_path.plot([shown[0]], [14 * (shown[0] - 2) ** 2], "ks", ms=7,
                 label=lang_text("início, w0 = 1", "inicio, w0 = 1"))
    ax_path.set_xlim(-1, 5)
    ax_path.set_ylim(-5, 130)
    ax_path.set_xlabel("w")
    ax_path.set_ylabel("J(w)")
    ax_path.legend(loc="lower right")
    dist = [max(abs(w - 2), 1e-9) for w in path]
    ax_dist.semilogy(range(len(dist)), dist, "o-", color="C3", ms=3)
    ax_dist.axhline(1, color="gray", lw=0.8, ls="--")
    ax_dist.set_ylim(bottom=1e-9)
    ax_dist.set_xlabel(lang_text("passo k", "paso k"))
    ax_dist.set_ylabel("|w_k - 2|")
    fig.suptitle(lang_text(f"lr = {lr:.4g}: fator 1 − 28·lr = {factor:+.3f}, {regime(factor)}; "
                           f"w final = {path[-1]:.4g}",
                           f"lr = {lr:.4g}: factor 1 − 28·lr = {factor:+.3f}, {regime(factor)}; "
                           f"w final = {path[-1]:.4g}"))
    plt.tight_layout()
    plt.show()


explore(draw_descent, lr=slider(1e-3, 1e-1, 0.06, step=0.05, log=True),
        n_steps=slider(1, 40, 20))

# %% [markdown] lang="pt"
# ### Exercício 3 — múltipla escolha (1 ponto)
#
# Se todos os $x$ forem **dobrados** ($x = [0, 2, 4, 6]$, com $y = 2x$), qual é,
# aproximadamente, a maior taxa de aprendizado com que a descida do gradiente em $J$ ainda
# converge? Responda com a letra em `answer_lr_scaling`.
#
# * (a) $0{,}0714$: a mesma de antes, porque o ótimo continua sendo $w = 2$.
# * (b) $0{,}0357$: a metade, porque o gradiente dobra quando $x$ dobra.
# * (c) $0{,}0179$: um quarto, porque a curvatura $J''$ cresce com $x^2$.
# * (d) $0{,}1429$: o dobro, porque $w$ agora precisa de passos maiores.

# %% [markdown] lang="es"
# ### Ejercicio 3 — opción múltiple (1 punto)
#
# Si **duplicamos** todos los $x$ ($x = [0, 2, 4, 6]$, con $y = 2x$), ¿cuál es, aproximadamente,
# la mayor tasa de aprendizaje con la que el descenso de gradiente sobre $J$ todavía converge?
# Responde con la letra en `answer_lr_scaling`.
#
# * (a) $0.0714$: la misma de antes, porque el óptimo sigue siendo $w = 2$.
# * (b) $0.0357$: la mitad, porque el gradiente se duplica cuando $x$ se duplica.
# * (c) $0.0179$: un cuarto, porque la curvatura $J''$ crece con $x^2$.
# * (d) $0.1429$: el doble, porque ahora $w$ necesita pasos más grandes.

# %% nbgrader={"grade_id": "answer_lr_scaling", "solution": true}
### BEGIN SOLUTION
answer_lr_scaling = "c"
### END SOLUTION

# %% nbgrader={"grade_id": "test_lr_scaling", "grade": true, "points": 1}
check_choice("answer_lr_scaling", answer_lr_scaling)
### BEGIN HIDDEN TESTS
from course.lessons import load_checks
hidden_checks = load_checks("03_gradient_descent")
hidden_checks.check_lr_scaling(answer_lr_scaling, LANG)
### END HIDDEN TESTS

# %% [markdown] lang="pt"
# ## 5. `torch.nn` e `torch.optim`: o passo de treino
#
# Com muitos parâmetros ninguém escreve `w -= lr * w.grad` peso por peso. Um `torch.nn.Module`
# guarda os parâmetros (todos folhas com `requires_grad=True`, sem precisar pedir) e um otimizador
# de `torch.optim` faz a atualização de todos eles. Vamos ver o ciclo numa rede pequena,
# $784 \to 256 \to 10$ (o tamanho de um classificador de dígitos de 28×28 pixels), com entradas e
# alvos aleatórios: não precisamos de um conjunto de dados para ver a mecânica.

# %% [markdown] lang="es"
# ## 5. `torch.nn` y `torch.optim`: el paso de entrenamiento
#
# Con muchos parámetros nadie escribe `w -= lr * w.grad` peso por peso. Un `torch.nn.Module`
# guarda los parámetros (todos hojas con `requires_grad=True`, sin tener que pedirlo) y un
# optimizador de `torch.optim` hace la actualización de todos ellos. Veamos el ciclo en una red
# pequeña, $784 \to 256 \to 10$ (el tamaño de un clasificador de dígitos de 28×28 píxeles), con
# entradas y objetivos aleatorios: no hace falta un conjunto de datos para ver la mecánica.

# %%
torch.manual_seed(0)
net = torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.ReLU(),
                          torch.nn.Linear(256, 10)).to(device)
inputs = torch.randn(16, 784).to(device)
targets = torch.randn(16, 10).to(device)
optimizer = torch.optim.SGD(net.parameters(), lr=0.001)

layer = net[2]
print("requires_grad:", layer.weight.requires_grad, "| is_leaf:", layer.weight.is_leaf)
print(lang_text("grad antes do backward :", "grad antes del backward :"), layer.weight.grad)

loss = ((net(inputs) - targets) ** 2).sum()
loss.backward()
before = layer.weight.detach().clone()
print(lang_text("grad depois do backward:", "grad después del backward:"), layer.weight.grad[0, :4])
print(lang_text("pesos iguais aos de antes:", "pesos iguales a los de antes:"),
      torch.equal(before, layer.weight.detach()))

optimizer.step()
change = layer.weight.detach() - before
print(lang_text("mudança feita por step():", "cambio hecho por step():"), change[0, :4])
print(lang_text("mudança == -lr * grad:", "cambio == -lr * grad:"),
      torch.allclose(change, -0.001 * layer.weight.grad, atol=1e-7))

# %% [markdown] lang="pt"
# Antes do primeiro `backward()` o `.grad` é `None`; `backward()` só calcula gradientes (os pesos
# não mudam); quem atualiza é `optimizer.step()`, que para o SGD faz exatamente
# $w \leftarrow w - \text{lr}\cdot\nabla w$ em todos os parâmetros.
#
# E o acúmulo? Zeramos, fazemos um `backward()` e guardamos o gradiente; depois fazemos mais
# quatro `backward()` **sem** zerar, sobre o mesmo lote e com os mesmos pesos.

# %% [markdown] lang="es"
# Antes del primer `backward()` el `.grad` es `None`; `backward()` solo calcula gradientes (los
# pesos no cambian); quien actualiza es `optimizer.step()`, que para SGD hace exactamente
# $w \leftarrow w - \text{lr}\cdot\nabla w$ en todos los parámetros.
#
# ¿Y la acumulación? Ponemos en cero, hacemos un `backward()` y guardamos el gradiente; después
# hacemos cuatro `backward()` más **sin** poner en cero, sobre el mismo lote y con los mismos
# pesos.

# %%
optimizer.zero_grad()
((net(inputs) - targets) ** 2).sum().backward()
single = layer.weight.grad.clone()
for _ in range(4):
    ((net(inputs) - targets) ** 2).sum().backward()
ratio = layer.weight.grad / single
print(lang_text("grad depois de 5 backwards / grad depois de 1:",
                "grad después de 5 backwards / grad después de 1:"),
      round(ratio[single.abs() > 1e-3].mean().item(), 4))

optimizer.zero_grad()
print(lang_text("depois de zero_grad():", "después de zero_grad():"), layer.weight.grad)

# %% [markdown] lang="pt"
# Cinco `backward()` seguidos deixam em `.grad` **cinco vezes** o gradiente: um `step()` agora
# daria um passo 5× maior do que o pretendido. Repare também na última linha: no PyTorch atual,
# `zero_grad()` **não** enche `.grad` de zeros; por padrão (`set_to_none=True`) ele põe `None`,
# o que economiza memória e tem o mesmo efeito no próximo `backward()`. (Tutoriais mais antigos
# mostram um tensor de zeros nesse ponto.)
#
# ### Acumular de propósito: minilotes
#
# O acúmulo, que é uma armadilha quando esquecemos o `zero_grad()`, vira uma ferramenta quando é
# proposital. Se um lote de 16 amostras não cabe na memória da GPU, dá para processá-lo em
# **minilotes** de 4: zeramos **uma vez**, fazemos um `backward()` por minilote (cada um soma a
# sua parte em `.grad`) e só então damos **um** `step()`. Como a nossa perda é uma **soma** sobre
# as amostras, a soma dos gradientes dos 4 minilotes é exatamente o gradiente do lote inteiro (a
# menos do arredondamento do `float32`). A aula 07 volta a esse assunto com um exercício.

# %% [markdown] lang="es"
# Cinco `backward()` seguidos dejan en `.grad` **cinco veces** el gradiente: un `step()` ahora
# daría un paso 5 veces más grande de lo previsto. Mira también la última línea: en el PyTorch
# actual, `zero_grad()` **no** llena `.grad` de ceros; por defecto (`set_to_none=True`) pone
# `None`, lo que ahorra memoria y tiene el mismo efecto en el próximo `backward()`. (Los tutoriales
# más antiguos muestran un tensor de ceros en ese punto.)
#
# ### Acumular a propósito: minilotes
#
# La acumulación, que es una trampa cuando olvidamos `zero_grad()`, se vuelve una herramienta
# cuando es a propósito. Si un lote de 16 muestras no cabe en la memoria de la GPU, se puede
# procesar en **minilotes** de 4: ponemos en cero **una vez**, hacemos un `backward()` por
# minilote (cada uno suma su parte en `.grad`) y solo entonces damos **un** `step()`. Como
# nuestra pérdida es una **suma** sobre las muestras, la suma de los gradientes de los 4
# minilotes es exactamente el gradiente del lote entero (salvo el redondeo de `float32`). La
# clase 07 vuelve sobre este tema con un ejercicio.

# %%
optimizer.zero_grad()
((net(inputs) - targets) ** 2).sum().backward()
full_batch = layer.weight.grad.clone()

optimizer.zero_grad()
for inputs_mb, targets_mb in zip(inputs.split(4), targets.split(4)):
    ((net(inputs_mb) - targets_mb) ** 2).sum().backward()
accumulated = layer.weight.grad.clone()
optimizer.zero_grad()

gap = ((accumulated - full_batch).abs().max() / full_batch.abs().max()).item()
print(lang_text("minilotes por lote: 4 de 4 amostras", "minilotes por lote: 4 de 4 muestras"))
print(lang_text(f"maior diferença (relativa ao maior gradiente): {gap:.1e}",
                f"mayor diferencia (relativa al mayor gradiente): {gap:.1e}"))

# %% [markdown] lang="pt"
# ### Exercício 4 — múltipla escolha (1 ponto)
#
# Agora a perda é `loss_fn = torch.nn.MSELoss()`, que tira a **média** sobre as amostras (e não a
# soma). Você quer, antes do `optimizer.step()`, exatamente o mesmo `.grad` de um `backward()`
# sobre o lote de 16 amostras, mas processando 4 minilotes `(xb, yb)` de 4 amostras. Qual laço
# faz isso? Responda com a letra em `answer_zero_grad`.
#
# * (a) `zero_grad()` uma só vez; em cada minilote, `loss_fn(model(xb), yb).backward()`.
# * (b) `zero_grad()` uma vez; em cada minilote, `(loss_fn(model(xb), yb) / 4).backward()`.
# * (c) Em cada minilote, `zero_grad()` e logo depois `loss_fn(model(xb), yb).backward()`.
# * (d) Em cada minilote, `loss_fn(model(xb), yb).backward()`, depois `step()` e `zero_grad()`.

# %% [markdown] lang="es"
# ### Ejercicio 4 — opción múltiple (1 punto)
#
# Ahora la pérdida es `loss_fn = torch.nn.MSELoss()`, que toma la **media** sobre las muestras (y
# no la suma). Quieres, antes de `optimizer.step()`, exactamente el mismo `.grad` de un
# `backward()` sobre el lote de 16 muestras, pero procesando 4 minilotes `(xb, yb)` de 4 muestras.
# ¿Qué ciclo lo logra? Responde con la letra en `answer_zero_grad`.
#
# * (a) `zero_grad()` una sola vez; en cada minilote, `loss_fn(model(xb), yb).backward()`.
# * (b) `zero_grad()` una vez; en cada minilote, `(loss_fn(model(xb), yb) / 4).backward()`.
# * (c) En cada minilote, `zero_grad()` y justo después `loss_fn(model(xb), yb).backward()`.
# * (d) En cada minilote, `loss_fn(model(xb), yb).backward()`, después `step()` y `zero_grad()`.

# %% nbgrader={"grade_id": "answer_zero_grad", "solution": true}
### BEGIN SOLUTION
answer_zero_grad = "b"
### END SOLUTION

# %% nbgrader={"grade_id": "test_zero_grad", "grade": true, "points": 1}
check_choice("answer_zero_grad", answer_zero_grad)
### BEGIN HIDDEN TESTS
from course.lessons import load_checks
hidden_checks = load_checks("03_gradient_descent")
hidden_checks.check_zero_grad(answer_zero_grad, LANG)
### END HIDDEN TESTS

# %% [markdown] lang="pt"
# ### O passo de treino
#
# Sem minilotes, o passo de treino completo é sempre:
#
# 1. `optimizer.zero_grad()` — descarta gradientes de antes;
# 2. *forward*: `pred = model(x)` e `loss = loss_fn(pred, y)`;
# 3. `loss.backward()` — gradientes **deste** lote;
# 4. `optimizer.step()` — atualiza os pesos.
#
# ### Exercício 5 — `train_step(model, x, y, loss_fn, optimizer)` (3 pontos)
#
# Escreva um passo de otimização: gradientes **só deste lote**, *forward*, *backward* e
# atualização. Devolva a perda calculada no *forward* (antes da atualização) como **float do
# Python**. Zere os gradientes no **começo**: você não sabe o que já está em `.grad` quando a
# função é chamada (os testes ocultos deixam lá gradientes de um "lote anterior"). Use o
# `optimizer` recebido (não crie outro: os testes ocultos fazem três passos seguidos com SGD com
# *momentum*, cujo estado precisa continuar). Chame a perda como `loss_fn(model(x), y)` (previsão
# primeiro, alvo depois, a convenção do PyTorch). Dois testes: os pesos depois do passo
# (2 pontos) e a perda devolvida (1 ponto). Os testes ocultos usam modelos em `float64` e
# comparam os pesos com um passo de referência do mesmo otimizador, com erro relativo de até
# $10^{-9}$ — ou seja, o mesmo cálculo, não uma aproximação.

# %% [markdown] lang="es"
# ### El paso de entrenamiento
#
# Sin minilotes, el paso de entrenamiento completo es siempre:
#
# 1. `optimizer.zero_grad()`: descarta gradientes previos;
# 2. *forward*: `pred = model(x)` y `loss = loss_fn(pred, y)`;
# 3. `loss.backward()`: gradientes de **este** lote;
# 4. `optimizer.step()`: actualiza los pesos.
#
# ### Ejercicio 5 — `train_step(model, x, y, loss_fn, optimizer)` (3 puntos)
#
# Escribe un paso de optimización: gradientes **solo de este lote**, *forward*, *backward* y
# actualización. Devuelve la pérdida calculada en el *forward* (antes de la actualización) como
# **float de Python**. Pon los gradientes en cero al **comienzo**: no sabes qué hay en `.grad`
# cuando se llama a la función (las pruebas ocultas dejan ahí gradientes de un "lote anterior").
# Usa el `optimizer` que recibes (no crees otro: las pruebas ocultas dan tres pasos seguidos con
# SGD con *momentum*, cuyo estado tiene que continuar).
# Llama a la pérdida como `loss_fn(model(x), y)` (primero la predicción, después el objetivo, la
# convención de PyTorch). Dos pruebas: los pesos después del paso (2 puntos) y la pérdida
# devuelta (1 punto). Las pruebas ocultas usan modelos en `float64` y comparan los pesos con un
# paso de referencia del mismo optimizador, con un error relativo de hasta $10^{-9}$: es decir,
# la misma cuenta, no una aproximación.

# %% nbgrader={"grade_id": "train_step", "solution": true}
def train_step(model, x, y, loss_fn, optimizer):
    ### BEGIN SOLUTION
    optimizer.zero_grad()
    loss = loss_fn(model(x), y)
    loss.backward()
    optimizer.step()
    return loss.item()
    ### END SOLUTION

# %% nbgrader={"grade_id": "test_train_step", "grade": true, "points": 2}
def train_step_chk():
    model_chk = torch.nn.Linear(2, 1).to(device)
    with torch.no_grad():
        model_chk.weight.copy_(torch.tensor([[1.0, 1.0]]))
        model_chk.bias.zero_()
    model_chk.weight.grad = torch.full_like(model_chk.weight, 100.0)
    x_chk = torch.tensor([[1.0, 2.0]], device=device)
    y_chk = torch.zeros(1, 1, device=device)
    opt_chk = torch.optim.SGD(model_chk.parameters(), lr=0.1)
    loss_out = train_step(model_chk, x_chk, y_chk, torch.nn.MSELoss(), opt_chk)
    return model_chk, loss_out


check("model.weight", lambda: train_step_chk()[0].weight, [[0.4, -0.2]])
check("model.bias", lambda: train_step_chk()[0].bias, [-0.6])
### BEGIN HIDDEN TESTS
from course.lessons import load_checks
hidden_checks = load_checks("03_gradient_descent")
hidden_checks.check_train_step(train_step, LANG)
### END HIDDEN TESTS

# %% nbgrader={"grade_id": "test_train_step_loss", "grade": true, "points": 1}
def train_step_loss_chk():
    model_chk = torch.nn.Linear(2, 1).to(device)
    with torch.no_grad():
        model_chk.weight.copy_(torch.tensor([[1.0, 1.0]]))
        model_chk.bias.zero_()
    opt_chk = torch.optim.SGD(model_chk.parameters(), lr=0.1)
    return train_step(model_chk, torch.tensor([[1.0, 2.0]], device=device),
                      torch.zeros(1, 1, device=device), torch.nn.MSELoss(), opt_chk)


check(lang_text("tipo da perda devolvida", "tipo de la pérdida devuelta"),
      lambda: kind_of(train_step_loss_chk()), "float")
check(lang_text("perda devolvida", "pérdida devuelta"), train_step_loss_chk, 9.0)
### BEGIN HIDDEN TESTS
from course.lessons import load_checks
hidden_checks = load_checks("03_gradient_descent")
hidden_checks.check_train_step_loss(train_step, LANG)
### END HIDDEN TESTS

# %% [markdown] lang="pt"
# Confira as contas do teste visível: a previsão é $1\cdot1 + 1\cdot2 + 0 = 3$, a perda é
# $(3-0)^2 = 9$, os gradientes são $2\cdot3\cdot[1, 2] = [6, 12]$ para o peso e $6$ para o viés,
# e com `lr = 0.1` o peso vai para $[0{,}4; -0{,}2]$ e o viés para $-0{,}6$. O gradiente 100 que
# deixamos no peso antes da chamada não pode aparecer em lugar nenhum.
#
# ## 6. Qual deve ser a primeira perda?
#
# Um truque de depuração valioso: **antes** de treinar, saber que valor a perda deve ter. Para
# um classificador de $K$ classes com entropia cruzada,
#
# $$L = -\sum_{j=0}^{K-1} y_j \log p_j = -\log p_{\text{classe certa}},$$
#
# em que $y$ é o vetor *one-hot* da classe certa e $p_j$ a probabilidade prevista para a classe
# $j$. Um modelo recém-inicializado não sabe nada, e o melhor que pode fazer é (quase) a
# distribuição uniforme, $p_j = 1/K$. Quanto vale então $L$? Note que a resposta não depende do
# tamanho do lote, da dimensão do modelo nem da taxa de aprendizado, só de $K$.
#
# ### Exercício 6 — `expected_initial_ce(K)` (1 ponto)
#
# Devolva, como **float do Python**, a entropia cruzada (logaritmo **natural**, como em
# `torch.nn.functional.cross_entropy`) de um classificador de `K` classes que prevê a
# distribuição uniforme. Os testes ocultos aceitam erro relativo de até $10^{-6}$.

# %% [markdown] lang="es"
# Comprueba las cuentas de la prueba visible: la predicción es $1\cdot1 + 1\cdot2 + 0 = 3$, la
# pérdida es $(3-0)^2 = 9$, los gradientes son $2\cdot3\cdot[1, 2] = [6, 12]$ para el peso y $6$
# para el sesgo, y con `lr = 0.1` el peso pasa a $[0.4, -0.2]$ y el sesgo a $-0.6$. El gradiente
# 100 que dejamos en el peso antes de la llamada no puede aparecer por ningún lado.
#
# ## 6. ¿Cuánto debería valer la primera pérdida?
#
# Un truco de depuración muy valioso: **antes** de entrenar, saber qué valor debería tener la
# pérdida. Para un clasificador de $K$ clases con entropía cruzada,
#
# $$L = -\sum_{j=0}^{K-1} y_j \log p_j = -\log p_{\text{clase correcta}},$$
#
# donde $y$ es el vector *one-hot* de la clase correcta y $p_j$ la probabilidad predicha para la
# clase $j$. Un modelo recién inicializado no sabe nada, y lo mejor que puede hacer es (casi) la
# distribución uniforme, $p_j = 1/K$. ¿Cuánto vale entonces $L$? Fíjate en que la respuesta no
# depende del tamaño del lote, ni de la dimensión del modelo, ni de la tasa de aprendizaje: solo
# de $K$.
#
# ### Ejercicio 6 — `expected_initial_ce(K)` (1 punto)
#
# Devuelve, como **float de Python**, la entropía cruzada (logaritmo **natural**, como en
# `torch.nn.functional.cross_entropy`) de un clasificador de `K` clases que predice la
# distribución uniforme. Las pruebas ocultas aceptan un error relativo de hasta $10^{-6}$.

# %% nbgrader={"grade_id": "expected_initial_ce", "solution": true}
def expected_initial_ce(K):
    ### BEGIN SOLUTION
    return math.log(K)
    ### END SOLUTION

# %% nbgrader={"grade_id": "test_expected_initial_ce", "grade": true, "points": 1}
check("kind_of(expected_initial_ce(10))", lambda: kind_of(expected_initial_ce(10)), "float")
check("expected_initial_ce(10)", lambda: expected_initial_ce(10), 2.302585)
check("expected_initial_ce(2)", lambda: expected_initial_ce(2), 0.693147)
### BEGIN HIDDEN TESTS
from course.lessons import load_checks
hidden_checks = load_checks("03_gradient_descent")
hidden_checks.check_expected_initial_ce(expected_initial_ce, LANG)
### END HIDDEN TESTS

# %% [markdown] lang="pt"
# Vamos conferir num classificador de verdade. Com *logits* todos zero o *softmax* é exatamente
# uniforme e a perda é $\log 10 \approx 2{,}3026$. Uma camada `Linear(784, 10)` recém-inicializada,
# com entradas normais padrão, produz *logits* pequenos e aleatórios (desvio padrão
# $\approx 0{,}57$): a perda sai um pouco **acima** de $\log K$, em torno de 2,46. Não é
# coincidência que seja acima: em média, *logits* aleatórios nunca fazem melhor que a
# distribuição uniforme (desigualdade de Jensen); quanto maiores os *logits* iniciais, maior o
# excesso. O gráfico repete a medida para vários $K$. Uma primeira perda **muito** longe de
# $\log K$ (por exemplo 20 para $K = 10$) denuncia uma inicialização ruim ou um erro na perda.

# %% [markdown] lang="es"
# Comprobémoslo en un clasificador de verdad. Con *logits* todos en cero el *softmax* es
# exactamente uniforme y la pérdida es $\log 10 \approx 2.3026$. Una capa `Linear(784, 10)`
# recién inicializada, con entradas normales estándar, produce *logits* pequeños y aleatorios
# (desviación estándar $\approx 0.57$): la pérdida sale un poco **por encima** de $\log K$,
# alrededor de 2.46. No es casualidad que quede por encima: en promedio, unos *logits* aleatorios
# nunca lo hacen mejor que la distribución uniforme (desigualdad de Jensen); cuanto más grandes los
# *logits* iniciales, mayor el exceso. El gráfico repite la medición para varios $K$. Una primera
# pérdida **muy** lejos de $\log K$ (por ejemplo 20 con $K = 10$) delata una mala inicialización
# o un error en la pérdida.

# %%
torch.manual_seed(1)
features = torch.randn(512, 784).to(device)
labels = torch.randint(0, 10, (512,)).to(device)
ce = torch.nn.functional.cross_entropy
fresh_logits = torch.nn.Linear(784, 10).to(device)(features)

print("log(10)                      =", math.log(10))
print(lang_text("CE com logits zero           =", "CE con logits cero           ="),
      ce(torch.zeros(512, 10, device=device), labels).item())
print(lang_text("CE de uma Linear nova        =", "CE de una Linear nueva       ="),
      ce(fresh_logits, labels).item())
print(lang_text("desvio padrão dos logits     =", "desv. estándar de los logits ="),
      fresh_logits.std().item())

ks = [2, 5, 10, 20, 50, 100, 200, 500, 1000]
measured = []
with torch.no_grad():
    for K in ks:
        head = torch.nn.Linear(784, K).to(device)
        measured.append(ce(head(features), torch.randint(0, K, (512,)).to(device)).item())

plt.figure(figsize=(6, 3.8))
plt.semilogx(ks, [math.log(K) for K in ks], "-", color="gray", label="log K")
plt.semilogx(ks, measured, "o", label=lang_text("Linear(784, K) recém-criada",
                                                "Linear(784, K) recién creada"))
plt.xlabel("K")
plt.ylabel(lang_text("entropia cruzada inicial", "entropía cruzada inicial"))
plt.legend()
plt.grid(alpha=0.3)
plt.show()

# %% [markdown] lang="pt"
# Para fechar, juntamos tudo: treinamos a rede $784 \to 256 \to 10$ com o seu `train_step`,
# entropia cruzada e SGD, num lote fixo de 64 amostras com rótulos aleatórios (a rede consegue
# decorá-los). A primeira perda deve ficar perto da linha tracejada, $\log 10$.

# %% [markdown] lang="es"
# Para cerrar, juntamos todo: entrenamos la red $784 \to 256 \to 10$ con tu `train_step`,
# entropía cruzada y SGD, sobre un lote fijo de 64 muestras con etiquetas aleatorias (la red
# puede memorizarlas). La primera pérdida debería quedar cerca de la línea punteada, $\log 10$.

# %%
torch.manual_seed(2)
clf = torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.ReLU(),
                          torch.nn.Linear(256, 10)).to(device)
batch_x = torch.randn(64, 784).to(device)
batch_y = torch.randint(0, 10, (64,)).to(device)
clf_optimizer = torch.optim.SGD(clf.parameters(), lr=0.1)
try:
    losses = [train_step(clf, batch_x, batch_y, torch.nn.CrossEntropyLoss(), clf_optimizer)
              for _ in range(40)]
except NotImplementedError:
    losses = None
    print(lang_text("Responda o exercício 5 (train_step) para ver este treino.",
                    "Responde el ejercicio 5 (train_step) para ver este entrenamiento."))

if losses is not None:
    print(lang_text("primeira perda:", "primera pérdida:"), round(losses[0], 4),
          "| log(10):", round(math.log(10), 4),
          lang_text("| última perda:", "| última pérdida:"), round(losses[-1], 4))
    plt.figure(figsize=(6, 3.5))
    plt.plot(losses, label="train_step")
    plt.axhline(math.log(10), color="gray", ls="--", label="log 10")
    plt.xlabel(lang_text("passo", "paso"))
    plt.ylabel(lang_text("entropia cruzada", "entropía cruzada"))
    plt.legend()
    plt.show()

# %% [markdown] lang="pt"
# ### Exercício 7 — resposta escrita (2 pontos, corrigida pelo professor)
#
# Compare os exercícios 1 e 2, que chegam ao mesmo $w$. (a) Há alguma restrição no valor de
# $\Delta w$ (o `dw` de `dJ_diff`)? O que acontece se ele for grande demais ou pequeno demais?
# (b) Que vantagens tem calcular o gradiente com `backward()` em vez de diferenças finitas?

# %% [markdown] lang="es"
# ### Ejercicio 7 — respuesta escrita (2 puntos, la corrige el docente)
#
# Compara los ejercicios 1 y 2, que llegan al mismo $w$. (a) ¿Hay alguna restricción en el valor
# de $\Delta w$ (el `dw` de `dJ_diff`)? ¿Qué pasa si es demasiado grande o demasiado chico?
# (b) ¿Qué ventajas tiene calcular el gradiente con `backward()` en lugar de diferencias finitas?

# %% [markdown] lang="pt" nbgrader={"grade_id": "explain_fd_vs_autograd", "solution": true, "grade": true, "points": 2}
# (a) Sim. Grande demais, a diferença deixa de aproximar a derivada (erro de truncamento, da
# ordem de $\Delta w^2$ na diferença central; para a nossa parábola ele é zero, mas para uma
# rede não). Pequeno demais, $J(w+\Delta w)$ e $J(w-\Delta w)$ ficam quase iguais e a subtração
# perde os dígitos significativos (cancelamento), erro que cresce como $\varepsilon/\Delta w$ e
# é pior em `float32`. O melhor fica no meio-termo, da ordem de $\varepsilon^{1/3}$: uns
# $10^{-3}$ a $10^{-2}$ em `float32` (para $J$ e $w$ da ordem de 1).
# (b) O `backward()` dá o gradiente exato (até o arredondamento), sem escolher $\Delta w$, e de
# **todos** os parâmetros de uma vez, por um custo da ordem de um *forward*; diferenças finitas
# pedem duas avaliações de $J$ por parâmetro, inviável com milhões de pesos. Diferenças finitas
# continuam úteis para **conferir** um gradiente (verificação do gradiente).

# %% [markdown] lang="es" nbgrader={"grade_id": "explain_fd_vs_autograd", "solution": true, "grade": true, "points": 2}
# (a) Sí. Si es demasiado grande, la diferencia deja de aproximar la derivada (error de
# truncamiento, del orden de $\Delta w^2$ en la diferencia central; para nuestra parábola es
# cero, pero para una red no). Si es demasiado chico, $J(w+\Delta w)$ y $J(w-\Delta w)$ quedan
# casi iguales y la resta pierde las cifras significativas (cancelación), un error que crece como
# $\varepsilon/\Delta w$ y es peor en `float32`. Lo mejor está en un punto medio, del orden de
# $\varepsilon^{1/3}$: unos $10^{-3}$ a $10^{-2}$ en `float32` (para $J$ y $w$ del orden de 1).
# (b) `backward()` da el gradiente exacto (salvo redondeo), sin elegir $\Delta w$, y de **todos**
# los parámetros a la vez, con un costo del orden de un *forward*; las diferencias finitas piden
# dos evaluaciones de $J$ por parámetro, inviable con millones de pesos. Las diferencias finitas
# siguen siendo útiles para **verificar** un gradiente (verificación del gradiente).

# %% [markdown] lang="pt"
# ## Resumo
#
# * A **descida do gradiente** repete $w \leftarrow w - \lambda\,\nabla J(w)$: o gradiente dá a
#   direção de maior subida, e o passo vai no sentido contrário.
# * Com o autograd no laço: o peso de trabalho é uma **folha** nova
#   (`w0.detach().clone().requires_grad_(True)`), a atualização é *in-place* dentro de
#   `torch.no_grad()` e o gradiente é **zerado** a cada passo.
# * A **taxa de aprendizado** máxima depende da curvatura: numa quadrática, o passo converge só
#   se $|1 - \lambda J''| < 1$; acima disso a descida oscila cada vez mais e diverge.
# * Com `torch.nn` e `torch.optim`, o passo de treino é `zero_grad()`, *forward*, `backward()`,
#   `step()`. Acumular gradientes de propósito (minilotes) é zerar uma vez, fazer vários
#   `backward()` e dar um `step()` — dividindo a perda pelo número de minilotes quando ela é uma
#   média.
# * Antes de treinar, a primeira perda de um classificador de $K$ classes deve ficar perto de
#   $\log K$.
#
# Na próxima aula vamos abrir a caixa do autograd e escrever uma operação nova, com *forward* e
# *backward* próprios.
#
# ## Para saber mais
#
# * *Mergulho Profundo no Aprendizado Profundo* (d2l), capítulo "Diferenciação automática", em
#   português: https://pt.d2l.ai/chapter_preliminaries/autograd.html
# * Notas do curso CS231n (Stanford) sobre retropropagação (em inglês):
#   https://cs231n.github.io/optimization-2/
# * Documentação do PyTorch, "Autograd mechanics" (em inglês), inclusive o que `zero_grad` e o
#   acúmulo de gradientes fazem: https://pytorch.org/docs/stable/notes/autograd.html

# %% [markdown] lang="es"
# ## Resumen
#
# * El **descenso de gradiente** repite $w \leftarrow w - \lambda\,\nabla J(w)$: el gradiente da
#   la dirección de mayor subida, y el paso va en sentido contrario.
# * Con autograd en el ciclo: el peso de trabajo es una **hoja** nueva
#   (`w0.detach().clone().requires_grad_(True)`), la actualización es *in-place* dentro de
#   `torch.no_grad()` y el gradiente se **pone en cero** en cada paso.
# * La **tasa de aprendizaje** máxima depende de la curvatura: en una cuadrática, el paso
#   converge solo si $|1 - \lambda J''| < 1$; por encima, el descenso oscila cada vez más y
#   diverge.
# * Con `torch.nn` y `torch.optim`, el paso de entrenamiento es `zero_grad()`, *forward*,
#   `backward()`, `step()`. Acumular gradientes a propósito (minilotes) es poner en cero una vez,
#   hacer varios `backward()` y dar un `step()`, dividiendo la pérdida por la cantidad de
#   minilotes cuando es una media.
# * Antes de entrenar, la primera pérdida de un clasificador de $K$ clases debería quedar cerca
#   de $\log K$.
#
# En la próxima clase vamos a abrir la caja de autograd y escribir una operación nueva, con
# *forward* y *backward* propios.
#
# ## Para saber más
#
# Estas referencias están en inglés (no conocemos ediciones en español):
#
# * Documentación de PyTorch, "Autograd mechanics", incluido lo que hacen `zero_grad` y la
#   acumulación de gradientes: https://pytorch.org/docs/stable/notes/autograd.html
# * Apuntes del curso CS231n (Stanford) sobre retropropagación:
#   https://cs231n.github.io/optimization-2/
# * *Dive into Deep Learning* (d2l), capítulo "Automatic Differentiation":
#   https://d2l.ai/chapter_preliminaries/autograd.html
