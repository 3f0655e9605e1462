"""Lesson 02: answers students write (keys are answer-cell grade_ids)."""

WRONG = {
    "J_func": {
        "mean instead of sum": '''def J_func(w, x, y):
    return ((x * w - y) ** 2).mean()''',
        "norm instead of sum of squares": '''def J_func(w, x, y):
    return torch.norm(x * w - y)''',
        "returns a float": '''def J_func(w, x, y):
    return ((x * w - y) ** 2).sum().item()''',
        "abs instead of square": '''def J_func(w, x, y):
    return (x * w - y).abs().sum()''',
        "hard-coded lesson data": '''def J_func(w, x, y):
    x = torch.tensor([0.0, 1.0, 2.0, 3.0])
    y = 2 * x
    return ((x * w - y) ** 2).sum()''',
    },
    "dJ_diff": {
        "forward difference": '''def dJ_diff(w, x, y, dw=1e-3):
    return ((J_func(w + dw, x, y) - J_func(w, x, y)) / dw).reshape(w.shape)''',
        "divides by dw": '''def dJ_diff(w, x, y, dw=1e-3):
    return ((J_func(w + dw, x, y) - J_func(w - dw, x, y)) / dw).reshape(w.shape)''',
        "returns a float": '''def dJ_diff(w, x, y, dw=1e-3):
    return ((J_func(w + dw, x, y) - J_func(w - dw, x, y)) / (2 * dw)).item()''',
        "0-d result, not shaped like w": '''def dJ_diff(w, x, y, dw=1e-3):
    return (J_func(w + dw, x, y) - J_func(w - dw, x, y)) / (2 * dw)''',
        "uses autograd": '''def dJ_diff(w, x, y, dw=1e-3):
    w = w.detach().clone().requires_grad_(True)
    J_func(w, x, y).backward()
    return w.grad''',
        "hard-coded lesson answer": '''def dJ_diff(w, x, y, dw=1e-3):
    return torch.tensor([-28.0])''',
        "perturbs w in place": '''def dJ_diff(w, x, y, dw=1e-3):
    w += dw
    J_plus = J_func(w, x, y)
    w -= 2 * dw
    J_minus = J_func(w, x, y)
    return ((J_plus - J_minus) / (2 * dw)).reshape(w.shape)''',
    },
    "numerical_grad": {
        "only 1-D": '''def numerical_grad(f, w, eps=1e-6):
    grad = torch.zeros_like(w)
    for i in range(len(w)):
        w_plus = w.detach().clone()
        w_minus = w.detach().clone()
        w_plus[i] += eps
        w_minus[i] -= eps
        grad[i] = (f(w_plus) - f(w_minus)) / (2 * eps)
    return grad''',
        "forward difference": '''def numerical_grad(f, w, eps=1e-6):
    base = w.detach().clone()
    f0 = f(base)
    grad = torch.zeros_like(base)
    flat = base.view(-1)
    for i in range(flat.numel()):
        old = flat[i].item()
        flat[i] = old + eps
        grad.view(-1)[i] = (f(base) - f0) / eps
        flat[i] = old
    return grad''',
        "divides by eps": '''def numerical_grad(f, w, eps=1e-6):
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
    return grad''',
        "fixed eps ignores the argument": '''def numerical_grad(f, w, eps=1e-6):
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
    return grad''',
        "perturbs w in place, never restores": '''def numerical_grad(f, w, eps=1e-6):
    grad = torch.zeros_like(w)
    flat = w.data.view(-1)
    for i in range(flat.numel()):
        flat[i] += eps
        fp = f(w).item()
        flat[i] -= 2 * eps
        fm = f(w).item()
        grad.view(-1)[i] = (fp - fm) / (2 * eps)
    return grad''',
        "restores w by arithmetic": '''def numerical_grad(f, w, eps=1e-6):
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
    return grad''',
        "float32 CPU result": '''def numerical_grad(f, w, eps=1e-6):
    base = w.detach().clone()
    grad = torch.zeros(w.shape)
    for i in range(w.numel()):
        step = torch.zeros(w.numel(), dtype=w.dtype, device=w.device)
        step[i] = eps
        step = step.view(w.shape)
        grad.view(-1)[i] = ((f(base + step) - f(base - step)) / (2 * eps)).item()
    return grad''',
        "uses autograd": '''def numerical_grad(f, w, eps=1e-6):
    with torch.enable_grad():
        v = w.detach().clone().requires_grad_(True)
        (g,) = torch.autograd.grad(f(v), v)
    return g''',
    },
    "answer_dw_limits": {
        "smaller is always better": 'answer_dw_limits = "a"',
        "larger than one": 'answer_dw_limits = "b"',
        "sign of the gradient": 'answer_dw_limits = "d"',
    },
    "answer_float32_step": {
        "truncation": 'answer_float32_step = "a"',
        "central needs non-quadratic": 'answer_float32_step = "c"',
        "autograd is wrong": 'answer_float32_step = "d"',
    },
    "answer_backward_cost": {
        "no GPU": 'answer_backward_cost = "a"',
        "smaller step": 'answer_backward_cost = "b"',
        "same cost": 'answer_backward_cost = "c"',
    },
}

CORRECT = {
    "J_func": {
        "dot product": '''def J_func(w, x, y):
    e = torch.mul(x, w) - y
    return torch.dot(e, e)''',
    },
    "dJ_diff": {
        "view_as and explicit steps": '''def dJ_diff(w, x, y, dw=1e-3):
    w_plus = w.detach() + dw
    w_minus = w.detach() - dw
    diff = J_func(w_plus, x, y) - J_func(w_minus, x, y)
    return (diff / (2.0 * dw)).view_as(w)''',
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
    "answer_dw_limits": {"upper case": 'answer_dw_limits = "C"'},
    "answer_float32_step": {"with spaces": 'answer_float32_step = " b"'},
    "answer_backward_cost": {"upper case": 'answer_backward_cost = "D"'},
}

# The demo student with "plausible mistakes" gets these wrong answers (one per exercise shown).
DEMO_MISTAKES = {"dJ_diff": "forward difference", "numerical_grad": "only 1-D"}
