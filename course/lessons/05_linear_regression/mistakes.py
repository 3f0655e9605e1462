"""Lesson 05: the mistakes its hidden tests recognise, per exercise (pt/es messages)."""
from course.checks.generic import GENERIC
from course.checks.mistakes import Message, Mistakes

# The answer raised because it mixed devices; `error` is the "raised" message it replaces.
MIXED_DEVICES = Message(
    "{error}\nProvável causa: `{name}` misturou dispositivos. Crie os tensores novos no "
    "dispositivo das entradas (device=x.device) e leve os lotes para o dispositivo do modelo "
    "(next(model.parameters()).device), não para um dispositivo fixo.",
    "{error}\nCausa probable: `{name}` mezcló dispositivos. Crea los tensores nuevos en el "
    "dispositivo de las entradas (device=x.device) y lleva los lotes al dispositivo del "
    "modelo (next(model.parameters()).device), no a uno fijo.")

MISTAKES = Mistakes({
    "linear_model": {
        "a_b_swapped": Message(
            "linear_model: a e b trocados. O modelo é a*x + b (a é a inclinação, b o "
            "intercepto).",
            "linear_model: a y b intercambiados. El modelo es a*x + b (a es la pendiente, b la "
            "ordenada al origen)."),
        "graph_broken": Message(
            "linear_model: o resultado não tem grad_fn, então backward() não chega a a e b. Use "
            "só operações do torch (sem .item(), numpy ou torch.tensor(...)).",
            "linear_model: el resultado no tiene grad_fn, así que backward() no llega a a y b. "
            "Usa solo operaciones de torch (sin .item(), numpy ni torch.tensor(...))."),
        "gradient_misses_a_b": Message(
            "linear_model: o gradiente não chega corretamente a a e b (d/da = x, d/db = 1).",
            "linear_model: el gradiente no llega bien a a y b (d/da = x, d/db = 1)."),
    },
    "fit_by_hand": {
        "update_outside_no_grad": Message(
            "{error}\nProvável causa: a atualização de a e b foi feita fora de "
            "`with torch.no_grad():`. Fora dele, `a -= ...` é recusado numa folha que pede "
            "gradiente, e `a = a - ...` cria um nó do grafo (não mais folha, sem .grad). "
            "Atualize in-place (`a -= lr * a.grad`) dentro do no_grad.",
            "{error}\nCausa probable: la actualización de a y b se hizo fuera de "
            "`with torch.no_grad():`. Fuera de él, `a -= ...` se rechaza en una hoja que pide "
            "gradiente, y `a = a - ...` crea un nodo del grafo (ya no hoja, sin .grad). "
            "Actualiza in-place (`a -= lr * a.grad`) dentro del no_grad."),
        "zero_grad_before_first_backward": Message(
            "{error}\nProvável causa: a.grad e b.grad são None até o primeiro backward(), "
            "então zerá-los no começo do laço (a.grad.zero_()) falha logo na primeira época "
            "(hábito que vem do optimizer.zero_grad(), que simplesmente pula os .grad ainda "
            "vazios). Zere os gradientes depois da atualização, ou proteja a linha com "
            "`if a.grad is not None:`.",
            "{error}\nCausa probable: a.grad y b.grad son None hasta el primer backward(), así "
            "que ponerlos en cero al comienzo del ciclo (a.grad.zero_()) falla en la primera "
            "época (costumbre que viene de optimizer.zero_grad(), que simplemente salta los "
            ".grad todavía vacíos). Pon los gradientes en cero después de la actualización, o "
            "protege la línea con `if a.grad is not None:`."),
        "fit_mixed_devices": MIXED_DEVICES,
        "fit_uses_notebook_device": Message(
            "fit_by_hand usou a variável `device` do notebook. Ela só coincide com o "
            "dispositivo dos dados por acaso: a correção chama fit_by_hand com x e y em outro "
            "dispositivo (na CPU, numa máquina com GPU). Crie a e b no dispositivo das "
            "entradas: `torch.zeros(1, dtype=x.dtype, device=x.device, requires_grad=True)`.",
            "fit_by_hand usó la variable `device` del notebook. Solo coincide con el "
            "dispositivo de los datos por casualidad: la corrección llama a fit_by_hand con x e "
            "y en otro dispositivo (en la CPU, en una máquina con GPU). Crea a y b en el "
            "dispositivo de las entradas: `torch.zeros(1, dtype=x.dtype, device=x.device, "
            "requires_grad=True)`."),
        "fit_uses_unanswered_linear_model": Message(
            "fit_by_hand chama linear_model, que ainda não foi respondida (o exercício 1 "
            "levanta NotImplementedError). Escreva o modelo direto, a * x + b: assim este "
            "exercício não depende de outro.",
            "fit_by_hand llama a linear_model, que todavía no fue respondida (el ejercicio 1 "
            "lanza NotImplementedError). Escribe el modelo directamente, a * x + b: así este "
            "ejercicio no depende de otro."),
        "not_a_3_tuple": Message(
            "`fit_by_hand` deve devolver a tupla (a, b, losses); devolveu {type}.",
            "`fit_by_hand` debe devolver la tupla (a, b, losses); devolvió {type}."),
        "param_not_float": Message(
            "fit_by_hand: {name} deve ser um float do Python; veio {type}. Use `{name}.item()` "
            "ao devolver.",
            "fit_by_hand: {name} debe ser un float de Python; llegó {type}. Usa `{name}.item()` "
            "al devolver."),
        "losses_not_a_list": Message(
            "fit_by_hand: losses deve ser uma lista; veio {type}.",
            "fit_by_hand: losses debe ser una lista; llegó {type}."),
        "wrong_number_of_losses": Message(
            "fit_by_hand: com n_epochs={n_epochs} a lista losses deve ter {n_epochs} valores "
            "(um por época); veio {got}.",
            "fit_by_hand: con n_epochs={n_epochs} la lista losses debe tener {n_epochs} valores "
            "(uno por época); llegó {got}."),
        "loss_not_float": Message(
            "fit_by_hand: cada valor de losses deve ser um float do Python; veio {type}. Guarde "
            "`loss.item()` (um tensor guardado também prende o grafo na memória).",
            "fit_by_hand: cada valor de losses debe ser un float de Python; llegó {type}. Guarda "
            "`loss.item()` (un tensor guardado además retiene el grafo en memoria)."),
        "sum_instead_of_mean": Message(
            "fit_by_hand: a primeira perda é a soma dos erros ao quadrado; a perda pedida é a "
            "MSE, a média (.mean()).",
            "fit_by_hand: la primera pérdida es la suma de los errores al cuadrado; la pérdida "
            "pedida es el MSE, la media (.mean())."),
        "first_loss_after_update": Message(
            "fit_by_hand: losses[0] é a perda depois da primeira atualização. Registre a perda "
            "calculada no forward de cada época, antes do passo (losses[0] = MSE com a = b = 0).",
            "fit_by_hand: losses[0] es la pérdida después de la primera actualización. Registra "
            "la pérdida calculada en el forward de cada época, antes del paso (losses[0] = MSE "
            "con a = b = 0)."),
        "wrong_first_loss": Message(
            "fit_by_hand: losses[0] deveria ser {expected:.6g} (a MSE com a = b = 0, isto é, "
            "mean(y²)); veio {got}. a e b devem começar em 0 e a perda é mean((a*x + b - y)²).",
            "fit_by_hand: losses[0] debería ser {expected:.6g} (el MSE con a = b = 0, es decir, "
            "mean(y²)); llegó {got}. a y b deben empezar en 0 y la pérdida es "
            "mean((a*x + b - y)²)."),
        "gradients_not_reset": Message(
            "fit_by_hand: os gradientes não são zerados a cada passo, então se acumulam (.grad "
            "soma os backward() anteriores). Zere a.grad e b.grad depois de cada atualização.",
            "fit_by_hand: los gradientes no se ponen en cero en cada paso, así que se acumulan "
            "(.grad suma los backward() anteriores). Pon a.grad y b.grad en cero después de "
            "cada actualización."),
        "hard_coded_lr": Message(
            "fit_by_hand: foi chamada com lr={lr}, mas usou lr=0.01. Use o parâmetro lr, não um "
            "valor fixo.",
            "fit_by_hand: se llamó con lr={lr}, pero usó lr=0.01. Usa el parámetro lr, no un "
            "valor fijo."),
        "losses_diverge": Message(
            "fit_by_hand: as perdas divergem do esperado a partir da época {epoch}: esperado "
            "{expected:.6g}, obtido {got}. Confira o passo a -= lr * dL/da, b -= lr * dL/db com "
            "os gradientes do backward() da MSE.",
            "fit_by_hand: las pérdidas se apartan de lo esperado desde la época {epoch}: se "
            "esperaba {expected:.6g} y se obtuvo {got}. Revisa el paso a -= lr * dL/da, "
            "b -= lr * dL/db con los gradientes del backward() del MSE."),
        "gradient_unused": Message(
            "fit_by_hand chama backward(), mas o passo não usa os gradientes que ele calcula: o "
            "teste fez o autograd devolver {scale} vezes os gradientes verdadeiros, e os seus "
            "a e b seguiram os gradientes exatos mesmo assim (fórmulas escritas à mão?). Cada "
            "passo deve ser a -= lr * a.grad, b -= lr * b.grad, com o que o backward() "
            "preencheu.",
            "fit_by_hand llama a backward(), pero el paso no usa los gradientes que este "
            "calcula: la prueba hizo que autograd devolviera {scale} veces los gradientes "
            "verdaderos, y tus a y b siguieron los gradientes exactos de todos modos "
            "(¿fórmulas escritas a mano?). Cada paso debe ser a -= lr * a.grad, "
            "b -= lr * b.grad, con lo que backward() llenó."),
        "wrong_final_params": Message(
            "fit_by_hand: (a, b) finais esperados ({a:.6g}, {b:.6g}); obtidos ({got_a}, "
            "{got_b}). Devolva os valores depois da última atualização, na ordem "
            "(a, b, losses).",
            "fit_by_hand: se esperaban (a, b) finales ({a:.6g}, {b:.6g}); se obtuvieron "
            "({got_a}, {got_b}). Devuelve los valores después de la última actualización, en el "
            "orden (a, b, losses)."),
    },
    "LinearData": {
        "not_a_dataset": Message(
            "`LinearData` deve ser uma classe filha de torch.utils.data.Dataset "
            "(class LinearData(Dataset): ...).",
            "`LinearData` debe ser una clase hija de torch.utils.data.Dataset "
            "(class LinearData(Dataset): ...)."),
        "wrong_length": Message(
            "len(dataset) deveria ser {n_files} (uma amostra por arquivo da pasta recebida); "
            "veio {got}. Não fixe o tamanho nem o caminho da pasta.",
            "len(dataset) debería ser {n_files} (una muestra por archivo de la carpeta "
            "recibida); llegó {got}. No fijes el tamaño ni la ruta de la carpeta."),
        "item_not_a_pair": Message(
            "dataset[{i}] deve ser o par (x, y); veio {got}.",
            "dataset[{i}] debe ser el par (x, y); llegó {got}."),
        "item_not_a_tensor": Message(
            "dataset[{i}]: {name} deve ser um tensor; veio {type}. Converta com "
            "torch.tensor(..., dtype=torch.float32).",
            "dataset[{i}]: {name} debe ser un tensor; llegó {type}. Conviértelo con "
            "torch.tensor(..., dtype=torch.float32)."),
        "item_not_0d": Message(
            "dataset[{i}]: {name} deve ser um tensor 0-d (um número, formato ()); veio formato "
            "{shape}. Separe a linha em dois números: x, y = ...",
            "dataset[{i}]: {name} debe ser un tensor 0-d (un número, forma ()); llegó forma "
            "{shape}. Separa la fila en dos números: x, y = ..."),
        "item_not_float32": Message(
            "dataset[{i}]: {name} tem dtype {dtype}; esperado torch.float32 (np.loadtxt devolve "
            "float64: converta com dtype=torch.float32 ou .float()).",
            "dataset[{i}]: {name} tiene dtype {dtype}; se esperaba torch.float32 (np.loadtxt "
            "devuelve float64: convierte con dtype=torch.float32 o .float())."),
        "items_not_from_files": Message(
            "as amostras lidas não são as dos arquivos: o par (x, y) = {pair}, por exemplo, não "
            "aparece. Cada arquivo contém `x y`; leia-o com np.loadtxt.",
            "las muestras leídas no son las de los archivos: por ejemplo, el par (x, y) = {pair} "
            "no aparece. Cada archivo contiene `x y`; léelo con np.loadtxt."),
        "numeric_order": Message(
            "a ordem é a numérica (sample_2 antes de sample_10), mas o contrato pede a ordem dos "
            "nomes (sorted), em que 'sample_10.txt' vem antes de 'sample_2.txt'.",
            "el orden es el numérico (sample_2 antes de sample_10), pero el contrato pide el "
            "orden de los nombres (sorted), en el que 'sample_10.txt' va antes de "
            "'sample_2.txt'."),
        "not_sorted_by_name": Message(
            "as amostras não estão na ordem dos nomes dos arquivos. os.listdir devolve os nomes "
            "numa ordem arbitrária: ordene-os com sorted(...). Esperado dataset[{i}] = "
            "{expected} (arquivo {file}), veio {got}.",
            "las muestras no están en el orden de los nombres de archivo. os.listdir devuelve "
            "los nombres en un orden arbitrario: ordénalos con sorted(...). Se esperaba "
            "dataset[{i}] = {expected} (archivo {file}) y llegó {got}."),
    },
    "LinearModel": {
        "not_a_module": Message(
            "`LinearModel()` deve criar um torch.nn.Module (class LinearModel(nn.Module): ...).",
            "`LinearModel()` debe crear un torch.nn.Module (class LinearModel(nn.Module): ...)."),
        "missing_super_init": Message(
            "`LinearModel()` falhou: o __init__ não chamou super().__init__() antes de criar "
            "os parâmetros. Comece o __init__ com super().__init__(): é ele que prepara o "
            "registro de parâmetros do nn.Module.",
            "`LinearModel()` falló: el __init__ no llamó a super().__init__() antes de crear "
            "los parámetros. Empieza el __init__ con super().__init__(): es lo que prepara el "
            "registro de parámetros del nn.Module."),
        "no_parameters": Message(
            "LinearModel não tem parâmetros registrados: list(model.parameters()) está vazia. "
            "Tensores comuns (mesmo com requires_grad=True) ou guardados numa lista ficam "
            "invisíveis para parameters(), para o otimizador e para .to(device). Use "
            "self.a = nn.Parameter(...).",
            "LinearModel no tiene parámetros registrados: list(model.parameters()) está vacía. "
            "Los tensores comunes (aunque tengan requires_grad=True) o guardados en una lista "
            "son invisibles para parameters(), para el optimizador y para .to(device). Usa "
            "self.a = nn.Parameter(...)."),
        "wrong_parameter_names": Message(
            "os parâmetros de LinearModel devem se chamar a e b; vieram {names}. Crie self.a e "
            "self.b como nn.Parameter (sem nn.Linear).",
            "los parámetros de LinearModel deben llamarse a y b; llegaron {names}. Crea self.a "
            "y self.b como nn.Parameter (sin nn.Linear)."),
        "wrong_parameter_shape": Message(
            "o parâmetro {name} tem formato {shape}; esperado (1,), por exemplo "
            "nn.Parameter(torch.randn(1)).",
            "el parámetro {name} tiene forma {shape}; se esperaba (1,), por ejemplo "
            "nn.Parameter(torch.randn(1))."),
        "parameter_frozen": Message(
            "o parâmetro {name} tem requires_grad=False: o otimizador não o atualizaria.",
            "el parámetro {name} tiene requires_grad=False: el optimizador no lo actualizaría."),
        "forward_graph_broken": Message(
            "model(x) não tem grad_fn: o forward não usa os parâmetros com operações do torch "
            "(sem .item() ou torch.tensor(...)).",
            "model(x) no tiene grad_fn: el forward no usa los parámetros con operaciones de "
            "torch (sin .item() ni torch.tensor(...))."),
        "forward_gradient_wrong": Message(
            "o gradiente de model(x).sum() não chega corretamente a a e b (esperado d/da = soma "
            "de x, d/db = número de amostras).",
            "el gradiente de model(x).sum() no llega bien a a y b (se esperaba d/da = suma de "
            "x, d/db = número de muestras)."),
    },
    "train": {
        "train_mixed_devices": MIXED_DEVICES,
        "train_uses_notebook_device": Message(
            "train usou a variável `device` do notebook. Ela só coincide com o dispositivo do "
            "modelo por acaso: a correção treina modelos na CPU e, quando há GPU, na GPU. Leve "
            "cada lote para o dispositivo do modelo recebido: "
            "`model_device = next(model.parameters()).device` e depois `xb.to(model_device)`.",
            "train usó la variable `device` del notebook. Solo coincide con el dispositivo del "
            "modelo por casualidad: la corrección entrena modelos en la CPU y, cuando hay GPU, "
            "en la GPU. Lleva cada lote al dispositivo del modelo recibido: "
            "`model_device = next(model.parameters()).device` y después `xb.to(model_device)`."),
        "train_uses_model_a_b": Message(
            "train usou model.a ou model.b, e a correção também treina um nn.Linear, que não "
            "tem esses atributos. Use só o que todo nn.Module tem: model(xb), "
            "model.parameters() (por exemplo next(model.parameters()).device) e o optimizer "
            "recebido.",
            "train usó model.a o model.b, y la corrección también entrena un nn.Linear, que no "
            "tiene esos atributos. Usa solo lo que tiene todo nn.Module: model(xb), "
            "model.parameters() (por ejemplo next(model.parameters()).device) y el optimizer "
            "recibido."),
        "history_not_a_list": Message(
            "`train` deve devolver uma lista de floats; devolveu {type}.",
            "`train` debe devolver una lista de floats; devolvió {type}."),
        "wrong_history_length": Message(
            "train(..., epochs={epochs}) deve devolver {epochs} valores (um por época); "
            "devolveu {got}.",
            "train(..., epochs={epochs}) debe devolver {epochs} valores (uno por época); "
            "devolvió {got}."),
        "history_not_float": Message(
            "train: cada valor deve ser um float do Python; veio {type}. Some `loss.item()`, não "
            "o tensor.",
            "train: cada valor debe ser un float de Python; llegó {type}. Suma `loss.item()`, no "
            "el tensor."),
        "sum_of_batch_losses": Message(
            "train: você devolveu a soma das perdas dos lotes; o pedido é a média (divida pelo "
            "número de lotes).",
            "train: devolviste la suma de las pérdidas de los lotes; se pide la media (divide "
            "por el número de lotes)."),
        "weighted_by_batch_size": Message(
            "train: você ponderou cada lote pelo seu tamanho (média por amostra); o pedido é a "
            "média simples das perdas dos lotes (o último lote pode ser menor).",
            "train: ponderaste cada lote por su tamaño (media por muestra); se pide la media "
            "simple de las pérdidas de los lotes (el último lote puede ser menor)."),
        "batch_means_over_samples": Message(
            "train: você dividiu a soma das perdas dos lotes pelo número de amostras "
            "(len(loader.dataset)). Cada perda de lote já é uma média sobre as amostras do "
            "lote: divida a soma pelo número de lotes (len(loader)).",
            "train: dividiste la suma de las pérdidas de los lotes por el número de muestras "
            "(len(loader.dataset)). Cada pérdida de lote ya es una media sobre las muestras del "
            "lote: divide la suma por el número de lotes (len(loader))."),
        "wrong_batch_count": Message(
            "train: você dividiu a soma das perdas dos lotes por {count:g}, mas cada época tem "
            "{n_batches} lotes (o último pode ser menor). Divida pelo número de lotes: "
            "len(loader), ou conte-os no laço (com enumerate, o último índice é len(loader) − 1).",
            "train: dividiste la suma de las pérdidas de los lotes por {count:g}, pero cada "
            "época tiene {n_batches} lotes (el último puede ser menor). Divide por el número de "
            "lotes: len(loader), o cuéntalos en el ciclo (con enumerate, el último índice es "
            "len(loader) − 1)."),
        "last_batch_only": Message(
            "train: você devolveu só a perda do último lote de cada época; o pedido é a média "
            "das perdas de todos os lotes da época.",
            "train: devolviste solo la pérdida del último lote de cada época; se pide la media "
            "de las pérdidas de todos los lotes de la época."),
        "no_zero_grad": Message(
            "train: faltou optimizer.zero_grad() a cada lote; os gradientes se acumulam de um "
            "lote para o outro.",
            "train: falta optimizer.zero_grad() en cada lote; los gradientes se acumulan de un "
            "lote al siguiente."),
        "ignores_loss_fn": Message(
            "train: foi chamada com loss_fn={loss}(), mas usou MSELoss. Use a loss_fn recebida.",
            "train: se llamó con loss_fn={loss}(), pero usó MSELoss. Usa la loss_fn recibida."),
        "ignores_optimizer": Message(
            "train: os passos não vêm do optimizer recebido (parece um SGD novo com lr=0.01). "
            "Use o optimizer passado como argumento.",
            "train: los pasos no vienen del optimizer recibido (parece un SGD nuevo con "
            "lr=0.01). Usa el optimizer pasado como argumento."),
        "ignores_loader": Message(
            "train: os lotes não são os do loader recebido (parecem fatias de loader.dataset "
            "em ordem, sem o embaralhamento nem o drop_last do loader). Percorra o próprio "
            "loader: for xb, yb in loader.",
            "train: los lotes no son los del loader recibido (parecen rebanadas de "
            "loader.dataset en orden, sin la mezcla ni el drop_last del loader). Recorre el "
            "propio loader: for xb, yb in loader."),
        "wrong_epoch_losses": Message(
            "train: perdas por época esperadas [{expected}], obtidas [{got}]. Use o model, o "
            "optimizer e a loss_fn recebidos (sem criar outros) e, a cada lote: zero_grad(), "
            "forward, perda, backward(), step().",
            "train: pérdidas por época esperadas [{expected}], obtenidas [{got}]. Usa el model, "
            "el optimizer y la loss_fn recibidos (sin crear otros) y, en cada lote: zero_grad(), "
            "forward, pérdida, backward(), step()."),
        "wrong_trained_params": Message(
            "train: depois do treino, model.{name} = {got}, esperado {expected}. Um "
            "optimizer.step() por lote, sobre o modelo recebido.",
            "train: después del entrenamiento, model.{name} = {got}, se esperaba {expected}. Un "
            "optimizer.step() por lote, sobre el modelo recibido."),
    },
    "answer_batches": {
        "choice_a_last_batch_dropped": Message(
            "`{name}`: a alternativa {got} supõe que as amostras que sobram são descartadas. O "
            "DataLoader só faz isso com drop_last=True; por padrão, o resto vira um último lote "
            "menor. Confira com len(DataLoader(dataset, batch_size=32)).",
            "`{name}`: la opción {got} supone que las muestras que sobran se descartan. El "
            "DataLoader solo lo hace con drop_last=True; por defecto, el resto forma un último "
            "lote más chico. Compruébalo con len(DataLoader(dataset, batch_size=32))."),
        "choice_c_equal_batches": Message(
            "`{name}`: a alternativa {got} supõe que o DataLoader reparte as amostras por igual. "
            "Ele não reparte: cada lote tem exatamente batch_size amostras, menos talvez o "
            "último, que fica com o que sobra.",
            "`{name}`: la opción {got} supone que el DataLoader reparte las muestras por igual. "
            "No las reparte: cada lote tiene exactamente batch_size muestras, salvo quizás el "
            "último, que se queda con lo que sobra."),
        "choice_d_batch_size_is_count": Message(
            "`{name}`: a alternativa {got} lê batch_size como o número de lotes. batch_size é o "
            "número de amostras em cada lote; o número de lotes é N / batch_size, arredondado "
            "para cima.",
            "`{name}`: la opción {got} lee batch_size como el número de lotes. batch_size es el "
            "número de muestras de cada lote; el número de lotes es N / batch_size, redondeado "
            "hacia arriba."),
    },
    "answer_device": {
        "choice_a_to_not_in_place": Message(
            "`{name}`: na alternativa {got}, t.to(device) não move t: devolve uma cópia no "
            "outro dispositivo. Sem atribuir o resultado, xb continua na CPU e model(xb) falha "
            "do mesmo jeito.",
            "`{name}`: en la opción {got}, t.to(device) no mueve t: devuelve una copia en el "
            "otro dispositivo. Sin asignar el resultado, xb sigue en la CPU y model(xb) falla "
            "igual."),
        "choice_c_target_left_on_cpu": Message(
            "`{name}`: na alternativa {got}, a perda junta dois tensores: a previsão, que sai na "
            "GPU, e yb. Com yb na CPU, loss_fn(model(xb), yb) falha com o mesmo erro de "
            "dispositivos.",
            "`{name}`: en la opción {got}, la pérdida junta dos tensores: la predicción, que "
            "sale en la GPU, e yb. Con yb en la CPU, loss_fn(model(xb), yb) falla con el mismo "
            "error de dispositivos."),
        "choice_d_model_moved_again": Message(
            "`{name}`: na alternativa {got}, o modelo já está na GPU; o que está no lugar "
            "errado é o lote. Mover o modelo de novo não muda nada, e model(xb) com xb na CPU "
            "continua falhando.",
            "`{name}`: en la opción {got}, el modelo ya está en la GPU; lo que está en el lugar "
            "equivocado es el lote. Mover el modelo otra vez no cambia nada, y model(xb) con xb "
            "en la CPU sigue fallando."),
    },
}, hints={
    "one_backward_per_epoch": Message(
        "uma por época, n_epochs = {n}",
        "una por época, n_epochs = {n}"),
    "linear_model": Message(
        "o modelo é exatamente a*x + b, com os a e b recebidos (nada fixo).",
        "el modelo es exactamente a*x + b, con los a y b recibidos (nada fijo)."),
    "python_numbers": Message(
        "a e b também podem ser números Python.",
        "a y b también pueden ser números de Python."),
    "model_forward": Message(
        "forward(x) = self.a * x + self.b, com os parâmetros do modelo.",
        "forward(x) = self.a * x + self.b, con los parámetros del modelo."),
}, generic=GENERIC)
