"""Lesson 06: answers students write (keys are answer-cell grade_ids)."""
from course.lessons import Wrong

WRONG = {
    "vjp": {
        "whole Jacobian in one batched pass, then v @ J": Wrong("vjp_built_full_jacobian", '''def vjp(f, x, v):
    xd = x.detach().requires_grad_(True)
    y = f(xd)
    eye = torch.eye(y.numel(), dtype=y.dtype, device=y.device)
    (J,) = torch.autograd.grad(y, xd, eye, is_grads_batched=True)
    return v @ J'''),
        "whole Jacobian with vmap over torch.func.vjp, then v @ J": Wrong("vjp_built_full_jacobian", '''def vjp(f, x, v):
    y, pull = torch.func.vjp(f, x.detach())
    eye = torch.eye(y.numel(), dtype=y.dtype, device=y.device)
    (J,) = torch.func.vmap(pull)(eye)
    return v @ J'''),
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
        "whole Jacobian from torch.autograd.functional, then v @ J": Wrong(
            "vjp_built_full_jacobian", '''def vjp(f, x, v):
    J = torch.autograd.functional.jacobian(f, x)
    return v @ J'''),
        "torch.func.jacrev imported by name, then v @ J": Wrong(
            "vjp_built_full_jacobian", '''from torch.func import jacrev


def vjp(f, x, v):
    return v @ jacrev(f)(x.detach())'''),
        "one backward per row, then v @ J": Wrong("vjp_several_backward_passes", '''def vjp(f, x, v):
    xx = x.detach().requires_grad_(True)
    y = f(xx)
    rows = []
    for i in range(len(y)):
        (row,) = torch.autograd.grad(y[i], xx, retain_graph=True)
        rows.append(row)
    return v @ torch.stack(rows)'''),
        "forward-mode columns (torch.func.jvp), then v @ J": Wrong(
            "vjp_without_backward", '''def vjp(f, x, v):
    basis = torch.eye(len(x), dtype=x.dtype, device=x.device)
    cols = [torch.func.jvp(f, (x.detach(),), (e,))[1] for e in basis]
    return v @ torch.stack(cols, dim=1)'''),
    },
    "jacobian": {
        "basis on the notebook's device": Wrong("jacobian_uses_notebook_device", '''def jacobian(f, x):
    x = x.detach().clone().requires_grad_(True)
    y = f(x)
    basis = torch.eye(len(y), dtype=y.dtype, device=device)
    rows = [torch.autograd.grad(y, x, e, retain_graph=True)[0] for e in basis]
    return torch.stack(rows)'''),
        "result on the notebook's device": Wrong("jacobian_uses_notebook_device", '''def jacobian(f, x):
    x = x.detach().clone().requires_grad_(True)
    y = f(x)
    J = torch.zeros(len(y), len(x), dtype=x.dtype, device=device)
    for i in range(len(y)):
        e = torch.zeros_like(y)
        e[i] = 1
        J[i] = torch.autograd.grad(y, x, e, retain_graph=True)[0]
    return J'''),
        "forward-mode columns with functional.jvp": Wrong("used_functional_jvp", '''def jacobian(f, x):
    xd = x.detach()
    eye = torch.eye(xd.numel(), dtype=xd.dtype, device=xd.device)
    return torch.stack([torch.autograd.functional.jvp(f, xd, e)[1] for e in eye], dim=1)'''),
        "transposed (rows stacked as columns)": Wrong("jacobian_transposed", '''def jacobian(f, x):
    m = f(x.detach()).shape[0]
    eye = torch.eye(m, dtype=x.dtype, device=x.device)
    return torch.stack([vjp(f, x, eye[i]) for i in range(m)], dim=1)'''),
        "one forward, backward without retain_graph": Wrong(
            "jacobian_graph_freed_no_retain", '''def jacobian(f, x):
    xx = x.detach().clone().requires_grad_(True)
    y = f(xx)
    rows = []
    for i in range(len(y)):
        e = torch.zeros_like(y)
        e[i] = 1.0
        (row,) = torch.autograd.grad(y, xx, e)
        rows.append(row)
    return torch.stack(rows)'''),
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
        "assumes a square Jacobian": Wrong("basis_sized_like_x", '''def jacobian(f, x):
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
        "torch.autograd.functional.jacobian": Wrong("used_functional_jacobian", '''def jacobian(f, x):
    return torch.autograd.functional.jacobian(f, x.detach())'''),
        "the ready-made jacobian imported by name": Wrong(
            "used_functional_jacobian", '''from torch.autograd.functional import jacobian as full_jacobian


def jacobian(f, x):
    return full_jacobian(f, x)'''),
        "torch.func.jacrev": Wrong("used_jacrev", '''def jacobian(f, x):
    return torch.func.jacrev(f)(x.detach())'''),
        "torch.func.jacfwd": Wrong("used_jacfwd", '''def jacobian(f, x):
    return torch.func.jacfwd(f)(x.detach())'''),
        "columns by torch.func.jvp (forward mode)": Wrong(
            "jacobian_not_from_vjps", '''def jacobian(f, x):
    cols = []
    for e in torch.eye(len(x), dtype=x.dtype, device=x.device):
        _, col = torch.func.jvp(f, (x.detach(),), (e,))
        cols.append(col)
    return torch.stack(cols, dim=1)'''),
        "columns by dual numbers (forward_ad)": Wrong(
            "jacobian_not_from_vjps", '''import torch.autograd.forward_ad as fwAD


def jacobian(f, x):
    cols = []
    for e in torch.eye(len(x), dtype=x.dtype, device=x.device):
        with fwAD.dual_level():
            out = f(fwAD.make_dual(x.detach(), e))
            cols.append(fwAD.unpack_dual(out).tangent)
    return torch.stack(cols, dim=1)'''),
        "calls vjp while exercise 1 is unanswered": Wrong(
            "jacobian_uses_unanswered_vjp", '''def vjp(f, x, v):
    # SEU CÓDIGO AQUI
    raise NotImplementedError("Exercício ainda não respondido")


def jacobian(f, x):
    y = f(x.detach())
    basis = torch.eye(len(y), dtype=y.dtype, device=y.device)
    return torch.stack([vjp(f, x, e) for e in basis])'''),
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
        "a column of J": Wrong("choice_a_column_not_row", 'answer_backward_gradient = "a"'),
        "a masked matrix": Wrong("choice_c_masked_matrix", 'answer_backward_gradient = "C"'),
        "v itself": Wrong("choice_d_v_itself", 'answer_backward_gradient = "(d)"'),
        "two letters": Wrong("not_a_choice", 'answer_backward_gradient = "b, c"'),
    },
    "answer_no_grad_backward": {
        "only b": Wrong("choice_a_only_b", 'answer_no_grad_backward = "a"'),
        "gradients as usual": Wrong("choice_b_graph_at_backward", 'answer_no_grad_backward = "b"'),
        "zeros": Wrong("choice_d_zero_gradients", 'answer_no_grad_backward = " d "'),
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
        "clone with torch.autograd.grad (no .grad is written)": '''def vjp(f, x, v):
    xc = x.clone().requires_grad_(True)
    return torch.autograd.grad(f(xc), xc, grad_outputs=v)[0]''',
        "torch.func.vjp": '''def vjp(f, x, v):
    _, pullback = torch.func.vjp(f, x.detach())
    return pullback(v)[0]''',
        "torch.autograd.functional.vjp": '''def vjp(f, x, v):
    return torch.autograd.functional.vjp(f, x.detach(), v)[1]''',
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
    xx = x.detach().requires_grad_(True)
    y = f(xx)
    m = len(y)
    J = torch.zeros(m, len(x), device=x.device)
    for i in range(m):
        e = torch.zeros(m, dtype=x.dtype, device=x.device)
        e[i] = 1.0
        J[i] = torch.autograd.grad(y, xx, e, retain_graph=True)[0]
    return J''',
        "rows from torch.func.vjp": '''def jacobian(f, x):
    y, pullback = torch.func.vjp(f, x.detach())
    basis = torch.eye(len(y), dtype=y.dtype, device=y.device)
    return torch.stack([pullback(e)[0] for e in basis])''',
        "vmap over torch.func.vjp (a batch of vector-Jacobian products)": '''def jacobian(f, x):
    y, pullback = torch.func.vjp(f, x.detach())
    basis = torch.eye(len(y), dtype=y.dtype, device=y.device)
    return torch.func.vmap(pullback)(basis)[0]''',
        "uses the answer to exercise 1": '''def jacobian(f, x):
    y = f(x.detach())
    return torch.stack([vjp(f, x, e) for e in torch.eye(len(y), dtype=y.dtype, device=y.device)])''',
        "batched vector-Jacobian products": '''def jacobian(f, x):
    xx = x.detach().requires_grad_(True)
    y = f(xx)
    eye = torch.eye(y.shape[0], dtype=y.dtype, device=y.device)
    return torch.autograd.grad(y, xx, eye, is_grads_batched=True)[0]''',
    },
    "answer_backward_gradient": {"upper case": 'answer_backward_gradient = "B"',
                                 "with spaces": 'answer_backward_gradient = " B "',
                                 "in parentheses": 'answer_backward_gradient = "(b)"'},
    "answer_no_grad_backward": {"with spaces": 'answer_no_grad_backward = " c "',
                                "in parentheses": 'answer_no_grad_backward = "(C)"'},
}

# The demo student with "plausible mistakes" gets these wrong answers (one per exercise shown).
DEMO_MISTAKES = {"jacobian": "accumulates rows without zeroing",
                 "answer_backward_gradient": "a column of J"}


# Round 4 of student answers (rt6): differently-written correct answers and the mistakes
# they make, each run through the hidden tests by tests/lessons/test_answers.py.
CORRECT.setdefault('vjp', {})['rt6: vjp torch.autograd.functional.vjp'] = '''def vjp(f, x, v):
    return torch.autograd.functional.vjp(f, x.detach(), v)[1]'''
CORRECT.setdefault('vjp', {})['rt6: vjp torch.func.vjp'] = '''def vjp(f, x, v):
    _, fn = torch.func.vjp(f, x.detach())
    return fn(v)[0]'''
CORRECT.setdefault('vjp', {})['rt6: vjp backward(v) on detached copy'] = '''def vjp(f, x, v):
    x2 = x.detach().clone().requires_grad_(True)
    f(x2).backward(v)
    return x2.grad'''
CORRECT.setdefault('vjp', {})['rt6: vjp v as column'] = '''def vjp(f, x, v):
    x2 = x.detach().requires_grad_(True)
    y = f(x2)
    (g,) = torch.autograd.grad(y.reshape(-1, 1), x2, v.reshape(-1, 1))
    return g'''
CORRECT.setdefault('vjp', {})['rt6: vjp uses x directly'] = '''def vjp(f, x, v):
    xx = x if x.requires_grad else x.detach().requires_grad_(True)
    (g,) = torch.autograd.grad(f(xx), xx, v)
    return g'''
WRONG.setdefault('vjp', {})['rt6: vjp grad_outputs ones then'] = Wrong('wrong_value', '''def vjp(f, x, v):
    x2 = x.detach().requires_grad_(True)
    y = f(x2)
    (g,) = torch.autograd.grad(y, x2, torch.ones_like(y))
    return g * v if g.shape == v.shape else g * v.sum()''')
CORRECT.setdefault('jacobian', {})['rt6: jac rows autograd.grad, basis eye(m)'] = '''def jacobian(f, x):
    x2 = x.detach().requires_grad_(True)
    y = f(x2)
    E = torch.eye(len(y), dtype=y.dtype, device=y.device)
    rows = [torch.autograd.grad(y, x2, E[i], retain_graph=True)[0] for i in range(len(y))]
    return torch.stack(rows)'''
WRONG.setdefault('jacobian', {})['rt6: jac basis eye(len(x))'] = Wrong('basis_sized_like_x', '''def jacobian(f, x):
    x2 = x.detach().requires_grad_(True)
    y = f(x2)
    E = torch.eye(len(x), dtype=y.dtype, device=y.device)
    rows = [torch.autograd.grad(y, x2, E[i], retain_graph=True)[0] for i in range(len(x))]
    return torch.stack(rows)''')
CORRECT.setdefault('jacobian', {})['rt6: jac recompute f each row'] = '''def jacobian(f, x):
    x2 = x.detach().requires_grad_(True)
    m = f(x2).numel()
    J = []
    for i in range(m):
        y = f(x2)
        J.append(torch.autograd.grad(y[i], x2)[0])
    return torch.stack(J)'''
CORRECT.setdefault('jacobian', {})['rt6: jac is_grads_batched'] = '''def jacobian(f, x):
    x2 = x.detach().requires_grad_(True)
    y = f(x2)
    E = torch.eye(y.numel(), dtype=y.dtype, device=y.device)
    return torch.autograd.grad(y, x2, E, is_grads_batched=True)[0]'''
CORRECT.setdefault('jacobian', {})['rt6: jac vmap over func.vjp'] = '''def jacobian(f, x):
    y, fn = torch.func.vjp(f, x.detach())
    E = torch.eye(y.numel(), dtype=y.dtype, device=y.device)
    return torch.func.vmap(fn)(E)[0]'''
WRONG.setdefault('jacobian', {})['rt6: jac columns by torch.func.jvp'] = Wrong('jacobian_not_from_vjps', '''def jacobian(f, x):
    x = x.detach()
    E = torch.eye(x.numel(), dtype=x.dtype, device=x.device)
    cols = [torch.func.jvp(f, (x,), (E[j],))[1] for j in range(x.numel())]
    return torch.stack(cols, dim=1)''')
CORRECT.setdefault('jacobian', {})['rt6: jac backward(gradient=e_i) with x2.grad=None'] = '''def jacobian(f, x):
    x2 = x.detach().clone().requires_grad_(True)
    y = f(x2); rows = []
    for i in range(y.shape[0]):
        e = torch.zeros_like(y); e[i] = 1
        x2.grad = None
        y.backward(e, retain_graph=True)
        rows.append(x2.grad)
    return torch.stack(rows)'''

# Round 5 (rt7): more of the mistakes and correct variants a real class hands in.
WRONG['jacobian']['rt7: jac x.grad.zero_() at the top of the loop'] = Wrong('grad_zeroed_before_first_backward', '''def jacobian(f, x):
    xx = x.detach().requires_grad_(True)
    y = f(xx)
    J = []
    for i in range(len(y)):
        xx.grad.zero_()
        y[i].backward(retain_graph=True)
        J.append(xx.grad.clone())
    return torch.vstack(J)''')
CORRECT['jacobian']['rt7: jac y[i].backward, guarded zero_, vstack'] = '''def jacobian(f, x):
    xx = x.detach().requires_grad_(True)
    y = f(xx)
    J = []
    for i in range(len(y)):
        if xx.grad is not None:
            xx.grad.zero_()
        y[i].backward(retain_graph=True)
        J.append(xx.grad.clone())
    return torch.vstack(J)'''
CORRECT['jacobian']['rt7: jac rows re-wrapped from tolist()'] = '''def jacobian(f, x):
    xx = x.detach().requires_grad_(True)
    y = f(xx)
    rows = []
    for i in range(len(y)):
        g, = torch.autograd.grad(y[i], xx, retain_graph=True)
        rows.append(g.tolist())
    return torch.tensor(rows, dtype=x.dtype, device=x.device)'''
CORRECT['vjp']['rt7: vjp (f(x)*v).sum().backward()'] = '''def vjp(f, x, v):
    xx = x.detach().clone().requires_grad_()
    (f(xx) * v).sum().backward()
    return xx.grad.detach()'''
# forward-mode columns with one backward pass run beside them, only to be counted: the watch
# failed forward mode only when no backward ran at all (scored unflagged)
WRONG['jacobian']['jvp columns, one empty backward beside'] = Wrong('jacobian_forward_mode', '''def jacobian(f, x):
    x = x.detach()
    eye = torch.eye(len(x), dtype=x.dtype, device=x.device)
    cols = [torch.func.jvp(f, (x,), (e,))[1] for e in eye]
    torch.zeros((), requires_grad=True).backward()
    return torch.stack(cols, dim=1)''')
WRONG['jacobian']['dual numbers through C functions held from before'] = Wrong('jacobian_forward_mode', '''import functools
_enter, _exit = torch._C._enter_dual_level, torch._C._exit_dual_level
_make, _unpack = torch._VF._make_dual, torch._VF._unpack_dual
def jacobian(f, x):
    x = x.detach()
    cols = []
    for e in torch.eye(len(x), dtype=x.dtype, device=x.device):
        level = functools.partial(_enter)()
        try:
            out = f(functools.partial(_make, x, e, level=level)())
            cols.append(functools.partial(_unpack, out, level=level)()[1])
        finally:
            functools.partial(_exit, level=level)()
    xx = x.clone().requires_grad_(True)
    torch.autograd.grad(f(xx).sum(), xx)
    return torch.stack(cols, dim=1)''')
WRONG['vjp']['jvp columns, then v @ J, one empty backward beside'] = Wrong('vjp_built_full_jacobian', '''def vjp(f, x, v):
    x = x.detach()
    eye = torch.eye(len(x), dtype=x.dtype, device=x.device)
    J = torch.stack([torch.func.jvp(f, (x,), (e,))[1] for e in eye], dim=1)
    torch.zeros((), requires_grad=True).backward()
    return v @ J''')
# one batched pass over every basis vector through vmap's insides, called directly: the watch
# knew vmap by its public code object only (both scored unflagged)
WRONG['vjp']['batched pass through torch._functorch.vmap.vmap_impl'] = Wrong('vjp_built_full_jacobian', '''from torch._functorch.vmap import vmap_impl
def vjp(f, x, v):
    xx = x.detach().clone().requires_grad_(True)
    y = f(xx)
    eye = torch.eye(len(y), dtype=x.dtype, device=x.device)
    J = vmap_impl(lambda e: torch.autograd.grad(y, xx, e, retain_graph=True)[0],
                  0, 0, "error", None, eye)
    return v @ J''')
WRONG['vjp']['batched pass through torch._vmap_internals._vmap'] = Wrong('vjp_built_full_jacobian', '''from torch._vmap_internals import _vmap
def vjp(f, x, v):
    xx = x.detach().clone().requires_grad_(True)
    y = f(xx)
    eye = torch.eye(len(y), dtype=x.dtype, device=x.device)
    rows = _vmap(lambda e: torch.autograd.grad(y, xx, e, retain_graph=True)[0], 0, 0,
                 allow_none_pass_through=True)
    return v @ rows(eye)''')

# Honest answers written differently (round 9): each passes the tightened hidden tests.
CORRECT.setdefault('vjp', {})['rt9: vjp autograd.grad with keyword lists'] = '''def vjp(f, x, v):
    x_ = x.detach().clone()
    x_.requires_grad = True
    y = f(x_)
    g = torch.autograd.grad(outputs=[y], inputs=[x_], grad_outputs=[v])[0]
    return g.detach()'''
CORRECT.setdefault('jacobian', {})['rt9: jac vmap of a row function calling func.vjp'] = '''def jacobian(f, x):
    m = f(x.detach()).shape[0]
    eye = torch.eye(m, dtype=x.dtype, device=x.device)
    def row(e):
        _, pull = torch.func.vjp(f, x.detach())
        return pull(e)[0]
    return torch.func.vmap(row)(eye)'''
CORRECT.setdefault('jacobian', {})['rt9: jac autograd.functional.vjp per row, vstack'] = '''def jacobian(f, x):
    xd = x.detach()
    y = f(xd)
    m = y.shape[0]
    J = []
    for i in range(m):
        v = torch.zeros(m, dtype=y.dtype, device=y.device)
        v[i] = 1
        J.append(torch.autograd.functional.vjp(f, xd, v)[1])
    return torch.vstack(J)'''
CORRECT.setdefault('jacobian', {})['rt9: jac is_grads_batched with lists'] = '''def jacobian(f, x):
    xl = x.detach().requires_grad_(True)
    out = f(xl)
    I = torch.eye(out.shape[0], dtype=out.dtype, device=out.device)
    return torch.autograd.grad([out], [xl], grad_outputs=[I], is_grads_batched=True)[0].reshape(out.shape[0], -1)'''
