# %% [markdown] lang="pt"
# # 01 · O grafo computacional
#
# Toda rede neural é treinada ajustando parâmetros na direção que diminui uma função de perda.
# Para isso precisamos do **gradiente** da perda em relação a cada parâmetro — e calcular isso à
# mão para milhões de parâmetros é inviável. O PyTorch faz essa conta sozinho: enquanto você
# executa operações com tensores, ele **grava um grafo** de tudo o que foi feito e, depois,
# percorre esse grafo de trás para frente aplicando a regra da cadeia. Isso é o *autograd*.
#
# Neste notebook você vai:
#
# 1. montar o grafo de uma perda simples e ler os valores do *forward*;
# 2. ver o que cada nó guarda (`grad_fn`) e pedir os gradientes intermediários (`retain_grad`);
# 3. entender o que `backward()` faz com o grafo e por que o gradiente das folhas **acumula**;
# 4. desenhar o grafo a partir dos seus próprios tensores;
# 5. usar *hooks*, `torch.no_grad()` e `detach()`;
# 6. resolver os exercícios avaliados: `forward`, `manual_backward` e `grad_fn_names`.
#
# Execute as células em ordem (Shift+Enter). As células com `check(...)` conferem seu trabalho
# na hora; a nota final vem de testes adicionais, com outros dados, aplicados na correção.

# %% [markdown] lang="es"
# # 01 · El grafo computacional
#
# Entrenar una red neuronal es ajustar parámetros en la dirección en la que baja una función de
# pérdida. Para eso hace falta el **gradiente** de la pérdida respecto de cada parámetro, y
# calcularlo a mano para millones de parámetros no es viable. PyTorch lo hace por nosotros:
# mientras ejecutas operaciones con tensores, **registra un grafo** de todo lo que hiciste y
# luego lo recorre de atrás hacia adelante aplicando la regla de la cadena. Eso es *autograd*.
#
# En este notebook vas a:
#
# 1. armar el grafo de una pérdida sencilla y leer los valores del *forward*;
# 2. ver qué guarda cada nodo (`grad_fn`) y pedir los gradientes intermedios (`retain_grad`);
# 3. entender qué le hace `backward()` al grafo y por qué el gradiente de las hojas **se acumula**;
# 4. dibujar el grafo a partir de tus propios tensores;
# 5. usar *hooks*, `torch.no_grad()` y `detach()`;
# 6. resolver los ejercicios calificados: `forward`, `manual_backward` y `grad_fn_names`.
#
# Ejecuta las celdas en orden (Shift+Enter). Las celdas con `check(...)` revisan tu trabajo al
# instante; la nota final sale de pruebas adicionales, con otros datos, que se aplican al corregir.

# %%
import torch
import matplotlib.pyplot as plt
from matplotlib.patches import Circle, FancyBboxPatch

device = "cuda" if torch.cuda.is_available() else "cpu"
print("torch", torch.__version__, "| device:", device)

# %% [markdown] lang="pt"
# ## 1. Uma perda pequena, passo a passo
#
# Vamos usar o exemplo mais simples possível: um modelo com **um único peso** $w$ que prevê
# $\hat y_i = x_i\,w$, e a perda soma dos erros ao quadrado
#
# $$J(w) = \sum_i (x_i w - y_i)^2 .$$
#
# Escrita em etapas, cada uma vira um nó do grafo:
#
# $$\hat y_i = x_i w, \qquad e_i = \hat y_i - y_i, \qquad e2_i = e_i^2, \qquad J = \sum_i e2_i .$$
#
# Com $x = [0, 1, 2, 3]$, $y = [0, 2, 4, 6]$ (ou seja, $y = 2x$) e $w = 1$, o modelo erra por
# pouco: o peso ideal seria $w = 2$. Só `w` tem `requires_grad=True`: é o único tensor cujo
# gradiente nos interessa. Os dados `x` e `y` são constantes.

# %% [markdown] lang="es"
# ## 1. Una pérdida pequeña, paso a paso
#
# Usemos el ejemplo más simple posible: un modelo con **un solo peso** $w$ que predice
# $\hat y_i = x_i\,w$, y como pérdida la suma de los errores al cuadrado
#
# $$J(w) = \sum_i (x_i w - y_i)^2 .$$
#
# Separada en etapas, cada una se convierte en un nodo del grafo:
#
# $$\hat y_i = x_i w, \qquad e_i = \hat y_i - y_i, \qquad e2_i = e_i^2, \qquad J = \sum_i e2_i .$$
#
# Con $x = [0, 1, 2, 3]$, $y = [0, 2, 4, 6]$ (es decir, $y = 2x$) y $w = 1$, el modelo se equivoca
# un poco: el peso ideal sería $w = 2$. Solo `w` tiene `requires_grad=True`: es el único tensor
# cuyo gradiente nos interesa. Los datos `x` e `y` son constantes.

# %%
x = torch.arange(0, 4, dtype=torch.float32, device=device)
y = 2 * x
w = torch.ones(1, device=device, requires_grad=True)

y_pred = x * w
e = y_pred - y
e2 = e ** 2
J = e2.sum()

print("y_pred =", y_pred)
print("e      =", e)
print("e2     =", e2)
print("J      =", J)

# %% [markdown] lang="pt"
# Confira à mão: $\hat y = [0,1,2,3]$, $e = [0,-1,-2,-3]$, $e2 = [0,1,4,9]$ e $J = 14$.
#
# Repare no `grad_fn=<...>` impresso ao lado de cada resultado. Ele é o **nó do grafo** que
# produziu o tensor e que sabe calcular a derivada daquela operação: `MulBackward0` para o
# produto, `SubBackward0` para a subtração, `PowBackward0` para o quadrado e `SumBackward0` para a
# soma. Cada nó aponta para os nós das suas entradas em `next_functions`. O peso `w` é uma
# **folha** (foi criado por você, não por uma operação): não tem `grad_fn`, e no grafo aparece
# como um nó `AccumulateGrad`, que é quem guarda o gradiente em `w.grad`.

# %% [markdown] lang="es"
# Compruébalo a mano: $\hat y = [0,1,2,3]$, $e = [0,-1,-2,-3]$, $e2 = [0,1,4,9]$ y $J = 14$.
#
# Fíjate en el `grad_fn=<...>` que aparece junto a cada resultado. Es el **nodo del grafo** que
# produjo el tensor y que sabe calcular la derivada de esa operación: `MulBackward0` para el
# producto, `SubBackward0` para la resta, `PowBackward0` para el cuadrado y `SumBackward0` para la
# suma. Cada nodo apunta a los nodos de sus entradas en `next_functions`. El peso `w` es una
# **hoja** (lo creaste tú, no una operación): no tiene `grad_fn`, y en el grafo aparece como un
# nodo `AccumulateGrad`, que es el que guarda el gradiente en `w.grad`.

# %%
for name, t in [("w", w), ("y_pred", y_pred), ("e", e), ("e2", e2), ("J", J)]:
    print(f"{name:7s} is_leaf={t.is_leaf!s:5s} grad_fn={t.grad_fn}")
print("J.grad_fn.next_functions =", J.grad_fn.next_functions)

# %% [markdown] lang="pt"
# ## 2. `backward()`: a regra da cadeia automática
#
# Queremos $\partial J/\partial w$. Pela regra da cadeia, seguindo o grafo de trás para frente:
#
# $$\frac{\partial J}{\partial w} = \sum_i \frac{\partial J}{\partial e2_i}\,
#   \frac{\partial e2_i}{\partial e_i}\,\frac{\partial e_i}{\partial \hat y_i}\,
#   \frac{\partial \hat y_i}{\partial w} = \sum_i 1 \cdot 2e_i \cdot 1 \cdot x_i .$$
#
# Com os nossos números: $2\,(0\cdot0 + (-1)\cdot1 + (-2)\cdot2 + (-3)\cdot3) = 2\cdot(-14) = -28$.
#
# `J.backward()` faz exatamente essa conta. Por economia de memória, o PyTorch só guarda o
# gradiente das **folhas** (`w.grad`). Para inspecionar os nós intermediários, peça antes com
# `retain_grad()`.

# %% [markdown] lang="es"
# ## 2. `backward()`: la regla de la cadena automática
#
# Queremos $\partial J/\partial w$. Por la regla de la cadena, recorriendo el grafo de atrás
# hacia adelante:
#
# $$\frac{\partial J}{\partial w} = \sum_i \frac{\partial J}{\partial e2_i}\,
#   \frac{\partial e2_i}{\partial e_i}\,\frac{\partial e_i}{\partial \hat y_i}\,
#   \frac{\partial \hat y_i}{\partial w} = \sum_i 1 \cdot 2e_i \cdot 1 \cdot x_i .$$
#
# Con nuestros números: $2\,(0\cdot0 + (-1)\cdot1 + (-2)\cdot2 + (-3)\cdot3) = 2\cdot(-14) = -28$.
#
# `J.backward()` hace exactamente esa cuenta. Para ahorrar memoria, PyTorch solo guarda el
# gradiente de las **hojas** (`w.grad`). Si quieres inspeccionar los nodos intermedios, pídelo
# antes con `retain_grad()`.

# %%
y_pred.retain_grad()
e.retain_grad()
e2.retain_grad()

J.backward()

print("w.grad      =", w.grad)
print("e2.grad     =", e2.grad)
print("e.grad      =", e.grad)
print("y_pred.grad =", y_pred.grad)

# %% [markdown] lang="pt"
# São os números do desenho clássico do grafo: $\partial J/\partial e2 = [1,1,1,1]$,
# $\partial J/\partial e = \partial J/\partial \hat y = 2e = [0,-2,-4,-6]$ e
# $\partial J/\partial w = -28$.
#
# ### O gradiente como sensibilidade
#
# O gradiente diz quanto $J$ muda quando $w$ muda um pouquinho: $\Delta J \approx
# \frac{\partial J}{\partial w}\,\Delta w$. Com $\Delta w = 0{,}001$ esperamos
# $\Delta J \approx -28 \times 0{,}001 = -0{,}028$. O sinal negativo diz que **aumentar** $w$
# diminui a perda — faz sentido, já que o peso ideal é 2. Conferindo (a conta é feita dentro de
# `torch.no_grad()`, que veremos adiante, para não gravar outro grafo):

# %% [markdown] lang="es"
# Son los números del dibujo clásico del grafo: $\partial J/\partial e2 = [1,1,1,1]$,
# $\partial J/\partial e = \partial J/\partial \hat y = 2e = [0,-2,-4,-6]$ y
# $\partial J/\partial w = -28$.
#
# ### El gradiente como sensibilidad
#
# El gradiente dice cuánto cambia $J$ cuando $w$ cambia un poquito: $\Delta J \approx
# \frac{\partial J}{\partial w}\,\Delta w$. Con $\Delta w = 0.001$ esperamos
# $\Delta J \approx -28 \times 0.001 = -0.028$. El signo negativo indica que **aumentar** $w$
# baja la pérdida, lo cual tiene sentido porque el peso ideal es 2. Comprobémoslo (la cuenta va
# dentro de `torch.no_grad()`, que veremos más adelante, para no registrar otro grafo):

# %%
with torch.no_grad():
    J_shifted = ((x * (w + 0.001) - y) ** 2).sum()
print("J(w + 0.001) - J(w) =", (J_shifted - J).item())
print("w.grad * 0.001      =", (w.grad * 0.001).item())

# %% [markdown] lang="pt"
# A diferença exata é $14\,(0{,}999^2 - 1) = -0{,}027986$: a aproximação linear erra só na
# quinta casa decimal (em `float32` a última casa ainda sofre um pouco de arredondamento).
#
# ## 3. O grafo desenhado a partir dos seus tensores
#
# A função abaixo percorre `grad_fn.next_functions` a partir de `J` e desenha o grafo no estilo
# da figura clássica: **operações em caixas**, **tensores em círculos**, valores do *forward* em
# preto e gradientes em vermelho. Ela usa só matplotlib, então funciona no Colab e offline.
# Para que o desenho mostre valores e gradientes juntos, refazemos o *forward* e chamamos
# `backward(retain_graph=True)` (a seção 4 explica por quê).
# Entradas constantes (que não pedem gradiente) aparecem tracejadas: o autograd nem sempre as
# guarda — `x` aparece porque a multiplicação precisa dele para derivar em relação a `w`; `y`
# não, porque a derivada da subtração não depende de `y`.

# %% [markdown] lang="es"
# La diferencia exacta es $14\,(0.999^2 - 1) = -0.027986$: la aproximación lineal solo falla en
# el quinto decimal (en `float32` el último decimal todavía sufre algo de redondeo).
#
# ## 3. El grafo dibujado a partir de tus tensores
#
# La función de abajo recorre `grad_fn.next_functions` desde `J` y dibuja el grafo al estilo de
# la figura clásica: **operaciones en cajas**, **tensores en círculos**, valores del *forward* en
# negro y gradientes en rojo. Solo usa matplotlib, así que funciona en Colab y sin conexión.
# Para que el dibujo muestre valores y gradientes juntos, repetimos el *forward* y llamamos a
# `backward(retain_graph=True)` (la sección 4 explica por qué).
# Las entradas constantes (que no piden gradiente) aparecen punteadas: autograd no siempre las
# guarda. `x` aparece porque la multiplicación la necesita para derivar respecto de `w`; `y` no,
# porque la derivada de la resta no depende de `y`.

# %%
def _fmt(t):
    values = t.detach().flatten().cpu().tolist()
    text = ", ".join(f"{v:g}" for v in values[:4]) + (", …" if len(values) > 4 else "")
    return f"[{text}]" if t.dim() else text


def _saved_input(fn, slot, names):
    try:
        saved = getattr(fn, ("_saved_self", "_saved_other")[slot], None) if slot < 2 else None
    except RuntimeError:
        return None
    for name, t in names.items():
        if torch.is_tensor(saved) and saved is t:
            return name
    return None


def draw_graph(root, names, ax=None):
    producer = {t.grad_fn: n for n, t in names.items() if t.grad_fn is not None}
    leaves = {t: n for n, t in names.items() if t.grad_fn is None}
    ax = ax or plt.subplots(figsize=(13, 4))[1]
    rows, items, edges = {}, [], []

    def place(depth):
        rows[depth] = rows.get(depth, -1) + 1
        return -3.0 * depth, -1.9 * rows[depth]

    queue, where = [(root.grad_fn, 0)], {root.grad_fn: place(0)}
    while queue:
        fn, depth = queue.pop(0)
        fx, fy = where[fn]
        items.append(("op", fx, fy, type(fn).__name__.replace("Backward0", ""), None))
        out = names.get(producer.get(fn)) if fn in producer else None
        items.append(("tensor", fx + 1.5, fy, producer.get(fn, ""), out))
        for slot, (nxt, _) in enumerate(fn.next_functions):
            if nxt is not None and nxt in where:
                edges.append((where[nxt][0] + 1.5, where[nxt][1], fx, fy))
                continue
            nx, ny = place(depth + 1)
            edges.append((nx + 1.5, ny, fx, fy))
            if nxt is None:
                label = _saved_input(fn, slot, names) or "const"
                items.append(("const", nx + 1.5, ny, label, names.get(label)))
            elif type(nxt).__name__ == "AccumulateGrad":
                where[nxt] = (nx, ny)
                items.append(("tensor", nx + 1.5, ny, leaves.get(nxt.variable, "leaf"), nxt.variable))
            else:
                where[nxt] = (nx, ny)
                queue.append((nxt, depth + 1))

    for x0, y0, x1, y1 in edges:
        ax.annotate("", xy=(x1 - 0.55, y1), xytext=(x0 + 0.45, y0),
                    arrowprops=dict(arrowstyle="->", color="gray"))
    for kind, cx, cy, label, t in items:
        if kind == "op":
            ax.add_patch(FancyBboxPatch((cx - 0.55, cy - 0.35), 1.1, 0.7,
                                        boxstyle="round,pad=0.05", fc="#dde8f6", ec="#33518c"))
            ax.text(cx, cy, label, ha="center", va="center", fontsize=9)
            continue
        dashed = kind == "const"
        ax.add_patch(Circle((cx, cy), 0.45, fc="white", ec="gray" if dashed else "black",
                            ls="--" if dashed else "-"))
        ax.text(cx, cy, label, ha="center", va="center", fontsize=9, weight="bold")
        if t is not None:
            ax.text(cx, cy + 0.6, _fmt(t), ha="center", fontsize=8, color="black")
            if (t.is_leaf or t.retains_grad) and t.grad is not None:
                ax.text(cx, cy - 0.75, _fmt(t.grad), ha="center", fontsize=8, color="red")
    xs = [i[1] for i in items]
    ys = [i[2] for i in items]
    ax.set_xlim(min(xs) - 1.2, max(xs) + 1.2)
    ax.set_ylim(min(ys) - 1.2, max(ys) + 1.0)
    ax.set_aspect("equal")
    ax.axis("off")
    return ax


w.grad = None
y_pred = x * w
e = y_pred - y
e2 = e ** 2
J = e2.sum()
for t in (y_pred, e, e2):
    t.retain_grad()
J.backward(retain_graph=True)
draw_graph(J, {"x": x, "y": y, "w": w, "y_pred": y_pred, "e": e, "e2": e2, "J": J})
plt.show()

# %% [markdown] lang="pt"
# Experimente: troque `e ** 2` por `e.abs()`, ou use `w` duas vezes (por exemplo
# `y_pred = x * w + w`), refaça o *forward* e o `backward()` e desenhe de novo. Quando um
# tensor é usado por dois caminhos, os gradientes que chegam por cada caminho **somam-se**.
#
# ## 4. O que `backward()` faz com o grafo
#
# Para calcular derivadas, os nós guardam tensores do *forward* (a multiplicação guarda `x`, o
# quadrado guarda `e`). Assim que `backward()` termina, esses tensores são **liberados** para
# economizar memória: o grafo não pode ser percorrido de novo. Um segundo `J.backward()` dá erro.
# Se você realmente precisa percorrer o mesmo grafo duas vezes, use `retain_graph=True` no
# primeiro — mas repare no que acontece com `w.grad`:

# %% [markdown] lang="es"
# Prueba: cambia `e ** 2` por `e.abs()`, o usa `w` dos veces (por ejemplo `y_pred = x * w + w`),
# repite el *forward* y el `backward()` y vuelve a dibujar. Cuando un tensor se usa por dos
# caminos, los gradientes que llegan por cada camino **se suman**.
#
# ## 4. Qué le hace `backward()` al grafo
#
# Para calcular derivadas, los nodos guardan tensores del *forward* (la multiplicación guarda `x`,
# el cuadrado guarda `e`). Apenas termina `backward()`, esos tensores se **liberan** para ahorrar
# memoria: el grafo ya no se puede recorrer otra vez, y un segundo `J.backward()` da error. Si de
# verdad necesitas recorrer el mismo grafo dos veces, usa `retain_graph=True` en el primero, pero
# fíjate en lo que le pasa a `w.grad`:

# %%
w.grad = None
J = ((x * w - y) ** 2).sum()
J.backward()
try:
    J.backward()
except RuntimeError as err:
    print("RuntimeError:", str(err).splitlines()[0])

w.grad = None
J2 = ((x * w - y) ** 2).sum()
J2.backward(retain_graph=True)
print("after 1 backward:", w.grad)
J2.backward()
print("after 2 backward:", w.grad)

# %% [markdown] lang="pt"
# O segundo `backward()` **somou** $-28$ ao que já estava em `w.grad`, dando $-56$. Isso não é
# um defeito: é como o PyTorch permite juntar gradientes de várias partes (vários *mini-batches*,
# várias perdas, um peso usado em vários lugares). A consequência prática é que, num laço de
# treino, **você precisa zerar o gradiente** a cada passo — `w.grad = None` (ou
# `optimizer.zero_grad()`, que veremos depois). Esquecer disso é um dos erros mais comuns.
#
# > **Nota histórica.** Em materiais antigos você encontrará `from torch.autograd import Variable`
# > e `x.data`. Desde o PyTorch 0.4 (2018) `Variable` foi fundida em `Tensor`: todo tensor pode
# > ter `requires_grad`, `grad` e `grad_fn`. Hoje `Variable(t)` apenas devolve um tensor, e no
# > lugar de `.data` use `.detach()` ou `torch.no_grad()`, que não enganam o autograd.

# %% [markdown] lang="es"
# El segundo `backward()` **sumó** $-28$ a lo que ya había en `w.grad`, y quedó $-56$. No es un
# error: así PyTorch permite juntar gradientes de varias fuentes (varios *mini-batches*, varias
# pérdidas, un peso usado en varios lugares). La consecuencia práctica es que en un ciclo de
# entrenamiento **hay que poner el gradiente en cero** en cada paso: `w.grad = None` (u
# `optimizer.zero_grad()`, que veremos más adelante). Olvidarlo es uno de los errores más comunes.
#
# > **Nota histórica.** En materiales antiguos vas a encontrar `from torch.autograd import
# > Variable` y `x.data`. Desde PyTorch 0.4 (2018) `Variable` se fusionó con `Tensor`: cualquier
# > tensor puede tener `requires_grad`, `grad` y `grad_fn`. Hoy `Variable(t)` solo devuelve un
# > tensor, y en lugar de `.data` conviene usar `.detach()` o `torch.no_grad()`, que no engañan a
# > autograd.

# %% [markdown] lang="pt"
# ## 5. Hooks, `no_grad` e `detach`
#
# `retain_grad()` guarda o gradiente de um nó intermediário. Um **hook** é mais flexível: uma
# função chamada com o gradiente no momento em que o `backward()` passa por aquele tensor. Serve
# para inspecionar (depurar gradientes que explodem, por exemplo) ou até modificar o gradiente.

# %% [markdown] lang="es"
# ## 5. Hooks, `no_grad` y `detach`
#
# `retain_grad()` guarda el gradiente de un nodo intermedio. Un **hook** es más flexible: una
# función que se llama con el gradiente en el momento en que `backward()` pasa por ese tensor.
# Sirve para inspeccionar (depurar gradientes que explotan, por ejemplo) o incluso para modificar
# el gradiente.

# %%
w.grad = None
y_pred = x * w
e = y_pred - y
e2 = e ** 2
J = e2.sum()
handles = [t.register_hook(lambda g, name=name: print(f"dJ/d{name} =", g))
           for name, t in [("e2", e2), ("e", e), ("y_pred", y_pred)]]
J.backward()
for h in handles:
    h.remove()
print("w.grad =", w.grad)

# %% [markdown] lang="pt"
# Os hooks aparecem na ordem do *backward*: primeiro `e2`, depois `e`, depois `y_pred`.
#
# Nem toda conta precisa de grafo. Na avaliação de um modelo, ou ao atualizar pesos, gravar o
# grafo só gasta memória. Há duas ferramentas:
#
# * `with torch.no_grad():` — nada do que é calculado dentro do bloco entra no grafo;
# * `t.detach()` — um tensor com os mesmos dados de `t`, mas **fora** do grafo (sem `grad_fn`,
#   `requires_grad=False`). O gradiente não passa por ele.

# %% [markdown] lang="es"
# Los hooks aparecen en el orden del *backward*: primero `e2`, luego `e`, luego `y_pred`.
#
# No toda cuenta necesita un grafo. Al evaluar un modelo, o al actualizar pesos, registrar el
# grafo solo gasta memoria. Hay dos herramientas:
#
# * `with torch.no_grad():`: nada de lo que se calcula dentro del bloque entra al grafo;
# * `t.detach()`: un tensor con los mismos datos que `t`, pero **fuera** del grafo (sin
#   `grad_fn`, `requires_grad=False`). El gradiente no pasa por él.

# %%
with torch.no_grad():
    J_eval = ((x * w - y) ** 2).sum()
print("inside no_grad: requires_grad =", J_eval.requires_grad, "| grad_fn =", J_eval.grad_fn)

e_const = (x * w - y).detach()
J_half = (e_const * (x * w - y)).sum()
w.grad = None
J_half.backward()
print("gradient through one factor only:", w.grad)

# %% [markdown] lang="pt"
# No último exemplo, $J = \sum e_i \cdot e_i$ com o primeiro fator "congelado" por `detach()`:
# o gradiente passa só por um dos fatores e sai a metade, $-14$ em vez de $-28$.
#
# ## 6. Exercícios avaliados
#
# Cada exercício tem uma célula de resposta (substitua o `raise NotImplementedError()` pelo seu
# código; **não mude o nome nem os parâmetros da função**) e uma célula de verificação logo
# abaixo. As verificações visíveis usam os dados da aula; na correção, testes ocultos repetem a
# conferência com dados aleatórios, em `float64`, na CPU e na GPU (se houver), comparando com o
# `torch.autograd`. Não modifique os tensores recebidos.
#
# ### Exercício 1 — `forward(x, w, y)` (2 pontos)
#
# Devolva a tupla `(y_pred, e, e2, J)` com $\hat y = x w$, $e = \hat y - y$, $e2 = e^2$ e
# $J = \sum e2$, usando apenas operações do torch, de modo que `J.backward()` chegue até `w`.

# %% [markdown] lang="es"
# En el último ejemplo, $J = \sum e_i \cdot e_i$ con el primer factor "congelado" por `detach()`:
# el gradiente pasa solo por uno de los factores y sale la mitad, $-14$ en lugar de $-28$.
#
# ## 6. Ejercicios calificados
#
# Cada ejercicio tiene una celda de respuesta (reemplaza el `raise NotImplementedError()` por tu
# código; **no cambies el nombre ni los parámetros de la función**) y una celda de verificación
# justo debajo. Las verificaciones visibles usan los datos de la clase; al corregir, pruebas
# ocultas repiten la comprobación con datos aleatorios, en `float64`, en CPU y en GPU (si hay),
# comparando con `torch.autograd`. No modifiques los tensores que recibes.
#
# ### Ejercicio 1 — `forward(x, w, y)` (2 puntos)
#
# Devuelve la tupla `(y_pred, e, e2, J)` con $\hat y = x w$, $e = \hat y - y$, $e2 = e^2$ y
# $J = \sum e2$, usando solo operaciones de torch, de modo que `J.backward()` llegue hasta `w`.

# %% nbgrader={"grade_id": "forward", "solution": true}
def forward(x, w, y):
    ### BEGIN SOLUTION
    y_pred = x * w
    e = y_pred - y
    e2 = e ** 2
    J = e2.sum()
    return y_pred, e, e2, J
    ### END SOLUTION

# %% nbgrader={"grade_id": "test_forward", "grade": true, "points": 2}
x_chk = torch.tensor([0.0, 1.0, 2.0, 3.0], device=device)
y_chk = 2 * x_chk
w_chk = torch.ones(1, device=device, requires_grad=True)
y_pred_chk, e_chk, e2_chk, J_chk = forward(x_chk, w_chk, y_chk)
check("y_pred", y_pred_chk, [0.0, 1.0, 2.0, 3.0])
check("e", e_chk, [0.0, -1.0, -2.0, -3.0])
check("e2", e2_chk, [0.0, 1.0, 4.0, 9.0])
check("J", J_chk, 14.0)
J_chk.backward()
check("w.grad", w_chk.grad, [-28.0])
### BEGIN HIDDEN TESTS
from course.lessons import load_checks
hidden_checks = load_checks("01_graph")
hidden_checks.check_forward(forward, LANG)
### END HIDDEN TESTS

# %% [markdown] lang="pt"
# ### Exercício 2 — `manual_backward(x, w, y)` (3 pontos)
#
# Agora faça o papel do `backward()`: **sem autograd**, aplique a regra da cadeia à mão e
# devolva um dicionário com $\partial J/\partial$(nó) para `"e2"`, `"e"`, `"y_pred"` e `"w"`.
# Cada valor tem o formato do seu nó (o de `"w"` tem o formato de `w`). A função será chamada
# dentro de `torch.no_grad()`, com tensores que não pedem gradiente.
#
# Dica: comece por $\partial J/\partial J = 1$ e desça um nó por vez, como na seção 2. Na última
# etapa, cada amostra contribui com uma parcela para o gradiente do único peso.

# %% [markdown] lang="es"
# ### Ejercicio 2 — `manual_backward(x, w, y)` (3 puntos)
#
# Ahora haz el papel de `backward()`: **sin autograd**, aplica la regla de la cadena a mano y
# devuelve un diccionario con $\partial J/\partial$(nodo) para `"e2"`, `"e"`, `"y_pred"` y `"w"`.
# Cada valor tiene la forma de su nodo (el de `"w"` tiene la forma de `w`). La función se llamará
# dentro de `torch.no_grad()`, con tensores que no piden gradiente.
#
# Pista: empieza por $\partial J/\partial J = 1$ y baja un nodo por vez, como en la sección 2. En
# la última etapa, cada muestra aporta un término al gradiente del único peso.

# %% nbgrader={"grade_id": "manual_backward", "solution": true}
def manual_backward(x, w, y):
    ### BEGIN SOLUTION
    e = x * w - y
    d_e2 = torch.ones_like(e)
    d_e = d_e2 * 2 * e
    d_y_pred = d_e
    d_w = (d_y_pred * x).sum().reshape(w.shape)
    return {"e2": d_e2, "e": d_e, "y_pred": d_y_pred, "w": d_w}
    ### END SOLUTION

# %% nbgrader={"grade_id": "test_manual_backward", "grade": true, "points": 3}
with torch.no_grad():
    grads_chk = manual_backward(torch.tensor([0.0, 1.0, 2.0, 3.0], device=device),
                                torch.ones(1, device=device),
                                torch.tensor([0.0, 2.0, 4.0, 6.0], device=device))
check("keys", sorted(grads_chk), ["e", "e2", "w", "y_pred"])
check("dJ/de2", grads_chk["e2"], [1.0, 1.0, 1.0, 1.0])
check("dJ/de", grads_chk["e"], [0.0, -2.0, -4.0, -6.0])
check("dJ/dy_pred", grads_chk["y_pred"], [0.0, -2.0, -4.0, -6.0])
check("dJ/dw", grads_chk["w"], [-28.0])
### BEGIN HIDDEN TESTS
from course.lessons import load_checks
hidden_checks = load_checks("01_graph")
hidden_checks.check_manual_backward(manual_backward, LANG)
### END HIDDEN TESTS

# %% [markdown] lang="pt"
# ### Exercício 3 — `grad_fn_names(t)` (3 pontos)
#
# Escreva a função que percorre o grafo, a mesma ideia que `draw_graph` usa. Ela devolve os
# nomes das classes (`type(no).__name__`) de todos os nós alcançáveis a partir de `t.grad_fn`,
# **em largura** (BFS: primeiro a raiz, depois todos os nós a um passo dela, depois a dois…),
# cada nó **uma única vez** (um nó pode ser alcançado por dois caminhos) e pulando as entradas
# `None` de `next_functions`. Um tensor sem `grad_fn` dá `[]`. Para o `J` da aula o resultado é
# `["SumBackward0", "PowBackward0", "SubBackward0", "MulBackward0", "AccumulateGrad"]`.
#
# Dica: `collections.deque` é uma boa fila; um `set` guarda os nós já vistos.

# %% [markdown] lang="es"
# ### Ejercicio 3 — `grad_fn_names(t)` (3 puntos)
#
# Escribe la función que recorre el grafo, la misma idea que usa `draw_graph`. Devuelve los
# nombres de las clases (`type(nodo).__name__`) de todos los nodos alcanzables desde
# `t.grad_fn`, **en anchura** (BFS: primero la raíz, luego todos los nodos a un paso de ella,
# luego a dos…), cada nodo **una sola vez** (a un nodo se puede llegar por dos caminos) y
# saltando las entradas `None` de `next_functions`. Un tensor sin `grad_fn` da `[]`. Para el `J`
# de la clase el resultado es
# `["SumBackward0", "PowBackward0", "SubBackward0", "MulBackward0", "AccumulateGrad"]`.
#
# Pista: `collections.deque` es una buena cola; un `set` guarda los nodos ya vistos.

# %% nbgrader={"grade_id": "grad_fn_names", "solution": true}
def grad_fn_names(t):
    ### BEGIN SOLUTION
    from collections import deque

    if t.grad_fn is None:
        return []
    seen = {t.grad_fn}
    queue = deque([t.grad_fn])
    names = []
    while queue:
        node = queue.popleft()
        names.append(type(node).__name__)
        for child, _ in node.next_functions:
            if child is not None and child not in seen:
                seen.add(child)
                queue.append(child)
    return names
    ### END SOLUTION

# %% nbgrader={"grade_id": "test_grad_fn_names", "grade": true, "points": 3}
w_chk = torch.ones(1, device=device, requires_grad=True)
x_chk = torch.tensor([0.0, 1.0, 2.0, 3.0], device=device)
J_chk = ((x_chk * w_chk - 2 * x_chk) ** 2).sum()
check("grad_fn_names(J)", grad_fn_names(J_chk),
      ["SumBackward0", "PowBackward0", "SubBackward0", "MulBackward0", "AccumulateGrad"])
check("grad_fn_names(w)", grad_fn_names(w_chk), [])
### BEGIN HIDDEN TESTS
from course.lessons import load_checks
hidden_checks = load_checks("01_graph")
hidden_checks.check_grad_fn_names(grad_fn_names, LANG)
### END HIDDEN TESTS

# %% [markdown] lang="pt"
# ### Exercício 4 — múltipla escolha (1 ponto cada)
#
# Responda atribuindo a letra da alternativa a `answer_backward_twice` e a
# `answer_accumulation`, por exemplo `answer_backward_twice = "a"`. Se tiver dúvida, experimente
# numa célula nova.
#
# **4a.** Você calculou `J = ((x * w - y) ** 2).sum()` e chamou `J.backward()`. O que acontece
# ao chamar `J.backward()` de novo, sem refazer o *forward*?
#
# * (a) `w.grad` fica igual, porque o gradiente já foi calculado.
# * (b) Dá `RuntimeError`: os tensores guardados pelo grafo foram liberados no primeiro
#   `backward()`.
# * (c) `w.grad` é zerado e recalculado.
# * (d) O grafo é reconstruído automaticamente e `w.grad` dobra.
#
# **4b.** Por que o PyTorch **acumula** (soma) gradientes em `w.grad` em vez de substituí-los?
#
# * (a) Por um detalhe de implementação antigo, mantido só por compatibilidade.
# * (b) Para que o otimizador consiga lembrar os passos anteriores.
# * (c) Porque assim se somam as contribuições de vários `backward()` — vários mini-batches,
#   várias perdas ou um peso usado em vários lugares —, e quem treina decide quando zerar.
# * (d) Porque `w` é uma folha, e folhas não podem ser sobrescritas.

# %% [markdown] lang="es"
# ### Ejercicio 4 — opción múltiple (1 punto cada una)
#
# Responde asignando la letra de la opción a `answer_backward_twice` y a `answer_accumulation`,
# por ejemplo `answer_backward_twice = "a"`. Si tienes dudas, pruébalo en una celda nueva.
#
# **4a.** Calculaste `J = ((x * w - y) ** 2).sum()` y llamaste a `J.backward()`. ¿Qué pasa si
# llamas otra vez a `J.backward()`, sin repetir el *forward*?
#
# * (a) `w.grad` queda igual, porque el gradiente ya se calculó.
# * (b) Da `RuntimeError`: los tensores que guardaba el grafo se liberaron en el primer
#   `backward()`.
# * (c) `w.grad` se pone en cero y se vuelve a calcular.
# * (d) El grafo se reconstruye automáticamente y `w.grad` se duplica.
#
# **4b.** ¿Por qué PyTorch **acumula** (suma) los gradientes en `w.grad` en lugar de
# reemplazarlos?
#
# * (a) Por un detalle de implementación antiguo, que se mantiene solo por compatibilidad.
# * (b) Para que el optimizador pueda recordar los pasos anteriores.
# * (c) Porque así se suman las contribuciones de varios `backward()` (varios mini-batches,
#   varias pérdidas o un peso usado en varios lugares), y quien entrena decide cuándo ponerlos
#   en cero.
# * (d) Porque `w` es una hoja, y las hojas no se pueden sobrescribir.

# %% nbgrader={"grade_id": "answer_backward_twice", "solution": true}
### BEGIN SOLUTION
answer_backward_twice = "b"
### END SOLUTION

# %% nbgrader={"grade_id": "test_backward_twice", "grade": true, "points": 1}
assert answer_backward_twice in ("a", "b", "c", "d")
### BEGIN HIDDEN TESTS
from course.lessons import load_checks
hidden_checks = load_checks("01_graph")
hidden_checks.check_backward_twice(answer_backward_twice, LANG)
### END HIDDEN TESTS

# %% nbgrader={"grade_id": "answer_accumulation", "solution": true}
### BEGIN SOLUTION
answer_accumulation = "c"
### END SOLUTION

# %% nbgrader={"grade_id": "test_accumulation", "grade": true, "points": 1}
assert answer_accumulation in ("a", "b", "c", "d")
### BEGIN HIDDEN TESTS
from course.lessons import load_checks
hidden_checks = load_checks("01_graph")
hidden_checks.check_accumulation(answer_accumulation, LANG)
### END HIDDEN TESTS

# %% [markdown] lang="pt"
# ### Exercício 5 — resposta escrita (2 pontos, corrigida pelo professor)
#
# Em poucas linhas: num laço de treino que chama `loss.backward()` a cada passo, o que dá errado
# se você **esquecer** de zerar `w.grad`? E dê um exemplo em que acumular gradientes de
# propósito é útil.

# %% [markdown] lang="es"
# ### Ejercicio 5 — respuesta escrita (2 puntos, la corrige el docente)
#
# En pocas líneas: en un ciclo de entrenamiento que llama a `loss.backward()` en cada paso, ¿qué
# sale mal si **te olvidas** de poner `w.grad` en cero? Y da un ejemplo en el que acumular
# gradientes a propósito sea útil.

# %% [markdown] lang="pt" nbgrader={"grade_id": "explain_accumulation", "solution": true, "grade": true, "points": 2}
# Cada `backward()` soma o gradiente novo ao antigo: a partir do segundo passo, a atualização
# usa a soma dos gradientes de todos os passos anteriores, os passos ficam cada vez maiores e o
# treino oscila ou diverge. Acumular de propósito é útil para simular um *batch* maior do que
# cabe na memória: somam-se os gradientes de vários mini-batches e só então se dá o passo.

# %% [markdown] lang="es" nbgrader={"grade_id": "explain_accumulation", "solution": true, "grade": true, "points": 2}
# Cada `backward()` suma el gradiente nuevo al anterior: desde el segundo paso, la actualización
# usa la suma de los gradientes de todos los pasos previos, los pasos son cada vez más grandes y
# el entrenamiento oscila o diverge. Acumular a propósito sirve para simular un *batch* más
# grande del que cabe en memoria: se suman los gradientes de varios mini-batches y recién
# entonces se da el paso.

# %% [markdown] lang="pt"
# ## Fim
#
# Você viu o grafo que o PyTorch monta, o que cada nó guarda e como `backward()` o percorre.
# Na próxima aula vamos conferir esses gradientes por **diferenças finitas**, o jeito mais
# simples (e mais lento) de calcular uma derivada numericamente.

# %% [markdown] lang="es"
# ## Fin
#
# Viste el grafo que arma PyTorch, qué guarda cada nodo y cómo lo recorre `backward()`. En la
# próxima clase vamos a comprobar estos gradientes con **diferencias finitas**, la forma más
# simple (y más lenta) de calcular una derivada numéricamente.
