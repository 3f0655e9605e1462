"""Lesson 07: answers students write (keys are answer-cell grade_ids)."""
from course.lessons import Wrong

WRONG = {
    "answer_branch_at_boundary": {
        "derivative of x**2": Wrong("choice_other_branch", 'answer_branch_at_boundary = "a"'),
        "average of both sides": Wrong("choice_average_of_sides",
                                       'answer_branch_at_boundary = "b"'),
        "not differentiable": Wrong("choice_nan_at_boundary", 'answer_branch_at_boundary = "d"'),
        "the number": Wrong("not_a_choice", "answer_branch_at_boundary = 3.0"),
    },
    "pointwise_grad": {
        "result on the notebook's device": Wrong("pointwise_uses_notebook_device", '''def pointwise_grad(f, x):
    grads = torch.zeros(len(x), dtype=x.dtype, device=device)
    for i in range(len(x)):
        t = x[i].detach().clone().requires_grad_(True)
        y = f(t)
        y.backward()
        grads[i] = t.grad
    return grads'''),
        "vmap(grad(f)) over Python control flow": Wrong("vmap_over_control_flow", '''import torch
def pointwise_grad(f, x):
    return torch.func.vmap(torch.func.grad(f))(x.detach())'''),
        "result always float64": Wrong("wrong_dtype", '''def pointwise_grad(f, x):
    grads = []
    for xi in x.detach():
        xi = xi.clone().requires_grad_(True)
        (g,) = torch.autograd.grad(f(xi), xi)
        grads.append(g.item())
    return torch.tensor(grads, dtype=torch.float64, device=x.device)'''),
        "whole vector at once": Wrong("f_called_on_vector", '''def pointwise_grad(f, x):
    x = x.detach().clone().requires_grad_(True)
    f(x).sum().backward()
    return x.grad'''),
        "torch.autograd.functional.jacobian": Wrong("f_called_on_vector", '''def pointwise_grad(f, x):
    return torch.autograd.functional.jacobian(f, x).diagonal()'''),
        # the hidden test's recorder noted a vector call on itself: reset, it went unseen
        "whole vector tried first, the recorder reset": Wrong("f_called_on_vector", '''def pointwise_grad(f, x):
    try:
        f(x.detach())
    except Exception:
        pass
    if hasattr(f, "vector"):
        f.vector = False
    out = torch.empty_like(x)
    for i in range(len(x)):
        t = x[i].detach().clone().requires_grad_(True)
        (g,) = torch.autograd.grad(f(t), t)
        out[i] = g
    return out'''),
        "returns the values": Wrong("returned_f_values", '''def pointwise_grad(f, x):
    out = torch.empty_like(x)
    for i in range(len(x)):
        t = x[i].detach().requires_grad_(True)
        y = f(t)
        y.backward()
        out[i] = y.detach()
    return out'''),
        "one leaf reused, .grad never reset": Wrong("grad_accumulated_across_points", '''def pointwise_grad(f, x):
    t = torch.zeros((), dtype=x.dtype, device=x.device, requires_grad=True)
    out = torch.empty_like(x)
    for i in range(len(x)):
        with torch.no_grad():
            t.copy_(x[i])
        f(t).backward()
        out[i] = t.grad
    return out'''),
        "central differences": Wrong("finite_differences_used", '''def pointwise_grad(f, x):
    h = 1e-6
    out = torch.empty_like(x)
    with torch.no_grad():
        for i in range(len(x)):
            out[i] = (f(x[i] + h) - f(x[i] - h)) / (2 * h)
    return out'''),
        "tensor rebuilt from Python floats (float32)": Wrong("wrong_dtype", '''def pointwise_grad(f, x):
    grads = []
    for v in x.tolist():
        t = torch.tensor(v, requires_grad=True, device=x.device)
        f(t).backward()
        grads.append(t.grad)
    return torch.stack(grads)'''),
        "requires_grad switched on the caller's x": Wrong("modified_input", '''def pointwise_grad(f, x):
    x.requires_grad_(True)
    out = torch.empty_like(x)
    for i in range(len(x)):
        (g,) = torch.autograd.grad(f(x[i]), x)
        out[i] = g[i]
    return out'''),
    },
    "fixed": {
        "only the sigmoid line fixed": Wrong("still_inplace", '''def fixed(x):
    h = x * 2
    h += 1
    s = torch.sigmoid(h)
    s = s * x
    q = s ** 2
    s += 1
    return (q + s).sum()'''),
        "in-place ops moved under no_grad": Wrong("still_inplace", '''def fixed(x):
    h = x * 2
    h += 1
    s = torch.sigmoid(h)
    with torch.no_grad():
        s *= x
    q = s ** 2
    with torch.no_grad():
        s += 1
    return (q + s).sum()'''),
        ".data to silence the version counter": Wrong("data_hides_inplace", '''def fixed(x):
    h = x * 2
    h += 1
    s = torch.sigmoid(h)
    s.data *= x.data
    q = s ** 2
    s.data += 1
    return (q + s).sum()'''),
        "x detached at the top": Wrong("fixed_without_graph", '''def fixed(x):
    x = x.detach()
    h = x * 2
    h += 1
    s = torch.sigmoid(h)
    s *= x
    q = s ** 2
    s += 1
    return (q + s).sum()'''),
        "forgot the + 1": Wrong("wrong_value", '''def fixed(x):
    s = torch.sigmoid(2 * x + 1) * x
    return (s ** 2 + s).sum()'''),
        "h = x aliases the input": Wrong("modified_input", '''def fixed(x):
    h = x
    h *= 2
    h += 1
    s = torch.sigmoid(h) * x
    return (s ** 2 + s + 1).sum()'''),
    },
    "per_loss_grads": {
        "no retain_graph": Wrong("graph_freed_no_retain", '''def per_loss_grads(f, w):
    w = w.detach().requires_grad_(True)
    return [torch.autograd.grad(loss, w)[0] for loss in f(w)]'''),
        "forward again for each loss": Wrong("forward_repeated", '''def per_loss_grads(f, w):
    w = w.detach().requires_grad_(True)
    return [torch.autograd.grad(f(w)[i], w)[0] for i in range(len(f(w)))]'''),
        "backward without zeroing w.grad": Wrong("grad_accumulated_between_losses", '''def per_loss_grads(f, w):
    w = w.detach().requires_grad_(True)
    grads = []
    for loss in f(w):
        loss.backward(retain_graph=True)
        grads.append(w.grad.clone())
    return grads'''),
        "appends the same w.grad tensor": Wrong("sum_of_all_losses_gradient", '''def per_loss_grads(f, w):
    w = w.detach().requires_grad_(True)
    grads = []
    for loss in f(w):
        loss.backward(retain_graph=True)
        grads.append(w.grad)
    return grads'''),
        "autograd.grad of all the losses at once": Wrong("sum_of_all_losses_gradient", '''def per_loss_grads(f, w):
    w = w.detach().requires_grad_(True)
    return list(torch.autograd.grad(f(w), w))'''),
        "stacked into one tensor": Wrong("grads_not_a_list", '''def per_loss_grads(f, w):
    w = w.detach().requires_grad_(True)
    losses = f(w)
    grads = [torch.autograd.grad(l, w, retain_graph=True)[0] for l in losses]
    return torch.stack(grads)'''),
        "w.grad reset to None on the caller's w": Wrong("input_grad_changed", '''def per_loss_grads(f, w):
    w.grad = None
    v = w.detach().requires_grad_(True)
    losses = f(v)
    return [torch.autograd.grad(l, v, retain_graph=True)[0] for l in losses]'''),
    },
    "clipped_grad_hook": {
        "no return in the hook": Wrong("hook_result_not_returned", '''def clipped_grad_hook(limit):
    def hook(grad):
        clipped = torch.clamp(grad, -limit, limit)
    return hook'''),
        "clamp_ in place": Wrong("hook_modifies_grad_in_place", '''def clipped_grad_hook(limit):
    def hook(grad):
        grad.clamp_(-limit, limit)
        return grad
    return hook'''),
        "masked assignment in place": Wrong("hook_modifies_grad_in_place", '''def clipped_grad_hook(limit):
    def hook(grad):
        grad[grad > limit] = limit
        grad[grad < -limit] = -limit
    return hook'''),
        "clip by norm": Wrong("clipped_by_norm", '''def clipped_grad_hook(limit):
    def hook(grad):
        norm = grad.norm()
        if norm > limit:
            return grad * limit / norm
        return grad
    return hook'''),
        "only the upper limit": Wrong("clip_upper_only", '''def clipped_grad_hook(limit):
    return lambda grad: torch.clamp(grad, max=limit)'''),
        "clips to [0, limit]": Wrong("wrong_value", '''def clipped_grad_hook(limit):
    return lambda grad: grad.clamp(0, limit)'''),
    },
    "stop_gradient_loss": {
        "target not detached": Wrong("target_not_detached", '''def stop_gradient_loss(w, x, r, x_next, gamma):
    target = r + gamma * (x_next @ w)
    return ((x @ w - target) ** 2).mean()'''),
        "prediction detached instead": Wrong("prediction_detached", '''def stop_gradient_loss(w, x, r, x_next, gamma):
    v = (x @ w).detach()
    target = r + gamma * (x_next @ w)
    return ((v - target) ** 2).mean()'''),
        "sum instead of mean": Wrong("sum_instead_of_mean", '''def stop_gradient_loss(w, x, r, x_next, gamma):
    target = (r + gamma * (x_next @ w)).detach()
    return ((x @ w - target) ** 2).sum()'''),
        "everything under no_grad": Wrong("loss_without_graph", '''def stop_gradient_loss(w, x, r, x_next, gamma):
    with torch.no_grad():
        target = r + gamma * (x_next @ w)
        return ((x @ w - target) ** 2).mean()'''),
        "calls backward inside": Wrong("input_grad_changed", '''def stop_gradient_loss(w, x, r, x_next, gamma):
    target = (r + gamma * (x_next @ w)).detach()
    loss = ((x @ w - target) ** 2).mean()
    loss.backward(retain_graph=True)
    return loss'''),
    },
    "evaluate": {
        "model.eval() only": Wrong("eval_graph_built", '''def evaluate(model, x, y, loss_fn):
    model.eval()
    return loss_fn(model(x), y)'''),
        "detach at the end": Wrong("detached_after_forward", '''def evaluate(model, x, y, loss_fn):
    return loss_fn(model(x), y).detach()'''),
        # the hidden test's model noted its forwards in lists of its own: emptied, a recorded
        # forward went unseen (red team: the check's notes now live in a closure)
        "detach at the end, the probe's notes emptied": Wrong("detached_after_forward", '''def evaluate(model, x, y, loss_fn):
    out = loss_fn(model(x), y).detach()
    for notes in vars(model).values():
        if type(notes) is list:
            notes.clear()
    return out'''),
        "forward gone around, with autograd on": Wrong("modified_input", '''def evaluate(model, x, y, loss_fn):
    forward = type(model).__mro__[1].forward
    return loss_fn(forward(model, x), y).detach()'''),
        "zero_grad first": Wrong("touched_param_grads", '''def evaluate(model, x, y, loss_fn):
    model.zero_grad()
    with torch.no_grad():
        return loss_fn(model(x), y)'''),
        "set_grad_enabled(False) never undone": Wrong("grad_left_disabled", '''def evaluate(model, x, y, loss_fn):
    torch.set_grad_enabled(False)
    return loss_fn(model(x), y)'''),
        "returns .item()": Wrong("not_a_tensor", '''def evaluate(model, x, y, loss_fn):
    with torch.no_grad():
        return loss_fn(model(x), y).item()'''),
    },
    "accumulated_grad": {
        "takes an optimizer step inside": Wrong("accumulation_changed_parameters", '''def accumulated_grad(model, loss_fn, x, y, n_chunks):
    model.zero_grad()
    n = len(x)
    size = math.ceil(n / n_chunks)
    for i in range(0, n, size):
        xb, yb = x[i:i + size], y[i:i + size]
        (loss_fn(model(xb), yb) * (len(xb) / n)).backward()
    with torch.no_grad():
        loss = loss_fn(model(x), y).item()
    torch.optim.SGD(model.parameters(), lr=0.1).step()
    return loss'''),
        "one backward for the sum of the micro-batch losses": Wrong("too_few_backward", '''def accumulated_grad(model, loss_fn, x, y, n_chunks):
    model.zero_grad()
    n = len(x)
    size = math.ceil(n / n_chunks)
    total = 0
    for i in range(0, n, size):
        xb, yb = x[i:i + size], y[i:i + size]
        total = total + loss_fn(model(xb), yb) * (len(xb) / n)
    total.backward()
    return total.item()'''),
        "chunk losses not weighted": Wrong("accumulated_loss_not_scaled", '''def accumulated_grad(model, loss_fn, x, y, n_chunks):
    model.zero_grad()
    total = 0.0
    for xb, yb in zip(torch.tensor_split(x, n_chunks), torch.tensor_split(y, n_chunks)):
        loss = loss_fn(model(xb), yb)
        loss.backward()
        total += loss.item()
    return total'''),
        "divided by n_chunks": Wrong("scaled_by_n_chunks", '''def accumulated_grad(model, loss_fn, x, y, n_chunks):
    model.zero_grad()
    total = 0.0
    for xb, yb in zip(x.chunk(n_chunks), y.chunk(n_chunks)):
        loss = loss_fn(model(xb), yb) / n_chunks
        loss.backward()
        total += loss.item()
    return total'''),
        "no zero_grad": Wrong("stale_grads_kept", '''def accumulated_grad(model, loss_fn, x, y, n_chunks):
    n = len(x)
    total = 0.0
    for xb, yb in zip(torch.tensor_split(x, n_chunks), torch.tensor_split(y, n_chunks)):
        loss = loss_fn(model(xb), yb) * len(xb) / n
        loss.backward()
        total += loss.item()
    return total'''),
        "zero_grad inside the loop": Wrong("zeroed_inside_loop", '''def accumulated_grad(model, loss_fn, x, y, n_chunks):
    n = len(x)
    total = 0.0
    for xb, yb in zip(torch.tensor_split(x, n_chunks), torch.tensor_split(y, n_chunks)):
        model.zero_grad()
        loss = loss_fn(model(xb), yb) * len(xb) / n
        loss.backward()
        total += loss.item()
    return total'''),
        "full batch in one go": Wrong("not_micro_batched", '''def accumulated_grad(model, loss_fn, x, y, n_chunks):
    model.zero_grad()
    loss = loss_fn(model(x), y)
    loss.backward()
    return loss.item()'''),
        "n // n_chunks drops the remainder": Wrong("samples_not_once", '''def accumulated_grad(model, loss_fn, x, y, n_chunks):
    model.zero_grad()
    n = len(x)
    size = n // n_chunks
    total = 0.0
    for i in range(n_chunks):
        xb, yb = x[i * size:(i + 1) * size], y[i * size:(i + 1) * size]
        loss = loss_fn(model(xb), yb) * len(xb) / n
        loss.backward()
        total += loss.item()
    return total'''),
        "returns the loss tensor": Wrong("loss_not_a_float", '''def accumulated_grad(model, loss_fn, x, y, n_chunks):
    model.zero_grad()
    n = len(x)
    total = 0
    for xb, yb in zip(torch.tensor_split(x, n_chunks), torch.tensor_split(y, n_chunks)):
        loss = loss_fn(model(xb), yb) * len(xb) / n
        loss.backward()
        total = total + loss.detach()
    return total'''),
        "returns the sum of the chunk means": Wrong("wrong_full_batch_loss", '''def accumulated_grad(model, loss_fn, x, y, n_chunks):
    model.zero_grad()
    n = len(x)
    total = 0.0
    for xb, yb in zip(torch.tensor_split(x, n_chunks), torch.tensor_split(y, n_chunks)):
        loss = loss_fn(model(xb), yb)
        (loss * len(xb) / n).backward()
        total += loss.item()
    return total'''),
    },
}

CORRECT = {
    "answer_branch_at_boundary": {"upper case with spaces": 'answer_branch_at_boundary = " C "',
                                  "in parentheses": 'answer_branch_at_boundary = "(c)"'},
    "pointwise_grad": {
        "sum of independent terms, one backward": '''def pointwise_grad(f, x):
    leaf = x.detach().clone().requires_grad_(True)
    total = sum(f(leaf[i]) for i in range(len(leaf)))
    total.backward()
    return leaf.grad''',
        "backward per point into a shared leaf": '''def pointwise_grad(f, x):
    leaf = x.detach().clone().requires_grad_(True)
    for t in leaf:
        f(t).backward()
    return leaf.grad''',
        "torch.func.grad per point": '''def pointwise_grad(f, x):
    df = torch.func.grad(f)
    return torch.stack([df(t) for t in x.detach()])''',
    },
    "fixed": {
        "clone before the in-place ops": '''def fixed(x):
    h = x * 2
    h += 1
    s = torch.sigmoid(h).clone()
    s *= x
    q = s.clone() ** 2
    s += 1
    return (q + s).sum()''',
        "one expression": '''def fixed(x):
    p = x * torch.sigmoid(2 * x + 1)
    return (p * p + p + 1).sum()''',
    },
    "per_loss_grads": {
        "backward with retain_graph, w.grad reset": '''def per_loss_grads(f, w):
    w = w.detach().clone().requires_grad_(True)
    losses = f(w)
    grads = []
    for loss in losses:
        w.grad = None
        loss.backward(retain_graph=True)
        grads.append(w.grad.clone())
    return grads''',
        "retain_graph everywhere, tuple": '''def per_loss_grads(f, w):
    v = w.detach().requires_grad_()
    return tuple(torch.autograd.grad(l, v, retain_graph=True)[0] for l in f(v))''',
    },
    "clipped_grad_hook": {
        "lambda with torch.clip": '''def clipped_grad_hook(limit):
    return lambda g: torch.clip(g, min=-limit, max=limit)''',
        "torch.where": '''def clipped_grad_hook(limit):
    def hook(grad):
        return torch.where(grad.abs() > limit, limit * grad.sign(), grad)
    return hook''',
        "clone then clamp_": '''def clipped_grad_hook(limit):
    def hook(grad):
        out = grad.clone()
        out.clamp_(-limit, limit)
        return out
    return hook''',
    },
    "stop_gradient_loss": {
        "target under no_grad": '''def stop_gradient_loss(w, x, r, x_next, gamma):
    with torch.no_grad():
        target = r + gamma * x_next @ w
    return torch.mean((x @ w - target) ** 2)''',
        "w detached in the target, MSELoss": '''def stop_gradient_loss(w, x, r, x_next, gamma):
    target = r + gamma * (x_next @ w.detach())
    return torch.nn.functional.mse_loss(x @ w, target)''',
    },
    "evaluate": {
        "inference_mode and eval/train": '''def evaluate(model, x, y, loss_fn):
    was_training = model.training
    model.eval()
    with torch.inference_mode():
        loss = loss_fn(model(x), y)
    model.train(was_training)
    return loss''',
        "set_grad_enabled restored": '''def evaluate(model, x, y, loss_fn):
    previous = torch.is_grad_enabled()
    torch.set_grad_enabled(False)
    try:
        return loss_fn(model(x), y)
    finally:
        torch.set_grad_enabled(previous)''',
    },
    "accumulated_grad": {
        "index arithmetic, set_to_none by hand": '''def accumulated_grad(model, loss_fn, x, y, n_chunks):
    for p in model.parameters():
        p.grad = None
    n = x.shape[0]
    size = -(-n // n_chunks)
    total = 0.0
    for start in range(0, n, size):
        xb, yb = x[start:start + size], y[start:start + size]
        loss = loss_fn(model(xb), yb) * (xb.shape[0] / n)
        loss.backward()
        total += float(loss)
    return total''',
        "torch.chunk": '''def accumulated_grad(model, loss_fn, x, y, n_chunks):
    model.zero_grad(set_to_none=False)
    losses = []
    for xb, yb in zip(x.chunk(n_chunks), y.chunk(n_chunks)):
        loss = loss_fn(model(xb), yb) * len(xb) / len(x)
        loss.backward()
        losses.append(loss.item())
    return sum(losses)''',
    },
}

# The demo student with "plausible mistakes" gets these wrong answers (one per exercise shown).
DEMO_MISTAKES = {"fixed": ".data to silence the version counter",
                 "accumulated_grad": "divided by n_chunks"}


# Round 4 of student answers (rt6): differently-written correct answers and the mistakes
# they make, each run through the hidden tests by tests/lessons/test_answers.py.
CORRECT.setdefault('pointwise_grad', {})['rt6: pg same but dtype=x.dtype'] = '''def pointwise_grad(f, x):
    out = torch.zeros_like(x, requires_grad=False)
    for i, xi in enumerate(x.detach()):
        t = torch.tensor(xi.item(), dtype=x.dtype, device=x.device, requires_grad=True)
        (g,) = torch.autograd.grad(f(t), t)
        out[i] = g
    return out'''
CORRECT.setdefault('pointwise_grad', {})['rt6: pg iterate x directly'] = '''def pointwise_grad(f, x):
    grads = []
    for xi in x:
        t = xi.detach().requires_grad_()
        grads.append(torch.autograd.grad(f(t), t)[0])
    return torch.stack(grads)'''
CORRECT.setdefault('pointwise_grad', {})['rt6: pg one leaf reused, grad reset'] = '''def pointwise_grad(f, x):
    t = torch.zeros((), dtype=x.dtype, device=x.device, requires_grad=True)
    out = torch.empty_like(x)
    for i in range(len(x)):
        with torch.no_grad():
            t.copy_(x[i])
        t.grad = None
        f(t).backward()
        out[i] = t.grad
    return out.detach()'''
WRONG.setdefault('pointwise_grad', {})['rt6: pg torch.tensor(x[i].item(), requires_grad) float32'] = Wrong('wrong_dtype', '''def pointwise_grad(f, x):
    out = []
    for i in range(len(x)):
        t = torch.tensor(x[i].item(), requires_grad=True)
        f(t).backward()
        out.append(t.grad)
    return torch.stack(out).to(x.device)''')
CORRECT.setdefault('fixed', {})['rt6: fixed torch.special.expit'] = '''def fixed(x):
    p = x * torch.special.expit(2 * x + 1)
    return torch.sum(p * p + p + 1)'''
CORRECT.setdefault('fixed', {})['rt6: fixed sum split with + len(x)'] = '''def fixed(x):
    p = x * torch.sigmoid(2 * x + 1)
    return (p ** 2).sum() + p.sum() + len(x)'''
CORRECT.setdefault('fixed', {})['rt6: fixed sigmoid by hand'] = '''def fixed(x):
    s = 1 / (1 + torch.exp(-(2 * x + 1)))
    p = s * x
    return (p ** 2 + p + 1).sum()'''
CORRECT.setdefault('fixed', {})['rt6: fixed clone then in-place'] = '''def fixed(x):
    h = x * 2
    h = h + 1
    s = torch.sigmoid(h)
    p = s * x
    q = p ** 2
    p = p.clone()
    p += 1
    return (q + p).sum()'''
CORRECT.setdefault('fixed', {})['rt6: fixed in-place on fresh'] = '''def fixed(x):
    h = x * 2
    h += 1
    p = torch.sigmoid(h) * x
    return (p ** 2 + p + 1).sum()'''
CORRECT.setdefault('per_loss_grads', {})['rt6: plg backward + grad.clone'] = '''def per_loss_grads(f, w):
    w2 = w.detach().clone().requires_grad_(True)
    losses = f(w2); out = []
    for i, l in enumerate(losses):
        w2.grad = None
        l.backward(retain_graph=True)
        out.append(w2.grad.clone())
    return out'''
WRONG.setdefault('per_loss_grads', {})['rt6: plg backward, no clone'] = Wrong('grad_tensor_reused', '''def per_loss_grads(f, w):
    w2 = w.detach().clone().requires_grad_(True)
    losses = f(w2); out = []
    for l in losses:
        l.backward(retain_graph=True)
        out.append(w2.grad)
        w2.grad.zero_()
    return out''')
CORRECT.setdefault('per_loss_grads', {})['rt6: plg uses torch.autograd.grad with inputs list'] = '''def per_loss_grads(f, w):
    w2 = w.detach().requires_grad_()
    losses = f(w2)
    return tuple(torch.autograd.grad(l, [w2], retain_graph=True)[0] for l in losses)'''
CORRECT.setdefault('clipped_grad_hook', {})['rt6: hook torch.where sign'] = '''def clipped_grad_hook(limit):
    def hook(grad):
        return torch.where(grad.abs() > limit, limit * grad.sign(), grad)
    return hook'''
CORRECT.setdefault('clipped_grad_hook', {})['rt6: hook torch.max/min'] = '''def clipped_grad_hook(limit):
    def hook(grad):
        lim = torch.full_like(grad, limit)
        return torch.max(torch.min(grad, lim), -lim)
    return hook'''
WRONG.setdefault('clipped_grad_hook', {})['rt6: hook clamp abs'] = Wrong('wrong_value', '''def clipped_grad_hook(limit):
    return lambda g: g.abs().clamp(max=limit)''')
CORRECT.setdefault('stop_gradient_loss', {})['rt6: sgl with no_grad target'] = '''def stop_gradient_loss(w, x, r, x_next, gamma):
    with torch.no_grad():
        target = r + gamma * torch.matmul(x_next, w)
    return torch.mean((torch.matmul(x, w) - target) ** 2)'''
CORRECT.setdefault('stop_gradient_loss', {})['rt6: sgl target - v order'] = '''def stop_gradient_loss(w, x, r, x_next, gamma):
    target = r + gamma * (x_next @ w.detach())
    return ((target - x @ w) ** 2).mean()'''
CORRECT.setdefault('stop_gradient_loss', {})['rt6: sgl F.mse_loss with detached'] = '''import torch.nn.functional as F
def stop_gradient_loss(w, x, r, x_next, gamma):
    return F.mse_loss(x @ w, r + gamma * (x_next @ w).detach())'''
WRONG.setdefault('stop_gradient_loss', {})['rt6: sgl detaches only r'] = Wrong('target_not_detached', '''def stop_gradient_loss(w, x, r, x_next, gamma):
    target = r.detach() + gamma * (x_next @ w)
    return ((x @ w - target) ** 2).mean()''')
CORRECT.setdefault('evaluate', {})['rt6: ev inference_mode'] = '''def evaluate(model, x, y, loss_fn):
    with torch.inference_mode():
        return loss_fn(model(x), y)'''
WRONG.setdefault('evaluate', {})['rt6: ev returns .item()'] = Wrong('not_a_tensor', '''def evaluate(model, x, y, loss_fn):
    with torch.no_grad():
        return loss_fn(model(x), y).item()''')
CORRECT.setdefault('evaluate', {})['rt6: ev set_grad_enabled(False) with restore'] = '''def evaluate(model, x, y, loss_fn):
    prev = torch.is_grad_enabled()
    torch.set_grad_enabled(False)
    try:
        return loss_fn(model(x), y)
    finally:
        torch.set_grad_enabled(prev)'''
CORRECT.setdefault('evaluate', {})['rt6: ev model.eval() and back'] = '''def evaluate(model, x, y, loss_fn):
    model.eval()
    with torch.no_grad():
        loss = loss_fn(model(x), y)
    model.train()
    return loss'''
CORRECT.setdefault('accumulated_grad', {})['rt6: ag torch.chunk, weights len/n'] = '''def accumulated_grad(model, loss_fn, x, y, n_chunks):
    model.zero_grad()
    n = len(x); total = 0.0
    for xb, yb in zip(torch.chunk(x, n_chunks), torch.chunk(y, n_chunks)):
        loss = loss_fn(model(xb), yb) * len(xb) / n
        loss.backward(); total += loss.item()
    return total'''

# Round 5 (rt7): correct variants a real class hands in (all already pass), and one wrong.
CORRECT['pointwise_grad']['rt7: pg backward per point, stacked .grad'] = '''def pointwise_grad(f, x):
    out = []
    for xi in x:
        t = xi.clone().detach().requires_grad_()
        y = f(t)
        y.backward()
        out.append(t.grad)
    return torch.stack(out)'''
CORRECT['pointwise_grad']['rt7: pg autograd.grad with allow_unused'] = '''def pointwise_grad(f, x):
    g = torch.zeros_like(x)
    for i in range(x.shape[0]):
        t = x[i].detach().requires_grad_(True)
        (d,) = torch.autograd.grad(f(t), t, allow_unused=True)
        g[i] = 0.0 if d is None else d
    return g'''
CORRECT['pointwise_grad']['rt7: pg new leaves from tolist(), re-wrapped'] = '''def pointwise_grad(f, x):
    vals = []
    for v in x.tolist():
        t = torch.tensor(v, dtype=x.dtype, device=x.device, requires_grad=True)
        f(t).backward()
        vals.append(t.grad.item())
    return torch.tensor(vals, dtype=x.dtype, device=x.device)'''
CORRECT['per_loss_grads']['rt7: plg w used directly when it requires grad'] = '''def per_loss_grads(f, w):
    ww = w if w.requires_grad else w.detach().requires_grad_()
    losses = f(ww)
    out = []
    for k, L in enumerate(losses):
        out.append(torch.autograd.grad(L, ww, retain_graph=True)[0])
    return out'''
CORRECT['evaluate']['rt7: ev @torch.no_grad() decorator'] = '''@torch.no_grad()
def evaluate(model, x, y, loss_fn):
    return loss_fn(model(x), y)'''
CORRECT['evaluate']['rt7: ev model.eval() left on, detach'] = '''def evaluate(model, x, y, loss_fn):
    model.eval()
    with torch.no_grad():
        out = model(x)
        loss = loss_fn(out, y)
    return loss.detach()'''
CORRECT['stop_gradient_loss']['rt7: sgl matmul, sum / n'] = '''def stop_gradient_loss(w, x, r, x_next, gamma):
    target = r + gamma * torch.matmul(x_next, w).detach()
    return ((torch.matmul(x, w) - target) ** 2).sum() / x.shape[0]'''
CORRECT['stop_gradient_loss']['rt7: sgl w.data in the target'] = '''def stop_gradient_loss(w, x, r, x_next, gamma):
    target = r + gamma * (x_next @ w.data)
    return ((x @ w - target) ** 2).mean()'''
WRONG['accumulated_grad']['rt7: ag full-batch forward for the returned loss'] = Wrong('not_micro_batched', '''def accumulated_grad(model, loss_fn, x, y, n_chunks):
    model.zero_grad()
    n = x.shape[0]
    for xb, yb in zip(x.tensor_split(n_chunks), y.tensor_split(n_chunks)):
        (loss_fn(model(xb), yb) * (xb.shape[0] / n)).backward()
    with torch.no_grad():
        return loss_fn(model(x), y).item()''')
# the limit kept in a global: right whenever a hook is used before the next one is made, as
# the hidden tests did (scored unflagged); every hook clips with the last call's limit
WRONG['clipped_grad_hook']['limit kept in a global'] = Wrong('hook_limit_shared', '''LIMIT = None
def _clip_to_limit(grad):
    return grad.clamp(-LIMIT, LIMIT)
def clipped_grad_hook(limit):
    global LIMIT
    LIMIT = limit
    return _clip_to_limit''')
# one backward of the summed micro-batch losses, padded with backward passes that reach no
# micro-batch (or scaled to nothing, the full batch run around the model's forward) to match
# the count: scored full marks while only the number of passes was counted
WRONG['accumulated_grad']['one backward of the sum, padded with empty backward passes'] = Wrong(
    'backward_not_per_micro_batch', '''import math
def accumulated_grad(model, loss_fn, x, y, n_chunks):
    model.zero_grad()
    n = len(x)
    size = math.ceil(n / n_chunks)
    total = 0
    m = 0
    for i in range(0, n, size):
        xb, yb = x[i:i + size], y[i:i + size]
        total = total + loss_fn(model(xb), yb) * (len(xb) / n)
        m += 1
    total.backward()
    for _ in range(m - 1):
        torch.zeros((), requires_grad=True).backward()
    return total.item()''')
WRONG['accumulated_grad']['micro-batches scaled to nothing, full batch around the forward'] = Wrong(
    'backward_not_per_micro_batch', '''import math
def accumulated_grad(model, loss_fn, x, y, n_chunks):
    model.zero_grad()
    n = len(x)
    size = math.ceil(n / n_chunks)
    full = loss_fn(model.out(torch.tanh(model.hidden(x))).squeeze(-1), y)
    for i in range(0, n, size):
        xb, yb = x[i:i + size], y[i:i + size]
        loss = loss_fn(model(xb), yb) * 1e-30
        (loss + full if i == 0 else loss).backward()
    return full.item()''')
CORRECT['accumulated_grad']['rt7: ag while loop, ceil size, guarded zero_'] = '''import math
def accumulated_grad(model, loss_fn, x, y, n_chunks):
    for p in model.parameters():
        if p.grad is not None:
            p.grad.zero_()
    n = len(x); size = math.ceil(n / n_chunks)
    total = 0.0
    i = 0
    while i < n:
        xb, yb = x[i:i+size], y[i:i+size]
        w = len(xb) / n
        loss = loss_fn(model(xb), yb)
        (w * loss).backward()
        total += w * loss.item()
        i += size
    return total'''

# Honest answers written differently (round 9): each passes the tightened hidden tests.
CORRECT.setdefault('accumulated_grad', {})['rt9: ag DataLoader over a TensorDataset'] = '''import math
from torch.utils.data import DataLoader, TensorDataset
def accumulated_grad(model, loss_fn, x, y, n_chunks):
    model.zero_grad()
    n = len(x)
    loader = DataLoader(TensorDataset(x, y), batch_size=math.ceil(n / n_chunks), shuffle=False)
    total = 0.0
    for xb, yb in loader:
        loss = loss_fn(model(xb), yb) * len(xb) / n
        loss.backward()
        total += loss.item()
    return total'''
CORRECT.setdefault('accumulated_grad', {})['rt9: ag strided micro-batches x[i::n_chunks]'] = '''def accumulated_grad(model, loss_fn, x, y, n_chunks):
    model.zero_grad()
    n = len(x)
    total = 0.0
    for i in range(n_chunks):
        xb, yb = x[i::n_chunks], y[i::n_chunks]
        loss = loss_fn(model(xb), yb) * len(xb) / n
        loss.backward()
        total += loss.item()
    return total'''
CORRECT.setdefault('accumulated_grad', {})['rt9: ag backward(gradient=weight), grads set to None by hand'] = '''def accumulated_grad(model, loss_fn, x, y, n_chunks):
    for p in model.parameters():
        p.grad = None
    n = x.shape[0]
    total = 0.0
    for xb, yb in zip(x.chunk(n_chunks), y.chunk(n_chunks)):
        loss = loss_fn(model(xb), yb)
        w = xb.shape[0] / n
        loss.backward(gradient=torch.tensor(w, dtype=loss.dtype, device=loss.device))
        total += w * loss.item()
    return total'''
CORRECT.setdefault('accumulated_grad', {})['rt9: ag torch.autograd.grad added to .grad'] = '''def accumulated_grad(model, loss_fn, x, y, n_chunks):
    params = list(model.parameters())
    for p in params:
        p.grad = torch.zeros_like(p)
    n = len(x)
    total = 0.0
    for xb, yb in zip(torch.tensor_split(x, n_chunks), torch.tensor_split(y, n_chunks)):
        loss = loss_fn(model(xb), yb) * len(xb) / n
        grads = torch.autograd.grad(loss, params)
        for p, g in zip(params, grads):
            p.grad += g
        total += loss.item()
    return total'''
CORRECT.setdefault('accumulated_grad', {})['rt9: ag np.array_split index lists'] = '''import numpy as np
def accumulated_grad(model, loss_fn, x, y, n_chunks):
    model.zero_grad(set_to_none=False)
    n = len(x)
    total = 0.0
    for idx in np.array_split(np.arange(n), n_chunks):
        idx = torch.as_tensor(idx, device=x.device)
        out = model(x[idx])
        loss = len(idx) / n * loss_fn(out, y[idx])
        loss.backward()
        total += loss.item()
    return total'''
CORRECT.setdefault('clipped_grad_hook', {})['rt9: hook functools.partial of a module-level function'] = '''import functools
def _clip(grad, limit):
    return grad.clamp(-limit, limit)
def clipped_grad_hook(limit):
    return functools.partial(_clip, limit=limit)'''
CORRECT.setdefault('clipped_grad_hook', {})['rt9: hook callable object keeping its limit'] = '''class _Clip:
    def __init__(self, limit):
        self.limit = limit
    def __call__(self, grad):
        return grad.clamp(min=-self.limit, max=self.limit)
def clipped_grad_hook(limit):
    return _Clip(limit)'''
CORRECT['accumulated_grad']['the weight handed to backward() as a float32 tensor'] = '''def accumulated_grad(model, loss_fn, x, y, n_chunks):
    model.zero_grad()
    n = len(x)
    total = 0.0
    for xb, yb in zip(torch.tensor_split(x, n_chunks), torch.tensor_split(y, n_chunks)):
        loss = loss_fn(model(xb), yb)
        loss.backward(torch.tensor(len(xb) / n))  # float32, as torch.tensor makes it
        total += loss.item() * len(xb) / n
    return total'''
