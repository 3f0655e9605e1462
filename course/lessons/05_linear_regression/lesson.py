# %% [markdown] lang="pt"
# # 05 · Regressão linear: à mão e com as ferramentas do PyTorch
#
# **Pré-requisitos:** aula 01 (grafo, `backward()`, o `.grad` que acumula), aula 03 (descida do
# gradiente, `torch.optim`, `zero_grad()`) e Python com classes (`class`, `__init__`,
# `super()`). **Tempo estimado:** cerca de 2 horas.
#
# Nas aulas anteriores o autograd calculou gradientes de perdas pequenas e a descida do
# gradiente ajustou um único peso. Agora juntamos tudo num problema completo: encontrar a reta
# $y = ax + b$ que melhor descreve uma nuvem de pontos com ruído. É o primeiro problema de quase
# todo curso de aprendizado de máquina, e é pequeno o bastante para conferirmos cada número.
#
# Vamos resolvê-lo duas vezes:
#
# 1. **à mão**: tensores `a` e `b`, `backward()` e a atualização escrita por nós;
# 2. **com as peças do PyTorch** que se usam em qualquer projeto de verdade: um `Dataset` que
#    lê os dados de arquivos, um `nn.Module` com `nn.Parameter`, um `DataLoader` que monta os
#    minilotes (*mini-batches*) e o otimizador `torch.optim.SGD` com `nn.MSELoss`.
#
# No caminho vamos comparar o resultado com a **solução exata** de mínimos quadrados, ver qual
# perda dá para esperar quando os dados têm ruído, entender o erro mais comum ao usar GPU
# (modelo e dados em dispositivos diferentes) e, no fim, mover um ponto dos dados com um
# controle deslizante para ver o ajuste reagir.
#
# Execute as células em ordem (Shift+Enter). As células com `check(...)` conferem seu trabalho
# na hora; enquanto um exercício não tem resposta, elas mostram ⏳ e o notebook segue. As
# células da aula não dependem das suas respostas: as que mostrariam um resultado seu avisam
# o que aparece depois que você responder, e nenhum exercício depende da resposta de outro. A
# nota final vem de testes ocultos, com outros dados, aplicados na correção.

# %% [markdown] lang="es"
# # 05 · Regresión lineal: a mano y con las herramientas de PyTorch
#
# **Requisitos previos:** clase 01 (grafo, `backward()`, el `.grad` que se acumula), clase 03
# (descenso de gradiente, `torch.optim`, `zero_grad()`) y Python con clases (`class`,
# `__init__`, `super()`). **Tiempo estimado:** unas 2 horas.
#
# En las clases anteriores autograd calculó gradientes de pérdidas pequeñas y el descenso de
# gradiente ajustó un único peso. Ahora juntamos todo en un problema completo: encontrar la
# recta $y = ax + b$ que mejor describe una nube de puntos con ruido. Es el primer problema de
# casi todo curso de aprendizaje automático, y es lo bastante chico como para comprobar cada
# número.
#
# Lo vamos a resolver dos veces:
#
# 1. **a mano**: tensores `a` y `b`, `backward()` y la actualización escrita por nosotros;
# 2. **con las piezas de PyTorch** que se usan en cualquier proyecto real: un `Dataset` que lee
#    los datos desde archivos, un `nn.Module` con `nn.Parameter`, un `DataLoader` que arma los
#    minilotes (*mini-batches*) y el optimizador `torch.optim.SGD` con `nn.MSELoss`.
#
# En el camino vamos a comparar el resultado con la **solución exacta** de mínimos cuadrados,
# ver qué pérdida cabe esperar cuando los datos tienen ruido, entender el error más común al
# usar GPU (modelo y datos en dispositivos distintos) y, al final, mover un punto de los datos
# con un control deslizante para ver cómo reacciona el ajuste.
#
# Ejecuta las celdas en orden (Shift+Enter). Las celdas con `check(...)` revisan tu trabajo al
# instante; mientras un ejercicio no tiene respuesta, muestran ⏳ y el notebook sigue. Las
# celdas de la clase no dependen de tus respuestas: las que mostrarían un resultado tuyo avisan
# qué aparecerá cuando respondas, y ningún ejercicio depende de la respuesta de otro. La nota
# final sale de pruebas ocultas, con otros datos, que se aplican al corregir.

# %%
import os
import tempfile

import matplotlib.pyplot as plt
import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader, Dataset, TensorDataset

plt.rcParams["axes.grid"] = True
device = ("cuda" if torch.cuda.is_available()
          else "mps" if torch.backends.mps.is_available() else "cpu")
print("torch", torch.__version__, "| device:", device)

# %% [markdown] lang="pt"
# Esta aula trabalha em `float32`, então também roda na GPU da Apple (`mps`), além de CUDA e
# CPU.
#
# ## 1. Os dados
#
# Vamos fabricar os dados, assim sabemos a resposta certa. São 100 pontos, com os $x$
# igualmente espaçados em $[-5, 5]$, e
#
# $$y = 3x - 2 + \varepsilon, \qquad \varepsilon \sim \mathcal N(0, 1),$$
#
# isto é, a reta verdadeira tem $a = 3$ e $b = -2$, e cada ponto leva um ruído gaussiano de
# desvio padrão 1. A semente fixa (`torch.manual_seed`) faz todo mundo obter os mesmos números.
# Os dados são gerados na CPU (o gerador da CPU dá os mesmos valores em qualquer máquina) e
# levados para o `device` quando for preciso.

# %% [markdown] lang="es"
# Esta clase trabaja en `float32`, así que también corre en la GPU de Apple (`mps`), además de
# CUDA y CPU.
#
# ## 1. Los datos
#
# Vamos a fabricar los datos, así conocemos la respuesta correcta. Son 100 puntos, con los $x$
# equiespaciados en $[-5, 5]$, y
#
# $$y = 3x - 2 + \varepsilon, \qquad \varepsilon \sim \mathcal N(0, 1),$$
#
# es decir, la recta verdadera tiene $a = 3$ y $b = -2$, y cada punto lleva un ruido gaussiano de
# desviación estándar 1. La semilla fija (`torch.manual_seed`) hace que todos obtengan los mismos
# números. Los datos se generan en la CPU (el generador de la CPU da los mismos valores en
# cualquier máquina) y se llevan al `device` cuando haga falta.

# %%
a_true, b_true = 3.0, -2.0
n_samples = 100

torch.manual_seed(0)
x_data = torch.linspace(-5, 5, n_samples)
noise = torch.randn(n_samples)
y_data = a_true * x_data + b_true + noise

print("x_data:", tuple(x_data.shape), x_data.dtype, "| y_data:", tuple(y_data.shape))
print("mean(noise**2) =", round((noise ** 2).mean().item(), 4))

plt.figure(figsize=(6, 4))
plt.scatter(x_data, y_data, s=12, color="tab:green", label="(x, y)")
plt.plot(x_data, a_true * x_data + b_true, color="gray", ls="--", label="y = 3x - 2")
plt.xlabel("x")
plt.ylabel("y")
plt.title(lang_text("100 pontos em volta da reta verdadeira",
                    "100 puntos alrededor de la recta verdadera"))
plt.legend()
plt.show()

# %% [markdown] lang="pt"
# A reta tracejada é a verdade; os pontos se espalham em volta dela. O modelo nunca verá a
# reta, só os pontos. Guarde o número impresso: a média de $\varepsilon^2$ nestas 100 amostras
# é $1{,}0509$, perto da variância do ruído, $\sigma^2 = 1$. Ele volta mais adiante.
#
# ## 2. O modelo e a perda
#
# O modelo é a reta $\hat y = a x + b$, com dois parâmetros. Para medir o quanto ela erra,
# usamos o **erro quadrático médio** (MSE, do inglês *mean squared error*):
#
# $$L(a, b) = \frac1N \sum_{i=1}^N \left(a x_i + b - y_i\right)^2 .$$
#
# Derivando (regra da cadeia, como na aula 01):
#
# $$\frac{\partial L}{\partial a} = \frac2N \sum_i (\hat y_i - y_i)\,x_i, \qquad
#   \frac{\partial L}{\partial b} = \frac2N \sum_i (\hat y_i - y_i).$$
#
# Não vamos programar essas fórmulas: `backward()` as calcula sozinho a partir do grafo. Elas
# servem para entender o que acontece (seção 3).
#
# ### Exercício 1 — `linear_model(x, a, b)` (1 ponto)
#
# Devolva $a x + b$. `a` e `b` podem ser números Python ou tensores (por exemplo de formato
# `(1,)`, que o *broadcasting* aplica a todos os elementos de `x`). Use operações do torch,
# para que o gradiente chegue até `a` e `b` quando eles pedirem gradiente. A correção compara
# com erro relativo de até $10^{-6}$, em `float64`.

# %% [markdown] lang="es"
# La recta punteada es la verdad; los puntos se reparten a su alrededor. El modelo nunca verá la
# recta, solo los puntos. Guarda el número impreso: la media de $\varepsilon^2$ en estas 100
# muestras es $1.0509$, cerca de la varianza del ruido, $\sigma^2 = 1$. Vuelve más adelante.
#
# ## 2. El modelo y la pérdida
#
# El modelo es la recta $\hat y = a x + b$, con dos parámetros. Para medir cuánto se equivoca
# usamos el **error cuadrático medio** (MSE, del inglés *mean squared error*):
#
# $$L(a, b) = \frac1N \sum_{i=1}^N \left(a x_i + b - y_i\right)^2 .$$
#
# Derivando (regla de la cadena, como en la clase 01):
#
# $$\frac{\partial L}{\partial a} = \frac2N \sum_i (\hat y_i - y_i)\,x_i, \qquad
#   \frac{\partial L}{\partial b} = \frac2N \sum_i (\hat y_i - y_i).$$
#
# No vamos a programar estas fórmulas: `backward()` las calcula solo a partir del grafo. Sirven
# para entender lo que pasa (sección 3).
#
# ### Ejercicio 1 — `linear_model(x, a, b)` (1 punto)
#
# Devuelve $a x + b$. `a` y `b` pueden ser números de Python o tensores (por ejemplo de forma
# `(1,)`, que el *broadcasting* aplica a todos los elementos de `x`). Usa operaciones de torch,
# para que el gradiente llegue hasta `a` y `b` cuando pidan gradiente. La corrección compara con
# un error relativo de hasta $10^{-6}$, en `float64`.

# %% nbgrader={"grade_id": "linear_model", "solution": true}
def linear_model(x, a, b):
    ### BEGIN SOLUTION
    return a * x + b
    ### END SOLUTION

# %% nbgrader={"grade_id": "test_linear_model", "grade": true, "points": 1}
x_chk = torch.tensor([0.0, 1.0, 2.0])
check("linear_model(x, 3, -2)", lambda: linear_model(x_chk, 3, -2), [-2.0, 1.0, 4.0])


def grads_chk():
    a = torch.tensor([2.0], requires_grad=True)
    b = torch.tensor([0.5], requires_grad=True)
    linear_model(x_chk, a, b).sum().backward()
    return torch.cat([a.grad, b.grad])


check("(a.grad, b.grad)", grads_chk, [3.0, 3.0])
### BEGIN HIDDEN TESTS
from course.lessons import load_checks
hidden_checks = load_checks("05_linear_regression")
hidden_checks.check_linear_model(linear_model, LANG)
### END HIDDEN TESTS

# %% [markdown] lang="pt"
# ## 3. Descida do gradiente à mão
#
# Começamos em $a = b = 0$ e repetimos, a cada **época** (uma passada por todos os dados):
#
# 1. *forward*: `y_pred = a * x + b` e `loss = ((y_pred - y) ** 2).mean()`;
# 2. anotamos `loss.item()`, a perda **antes** da atualização desta época;
# 3. `loss.backward()` preenche `a.grad` e `b.grad`;
# 4. damos o passo $a \leftarrow a - \text{lr}\,\partial L/\partial a$ (idem para $b$) dentro de
#    `with torch.no_grad():`, em que `lr` é a taxa de aprendizado;
# 5. zeramos os gradientes.
#
# Por que o passo 4 precisa de `no_grad`? `a` e `b` são **folhas** que pedem gradiente. Fora do
# `no_grad`, `a -= lr * a.grad` dá `RuntimeError` (o PyTorch recusa alterar *in-place* uma folha
# que faz parte do grafo), e `a = a - lr * a.grad` cria um tensor **novo**, resultado de uma
# operação: ele tem `grad_fn`, não é mais folha e, na época seguinte, `a.grad` é `None`. Dentro
# do `no_grad` a atualização não é gravada no grafo: é só aritmética sobre os valores.
#
# E o passo 5? Como vimos na aula 01, `backward()` **soma** em `.grad`. Sem zerar, a época 2
# usaria o gradiente da época 1 mais o da 2, e assim por diante. Dá para zerar com
# `a.grad.zero_()` ou com `a.grad = None`.
#
# ### Exercício 2 — `fit_by_hand(x, y, lr=1e-2, n_epochs=500)` (3 pontos)
#
# Implemente o laço acima (todos os dados em cada época: um único lote, o *full batch*). Crie
# `a` e `b` com `torch.zeros(1, dtype=x.dtype, device=x.device, requires_grad=True)`, para que
# funcionem com dados em qualquer dispositivo e `dtype`. Escreva o modelo direto, `a * x + b`
# (sem chamar `linear_model`: assim este exercício não depende do exercício 1). Devolva
# `(a, b, losses)`: `a` e `b` como floats do Python (`.item()`) depois da última atualização e
# `losses`, a lista dos `n_epochs` valores da MSE, também floats, em que `losses[i]` é a perda
# calculada no *forward* da época `i`, antes da sua atualização (então `losses[0]` é a MSE com
# $a = b = 0$). Não modifique `x` nem `y`. A correção usa dados em `float32` e `float64` e
# compara perdas e parâmetros com erro relativo de até $10^{-5}$.

# %% [markdown] lang="es"
# ## 3. Descenso de gradiente a mano
#
# Empezamos en $a = b = 0$ y repetimos, en cada **época** (una pasada por todos los datos):
#
# 1. *forward*: `y_pred = a * x + b` y `loss = ((y_pred - y) ** 2).mean()`;
# 2. anotamos `loss.item()`, la pérdida **antes** de la actualización de esta época;
# 3. `loss.backward()` llena `a.grad` y `b.grad`;
# 4. damos el paso $a \leftarrow a - \text{lr}\,\partial L/\partial a$ (lo mismo para $b$) dentro
#    de `with torch.no_grad():`, donde `lr` es la tasa de aprendizaje;
# 5. ponemos los gradientes en cero.
#
# ¿Por qué el paso 4 necesita `no_grad`? `a` y `b` son **hojas** que piden gradiente. Fuera del
# `no_grad`, `a -= lr * a.grad` da `RuntimeError` (PyTorch se niega a modificar *in-place* una
# hoja que forma parte del grafo), y `a = a - lr * a.grad` crea un tensor **nuevo**, resultado de
# una operación: tiene `grad_fn`, ya no es hoja y, en la época siguiente, `a.grad` es `None`.
# Dentro del `no_grad` la actualización no se registra en el grafo: es solo aritmética sobre los
# valores.
#
# ¿Y el paso 5? Como vimos en la clase 01, `backward()` **suma** en `.grad`. Sin ponerlo en cero,
# la época 2 usaría el gradiente de la época 1 más el de la 2, y así sucesivamente. Se puede
# limpiar con `a.grad.zero_()` o con `a.grad = None`.
#
# ### Ejercicio 2 — `fit_by_hand(x, y, lr=1e-2, n_epochs=500)` (3 puntos)
#
# Implementa el ciclo de arriba (todos los datos en cada época: un único lote, el *full batch*).
# Crea `a` y `b` con `torch.zeros(1, dtype=x.dtype, device=x.device, requires_grad=True)`, para
# que funcionen con datos en cualquier dispositivo y `dtype`. Escribe el modelo directamente,
# `a * x + b` (sin llamar a `linear_model`: así este ejercicio no depende del ejercicio 1).
# Devuelve `(a, b, losses)`: `a` y `b` como floats de Python (`.item()`) después de la última
# actualización y `losses`, la lista de los `n_epochs` valores del MSE, también floats, donde
# `losses[i]` es la pérdida calculada en el *forward* de la época `i`, antes de su actualización
# (así que `losses[0]` es el MSE con $a = b = 0$). No modifiques `x` ni `y`. La corrección usa
# datos en `float32` y `float64` y compara pérdidas y parámetros con un error relativo de hasta
# $10^{-5}$.

# %% nbgrader={"grade_id": "fit_by_hand", "solution": true}
def fit_by_hand(x, y, lr=1e-2, n_epochs=500):
    ### BEGIN SOLUTION
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
        a.grad.zero_()
        b.grad.zero_()
    return a.item(), b.item(), losses
    ### END SOLUTION

# %% nbgrader={"grade_id": "test_fit_by_hand", "grade": true, "points": 3}
x_chk = torch.tensor([0.0, 1.0, 2.0, 3.0])
y_chk = 2 * x_chk + 1
fit_chk = lambda: fit_by_hand(x_chk, y_chk, lr=0.1, n_epochs=3)
check("kind_of(a)", lambda: kind_of(fit_chk()[0]), "float")
check("losses", lambda: fit_chk()[2], [21.0, 0.535, 0.01435], tol=1e-5)
check("(a, b)", lambda: fit_chk()[:2], [2.012, 0.953], tol=1e-5)
check("x", lambda: (fit_chk(), x_chk)[1], [0.0, 1.0, 2.0, 3.0])
### BEGIN HIDDEN TESTS
from course.lessons import load_checks
hidden_checks = load_checks("05_linear_regression")
hidden_checks.check_fit_by_hand(fit_by_hand, LANG)
### END HIDDEN TESTS

# %% [markdown] lang="pt"
# Confira o caso pequeno à mão: com $x = [0,1,2,3]$ e $y = 2x + 1 = [1,3,5,7]$, a primeira
# perda é a média de $y^2$, $(1 + 9 + 25 + 49)/4 = 21$. Os gradientes em $a = b = 0$ são
# $\partial L/\partial a = -\frac24(0 + 3 + 10 + 21) = -17$ e $\partial L/\partial b =
# -\frac24 \cdot 16 = -8$; com `lr=0.1` o primeiro passo leva a $a = 1{,}7$ e $b = 0{,}8$.
#
# Agora nos nossos 100 pontos, com os valores padrão (`lr=1e-2`, 500 épocas), no `device`:

# %% [markdown] lang="es"
# Comprueba el caso chico a mano: con $x = [0,1,2,3]$ e $y = 2x + 1 = [1,3,5,7]$, la primera
# pérdida es la media de $y^2$, $(1 + 9 + 25 + 49)/4 = 21$. Los gradientes en $a = b = 0$ son
# $\partial L/\partial a = -\frac24(0 + 3 + 10 + 21) = -17$ y $\partial L/\partial b =
# -\frac24 \cdot 16 = -8$; con `lr=0.1` el primer paso lleva a $a = 1.7$ y $b = 0.8$.
#
# Ahora en nuestros 100 puntos, con los valores por defecto (`lr=1e-2`, 500 épocas), en el
# `device`:

# %%
try:
    a_hand, b_hand, losses_hand = fit_by_hand(x_data.to(device), y_data.to(device))
except NotImplementedError:
    a_hand = b_hand = losses_hand = None
    print(lang_text("⏳ Responda o exercício 2 (fit_by_hand) para ver aqui o ajuste e a curva "
                    "da perda.",
                    "⏳ Responde el ejercicio 2 (fit_by_hand) para ver aquí el ajuste y la "
                    "curva de la pérdida."))

if losses_hand is not None:
    print(f"a_hand = {a_hand:.4f}, b_hand = {b_hand:.4f}")
    print(f"losses_hand[0] = {losses_hand[0]:.4f}, losses_hand[-1] = {losses_hand[-1]:.4f}")

    fig, (ax_loss, ax_fit) = plt.subplots(1, 2, figsize=(12, 4))
    ax_loss.plot(losses_hand)
    ax_loss.set_yscale("log")
    ax_loss.set_xlabel(lang_text("época", "época"))
    ax_loss.set_ylabel("MSE")
    ax_loss.set_title(lang_text("fit_by_hand: perda por época", "fit_by_hand: pérdida por época"))
    ax_fit.scatter(x_data, y_data, s=12, color="tab:green", label="(x, y)")
    ax_fit.plot(x_data, a_hand * x_data + b_hand, color="tab:red",
                label=f"y = {a_hand:.2f}x {b_hand:+.2f}")
    ax_fit.set_xlabel("x")
    ax_fit.set_ylabel("y")
    ax_fit.legend()
    plt.show()

# %% [markdown] lang="pt"
# A reta ajustada passa pelo meio da nuvem, com $a \approx 3{,}000$ e $b \approx -1{,}963$. A
# curva da perda (em escala logarítmica) cai de $81{,}40$, a média de $y^2$, para $1{,}0495$, e
# tem duas fases: uma queda rápida nas primeiras dezenas de épocas e depois uma cauda lenta. A
# explicação está nas fórmulas da seção 2. Como os $x$ são simétricos em torno de 0
# ($\frac1N\sum x_i = 0$), os dois gradientes não se misturam, e cada passo multiplica a
# distância até a solução por um fator fixo:
#
# * para $a$: $1 - 2\,\text{lr}\,\overline{x^2} = 1 - 2 \cdot 0{,}01 \cdot 8{,}50 = 0{,}83$;
# * para $b$: $1 - 2\,\text{lr} = 0{,}98$.
#
# $a$ converge em poucas dezenas de épocas; $b$ precisa de centenas ($0{,}98^{500} \approx
# 4 \times 10^{-5}$). A figura abaixo mostra isso na **superfície da perda**: as curvas de
# nível de $L(a, b)$ são elipses esticadas na direção de $b$ (a perda é pouco curva nessa
# direção), e os pontos são $(a, b)$ depois de $k$ épocas de `fit_by_hand`. O caminho primeiro
# corre na horizontal e depois desce devagar pelo vale.

# %% [markdown] lang="es"
# La recta ajustada pasa por el medio de la nube, con $a \approx 3.000$ y $b \approx -1.963$. La
# curva de la pérdida (en escala logarítmica) baja de $81.40$, la media de $y^2$, a $1.0495$, y
# tiene dos fases: una caída rápida en las primeras decenas de épocas y después una cola lenta. La
# explicación está en las fórmulas de la sección 2. Como los $x$ son simétricos alrededor de 0
# ($\frac1N\sum x_i = 0$), los dos gradientes no se mezclan, y cada paso multiplica la distancia a
# la solución por un factor fijo:
#
# * para $a$: $1 - 2\,\text{lr}\,\overline{x^2} = 1 - 2 \cdot 0.01 \cdot 8.50 = 0.83$;
# * para $b$: $1 - 2\,\text{lr} = 0.98$.
#
# $a$ converge en pocas decenas de épocas; $b$ necesita cientos ($0.98^{500} \approx
# 4 \times 10^{-5}$). La figura de abajo lo muestra sobre la **superficie de la pérdida**: las
# curvas de nivel de $L(a, b)$ son elipses estiradas en la dirección de $b$ (la pérdida se curva
# poco en esa dirección), y los puntos son $(a, b)$ después de $k$ épocas de `fit_by_hand`. El
# camino primero corre en horizontal y después baja despacio por el valle.

# %%
grid_a, grid_b = torch.meshgrid(torch.linspace(-0.5, 4.5, 201), torch.linspace(-4.0, 1.0, 201),
                                indexing="ij")
surface = ((grid_a[..., None] * x_data + grid_b[..., None] - y_data) ** 2).mean(dim=-1)

plt.figure(figsize=(7, 5))
levels = torch.logspace(0.02, 2.2, 14).tolist()
contour = plt.contour(grid_a, grid_b, surface, levels=levels, cmap="viridis")
plt.clabel(contour, fmt="%.1f", fontsize=7)
if losses_hand is not None:
    steps = [0, 1, 2, 3, 5, 8, 12, 20, 30, 45, 70, 110, 500]
    path = ([(0.0, 0.0)] + [fit_by_hand(x_data, y_data, n_epochs=k)[:2] for k in steps[1:-1]]
            + [(a_hand, b_hand)])
    plt.plot(*zip(*path), "o-", color="tab:red", ms=4, label="(a, b), k = 0, 1, 2, 3, 5, …, 500")
    for k, (a_k, b_k) in zip(steps, path):
        if k in (0, 5, 30, 500):
            plt.annotate(f"k={k}", (a_k, b_k), textcoords="offset points", xytext=(6, 4),
                         fontsize=8)
else:
    print(lang_text("⏳ Com o exercício 2 respondido, o caminho de fit_by_hand aparece sobre as "
                    "curvas de nível.",
                    "⏳ Con el ejercicio 2 respondido, el camino de fit_by_hand aparece sobre las "
                    "curvas de nivel."))
plt.plot(a_true, b_true, "k*", ms=10, label="(a_true, b_true)")
plt.xlabel("a")
plt.ylabel("b")
plt.legend(loc="lower left", fontsize=8)
plt.title(lang_text("curvas de nível de L(a, b)", "curvas de nivel de L(a, b)"))
plt.show()

# %% [markdown] lang="pt"
# ## 4. A solução exata: mínimos quadrados
#
# A regressão linear é um dos raros problemas de aprendizado com solução em forma fechada.
# Acrescentando uma coluna de uns ao lado de $x$, o modelo vira $\hat y = X\theta$ com
# $X = [\,x \;\; \mathbf 1\,]$ (uma matriz $N \times 2$) e $\theta = (a, b)$. O mínimo de
# $\lVert X\theta - y \rVert^2$ satisfaz as **equações normais**
#
# $$X^\top X\,\theta = X^\top y .$$
#
# `torch.linalg.lstsq(X, y)` resolve esse problema de forma numericamente estável (sem montar
# $X^\top X$); `torch.linalg.solve` resolve as equações normais diretamente. Vamos comparar as
# duas com o `fit_by_hand` e calcular a perda de cada solução, incluindo a dos parâmetros
# verdadeiros.

# %% [markdown] lang="es"
# ## 4. La solución exacta: mínimos cuadrados
#
# La regresión lineal es uno de los pocos problemas de aprendizaje con solución en forma cerrada.
# Agregando una columna de unos al lado de $x$, el modelo queda $\hat y = X\theta$ con
# $X = [\,x \;\; \mathbf 1\,]$ (una matriz $N \times 2$) y $\theta = (a, b)$. El mínimo de
# $\lVert X\theta - y \rVert^2$ cumple las **ecuaciones normales**
#
# $$X^\top X\,\theta = X^\top y .$$
#
# `torch.linalg.lstsq(X, y)` resuelve ese problema de forma numéricamente estable (sin armar
# $X^\top X$); `torch.linalg.solve` resuelve las ecuaciones normales directamente. Comparemos
# ambas con `fit_by_hand` y calculemos la pérdida de cada solución, incluida la de los
# parámetros verdaderos.

# %%
X = torch.stack([x_data, torch.ones_like(x_data)], dim=1)
theta_lstsq = torch.linalg.lstsq(X, y_data.unsqueeze(1)).solution.squeeze(1)
theta_normal = torch.linalg.solve(X.T @ X, X.T @ y_data)
a_ls, b_ls = theta_lstsq.tolist()


def mse(a, b):
    return ((a * x_data + b - y_data) ** 2).mean().item()


print("X:", tuple(X.shape))
print("theta_lstsq  =", [round(v, 4) for v in theta_lstsq.tolist()])
print("theta_normal =", [round(v, 4) for v in theta_normal.tolist()])
if a_hand is not None:
    print("fit_by_hand  =", [round(a_hand, 4), round(b_hand, 4)])
print()
print(f"mse(a_ls, b_ls)         = {mse(a_ls, b_ls):.4f}")
if a_hand is not None:
    print(f"mse(a_hand, b_hand)     = {mse(a_hand, b_hand):.4f}")
print(f"mse(a_true, b_true)     = {mse(a_true, b_true):.4f}")
print(f"mean(noise**2)          = {(noise ** 2).mean().item():.4f}")

# %% [markdown] lang="pt"
# As duas soluções exatas coincidem: $a = 2{,}9997$, $b = -1{,}9629$. O `fit_by_hand` acerta
# $a$ e erra $b$ só na quarta casa decimal ($-1{,}9628$): é a cauda lenta que vimos. Repare em
# dois fatos:
#
# * A perda dos **parâmetros verdadeiros** é exatamente a média de $\varepsilon^2$, $1{,}0509$:
#   com $a = 3$ e $b = -2$ o erro de cada ponto é o próprio ruído. Nenhum modelo prevê o ruído,
#   então a perda de um bom ajuste fica **perto da variância do ruído**, $\sigma^2 = 1$, e não
#   perto de 0.
# * A perda da solução de mínimos quadrados, $1{,}0495$, fica um pouco **abaixo** da perda dos
#   parâmetros verdadeiros. Não é contradição: a solução exata minimiza a perda *nestas* 100
#   amostras e, com dados finitos, acaba absorvendo um pouco do ruído (por isso $a$ e $b$ saem
#   um pouco diferentes de 3 e −2). Com mais dados, essa diferença diminui.

# %% [markdown] lang="es"
# Las dos soluciones exactas coinciden: $a = 2.9997$, $b = -1.9629$. `fit_by_hand` acierta $a$
# y se desvía en $b$ solo en el cuarto decimal ($-1.9628$): es la cola lenta que vimos. Fíjate
# en dos cosas:
#
# * La pérdida de los **parámetros verdaderos** es exactamente la media de $\varepsilon^2$,
#   $1.0509$: con $a = 3$ y $b = -2$ el error de cada punto es el propio ruido. Ningún modelo
#   predice el ruido, así que la pérdida de un buen ajuste queda **cerca de la varianza del
#   ruido**, $\sigma^2 = 1$, y no cerca de 0.
# * La pérdida de la solución de mínimos cuadrados, $1.0495$, queda un poco **por debajo** de la
#   de los parámetros verdaderos. No es una contradicción: la solución exacta minimiza la
#   pérdida *en estas* 100 muestras y, con datos finitos, termina absorbiendo un poco del ruido
#   (por eso $a$ y $b$ salen algo distintos de 3 y −2). Con más datos, esa diferencia se achica.

# %% [markdown] lang="pt"
# ## 5. `Dataset`: os dados vêm de arquivos
#
# Até aqui os dados estavam em dois tensores na memória. Num projeto de verdade eles costumam
# estar em disco (imagens, áudios, tabelas), muitas vezes grandes demais para carregar de uma
# vez. O PyTorch organiza isso com a classe `torch.utils.data.Dataset`, que representa um
# conjunto de dados (*dataset*) e pede só dois métodos:
#
# * `__len__(self)`: quantas amostras existem (é o que `len(dataset)` chama);
# * `__getitem__(self, i)`: a amostra `i` (é o que `dataset[i]` chama), tipicamente o par
#   `(entrada, alvo)`.
#
# Para ter arquivos de verdade, vamos gravar os nossos 100 pontos numa pasta temporária, um
# arquivo de texto por amostra com os dois números `x y` (`np.savetxt` escreve, `np.loadtxt`
# lê). Quem cria a pasta é `tempfile.TemporaryDirectory()`, que guarda o caminho em `.name` e
# apaga a pasta automaticamente quando o kernel do notebook termina: nada fica no disco.

# %% [markdown] lang="es"
# ## 5. `Dataset`: los datos vienen de archivos
#
# Hasta aquí los datos estaban en dos tensores en memoria. En un proyecto real suelen estar en
# disco (imágenes, audios, tablas), muchas veces demasiado grandes para cargarlos de una vez.
# PyTorch lo organiza con la clase `torch.utils.data.Dataset`, que representa un conjunto de
# datos (*dataset*) y pide solo dos métodos:
#
# * `__len__(self)`: cuántas muestras hay (es lo que llama `len(dataset)`);
# * `__getitem__(self, i)`: la muestra `i` (es lo que llama `dataset[i]`), típicamente el par
#   `(entrada, objetivo)`.
#
# Para tener archivos de verdad, vamos a guardar nuestros 100 puntos en una carpeta temporal, un
# archivo de texto por muestra con los dos números `x y` (`np.savetxt` escribe, `np.loadtxt`
# lee). La carpeta la crea `tempfile.TemporaryDirectory()`, que guarda la ruta en `.name` y la
# borra automáticamente cuando termina el kernel del notebook: no queda nada en el disco.

# %%
data_folder = tempfile.TemporaryDirectory(prefix="linear_data_")
data_dir = data_folder.name
for i, (x_i, y_i) in enumerate(zip(x_data.tolist(), y_data.tolist())):
    np.savetxt(os.path.join(data_dir, f"sample_{i:03d}.txt"), [[x_i, y_i]])

files = sorted(os.listdir(data_dir))
print(data_dir)
print(len(files), files[:3], "...", files[-1])
with open(os.path.join(data_dir, files[7])) as fh:
    print(repr(fh.read()))
print(np.loadtxt(os.path.join(data_dir, files[7])), x_data[7].item(), y_data[7].item())

# %% [markdown] lang="pt"
# Cada arquivo tem uma linha com `x` e `y`, e `np.loadtxt` devolve um array de dois números em
# `float64`. Repare nos nomes: `sample_000.txt` … `sample_099.txt`, com zeros à esquerda. O
# motivo:
#
# * `os.listdir` devolve os nomes numa ordem **arbitrária** (a do sistema de arquivos), que pode
#   mudar de uma máquina para outra. Para que `dataset[i]` seja sempre a mesma amostra, ordene
#   com `sorted(...)`.
# * `sorted` compara textos caractere por caractere: `"sample_10.txt"` vem **antes** de
#   `"sample_2.txt"`, porque `'1' < '2'`. Com zeros à esquerda, a ordem alfabética coincide com
#   a numérica.

# %% [markdown] lang="es"
# Cada archivo tiene una línea con `x` e `y`, y `np.loadtxt` devuelve un array de dos números en
# `float64`. Fíjate en los nombres: `sample_000.txt` … `sample_099.txt`, con ceros a la
# izquierda. El motivo:
#
# * `os.listdir` devuelve los nombres en un orden **arbitrario** (el del sistema de archivos),
#   que puede cambiar de una máquina a otra. Para que `dataset[i]` sea siempre la misma muestra,
#   ordénalos con `sorted(...)`.
# * `sorted` compara textos carácter por carácter: `"sample_10.txt"` va **antes** que
#   `"sample_2.txt"`, porque `'1' < '2'`. Con ceros a la izquierda, el orden alfabético coincide
#   con el numérico.

# %%
print(sorted(["sample_2.txt", "sample_10.txt", "sample_1.txt"]))
print(sorted(["sample_002.txt", "sample_010.txt", "sample_001.txt"]))

# %% [markdown] lang="pt"
# ### Exercício 3 — `class LinearData(Dataset)` (2 pontos)
#
# Complete os três métodos da classe: `LinearData(dataset_dir)` tem uma amostra por arquivo de
# `dataset_dir`, com os arquivos na ordem dos nomes (`sorted`, a ordem alfabética, mesmo quando
# ela difere da numérica); `len(dataset)` é o número de arquivos; `dataset[i]` devolve `(x, y)`
# do arquivo `i`, cada um como tensor **0-d** (um número só, `shape == ()`) de tipo
# `torch.float32`.
#
# Dicas: `os.listdir`, `os.path.join`, `np.loadtxt`; `torch.tensor(v, dtype=torch.float32)`
# converte um número. Você pode ler o arquivo dentro de `__getitem__` (o jeito habitual quando
# os dados não cabem na memória) ou tudo de uma vez no `__init__`. Um ponto confere as amostras
# e seus tipos (valores iguais aos dos arquivos, arredondados para `float32`); o outro, a ordem.

# %% [markdown] lang="es"
# ### Ejercicio 3 — `class LinearData(Dataset)` (2 puntos)
#
# Completa los tres métodos de la clase: `LinearData(dataset_dir)` tiene una muestra por archivo
# de `dataset_dir`, con los archivos en el orden de los nombres (`sorted`, el orden alfabético,
# aunque difiera del numérico); `len(dataset)` es el número de archivos; `dataset[i]` devuelve
# `(x, y)` del archivo `i`, cada uno como tensor **0-d** (un único número, `shape == ()`) de tipo
# `torch.float32`.
#
# Pistas: `os.listdir`, `os.path.join`, `np.loadtxt`; `torch.tensor(v, dtype=torch.float32)`
# convierte un número. Puedes leer el archivo dentro de `__getitem__` (lo habitual cuando los
# datos no caben en memoria) o todo de una vez en el `__init__`. Un punto revisa las muestras y
# sus tipos (valores iguales a los de los archivos, redondeados a `float32`); el otro, el orden.

# %% nbgrader={"grade_id": "LinearData", "solution": true}
class LinearData(Dataset):
    def __init__(self, dataset_dir):
        ### BEGIN SOLUTION
        self.files = [os.path.join(dataset_dir, name) for name in sorted(os.listdir(dataset_dir))]
        ### END SOLUTION

    def __len__(self):
        ### BEGIN SOLUTION
        return len(self.files)
        ### END SOLUTION

    def __getitem__(self, i):
        ### BEGIN SOLUTION
        x, y = np.loadtxt(self.files[i])
        return torch.tensor(x, dtype=torch.float32), torch.tensor(y, dtype=torch.float32)
        ### END SOLUTION

# %% nbgrader={"grade_id": "test_LinearData_items", "grade": true, "points": 1}
check("len(dataset)", lambda: len(LinearData(data_dir)), 100)
check("dataset[7]", lambda: [v.item() for v in LinearData(data_dir)[7]],
      [x_data[7].item(), y_data[7].item()])
check("dataset[7][0].dtype", lambda: str(LinearData(data_dir)[7][0].dtype), "torch.float32")
check("dataset[7][0].shape", lambda: str(tuple(LinearData(data_dir)[7][0].shape)), "()")
### BEGIN HIDDEN TESTS
from course.lessons import load_checks
hidden_checks = load_checks("05_linear_regression")
hidden_checks.check_LinearData_items(LinearData, LANG)
### END HIDDEN TESTS

# %% nbgrader={"grade_id": "test_LinearData_order", "grade": true, "points": 1}
with tempfile.TemporaryDirectory() as tiny_dir:
    for name, line in [("sample_2.txt", "2 20"), ("sample_10.txt", "10 100"),
                       ("sample_1.txt", "1 10")]:
        with open(os.path.join(tiny_dir, name), "w") as fh:
            fh.write(line + "\n")
    check("[dataset[i][0] for i]", lambda: [item[0].item() for item in LinearData(tiny_dir)],
          [1.0, 10.0, 2.0])
### BEGIN HIDDEN TESTS
from course.lessons import load_checks
hidden_checks = load_checks("05_linear_regression")
hidden_checks.check_LinearData_order(LinearData, LANG)
### END HIDDEN TESTS

# %% [markdown] lang="pt"
# As próximas seções usam o `dataset` dos nossos arquivos. Enquanto o exercício 3 não tem
# resposta, a célula abaixo usa no lugar dele um `TensorDataset(x_data, y_data)`, o `Dataset`
# pronto do PyTorch para tensores que já estão na memória: as mesmas 100 amostras, na mesma
# ordem e com os mesmos valores, então nada do que vem depois muda.

# %% [markdown] lang="es"
# Las secciones siguientes usan el `dataset` de nuestros archivos. Mientras el ejercicio 3 no
# tenga respuesta, la celda de abajo usa en su lugar un `TensorDataset(x_data, y_data)`, el
# `Dataset` listo de PyTorch para tensores que ya están en memoria: las mismas 100 muestras, en el
# mismo orden y con los mismos valores, así que nada de lo que sigue cambia.

# %%
try:
    dataset = LinearData(data_dir)
except NotImplementedError:
    dataset = TensorDataset(x_data, y_data)
    print(lang_text("⏳ Exercício 3 sem resposta: por enquanto, dataset = TensorDataset(x_data, "
                    "y_data).",
                    "⏳ Ejercicio 3 sin respuesta: por ahora, dataset = TensorDataset(x_data, "
                    "y_data)."))
print(type(dataset).__name__, len(dataset), dataset[0])

# %% [markdown] lang="pt"
# ## 6. `nn.Module` e `nn.Parameter`
#
# Um modelo do PyTorch é uma subclasse de `torch.nn.Module`: o `__init__` cria os parâmetros e
# `forward(x)` calcula a saída; `model(x)` chama `forward` (e mais algumas coisas, como os
# *hooks*).
#
# O detalhe importante é **como** guardar os parâmetros. Um `nn.Parameter` é um tensor que
# pede gradiente e que, ao ser atribuído como atributo (`self.a = nn.Parameter(...)`), é
# **registrado** pelo módulo. A partir daí ele aparece em `model.parameters()` (que é o que se
# entrega ao otimizador), em `model.named_parameters()` e no `state_dict()` (o que se salva em
# disco), e é levado junto por `model.to(device)`. Um tensor comum, mesmo com
# `requires_grad=True`, fica invisível para tudo isso:

# %% [markdown] lang="es"
# ## 6. `nn.Module` y `nn.Parameter`
#
# Un modelo de PyTorch es una subclase de `torch.nn.Module`: el `__init__` crea los parámetros y
# `forward(x)` calcula la salida; `model(x)` llama a `forward` (y a algunas cosas más, como los
# *hooks*).
#
# El detalle importante es **cómo** guardar los parámetros. Un `nn.Parameter` es un tensor que
# pide gradiente y que, al asignarse como atributo (`self.a = nn.Parameter(...)`), queda
# **registrado** en el módulo. Desde ahí aparece en `model.parameters()` (lo que se le entrega al
# optimizador), en `model.named_parameters()` y en el `state_dict()` (lo que se guarda en disco),
# y se mueve junto con `model.to(device)`. Un tensor común, aunque tenga `requires_grad=True`,
# es invisible para todo eso:

# %%
class Forgetful(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = torch.randn(1, requires_grad=True)
        self.b = torch.randn(1, requires_grad=True)

    def forward(self, x):
        return self.a * x + self.b


# %%
print("list(Forgetful().parameters()) =", list(Forgetful().parameters()))
try:
    torch.optim.SGD(Forgetful().parameters(), lr=0.1)
except ValueError:
    print(lang_text("ValueError: o otimizador recusou uma lista de parâmetros vazia",
                    "ValueError: el optimizador rechazó una lista de parámetros vacía"))

# %% [markdown] lang="pt"
# A lista de parâmetros sai vazia, e um otimizador criado com ela nem chega a existir: o
# PyTorch recusa uma lista vazia (`ValueError`). Pior seria um modelo com alguns parâmetros
# registrados e outros não: o treino rodaria sem erro, mas só parte do modelo aprenderia.
#
# ### Exercício 4 — `class LinearModel(nn.Module)` (2 pontos)
#
# Complete os dois métodos: no `__init__`, chame `super().__init__()` e crie os parâmetros `a`
# e `b`, cada um um `nn.Parameter` de formato `(1,)` (comece com valores aleatórios,
# `torch.randn(1)`); `forward(x)` devolve `a * x + b`. Um ponto confere o registro dos
# parâmetros; o outro, o `forward` (inclusive depois de `.to(device)`), com erro relativo de até
# $10^{-5}$.

# %% [markdown] lang="es"
# La lista de parámetros sale vacía, y un optimizador creado con ella ni siquiera llega a
# existir: PyTorch rechaza una lista vacía (`ValueError`). Peor sería un modelo con algunos
# parámetros registrados y otros no: el entrenamiento correría sin errores, pero solo aprendería
# una parte del modelo.
#
# ### Ejercicio 4 — `class LinearModel(nn.Module)` (2 puntos)
#
# Completa los dos métodos: en el `__init__`, llama a `super().__init__()` y crea los parámetros
# `a` y `b`, cada uno un `nn.Parameter` de forma `(1,)` (empieza con valores aleatorios,
# `torch.randn(1)`); `forward(x)` devuelve `a * x + b`. Un punto revisa el registro de los
# parámetros; el otro, el `forward` (también después de `.to(device)`), con un error relativo de
# hasta $10^{-5}$.

# %% nbgrader={"grade_id": "LinearModel", "solution": true}
class LinearModel(nn.Module):
    def __init__(self):
        ### BEGIN SOLUTION
        super().__init__()
        self.a = nn.Parameter(torch.randn(1))
        self.b = nn.Parameter(torch.randn(1))
        ### END SOLUTION

    def forward(self, x):
        ### BEGIN SOLUTION
        return self.a * x + self.b
        ### END SOLUTION

# %% nbgrader={"grade_id": "test_LinearModel_parameters", "grade": true, "points": 1}
check("named_parameters()", lambda: [name for name, _ in LinearModel().named_parameters()],
      ["a", "b"])
check("[p.shape for p in parameters()]",
      lambda: [str(tuple(p.shape)) for p in LinearModel().parameters()], ["(1,)", "(1,)"])
### BEGIN HIDDEN TESTS
from course.lessons import load_checks
hidden_checks = load_checks("05_linear_regression")
hidden_checks.check_LinearModel_parameters(LinearModel, LANG)
### END HIDDEN TESTS

# %% nbgrader={"grade_id": "test_LinearModel_forward", "grade": true, "points": 1}
def model_forward_chk():
    model = LinearModel()
    with torch.no_grad():
        model.a.fill_(2.0)
        model.b.fill_(-1.0)
    return model(torch.tensor([0.0, 1.0, 2.0]))


check("model(x), a = 2, b = -1", model_forward_chk, [-1.0, 1.0, 3.0])
### BEGIN HIDDEN TESTS
from course.lessons import load_checks
hidden_checks = load_checks("05_linear_regression")
hidden_checks.check_LinearModel_forward(LinearModel, LANG)
### END HIDDEN TESTS

# %%
torch.manual_seed(1)
try:
    model = LinearModel()
    print("named_parameters:", [(name, tuple(p.shape)) for name, p in model.named_parameters()])
    print("state_dict:", dict(model.state_dict()))
except NotImplementedError:
    print(lang_text("⏳ Responda o exercício 4 (LinearModel) para ver aqui os parâmetros "
                    "registrados.",
                    "⏳ Responde el ejercicio 4 (LinearModel) para ver aquí los parámetros "
                    "registrados."))

# %% [markdown] lang="pt"
# O PyTorch já traz essa reta pronta: `nn.Linear(1, 1)` tem um peso `weight` de formato
# `(1, 1)` e um viés `bias` de formato `(1,)`, e espera entradas de formato `(N, 1)`, uma
# linha por amostra (daí o `x_data[:, None]`). A verificação do exercício 7 usa essa camada, e
# não a sua `LinearModel`, para que os pontos de um exercício não dependam de outro.

# %% [markdown] lang="es"
# PyTorch ya trae esta recta lista: `nn.Linear(1, 1)` tiene un peso `weight` de forma `(1, 1)` y
# un sesgo `bias` de forma `(1,)`, y espera entradas de forma `(N, 1)`, una fila por muestra (de
# ahí el `x_data[:, None]`). La verificación del ejercicio 7 usa esta capa, y no tu
# `LinearModel`, para que los puntos de un ejercicio no dependan de otro.

# %%
torch.manual_seed(1)
line = nn.Linear(1, 1)
print("named_parameters:", [(name, tuple(p.shape)) for name, p in line.named_parameters()])
print("line(x_data[:, None]).shape =", tuple(line(x_data[:, None]).shape))

# %% [markdown] lang="pt"
# ## 7. `DataLoader`: minilotes
#
# O `DataLoader` percorre o `Dataset` e entrega **lotes** (*batches*): pede `dataset[i]` para
# os índices de um lote e empilha os resultados (os pares de tensores 0-d viram dois tensores
# de formato `(batch_size,)`). Dois argumentos decidem como o treino anda:
#
# * `batch_size`: quantas amostras entram em cada passo do otimizador. Com `batch_size=1`, cada
#   passo usa uma única amostra (muitos passos, gradiente muito ruidoso); com o conjunto de
#   dados inteiro temos o lote completo do `fit_by_hand` (um passo por época, gradiente exato).
#   Os **minilotes** (aqui, 10 amostras) ficam no meio: vários passos por época, cada um com uma
#   estimativa razoável do gradiente. Se o número de amostras não é múltiplo de `batch_size`, o
#   último lote sai menor (`drop_last=True` o descarta).
# * `shuffle=True`: a cada época, uma nova ordem aleatória. Sem isso, os lotes seriam sempre os
#   mesmos e na mesma ordem, e aqui seria pior ainda: os arquivos estão em ordem de $x$, então o
#   primeiro lote teria só os $x$ mais negativos. Compare:

# %% [markdown] lang="es"
# ## 7. `DataLoader`: minilotes
#
# El `DataLoader` recorre el `Dataset` y entrega **lotes** (*batches*): pide `dataset[i]` para
# los índices de un lote y apila los resultados (los pares de tensores 0-d se convierten en dos
# tensores de forma `(batch_size,)`). Dos argumentos deciden cómo avanza el entrenamiento:
#
# * `batch_size`: cuántas muestras entran en cada paso del optimizador. Con `batch_size=1`, cada
#   paso usa una sola muestra (muchos pasos, gradiente muy ruidoso); con el conjunto de datos
#   entero tenemos el lote completo de `fit_by_hand` (un paso por época, gradiente exacto). Los
#   **minilotes** (aquí, de 10 muestras) quedan en el medio: varios pasos por época, cada uno con
#   una estimación razonable del gradiente. Si el número de muestras no es múltiplo de
#   `batch_size`, el último lote sale más chico (`drop_last=True` lo descarta).
# * `shuffle=True`: en cada época, un orden aleatorio nuevo. Sin eso, los lotes serían siempre
#   los mismos y en el mismo orden, y aquí sería peor todavía: los archivos están en orden de
#   $x$, así que el primer lote tendría solo los $x$ más negativos. Compara:

# %%
for shuffle in (False, True):
    torch.manual_seed(2)
    xb, yb = next(iter(DataLoader(dataset, batch_size=10, shuffle=shuffle)))
    print(f"shuffle={shuffle!s:5s} xb: {tuple(xb.shape)} {xb.dtype}",
          "| x =", [round(v, 2) for v in xb.tolist()])
print("len(DataLoader(dataset, batch_size=10)) =", len(DataLoader(dataset, batch_size=10)))

# %% [markdown] lang="pt"
# ### Exercício 5 — múltipla escolha (1 ponto)
#
# Atribua a letra da alternativa a `answer_batches`, por exemplo `answer_batches = "a"`.
#
# Com as 100 amostras de `dataset` e `DataLoader(dataset, batch_size=32, shuffle=True)`, quantas
# vezes `optimizer.step()` é chamado numa época do laço de treino (um passo por lote), e como são
# os lotes?
#
# * (a) 3 passos de 32 amostras; as 4 que sobram ficam de fora da época.
# * (b) 4 passos; três lotes de 32 amostras e um último lote de 4.
# * (c) 4 passos de 25 amostras; o `DataLoader` reparte tudo por igual.
# * (d) 32 passos de 3 ou 4 amostras; `batch_size` é o número de lotes.

# %% [markdown] lang="es"
# ### Ejercicio 5 — opción múltiple (1 punto)
#
# Asigna la letra de la opción a `answer_batches`, por ejemplo `answer_batches = "a"`.
#
# Con las 100 muestras de `dataset` y `DataLoader(dataset, batch_size=32, shuffle=True)`,
# ¿cuántas veces se llama a `optimizer.step()` en una época del ciclo de entrenamiento (un paso
# por lote), y cómo son los lotes?
#
# * (a) 3 pasos de 32 muestras; las 4 que sobran quedan fuera de la época.
# * (b) 4 pasos; tres lotes de 32 muestras y un último lote de 4.
# * (c) 4 pasos de 25 muestras; el `DataLoader` reparte todo por igual.
# * (d) 32 pasos de 3 o 4 muestras; `batch_size` es el número de lotes.

# %% nbgrader={"grade_id": "answer_batches", "solution": true}
### BEGIN SOLUTION
answer_batches = "b"
### END SOLUTION

# %% nbgrader={"grade_id": "test_batches", "grade": true, "points": 1}
check_choice("answer_batches", answer_batches)
### BEGIN HIDDEN TESTS
from course.lessons import load_checks
hidden_checks = load_checks("05_linear_regression")
hidden_checks.check_batches(answer_batches, LANG)
### END HIDDEN TESTS

# %% [markdown] lang="pt"
# ## 8. CPU ou GPU: modelo e dados no mesmo dispositivo
#
# Uma operação entre tensores só roda se todos estiverem no **mesmo dispositivo**. Há duas
# formas de `.to(device)`, e elas se comportam de modo diferente:
#
# * `model.to(device)` move os parâmetros **do próprio modelo** (e devolve o mesmo modelo). Só
#   os parâmetros registrados vão junto: mais um motivo para usar `nn.Parameter`. Crie o
#   otimizador depois de mover o modelo.
# * `t.to(device)` devolve uma **cópia** no outro dispositivo; `t` continua onde estava. Por
#   isso se escreve `xb = xb.to(device)`.
#
# O `Dataset` devolve tensores na CPU, então, no treino, cada lote precisa ir para o
# dispositivo do modelo, que se descobre com `next(model.parameters()).device`. Se você
# esquecer, com o modelo na GPU e o lote na CPU, `model(xb)` falha com
#
# `RuntimeError: Expected all tensors to be on the same device, but found at least two devices, cuda:0 and cpu!`
#
# (em português: todos os tensores deveriam estar no mesmo dispositivo, mas há pelo menos
# dois). O PyTorch não copia nada sozinho entre CPU e GPU (a cópia é lenta, e ele prefere que
# você a veja no código). A exceção são tensores 0-d na CPU, aceitos como se fossem números. A
# célula abaixo provoca o erro quando há GPU (CUDA ou `mps`); sem GPU, ela só mostra onde estão
# modelo e lote (tudo na CPU, sem erro possível). No Colab, escolha um ambiente com GPU para
# ver o erro.

# %% [markdown] lang="es"
# ## 8. CPU o GPU: modelo y datos en el mismo dispositivo
#
# Una operación entre tensores solo se ejecuta si todos están en el **mismo dispositivo**. Hay
# dos formas de `.to(device)`, y se comportan distinto:
#
# * `model.to(device)` mueve los parámetros **del propio modelo** (y devuelve el mismo modelo).
#   Solo los parámetros registrados se mueven: otro motivo para usar `nn.Parameter`. Crea el
#   optimizador después de mover el modelo.
# * `t.to(device)` devuelve una **copia** en el otro dispositivo; `t` sigue donde estaba. Por
#   eso se escribe `xb = xb.to(device)`.
#
# El `Dataset` devuelve tensores en la CPU, así que, al entrenar, cada lote tiene que ir al
# dispositivo del modelo, que se averigua con `next(model.parameters()).device`. Si te olvidas,
# con el modelo en la GPU y el lote en la CPU, `model(xb)` falla con
#
# `RuntimeError: Expected all tensors to be on the same device, but found at least two devices, cuda:0 and cpu!`
#
# (en español: todos los tensores deberían estar en el mismo dispositivo, pero hay al menos
# dos). PyTorch no copia nada por su cuenta entre CPU y GPU (la copia es lenta, y prefiere que la
# veas en el código). La excepción son los tensores 0-d en la CPU, que se aceptan como si fueran
# números. La celda de abajo provoca el error cuando hay GPU (CUDA o `mps`); sin GPU, solo
# muestra dónde están el modelo y el lote (todo en la CPU, sin error posible). En Colab, elige un
# entorno con GPU para ver el error.

# %%
line = line.to(device)
xb, yb = next(iter(DataLoader(dataset, batch_size=10)))
print("line:", next(line.parameters()).device, "| xb:", xb.device)
if device != "cpu":
    try:
        line(xb[:, None])
    except RuntimeError:
        print(lang_text("RuntimeError: modelo e lote em dispositivos diferentes",
                        "RuntimeError: modelo y lote en dispositivos distintos"))
    print("line(xb[:, None].to(device))[:3] =", line(xb[:, None].to(device))[:3].tolist())
else:
    print("torch.cuda.is_available() =", torch.cuda.is_available())

# %% [markdown] lang="pt"
# ### Exercício 6 — múltipla escolha (1 ponto)
#
# Atribua a letra da alternativa a `answer_device`. Numa máquina com GPU, o modelo está na GPU
# e o `loader` entrega lotes na CPU:
#
# ```python
# device = next(model.parameters()).device  # cuda:0
# for xb, yb in loader:                      # xb, yb na CPU
#     ...                                    # <- qual linha vai aqui?
#     loss = loss_fn(model(xb), yb)
# ```
#
# Qual linha, no lugar do `...`, faz o laço rodar na GPU sem erro?
#
# * (a) `xb.to(device)` e `yb.to(device)`, sem atribuir o resultado.
# * (b) `xb, yb = xb.to(device), yb.to(device)`, os dois reatribuídos.
# * (c) `xb = xb.to(device)`; `yb` fica na CPU, pois não entra no modelo.
# * (d) `model = model.to(device)` de novo, antes de cada *forward*.

# %% [markdown] lang="es"
# ### Ejercicio 6 — opción múltiple (1 punto)
#
# Asigna la letra de la opción a `answer_device`. En una máquina con GPU, el modelo está en la
# GPU y el `loader` entrega lotes en la CPU:
#
# ```python
# device = next(model.parameters()).device  # cuda:0
# for xb, yb in loader:                      # xb, yb en la CPU
#     ...                                    # <- ¿qué línea va aquí?
#     loss = loss_fn(model(xb), yb)
# ```
#
# ¿Qué línea, en lugar del `...`, hace que el ciclo corra en la GPU sin error?
#
# * (a) `xb.to(device)` e `yb.to(device)`, sin asignar el resultado.
# * (b) `xb, yb = xb.to(device), yb.to(device)`, los dos reasignados.
# * (c) `xb = xb.to(device)`; `yb` queda en la CPU, porque no entra al modelo.
# * (d) `model = model.to(device)` otra vez, antes de cada *forward*.

# %% nbgrader={"grade_id": "answer_device", "solution": true}
### BEGIN SOLUTION
answer_device = "b"
### END SOLUTION

# %% nbgrader={"grade_id": "test_device", "grade": true, "points": 1}
check_choice("answer_device", answer_device)
### BEGIN HIDDEN TESTS
from course.lessons import load_checks
hidden_checks = load_checks("05_linear_regression")
hidden_checks.check_device(answer_device, LANG)
### END HIDDEN TESTS

# %% [markdown] lang="pt"
# ## 9. O laço de treino
#
# Com as peças prontas, o treino é sempre o mesmo laço, em qualquer projeto. Para cada época,
# para cada lote `(xb, yb)` do `loader`:
#
# 1. leve `xb` e `yb` para o dispositivo do modelo;
# 2. `optimizer.zero_grad()`: limpa o `.grad` de todos os parâmetros que o otimizador recebeu
#    (por padrão, põe `None`);
# 3. *forward*: `loss = loss_fn(model(xb), yb)`;
# 4. `loss.backward()`;
# 5. `optimizer.step()`: para o `SGD` sem *momentum*, exatamente o nosso `p -= lr * p.grad` sob
#    `no_grad`, para cada parâmetro.
#
# `nn.MSELoss()` calcula a média dos erros ao quadrado do lote, a mesma perda do
# `fit_by_hand`. O modelo, o otimizador e a função de perda são objetos criados fora do laço e
# **recebidos** por ele: assim o mesmo `train` serve para qualquer modelo, otimizador e perda.
#
# ### Exercício 7 — `train(model, loader, optimizer, loss_fn, epochs)` (3 pontos)
#
# Implemente o laço acima com os objetos recebidos (não crie outro otimizador nem outra perda,
# e não use `model.a` ou `model.b`: `train` deve servir para qualquer `nn.Module`) e devolva uma
# lista com `epochs` floats: para cada época, a **média simples das perdas dos lotes** daquela
# época (some `loss.item()` de cada lote e divida pelo número de lotes; todos os lotes pesam
# igual, mesmo um último lote menor). A perda de cada lote é a do seu *forward*, antes do
# `optimizer.step()`. A correção usa `SGD` com e sem *momentum*, `MSELoss` e `L1Loss`, um
# `nn.Linear` e uma reta com `a` e `b`, e compara com erro relativo de até $10^{-5}$.

# %% [markdown] lang="es"
# ## 9. El ciclo de entrenamiento
#
# Con las piezas listas, entrenar es siempre el mismo ciclo, en cualquier proyecto. Para cada
# época, para cada lote `(xb, yb)` del `loader`:
#
# 1. lleva `xb` e `yb` al dispositivo del modelo;
# 2. `optimizer.zero_grad()`: limpia el `.grad` de todos los parámetros que recibió el
#    optimizador (por defecto, lo deja en `None`);
# 3. *forward*: `loss = loss_fn(model(xb), yb)`;
# 4. `loss.backward()`;
# 5. `optimizer.step()`: para `SGD` sin *momentum*, exactamente nuestro `p -= lr * p.grad` bajo
#    `no_grad`, para cada parámetro.
#
# `nn.MSELoss()` calcula la media de los errores al cuadrado del lote, la misma pérdida de
# `fit_by_hand`. El modelo, el optimizador y la función de pérdida son objetos creados fuera del
# ciclo y **recibidos** por él: así el mismo `train` sirve para cualquier modelo, optimizador y
# pérdida.
#
# ### Ejercicio 7 — `train(model, loader, optimizer, loss_fn, epochs)` (3 puntos)
#
# Implementa el ciclo de arriba con los objetos recibidos (no crees otro optimizador ni otra
# pérdida, y no uses `model.a` ni `model.b`: `train` debe servir para cualquier `nn.Module`) y
# devuelve una lista con `epochs` floats: para cada época, la **media simple de las pérdidas de
# los lotes** de esa época (suma `loss.item()` de cada lote y divide por el número de lotes;
# todos los lotes pesan igual, aunque el último sea más chico). La pérdida de cada lote es la de
# su *forward*, antes de `optimizer.step()`. La corrección usa `SGD` con y sin *momentum*,
# `MSELoss` y `L1Loss`, un `nn.Linear` y una recta con `a` y `b`, y compara con un error relativo
# de hasta $10^{-5}$.

# %% nbgrader={"grade_id": "train", "solution": true}
def train(model, loader, optimizer, loss_fn, epochs):
    ### BEGIN SOLUTION
    model_device = next(model.parameters()).device
    history = []
    for _ in range(epochs):
        batch_losses = []
        for xb, yb in loader:
            xb, yb = xb.to(model_device), yb.to(model_device)
            optimizer.zero_grad()
            loss = loss_fn(model(xb), yb)
            loss.backward()
            optimizer.step()
            batch_losses.append(loss.item())
        history.append(sum(batch_losses) / len(batch_losses))
    return history
    ### END SOLUTION

# %% nbgrader={"grade_id": "test_train", "grade": true, "points": 3}
torch.manual_seed(3)
model_chk = nn.Linear(1, 1).to(device)
loader_chk = DataLoader(TensorDataset(x_data[:, None], y_data[:, None]), batch_size=25)
with torch.no_grad():
    full_mse_chk = nn.MSELoss()(model_chk(x_data[:, None].to(device)),
                                y_data[:, None].to(device)).item()
check("train(..., lr=0.0, epochs=2)",
      lambda: train(model_chk, loader_chk, torch.optim.SGD(model_chk.parameters(), lr=0.0),
                    nn.MSELoss(), 2), [full_mse_chk, full_mse_chk], tol=1e-5)
check("kind_of(history[0])",
      lambda: kind_of(train(model_chk, loader_chk, torch.optim.SGD(model_chk.parameters(), lr=0.0),
                            nn.MSELoss(), 1)[0]), "float")


def descends_chk():
    history = train(model_chk, loader_chk, torch.optim.SGD(model_chk.parameters(), lr=0.01),
                    nn.MSELoss(), 3)
    return history[-1] < history[0]


check("history[-1] < history[0], lr=0.01", descends_chk, True)
### BEGIN HIDDEN TESTS
from course.lessons import load_checks
hidden_checks = load_checks("05_linear_regression")
hidden_checks.check_train(train, LANG)
### END HIDDEN TESTS

# %% [markdown] lang="pt"
# A verificação monta um modelo próprio (`nn.Linear`) e dados próprios (`TensorDataset`), sem
# usar os exercícios 3 e 4. Com `lr=0.0` os parâmetros não mudam, e a média das perdas dos 4
# lotes de 25 amostras é a MSE dos 100 pontos: é isso que a primeira verificação usa.
#
# Agora o treino de verdade, com as suas peças: uma `LinearModel` nova no `device`, o `dataset`,
# minilotes de 10 amostras embaralhados, `SGD` com `lr=1e-2` e 20 épocas, isto é, 200 passos do
# otimizador.

# %% [markdown] lang="es"
# La verificación arma su propio modelo (`nn.Linear`) y sus propios datos (`TensorDataset`), sin
# usar los ejercicios 3 y 4. Con `lr=0.0` los parámetros no cambian, y la media de las pérdidas
# de los 4 lotes de 25 muestras es el MSE de los 100 puntos: eso usa la primera verificación.
#
# Ahora el entrenamiento de verdad, con tus piezas: un `LinearModel` nuevo en el `device`, el
# `dataset`, minilotes de 10 muestras mezclados, `SGD` con `lr=1e-2` y 20 épocas, es decir, 200
# pasos del optimizador.

# %%
try:
    torch.manual_seed(1)
    model = LinearModel().to(device)
    a_init, b_init = model.a.item(), model.b.item()
    optimizer = torch.optim.SGD(model.parameters(), lr=1e-2)
    loss_fn = nn.MSELoss()
    loader = DataLoader(dataset, batch_size=10, shuffle=True)
    history = train(model, loader, optimizer, loss_fn, epochs=20)
    a_sgd, b_sgd = model.a.item(), model.b.item()
except NotImplementedError:
    history = None
    print(lang_text("⏳ Responda os exercícios 4 (LinearModel) e 7 (train) para ver aqui o "
                    "treino com minilotes.",
                    "⏳ Responde los ejercicios 4 (LinearModel) y 7 (train) para ver aquí el "
                    "entrenamiento con minilotes."))

if history is not None:
    rows = {"a_init, b_init": (a_init, b_init), "a_sgd, b_sgd": (a_sgd, b_sgd)}
    if a_hand is not None:
        rows["a_hand, b_hand"] = (a_hand, b_hand)
    rows.update({"a_ls, b_ls": (a_ls, b_ls), "a_true, b_true": (a_true, b_true)})
    print(f"{'':18s} {'a':>8s} {'b':>8s} {'mse':>8s}")
    for name, (a_, b_) in rows.items():
        print(f"{name:18s} {a_:8.4f} {b_:8.4f} {mse(a_, b_):8.4f}")

    fig, (ax_loss, ax_fit) = plt.subplots(1, 2, figsize=(12, 4))
    ax_loss.plot(range(1, 21), history, "o-",
                 label=lang_text("train(...): 10 passos por época",
                                 "train(...): 10 pasos por época"))
    if losses_hand is not None:
        ax_loss.plot(range(1, 21), losses_hand[:20], "s-",
                     label=lang_text("fit_by_hand: 1 passo por época",
                                     "fit_by_hand: 1 paso por época"))
    ax_loss.axhline(mse(a_ls, b_ls), color="gray", ls="--", label="mse(a_ls, b_ls)")
    ax_loss.set_yscale("log")
    ax_loss.set_xlabel(lang_text("época", "época"))
    ax_loss.set_ylabel("MSE")
    ax_loss.legend()
    ax_fit.scatter(x_data, y_data, s=12, color="tab:green", label="(x, y)")
    ax_fit.plot(x_data, a_init * x_data + b_init, color="gray", ls=":",
                label=lang_text("LinearModel() inicial", "LinearModel() inicial"))
    ax_fit.plot(x_data, a_sgd * x_data + b_sgd, color="tab:red",
                label=f"train(...): y = {a_sgd:.2f}x {b_sgd:+.2f}")
    ax_fit.set_xlabel("x")
    ax_fit.set_ylabel("y")
    ax_fit.legend()
    plt.show()

# %% [markdown] lang="pt"
# Os números a observar (na CPU; na GPU podem variar na última casa decimal):
#
# * **Por época**, os minilotes avançam muito mais rápido que o lote completo: cada época de
#   `train` dá 10 passos, contra 1 do `fit_by_hand`. Depois de 20 épocas, a perda média de
#   `train` já está perto de $1{,}06$, enquanto a do `fit_by_hand` ainda está em torno de $2{,}9$.
# * O ponto final do SGD, $a \approx 3{,}02$ e $b \approx -1{,}92$, fica perto da solução exata,
#   mas não em cima dela, e sua MSE ($1{,}0554$) fica um pouco acima do mínimo $1{,}0495$. Com
#   `lr` constante, cada passo segue o gradiente de **um lote**, uma estimativa ruidosa do
#   gradiente completo, e os parâmetros ficam oscilando em volta do mínimo. Na prática,
#   reduz-se o `lr` ao longo do treino (os *schedulers* de `torch.optim.lr_scheduler`).
# * A curva de `train` é a média das perdas **durante** a época, com os parâmetros mudando a
#   cada lote; por isso o último valor não é exatamente a MSE do modelo final.

# %% [markdown] lang="es"
# Los números a observar (en la CPU; en la GPU pueden variar en el último decimal):
#
# * **Por época**, los minilotes avanzan mucho más rápido que el lote completo: cada época de
#   `train` da 10 pasos, contra 1 de `fit_by_hand`. Después de 20 épocas, la pérdida media de
#   `train` ya está cerca de $1.06$, mientras que la de `fit_by_hand` todavía anda por $2.9$.
# * El punto final de SGD, $a \approx 3.02$ y $b \approx -1.92$, queda cerca de la solución
#   exacta, pero no encima, y su MSE ($1.0554$) queda un poco por encima del mínimo $1.0495$. Con
#   `lr` constante, cada paso sigue el gradiente de **un lote**, una estimación ruidosa del
#   gradiente completo, y los parámetros quedan oscilando alrededor del mínimo. En la práctica
#   se reduce el `lr` a lo largo del entrenamiento (los *schedulers* de
#   `torch.optim.lr_scheduler`).
# * La curva de `train` es la media de las pérdidas **durante** la época, con los parámetros
#   cambiando en cada lote; por eso el último valor no es exactamente el MSE del modelo final.

# %% [markdown] lang="pt"
# ### Exercício 8 — resposta escrita (2 pontos, corrigida pelo professor)
#
# Em poucas linhas: por que a MSE de treino para perto de $1{,}05$ e não chega a 0, mesmo com o
# modelo certo? Que valor você esperaria se o ruído tivesse desvio padrão $0{,}5$? E por que a
# MSE da solução de mínimos quadrados fica um pouco **abaixo** da MSE dos parâmetros verdadeiros
# $a = 3$, $b = -2$?

# %% [markdown] lang="es"
# ### Ejercicio 8 — respuesta escrita (2 puntos, la corrige el docente)
#
# En pocas líneas: ¿por qué el MSE de entrenamiento se queda cerca de $1.05$ y no llega a 0,
# aun con el modelo correcto? ¿Qué valor esperarías si el ruido tuviera desviación estándar
# $0.5$? ¿Y por qué el MSE de la solución de mínimos cuadrados queda un poco **por debajo** del
# MSE de los parámetros verdaderos $a = 3$, $b = -2$?

# %% [markdown] lang="pt" nbgrader={"grade_id": "explain_loss_floor", "solution": true, "grade": true, "points": 2}
# Os dados são $y = 3x - 2 + \varepsilon$: mesmo a reta verdadeira erra cada ponto exatamente
# pelo ruído $\varepsilon_i$, que nenhum modelo pode prever. A MSE dela é a média de
# $\varepsilon_i^2$, que estima a variância do ruído, $\sigma^2 = 1$; com desvio padrão $0{,}5$
# esperaríamos cerca de $0{,}25$. A solução de mínimos quadrados minimiza a MSE *nestas* 100
# amostras: como a verdade é só um dos candidatos, o mínimo é menor ou igual à perda dela. Com
# dados finitos, o ajuste absorve um pouco do ruído ($a$ e $b$ se afastam um pouco de 3 e −2);
# com mais amostras a diferença diminui.

# %% [markdown] lang="es" nbgrader={"grade_id": "explain_loss_floor", "solution": true, "grade": true, "points": 2}
# Los datos son $y = 3x - 2 + \varepsilon$: hasta la recta verdadera se equivoca en cada punto
# exactamente por el ruido $\varepsilon_i$, que ningún modelo puede predecir. Su MSE es la media
# de $\varepsilon_i^2$, que estima la varianza del ruido, $\sigma^2 = 1$; con desviación estándar
# $0.5$ esperaríamos alrededor de $0.25$. La solución de mínimos cuadrados minimiza el MSE *en
# estas* 100 muestras: como la verdad es solo uno de los candidatos, el mínimo es menor o igual
# que su pérdida. Con datos finitos el ajuste absorbe un poco del ruido ($a$ y $b$ se alejan un
# poco de 3 y −2); con más muestras la diferencia se achica.

# %% [markdown] lang="pt"
# ## 10. Explore: mova um ponto dos dados
#
# Quanto um único ponto puxa a reta? Os controles deslizantes escolhem uma amostra (`i`, de 0 a
# 99) e a nova altura dela (`y_i`); a figura refaz dois ajustes com o ponto movido: a solução
# exata de mínimos quadrados e um SGD como o da seção 9 (minilotes de 10, `lr=1e-2`, 20 épocas,
# sempre a mesma ordem aleatória), mas começando em $a = b = 0$ e escrito aqui com tensores, sem
# as suas respostas. A reta cinza tracejada é o ajuste exato dos dados originais, e o círculo
# vazio marca onde o ponto estava.
#
# Com $\bar x = 0$, a solução exata tem uma forma simples: $a = \sum_i x_i y_i / \sum_i x_i^2$ e
# $b = \bar y$. Mover $y_i$ de $\Delta$ muda $b$ em $\Delta/N = 0{,}01\,\Delta$ para qualquer
# ponto, mas muda $a$ em $x_i \Delta / \sum_j x_j^2$, que depende de **onde** o ponto está: nas
# pontas ($x_i = \pm 5$, com $\sum_j x_j^2 = 850$) são $\pm 0{,}0059\,\Delta$, e no meio quase
# nada. Experimente: arraste o último ponto ($i = 99$) para baixo e depois um ponto do meio
# ($i = 50$); compare também o SGD com a solução exata.

# %% [markdown] lang="es"
# ## 10. Explora: mueve un punto de los datos
#
# ¿Cuánto tira un solo punto de la recta? Los controles deslizantes eligen una muestra (`i`, de
# 0 a 99) y su nueva altura (`y_i`); la figura rehace dos ajustes con el punto movido: la
# solución exacta de mínimos cuadrados y un SGD como el de la sección 9 (minilotes de 10,
# `lr=1e-2`, 20 épocas, siempre el mismo orden aleatorio), pero empezando en $a = b = 0$ y escrito
# aquí con tensores, sin tus respuestas. La recta gris punteada es el ajuste exacto de los datos
# originales, y el círculo vacío marca dónde estaba el punto.
#
# Con $\bar x = 0$, la solución exacta tiene una forma simple: $a = \sum_i x_i y_i / \sum_i
# x_i^2$ y $b = \bar y$. Mover $y_i$ en $\Delta$ cambia $b$ en $\Delta/N = 0.01\,\Delta$ para
# cualquier punto, pero cambia $a$ en $x_i \Delta / \sum_j x_j^2$, que depende de **dónde** está
# el punto: en las puntas ($x_i = \pm 5$, con $\sum_j x_j^2 = 850$) son $\pm 0.0059\,\Delta$, y
# en el medio casi nada. Prueba: arrastra el último punto ($i = 99$) hacia abajo y después un
# punto del medio ($i = 50$); compara también el SGD con la solución exacta.

# %%
def least_squares(x, y):
    X_xy = torch.stack([x, torch.ones_like(x)], dim=1)
    return torch.linalg.lstsq(X_xy, y.unsqueeze(1)).solution.squeeze(1).tolist()


def sgd_line(x, y, epochs=20, batch_size=10, lr=1e-2, seed=1):
    order = torch.Generator().manual_seed(seed)
    theta = torch.zeros(2, requires_grad=True)
    opt = torch.optim.SGD([theta], lr=lr)
    for _ in range(epochs):
        for idx in torch.randperm(len(x), generator=order).split(batch_size):
            opt.zero_grad()
            ((theta[0] * x[idx] + theta[1] - y[idx]) ** 2).mean().backward()
            opt.step()
    return theta.tolist()


def draw_moved_point(i, y_i):
    y_moved = y_data.clone()
    y_moved[i] = y_i
    a_fit, b_fit = least_squares(x_data, y_moved)
    a_s, b_s = sgd_line(x_data, y_moved)
    plt.figure(figsize=(7, 4.5))
    plt.scatter(x_data, y_moved, s=12, color="tab:green")
    plt.scatter([x_data[i]], [y_data[i]], s=60, facecolors="none", edgecolors="black")
    plt.scatter([x_data[i]], [y_i], s=60, color="tab:red", zorder=3,
                label=lang_text(f"ponto {i} movido", f"punto {i} movido"))
    plt.plot(x_data, a_ls * x_data + b_ls, color="gray", ls="--",
             label=lang_text("mínimos quadrados, dados originais",
                             "mínimos cuadrados, datos originales"))
    plt.plot(x_data, a_fit * x_data + b_fit, color="tab:blue",
             label=lang_text(f"mínimos quadrados: a = {a_fit:.3f}, b = {b_fit:.3f}",
                             f"mínimos cuadrados: a = {a_fit:.3f}, b = {b_fit:.3f}"))
    plt.plot(x_data, a_s * x_data + b_s, color="tab:orange", ls="-.",
             label=f"SGD: a = {a_s:.3f}, b = {b_s:.3f}")
    plt.xlabel("x")
    plt.ylabel("y")
    plt.ylim(-35, 30)
    plt.title(lang_text(f"x_i = {x_data[i]:.2f}: y_i passa de {y_data[i]:.2f} para {y_i:.2f}",
                        f"x_i = {x_data[i]:.2f}: y_i pasa de {y_data[i]:.2f} a {y_i:.2f}"))
    plt.legend(loc="upper left", fontsize=8)
    plt.show()


explore(draw_moved_point, i=slider(0, 99, 99), y_i=slider(-30.0, 30.0, -10.0, step=0.5))

# %% [markdown] lang="pt"
# Na figura inicial, o último ponto ($x = 5$) desceu de $13{,}23$ para $-10$, isto é,
# $\Delta = -23{,}23$: a inclinação exata cai de $2{,}9997$ para $2{,}8631$ ($0{,}0059 \cdot
# 23{,}23 = 0{,}137$) e $b$ desce $0{,}23$ ($23{,}23/100$). A reta do SGD também muda de
# inclinação ($a$ passa de $2{,}986$ para $2{,}904$), mas menos: com `lr` constante, o resultado
# depende sobretudo dos últimos lotes, e um ponto pesa mais ou menos conforme o lote em que caiu.

# %% [markdown] lang="es"
# En la figura inicial, el último punto ($x = 5$) bajó de $13.23$ a $-10$, es decir,
# $\Delta = -23.23$: la pendiente exacta baja de $2.9997$ a $2.8631$ ($0.0059 \cdot 23.23 =
# 0.137$) y $b$ baja $0.23$ ($23.23/100$). La recta del SGD también cambia de pendiente ($a$
# pasa de $2.986$ a $2.904$), pero menos: con `lr` constante, el resultado depende sobre todo de
# los últimos lotes, y un punto pesa más o menos según el lote en el que cayó.

# %% [markdown] lang="pt"
# ## Resumo
#
# * A regressão linear por **descida do gradiente** (também chamada de gradiente descendente)
#   é um laço de *forward*, perda, `backward()`, passo sob `torch.no_grad()` e gradientes
#   zerados; a **solução exata** de mínimos quadrados (`torch.linalg.lstsq`) mostra até onde o
#   laço pode chegar.
# * A perda de um bom ajuste fica perto da variância do ruído, não de 0.
# * As peças de qualquer projeto: um `Dataset` (`__len__`, `__getitem__`, arquivos em ordem
#   fixa), um `nn.Module` com `nn.Parameter` registrados, um `DataLoader` que monta minilotes
#   (`batch_size`, `shuffle`) e o laço `zero_grad` → *forward* → `backward` → `step`, com cada
#   lote no dispositivo do modelo.
# * Com minilotes, cada época dá vários passos: o treino anda mais rápido por época, e os
#   parâmetros oscilam em volta do mínimo enquanto a taxa de aprendizado for constante.
#
# Na próxima aula veremos o **jacobiano** (a matriz jacobiana) e os produtos vetor-jacobiano:
# o que o `backward()` calcula quando a saída não é um escalar.
#
# ## Para saber mais
#
# * Documentação do PyTorch, em inglês: *Datasets & DataLoaders*,
#   https://pytorch.org/tutorials/beginner/basics/data_tutorial.html, e *Autograd mechanics*,
#   https://pytorch.org/docs/stable/notes/autograd.html
# * *Mergulho Profundo no Aprendizado Profundo* (d2l), capítulo "Diferenciação automática", em
#   português: https://pt.d2l.ai/chapter_preliminaries/autograd.html
# * CS231n (Stanford), notas sobre retropropagação, em inglês:
#   https://cs231n.github.io/optimization-2/

# %% [markdown] lang="es"
# ## Resumen
#
# * La regresión lineal por **descenso de gradiente** (también llamado gradiente descendente) es
#   un ciclo de *forward*, pérdida, `backward()`, paso bajo `torch.no_grad()` y gradientes en
#   cero; la **solución exacta** de mínimos cuadrados (`torch.linalg.lstsq`) muestra hasta dónde
#   puede llegar el ciclo.
# * La pérdida de un buen ajuste queda cerca de la varianza del ruido, no de 0.
# * Las piezas de cualquier proyecto: un `Dataset` (`__len__`, `__getitem__`, archivos en orden
#   fijo), un `nn.Module` con `nn.Parameter` registrados, un `DataLoader` que arma minilotes
#   (`batch_size`, `shuffle`) y el ciclo `zero_grad` → *forward* → `backward` → `step`, con cada
#   lote en el dispositivo del modelo.
# * Con minilotes, cada época da varios pasos: el entrenamiento avanza más rápido por época, y los
#   parámetros oscilan alrededor del mínimo mientras la tasa de aprendizaje sea constante.
#
# En la próxima clase veremos el **jacobiano** (la matriz jacobiana) y los productos
# vector-jacobiano: lo que calcula `backward()` cuando la salida no es un escalar.
#
# ## Para saber más
#
# Estas referencias están en inglés (no conocemos ediciones en español):
#
# * Documentación de PyTorch: *Datasets & DataLoaders*,
#   https://pytorch.org/tutorials/beginner/basics/data_tutorial.html, y *Autograd mechanics*,
#   https://pytorch.org/docs/stable/notes/autograd.html
# * *Dive into Deep Learning* (d2l), capítulo "Automatic Differentiation":
#   https://d2l.ai/chapter_preliminaries/autograd.html
# * CS231n (Stanford), notas sobre retropropagación: https://cs231n.github.io/optimization-2/
