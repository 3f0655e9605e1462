"""Lesson 07: the mistakes its hidden tests recognise, per exercise (pt/es messages)."""
from course.checks.generic import GENERIC
from course.checks.mistakes import Message, Mistakes

MISTAKES = Mistakes({
    "answer_branch_at_boundary": {
        "choice_other_branch": Message(
            "{name} = {got}: 2 seria a derivada de x², mas em x = 1 a condição `x >= 1` é "
            "verdadeira: o ramo executado foi `3 * x`, e só as operações dele entraram no "
            "grafo. Experimente numa célula nova.",
            "{name} = {got}: 2 sería la derivada de x², pero en x = 1 la condición `x >= 1` es "
            "verdadera: la rama ejecutada fue `3 * x`, y solo sus operaciones entraron al "
            "grafo. Pruébalo en una celda nueva."),
        "choice_average_of_sides": Message(
            "{name} = {got}: o autograd não olha para os lados do ponto nem tira médias; ele "
            "deriva as operações que de fato rodaram nesta chamada. Veja qual ramo `x >= 1` "
            "escolhe em x = 1.",
            "{name} = {got}: autograd no mira a ambos lados del punto ni saca promedios; "
            "deriva las operaciones que realmente corrieron en esta llamada. Mira qué rama "
            "elige `x >= 1` en x = 1."),
        "choice_nan_at_boundary": Message(
            "{name} = {got}: o autograd não sabe que h dá um salto em x = 1; ele só vê as "
            "operações gravadas nesta chamada, e a derivada delas é finita. Confira qual ramo "
            "rodou.",
            "{name} = {got}: autograd no sabe que h da un salto en x = 1; solo ve las "
            "operaciones registradas en esta llamada, y su derivada es finita. Revisa qué rama "
            "corrió."),
    },
    "pointwise_grad": {
        "pointwise_uses_notebook_device": Message(
            "`pointwise_grad` usou a variável `device` do notebook. Ela só coincide com o "
            "dispositivo de x por acaso: a correção chama pointwise_grad com x na CPU e, quando "
            "há GPU, na GPU. Crie o resultado no dispositivo de x: `torch.zeros_like(x)` ou "
            "`torch.empty_like(x)`.",
            "`pointwise_grad` usó la variable `device` del notebook. Solo coincide con el "
            "dispositivo de x por casualidad: la corrección llama a pointwise_grad con x en la "
            "CPU y, cuando hay GPU, en la GPU. Crea el resultado en el dispositivo de x: "
            "`torch.zeros_like(x)` o `torch.empty_like(x)`."),
        "vmap_over_control_flow": Message(
            "`pointwise_grad` usou vmap: o vmap chama f uma vez só, com todos os pontos "
            "juntos, e o `if`/`while` do Python dentro de f não consegue decidir por um lote "
            "inteiro (é isso que o erro do torch chama de \"data-dependent control flow\"). "
            "Chame f ponto a ponto (f(x[i]), um tensor 0-d) e derive cada chamada.",
            "`pointwise_grad` usó vmap: vmap llama a f una sola vez, con todos los puntos "
            "juntos, y el `if`/`while` de Python dentro de f no puede decidir por un lote entero "
            "(eso es lo que el error de torch llama \"data-dependent control flow\"). Llama a "
            "f punto por punto (f(x[i]), un tensor 0-d) y deriva cada llamada."),
        "f_called_on_vector": Message(
            "`pointwise_grad` chamou f com o vetor x inteiro. f decide com `if`/`while` do "
            "Python, e o Python só sabe decidir para um número: chame f ponto a ponto "
            "(f(x[i]), um tensor 0-d) e derive cada chamada — cada ponto pode seguir um ramo "
            "diferente e ter o seu próprio grafo.",
            "`pointwise_grad` llamó a f con el vector x entero. f decide con `if`/`while` de "
            "Python, y Python solo sabe decidir para un número: llama a f punto por punto "
            "(f(x[i]), un tensor 0-d) y deriva cada llamada; cada punto puede seguir una rama "
            "distinta y tener su propio grafo."),
        "returned_f_values": Message(
            "{what}: esses são os valores f(x[i]), não as derivadas. Depois de calcular "
            "y = f(t), peça o gradiente: y.backward() e leia t.grad, ou "
            "torch.autograd.grad(y, t).",
            "{what}: esos son los valores f(x[i]), no las derivadas. Después de calcular "
            "y = f(t), pide el gradiente: y.backward() y lee t.grad, o "
            "torch.autograd.grad(y, t)."),
        "grad_accumulated_across_points": Message(
            "{what}: a posição i traz a soma das derivadas dos pontos 0…i. Você reaproveitou o "
            "mesmo tensor folha e o .grad dele foi acumulando a cada backward(). Use uma folha "
            "nova por ponto (x[i].detach().requires_grad_(True)) ou zere o .grad antes de cada "
            "backward().",
            "{what}: la posición i trae la suma de las derivadas de los puntos 0…i. Reusaste "
            "el mismo tensor hoja y su .grad se fue acumulando en cada backward(). Usa una hoja "
            "nueva por punto (x[i].detach().requires_grad_(True)) o pon su .grad en cero antes "
            "de cada backward()."),
        "finite_differences_used": Message(
            "{what}: os valores batem só até ~1e-6, o erro típico de diferenças finitas. Aqui o "
            "pedido é o gradiente do autograd, exato até o arredondamento: chame backward() "
            "(ou torch.autograd.grad) no resultado de f.",
            "{what}: los valores coinciden solo hasta ~1e-6, el error típico de las diferencias "
            "finitas. Aquí se pide el gradiente de autograd, exacto hasta el redondeo: llama a "
            "backward() (o torch.autograd.grad) sobre el resultado de f."),
    },
    "fixed": {
        "still_inplace": Message(
            "o backward() de fixed(x) ainda dá \"one of the variables needed for gradient "
            "computation has been modified by an inplace operation\". Sobrou uma operação "
            "in-place (+=, *=, _()) num tensor que um nó salvou para o backward. Lembre que "
            "são dois: a sigmoide salva a SAÍDA dela, a potência salva a ENTRADA. Dentro de "
            "torch.no_grad() a operação continua in-place e o contador de versão sobe igual.",
            "el backward() de fixed(x) todavía da \"one of the variables needed for gradient "
            "computation has been modified by an inplace operation\". Quedó una operación "
            "in-place (+=, *=, _()) sobre un tensor que un nodo guardó para el backward. "
            "Recuerda que son dos: la sigmoide guarda su SALIDA y la potencia guarda su ENTRADA. "
            "Dentro de torch.no_grad() la operación sigue siendo in-place y el contador de "
            "versión sube igual."),
        "data_hides_inplace": Message(
            "d fixed(x)/dx: o valor de fixed(x) está certo, mas o gradiente está errado — é "
            "exatamente o que dá fazer as operações in-place em `.data`. `.data` esconde a "
            "mudança do contador de versão: o erro some, e o backward usa em silêncio os "
            "valores já modificados (e não vê a multiplicação por x). Troque as operações "
            "in-place por versões fora do lugar (s = s * x, s = s + 1).",
            "d fixed(x)/dx: el valor de fixed(x) está bien, pero el gradiente está mal: es "
            "justo lo que da hacer las operaciones in-place sobre `.data`. `.data` le esconde "
            "el cambio al contador de versión: el error desaparece y el backward usa en "
            "silencio los valores ya modificados (y no ve la multiplicación por x). Cambia las "
            "operaciones in-place por versiones fuera de lugar (s = s * x, s = s + 1)."),
        "fixed_without_graph": Message(
            "fixed(x) não tem grad_fn, mesmo com x.requires_grad=True: o erro sumiu porque o "
            "grafo sumiu junto (x.detach(), torch.no_grad() ou .item() no caminho). O objetivo "
            "é o mesmo valor com o gradiente certo chegando a x.",
            "fixed(x) no tiene grad_fn, aunque x.requires_grad=True: el error desapareció "
            "porque desapareció el grafo (x.detach(), torch.no_grad() o .item() en el camino). "
            "El objetivo es el mismo valor con el gradiente correcto llegando a x."),
    },
    "per_loss_grads": {
        "graph_freed_no_retain": Message(
            "o segundo backward deu \"Trying to backward through the graph a second time\": o "
            "primeiro backward liberou os tensores salvos do tronco comum (a tanh). Nos "
            "backward que não são o último, passe retain_graph=True.",
            "el segundo backward dio \"Trying to backward through the graph a second time\": "
            "el primer backward liberó los tensores guardados del tronco común (la tanh). En "
            "los backward que no son el último, pasa retain_graph=True."),
        "forward_repeated": Message(
            "`per_loss_grads` chamou f {calls} vezes. O forward é caro e deve rodar uma vez só: "
            "guarde as perdas de uma chamada e faça um backward por perda com "
            "retain_graph=True.",
            "`per_loss_grads` llamó a f {calls} veces. El forward es caro y debe correr una "
            "sola vez: guarda las pérdidas de una llamada y haz un backward por pérdida con "
            "retain_graph=True."),
        "grads_not_a_list": Message(
            "`per_loss_grads` deve devolver uma lista com um gradiente por perda ({k} "
            "tensores com o formato de w); devolveu {got}.",
            "`per_loss_grads` debe devolver una lista con un gradiente por pérdida ({k} "
            "tensores con la forma de w); devolvió {got}."),
        "sum_of_all_losses_gradient": Message(
            "todas as entradas valem o gradiente da SOMA das perdas. Ou você derivou a soma "
            "(torch.autograd.grad(perdas, w) também soma), ou guardou o mesmo tensor w.grad "
            "várias vezes e ele continuou acumulando. Derive uma perda por vez e guarde uma "
            "cópia de cada gradiente.",
            "todas las entradas valen el gradiente de la SUMA de las pérdidas. O derivaste la "
            "suma (torch.autograd.grad(pérdidas, w) también suma), o guardaste el mismo tensor "
            "w.grad varias veces y siguió acumulando. Deriva una pérdida por vez y guarda una "
            "copia de cada gradiente."),
        "grad_tensor_reused": Message(
            "{what}: a lista guarda o próprio tensor w.grad, e o zero_() (ou o backward) "
            "seguinte muda esse mesmo tensor depois de guardado. Guarde uma cópia "
            "(w.grad.clone()) e zere com w.grad = None, ou use torch.autograd.grad, que devolve "
            "um tensor novo.",
            "{what}: la lista guarda el propio tensor w.grad, y el zero_() (o el backward) "
            "siguiente cambia ese mismo tensor después de guardarlo. Guarda una copia "
            "(w.grad.clone()) y ponlo en cero con w.grad = None, o usa torch.autograd.grad, que "
            "devuelve un tensor nuevo."),
        "grad_accumulated_between_losses": Message(
            "{what}: é a soma dos gradientes das perdas 0…{i}. O backward() soma em w.grad: zere "
            "(w.grad = None) entre uma perda e outra, ou use torch.autograd.grad, que não "
            "acumula.",
            "{what}: es la suma de los gradientes de las pérdidas 0…{i}. backward() suma en "
            "w.grad: ponlo en cero (w.grad = None) entre una pérdida y otra, o usa "
            "torch.autograd.grad, que no acumula."),
    },
    "clipped_grad_hook": {
        "hook_result_not_returned": Message(
            "{what}: o gradiente passou sem corte. O hook calculou o corte mas não o devolveu: "
            "um hook só muda o gradiente com `return` do tensor novo.",
            "{what}: el gradiente pasó sin recortar. El hook calculó el recorte pero no lo "
            "devolvió: un hook solo cambia el gradiente con `return` del tensor nuevo."),
        "hook_modifies_grad_in_place": Message(
            "{what}: o corte vazou para outro ramo do grafo. O hook alterou o seu argumento "
            "in-place (clamp_, grad[...] = ...); esse tensor pode ser o mesmo que o autograd "
            "entrega a outro ramo (a soma h + g passa o mesmo gradiente para os dois). Não "
            "modifique o argumento: devolva um tensor novo, grad.clamp(-limit, limit).",
            "{what}: el recorte se filtró a otra rama del grafo. El hook modificó su argumento "
            "in-place (clamp_, grad[...] = ...); ese tensor puede ser el mismo que autograd le "
            "entrega a otra rama (la suma h + g pasa el mismo gradiente a las dos). No "
            "modifiques el argumento: devuelve un tensor nuevo, grad.clamp(-limit, limit)."),
        "clipped_by_norm": Message(
            "{what}: você reescalou o vetor inteiro pela norma (como clip_grad_norm_). O pedido "
            "é o corte elemento a elemento: cada entrada fica em [-limit, limit], e as que já "
            "estão dentro do intervalo não mudam.",
            "{what}: reescalaste el vector entero por su norma (como clip_grad_norm_). Lo "
            "pedido es el recorte elemento a elemento: cada entrada queda en [-limit, limit], y "
            "las que ya están dentro del intervalo no cambian."),
        "clip_upper_only": Message(
            "{what}: só o limite de cima foi aplicado; gradientes muito negativos também "
            "devem parar em -limit.",
            "{what}: solo se aplicó el límite superior; los gradientes muy negativos también "
            "deben quedar en -limit."),
        "hook_limit_shared": Message(
            "{what}: o gancho recortou com o limit de outra chamada ({other}). Cada chamada de "
            "clipped_grad_hook(limit) deve devolver um gancho com o SEU limit, guardado na "
            "closure (a função interna lê o limit da função de fora), não numa variável global "
            "que a chamada seguinte sobrescreve.",
            "{what}: el gancho recortó con el limit de otra llamada ({other}). Cada llamada a "
            "clipped_grad_hook(limit) debe devolver un gancho con SU limit, guardado en la "
            "clausura (la función interna lee el limit de la función de afuera), no en una "
            "variable global que la llamada siguiente sobrescribe."),
    },
    "stop_gradient_loss": {
        "sum_instead_of_mean": Message(
            "{what}: você somou os erros ao quadrado; a perda é a média (.mean()).",
            "{what}: sumaste los errores al cuadrado; la pérdida es la media (.mean())."),
        "loss_without_graph": Message(
            "a perda não tem grafo até w (sem grad_fn): você cortou o gradiente de tudo "
            "(torch.no_grad(), .detach() ou .item() na perda inteira). Só o alvo "
            "r + gamma·v(s') deve ficar fora do grafo.",
            "la pérdida no tiene grafo hasta w (sin grad_fn): cortaste el gradiente de todo "
            "(torch.no_grad(), .detach() o .item() en la pérdida entera). Solo el objetivo "
            "r + gamma·v(s') debe quedar fuera del grafo."),
        "target_not_detached": Message(
            "{what}: o gradiente também passou pelo alvo r + gamma·v(s'). É o gradiente "
            "completo, não o semigradiente do TD: calcule o alvo com .detach() (ou dentro de "
            "torch.no_grad()) para que ele fique constante.",
            "{what}: el gradiente también pasó por el objetivo r + gamma·v(s'). Es el "
            "gradiente completo, no el semigradiente de TD: calcula el objetivo con .detach() "
            "(o dentro de torch.no_grad()) para que quede constante."),
        "prediction_detached": Message(
            "{what}: você congelou a previsão v(s) e deixou o gradiente passar pelo alvo — o "
            "contrário do pedido. O .detach() vai no alvo r + gamma·v(s').",
            "{what}: congelaste la predicción v(s) y dejaste pasar el gradiente por el "
            "objetivo, al revés de lo pedido. El .detach() va en el objetivo r + gamma·v(s')."),
    },
    "evaluate": {
        "grad_left_disabled": Message(
            "depois de `evaluate`, o autograd ficou desligado para o resto do programa "
            "(torch.set_grad_enabled(False) sem voltar a True): o treino seguinte não "
            "calcularia gradiente nenhum. Use `with torch.no_grad():`, que religa sozinho ao "
            "sair do bloco.",
            "después de `evaluate`, autograd quedó apagado para el resto del programa "
            "(torch.set_grad_enabled(False) sin volver a True): el entrenamiento siguiente no "
            "calcularía ningún gradiente. Usa `with torch.no_grad():`, que lo vuelve a "
            "encender solo al salir del bloque."),
        "touched_param_grads": Message(
            "`evaluate` mexeu no .grad dos parâmetros (zero_grad() ou backward() dentro da "
            "avaliação). Avaliar não deve interferir no treino: não chame nem um nem outro.",
            "`evaluate` tocó el .grad de los parámetros (zero_grad() o backward() dentro de la "
            "evaluación). Evaluar no debe interferir con el entrenamiento: no llames ni a uno "
            "ni al otro."),
        "eval_graph_built": Message(
            "o resultado de `evaluate` tem grad_fn: o grafo foi gravado. model.eval() NÃO "
            "desliga o autograd (só muda dropout e batchnorm); faça o forward dentro de "
            "`with torch.no_grad():`.",
            "el resultado de `evaluate` tiene grad_fn: se registró el grafo. model.eval() NO "
            "apaga autograd (solo cambia dropout y batchnorm); haz el forward dentro de "
            "`with torch.no_grad():`."),
        "detached_after_forward": Message(
            "o resultado não tem grafo, mas o forward rodou com o autograd ligado: o grafo "
            "inteiro (e a memória das ativações) foi montado e jogado fora no .detach()/.item() "
            "do final. Faça o forward dentro de `with torch.no_grad():`.",
            "el resultado no tiene grafo, pero el forward corrió con autograd encendido: el "
            "grafo entero (y la memoria de las activaciones) se armó y se tiró en el "
            ".detach()/.item() del final. Haz el forward dentro de `with torch.no_grad():`."),
    },
    "accumulated_grad": {
        "accumulation_changed_parameters": Message(
            "`accumulated_grad` mudou os valores dos parâmetros do modelo: o exercício só "
            "acumula os gradientes em `.grad`, sem passo de otimizador (quem dá o passo é quem "
            "chama a função).",
            "`accumulated_grad` cambió los valores de los parámetros del modelo: el ejercicio "
            "solo acumula los gradientes en `.grad`, sin paso de optimizador (el paso lo da "
            "quien llama a la función)."),
        "not_micro_batched": Message(
            "o modelo recebeu um lote de {biggest} amostras; com n = {n} e n_chunks = {k}, "
            "cada microlote deve ter no máximo {limit}. A ideia é nunca passar o lote inteiro "
            "pelo modelo: um forward e um backward por microlote.",
            "el modelo recibió un lote de {biggest} muestras; con n = {n} y n_chunks = {k}, "
            "cada microlote debe tener como máximo {limit}. La idea es no pasar nunca el lote "
            "entero por el modelo: un forward y un backward por microlote."),
        "samples_not_once": Message(
            "os microlotes somaram {got} amostras, mas o lote tem n = {n}: cada amostra deve "
            "entrar exatamente uma vez. Cuidado com n // n_chunks, que perde o resto da "
            "divisão; torch.tensor_split(x, n_chunks) reparte tudo.",
            "los microlotes sumaron {got} muestras, pero el lote tiene n = {n}: cada muestra "
            "debe entrar exactamente una vez. Cuidado con n // n_chunks, que pierde el resto de "
            "la división; torch.tensor_split(x, n_chunks) reparte todo."),
        "backward_not_per_micro_batch": Message(
            "o número de backward() confere ({n}), mas eles não acumulam microlote por "
            "microlote: cada backward deve propagar a perda de UM microlote, ponderada por "
            "len(microlote) / n, e cada microlote deve ter o seu próprio backward. Um backward "
            "da soma das perdas completado com backward() de outros tensores não é acumulação "
            "de gradientes.",
            "el número de backward() coincide ({n}), pero no acumulan microlote por microlote: "
            "cada backward debe propagar la pérdida de UN microlote, ponderada por "
            "len(microlote) / n, y cada microlote debe tener su propio backward. Un backward "
            "de la suma de las pérdidas completado con backward() de otros tensores no es "
            "acumulación de gradientes."),
        "accumulated_loss_not_scaled": Message(
            "o .grad acumulado é a soma dos gradientes das médias de cada microlote, maior que "
            "o do lote inteiro. Pondere a perda de cada microlote por len(microlote) / n antes "
            "do backward().",
            "el .grad acumulado es la suma de los gradientes de las medias de cada microlote, "
            "mayor que el del lote entero. Pondera la pérdida de cada microlote por "
            "len(microlote) / n antes del backward()."),
        "scaled_by_n_chunks": Message(
            "você dividiu cada perda por n_chunks. Isso só dá certo quando todos os microlotes "
            "têm o mesmo tamanho; aqui n não é múltiplo de n_chunks. O peso de cada microlote "
            "é len(microlote) / n.",
            "dividiste cada pérdida por n_chunks. Eso solo funciona cuando todos los "
            "microlotes tienen el mismo tamaño; aquí n no es múltiplo de n_chunks. El peso de "
            "cada microlote es len(microlote) / n."),
        "stale_grads_kept": Message(
            "o .grad final inclui o gradiente velho que já estava no modelo. Zere os gradientes "
            "UMA vez, antes do primeiro microlote (model.zero_grad()).",
            "el .grad final incluye el gradiente viejo que ya estaba en el modelo. Pon los "
            "gradientes en cero UNA vez, antes del primer microlote (model.zero_grad())."),
        "zeroed_inside_loop": Message(
            "só sobrou o gradiente do último microlote: o zero_grad() está dentro do laço e "
            "apaga o que foi acumulado. Zere antes do laço.",
            "solo quedó el gradiente del último microlote: el zero_grad() está dentro del "
            "bucle y borra lo acumulado. Pon en cero antes del bucle."),
        "loss_not_a_float": Message(
            "`accumulated_grad` deve devolver a perda do lote inteiro como float do Python; "
            "devolveu {type}. Some as perdas ponderadas com .item().",
            "`accumulated_grad` debe devolver la pérdida del lote entero como float de Python; "
            "devolvió {type}. Suma las pérdidas ponderadas con .item()."),
        "wrong_full_batch_loss": Message(
            "a perda devolvida é {got}, mas a do lote inteiro é {expected}. É a soma das perdas "
            "dos microlotes já ponderadas por len(microlote) / n — não a soma das médias, nem "
            "a do último microlote.",
            "la pérdida devuelta es {got}, pero la del lote entero es {expected}. Es la suma de "
            "las pérdidas de los microlotes ya ponderadas por len(microlote) / n; no la suma "
            "de las medias, ni la del último microlote."),
    },
}, hints={
    "one_backward_per_micro_batch": Message(
        "uma por microlote, e {n} microlotes passaram pelo modelo",
        "una por microlote, y {n} microlotes pasaron por el modelo"),
    "pointwise_grad": Message(
        "para cada i, t = x[i].detach().requires_grad_(True), y = f(t) e a derivada é a de y "
        "em relação a t.",
        "para cada i, t = x[i].detach().requires_grad_(True), y = f(t) y la derivada es la de "
        "y respecto de t."),
    "fixed_value": Message(
        "fixed(x) = Σ (p² + p + 1) com p = x·sigmoid(2x + 1), o mesmo valor que broken(x).",
        "fixed(x) = Σ (p² + p + 1) con p = x·sigmoid(2x + 1), el mismo valor que broken(x)."),
    "fixed_grad": Message(
        "use só operações do torch fora do lugar, sem .detach() nem .data no caminho.",
        "usa solo operaciones de torch fuera de lugar, sin .detach() ni .data en el camino."),
    "clip": Message(
        "o hook devolve grad.clamp(-limit, limit): um tensor novo, do formato de grad.",
        "el hook devuelve grad.clamp(-limit, limit): un tensor nuevo, con la forma de grad."),
    "td_target": Message(
        "v(s) = x @ w, alvo = r + gamma·(x_next @ w), perda = média de (v(s) - alvo)².",
        "v(s) = x @ w, objetivo = r + gamma·(x_next @ w), pérdida = media de (v(s) - objetivo)²."),
    "chunk_weight": Message(
        "zere os gradientes antes do laço e, em cada microlote, faça "
        "(loss_fn(model(xb), yb) * len(xb) / n).backward().",
        "pon los gradientes en cero antes del bucle y, en cada microlote, haz "
        "(loss_fn(model(xb), yb) * len(xb) / n).backward()."),
}, generic=GENERIC)
