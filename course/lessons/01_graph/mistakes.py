"""Lesson 01: the mistakes its hidden tests recognise, per exercise (pt/es messages)."""
from course.checks.generic import GENERIC
from course.checks.mistakes import Message, Mistakes

MISTAKES = Mistakes({
    "forward": {
        "forward_not_a_4_tuple": Message(
            "`forward` deve devolver a tupla (y_pred, e, e2, J) com 4 elementos; devolveu "
            "{type}.",
            "`forward` debe devolver la tupla (y_pred, e, e2, J) de 4 elementos; devolvió "
            "{type}."),
        "e_sign_flipped": Message(
            "e: sinal trocado. Neste curso e = y_pred - y (previsão menos alvo); e2 e J não "
            "mudam, mas o gradiente de e muda de sinal.",
            "e: signo invertido. En este curso e = y_pred - y (predicción menos objetivo); e2 y "
            "J no cambian, pero el gradiente de e cambia de signo."),
        "mean_instead_of_sum": Message(
            "J: você calculou a média; J é a soma dos erros ao quadrado (.sum()).",
            "J: calculaste la media; J es la suma de los errores al cuadrado (.sum())."),
        "graph_broken": Message(
            "o grafo de J não chega até o w recebido: o caminho foi cortado (.item(), "
            "torch.tensor(...), .detach(), numpy, ou um w novo criado dentro da função, como "
            "w.detach().requires_grad_()). Use apenas operações do torch sobre os tensores "
            "recebidos.",
            "el grafo de J no llega hasta el w recibido: el camino se cortó (.item(), "
            "torch.tensor(...), .detach(), numpy, o un w nuevo creado dentro de la función, "
            "como w.detach().requires_grad_()). Usa solo operaciones de torch sobre los tensores "
            "recibidos."),
        "forward_low_precision": Message(
            "{what} veio em {dtype}: a meia precisão guarda só uns 3 algarismos significativos, "
            "e os testes comparam com o cálculo em float64. Faça as contas no dtype das entradas "
            "(sem .half() ou .bfloat16()).",
            "{what} llegó en {dtype}: la media precisión guarda solo unas 3 cifras "
            "significativas, y las pruebas comparan con el cálculo en float64. Haz las cuentas en el dtype de las "
            "entradas (sin .half() ni .bfloat16())."),
    },
    "manual_backward": {
        "manual_backward_uses_notebook_device": Message(
            "`manual_backward` usou a variável `device` do notebook. Ela só coincide com o "
            "dispositivo de x, w e y por acaso: a correção chama manual_backward com os tensores "
            "na CPU e, quando há GPU, na GPU. Crie cada tensor novo no dispositivo das entradas: "
            "`torch.ones_like(e)`, ou `device=x.device`; não mova as entradas com `.to(device)`.",
            "`manual_backward` usó la variable `device` del notebook. Solo coincide con el "
            "dispositivo de x, w e y por casualidad: la corrección llama a manual_backward con "
            "los tensores en la CPU y, cuando hay GPU, en la GPU. Crea cada tensor nuevo en el "
            "dispositivo de las entradas: `torch.ones_like(e)`, o `device=x.device`; no muevas "
            "las entradas con `.to(device)`."),
        "wrong_gradient_keys": Message(
            '`manual_backward` deve devolver um dict com as chaves "e2", "e", "y_pred" e "w"; '
            "devolveu {keys}.",
            '`manual_backward` debe devolver un dict con las claves "e2", "e", "y_pred" y "w"; '
            "devolvió {keys}."),
        "factor_2_forgotten": Message(
            '"{key}": metade do valor certo; faltou o fator 2 da derivada de e².',
            '"{key}": la mitad del valor correcto; falta el factor 2 de la derivada de e².'),
        "gradient_sign_flipped": Message(
            "{what}: sinal trocado. Neste curso e = y_pred - y = x·w - y (previsão menos "
            "alvo) e dJ/de = 2e; se você usou e = y - x·w, os gradientes de e, y_pred e w "
            "saem com o sinal trocado.",
            "{what}: signo invertido. En este curso e = y_pred - y = x·w - y (predicción menos "
            "objetivo) y dJ/de = 2e; si usaste e = y - x·w, los gradientes de e, y_pred y w "
            "salen con el signo invertido."),
    },
    "grad_fn_names": {
        "not_a_list": Message(
            "`grad_fn_names` deve devolver uma lista; devolveu {type}.",
            "`grad_fn_names` debe devolver una lista; devolvió {type}."),
        "leaf_not_empty": Message(
            "um tensor sem grad_fn (folha ou constante) deve dar [].",
            "un tensor sin grad_fn (hoja o constante) debe dar []."),
        "keeps_none": Message(
            "a lista contém 'NoneType': pule as entradas None de next_functions (entradas que "
            "não pedem gradiente).",
            "la lista contiene 'NoneType': salta las entradas None de next_functions (entradas "
            "que no piden gradiente)."),
        "none_not_skipped": Message(
            "{error}\nProvável causa: next_functions traz None no lugar das entradas que não "
            "pedem gradiente (como x e y no grafo de J). Pule essas entradas em vez de "
            "visitá-las: `if nxt is not None`.",
            "{error}\nCausa probable: next_functions trae None en lugar de las entradas que no "
            "piden gradiente (como x e y en el grafo de J). Salta esas entradas en lugar de "
            "visitarlas: `if nxt is not None`."),
        "repeated_nodes": Message(
            "grafo '{graph}': há nós repetidos. Um nó alcançado por dois caminhos deve aparecer "
            "uma vez só (guarde os já visitados).",
            "grafo '{graph}': hay nodos repetidos. Un nodo alcanzado por dos caminos debe "
            "aparecer una sola vez (guarda los ya visitados)."),
        "visited_by_name": Message(
            "grafo '{graph}': faltam nós. Dois nós diferentes podem ter o mesmo nome (duas "
            "multiplicações são dois MulBackward0): guarde como visitados os próprios nós, não "
            "os nomes deles.",
            "grafo '{graph}': faltan nodos. Dos nodos distintos pueden tener el mismo nombre "
            "(dos multiplicaciones son dos MulBackward0): guarda como visitados los nodos "
            "mismos, no sus nombres."),
        "not_breadth_first": Message(
            "grafo '{graph}': nós certos, ordem errada. A ordem pedida é em largura (BFS, com "
            "uma fila), a partir da raiz.",
            "grafo '{graph}': nodos correctos, orden incorrecto. El orden pedido es en anchura "
            "(BFS, con una cola), desde la raíz."),
        "wrong_nodes": Message(
            "grafo '{graph}': eram esperados {n} nós, começando por {first}; veio {got}.",
            "grafo '{graph}': se esperaban {n} nodos, empezando por {first}; se obtuvo {got}."),
    },
    "answer_backward_twice": {
        "choice_grad_reset_restores_graph": Message(
            "{name} = {got}: `w.grad = None` apaga só o gradiente acumulado na folha. O que o "
            "`backward()` consome são os tensores que os nós salvaram no *forward* "
            "(a multiplicação guarda `x`, o quadrado guarda `e`); zerar `w.grad` não os traz "
            "de volta. Experimente numa célula nova.",
            "{name} = {got}: `w.grad = None` borra solo el gradiente acumulado en la hoja. Lo "
            "que consume `backward()` son los tensores que los nodos guardaron en el *forward* "
            "(la multiplicación guarda `x`, el cuadrado guarda `e`); poner `w.grad` en cero no "
            "los recupera. Pruébalo en una celda nueva."),
        "choice_old_grad_in_graph": Message(
            "{name} = {got}: os nós do grafo não guardam gradientes de um `backward()` para o "
            "outro; o único lugar onde o gradiente acumula é `w.grad`, que você acabou de "
            "apagar. Pense no que os nós guardam de fato e no que acontece com isso depois do "
            "primeiro `backward()`.",
            "{name} = {got}: los nodos del grafo no guardan gradientes de un `backward()` al "
            "otro; el único lugar donde el gradiente se acumula es `w.grad`, que acabas de "
            "borrar. Piensa en qué guardan de verdad los nodos y qué les pasa después del "
            "primer `backward()`."),
        "choice_silent_none": Message(
            "{name} = {got}: `J` continua ligado ao seu `grad_fn`, então o `backward()` tem, "
            "sim, um grafo para percorrer; o PyTorch não ignora a chamada em silêncio. A "
            "questão é se esse grafo ainda tem o que precisa. Experimente numa célula nova.",
            "{name} = {got}: `J` sigue unido a su `grad_fn`, así que `backward()` sí tiene un "
            "grafo para recorrer; PyTorch no ignora la llamada en silencio. La cuestión es si "
            "ese grafo todavía tiene lo que necesita. Pruébalo en una celda nueva."),
    },
    "answer_accumulation": {
        "choice_last_path_overwrites": Message(
            "{name} = {got}: dentro de um `backward()` nada é sobrescrito. Pela regra da "
            "cadeia, dJ/dw recebe uma parcela de cada caminho que leva de w até J; derive "
            "Σ (x·w + w − y)² à mão e compare com o que o autograd devolve.",
            "{name} = {got}: dentro de un `backward()` nada se sobrescribe. Por la regla de la "
            "cadena, dJ/dw recibe un término de cada camino que lleva de w a J; deriva "
            "Σ (x·w + w − y)² a mano y compáralo con lo que devuelve autograd."),
        "choice_grad_per_path": Message(
            "{name} = {got}: `w.grad` tem sempre o formato de `w` (aqui, um único elemento); o "
            "autograd não separa o gradiente por caminho.",
            "{name} = {got}: `w.grad` siempre tiene la forma de `w` (aquí, un solo elemento); "
            "autograd no separa el gradiente por camino."),
        "choice_leaf_used_once": Message(
            "{name} = {got}: uma folha pode ser usada quantas vezes você quiser no *forward* "
            "(é o caso de um peso compartilhado entre camadas); isso não gera erro.",
            "{name} = {got}: una hoja puede usarse todas las veces que quieras en el *forward* "
            "(es el caso de un peso compartido entre capas); eso no da error."),
    },
}, hints={
    "y_pred": Message("y_pred é x*w (produto elemento a elemento).",
                      "y_pred es x*w (producto elemento a elemento)."),
    "e2": Message("e2 é o quadrado de e, elemento a elemento.",
                  "e2 es el cuadrado de e, elemento a elemento."),
    "grad_w_through_graph": Message("o grafo de J deve passar por w.",
                                    "el grafo de J debe pasar por w."),
    "d_e2": Message("J = soma de e2, então dJ/de2 vale 1 em cada posição.",
                    "J = suma de e2, así que dJ/de2 vale 1 en cada posición."),
    "d_e": Message("dJ/de = dJ/de2 · 2e (não esqueça o fator 2).",
                   "dJ/de = dJ/de2 · 2e (no olvides el factor 2)."),
    "d_y_pred": Message("e = y_pred - y, então dJ/dy_pred = dJ/de.",
                        "e = y_pred - y, así que dJ/dy_pred = dJ/de."),
    "d_w": Message("dJ/dw soma dJ/dy_pred · x sobre todas as amostras, com o formato de w.",
                   "dJ/dw suma dJ/dy_pred · x sobre todas las muestras, con la forma de w."),
}, generic=GENERIC)
