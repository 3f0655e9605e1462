"""Lesson 06: the mistakes its hidden tests recognise, per exercise (pt/es messages)."""
from course.checks.generic import GENERIC
from course.checks.mistakes import Message, Mistakes

# The same sentence for `vjp` and `jacobian` (each exercise has its own id).
APPROXIMATE = Message(
    "{what}: os valores batem só até ~1e-6 (esperado erro ~1e-12 em float64). Parece uma "
    "aproximação numérica (diferenças finitas) ou uma conversão de dtype; calcule com o "
    "autograd, no dtype de x.",
    "{what}: los valores coinciden solo hasta ~1e-6 (se espera un error ~1e-12 en float64). "
    "Parece una aproximación numérica (diferencias finitas) o una conversión de dtype; calcula "
    "con autograd, en el dtype de x.")
SETS_REQUIRES_GRAD_ON_X = Message(
    "`{name}` mudou x.requires_grad de {before} para {after}. Não ligue o gradiente no tensor "
    "de quem chama: trabalhe numa cópia, x.detach().requires_grad_(True).",
    "`{name}` cambió x.requires_grad de {before} a {after}. No actives el gradiente en el "
    "tensor de quien llama: trabaja sobre una copia, x.detach().requires_grad_(True).")
LEAVES_GRAD_ON_X = Message(
    "`{name}` deixou um .grad no x de quem chama. Derive em relação a uma cópia "
    "x.detach().requires_grad_(True) (ou use torch.autograd.grad). Atenção: x.clone() de um "
    "tensor que exige gradiente não é folha, e o backward atravessa a cópia até o x original.",
    "`{name}` dejó un .grad en el x de quien llama. Deriva respecto de una copia "
    "x.detach().requires_grad_(True) (o usa torch.autograd.grad). Ojo: x.clone() de un tensor "
    "que requiere gradiente no es una hoja, y el backward atraviesa la copia hasta el x "
    "original.")

MISTAKES = Mistakes({
    "vjp": {
        "vjp_not_1d": Message(
            "{what}: formato {got}, esperado {expected}. vᵀJ deve voltar com o formato de x, um "
            "vetor 1-D (use .reshape(x.shape)).",
            "{what}: forma {got}, se esperaba {expected}. vᵀJ debe volver con la forma de x, un "
            "vector 1-D (usa .reshape(x.shape))."),
        "vjp_returned_matrix": Message(
            "{what}: formato {got}, esperado {expected}. Isso é uma matriz (o jacobiano ou v*J); "
            "vᵀJ soma sobre as saídas e tem uma entrada por componente de x.",
            "{what}: forma {got}, se esperaba {expected}. Eso es una matriz (el jacobiano o "
            "v*J); vᵀJ suma sobre las salidas y tiene una entrada por componente de x."),
        "vjp_in_output_space": Message(
            "{what}: valor errado. Isso está no espaço das saídas de f; vᵀJ tem uma entrada "
            "por componente de x (é o que chega em x.grad).",
            "{what}: valor incorrecto. Eso está en el espacio de las salidas de f; vᵀJ tiene "
            "una entrada por componente de x (es lo que llega a x.grad)."),
        "jv_instead_of_vjp": Message(
            "{what}: valor errado. Isso é J·v (combinação das colunas), não vᵀJ = Jᵀv "
            "(combinação das linhas). Confira a transposição.",
            "{what}: valor incorrecto. Eso es J·v (combinación de columnas), no vᵀJ = Jᵀv "
            "(combinación de filas). Revisa la transposición."),
        "v_ignored": Message(
            "{what}: valor errado. O vetor v foi ignorado: isso é 1ᵀJ, o que dá "
            "y.sum().backward(). Passe v: y.backward(gradient=v) ou "
            "torch.autograd.grad(y, x, grad_outputs=v).",
            "{what}: valor incorrecto. Se ignoró el vector v: eso es 1ᵀJ, lo que da "
            "y.sum().backward(). Pasa v: y.backward(gradient=v) o torch.autograd.grad(y, x, "
            "grad_outputs=v)."),
        "vjp_sign_flipped": Message(
            "{what}: valor errado. Sinal trocado: isso é -vᵀJ.",
            "{what}: valor incorrecto. Signo invertido: eso es -vᵀJ."),
        "vjp_approximate": APPROXIMATE,
        "vjp_sets_requires_grad_on_x": SETS_REQUIRES_GRAD_ON_X,
        "vjp_leaves_grad_on_x": LEAVES_GRAD_ON_X,
        "vjp_built_full_jacobian": Message(
            "`vjp` montou o jacobiano inteiro com {how} para depois multiplicar por v. Um VJP é "
            "uma única passagem para trás, sem montar J: y.backward(gradient=v) ou "
            "torch.autograd.grad(y, x, grad_outputs=v).",
            "`vjp` armó el jacobiano completo con {how} para después multiplicarlo por v. Un "
            "VJP es una sola pasada hacia atrás, sin armar J: y.backward(gradient=v) o "
            "torch.autograd.grad(y, x, grad_outputs=v)."),
        "vjp_without_backward": Message(
            "`vjp` não fez nenhuma passagem para trás do autograd (backward ou "
            "torch.autograd.grad): o exercício pede vᵀJ calculado pelo autograd, não por "
            "diferenças finitas nem pelo modo direto (colunas de J).",
            "`vjp` no hizo ninguna pasada hacia atrás de autograd (backward o "
            "torch.autograd.grad): el ejercicio pide vᵀJ calculado por autograd, no con "
            "diferencias finitas ni con el modo directo (columnas de J)."),
        "vjp_several_backward_passes": Message(
            "`vjp` fez {runs} passagens para trás para uma f com {m} saídas: parece que montou "
            "J linha por linha para depois multiplicar por v. Um VJP sai de uma só passagem, "
            "com o próprio v: y.backward(gradient=v).",
            "`vjp` hizo {runs} pasadas hacia atrás para una f con {m} salidas: parece que armó "
            "J fila por fila para después multiplicarlo por v. Un VJP sale de una sola pasada, "
            "con el propio v: y.backward(gradient=v)."),
    },
    "jacobian": {
        "jacobian_uses_notebook_device": Message(
            "`jacobian` usou a variável `device` do notebook. Ela só coincide com o dispositivo "
            "de x por acaso: a correção chama jacobian com x na CPU e, quando há GPU, na GPU. "
            "Crie a base e o resultado no dispositivo das entradas: "
            "`torch.eye(len(y), dtype=y.dtype, device=y.device)`.",
            "`jacobian` usó la variable `device` del notebook. Solo coincide con el dispositivo "
            "de x por casualidad: la corrección llama a jacobian con x en la CPU y, cuando hay "
            "GPU, en la GPU. Crea la base y el resultado en el dispositivo de las entradas: "
            "`torch.eye(len(y), dtype=y.dtype, device=y.device)`."),
        "jacobian_transposed": Message(
            "{what}: valor errado. Isso é a transposta: J[i, j] = ∂f_i/∂x_j, uma linha por "
            "saída de f e uma coluna por componente de x.",
            "{what}: valor incorrecto. Eso es la traspuesta: J[i, j] = ∂f_i/∂x_j, una fila por "
            "salida de f y una columna por componente de x."),
        "jacobian_graph_freed_no_retain": Message(
            "`jacobian`: o segundo backward deu \"Trying to backward through the graph a second "
            "time\": o backward da primeira linha liberou os tensores que o grafo de y = f(x) "
            "tinha guardado. Um forward só serve para todas as linhas se cada backward, menos o "
            "último, receber retain_graph=True.",
            "`jacobian`: el segundo backward dio \"Trying to backward through the graph a second "
            "time\": el backward de la primera fila liberó los tensores que el grafo de "
            "y = f(x) había guardado. Un solo forward sirve para todas las filas si cada "
            "backward, salvo el último, recibe retain_graph=True."),
        "grad_zeroed_before_first_backward": Message(
            "{error}\nProvável causa: x.grad é None até o primeiro backward(), então um "
            "x.grad.zero_() no começo do laço falha logo na primeira linha (o "
            "optimizer.zero_grad() pula os .grad ainda vazios; .zero_() não). Zere depois de "
            "copiar cada linha, use x.grad = None, ou proteja a linha com "
            "`if x.grad is not None:`; com torch.autograd.grad nem é preciso zerar.",
            "{error}\nCausa probable: x.grad es None hasta el primer backward(), así que un "
            "x.grad.zero_() al comienzo del bucle falla en la primera fila "
            "(optimizer.zero_grad() salta los .grad todavía vacíos; .zero_() no). Ponlo en cero "
            "después de copiar cada fila, usa x.grad = None, o protege la línea con "
            "`if x.grad is not None:`; con torch.autograd.grad ni siquiera hace falta."),
        "gradient_accumulated_across_rows": Message(
            "{what}: valor errado. A linha k é a soma das linhas 0…k: o gradiente acumulou "
            "entre os backward. Zere x.grad a cada linha (ou use torch.autograd.grad, que não "
            "acumula) e guarde uma cópia de cada linha.",
            "{what}: valor incorrecto. La fila k es la suma de las filas 0…k: el gradiente se "
            "acumuló entre los backward. Pon x.grad a cero en cada fila (o usa "
            "torch.autograd.grad, que no acumula) y guarda una copia de cada fila."),
        "basis_sized_like_x": Message(
            "{error}\nProvável causa: o vetor passado ao backward (grad_outputs) deve ter o "
            "formato da saída y = f(x), não o de x. A linha i de J usa e_i do tamanho de y "
            "(torch.eye(len(y))), e J tem len(y) linhas: f pode mudar o tamanho.",
            "{error}\nCausa probable: el vector que se pasa al backward (grad_outputs) debe "
            "tener la forma de la salida y = f(x), no la de x. La fila i de J usa e_i del "
            "tamaño de y (torch.eye(len(y))), y J tiene len(y) filas: f puede cambiar el "
            "tamaño."),
        "ones_instead_of_basis_vector": Message(
            "{what}: valor errado. Todas as linhas valem 1ᵀJ: o vetor v de cada linha deve ser "
            "a base e_i (1 na posição i, 0 no resto).",
            "{what}: valor incorrecto. Todas las filas valen 1ᵀJ: el vector v de cada fila debe "
            "ser la base e_i (1 en la posición i, 0 en el resto)."),
        "rows_share_one_grad_tensor": Message(
            "{what}: valor errado. Todas as linhas são iguais à última: guarde uma cópia de "
            "cada linha (x.grad.clone()), não o mesmo tensor que depois é sobrescrito.",
            "{what}: valor incorrecto. Todas las filas son iguales a la última: guarda una copia "
            "de cada fila (x.grad.clone()), no el mismo tensor que luego se sobrescribe."),
        "rows_returned_as_list": Message(
            "`jacobian` devolveu uma lista de linhas; devolva um único tensor de formato "
            "(len(f(x)), len(x)), por exemplo com torch.stack(linhas).",
            "`jacobian` devolvió una lista de filas; devuelve un único tensor de forma "
            "(len(f(x)), len(x)), por ejemplo con torch.stack(filas)."),
        "rows_returned_as_tuple": Message(
            "`jacobian` devolveu uma tupla de linhas; devolva um único tensor de formato "
            "(len(f(x)), len(x)), por exemplo com torch.stack(linhas).",
            "`jacobian` devolvió una tupla de filas; devuelve un único tensor de forma "
            "(len(f(x)), len(x)), por ejemplo con torch.stack(filas)."),
        "jacobian_approximate": APPROXIMATE,
        "jacobian_sets_requires_grad_on_x": SETS_REQUIRES_GRAD_ON_X,
        "jacobian_leaves_grad_on_x": LEAVES_GRAD_ON_X,
        "used_functional_jacobian": Message(
            "`jacobian` chamou torch.autograd.functional.jacobian, a função pronta. O exercício "
            "pede que você monte J com produtos vetor-jacobiano: uma passagem para trás por "
            "linha, com v = e_i.",
            "`jacobian` llamó a torch.autograd.functional.jacobian, la función lista. El "
            "ejercicio pide que armes J con productos vector-jacobiano: una pasada hacia atrás "
            "por fila, con v = e_i."),
        "used_jacrev": Message(
            "`jacobian` chamou torch.func.jacrev, a versão pronta do que o exercício pede. Monte "
            "J você mesmo, uma linha por produto vetor-jacobiano (v = e_i), com backward ou "
            "torch.autograd.grad.",
            "`jacobian` llamó a torch.func.jacrev, la versión lista de lo que pide el "
            "ejercicio. Arma J tú, una fila por producto vector-jacobiano (v = e_i), con "
            "backward o torch.autograd.grad."),
        "used_functional_jvp": Message(
            "`jacobian` chamou torch.autograd.functional.jvp, que dá J coluna por coluna no "
            "modo direto (com um truque de duas passagens para trás). O exercício pede J montado "
            "linha por linha com produtos vetor-jacobiano: uma passagem para trás por linha, com "
            "v = e_i.",
            "`jacobian` llamó a torch.autograd.functional.jvp, que da J columna por columna en "
            "modo directo (con un truco de dos pasadas hacia atrás). El ejercicio pide J armado "
            "fila por fila con productos vector-jacobiano: una pasada hacia atrás por fila, con "
            "v = e_i."),
        "used_jacfwd": Message(
            "`jacobian` chamou torch.func.jacfwd, que monta J pronto, coluna por coluna, no "
            "modo direto. O exercício pede J montado linha por linha com produtos "
            "vetor-jacobiano (modo reverso).",
            "`jacobian` llamó a torch.func.jacfwd, que arma J listo, columna por columna, en el "
            "modo directo. El ejercicio pide J armado fila por fila con productos "
            "vector-jacobiano (modo inverso)."),
        "jacobian_not_from_vjps": Message(
            "`jacobian` não fez nenhuma passagem para trás do autograd: J saiu de outro caminho "
            "(colunas pelo modo direto, torch.func.jvp ou números duais). O exercício pede uma "
            "linha por produto vetor-jacobiano, com backward ou torch.autograd.grad.",
            "`jacobian` no hizo ninguna pasada hacia atrás de autograd: J salió por otro camino "
            "(columnas con el modo directo, torch.func.jvp o números duales). El ejercicio pide "
            "una fila por producto vector-jacobiano, con backward o torch.autograd.grad."),
        "jacobian_forward_mode": Message(
            "`jacobian` derivou f no modo direto (torch.func.jvp, torch.autograd.forward_ad, "
            "números duais): f recebeu um tensor com tangente. Uma passagem para trás feita "
            "ao lado não muda isso: o exercício pede J montado linha por linha com produtos "
            "vetor-jacobiano (modo reverso), com backward ou torch.autograd.grad.",
            "`jacobian` derivó f en modo directo (torch.func.jvp, torch.autograd.forward_ad, "
            "números duales): f recibió un tensor con tangente. Una pasada hacia atrás hecha "
            "aparte no cambia eso: el ejercicio pide J armado fila por fila con productos "
            "vector-jacobiano (modo inverso), con backward o torch.autograd.grad."),
        "jacobian_uses_unanswered_vjp": Message(
            "`jacobian` chama a sua vjp, que ainda não foi respondida (o exercício 1 levanta "
            "NotImplementedError). Escreva o produto vetor-jacobiano dentro de jacobian (são "
            "duas linhas): assim este exercício não depende do outro.",
            "`jacobian` llama a tu vjp, que todavía no fue respondida (el ejercicio 1 lanza "
            "NotImplementedError). Escribe el producto vector-jacobiano dentro de jacobian (son "
            "dos líneas): así este ejercicio no depende del otro."),
    },
    "answer_backward_gradient": {
        "choice_a_column_not_row": Message(
            "`{name}`: a alternativa {got} troca linha por coluna. O backward com v = e_i "
            "calcula e_iᵀJ, que combina as linhas de J; o resultado vai para x.grad e tem, "
            "portanto, o formato de x.",
            "`{name}`: la opción {got} confunde fila con columna. El backward con v = e_i "
            "calcula e_iᵀJ, que combina las filas de J; el resultado va a x.grad y tiene, por "
            "lo tanto, la forma de x."),
        "choice_c_masked_matrix": Message(
            "`{name}`: a alternativa {got} supõe que o backward devolve uma matriz. x.grad tem "
            "sempre o formato de x: o backward soma sobre as saídas, vᵀJ, e uma passagem dá "
            "um único vetor.",
            "`{name}`: la opción {got} supone que el backward devuelve una matriz. x.grad "
            "tiene siempre la forma de x: el backward suma sobre las salidas, vᵀJ, y una "
            "pasada da un único vector."),
        "choice_d_v_itself": Message(
            "`{name}`: na alternativa {got}, v é o gradiente que chega em y, não em x. Até x, "
            "o backward atravessa o grafo e multiplica v pelo jacobiano de f; o resultado tem "
            "uma entrada por componente de x.",
            "`{name}`: en la opción {got}, v es el gradiente que llega a y, no a x. Hasta x, el "
            "backward atraviesa el grafo y multiplica v por el jacobiano de f; el resultado "
            "tiene una entrada por componente de x."),
    },
    "answer_no_grad_backward": {
        "choice_a_only_b": Message(
            "`{name}`: a alternativa {got} supõe que no_grad só afeta a multiplicação por w. "
            "Dentro do bloco nenhuma operação é gravada, a soma com b incluída: z sai sem "
            "grad_fn.",
            "`{name}`: la opción {got} supone que no_grad solo afecta la multiplicación por w. "
            "Dentro del bloque no se registra ninguna operación, la suma con b incluida: z sale "
            "sin grad_fn."),
        "choice_b_graph_at_backward": Message(
            "`{name}`: a alternativa {got} supõe que o grafo é montado no backward. Ele é "
            "gravado no forward, operação por operação; o que foi calculado dentro do no_grad "
            "não tem grafo, não importa onde o backward é chamado.",
            "`{name}`: la opción {got} supone que el grafo se arma en el backward. Se registra "
            "en el forward, operación por operación; lo que se calculó dentro del no_grad no "
            "tiene grafo, sin importar dónde se llame al backward."),
        "choice_d_zero_gradients": Message(
            "`{name}`: a alternativa {got} supõe que o autograd preenche zeros onde não há "
            "caminho. Ele não preenche nada: sem grafo até w e b, o backward não tem o que "
            "percorrer. Experimente numa célula e veja o que acontece.",
            "`{name}`: la opción {got} supone que autograd completa con ceros donde no hay "
            "camino. No completa nada: sin grafo hasta w y b, el backward no tiene nada que "
            "recorrer. Pruébalo en una celda y mira qué pasa."),
    },
}, generic=GENERIC)
