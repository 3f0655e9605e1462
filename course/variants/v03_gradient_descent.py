"""Lesson 03: answers students write (keys are answer-cell grade_ids)."""

WRONG = {
    "gd_finite_diff": {
        "sign flipped (gradient ascent)": '''def gd_finite_diff(x, y, w0, lr=0.01, n_iter=20):
    w = w0.clone()
    history = []
    for i in range(n_iter):
        history.append(J_func(w, x, y).item())
        w = w + lr * dJ_diff(w, x, y)
    return w, history''',
        "history after the update": '''def gd_finite_diff(x, y, w0, lr=0.01, n_iter=20):
    w = w0.clone()
    history = []
    for i in range(n_iter):
        w = w - lr * dJ_diff(w, x, y)
        history.append(J_func(w, x, y).item())
    return w, history''',
        "mean instead of sum": '''def gd_finite_diff(x, y, w0, lr=0.01, n_iter=20):
    def J_mean(w):
        return ((x * w - y) ** 2).mean()
    w = w0.clone()
    history = []
    dw = 1e-3
    for i in range(n_iter):
        history.append(J_mean(w).item())
        grad = (J_mean(w + dw) - J_mean(w - dw)) / (2 * dw)
        w = w - lr * grad
    return w, history''',
        "modifies w0 in place": '''def gd_finite_diff(x, y, w0, lr=0.01, n_iter=20):
    w = w0
    history = []
    for i in range(n_iter):
        history.append(J_func(w, x, y).item())
        w -= lr * dJ_diff(w, x, y)
    return w, history''',
        "hard-coded lesson learning rate": '''def gd_finite_diff(x, y, w0, lr=0.01, n_iter=20):
    w = w0.clone()
    history = []
    for i in range(20):
        history.append(J_func(w, x, y).item())
        w = w - 0.01 * dJ_diff(w, x, y)
    return w, history''',
        "history of tensors": '''def gd_finite_diff(x, y, w0, lr=0.01, n_iter=20):
    w = w0.clone()
    history = []
    for i in range(n_iter):
        history.append(J_func(w, x, y))
        w = w - lr * dJ_diff(w, x, y)
    return w, history''',
    },
    "gd_autograd": {
        "gradient never reset": '''def gd_autograd(x, y, w0, lr=0.01, n_iter=20):
    w = w0.detach().clone().requires_grad_(True)
    history = []
    for i in range(n_iter):
        J = J_func(w, x, y)
        history.append(J.item())
        J.backward()
        with torch.no_grad():
            w -= lr * w.grad
    return w, history''',
        "update outside no_grad (w stops being a leaf)": '''def gd_autograd(x, y, w0, lr=0.01, n_iter=20):
    w = w0.clone().requires_grad_(True)
    history = []
    for i in range(n_iter):
        J = J_func(w, x, y)
        history.append(J.item())
        J.backward()
        w = w - lr * w.grad
    return w, history''',
        "requires_grad_ on w0 itself": '''def gd_autograd(x, y, w0, lr=0.01, n_iter=20):
    w = w0.requires_grad_(True)
    history = []
    for i in range(n_iter):
        J = J_func(w, x, y)
        history.append(J.item())
        J.backward()
        with torch.no_grad():
            w -= lr * w.grad
            w.grad.zero_()
    return w, history''',
        "detach without clone shares w0's memory": '''def gd_autograd(x, y, w0, lr=0.01, n_iter=20):
    w = w0.detach().requires_grad_(True)
    history = []
    for i in range(n_iter):
        J = J_func(w, x, y)
        history.append(J.item())
        J.backward()
        with torch.no_grad():
            w -= lr * w.grad
        w.grad = None
    return w, history''',
        "clone without detach (breaks when w0 requires grad)": '''def gd_autograd(x, y, w0, lr=0.01, n_iter=20):
    w = w0.clone().requires_grad_(True)
    history = []
    for i in range(n_iter):
        J = J_func(w, x, y)
        history.append(J.item())
        J.backward()
        with torch.no_grad():
            w -= lr * w.grad
        w.grad = None
    return w, history''',
        "mean instead of sum": '''def gd_autograd(x, y, w0, lr=0.01, n_iter=20):
    w = w0.detach().clone().requires_grad_(True)
    history = []
    for i in range(n_iter):
        J = ((x * w - y) ** 2).mean()
        history.append(J.item())
        J.backward()
        with torch.no_grad():
            w -= lr * w.grad
        w.grad.zero_()
    return w, history''',
        "history after the update": '''def gd_autograd(x, y, w0, lr=0.01, n_iter=20):
    w = w0.detach().clone().requires_grad_(True)
    history = []
    for i in range(n_iter):
        J = J_func(w, x, y)
        J.backward()
        with torch.no_grad():
            w -= lr * w.grad
        w.grad = None
        history.append(J_func(w, x, y).item())
    return w, history''',
        "sign flipped": '''def gd_autograd(x, y, w0, lr=0.01, n_iter=20):
    w = w0.detach().clone().requires_grad_(True)
    history = []
    for i in range(n_iter):
        J = J_func(w, x, y)
        history.append(J.item())
        J.backward()
        with torch.no_grad():
            w += lr * w.grad
        w.grad = None
    return w, history''',
    },
    "train_step": {
        "no zero_grad": '''def train_step(model, x, y, loss_fn, optimizer):
    loss = loss_fn(model(x), y)
    loss.backward()
    optimizer.step()
    return loss.item()''',
        "zero_grad after step (source order)": '''def train_step(model, x, y, loss_fn, optimizer):
    pred = model(x)
    loss = loss_fn(pred, y)
    loss.backward()
    optimizer.step()
    optimizer.zero_grad()
    return loss.item()''',
        "zero_grad between backward and step": '''def train_step(model, x, y, loss_fn, optimizer):
    loss = loss_fn(model(x), y)
    loss.backward()
    optimizer.zero_grad()
    optimizer.step()
    return loss.item()''',
        "returns the loss tensor": '''def train_step(model, x, y, loss_fn, optimizer):
    optimizer.zero_grad()
    loss = loss_fn(model(x), y)
    loss.backward()
    optimizer.step()
    return loss''',
        "returns the loss after the update": '''def train_step(model, x, y, loss_fn, optimizer):
    optimizer.zero_grad()
    loss_fn(model(x), y).backward()
    optimizer.step()
    with torch.no_grad():
        return loss_fn(model(x), y).item()''',
    },
    "expected_initial_ce": {
        "log base 2": '''def expected_initial_ce(K):
    return math.log2(K)''',
        "log base 10": '''def expected_initial_ce(K):
    import numpy as np
    return float(np.log10(K))''',
        "probability instead of loss": '''def expected_initial_ce(K):
    return 1 / K''',
        "returns a tensor": '''def expected_initial_ce(K):
    return -torch.log(torch.tensor(1.0 / K))''',
        "hard-coded K = 10": '''def expected_initial_ce(K):
    return 2.302585092994046''',
    },
    "answer_lr_scaling": {
        "same threshold": 'answer_lr_scaling = "a"',
        "halved": 'answer_lr_scaling = "b"',
        "doubled": 'answer_lr_scaling = "d"',
    },
    "answer_zero_grad": {
        "fills zeros (old behaviour)": 'answer_zero_grad = "a"',
        "reinitialises weights": 'answer_zero_grad = "c"',
        "learning rate": 'answer_zero_grad = "d"',
    },
}

CORRECT = {
    "gd_finite_diff": {
        "in-place on a clone, while loop": '''def gd_finite_diff(x, y, w0, lr=0.01, n_iter=20):
    w = torch.clone(w0)
    history = []
    k = 0
    while k < n_iter:
        history += [float(J_func(w, x, y))]
        w -= lr * dJ_diff(w, x, y)
        k += 1
    return w, history''',
    },
    "gd_autograd": {
        "with torch.optim.SGD": '''def gd_autograd(x, y, w0, lr=0.01, n_iter=20):
    w = w0.detach().clone()
    w.requires_grad = True
    opt = torch.optim.SGD([w], lr=lr)
    history = []
    for _ in range(n_iter):
        opt.zero_grad()
        J = J_func(w, x, y)
        history.append(J.item())
        J.backward()
        opt.step()
    return w.detach(), history''',
        "grad zeroed in place after the first step": '''def gd_autograd(x, y, w0, lr=0.01, n_iter=20):
    w = torch.tensor(w0.tolist(), dtype=w0.dtype, device=w0.device, requires_grad=True)
    history = []
    for _ in range(n_iter):
        if w.grad is not None:
            w.grad.zero_()
        loss = ((x * w - y) ** 2).sum()
        loss.backward()
        history.append(loss.item())
        with torch.no_grad():
            w.sub_(lr * w.grad)
    return w, history''',
    },
    "train_step": {
        "model.zero_grad, keeps zeros": '''def train_step(model, x, y, loss_fn, optimizer):
    model.zero_grad(set_to_none=False)
    out = model(x)
    loss = loss_fn(out, y)
    loss.backward()
    optimizer.step()
    return float(loss.detach())''',
    },
    "expected_initial_ce": {
        "minus log of 1/K": '''def expected_initial_ce(K):
    return -math.log(1 / K)''',
        "through torch, float32": '''def expected_initial_ce(K):
    return torch.log(torch.tensor(float(K))).item()''',
    },
    "answer_lr_scaling": {"upper case": 'answer_lr_scaling = "C"'},
    "answer_zero_grad": {"with spaces": 'answer_zero_grad = " b"'},
}

# The demo student with "plausible mistakes" gets these wrong answers (one per exercise shown).
DEMO_MISTAKES = {"gd_autograd": "gradient never reset",
                 "train_step": "zero_grad after step (source order)"}
