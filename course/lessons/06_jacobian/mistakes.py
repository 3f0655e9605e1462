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
            "{what}: formato {got}, esperado {expected}. Isso é uma matriz (a Jacobiana ou v*J); "
            "vᵀJ soma sobre as saídas e tem uma entrada por componente de x.",
            "{what}: forma {got}, se esperaba {expected}. Eso es una matriz (el jacobiano o "
            "v*J); vᵀJ suma sobre las salidas y tiene una entrada por componente de x."),
        "vjp_in_output_space": Message(
            "{what}: valor errado. Isso é o espaço das saídas de f; vᵀJ tem uma entrada por "
            "componente de x (é o que chega em x.grad).",
            "{what}: valor incorrecto. Eso es el espacio de las salidas de f; vᵀJ tiene una "
            "entrada por componente de x (es lo que llega a x.grad)."),
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
    },
    "jacobian": {
        "jacobian_transposed": Message(
            "{what}: valor errado. Isso é a transposta: J[i, j] = ∂f_i/∂x_j, uma linha por "
            "saída de f e uma coluna por componente de x.",
            "{what}: valor incorrecto. Eso es la traspuesta: J[i, j] = ∂f_i/∂x_j, una fila por "
            "salida de f y una columna por componente de x."),
        "gradient_accumulated_across_rows": Message(
            "{what}: valor errado. A linha k é a soma das linhas 0…k: o gradiente acumulou "
            "entre os backward. Zere x.grad a cada linha (ou use torch.autograd.grad, que não "
            "acumula) e guarde uma cópia de cada linha.",
            "{what}: valor incorrecto. La fila k es la suma de las filas 0…k: el gradiente se "
            "acumuló entre los backward. Pon x.grad a cero en cada fila (o usa "
            "torch.autograd.grad, que no acumula) y guarda una copia de cada fila."),
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
    },
}, generic=GENERIC)
