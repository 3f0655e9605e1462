# %% [markdown] lang="pt"
# # 06 · Jacobianos e produtos vetor-jacobiano
#
# **Pré-requisitos:** aula 01 (grafo computacional, `backward()`, o `.grad` que acumula, folhas
# e `requires_grad`) e aula 05 (uma rede simples, `torch.no_grad()`); álgebra linear básica
# (produto de matriz por vetor, transposta). **Tempo estimado:** cerca de 1 hora e 30 minutos.
#
# Até aqui sempre chamamos `backward()` numa **perda escalar** e lemos o gradiente nas folhas.
# Mas, no meio de uma rede, quase nada é escalar: cada camada recebe um vetor e devolve outro
# vetor. A derivada de uma função de vetor em vetor não é um gradiente, é uma **matriz**, o
# **jacobiano** (a matriz jacobiana). Nesta aula vamos ver o que o autograd realmente calcula em
# cada nó do grafo (um produto **vetor × jacobiano**) e por que isso basta para treinar redes
# enormes sem nunca montar essas matrizes.
#
# Neste notebook você vai:
#
# 1. passar do gradiente de uma função escalar para o jacobiano de uma função vetorial;
# 2. usar `backward(gradient=v)` e `torch.autograd.grad` para obter $v^\top J$ numa única
#    passagem para trás, e entender por que é esse o modo usado para treinar redes;
# 3. ver a regra da cadeia como um produto de jacobianos transpostos numa rede pequena, com
#    figuras;
# 4. desligar o grafo com `torch.no_grad()`, `detach()` e parâmetros congelados;
# 5. mover um ponto e um vetor com controles deslizantes e ver o jacobiano como aproximação
#    linear;
# 6. resolver os exercícios avaliados: `vjp` e `jacobian`.
#
# Execute as células em ordem (Shift+Enter). As células com `check(...)` conferem seu trabalho
# na hora; enquanto um exercício não tem resposta, elas mostram ⏳ e o notebook segue. Nenhuma
# célula da aula depende das suas respostas, e nenhum exercício depende de outro. A nota final
# vem de testes ocultos, com outros dados, aplicados na correção.

# %% [markdown] lang="es"
# # 06 · Jacobianos y productos vector-jacobiano
#
# **Requisitos previos:** clase 01 (grafo computacional, `backward()`, el `.grad` que se
# acumula, hojas y `requires_grad`) y clase 05 (una red simple, `torch.no_grad()`); álgebra
# lineal básica (producto de matriz por vector, traspuesta). **Tiempo estimado:** alrededor de 1
# hora y 30 minutos.
#
# Hasta ahora siempre llamamos a `backward()` sobre una **pérdida escalar** y leímos el gradiente
# en las hojas. Pero dentro de una red casi nada es escalar: cada capa recibe un vector y
# entrega otro. La derivada de una función de vectores en vectores no es un gradiente sino una
# **matriz**, el **jacobiano** (la matriz jacobiana). En esta clase vamos a ver qué calcula
# realmente autograd en cada nodo del grafo (un producto **vector × jacobiano**) y por qué eso
# alcanza para entrenar redes enormes sin armar nunca esas matrices.
#
# En este notebook vas a:
#
# 1. pasar del gradiente de una función escalar al jacobiano de una función vectorial;
# 2. usar `backward(gradient=v)` y `torch.autograd.grad` para obtener $v^\top J$ en una sola
#    pasada hacia atrás, y entender por qué ese es el modo con el que se entrenan las redes;
# 3. ver la regla de la cadena como un producto de jacobianos traspuestos en una red pequeña, con
#    figuras;
# 4. apagar el grafo con `torch.no_grad()`, `detach()` y parámetros congelados;
# 5. mover un punto y un vector con controles deslizantes y ver el jacobiano como aproximación
#    lineal;
# 6. resolver los ejercicios calificados: `vjp` y `jacobian`.
#
# Ejecuta las celdas en orden (Shift+Enter). Las celdas con `check(...)` revisan tu trabajo al
# instante; mientras un ejercicio no tiene respuesta, muestran ⏳ y el notebook sigue. Ninguna
# celda de la clase depende de tus respuestas, y ningún ejercicio depende de otro. La nota final
# sale de pruebas ocultas, con otros datos, que se aplican al corregir.

# %%
import math

import matplotlib.pyplot as plt
import seaborn as sns
import torch

device = ("cuda" if torch.cuda.is_available()
          else "mps" if torch.backends.mps.is_available() else "cpu")
print("torch", torch.__version__, "| device:", device)

# %% [markdown] lang="pt"
# Os tensores da aula são `float32`, então ela também roda na GPU da Apple (`mps`), além de
# CUDA e CPU.
#
# ## 1. Do gradiente ao jacobiano
#
# Para uma função **escalar** $l(x)$ de um vetor $x \in \mathbb{R}^n$, o gradiente junta as $n$
# derivadas parciais $\partial l/\partial x_j$: diz quanto $l$ muda quando mexemos um pouquinho
# em cada entrada.
#
# Se a função tem **$m$ saídas**, $y = f(x) \in \mathbb{R}^m$, cada saída $y_i$ tem o seu próprio
# gradiente. Empilhando esses $m$ gradientes como linhas, obtemos o **jacobiano**, uma matriz
# $m \times n$:
#
# $$J = \begin{pmatrix}
#   \dfrac{\partial y_1}{\partial x_1} & \cdots & \dfrac{\partial y_1}{\partial x_n}\\
#   \vdots & \ddots & \vdots\\
#   \dfrac{\partial y_m}{\partial x_1} & \cdots & \dfrac{\partial y_m}{\partial x_n}
# \end{pmatrix},
# \qquad J_{ij} = \frac{\partial y_i}{\partial x_j}.$$
#
# Duas leituras da mesma matriz: a **linha** $i$ é o gradiente da saída $y_i$; a **coluna** $j$
# diz como *todas* as saídas reagem a um empurrão em $x_j$, já que
# $f(x + \Delta) \approx f(x) + J\,\Delta$. O gradiente de uma perda escalar é o caso $m = 1$:
# um jacobiano com uma linha só.
#
# Um exemplo pequeno, com $n = 2$ entradas e $m = 3$ saídas:
#
# $$f(x) = \begin{pmatrix} x_1 x_2 \\ \sin x_1 \\ x_2^2 \end{pmatrix},
# \qquad
# J = \begin{pmatrix} x_2 & x_1 \\ \cos x_1 & 0 \\ 0 & 2x_2 \end{pmatrix}.$$
#
# Em $x = (1;\ 2)$: $f(x) = (2;\ \sin 1;\ 4) \approx (2;\ 0{,}8415;\ 4)$ e
# $J = \begin{pmatrix} 2 & 1 \\ \cos 1 & 0 \\ 0 & 4 \end{pmatrix}$, com $\cos 1 \approx 0{,}5403$.
# O PyTorch tem uma função pronta para conferir, `torch.autograd.functional.jacobian`. (No
# código, os índices começam em 0: `x[0]` é $x_1$.)

# %% [markdown] lang="es"
# Los tensores de la clase son `float32`, así que también corre en la GPU de Apple (`mps`),
# además de CUDA y CPU.
#
# ## 1. Del gradiente al jacobiano
#
# Para una función **escalar** $l(x)$ de un vector $x \in \mathbb{R}^n$, el gradiente reúne las
# $n$ derivadas parciales $\partial l/\partial x_j$: dice cuánto cambia $l$ cuando movemos un
# poquito cada entrada.
#
# Si la función tiene **$m$ salidas**, $y = f(x) \in \mathbb{R}^m$, cada salida $y_i$ tiene su
# propio gradiente. Si apilamos esos $m$ gradientes como filas, obtenemos el **jacobiano**, una
# matriz de $m \times n$:
#
# $$J = \begin{pmatrix}
#   \dfrac{\partial y_1}{\partial x_1} & \cdots & \dfrac{\partial y_1}{\partial x_n}\\
#   \vdots & \ddots & \vdots\\
#   \dfrac{\partial y_m}{\partial x_1} & \cdots & \dfrac{\partial y_m}{\partial x_n}
# \end{pmatrix},
# \qquad J_{ij} = \frac{\partial y_i}{\partial x_j}.$$
#
# La misma matriz se lee de dos maneras: la **fila** $i$ es el gradiente de la salida $y_i$; la
# **columna** $j$ dice cómo reaccionan *todas* las salidas a un empujón en $x_j$, porque
# $f(x + \Delta) \approx f(x) + J\,\Delta$. El gradiente de una pérdida escalar es el caso
# $m = 1$: un jacobiano de una sola fila.
#
# Un ejemplo pequeño, con $n = 2$ entradas y $m = 3$ salidas:
#
# $$f(x) = \begin{pmatrix} x_1 x_2 \\ \sin x_1 \\ x_2^2 \end{pmatrix},
# \qquad
# J = \begin{pmatrix} x_2 & x_1 \\ \cos x_1 & 0 \\ 0 & 2x_2 \end{pmatrix}.$$
#
# En $x = (1, 2)$: $f(x) = (2,\ \sin 1,\ 4) \approx (2,\ 0.8415,\ 4)$ y
# $J = \begin{pmatrix} 2 & 1 \\ \cos 1 & 0 \\ 0 & 4 \end{pmatrix}$, con $\cos 1 \approx 0.5403$.
# PyTorch trae una función lista para comprobarlo, `torch.autograd.functional.jacobian`. (En el
# código los índices empiezan en 0: `x[0]` es $x_1$.)

# %%
def f_demo(x):
    return torch.stack([x[0] * x[1], torch.sin(x[0]), x[1] ** 2])

# %%
x_demo = torch.tensor([1.0, 2.0], device=device)
J_demo = torch.autograd.functional.jacobian(f_demo, x_demo)
print("f(x) =", f_demo(x_demo))
print("J =\n", J_demo)
print("J.shape =", tuple(J_demo.shape))

delta = torch.tensor([0.001, 0.0], device=device)
print("(f(x + delta) - f(x)) / 0.001 =", (f_demo(x_demo + delta) - f_demo(x_demo)) / 0.001)
print("J[:, 0]                      =", J_demo[:, 0])

# %% [markdown] lang="pt"
# Empurrando só $x_1$, com $\Delta = (0{,}001;\ 0)$, a variação das saídas é quase exatamente
# $0{,}001$ vezes a **primeira coluna** de $J$: dividida por $0{,}001$, ela reproduz
# $(2;\ \cos 1;\ 0)$ até a terceira casa decimal (o resto é termo de segunda ordem e
# arredondamento de `float32`). A terceira saída, $x_2^2$, nem percebe o empurrão em $x_1$.
#
# **A API moderna: `torch.func`.** `torch.autograd.functional` é a interface clássica. Desde o
# PyTorch 2.0, a família recomendada é `torch.func`, que trata derivadas como transformações de
# funções: `torch.func.jacrev(f)(x)` monta o jacobiano pelo modo reverso (uma linha por produto
# vetor-jacobiano, a ideia desta aula), `torch.func.jacfwd(f)(x)` pelo modo direto (uma coluna
# por vez), e `torch.func.vjp(f, x)` devolve `f(x)` e uma função que calcula $v^\top J$ para
# qualquer $v$. Aqui elas servem para conferir; nos exercícios você mesmo monta o VJP e o
# jacobiano com `backward` e `torch.autograd.grad`.

# %% [markdown] lang="es"
# Si empujamos solo $x_1$, con $\Delta = (0.001,\ 0)$, la variación de las salidas es casi
# exactamente $0.001$ veces la **primera columna** de $J$: dividida por $0.001$, reproduce
# $(2,\ \cos 1,\ 0)$ hasta el tercer decimal (el resto es el término de segundo orden y el
# redondeo de `float32`). La tercera salida, $x_2^2$, ni se entera del empujón en $x_1$.
#
# **La API moderna: `torch.func`.** `torch.autograd.functional` es la interfaz clásica. Desde
# PyTorch 2.0, la familia recomendada es `torch.func`, que trata las derivadas como
# transformaciones de funciones: `torch.func.jacrev(f)(x)` arma el jacobiano con el modo inverso
# (una fila por producto vector-jacobiano, la idea de esta clase), `torch.func.jacfwd(f)(x)` con
# el modo directo (una columna por vez), y `torch.func.vjp(f, x)` devuelve `f(x)` y una función
# que calcula $v^\top J$ para cualquier $v$. Aquí sirven para comprobar; en los ejercicios tú
# mismo armas el VJP y el jacobiano con `backward` y `torch.autograd.grad`.

# %%
print("torch.func.jacrev(f_demo)(x) =\n", torch.func.jacrev(f_demo)(x_demo))
print("jacrev == J:", torch.allclose(torch.func.jacrev(f_demo)(x_demo), J_demo),
      "| jacfwd == J:", torch.allclose(torch.func.jacfwd(f_demo)(x_demo), J_demo))

# %% [markdown] lang="pt"
# ## 2. `backward(gradient=v)`: o produto vetor-jacobiano
#
# O que acontece se chamarmos `backward()` direto num vetor?

# %% [markdown] lang="es"
# ## 2. `backward(gradient=v)`: el producto vector-jacobiano
#
# ¿Qué pasa si llamamos a `backward()` directamente sobre un vector?

# %%
x = x_demo.clone().requires_grad_(True)
y = f_demo(x)
try:
    y.backward()
except RuntimeError:
    print(lang_text("RuntimeError: sem argumento, o backward() só vale para uma saída escalar",
                    "RuntimeError: sin argumento, backward() solo vale para una salida escalar"))

# %% [markdown] lang="pt"
# O PyTorch se recusa (a mensagem original, em inglês, diz que o gradiente só pode ser criado
# implicitamente para saídas escalares). A razão fica clara quando pensamos no que vem
# **depois** de `y` numa rede: no fim sempre há uma perda escalar $l = g(y)$. Chame de $v$ o
# gradiente dessa perda em relação a `y`, $v_i = \partial l/\partial y_i$. Pela regra da cadeia,
# cada componente de $x$ recebe a soma das contribuições de todas as saídas:
#
# $$\frac{\partial l}{\partial x_j} = \sum_{i=1}^{m} \frac{\partial l}{\partial y_i}\,
#   \frac{\partial y_i}{\partial x_j} = \sum_{i=1}^{m} v_i\, J_{ij}
#   \qquad\Longrightarrow\qquad \nabla_x l = J^\top v .$$
#
# É o **produto vetor-jacobiano** (VJP, do inglês *vector-Jacobian product*): $v^\top J$ é um vetor
# linha com os mesmos números que o vetor coluna $J^\top v$. Ele tem **uma entrada por
# componente de $x$** ($n$ números), não por saída.
#
# `y.backward(gradient=v)` é exatamente isso: "finja que existe uma perda acima de `y` cujo
# gradiente é `v`, e continue o *backward* daqui". O resultado, $J^\top v$, vai para `x.grad`.
# Há três jeitos equivalentes de pedir a mesma conta:
#
# * `y.backward(gradient=v)` — acumula em `x.grad`;
# * `torch.autograd.grad(y, x, grad_outputs=v)` — **devolve** o resultado e não mexe em `x.grad`;
# * `(v * y).sum().backward()` — a perda $l = \sum_i v_i y_i$, com $v$ constante, tem
#   exatamente $\partial l/\partial y = v$.
#
# Com $v = (1;\ -1;\ 0{,}5)$ esperamos $v^\top J = (2 - \cos 1;\ 1 + 2) \approx (1{,}4597;\ 3)$.

# %% [markdown] lang="es"
# PyTorch se niega (el mensaje original, en inglés, dice que el gradiente solo puede crearse
# implícitamente para salidas escalares). El motivo se entiende si pensamos en lo que viene
# **después** de `y` en una red: al final siempre hay una pérdida escalar $l = g(y)$. Llamemos
# $v$ al gradiente de esa pérdida respecto de `y`, $v_i = \partial l/\partial y_i$. Por la regla
# de la cadena, cada componente de $x$ recibe la suma de los aportes de todas las salidas:
#
# $$\frac{\partial l}{\partial x_j} = \sum_{i=1}^{m} \frac{\partial l}{\partial y_i}\,
#   \frac{\partial y_i}{\partial x_j} = \sum_{i=1}^{m} v_i\, J_{ij}
#   \qquad\Longrightarrow\qquad \nabla_x l = J^\top v .$$
#
# Es el **producto vector-jacobiano** (VJP, del inglés *vector-Jacobian product*): $v^\top J$ es un
# vector fila con los mismos números que el vector columna $J^\top v$. Tiene **una entrada por
# componente de $x$** ($n$ números), no por salida.
#
# `y.backward(gradient=v)` hace exactamente eso: "supón que arriba de `y` hay una pérdida cuyo
# gradiente es `v`, y sigue el *backward* desde aquí". El resultado, $J^\top v$, va a `x.grad`.
# Hay tres formas equivalentes de pedir la misma cuenta:
#
# * `y.backward(gradient=v)`: acumula en `x.grad`;
# * `torch.autograd.grad(y, x, grad_outputs=v)`: **devuelve** el resultado y no toca `x.grad`;
# * `(v * y).sum().backward()`: la pérdida $l = \sum_i v_i y_i$, con $v$ constante, tiene
#   exactamente $\partial l/\partial y = v$.
#
# Con $v = (1,\ -1,\ 0.5)$ esperamos $v^\top J = (2 - \cos 1,\ 1 + 2) \approx (1.4597,\ 3)$.

# %%
v = torch.tensor([1.0, -1.0, 0.5], device=device)

x.grad = None
f_demo(x).backward(gradient=v)
print("y.backward(v)            -> x.grad =", x.grad)

(g,) = torch.autograd.grad(f_demo(x), x, grad_outputs=v)
print("torch.autograd.grad(y, x, v)       =", g)

x.grad = None
(v * f_demo(x)).sum().backward()
print("(v * y).sum().backward() -> x.grad =", x.grad)

print("J.T @ v                            =", J_demo.T @ v)

# %% [markdown] lang="pt"
# Os quatro resultados coincidem. Repare que antes de cada `backward()` fizemos `x.grad = None`:
# como vimos na aula 01, o gradiente das folhas **acumula**.
#
# ### Uma linha por passagem
#
# Se $v$ for o vetor da base $e_i$ (1 na posição $i$, 0 no resto), $v^\top J$ é exatamente a
# **linha $i$** do jacobiano. Por exemplo, com $e_2 = (0, 1, 0)$ sai a segunda linha,
# $(\cos 1,\ 0)$:

# %% [markdown] lang="es"
# Los cuatro resultados coinciden. Fíjate en que antes de cada `backward()` hicimos
# `x.grad = None`: como vimos en la clase 01, el gradiente de las hojas **se acumula**.
#
# ### Una fila por pasada
#
# Si $v$ es el vector de la base $e_i$ (1 en la posición $i$, 0 en el resto), $v^\top J$ es
# exactamente la **fila $i$** del jacobiano. Por ejemplo, con $e_2 = (0, 1, 0)$ sale la segunda
# fila, $(\cos 1,\ 0)$:

# %%
e2 = torch.tensor([0.0, 1.0, 0.0], device=device)
(row,) = torch.autograd.grad(f_demo(x), x, grad_outputs=e2)
print("e2^T J =", row, "| J[1] =", J_demo[1])

# %% [markdown] lang="pt"
# ### Por que o modo reverso treina redes
#
# Uma passagem para trás custa mais ou menos o mesmo que a passagem para a frente (um fator
# pequeno), **qualquer que seja** o número $n$ de entradas, e entrega um $v^\top J$ inteiro: as
# $n$ derivadas de uma vez. Num treino, a saída final é uma perda escalar ($m = 1$, e $v = 1$
# para ela), e as "entradas" são todos os parâmetros da rede, às vezes milhões. **Um único
# `backward()` dá o gradiente em relação a todos eles.** Esse é o modo reverso (*reverse mode*)
# da diferenciação automática, o algoritmo de **retropropagação** (*backpropagation*) que o
# `backward()` implementa.
#
# O preço aparece quando queremos o jacobiano **inteiro** de uma função com muitas saídas: uma
# passagem por linha, ou seja, $m$ passagens. (Existe também o modo direto, *forward mode*,
# que calcula $J\,u$, o produto jacobiano-vetor (JVP), uma combinação de **colunas**, por
# passagem; ele compensa quando há poucas entradas e muitas saídas. No PyTorch, veja
# `torch.func.jvp`.)

# %% [markdown] lang="es"
# ### Por qué el modo inverso entrena redes
#
# Una pasada hacia atrás cuesta más o menos lo mismo que la pasada hacia adelante (un factor
# pequeño), **sea cual sea** el número $n$ de entradas, y entrega un $v^\top J$ completo: las $n$
# derivadas de una vez. Al entrenar, la salida final es una pérdida escalar ($m = 1$, y $v = 1$
# para ella), y las "entradas" son todos los parámetros de la red, a veces millones. **Un solo
# `backward()` da el gradiente respecto de todos ellos.** Ese es el modo inverso (*reverse mode*)
# de la diferenciación automática, el algoritmo de **retropropagación** (*backpropagation*) que
# implementa `backward()`.
#
# El precio aparece cuando queremos el jacobiano **completo** de una función con muchas salidas:
# una pasada por fila, es decir, $m$ pasadas. (También existe el modo directo, *forward mode*,
# que calcula $J\,u$, el producto jacobiano-vector (JVP), una combinación de **columnas**, por
# pasada; conviene cuando hay pocas entradas y muchas salidas. En PyTorch, mira
# `torch.func.jvp`.)

# %% [markdown] lang="pt"
# ## 3. A regra da cadeia como produto de jacobianos
#
# Vamos montar uma rede pequena, com duas camadas lineares e uma $\tanh$ no meio, de
# $\mathbb{R}^4$ em $\mathbb{R}^3$:
#
# $$h = \tanh(W_1 x + b_1) \in \mathbb{R}^6, \qquad y = W_2 h + b_2 \in \mathbb{R}^3 .$$
#
# Cada camada tem o seu jacobiano:
#
# * $J_1 = \partial h/\partial x = \operatorname{diag}(1 - h^2)\,W_1$, de tamanho $6 \times 4$ (a
#   derivada de $\tanh$ é $1 - \tanh^2$, elemento a elemento);
# * $J_2 = \partial y/\partial h = W_2$, de tamanho $3 \times 6$.
#
# O jacobiano da rede inteira é o produto $J = J_2 J_1$ ($3 \times 4$), e o gradiente que chega
# em $x$ é
#
# $$\nabla_x l = J^\top v = (J_2 J_1)^\top v = J_1^\top\, J_2^\top\, v .$$
#
# As transpostas aparecem na ordem inversa das camadas. Avaliando da direita para a esquerda,
# nenhuma matriz grande é necessária: $v$ (3 números) vira $J_2^\top v$ (6 números), que vira
# $J_1^\top J_2^\top v$ (4 números). **Isso é o backward**: cada `grad_fn` do grafo sabe calcular
# o $v^\top J$ da sua própria operação e entrega o resultado ao nó seguinte. Com mais camadas a
# cadeia só fica mais longa: $J_1^\top J_2^\top \cdots J_L^\top v$.

# %% [markdown] lang="es"
# ## 3. La regla de la cadena como producto de jacobianos
#
# Armemos una red pequeña, con dos capas lineales y una $\tanh$ en el medio, de
# $\mathbb{R}^4$ en $\mathbb{R}^3$:
#
# $$h = \tanh(W_1 x + b_1) \in \mathbb{R}^6, \qquad y = W_2 h + b_2 \in \mathbb{R}^3 .$$
#
# Cada capa tiene su propio jacobiano:
#
# * $J_1 = \partial h/\partial x = \operatorname{diag}(1 - h^2)\,W_1$, de $6 \times 4$ (la
#   derivada de $\tanh$ es $1 - \tanh^2$, elemento a elemento);
# * $J_2 = \partial y/\partial h = W_2$, de $3 \times 6$.
#
# El jacobiano de la red completa es el producto $J = J_2 J_1$ ($3 \times 4$), y el gradiente que
# llega a $x$ es
#
# $$\nabla_x l = J^\top v = (J_2 J_1)^\top v = J_1^\top\, J_2^\top\, v .$$
#
# Las traspuestas aparecen en orden inverso al de las capas. Si se evalúa de derecha a izquierda,
# nunca hace falta ninguna matriz grande: $v$ (3 números) se convierte en $J_2^\top v$ (6
# números), que se convierte en $J_1^\top J_2^\top v$ (4 números). **Eso es el backward**: cada
# `grad_fn` del grafo sabe calcular el $v^\top J$ de su propia operación y le pasa el resultado
# al nodo siguiente. Con más capas la cadena simplemente se alarga:
# $J_1^\top J_2^\top \cdots J_L^\top v$.

# %%
torch.manual_seed(0)
n_in, n_hidden, n_out = 4, 6, 3
W1 = torch.randn(n_hidden, n_in, device=device) / 2
b1 = torch.randn(n_hidden, device=device) / 2
W2 = torch.randn(n_out, n_hidden, device=device) / 2
b2 = torch.randn(n_out, device=device)


def net(x):
    h = torch.tanh(W1 @ x + b1)
    return W2 @ h + b2


x_net = torch.randn(n_in, device=device)
v_net = torch.randn(n_out, device=device)

h = torch.tanh(W1 @ x_net + b1)
J1 = torch.diag(1 - h ** 2) @ W1
J2 = W2
by_hand = J1.T @ (J2.T @ v_net)

x_leaf = x_net.clone().requires_grad_(True)
net(x_leaf).backward(gradient=v_net)

J_net = torch.autograd.functional.jacobian(net, x_net)
print("J1.T @ (J2.T @ v) =", by_hand)
print("backward          =", x_leaf.grad)
print(lang_text("mesmo vetor:", "mismo vector:"), torch.allclose(by_hand, x_leaf.grad, atol=1e-5))
print("J2 @ J1 == J_net:", torch.allclose(J2 @ J1, J_net, atol=1e-5))

# %% [markdown] lang="pt"
# A multiplicação à mão e o `backward()` dão o mesmo vetor, e $J_2 J_1$ coincide com o
# jacobiano que o PyTorch calcula para a rede inteira. A figura mostra as três matrizes lado a
# lado (vermelho positivo, azul negativo). Repare como os formatos se encaixam,
# $(3 \times 6)(6 \times 4) = (3 \times 4)$, e como cada linha de $J_1$ é a linha
# correspondente de $W_1$ encolhida pelo fator $1 - h_k^2$: um neurônio saturado ($h_k$ perto
# de $\pm 1$) quase não deixa o gradiente passar.

# %% [markdown] lang="es"
# La multiplicación a mano y el `backward()` dan el mismo vector, y $J_2 J_1$ coincide con el
# jacobiano que PyTorch calcula para la red completa. La figura muestra las tres matrices una al
# lado de la otra (rojo positivo, azul negativo). Fíjate en cómo encajan las formas,
# $(3 \times 6)(6 \times 4) = (3 \times 4)$, y en que cada fila de $J_1$ es la fila
# correspondiente de $W_1$ achicada por el factor $1 - h_k^2$: una neurona saturada ($h_k$ cerca
# de $\pm 1$) casi no deja pasar el gradiente.

# %%
fig, axes = plt.subplots(1, 3, figsize=(13, 3.6), gridspec_kw={"width_ratios": [6, 4, 4]})
panels = [(J2, "J2 = dy/dh  (3×6)"), (J1, "J1 = dh/dx  (6×4)"), (J_net, "J = J2 @ J1  (3×4)")]
vmax = max(m.abs().max().item() for m, _ in panels)
for ax, (mat, title) in zip(axes, panels):
    sns.heatmap(mat.cpu().numpy(), ax=ax, annot=True, fmt=".2f", cmap="RdBu_r", center=0,
                vmin=-vmax, vmax=vmax, cbar=False, square=True, annot_kws={"size": 8})
    ax.set_title(title)
    ax.set_xlabel("j")
    ax.set_ylabel("i")
plt.tight_layout()
plt.show()

# %% [markdown] lang="pt"
# ### A forma de um jacobiano conta uma história
#
# O desenho de um jacobiano mostra **quem depende de quem**. Abaixo, três funções de
# $\mathbb{R}^8$ em $\mathbb{R}^8$ (com `torch.func.jacrev`):
#
# * `tanh(x)` age elemento a elemento: $y_i$ só depende de $x_i$, e o jacobiano é **diagonal**.
#   É por isso que o autograd nunca o monta: $v^\top \operatorname{diag}(d)$ é só `v * d`.
# * `cumsum(x)`: $y_i = x_1 + \dots + x_i$ depende de $x_j$ para $j \le i$, e o jacobiano é
#   **triangular inferior**, cheio de uns.
# * `softmax(x)`: cada saída depende de todas as entradas, e o jacobiano é **cheio**,
#   $\operatorname{diag}(s) - s s^\top$. Como as saídas sempre somam 1, cada coluna soma 0 (a
#   conta abaixo da figura confirma, a menos do arredondamento de `float32`).

# %% [markdown] lang="es"
# ### La forma de un jacobiano cuenta una historia
#
# El dibujo de un jacobiano muestra **quién depende de quién**. Abajo hay tres funciones de
# $\mathbb{R}^8$ en $\mathbb{R}^8$ (con `torch.func.jacrev`):
#
# * `tanh(x)` actúa elemento a elemento: $y_i$ solo depende de $x_i$, y el jacobiano es
#   **diagonal**. Por eso autograd nunca lo arma: $v^\top \operatorname{diag}(d)$ es solo `v * d`.
# * `cumsum(x)`: $y_i = x_1 + \dots + x_i$ depende de $x_j$ para $j \le i$, y el jacobiano es
#   **triangular inferior**, lleno de unos.
# * `softmax(x)`: cada salida depende de todas las entradas, y el jacobiano es **denso**,
#   $\operatorname{diag}(s) - s s^\top$. Como las salidas siempre suman 1, cada columna suma 0
#   (la cuenta debajo de la figura lo confirma, salvo por el redondeo de `float32`).

# %%
x8 = torch.linspace(-2, 2, 8, device=device)
examples = [("tanh(x)", torch.tanh), ("cumsum(x)", lambda t: torch.cumsum(t, 0)),
            ("softmax(x)", lambda t: torch.softmax(t, 0))]
fig, axes = plt.subplots(1, 3, figsize=(13, 4))
for ax, (title, fn) in zip(axes, examples):
    Jx = torch.func.jacrev(fn)(x8).cpu()
    lim = Jx.abs().max().item()
    sns.heatmap(Jx.numpy(), ax=ax, cmap="RdBu_r", center=0, vmin=-lim, vmax=lim, square=True)
    ax.set_title(title)
    ax.set_xlabel("j")
    ax.set_ylabel("i")
plt.tight_layout()
plt.show()

J_soft = torch.func.jacrev(lambda t: torch.softmax(t, 0))(x8)
print(lang_text("softmax: maior |soma de uma coluna| =", "softmax: mayor |suma de una columna| ="),
      J_soft.sum(0).abs().max().item())

# %% [markdown] lang="pt"
# ## 4. Desligando o grafo: `no_grad`, `detach` e parâmetros congelados
#
# Agora um modelo de uma camada com a perda *binary cross-entropy with logits* (entropia
# cruzada binária a partir dos *logits*): entrada `x_in` com cinco uns, alvo `target` com três
# zeros, pesos `w` ($5 \times 3$) e viés `b` (3), ambos com `requires_grad=True`. Os *logits*
# são $z = x_{in} W + b$.

# %% [markdown] lang="es"
# ## 4. Apagar el grafo: `no_grad`, `detach` y parámetros congelados
#
# Ahora un modelo de una capa con la pérdida *binary cross-entropy with logits* (entropía
# cruzada binaria a partir de los *logits*): entrada `x_in` con cinco unos, objetivo `target` con
# tres ceros, pesos `w` ($5 \times 3$) y sesgo `b` (3), los dos con `requires_grad=True`. Los
# *logits* son $z = x_{in} W + b$.

# %%
torch.manual_seed(1)
x_in = torch.ones(5, device=device)
target = torch.zeros(3, device=device)
w = torch.randn(5, 3, device=device, requires_grad=True)
b = torch.randn(3, device=device, requires_grad=True)

z = x_in @ w + b
loss = torch.nn.functional.binary_cross_entropy_with_logits(z, target)
print("z.grad_fn =", z.grad_fn.name())
print(lang_text("grad_fn da perda =", "grad_fn de la pérdida ="), loss.grad_fn.name())

loss.backward()
print("w.grad =\n", w.grad)
print("b.grad =", b.grad)
print("(sigmoid(z) - target) / 3 =", (torch.sigmoid(z) - target).detach() / 3)

# %% [markdown] lang="pt"
# `z` foi produzido por uma soma (`AddBackward0`) e a perda pelo nó
# `BinaryCrossEntropyWithLogitsBackward0`. Agora leia os gradientes com os olhos desta aula.
# O vetor que desce da perda até `z` é $v = \partial l/\partial z = (\sigma(z) - \text{target})/3$
# (o 3 vem da média sobre as três saídas). Cada parâmetro recebe o seu $v^\top J$:
#
# * para `b`, $\partial z/\partial b$ é a identidade, então `b.grad` $= v$;
# * para `w`, $\partial z_k/\partial w_{jk} = x_j$, então `w.grad[j, k]` $= x_j\, v_k$. Como `x_in`
#   só tem uns, **todas as linhas de `w.grad` são iguais a `b.grad`** — confira na saída acima.
#
# Nem sempre queremos o grafo:
#
# * **inferência**: dentro de `with torch.no_grad():` nada é gravado; o resultado sai com
#   `requires_grad=False` e sem `grad_fn`, e a conta gasta menos memória e tempo;
# * **`t.detach()`**: devolve um tensor com os mesmos dados, fora do grafo; só aquela
#   expressão deixa de propagar gradiente;
# * **parâmetros congelados**: `w.requires_grad_(False)` desliga o gradiente de `w` em todo uso
#   seguinte. O autograd nem calcula o $v^\top J$ que iria para `w`, e os outros parâmetros
#   recebem exatamente o mesmo gradiente de antes. Num `nn.Module`, congela-se uma camada com
#   `for p in camada.parameters(): p.requires_grad_(False)`.

# %% [markdown] lang="es"
# `z` salió de una suma (`AddBackward0`) y la pérdida del nodo
# `BinaryCrossEntropyWithLogitsBackward0`. Leamos ahora los gradientes con los ojos de esta
# clase. El vector que baja desde la pérdida hasta `z` es
# $v = \partial l/\partial z = (\sigma(z) - \text{target})/3$ (el 3 viene de la media sobre las
# tres salidas). Cada parámetro recibe su $v^\top J$:
#
# * para `b`, $\partial z/\partial b$ es la identidad, así que `b.grad` $= v$;
# * para `w`, $\partial z_k/\partial w_{jk} = x_j$, así que `w.grad[j, k]` $= x_j\, v_k$. Como
#   `x_in` solo tiene unos, **todas las filas de `w.grad` son iguales a `b.grad`**: compruébalo en
#   la salida de arriba.
#
# No siempre queremos el grafo:
#
# * **inferencia**: dentro de `with torch.no_grad():` no se registra nada; el resultado sale con
#   `requires_grad=False` y sin `grad_fn`, y la cuenta gasta menos memoria y tiempo;
# * **`t.detach()`**: devuelve un tensor con los mismos datos, fuera del grafo; solo esa
#   expresión deja de propagar gradiente;
# * **parámetros congelados**: `w.requires_grad_(False)` apaga el gradiente de `w` en todos los
#   usos siguientes. Autograd ni siquiera calcula el $v^\top J$ que iría a `w`, y los demás
#   parámetros reciben exactamente el mismo gradiente que antes. En un `nn.Module` se congela una
#   capa con `for p in capa.parameters(): p.requires_grad_(False)`.

# %%
z = x_in @ w + b
print(lang_text("z.requires_grad (grafo ligado)      =", "z.requires_grad (grafo encendido)  ="),
      z.requires_grad)
with torch.no_grad():
    z_eval = x_in @ w + b
print(lang_text("z.requires_grad (dentro do no_grad) =", "z.requires_grad (dentro del no_grad) ="),
      z_eval.requires_grad, "| grad_fn =", z_eval.grad_fn)
print("z.detach(): requires_grad =", z.detach().requires_grad, "| grad_fn =", z.detach().grad_fn)

b_grad_before = b.grad.clone()

w.requires_grad_(False)
w.grad, b.grad = None, None
loss_frozen = torch.nn.functional.binary_cross_entropy_with_logits(x_in @ w + b, target)
loss_frozen.backward()
print(lang_text("w congelado:", "w congelado:"), "w.grad =", w.grad, "| b.grad =", b.grad)
w.requires_grad_(True)

b.grad = None
loss_detached = torch.nn.functional.binary_cross_entropy_with_logits(x_in @ w.detach() + b,
                                                                      target)
loss_detached.backward()
print("w.detach(): w.grad =", w.grad, "| b.grad =", b.grad)
print(lang_text("b.grad igual ao da primeira conta:", "b.grad igual al de la primera cuenta:"),
      torch.allclose(b.grad, b_grad_before))

# %% [markdown] lang="pt"
# `no_grad` e `detach` dão um `z` fora do grafo. Com `w` congelado, `w.grad` continua `None` e
# `b.grad` sai idêntico ao da primeira conta; com `w.detach()` no lugar de `w`, o efeito é o
# mesmo, mas só naquela expressão (`w` continua pedindo gradiente em outros usos).
#
# ## 5. Explore: o jacobiano como aproximação linear
#
# Uma função de $\mathbb{R}^2$ em $\mathbb{R}^2$ dá para desenhar inteira. Abaixo,
#
# $$f(x) = \begin{pmatrix} x_1 + \tfrac12 x_2^2 \\ x_2 + \tfrac12 \sin 2x_1 \end{pmatrix},
# \qquad J = \begin{pmatrix} 1 & x_2 \\ \cos 2x_1 & 1 \end{pmatrix}.$$
#
# À esquerda, o plano das entradas: o ponto $x$ e um círculo de raio `r` em volta dele. À
# direita, o plano das saídas: a imagem desse círculo por $f$ (linha cheia) e por
# $f(x) + J\,\Delta$, a aproximação linear (tracejada), que é uma elipse. Quanto menor `r`, mais
# as duas curvas coincidem: **o jacobiano é a melhor aproximação linear de $f$ perto de $x$**.
# As linhas cinza são a grade das entradas deformada por $f$.
#
# O vetor $v$ (vermelho, à direita, de ângulo `theta` em graus) vive no espaço das saídas; o
# VJP $v^\top J$ (vermelho, à esquerda) vive no espaço das entradas. Ele é o gradiente de
# $l(x) = v \cdot f(x)$: a direção em que mover $x$ faz $f(x)$ avançar mais no sentido de $v$.
# Mova `x1`, `x2`, `theta` e `r` e observe: onde a elipse fica achatada, quase nenhum
# movimento de $x$ leva $f(x)$ na direção curta da elipse.

# %% [markdown] lang="es"
# `no_grad` y `detach` dan un `z` fuera del grafo. Con `w` congelado, `w.grad` sigue en `None` y
# `b.grad` sale idéntico al de la primera cuenta; con `w.detach()` en lugar de `w`, el efecto es
# el mismo, pero solo en esa expresión (`w` sigue pidiendo gradiente en otros usos).
#
# ## 5. Explora: el jacobiano como aproximación lineal
#
# Una función de $\mathbb{R}^2$ en $\mathbb{R}^2$ se puede dibujar entera. Abajo,
#
# $$f(x) = \begin{pmatrix} x_1 + \tfrac12 x_2^2 \\ x_2 + \tfrac12 \sin 2x_1 \end{pmatrix},
# \qquad J = \begin{pmatrix} 1 & x_2 \\ \cos 2x_1 & 1 \end{pmatrix}.$$
#
# A la izquierda, el plano de las entradas: el punto $x$ y un círculo de radio `r` a su
# alrededor. A la derecha, el plano de las salidas: la imagen de ese círculo por $f$ (línea
# continua) y por $f(x) + J\,\Delta$, la aproximación lineal (punteada), que es una elipse. Cuanto
# menor es `r`, más coinciden las dos curvas: **el jacobiano es la mejor aproximación lineal de
# $f$ cerca de $x$**. Las líneas grises son la cuadrícula de las entradas deformada por $f$.
#
# El vector $v$ (rojo, a la derecha, de ángulo `theta` en grados) vive en el espacio de las
# salidas; el VJP $v^\top J$ (rojo, a la izquierda) vive en el espacio de las entradas. Es el
# gradiente de $l(x) = v \cdot f(x)$: la dirección en la que mover $x$ hace que $f(x)$ avance
# más en el sentido de $v$. Mueve `x1`, `x2`, `theta` y `r` y observa: donde la elipse queda
# aplastada, casi ningún movimiento de $x$ lleva $f(x)$ en la dirección corta de la elipse.

# %%
def f_map(x):
    return torch.stack([x[0] + 0.5 * x[1] ** 2, x[1] + 0.5 * torch.sin(2 * x[0])])


def draw_jacobian_map(x1, x2, theta, r):
    x0 = torch.tensor([x1, x2])
    fx = f_map(x0)
    J = torch.func.jacrev(f_map)(x0)
    v_out = torch.tensor([math.cos(math.radians(theta)), math.sin(math.radians(theta))])
    _, pullback = torch.func.vjp(f_map, x0)
    vJ = pullback(v_out)[0]
    angles = torch.linspace(0, 2 * math.pi, 120)
    ring = r * torch.stack([torch.cos(angles), torch.sin(angles)])
    image = f_map(x0[:, None] + ring)
    linear = fx[:, None] + J @ ring

    fig, (ax_in, ax_out) = plt.subplots(1, 2, figsize=(12, 5.2))
    fine = torch.linspace(-2, 2, 60)
    for c in torch.linspace(-2, 2, 9):
        for line in (torch.stack([fine, c.expand(60)]), torch.stack([c.expand(60), fine])):
            ax_in.plot(line[0], line[1], color="0.85", lw=0.8)
            mapped = f_map(line)
            ax_out.plot(mapped[0], mapped[1], color="0.85", lw=0.8)
    ax_in.plot(x0[0] + ring[0], x0[1] + ring[1], color="tab:blue")
    ax_in.plot(*x0, "ko")
    ax_in.quiver(*x0, *vJ, color="tab:red", angles="xy", scale_units="xy", scale=1)
    ax_in.set_title(lang_text(f"entradas: x = ({x1:.2f}, {x2:.2f}), vᵀJ = "
                              f"({vJ[0]:.2f}, {vJ[1]:.2f})",
                              f"entradas: x = ({x1:.2f}, {x2:.2f}), vᵀJ = "
                              f"({vJ[0]:.2f}, {vJ[1]:.2f})"))
    ax_out.plot(image[0], image[1], color="tab:blue", label="f(x + Δ)")
    ax_out.plot(linear[0], linear[1], color="tab:orange", ls="--", label="f(x) + J Δ")
    ax_out.plot(*fx, "ko")
    ax_out.quiver(*fx, *v_out, color="tab:red", angles="xy", scale_units="xy", scale=1)
    ax_out.set_title(lang_text(f"saídas: f(x) = ({fx[0]:.2f}, {fx[1]:.2f}), v = "
                               f"({v_out[0]:.2f}, {v_out[1]:.2f})",
                               f"salidas: f(x) = ({fx[0]:.2f}, {fx[1]:.2f}), v = "
                               f"({v_out[0]:.2f}, {v_out[1]:.2f})"))
    ax_out.legend(loc="upper left", fontsize=8)
    for ax, names in ((ax_in, ("x1", "x2")), (ax_out, ("f1", "f2"))):
        ax.set_aspect("equal")
        ax.set_xlabel(names[0])
        ax.set_ylabel(names[1])
    ax_in.set_xlim(-3, 3)
    ax_in.set_ylim(-3, 3)
    ax_out.set_xlim(-3.5, 5)
    ax_out.set_ylim(-3, 3)
    plt.tight_layout()
    plt.show()


explore(draw_jacobian_map, x1=slider(-2.0, 2.0, 0.5, step=0.05),
        x2=slider(-2.0, 2.0, 1.0, step=0.05), theta=slider(0, 355, 0, step=5),
        r=slider(0.05, 1.0, 0.3, step=0.05))

# %% [markdown] lang="pt"
# Na figura inicial, $x = (0{,}5;\ 1)$ e $J = \begin{pmatrix} 1 & 1 \\ 0{,}54 & 1
# \end{pmatrix}$: as duas linhas são quase paralelas, e o círculo vira uma elipse estreita (os
# valores singulares de $J$ são $1{,}80$ e $0{,}26$). Com $v = (1, 0)$, $v^\top J$ é a primeira
# linha de $J$, $(1, 1)$: andar na diagonal é o que mais aumenta $f_1$.

# %% [markdown] lang="es"
# En la figura inicial, $x = (0.5,\ 1)$ y $J = \begin{pmatrix} 1 & 1 \\ 0.54 & 1
# \end{pmatrix}$: las dos filas son casi paralelas, y el círculo se convierte en una elipse
# angosta (los valores singulares de $J$ son $1.80$ y $0.26$). Con $v = (1, 0)$, $v^\top J$ es
# la primera fila de $J$, $(1, 1)$: moverse en diagonal es lo que más aumenta $f_1$.

# %% [markdown] lang="pt"
# ## 6. Exercícios avaliados
#
# Cada exercício tem uma célula de resposta (substitua o `raise NotImplementedError(...)` pelo
# seu código; **não mude o nome nem os parâmetros da função**) e células de verificação logo
# abaixo. As verificações visíveis usam os dados da aula; na correção, testes ocultos repetem a
# conferência com funções e vetores aleatórios, em `float64`, na CPU e na GPU (se houver).
#
# **Precisão exigida:** os testes comparam com o jacobiano que o autograd calcula, com erro
# relativo de até $10^{-10}$ em `float64` (um resultado devolvido em `float32` é aceito com
# $10^{-6}$). Uma aproximação por diferenças finitas não serve: mesmo em `float64` e com um bom
# passo, ela erra na casa de $10^{-11}$ a $10^{-9}$ (aula 02), no limite dessa tolerância ou
# acima dela. Use o autograd.
#
# ### Exercício 1 — `vjp(f, x, v)` (3 pontos)
#
# Escreva o produto vetor-jacobiano $v^\top J_f(x)$ de uma função `f` que leva um tensor 1-D num
# tensor 1-D, **calculado com o autograd numa única passagem para trás**
# (`backward(gradient=v)` ou `torch.autograd.grad`). O resultado tem o formato de `x`. Não
# monte o jacobiano inteiro para depois multiplicar por `v` (com
# `torch.autograd.functional.jacobian`, `torch.func.jacrev` ou uma linha por passagem): a
# correção conta as passagens para trás.
#
# Cuidado com o `x` de quem chama: ele pode ou não ter `requires_grad=True`, e a sua função não
# pode deixar nele um `.grad` nem mudar o seu `requires_grad`. Derive em relação a uma cópia
# desligada do grafo, `x.detach().requires_grad_(True)`: é uma folha nova, e nada do que você
# fizer chega ao `x` original. Com `backward()`, um `x.clone()` não serve quando `x` pede
# gradiente: a cópia não é folha (o `.grad` dela fica `None`), e o *backward* atravessa a cópia
# até o original, deixando um `.grad` nele. Com `torch.autograd.grad(y, copia, ...)` o
# `clone()` funciona, porque `grad` devolve o resultado sem escrever em nenhum `.grad`; o
# `detach()` serve nos dois casos.

# %% [markdown] lang="es"
# ## 6. Ejercicios calificados
#
# Cada ejercicio tiene una celda de respuesta (reemplaza el `raise NotImplementedError(...)` por
# tu código; **no cambies el nombre ni los parámetros de la función**) y celdas de verificación
# justo debajo. Las verificaciones visibles usan los datos de la clase; al corregir, pruebas
# ocultas repiten la comprobación con funciones y vectores aleatorios, en `float64`, en CPU y en
# GPU (si hay).
#
# **Precisión exigida:** las pruebas comparan con el jacobiano que calcula autograd, con un error
# relativo de hasta $10^{-10}$ en `float64` (un resultado devuelto en `float32` se acepta con
# $10^{-6}$). Una aproximación por diferencias finitas no sirve: incluso en `float64` y con un
# buen paso, su error es del orden de $10^{-11}$ a $10^{-9}$ (clase 02), en el límite de esa
# tolerancia o por encima. Usa autograd.
#
# ### Ejercicio 1 — `vjp(f, x, v)` (3 puntos)
#
# Escribe el producto vector-jacobiano $v^\top J_f(x)$ de una función `f` que lleva un tensor 1-D
# a un tensor 1-D, **calculado con autograd en una sola pasada hacia atrás**
# (`backward(gradient=v)` o `torch.autograd.grad`). El resultado tiene la forma de `x`. No armes
# el jacobiano completo para después multiplicarlo por `v` (con
# `torch.autograd.functional.jacobian`, `torch.func.jacrev` o una fila por pasada): la corrección
# cuenta las pasadas hacia atrás.
#
# Cuidado con el `x` de quien llama: puede tener o no `requires_grad=True`, y tu función no puede
# dejarle un `.grad` ni cambiar su `requires_grad`. Deriva respecto de una copia desconectada del
# grafo, `x.detach().requires_grad_(True)`: es una hoja nueva, y nada de lo que hagas llega al
# `x` original. Con `backward()`, un `x.clone()` no sirve cuando `x` pide gradiente: la copia no
# es una hoja (su `.grad` queda en `None`), y el *backward* atraviesa la copia hasta el original
# y le deja un `.grad`. Con `torch.autograd.grad(y, copia, ...)` el `clone()` funciona, porque
# `grad` devuelve el resultado sin escribir en ningún `.grad`; el `detach()` sirve en los dos
# casos.

# %% nbgrader={"grade_id": "vjp", "solution": true}
def vjp(f, x, v):
    ### BEGIN SOLUTION
    x_leaf = x.detach().requires_grad_(True)
    (grad,) = torch.autograd.grad(f(x_leaf), x_leaf, grad_outputs=v)
    return grad.reshape(x.shape)
    ### END SOLUTION

# %% nbgrader={"grade_id": "test_vjp_values", "grade": true, "points": 2}
x_chk = torch.tensor([1.0, 2.0], device=device)
check("vjp(f_demo, x, [1, -1, 0.5])",
      lambda: vjp(f_demo, x_chk, torch.tensor([1.0, -1.0, 0.5], device=device)),
      [2 - math.cos(1.0), 3.0])
check("vjp(f_demo, x, e2)",
      lambda: vjp(f_demo, x_chk, torch.tensor([0.0, 1.0, 0.0], device=device)),
      [math.cos(1.0), 0.0])
check("vjp(net, x_net, v_net)", lambda: vjp(net, x_net, v_net), by_hand.tolist(), tol=1e-5)
### BEGIN HIDDEN TESTS
from course.lessons import load_checks
hidden_checks = load_checks("06_jacobian")
hidden_checks.check_vjp_values(vjp, LANG)
### END HIDDEN TESTS

# %% nbgrader={"grade_id": "test_vjp_contract", "grade": true, "points": 1}
def caller_x_after_vjp_chk(requires_grad):
    x = torch.tensor([1.0, 2.0], device=device, requires_grad=requires_grad)
    vjp(f_demo, x, torch.tensor([1.0, -1.0, 0.5], device=device))
    return [f"requires_grad={x.requires_grad}", f"grad={x.grad}"]


def backward_passes_chk(fn, *args):
    passes = []

    def f_counted(t):
        y = f_demo(t)
        if y.requires_grad:
            y.register_hook(lambda grad: passes.append(1))
        return y

    fn(f_counted, *args)
    return len(passes)


check("x, requires_grad=True", lambda: caller_x_after_vjp_chk(True),
      ["requires_grad=True", "grad=None"])
check("x, requires_grad=False", lambda: caller_x_after_vjp_chk(False),
      ["requires_grad=False", "grad=None"])
check(lang_text("vjp: passagens para trás", "vjp: pasadas hacia atrás"),
      lambda: backward_passes_chk(vjp, torch.tensor([1.0, 2.0], device=device),
                                  torch.tensor([1.0, -1.0, 0.5], device=device)), 1)
### BEGIN HIDDEN TESTS
from course.lessons import load_checks
hidden_checks = load_checks("06_jacobian")
hidden_checks.check_vjp_contract(vjp, LANG)
### END HIDDEN TESTS

# %% [markdown] lang="pt"
# ### Exercício 2 — `jacobian(f, x)` (3 pontos)
#
# Agora monte o jacobiano inteiro, $J_{ij} = \partial f_i/\partial x_j$, **linha por linha, com
# produtos vetor-jacobiano**: a linha $i$ é o VJP com o vetor da base $e_i$ (seção 2), uma
# passagem para trás por linha. Devolva um único tensor de formato `(len(f(x)), len(x))`, com uma
# linha por saída de `f` e uma coluna por componente de `x`. O `x` de quem chama continua
# intocado, como no exercício 1.
#
# As funções prontas `torch.autograd.functional.jacobian`, `torch.func.jacrev` e
# `torch.func.jacfwd` não valem aqui, nem as colunas pelo modo direto (`torch.func.jvp`): a
# correção verifica que o jacobiano saiu de passagens para trás. (Calcular vários VJPs de uma
# vez, com `torch.autograd.grad(..., is_grads_batched=True)`, vale: continuam sendo VJPs.)
#
# Dicas: escreva o VJP aqui dentro em vez de chamar a sua `vjp` (são duas linhas, e assim este
# exercício não depende do anterior); `torch.eye(m, dtype=..., device=...)` tem os $e_i$ nas
# linhas; `torch.stack` junta uma lista de linhas numa matriz. Se preferir chamar `backward()`
# várias vezes no mesmo grafo, lembre-se do `retain_graph=True` e de que `.grad` **acumula**.

# %% [markdown] lang="es"
# ### Ejercicio 2 — `jacobian(f, x)` (3 puntos)
#
# Ahora arma el jacobiano completo, $J_{ij} = \partial f_i/\partial x_j$, **fila por fila, con
# productos vector-jacobiano**: la fila $i$ es el VJP con el vector de la base $e_i$ (sección 2),
# una pasada hacia atrás por fila. Devuelve un único tensor de forma `(len(f(x)), len(x))`, con
# una fila por salida de `f` y una columna por componente de `x`. El `x` de quien llama queda
# intacto, como en el ejercicio 1.
#
# Las funciones listas `torch.autograd.functional.jacobian`, `torch.func.jacrev` y
# `torch.func.jacfwd` no valen aquí, ni las columnas con el modo directo (`torch.func.jvp`): la
# corrección verifica que el jacobiano salió de pasadas hacia atrás. (Calcular varios VJP de una
# vez, con `torch.autograd.grad(..., is_grads_batched=True)`, vale: siguen siendo VJP.)
#
# Pistas: escribe el VJP aquí dentro en lugar de llamar a tu `vjp` (son dos líneas, y así este
# ejercicio no depende del anterior); `torch.eye(m, dtype=..., device=...)` tiene los $e_i$ en
# las filas; `torch.stack` junta una lista de filas en una matriz. Si prefieres llamar a
# `backward()` varias veces sobre el mismo grafo, acuérdate de `retain_graph=True` y de que
# `.grad` **se acumula**.

# %% nbgrader={"grade_id": "jacobian", "solution": true}
def jacobian(f, x):
    ### BEGIN SOLUTION
    x_leaf = x.detach().requires_grad_(True)
    y = f(x_leaf)
    basis = torch.eye(y.shape[0], dtype=y.dtype, device=y.device)
    rows = [torch.autograd.grad(y, x_leaf, grad_outputs=e_i, retain_graph=True)[0]
            for e_i in basis]
    return torch.stack(rows)
    ### END SOLUTION

# %% nbgrader={"grade_id": "test_jacobian_values", "grade": true, "points": 2}
check("jacobian(f_demo, x).shape",
      lambda: str(tuple(jacobian(f_demo, torch.tensor([1.0, 2.0], device=device)).shape)),
      "(3, 2)")
check("jacobian(f_demo, x)", lambda: jacobian(f_demo, torch.tensor([1.0, 2.0], device=device)),
      [[2.0, 1.0], [math.cos(1.0), 0.0], [0.0, 4.0]])
check("jacobian(net, x_net)", lambda: jacobian(net, x_net), J_net.tolist(), tol=1e-5)
### BEGIN HIDDEN TESTS
from course.lessons import load_checks
hidden_checks = load_checks("06_jacobian")
hidden_checks.check_jacobian_values(jacobian, LANG)
### END HIDDEN TESTS

# %% nbgrader={"grade_id": "test_jacobian_contract", "grade": true, "points": 1}
def caller_x_after_jacobian_chk():
    x = torch.tensor([1.0, 2.0], device=device, requires_grad=True)
    jacobian(f_demo, x)
    return [f"requires_grad={x.requires_grad}", f"grad={x.grad}", f"x={x.tolist()}"]


def jacobian_passes_chk():
    passes = []

    def f_counted(t):
        y = f_demo(t)
        if y.requires_grad:
            y.register_hook(lambda grad: passes.append(1))
        return y

    jacobian(f_counted, torch.tensor([1.0, 2.0], device=device))
    return len(passes) > 0


check("x, requires_grad=True", caller_x_after_jacobian_chk,
      ["requires_grad=True", "grad=None", "x=[1.0, 2.0]"])
check(lang_text("jacobian: usa passagens para trás", "jacobian: usa pasadas hacia atrás"),
      jacobian_passes_chk, True)
### BEGIN HIDDEN TESTS
from course.lessons import load_checks
hidden_checks = load_checks("06_jacobian")
hidden_checks.check_jacobian_contract(jacobian, LANG)
### END HIDDEN TESTS

# %% [markdown] lang="pt"
# Com a sua `jacobian` pronta, experimente numa célula nova: `jacobian(net, x_net)` precisa de
# 3 passagens para trás (uma por saída), enquanto o gradiente de uma perda escalar da mesma rede
# precisaria de uma só.
#
# ### Exercício 3 — múltipla escolha (1 ponto cada)
#
# Responda atribuindo a letra da alternativa a `answer_backward_gradient` e a
# `answer_no_grad_backward`, por exemplo `answer_backward_gradient = "a"`. Se tiver dúvida,
# experimente numa célula nova.
#
# **3a.** `x` tem 4 entradas e `requires_grad=True`, `y = f(x)` tem 3 entradas e $J$ é a matriz
# jacobiana de `f` ($3 \times 4$). Depois de
# `y.backward(gradient=torch.tensor([0.0, 1.0, 0.0]))`, o que há em `x.grad` (que antes era
# `None`)?
#
# * (a) A segunda coluna de $J$: 3 números, um por saída de `f`.
# * (b) A segunda linha de $J$: 4 números, um por entrada de `f`.
# * (c) $J$ com as linhas 1 e 3 zeradas: uma matriz de $3 \times 4$.
# * (d) O próprio vetor $(0, 1, 0)$, o gradiente que chegou em `y`.
#
# **3b.** Com `w` e `b` da seção 4 (ambos com `requires_grad=True`), você calcula
# `z = x_in @ w + b` **dentro** de `with torch.no_grad():` e, depois do bloco, chama
# `torch.nn.functional.binary_cross_entropy_with_logits(z, target).backward()`. O que acontece?
#
# * (a) Só `b` recebe gradiente; `w.grad` continua `None`.
# * (b) `w` e `b` recebem os gradientes de sempre, como sem o bloco.
# * (c) `RuntimeError`: a perda não tem `grad_fn`, nem caminho até `w`.
# * (d) Nenhum erro; `w.grad` e `b.grad` viram tensores de zeros.

# %% [markdown] lang="es"
# Con tu `jacobian` lista, prueba en una celda nueva: `jacobian(net, x_net)` necesita 3 pasadas
# hacia atrás (una por salida), mientras que el gradiente de una pérdida escalar de la misma red
# necesitaría una sola.
#
# ### Ejercicio 3 — opción múltiple (1 punto cada una)
#
# Responde asignando la letra de la opción a `answer_backward_gradient` y a
# `answer_no_grad_backward`, por ejemplo `answer_backward_gradient = "a"`. Si tienes dudas,
# pruébalo en una celda nueva.
#
# **3a.** `x` tiene 4 entradas y `requires_grad=True`, `y = f(x)` tiene 3 entradas y $J$ es la
# matriz jacobiana de `f` ($3 \times 4$). Después de
# `y.backward(gradient=torch.tensor([0.0, 1.0, 0.0]))`, ¿qué hay en `x.grad` (que antes era
# `None`)?
#
# * (a) La segunda columna de $J$: 3 números, uno por salida de `f`.
# * (b) La segunda fila de $J$: 4 números, uno por entrada de `f`.
# * (c) $J$ con las filas 1 y 3 en cero: una matriz de $3 \times 4$.
# * (d) El mismo vector $(0, 1, 0)$, el gradiente que llegó a `y`.
#
# **3b.** Con los `w` y `b` de la sección 4 (los dos con `requires_grad=True`), calculas
# `z = x_in @ w + b` **dentro** de `with torch.no_grad():` y, después del bloque, llamas a
# `torch.nn.functional.binary_cross_entropy_with_logits(z, target).backward()`. ¿Qué pasa?
#
# * (a) Solo `b` recibe gradiente; `w.grad` sigue en `None`.
# * (b) `w` y `b` reciben los gradientes de siempre, como sin el bloque.
# * (c) `RuntimeError`: la pérdida no tiene `grad_fn` ni camino hasta `w`.
# * (d) Ningún error; `w.grad` y `b.grad` pasan a ser tensores de ceros.

# %% nbgrader={"grade_id": "answer_backward_gradient", "solution": true}
### BEGIN SOLUTION
answer_backward_gradient = "b"
### END SOLUTION

# %% nbgrader={"grade_id": "test_backward_gradient", "grade": true, "points": 1}
check_choice("answer_backward_gradient", answer_backward_gradient)
### BEGIN HIDDEN TESTS
from course.lessons import load_checks
hidden_checks = load_checks("06_jacobian")
hidden_checks.check_backward_gradient(answer_backward_gradient, LANG)
### END HIDDEN TESTS

# %% nbgrader={"grade_id": "answer_no_grad_backward", "solution": true}
### BEGIN SOLUTION
answer_no_grad_backward = "c"
### END SOLUTION

# %% nbgrader={"grade_id": "test_no_grad_backward", "grade": true, "points": 1}
check_choice("answer_no_grad_backward", answer_no_grad_backward)
### BEGIN HIDDEN TESTS
from course.lessons import load_checks
hidden_checks = load_checks("06_jacobian")
hidden_checks.check_no_grad_backward(answer_no_grad_backward, LANG)
### END HIDDEN TESTS

# %% [markdown] lang="pt"
# ### Exercício 4 — resposta escrita (2 pontos, corrigida pelo professor)
#
# Em poucas linhas: por que um único `backward()` basta para obter o gradiente de uma perda
# escalar em relação a **todos** os parâmetros de uma rede, enquanto o jacobiano completo de uma
# função $f: \mathbb{R}^n \to \mathbb{R}^m$ custa $m$ passagens para trás? Quantas seriam para
# $f: \mathbb{R}^{1000} \to \mathbb{R}^{10}$?

# %% [markdown] lang="es"
# ### Ejercicio 4 — respuesta escrita (2 puntos, la corrige el docente)
#
# En pocas líneas: ¿por qué un solo `backward()` alcanza para obtener el gradiente de una pérdida
# escalar respecto de **todos** los parámetros de una red, mientras que el jacobiano completo de
# una función $f: \mathbb{R}^n \to \mathbb{R}^m$ cuesta $m$ pasadas hacia atrás? ¿Cuántas serían
# para $f: \mathbb{R}^{1000} \to \mathbb{R}^{10}$?

# %% [markdown] lang="pt" nbgrader={"grade_id": "explain_reverse_mode", "solution": true, "grade": true, "points": 2}
# Cada passagem para trás calcula um produto vetor-jacobiano $v^\top J$: uma combinação das
# linhas de $J$, com uma entrada por parâmetro, a um custo parecido com o do *forward*, não
# importa quantos parâmetros existam. Uma perda escalar tem $m = 1$: o jacobiano tem uma única
# linha, que é o próprio gradiente, e `backward()` (com $v = 1$) a entrega inteira. Para uma saída
# com $m$ componentes, cada passagem com $v = e_i$ dá só a linha $i$, então são $m$ passagens:
# 10 para $f: \mathbb{R}^{1000} \to \mathbb{R}^{10}$ (e não 1000).

# %% [markdown] lang="es" nbgrader={"grade_id": "explain_reverse_mode", "solution": true, "grade": true, "points": 2}
# Cada pasada hacia atrás calcula un producto vector-jacobiano $v^\top J$: una combinación de las
# filas de $J$, con una entrada por parámetro, a un costo parecido al del *forward*, sin importar
# cuántos parámetros haya. Una pérdida escalar tiene $m = 1$: el jacobiano tiene una sola fila,
# que es el propio gradiente, y `backward()` (con $v = 1$) la entrega completa. Para una salida
# con $m$ componentes, cada pasada con $v = e_i$ da solo la fila $i$, así que hacen falta $m$
# pasadas: 10 para $f: \mathbb{R}^{1000} \to \mathbb{R}^{10}$ (y no 1000).

# %% [markdown] lang="pt"
# ## Resumo
#
# * O **jacobiano** (matriz jacobiana) é a derivada de uma função de vetor em vetor: a linha $i$
#   é o gradiente da saída $i$, a coluna $j$ é a resposta de todas as saídas a um empurrão em
#   $x_j$, e $f(x + \Delta) \approx f(x) + J\Delta$.
# * O autograd nunca precisa montá-lo: cada nó do grafo só calcula o seu **produto
#   vetor-jacobiano** $v^\top J$ e passa o resultado para trás. Um `backward()` é uma cadeia desses
#   produtos, $J_1^\top J_2^\top \cdots J_L^\top v$ (a retropropagação), e por isso o gradiente de
#   uma perda escalar sai numa passagem só.
# * `y.backward(gradient=v)` acumula $v^\top J$ em `x.grad`; `torch.autograd.grad(y, x, v)` o
#   devolve. O jacobiano inteiro custa uma passagem por saída; na API moderna,
#   `torch.func.vjp`, `torch.func.jacrev` e `torch.func.jacfwd` fazem essas contas.
# * Quando não precisamos de gradiente, `no_grad`, `detach` e `requires_grad_(False)` dizem ao
#   autograd o que ele pode deixar de gravar.
#
# ## Para saber mais
#
# * Documentação do PyTorch, em inglês: *Autograd mechanics*,
#   https://pytorch.org/docs/stable/notes/autograd.html, e `torch.func`,
#   https://pytorch.org/docs/stable/func.html
# * *Mergulho Profundo no Aprendizado Profundo* (d2l), capítulo "Diferenciação automática", em
#   português: https://pt.d2l.ai/chapter_preliminaries/autograd.html
# * CS231n (Stanford), notas sobre retropropagação, em inglês:
#   https://cs231n.github.io/optimization-2/

# %% [markdown] lang="es"
# ## Resumen
#
# * El **jacobiano** (matriz jacobiana) es la derivada de una función de vectores en vectores: la
#   fila $i$ es el gradiente de la salida $i$, la columna $j$ es la respuesta de todas las salidas
#   a un empujón en $x_j$, y $f(x + \Delta) \approx f(x) + J\Delta$.
# * Autograd nunca necesita armarlo: cada nodo del grafo solo calcula su **producto
#   vector-jacobiano** $v^\top J$ y pasa el resultado hacia atrás. Un `backward()` es una cadena de
#   esos productos, $J_1^\top J_2^\top \cdots J_L^\top v$ (la retropropagación), y por eso el
#   gradiente de una pérdida escalar sale en una sola pasada.
# * `y.backward(gradient=v)` acumula $v^\top J$ en `x.grad`; `torch.autograd.grad(y, x, v)` lo
#   devuelve. El jacobiano completo cuesta una pasada por salida; en la API moderna,
#   `torch.func.vjp`, `torch.func.jacrev` y `torch.func.jacfwd` hacen esas cuentas.
# * Cuando no necesitamos gradientes, `no_grad`, `detach` y `requires_grad_(False)` le dicen a
#   autograd qué puede dejar de registrar.
#
# ## Para saber más
#
# Estas referencias están en inglés (no conocemos ediciones en español):
#
# * Documentación de PyTorch: *Autograd mechanics*,
#   https://pytorch.org/docs/stable/notes/autograd.html, y `torch.func`,
#   https://pytorch.org/docs/stable/func.html
# * *Dive into Deep Learning* (d2l), capítulo "Automatic Differentiation":
#   https://d2l.ai/chapter_preliminaries/autograd.html
# * CS231n (Stanford), notas sobre retropropagación: https://cs231n.github.io/optimization-2/
