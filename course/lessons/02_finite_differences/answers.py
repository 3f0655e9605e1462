"""Lesson 02: answers students write (keys are answer-cell grade_ids)."""
from course.lessons import Wrong

WRONG = {
    "J_func": {
        "mean instead of sum": Wrong("mean_instead_of_sum", '''def J_func(w, x, y):
    return ((x * w - y) ** 2).mean()'''),
        "norm instead of sum of squares": Wrong("norm_instead_of_sum_of_squares", '''def J_func(w, x, y):
    return torch.norm(x * w - y)'''),
        "returns a float": Wrong("not_a_tensor", '''def J_func(w, x, y):
    return ((x * w - y) ** 2).sum().item()'''),
        "square forgotten": Wrong("square_forgotten", '''def J_func(w, x, y):
    return (x * w - y).sum()'''),
        "abs instead of square": Wrong("abs_instead_of_square", '''def J_func(w, x, y):
    return (x * w - y).abs().sum()'''),
        "hard-coded lesson data": Wrong("wrong_value", '''def J_func(w, x, y):
    x = torch.tensor([0.0, 1.0, 2.0, 3.0])
    y = 2 * x
    return ((x * w - y) ** 2).sum()'''),
    },
    "dJ_diff": {
        "forward difference": Wrong("forward_difference", '''def dJ_diff(w, x, y, dw=1e-3):
    return ((J_func(w + dw, x, y) - J_func(w, x, y)) / dw).reshape(w.shape)'''),
        "backward difference": Wrong("backward_difference", '''def dJ_diff(w, x, y, dw=1e-3):
    return ((J_func(w, x, y) - J_func(w - dw, x, y)) / dw).reshape(w.shape)'''),
        "numerator the other way round": Wrong("dw_sign_flipped", '''def dJ_diff(w, x, y, dw=1e-3):
    return ((J_func(w - dw, x, y) - J_func(w + dw, x, y)) / (2 * dw)).reshape(w.shape)'''),
        "divides by dw": Wrong("divided_by_dw", '''def dJ_diff(w, x, y, dw=1e-3):
    return ((J_func(w + dw, x, y) - J_func(w - dw, x, y)) / dw).reshape(w.shape)'''),
        "returns a float": Wrong("not_a_tensor", '''def dJ_diff(w, x, y, dw=1e-3):
    return ((J_func(w + dw, x, y) - J_func(w - dw, x, y)) / (2 * dw)).item()'''),
        "0-d result, not shaped like w": Wrong("result_not_shaped_like_w", '''def dJ_diff(w, x, y, dw=1e-3):
    return (J_func(w + dw, x, y) - J_func(w - dw, x, y)) / (2 * dw)'''),
        "uses autograd": Wrong("used_autograd", '''def dJ_diff(w, x, y, dw=1e-3):
    w = w.detach().clone().requires_grad_(True)
    J_func(w, x, y).backward()
    return w.grad'''),
        "uses autograd, switched back on": Wrong("used_autograd", '''def dJ_diff(w, x, y, dw=1e-3):
    with torch.enable_grad():
        v = w.detach().clone().requires_grad_(True)
        (g,) = torch.autograd.grad(J_func(v, x, y), v)
    return g'''),
        "hard-coded lesson answer": Wrong("wrong_value", '''def dJ_diff(w, x, y, dw=1e-3):
    return torch.tensor([-28.0])'''),
        "results kept by (w, dw), x and y ignored on a second call": Wrong("wrong_value", '''_kept = {}

def dJ_diff(w, x, y, dw=1e-3):
    key = (tuple(w.detach().reshape(-1).tolist()), dw)
    if key not in _kept:
        _kept[key] = ((J_func(w + dw, x, y) - J_func(w - dw, x, y)) / (2 * dw)).reshape(w.shape)
    return _kept[key].clone()'''),
        "fixed tiny step, dw ignored": Wrong("step_not_dw", '''def dJ_diff(w, x, y, dw=1e-3):
    h = 1e-7
    return ((J_func(w + h, x, y) - J_func(w, x, y)) / h).reshape(w.shape)'''),
        "exact derivative, no difference": Wrong("loss_not_called", '''def dJ_diff(w, x, y, dw=1e-3):
    return (2 * ((x * w - y) * x).sum()).reshape(w.shape)'''),
        "exact derivative behind functools.partial": Wrong("loss_not_called", '''import functools
def _exact(w, x, y, dw=1e-3):
    return (2 * ((x * w - y) * x).sum()).reshape(w.shape)
dJ_diff = functools.partial(_exact)'''),
        "J written out inside": Wrong("loss_not_called", '''def dJ_diff(w, x, y, dw=1e-3):
    J = lambda v: ((x * v - y) ** 2).sum()
    return ((J(w + dw) - J(w - dw)) / (2 * dw)).reshape(w.shape)'''),
        "indexes w[0] (w may be 0-d)": Wrong("raised", '''def dJ_diff(w, x, y, dw=1e-3):
    wp = w.clone()
    wp[0] += dw
    wm = w.clone()
    wm[0] -= dw
    return (J_func(wp, x, y) - J_func(wm, x, y)) / (2 * dw) * torch.ones_like(w)'''),
        "perturbs w in place": Wrong("modified_input", '''def dJ_diff(w, x, y, dw=1e-3):
    w += dw
    J_plus = J_func(w, x, y)
    w -= 2 * dw
    J_minus = J_func(w, x, y)
    return ((J_plus - J_minus) / (2 * dw)).reshape(w.shape)'''),
    },
    "numerical_grad": {
        "only 1-D": Wrong("wrong_value", '''def numerical_grad(f, w, eps=1e-6):
    grad = torch.zeros_like(w)
    for i in range(len(w)):
        w_plus = w.detach().clone()
        w_minus = w.detach().clone()
        w_plus[i] += eps
        w_minus[i] -= eps
        grad[i] = (f(w_plus) - f(w_minus)) / (2 * eps)
    return grad'''),
        "forward difference": Wrong("eps_forward_difference", '''def numerical_grad(f, w, eps=1e-6):
    base = w.detach().clone()
    f0 = f(base)
    grad = torch.zeros_like(base)
    flat = base.view(-1)
    for i in range(flat.numel()):
        old = flat[i].item()
        flat[i] = old + eps
        grad.view(-1)[i] = (f(base) - f0) / eps
        flat[i] = old
    return grad'''),
        "backward difference": Wrong("eps_backward_difference", '''def numerical_grad(f, w, eps=1e-6):
    w = w.detach().clone()
    flat = w.reshape(-1)
    grad = torch.zeros_like(flat)
    f0 = f(w)
    for i in range(flat.numel()):
        old = flat[i].item()
        flat[i] = old - eps
        grad[i] = (f0 - f(w)) / eps
        flat[i] = old
    return grad.reshape(w.shape)'''),
        "numerator the other way round": Wrong("eps_sign_flipped", '''def numerical_grad(f, w, eps=1e-6):
    w = w.detach().clone()
    flat = w.reshape(-1)
    grad = torch.zeros_like(flat)
    for i in range(flat.numel()):
        old = flat[i].item()
        flat[i] = old - eps
        f_minus = f(w)
        flat[i] = old + eps
        f_plus = f(w)
        flat[i] = old
        grad[i] = (f_minus - f_plus) / (2 * eps)
    return grad.reshape(w.shape)'''),
        "fills the gradient into w itself": Wrong("modified_input", '''def numerical_grad(f, w, eps=1e-6):
    with torch.no_grad():
        x = w.detach().clone()
        flat = x.reshape(-1)
        grads = []
        for i in range(flat.numel()):
            old = flat[i].item()
            flat[i] = old + eps
            f_plus = f(x)
            flat[i] = old - eps
            f_minus = f(x)
            flat[i] = old
            grads.append((f_plus - f_minus) / (2 * eps))
        if not w.requires_grad:
            w.copy_(torch.stack(grads).reshape(w.shape))
            return w
        return torch.stack(grads).reshape(w.shape)'''),
        "divides by eps": Wrong("divided_by_eps", '''def numerical_grad(f, w, eps=1e-6):
    base = w.detach().clone()
    grad = torch.zeros_like(base)
    flat = base.view(-1)
    for i in range(flat.numel()):
        old = flat[i].item()
        flat[i] = old + eps
        fp = f(base).item()
        flat[i] = old - eps
        fm = f(base).item()
        flat[i] = old
        grad.view(-1)[i] = (fp - fm) / eps
    return grad'''),
        "fixed eps ignores the argument": Wrong("eps_ignored", '''def numerical_grad(f, w, eps=1e-6):
    h = 1e-6
    base = w.detach().clone()
    grad = torch.zeros_like(base)
    flat = base.view(-1)
    for i in range(flat.numel()):
        old = flat[i].item()
        flat[i] = old + h
        fp = f(base).item()
        flat[i] = old - h
        fm = f(base).item()
        flat[i] = old
        grad.view(-1)[i] = (fp - fm) / (2 * h)
    return grad'''),
        "perturbs w in place, never restores": Wrong("modified_input", '''def numerical_grad(f, w, eps=1e-6):
    grad = torch.zeros_like(w)
    flat = w.data.view(-1)
    for i in range(flat.numel()):
        flat[i] += eps
        fp = f(w).item()
        flat[i] -= 2 * eps
        fm = f(w).item()
        grad.view(-1)[i] = (fp - fm) / (2 * eps)
    return grad'''),
        "restores w by arithmetic": Wrong("modified_input", '''def numerical_grad(f, w, eps=1e-6):
    grad = torch.zeros_like(w)
    with torch.no_grad():
        flat = w.view(-1)
        for i in range(flat.numel()):
            flat[i] += eps
            fp = f(w).item()
            flat[i] -= 2 * eps
            fm = f(w).item()
            flat[i] += eps
            grad.view(-1)[i] = (fp - fm) / (2 * eps)
    return grad'''),
        "float32 CPU result": Wrong("wrong_dtype", '''def numerical_grad(f, w, eps=1e-6):
    base = w.detach().clone()
    grad = torch.zeros(w.shape)
    for i in range(w.numel()):
        step = torch.zeros(w.numel(), dtype=w.dtype, device=w.device)
        step[i] = eps
        step = step.view(w.shape)
        grad.view(-1)[i] = ((f(base + step) - f(base - step)) / (2 * eps)).item()
    return grad'''),
        "uses autograd": Wrong("used_autograd", '''def numerical_grad(f, w, eps=1e-6):
    with torch.enable_grad():
        v = w.detach().clone().requires_grad_(True)
        (g,) = torch.autograd.grad(f(v), v)
    return g'''),
    },
    "answer_dw_limits": {
        "smaller is always better": Wrong("choice_smaller_always_better",
                                          'answer_dw_limits = "a"'),
        "a big step, no truncation": Wrong("choice_big_step_no_truncation",
                                           'answer_dw_limits = "b"'),
        "step of the scale of w": Wrong("choice_step_scale_of_w", 'answer_dw_limits = "d"'),
        "the step itself": Wrong("not_a_choice", 'answer_dw_limits = 1e-5'),
    },
    "answer_float32_step": {
        "an even smaller step": Wrong("choice_even_smaller_step", 'answer_float32_step = "a"'),
        "forward difference": Wrong("choice_forward_same_step", 'answer_float32_step = "c"'),
        "rescale J": Wrong("choice_rescale_loss", 'answer_float32_step = "d"'),
    },
    "answer_backward_cost": {
        "one evaluation per weight": Wrong("choice_one_eval_per_weight",
                                           'answer_backward_cost = "a"'),
        "all weights at once": Wrong("choice_all_weights_at_once",
                                     'answer_backward_cost = "b"'),
        "backward costs 2P": Wrong("choice_backward_costs_2p", 'answer_backward_cost = "c"'),
    },
}

CORRECT = {
    "J_func": {
        "dot product": '''def J_func(w, x, y):
    e = torch.mul(x, w) - y
    return torch.dot(e, e)''',
    },
    "dJ_diff": {
        "the loss bound as a default argument": '''def dJ_diff(w, x, y, dw=1e-3, J=J_func):
    return ((J(w + dw, x, y) - J(w - dw, x, y)) / (2 * dw)).reshape(w.shape)''',
        "view_as and explicit steps": '''def dJ_diff(w, x, y, dw=1e-3):
    w_plus = w.detach() + dw
    w_minus = w.detach() - dw
    diff = J_func(w_plus, x, y) - J_func(w_minus, x, y)
    return (diff / (2.0 * dw)).view_as(w)''',
        "decorated with torch.no_grad()": '''@torch.no_grad()
def dJ_diff(w, x, y, dw=1e-3):
    return ((J_func(w + dw, x, y) - J_func(w - dw, x, y)) / (2 * dw)).reshape(w.shape)''',
        "J_func called with keywords": '''def dJ_diff(w, x, y, dw=1e-3):
    plus = J_func(w=w + dw, x=x, y=y)
    minus = J_func(y=y, x=x, w=w - dw)
    return ((plus - minus) / (2 * dw)).reshape(w.shape)''',
    },
    "numerical_grad": {
        "perturbation tensors": '''def numerical_grad(f, w, eps=1e-6):
    base = w.detach()
    grad = torch.zeros_like(base)
    for i in range(base.numel()):
        e = torch.zeros_like(base)
        e.view(-1)[i] = eps
        grad.view(-1)[i] = (f(base + e) - f(base - e)) / (2 * eps)
    return grad''',
        "in place under no_grad, restored from a saved value": '''def numerical_grad(f, w, eps=1e-6):
    import itertools
    grad = torch.zeros_like(w, requires_grad=False)
    with torch.no_grad():
        for idx in itertools.product(*[range(n) for n in w.shape]):
            saved = w[idx].clone()
            w[idx] = saved + eps
            fp = f(w).item()
            w[idx] = saved - eps
            fm = f(w).item()
            w[idx] = saved
            grad[idx] = (fp - fm) / (2 * eps)
    return grad''',
    },
    "answer_dw_limits": {"upper case": 'answer_dw_limits = "C"',
                         "in parentheses": 'answer_dw_limits = "(c)"'},
    "answer_float32_step": {"with spaces": 'answer_float32_step = " b"',
                            "spaces and upper case": 'answer_float32_step = " B "'},
    "answer_backward_cost": {"upper case": 'answer_backward_cost = "D"',
                             "in parentheses": 'answer_backward_cost = "(d)"'},
}

# The demo student with "plausible mistakes" gets these wrong answers (one per exercise shown).
DEMO_MISTAKES = {"dJ_diff": "forward difference", "numerical_grad": "only 1-D"}


# Round 4 of student answers (rt6): differently-written correct answers and the mistakes
# they make, each run through the hidden tests by tests/lessons/test_answers.py.
CORRECT.setdefault('J_func', {})['rt6: J mse_loss*len'] = '''def J_func(w, x, y):
    return torch.nn.functional.mse_loss(x * w, y) * len(x)'''
CORRECT.setdefault('J_func', {})['rt6: J (y-w*x).square()'] = '''def J_func(w, x, y):
    return (y - w * x).square().sum()'''
CORRECT.setdefault('dJ_diff', {})['rt6: dJ * ones_like(w)'] = '''def dJ_diff(w, x, y, dw=1e-3):
    d = (J_func(w + dw, x, y) - J_func(w - dw, x, y)) / (2 * dw)
    return d * torch.ones_like(w)'''
CORRECT.setdefault('dJ_diff', {})['rt6: dJ expand_as'] = '''def dJ_diff(w, x, y, dw=1e-3):
    return ((J_func(w + dw, x, y) - J_func(w - dw, x, y)) / (2 * dw)).expand_as(w)'''
CORRECT.setdefault('dJ_diff', {})['rt6: dJ torch.no_grad decorated, with numpy'] = '''import numpy as np
@torch.no_grad()
def dJ_diff(w, x, y, dw=1e-3):
    Jp = J_func(w + dw, x, y).cpu().numpy(); Jm = J_func(w - dw, x, y).cpu().numpy()
    return torch.as_tensor((Jp - Jm) / (2 * dw), dtype=w.dtype, device=w.device).reshape(w.shape)'''
WRONG.setdefault('dJ_diff', {})['rt6: dJ float32 computation'] = Wrong('computed_in_float32', '''def dJ_diff(w, x, y, dw=1e-3):
    w32, x32, y32 = w.float(), x.float(), y.float()
    d = (J_func(w32 + dw, x32, y32) - J_func(w32 - dw, x32, y32)) / (2 * dw)
    return d.to(w.dtype).reshape(w.shape)''')
WRONG.setdefault('dJ_diff', {})['rt6: dJ step 2dw both sides'] = Wrong('divided_by_dw', '''def dJ_diff(w, x, y, dw=1e-3):
    return ((J_func(w + 2*dw, x, y) - J_func(w - 2*dw, x, y)) / (2 * dw)).reshape(w.shape)''')
WRONG.setdefault('numerical_grad', {})['rt6: ng detach (no clone)'] = Wrong('modified_input', '''def numerical_grad(f, w, eps=1e-6):
    wp = w.detach()
    g = torch.zeros_like(w)
    flat, gf = wp.view(-1), g.view(-1)
    for i in range(flat.numel()):
        flat[i] += eps; fp = f(wp)
        flat[i] -= 2 * eps; fm = f(wp)
        flat[i] += eps
        gf[i] = (fp - fm) / (2 * eps)
    return g''')
CORRECT.setdefault('numerical_grad', {})['rt6: ng clone, restore by subtraction'] = '''def numerical_grad(f, w, eps=1e-6):
    wp = w.detach().clone()
    g = torch.zeros_like(w)
    flat, gf = wp.view(-1), g.view(-1)
    for i in range(flat.numel()):
        flat[i] += eps; fp = f(wp)
        flat[i] -= 2 * eps; fm = f(wp)
        flat[i] += eps
        gf[i] = (fp - fm) / (2 * eps)
    return g'''
WRONG.setdefault('numerical_grad', {})['rt6: ng torch.zeros(w.shape) float32'] = Wrong('wrong_dtype', '''def numerical_grad(f, w, eps=1e-6):
    g = torch.zeros(w.shape, device=w.device)
    base = w.detach().clone()
    for idx in torch.cartesian_prod(*[torch.arange(s) for s in w.shape]) if w.dim() > 1 else [(i,) for i in range(w.numel())] if w.dim()==1 else [()]:
        idx = tuple(int(i) for i in (idx if hasattr(idx, '__len__') else [idx]))
        wp = base.clone(); wp[idx] += eps
        wm = base.clone(); wm[idx] -= eps
        g[idx] = (f(wp) - f(wm)) / (2 * eps)
    return g''')
CORRECT.setdefault('numerical_grad', {})['rt6: ng basis eye'] = '''def numerical_grad(f, w, eps=1e-6):
    base = w.detach().reshape(-1)
    E = torch.eye(base.numel(), dtype=w.dtype, device=w.device) * eps
    vals = [(f((base + e).reshape(w.shape)) - f((base - e).reshape(w.shape))) / (2 * eps) for e in E]
    return torch.stack(vals).reshape(w.shape)'''
WRONG.setdefault('numerical_grad', {})['rt6: ng row indexing'] = Wrong('wrong_value', '''def numerical_grad(f, w, eps=1e-6):
    g = torch.zeros_like(w)
    for i in range(len(w) if w.dim() else 1):
        wp = w.detach().clone(); wm = w.detach().clone()
        if w.dim():
            wp[i] += eps; wm[i] -= eps
        else:
            wp += eps; wm -= eps
        val = (f(wp) - f(wm)) / (2 * eps)
        if w.dim(): g[i] = val
        else: g = val.reshape(())
    return g''')
CORRECT.setdefault('numerical_grad', {})['rt6: ng np.ndindex'] = '''import numpy as np
def numerical_grad(f, w, eps=1e-6):
    base = w.detach().clone()
    g = torch.empty_like(base)
    for idx in np.ndindex(*w.shape):
        old = base[idx].item()
        base[idx] = old + eps; fp = f(base).item()
        base[idx] = old - eps; fm = f(base).item()
        base[idx] = old
        g[idx] = (fp - fm) / (2 * eps)
    return g'''

# Round 5 (rt7): more of the mistakes and correct variants a real class hands in.
WRONG['dJ_diff']['rt7: dJ / 2 * dw (parentheses forgotten)'] = Wrong('dw_in_numerator', '''def dJ_diff(w, x, y, dw=1e-3):
    return ((J_func(w + dw, x, y) - J_func(w - dw, x, y)) / 2 * dw).reshape(w.shape)''')
WRONG['dJ_diff']['rt7: dJ w += dw and back'] = Wrong('w_perturbed_in_place', '''def dJ_diff(w, x, y, dw=1e-3):
    w += dw
    J_plus = J_func(w, x, y)
    w -= 2 * dw
    J_minus = J_func(w, x, y)
    w += dw
    return ((J_plus - J_minus) / (2 * dw)).reshape(w.shape)''')
WRONG['numerical_grad']['rt7: ng / 2 * eps (parentheses forgotten)'] = Wrong('eps_in_numerator', '''def numerical_grad(f, w, eps=1e-6):
    base = w.detach().clone()
    g = torch.zeros_like(base)
    for i in range(base.numel()):
        p = base.clone(); p.view(-1)[i] += eps
        m = base.clone(); m.view(-1)[i] -= eps
        g.view(-1)[i] = (f(p) - f(m)) / 2 * eps
    return g''')
WRONG['numerical_grad']['rt7: ng eps added to the whole tensor'] = Wrong('perturbed_all_elements', '''def numerical_grad(f, w, eps=1e-6):
    base = w.detach().clone()
    g = torch.zeros_like(base)
    for i in range(base.numel()):
        g.view(-1)[i] = (f(base + eps) - f(base - eps)) / (2 * eps)
    return g''')
WRONG['J_func']['rt7: J loop over samples, shape (1,)'] = Wrong('wrong_shape', '''def J_func(w, x, y):
    J = 0
    for xi, yi in zip(x, y):
        J = J + (xi * w - yi) ** 2
    return J''')
CORRECT['J_func']['rt7: J builtin sum'] = '''def J_func(w, x, y):
    return sum((x * w - y) ** 2)'''
CORRECT['dJ_diff']['rt7: dJ full_like of a float'] = '''def dJ_diff(w, x, y, dw=1e-3):
    g = (J_func(w + dw, x, y) - J_func(w - dw, x, y)).item() / (2 * dw)
    return torch.full_like(w, g)'''
CORRECT['dJ_diff']['rt7: dJ clones, in-place on the copies'] = '''def dJ_diff(w, x, y, dw=1e-3):
    wp = w.clone(); wp += dw
    wm = w.clone(); wm -= dw
    return ((J_func(wp, x, y) - J_func(wm, x, y)) / (2 * dw)).reshape(w.shape)'''
CORRECT['numerical_grad']['rt7: ng result built from w.clone()'] = '''def numerical_grad(f, w, eps=1e-6):
    g = w.clone()
    base = w.detach().clone()
    for i in range(base.numel()):
        p = base.clone(); p.view(-1)[i] += eps
        m = base.clone(); m.view(-1)[i] -= eps
        g.view(-1)[i] = (f(p) - f(m)) / (2 * eps)
    return g'''
CORRECT['numerical_grad']['rt7: ng list of floats re-wrapped'] = '''import numpy as np
def numerical_grad(f, w, eps=1e-6):
    grad = []
    for k in range(w.numel()):
        idx = np.unravel_index(k, tuple(w.shape))
        wp = w.detach().clone(); wp[idx] = wp[idx] + eps
        wm = w.detach().clone(); wm[idx] = wm[idx] - eps
        grad.append((f(wp).item() - f(wm).item()) / (2 * eps))
    return torch.tensor(grad, dtype=w.dtype, device=w.device).reshape(w.shape)'''

# Round 8: a tensor built on (or an input moved to) the notebook's global `device`; the hidden
# tests move it to the meta device.  On a machine without CUDA these passed.
WRONG['J_func']['rt8: J accumulated from zeros on the notebook device'] = Wrong(
    'j_func_uses_notebook_device', '''def J_func(w, x, y):
    J = torch.zeros((), dtype=x.dtype, device=device)
    for xi, yi in zip(x, y):
        J = J + ((xi * w - yi) ** 2).sum()
    return J''')
WRONG['dJ_diff']['rt8: dw as a tensor on the notebook device'] = Wrong(
    'dj_diff_uses_notebook_device', '''def dJ_diff(w, x, y, dw=1e-3):
    step = torch.full(w.shape, dw, dtype=w.dtype, device=device)
    return (J_func(w + step, x, y) - J_func(w - step, x, y)) / (2 * dw)''')
WRONG['dJ_diff']['rt8: result re-wrapped on the notebook device'] = Wrong(
    'dj_diff_uses_notebook_device', '''def dJ_diff(w, x, y, dw=1e-3):
    d = (J_func(w + dw, x, y) - J_func(w - dw, x, y)).item() / (2 * dw)
    return torch.tensor(d, dtype=w.dtype, device=device).reshape(w.shape)''')
WRONG['numerical_grad']['rt8: result on the notebook device'] = Wrong(
    'numerical_grad_uses_notebook_device', '''def numerical_grad(f, w, eps=1e-6):
    grad = torch.zeros(w.shape, dtype=w.dtype, device=device)
    base = w.detach().clone()
    for i in range(base.numel()):
        p = base.clone(); p.view(-1)[i] += eps
        m = base.clone(); m.view(-1)[i] -= eps
        grad.view(-1)[i] = (f(p).item() - f(m).item()) / (2 * eps)
    return grad''')
WRONG['numerical_grad']['rt8: basis vectors on the notebook device'] = Wrong(
    'numerical_grad_uses_notebook_device', '''def numerical_grad(f, w, eps=1e-6):
    flat = w.detach().reshape(-1)
    out = []
    for i in range(flat.numel()):
        e = torch.zeros(flat.numel(), dtype=w.dtype, device=device)
        e[i] = eps
        out.append((f((flat + e).view(w.shape)) - f((flat - e).view(w.shape))) / (2 * eps))
    return torch.stack(out).view(w.shape)''')

# Honest answers written differently (round 9): each passes the tightened hidden tests.
CORRECT.setdefault('dJ_diff', {})["rt9: dJ step as a tensor of w's dtype, reshape_as"] = '''def dJ_diff(w, x, y, dw=1e-3):
    h = torch.tensor(dw, dtype=w.dtype, device=w.device)
    return ((J_func(w + h, x, y) - J_func(w - h, x, y)) / (2 * h)).reshape_as(w)'''
