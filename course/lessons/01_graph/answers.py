"""Lesson 01: answers students write (keys are answer-cell grade_ids)."""
from course.lessons import Wrong

WRONG = {
    "forward": {
        "e sign flipped": Wrong("e_sign_flipped", '''def forward(x, w, y):
    y_pred = x * w
    e = y - y_pred
    e2 = e ** 2
    return y_pred, e, e2, e2.sum()'''),
        "returns only J": Wrong("forward_not_a_4_tuple", '''def forward(x, w, y):
    return ((x * w - y) ** 2).sum()'''),
        "mean instead of sum": Wrong("mean_instead_of_sum", '''def forward(x, w, y):
    y_pred = x * w
    e = y_pred - y
    e2 = e ** 2
    return y_pred, e, e2, e2.mean()'''),
        "graph broken by .item()": Wrong("graph_broken", '''def forward(x, w, y):
    y_pred = x * w
    e = y_pred - y
    e2 = e ** 2
    J = torch.tensor(e2.sum().item())
    return y_pred, e, e2, J'''),
        "a new w detached inside": Wrong("graph_broken", '''def forward(x, w, y):
    w = w.detach().requires_grad_()
    y_pred = x * w
    e = y_pred - y
    e2 = e ** 2
    return y_pred, e, e2, e2.sum()'''),
        "half precision": Wrong("forward_low_precision", '''def forward(x, w, y):
    x, w, y = x.half(), w.half(), y.half()
    y_pred = x * w
    e = y_pred - y
    e2 = e ** 2
    return y_pred, e, e2, e2.sum()'''),
        "modifies x in place": Wrong("modified_input", '''def forward(x, w, y):
    y_pred = x.mul_(w)
    e = y_pred - y
    e2 = e ** 2
    return y_pred, e, e2, e2.sum()'''),
        "writes w.grad": Wrong("input_grad_changed", '''def forward(x, w, y):
    w.grad = torch.zeros_like(w)
    y_pred = x * w
    e = y_pred - y
    e2 = e ** 2
    return y_pred, e, e2, e2.sum()'''),
    },
    "manual_backward": {
        "factor 2 forgotten": Wrong("factor_2_forgotten", '''def manual_backward(x, w, y):
    e = x * w - y
    d_e2 = torch.ones_like(e)
    d_e = d_e2 * e
    return {"e2": d_e2, "e": d_e, "y_pred": d_e, "w": (d_e * x).sum().reshape(w.shape)}'''),
        "sign of e flipped": Wrong("gradient_sign_flipped", '''def manual_backward(x, w, y):
    e = y - x * w
    d_e = 2 * e
    return {"e2": torch.ones_like(e), "e": d_e, "y_pred": d_e, "w": (d_e * x).sum().reshape(w.shape)}'''),
        "key y instead of y_pred": Wrong("wrong_gradient_keys", '''def manual_backward(x, w, y):
    e = x * w - y
    d_e = 2 * e
    return {"e2": torch.ones_like(e), "e": d_e, "y": d_e, "w": (d_e * x).sum().reshape(w.shape)}'''),
        "w not summed over samples": Wrong("wrong_shape", '''def manual_backward(x, w, y):
    e = x * w - y
    d_e = 2 * e
    return {"e2": torch.ones_like(e), "e": d_e, "y_pred": d_e, "w": d_e * x}'''),
        "hard-coded lesson values": Wrong("wrong_shape", '''def manual_backward(x, w, y):
    return {"e2": torch.ones(4), "e": torch.tensor([0., -2., -4., -6.]),
            "y_pred": torch.tensor([0., -2., -4., -6.]), "w": torch.tensor([-28.])}'''),
        "uses autograd, switched back on": Wrong("used_autograd", '''def manual_backward(x, w, y):
    with torch.enable_grad():
        w = w.clone().requires_grad_(True)
        y_pred = x * w
        e = y_pred - y
        e2 = e ** 2
        for t in (y_pred, e, e2):
            t.retain_grad()
        e2.sum().backward()
    return {"e2": e2.grad, "e": e.grad, "y_pred": y_pred.grad, "w": w.grad}'''),
        "uses autograd": Wrong("raised", '''def manual_backward(x, w, y):
    w = w.clone().requires_grad_(True)
    y_pred = x * w
    e = y_pred - y
    e2 = e ** 2
    for t in (y_pred, e, e2):
        t.retain_grad()
    e2.sum().backward()
    return {"e2": e2.grad, "e": e.grad, "y_pred": y_pred.grad, "w": w.grad}'''),
    },
    "grad_fn_names": {
        "depth-first": Wrong("not_breadth_first", '''def grad_fn_names(t):
    if t.grad_fn is None:
        return []
    seen, stack, names = {t.grad_fn}, [t.grad_fn], []
    while stack:
        node = stack.pop()
        names.append(type(node).__name__)
        for child, _ in node.next_functions:
            if child is not None and child not in seen:
                seen.add(child)
                stack.append(child)
    return names'''),
        "no visited set": Wrong("repeated_nodes", '''def grad_fn_names(t):
    if t.grad_fn is None:
        return []
    queue, names = [t.grad_fn], []
    while queue:
        node = queue.pop(0)
        names.append(type(node).__name__)
        queue += [c for c, _ in node.next_functions if c is not None]
    return names'''),
        "keeps None": Wrong("keeps_none", '''def grad_fn_names(t):
    if t.grad_fn is None:
        return []
    seen, queue, names = {t.grad_fn}, [t.grad_fn], []
    while queue:
        node = queue.pop(0)
        names.append(type(node).__name__)
        if node is None:
            continue
        for child, _ in node.next_functions:
            if child not in seen:
                seen.add(child)
                queue.append(child)
    return names'''),
        "returns a tuple": Wrong("not_a_list", '''def grad_fn_names(t):
    if t.grad_fn is None:
        return ()
    seen, queue, names = {t.grad_fn}, [t.grad_fn], []
    while queue:
        node = queue.pop(0)
        names.append(type(node).__name__)
        for child, _ in node.next_functions:
            if child is not None and child not in seen:
                seen.add(child)
                queue.append(child)
    return tuple(names)'''),
        "no special case for leaves": Wrong("leaf_not_empty", '''def grad_fn_names(t):
    seen, queue, names = {t.grad_fn}, [t.grad_fn], []
    while queue:
        node = queue.pop(0)
        names.append(type(node).__name__)
        for child, _ in getattr(node, "next_functions", ()):
            if child is not None and child not in seen:
                seen.add(child)
                queue.append(child)
    return names'''),
        "hard-coded lesson answer": Wrong("wrong_nodes", '''def grad_fn_names(t):
    return ["SumBackward0", "PowBackward0", "SubBackward0", "MulBackward0", "AccumulateGrad"]'''),
    },
    "answer_backward_twice": {
        "zeroing the grad restores the graph": Wrong("choice_grad_reset_restores_graph",
                                                     'answer_backward_twice = "a"'),
        "old gradient kept in the nodes": Wrong("choice_old_grad_in_graph",
                                                'answer_backward_twice = "c"'),
        "nothing happens": Wrong("choice_silent_none", 'answer_backward_twice = "d"'),
        "not a letter": Wrong("not_a_choice", 'answer_backward_twice = 2'),
        "two letters": Wrong("not_a_choice", 'answer_backward_twice = "b, c"'),
    },
    "answer_accumulation": {
        "last path overwrites": Wrong("choice_last_path_overwrites", 'answer_accumulation = "a"'),
        "one gradient per path": Wrong("choice_grad_per_path", 'answer_accumulation = "b"'),
        "a leaf used twice is an error": Wrong("choice_leaf_used_once",
                                               'answer_accumulation = "d"'),
    },
}

CORRECT = {
    "forward": {
        "one line each, pow": '''def forward(x, w, y):
    y_pred = torch.mul(x, w)
    e = torch.sub(y_pred, y)
    e2 = e.pow(2)
    J = torch.sum(e2)
    return (y_pred, e, e2, J)''',
        "computed in float32": '''def forward(x, w, y):
    x, w, y = x.float(), w.float(), y.float()
    y_pred = x * w
    e = y_pred - y
    e2 = e ** 2
    return y_pred, e, e2, e2.sum()''',
        "returns a list": '''def forward(x, w, y):
    y_pred = x * w
    e = y_pred - y
    e2 = e ** 2
    return [y_pred, e, e2, e2.sum()]''',
    },
    "manual_backward": {
        "with a dot product": '''def manual_backward(x, w, y):
    with torch.no_grad():
        e = x * w - y
    g = 2 * e
    dw = torch.dot(g, x).view_as(w)
    return dict(e2=torch.ones_like(g), e=g, y_pred=g.clone(), w=dw)''',
    },
    "grad_fn_names": {
        "recursion by levels": '''def grad_fn_names(t):
    level, seen, names = [t.grad_fn] if t.grad_fn is not None else [], set(), []
    seen.update(level)
    while level:
        names += [n.__class__.__name__ for n in level]
        nxt = []
        for node in level:
            for child, _ in node.next_functions:
                if child is not None and child not in seen:
                    seen.add(child)
                    nxt.append(child)
        level = nxt
    return names''',
    },
    "answer_backward_twice": {"upper case": 'answer_backward_twice = "B"',
                              "in parentheses": 'answer_backward_twice = "(b)"'},
    "answer_accumulation": {"with spaces, upper case": 'answer_accumulation = " C "',
                            "in parentheses": 'answer_accumulation = "(c)"'},
}

# The demo student with "plausible mistakes" gets these wrong answers (one per exercise shown).
DEMO_MISTAKES = {"manual_backward": "factor 2 forgotten",
                 "answer_backward_twice": "old gradient kept in the nodes"}


# Round 4 of student answers (rt6): differently-written correct answers and the mistakes
# they make, each run through the hidden tests by tests/lessons/test_answers.py.
CORRECT.setdefault('forward', {})['rt6: fwd namedtuple'] = '''from collections import namedtuple
Fwd = namedtuple("Fwd", "y_pred e e2 J")
def forward(x, w, y):
    y_pred = x * w; e = y_pred - y; e2 = e ** 2
    return Fwd(y_pred, e, e2, e2.sum())'''
CORRECT.setdefault('forward', {})['rt6: fwd torch.mul/sub/square'] = '''def forward(x, w, y):
    y_pred = torch.mul(x, w); e = torch.sub(y_pred, y); e2 = torch.square(e)
    return y_pred, e, e2, torch.sum(e2, dim=0)'''
CORRECT.setdefault('forward', {})['rt6: fwd x unsqueeze @ w'] = '''def forward(x, w, y):
    y_pred = x.unsqueeze(1) @ w; e = y_pred - y; e2 = e * e
    return y_pred, e, e2, e2.sum()'''
CORRECT.setdefault('forward', {})['rt6: fwd y_pred = x*w[0]'] = '''def forward(x, w, y):
    y_pred = x * w[0]; e = y_pred - y; e2 = e ** 2
    return y_pred, e, e2, e2.sum()'''
CORRECT.setdefault('forward', {})['rt6: fwd J = e @ e'] = '''def forward(x, w, y):
    y_pred = x * w; e = y_pred - y; e2 = e ** 2
    return y_pred, e, e2, e @ e'''
CORRECT.setdefault('forward', {})['rt6: fwd J=torch.norm(e)**2'] = '''def forward(x, w, y):
    y_pred = x * w; e = y_pred - y; e2 = e ** 2
    return y_pred, e, e2, torch.norm(e) ** 2'''
WRONG.setdefault('forward', {})['rt6: fwd x*w.detach()'] = Wrong('graph_broken', '''def forward(x, w, y):
    y_pred = x * w.detach(); e = y_pred - y; e2 = e ** 2
    return y_pred, e, e2, e2.sum()''')
WRONG.setdefault('forward', {})['rt6: fwd J returned as shape (1,)'] = Wrong('wrong_shape', '''def forward(x, w, y):
    y_pred = x * w; e = y_pred - y; e2 = e ** 2
    return y_pred, e, e2, e2.sum().reshape(1)''')
WRONG.setdefault('forward', {})['rt6: fwd J as float .item()'] = Wrong('not_a_tensor', '''def forward(x, w, y):
    y_pred = x * w; e = y_pred - y; e2 = e ** 2
    return y_pred, e, e2, e2.sum().item()''')
CORRECT.setdefault('manual_backward', {})['rt6: mb e2 ones float32'] = '''def manual_backward(x, w, y):
    e = x * w - y
    d_e = 2 * e
    return {"e2": torch.ones(len(x), device=x.device), "e": d_e, "y_pred": d_e, "w": torch.dot(d_e, x).unsqueeze(0)}'''
WRONG.setdefault('manual_backward', {})['rt6: mb w 0-d'] = Wrong('wrong_shape', '''def manual_backward(x, w, y):
    e = x * w - y
    d_e = 2 * e
    return {"e2": torch.ones_like(e), "e": d_e, "y_pred": d_e, "w": (d_e * x).sum()}''')
WRONG.setdefault('manual_backward', {})['rt6: mb w mean instead of sum'] = Wrong('wrong_value', '''def manual_backward(x, w, y):
    e = x * w - y
    d_e = 2 * e
    return {"e2": torch.ones_like(e), "e": d_e, "y_pred": d_e, "w": (d_e * x).mean().reshape(w.shape)}''')
WRONG.setdefault('manual_backward', {})['rt6: mb e2 python 1.0'] = Wrong('not_a_tensor', '''def manual_backward(x, w, y):
    e = x * w - y
    d_e = 2 * e
    return {"e2": 1.0, "e": d_e, "y_pred": d_e, "w": (d_e * x).sum().reshape(w.shape)}''')
WRONG.setdefault('manual_backward', {})['rt6: mb with torch.enable_grad'] = Wrong('used_autograd', '''def manual_backward(x, w, y):
    with torch.enable_grad():
        w2 = w.clone().requires_grad_()
        e = x * w2 - y
        (g,) = torch.autograd.grad((e**2).sum(), w2)
    e = e.detach(); d_e = 2 * e
    return {"e2": torch.ones_like(e), "e": d_e, "y_pred": d_e, "w": g}''')
CORRECT.setdefault('grad_fn_names', {})['rt6: gfn seen checked on pop'] = '''def grad_fn_names(t):
    if t.grad_fn is None: return []
    q, seen, out = [t.grad_fn], set(), []
    while q:
        n = q.pop(0)
        if n in seen: continue
        seen.add(n); out.append(type(n).__name__)
        for m, _ in n.next_functions:
            if m is not None: q.append(m)
    return out'''
WRONG.setdefault('grad_fn_names', {})['rt6: gfn no None check'] = Wrong('none_not_skipped', '''def grad_fn_names(t):
    if t.grad_fn is None: return []
    q, seen, out = [t.grad_fn], {t.grad_fn}, []
    while q:
        n = q.pop(0); out.append(type(n).__name__)
        for m, _ in n.next_functions:
            if m not in seen:
                seen.add(m); q.append(m)
    return out''')
WRONG.setdefault('grad_fn_names', {})['rt6: gfn skip AccumulateGrad'] = Wrong('wrong_nodes', '''def grad_fn_names(t):
    if t.grad_fn is None: return []
    q, seen, out = [t.grad_fn], {t.grad_fn}, []
    while q:
        n = q.pop(0)
        if type(n).__name__ != "AccumulateGrad": out.append(type(n).__name__)
        for m, _ in n.next_functions:
            if m is not None and m not in seen:
                seen.add(m); q.append(m)
    return out''')

# Round 5 (rt7): a chain rule done in float32 is accepted with float32's rounding, as forward's.
CORRECT['manual_backward']['rt7: mb computed in float32'] = '''def manual_backward(x, w, y):
    x, w, y = x.float(), w.float(), y.float()
    e = x * w - y
    return {"e2": torch.ones_like(e), "e": 2 * e, "y_pred": 2 * e,
            "w": (2 * e * x).sum().reshape(w.shape)}'''
CORRECT['manual_backward']['rt7: mb dw re-wrapped with torch.tensor(.item())'] = '''def manual_backward(x, w, y):
    e = x * w - y
    g = 2 * e
    dw = torch.tensor([(g * x).sum().item()], dtype=x.dtype, device=x.device)
    return {"e2": torch.ones_like(x), "e": g, "y_pred": g, "w": dw}'''
WRONG['manual_backward']['rt7: mb float32, factor 2 forgotten'] = Wrong('factor_2_forgotten', '''def manual_backward(x, w, y):
    x, w, y = x.float(), w.float(), y.float()
    e = x * w - y
    return {"e2": torch.ones_like(e), "e": e, "y_pred": e, "w": (e * x).sum().reshape(w.shape)}''')

# A new tensor on the notebook's global `device` (the hidden tests move it to the meta device):
# on a machine without CUDA it was the inputs' device, and these passed.
WRONG['manual_backward']['rt8: mb dJ/de2 on the notebook device'] = Wrong(
    'manual_backward_uses_notebook_device', '''def manual_backward(x, w, y):
    e = x * w - y
    d_e = 2 * e
    return {"e2": torch.ones(len(x), dtype=x.dtype, device=device), "e": d_e, "y_pred": d_e,
            "w": (d_e * x).sum().reshape(w.shape)}''')
WRONG['manual_backward']['rt8: mb dJ/dw re-wrapped on the notebook device'] = Wrong(
    'manual_backward_uses_notebook_device', '''def manual_backward(x, w, y):
    e = x * w - y
    d_e = 2 * e
    dw = torch.tensor([(d_e * x).sum().item()], dtype=x.dtype, device=device)
    return {"e2": torch.ones_like(e), "e": d_e, "y_pred": d_e, "w": dw}''')
WRONG['manual_backward']['rt8: mb inputs moved to the notebook device'] = Wrong(
    'manual_backward_uses_notebook_device', '''def manual_backward(x, w, y):
    x, w, y = x.to(device), w.to(device), y.to(device)
    e = x * w - y
    d_e = 2 * e
    return {"e2": torch.ones_like(e), "e": d_e, "y_pred": d_e, "w": (d_e * x).sum().reshape(w.shape)}''')
CORRECT['manual_backward']['rt8: mb reads device only to compare'] = '''def manual_backward(x, w, y):
    dev = x.device if x.device != device else device
    e = x * w - y
    return {"e2": torch.ones(x.shape, dtype=x.dtype, device=x.device), "e": 2 * e,
            "y_pred": 2 * e, "w": (2 * e * x).sum().reshape(w.shape)}'''
WRONG['grad_fn_names']['rt8: gfn visited kept by class name (AccumulateGrad by leaf)'] = Wrong(
    'visited_by_name', '''def grad_fn_names(t):
    from collections import deque
    if t.grad_fn is None:
        return []
    seen, queue, names = {type(t.grad_fn).__name__}, deque([t.grad_fn]), []
    while queue:
        node = queue.popleft()
        names.append(type(node).__name__)
        for child, _ in node.next_functions:
            if child is None:
                continue
            key = type(child).__name__
            if key == "AccumulateGrad":
                key = id(child.variable)
            if key not in seen:
                seen.add(key)
                queue.append(child)
    return names''')
CORRECT['grad_fn_names']['rt8: gfn list and index, identity test'] = '''def grad_fn_names(t):
    if t.grad_fn is None:
        return []
    order, i = [t.grad_fn], 0
    while i < len(order):
        for child, _ in order[i].next_functions:
            if child is not None and not any(child is o for o in order):
                order.append(child)
        i += 1
    return [type(n).__name__ for n in order]'''

# Honest answers written differently (round 9): each passes the tightened hidden tests.
CORRECT.setdefault('grad_fn_names', {})['rt9: gfn deque, seen set of id(node)'] = '''def grad_fn_names(t):
    from collections import deque
    if t.grad_fn is None:
        return []
    q = deque([t.grad_fn]); seen = {id(t.grad_fn)}; out = []
    while q:
        n = q.popleft(); out.append(type(n).__name__)
        for c, _ in n.next_functions:
            if c is None or id(c) in seen:
                continue
            seen.add(id(c)); q.append(c)
    return out'''
