"""Lesson 06: answers students write (keys are answer-cell grade_ids)."""
from course.lessons import Wrong

WRONG = {
    "vjp": {
        "switches on requires_grad of the caller's x": Wrong(
            "vjp_sets_requires_grad_on_x", '''def vjp(f, x, v):
    x.requires_grad_(True)
    y = f(x)
    y.backward(gradient=v)
    return x.grad'''),
        "ignores v (sum of the outputs)": Wrong("v_ignored", '''def vjp(f, x, v):
    x = x.detach().requires_grad_(True)
    f(x).sum().backward()
    return x.grad'''),
        "J times v instead of v^T J": Wrong("jv_instead_of_vjp", '''def vjp(f, x, v):
    J = torch.autograd.functional.jacobian(f, x)
    return J @ v'''),
        "x.clone() leaks the gradient into the caller's x": Wrong(
            "vjp_leaves_grad_on_x", '''def vjp(f, x, v):
    x = x.clone().requires_grad_(True)
    f(x).backward(gradient=v)
    return x.grad'''),
        "row matrix v^T J of shape (1, n)": Wrong("vjp_not_1d", '''def vjp(f, x, v):
    J = torch.autograd.functional.jacobian(f, x)
    return v.reshape(1, -1) @ J'''),
        "finite differences": Wrong("vjp_approximate", '''def vjp(f, x, v):
    eps = 1e-6
    n = x.shape[0]
    cols = []
    with torch.no_grad():
        for j in range(n):
            e = torch.zeros_like(x)
            e[j] = eps
            cols.append((f(x + e) - f(x - e)) / (2 * eps))
    J = torch.stack(cols, dim=1)
    return v @ J'''),
        "v times J without summing over the outputs": Wrong(
            "vjp_returned_matrix", '''def vjp(f, x, v):
    J = torch.autograd.functional.jacobian(f, x)
    return v[:, None] * J'''),
        "returns -x.grad (the descent direction)": Wrong("vjp_sign_flipped", '''def vjp(f, x, v):
    xx = x.detach().requires_grad_(True)
    f(xx).backward(gradient=v)
    return -xx.grad'''),
        "first element of torch.autograd.functional.vjp (the outputs)": Wrong(
            "vjp_in_output_space", '''def vjp(f, x, v):
    return torch.autograd.functional.vjp(f, x, v)[0]'''),
        "returns y.grad instead of x.grad": Wrong("vjp_in_output_space", '''def vjp(f, x, v):
    xx = x.detach().requires_grad_(True)
    y = f(xx)
    y.retain_grad()
    y.backward(gradient=v)
    return y.grad'''),
    },
    "jacobian": {
        "transposed (rows stacked as columns)": Wrong("jacobian_transposed", '''def jacobian(f, x):
    m = f(x.detach()).shape[0]
    eye = torch.eye(m, dtype=x.dtype, device=x.device)
    return torch.stack([vjp(f, x, eye[i]) for i in range(m)], dim=1)'''),
        "accumulates rows without zeroing": Wrong(
            "gradient_accumulated_across_rows", '''def jacobian(f, x):
    xx = x.detach().requires_grad_(True)
    y = f(xx)
    rows = []
    for i in range(len(y)):
        e = torch.zeros_like(y)
        e[i] = 1.0
        y.backward(e, retain_graph=True)
        rows.append(xx.grad.clone())
    return torch.stack(rows)'''),
        "every row is the same .grad tensor": Wrong(
            "rows_share_one_grad_tensor", '''def jacobian(f, x):
    xx = x.detach().requires_grad_(True)
    y = f(xx)
    rows = []
    for i in range(len(y)):
        if xx.grad is not None:
            xx.grad.zero_()
        e = torch.zeros_like(y)
        e[i] = 1.0
        y.backward(e, retain_graph=True)
        rows.append(xx.grad)
    return torch.stack(rows)'''),
        "returns a list of rows": Wrong("rows_returned_as_list", '''def jacobian(f, x):
    y = f(x.detach())
    return [vjp(f, x, e) for e in torch.eye(len(y), dtype=y.dtype, device=y.device)]'''),
        "assumes a square Jacobian": Wrong("raised", '''def jacobian(f, x):
    n = len(x)
    J = torch.zeros(n, n, dtype=x.dtype, device=x.device)
    for i in range(n):
        e = torch.zeros(n, dtype=x.dtype, device=x.device)
        e[i] = 1
        J[i] = vjp(f, x, e)
    return J'''),
        "finite differences": Wrong("jacobian_approximate", '''def jacobian(f, x):
    eps = 1e-6
    with torch.no_grad():
        cols = [(f(x + eps * e) - f(x - eps * e)) / (2 * eps)
                for e in torch.eye(len(x), dtype=x.dtype, device=x.device)]
    return torch.stack(cols, dim=1)'''),
        "switches on requires_grad of the caller's x": Wrong(
            "jacobian_sets_requires_grad_on_x", '''def jacobian(f, x):
    x.requires_grad_(True)
    y = f(x)
    rows = []
    for i in range(len(y)):
        e = torch.zeros_like(y)
        e[i] = 1.0
        (g,) = torch.autograd.grad(y, x, e, retain_graph=True)
        rows.append(g)
    return torch.stack(rows)'''),
        "ones_like instead of zeros_like for e_i": Wrong(
            "ones_instead_of_basis_vector", '''def jacobian(f, x):
    xx = x.detach().requires_grad_(True)
    y = f(xx)
    rows = []
    for i in range(len(y)):
        e = torch.ones_like(y)
        e[i] = 1.0
        (g,) = torch.autograd.grad(y, xx, e, retain_graph=True)
        rows.append(g)
    return torch.stack(rows)'''),
        "batched autograd.grad without [0] (a tuple)": Wrong(
            "rows_returned_as_tuple", '''def jacobian(f, x):
    xx = x.detach().requires_grad_(True)
    y = f(xx)
    eye = torch.eye(len(y), dtype=y.dtype, device=y.device)
    return torch.autograd.grad(y, xx, eye, is_grads_batched=True)'''),
        "differentiates the caller's x when it already requires grad": Wrong(
            "jacobian_leaves_grad_on_x", '''def jacobian(f, x):
    xx = x if x.requires_grad else x.detach().requires_grad_(True)
    y = f(xx)
    rows = []
    for i in range(len(y)):
        xx.grad = None
        e = torch.zeros_like(y)
        e[i] = 1.0
        y.backward(e, retain_graph=True)
        rows.append(xx.grad.clone())
    return torch.stack(rows)'''),
    },
    "answer_backward_gradient": {
        "J v": Wrong("wrong_choice", 'answer_backward_gradient = "a"'),
        "the whole Jacobian": Wrong("wrong_choice", 'answer_backward_gradient = "c"'),
        "v itself": Wrong("wrong_choice", 'answer_backward_gradient = "d"'),
    },
    "answer_no_grad_backward": {
        "only b": Wrong("wrong_choice", 'answer_no_grad_backward = "a"'),
        "gradients as usual": Wrong("wrong_choice", 'answer_no_grad_backward = "b"'),
        "zeros": Wrong("wrong_choice", 'answer_no_grad_backward = "d"'),
    },
}

CORRECT = {
    "vjp": {
        "backward(gradient=v) on a detached copy": '''def vjp(f, x, v):
    leaf = x.detach().clone()
    leaf.requires_grad = True
    y = f(leaf)
    y.backward(gradient=v)
    return leaf.grad''',
        "dot product with v, torch.autograd.grad": '''def vjp(f, x, v):
    with torch.enable_grad():
        xx = x.detach().requires_grad_()
        loss = torch.dot(v, f(xx))
        return torch.autograd.grad(loss, xx)[0]''',
    },
    "jacobian": {
        "backward loop, zeroing .grad, retain_graph": '''def jacobian(f, x):
    xx = x.detach().clone().requires_grad_(True)
    y = f(xx)
    J = torch.zeros(y.numel(), xx.numel(), dtype=y.dtype, device=y.device)
    for i in range(y.numel()):
        xx.grad = None
        e = torch.zeros_like(y)
        e[i] = 1.0
        y.backward(gradient=e, retain_graph=True)
        J[i] = xx.grad
    return J''',
        "float32 matrix (torch.zeros without dtype)": '''def jacobian(f, x):
    m = len(f(x.detach()))
    J = torch.zeros(m, len(x), device=x.device)
    for i in range(m):
        e = torch.zeros(m, dtype=x.dtype, device=x.device)
        e[i] = 1.0
        J[i] = vjp(f, x, e)
    return J''',
        "batched vector-Jacobian products": '''def jacobian(f, x):
    xx = x.detach().requires_grad_(True)
    y = f(xx)
    eye = torch.eye(y.shape[0], dtype=y.dtype, device=y.device)
    return torch.autograd.grad(y, xx, eye, is_grads_batched=True)[0]''',
    },
    "answer_backward_gradient": {"upper case": 'answer_backward_gradient = "B"'},
    "answer_no_grad_backward": {"with spaces": 'answer_no_grad_backward = " c "'},
}

# The demo student with "plausible mistakes" gets these wrong answers (one per exercise shown).
DEMO_MISTAKES = {"jacobian": "accumulates rows without zeroing", "answer_backward_gradient": "J v"}
