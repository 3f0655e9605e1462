# %% [markdown] lang="pt"
# # 07 · A mecânica do autograd
#
# **Pré-requisitos:** as aulas 01 a 06 — o grafo computacional, `grad_fn` e `backward()` (01),
# a verificação do gradiente por diferenças finitas (02), laços de treino e `zero_grad()` (03),
# uma `Function` personalizada com `ctx.save_for_backward` (04), `Module`, `DataLoader` e
# `torch.no_grad()` no treino (05) e produtos vetor-jacobiano (06).
# **Tempo estimado:** cerca de 2 horas.
#
# Até aqui usamos o autograd como uma caixa que devolve gradientes. Nesta aula abrimos a caixa
# e olhamos as peças que decidem se um gradiente sai certo, errado ou não sai: como o grafo é
# montado, o que ele salva, quando ele é apagado e como podemos interferir nele. É também onde
# aparecem os erros de verdade: mensagens como *"one of the variables needed for gradient
# computation has been modified by an inplace operation"* ou *"Trying to backward through the
# graph a second time"* deixam de ser mistério.
#
# Neste notebook você vai:
#
# 1. dar nome ao algoritmo que o `backward()` executa: a **retropropagação**;
# 2. ver que o grafo é definido na execução (*define-by-run*), refeito a cada *forward*, e que
#    o gradiente atravessa `if`, `for` e `while` do Python;
# 3. entender os **tensores salvos** e o **contador de versão**, a causa do erro de operação
#    *in-place*, e consertar uma função que o provoca;
# 4. usar `retain_graph` para derivar várias perdas de um mesmo *forward*;
# 5. mudar o gradiente no meio do caminho com *hooks* (`register_hook`);
# 6. cortar o grafo com `detach()` e desligá-lo com `torch.no_grad()`;
# 7. **acumular gradientes** de propósito, em microlotes, e obter o gradiente do lote inteiro.
#
# Os exercícios avaliados aparecem ao longo do caminho, um por seção. Execute as células em
# ordem (Shift+Enter). As células com `check(...)` conferem seu trabalho na hora; a nota final
# vem de testes ocultos, com outros dados, aplicados na correção.

# %% [markdown] lang="es"
# # 07 · La mecánica de autograd
#
# **Requisitos previos:** las clases 01 a 06: el grafo computacional, `grad_fn` y `backward()`
# (01), la verificación del gradiente con diferencias finitas (02), bucles de entrenamiento y
# `zero_grad()` (03), una `Function` personalizada con `ctx.save_for_backward` (04), `Module`,
# `DataLoader` y `torch.no_grad()` en el entrenamiento (05) y productos vector-jacobiano (06).
# **Tiempo estimado:** unas 2 horas.
#
# Hasta ahora usamos autograd como una caja que devuelve gradientes. En esta clase abrimos la
# caja y miramos las piezas que deciden si un gradiente sale bien, mal o no sale: cómo se arma
# el grafo, qué guarda, cuándo se borra y cómo podemos intervenir en él. Es también donde
# aparecen los errores de verdad: mensajes como *"one of the variables needed for gradient
# computation has been modified by an inplace operation"* o *"Trying to backward through the
# graph a second time"* dejan de ser un misterio.
#
# En este notebook vas a:
#
# 1. ponerle nombre al algoritmo que ejecuta `backward()`: la **retropropagación**;
# 2. ver que el grafo se define en la ejecución (*define-by-run*), se rehace en cada *forward*,
#    y que el gradiente atraviesa los `if`, `for` y `while` de Python;
# 3. entender los **tensores guardados** y el **contador de versión**, la causa del error de
#    operación *in-place*, y arreglar una función que lo provoca;
# 4. usar `retain_graph` para derivar varias pérdidas de un mismo *forward*;
# 5. cambiar el gradiente a mitad de camino con *hooks* (`register_hook`);
# 6. cortar el grafo con `detach()` y apagarlo con `torch.no_grad()`;
# 7. **acumular gradientes** a propósito, en microlotes, y obtener el gradiente del lote entero.
#
# Los ejercicios calificados aparecen a lo largo del camino, uno por sección. Ejecuta las
# celdas en orden (Shift+Enter). Las celdas con `check(...)` revisan tu trabajo al instante; la
# nota final sale de pruebas ocultas, con otros datos, que se aplican al corregir.

# %%
import copy
import math
import re

import matplotlib.pyplot as plt
import torch

device = "cuda" if torch.cuda.is_available() else "cpu"
print("torch", torch.__version__, "| device:", device)

# %% [markdown] lang="pt"
# Esta aula usa a GPU da NVIDIA (`cuda`) se houver e, senão, a CPU; não usa a GPU dos Macs com
# chip Apple (`mps`) porque as contas daqui são em `float64`, que o `mps` não aceita.
#
# ## 1. Retropropagação
#
# O algoritmo que o `backward()` executa se chama **retropropagação** (em inglês,
# *backpropagation* ou *backprop*). São duas passagens:
#
# * o *forward* (propagação para a frente) calcula os valores e, ao mesmo tempo, grava o grafo:
#   cada operação vira um nó que lembra as suas entradas e salva o que vai precisar depois;
# * o *backward* percorre esse grafo do fim para o começo. Cada nó recebe
#   $\partial L/\partial(\text{saída})$, multiplica pela sua derivada local — o produto
#   vetor-jacobiano da aula 06 — e entrega $\partial L/\partial(\text{entrada})$ aos nós
#   anteriores. Quando um tensor é usado por dois caminhos, os gradientes que chegam por cada
#   caminho **se somam** antes de seguir.
#
# É a regra da cadeia, organizada para que o gradiente de uma perda escalar em relação a
# **todos** os parâmetros saia num único *backward*, com custo da mesma ordem do *forward*. A
# ideia (o "modo reverso" da diferenciação automática) é dos anos 1970; o nome
# *backpropagation* ficou famoso com Rumelhart, Hinton e Williams (1986), que a usaram para
# treinar redes neurais.
#
# Veja a ordem do *backward* em $c = x\,\sin(x^2)$, com $x = 1{,}5$. Um *hook* (seção 5) imprime
# o gradiente que chega a cada tensor:

# %% [markdown] lang="es"
# Esta clase usa la GPU de NVIDIA (`cuda`) si la hay y, si no, la CPU; no usa la GPU de las Mac
# con chip de Apple (`mps`) porque las cuentas de aquí son en `float64`, que `mps` no acepta.
#
# ## 1. Retropropagación
#
# El algoritmo que ejecuta `backward()` se llama **retropropagación** (en inglés,
# *backpropagation* o *backprop*). Son dos pasadas:
#
# * el *forward* (propagación hacia adelante) calcula los valores y, al mismo tiempo, registra
#   el grafo: cada operación se vuelve un nodo que recuerda sus entradas y guarda lo que va a
#   necesitar después;
# * el *backward* recorre ese grafo del final al principio. Cada nodo recibe
#   $\partial L/\partial(\text{salida})$, lo multiplica por su derivada local (el producto
#   vector-jacobiano de la clase 06) y le entrega $\partial L/\partial(\text{entrada})$ a los
#   nodos anteriores. Cuando un tensor se usa por dos caminos, los gradientes que llegan por
#   cada camino **se suman** antes de seguir.
#
# Es la regla de la cadena, organizada para que el gradiente de una pérdida escalar respecto de
# **todos** los parámetros salga en un solo *backward*, con un costo del mismo orden que el
# *forward*. La idea (el "modo inverso" de la diferenciación automática) es de los años 1970; el
# nombre *backpropagation* se hizo famoso con Rumelhart, Hinton y Williams (1986), que la usaron
# para entrenar redes neuronales.
#
# Mira el orden del *backward* en $c = x\,\sin(x^2)$, con $x = 1.5$. Un *hook* (sección 5)
# imprime el gradiente que llega a cada tensor:

# %%
x = torch.tensor(1.5, dtype=torch.float64, device=device, requires_grad=True)
a = x * x
b = torch.sin(a)
c = b * x
for name, t in [("c", c), ("b", b), ("a", a), ("x", x)]:
    t.register_hook(lambda grad, name=name: print(f"dc/d{name} = {grad.item():+.4f}"))
c.backward()
exact = math.sin(1.5 ** 2) + 2 * 1.5 ** 2 * math.cos(1.5 ** 2)
print(f"sin(x²) + 2x²·cos(x²) = {exact:+.4f}")

# %% [markdown] lang="pt"
# Do fim para o começo: $\partial c/\partial c = 1$; $\partial c/\partial b = x = 1{,}5$;
# $\partial c/\partial a = x\cos(a) = 1{,}5\cdot\cos(2{,}25) \approx -0{,}9423$. O $x$ é usado por
# **dois** caminhos — diretamente em $c = b\cdot x$ e dentro de $a = x\cdot x$ —, e o *hook* de
# $x$ dispara uma vez só, com a soma:
# $b + \partial c/\partial a \cdot 2x = 0{,}7781 - 2{,}8268 = -2{,}0487$, exatamente a derivada
# $\sin(x^2) + 2x^2\cos(x^2)$.
#
# ## 2. Grafo definido na execução (*define-by-run*)
#
# O PyTorch não recebe o grafo pronto: ele o **grava enquanto o seu código Python roda** (por
# isso também se fala em grafo dinâmico). Se um `if` escolheu um ramo, só as operações daquele
# ramo entram no grafo; se um `while` deu três voltas, o grafo tem três cópias do corpo do laço.
# Na chamada seguinte, com outros números, nasce outro grafo. Por isso o gradiente "atravessa" o
# controle de fluxo do Python: ele é a derivada **do caminho que foi de fato executado**.
#
# A função `chain` abaixo segue o primeiro `next_functions` de cada nó, para vermos o grafo de
# cada chamada:

# %% [markdown] lang="es"
# Del final al principio: $\partial c/\partial c = 1$; $\partial c/\partial b = x = 1.5$;
# $\partial c/\partial a = x\cos(a) = 1.5\cdot\cos(2.25) \approx -0.9423$. El $x$ se usa por
# **dos** caminos (directamente en $c = b\cdot x$ y dentro de $a = x\cdot x$) y el *hook* de $x$
# se dispara una sola vez, con la suma:
# $b + \partial c/\partial a \cdot 2x = 0.7781 - 2.8268 = -2.0487$, exactamente la derivada
# $\sin(x^2) + 2x^2\cos(x^2)$.
#
# ## 2. Grafo definido en la ejecución (*define-by-run*)
#
# PyTorch no recibe el grafo hecho: lo **registra mientras corre tu código Python** (por eso
# también se habla de grafo dinámico). Si un `if` eligió una rama, solo las operaciones de esa
# rama entran al grafo; si un `while` dio tres vueltas, el grafo tiene tres copias del cuerpo
# del bucle. En la llamada siguiente, con otros números, nace otro grafo. Por eso el gradiente
# "atraviesa" el control de flujo de Python: es la derivada **del camino que realmente se
# ejecutó**.
#
# La función `chain` de abajo sigue el primer `next_functions` de cada nodo, para ver el grafo
# de cada llamada:

# %%
def f(x):
    if x > 0:
        y = x ** 2
    else:
        y = -x
    return y


def chain(t):
    names, node = [], t.grad_fn
    while node is not None:
        names.append(type(node).__name__)
        node = node.next_functions[0][0] if node.next_functions else None
    return names


for v in (2.0, -3.0):
    x = torch.tensor(v, dtype=torch.float64, device=device, requires_grad=True)
    y = f(x)
    y.backward()
    print(f"x = {v:+.1f} | f(x) = {y.item():+.1f} | df/dx = {x.grad.item():+.1f} | {chain(y)}")

# %% [markdown] lang="pt"
# Com $x = 2$ o grafo é `PowBackward0` ($f = x^2$, derivada $2x = 4$); com $x = -3$ é
# `NegBackward0` ($f = -x$, derivada $-1$). Mesmo código, grafos diferentes.
#
# Um laço cujo número de voltas depende dos dados: `shrink` divide por 2 até $|y| \le 1$. Para
# $x = 10$ são 4 divisões ($10 \to 5 \to 2{,}5 \to 1{,}25 \to 0{,}625$), o grafo tem 4 nós
# `DivBackward0` e a derivada é $1/2^4 = 0{,}0625$. Para $x = 0{,}5$ o laço nem roda: $y$ é o
# próprio $x$ e a derivada é 1.

# %% [markdown] lang="es"
# Con $x = 2$ el grafo es `PowBackward0` ($f = x^2$, derivada $2x = 4$); con $x = -3$ es
# `NegBackward0` ($f = -x$, derivada $-1$). El mismo código, grafos distintos.
#
# Un bucle cuyo número de vueltas depende de los datos: `shrink` divide por 2 hasta que
# $|y| \le 1$. Para $x = 10$ son 4 divisiones ($10 \to 5 \to 2.5 \to 1.25 \to 0.625$), el
# grafo tiene 4 nodos `DivBackward0` y la derivada es $1/2^4 = 0.0625$. Para $x = 0.5$ el bucle
# ni corre: $y$ es el propio $x$ y la derivada es 1.

# %%
def shrink(x):
    y = x
    while y.abs() > 1:
        y = y / 2
    return y


for v in (0.5, 3.0, 10.0):
    x = torch.tensor(v, dtype=torch.float64, device=device, requires_grad=True)
    y = shrink(x)
    y.backward()
    print(f"x = {v:4.1f} | y = {y.item():.4f} | dy/dx = {x.grad.item():.4f} | {chain(y)}")

# %% [markdown] lang="pt"
# Duas consequências importantes:
#
# * **a condição não tem derivada.** `x > 0` é uma comparação: o autograd não deriva "a escolha
#   do ramo". Se a função dá um **salto** na fronteira, o gradiente não vê o salto. No gráfico
#   abaixo, $g(x) = x^2/2$ para $x < 1$ e $x^2/2 + 1$ a partir de 1: o autograd diz $g'(x) = x$
#   em toda parte, como se o degrau não existisse. (Com `torch.where` acontece o mesmo: ele
#   escolhe valores, mas a máscara não tem gradiente.)
# * **na fronteira vale o ramo que rodou.** Em $x = 0$, a função `f` acima executa o `else`
#   (porque `0 > 0` é falso), e o autograd devolve a derivada desse ramo.

# %% [markdown] lang="es"
# Dos consecuencias importantes:
#
# * **la condición no tiene derivada.** `x > 0` es una comparación: autograd no deriva "la
#   elección de la rama". Si la función da un **salto** en la frontera, el gradiente no ve el
#   salto. En el gráfico de abajo, $g(x) = x^2/2$ para $x < 1$ y $x^2/2 + 1$ desde 1: autograd
#   dice $g'(x) = x$ en todas partes, como si el escalón no existiera. (Con `torch.where` pasa
#   lo mismo: elige valores, pero la máscara no tiene gradiente.)
# * **en la frontera vale la rama que corrió.** En $x = 0$, la función `f` de arriba ejecuta el
#   `else` (porque `0 > 0` es falso), y autograd devuelve la derivada de esa rama.

# %%
xs = torch.linspace(-1, 3, 401, dtype=torch.float64, device=device, requires_grad=True)
g = torch.where(xs < 1, xs ** 2 / 2, xs ** 2 / 2 + 1)
g.sum().backward()
plt.figure(figsize=(7, 3.5))
plt.plot(xs.detach().cpu(), g.detach().cpu(), label="g(x)")
plt.plot(xs.detach().cpu(), xs.grad.cpu(), label="dg/dx (autograd)")
plt.axvline(1, color="gray", lw=0.5, ls="--")
plt.xlabel("x")
plt.legend()
plt.show()

# %% [markdown] lang="pt"
# ### Exercício 1 — múltipla escolha (1 ponto)
#
# Considere
#
# ```python
# def h(x):
#     if x >= 1:
#         return 3 * x
#     return x ** 2
# ```
#
# Quanto vale `x.grad` depois de `x = torch.tensor(1.0, requires_grad=True)` e
# `h(x).backward()`? Responda atribuindo a letra a `answer_branch_at_boundary`, por exemplo
# `answer_branch_at_boundary = "a"`. Se tiver dúvida, experimente numa célula nova.
#
# * (a) `2.0`: a derivada de $x^2$ em $x = 1$.
# * (b) `2.5`: a média das duas derivadas laterais.
# * (c) `3.0`: a derivada de $3x$, o ramo que rodou.
# * (d) `nan`: `h` não é derivável em $x = 1$.

# %% [markdown] lang="es"
# ### Ejercicio 1 — opción múltiple (1 punto)
#
# Considera
#
# ```python
# def h(x):
#     if x >= 1:
#         return 3 * x
#     return x ** 2
# ```
#
# ¿Cuánto vale `x.grad` después de `x = torch.tensor(1.0, requires_grad=True)` y
# `h(x).backward()`? Responde asignando la letra a `answer_branch_at_boundary`, por ejemplo
# `answer_branch_at_boundary = "a"`. Si tienes dudas, pruébalo en una celda nueva.
#
# * (a) `2.0`: la derivada de $x^2$ en $x = 1$.
# * (b) `2.5`: el promedio de las dos derivadas laterales.
# * (c) `3.0`: la derivada de $3x$, la rama que corrió.
# * (d) `nan`: `h` no es derivable en $x = 1$.

# %% nbgrader={"grade_id": "answer_branch_at_boundary", "solution": true}
### BEGIN SOLUTION
answer_branch_at_boundary = "c"
### END SOLUTION

# %% nbgrader={"grade_id": "test_branch_at_boundary", "grade": true, "points": 1}
check_choice("answer_branch_at_boundary", answer_branch_at_boundary)
### BEGIN HIDDEN TESTS
from course.lessons import load_checks
hidden_checks = load_checks("07_autograd_mechanics")
hidden_checks.check_branch_at_boundary(answer_branch_at_boundary, LANG)
### END HIDDEN TESTS

# %% [markdown] lang="pt"
# ### Exercício 2 — `pointwise_grad(f, x)` (2 pontos)
#
# `f` é uma função como `f` e `shrink` acima: recebe **um número** (um tensor 0-d) e decide com
# `if`, `for` ou `while` do Python. `x` é um tensor 1-D de pontos. Devolva o tensor com
# $f'(x_i)$ em cada posição, com o formato, o `dtype` e o `device` de `x`, calculado **com o
# autograd** (`backward()` ou `torch.autograd.grad`) — nada de diferenças finitas.
#
# * Chame `f` **um ponto de cada vez**: com o vetor inteiro, o `if` do Python não sabe decidir
#   (e cada ponto pode seguir um ramo diferente).
# * Não modifique `x`: não ligue `requires_grad` nele nem deixe `.grad` nele. Trabalhe com um
#   tensor folha novo por ponto, `x[i].detach().requires_grad_(True)`.

# %% [markdown] lang="es"
# ### Ejercicio 2 — `pointwise_grad(f, x)` (2 puntos)
#
# `f` es una función como `f` y `shrink` de arriba: recibe **un número** (un tensor 0-d) y
# decide con `if`, `for` o `while` de Python. `x` es un tensor 1-D de puntos. Devuelve el tensor
# con $f'(x_i)$ en cada posición, con la forma, el `dtype` y el `device` de `x`, calculado **con
# autograd** (`backward()` o `torch.autograd.grad`), nada de diferencias finitas.
#
# * Llama a `f` **un punto por vez**: con el vector entero, el `if` de Python no sabe decidir
#   (y cada punto puede seguir una rama distinta).
# * No modifiques `x`: no le actives `requires_grad` ni le dejes `.grad`. Trabaja con un tensor
#   hoja nuevo por punto, `x[i].detach().requires_grad_(True)`.

# %% nbgrader={"grade_id": "pointwise_grad", "solution": true}
def pointwise_grad(f, x):
    ### BEGIN SOLUTION
    grads = torch.empty_like(x)
    for i in range(len(x)):
        t = x[i].detach().requires_grad_(True)
        (g,) = torch.autograd.grad(f(t), t)
        grads[i] = g
    return grads
    ### END SOLUTION

# %% nbgrader={"grade_id": "test_pointwise_grad", "grade": true, "points": 2}
x_chk = torch.tensor([2.0, -3.0, 0.0, 0.5], dtype=torch.float64, device=device)
check("pointwise_grad(f, [2, -3, 0, 0.5])", lambda: pointwise_grad(f, x_chk),
      [4.0, -1.0, -1.0, 1.0])
check("x.requires_grad", x_chk.requires_grad, False)
check("pointwise_grad(shrink, [0.5, 3, 10])",
      lambda: pointwise_grad(shrink, torch.tensor([0.5, 3.0, 10.0], dtype=torch.float64,
                                                  device=device)),
      [1.0, 0.25, 0.0625])
### BEGIN HIDDEN TESTS
from course.lessons import load_checks
hidden_checks = load_checks("07_autograd_mechanics")
hidden_checks.check_pointwise_grad(pointwise_grad, LANG)
### END HIDDEN TESTS

# %% [markdown] lang="pt"
# ## 3. Tensores salvos e o contador de versão
#
# Para fazer o *backward*, cada nó salva tensores do *forward*. Quais ele salva depende da
# derivada da operação:
#
# * $\sin$ salva a **entrada** ($\sin' x = \cos x$ precisa de $x$);
# * $e^x$, `sigmoid` e `tanh` salvam a **saída** (a derivada de $e^x$ é $e^x$; a da sigmoide é
#   $\sigma(1-\sigma)$);
# * a multiplicação `a * b` salva os dois fatores (cada um é a derivada em relação ao outro),
#   mas `a * 2` só salva o número 2;
# * soma e subtração não salvam tensor nenhum (as derivadas são constantes, 1 ou $-1$).
#
# Dá para ver isso nos atributos `_saved_…` de cada `grad_fn`:

# %% [markdown] lang="es"
# ## 3. Tensores guardados y el contador de versión
#
# Para hacer el *backward*, cada nodo guarda tensores del *forward*. Cuáles guarda depende de
# la derivada de la operación:
#
# * $\sin$ guarda la **entrada** ($\sin' x = \cos x$ necesita $x$);
# * $e^x$, `sigmoid` y `tanh` guardan la **salida** (la derivada de $e^x$ es $e^x$; la de la
#   sigmoide es $\sigma(1-\sigma)$);
# * la multiplicación `a * b` guarda los dos factores (cada uno es la derivada respecto del
#   otro), pero `a * 2` solo guarda el número 2;
# * la suma y la resta no guardan ningún tensor (las derivadas son constantes, 1 o $-1$).
#
# Se puede ver en los atributos `_saved_…` de cada `grad_fn`:

# %%
a = torch.tensor([0.5, 1.0, 2.0], dtype=torch.float64, device=device, requires_grad=True)
b = torch.tensor([3.0, -1.0, 0.5], dtype=torch.float64, device=device, requires_grad=True)
for name, t in [("a.sin()", a.sin()), ("a.exp()", a.exp()), ("a.sigmoid()", a.sigmoid()),
                ("a * b", a * b), ("a * 2", a * 2), ("a ** 2", a ** 2), ("a + b", a + b)]:
    saved = sorted(n for n in dir(t.grad_fn)
                   if n.startswith("_saved_") and torch.is_tensor(getattr(t.grad_fn, n)))
    print(f"{name:12s} {type(t.grad_fn).__name__:17s} {saved}")

# %% [markdown] lang="pt"
# E se alguém **mudar** um tensor depois que ele foi salvo? Uma operação *in-place* (que
# modifica o próprio tensor: `+=`, `*=`, `x[0] = …`, métodos com `_` no fim como `add_` e
# `clamp_`) escreve na mesma memória. Se o *backward* usasse esses valores novos, o gradiente
# sairia errado **sem aviso**. Para impedir isso, todo tensor tem um **contador de versão**,
# `t._version`, que sobe a cada operação *in-place*. O nó anota a versão quando salva o tensor;
# no *backward*, compara. Se mudou, o PyTorch prefere parar com um erro.
#
# A função `explain` abaixo lê a mensagem do erro e a repete em português: qual tensor (tipo e
# formato), de qual operação ele é saída, e as duas versões.

# %% [markdown] lang="es"
# ¿Y si alguien **cambia** un tensor después de que se guardó? Una operación *in-place* (que
# modifica el propio tensor: `+=`, `*=`, `x[0] = …`, métodos con `_` al final como `add_` y
# `clamp_`) escribe en la misma memoria. Si el *backward* usara esos valores nuevos, el
# gradiente saldría mal **sin aviso**. Para impedirlo, todo tensor tiene un **contador de
# versión**, `t._version`, que sube con cada operación *in-place*. El nodo anota la versión
# cuando guarda el tensor; en el *backward*, compara. Si cambió, PyTorch prefiere frenar con un
# error.
#
# La función `explain` de abajo lee el mensaje del error y lo repite en español: qué tensor
# (tipo y forma), de qué operación es salida, y las dos versiones.

# %%
def explain(err):
    found = re.search(r"\[(.+?\])\], which is output (\d+) of (\w+), is at version (\d+); "
                      r"expected version (\d+)", str(err))
    if found is None:
        return type(err).__name__
    tensor, k, op, now, saved = found.groups()
    return lang_text(f"RuntimeError: o tensor {tensor} (saída {k} de {op}) está na versão "
                     f"{now}, mas foi salvo na versão {saved}",
                     f"RuntimeError: el tensor {tensor} (salida {k} de {op}) está en la versión "
                     f"{now}, pero se guardó en la versión {saved}")


e = a.exp()
print("e._version =", e._version)
e += 1
print("e._version =", e._version)
try:
    e.sum().backward()
except RuntimeError as err:
    print(explain(err))

# %% [markdown] lang="pt"
# A mensagem original, em inglês, é a que você vai encontrar no seu código: *"one of the
# variables needed for gradient computation has been modified by an inplace operation:
# [torch.DoubleTensor [3]], which is output 0 of Exp, is at version 1; expected version 0
# instead"* (na GPU, `torch.cuda.DoubleTensor`). Ela diz **qual** tensor (tipo, formato e a
# operação que o produziu) e **quantas** vezes ele foi mudado: é o ponto de partida para achar a
# linha culpada. Quando não basta, `torch.autograd.set_detect_anomaly(True)` faz o erro mostrar
# também a linha do *forward* que criou o nó.
#
# Nem toda operação *in-place* é um problema: só as que mudam um tensor que **algum nó
# salvou**. E há duas "soluções" que parecem funcionar e não funcionam:
#
# * fazer a operação dentro de `torch.no_grad()`: ela continua *in-place*, o contador sobe
#   igual e o erro continua;
# * fazer a operação em `e.data`: `.data` é uma porta dos fundos que **não** avisa o contador de
#   versão. O erro some — e o gradiente sai errado, em silêncio. Veja: para $\sum(e^a + 1)$ o
#   gradiente certo é $e^a$, mas o *backward* usa o $e$ já modificado e devolve $e^a + 1$:

# %% [markdown] lang="es"
# El mensaje original, en inglés, es el que vas a encontrar en tu código: *"one of the
# variables needed for gradient computation has been modified by an inplace operation:
# [torch.DoubleTensor [3]], which is output 0 of Exp, is at version 1; expected version 0
# instead"* (en la GPU, `torch.cuda.DoubleTensor`). Dice **qué** tensor (tipo, forma y la
# operación que lo produjo) y **cuántas** veces se cambió: es el punto de partida para
# encontrar la línea culpable. Cuando no alcanza, `torch.autograd.set_detect_anomaly(True)` hace
# que el error muestre también la línea del *forward* que creó el nodo.
#
# No toda operación *in-place* es un problema: solo las que cambian un tensor que **algún nodo
# guardó**. Y hay dos "soluciones" que parecen funcionar y no funcionan:
#
# * hacer la operación dentro de `torch.no_grad()`: sigue siendo *in-place*, el contador sube
#   igual y el error sigue;
# * hacer la operación sobre `e.data`: `.data` es una puerta trasera que **no** le avisa al
#   contador de versión. El error desaparece, y el gradiente sale mal, en silencio. Mira: para
#   $\sum(e^a + 1)$ el gradiente correcto es $e^a$, pero el *backward* usa el $e$ ya modificado
#   y devuelve $e^a + 1$:

# %%
e = a.exp()
e.data += 1
e.sum().backward()
print("a.grad =", [round(v, 4) for v in a.grad.tolist()])
print("exp(a) =", [round(v, 4) for v in a.detach().exp().tolist()])
a.grad = None

# %% [markdown] lang="pt"
# As soluções de verdade: escrever a operação **fora do lugar** (`e = e + 1` cria um tensor
# novo e deixa o salvo em paz) ou fazer uma cópia antes (`e = a.exp().clone()` e depois
# `e += 1` na cópia). Um último caso: num **tensor folha** que pede gradiente (um parâmetro), o
# PyTorch recusa a operação *in-place* já no *forward* (*"a leaf Variable that requires grad is
# being used in an in-place operation"*); por isso as atualizações de pesos vão dentro de
# `torch.no_grad()`.
#
# Agora a função `broken`: ela calcula $\sum (p^2 + p + 1)$ com $p = x\,\sigma(2x + 1)$, mas tem
# três operações *in-place*. O *forward* funciona; o *backward* não.

# %% [markdown] lang="es"
# Las soluciones de verdad: escribir la operación **fuera de lugar** (`e = e + 1` crea un
# tensor nuevo y deja en paz al guardado) o hacer una copia antes (`e = a.exp().clone()` y
# después `e += 1` sobre la copia). Un último caso: en un **tensor hoja** que pide gradiente (un
# parámetro), PyTorch rechaza la operación *in-place* ya en el *forward* (*"a leaf Variable that
# requires grad is being used in an in-place operation"*); por eso las actualizaciones de pesos
# van dentro de `torch.no_grad()`.
#
# Ahora la función `broken`: calcula $\sum (p^2 + p + 1)$ con $p = x\,\sigma(2x + 1)$, pero
# tiene tres operaciones *in-place*. El *forward* funciona; el *backward* no.

# %%
def broken(x):
    h = x * 2
    h += 1
    s = torch.sigmoid(h)
    s *= x
    q = s ** 2
    s += 1
    return (q + s).sum()

# %%
x = torch.tensor([0.5, -1.0, 2.0], dtype=torch.float64, device=device, requires_grad=True)
y = broken(x)
print("broken(x) =", round(y.item(), 6))
try:
    y.backward()
except RuntimeError as err:
    print(explain(err))

# %% [markdown] lang="pt"
# Linha por linha:
#
# * `h += 1` é **inofensiva**: `x * 2` só salvou o número 2, ninguém salvou `h`;
# * `s *= x` **quebra**: a sigmoide salvou a sua saída `s`, que agora foi multiplicada por `x`;
# * `s += 1` **quebra**: a potência `s ** 2` salvou a sua entrada `s`, que depois ganhou 1.
#
# O erro só aponta um problema de cada vez (aqui, o tensor que é saída de `Add`, o `s` depois de
# `s += 1`, já na versão 2). Depois de consertar um, rode de novo até o *backward* passar.
#
# ### Exercício 3 — `fixed(x)` (2 pontos)
#
# Escreva `fixed(x)`, que calcula **o mesmo valor** que `broken(x)`, $\sum (p^2 + p + 1)$ com
# $p = x\,\sigma(2x + 1)$, de modo que `fixed(x).backward()` funcione e o gradiente certo chegue
# a `x`. Nada de `.data`, `.detach()` ou `torch.no_grad()` para esconder o problema: o teste
# confere o valor **e** o gradiente. Não modifique `x`.

# %% [markdown] lang="es"
# Línea por línea:
#
# * `h += 1` es **inofensiva**: `x * 2` solo guardó el número 2, nadie guardó `h`;
# * `s *= x` **rompe**: la sigmoide guardó su salida `s`, que ahora quedó multiplicada por `x`;
# * `s += 1` **rompe**: la potencia `s ** 2` guardó su entrada `s`, a la que después se le
#   sumó 1.
#
# El error solo señala un problema por vez (aquí, el tensor que es salida de `Add`, el `s`
# después de `s += 1`, ya en la versión 2). Después de arreglar uno, vuelve a correr hasta que
# el *backward* pase.
#
# ### Ejercicio 3 — `fixed(x)` (2 puntos)
#
# Escribe `fixed(x)`, que calcula **el mismo valor** que `broken(x)`, $\sum (p^2 + p + 1)$ con
# $p = x\,\sigma(2x + 1)$, de modo que `fixed(x).backward()` funcione y el gradiente correcto
# llegue a `x`. Nada de `.data`, `.detach()` ni `torch.no_grad()` para esconder el problema: la
# prueba revisa el valor **y** el gradiente. No modifiques `x`.

# %% nbgrader={"grade_id": "fixed", "solution": true}
def fixed(x):
    ### BEGIN SOLUTION
    h = x * 2 + 1
    s = torch.sigmoid(h) * x
    q = s ** 2
    return (q + s + 1).sum()
    ### END SOLUTION

# %% nbgrader={"grade_id": "test_fixed", "grade": true, "points": 2}
x_chk = torch.tensor([0.5, -1.0, 2.0], dtype=torch.float64, device=device)
sig_chk = torch.sigmoid(2 * x_chk + 1)
p_chk = x_chk * sig_chk
dp_chk = sig_chk + 2 * x_chk * sig_chk * (1 - sig_chk)


def fixed_grad_chk():
    leaf = x_chk.clone().requires_grad_(True)
    fixed(leaf).backward()
    return leaf.grad


check("fixed(x)", lambda: fixed(x_chk), (p_chk ** 2 + p_chk + 1).sum())
check("x.grad", fixed_grad_chk, (2 * p_chk + 1) * dp_chk)
### BEGIN HIDDEN TESTS
from course.lessons import load_checks
hidden_checks = load_checks("07_autograd_mechanics")
hidden_checks.check_fixed(fixed, LANG)
### END HIDDEN TESTS

# %% [markdown] lang="pt"
# ## 4. `retain_graph`: mais de um *backward* no mesmo grafo
#
# Assim que o *backward* termina, os tensores salvos são **liberados** — numa rede grande, são
# eles que ocupam a maior parte da memória. Por isso um segundo *backward* no mesmo grafo dá
# erro (você viu isso na aula 01): *"Trying to backward through the graph a second time"*.
#
# Às vezes precisamos mesmo passar duas vezes. O caso típico: **várias perdas com um tronco
# comum** (aprendizado multitarefa) e queremos o gradiente de **cada** perda separadamente —
# para comparar as normas, ou para ver se as tarefas "brigam" (gradientes com cosseno negativo,
# a motivação de métodos como o PCGrad). Refazer o *forward* para cada perda custa caro; a
# alternativa é pedir `retain_graph=True` em todos os *backward* menos o último.
#
# `torch.autograd.grad(perda, w, retain_graph=True)` é cômodo aqui: devolve o gradiente sem
# tocar em `w.grad`, então nada acumula entre uma perda e outra.

# %% [markdown] lang="es"
# ## 4. `retain_graph`: más de un *backward* sobre el mismo grafo
#
# Apenas termina el *backward*, los tensores guardados se **liberan**: en una red grande, son
# ellos los que ocupan la mayor parte de la memoria. Por eso un segundo *backward* sobre el
# mismo grafo da error (lo viste en la clase 01): *"Trying to backward through the graph a
# second time"*.
#
# A veces de verdad hace falta pasar dos veces. El caso típico: **varias pérdidas con un tronco
# común** (aprendizaje multitarea) y queremos el gradiente de **cada** pérdida por separado,
# para comparar sus normas o para ver si las tareas "se pelean" (gradientes con coseno
# negativo, la motivación de métodos como PCGrad). Rehacer el *forward* para cada pérdida es
# caro; la alternativa es pedir `retain_graph=True` en todos los *backward* menos el último.
#
# `torch.autograd.grad(pérdida, w, retain_graph=True)` es cómodo aquí: devuelve el gradiente
# sin tocar `w.grad`, así que nada se acumula entre una pérdida y otra.

# %%
w = torch.tensor([0.3, -0.7, 1.2], dtype=torch.float64, device=device, requires_grad=True)
c = torch.tensor([-1.0, 2.0, 3.0], dtype=torch.float64, device=device)
h = torch.tanh(2 * w)
loss_a = (h ** 2).sum()
loss_b = (h * c).sum()
(g_a,) = torch.autograd.grad(loss_a, w, retain_graph=True)
(g_b,) = torch.autograd.grad(loss_b, w)
print("d loss_a / dw =", [round(v, 4) for v in g_a.tolist()])
print("d loss_b / dw =", [round(v, 4) for v in g_b.tolist()])
print("cos(g_a, g_b) =", round((g_a @ g_b / (g_a.norm() * g_b.norm())).item(), 4))
try:
    torch.autograd.grad(loss_a, w)
except RuntimeError:
    print(lang_text("RuntimeError: o grafo já foi liberado pelo segundo grad (sem retain_graph)",
                    "RuntimeError: el segundo grad (sin retain_graph) ya liberó el grafo"))

# %% [markdown] lang="pt"
# Com $h = \tanh(2w)$, $\partial h/\partial w = 2(1 - h^2)$, então
# $\partial L_a/\partial w = 4h(1-h^2)$ e $\partial L_b/\partial w = 2c(1-h^2)$. O cosseno
# negativo diz que, neste ponto, um passo de gradiente que diminui $L_b$ aumenta $L_a$. O
# terceiro pedido falha: o segundo `grad` foi feito sem `retain_graph` e liberou o grafo.
#
# ### Exercício 4 — `per_loss_grads(f, w)` (2 pontos)
#
# `f(w)` calcula, num **único** *forward*, uma tupla de perdas escalares que compartilham um
# tronco comum (como `loss_a` e `loss_b` acima). Devolva uma **lista** com o gradiente de cada
# perda em relação a `w`, na ordem das perdas, cada um com o formato de `w`.
#
# * Chame `f` **uma vez só** (o *forward* é caro); o teste conta as chamadas.
# * `w` pode ou não pedir gradiente, e pode já ter um `.grad`: não modifique `w`, nem o seu
#   `.grad`. Derive em relação a uma cópia, `w.detach().requires_grad_(True)`.

# %% [markdown] lang="es"
# Con $h = \tanh(2w)$, $\partial h/\partial w = 2(1 - h^2)$, así que
# $\partial L_a/\partial w = 4h(1-h^2)$ y $\partial L_b/\partial w = 2c(1-h^2)$. El coseno
# negativo dice que, en este punto, un paso de gradiente que baja $L_b$ sube $L_a$. El tercer
# pedido falla: el segundo `grad` se hizo sin `retain_graph` y liberó el grafo.
#
# ### Ejercicio 4 — `per_loss_grads(f, w)` (2 puntos)
#
# `f(w)` calcula, en un **único** *forward*, una tupla de pérdidas escalares que comparten un
# tronco común (como `loss_a` y `loss_b` de arriba). Devuelve una **lista** con el gradiente de
# cada pérdida respecto de `w`, en el orden de las pérdidas, cada uno con la forma de `w`.
#
# * Llama a `f` **una sola vez** (el *forward* es caro); la prueba cuenta las llamadas.
# * `w` puede pedir gradiente o no, y puede tener ya un `.grad`: no modifiques `w` ni su
#   `.grad`. Deriva respecto de una copia, `w.detach().requires_grad_(True)`.

# %% nbgrader={"grade_id": "per_loss_grads", "solution": true}
def per_loss_grads(f, w):
    ### BEGIN SOLUTION
    w = w.detach().requires_grad_(True)
    losses = f(w)
    grads = []
    for i, loss in enumerate(losses):
        (g,) = torch.autograd.grad(loss, w, retain_graph=i < len(losses) - 1)
        grads.append(g)
    return grads
    ### END SOLUTION

# %% nbgrader={"grade_id": "test_per_loss_grads", "grade": true, "points": 2}
calls_chk = []
c_chk = torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64, device=device)
w_chk = torch.tensor([0.3, -0.7, 1.2], dtype=torch.float64, device=device)
h_chk = torch.tanh(2 * w_chk)


def two_losses_chk(w):
    calls_chk.append(1)
    h = torch.tanh(2 * w)
    return (h ** 2).sum(), (h * c_chk).sum()


def count_calls_chk():
    calls_chk.clear()
    per_loss_grads(two_losses_chk, w_chk)
    return len(calls_chk)


check("len(per_loss_grads(...))", lambda: len(per_loss_grads(two_losses_chk, w_chk)), 2)
check(lang_text("chamadas de f", "llamadas a f"), count_calls_chk, 1)
check("d loss_a / dw", lambda: per_loss_grads(two_losses_chk, w_chk)[0],
      4 * h_chk * (1 - h_chk ** 2))
check("d loss_b / dw", lambda: per_loss_grads(two_losses_chk, w_chk)[1],
      2 * c_chk * (1 - h_chk ** 2))
### BEGIN HIDDEN TESTS
from course.lessons import load_checks
hidden_checks = load_checks("07_autograd_mechanics")
hidden_checks.check_per_loss_grads(per_loss_grads, LANG)
### END HIDDEN TESTS

# %% [markdown] lang="pt"
# ## 5. *Hooks*: mexer no gradiente no meio do caminho
#
# `t.register_hook(fn)` pendura uma função num tensor. Durante o *backward*, quando o gradiente
# em relação a `t` fica pronto, o PyTorch chama `fn(grad)`:
#
# * se `fn` devolve `None`, o gradiente segue como estava (serve para **observar**, como na
#   seção 1);
# * se `fn` devolve um tensor (do formato de `grad`), ele **substitui** o gradiente dali para
#   trás: tudo o que veio antes de `t` no *forward* recebe o gradiente novo.
#
# `register_hook` devolve um *handle*; `handle.remove()` tira o *hook*. Exemplos de uso: a
# **inversão de gradiente** (devolver `-grad`, usada em adaptação de domínio), cortar gradientes
# grandes num ponto sensível da rede, registrar normas para depurar.
#
# Uma regra: o *hook* **não deve modificar o seu argumento *in-place***. O autograd pode
# entregar o **mesmo tensor** de gradiente a mais de um ramo: na soma `h + g`, o gradiente de `h`
# e o de `g` são o mesmo objeto na memória. Um `grad.clamp_(...)` no *hook* de `h` mudaria
# também o gradiente de `g`:

# %% [markdown] lang="es"
# ## 5. *Hooks*: tocar el gradiente a mitad de camino
#
# `t.register_hook(fn)` cuelga una función de un tensor. Durante el *backward*, cuando el
# gradiente respecto de `t` está listo, PyTorch llama a `fn(grad)`:
#
# * si `fn` devuelve `None`, el gradiente sigue como estaba (sirve para **observar**, como en la
#   sección 1);
# * si `fn` devuelve un tensor (con la forma de `grad`), este **reemplaza** al gradiente de ahí
#   hacia atrás: todo lo que vino antes de `t` en el *forward* recibe el gradiente nuevo.
#
# `register_hook` devuelve un *handle*; `handle.remove()` quita el *hook*. Ejemplos de uso: la
# **inversión de gradiente** (devolver `-grad`, que se usa en adaptación de dominio), recortar
# gradientes grandes en un punto sensible de la red, registrar normas para depurar.
#
# Una regla: el *hook* **no debe modificar su argumento *in-place***. Autograd puede entregarle
# el **mismo tensor** de gradiente a más de una rama: en la suma `h + g`, el gradiente de `h` y
# el de `g` son el mismo objeto en memoria. Un `grad.clamp_(...)` en el *hook* de `h` cambiaría
# también el gradiente de `g`:

# %%
x = torch.tensor([0.1, 0.2, 0.3], dtype=torch.float64, device=device, requires_grad=True)
g = torch.cos(x)
h = 2 * torch.sin(x)
seen = {}
h.register_hook(lambda grad: seen.update(h=grad.data_ptr()))
g.register_hook(lambda grad: seen.update(g=grad.data_ptr()))
(h + g).sum().backward()
print("grad(h).data_ptr() == grad(g).data_ptr() :", seen["h"] == seen["g"])

x.grad = None
h = 2 * torch.sin(x)
handle = h.register_hook(lambda grad: -grad)
h.sum().backward()
handle.remove()
print("x.grad    =", [round(v, 4) for v in x.grad.tolist()])
print("-2cos(x)  =", [round(v, 4) for v in (-2 * torch.cos(x.detach())).tolist()])

# %% [markdown] lang="pt"
# A segunda parte é a inversão de gradiente: $h = 2\sin x$ tem derivada $2\cos x$, e o *hook*
# que devolve `-grad` faz chegar $-2\cos x$ em `x`.
#
# ### Exercício 5 — `clipped_grad_hook(limit)` (2 pontos)
#
# Escreva `clipped_grad_hook(limit)`, que **devolve um *hook***: uma função `hook(grad)` que
# devolve o gradiente cortado elemento a elemento no intervalo $[-\text{limit}, \text{limit}]$
# (cada entrada maior que `limit` vira `limit`, cada uma menor que `-limit` vira `-limit`, as
# outras não mudam). Uso: `t.register_hook(clipped_grad_hook(0.5))`. O *hook* devolve um tensor
# **novo** e não modifica o seu argumento.

# %% [markdown] lang="es"
# La segunda parte es la inversión de gradiente: $h = 2\sin x$ tiene derivada $2\cos x$, y el
# *hook* que devuelve `-grad` hace llegar $-2\cos x$ a `x`.
#
# ### Ejercicio 5 — `clipped_grad_hook(limit)` (2 puntos)
#
# Escribe `clipped_grad_hook(limit)`, que **devuelve un *hook***: una función `hook(grad)` que
# devuelve el gradiente recortado elemento a elemento al intervalo
# $[-\text{limit}, \text{limit}]$ (cada entrada mayor que `limit` pasa a `limit`, cada una menor
# que `-limit` pasa a `-limit`, las demás no cambian). Uso:
# `t.register_hook(clipped_grad_hook(0.5))`. El *hook* devuelve un tensor **nuevo** y no
# modifica su argumento.

# %% nbgrader={"grade_id": "clipped_grad_hook", "solution": true}
def clipped_grad_hook(limit):
    ### BEGIN SOLUTION
    def hook(grad):
        return grad.clamp(-limit, limit)
    return hook
    ### END SOLUTION

# %% nbgrader={"grade_id": "test_clipped_grad_hook", "grade": true, "points": 2}
upstream_chk = torch.tensor([0.1, -4.0, 2.0], dtype=torch.float64, device=device)
x_chk = torch.tensor([1.0, -2.0, 0.25], dtype=torch.float64, device=device)


def hooked_grad_chk(shared):
    leaf = x_chk.clone().requires_grad_(True)
    if shared:
        g = torch.cos(leaf)
        h = 2 * torch.sin(leaf)
        h.register_hook(clipped_grad_hook(0.5))
        ((h + g) * upstream_chk).sum().backward()
    else:
        h = 3 * leaf
        h.register_hook(clipped_grad_hook(0.5))
        (h * upstream_chk).sum().backward()
    return leaf.grad


check("x.grad (h = 3x)", lambda: hooked_grad_chk(False), [0.3, -1.5, 1.5])
check("x.grad (h + g)", lambda: hooked_grad_chk(True),
      upstream_chk.clamp(-0.5, 0.5) * 2 * torch.cos(x_chk) - upstream_chk * torch.sin(x_chk))
### BEGIN HIDDEN TESTS
from course.lessons import load_checks
hidden_checks = load_checks("07_autograd_mechanics")
hidden_checks.check_clipped_grad_hook(clipped_grad_hook, LANG)
### END HIDDEN TESTS

# %% [markdown] lang="pt"
# ## 6. `detach()` e `torch.no_grad()`
#
# `t.detach()` devolve um tensor com **os mesmos valores** de `t`, mas fora do grafo: o
# gradiente não passa por ele. Pense nele como um "pare" para o gradiente (*stop-gradient*).
# Ele é necessário quando uma parte da expressão usa os mesmos parâmetros mas deve ser tratada
# como **constante**:
#
# * em aprendizado por reforço, o **alvo** do TD, $r + \gamma\,v(s')$, é calculado com a mesma
#   função de valor que estamos treinando, mas é tratado como um número fixo (o
#   "semigradiente" de Sutton e Barto; as redes-alvo do DQN levam a ideia adiante);
# * na destilação, as saídas de um **professor congelado** são alvos, não algo a ajustar;
# * métodos autossupervisionados como SimSiam e BYOL dependem de um *stop-gradient* num dos
#   ramos.
#
# `torch.no_grad()` vai além: **nada** do que é calculado dentro do bloco entra no grafo, e
# nenhum tensor intermediário é salvo. É o que se usa na **avaliação** e nas atualizações de
# pesos feitas à mão. Atenção: `model.eval()` **não** desliga o autograd — ele só muda o
# comportamento de camadas como *dropout* e *batchnorm*. Avaliação correta usa os dois.

# %% [markdown] lang="es"
# ## 6. `detach()` y `torch.no_grad()`
#
# `t.detach()` devuelve un tensor con **los mismos valores** que `t`, pero fuera del grafo: el
# gradiente no pasa por él. Piénsalo como un "pare" para el gradiente (*stop-gradient*). Hace
# falta cuando una parte de la expresión usa los mismos parámetros pero debe tratarse como
# **constante**:
#
# * en aprendizaje por refuerzo, el **objetivo** de TD, $r + \gamma\,v(s')$, se calcula con la
#   misma función de valor que estamos entrenando, pero se trata como un número fijo (el
#   "semigradiente" de Sutton y Barto; las redes objetivo de DQN llevan la idea más lejos);
# * en la destilación, las salidas de un **profesor congelado** son objetivos, no algo a
#   ajustar;
# * métodos autosupervisados como SimSiam y BYOL dependen de un *stop-gradient* en una de las
#   ramas.
#
# `torch.no_grad()` va más allá: **nada** de lo que se calcula dentro del bloque entra al
# grafo, y no se guarda ningún tensor intermedio. Es lo que se usa en la **evaluación** y en
# las actualizaciones de pesos hechas a mano. Ojo: `model.eval()` **no** apaga autograd: solo
# cambia el comportamiento de capas como *dropout* y *batchnorm*. Una evaluación correcta usa
# las dos cosas.

# %%
w = torch.tensor([1.0, -0.5], dtype=torch.float64, device=device, requires_grad=True)
u = (3 * w).sum()
(g_full,) = torch.autograd.grad(u * u, w)
u = (3 * w).sum()
(g_stop,) = torch.autograd.grad(u * u.detach(), w)
print("d(u·u)/dw          =", g_full.tolist())
print("d(u·u.detach())/dw =", g_stop.tolist())

model = torch.nn.Linear(2, 1, dtype=torch.float64).to(device)
model.eval()
out_eval = model(torch.ones(1, 2, dtype=torch.float64, device=device))
with torch.no_grad():
    out_no_grad = model(torch.ones(1, 2, dtype=torch.float64, device=device))
print("model.eval()    -> requires_grad =", out_eval.requires_grad)
print("torch.no_grad() -> requires_grad =", out_no_grad.requires_grad)

# %% [markdown] lang="pt"
# Com $u = 3(w_1 + w_2) = 1{,}5$: $\partial(u^2)/\partial w_j = 2u\cdot 3 = 9$; com um dos fatores
# congelado, só o outro conta e sai a metade, $u\cdot 3 = 4{,}5$.
#
# ### Exercício 6 — `stop_gradient_loss(w, x, r, x_next, gamma)` (2 pontos)
#
# Uma função de valor linear, $v(s) = x(s)\cdot w$: `x` tem as características (*features*) de
# $n$ estados (formato $n \times d$), `x_next` as dos estados seguintes, `r` as $n$ recompensas
# e `gamma` é um número. Devolva a perda TD (um tensor 0-d)
#
# $$L = \frac{1}{n}\sum_i \Big(v(s_i) - \big[r_i + \gamma\, v(s'_i)\big]\Big)^2,$$
#
# em que o alvo entre colchetes é **constante** para o gradiente: $\nabla_w L$ deve ser
# $\frac{2}{n}\sum_i \big(v(s_i) - \text{alvo}_i\big)\,x(s_i)$. A perda deve ter grafo até `w`
# (o teste chama `torch.autograd.grad(L, w)`); não chame `backward()` dentro da função.

# %% [markdown] lang="es"
# Con $u = 3(w_1 + w_2) = 1.5$: $\partial(u^2)/\partial w_j = 2u\cdot 3 = 9$; con uno de los
# factores congelado, solo cuenta el otro y sale la mitad, $u\cdot 3 = 4.5$.
#
# ### Ejercicio 6 — `stop_gradient_loss(w, x, r, x_next, gamma)` (2 puntos)
#
# Una función de valor lineal, $v(s) = x(s)\cdot w$: `x` tiene las características
# (*features*) de $n$ estados (forma $n \times d$), `x_next` las de los estados siguientes,
# `r` las $n$ recompensas y `gamma` es un número. Devuelve la pérdida TD (un tensor 0-d)
#
# $$L = \frac{1}{n}\sum_i \Big(v(s_i) - \big[r_i + \gamma\, v(s'_i)\big]\Big)^2,$$
#
# donde el objetivo entre corchetes es **constante** para el gradiente: $\nabla_w L$ debe ser
# $\frac{2}{n}\sum_i \big(v(s_i) - \text{objetivo}_i\big)\,x(s_i)$. La pérdida debe tener grafo
# hasta `w` (la prueba llama a `torch.autograd.grad(L, w)`); no llames a `backward()` dentro de
# la función.

# %% nbgrader={"grade_id": "stop_gradient_loss", "solution": true}
def stop_gradient_loss(w, x, r, x_next, gamma):
    ### BEGIN SOLUTION
    v = x @ w
    target = (r + gamma * (x_next @ w)).detach()
    return ((v - target) ** 2).mean()
    ### END SOLUTION

# %% nbgrader={"grade_id": "test_stop_gradient_loss", "grade": true, "points": 2}
w_chk = torch.tensor([1.0, 2.0], dtype=torch.float64, device=device, requires_grad=True)
x_chk = torch.tensor([[1.0, 0.0], [0.0, 1.0]], dtype=torch.float64, device=device)
x_next_chk = torch.tensor([[0.0, 1.0], [1.0, 1.0]], dtype=torch.float64, device=device)
r_chk = torch.tensor([0.5, -1.0], dtype=torch.float64, device=device)
check("stop_gradient_loss(...)", lambda: stop_gradient_loss(w_chk, x_chk, r_chk, x_next_chk, 0.5),
      1.25)
check("dL/dw", lambda: torch.autograd.grad(
    stop_gradient_loss(w_chk, x_chk, r_chk, x_next_chk, 0.5), w_chk)[0], [-0.5, 1.5])
### BEGIN HIDDEN TESTS
from course.lessons import load_checks
hidden_checks = load_checks("07_autograd_mechanics")
hidden_checks.check_stop_gradient_loss(stop_gradient_loss, LANG)
### END HIDDEN TESTS

# %% [markdown] lang="pt"
# Nos dados da verificação: $v = [1;\ 2]$, $v(s') = [2;\ 3]$, alvo $= [0{,}5 + 1;\ -1 + 1{,}5] =
# [1{,}5;\ 0{,}5]$, erros $[-0{,}5;\ 1{,}5]$, perda $(0{,}25 + 2{,}25)/2 = 1{,}25$ e gradiente
# $\frac{2}{2}\big(-0{,}5\,[1;\ 0] + 1{,}5\,[0;\ 1]\big) = [-0{,}5;\ 1{,}5]$. Sem o `detach`, o gradiente
# incluiria $-\gamma\,x(s')$ e daria $[-1{,}25;\ 1{,}0]$: outro algoritmo (o "gradiente residual"),
# com outro ponto de chegada.
#
# ### Exercício 7 — `evaluate(model, x, y, loss_fn)` (2 pontos)
#
# Devolva a perda `loss_fn(model(x), y)` como um tensor 0-d **sem grafo**, calculada dentro de
# `torch.no_grad()`: o *forward* não deve gravar nada (o teste usa um modelo que anota se o
# autograd estava ligado durante o *forward*). Avaliar não pode interferir no treino: não toque
# no `.grad` dos parâmetros (nada de `zero_grad()` nem `backward()`) e deixe o autograd ligado
# ao sair.

# %% [markdown] lang="es"
# En los datos de la verificación: $v = [1, 2]$, $v(s') = [2, 3]$, objetivo
# $= [0.5 + 1,\ -1 + 1.5] = [1.5,\ 0.5]$, errores $[-0.5,\ 1.5]$, pérdida
# $(0.25 + 2.25)/2 = 1.25$ y gradiente $\frac{2}{2}\big(-0.5\,[1, 0] + 1.5\,[0, 1]\big) =
# [-0.5,\ 1.5]$. Sin el `detach`, el gradiente incluiría $-\gamma\,x(s')$ y daría
# $[-1.25,\ 1.0]$: otro algoritmo (el "gradiente residual"), con otro punto de llegada.
#
# ### Ejercicio 7 — `evaluate(model, x, y, loss_fn)` (2 puntos)
#
# Devuelve la pérdida `loss_fn(model(x), y)` como un tensor 0-d **sin grafo**, calculada dentro
# de `torch.no_grad()`: el *forward* no debe registrar nada (la prueba usa un modelo que anota
# si autograd estaba encendido durante el *forward*). Evaluar no puede interferir con el
# entrenamiento: no toques el `.grad` de los parámetros (nada de `zero_grad()` ni `backward()`)
# y deja autograd encendido al salir.

# %% nbgrader={"grade_id": "evaluate", "solution": true}
def evaluate(model, x, y, loss_fn):
    ### BEGIN SOLUTION
    with torch.no_grad():
        return loss_fn(model(x), y)
    ### END SOLUTION

# %% nbgrader={"grade_id": "test_evaluate", "grade": true, "points": 2}
model_chk = torch.nn.Linear(2, 1, dtype=torch.float64).to(device)
with torch.no_grad():
    model_chk.weight.copy_(torch.tensor([[1.0, -1.0]]))
    model_chk.bias.fill_(0.5)
model_chk.weight.grad = torch.full_like(model_chk.weight, 7.0)
x_chk = torch.tensor([[1.0, 2.0], [3.0, 0.0]], dtype=torch.float64, device=device)
y_chk = torch.tensor([[0.0], [3.0]], dtype=torch.float64, device=device)
check("evaluate(...)", lambda: evaluate(model_chk, x_chk, y_chk, torch.nn.MSELoss()), 0.25)
check("evaluate(...).requires_grad",
      lambda: evaluate(model_chk, x_chk, y_chk, torch.nn.MSELoss()).requires_grad, False)
check("model.weight.grad", model_chk.weight.grad, [[7.0, 7.0]])
check("torch.is_grad_enabled()", torch.is_grad_enabled(), True)
### BEGIN HIDDEN TESTS
from course.lessons import load_checks
hidden_checks = load_checks("07_autograd_mechanics")
hidden_checks.check_evaluate(evaluate, LANG)
### END HIDDEN TESTS

# %% [markdown] lang="pt"
# ## 7. Acumular gradientes de propósito: microlotes
#
# Na aula 01 vimos que `backward()` **soma** em `.grad`, e que por isso é preciso zerar a cada
# passo. Essa soma também é uma ferramenta: quando um lote não cabe na memória, dividimos o lote
# em **microlotes**, fazemos um *backward* por microlote e só então damos o passo do
# otimizador. Só um microlote de ativações fica na memória por vez.
#
# Para o resultado ser **o mesmo** gradiente do lote inteiro, a escala importa. Com uma perda
# média sobre $n$ amostras, $L = \frac{1}{n}\sum_i \ell_i$, e microlotes $B_1, \dots, B_m$ de
# tamanhos $n_1, \dots, n_m$ (com média própria $L_c = \frac{1}{n_c}\sum_{i\in B_c}\ell_i$):
#
# $$L = \sum_c \frac{n_c}{n}\,L_c \qquad\Longrightarrow\qquad
#   \nabla L = \sum_c \frac{n_c}{n}\,\nabla L_c .$$
#
# Cada microlote entra com peso $n_c/n$. Quando todos têm o mesmo tamanho, $n_c/n = 1/m$; se
# não, dividir por $m$ dá um gradiente (levemente) errado. E zera-se **uma vez**, antes do
# primeiro microlote. (Duas ressalvas práticas: *batchnorm* calcula estatísticas por
# microlote, e o *dropout* sorteia máscaras diferentes; com eles, a igualdade não é exata.)

# %% [markdown] lang="es"
# ## 7. Acumular gradientes a propósito: microlotes
#
# En la clase 01 vimos que `backward()` **suma** en `.grad`, y que por eso hay que ponerlo en
# cero en cada paso. Esa suma también es una herramienta: cuando un lote no entra en memoria,
# lo dividimos en **microlotes**, hacemos un *backward* por microlote y solo entonces damos
# el paso del optimizador. Solo un microlote de activaciones está en memoria a la vez.
#
# Para que el resultado sea **el mismo** gradiente del lote entero, la escala importa. Con una
# pérdida media sobre $n$ muestras, $L = \frac{1}{n}\sum_i \ell_i$, y microlotes
# $B_1, \dots, B_m$ de tamaños $n_1, \dots, n_m$ (con su propia media
# $L_c = \frac{1}{n_c}\sum_{i\in B_c}\ell_i$):
#
# $$L = \sum_c \frac{n_c}{n}\,L_c \qquad\Longrightarrow\qquad
#   \nabla L = \sum_c \frac{n_c}{n}\,\nabla L_c .$$
#
# Cada microlote entra con peso $n_c/n$. Cuando todos tienen el mismo tamaño, $n_c/n = 1/m$;
# si no, dividir por $m$ da un gradiente (levemente) incorrecto. Y se pone en cero **una vez**,
# antes del primer microlote. (Dos salvedades prácticas: *batchnorm* calcula estadísticas por
# microlote, y el *dropout* sortea máscaras distintas; con ellos, la igualdad no es exacta.)

# %%
torch.manual_seed(0)
gen = torch.Generator().manual_seed(0)
model = torch.nn.Linear(3, 1, dtype=torch.float64).to(device)
xb = torch.randn(8, 3, generator=gen, dtype=torch.float64).to(device)
yb = torch.randn(8, 1, generator=gen, dtype=torch.float64).to(device)
loss_fn = torch.nn.MSELoss()

model.zero_grad()
loss_fn(model(xb), yb).backward()
full = model.weight.grad.clone()

model.zero_grad()
for xc, yc in zip(xb.split(2), yb.split(2)):
    (loss_fn(model(xc), yc) / 4).backward()
print("split(2), / 4 -> max |full - grad| =", (full - model.weight.grad).abs().max().item())

model.zero_grad()
for xc, yc in zip(xb.split(3), yb.split(3)):
    (loss_fn(model(xc), yc) / 3).backward()
print("split(3), / 3 -> max |full - grad| =",
      round((full - model.weight.grad).abs().max().item(), 4))

# %% [markdown] lang="pt"
# Com 4 microlotes de 2, dividir por 4 reproduz o lote inteiro (a diferença é só
# arredondamento, da ordem de `1e-16`). Com tamanhos 3, 3 e 2, dividir por 3 **não** dá o
# mesmo: cada microlote pesou $1/3$, em vez de $3/8$, $3/8$ e $2/8$.
#
# Mexa nos controles abaixo: `n` é o tamanho do lote e `n_chunks` o número de microlotes
# (`torch.tensor_split`). As barras são os pesos certos $n_c/n$ de cada microlote e a linha
# tracejada é $1/m$; o título mostra o maior erro do gradiente acumulado com cada um dos dois
# pesos. Quando `n` é múltiplo de `n_chunks`, as barras encostam na linha e os dois erros ficam
# no arredondamento.

# %% [markdown] lang="es"
# Con 4 microlotes de 2, dividir por 4 reproduce el lote entero (la diferencia es solo
# redondeo, del orden de `1e-16`). Con tamaños 3, 3 y 2, dividir por 3 **no** da lo mismo:
# cada microlote pesó $1/3$, en lugar de $3/8$, $3/8$ y $2/8$.
#
# Mueve los controles de abajo: `n` es el tamaño del lote y `n_chunks` la cantidad de
# microlotes (`torch.tensor_split`). Las barras son los pesos correctos $n_c/n$ de cada
# microlote y la línea punteada es $1/m$; el título muestra el mayor error del gradiente
# acumulado con cada uno de los dos pesos. Cuando `n` es múltiplo de `n_chunks`, las barras
# tocan la línea y los dos errores quedan en el redondeo.

# %%
x_demo = torch.randn(40, 3, generator=gen, dtype=torch.float64).to(device)
y_demo = torch.randn(40, 1, generator=gen, dtype=torch.float64).to(device)


def accumulate_demo(n, n_chunks, by_size):
    model.zero_grad()
    for xc, yc in zip(torch.tensor_split(x_demo[:n], n_chunks),
                      torch.tensor_split(y_demo[:n], n_chunks)):
        weight = len(xc) / n if by_size else 1 / n_chunks
        (loss_fn(model(xc), yc) * weight).backward()
    return model.weight.grad.clone()


def draw_chunks(n, n_chunks):
    model.zero_grad()
    loss_fn(model(x_demo[:n]), y_demo[:n]).backward()
    full = model.weight.grad.clone()
    err_size = (accumulate_demo(n, n_chunks, True) - full).abs().max().item()
    err_m = (accumulate_demo(n, n_chunks, False) - full).abs().max().item()
    sizes = [len(c) for c in torch.tensor_split(torch.arange(n), n_chunks)]
    fig, ax = plt.subplots(figsize=(7, 3))
    ax.bar(range(len(sizes)), [s / n for s in sizes], color="C0", label="n_c / n")
    ax.axhline(1 / n_chunks, color="C1", ls="--", label="1 / m")
    ax.set_xlabel(lang_text("microlote", "microlote"))
    ax.set_ylabel(lang_text("peso", "peso"))
    ax.set_title(lang_text(f"erro com n_c/n: {err_size:.1e}   erro com 1/m: {err_m:.1e}",
                           f"error con n_c/n: {err_size:.1e}   error con 1/m: {err_m:.1e}"))
    ax.set_xticks(range(len(sizes)))
    ax.legend()
    fig.tight_layout()
    plt.show()


explore(draw_chunks, n=slider(8, 40, 10), n_chunks=slider(1, 8, 4))

# %% [markdown] lang="pt"
# ### Exercício 8 — `accumulated_grad(model, loss_fn, x, y, n_chunks)` (3 pontos)
#
# `loss_fn` é uma perda **média** (como `nn.MSELoss()`); `x` e `y` são um lote de $n$ amostras
# (a primeira dimensão), com `n_chunks` $\le n$. A função deve:
#
# 1. zerar os gradientes do modelo (eles podem chegar com lixo de antes);
# 2. dividir o lote em microlotes de **no máximo** $\lceil n/\text{n\_chunks}\rceil$ amostras,
#    cobrindo cada amostra exatamente uma vez (`torch.tensor_split(x, n_chunks)` faz isso; $n$
#    nem sempre é múltiplo de `n_chunks`);
# 3. fazer um *forward* e um *backward* por microlote — nunca o lote inteiro de uma vez — com a
#    perda ponderada para que, no fim, o `.grad` de cada parâmetro seja o gradiente de
#    `loss_fn(model(x), y)` no lote inteiro;
# 4. devolver a perda do lote inteiro como `float` do Python (a soma das perdas ponderadas).
#
# Não dê o passo do otimizador: só os gradientes.

# %% [markdown] lang="es"
# ### Ejercicio 8 — `accumulated_grad(model, loss_fn, x, y, n_chunks)` (3 puntos)
#
# `loss_fn` es una pérdida **media** (como `nn.MSELoss()`); `x` e `y` son un lote de $n$
# muestras (la primera dimensión), con `n_chunks` $\le n$. La función debe:
#
# 1. poner en cero los gradientes del modelo (pueden llegar con basura de antes);
# 2. dividir el lote en microlotes de **como máximo** $\lceil n/\text{n\_chunks}\rceil$
#    muestras, cubriendo cada muestra exactamente una vez (`torch.tensor_split(x, n_chunks)`
#    lo hace; $n$ no siempre es múltiplo de `n_chunks`);
# 3. hacer un *forward* y un *backward* por microlote (nunca el lote entero de una vez) con la
#    pérdida ponderada para que, al final, el `.grad` de cada parámetro sea el gradiente de
#    `loss_fn(model(x), y)` en el lote entero;
# 4. devolver la pérdida del lote entero como `float` de Python (la suma de las pérdidas
#    ponderadas).
#
# No des el paso del optimizador: solo los gradientes.

# %% nbgrader={"grade_id": "accumulated_grad", "solution": true}
def accumulated_grad(model, loss_fn, x, y, n_chunks):
    ### BEGIN SOLUTION
    model.zero_grad()
    n = len(x)
    total = 0.0
    for xb, yb in zip(torch.tensor_split(x, n_chunks), torch.tensor_split(y, n_chunks)):
        loss = loss_fn(model(xb), yb) * len(xb) / n
        loss.backward()
        total += loss.item()
    return total
    ### END SOLUTION

# %% nbgrader={"grade_id": "test_accumulated_grad", "grade": true, "points": 2}
gen_chk = torch.Generator().manual_seed(7)
start_chk = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Tanh(),
                                torch.nn.Linear(4, 1)).to(device, torch.float64)
x_chk = torch.randn(10, 3, generator=gen_chk, dtype=torch.float64).to(device)
y_chk = torch.randn(10, 1, generator=gen_chk, dtype=torch.float64).to(device)
full_chk = torch.autograd.grad(torch.nn.MSELoss()(start_chk(x_chk), y_chk),
                               list(start_chk.parameters()))


def accumulated_chk():
    model = copy.deepcopy(start_chk)
    for p in model.parameters():
        p.grad = torch.ones_like(p)
    accumulated_grad(model, torch.nn.MSELoss(), x_chk, y_chk, 4)
    return torch.cat([p.grad.reshape(-1) for p in model.parameters()])


check("model .grad", accumulated_chk, torch.cat([g.reshape(-1) for g in full_chk]))
### BEGIN HIDDEN TESTS
from course.lessons import load_checks
hidden_checks = load_checks("07_autograd_mechanics")
hidden_checks.check_accumulated_grad(accumulated_grad, LANG)
### END HIDDEN TESTS

# %% nbgrader={"grade_id": "test_accumulated_grad_loss", "grade": true, "points": 1}
gen_chk = torch.Generator().manual_seed(8)
start_chk = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Tanh(),
                                torch.nn.Linear(4, 1)).to(device, torch.float64)
x_chk = torch.randn(7, 3, generator=gen_chk, dtype=torch.float64).to(device)
y_chk = torch.randn(7, 1, generator=gen_chk, dtype=torch.float64).to(device)
with torch.no_grad():
    full_loss_chk = torch.nn.MSELoss()(start_chk(x_chk), y_chk).item()
check("kind_of(accumulated_grad(...))", lambda: kind_of(accumulated_grad(
    copy.deepcopy(start_chk), torch.nn.MSELoss(), x_chk, y_chk, 3)), "float")
check("accumulated_grad(...)", lambda: accumulated_grad(
    copy.deepcopy(start_chk), torch.nn.MSELoss(), x_chk, y_chk, 3), full_loss_chk)
### BEGIN HIDDEN TESTS
from course.lessons import load_checks
hidden_checks = load_checks("07_autograd_mechanics")
hidden_checks.check_accumulated_grad_loss(accumulated_grad, LANG)
### END HIDDEN TESTS

# %% [markdown] lang="pt"
# ### Exercício 9 — resposta escrita (2 pontos, corrigida pelo professor)
#
# Em poucas linhas: por que `s = torch.sigmoid(h); s *= x` faz o *backward* falhar, enquanto
# `h = x * 2; h += 1` não faz? O que o contador de versão protege? E por que trocar por
# `s.data *= x` é **pior** do que o erro?

# %% [markdown] lang="es"
# ### Ejercicio 9 — respuesta escrita (2 puntos, la corrige el docente)
#
# En pocas líneas: ¿por qué `s = torch.sigmoid(h); s *= x` hace fallar el *backward*, mientras
# que `h = x * 2; h += 1` no? ¿Qué protege el contador de versión? ¿Y por qué cambiarlo por
# `s.data *= x` es **peor** que el error?

# %% [markdown] lang="pt" nbgrader={"grade_id": "explain_inplace", "solution": true, "grade": true, "points": 2}
# A derivada da sigmoide é $\sigma(h)(1-\sigma(h))$, então o nó da sigmoide salva a sua saída
# `s` para o *backward*. `s *= x` sobrescreve esses valores na mesma memória e sobe o contador
# de versão de `s` de 0 para 1; no *backward*, o nó compara a versão anotada (0) com a atual (1)
# e para com o erro, em vez de calcular $\sigma(1-\sigma)$ com números errados. Já `x * 2` tem
# derivada 2 e não salva `h` (só o número 2): ninguém depende dos valores de `h`, e mudá-lo
# *in-place* não afeta gradiente nenhum. O contador protege contra gradientes calculados em
# silêncio com valores que não são os do *forward*. `s.data *= x` muda a memória sem subir o
# contador: o erro some, o *backward* usa $\sigma(h)\,x$ no lugar de $\sigma(h)$ e, além disso,
# a multiplicação por `x` nem entra no grafo (nenhum gradiente passa por esse caminho até `x`).
# O resultado é um gradiente errado sem aviso nenhum, muito mais difícil de descobrir que um
# erro.

# %% [markdown] lang="es" nbgrader={"grade_id": "explain_inplace", "solution": true, "grade": true, "points": 2}
# La derivada de la sigmoide es $\sigma(h)(1-\sigma(h))$, así que el nodo de la sigmoide guarda
# su salida `s` para el *backward*. `s *= x` sobrescribe esos valores en la misma memoria y
# sube el contador de versión de `s` de 0 a 1; en el *backward*, el nodo compara la versión
# anotada (0) con la actual (1) y se detiene con el error, en lugar de calcular
# $\sigma(1-\sigma)$ con números equivocados. En cambio `x * 2` tiene derivada 2 y no guarda `h`
# (solo el número 2): nadie depende de los valores de `h`, y cambiarlo *in-place* no afecta a
# ningún gradiente. El contador protege contra gradientes calculados en silencio con valores
# que no son los del *forward*. `s.data *= x` cambia la memoria sin subir el contador: el error
# desaparece, el *backward* usa $\sigma(h)\,x$ en lugar de $\sigma(h)$ y, además, la
# multiplicación por `x` ni entra al grafo (ningún gradiente pasa por ese camino hasta `x`). El
# resultado es un gradiente equivocado sin ningún aviso, mucho más difícil de descubrir que un
# error.

# %% [markdown] lang="pt"
# ## Resumo
#
# * O `backward()` executa a **retropropagação**: percorre o grafo do fim para o começo, cada nó
#   multiplica o gradiente que chega pela sua derivada local, e os caminhos que se juntam somam.
# * O grafo é **definido na execução** (*define-by-run*): `if`, `for` e `while` do Python
#   decidem quais operações entram, e o gradiente é o do caminho executado. A condição de um
#   `if` não tem derivada.
# * Os nós **salvam tensores** do *forward*; o **contador de versão** impede que um tensor
#   salvo seja mudado *in-place* sem que ninguém perceba. Conserte com operações fora do lugar
#   ou `.clone()`, nunca com `.data`.
# * O grafo é **liberado** no *backward*; `retain_graph=True` o mantém para mais uma passagem.
# * *Hooks* observam ou substituem o gradiente de um tensor; devolva um tensor novo, não mude o
#   argumento.
# * `detach()` trata parte de uma expressão como constante; `torch.no_grad()` não grava nada
#   (avaliação, atualizações); `model.eval()` não desliga o autograd.
# * `.grad` **acumula**: com microlotes ponderados por $n_c/n$ e um único `zero_grad()`, a soma
#   é o gradiente do lote inteiro.
#
# ## Para saber mais
#
# * Documentação do PyTorch, *Autograd mechanics* (em inglês):
#   <https://pytorch.org/docs/stable/notes/autograd.html> — grafo, tensores salvos, operações
#   *in-place* e o contador de versão, *hooks*, `no_grad` e `inference_mode`.
# * CS231n (Stanford), notas *Backpropagation, Intuitions* (em inglês):
#   <https://cs231n.github.io/optimization-2/> — a retropropagação desenhada porta por porta.
# * *Mergulho Profundo no Aprendizado Profundo* (d2l, edição em português), seção *Diferenciação
#   automática*: <https://pt.d2l.ai/chapter_preliminaries/autograd.html> — inclui o gradiente
#   através do controle de fluxo do Python e o `detach`.

# %% [markdown] lang="es"
# ## Resumen
#
# * `backward()` ejecuta la **retropropagación**: recorre el grafo del final al principio, cada
#   nodo multiplica el gradiente que llega por su derivada local, y los caminos que se juntan
#   se suman.
# * El grafo se **define en la ejecución** (*define-by-run*): los `if`, `for` y `while` de
#   Python deciden qué operaciones entran, y el gradiente es el del camino ejecutado. La
#   condición de un `if` no tiene derivada.
# * Los nodos **guardan tensores** del *forward*; el **contador de versión** impide que un
#   tensor guardado se cambie *in-place* sin que nadie se entere. Se arregla con operaciones
#   fuera de lugar o `.clone()`, nunca con `.data`.
# * El grafo se **libera** en el *backward*; `retain_graph=True` lo mantiene para una pasada
#   más.
# * Los *hooks* observan o reemplazan el gradiente de un tensor; devuelve un tensor nuevo, no
#   cambies el argumento.
# * `detach()` trata una parte de una expresión como constante; `torch.no_grad()` no registra
#   nada (evaluación, actualizaciones); `model.eval()` no apaga autograd.
# * `.grad` **acumula**: con microlotes ponderados por $n_c/n$ y un único `zero_grad()`, la
#   suma es el gradiente del lote entero.
#
# ## Para saber más
#
# * Documentación de PyTorch, *Autograd mechanics* (en inglés):
#   <https://pytorch.org/docs/stable/notes/autograd.html>: grafo, tensores guardados,
#   operaciones *in-place* y el contador de versión, *hooks*, `no_grad` e `inference_mode`.
# * CS231n (Stanford), notas *Backpropagation, Intuitions* (en inglés):
#   <https://cs231n.github.io/optimization-2/>: la retropropagación dibujada compuerta por
#   compuerta.
# * *Dive into Deep Learning* (d2l), sección *Automatic Differentiation* (en inglés):
#   <https://d2l.ai/chapter_preliminaries/autograd.html>, con el gradiente a través del control
#   de flujo de Python y `detach`. Hay una edición en portugués, *Mergulho Profundo no
#   Aprendizado Profundo*, bastante legible para hispanohablantes:
#   <https://pt.d2l.ai/chapter_preliminaries/autograd.html>.
