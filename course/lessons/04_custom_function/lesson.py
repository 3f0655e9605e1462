# %% [markdown] lang="pt"
# # 04 · Uma função do autograd feita à mão: a sinc
#
# **Pré-requisitos:** as aulas 01 (grafo, `backward()`, regra da cadeia) e 02 (diferenças finitas,
# erro de arredondamento, `float32` e `float64`); de Cálculo, regra do quociente e série de
# Taylor.
# **Tempo estimado:** cerca de 2 horas.
#
# O autograd conhece a derivada de cada operação do PyTorch (`MulBackward0`, `SinBackward0`…) e
# as encadeia pela regra da cadeia. Quase sempre isso basta. Mas há casos em que queremos
# escrever **nós mesmos** a derivada de uma operação:
#
# * a fórmula montada com as peças dá `NaN` ou perde precisão em pontos especiais;
# * a operação é calculada fora do PyTorch (numpy, uma biblioteca em C…), e o autograd não a vê;
# * existe uma fórmula do gradiente mais barata ou mais estável do que a que sai das peças.
#
# Para isso existe `torch.autograd.Function`, uma `Function` personalizada do autograd. Neste
# notebook você vai:
#
# 1. usar *hooks* para ver o gradiente passar por cada nó de um grafo pequeno;
# 2. ver por que `sin(x)/x` quebra em `x = 0`, e por que `torch.where` sozinho não resolve;
# 3. escrever uma `Function` com `forward`, `setup_context`, `backward`,
#    `ctx.save_for_backward` e `.apply`;
# 4. descobrir que a fórmula exata da derivada perde **todos** os dígitos perto de 0 — e
#    consertar isso com uma série de Taylor, movendo $x$ e o limiar com controles deslizantes;
# 5. usar `torch.autograd.gradcheck` e entender o que ele não enxerga;
# 6. implementar o exercício avaliado: a classe `Sinc`.
#
# Execute as células em ordem (Shift+Enter). As células com `check(...)` conferem seu trabalho
# na hora; a nota final vem de testes ocultos, com outros dados, aplicados na correção. Você pode
# executar o notebook inteiro antes de responder: uma verificação de um exercício ainda sem
# resposta só avisa "⏳ … ainda não respondido".

# %% [markdown] lang="es"
# # 04 · Una función de autograd hecha a mano: la sinc
#
# **Requisitos previos:** las clases 01 (grafo, `backward()`, regla de la cadena) y 02
# (diferencias finitas, error de redondeo, `float32` y `float64`); de Cálculo, regla del cociente
# y serie de Taylor.
# **Tiempo estimado:** unas 2 horas.
#
# Autograd conoce la derivada de cada operación de PyTorch (`MulBackward0`, `SinBackward0`…) y
# las encadena con la regla de la cadena. Casi siempre alcanza. Pero hay casos en los que
# queremos escribir **nosotros** la derivada de una operación:
#
# * la fórmula armada con las piezas da `NaN` o pierde precisión en puntos especiales;
# * la operación se calcula fuera de PyTorch (numpy, una biblioteca en C…) y autograd no la ve;
# * hay una fórmula del gradiente más barata o más estable que la que sale de las piezas.
#
# Para eso está `torch.autograd.Function`, una `Function` personalizada de autograd. En este
# notebook vas a:
#
# 1. usar *hooks* para ver pasar el gradiente por cada nodo de un grafo pequeño;
# 2. ver por qué `sin(x)/x` falla en `x = 0`, y por qué `torch.where` por sí solo no lo arregla;
# 3. escribir una `Function` con `forward`, `setup_context`, `backward`,
#    `ctx.save_for_backward` y `.apply`;
# 4. descubrir que la fórmula exacta de la derivada pierde **todos** los dígitos cerca de 0, y
#    arreglarlo con una serie de Taylor, moviendo $x$ y el umbral con controles deslizantes;
# 5. usar `torch.autograd.gradcheck` y entender qué es lo que no ve;
# 6. implementar el ejercicio calificado: la clase `Sinc`.
#
# Ejecuta las celdas en orden (Shift+Enter). Las celdas con `check(...)` revisan tu trabajo al
# instante; la nota final sale de pruebas ocultas, con otros datos, que se aplican al corregir.
# Puedes ejecutar el notebook entero antes de responder: la verificación de un ejercicio todavía
# sin respuesta solo avisa "⏳ … todavía sin responder".

# %%
import math

import matplotlib.pyplot as plt
import torch
from torch.autograd import gradcheck

device = "cuda" if torch.cuda.is_available() else "cpu"
print("torch", torch.__version__, "| device =", device)

# %% [markdown] lang="pt"
# A célula acima usa a GPU da NVIDIA (`cuda`) se houver, e senão a CPU. Esta aula não usa a GPU
# dos Macs com chip Apple (`mps`): boa parte dela trabalha em `float64`, que o `mps` não aceita.
#
# ## 1. *Hooks*: o gradiente passando por cada nó
#
# Antes de escrever um nó novo, vale ver o que circula entre os nós durante o `backward()`.
# Considere
#
# $$y = \big(1{,}5\cdot(2x)\big)^2 = 9x^2, \qquad \frac{dy}{dx} = 18x .$$
#
# Em etapas: $a = 2x$, $b = 1{,}5\,a$, $y = b^2$. A regra da cadeia, de trás para frente:
#
# $$\frac{dy}{db} = 2b, \qquad \frac{dy}{da} = \frac{dy}{db}\cdot 1{,}5 = 3b, \qquad
#   \frac{dy}{dx} = \frac{dy}{da}\cdot 2 = 6b = 18x \quad(\text{pois } b = 3x).$$
#
# Com $x = 2$: $a = 4$, $b = 6$, $y = 36$ e os gradientes valem $dy/dy = 1$, $dy/db = 12$,
# $dy/da = 18$ e $dy/dx = 36 = 18\cdot 2$.
#
# Um **hook** é uma função que você pendura num tensor com `t.register_hook(fn)`: durante o
# `backward()`, quando o gradiente em relação a `t` fica pronto, o PyTorch chama `fn(grad)`.
# Serve para inspecionar (e até modificar, devolvendo outro tensor) o gradiente que passa ali,
# sem precisar de `retain_grad()`.

# %% [markdown] lang="es"
# La celda de arriba usa la GPU de NVIDIA (`cuda`) si la hay, y si no, la CPU. Esta clase no usa
# la GPU de las Mac con chip de Apple (`mps`): buena parte trabaja en `float64`, que `mps` no
# acepta.
#
# ## 1. *Hooks*: el gradiente pasando por cada nodo
#
# Antes de escribir un nodo nuevo, conviene ver qué circula entre los nodos durante el
# `backward()`. Considera
#
# $$y = \big(1.5\cdot(2x)\big)^2 = 9x^2, \qquad \frac{dy}{dx} = 18x .$$
#
# Por etapas: $a = 2x$, $b = 1.5\,a$, $y = b^2$. La regla de la cadena, de atrás hacia adelante:
#
# $$\frac{dy}{db} = 2b, \qquad \frac{dy}{da} = \frac{dy}{db}\cdot 1.5 = 3b, \qquad
#   \frac{dy}{dx} = \frac{dy}{da}\cdot 2 = 6b = 18x \quad(\text{porque } b = 3x).$$
#
# Con $x = 2$: $a = 4$, $b = 6$, $y = 36$ y los gradientes valen $dy/dy = 1$, $dy/db = 12$,
# $dy/da = 18$ y $dy/dx = 36 = 18\cdot 2$.
#
# Un **hook** es una función que cuelgas de un tensor con `t.register_hook(fn)`: durante el
# `backward()`, cuando el gradiente respecto de `t` está listo, PyTorch llama a `fn(grad)`.
# Sirve para inspeccionar (e incluso modificar, devolviendo otro tensor) el gradiente que pasa
# por ahí, sin necesidad de `retain_grad()`.

# %%
x = torch.tensor(2.0, device=device, requires_grad=True)
a = 2 * x
b = 1.5 * a
y = b ** 2
print(f"x = {x.item():g}, a = {a.item():g}, b = {b.item():g}, y = {y.item():g}")


def show(name):
    def hook(grad):
        print(f"{name:6s} = {grad.item():g}")
    return hook


handles = [t.register_hook(show(name))
           for name, t in [("dy/dy", y), ("dy/db", b), ("dy/da", a), ("dy/dx", x)]]
y.backward()
for h in handles:
    h.remove()
print("18 * x =", 18 * x.item())

# %% [markdown] lang="pt"
# Os hooks disparam na ordem do *backward* — de `y` até `x` — e cada um mostra o gradiente que
# chega àquele tensor: $1$, $2b = 12$, $3b = 18$ e $6b = 36$. Em cada nó, o gradiente que chega
# é multiplicado pela derivada local ($2b$, depois $1{,}5$, depois $2$) e passado adiante.
#
# É exatamente esse o trabalho de um nó do grafo, e é o que você vai programar: receber
# $\partial L/\partial(\text{saída})$ e devolver $\partial L/\partial(\text{entrada})$.
#
# ## 2. A sinc e o ponto $x = 0$
#
# A função sinc (não normalizada) é
#
# $$\operatorname{sinc}(x) = \begin{cases} \dfrac{\sin x}{x}, & x \neq 0,\\[4pt]
#   1, & x = 0, \end{cases}$$
#
# contínua e suave em toda parte: $\sin x / x \to 1$ quando $x \to 0$. Ela é **par**, tem
# máximo em $x = 0$ e, portanto, derivada $\operatorname{sinc}'(0) = 0$. Para $x \neq 0$, pela
# regra do quociente,
#
# $$\operatorname{sinc}'(x) = \frac{x\cos x - \sin x}{x^2}
#   = \frac{\cos x - \operatorname{sinc}(x)}{x}.$$
#
# O computador não sabe calcular limites: `sin(x)/x` em `x = 0` é `0/0`, que dá `NaN`. E o
# `NaN` contamina também o gradiente.

# %% [markdown] lang="es"
# Los hooks se disparan en el orden del *backward* (de `y` a `x`) y cada uno muestra el
# gradiente que llega a ese tensor: $1$, $2b = 12$, $3b = 18$ y $6b = 36$. En cada nodo, el
# gradiente que llega se multiplica por la derivada local ($2b$, luego $1.5$, luego $2$) y se
# pasa hacia atrás.
#
# Ese es justamente el trabajo de un nodo del grafo, y es lo que vas a programar: recibir
# $\partial L/\partial(\text{salida})$ y devolver $\partial L/\partial(\text{entrada})$.
#
# ## 2. La sinc y el punto $x = 0$
#
# La función sinc (no normalizada) es
#
# $$\operatorname{sinc}(x) = \begin{cases} \dfrac{\sin x}{x}, & x \neq 0,\\[4pt]
#   1, & x = 0, \end{cases}$$
#
# continua y suave en todas partes: $\sin x / x \to 1$ cuando $x \to 0$. Es **par**, tiene su
# máximo en $x = 0$ y, por lo tanto, derivada $\operatorname{sinc}'(0) = 0$. Para $x \neq 0$,
# por la regla del cociente,
#
# $$\operatorname{sinc}'(x) = \frac{x\cos x - \sin x}{x^2}
#   = \frac{\cos x - \operatorname{sinc}(x)}{x}.$$
#
# La computadora no sabe calcular límites: `sin(x)/x` en `x = 0` es `0/0`, que da `NaN`. Y el
# `NaN` contamina también el gradiente.

# %%
x = torch.tensor([-1.0, 0.0, 1.0], device=device, requires_grad=True)
y = torch.sin(x) / x
y.sum().backward()
print("sin(x)/x              :", y.detach())
print("x.grad                :", x.grad)

x.grad = None
y = torch.where(x == 0, torch.ones_like(x), torch.sin(x) / x)
y.sum().backward()
print("torch.where -> y      :", y.detach())
print("torch.where -> x.grad :", x.grad)

# %% [markdown] lang="pt"
# Com `torch.where` os **valores** ficam certos — em `x = 0` ele escolhe o ramo constante —, mas o
# **gradiente** em 0 continua `NaN`. Por quê? O *backward* de `where` manda o gradiente para o ramo
# escolhido e um **zero** para o ramo descartado. Esse zero segue pelo grafo do ramo descartado,
# `sin(x)/x`, cujo *backward* calcula $g/x$ e $-g\sin x/x^2$ com $g = 0$ e $x = 0$: $0/0$, que é
# `NaN`. Um zero não "apaga" nada em ponto flutuante ($0\cdot\infty$ e $0\cdot\text{NaN}$ também dão
# `NaN`), e esse `NaN` é **somado** ao gradiente de `x`. O ramo não usado não aparece no resultado,
# mas o grafo dele continua lá.
#
# A saída é um **x seguro**: trocar `x` por um valor inofensivo (por exemplo 1) nos pontos
# perigosos **antes** de entrar no ramo perigoso. Assim o ramo descartado nunca vê `0/0`, e o
# zero que o `where` manda para ele continua zero.

# %% [markdown] lang="es"
# Con `torch.where` los **valores** quedan bien (en `x = 0` elige la rama constante), pero el
# **gradiente** en 0 sigue siendo `NaN`. ¿Por qué? El *backward* de `where` manda el gradiente a la
# rama elegida y un **cero** a la rama descartada. Ese cero recorre el grafo de la rama descartada,
# `sin(x)/x`, cuyo *backward* calcula $g/x$ y $-g\sin x/x^2$ con $g = 0$ y $x = 0$: $0/0$, que es
# `NaN`. Un cero no "borra" nada en punto flotante ($0\cdot\infty$ y $0\cdot\text{NaN}$ también dan
# `NaN`), y ese `NaN` se **suma** al gradiente de `x`. La rama no usada no aparece en el resultado,
# pero su grafo sigue ahí.
#
# La salida es un **x seguro**: reemplazar `x` por un valor inofensivo (por ejemplo 1) en los
# puntos peligrosos **antes** de entrar en la rama peligrosa. Así la rama descartada nunca ve
# `0/0`, y el cero que le manda `where` sigue siendo cero.

# %%
x.grad = None
zero = x == 0
safe_x = torch.where(zero, torch.ones_like(x), x)
y = torch.where(zero, torch.ones_like(x), torch.sin(safe_x) / safe_x)
y.sum().backward()
print("safe_x -> y      :", y.detach())
print("safe_x -> x.grad :", x.grad)

# %% [markdown] lang="pt"
# Agora o gradiente em 0 é 0 — o valor certo, mas quase por sorte: o `where` devolve 0 ali
# porque o ramo escolhido é uma constante. Para uma função cuja derivada no ponto especial não
# fosse 0, o truque daria um valor errado sem avisar. Quando a derivada correta exige cuidado,
# é melhor **escrevê-la nós mesmos**.
#
# ## 3. `torch.autograd.Function`: um nó do grafo escrito à mão
#
# Uma `Function` personalizada é uma classe com três métodos estáticos (a forma que o PyTorch
# recomenda desde a versão 2.0):
#
# * `forward(x)` recebe os tensores de entrada e devolve a saída. Roda **sem** gravar grafo (o
#   que acontece lá dentro é invisível para o autograd).
# * `setup_context(ctx, inputs, output)` é chamado logo depois, com a tupla das entradas
#   (`inputs`) e a saída (`output`). Ele guarda em `ctx` o que o *backward* vai precisar:
#   tensores com `ctx.save_for_backward(...)`; outros valores em atributos, como `ctx.n = 3`.
# * `backward(ctx, grad_output)` recebe $\partial L/\partial(\text{saída})$ — o gradiente que
#   chega de cima, com o formato da saída — e devolve $\partial L/\partial x$, com o formato de
#   `x` (um valor por entrada do `forward`). Os tensores guardados voltam em `ctx.saved_tensors`.
#
# Você vai encontrar muito código na forma **antiga**, em que não há `setup_context`: o
# `forward(ctx, x)` recebe o `ctx` como primeiro argumento e chama `ctx.save_for_backward(x)`
# ele mesmo. As duas formas funcionam e os testes aceitam as duas; a nova separa o cálculo do
# que se guarda, e é a que permite usar a `Function` com as transformações de `torch.func`
# (`vmap`, `grad`, `jacrev`).
#
# Para uma função elemento a elemento $y_i = f(x_i)$, a regra da cadeia dá
#
# $$\frac{\partial L}{\partial x_i} = \frac{\partial L}{\partial y_i}\, f'(x_i),$$
#
# ou seja, o `backward` devolve `grad_output * f'(x)`, elemento a elemento. Esquecer o
# `grad_output` só funciona por acaso, quando ele é um vetor de uns.
#
# Nunca chame `forward` diretamente: use `MyFunction.apply(x)`. É o `apply` que chama `forward`
# e `setup_context`, cria o nó no grafo (o `grad_fn` da saída) e liga o seu `backward` a ele.
#
# Uma primeira versão, `SincNaive`, usa a fórmula exata e trata só o ponto `x == 0`:

# %% [markdown] lang="es"
# Ahora el gradiente en 0 es 0: el valor correcto, pero casi de casualidad. `where` devuelve 0
# ahí porque la rama elegida es una constante. Para una función cuya derivada en el punto
# especial no fuera 0, el truco daría un valor incorrecto sin avisar. Cuando la derivada
# correcta requiere cuidado, es mejor **escribirla nosotros**.
#
# ## 3. `torch.autograd.Function`: un nodo del grafo escrito a mano
#
# Una `Function` personalizada es una clase con tres métodos estáticos (la forma que PyTorch
# recomienda desde la versión 2.0):
#
# * `forward(x)` recibe los tensores de entrada y devuelve la salida. Corre **sin** registrar
#   grafo (lo que pasa adentro es invisible para autograd).
# * `setup_context(ctx, inputs, output)` se llama justo después, con la tupla de las entradas
#   (`inputs`) y la salida (`output`). Guarda en `ctx` lo que el *backward* va a necesitar:
#   tensores con `ctx.save_for_backward(...)`; otros valores en atributos, como `ctx.n = 3`.
# * `backward(ctx, grad_output)` recibe $\partial L/\partial(\text{salida})$ (el gradiente que
#   llega desde arriba, con la forma de la salida) y devuelve $\partial L/\partial x$, con la
#   forma de `x` (un valor por cada entrada del `forward`). Los tensores guardados vuelven en
#   `ctx.saved_tensors`.
#
# Vas a encontrar mucho código con la forma **antigua**, sin `setup_context`: el
# `forward(ctx, x)` recibe `ctx` como primer argumento y llama él mismo a
# `ctx.save_for_backward(x)`. Las dos formas funcionan y las pruebas aceptan ambas; la nueva
# separa la cuenta de lo que se guarda, y es la que permite usar la `Function` con las
# transformaciones de `torch.func` (`vmap`, `grad`, `jacrev`).
#
# Para una función elemento a elemento $y_i = f(x_i)$, la regla de la cadena da
#
# $$\frac{\partial L}{\partial x_i} = \frac{\partial L}{\partial y_i}\, f'(x_i),$$
#
# es decir, el `backward` devuelve `grad_output * f'(x)`, elemento a elemento. Olvidarse de
# `grad_output` solo funciona de casualidad, cuando es un vector de unos.
#
# Nunca llames a `forward` directamente: usa `MyFunction.apply(x)`. Es `apply` el que llama a
# `forward` y a `setup_context`, crea el nodo en el grafo (el `grad_fn` de la salida) y le
# conecta tu `backward`.
#
# Una primera versión, `SincNaive`, usa la fórmula exacta y trata solo el punto `x == 0`:

# %%
class SincNaive(torch.autograd.Function):
    @staticmethod
    def forward(x):
        zero = x == 0
        safe = torch.where(zero, torch.ones_like(x), x)
        return torch.where(zero, torch.ones_like(x), torch.sin(safe) / safe)

    @staticmethod
    def setup_context(ctx, inputs, output):
        (x,) = inputs
        ctx.save_for_backward(x)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        zero = x == 0
        safe = torch.where(zero, torch.ones_like(x), x)
        slope = (torch.cos(safe) - torch.sin(safe) / safe) / safe
        return grad_output * torch.where(zero, torch.zeros_like(x), slope)

# %%
x = torch.tensor([-1.0, 0.0, 1.0], device=device, requires_grad=True)
y = SincNaive.apply(x)
print("y       =", y)
print("grad_fn =", type(y.grad_fn).__name__)

w_out = torch.tensor([1.0, 2.0, 3.0], device=device)
L = (w_out * y).sum()
L.backward()
print("x.grad                   =", x.grad)
slope = [0.0 if v == 0 else (math.cos(v) - math.sin(v) / v) / v for v in (-1.0, 0.0, 1.0)]
print("w_out * (cos x - sinc)/x =", w_out * torch.tensor(slope, device=device))

# %% [markdown] lang="pt"
# Com $L = \sum_i w_i\,\operatorname{sinc}(x_i)$, o `grad_output` que chega ao nó é o vetor
# $w = [1;\ 2;\ 3]$ (`w_out` na célula), e o resultado é $w_i\operatorname{sinc}'(x_i)$: $[0{,}3012;\ 0;\ -0{,}9035]$,
# com $\operatorname{sinc}'(1) = \cos 1 - \sin 1 \approx -0{,}3012$ e
# $\operatorname{sinc}'(-1) = +0{,}3012$ (a derivada de uma função par é ímpar).
#
# Tudo certo? Nos pontos que testamos, sim. Mas olhe o que acontece **perto** de 0.
#
# ## 4. Perto de 0: cancelamento catastrófico
#
# Perto de 0, a série de Taylor diz quanto a derivada deveria valer:
#
# $$\operatorname{sinc}(x) = 1 - \frac{x^2}{6} + \frac{x^4}{120} - \frac{x^6}{5040} + \cdots
#   \qquad
#   \operatorname{sinc}'(x) = -\frac{x}{3} + \frac{x^3}{30} - \frac{x^5}{840} + \cdots$$
#
# Comparemos a `SincNaive` com três termos da série em `float64` (para $|x| \le 10^{-2}$ eles já
# dão a derivada com todos os dígitos de um `float64`):

# %% [markdown] lang="es"
# Con $L = \sum_i w_i\,\operatorname{sinc}(x_i)$, el `grad_output` que llega al nodo es el
# vector $w = [1, 2, 3]$ (`w_out` en la celda), y el resultado es $w_i\operatorname{sinc}'(x_i)$:
# $[0.3012,\ 0,\ -0.9035]$, con $\operatorname{sinc}'(1) = \cos 1 - \sin 1 \approx -0.3012$ y
# $\operatorname{sinc}'(-1) = +0.3012$ (la derivada de una función par es impar).
#
# ¿Todo bien? En los puntos que probamos, sí. Pero mira lo que pasa **cerca** de 0.
#
# ## 4. Cerca de 0: cancelación catastrófica
#
# Cerca de 0, la serie de Taylor dice cuánto debería valer la derivada:
#
# $$\operatorname{sinc}(x) = 1 - \frac{x^2}{6} + \frac{x^4}{120} - \frac{x^6}{5040} + \cdots
#   \qquad
#   \operatorname{sinc}'(x) = -\frac{x}{3} + \frac{x^3}{30} - \frac{x^5}{840} + \cdots$$
#
# Comparemos `SincNaive` con tres términos de la serie en `float64` (para $|x| \le 10^{-2}$ ya
# dan la derivada con todos los dígitos de un `float64`):

# %%
x = torch.tensor([1e-2, 1e-4, 1e-6, 1e-8], dtype=torch.float64, device=device,
                 requires_grad=True)
(naive,) = torch.autograd.grad(SincNaive.apply(x).sum(), x)
xd = x.detach()
series = -xd / 3 + xd ** 3 / 30 - xd ** 5 / 840
print(f"{'x':>8s} {'SincNaive':>24s} {'-x/3 + x^3/30 - x^5/840':>24s} {'rel_err':>11s}")
for xi, ni, si in zip(x.tolist(), naive.tolist(), series.tolist()):
    print(f"{xi:8.0e} {ni:24.16e} {si:24.16e} {abs(ni - si) / abs(si):11.1e}")

# %% [markdown] lang="pt"
# Em $x = 10^{-6}$ sobram só 3 ou 4 dígitos certos; em $x = 10^{-8}$, nenhum: a `SincNaive`
# devolve **0** em vez de $-3{,}3\cdot10^{-9}$. A fórmula está certa; a conta é que não.
#
# O culpado é o **cancelamento catastrófico**. Perto de 0, $\cos x \approx 1 - x^2/2$ e
# $\operatorname{sinc}(x) \approx 1 - x^2/6$ são dois números quase iguais a 1, e a diferença
# deles, $-x^2/3$, é minúscula. Cada um já vem arredondado com erro da ordem de
# $\varepsilon$ (o *epsilon* da máquina: $2{,}2\cdot10^{-16}$ em `float64`,
# $1{,}2\cdot10^{-7}$ em `float32`, dado por `torch.finfo(dtype).eps`). Ao subtrair, os dígitos
# iguais se cancelam e sobra o ruído: o erro relativo da diferença é cerca de
# $\varepsilon / (x^2/3) = 3\varepsilon/x^2$. Em $x = 10^{-8}$, $x^2/3 \approx 3\cdot10^{-17}$
# é menor que $\varepsilon$: `cos(x)` e `sin(x)/x` saem ambos exatamente `1.0`, e a diferença é 0.
#
# A série não tem esse problema: $-x/3 + x^3/30$ soma termos de tamanhos bem diferentes, sem
# subtrair números quase iguais. O preço é o **erro de truncamento**: o primeiro termo
# desprezado, $x^5/840$, dividido por $x/3$, dá um erro relativo de $x^4/280$, que cresce com
# $|x|$. Os dois erros andam em sentidos opostos — veja no gráfico.

# %% [markdown] lang="es"
# En $x = 10^{-6}$ quedan solo 3 o 4 dígitos correctos; en $x = 10^{-8}$, ninguno: `SincNaive`
# devuelve **0** en lugar de $-3.3\cdot10^{-9}$. La fórmula está bien; la cuenta no.
#
# El culpable es la **cancelación catastrófica**. Cerca de 0, $\cos x \approx 1 - x^2/2$ y
# $\operatorname{sinc}(x) \approx 1 - x^2/6$ son dos números casi iguales a 1, y su diferencia,
# $-x^2/3$, es minúscula. Cada uno ya viene redondeado con un error del orden de
# $\varepsilon$ (el *epsilon* de máquina: $2.2\cdot10^{-16}$ en `float64`, $1.2\cdot10^{-7}$ en
# `float32`, lo da `torch.finfo(dtype).eps`). Al restar, los dígitos iguales se cancelan y
# queda el ruido: el error relativo de la diferencia es de alrededor de
# $\varepsilon / (x^2/3) = 3\varepsilon/x^2$. En $x = 10^{-8}$, $x^2/3 \approx 3\cdot10^{-17}$
# es menor que $\varepsilon$: `cos(x)` y `sin(x)/x` dan ambos exactamente `1.0`, y la diferencia
# es 0.
#
# La serie no tiene ese problema: $-x/3 + x^3/30$ suma términos de tamaños muy distintos, sin
# restar números casi iguales. El precio es el **error de truncamiento**: el primer término
# despreciado, $x^5/840$, dividido por $x/3$, da un error relativo de $x^4/280$, que crece con
# $|x|$. Los dos errores van en sentidos opuestos; míralo en el gráfico.

# %%
def relative_error_of_derivative(fn, dtype, magnitudes):
    x = magnitudes.detach().to(dtype).clone().requires_grad_(True)
    (grad,) = torch.autograd.grad(fn(x).sum(), x)
    x64 = x.detach().double()
    exact = torch.zeros_like(x64)
    for k in range(1, 10):
        exact += (-1) ** k * 2 * k * x64 ** (2 * k - 1) / math.factorial(2 * k + 1)
    return ((grad.double() - exact).abs() / exact.abs()).clamp(min=1e-17).cpu()


magnitudes = torch.logspace(-9, 0, 300, dtype=torch.float64, device=device)
m = magnitudes.cpu()
fig, ax = plt.subplots(figsize=(9, 5))
for dtype, color in ((torch.float32, "tab:orange"), (torch.float64, "tab:blue")):
    eps = torch.finfo(dtype).eps
    err = relative_error_of_derivative(SincNaive.apply, dtype, magnitudes)
    ax.loglog(m, err, ".", ms=3, color=color, label=f"SincNaive, {dtype}")
    ax.loglog(m, (3 * eps / m ** 2).clamp(max=10), "--", color=color, lw=1,
              label=f"3·eps/x², eps = {eps:.1e}")
    ax.axvline((840 * eps) ** (1 / 6), color=color, lw=0.8, ls=":")
ax.loglog(m, m ** 4 / 280, "k-", lw=1.5, label="x⁴/280  (-x/3 + x³/30)")
ax.set_ylim(1e-17, 10)
ax.set_xlabel("|x|")
ax.set_ylabel(lang_text("erro relativo |grad − exata| / |exata|",
                        "error relativo |grad − exacta| / |exacta|"))
ax.legend(loc="lower left", fontsize=8)
plt.show()

# %% [markdown] lang="pt"
# Os pontos seguem as retas tracejadas: o erro de arredondamento da fórmula exata cresce como
# $3\varepsilon/x^2$ quando $|x|$ diminui, até chegar a 1 (100 %). A reta preta é o erro da série
# de dois termos, que cresce como $x^4/280$. A estratégia é usar **a série abaixo de um limiar e
# a fórmula exata acima**. O melhor limiar é onde as duas retas se cruzam:
#
# $$\frac{x^4}{280} = \frac{3\varepsilon}{x^2} \quad\Longrightarrow\quad
#   x^\ast = (840\,\varepsilon)^{1/6},$$
#
# as linhas pontilhadas: $x^\ast \approx 0{,}0076$ em `float64` (erro máximo
# $\approx 1\cdot10^{-11}$) e $x^\ast \approx 0{,}22$ em `float32` (erro máximo
# $\approx 8\cdot10^{-6}$). Repare que o limiar **depende do dtype**: um limiar pensado para
# `float64`, como $10^{-3}$, deixa a derivada em `float32` com ~20 % de erro logo acima dele.
# Um limiar fixo também funciona se ficar entre as duas: com $0{,}05$ o erro máximo fica perto de
# $2\cdot10^{-8}$ em `float64` e de $10^{-4}$ em `float32` (medido em todos os `float32` logo
# acima de $0{,}05$).
#
# ### Explore: aproxime $x$ de 0
#
# Na célula abaixo, mova `x` (em escala logarítmica, de $10^{-9}$ a 1) e o limiar `threshold` da
# série. As curvas claras são a `SincNaive`; as escuras, a versão "cuidadosa": a série
# $-x/3 + x^3/30$ abaixo do limiar e a fórmula exata acima. A linha vertical marca o seu `x`, e o
# título dá, nesse ponto, o erro relativo das duas versões em `float32` e em `float64`. Procure
# o limiar que deixa a curva escura mais baixa em cada dtype e compare com as linhas pontilhadas
# do gráfico anterior. (Sem suporte a *widgets*, a célula desenha uma vez, em $x = 10^{-4}$ com
# limiar $0{,}05$.)

# %% [markdown] lang="es"
# Los puntos siguen las rectas punteadas: el error de redondeo de la fórmula exacta crece como
# $3\varepsilon/x^2$ a medida que $|x|$ baja, hasta llegar a 1 (100 %). La recta negra es el
# error de la serie de dos términos, que crece como $x^4/280$. La estrategia es usar **la serie
# por debajo de un umbral y la fórmula exacta por encima**. El mejor umbral es donde se cruzan
# las dos rectas:
#
# $$\frac{x^4}{280} = \frac{3\varepsilon}{x^2} \quad\Longrightarrow\quad
#   x^\ast = (840\,\varepsilon)^{1/6},$$
#
# las líneas de puntos: $x^\ast \approx 0.0076$ en `float64` (error máximo
# $\approx 1\cdot10^{-11}$) y $x^\ast \approx 0.22$ en `float32` (error máximo
# $\approx 8\cdot10^{-6}$). Fíjate en que el umbral **depende del dtype**: un umbral pensado para
# `float64`, como $10^{-3}$, deja la derivada en `float32` con ~20 % de error justo por encima.
# Un umbral fijo también sirve si queda entre los dos: con $0.05$ el error máximo ronda
# $2\cdot10^{-8}$ en `float64` y $10^{-4}$ en `float32` (medido en todos los `float32` justo por
# encima de $0.05$).
#
# ### Explora: acerca $x$ a 0
#
# En la celda de abajo, mueve `x` (en escala logarítmica, de $10^{-9}$ a 1) y el umbral
# `threshold` de la serie. Las curvas claras son `SincNaive`; las oscuras, la versión
# "cuidadosa": la serie $-x/3 + x^3/30$ por debajo del umbral y la fórmula exacta por encima. La
# línea vertical marca tu `x`, y el título da, en ese punto, el error relativo de las dos
# versiones en `float32` y en `float64`. Busca el umbral que deja más abajo la curva oscura en
# cada dtype y compáralo con las líneas de puntos del gráfico anterior. (Sin soporte para
# *widgets*, la celda dibuja una sola vez, en $x = 10^{-4}$ con umbral $0.05$.)

# %%
def careful_derivative(x, threshold):
    small = x.abs() < threshold
    safe = torch.where(small, torch.ones_like(x), x)
    exact = (torch.cos(safe) - torch.sin(safe) / safe) / safe
    return torch.where(small, -x / 3 + x ** 3 / 30, exact)


def exact_derivative(x64):
    total = torch.zeros_like(x64)
    for k in range(1, 10):
        total += (-1) ** k * 2 * k * x64 ** (2 * k - 1) / math.factorial(2 * k + 1)
    return total


def errors_at(points, dtype, threshold):
    x_d = points.to(dtype).clone().requires_grad_(True)
    (naive,) = torch.autograd.grad(SincNaive.apply(x_d).sum(), x_d)
    exact = exact_derivative(x_d.detach().double())
    careful = careful_derivative(x_d.detach(), threshold).double()
    relative = lambda g: ((g.double() - exact).abs() / exact.abs()).clamp(min=1e-17).cpu()
    return relative(naive), relative(careful)


def draw_near_zero(x, threshold):
    fig, ax = plt.subplots(figsize=(9, 5))
    here = torch.tensor([x], dtype=torch.float64, device=device)
    title = []
    for dtype, light, dark in ((torch.float32, "navajowhite", "tab:orange"),
                               (torch.float64, "lightsteelblue", "tab:blue")):
        naive, careful = errors_at(magnitudes, dtype, threshold)
        name = str(dtype).replace("torch.", "")
        ax.loglog(m, naive, ".", ms=3, color=light,
                  label=lang_text(f"SincNaive, {name}", f"SincNaive, {name}"))
        ax.loglog(m, careful, "-", lw=1.5, color=dark,
                  label=lang_text(f"cuidadosa, {name}", f"cuidadosa, {name}"))
        naive_here, careful_here = errors_at(here, dtype, threshold)
        naive_text, careful_text = (f"{e.item():.1e}" if e.item() > 1e-17 else "0"
                                    for e in (naive_here, careful_here))
        title.append(lang_text(f"{name}: ingênua {naive_text}, cuidadosa {careful_text}",
                               f"{name}: ingenua {naive_text}, cuidadosa {careful_text}"))
    ax.axvline(x, color="black", lw=1)
    ax.axvline(threshold, color="gray", lw=1, ls="--",
               label=lang_text("limiar da série", "umbral de la serie"))
    ax.set_ylim(1e-17, 10)
    ax.set_xlabel("|x|")
    ax.set_ylabel(lang_text("erro relativo da derivada", "error relativo de la derivada"))
    ax.set_title(lang_text(f"em x = {x:.1e}: ", f"en x = {x:.1e}: ") + " | ".join(title),
                 fontsize=9)
    ax.legend(loc="lower left", fontsize=8)
    plt.show()


explore(draw_near_zero, x=slider(1e-9, 1.0, 1e-4, step=0.25, log=True),
        threshold=slider(1e-4, 1.0, 0.05, step=0.1, log=True))

# %% [markdown] lang="pt"
# ### Os menores números de ponto flutuante
#
# "Perto de 0" vai muito além de $10^{-8}$. O menor `float64` **normal** é
# `torch.finfo(torch.float64).tiny` $\approx 2{,}2\cdot10^{-308}$, e abaixo dele ainda existem
# os **subnormais**, até `torch.nextafter(0, 1)` $\approx 4{,}9\cdot10^{-324}$ (em `float32`:
# $1{,}2\cdot10^{-38}$ e $1{,}4\cdot10^{-45}$). Neles, contas inocentes quebram: `x * x` já dá 0
# no menor normal, e nos menores subnormais `1 / x` dá `inf` (no menor normal, `1 / x` ainda é
# finito, perto do maior `float`).

# %% [markdown] lang="es"
# ### Los números de punto flotante más pequeños
#
# "Cerca de 0" va mucho más allá de $10^{-8}$. El menor `float64` **normal** es
# `torch.finfo(torch.float64).tiny` $\approx 2.2\cdot10^{-308}$, y por debajo todavía existen los
# **subnormales**, hasta `torch.nextafter(0, 1)` $\approx 4.9\cdot10^{-324}$ (en `float32`:
# $1.2\cdot10^{-38}$ y $1.4\cdot10^{-45}$). Ahí, cuentas inocentes fallan: `x * x` ya da 0 en
# el menor normal, y en los subnormales más pequeños `1 / x` da `inf` (en el menor normal,
# `1 / x` todavía es finito, cerca del mayor `float`).

# %%
for dtype in (torch.float32, torch.float64):
    zero = torch.tensor(0.0, dtype=dtype, device=device)
    tiny = torch.tensor(torch.finfo(dtype).tiny, dtype=dtype, device=device)
    smallest = torch.nextafter(zero, torch.ones_like(zero))
    for name, v in (("tiny", tiny), ("nextafter(0, 1)", smallest)):
        quotient = (v * torch.cos(v) - torch.sin(v)) / v ** 2
        print(f"{str(dtype):14s} {name:16s} x = {v.item():.3e} | x*x = {(v * v).item():g}"
              f" | 1/x = {(1 / v).item():.3e} | (x*cos(x) - sin(x))/x**2 = {quotient.item()}")

# %% [markdown] lang="pt"
# Por isso a forma $(x\cos x - \sin x)/x^2$ da derivada dá `NaN` ($0/0$) nos menores números,
# mesmo tratando `x == 0` à parte. Com a série para $|x|$ pequeno e um x seguro no outro ramo,
# nenhuma dessas contas acontece.
#
# Um detalhe: dentro do seu próprio `backward`, um `NaN` no ramo descartado de `torch.where` não
# estraga os **valores** — o `where` escolhe o outro ramo, e nenhum gradiente passa pelas contas
# do `backward`. Mesmo assim, calcule os dois ramos com o x seguro: se alguém derivar o seu
# `backward` (derivada segunda, `create_graph=True`), o problema da seção 2 volta.
#
# ## 5. `torch.autograd.gradcheck`
#
# `gradcheck(fn, (x,))` compara o seu `backward` com **diferenças finitas centrais** do seu
# `forward` (a ideia da aula 02), elemento por elemento, montando o jacobiano inteiro das duas
# maneiras. Use entradas `float64` com `requires_grad=True`: em `float32` as diferenças finitas
# são imprecisas demais para a comparação. Por padrão ele usa passo `eps=1e-6` e tolerâncias
# `atol=1e-5`, `rtol=1e-3`; devolve `True` ou levanta um erro mostrando os dois jacobianos.
#
# Vamos testar uma versão com um erro clássico de copiar e colar: o `backward` devolve 1 em
# `x = 0` (o valor de sinc(0), não o da derivada).

# %% [markdown] lang="es"
# Por eso la forma $(x\cos x - \sin x)/x^2$ de la derivada da `NaN` ($0/0$) en los números más
# pequeños, aunque se trate `x == 0` aparte. Con la serie para $|x|$ pequeño y un x seguro en la
# otra rama, ninguna de esas cuentas ocurre.
#
# Un detalle: dentro de tu propio `backward`, un `NaN` en la rama descartada de `torch.where` no
# estropea los **valores** (`where` elige la otra rama, y ningún gradiente pasa por las cuentas
# del `backward`). Aun así, calcula ambas ramas con el x seguro: si alguien deriva tu `backward`
# (segunda derivada, `create_graph=True`), vuelve el problema de la sección 2.
#
# ## 5. `torch.autograd.gradcheck`
#
# `gradcheck(fn, (x,))` compara tu `backward` con **diferencias finitas centrales** de tu
# `forward` (la idea de la clase 02), elemento por elemento, armando el jacobiano completo de
# las dos maneras. Usa entradas `float64` con `requires_grad=True`: en `float32` las diferencias
# finitas son demasiado imprecisas para la comparación. Por defecto usa paso `eps=1e-6` y
# tolerancias `atol=1e-5`, `rtol=1e-3`; devuelve `True` o lanza un error que muestra los dos
# jacobianos.
#
# Probemos una versión con un error clásico de copiar y pegar: el `backward` devuelve 1 en
# `x = 0` (el valor de sinc(0), no el de la derivada).

# %%
class SincWrongAtZero(SincNaive):
    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        zero = x == 0
        safe = torch.where(zero, torch.ones_like(x), x)
        slope = (torch.cos(safe) - torch.sin(safe) / safe) / safe
        return grad_output * torch.where(zero, torch.ones_like(x), slope)

# %%
torch.manual_seed(0)
x_random = torch.randn(8, dtype=torch.float64, device=device, requires_grad=True)
x_with_zero = torch.tensor([-1.0, 0.0, 0.5], dtype=torch.float64, device=device,
                           requires_grad=True)
x_close = torch.tensor([1e-8, -3e-8, 2e-9], dtype=torch.float64, device=device,
                       requires_grad=True)
cases = [(SincWrongAtZero, x_random, "SincWrongAtZero, x_random"),
         (SincWrongAtZero, x_with_zero, "SincWrongAtZero, x_with_zero"),
         (SincNaive, x_close, "SincNaive, x_close")]
for fn, inputs, label in cases:
    print(f"gradcheck({label}) =", gradcheck(fn.apply, (inputs,), raise_exception=False))

# %% [markdown] lang="pt"
# Duas lições:
#
# * Num vetor aleatório, a `SincWrongAtZero` **passa**: a chance de `torch.randn` sortear exatamente
#   0 é praticamente nula, então o valor errado nunca é avaliado. Só quando colocamos o 0 na entrada
#   o `gradcheck` acusa (as diferenças finitas em 0 dão
#   $(\operatorname{sinc}(h) - \operatorname{sinc}(-h))/2h = 0$, pois a sinc é par).
# * A `SincNaive` passa mesmo em $|x| \approx 10^{-8}$, onde ela erra até 100 %: os erros absolutos,
#   da ordem de $10^{-9}$, são muito menores que `atol=1e-5`. O `gradcheck` pega **fórmulas**
#   erradas, não perda de precisão.
#
# Conclusão: `gradcheck` é ótimo, mas os pontos especiais (0, os menores floats, valores
# grandes) e a precisão você testa de propósito.
#
# ## 6. E `torch.sinc`?
#
# O PyTorch já tem `torch.sinc` — mas é **outra** função: a sinc **normalizada**,
# $\sin(\pi x)/(\pi x)$, comum em processamento de sinais, que vale zero nos inteiros não nulos. A
# nossa se relaciona com ela por $\operatorname{sinc}(x) = $ `torch.sinc(x / π)`. E o gradiente de
# `torch.sinc` usa uma fórmula exata do mesmo tipo da `SincNaive`, com o mesmo cancelamento perto
# de 0:

# %% [markdown] lang="es"
# Dos lecciones:
#
# * Con un vector aleatorio, `SincWrongAtZero` **pasa**: la probabilidad de que `torch.randn` sortee
#   exactamente 0 es prácticamente nula, así que el valor incorrecto nunca se evalúa. Solo cuando
#   ponemos el 0 en la entrada `gradcheck` lo detecta (las diferencias finitas en 0 dan
#   $(\operatorname{sinc}(h) - \operatorname{sinc}(-h))/2h = 0$, porque la sinc es par).
# * `SincNaive` pasa incluso en $|x| \approx 10^{-8}$, donde se equivoca hasta un 100 %: los errores
#   absolutos, del orden de $10^{-9}$, son mucho menores que `atol=1e-5`. `gradcheck` detecta
#   **fórmulas** equivocadas, no pérdida de precisión.
#
# Conclusión: `gradcheck` es muy útil, pero los puntos especiales (0, los floats más pequeños,
# valores grandes) y la precisión los pruebas a propósito.
#
# ## 6. ¿Y `torch.sinc`?
#
# PyTorch ya trae `torch.sinc`, pero es **otra** función: la sinc **normalizada**,
# $\sin(\pi x)/(\pi x)$, habitual en procesamiento de señales, que vale cero en los enteros no
# nulos. La nuestra se relaciona con ella por $\operatorname{sinc}(x) = $ `torch.sinc(x / π)`. Y
# el gradiente de `torch.sinc` usa una fórmula exacta del mismo tipo que `SincNaive`, con la misma
# cancelación cerca de 0:

# %%
x = torch.tensor([1.0, math.pi], dtype=torch.float64, device=device)
print("torch.sinc(x)      =", torch.sinc(x))
print("sin(x)/x           =", torch.sin(x) / x)
print("torch.sinc(x / pi) =", torch.sinc(x / math.pi))

t = torch.tensor(1e-8 / math.pi, dtype=torch.float64, device=device, requires_grad=True)
torch.sinc(t).backward()
print("x = 1e-8: d/dx torch.sinc(x/pi) =", t.grad.item() / math.pi, "| -x/3 =", -1e-8 / 3)

# %% [markdown] lang="pt"
# ### Exercício 1 — `class Sinc` (10 pontos)
#
# Escreva `Sinc(torch.autograd.Function)` para a sinc **não normalizada** $\sin(x)/x$ com
# $\operatorname{sinc}(0) = 1$, com `forward(x)`, `setup_context(ctx, inputs, output)` e
# `backward(ctx, grad_output)` estáticos (ou, se preferir, na forma antiga, `forward(ctx, x)` e
# `backward(ctx, grad_output)`, sem `setup_context`). Ela será usada como `Sinc.apply(x)`.
# Exigências:
#
# * a saída tem o formato (incluindo tensores 0-d), o dtype e o dispositivo (`device`) de `x`;
# * nada de `NaN` ou `inf` em lugar nenhum — nem em `x = 0`, nem nos menores floats
#   (`torch.finfo(x.dtype).tiny`, `torch.nextafter(0, 1)`), nem em valores grandes;
# * o `backward` é preciso perto de 0 (derivada $\to -x/3$), em `float32` **e** em `float64`, e
#   multiplica por `grad_output`;
# * não modifique `x`.
#
# **Precisão exigida.** Os testes ocultos comparam com valores exatos calculados em `float64`,
# pelo **erro relativo** $|\text{obtido} - \text{exato}|\,/\,|\text{exato}|$, ponto a ponto:
#
# | o que | onde | `float64` | `float32` |
# |---|---|---|---|
# | *forward* | longe de 0 / $0 < |x| < 0{,}5$ | $10^{-9}$ / $10^{-8}$ | $10^{-5}$ |
# | *backward* | $0{,}5 \le |x| \le 12$ | $10^{-7}$ | $10^{-4}$ |
# | *backward* | $0 < |x| < 0{,}5$, até $|x| = 10^{-300}$ (`float64`) e $10^{-35}$ (`float32`) | $10^{-6}$ | $10^{-3}$ |
#
# Nos pontos especiais (0, $\pm$`tiny`, os subnormais) a saída deve ser 1 e a derivada 0, a
# menos de $|x|$. Há ainda `torch.autograd.gradcheck` num vetor aleatório em `float64`, com
# `grad_output` aleatório. A `SincNaive` seria reprovada (erro de 100 % em $x = 10^{-8}$); a
# série de dois termos abaixo do limiar $0{,}05$ ou de $x^\ast$ (seção 4) passa com folga.
#
# Dicas: para $|x|$ abaixo de um limiar (seção 4), use as séries $1 - x^2/6 + x^4/120$ e
# $-x/3 + x^3/30$; acima dele, as fórmulas exatas com um **x seguro**; junte os ramos com
# `torch.where`. `torch.finfo(x.dtype).eps` dá o $\varepsilon$ do dtype. A nota é dividida em
# seis células de teste; as verificações visíveis de cada uma usam as mesmas tolerâncias, em
# poucos pontos.

# %% [markdown] lang="es"
# ### Ejercicio 1 — `class Sinc` (10 puntos)
#
# Escribe `Sinc(torch.autograd.Function)` para la sinc **no normalizada** $\sin(x)/x$ con
# $\operatorname{sinc}(0) = 1$, con `forward(x)`, `setup_context(ctx, inputs, output)` y
# `backward(ctx, grad_output)` estáticos (o, si prefieres, con la forma antigua,
# `forward(ctx, x)` y `backward(ctx, grad_output)`, sin `setup_context`). Se usará como
# `Sinc.apply(x)`. Requisitos:
#
# * la salida tiene la forma (incluidos los tensores 0-d), el dtype y el dispositivo (`device`) de `x`;
# * nada de `NaN` ni `inf` en ningún lado: ni en `x = 0`, ni en los floats más pequeños
#   (`torch.finfo(x.dtype).tiny`, `torch.nextafter(0, 1)`), ni en valores grandes;
# * el `backward` es preciso cerca de 0 (derivada $\to -x/3$), en `float32` **y** en `float64`,
#   y multiplica por `grad_output`;
# * no modifiques `x`.
#
# **Precisión exigida.** Las pruebas ocultas comparan con valores exactos calculados en
# `float64`, por el **error relativo** $|\text{obtenido} - \text{exacto}|\,/\,|\text{exacto}|$,
# punto por punto:
#
# | qué | dónde | `float64` | `float32` |
# |---|---|---|---|
# | *forward* | lejos de 0 / $0 < |x| < 0.5$ | $10^{-9}$ / $10^{-8}$ | $10^{-5}$ |
# | *backward* | $0.5 \le |x| \le 12$ | $10^{-7}$ | $10^{-4}$ |
# | *backward* | $0 < |x| < 0.5$, hasta $|x| = 10^{-300}$ (`float64`) y $10^{-35}$ (`float32`) | $10^{-6}$ | $10^{-3}$ |
#
# En los puntos especiales (0, $\pm$`tiny`, los subnormales) la salida debe ser 1 y la derivada
# 0, salvo $|x|$. Además se aplica `torch.autograd.gradcheck` a un vector aleatorio en
# `float64`, con `grad_output` aleatorio. `SincNaive` no aprobaría (error del 100 % en
# $x = 10^{-8}$); la serie de dos términos por debajo del umbral $0.05$ o de $x^\ast$ (sección 4)
# aprueba con margen.
#
# Pistas: para $|x|$ por debajo de un umbral (sección 4), usa las series $1 - x^2/6 + x^4/120$
# y $-x/3 + x^3/30$; por encima, las fórmulas exactas con un **x seguro**; une las ramas con
# `torch.where`. `torch.finfo(x.dtype).eps` da el $\varepsilon$ del dtype. La nota se reparte en
# seis celdas de prueba; las verificaciones visibles de cada una usan las mismas tolerancias, en
# pocos puntos.

# %% nbgrader={"grade_id": "Sinc", "solution": true}
class Sinc(torch.autograd.Function):
    @staticmethod
    def forward(x):
        ### BEGIN SOLUTION
        small = x.abs() < (840 * torch.finfo(x.dtype).eps) ** (1 / 6)
        safe = torch.where(small, torch.ones_like(x), x)
        x2 = x * x
        series = 1 - x2 / 6 + x2 * x2 / 120
        return torch.where(small, series, torch.sin(safe) / safe)
        ### END SOLUTION

    @staticmethod
    def setup_context(ctx, inputs, output):
        ### BEGIN SOLUTION
        (x,) = inputs
        ctx.save_for_backward(x)
        ### END SOLUTION

    @staticmethod
    def backward(ctx, grad_output):
        ### BEGIN SOLUTION
        (x,) = ctx.saved_tensors
        small = x.abs() < (840 * torch.finfo(x.dtype).eps) ** (1 / 6)
        safe = torch.where(small, torch.ones_like(x), x)
        series = -x / 3 + x * x * x / 30
        exact = (torch.cos(safe) - torch.sin(safe) / safe) / safe
        return grad_output * torch.where(small, series, exact)
        ### END SOLUTION

# %% nbgrader={"grade_id": "test_sinc_forward", "grade": true, "points": 1}
x_chk = torch.tensor([math.pi / 2, math.pi, -2.0], dtype=torch.float64, device=device)
check("Sinc.apply(x), float64", lambda: Sinc.apply(x_chk),
      torch.tensor([2 / math.pi, math.sin(math.pi) / math.pi, math.sin(2.0) / 2],
                   dtype=torch.float64), tol=1e-9)
check("Sinc.apply(x), float32", lambda: Sinc.apply(x_chk.float()),
      torch.tensor([2 / math.pi, 0.0, math.sin(2.0) / 2], dtype=torch.float64), tol=1e-5)
### BEGIN HIDDEN TESTS
from course.lessons import load_checks
hidden_checks = load_checks("04_custom_function")
hidden_checks.check_sinc_forward(Sinc, LANG)
### END HIDDEN TESTS

# %% nbgrader={"grade_id": "test_sinc_contract", "grade": true, "points": 1}
def sinc_of_half():
    return Sinc.apply(torch.tensor(0.5, dtype=torch.float64, device=device))


check("Sinc.apply(0-d).shape", lambda: list(sinc_of_half().shape), [])
check("Sinc.apply(0-d).dtype", lambda: str(sinc_of_half().dtype), "torch.float64")
check("Sinc.apply(0-d).device", lambda: sinc_of_half().device.type, torch.device(device).type)
check("Sinc.apply(0.5)", sinc_of_half, torch.tensor(math.sin(0.5) / 0.5, dtype=torch.float64),
      tol=1e-9)
check("Sinc.apply(ones(2, 3)).shape",
      lambda: list(Sinc.apply(torch.ones(2, 3, device=device)).shape), [2, 3])
### BEGIN HIDDEN TESTS
from course.lessons import load_checks
hidden_checks = load_checks("04_custom_function")
hidden_checks.check_sinc_contract(Sinc, LANG)
### END HIDDEN TESTS

# %% nbgrader={"grade_id": "test_sinc_special", "grade": true, "points": 2}
def sinc_at_special_points():
    zero = torch.tensor(0.0, dtype=torch.float64, device=device)
    points = torch.stack([zero, torch.nextafter(zero, torch.ones_like(zero)),
                          torch.full_like(zero, torch.finfo(torch.float64).tiny)])
    points.requires_grad_(True)
    values = Sinc.apply(points)
    (grads,) = torch.autograd.grad(values.sum(), points)
    return values, grads


check("Sinc(0), Sinc(subnormal), Sinc(tiny)", lambda: sinc_at_special_points()[0],
      [1.0, 1.0, 1.0])
check("d/dx Sinc(0, subnormal, tiny)", lambda: sinc_at_special_points()[1], [0.0, 0.0, 0.0])
### BEGIN HIDDEN TESTS
from course.lessons import load_checks
hidden_checks = load_checks("04_custom_function")
hidden_checks.check_sinc_special(Sinc, LANG)
### END HIDDEN TESTS

# %% nbgrader={"grade_id": "test_sinc_backward", "grade": true, "points": 2}
def sinc_derivative(values, dtype=torch.float64):
    x_in = torch.tensor(values, dtype=dtype, device=device, requires_grad=True)
    (grad,) = torch.autograd.grad(Sinc.apply(x_in).sum(), x_in)
    return grad


def relative_error(got, values, exact):
    expected = torch.tensor([exact(v) for v in values], dtype=torch.float64)
    return ((got.detach().cpu().double() - expected) / expected).abs()


def quotient_rule(v):
    return (math.cos(v) - math.sin(v) / v) / v


def random_gradcheck():
    torch.manual_seed(1)
    x_in = torch.randn(5, dtype=torch.float64, device=device, requires_grad=True)
    return torch.autograd.gradcheck(Sinc.apply, (x_in,), raise_exception=False)


points_chk = [1.0, 2.0, -3.0]
check(lang_text("erro relativo de d/dx Sinc(1, 2, -3), float64",
                "error relativo de d/dx Sinc(1, 2, -3), float64"),
      lambda: relative_error(sinc_derivative(points_chk), points_chk, quotient_rule),
      [0.0, 0.0, 0.0], tol=1e-7)
check("gradcheck", random_gradcheck, True)
### BEGIN HIDDEN TESTS
from course.lessons import load_checks
hidden_checks = load_checks("04_custom_function")
hidden_checks.check_sinc_backward(Sinc, LANG)
### END HIDDEN TESTS

# %% nbgrader={"grade_id": "test_sinc_grad_output", "grade": true, "points": 1}
def weighted_derivative():
    x_in = torch.tensor([1.0, -2.0], dtype=torch.float64, device=device, requires_grad=True)
    g_in = torch.tensor([10.0, -0.5], dtype=torch.float64, device=device)
    (grad,) = torch.autograd.grad(Sinc.apply(x_in), x_in, grad_outputs=g_in)
    return grad


check("grad_output * d/dx Sinc", weighted_derivative,
      torch.tensor([g * (math.cos(v) - math.sin(v) / v) / v for g, v in ((10.0, 1.0), (-0.5, -2.0))],
                   dtype=torch.float64), tol=1e-7)
### BEGIN HIDDEN TESTS
from course.lessons import load_checks
hidden_checks = load_checks("04_custom_function")
hidden_checks.check_sinc_grad_output(Sinc, LANG)
### END HIDDEN TESTS

# %% nbgrader={"grade_id": "test_sinc_near_zero", "grade": true, "points": 3}
def near_zero_relative_error(values, dtype):
    x_in = torch.tensor(values, dtype=dtype, device=device, requires_grad=True)
    (grad,) = torch.autograd.grad(Sinc.apply(x_in).sum(), x_in)
    v = x_in.detach().cpu().double()
    exact = -v / 3 + v ** 3 / 30 - v ** 5 / 840
    return ((grad.detach().cpu().double() - exact) / exact).abs()


check(lang_text("erro relativo de d/dx Sinc(1e-8, -1e-4, 1e-2), float64",
                "error relativo de d/dx Sinc(1e-8, -1e-4, 1e-2), float64"),
      lambda: near_zero_relative_error([1e-8, -1e-4, 1e-2], torch.float64), [0.0, 0.0, 0.0],
      tol=1e-6)
check(lang_text("erro relativo de d/dx Sinc(1e-3, -0.05), float32",
                "error relativo de d/dx Sinc(1e-3, -0.05), float32"),
      lambda: near_zero_relative_error([1e-3, -0.05], torch.float32), [0.0, 0.0], tol=1e-3)
### BEGIN HIDDEN TESTS
from course.lessons import load_checks
hidden_checks = load_checks("04_custom_function")
hidden_checks.check_sinc_near_zero(Sinc, LANG)
### END HIDDEN TESTS

# %% [markdown] lang="pt"
# ### Veja o resultado
#
# A sinc e a sua derivada em $[-4, 4]$, com 1001 pontos. Atenção: `torch.linspace(-4, 4, 1001)`
# **não** passa por 0 — em `float32` o ponto do meio sai $\approx -1{,}9\cdot10^{-7}$, por
# arredondamento. Para incluir o 0 exato, usamos inteiros divididos por 125 (passo 0,008). À
# direita, o erro relativo da sua derivada ao lado do da `SincNaive`. (A célula espera a sua
# resposta ao exercício 1.)

# %% [markdown] lang="es"
# ### Mira el resultado
#
# La sinc y su derivada en $[-4, 4]$, con 1001 puntos. Ojo: `torch.linspace(-4, 4, 1001)` **no**
# pasa por 0: en `float32` el punto del medio sale $\approx -1.9\cdot10^{-7}$, por redondeo.
# Para incluir el 0 exacto, usamos enteros divididos por 125 (paso 0.008). A la derecha, el
# error relativo de tu derivada junto al de `SincNaive`. (La celda espera tu respuesta al
# ejercicio 1.)

# %%
print("torch.linspace(-4, 4, 1001)[500] =", torch.linspace(-4, 4, 1001)[500].item())
x = (torch.arange(-500, 501, device=device) / 125).requires_grad_(True)
try:
    y = Sinc.apply(x)
    y.backward(torch.ones_like(y))
except NotImplementedError:
    y = None
    print(lang_text("Responda o exercício 1 (class Sinc) para ver os gráficos.",
                    "Responde el ejercicio 1 (class Sinc) para ver los gráficos."))

if y is not None:
    print("x[498:503]        =", x[498:503].tolist())
    print("sinc(x)[498:503]  =", y[498:503].tolist())
    print("x.grad[498:503]   =", x.grad[498:503].tolist())

    fig, (left, right) = plt.subplots(1, 2, figsize=(13, 4.5))
    xs = x.detach().cpu()
    left.plot(xs, y.detach().cpu(), label="sinc(x) = sin(x)/x")
    left.plot(xs, x.grad.cpu(), label="d sinc/dx")
    left.plot([0, 0], [1, 0], "ko", ms=4)
    left.axhline(0, color="gray", lw=0.5)
    left.axvline(0, color="gray", lw=0.5)
    left.set_xlabel("x")
    left.legend()
    curves = [("SincNaive", SincNaive, torch.float32, "navajowhite"),
              ("Sinc", Sinc, torch.float32, "C1"),
              ("SincNaive", SincNaive, torch.float64, "lightsteelblue"),
              ("Sinc", Sinc, torch.float64, "C0")]
    for name, fn, dtype, color in curves:
        right.loglog(m, relative_error_of_derivative(fn.apply, dtype, magnitudes), ".",
                     ms=3, color=color, label=f"{name}, {dtype}")
    right.set_ylim(1e-17, 10)
    right.set_xlabel("|x|")
    right.set_ylabel(lang_text("erro relativo da derivada", "error relativo de la derivada"))
    right.legend(fontsize=8)
    plt.show()

# %% [markdown] lang="pt"
# No meio do gráfico, $x = 0$: sinc vale 1 e a derivada vale 0 (os dois pontos pretos). À
# direita, as curvas da sua `Sinc` devem ficar muito abaixo das da `SincNaive` perto de 0.
#
# ### Exercício 2 — múltipla escolha (1 ponto cada)
#
# Responda atribuindo a letra da alternativa à variável indicada, por exemplo
# `answer_hook_value = "a"`. Se tiver dúvida, experimente numa célula nova.
#
# **2a.** No exemplo dos *hooks* (seção 1), com `x = 3` em vez de 2, que valor imprime o *hook*
# registrado em `a`?
#
# * (a) 18
# * (b) 27
# * (c) 54
# * (d) 81

# %% [markdown] lang="es"
# En el medio del gráfico, $x = 0$: la sinc vale 1 y la derivada 0 (los dos puntos negros). A
# la derecha, las curvas de tu `Sinc` deben quedar muy por debajo de las de `SincNaive` cerca de
# 0.
#
# ### Ejercicio 2 — opción múltiple (1 punto cada una)
#
# Responde asignando la letra de la opción a la variable indicada, por ejemplo
# `answer_hook_value = "a"`. Si tienes dudas, pruébalo en una celda nueva.
#
# **2a.** En el ejemplo de los *hooks* (sección 1), con `x = 3` en lugar de 2, ¿qué valor
# imprime el *hook* registrado en `a`?
#
# * (a) 18
# * (b) 27
# * (c) 54
# * (d) 81

# %% nbgrader={"grade_id": "answer_hook_value", "solution": true}
### BEGIN SOLUTION
answer_hook_value = "b"
### END SOLUTION

# %% nbgrader={"grade_id": "test_hook_value", "grade": true, "points": 1}
check_choice("answer_hook_value", answer_hook_value)
### BEGIN HIDDEN TESTS
from course.lessons import load_checks
hidden_checks = load_checks("04_custom_function")
hidden_checks.check_hook_value(answer_hook_value, LANG)
### END HIDDEN TESTS

# %% [markdown] lang="pt"
# **2b.** A raiz quadrada não existe para números negativos, então alguém escreve
#
# ```python
# x = torch.tensor([-1.0, 4.0], requires_grad=True)
# y = torch.where(x > 0, torch.sqrt(x), torch.zeros_like(x))
# y.sum().backward()
# ```
#
# O *forward* dá `y = [0, 2]`. Quanto vale `x.grad`?
#
# * (a) `tensor([0.0000, 0.2500])`: o ramo descartado recebe 0, e 0 vezes qualquer coisa é 0.
# * (b) `tensor([nan, nan])`: o `nan` de `sqrt(-1)` se espalha por todo o gradiente de `x`.
# * (c) `tensor([nan, 0.2500])`: o 0 enviado ao `sqrt` é dividido por `2·sqrt(-1)`, que é `nan`.
# * (d) Um `RuntimeError` já no *forward*, porque `torch.sqrt` recusa números negativos.

# %% [markdown] lang="es"
# **2b.** La raíz cuadrada no existe para números negativos, así que alguien escribe
#
# ```python
# x = torch.tensor([-1.0, 4.0], requires_grad=True)
# y = torch.where(x > 0, torch.sqrt(x), torch.zeros_like(x))
# y.sum().backward()
# ```
#
# El *forward* da `y = [0, 2]`. ¿Cuánto vale `x.grad`?
#
# * (a) `tensor([0.0000, 0.2500])`: la rama descartada recibe 0, y 0 por cualquier cosa es 0.
# * (b) `tensor([nan, nan])`: el `nan` de `sqrt(-1)` se esparce por todo el gradiente de `x`.
# * (c) `tensor([nan, 0.2500])`: el 0 enviado a `sqrt` se divide por `2·sqrt(-1)`, que es `nan`.
# * (d) Un `RuntimeError` ya en el *forward*, porque `torch.sqrt` rechaza números negativos.

# %% nbgrader={"grade_id": "answer_where_grad", "solution": true}
### BEGIN SOLUTION
answer_where_grad = "c"
### END SOLUTION

# %% nbgrader={"grade_id": "test_where_grad", "grade": true, "points": 1}
check_choice("answer_where_grad", answer_where_grad)
### BEGIN HIDDEN TESTS
from course.lessons import load_checks
hidden_checks = load_checks("04_custom_function")
hidden_checks.check_where_grad(answer_where_grad, LANG)
### END HIDDEN TESTS

# %% [markdown] lang="pt"
# **2c.** Qual destes defeitos do `backward` de uma sinc o teste abaixo **detecta** (isto é,
# devolve `False`)?
#
# ```python
# x = torch.randn(10, dtype=torch.float64, requires_grad=True)
# gradcheck(SuaSinc.apply, (x,), raise_exception=False)
# ```
#
# * (a) Devolve 1 em vez de 0 no ponto `x = 0` exato, e acerta em todos os outros pontos.
# * (b) Usa a fórmula exata também perto de 0 e perde todos os dígitos em `|x| < 1e-8`.
# * (c) Devolve `sinc'(x)` sem multiplicar por `grad_output`, e acerta a derivada.
# * (d) Faz as contas em `float32` e converte o resultado de volta para `float64`.

# %% [markdown] lang="es"
# **2c.** ¿Cuál de estos defectos del `backward` de una sinc **detecta** la prueba de abajo (es
# decir, devuelve `False`)?
#
# ```python
# x = torch.randn(10, dtype=torch.float64, requires_grad=True)
# gradcheck(TuSinc.apply, (x,), raise_exception=False)
# ```
#
# * (a) Devuelve 1 en lugar de 0 en el punto `x = 0` exacto, y acierta en todos los demás.
# * (b) Usa la fórmula exacta también cerca de 0 y pierde todos los dígitos en `|x| < 1e-8`.
# * (c) Devuelve `sinc'(x)` sin multiplicar por `grad_output`, y acierta la derivada.
# * (d) Hace las cuentas en `float32` y convierte el resultado de vuelta a `float64`.

# %% nbgrader={"grade_id": "answer_gradcheck", "solution": true}
### BEGIN SOLUTION
answer_gradcheck = "c"
### END SOLUTION

# %% nbgrader={"grade_id": "test_gradcheck", "grade": true, "points": 1}
check_choice("answer_gradcheck", answer_gradcheck)
### BEGIN HIDDEN TESTS
from course.lessons import load_checks
hidden_checks = load_checks("04_custom_function")
hidden_checks.check_gradcheck(answer_gradcheck, LANG)
### END HIDDEN TESTS

# %% [markdown] lang="pt"
# ### Exercício 3 — resposta escrita (2 pontos, corrigida pelo professor)
#
# Em poucas linhas: por que $(\cos x - \sin(x)/x)/x$ dá 0 em `x = 1e-8` (em `float64`), em vez
# de $\approx -3{,}3\cdot10^{-9}$? Por que a série $-x/3 + x^3/30$ não sofre desse problema, e o
# que limita o uso dela para $|x|$ maiores?

# %% [markdown] lang="es"
# ### Ejercicio 3 — respuesta escrita (2 puntos, la corrige el docente)
#
# En pocas líneas: ¿por qué $(\cos x - \sin(x)/x)/x$ da 0 en `x = 1e-8` (en `float64`) en lugar
# de $\approx -3.3\cdot10^{-9}$? ¿Por qué la serie $-x/3 + x^3/30$ no tiene ese problema, y qué
# limita su uso para $|x|$ más grandes?

# %% [markdown] lang="pt" nbgrader={"grade_id": "explain_cancellation", "solution": true, "grade": true, "points": 2}
# Em `x = 1e-8`, $\cos x = 1 - 5\cdot10^{-17}$ e $\sin(x)/x = 1 - 1{,}7\cdot10^{-17}$: as duas
# correções são menores que o espaçamento dos `float64` perto de 1 ($\varepsilon \approx
# 2{,}2\cdot10^{-16}$), então ambos viram exatamente `1.0` e a diferença é 0 — cancelamento
# catastrófico (erro relativo $\approx 3\varepsilon/x^2$). A série calcula $-x/3$ diretamente,
# sem subtrair números quase iguais, então mantém precisão total para $|x|$ pequeno. Para $|x|$
# maior, os termos desprezados pesam: o erro de truncamento cresce como $x^4/280$, por isso ela
# só é usada abaixo de um limiar (onde esse erro fica abaixo do erro de arredondamento da
# fórmula exata).

# %% [markdown] lang="es" nbgrader={"grade_id": "explain_cancellation", "solution": true, "grade": true, "points": 2}
# En `x = 1e-8`, $\cos x = 1 - 5\cdot10^{-17}$ y $\sin(x)/x = 1 - 1.7\cdot10^{-17}$: las dos
# correcciones son menores que la separación entre `float64` cerca de 1 ($\varepsilon \approx
# 2.2\cdot10^{-16}$), así que ambos quedan exactamente en `1.0` y la diferencia es 0:
# cancelación catastrófica (error relativo $\approx 3\varepsilon/x^2$). La serie calcula $-x/3$
# directamente, sin restar números casi iguales, así que conserva toda la precisión para $|x|$
# pequeño. Para $|x|$ mayor pesan los términos despreciados: el error de truncamiento crece como
# $x^4/280$, por eso solo se usa por debajo de un umbral (donde ese error queda por debajo del
# error de redondeo de la fórmula exacta).

# %% [markdown] lang="pt"
# ## Resumo
#
# * Uma `Function` personalizada do autograd é um nó do grafo escrito à mão: `forward(x)` calcula
#   a saída, `setup_context(ctx, inputs, output)` guarda em `ctx` o que o *backward* vai usar e
#   `backward(ctx, grad_output)` devolve `grad_output * f'(x)`. Use-a por `.apply(x)`. A forma
#   antiga, com `forward(ctx, x)`, também funciona.
# * *Hooks* (`t.register_hook`) mostram o gradiente que chega a cada tensor durante o *backward*.
# * `torch.where` escolhe valores, mas o grafo do ramo descartado continua lá: um `NaN` nele
#   contamina o gradiente. A saída é o **x seguro**.
# * Subtrair números quase iguais perde dígitos (**cancelamento catastrófico**, erro relativo
#   $\approx 3\varepsilon/x^2$ aqui); uma série de Taylor abaixo de um limiar, que depende do
#   dtype, resolve.
# * `gradcheck` compara o *backward* com diferenças finitas nos pontos que você dá: pega fórmulas
#   erradas, não pontos especiais que ele não visita nem perda de precisão abaixo da sua
#   tolerância.
#
# Na próxima aula usamos o autograd para o que ele faz de melhor: ajustar um modelo — uma
# regressão linear, primeiro à mão e depois com `Dataset`, `Module` e `DataLoader`.
#
# ## Para saber mais
#
# * *Mergulho Profundo no Aprendizado Profundo* (d2l), capítulo "Diferenciação automática", em
#   português: https://pt.d2l.ai/chapter_preliminaries/autograd.html
# * Documentação do PyTorch, "Autograd mechanics" (em inglês):
#   https://pytorch.org/docs/stable/notes/autograd.html — e o guia "Extending PyTorch", que
#   descreve `setup_context` (em inglês): https://pytorch.org/docs/stable/notes/extending.html
# * Notas do curso CS231n (Stanford) sobre retropropagação, nó a nó (em inglês):
#   https://cs231n.github.io/optimization-2/

# %% [markdown] lang="es"
# ## Resumen
#
# * Una `Function` personalizada de autograd es un nodo del grafo escrito a mano: `forward(x)`
#   calcula la salida, `setup_context(ctx, inputs, output)` guarda en `ctx` lo que va a usar el
#   *backward* y `backward(ctx, grad_output)` devuelve `grad_output * f'(x)`. Se usa con
#   `.apply(x)`. La forma antigua, con `forward(ctx, x)`, también funciona.
# * Los *hooks* (`t.register_hook`) muestran el gradiente que llega a cada tensor durante el
#   *backward*.
# * `torch.where` elige valores, pero el grafo de la rama descartada sigue ahí: un `NaN` en ella
#   contamina el gradiente. La salida es el **x seguro**.
# * Restar números casi iguales pierde dígitos (**cancelación catastrófica**, error relativo
#   $\approx 3\varepsilon/x^2$ aquí); una serie de Taylor por debajo de un umbral, que depende del
#   dtype, lo resuelve.
# * `gradcheck` compara el *backward* con diferencias finitas en los puntos que le das: detecta
#   fórmulas equivocadas, no puntos especiales que no visita ni pérdidas de precisión por debajo de
#   su tolerancia.
#
# En la próxima clase usamos autograd para lo que mejor hace: ajustar un modelo, una regresión
# lineal, primero a mano y después con `Dataset`, `Module` y `DataLoader`.
#
# ## Para saber más
#
# Estas referencias están en inglés (no conocemos ediciones en español):
#
# * Documentación de PyTorch, "Autograd mechanics":
#   https://pytorch.org/docs/stable/notes/autograd.html, y la guía "Extending PyTorch", que
#   describe `setup_context`: https://pytorch.org/docs/stable/notes/extending.html
# * Apuntes del curso CS231n (Stanford) sobre retropropagación, nodo por nodo:
#   https://cs231n.github.io/optimization-2/
# * *Dive into Deep Learning* (d2l), capítulo "Automatic Differentiation":
#   https://d2l.ai/chapter_preliminaries/autograd.html
