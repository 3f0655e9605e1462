# %% [markdown] lang="pt"
# # 01 · O grafo computacional
#
# **Pré-requisitos:** Python (funções, laços, dicionários), derivada e regra da cadeia de um
# primeiro curso de Cálculo, e o básico de tensores do PyTorch (criar um tensor, operações
# elemento a elemento, `.sum()`).
# **Tempo estimado:** cerca de 1h30.
#
# Toda rede neural é treinada ajustando parâmetros na direção que diminui uma função de perda.
# Para isso precisamos do **gradiente** da perda em relação a cada parâmetro — e calcular isso à
# mão para milhões de parâmetros é inviável. O PyTorch faz essa conta sozinho: enquanto você
# executa operações com tensores, ele **grava um grafo computacional** de tudo o que foi feito
# (o *forward*) e, depois, percorre esse grafo de trás para frente aplicando a regra da cadeia
# (o *backward*). Esse algoritmo se chama **retropropagação** (em inglês, *backpropagation* ou
# *backprop*), e a maquinaria do PyTorch que o executa é o *autograd* (diferenciação
# automática).
#
# Neste notebook você vai:
#
# 1. montar o grafo de uma perda simples e ler os valores do *forward*;
# 2. ver o que cada nó guarda (`grad_fn`), que o grafo é refeito a cada *forward* e pedir os
#    gradientes intermediários (`retain_grad`);
# 3. mover um peso com um controle deslizante e ver o gradiente como inclinação da perda;
# 4. desenhar o grafo a partir dos seus próprios tensores;
# 5. entender o que `backward()` faz com o grafo e por que o gradiente das folhas **acumula**;
# 6. usar *hooks*, `torch.no_grad()` e `detach()`;
# 7. resolver os exercícios avaliados: `forward`, `manual_backward`, `grad_fn_names` e duas
#    perguntas de múltipla escolha.
#
# Execute as células em ordem (Shift+Enter). As células com `check(...)` conferem seu trabalho
# na hora; a nota final vem de testes ocultos, com outros dados, aplicados na correção. Você pode
# executar o notebook inteiro antes de responder: uma verificação de um exercício ainda sem
# resposta só avisa "⏳ … ainda não respondido".

# %% [markdown] lang="es"
# # 01 · El grafo computacional
#
# **Requisitos previos:** Python (funciones, bucles, diccionarios), derivada y regla de la cadena
# de un primer curso de Cálculo, y lo básico de tensores en PyTorch (crear un tensor, operaciones
# elemento a elemento, `.sum()`).
# **Tiempo estimado:** alrededor de 1 h 30 min.
#
# Entrenar una red neuronal es ajustar parámetros en la dirección en la que baja una función de
# pérdida. Para eso hace falta el **gradiente** de la pérdida respecto de cada parámetro, y
# calcularlo a mano para millones de parámetros no es viable. PyTorch lo hace por nosotros:
# mientras ejecutas operaciones con tensores, **registra un grafo computacional** de todo lo que
# hiciste (el *forward*) y luego lo recorre de atrás hacia adelante aplicando la regla de la
# cadena (el *backward*). Ese algoritmo se llama **retropropagación** (en inglés,
# *backpropagation* o *backprop*), y la maquinaria de PyTorch que lo ejecuta es *autograd*
# (diferenciación automática).
#
# En este notebook vas a:
#
# 1. armar el grafo de una pérdida sencilla y leer los valores del *forward*;
# 2. ver qué guarda cada nodo (`grad_fn`), que el grafo se rehace en cada *forward*, y pedir los
#    gradientes intermedios (`retain_grad`);
# 3. mover un peso con un control deslizante y ver el gradiente como pendiente de la pérdida;
# 4. dibujar el grafo a partir de tus propios tensores;
# 5. entender qué le hace `backward()` al grafo y por qué el gradiente de las hojas **se acumula**;
# 6. usar *hooks*, `torch.no_grad()` y `detach()`;
# 7. resolver los ejercicios calificados: `forward`, `manual_backward`, `grad_fn_names` y dos
#    preguntas de opción múltiple.
#
# Ejecuta las celdas en orden (Shift+Enter). Las celdas con `check(...)` revisan tu trabajo al
# instante; la nota final sale de pruebas ocultas, con otros datos, que se aplican al corregir.
# Puedes ejecutar el notebook entero antes de responder: la verificación de un ejercicio todavía
# sin respuesta solo avisa "⏳ … todavía sin responder".

# %%
import torch
import matplotlib.pyplot as plt
from matplotlib.patches import Circle, FancyBboxPatch

device = ("cuda" if torch.cuda.is_available()
          else "mps" if torch.backends.mps.is_available() else "cpu")
print("torch", torch.__version__, "| device =", device)

# %% [markdown] lang="pt"
# A célula acima escolhe onde os tensores vivem: a GPU da NVIDIA (`cuda`) se houver, a GPU de um
# Mac com chip Apple (`mps`) se houver, e senão a CPU. Tudo nesta aula usa `float32`, que as três
# aceitam.
#
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
# La celda de arriba elige dónde viven los tensores: la GPU de NVIDIA (`cuda`) si la hay, la GPU
# de una Mac con chip de Apple (`mps`) si la hay, y si no, la CPU. Todo en esta clase usa
# `float32`, que las tres aceptan.
#
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
# soma. Cada nó aponta para os nós das suas entradas em `next_functions`; uma entrada que não pede
# gradiente (como `x` e `y`) aparece ali como `None`. O peso `w` é uma **folha** (foi criado por
# você, não por uma operação): não tem `grad_fn`, e no grafo aparece como um nó `AccumulateGrad`,
# que é quem guarda o gradiente em `w.grad`.

# %% [markdown] lang="es"
# Compruébalo a mano: $\hat y = [0,1,2,3]$, $e = [0,-1,-2,-3]$, $e2 = [0,1,4,9]$ y $J = 14$.
#
# Fíjate en el `grad_fn=<...>` que aparece junto a cada resultado. Es el **nodo del grafo** que
# produjo el tensor y que sabe calcular la derivada de esa operación: `MulBackward0` para el
# producto, `SubBackward0` para la resta, `PowBackward0` para el cuadrado y `SumBackward0` para la
# suma. Cada nodo apunta a los nodos de sus entradas en `next_functions`; una entrada que no pide
# gradiente (como `x` e `y`) aparece ahí como `None`. El peso `w` es una **hoja** (lo creaste tú,
# no una operación): no tiene `grad_fn`, y en el grafo aparece como un nodo `AccumulateGrad`, que
# es el que guarda el gradiente en `w.grad`.

# %%
for name, t in [("w", w), ("y_pred", y_pred), ("e", e), ("e2", e2), ("J", J)]:
    node = t.grad_fn.name() if t.grad_fn is not None else None
    print(f"{name:7s} is_leaf={t.is_leaf!s:5s} grad_fn={node}")
print("J.grad_fn.next_functions =", J.grad_fn.next_functions)
print("e.grad_fn.next_functions =", e.grad_fn.next_functions)

# %% [markdown] lang="pt"
# ### O grafo é definido na execução (*define-by-run*)
#
# O PyTorch não tem um grafo montado de antemão: ele grava **as operações que de fato
# executaram**, na hora em que executaram, e refaz o grafo do zero a cada *forward*. Por isso o
# código do modelo pode ser Python comum: um `if` escolhe quais operações entram no grafo desta
# vez, e um `for` as repete quantas vezes rodar. Abaixo, a mesma função monta dois grafos
# diferentes conforme o argumento `absolute`: o nó logo abaixo da soma é `PowBackward0` num caso
# e `AbsBackward0` no outro. (A aula 07 volta a esse assunto com exercícios.)

# %% [markdown] lang="es"
# ### El grafo se define en la ejecución (*define-by-run*)
#
# PyTorch no tiene un grafo armado de antemano: registra **las operaciones que de verdad se
# ejecutaron**, en el momento en que se ejecutaron, y rehace el grafo desde cero en cada
# *forward*. Por eso el código del modelo puede ser Python común: un `if` elige qué operaciones
# entran al grafo esta vez, y un `for` las repite tantas veces como se ejecute. Abajo, la misma
# función arma dos grafos distintos según el argumento `absolute`: el nodo justo debajo de la
# suma es `PowBackward0` en un caso y `AbsBackward0` en el otro. (La clase 07 vuelve sobre este
# tema con ejercicios.)

# %%
def branch_loss(w, absolute):
    e = x * w - y
    if absolute:
        return e.abs().sum()
    return (e ** 2).sum()


for absolute in (False, True):
    J_branch = branch_loss(w, absolute)
    below = J_branch.grad_fn.next_functions[0][0].name()
    print(f"absolute={absolute!s:5s} J = {J_branch.item():4.0f}   "
          f"{J_branch.grad_fn.name()} <- {below}")

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
# Repare na ordem: começamos em $\partial J/\partial J = 1$ e descemos um nó por vez; cada nó
# multiplica o gradiente que recebe de cima pela derivada da sua própria operação e passa o
# resultado para as suas entradas. Isso é a **retropropagação**. `J.backward()` faz exatamente
# essa conta. Por economia de memória, o PyTorch só guarda o gradiente das **folhas** (`w.grad`).
# Para inspecionar os nós intermediários, peça antes com `retain_grad()`.

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
# Fíjate en el orden: empezamos en $\partial J/\partial J = 1$ y bajamos un nodo por vez; cada
# nodo multiplica el gradiente que recibe de arriba por la derivada de su propia operación y le
# pasa el resultado a sus entradas. Eso es la **retropropagación**. `J.backward()` hace
# exactamente esa cuenta. Para ahorrar memoria, PyTorch solo guarda el gradiente de las
# **hojas** (`w.grad`). Si quieres inspeccionar los nodos intermedios, pídelo antes con
# `retain_grad()`.

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
# São os números da conta acima: $\partial J/\partial e2 = [1,1,1,1]$,
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
# Son los números de la cuenta de arriba: $\partial J/\partial e2 = [1,1,1,1]$,
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
# ## 3. Explore: o gradiente é a inclinação da tangente
#
# Como só há um peso, dá para desenhar $J(w) = 14\,(w-2)^2$ inteira. Mova o controle deslizante
# `w`: a cada posição, a célula refaz o *forward*, chama `backward()` e desenha a reta tangente
# com a inclinação $dJ/dw$ que o autograd devolveu. Repare que o gradiente é negativo à esquerda
# do mínimo, positivo à direita, zero em $w = 2$, e que fica maior quanto mais longe do mínimo.
# (Sem suporte a *widgets*, a célula desenha uma vez, em $w = 1$.)

# %% [markdown] lang="es"
# La diferencia exacta es $14\,(0.999^2 - 1) = -0.027986$: la aproximación lineal solo falla en
# el quinto decimal (en `float32` el último decimal todavía sufre algo de redondeo).
#
# ## 3. Explora: el gradiente es la pendiente de la tangente
#
# Como hay un solo peso, podemos dibujar $J(w) = 14\,(w-2)^2$ entera. Mueve el control deslizante
# `w`: en cada posición, la celda repite el *forward*, llama a `backward()` y dibuja la recta
# tangente con la pendiente $dJ/dw$ que devolvió autograd. Fíjate en que el gradiente es
# negativo a la izquierda del mínimo, positivo a la derecha, cero en $w = 2$, y que crece cuanto
# más lejos del mínimo estás. (Sin soporte para *widgets*, la celda dibuja una sola vez, en
# $w = 1$.)

# %%
def draw_tangent(w):
    w_leaf = torch.tensor([w], device=device, requires_grad=True)
    J_here = ((x * w_leaf - y) ** 2).sum()
    J_here.backward()
    slope = w_leaf.grad.item()
    grid = torch.linspace(-1.0, 5.0, 121)
    curve = ((x.cpu()[:, None] * grid - y.cpu()[:, None]) ** 2).sum(dim=0)
    span = torch.tensor([w - 1.2, w + 1.2])
    fig, ax = plt.subplots(figsize=(7, 4.2))
    ax.plot(grid, curve, color="black", lw=2, label="J(w) = Σ (x·w − y)²")
    ax.plot(span, J_here.item() + slope * (span - w), "--", color="C3", lw=2,
            label=lang_text("reta tangente, inclinação dJ/dw", "recta tangente, pendiente dJ/dw"))
    ax.plot([w], [J_here.item()], "o", color="C3", ms=8)
    ax.set_xlim(-1, 5)
    ax.set_ylim(-10, 135)
    ax.set_xlabel("w")
    ax.set_ylabel("J")
    ax.set_title(f"w = {w:.2f}    J = {J_here.item():.2f}    dJ/dw = {slope:.2f}")
    ax.legend(loc="upper center")
    plt.show()


explore(draw_tangent, w=slider(-1.0, 5.0, 1.0, step=0.05))

# %% [markdown] lang="pt"
# ## 4. O grafo desenhado a partir dos seus tensores
#
# A função `draw_graph`, definida na célula "código do desenho" logo abaixo, percorre
# `grad_fn.next_functions` a partir de `J` e desenha o grafo com **operações em caixas** e
# **tensores em círculos**: valores do *forward* em preto, acima, e gradientes
# $\partial J/\partial(\text{nó})$ do *backward* em vermelho, abaixo. Ela usa só informação
# pública: os nomes que você passa em `names`, `next_functions` e o `.grad` de cada tensor
# (por isso pedimos `retain_grad()` também para `J`, cujo gradiente é
# $\partial J/\partial J = 1$). As entradas que não pedem gradiente aparecem em
# `next_functions` apenas como `None`; o grafo não diz quem eram, então você informa em
# `constants` quais constantes entram em cada operação (`"y_pred": ["x"]` quer dizer "a
# operação que produz `y_pred` recebe a constante `x`"). Elas aparecem tracejadas, com seus
# valores e sem gradiente.
#
# O desenho usa só matplotlib, então funciona no Colab e sem internet.

# %% [markdown] lang="es"
# ## 4. El grafo dibujado a partir de tus tensores
#
# La función `draw_graph`, definida en la celda "código del dibujo" de abajo, recorre
# `grad_fn.next_functions` desde `J` y dibuja el grafo con **operaciones en cajas** y **tensores
# en círculos**: valores del *forward* en negro, arriba, y gradientes
# $\partial J/\partial(\text{nodo})$ del *backward* en rojo, abajo. Solo usa información pública:
# los nombres que pasas en `names`, `next_functions` y el `.grad` de cada tensor (por eso
# pedimos `retain_grad()` también para `J`, cuyo gradiente es $\partial J/\partial J = 1$). Las
# entradas que no piden gradiente aparecen en `next_functions` solo como `None`; el grafo no dice
# cuáles eran, así que tú indicas en `constants` qué constantes entran en cada operación
# (`"y_pred": ["x"]` quiere decir "la operación que produce `y_pred` recibe la constante `x`").
# Aparecen punteadas, con sus valores y sin gradiente.
#
# El dibujo solo usa matplotlib, así que funciona en Colab y sin conexión.

# %% [markdown] lang="pt"
# #### Código do desenho (pode pular)
#
# A próxima célula só define `draw_graph`; execute-a e siga em frente. Ler o código é opcional:
# ele anda por `next_functions` a partir da raiz, e o resto é posicionar caixas e setas.

# %% [markdown] lang="es"
# #### Código del dibujo (puedes saltarlo)
#
# La próxima celda solo define `draw_graph`; ejecútala y sigue adelante. Leer el código es
# opcional: recorre `next_functions` desde la raíz, y el resto es ubicar cajas y flechas.

# %%
def _values_text(t):
    values = t.detach().reshape(-1).tolist()
    text = ", ".join(f"{v:g}" for v in values[:4]) + (", …" if len(values) > 4 else "")
    return f"[{text}]" if t.dim() else text


def draw_graph(root, names, constants=None):
    produced_by = {t.grad_fn: name for name, t in names.items() if t.grad_fn is not None}
    leaf_names = {id(t): name for name, t in names.items() if t.grad_fn is None}
    waiting = {op: list(inputs) for op, inputs in (constants or {}).items()}
    rows, boxes, circles, arrows = {}, [], [], []

    def place(depth):
        rows[depth] = rows.get(depth, -1) + 1
        return -3.2 * depth, -2.0 * rows[depth]

    where = {root.grad_fn: place(0)}
    queue = [(root.grad_fn, 0)]
    while queue:
        node, depth = queue.pop(0)
        bx, by = where[node]
        out = produced_by.get(node, "?")
        boxes.append((bx, by, node.name().replace("Backward0", "")))
        circles.append((bx + 1.6, by, out, names.get(out), False))
        arrows.append((bx + 0.6, by, bx + 1.1, by))
        for child, _ in node.next_functions:
            if child is not None and child in where:
                cx, cy = where[child]
                arrows.append((cx + 2.1, cy, bx - 0.6, by))
                continue
            cx, cy = place(depth + 1)
            arrows.append((cx + 2.1, cy, bx - 0.6, by))
            if child is None:
                name = waiting[out].pop(0) if waiting.get(out) else "?"
                circles.append((cx + 1.6, cy, name, names.get(name), True))
            elif type(child).__name__ == "AccumulateGrad":
                where[child] = (cx, cy)
                leaf = child.variable
                circles.append((cx + 1.6, cy, leaf_names.get(id(leaf), "?"), leaf, False))
            else:
                where[child] = (cx, cy)
                queue.append((child, depth + 1))

    fig, ax = plt.subplots(figsize=(13, 4.2))
    for x0, y0, x1, y1 in arrows:
        ax.annotate("", xy=(x1, y1), xytext=(x0, y0),
                    arrowprops=dict(arrowstyle="->", color="gray"))
    for cx, cy, label in boxes:
        ax.add_patch(FancyBboxPatch((cx - 0.55, cy - 0.35), 1.1, 0.7, boxstyle="round,pad=0.05",
                                    fc="#dde8f6", ec="#33518c"))
        ax.text(cx, cy, label, ha="center", va="center", fontsize=9)
    for cx, cy, label, t, constant in circles:
        ax.add_patch(Circle((cx, cy), 0.45, fc="white", ec="gray" if constant else "black",
                            ls="--" if constant else "-"))
        ax.text(cx, cy, label, ha="center", va="center", fontsize=9, weight="bold")
        if t is None:
            continue
        ax.text(cx, cy + 0.62, _values_text(t), ha="center", fontsize=8)
        if constant:
            ax.text(cx, cy - 0.8, lang_text("sem gradiente", "sin gradiente"), ha="center",
                    fontsize=8, color="gray")
        elif t.grad is not None:
            ax.text(cx, cy - 0.8, _values_text(t.grad), ha="center", fontsize=8, color="red")
    xs = [c[0] for c in circles] + [b[0] for b in boxes]
    ys = [c[1] for c in circles]
    ax.set_xlim(min(xs) - 1.3, max(xs) + 1.3)
    ax.set_ylim(min(ys) - 1.3, max(ys) + 1.2)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(lang_text("preto: valores do forward · vermelho: ∂J/∂(nó) do backward · "
                           "tracejado: constante",
                           "negro: valores del forward · rojo: ∂J/∂(nodo) del backward · "
                           "punteado: constante"), fontsize=10)
    return ax

# %% [markdown] lang="pt"
# Agora refazemos o *forward*, pedimos `retain_grad()` para todos os nós intermediários e para
# `J`, chamamos `backward()` e desenhamos:

# %% [markdown] lang="es"
# Ahora repetimos el *forward*, pedimos `retain_grad()` para todos los nodos intermedios y para
# `J`, llamamos a `backward()` y dibujamos:

# %%
w.grad = None
y_pred = x * w
e = y_pred - y
e2 = e ** 2
J = e2.sum()
for t in (y_pred, e, e2, J):
    t.retain_grad()
J.backward()
draw_graph(J, names={"x": x, "y": y, "w": w, "y_pred": y_pred, "e": e, "e2": e2, "J": J},
           constants={"y_pred": ["x"], "e": ["y"]})
plt.show()

# %% [markdown] lang="pt"
# Leia o desenho da direita para a esquerda e você refaz a retropropagação: o 1 de `J` passa pela
# soma (vira $[1,1,1,1]$ em `e2`), é multiplicado por $2e$ no quadrado, atravessa a subtração
# sem mudar e, na multiplicação por `x`, é somado sobre as amostras até chegar a $-28$ em `w`.
#
# Experimente: troque `e ** 2` por `e.abs()` e desenhe de novo. Ou use `w` duas vezes, em
# etapas com nome — `xw = x * w` e `y_pred = xw + w`, com `"xw": xw` em `names` e
# `constants={"xw": ["x"], "e": ["y"]}` —, refaça o `backward()` e veja o que chega a `w` pelos
# dois caminhos (a pergunta 4b volta a isso).
#
# ## 5. O que `backward()` faz com o grafo
#
# Para calcular derivadas, os nós guardam tensores do *forward* (a multiplicação guarda `x`, o
# quadrado guarda `e`): são os **tensores salvos**. Assim que `backward()` termina, esses
# tensores são **liberados** para economizar memória, e o grafo não pode ser percorrido de novo:
# um segundo `J.backward()` dá erro. O PyTorch diz, em inglês, *"Trying to backward through the
# graph a second time (or directly access saved tensors after they have already been freed)"*.
# Se você realmente precisa percorrer o mesmo grafo duas vezes, use `retain_graph=True` no
# primeiro — mas repare no que acontece com `w.grad`:

# %% [markdown] lang="es"
# Lee el dibujo de derecha a izquierda y rehaces la retropropagación: el 1 de `J` pasa por la
# suma (se vuelve $[1,1,1,1]$ en `e2`), se multiplica por $2e$ en el cuadrado, atraviesa la resta
# sin cambiar y, en la multiplicación por `x`, se suma sobre las muestras hasta llegar a $-28$ en
# `w`.
#
# Prueba: cambia `e ** 2` por `e.abs()` y vuelve a dibujar. O usa `w` dos veces, en etapas con
# nombre (`xw = x * w` e `y_pred = xw + w`, con `"xw": xw` en `names` y
# `constants={"xw": ["x"], "e": ["y"]}`), repite el `backward()` y mira qué le llega a `w` por
# los dos caminos (la pregunta 4b vuelve sobre esto).
#
# ## 5. Qué le hace `backward()` al grafo
#
# Para calcular derivadas, los nodos guardan tensores del *forward* (la multiplicación guarda
# `x`, el cuadrado guarda `e`): son los **tensores guardados**. Apenas termina `backward()`, esos
# tensores se **liberan** para ahorrar memoria y el grafo ya no se puede recorrer otra vez: un
# segundo `J.backward()` da error. PyTorch lo dice, en inglés, así: *"Trying to backward through
# the graph a second time (or directly access saved tensors after they have already been
# freed)"*. Si de verdad necesitas recorrer el mismo grafo dos veces, usa `retain_graph=True` en
# el primero, pero fíjate en lo que le pasa a `w.grad`:

# %%
w.grad = None
J = ((x * w - y) ** 2).sum()
J.backward()
try:
    J.backward()
except RuntimeError:
    print(lang_text("RuntimeError: o grafo já foi percorrido e os tensores salvos foram liberados",
                    "RuntimeError: el grafo ya se recorrió y los tensores guardados se liberaron"))

w.grad = None
J2 = ((x * w - y) ** 2).sum()
J2.backward(retain_graph=True)
print(lang_text("depois de 1 backward:", "después de 1 backward:"), w.grad)
J2.backward()
print(lang_text("depois de 2 backward:", "después de 2 backward:"), w.grad)

# %% [markdown] lang="pt"
# O segundo `backward()` **somou** $-28$ ao que já estava em `w.grad`, dando $-56$. Isso não é
# um defeito: é como o PyTorch permite juntar gradientes de vários `backward()` (vários
# minilotes, ou várias perdas derivadas uma de cada vez). A consequência prática é que, num laço de
# treino, **você precisa zerar o gradiente** a cada passo — `w.grad = None` (ou
# `optimizer.zero_grad()`, que veremos depois). Esquecer disso é um dos erros mais comuns.
#
# > **Nota histórica.** Em materiais antigos você encontrará `from torch.autograd import Variable`
# > e `x.data`. Desde o PyTorch 0.4 (2018) `Variable` foi fundida em `Tensor`: todo tensor pode
# > ter `requires_grad`, `grad` e `grad_fn`. Hoje `Variable(t)` apenas devolve um tensor, e no
# > lugar de `.data` use `.detach()` ou `torch.no_grad()`, que não enganam o autograd.

# %% [markdown] lang="es"
# El segundo `backward()` **sumó** $-28$ a lo que ya había en `w.grad`, y quedó $-56$. No es un
# error: así PyTorch permite juntar gradientes de varios `backward()` (varios minilotes, o
# varias pérdidas derivadas una por una). La consecuencia práctica es que en un ciclo de
# entrenamiento **hay que poner el gradiente en cero** en cada paso: `w.grad = None` (u
# `optimizer.zero_grad()`, que veremos más adelante). Olvidarlo es uno de los errores más comunes.
#
# > **Nota histórica.** En materiales antiguos vas a encontrar `from torch.autograd import
# > Variable` y `x.data`. Desde PyTorch 0.4 (2018) `Variable` se fusionó con `Tensor`: cualquier
# > tensor puede tener `requires_grad`, `grad` y `grad_fn`. Hoy `Variable(t)` solo devuelve un
# > tensor, y en lugar de `.data` conviene usar `.detach()` o `torch.no_grad()`, que no engañan a
# > autograd.

# %% [markdown] lang="pt"
# ## 6. *Hooks*, `no_grad` e `detach`
#
# `retain_grad()` guarda o gradiente de um nó intermediário. Um *hook* (gancho) é mais flexível:
# uma função chamada com o gradiente no momento em que o `backward()` passa por aquele tensor.
# Serve para inspecionar (depurar gradientes que explodem, por exemplo) ou até modificar o
# gradiente.

# %% [markdown] lang="es"
# ## 6. *Hooks*, `no_grad` y `detach`
#
# `retain_grad()` guarda el gradiente de un nodo intermedio. Un *hook* (gancho) es más flexible:
# una función que se llama con el gradiente en el momento en que `backward()` pasa por ese
# tensor. Sirve para inspeccionar (depurar gradientes que explotan, por ejemplo) o incluso para
# modificar el gradiente.

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
# Os *hooks* aparecem na ordem do *backward*: primeiro `e2`, depois `e`, depois `y_pred`.
#
# Nem toda conta precisa de grafo. Na avaliação de um modelo, ou ao atualizar pesos, gravar o
# grafo só gasta memória. Há duas ferramentas para cortar o grafo:
#
# * `with torch.no_grad():` — nada do que é calculado dentro do bloco entra no grafo;
# * `t.detach()` — um tensor com os mesmos dados de `t`, mas **fora** do grafo (sem `grad_fn`,
#   `requires_grad=False`). O gradiente não passa por ele.

# %% [markdown] lang="es"
# Los *hooks* aparecen en el orden del *backward*: primero `e2`, luego `e`, luego `y_pred`.
#
# No toda cuenta necesita un grafo. Al evaluar un modelo, o al actualizar pesos, registrar el
# grafo solo gasta memoria. Hay dos herramientas para cortar el grafo:
#
# * `with torch.no_grad():`: nada de lo que se calcula dentro del bloque entra al grafo;
# * `t.detach()`: un tensor con los mismos datos que `t`, pero **fuera** del grafo (sin
#   `grad_fn`, `requires_grad=False`). El gradiente no pasa por él.

# %%
with torch.no_grad():
    J_eval = ((x * w - y) ** 2).sum()
print(lang_text("dentro de no_grad:", "dentro de no_grad:"),
      "requires_grad =", J_eval.requires_grad, "| grad_fn =", J_eval.grad_fn)

e_const = (x * w - y).detach()
J_half = (e_const * (x * w - y)).sum()
w.grad = None
J_half.backward()
print(lang_text("gradiente por um fator só:", "gradiente por un solo factor:"), w.grad)

# %% [markdown] lang="pt"
# No último exemplo, $J = \sum e_i \cdot e_i$ com o primeiro fator "congelado" por `detach()`:
# o gradiente passa só por um dos fatores e sai a metade, $-14$ em vez de $-28$.
#
# ## 7. Exercícios avaliados
#
# Cada exercício tem uma célula de resposta (substitua a linha `raise NotImplementedError(...)`
# pelo seu código; **não mude o nome nem os parâmetros da função**) e uma célula de verificação
# logo abaixo. As verificações visíveis usam os dados da aula e aceitam diferença relativa de até
# $10^{-6}$; na correção, testes ocultos repetem a conferência com dados aleatórios em
# `float64`, na CPU e na GPU (se houver), comparando com o `torch.autograd` com a mesma
# tolerância relativa, $10^{-6}$. Não modifique os tensores recebidos.
#
# ### Exercício 1 — `forward(x, w, y)` (2 pontos)
#
# Devolva a tupla `(y_pred, e, e2, J)` com $\hat y = x w$, $e = \hat y - y$, $e2 = e^2$ e
# $J = \sum e2$, usando apenas operações do torch, de modo que `J.backward()` chegue até `w`.

# %% [markdown] lang="es"
# En el último ejemplo, $J = \sum e_i \cdot e_i$ con el primer factor "congelado" por `detach()`:
# el gradiente pasa solo por uno de los factores y sale la mitad, $-14$ en lugar de $-28$.
#
# ## 7. Ejercicios calificados
#
# Cada ejercicio tiene una celda de respuesta (reemplaza la línea `raise NotImplementedError(...)`
# por tu código; **no cambies el nombre ni los parámetros de la función**) y una celda de
# verificación justo debajo. Las verificaciones visibles usan los datos de la clase y aceptan una
# diferencia relativa de hasta $10^{-6}$; al corregir, pruebas ocultas repiten la comprobación
# con datos aleatorios en `float64`, en CPU y en GPU (si hay), comparando con `torch.autograd`
# con la misma tolerancia relativa, $10^{-6}$. No modifiques los tensores que recibes.
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


def forward_chk():
    w_chk = torch.ones(1, device=device, requires_grad=True)
    y_pred_chk, e_chk, e2_chk, J_chk = forward(x_chk, w_chk, y_chk)
    return y_pred_chk, e_chk, e2_chk, J_chk, w_chk


def grad_w_chk():
    *_, J_chk, w_chk = forward_chk()
    J_chk.backward()
    return w_chk.grad


check("y_pred", lambda: forward_chk()[0], [0.0, 1.0, 2.0, 3.0])
check("e", lambda: forward_chk()[1], [0.0, -1.0, -2.0, -3.0])
check("e2", lambda: forward_chk()[2], [0.0, 1.0, 4.0, 9.0])
check("J", lambda: forward_chk()[3], 14.0)
check("w.grad", grad_w_chk, [-28.0])
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
# Cada valor é um tensor do torch (não um array do numpy) com o formato do seu nó (o de `"w"`
# tem o formato de `w`). A função será chamada dentro de `torch.no_grad()`, com tensores que
# não pedem gradiente; os testes ocultos também conferem que ela não usa o autograd
# (`backward()`, `torch.autograd.grad`).
#
# Dica: comece por $\partial J/\partial J = 1$ e desça um nó por vez, como na seção 2. Não
# esqueça que $\partial e2_i/\partial e_i = 2e_i$: o fator 2 da derivada do quadrado é o
# esquecimento mais comum. Na última etapa, cada amostra contribui com uma parcela para o
# gradiente do único peso.

# %% [markdown] lang="es"
# ### Ejercicio 2 — `manual_backward(x, w, y)` (3 puntos)
#
# Ahora haz el papel de `backward()`: **sin autograd**, aplica la regla de la cadena a mano y
# devuelve un diccionario con $\partial J/\partial$(nodo) para `"e2"`, `"e"`, `"y_pred"` y `"w"`.
# Cada valor es un tensor de torch (no un array de numpy) con la forma de su nodo (el de `"w"`
# tiene la forma de `w`). La función se llamará dentro de `torch.no_grad()`, con tensores que
# no piden gradiente; las pruebas ocultas también comprueban que no use autograd
# (`backward()`, `torch.autograd.grad`).
#
# Pista: empieza por $\partial J/\partial J = 1$ y baja un nodo por vez, como en la sección 2. No
# olvides que $\partial e2_i/\partial e_i = 2e_i$: el factor 2 de la derivada del cuadrado es el
# olvido más común. En la última etapa, cada muestra aporta un término al gradiente del único
# peso.

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
def manual_chk():
    with torch.no_grad():
        return manual_backward(torch.tensor([0.0, 1.0, 2.0, 3.0], device=device),
                               torch.ones(1, device=device),
                               torch.tensor([0.0, 2.0, 4.0, 6.0], device=device))


check(lang_text("chaves", "claves"), lambda: sorted(manual_chk()), ["e", "e2", "w", "y_pred"])
check(lang_text("tipo de cada valor", "tipo de cada valor"),
      lambda: [f"{k}: {type(v).__name__}" for k, v in sorted(manual_chk().items())],
      ["e: Tensor", "e2: Tensor", "w: Tensor", "y_pred: Tensor"])
check("dJ/de2", lambda: manual_chk()["e2"], [1.0, 1.0, 1.0, 1.0])
check("dJ/de", lambda: manual_chk()["e"], [0.0, -2.0, -4.0, -6.0])
check("dJ/dy_pred", lambda: manual_chk()["y_pred"], [0.0, -2.0, -4.0, -6.0])
check("dJ/dw", lambda: manual_chk()["w"], [-28.0])
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
check("grad_fn_names(J)", lambda: grad_fn_names(J_chk),
      ["SumBackward0", "PowBackward0", "SubBackward0", "MulBackward0", "AccumulateGrad"])
check("grad_fn_names(w)", lambda: grad_fn_names(w_chk), [])
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
# numa célula nova antes de responder.
#
# **4a.** Você calculou `J = ((x * w - y) ** 2).sum()` e chamou `J.backward()`. Em seguida faz
# `w.grad = None` e chama `J.backward()` de novo, **sem refazer o *forward***. O que acontece?
#
# * (a) `w.grad` volta a valer $-28$: com o gradiente zerado, o grafo pode ser percorrido de novo.
# * (b) Um `RuntimeError`: os tensores que os nós salvaram foram liberados no primeiro `backward()`.
# * (c) `w.grad` passa a valer $-56$: o gradiente antigo ficou guardado nos nós e é somado outra vez.
# * (d) `w.grad` continua `None`: sem um *forward* novo, o `backward()` não encontra nada para fazer.
#
# **4b.** O peso `w` agora entra **duas vezes** na previsão: `y_pred = x * w + w`, com
# `J = ((y_pred - y) ** 2).sum()`. Depois de `J.backward()`, o que está em `w.grad`?
#
# * (a) Só a parcela do último uso de `w` (o `+ w`): a segunda escrita em `w.grad` apaga a primeira.
# * (b) Um `w.grad` com dois elementos, uma parcela por caminho, que você depois soma à mão.
# * (c) A soma das parcelas dos dois caminhos, $\sum_i 2e_i\,(x_i + 1)$, num único `w.grad`.
# * (d) Um `RuntimeError`: uma folha só pode aparecer uma vez no grafo de uma mesma perda.

# %% [markdown] lang="es"
# ### Ejercicio 4 — opción múltiple (1 punto cada una)
#
# Responde asignando la letra de la opción a `answer_backward_twice` y a `answer_accumulation`,
# por ejemplo `answer_backward_twice = "a"`. Si tienes dudas, pruébalo en una celda nueva antes
# de responder.
#
# **4a.** Calculaste `J = ((x * w - y) ** 2).sum()` y llamaste a `J.backward()`. Luego haces
# `w.grad = None` y llamas otra vez a `J.backward()`, **sin repetir el *forward***. ¿Qué pasa?
#
# * (a) `w.grad` vuelve a valer $-28$: con el gradiente en cero, el grafo se puede recorrer de nuevo.
# * (b) Un `RuntimeError`: los tensores que guardaron los nodos se liberaron en el primer `backward()`.
# * (c) `w.grad` pasa a valer $-56$: el gradiente viejo quedó guardado en los nodos y se suma otra vez.
# * (d) `w.grad` sigue en `None`: sin un *forward* nuevo, `backward()` no encuentra nada que hacer.
#
# **4b.** El peso `w` ahora entra **dos veces** en la predicción: `y_pred = x * w + w`, con
# `J = ((y_pred - y) ** 2).sum()`. Después de `J.backward()`, ¿qué hay en `w.grad`?
#
# * (a) Solo el término del último uso de `w` (el `+ w`): la segunda escritura en `w.grad` borra la primera.
# * (b) Un `w.grad` con dos elementos, un término por camino, que después sumas a mano.
# * (c) La suma de los términos de los dos caminos, $\sum_i 2e_i\,(x_i + 1)$, en un único `w.grad`.
# * (d) Un `RuntimeError`: una hoja solo puede aparecer una vez en el grafo de una misma pérdida.

# %% nbgrader={"grade_id": "answer_backward_twice", "solution": true}
### BEGIN SOLUTION
answer_backward_twice = "b"
### END SOLUTION

# %% nbgrader={"grade_id": "test_backward_twice", "grade": true, "points": 1}
check_choice("answer_backward_twice", answer_backward_twice)
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
check_choice("answer_accumulation", answer_accumulation)
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
# treino oscila ou diverge. Acumular de propósito é útil para simular um lote maior do que
# cabe na memória: somam-se os gradientes de vários minilotes e só então se dá o passo.

# %% [markdown] lang="es" nbgrader={"grade_id": "explain_accumulation", "solution": true, "grade": true, "points": 2}
# Cada `backward()` suma el gradiente nuevo al anterior: desde el segundo paso, la actualización
# usa la suma de los gradientes de todos los pasos previos, los pasos son cada vez más grandes y
# el entrenamiento oscila o diverge. Acumular a propósito sirve para simular un lote más grande
# del que cabe en memoria: se suman los gradientes de varios minilotes y solo entonces se da el
# paso.

# %% [markdown] lang="pt"
# ## Resumo
#
# * Enquanto você calcula, o PyTorch grava um **grafo computacional**: cada resultado guarda em
#   `grad_fn` o nó que o produziu, e cada nó aponta para as suas entradas em `next_functions`.
#   As folhas que pedem gradiente aparecem como `AccumulateGrad`.
# * O grafo é **definido na execução** (*define-by-run*): é refeito a cada *forward*, e um `if`
#   do Python decide quais operações entram nele.
# * `backward()` executa a **retropropagação**: parte de $\partial J/\partial J = 1$ e aplica a
#   regra da cadeia nó a nó, de trás para frente. Só as folhas guardam `.grad`; para os nós
#   intermediários use `retain_grad()` ou um *hook*.
# * Depois do `backward()` os tensores salvos são liberados (um segundo `backward()` dá erro, a
#   não ser que se use `retain_graph=True`), e o gradiente das folhas **acumula**: zere-o a cada
#   passo.
# * `torch.no_grad()` e `detach()` cortam o grafo.
#
# Na próxima aula vamos conferir esses gradientes por **diferenças finitas**, o jeito mais
# simples (e mais lento) de calcular uma derivada numericamente.
#
# ## Para saber mais
#
# * Documentação do PyTorch, "Autograd mechanics" (em inglês):
#   https://pytorch.org/docs/stable/notes/autograd.html
# * Notas do curso CS231n (Stanford) sobre retropropagação, com grafos desenhados à mão (em
#   inglês): https://cs231n.github.io/optimization-2/
# * *Mergulho Profundo no Aprendizado Profundo* (d2l), capítulo "Diferenciação automática", em
#   português: https://pt.d2l.ai/chapter_preliminaries/autograd.html

# %% [markdown] lang="es"
# ## Resumen
#
# * Mientras calculas, PyTorch registra un **grafo computacional**: cada resultado guarda en
#   `grad_fn` el nodo que lo produjo, y cada nodo apunta a sus entradas en `next_functions`. Las
#   hojas que piden gradiente aparecen como `AccumulateGrad`.
# * El grafo se **define en la ejecución** (*define-by-run*): se rehace en cada *forward*, y un
#   `if` de Python decide qué operaciones entran en él.
# * `backward()` ejecuta la **retropropagación**: parte de $\partial J/\partial J = 1$ y aplica la
#   regla de la cadena nodo por nodo, de atrás hacia adelante. Solo las hojas guardan `.grad`;
#   para los nodos intermedios usa `retain_grad()` o un *hook*.
# * Después de `backward()` los tensores guardados se liberan (un segundo `backward()` da error,
#   salvo con `retain_graph=True`), y el gradiente de las hojas **se acumula**: ponlo en cero en
#   cada paso.
# * `torch.no_grad()` y `detach()` cortan el grafo.
#
# En la próxima clase vamos a comprobar estos gradientes con **diferencias finitas**, la forma más
# simple (y más lenta) de calcular una derivada numéricamente.
#
# ## Para saber más
#
# Estas referencias están en inglés (no conocemos ediciones en español):
#
# * Documentación de PyTorch, "Autograd mechanics":
#   https://pytorch.org/docs/stable/notes/autograd.html
# * Apuntes del curso CS231n (Stanford) sobre retropropagación, con grafos dibujados a mano:
#   https://cs231n.github.io/optimization-2/
# * *Dive into Deep Learning* (d2l), capítulo "Automatic Differentiation":
#   https://d2l.ai/chapter_preliminaries/autograd.html
