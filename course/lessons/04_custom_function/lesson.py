# %% [markdown] lang="pt"
# # 04 · Uma função do autograd feita à mão: a sinc
#
# O autograd conhece a derivada de cada operação do PyTorch (`MulBackward0`, `SinBackward0`…) e
# as encadeia pela regra da cadeia. Quase sempre isso basta. Mas há casos em que queremos
# escrever **nós mesmos** a derivada de uma operação:
#
# * a fórmula montada com as peças dá `NaN` ou perde precisão em pontos especiais;
# * a operação é calculada fora do PyTorch (numpy, uma biblioteca em C…), e o autograd não a vê;
# * existe uma fórmula do gradiente mais barata ou mais estável do que a que sai das peças.
#
# Para isso existe `torch.autograd.Function`. Neste notebook você vai:
#
# 1. usar *hooks* para ver o gradiente passar por cada nó de um grafo pequeno;
# 2. ver por que `sin(x)/x` quebra em `x = 0`, e por que `torch.where` sozinho não resolve;
# 3. escrever uma `Function` com `forward`, `backward`, `ctx.save_for_backward` e `.apply`;
# 4. descobrir que a fórmula exata da derivada perde **todos** os dígitos perto de 0 — e
#    consertar isso com uma série de Taylor;
# 5. usar `torch.autograd.gradcheck` e entender o que ele não enxerga;
# 6. implementar o exercício avaliado: a classe `Sinc`.
#
# Execute as células em ordem (Shift+Enter). As células com `check(...)` conferem seu trabalho
# na hora; a nota final vem de testes adicionais, com outros dados, aplicados na correção.

# %% [markdown] lang="es"
# # 04 · Una función de autograd hecha a mano: la sinc
#
# Autograd conoce la derivada de cada operación de PyTorch (`MulBackward0`, `SinBackward0`…) y
# las encadena con la regla de la cadena. Casi siempre alcanza. Pero hay casos en los que
# queremos escribir **nosotros** la derivada de una operación:
#
# * la fórmula armada con las piezas da `NaN` o pierde precisión en puntos especiales;
# * la operación se calcula fuera de PyTorch (numpy, una biblioteca en C…) y autograd no la ve;
# * hay una fórmula del gradiente más barata o más estable que la que sale de las piezas.
#
# Para eso está `torch.autograd.Function`. En este notebook vas a:
#
# 1. usar *hooks* para ver pasar el gradiente por cada nodo de un grafo pequeño;
# 2. ver por qué `sin(x)/x` falla en `x = 0`, y por qué `torch.where` por sí solo no lo arregla;
# 3. escribir una `Function` con `forward`, `backward`, `ctx.save_for_backward` y `.apply`;
# 4. descubrir que la fórmula exacta de la derivada pierde **todos** los dígitos cerca de 0, y
#    arreglarlo con una serie de Taylor;
# 5. usar `torch.autograd.gradcheck` y entender qué es lo que no ve;
# 6. implementar el ejercicio calificado: la clase `Sinc`.
#
# Ejecuta las celdas en orden (Shift+Enter). Las celdas con `check(...)` revisan tu trabajo al
# instante; la nota final sale de pruebas adicionales, con otros datos, que se aplican al corregir.

# %%
import math

import matplotlib.pyplot as plt
import torch
from torch.autograd import gradcheck

device = "cuda" if torch.cuda.is_available() else "cpu"
print("torch", torch.__version__, "| device:", device)

# %% [markdown] lang="pt"
# ## 1. Hooks: o gradiente passando por cada nó
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
# ## 1. Hooks: el gradiente pasando por cada nodo
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
# Uma `Function` é uma classe com dois métodos estáticos:
#
# * `forward(ctx, x)` recebe os tensores de entrada e devolve a saída. Roda **sem** gravar grafo
#   (o que acontece lá dentro é invisível para o autograd). O que o *backward* vai precisar se
#   guarda com `ctx.save_for_backward(...)` (para tensores; outros valores podem ir em
#   atributos, como `ctx.n = 3`).
# * `backward(ctx, grad_output)` recebe $\partial L/\partial(\text{saída})$ — o gradiente que
#   chega de cima, com o formato da saída — e devolve $\partial L/\partial x$, com o formato de
#   `x` (um valor por entrada do `forward`). Os tensores guardados voltam em `ctx.saved_tensors`.
#
# Para uma função elemento a elemento $y_i = f(x_i)$, a regra da cadeia dá
#
# $$\frac{\partial L}{\partial x_i} = \frac{\partial L}{\partial y_i}\, f'(x_i),$$
#
# ou seja, o `backward` devolve `grad_output * f'(x)`, elemento a elemento. Esquecer o `grad_output` só funciona por acaso, quando ele é um vetor de uns.
#
# Nunca chame `forward` diretamente: use `MyFunction.apply(x)`. É o `apply` que cria o nó no
# grafo (o `grad_fn` da saída) e liga o seu `backward` a ele.
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
# Una `Function` es una clase con dos métodos estáticos:
#
# * `forward(ctx, x)` recibe los tensores de entrada y devuelve la salida. Corre **sin**
#   registrar grafo (lo que pasa adentro es invisible para autograd). Lo que el *backward* va a
#   necesitar se guarda con `ctx.save_for_backward(...)` (para tensores; otros valores pueden ir
#   en atributos, como `ctx.n = 3`).
# * `backward(ctx, grad_output)` recibe $\partial L/\partial(\text{salida})$ (el gradiente que
#   llega desde arriba, con la forma de la salida) y devuelve $\partial L/\partial x$, con la
#   forma de `x` (un valor por cada entrada del `forward`). Los tensores guardados vuelven en
#   `ctx.saved_tensors`.
#
# Para una función elemento a elemento $y_i = f(x_i)$, la regla de la cadena da
#
# $$\frac{\partial L}{\partial x_i} = \frac{\partial L}{\partial y_i}\, f'(x_i),$$
#
# es decir, el `backward` devuelve `grad_output * f'(x)`, elemento a elemento. Olvidarse de `grad_output` solo funciona de casualidad, cuando es un vector de unos.
#
# Nunca llames a `forward` directamente: usa `MyFunction.apply(x)`. Es `apply` el que crea el
# nodo en el grafo (el `grad_fn` de la salida) y le conecta tu `backward`.
#
# Una primera versión, `SincNaive`, usa la fórmula exacta y trata solo el punto `x == 0`:

# %%
class SincNaive(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        zero = x == 0
        safe = torch.where(zero, torch.ones_like(x), x)
        return torch.where(zero, torch.ones_like(x), torch.sin(safe) / safe)

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

weights = torch.tensor([1.0, 2.0, 3.0], device=device)
L = (weights * y).sum()
L.backward()
print("x.grad                     =", x.grad)
slope = [0.0 if v == 0 else (math.cos(v) - math.sin(v) / v) / v for v in (-1.0, 0.0, 1.0)]
print("weights * (cos x - sinc)/x =", weights * torch.tensor(slope, device=device))

# %% [markdown] lang="pt"
# Com $L = \sum_i w_i\,\operatorname{sinc}(x_i)$, o `grad_output` que chega ao nó é o vetor
# $w = [1, 2, 3]$, e o resultado é $w_i\operatorname{sinc}'(x_i)$: $[0{,}3012,\ 0,\ -0{,}9035]$,
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
# vector $w = [1, 2, 3]$, y el resultado es $w_i\operatorname{sinc}'(x_i)$:
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
ax.set_ylabel("|grad - exact| / |exact|")
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
# Um limiar fixo também funciona se ficar entre as duas: com $0{,}05$ o erro máximo fica em
# torno de $2\cdot10^{-8}$ em `float64` e $6\cdot10^{-5}$ em `float32`.
#
# ### Os menores números de ponto flutuante
#
# "Perto de 0" vai muito além de $10^{-8}$. O menor `float64` **normal** é
# `torch.finfo(torch.float64).tiny` $\approx 2{,}2\cdot10^{-308}$, e abaixo dele ainda existem
# os **subnormais**, até `torch.nextafter(0, 1)` $\approx 4{,}9\cdot10^{-324}$ (em `float32`:
# $1{,}2\cdot10^{-38}$ e $1{,}4\cdot10^{-45}$). Neles, contas inocentes quebram: `x * x` dá 0 e
# `1 / x` dá `inf`.

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
# $2\cdot10^{-8}$ en `float64` y $6\cdot10^{-5}$ en `float32`.
#
# ### Los números de punto flotante más pequeños
#
# "Cerca de 0" va mucho más allá de $10^{-8}$. El menor `float64` **normal** es
# `torch.finfo(torch.float64).tiny` $\approx 2.2\cdot10^{-308}$, y por debajo todavía existen los
# **subnormales**, hasta `torch.nextafter(0, 1)` $\approx 4.9\cdot10^{-324}$ (en `float32`:
# $1.2\cdot10^{-38}$ y $1.4\cdot10^{-45}$). Ahí, cuentas inocentes fallan: `x * x` da 0 y
# `1 / x` da `inf`.

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
# ## 7. Exercício avaliado — `class Sinc` (10 pontos)
#
# Escreva `Sinc(torch.autograd.Function)`, com `forward(ctx, x)` e `backward(ctx, grad_output)`
# estáticos, para a sinc **não normalizada** $\sin(x)/x$ com $\operatorname{sinc}(0) = 1$. Ela
# será usada como `Sinc.apply(x)`. Exigências:
#
# * a saída tem o formato (incluindo tensores 0-d), o dtype e o device de `x`;
# * nada de `NaN` ou `inf` em lugar nenhum — nem em `x = 0`, nem nos menores floats
#   (`torch.finfo(x.dtype).tiny`, `torch.nextafter(0, 1)`), nem em valores grandes;
# * o `backward` é preciso perto de 0 (derivada $\to -x/3$), em `float32` **e** em `float64`, e
#   multiplica por `grad_output`;
# * não modifique `x`.
#
# Dicas: para $|x|$ abaixo de um limiar (seção 4), use as séries $1 - x^2/6 + x^4/120$ e
# $-x/3 + x^3/30$; acima dele, as fórmulas exatas com um **x seguro**; junte os ramos com
# `torch.where`. `torch.finfo(x.dtype).eps` dá o $\varepsilon$ do dtype.
#
# Os testes ocultos comparam com o `torch.autograd` de `sin(x)/x` longe de 0 e com a série perto
# de 0, em `float32` e `float64`, com `grad_output` aleatório, tensores 0-d e 2-D, os pontos
# especiais e `torch.autograd.gradcheck`. A nota é dividida em seis células de teste.

# %% [markdown] lang="es"
# ## 7. Ejercicio calificado — `class Sinc` (10 puntos)
#
# Escribe `Sinc(torch.autograd.Function)`, con `forward(ctx, x)` y `backward(ctx, grad_output)`
# estáticos, para la sinc **no normalizada** $\sin(x)/x$ con $\operatorname{sinc}(0) = 1$. Se
# usará como `Sinc.apply(x)`. Requisitos:
#
# * la salida tiene la forma (incluidos los tensores 0-d), el dtype y el device de `x`;
# * nada de `NaN` ni `inf` en ningún lado: ni en `x = 0`, ni en los floats más pequeños
#   (`torch.finfo(x.dtype).tiny`, `torch.nextafter(0, 1)`), ni en valores grandes;
# * el `backward` es preciso cerca de 0 (derivada $\to -x/3$), en `float32` **y** en `float64`,
#   y multiplica por `grad_output`;
# * no modifiques `x`.
#
# Pistas: para $|x|$ por debajo de un umbral (sección 4), usa las series $1 - x^2/6 + x^4/120$
# y $-x/3 + x^3/30$; por encima, las fórmulas exactas con un **x seguro**; une las ramas con
# `torch.where`. `torch.finfo(x.dtype).eps` da el $\varepsilon$ del dtype.
#
# Las pruebas ocultas comparan con el `torch.autograd` de `sin(x)/x` lejos de 0 y con la serie
# cerca de 0, en `float32` y `float64`, con `grad_output` aleatorio, tensores 0-d y 2-D, los
# puntos especiales y `torch.autograd.gradcheck`. La nota se reparte en seis celdas de prueba.

# %% nbgrader={"grade_id": "Sinc", "solution": true}
class Sinc(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ### BEGIN SOLUTION
        ctx.save_for_backward(x)
        small = x.abs() < (840 * torch.finfo(x.dtype).eps) ** (1 / 6)
        safe = torch.where(small, torch.ones_like(x), x)
        x2 = x * x
        series = 1 - x2 / 6 + x2 * x2 / 120
        return torch.where(small, series, torch.sin(safe) / safe)
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
x_chk = torch.tensor([math.pi / 2, math.pi, -2.0], device=device)
check("Sinc.apply(x)", Sinc.apply(x_chk), [2 / math.pi, 0.0, math.sin(2.0) / 2])
### BEGIN HIDDEN TESTS
from course.lessons import load_checks
hidden_checks = load_checks("04_custom_function")
hidden_checks.check_sinc_forward(Sinc, LANG)
### END HIDDEN TESTS

# %% nbgrader={"grade_id": "test_sinc_contract", "grade": true, "points": 1}
s_chk = Sinc.apply(torch.tensor(0.5, dtype=torch.float64, device=device))
check("Sinc.apply(0-d).shape", list(s_chk.shape), [])
check("Sinc.apply(0-d).dtype", str(s_chk.dtype), "torch.float64")
check("Sinc.apply(0-d).device", s_chk.device.type, torch.device(device).type)
check("Sinc.apply(0.5)", s_chk, math.sin(0.5) / 0.5)
check("Sinc.apply(ones(2, 3)).shape", list(Sinc.apply(torch.ones(2, 3, device=device)).shape),
      [2, 3])
### BEGIN HIDDEN TESTS
from course.lessons import load_checks
hidden_checks = load_checks("04_custom_function")
hidden_checks.check_sinc_contract(Sinc, LANG)
### END HIDDEN TESTS

# %% nbgrader={"grade_id": "test_sinc_special", "grade": true, "points": 2}
zero_chk = torch.tensor(0.0, dtype=torch.float64, device=device)
x_chk = torch.stack([zero_chk, torch.nextafter(zero_chk, torch.ones_like(zero_chk)),
                     torch.tensor(torch.finfo(torch.float64).tiny, dtype=torch.float64,
                                  device=device)]).requires_grad_(True)
y_chk = Sinc.apply(x_chk)
check("Sinc(0), Sinc(subnormal), Sinc(tiny)", y_chk, [1.0, 1.0, 1.0])
(g_chk,) = torch.autograd.grad(y_chk.sum(), x_chk)
check("d/dx Sinc(0, subnormal, tiny)", g_chk, [0.0, 0.0, 0.0])
### BEGIN HIDDEN TESTS
from course.lessons import load_checks
hidden_checks = load_checks("04_custom_function")
hidden_checks.check_sinc_special(Sinc, LANG)
### END HIDDEN TESTS

# %% nbgrader={"grade_id": "test_sinc_backward", "grade": true, "points": 2}
x_chk = torch.tensor([1.0, 2.0, -3.0], dtype=torch.float64, device=device, requires_grad=True)
(g_chk,) = torch.autograd.grad(Sinc.apply(x_chk).sum(), x_chk)
check("d/dx Sinc(1, 2, -3)", g_chk,
      [(math.cos(v) - math.sin(v) / v) / v for v in (1.0, 2.0, -3.0)], tol=1e-9)
torch.manual_seed(1)
x_chk = torch.randn(5, dtype=torch.float64, device=device, requires_grad=True)
check("gradcheck", torch.autograd.gradcheck(Sinc.apply, (x_chk,), raise_exception=False), True)
### BEGIN HIDDEN TESTS
from course.lessons import load_checks
hidden_checks = load_checks("04_custom_function")
hidden_checks.check_sinc_backward(Sinc, LANG)
### END HIDDEN TESTS

# %% nbgrader={"grade_id": "test_sinc_grad_output", "grade": true, "points": 1}
x_chk = torch.tensor([1.0, -2.0], dtype=torch.float64, device=device, requires_grad=True)
w_chk = torch.tensor([10.0, -0.5], dtype=torch.float64, device=device)
(g_chk,) = torch.autograd.grad(Sinc.apply(x_chk), x_chk, grad_outputs=w_chk)
check("grad_output * d/dx Sinc", g_chk,
      [w * (math.cos(v) - math.sin(v) / v) / v for w, v in ((10.0, 1.0), (-0.5, -2.0))],
      tol=1e-9)
### BEGIN HIDDEN TESTS
from course.lessons import load_checks
hidden_checks = load_checks("04_custom_function")
hidden_checks.check_sinc_grad_output(Sinc, LANG)
### END HIDDEN TESTS

# %% nbgrader={"grade_id": "test_sinc_near_zero", "grade": true, "points": 3}
x_chk = torch.tensor([1e-8, -1e-4, 1e-2], dtype=torch.float64, device=device,
                     requires_grad=True)
(g_chk,) = torch.autograd.grad(Sinc.apply(x_chk).sum(), x_chk)
check("d/dx Sinc(1e-8, -1e-4, 1e-2), float64", g_chk, [-v / 3 + v ** 3 / 30 for v in (1e-8, -1e-4, 1e-2)],
      tol=1e-12)
x_chk = torch.tensor([1e-3, -0.05], dtype=torch.float32, device=device, requires_grad=True)
(g_chk,) = torch.autograd.grad(Sinc.apply(x_chk).sum(), x_chk)
check("d/dx Sinc(1e-3, -0.05), float32", g_chk, [-v / 3 + v ** 3 / 30 for v in (1e-3, -0.05)],
      tol=1e-5)
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
# direita, o erro relativo da sua derivada ao lado do da `SincNaive`.

# %% [markdown] lang="es"
# ### Mira el resultado
#
# La sinc y su derivada en $[-4, 4]$, con 1001 puntos. Ojo: `torch.linspace(-4, 4, 1001)` **no**
# pasa por 0: en `float32` el punto del medio sale $\approx -1.9\cdot10^{-7}$, por redondeo.
# Para incluir el 0 exacto, usamos enteros divididos por 125 (paso 0.008). A la derecha, el
# error relativo de tu derivada junto al de `SincNaive`.

# %%
print("torch.linspace(-4, 4, 1001)[500] =", torch.linspace(-4, 4, 1001)[500].item())
x = (torch.arange(-500, 501, device=device) / 125).requires_grad_(True)
y = Sinc.apply(x)
y.backward(torch.ones_like(y))
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
    right.loglog(magnitudes.cpu(), relative_error_of_derivative(fn.apply, dtype, magnitudes), ".",
                 ms=3, color=color, label=f"{name}, {dtype}")
right.set_ylim(1e-17, 10)
right.set_xlabel("|x|")
right.set_ylabel("|grad - exact| / |exact|")
right.legend(fontsize=8)
plt.show()

# %% [markdown] lang="pt"
# No meio do gráfico, $x = 0$: sinc vale 1 e a derivada vale 0 (os dois pontos pretos). À
# direita, as curvas da sua `Sinc` devem ficar muito abaixo das da `SincNaive` perto de 0.
#
# ## 8. Perguntas
#
# ### Múltipla escolha (1 ponto cada)
#
# Responda atribuindo a letra da alternativa à variável indicada, por exemplo
# `answer_hook_value = "a"`. Se tiver dúvida, experimente numa célula nova.
#
# **8a.** No exemplo dos hooks (seção 1), com `x = 3` em vez de 2, que valor imprime o hook
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
# ## 8. Preguntas
#
# ### Opción múltiple (1 punto cada una)
#
# Responde asignando la letra de la opción a la variable indicada, por ejemplo
# `answer_hook_value = "a"`. Si tienes dudas, pruébalo en una celda nueva.
#
# **8a.** En el ejemplo de los hooks (sección 1), con `x = 3` en lugar de 2, ¿qué valor imprime
# el hook registrado en `a`?
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
assert answer_hook_value in ("a", "b", "c", "d")
### BEGIN HIDDEN TESTS
from course.lessons import load_checks
hidden_checks = load_checks("04_custom_function")
hidden_checks.check_hook_value(answer_hook_value, LANG)
### END HIDDEN TESTS

# %% [markdown] lang="pt"
# **8b.** Com `x = torch.tensor([0.0, 2.0], requires_grad=True)`, calcula-se
# `y = torch.where(x == 0, torch.ones_like(x), torch.sin(x) / x)` e `y.sum().backward()`.
# Quanto vale `x.grad[0]`?
#
# * (a) 0, porque em `x = 0` o `where` escolhe o ramo constante.
# * (b) 1, porque sinc(0) = 1.
# * (c) `nan`, porque o zero que o `where` manda para o ramo `sin(x)/x` é dividido por
#   $x = 0$ no *backward* da divisão, e $0/0$ é `NaN`.
# * (d) Dá `RuntimeError`, porque não se pode derivar `torch.where`.

# %% [markdown] lang="es"
# **8b.** Con `x = torch.tensor([0.0, 2.0], requires_grad=True)`, se calcula
# `y = torch.where(x == 0, torch.ones_like(x), torch.sin(x) / x)` y `y.sum().backward()`.
# ¿Cuánto vale `x.grad[0]`?
#
# * (a) 0, porque en `x = 0` `where` elige la rama constante.
# * (b) 1, porque sinc(0) = 1.
# * (c) `nan`, porque el cero que `where` manda a la rama `sin(x)/x` se divide por $x = 0$ en
#   el *backward* de la división, y $0/0$ es `NaN`.
# * (d) Da `RuntimeError`, porque no se puede derivar `torch.where`.

# %% nbgrader={"grade_id": "answer_where_nan", "solution": true}
### BEGIN SOLUTION
answer_where_nan = "c"
### END SOLUTION

# %% nbgrader={"grade_id": "test_where_nan", "grade": true, "points": 1}
assert answer_where_nan in ("a", "b", "c", "d")
### BEGIN HIDDEN TESTS
from course.lessons import load_checks
hidden_checks = load_checks("04_custom_function")
hidden_checks.check_where_nan(answer_where_nan, LANG)
### END HIDDEN TESTS

# %% [markdown] lang="pt"
# **8c.** O `backward` da `ColleagueSinc`, escrita por uma colega, devolve 1 em `x = 0` e está
# certo em todos os outros pontos. O que devolve o código abaixo?
#
# ```python
# x = torch.randn(10, dtype=torch.float64, requires_grad=True)
# gradcheck(ColleagueSinc.apply, (x,), raise_exception=False)
# ```
#
# * (a) `False`, porque as diferenças finitas detectam o erro.
# * (b) `False`, porque o `gradcheck` sempre inclui o ponto 0.
# * (c) Um erro, porque o `gradcheck` exige `float32`.
# * (d) `True`: um vetor aleatório praticamente nunca contém o 0 exato, então o valor errado
#   nunca é avaliado.

# %% [markdown] lang="es"
# **8c.** El `backward` de `ColleagueSinc`, escrita por una compañera, devuelve 1 en `x = 0` y
# está bien en todos los demás puntos. ¿Qué devuelve el código de abajo?
#
# ```python
# x = torch.randn(10, dtype=torch.float64, requires_grad=True)
# gradcheck(ColleagueSinc.apply, (x,), raise_exception=False)
# ```
#
# * (a) `False`, porque las diferencias finitas detectan el error.
# * (b) `False`, porque `gradcheck` siempre incluye el punto 0.
# * (c) Un error, porque `gradcheck` exige `float32`.
# * (d) `True`: un vector aleatorio prácticamente nunca contiene el 0 exacto, así que el valor
#   incorrecto nunca se evalúa.

# %% nbgrader={"grade_id": "answer_gradcheck_zero", "solution": true}
### BEGIN SOLUTION
answer_gradcheck_zero = "d"
### END SOLUTION

# %% nbgrader={"grade_id": "test_gradcheck_zero", "grade": true, "points": 1}
assert answer_gradcheck_zero in ("a", "b", "c", "d")
### BEGIN HIDDEN TESTS
from course.lessons import load_checks
hidden_checks = load_checks("04_custom_function")
hidden_checks.check_gradcheck_zero(answer_gradcheck_zero, LANG)
### END HIDDEN TESTS

# %% [markdown] lang="pt"
# ### Resposta escrita (2 pontos, corrigida pelo professor)
#
# Em poucas linhas: por que $(\cos x - \sin(x)/x)/x$ dá 0 em `x = 1e-8` (em `float64`), em vez
# de $\approx -3{,}3\cdot10^{-9}$? Por que a série $-x/3 + x^3/30$ não sofre desse problema, e o
# que limita o uso dela para $|x|$ maiores?

# %% [markdown] lang="es"
# ### Respuesta escrita (2 puntos, la corrige el docente)
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
# ## Fim
#
# Você escreveu um nó do grafo à mão: um `forward` que guarda o necessário em `ctx`, um
# `backward` que multiplica o `grad_output` pela derivada local, e cuidou dos pontos em que a
# fórmula bonita não serve para o computador. Na próxima aula usamos o autograd para o que ele
# faz de melhor: ajustar um modelo — uma regressão linear, primeiro à mão e depois com
# `Dataset`, `Module` e `DataLoader`.

# %% [markdown] lang="es"
# ## Fin
#
# Escribiste a mano un nodo del grafo: un `forward` que guarda lo necesario en `ctx`, un
# `backward` que multiplica `grad_output` por la derivada local, y te ocupaste de los puntos
# donde la fórmula linda no le sirve a la computadora. En la próxima clase usamos autograd para
# lo que mejor hace: ajustar un modelo, una regresión lineal, primero a mano y después con
# `Dataset`, `Module` y `DataLoader`.
