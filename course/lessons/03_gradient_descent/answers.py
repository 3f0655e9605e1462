"""Lesson 03: answers students write (keys are answer-cell grade_ids)."""
from course.lessons import Wrong

# Gradient descent with the derivative of this quadratic J written by hand: the right numbers,
# without the finite differences or the backward() the exercises ask for.
CLOSED_FORM_DESCENT = '''def {name}(x, y, w0, lr=0.01, n_iter=20):
    w = w0.detach().clone()
    history = []
    for _ in range(n_iter):
        history.append(((x * w - y) ** 2).sum().item())
        w = w - lr * (2 * ((x * w - y) * x).sum()).reshape(w.shape)
    return w, history'''

WRONG = {
    "gd_finite_diff": {
        "closed-form gradient, dJ_diff never called": Wrong("fd_dj_diff_not_called", CLOSED_FORM_DESCENT.format(name="gd_finite_diff")),
        "dJ_diff called, its value ignored": Wrong("fd_dj_diff_value_unused", '''def gd_finite_diff(x, y, w0, lr=0.01, n_iter=20):
    w = w0.detach().clone()
    history = []
    for _ in range(n_iter):
        history.append(((x * w - y) ** 2).sum().item())
        dJ_diff(w, x, y)  # called, as the exercise asks; the step uses the exact derivative
        w = w - lr * (2 * ((x * w - y) * x).sum()).reshape(w.shape)
    return w, history'''),
        "backward switched back on": Wrong("used_autograd", '''def gd_finite_diff(x, y, w0, lr=0.01, n_iter=20):
    w = w0.detach().clone()
    history = []
    for _ in range(n_iter):
        with torch.enable_grad():
            v = w.detach().requires_grad_(True)
            J = ((x * v - y) ** 2).sum()
            J.backward()
        history.append(J.item())
        w = w - lr * v.grad
    return w, history'''),
        "sign flipped (gradient ascent)": Wrong("fd_sign_flipped", '''def gd_finite_diff(x, y, w0, lr=0.01, n_iter=20):
    w = w0.clone()
    history = []
    for i in range(n_iter):
        history.append(J_func(w, x, y).item())
        w = w + lr * dJ_diff(w, x, y)
    return w, history'''),
        "history after the update": Wrong("fd_history_after_update", '''def gd_finite_diff(x, y, w0, lr=0.01, n_iter=20):
    w = w0.clone()
    history = []
    for i in range(n_iter):
        w = w - lr * dJ_diff(w, x, y)
        history.append(J_func(w, x, y).item())
    return w, history'''),
        "mean instead of sum": Wrong("fd_mean_instead_of_sum", '''def gd_finite_diff(x, y, w0, lr=0.01, n_iter=20):
    def J_mean(w):
        return ((x * w - y) ** 2).mean()
    w = w0.clone()
    history = []
    dw = 1e-3
    for i in range(n_iter):
        history.append(J_mean(w).item())
        grad = (J_mean(w + dw) - J_mean(w - dw)) / (2 * dw)
        w = w - lr * grad
    return w, history'''),
        "modifies w0 in place": Wrong("modified_input", '''def gd_finite_diff(x, y, w0, lr=0.01, n_iter=20):
    w = w0
    history = []
    for i in range(n_iter):
        history.append(J_func(w, x, y).item())
        w -= lr * dJ_diff(w, x, y)
    return w, history'''),
        "hard-coded lesson learning rate": Wrong("fd_wrong_history_length", '''def gd_finite_diff(x, y, w0, lr=0.01, n_iter=20):
    w = w0.clone()
    history = []
    for i in range(20):
        history.append(J_func(w, x, y).item())
        w = w - 0.01 * dJ_diff(w, x, y)
    return w, history'''),
        "history of tensors": Wrong("fd_history_not_float", '''def gd_finite_diff(x, y, w0, lr=0.01, n_iter=20):
    w = w0.clone()
    history = []
    for i in range(n_iter):
        history.append(J_func(w, x, y))
        w = w - lr * dJ_diff(w, x, y)
    return w, history'''),
        "returns only w": Wrong("fd_not_a_tuple", '''def gd_finite_diff(x, y, w0, lr=0.01, n_iter=20):
    w = w0.clone()
    history = []
    for i in range(n_iter):
        history.append(J_func(w, x, y).item())
        w = w - lr * dJ_diff(w, x, y)
    return w'''),
        "history as a tensor": Wrong("fd_history_not_a_list", '''def gd_finite_diff(x, y, w0, lr=0.01, n_iter=20):
    w = w0.clone()
    history = []
    for i in range(n_iter):
        history.append(J_func(w, x, y).item())
        w = w - lr * dJ_diff(w, x, y)
    return w, torch.tensor(history)'''),
        "hard-coded lr, n_iter used": Wrong("fd_wrong_history", '''def gd_finite_diff(x, y, w0, lr=0.01, n_iter=20):
    w = w0.clone()
    history = []
    for i in range(n_iter):
        history.append(J_func(w, x, y).item())
        w = w - 0.01 * dJ_diff(w, x, y)
    return w, history'''),
        "returns w0 instead of w": Wrong("fd_wrong_final_w", '''def gd_finite_diff(x, y, w0, lr=0.01, n_iter=20):
    w = w0.clone()
    history = []
    for i in range(n_iter):
        history.append(J_func(w, x, y).item())
        w = w - lr * dJ_diff(w, x, y)
    return w0, history'''),
    },
    "gd_autograd": {
        # the hidden test computed its reference from x and y after the call: zeroed in place,
        # the reference became "w0 and a history of zeros", which this answer returns
        "x and y zeroed in place, w0 and zeros returned": Wrong("modified_input", '''def gd_autograd(x, y, w0, lr=0.01, n_iter=20):
    w = w0.detach().clone().requires_grad_(True)
    for _ in range(n_iter):
        (w * 0).sum().backward()
    with torch.no_grad():
        x.zero_()
        y.zero_()
    return w.detach(), [0.0] * n_iter'''),
        "closed-form gradient, no backward": Wrong("too_few_backward", CLOSED_FORM_DESCENT.format(name="gd_autograd")),
        "backward run only to be counted, closed-form step": Wrong("autograd_gradient_unused", '''def gd_autograd(x, y, w0, lr=0.01, n_iter=20):
    w = w0.detach().clone()
    history = []
    for _ in range(n_iter):
        history.append(((x * w - y) ** 2).sum().item())
        torch.zeros((), requires_grad=True).backward()  # a backward pass, to be counted
        w = w - lr * (2 * ((x * w - y) * x).sum()).reshape(w.shape)
    return w, history'''),
        "backward of J, its w.grad ignored": Wrong("autograd_gradient_unused", '''def gd_autograd(x, y, w0, lr=0.01, n_iter=20):
    w = w0.detach().clone().requires_grad_(True)
    history = []
    for _ in range(n_iter):
        J = ((x * w - y) ** 2).sum()
        history.append(J.item())
        J.backward()
        with torch.no_grad():
            w -= lr * 2 * ((x * w - y) * x).sum()  # the derivative by hand, w.grad unread
        w.grad = None
    return w.detach(), history'''),
        "torch.func.grad instead of backward": Wrong("torch_func_not_backward", '''from torch.func import grad
def gd_autograd(x, y, w0, lr=0.01, n_iter=20):
    J = lambda w: ((x * w - y) ** 2).sum()
    w = w0.detach().clone()
    history = []
    for _ in range(n_iter):
        history.append(J(w).item())
        w = w - lr * grad(J)(w)
    return w, history'''),
        "gradient never reset": Wrong("grad_not_reset", '''def gd_autograd(x, y, w0, lr=0.01, n_iter=20):
    w = w0.detach().clone().requires_grad_(True)
    history = []
    for i in range(n_iter):
        J = J_func(w, x, y)
        history.append(J.item())
        J.backward()
        with torch.no_grad():
            w -= lr * w.grad
    return w, history'''),
        "update outside no_grad (w stops being a leaf)": Wrong("w_not_a_leaf", '''def gd_autograd(x, y, w0, lr=0.01, n_iter=20):
    w = w0.clone().requires_grad_(True)
    history = []
    for i in range(n_iter):
        J = J_func(w, x, y)
        history.append(J.item())
        J.backward()
        w = w - lr * w.grad
    return w, history'''),
        "w.grad.zero_() at the top of the loop": Wrong("zero_grad_before_first_backward", '''def gd_autograd(x, y, w0, lr=0.01, n_iter=20):
    w = w0.detach().clone().requires_grad_(True)
    history = []
    for i in range(n_iter):
        w.grad.zero_()
        J = J_func(w, x, y)
        history.append(J.item())
        J.backward()
        with torch.no_grad():
            w -= lr * w.grad
    return w, history'''),
        "w0.clone() never asks for gradients": Wrong("w_without_requires_grad", '''def gd_autograd(x, y, w0, lr=0.01, n_iter=20):
    w = w0.clone()
    history = []
    for i in range(n_iter):
        J = J_func(w, x, y)
        history.append(J.item())
        J.backward()
        with torch.no_grad():
            w -= lr * w.grad
        w.grad = None
    return w, history'''),
        "requires_grad_ on w0 itself": Wrong("modified_input", '''def gd_autograd(x, y, w0, lr=0.01, n_iter=20):
    w = w0.requires_grad_(True)
    history = []
    for i in range(n_iter):
        J = J_func(w, x, y)
        history.append(J.item())
        J.backward()
        with torch.no_grad():
            w -= lr * w.grad
            w.grad.zero_()
    return w, history'''),
        "detach without clone shares w0's memory": Wrong("modified_input", '''def gd_autograd(x, y, w0, lr=0.01, n_iter=20):
    w = w0.detach().requires_grad_(True)
    history = []
    for i in range(n_iter):
        J = J_func(w, x, y)
        history.append(J.item())
        J.backward()
        with torch.no_grad():
            w -= lr * w.grad
        w.grad = None
    return w, history'''),
        "clone without detach (breaks when w0 requires grad)": Wrong("copy_not_detached", '''def gd_autograd(x, y, w0, lr=0.01, n_iter=20):
    w = w0.clone().requires_grad_(True)
    history = []
    for i in range(n_iter):
        J = J_func(w, x, y)
        history.append(J.item())
        J.backward()
        with torch.no_grad():
            w -= lr * w.grad
        w.grad = None
    return w, history'''),
        "mean instead of sum": Wrong("autograd_mean_instead_of_sum", '''def gd_autograd(x, y, w0, lr=0.01, n_iter=20):
    w = w0.detach().clone().requires_grad_(True)
    history = []
    for i in range(n_iter):
        J = ((x * w - y) ** 2).mean()
        history.append(J.item())
        J.backward()
        with torch.no_grad():
            w -= lr * w.grad
        w.grad.zero_()
    return w, history'''),
        "history after the update": Wrong("autograd_history_after_update", '''def gd_autograd(x, y, w0, lr=0.01, n_iter=20):
    w = w0.detach().clone().requires_grad_(True)
    history = []
    for i in range(n_iter):
        J = J_func(w, x, y)
        J.backward()
        with torch.no_grad():
            w -= lr * w.grad
        w.grad = None
        history.append(J_func(w, x, y).item())
    return w, history'''),
        "sign flipped": Wrong("autograd_sign_flipped", '''def gd_autograd(x, y, w0, lr=0.01, n_iter=20):
    w = w0.detach().clone().requires_grad_(True)
    history = []
    for i in range(n_iter):
        J = J_func(w, x, y)
        history.append(J.item())
        J.backward()
        with torch.no_grad():
            w += lr * w.grad
        w.grad = None
    return w, history'''),
        "returns only w": Wrong("autograd_not_a_tuple", '''def gd_autograd(x, y, w0, lr=0.01, n_iter=20):
    w = w0.detach().clone().requires_grad_(True)
    for i in range(n_iter):
        J = J_func(w, x, y)
        J.backward()
        with torch.no_grad():
            w -= lr * w.grad
        w.grad = None
    return w'''),
        "history preallocated as a tensor": Wrong("autograd_history_not_a_list", '''def gd_autograd(x, y, w0, lr=0.01, n_iter=20):
    w = w0.detach().clone().requires_grad_(True)
    history = torch.zeros(n_iter)
    for i in range(n_iter):
        J = J_func(w, x, y)
        history[i] = J.item()
        J.backward()
        with torch.no_grad():
            w -= lr * w.grad
        w.grad = None
    return w, history'''),
        "records the initial J too (n_iter + 1 values)": Wrong("autograd_wrong_history_length", '''def gd_autograd(x, y, w0, lr=0.01, n_iter=20):
    w = w0.detach().clone().requires_grad_(True)
    history = [J_func(w, x, y).item()]
    for i in range(n_iter):
        J = J_func(w, x, y)
        J.backward()
        with torch.no_grad():
            w -= lr * w.grad
        w.grad = None
        history.append(J_func(w, x, y).item())
    return w, history'''),
        "keeps the J tensors": Wrong("autograd_history_not_float", '''def gd_autograd(x, y, w0, lr=0.01, n_iter=20):
    w = w0.detach().clone().requires_grad_(True)
    history = []
    for i in range(n_iter):
        J = J_func(w, x, y)
        history.append(J.detach())
        J.backward()
        with torch.no_grad():
            w -= lr * w.grad
        w.grad = None
    return w, history'''),
        "hard-coded lesson learning rate": Wrong("autograd_wrong_history", '''def gd_autograd(x, y, w0, lr=0.01, n_iter=20):
    w = w0.detach().clone().requires_grad_(True)
    history = []
    for i in range(n_iter):
        J = J_func(w, x, y)
        history.append(J.item())
        J.backward()
        with torch.no_grad():
            w -= 0.01 * w.grad
        w.grad = None
    return w, history'''),
        "returns w0 instead of w": Wrong("autograd_wrong_final_w", '''def gd_autograd(x, y, w0, lr=0.01, n_iter=20):
    w = w0.detach().clone().requires_grad_(True)
    history = []
    for i in range(n_iter):
        J = J_func(w, x, y)
        history.append(J.item())
        J.backward()
        with torch.no_grad():
            w -= lr * w.grad
        w.grad = None
    return w0, history'''),
    },
    "train_step": {
        "loss arguments swapped": Wrong("loss_arguments_swapped", '''def train_step(model, x, y, loss_fn, optimizer):
    optimizer.zero_grad()
    loss = loss_fn(y, model(x))
    loss.backward()
    optimizer.step()
    return loss.item()'''),
        "a new optimizer at each call": Wrong("optimizer_state_lost", '''def train_step(model, x, y, loss_fn, optimizer):
    optimizer = type(optimizer)(model.parameters(), **optimizer.defaults)
    optimizer.zero_grad()
    loss = loss_fn(model(x), y)
    loss.backward()
    optimizer.step()
    return loss.item()'''),
        "no zero_grad": Wrong("stale_gradients_used", '''def train_step(model, x, y, loss_fn, optimizer):
    loss = loss_fn(model(x), y)
    loss.backward()
    optimizer.step()
    return loss.item()'''),
        "zero_grad after step (source order)": Wrong("stale_gradients_used", '''def train_step(model, x, y, loss_fn, optimizer):
    pred = model(x)
    loss = loss_fn(pred, y)
    loss.backward()
    optimizer.step()
    optimizer.zero_grad()
    return loss.item()'''),
        "zero_grad between backward and step": Wrong("weights_not_updated", '''def train_step(model, x, y, loss_fn, optimizer):
    loss = loss_fn(model(x), y)
    loss.backward()
    optimizer.zero_grad()
    optimizer.step()
    return loss.item()'''),
        "returns the loss tensor": Wrong("returns_loss_tensor", '''def train_step(model, x, y, loss_fn, optimizer):
    optimizer.zero_grad()
    loss = loss_fn(model(x), y)
    loss.backward()
    optimizer.step()
    return loss'''),
        "returns the loss after the update": Wrong("loss_after_step", '''def train_step(model, x, y, loss_fn, optimizer):
    optimizer.zero_grad()
    loss_fn(model(x), y).backward()
    optimizer.step()
    with torch.no_grad():
        return loss_fn(model(x), y).item()'''),
        "creates its own optimizer": Wrong("wrong_step_weights", '''def train_step(model, x, y, loss_fn, optimizer):
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    optimizer.zero_grad()
    loss = loss_fn(model(x), y)
    loss.backward()
    optimizer.step()
    return loss.item()'''),
        "forgets to return": Wrong("loss_not_float", '''def train_step(model, x, y, loss_fn, optimizer):
    optimizer.zero_grad()
    loss = loss_fn(model(x), y)
    loss.backward()
    optimizer.step()'''),
        "total loss of the batch": Wrong("wrong_step_loss", '''def train_step(model, x, y, loss_fn, optimizer):
    optimizer.zero_grad()
    loss = loss_fn(model(x), y)
    loss.backward()
    optimizer.step()
    return loss.item() * len(x)'''),
    },
    "expected_initial_ce": {
        "log base 2": Wrong("log_base_2", '''def expected_initial_ce(K):
    return math.log2(K)'''),
        "log base 10": Wrong("log_base_10", '''def expected_initial_ce(K):
    import numpy as np
    return float(np.log10(K))'''),
        "probability instead of loss": Wrong("probability_not_loss", '''def expected_initial_ce(K):
    return 1 / K'''),
        "returns a tensor": Wrong("ce_returns_tensor", '''def expected_initial_ce(K):
    return -torch.log(torch.tensor(1.0 / K))'''),
        "hard-coded K = 10": Wrong("wrong_initial_ce", '''def expected_initial_ce(K):
    return 2.302585092994046'''),
        "log of 1/K without the minus": Wrong("ce_sign_flipped", '''def expected_initial_ce(K):
    return math.log(1 / K)'''),
        "forgets to return": Wrong("ce_not_float", '''def expected_initial_ce(K):
    p = 1 / K
    loss = -math.log(p)'''),
    },
    "answer_lr_scaling": {
        "same threshold": Wrong("choice_a_same_optimum", 'answer_lr_scaling = "a"'),
        "halved": Wrong("choice_b_gradient_doubles", 'answer_lr_scaling = "b"'),
        "doubled": Wrong("choice_d_larger_steps", 'answer_lr_scaling = "d"'),
        "the number instead of the letter": Wrong("not_a_choice", "answer_lr_scaling = 0.0179"),
    },
    "answer_zero_grad": {
        "mean losses summed unscaled": Wrong("choice_a_mean_not_scaled",
                                             'answer_zero_grad = "a"'),
        "zero_grad inside the loop": Wrong("choice_c_zero_grad_each_micro_batch",
                                           'answer_zero_grad = "c"'),
        "one step per micro-batch": Wrong("choice_d_step_each_micro_batch",
                                          'answer_zero_grad = "D"'),
        "two letters": Wrong("not_a_choice", 'answer_zero_grad = "a, b"'),
    },
}

CORRECT = {
    "gd_finite_diff": {
        "the derivative bound as a default argument": '''def gd_finite_diff(x, y, w0, lr=0.01, n_iter=20, grad=dJ_diff):
    w = w0.detach().clone()
    history = []
    for _ in range(n_iter):
        history.append(J_func(w, x, y).item())
        w = w - lr * grad(w, x, y)
    return w, history''',
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
    "answer_lr_scaling": {"upper case": 'answer_lr_scaling = "C"',
                          "in parentheses": 'answer_lr_scaling = "(c)"'},
    "answer_zero_grad": {"with spaces": 'answer_zero_grad = " B "',
                         "letter and parenthesis": 'answer_zero_grad = "b)"'},
}

# The demo student with "plausible mistakes" gets these wrong answers (one per exercise shown).
DEMO_MISTAKES = {"gd_autograd": "gradient never reset",
                 "train_step": "zero_grad after step (source order)"}


# Round 4 of student answers (rt6): differently-written correct answers and the mistakes
# they make, each run through the hidden tests by tests/lessons/test_answers.py.
CORRECT.setdefault('gd_finite_diff', {})['rt6: gdfd namedtuple'] = '''from collections import namedtuple
Res = namedtuple("Res", "w history")
def gd_finite_diff(x, y, w0, lr=0.01, n_iter=20):
    w = w0.clone(); history = []
    for _ in range(n_iter):
        history.append(float(((x * w - y) ** 2).sum()))
        w = w - lr * dJ_diff(w, x, y)
    return Res(w, history)'''
WRONG.setdefault('gd_finite_diff', {})['rt6: gdfd while loop'] = Wrong('fd_wrong_history_length', '''def gd_finite_diff(x, y, w0, lr=0.01, n_iter=20):
    w = w0.clone(); history = []; i = 0
    while i <= n_iter:
        history.append(J_func(w, x, y).item())
        w = w - lr * dJ_diff(w, x, y); i += 1
    return w, history''')
CORRECT.setdefault('gd_finite_diff', {})['rt6: gdfd J_func from lesson'] = '''def gd_finite_diff(x, y, w0, lr=0.01, n_iter=20):
    w = w0.detach().clone(); history = []
    for _ in range(n_iter):
        history.append(J_func(w, x, y).item())
        w -= lr * dJ_diff(w, x, y)
    return w, history'''
CORRECT.setdefault('gd_finite_diff', {})['rt6: gdfd history numpy'] = '''import numpy as np
def gd_finite_diff(x, y, w0, lr=0.01, n_iter=20):
    w = w0.clone(); history = np.zeros(n_iter)
    for i in range(n_iter):
        history[i] = J_func(w, x, y).item()
        w = w - lr * dJ_diff(w, x, y)
    return w, list(history)'''
CORRECT.setdefault('gd_autograd', {})['rt6: gda torch.optim.SGD'] = '''def gd_autograd(x, y, w0, lr=0.01, n_iter=20):
    w = w0.detach().clone().requires_grad_(True)
    opt = torch.optim.SGD([w], lr=lr); history = []
    for _ in range(n_iter):
        opt.zero_grad()
        J = ((x * w - y) ** 2).sum()
        history.append(J.item())
        J.backward(); opt.step()
    return w.detach(), history'''
CORRECT.setdefault('gd_autograd', {})['rt6: gda returns w still'] = '''def gd_autograd(x, y, w0, lr=0.01, n_iter=20):
    w = w0.detach().clone().requires_grad_(True); history = []
    for _ in range(n_iter):
        J = ((x * w - y) ** 2).sum(); history.append(J.item())
        J.backward()
        with torch.no_grad():
            w -= lr * w.grad
        w.grad = None
    return w, history'''
CORRECT.setdefault('gd_autograd', {})['rt6: gda torch.tensor(w0.tolist())'] = '''def gd_autograd(x, y, w0, lr=0.01, n_iter=20):
    w = torch.tensor(w0.tolist(), device=w0.device, requires_grad=True); history = []
    for _ in range(n_iter):
        J = ((x * w - y) ** 2).sum(); history.append(J.item())
        J.backward()
        with torch.no_grad():
            w -= lr * w.grad; w.grad.zero_()
    return w.detach(), history'''
WRONG.setdefault('gd_autograd', {})['rt6: gda last update skipped'] = Wrong('autograd_wrong_final_w', '''def gd_autograd(x, y, w0, lr=0.01, n_iter=20):
    w = w0.detach().clone().requires_grad_(True); history = []
    for i in range(n_iter):
        J = ((x * w - y) ** 2).sum(); history.append(J.item())
        J.backward()
        if i < n_iter - 1:
            with torch.no_grad():
                w -= lr * w.grad; w.grad.zero_()
    return w.detach(), history''')
CORRECT.setdefault('gd_autograd', {})['rt6: gda w0.requires_grad_() on the input'] = '''def gd_autograd(x, y, w0, lr=0.01, n_iter=20):
    w = w0.detach().clone(); w.requires_grad = True; history = []
    for _ in range(n_iter):
        J = torch.sum((x * w - y) ** 2); history.append(float(J))
        (g,) = torch.autograd.grad(J, w)
        with torch.no_grad():
            w.sub_(lr * g)
    return w.detach(), history'''
CORRECT.setdefault('train_step', {})['rt6: ts model.zero_grad'] = '''def train_step(model, x, y, loss_fn, optimizer):
    model.zero_grad()
    loss = loss_fn(model(x), y); loss.backward(); optimizer.step()
    return loss.item()'''
WRONG.setdefault('train_step', {})['rt6: ts zero_grad at end'] = Wrong('stale_gradients_used', '''def train_step(model, x, y, loss_fn, optimizer):
    loss = loss_fn(model(x), y); loss.backward(); optimizer.step(); optimizer.zero_grad()
    return loss.item()''')
CORRECT.setdefault('train_step', {})['rt6: ts returns float(loss.detach'] = '''def train_step(model, x, y, loss_fn, optimizer):
    optimizer.zero_grad(set_to_none=True)
    out = model(x); loss = loss_fn(out, y); loss.backward(); optimizer.step()
    return float(loss.detach().cpu().numpy())'''
CORRECT.setdefault('train_step', {})['rt6: ts param.grad.zero_ loop'] = '''def train_step(model, x, y, loss_fn, optimizer):
    for p in model.parameters():
        if p.grad is not None:
            p.grad.detach_(); p.grad.zero_()
    loss = loss_fn(model(x), y); loss.backward(); optimizer.step()
    return loss.item()'''
CORRECT.setdefault('expected_initial_ce', {})['rt6: ce -log(1/K)'] = '''import math
def expected_initial_ce(K):
    return -math.log(1 / K)'''
CORRECT.setdefault('expected_initial_ce', {})['rt6: ce torch F.cross_entropy'] = '''def expected_initial_ce(K):
    return torch.nn.functional.cross_entropy(torch.zeros(1, K), torch.tensor([0])).item()'''
WRONG.setdefault('expected_initial_ce', {})['rt6: ce log(K-1)'] = Wrong('wrong_initial_ce', '''import math
def expected_initial_ce(K):
    return math.log(K - 1)''')
CORRECT.setdefault('expected_initial_ce', {})['rt6: ce entropy sum'] = '''import numpy as np
def expected_initial_ce(K):
    p = np.full(K, 1.0 / K)
    return float(-(p * np.log(p)).sum())'''
WRONG.setdefault('expected_initial_ce', {})['rt6: ce returns np.float32'] = Wrong('ce_not_float', '''import numpy as np
def expected_initial_ce(K):
    return np.log(np.float32(K))''')

# Round 5 (rt7): more of the mistakes and correct variants a real class hands in.
WRONG['gd_autograd']['rt7: gda update outside torch.no_grad'] = Wrong('update_outside_no_grad', '''def gd_autograd(x, y, w0, lr=0.01, n_iter=20):
    w = w0.detach().clone().requires_grad_()
    history = []
    for _ in range(n_iter):
        J = J_func(w, x, y)
        history.append(J.item())
        J.backward()
        w -= lr * w.grad
        w.grad.zero_()
    return w.detach(), history''')
WRONG['train_step']['rt7: ts update by hand with the optimizer lr'] = Wrong('optimizer_not_used', '''def train_step(model, x, y, loss_fn, optimizer):
    model.zero_grad()
    loss = loss_fn(model(x), y)
    loss.backward()
    lr = optimizer.param_groups[0]["lr"]
    with torch.no_grad():
        for p in model.parameters():
            p -= lr * p.grad
    return loss.item()''')
WRONG['train_step']['rt7: ts a new plain SGD'] = Wrong('optimizer_not_used', '''def train_step(model, x, y, loss_fn, optimizer):
    opt = torch.optim.SGD(model.parameters(), lr=optimizer.param_groups[0]["lr"])
    opt.zero_grad()
    loss = loss_fn(model(x), y)
    loss.backward()
    opt.step()
    return loss.item()''')
CORRECT['train_step']['rt7: ts optimizer.step(closure)'] = '''def train_step(model, x, y, loss_fn, optimizer):
    def closure():
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        return loss
    loss = optimizer.step(closure)
    return loss.item()'''
CORRECT['train_step']['rt7: ts zero_grad between forward and backward, model.train()'] = '''def train_step(model, x, y, loss_fn, optimizer):
    model.train()
    pred = model(x)
    loss = loss_fn(pred, y)
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    optimizer.step()
    return float(loss)'''
CORRECT['gd_autograd']['rt7: gda .data update'] = '''def gd_autograd(x, y, w0, lr=0.01, n_iter=20):
    w = w0.clone().detach().requires_grad_(True)
    history = []
    for _ in range(n_iter):
        J = J_func(w, x, y)
        J.backward()
        history.append(J.item())
        w.data -= lr * w.grad.data
        w.grad.data.zero_()
    return w.detach(), history'''
CORRECT['gd_autograd']['rt7: gda a new leaf each step'] = '''def gd_autograd(x, y, w0, lr=0.01, n_iter=20):
    w = w0.detach().clone().requires_grad_()
    history = []
    for _ in range(n_iter):
        J = J_func(w, x, y)
        history.append(J.item())
        J.backward()
        w = (w - lr * w.grad).detach().requires_grad_()
    return w.detach(), history'''
CORRECT['gd_finite_diff']['rt7: gdfd w = w0 with out-of-place updates'] = '''def gd_finite_diff(x, y, w0, lr=0.01, n_iter=20):
    w = w0
    history = []
    for i in range(n_iter):
        history.append(((x * w - y) ** 2).sum().item())
        w = w - lr * dJ_diff(w, x, y)
    return w, history'''
CORRECT['expected_initial_ce']['rt7: ce np.log (numpy float64)'] = '''import numpy as np
def expected_initial_ce(K):
    return np.log(K)'''

# Round 8: w built on (or the data moved to) the notebook's global `device`; the hidden tests
# move it to the meta device.  On a machine without CUDA these passed.
WRONG['gd_finite_diff']['rt8: w started on the notebook device'] = Wrong(
    'fd_uses_notebook_device', '''def gd_finite_diff(x, y, w0, lr=0.01, n_iter=20):
    w = torch.tensor(w0.tolist(), dtype=w0.dtype, device=device).reshape(w0.shape)
    history = []
    for _ in range(n_iter):
        history.append(J_func(w, x, y).item())
        w = w - lr * dJ_diff(w, x, y)
    return w, history''')
WRONG['gd_finite_diff']['rt8: data moved to the notebook device'] = Wrong(
    'fd_uses_notebook_device', '''def gd_finite_diff(x, y, w0, lr=0.01, n_iter=20):
    x, y, w = x.to(device), y.to(device), w0.clone().to(device)
    history = []
    for _ in range(n_iter):
        history.append(J_func(w, x, y).item())
        w = w - lr * dJ_diff(w, x, y)
    return w, history''')
WRONG['gd_autograd']['rt8: w created on the notebook device'] = Wrong(
    'autograd_uses_notebook_device', '''def gd_autograd(x, y, w0, lr=0.01, n_iter=20):
    w = torch.zeros(w0.shape, dtype=w0.dtype, device=device)
    w.copy_(w0.detach())
    w.requires_grad_(True)
    history = []
    for _ in range(n_iter):
        J = J_func(w, x, y)
        history.append(J.item())
        J.backward()
        with torch.no_grad():
            w -= lr * w.grad
        w.grad.zero_()
    return w.detach(), history''')
WRONG['train_step']['rt8: batch moved to the notebook device'] = Wrong(
    'train_step_uses_notebook_device', '''def train_step(model, x, y, loss_fn, optimizer):
    x, y = x.to(device), y.to(device)
    optimizer.zero_grad()
    loss = loss_fn(model(x), y)
    loss.backward()
    optimizer.step()
    return loss.item()''')
WRONG['train_step']['rt8: model and batch moved to the notebook device'] = Wrong(
    'train_step_uses_notebook_device', '''def train_step(model, x, y, loss_fn, optimizer, dev=device):
    model.to(dev)
    optimizer.zero_grad()
    loss = loss_fn(model(x.to(dev)), y.to(dev))
    loss.backward()
    optimizer.step()
    return loss.item()''')

# Honest answers written differently (round 9): each passes the tightened hidden tests.
CORRECT.setdefault('gd_autograd', {})['rt9: gda torch.autograd.grad, out-of-place step, requires_grad_ again'] = '''def gd_autograd(x, y, w0, lr=0.01, n_iter=20):
    w = w0.detach().clone().requires_grad_(True)
    history = []
    for _ in range(n_iter):
        J = J_func(w, x, y)
        history.append(J.item())
        (g,) = torch.autograd.grad(J, w)
        with torch.no_grad():
            w = w - lr * g
        w.requires_grad_(True)
    return w.detach(), history'''
CORRECT.setdefault('gd_autograd', {})['rt9: gda gradient read by a hook on w'] = '''def gd_autograd(x, y, w0, lr=0.01, n_iter=20):
    w = w0.detach().clone().requires_grad_(True)
    history = []
    for _ in range(n_iter):
        store = []
        J = J_func(w, x, y)
        w.register_hook(lambda g: store.append(g))
        history.append(J.item())
        J.backward()
        with torch.no_grad():
            w -= lr * store[0]
        w.grad = None
    return w.detach(), history'''
CORRECT.setdefault('gd_autograd', {})['rt9: gda float64 internals, retain_graph, .data step'] = '''def gd_autograd(x, y, w0, lr=0.01, n_iter=20):
    w = w0.detach().to(torch.float64).clone().requires_grad_()
    xd, yd = x.double(), y.double()
    history = []
    for _ in range(n_iter):
        J = J_func(w, xd, yd)
        history.append(J.item())
        J.backward(retain_graph=True)
        w.data -= lr * w.grad.data
        w.grad = None
    return w.detach().to(w0.dtype), history'''
CORRECT.setdefault('gd_autograd', {})['rt9: gda optimizer.step(closure)'] = '''def gd_autograd(x, y, w0, lr=0.01, n_iter=20):
    w = w0.detach().clone().requires_grad_()
    opt = torch.optim.SGD([w], lr=lr)
    history = []
    def closure():
        opt.zero_grad()
        J = J_func(w, x, y)
        J.backward()
        return J
    for _ in range(n_iter):
        history.append(opt.step(closure).item())
    return w.detach(), history'''
CORRECT.setdefault('gd_autograd', {})['rt9: gda torch.autograd.backward(inputs=[w]), copy_ step'] = '''def gd_autograd(x, y, w0, lr=0.01, n_iter=20):
    w = w0.clone().detach().requires_grad_(True)
    history = []
    for _ in range(n_iter):
        J = J_func(w, x, y)
        history.append(J.item())
        torch.autograd.backward(J, inputs=[w])
        grad = w.grad.clone()
        w.grad = None
        with torch.no_grad():
            w.copy_(w - lr * grad)
    return w.detach(), history'''
CORRECT.setdefault('gd_finite_diff', {})['rt9: gdfd dJ_diff and J_func called with keywords'] = '''def gd_finite_diff(x, y, w0, lr=0.01, n_iter=20):
    w = w0.detach().clone()
    history = []
    for _ in range(n_iter):
        history.append(J_func(w=w, x=x, y=y).item())
        w = w - lr * dJ_diff(w=w, x=x, y=y)
    return w, history'''
CORRECT.setdefault('gd_finite_diff', {})['rt9: gdfd float64 internals, sub_ under no_grad'] = '''def gd_finite_diff(x, y, w0, lr=0.01, n_iter=20):
    with torch.no_grad():
        w = w0.clone().to(torch.float64)
        history = []
        for _ in range(n_iter):
            history.append(float(((x * w - y) ** 2).sum()))
            grad = dJ_diff(w, x.double(), y.double())
            w.sub_(lr * grad)
    return w.to(w0.dtype), history'''
