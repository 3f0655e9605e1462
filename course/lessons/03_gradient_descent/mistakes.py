"""Lesson 03: the mistakes its hidden tests recognise, per exercise (pt/es messages)."""
from course.checks.generic import GENERIC
from course.checks.mistakes import Message, Mistakes

# gd_finite_diff and gd_autograd share the contract (w, history) and the classic mistakes of the
# descent; each exercise names them with its own ids.  `name` is the call the test made, e.g.
# "gd_autograd" or "gd_autograd(x, y, w0)".
NOT_A_TUPLE = Message(
    "`{name}` deve devolver a tupla (w, history); devolveu {type}.",
    "`{name}` debe devolver la tupla (w, history); devolvió {type}.")
HISTORY_NOT_A_LIST = Message(
    "{name}: history deve ser uma lista (list) de floats; veio {type}.",
    "{name}: history debe ser una lista (list) de floats; llegó {type}.")
WRONG_HISTORY_LENGTH = Message(
    "{name}: history deve ter n_iter = {n_iter} valores (um por passo); veio com {got}.",
    "{name}: history debe tener n_iter = {n_iter} valores (uno por paso); llegó con {got}.")
HISTORY_NOT_FLOAT = Message(
    "{name}: os elementos de history devem ser floats do Python; veio {type}. Use J.item().",
    "{name}: los elementos de history deben ser floats de Python; llegó {type}. Usa J.item().")
SIGN_FLIPPED = Message(
    "{name}: sinal trocado: o passo deve ir CONTRA o gradiente, w ← w − lr·dJ/dw; com o sinal + "
    "a descida vira subida e w diverge.",
    "{name}: signo invertido: el paso debe ir EN CONTRA del gradiente, w ← w − lr·dJ/dw; con el "
    "signo + el descenso se vuelve ascenso y w diverge.")
MEAN_INSTEAD_OF_SUM = Message(
    "{name}: você usou a média (.mean()) no lugar da soma: J é a SOMA dos erros ao quadrado (na "
    "aula a média leva a w ≈ 1.765761).",
    "{name}: usaste la media (.mean()) en lugar de la suma: J es la SUMA de los errores al "
    "cuadrado (en la clase la media da w ≈ 1.765761).")
HISTORY_AFTER_UPDATE = Message(
    "{name}: history guardou J DEPOIS de cada atualização; o que se pede é o valor de J ANTES de "
    "cada passo (history[0] é J(w0)).",
    "{name}: history guardó J DESPUÉS de cada actualización; se pide el valor de J ANTES de cada "
    "paso (history[0] es J(w0)).")
# `dtype_hint` is "" or a space and the hint "w_dtype" below.
WRONG_HISTORY = Message(
    "{name}: history[{i}] errado: esperado {expected:.6g}, obtido {got:.6g} (lr={lr:.4g}, "
    "n_iter={n_iter}). Use o lr e o n_iter recebidos, parta de uma cópia de w0 e guarde J antes "
    "de cada passo.{dtype_hint}",
    "{name}: history[{i}] incorrecto: se esperaba {expected:.6g} y se obtuvo {got:.6g} "
    "(lr={lr:.4g}, n_iter={n_iter}). Usa el lr y el n_iter recibidos, parte de una copia de w0 "
    "y guarda J antes de cada paso.{dtype_hint}")
WRONG_FINAL_W = Message(
    "{name}: w final errado: esperado {expected}, obtido {got} (lr={lr:.4g}, "
    "n_iter={n_iter}).{dtype_hint}",
    "{name}: w final incorrecto: se esperaba {expected} y se obtuvo {got} (lr={lr:.4g}, "
    "n_iter={n_iter}).{dtype_hint}")


# expected_initial_ce: the value a known mistake gives, with its likely cause.
def _initial_ce(cause_pt: str, cause_es: str) -> Message:
    return Message(
        "expected_initial_ce({K}): esperado {expected:.6g}, obtido {got:.6g}. Provável causa: "
        + cause_pt,
        "expected_initial_ce({K}): se esperaba {expected:.6g} y se obtuvo {got:.6g}. Causa "
        "probable: " + cause_es)


MISTAKES = Mistakes({
    "gd_finite_diff": {
        "fd_uses_notebook_device": Message(
            "`gd_finite_diff` usou a variável `device` do notebook. Ela só coincide com o "
            "dispositivo de x, y e w0 por acaso: a correção chama gd_finite_diff com os tensores "
            "na CPU e, quando há GPU, na GPU. Parta de uma cópia de w0 (`w0.detach().clone()`) "
            "e crie qualquer tensor novo com `device=w0.device`; não mova as entradas com "
            "`.to(device)`.",
            "`gd_finite_diff` usó la variable `device` del notebook. Solo coincide con el "
            "dispositivo de x, y y w0 por casualidad: la corrección llama a gd_finite_diff con "
            "los tensores en la CPU y, cuando hay GPU, en la GPU. Parte de una copia de w0 "
            "(`w0.detach().clone()`) y crea cualquier tensor nuevo con `device=w0.device`; no "
            "muevas las entradas con `.to(device)`."),
        "fd_dj_diff_value_unused": Message(
            "`gd_finite_diff` chama `dJ_diff`, mas não usa o valor que ele devolve: o teste "
            "trocou `dJ_diff` por uma versão que devolve {scale} vezes a diferença central, e "
            "o seu `w` seguiu o gradiente exato mesmo assim. Cada passo deve ser "
            "`w - lr * dJ_diff(w, x, y)`, com o gradiente calculado por `dJ_diff`.",
            "`gd_finite_diff` llama a `dJ_diff`, pero no usa el valor que devuelve: la prueba "
            "cambió `dJ_diff` por una versión que devuelve {scale} veces la diferencia central, "
            "y tu `w` siguió el gradiente exacto de todos modos. Cada paso debe ser "
            "`w - lr * dJ_diff(w, x, y)`, con el gradiente calculado por `dJ_diff`."),
        "fd_dj_diff_not_called": Message(
            "`gd_finite_diff` fez {calls} chamada(s) a `dJ_diff` em {n_iter} iterações: o "
            "exercício pede o gradiente por diferenças finitas, com `dJ_diff` a cada passo. "
            "Neste J quadrático a derivada escrita à mão dá os mesmos números, mas não é o que "
            "se pede aqui.",
            "`gd_finite_diff` hizo {calls} llamada(s) a `dJ_diff` en {n_iter} iteraciones: el "
            "ejercicio pide el gradiente por diferencias finitas, con `dJ_diff` en cada paso. "
            "En este J cuadrático la derivada escrita a mano da los mismos números, pero no es "
            "lo que se pide aquí."),
        "fd_not_a_tuple": NOT_A_TUPLE,
        "fd_history_not_a_list": HISTORY_NOT_A_LIST,
        "fd_wrong_history_length": WRONG_HISTORY_LENGTH,
        "fd_history_not_float": HISTORY_NOT_FLOAT,
        "fd_sign_flipped": SIGN_FLIPPED,
        "fd_mean_instead_of_sum": MEAN_INSTEAD_OF_SUM,
        "fd_history_after_update": HISTORY_AFTER_UPDATE,
        "fd_wrong_history": WRONG_HISTORY,
        "fd_wrong_final_w": WRONG_FINAL_W,
    },
    "gd_autograd": {
        "autograd_uses_notebook_device": Message(
            "`gd_autograd` usou a variável `device` do notebook. Ela só coincide com o "
            "dispositivo de x, y e w0 por acaso: a correção chama gd_autograd com os tensores na "
            "CPU e, quando há GPU, na GPU. Parta de uma cópia de w0 "
            "(`w0.detach().clone().requires_grad_(True)`) e crie qualquer tensor novo com "
            "`device=w0.device`; não mova as entradas com `.to(device)`.",
            "`gd_autograd` usó la variable `device` del notebook. Solo coincide con el "
            "dispositivo de x, y y w0 por casualidad: la corrección llama a gd_autograd con los "
            "tensores en la CPU y, cuando hay GPU, en la GPU. Parte de una copia de w0 "
            "(`w0.detach().clone().requires_grad_(True)`) y crea cualquier tensor nuevo con "
            "`device=w0.device`; no muevas las entradas con `.to(device)`."),
        "autograd_not_a_tuple": NOT_A_TUPLE,
        "autograd_history_not_a_list": HISTORY_NOT_A_LIST,
        "autograd_wrong_history_length": WRONG_HISTORY_LENGTH,
        "autograd_history_not_float": HISTORY_NOT_FLOAT,
        "grad_not_reset": Message(
            "{name}: o gradiente não foi zerado a cada passo: backward() soma o gradiente novo ao "
            "antigo (na aula isso leva a w ≈ 2.017915 em vez de 1.998598). Zere w.grad "
            "(w.grad = None ou w.grad.zero_()) depois de cada atualização.",
            "{name}: el gradiente no se puso en cero en cada paso: backward() suma el gradiente "
            "nuevo al anterior (en la clase eso da w ≈ 2.017915 en lugar de 1.998598). Pon "
            "w.grad en cero (w.grad = None o w.grad.zero_()) después de cada actualización."),
        "autograd_sign_flipped": SIGN_FLIPPED,
        "autograd_mean_instead_of_sum": MEAN_INSTEAD_OF_SUM,
        "autograd_history_after_update": HISTORY_AFTER_UPDATE,
        "autograd_wrong_history": WRONG_HISTORY,
        "autograd_wrong_final_w": WRONG_FINAL_W,
        "autograd_gradient_unused": Message(
            "`gd_autograd` chama `backward()`, mas o passo não usa o gradiente que ele "
            "calcula: o teste fez o autograd devolver {scale} vezes o gradiente verdadeiro, e o "
            "seu `w` seguiu o gradiente exato mesmo assim (uma derivada escrita à mão?). Cada "
            "passo deve ser `w -= lr * w.grad`, com o `w.grad` que o `backward()` preencheu.",
            "`gd_autograd` llama a `backward()`, pero el paso no usa el gradiente que este "
            "calcula: la prueba hizo que autograd devolviera {scale} veces el gradiente "
            "verdadero, y tu `w` siguió el gradiente exacto de todos modos (¿una derivada "
            "escrita a mano?). Cada paso debe ser `w -= lr * w.grad`, con el `w.grad` que "
            "`backward()` llenó."),
        # `error` is the failure of the call ("raised") whose cause this names.
        "w_not_a_leaf": Message(
            "{error}\nProvável causa: w.grad é None porque w deixou de ser uma folha "
            "(w = w - lr*w.grad cria um tensor novo, resultado de uma operação) ou porque a "
            "cópia de w0 continua presa ao grafo de w0. Parta de "
            "w0.detach().clone().requires_grad_(True) e atualize in-place dentro de "
            "torch.no_grad(): w -= lr * w.grad.",
            "{error}\nCausa probable: w.grad es None porque w dejó de ser una hoja "
            "(w = w - lr*w.grad crea un tensor nuevo, resultado de una operación) o porque la "
            "copia de w0 sigue atada al grafo de w0. Parte de "
            "w0.detach().clone().requires_grad_(True) y actualiza in-place dentro de "
            "torch.no_grad(): w -= lr * w.grad."),
        "zero_grad_before_first_backward": Message(
            "{error}\nProvável causa: w.grad é None até o primeiro backward(), então um "
            "w.grad.zero_() no começo do laço falha logo na primeira volta (hábito que vem do "
            "optimizer.zero_grad(), que simplesmente pula os .grad ainda vazios). Zere o "
            "gradiente depois da atualização, ou proteja a linha com `if w.grad is not None:`.",
            "{error}\nCausa probable: w.grad es None hasta el primer backward(), así que un "
            "w.grad.zero_() al comienzo del ciclo falla en la primera vuelta (costumbre que viene "
            "de optimizer.zero_grad(), que simplemente salta los .grad todavía vacíos). Pon el "
            "gradiente en cero después de la actualización, o protege la línea con "
            "`if w.grad is not None:`."),
        "w_without_requires_grad": Message(
            "{error}\nProvável causa: J não tem grafo porque w não pede gradiente: w0 chega sem "
            "requires_grad, e w0.clone() continua sem. Comece com "
            "w = w0.detach().clone().requires_grad_(True), e calcule J fora do torch.no_grad() "
            "(só a atualização de w vai dentro dele).",
            "{error}\nCausa probable: J no tiene grafo porque w no pide gradiente: w0 llega sin "
            "requires_grad, y w0.clone() sigue sin él. Empieza con "
            "w = w0.detach().clone().requires_grad_(True), y calcula J fuera de torch.no_grad() "
            "(solo la actualización de w va dentro)."),
        "update_outside_no_grad": Message(
            "{error}\nProvável causa: a atualização `w -= lr * w.grad` foi feita fora de "
            "`torch.no_grad()`. w é uma folha que pede gradiente, e o PyTorch não deixa mudá-la "
            "in-place enquanto grava o grafo. Ponha só a atualização dentro do bloco: "
            "`with torch.no_grad(): w -= lr * w.grad`.",
            "{error}\nCausa probable: la actualización `w -= lr * w.grad` se hizo fuera de "
            "`torch.no_grad()`. w es una hoja que pide gradiente, y PyTorch no deja modificarla "
            "in-place mientras registra el grafo. Pon solo la actualización dentro del bloque: "
            "`with torch.no_grad(): w -= lr * w.grad`."),
        "copy_not_detached": Message(
            "{error}\n(w0 chegou com requires_grad=True e um .grad antigo: parta de uma cópia "
            "desligada do grafo, w0.detach().clone().requires_grad_(True).)",
            "{error}\n(w0 llegó con requires_grad=True y un .grad viejo: parte de una copia "
            "desconectada del grafo, w0.detach().clone().requires_grad_(True).)"),
    },
    "train_step": {
        "train_step_uses_notebook_device": Message(
            "`train_step` usou a variável `device` do notebook. Ela só coincide com o "
            "dispositivo do modelo e dos dados por acaso: a correção chama train_step com o "
            "modelo, x e y na CPU e, quando há GPU, na GPU. Quem chama já deixou tudo no mesmo "
            "dispositivo: use x e y como chegam, sem `.to(device)` (nem no modelo).",
            "`train_step` usó la variable `device` del notebook. Solo coincide con el "
            "dispositivo del modelo y de los datos por casualidad: la corrección llama a "
            "train_step con el modelo, x e y en la CPU y, cuando hay GPU, en la GPU. Quien llama "
            "ya dejó todo en el mismo dispositivo: usa x e y tal como llegan, sin `.to(device)` "
            "(tampoco en el modelo)."),
        "loss_arguments_swapped": Message(
            "`train_step` chamou `loss_fn(y, model(x))`: a ordem é `loss_fn(previsão, alvo)`, "
            "ou seja, `loss_fn(model(x), y)`. Com a MSE tanto faz (ela é simétrica), mas a "
            "entropia cruzada espera primeiro as saídas do modelo (logits) e depois os rótulos "
            "inteiros, e com a ordem trocada ela nem roda.",
            "`train_step` llamó a `loss_fn(y, model(x))`: el orden es `loss_fn(predicción, "
            "objetivo)`, es decir, `loss_fn(model(x), y)`. Con la MSE da igual (es simétrica), "
            "pero la entropía cruzada espera primero las salidas del modelo (logits) y después "
            "las etiquetas enteras, y con el orden invertido ni siquiera funciona."),
        "optimizer_state_lost": Message(
            "Um passo sozinho está certo, mas {steps} passos seguidos com o mesmo otimizador "
            "(SGD com momentum) não dão o que `optimizer.step()` daria: o estado do otimizador "
            "(o momentum) se perdeu. Use o `optimizer` recebido e chame `optimizer.step()`, "
            "sem criar outro otimizador nem escrever a atualização à mão.",
            "Un paso aislado está bien, pero {steps} pasos seguidos con el mismo optimizador (SGD "
            "con momentum) no dan lo que daría `optimizer.step()`: se perdió el estado del "
            "optimizador (el momentum). Usa el `optimizer` recibido y llama a "
            "`optimizer.step()`, sin crear otro optimizador ni escribir la actualización a "
            "mano."),
        "optimizer_not_used": Message(
            "`train_step`: os pesos andaram como p − lr·grad, um SGD simples, e não como um "
            "passo do `optimizer` recebido, que aqui tem {extras}. Não crie outro otimizador "
            "nem escreva a atualização à mão: chame `optimizer.step()` no `optimizer` recebido, "
            "que já conhece as próprias regras e hiperparâmetros.",
            "`train_step`: los pesos se movieron como p − lr·grad, un SGD simple, y no como un "
            "paso del `optimizer` recibido, que aquí tiene {extras}. No crees otro optimizador "
            "ni escribas la actualización a mano: llama a `optimizer.step()` en el `optimizer` "
            "recibido, que ya conoce sus propias reglas e hiperparámetros."),
        "weights_not_updated": Message(
            "`train_step` não mudou os pesos. Faltou optimizer.step(), ou o zero_grad() foi "
            "chamado entre backward() e step() (apagando o gradiente antes de usá-lo).",
            "`train_step` no cambió los pesos. Falta optimizer.step(), o se llamó a zero_grad() "
            "entre backward() y step() (borrando el gradiente antes de usarlo)."),
        "stale_gradients_used": Message(
            "`train_step` usou gradientes que já estavam nos parâmetros (de um lote anterior) "
            "somados aos deste lote: o backward() acumula. Chame optimizer.zero_grad() no "
            "INÍCIO do passo, antes do backward().",
            "`train_step` usó gradientes que ya estaban en los parámetros (de un lote anterior) "
            "sumados a los de este lote: backward() acumula. Llama a optimizer.zero_grad() al "
            "INICIO del paso, antes de backward()."),
        "wrong_step_weights": Message(
            "`train_step`: os pesos depois do passo não coincidem com um passo de referência do "
            "otimizador (maior diferença {diff:.3g}). Um passo é: zero_grad(), forward, "
            "loss_fn(model(x), y), backward(), step() — uma vez só.",
            "`train_step`: los pesos después del paso no coinciden con un paso de referencia del "
            "optimizador (mayor diferencia {diff:.3g}). Un paso es: zero_grad(), forward, "
            "loss_fn(model(x), y), backward(), step(), una sola vez."),
        "returns_loss_tensor": Message(
            "`train_step` devolveu um tensor; devolva a perda como float do Python "
            "(loss.item()).",
            "`train_step` devolvió un tensor; devuelve la pérdida como float de Python "
            "(loss.item())."),
        "loss_not_float": Message(
            "`train_step` deve devolver um float (loss.item()); devolveu {type}.",
            "`train_step` debe devolver un float (loss.item()); devolvió {type}."),
        "loss_after_step": Message(
            "`train_step` devolveu a perda DEPOIS da atualização; o que se pede é a perda "
            "calculada no forward deste passo, antes do step().",
            "`train_step` devolvió la pérdida DESPUÉS de la actualización; se pide la pérdida "
            "del forward de este paso, antes de step()."),
        "wrong_step_loss": Message(
            "`train_step`: perda esperada {expected:.6g}, obtida {got:.6g}. Devolva "
            "loss_fn(model(x), y) deste lote, antes do step().",
            "`train_step`: se esperaba la pérdida {expected:.6g} y se obtuvo {got:.6g}. Devuelve "
            "loss_fn(model(x), y) de este lote, antes de step()."),
    },
    "expected_initial_ce": {
        "ce_returns_tensor": Message(
            "`expected_initial_ce` devolveu um tensor; devolva um float do Python (por exemplo "
            "com math.log ou .item()).",
            "`expected_initial_ce` devolvió un tensor; devuelve un float de Python (por ejemplo "
            "con math.log o .item())."),
        "ce_not_float": Message(
            "`expected_initial_ce` deve devolver um float do Python (converta com float(...)); "
            "devolveu {type}.",
            "`expected_initial_ce` debe devolver un float de Python (conviértelo con "
            "float(...)); devolvió {type}."),
        "log_base_2": _initial_ce(
            "usou log na base 2; a entropia cruzada do PyTorch usa o log natural (math.log).",
            "usaste log en base 2; la entropía cruzada de PyTorch usa el log natural "
            "(math.log)."),
        "log_base_10": _initial_ce(
            "usou log na base 10; use o log natural (math.log).",
            "usaste log en base 10; usa el log natural (math.log)."),
        "probability_not_loss": _initial_ce(
            "1/K é a probabilidade de cada classe, não a perda: a perda é −log(1/K).",
            "1/K es la probabilidad de cada clase, no la pérdida: la pérdida es −log(1/K)."),
        "ce_sign_flipped": _initial_ce(
            "sinal trocado: a entropia cruzada é −log p, positiva.",
            "signo invertido: la entropía cruzada es −log p, positiva."),
        "wrong_initial_ce": Message(
            "expected_initial_ce({K}): esperado {expected:.6g}, obtido {got:.6g}. A previsão "
            "uniforme dá probabilidade 1/K à classe certa, e a perda é −log(1/K) = log K, com "
            "o K recebido (não um valor fixo da aula).",
            "expected_initial_ce({K}): se esperaba {expected:.6g} y se obtuvo {got:.6g}. La "
            "predicción uniforme da probabilidad 1/K a la clase correcta, y la pérdida es "
            "−log(1/K) = log K, con el K recibido (no un valor fijo de la clase)."),
    },
    "answer_lr_scaling": {
        "choice_a_same_optimum": Message(
            "{name} = {got}: o fato de o ótimo continuar em w = 2 não garante nada sobre o "
            "tamanho do passo. O que decide a convergência é o fator 1 − λ·J'' de cada passo; "
            "recalcule J'' = 2·Σ x_i² com os x dobrados.",
            "{name} = {got}: que el óptimo siga en w = 2 no garantiza nada sobre el tamaño del "
            "paso. Lo que decide la convergencia es el factor 1 − λ·J'' de cada paso; vuelve a "
            "calcular J'' = 2·Σ x_i² con los x duplicados."),
        "choice_b_gradient_doubles": Message(
            "{name} = {got}: o gradiente não dobra. Em dJ/dw = 2·Σ x_i·(x_i·w − y_i) o x aparece "
            "duas vezes (y também dobra); escreva J'' = 2·Σ x_i² com os novos x e veja quanto "
            "ela cresce.",
            "{name} = {got}: el gradiente no se duplica. En dJ/dw = 2·Σ x_i·(x_i·w − y_i) la x "
            "aparece dos veces (y también se duplica); escribe J'' = 2·Σ x_i² con los nuevos x y "
            "mira cuánto crece."),
        "choice_d_larger_steps": Message(
            "{name} = {got}: dados maiores deixam a parábola mais ESTREITA (J'' maior), e numa "
            "parábola estreita o mesmo λ já pula para o outro lado. Use |1 − λ·J''| < 1 com "
            "J'' = 2·Σ x_i².",
            "{name} = {got}: datos más grandes hacen la parábola más ANGOSTA (J'' mayor), y en "
            "una parábola angosta el mismo λ ya salta al otro lado. Usa |1 − λ·J''| < 1 con "
            "J'' = 2·Σ x_i²."),
    },
    "answer_zero_grad": {
        "choice_a_mean_not_scaled": Message(
            "{name} = {got}: cada MSELoss de minilote já é uma média sobre 4 amostras; somar os "
            "gradientes de 4 médias dá 4 vezes o gradiente da média sobre as 16. Com perda "
            "média, cada minilote precisa pesar 1/4.",
            "{name} = {got}: cada MSELoss de minilote ya es una media sobre 4 muestras; sumar "
            "los gradientes de 4 medias da 4 veces el gradiente de la media sobre las 16. Con "
            "pérdida media, cada minilote tiene que pesar 1/4."),
        "choice_c_zero_grad_each_micro_batch": Message(
            "{name} = {got}: zero_grad() dentro do laço apaga o que os minilotes anteriores "
            "acumularam; no fim, .grad tem só o gradiente do último minilote.",
            "{name} = {got}: zero_grad() dentro del ciclo borra lo que acumularon los minilotes "
            "anteriores; al final, .grad tiene solo el gradiente del último minilote."),
        "choice_d_step_each_micro_batch": Message(
            "{name} = {got}: um step() por minilote são 4 passos, cada um a partir de pesos "
            "diferentes: é treinar com lotes de 4, não reproduzir o gradiente do lote de 16. "
            "Acumular é dar um único step() depois de todos os backward().",
            "{name} = {got}: un step() por minilote son 4 pasos, cada uno desde pesos "
            "distintos: es entrenar con lotes de 4, no reproducir el gradiente del lote de 16. "
            "Acumular es dar un solo step() después de todos los backward()."),
    },
}, hints={
    "one_backward_per_iteration": Message(
        "uma por iteração, n_iter = {n}",
        "una por iteración, n_iter = {n}"),
    # check_gd_autograd_repeat: the whole message of an unrecognised wrong value (generic id
    # "wrong_value").  A realistic answer gets there only after failing check_gd_autograd (a
    # global w, a flipped sign, w0 returned...), so no wrong answer can demonstrate a lesson id.
    "second_call": Message(
        "duas chamadas de `gd_autograd` com os mesmos argumentos deram resultados diferentes: "
        "algum estado sobrevive entre chamadas (um w global, ou o .grad de w0). Cada chamada "
        "deve partir de uma cópia nova de w0.",
        "dos llamadas a `gd_autograd` con los mismos argumentos dieron resultados distintos: "
        "algún estado sobrevive entre llamadas (un w global, o el .grad de w0). Cada llamada "
        "debe partir de una copia nueva de w0."),
    "final_loss": Message(
        "`gd_autograd` não fez J descer: J(w0) = {j0:.6g}, J(w final) = {j_end:.6g} "
        "(lr={lr:.4g}, n_iter={n_iter}; com esse lr a descida converge).",
        "`gd_autograd` no hizo bajar J: J(w0) = {j0:.6g}, J(w final) = {j_end:.6g} "
        "(lr={lr:.4g}, n_iter={n_iter}; con ese lr el descenso converge)."),
    # Added to the "wrong history / wrong final w" messages of gd_* when w changed dtype.
    "w_dtype": Message("Seu w saiu em {got}, mas w0 era {expected}: não mude o dtype.",
                       "Tu w salió en {got}, pero w0 era {expected}: no cambies el dtype."),
}, generic=GENERIC)
