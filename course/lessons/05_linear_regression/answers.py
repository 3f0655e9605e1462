"""Lesson 05: answers students write (keys are answer-cell grade_ids)."""
from course.lessons import Wrong

WRONG = {
    "linear_model": {
        "a and b swapped": Wrong("a_b_swapped", '''def linear_model(x, a, b):
    return b * x + a'''),
        "minus b": Wrong("wrong_value", '''def linear_model(x, a, b):
    return a * x - b'''),
        "parenthesis misplaced": Wrong("wrong_value", '''def linear_model(x, a, b):
    return a * (x + b)'''),
        "hard-coded true line": Wrong("wrong_value", '''def linear_model(x, a, b):
    return 3 * x - 2'''),
        "Python floats for a and b": Wrong("graph_broken", '''def linear_model(x, a, b):
    a, b = float(a), float(b)
    return a * x + b'''),
        "a wrapped in torch.tensor": Wrong("gradient_misses_a_b", '''def linear_model(x, a, b):
    return torch.tensor(a) * x + b'''),
    },
    "fit_by_hand": {
        "torch.func.grad_and_value instead of backward": Wrong("torch_func_not_backward", '''def fit_by_hand(x, y, lr=1e-2, n_epochs=500):
    p = torch.zeros(2, dtype=x.dtype, device=x.device)
    mse = lambda p: ((p[0] * x + p[1] - y) ** 2).mean()
    step = torch.func.grad_and_value(mse)
    losses = []
    for _ in range(n_epochs):
        grads, loss = step(p)
        losses.append(loss.item())
        p = p - lr * grads
    return p[0].item(), p[1].item(), losses'''),
        "the lesson's gradient formulas, no backward": Wrong("too_few_backward", '''def fit_by_hand(x, y, lr=1e-2, n_epochs=500):
    a = torch.zeros(1, dtype=x.dtype, device=x.device)
    b = torch.zeros(1, dtype=x.dtype, device=x.device)
    losses = []
    for _ in range(n_epochs):
        r = a * x + b - y
        losses.append((r ** 2).mean().item())
        a = a - lr * 2 * (r * x).mean()
        b = b - lr * 2 * r.mean()
    return a.item(), b.item(), losses'''),
        "backward run only to be counted, the lesson's formulas for the step": Wrong("gradient_unused", '''def fit_by_hand(x, y, lr=1e-2, n_epochs=500):
    a = torch.zeros(1, dtype=x.dtype, device=x.device, requires_grad=True)
    b = torch.zeros(1, dtype=x.dtype, device=x.device, requires_grad=True)
    losses = []
    for _ in range(n_epochs):
        loss = ((a * x + b - y) ** 2).mean()
        losses.append(loss.item())
        loss.backward()  # counted, never read
        with torch.no_grad():
            r = a * x + b - y
            a -= lr * 2 * (r * x).mean()
            b -= lr * 2 * r.mean()
        a.grad = None
        b.grad = None
    return a.item(), b.item(), losses'''),
        "forgets to reset gradients": Wrong("gradients_not_reset", '''def fit_by_hand(x, y, lr=1e-2, n_epochs=500):
    a = torch.zeros(1, dtype=x.dtype, device=x.device, requires_grad=True)
    b = torch.zeros(1, dtype=x.dtype, device=x.device, requires_grad=True)
    losses = []
    for epoch in range(n_epochs):
        loss = ((a * x + b - y) ** 2).mean()
        losses.append(loss.item())
        loss.backward()
        with torch.no_grad():
            a -= lr * a.grad
            b -= lr * b.grad
    return a.item(), b.item(), losses'''),
        "loss recorded after the update": Wrong("first_loss_after_update", '''def fit_by_hand(x, y, lr=1e-2, n_epochs=500):
    a = torch.zeros(1, dtype=x.dtype, device=x.device, requires_grad=True)
    b = torch.zeros(1, dtype=x.dtype, device=x.device, requires_grad=True)
    losses = []
    for epoch in range(n_epochs):
        loss = ((a * x + b - y) ** 2).mean()
        loss.backward()
        with torch.no_grad():
            a -= lr * a.grad
            b -= lr * b.grad
            losses.append(((a * x + b - y) ** 2).mean().item())
        a.grad.zero_()
        b.grad.zero_()
    return a.item(), b.item(), losses'''),
        "sum instead of mean": Wrong("sum_instead_of_mean", '''def fit_by_hand(x, y, lr=1e-2, n_epochs=500):
    a = torch.zeros(1, dtype=x.dtype, device=x.device, requires_grad=True)
    b = torch.zeros(1, dtype=x.dtype, device=x.device, requires_grad=True)
    losses = []
    for epoch in range(n_epochs):
        loss = ((a * x + b - y) ** 2).sum()
        losses.append(loss.item())
        loss.backward()
        with torch.no_grad():
            a -= lr * a.grad
            b -= lr * b.grad
        a.grad.zero_()
        b.grad.zero_()
    return a.item(), b.item(), losses'''),
        "a.grad.zero_() at the top of the loop": Wrong("zero_grad_before_first_backward", '''def fit_by_hand(x, y, lr=1e-2, n_epochs=500):
    a = torch.zeros(1, dtype=x.dtype, device=x.device, requires_grad=True)
    b = torch.zeros(1, dtype=x.dtype, device=x.device, requires_grad=True)
    losses = []
    for _ in range(n_epochs):
        a.grad.zero_()
        b.grad.zero_()
        loss = ((a * x + b - y) ** 2).mean()
        losses.append(loss.item())
        loss.backward()
        with torch.no_grad():
            a -= lr * a.grad
            b -= lr * b.grad
    return a.item(), b.item(), losses'''),
        "update outside no_grad": Wrong("update_outside_no_grad", '''def fit_by_hand(x, y, lr=1e-2, n_epochs=500):
    a = torch.zeros(1, dtype=x.dtype, device=x.device, requires_grad=True)
    b = torch.zeros(1, dtype=x.dtype, device=x.device, requires_grad=True)
    losses = []
    for epoch in range(n_epochs):
        loss = ((a * x + b - y) ** 2).mean()
        losses.append(loss.item())
        loss.backward()
        a = a - lr * a.grad
        b = b - lr * b.grad
    return a.item(), b.item(), losses'''),
        "in-place update outside no_grad": Wrong("update_outside_no_grad", '''def fit_by_hand(x, y, lr=1e-2, n_epochs=500):
    a = torch.zeros(1, dtype=x.dtype, device=x.device, requires_grad=True)
    b = torch.zeros(1, dtype=x.dtype, device=x.device, requires_grad=True)
    losses = []
    for epoch in range(n_epochs):
        loss = ((a * x + b - y) ** 2).mean()
        losses.append(loss.item())
        loss.backward()
        a -= lr * a.grad
        b -= lr * b.grad
        a.grad.zero_()
        b.grad.zero_()
    return a.item(), b.item(), losses'''),
        "returns tensors": Wrong("param_not_float", '''def fit_by_hand(x, y, lr=1e-2, n_epochs=500):
    a = torch.zeros(1, dtype=x.dtype, device=x.device, requires_grad=True)
    b = torch.zeros(1, dtype=x.dtype, device=x.device, requires_grad=True)
    losses = []
    for epoch in range(n_epochs):
        loss = ((a * x + b - y) ** 2).mean()
        losses.append(loss)
        loss.backward()
        with torch.no_grad():
            a -= lr * a.grad
            b -= lr * b.grad
        a.grad.zero_()
        b.grad.zero_()
    return a, b, losses'''),
        "random initialization": Wrong("wrong_first_loss", '''def fit_by_hand(x, y, lr=1e-2, n_epochs=500):
    a = torch.randn(1, dtype=x.dtype, device=x.device, requires_grad=True)
    b = torch.randn(1, dtype=x.dtype, device=x.device, requires_grad=True)
    losses = []
    for epoch in range(n_epochs):
        loss = ((a * x + b - y) ** 2).mean()
        losses.append(loss.item())
        loss.backward()
        with torch.no_grad():
            a -= lr * a.grad
            b -= lr * b.grad
        a.grad.zero_()
        b.grad.zero_()
    return a.item(), b.item(), losses'''),
        "hard-coded lesson lr": Wrong("hard_coded_lr", '''def fit_by_hand(x, y, lr=1e-2, n_epochs=500):
    a = torch.zeros(1, dtype=x.dtype, device=x.device, requires_grad=True)
    b = torch.zeros(1, dtype=x.dtype, device=x.device, requires_grad=True)
    losses = []
    for epoch in range(n_epochs):
        loss = ((a * x + b - y) ** 2).mean()
        losses.append(loss.item())
        loss.backward()
        with torch.no_grad():
            a -= 0.01 * a.grad
            b -= 0.01 * b.grad
        a.grad.zero_()
        b.grad.zero_()
    return a.item(), b.item(), losses'''),
        "returns only (a, b)": Wrong("not_a_3_tuple", '''def fit_by_hand(x, y, lr=1e-2, n_epochs=500):
    a = torch.zeros(1, dtype=x.dtype, device=x.device, requires_grad=True)
    b = torch.zeros(1, dtype=x.dtype, device=x.device, requires_grad=True)
    losses = []
    for epoch in range(n_epochs):
        loss = ((a * x + b - y) ** 2).mean()
        losses.append(loss.item())
        loss.backward()
        with torch.no_grad():
            a -= lr * a.grad
            b -= lr * b.grad
        a.grad.zero_()
        b.grad.zero_()
    return a.item(), b.item()'''),
        "losses as a tensor": Wrong("losses_not_a_list", '''def fit_by_hand(x, y, lr=1e-2, n_epochs=500):
    a = torch.zeros(1, dtype=x.dtype, device=x.device, requires_grad=True)
    b = torch.zeros(1, dtype=x.dtype, device=x.device, requires_grad=True)
    losses = []
    for epoch in range(n_epochs):
        loss = ((a * x + b - y) ** 2).mean()
        losses.append(loss.item())
        loss.backward()
        with torch.no_grad():
            a -= lr * a.grad
            b -= lr * b.grad
        a.grad.zero_()
        b.grad.zero_()
    return a.item(), b.item(), torch.tensor(losses)'''),
        "fixed 500 epochs": Wrong("wrong_number_of_losses", '''def fit_by_hand(x, y, lr=1e-2, n_epochs=500):
    a = torch.zeros(1, dtype=x.dtype, device=x.device, requires_grad=True)
    b = torch.zeros(1, dtype=x.dtype, device=x.device, requires_grad=True)
    losses = []
    for epoch in range(500):
        loss = ((a * x + b - y) ** 2).mean()
        losses.append(loss.item())
        loss.backward()
        with torch.no_grad():
            a -= lr * a.grad
            b -= lr * b.grad
        a.grad.zero_()
        b.grad.zero_()
    return a.item(), b.item(), losses'''),
        "keeps the loss tensors": Wrong("loss_not_float", '''def fit_by_hand(x, y, lr=1e-2, n_epochs=500):
    a = torch.zeros(1, dtype=x.dtype, device=x.device, requires_grad=True)
    b = torch.zeros(1, dtype=x.dtype, device=x.device, requires_grad=True)
    losses = []
    for epoch in range(n_epochs):
        loss = ((a * x + b - y) ** 2).mean()
        losses.append(loss)
        loss.backward()
        with torch.no_grad():
            a -= lr * a.grad
            b -= lr * b.grad
        a.grad.zero_()
        b.grad.zero_()
    return a.item(), b.item(), losses'''),
        "gradient ascent (+=)": Wrong("losses_diverge", '''def fit_by_hand(x, y, lr=1e-2, n_epochs=500):
    a = torch.zeros(1, dtype=x.dtype, device=x.device, requires_grad=True)
    b = torch.zeros(1, dtype=x.dtype, device=x.device, requires_grad=True)
    losses = []
    for epoch in range(n_epochs):
        loss = ((a * x + b - y) ** 2).mean()
        losses.append(loss.item())
        loss.backward()
        with torch.no_grad():
            a += lr * a.grad
            b += lr * b.grad
        a.grad.zero_()
        b.grad.zero_()
    return a.item(), b.item(), losses'''),
        "returns b before a": Wrong("wrong_final_params", '''def fit_by_hand(x, y, lr=1e-2, n_epochs=500):
    a = torch.zeros(1, dtype=x.dtype, device=x.device, requires_grad=True)
    b = torch.zeros(1, dtype=x.dtype, device=x.device, requires_grad=True)
    losses = []
    for epoch in range(n_epochs):
        loss = ((a * x + b - y) ** 2).mean()
        losses.append(loss.item())
        loss.backward()
        with torch.no_grad():
            a -= lr * a.grad
            b -= lr * b.grad
        a.grad.zero_()
        b.grad.zero_()
    return b.item(), a.item(), losses'''),
        "a and b on the notebook's device": Wrong("fit_uses_notebook_device", '''def fit_by_hand(x, y, lr=1e-2, n_epochs=500):
    a = torch.zeros(1, dtype=x.dtype, device=device, requires_grad=True)
    b = torch.zeros(1, dtype=x.dtype, device=device, requires_grad=True)
    losses = []
    for epoch in range(n_epochs):
        loss = ((a * x + b - y) ** 2).mean()
        losses.append(loss.item())
        loss.backward()
        with torch.no_grad():
            a -= lr * a.grad
            b -= lr * b.grad
        a.grad.zero_()
        b.grad.zero_()
    return a.item(), b.item(), losses'''),
        "hard-coded cuda device": Wrong("fit_mixed_devices", '''def fit_by_hand(x, y, lr=1e-2, n_epochs=500):
    a = torch.zeros(1, dtype=x.dtype, device="cuda", requires_grad=True)
    b = torch.zeros(1, dtype=x.dtype, device="cuda", requires_grad=True)
    losses = []
    for epoch in range(n_epochs):
        loss = ((a * x + b - y) ** 2).mean()
        losses.append(loss.item())
        loss.backward()
        with torch.no_grad():
            a -= lr * a.grad
            b -= lr * b.grad
        a.grad.zero_()
        b.grad.zero_()
    return a.item(), b.item(), losses'''),
        "calls linear_model while exercise 1 is unanswered": Wrong(
            "fit_uses_unanswered_linear_model", '''def linear_model(x, a, b):
    # SEU CÓDIGO AQUI
    raise NotImplementedError("Exercício ainda não respondido")


def fit_by_hand(x, y, lr=1e-2, n_epochs=500):
    a = torch.zeros(1, dtype=x.dtype, device=x.device, requires_grad=True)
    b = torch.zeros(1, dtype=x.dtype, device=x.device, requires_grad=True)
    losses = []
    for epoch in range(n_epochs):
        loss = ((linear_model(x, a, b) - y) ** 2).mean()
        losses.append(loss.item())
        loss.backward()
        with torch.no_grad():
            a -= lr * a.grad
            b -= lr * b.grad
        a.grad.zero_()
        b.grad.zero_()
    return a.item(), b.item(), losses'''),
    },
    "LinearData": {
        "not sorted": Wrong("not_sorted_by_name", '''class LinearData(Dataset):
    def __init__(self, dataset_dir):
        self.files = [os.path.join(dataset_dir, f) for f in os.listdir(dataset_dir)]

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        x, y = np.loadtxt(self.files[i])
        return torch.tensor(x, dtype=torch.float32), torch.tensor(y, dtype=torch.float32)'''),
        "numeric sort of the names": Wrong("numeric_order", '''class LinearData(Dataset):
    def __init__(self, dataset_dir):
        names = os.listdir(dataset_dir)
        names.sort(key=lambda n: int(n.split("_")[1].split(".")[0]))
        self.files = [os.path.join(dataset_dir, n) for n in names]

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        x, y = np.loadtxt(self.files[i])
        return torch.tensor(x, dtype=torch.float32), torch.tensor(y, dtype=torch.float32)'''),
        "float64 items": Wrong("item_not_float32", '''class LinearData(Dataset):
    def __init__(self, dataset_dir):
        self.files = sorted(os.path.join(dataset_dir, f) for f in os.listdir(dataset_dir))

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        x, y = torch.tensor(np.loadtxt(self.files[i]))
        return x, y'''),
        "items of shape (1,)": Wrong("item_not_0d", '''class LinearData(Dataset):
    def __init__(self, dataset_dir):
        self.files = sorted(os.path.join(dataset_dir, f) for f in os.listdir(dataset_dir))

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        point = torch.from_numpy(np.loadtxt(self.files[i])).float()
        return point[0:1], point[1:2]'''),
        "hard-coded length": Wrong("wrong_length", '''class LinearData(Dataset):
    def __init__(self, dataset_dir):
        self.files = sorted(os.path.join(dataset_dir, f) for f in os.listdir(dataset_dir))

    def __len__(self):
        return 100

    def __getitem__(self, i):
        x, y = np.loadtxt(self.files[i])
        return torch.tensor(x, dtype=torch.float32), torch.tensor(y, dtype=torch.float32)'''),
        "reads the lesson folder": Wrong("raised", '''class LinearData(Dataset):
    def __init__(self, dataset_dir):
        self.files = sorted(os.path.join(data_dir, f) for f in os.listdir(data_dir))

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        x, y = np.loadtxt(self.files[i])
        return torch.tensor(x, dtype=torch.float32), torch.tensor(y, dtype=torch.float32)'''),
        "not a Dataset subclass": Wrong("not_a_dataset", '''class LinearData:
    def __init__(self, dataset_dir):
        self.files = sorted(os.path.join(dataset_dir, f) for f in os.listdir(dataset_dir))

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        x, y = np.loadtxt(self.files[i])
        return torch.tensor(x, dtype=torch.float32), torch.tensor(y, dtype=torch.float32)'''),
        "one tensor per item": Wrong("item_not_a_pair", '''class LinearData(Dataset):
    def __init__(self, dataset_dir):
        self.files = sorted(os.path.join(dataset_dir, f) for f in os.listdir(dataset_dir))

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        return torch.tensor(np.loadtxt(self.files[i]), dtype=torch.float32)'''),
        "numpy numbers": Wrong("item_not_a_tensor", '''class LinearData(Dataset):
    def __init__(self, dataset_dir):
        self.files = sorted(os.path.join(dataset_dir, f) for f in os.listdir(dataset_dir))

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        x, y = np.loadtxt(self.files[i])
        return x, y'''),
        "x and y swapped": Wrong("items_not_from_files", '''class LinearData(Dataset):
    def __init__(self, dataset_dir):
        self.files = sorted(os.path.join(dataset_dir, f) for f in os.listdir(dataset_dir))

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        y, x = np.loadtxt(self.files[i])
        return torch.tensor(x, dtype=torch.float32), torch.tensor(y, dtype=torch.float32)'''),
    },
    "LinearModel": {
        "plain tensors": Wrong("no_parameters", '''class LinearModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = torch.randn(1, requires_grad=True)
        self.b = torch.randn(1, requires_grad=True)

    def forward(self, x):
        return self.a * x + self.b'''),
        "0-d parameters": Wrong("wrong_parameter_shape", '''class LinearModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Parameter(torch.tensor(0.0))
        self.b = nn.Parameter(torch.tensor(0.0))

    def forward(self, x):
        return self.a * x + self.b'''),
        "parameters in a python list": Wrong("no_parameters", '''class LinearModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.params = [nn.Parameter(torch.randn(1)), nn.Parameter(torch.randn(1))]

    def forward(self, x):
        a, b = self.params
        return a * x + b'''),
        "nn.Linear inside": Wrong("wrong_parameter_names", '''class LinearModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.linear = nn.Linear(1, 1)

    def forward(self, x):
        return self.linear(x.unsqueeze(-1)).squeeze(-1)'''),
        "forward swaps a and b": Wrong("wrong_value", '''class LinearModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Parameter(torch.randn(1))
        self.b = nn.Parameter(torch.randn(1))

    def forward(self, x):
        return self.b * x + self.a'''),
        "does not inherit nn.Module": Wrong("not_a_module", '''class LinearModel:
    def __init__(self):
        self.a = nn.Parameter(torch.randn(1))
        self.b = nn.Parameter(torch.randn(1))

    def forward(self, x):
        return self.a * x + self.b'''),
        "parameters without gradient": Wrong("parameter_frozen", '''class LinearModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Parameter(torch.zeros(1), requires_grad=False)
        self.b = nn.Parameter(torch.zeros(1), requires_grad=False)

    def forward(self, x):
        return self.a * x + self.b'''),
        "forward with .item()": Wrong("forward_graph_broken", '''class LinearModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Parameter(torch.randn(1))
        self.b = nn.Parameter(torch.randn(1))

    def forward(self, x):
        return self.a.item() * x + self.b.item()'''),
        "b.data in forward": Wrong("forward_gradient_wrong", '''class LinearModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Parameter(torch.randn(1))
        self.b = nn.Parameter(torch.randn(1))

    def forward(self, x):
        return self.a * x + self.b.data'''),
    },
    "train": {
        "no zero_grad": Wrong("no_zero_grad", '''def train(model, loader, optimizer, loss_fn, epochs):
    history = []
    for epoch in range(epochs):
        total = 0.0
        for xb, yb in loader:
            loss = loss_fn(model(xb), yb)
            loss.backward()
            optimizer.step()
            total += loss.item()
        history.append(total / len(loader))
    return history'''),
        "sum of batch losses": Wrong("sum_of_batch_losses", '''def train(model, loader, optimizer, loss_fn, epochs):
    history = []
    for epoch in range(epochs):
        total = 0.0
        for xb, yb in loader:
            optimizer.zero_grad()
            loss = loss_fn(model(xb), yb)
            loss.backward()
            optimizer.step()
            total += loss.item()
        history.append(total)
    return history'''),
        "mean per sample (weighted by batch size)": Wrong("weighted_by_batch_size", '''def train(model, loader, optimizer, loss_fn, epochs):
    history = []
    for epoch in range(epochs):
        total, count = 0.0, 0
        for xb, yb in loader:
            optimizer.zero_grad()
            loss = loss_fn(model(xb), yb)
            loss.backward()
            optimizer.step()
            total += loss.item() * len(xb)
            count += len(xb)
        history.append(total / count)
    return history'''),
        "sum of batch means over the number of samples": Wrong("batch_means_over_samples", '''def train(model, loader, optimizer, loss_fn, epochs):
    device = next(model.parameters()).device
    history = []
    for epoch in range(epochs):
        total = 0.0
        for xb, yb in loader:
            xb, yb = xb.to(device), yb.to(device)
            optimizer.zero_grad()
            loss = loss_fn(model(xb), yb)
            loss.backward()
            optimizer.step()
            total += loss.item()
        history.append(total / len(loader.dataset))
    return history'''),
        "last batch loss only": Wrong("last_batch_only", '''def train(model, loader, optimizer, loss_fn, epochs):
    history = []
    for epoch in range(epochs):
        for xb, yb in loader:
            optimizer.zero_grad()
            loss = loss_fn(model(xb), yb)
            loss.backward()
            optimizer.step()
        history.append(loss.item())
    return history'''),
        "tensors in the history": Wrong("history_not_float", '''def train(model, loader, optimizer, loss_fn, epochs):
    history = []
    for epoch in range(epochs):
        losses = []
        for xb, yb in loader:
            optimizer.zero_grad()
            loss = loss_fn(model(xb), yb)
            loss.backward()
            optimizer.step()
            losses.append(loss.detach())
        history.append(torch.stack(losses).mean())
    return history'''),
        "hard-coded MSELoss": Wrong("ignores_loss_fn", '''def train(model, loader, optimizer, loss_fn, epochs):
    criterion = nn.MSELoss()
    history = []
    for epoch in range(epochs):
        losses = []
        for xb, yb in loader:
            optimizer.zero_grad()
            loss = criterion(model(xb), yb)
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
        history.append(sum(losses) / len(losses))
    return history'''),
        "creates its own optimizer": Wrong("ignores_optimizer", '''def train(model, loader, optimizer, loss_fn, epochs):
    opt = torch.optim.SGD(model.parameters(), lr=1e-2)
    history = []
    for epoch in range(epochs):
        losses = []
        for xb, yb in loader:
            opt.zero_grad()
            loss = loss_fn(model(xb), yb)
            loss.backward()
            opt.step()
            losses.append(loss.item())
        history.append(sum(losses) / len(losses))
    return history'''),
        "forgets to return": Wrong("history_not_a_list", '''def train(model, loader, optimizer, loss_fn, epochs):
    history = []
    for epoch in range(epochs):
        losses = []
        for xb, yb in loader:
            optimizer.zero_grad()
            loss = loss_fn(model(xb), yb)
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
        history.append(sum(losses) / len(losses))'''),
        "one value per batch": Wrong("wrong_history_length", '''def train(model, loader, optimizer, loss_fn, epochs):
    history = []
    for epoch in range(epochs):
        for xb, yb in loader:
            optimizer.zero_grad()
            loss = loss_fn(model(xb), yb)
            loss.backward()
            optimizer.step()
            history.append(loss.item())
    return history'''),
        "zero_grad between backward and step": Wrong("wrong_epoch_losses", '''def train(model, loader, optimizer, loss_fn, epochs):
    history = []
    for epoch in range(epochs):
        losses = []
        for xb, yb in loader:
            loss = loss_fn(model(xb), yb)
            loss.backward()
            optimizer.zero_grad()
            optimizer.step()
            losses.append(loss.item())
        history.append(sum(losses) / len(losses))
    return history'''),
        "step at the start of the loop": Wrong("wrong_trained_params", '''def train(model, loader, optimizer, loss_fn, epochs):
    history = []
    for epoch in range(epochs):
        losses = []
        for xb, yb in loader:
            optimizer.step()
            optimizer.zero_grad()
            loss = loss_fn(model(xb), yb)
            loss.backward()
            losses.append(loss.item())
        history.append(sum(losses) / len(losses))
    return history'''),
        "device read from model.a": Wrong("train_uses_model_a_b", '''def train(model, loader, optimizer, loss_fn, epochs):
    history = []
    for epoch in range(epochs):
        losses = []
        for xb, yb in loader:
            xb, yb = xb.to(model.a.device), yb.to(model.a.device)
            optimizer.zero_grad()
            loss = loss_fn(model(xb), yb)
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
        history.append(sum(losses) / len(losses))
    return history'''),
        "batches sent to the notebook's device": Wrong("train_uses_notebook_device", '''def train(model, loader, optimizer, loss_fn, epochs):
    history = []
    for epoch in range(epochs):
        losses = []
        for xb, yb in loader:
            xb, yb = xb.to(device), yb.to(device)
            optimizer.zero_grad()
            loss = loss_fn(model(xb), yb)
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
        history.append(sum(losses) / len(losses))
    return history'''),
        "model and batches on the notebook's device": Wrong("train_uses_notebook_device", '''def train(model, loader, optimizer, loss_fn, epochs, dev=device):
    model.to(dev)
    history = []
    for epoch in range(epochs):
        total = 0.0
        for xb, yb in loader:
            optimizer.zero_grad()
            loss = loss_fn(model(xb.to(dev)), yb.to(dev))
            loss.backward()
            optimizer.step()
            total += loss.item()
        history.append(total / len(loader))
    return history'''),
        "batches sent to a hard-coded cuda": Wrong("train_mixed_devices", '''def train(model, loader, optimizer, loss_fn, epochs):
    history = []
    for epoch in range(epochs):
        losses = []
        for xb, yb in loader:
            xb, yb = xb.to("cuda"), yb.to("cuda")
            optimizer.zero_grad()
            loss = loss_fn(model(xb), yb)
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
        history.append(sum(losses) / len(losses))
    return history'''),
    },
    "answer_batches": {
        "drops the last batch": Wrong("choice_a_last_batch_dropped", 'answer_batches = "a"'),
        "equal batches": Wrong("choice_c_equal_batches", 'answer_batches = "c"'),
        "batch size as the number of batches": Wrong("choice_d_batch_size_is_count",
                                                     'answer_batches = "d"'),
        "not a letter": Wrong("not_a_choice", 'answer_batches = 4'),
    },
    "answer_device": {
        ".to without assignment": Wrong("choice_a_to_not_in_place", 'answer_device = "a"'),
        "target left on the CPU": Wrong("choice_c_target_left_on_cpu", 'answer_device = " C "'),
        "model moved again": Wrong("choice_d_model_moved_again", 'answer_device = "(d)"'),
    },
}

CORRECT = {
    "linear_model": {
        "torch.add and torch.mul": '''def linear_model(x, a, b):
    return torch.add(torch.mul(x, a), b)''',
    },
    "fit_by_hand": {
        "one parameter vector, grad set to None, float32 parameters": '''def fit_by_hand(x, y, lr=1e-2, n_epochs=500):
    theta = torch.zeros(2, device=x.device, requires_grad=True)
    losses = []
    for _ in range(n_epochs):
        y_pred = linear_model(x, theta[0], theta[1])
        loss = torch.mean((y_pred - y) ** 2)
        losses.append(float(loss))
        loss.backward()
        with torch.no_grad():
            theta -= lr * theta.grad
        theta.grad = None
    a, b = theta.tolist()
    return a, b, losses''',
        "0-d leaves and nn.functional.mse_loss": '''def fit_by_hand(x, y, lr=1e-2, n_epochs=500):
    a = torch.tensor(0.0, dtype=x.dtype, device=x.device, requires_grad=True)
    b = torch.tensor(0.0, dtype=x.dtype, device=x.device, requires_grad=True)
    losses = []
    for epoch in range(n_epochs):
        loss = torch.nn.functional.mse_loss(a * x + b, y)
        loss.backward()
        losses.append(loss.item())
        with torch.no_grad():
            for p in (a, b):
                p.sub_(lr * p.grad)
                p.grad.zero_()
    return float(a), float(b), losses''',
    },
    "LinearData": {
        "everything read in __init__, float32 loadtxt": '''class LinearData(Dataset):
    def __init__(self, dataset_dir):
        names = sorted(os.listdir(dataset_dir))
        rows = [np.loadtxt(os.path.join(dataset_dir, n), dtype=np.float32) for n in names]
        self.data = torch.from_numpy(np.stack(rows)) if rows else torch.zeros(0, 2)

    def __len__(self):
        return self.data.shape[0]

    def __getitem__(self, idx):
        return self.data[idx, 0], self.data[idx, 1]''',
        "plain file reading": '''class LinearData(Dataset):
    def __init__(self, dataset_dir):
        self.dir = dataset_dir
        self.names = sorted(os.listdir(dataset_dir))

    def __len__(self):
        return len(self.names)

    def __getitem__(self, i):
        with open(os.path.join(self.dir, self.names[i])) as f:
            x, y = (float(v) for v in f.read().split())
        return torch.tensor(x).float(), torch.tensor(y).float()''',
    },
    "LinearModel": {
        "register_parameter and zeros": '''class LinearModel(nn.Module):
    def __init__(self):
        super(LinearModel, self).__init__()
        self.register_parameter("a", nn.Parameter(torch.zeros(1)))
        self.register_parameter("b", nn.Parameter(torch.zeros(1)))

    def forward(self, x):
        return torch.addcmul(self.b, self.a, x)''',
    },
    "train": {
        "running totals with enumerate": '''def train(model, loader, optimizer, loss_fn, epochs):
    dev = next(model.parameters()).device
    out = []
    for _ in range(epochs):
        running = 0.0
        for n_batches, (inputs, targets) in enumerate(loader, start=1):
            inputs, targets = inputs.to(dev), targets.to(dev)
            predictions = model(inputs)
            loss = loss_fn(predictions, targets)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            running += loss.item()
        out.append(running / n_batches)
    return out''',
    },
    "answer_batches": {"upper case": 'answer_batches = "B"', "with spaces": 'answer_batches = " b "',
                       "in parentheses": 'answer_batches = "(b)"'},
    "answer_device": {"upper case with spaces": 'answer_device = " B "',
                      "in parentheses": 'answer_device = "(b)"', "letter and parenthesis": 'answer_device = "b)"'},
}

# The demo student with "plausible mistakes" gets these wrong answers (one per exercise shown).
DEMO_MISTAKES = {"fit_by_hand": "forgets to reset gradients", "LinearData": "not sorted"}


# Round 4 of student answers (rt6): differently-written correct answers and the mistakes
# they make, each run through the hidden tests by tests/lessons/test_answers.py.
CORRECT.setdefault('fit_by_hand', {})['rt6: fit autograd.grad on [a,b]'] = '''import torch.nn.functional as F
def fit_by_hand(x, y, lr=1e-2, n_epochs=500):
    a = torch.zeros((), dtype=x.dtype, device=x.device, requires_grad=True)
    b = torch.zeros((), dtype=x.dtype, device=x.device, requires_grad=True)
    losses = []
    for _ in range(n_epochs):
        loss = F.mse_loss(a * x + b, y)
        losses.append(loss.item())
        ga, gb = torch.autograd.grad(loss, [a, b])
        with torch.no_grad():
            a -= lr * ga; b -= lr * gb
    return a.item(), b.item(), losses'''
WRONG.setdefault('fit_by_hand', {})['rt6: fit returns tensors a, b'] = Wrong('param_not_float', '''def fit_by_hand(x, y, lr=1e-2, n_epochs=500):
    a = torch.zeros(1, dtype=x.dtype, requires_grad=True)
    b = torch.zeros(1, dtype=x.dtype, requires_grad=True)
    losses = []
    for _ in range(n_epochs):
        loss = ((a * x + b - y) ** 2).mean(); losses.append(loss.item())
        loss.backward()
        with torch.no_grad():
            a -= lr * a.grad; b -= lr * b.grad
            a.grad.zero_(); b.grad.zero_()
    return a.detach(), b.detach(), losses''')
CORRECT.setdefault('fit_by_hand', {})['rt6: fit residual y - pred'] = '''def fit_by_hand(x, y, lr=1e-2, n_epochs=500):
    a = torch.zeros(1, dtype=x.dtype, device=x.device, requires_grad=True)
    b = torch.zeros(1, dtype=x.dtype, device=x.device, requires_grad=True)
    losses = []
    for epoch in range(n_epochs):
        loss = torch.mean((y - (a * x + b)) ** 2); losses.append(float(loss))
        loss.backward()
        with torch.no_grad():
            for p in (a, b):
                p -= lr * p.grad; p.grad = None
    return float(a), float(b), losses'''
WRONG.setdefault('fit_by_hand', {})['rt6: fit divides loss by 2'] = Wrong('wrong_first_loss', '''def fit_by_hand(x, y, lr=1e-2, n_epochs=500):
    a = torch.zeros(1, dtype=x.dtype, requires_grad=True)
    b = torch.zeros(1, dtype=x.dtype, requires_grad=True)
    losses = []
    for _ in range(n_epochs):
        loss = ((a * x + b - y) ** 2).mean() / 2; losses.append(loss.item())
        loss.backward()
        with torch.no_grad():
            a -= lr * a.grad; b -= lr * b.grad
            a.grad.zero_(); b.grad.zero_()
    return a.item(), b.item(), losses''')
CORRECT.setdefault('LinearData', {})['rt6: LD open().split'] = '''import os
class LinearData(torch.utils.data.Dataset):
    def __init__(self, dataset_dir):
        self.files = [os.path.join(dataset_dir, f) for f in sorted(os.listdir(dataset_dir))]
    def __len__(self):
        return len(self.files)
    def __getitem__(self, i):
        with open(self.files[i]) as fh:
            xs, ys = fh.read().split()
        return torch.tensor(float(xs)), torch.tensor(float(ys))'''
CORRECT.setdefault('LinearData', {})['rt6: LD np.loadtxt dtype float32'] = '''import os, numpy as np
class LinearData(torch.utils.data.Dataset):
    def __init__(self, dataset_dir):
        self.dir = dataset_dir
        self.names = sorted(os.listdir(dataset_dir))
    def __len__(self):
        return len(self.names)
    def __getitem__(self, i):
        arr = np.loadtxt(os.path.join(self.dir, self.names[i]), dtype=np.float32)
        return torch.from_numpy(arr[0:1]).squeeze(), torch.from_numpy(arr[1:2]).squeeze()'''
CORRECT.setdefault('LinearData', {})['rt6: LD loads all into'] = '''import os, numpy as np
class LinearData(torch.utils.data.Dataset):
    def __init__(self, dataset_dir):
        names = sorted(os.listdir(dataset_dir))
        self.data = torch.tensor(np.stack([np.loadtxt(os.path.join(dataset_dir, n)) for n in names]), dtype=torch.float32)
    def __len__(self):
        return self.data.shape[0]
    def __getitem__(self, i):
        return self.data[i, 0], self.data[i, 1]'''
WRONG.setdefault('LinearData', {})['rt6: LD python float items'] = Wrong('item_not_a_tensor', '''import os, numpy as np
class LinearData(torch.utils.data.Dataset):
    def __init__(self, dataset_dir):
        self.paths = sorted(os.path.join(dataset_dir, n) for n in os.listdir(dataset_dir))
    def __len__(self):
        return len(self.paths)
    def __getitem__(self, i):
        x, y = np.loadtxt(self.paths[i])
        return float(x), float(y)''')
CORRECT.setdefault('LinearModel', {})['rt6: LM zeros, register_parameter'] = '''class LinearModel(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.register_parameter("a", torch.nn.Parameter(torch.zeros(1)))
        self.register_parameter("b", torch.nn.Parameter(torch.zeros(1)))
    def forward(self, x):
        return torch.addcmul(self.b, self.a, x)'''
WRONG.setdefault('LinearModel', {})['rt6: LM forgot super'] = Wrong('missing_super_init', '''class LinearModel(torch.nn.Module):
    def __init__(self):
        self.a = torch.nn.Parameter(torch.randn(1))
        self.b = torch.nn.Parameter(torch.randn(1))
    def forward(self, x):
        return self.a * x + self.b''')
WRONG.setdefault('train', {})['rt6: tr enumerate, divide by i (off'] = Wrong('wrong_batch_count', '''def train(model, loader, optimizer, loss_fn, epochs):
    device = next(model.parameters()).device
    history = []
    for _ in range(epochs):
        total = 0.0
        for i, (xb, yb) in enumerate(loader):
            xb, yb = xb.to(device), yb.to(device)
            optimizer.zero_grad(); loss = loss_fn(model(xb), yb); loss.backward(); optimizer.step()
            total += loss.item()
        history.append(total / i)
    return history''')
CORRECT.setdefault('train', {})['rt6: tr enumerate, divide by i+1'] = '''def train(model, loader, optimizer, loss_fn, epochs):
    device = next(model.parameters()).device
    history = []
    for _ in range(epochs):
        total = 0.0
        for i, (xb, yb) in enumerate(loader):
            xb, yb = xb.to(device), yb.to(device)
            optimizer.zero_grad(); loss = loss_fn(model(xb), yb); loss.backward(); optimizer.step()
            total += loss.item()
        history.append(total / (i + 1))
    return history'''
CORRECT.setdefault('train', {})['rt6: tr zero_grad after step, np.mean'] = '''import numpy as np
def train(model, loader, optimizer, loss_fn, epochs):
    device = next(model.parameters()).device
    model.train(); history = []
    for _ in range(epochs):
        batch = []
        for xb, yb in loader:
            pred = model(xb.to(device)); loss = loss_fn(pred, yb.to(device))
            loss.backward(); optimizer.step(); optimizer.zero_grad()
            batch.append(loss.item())
        history.append(np.mean(batch))
    return history'''
CORRECT.setdefault('train', {})['rt6: tr loss tensor accumulated'] = '''def train(model, loader, optimizer, loss_fn, epochs):
    device = next(model.parameters()).device
    history = []
    for _ in range(epochs):
        total, nb = 0, 0
        for xb, yb in loader:
            optimizer.zero_grad(); loss = loss_fn(model(xb.to(device)), yb.to(device)); loss.backward(); optimizer.step()
            total = total + loss.detach(); nb += 1
        history.append((total / nb).item())
    return history'''
WRONG.setdefault('train', {})['rt6: tr divides by len(loader.dataset) / batch_size'] = Wrong('wrong_batch_count', '''def train(model, loader, optimizer, loss_fn, epochs):
    device = next(model.parameters()).device
    history = []
    for _ in range(epochs):
        total = 0.0
        for xb, yb in loader:
            optimizer.zero_grad(); loss = loss_fn(model(xb.to(device)), yb.to(device)); loss.backward(); optimizer.step()
            total += loss.item()
        history.append(total / (len(loader.dataset) / loader.batch_size))
    return history''')

# Round 5 (rt7): correct variants a real class hands in (all already pass).
CORRECT['fit_by_hand']['rt7: fit .data reassigned, sum/len, float()'] = '''def fit_by_hand(x, y, lr=1e-2, n_epochs=500):
    a = torch.zeros(1, dtype=x.dtype, device=x.device, requires_grad=True)
    b = torch.zeros(1, dtype=x.dtype, device=x.device, requires_grad=True)
    losses = []
    for epoch in range(n_epochs):
        y_pred = a * x + b
        loss = torch.sum((y_pred - y) ** 2) / len(x)
        losses.append(float(loss))
        loss.backward()
        a.data = a.data - lr * a.grad.data
        b.data = b.data - lr * b.grad.data
        a.grad = None
        b.grad = None
    return float(a), float(b), losses'''
CORRECT['LinearData']['rt7: LD glob, from_numpy(...).float() indexed'] = '''import glob
class LinearData(Dataset):
    def __init__(self, dataset_dir):
        self.paths = sorted(glob.glob(os.path.join(dataset_dir, "*")))
    def __len__(self):
        return len(self.paths)
    def __getitem__(self, i):
        data = torch.from_numpy(np.loadtxt(self.paths[i])).float()
        return data[0], data[1]'''
CORRECT['LinearData']['rt7: LD everything stacked in __init__'] = '''from pathlib import Path
class LinearData(Dataset):
    def __init__(self, dataset_dir):
        files = sorted(os.listdir(dataset_dir))
        arr = np.stack([np.loadtxt(os.path.join(dataset_dir, f)) for f in files]).astype(np.float32)
        self.x = torch.from_numpy(arr[:, 0]); self.y = torch.from_numpy(arr[:, 1])
    def __len__(self):
        return self.x.shape[0]
    def __getitem__(self, i):
        return self.x[i], self.y[i]'''
CORRECT['LinearModel']['rt7: LM rand, tensor([0.5]), addcmul'] = '''class LinearModel(nn.Module):
    def __init__(self):
        super(LinearModel, self).__init__()
        self.a = nn.Parameter(torch.rand(1), requires_grad=True)
        self.b = torch.nn.Parameter(torch.tensor([0.5]))
    def forward(self, x):
        return torch.addcmul(self.b, self.a, x)'''
CORRECT['train']['rt7: tr stacked detached losses, mean().item()'] = '''def train(model, loader, optimizer, loss_fn, epochs):
    dev = list(model.parameters())[0].device
    hist = []
    for ep in range(epochs):
        ls = []
        for xb, yb in loader:
            pred = model(xb.to(dev))
            loss = loss_fn(pred, yb.to(dev))
            optimizer.zero_grad(); loss.backward(); optimizer.step()
            ls.append(loss.detach())
        hist.append(torch.stack(ls).mean().item())
    return hist'''
WRONG['train']['rt8: slices loader.dataset itself (no sampler, no drop_last)'] = Wrong('ignores_loader', '''def train(model, loader, optimizer, loss_fn, epochs):
    ds, bs = loader.dataset, loader.batch_size
    device = next(model.parameters()).device
    history = []
    for _ in range(epochs):
        losses = []
        for i in range(0, len(ds), bs):
            xb, yb = ds[i:i + bs]
            xb, yb = xb.to(device), yb.to(device)
            optimizer.zero_grad()
            loss = loss_fn(model(xb), yb)
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
        history.append(sum(losses) / len(losses))
    return history''')
CORRECT['train']['rt8: zero_grad(set_to_none=False), detached losses, model.train()'] = '''def train(model, loader, optimizer, loss_fn, epochs):
    model.train()
    device = next(model.parameters()).device
    history = []
    for _ in range(epochs):
        losses = []
        for xb, yb in loader:
            xb, yb = xb.to(device, non_blocking=True), yb.to(device)
            optimizer.zero_grad(set_to_none=False)
            loss = loss_fn(model(xb), yb)
            loss.backward()
            optimizer.step()
            losses.append(loss.detach())
        history.append(torch.stack(losses).double().mean().item())
    return history'''
WRONG['LinearData']['rt8: LD file list kept on the class'] = Wrong('items_not_from_files', '''import os
import numpy as np
class LinearData(Dataset):
    files = []
    def __init__(self, dataset_dir):
        LinearData.files = sorted(os.path.join(dataset_dir, f) for f in os.listdir(dataset_dir))
    def __len__(self):
        return len(LinearData.files)
    def __getitem__(self, i):
        x, y = np.loadtxt(LinearData.files[i], dtype=np.float32)
        return torch.tensor(x), torch.tensor(y)''')
WRONG['LinearData']['rt8: LD samples cached by the number of files'] = Wrong('items_not_from_files', '''import os
import numpy as np
_loaded = {}
class LinearData(Dataset):
    def __init__(self, dataset_dir):
        names = sorted(os.listdir(dataset_dir))
        if len(names) not in _loaded:
            _loaded[len(names)] = [np.loadtxt(os.path.join(dataset_dir, n), dtype=np.float32)
                                   for n in names]
        self.rows = _loaded[len(names)]
    def __len__(self):
        return len(self.rows)
    def __getitem__(self, i):
        return torch.tensor(self.rows[i][0]), torch.tensor(self.rows[i][1])''')

# Honest answers written differently (round 9): each passes the tightened hidden tests.
CORRECT.setdefault('fit_by_hand', {})['rt9: fit float64 internals'] = '''def fit_by_hand(x, y, lr=1e-2, n_epochs=500):
    xd, yd = x.double(), y.double()
    a = torch.zeros(1, dtype=torch.float64, device=x.device, requires_grad=True)
    b = torch.zeros(1, dtype=torch.float64, device=x.device, requires_grad=True)
    losses = []
    for _ in range(n_epochs):
        loss = ((a * xd + b - yd) ** 2).mean()
        losses.append(loss.item())
        loss.backward()
        with torch.no_grad():
            a -= lr * a.grad
            b -= lr * b.grad
            a.grad.zero_(); b.grad.zero_()
    return a.item(), b.item(), losses'''
CORRECT.setdefault('fit_by_hand', {})['rt9: fit torch.autograd.backward(inputs=[a, b])'] = '''def fit_by_hand(x, y, lr=1e-2, n_epochs=500):
    a = torch.zeros(1, dtype=x.dtype, device=x.device, requires_grad=True)
    b = torch.zeros(1, dtype=x.dtype, device=x.device, requires_grad=True)
    losses = []
    for _ in range(n_epochs):
        loss = ((a * x + b - y) ** 2).mean()
        losses.append(loss.item())
        torch.autograd.backward([loss], inputs=[a, b])
        with torch.no_grad():
            a -= lr * a.grad; b -= lr * b.grad
            a.grad.zero_(); b.grad.zero_()
    return a.item(), b.item(), losses'''
CORRECT.setdefault('fit_by_hand', {})['rt9: fit torch.optim.SGD on [a, b]'] = '''def fit_by_hand(x, y, lr=1e-2, n_epochs=500):
    a = torch.zeros(1, dtype=x.dtype, device=x.device, requires_grad=True)
    b = torch.zeros(1, dtype=x.dtype, device=x.device, requires_grad=True)
    opt = torch.optim.SGD([a, b], lr=lr)
    losses = []
    for _ in range(n_epochs):
        opt.zero_grad()
        loss = torch.mean((a * x + b - y) ** 2)
        losses.append(loss.item())
        loss.backward()
        opt.step()
    return a.item(), b.item(), losses'''
CORRECT.setdefault('train', {})['rt9: tr iter/next while loop, np.mean'] = '''def train(model, loader, optimizer, loss_fn, epochs):
    device = next(model.parameters()).device
    losses = []
    for _ in range(epochs):
        it = iter(loader)
        vals = []
        while True:
            try:
                xb, yb = next(it)
            except StopIteration:
                break
            optimizer.zero_grad()
            l = loss_fn(model(xb.to(device)), yb.to(device))
            l.backward(); optimizer.step()
            vals.append(l.item())
        losses.append(float(np.mean(vals)))
    return losses'''
CORRECT.setdefault('train', {})['rt9: tr sum / len(loader)'] = '''def train(model, loader, optimizer, loss_fn, epochs):
    p = next(model.parameters())
    history = []
    for _ in range(epochs):
        s = 0.0
        for xb, yb in loader:
            optimizer.zero_grad()
            loss = loss_fn(model(xb.to(p.device)), yb.to(p.device))
            loss.backward()
            optimizer.step()
            s += loss.item()
        history.append(s / len(loader))
    return history'''
CORRECT.setdefault('LinearData', {})['rt9: LD lru_cache on __getitem__ (keyed by self)'] = '''import functools
class LinearData(torch.utils.data.Dataset):
    def __init__(self, dataset_dir):
        self.dir = dataset_dir
        self.names = sorted(os.listdir(dataset_dir))
    def __len__(self):
        return len(self.names)
    @functools.lru_cache(maxsize=None)
    def __getitem__(self, i):
        d = torch.from_numpy(np.loadtxt(os.path.join(self.dir, self.names[i]))).float()
        return d[0], d[1]'''
CORRECT.setdefault('LinearData', {})['rt9: LD module-level cache keyed by full path'] = '''_cache = {}
def _read(path):
    if path not in _cache:
        _cache[path] = tuple(float(v) for v in np.loadtxt(path))
    return _cache[path]
class LinearData(torch.utils.data.Dataset):
    def __init__(self, dataset_dir):
        self.paths = [os.path.join(dataset_dir, f) for f in sorted(os.listdir(dataset_dir))]
    def __len__(self):
        return len(self.paths)
    def __getitem__(self, i):
        x, y = _read(self.paths[i])
        return torch.tensor(x, dtype=torch.float32), torch.tensor(y, dtype=torch.float32)'''
CORRECT.setdefault('LinearData', {})['rt9: LD pathlib read_text().split()'] = '''from pathlib import Path
class LinearData(torch.utils.data.Dataset):
    def __init__(self, dataset_dir):
        self.paths = sorted(Path(dataset_dir).iterdir())
    def __len__(self):
        return len(self.paths)
    def __getitem__(self, idx):
        x, y = map(float, self.paths[idx].read_text().split())
        return torch.tensor(x), torch.tensor(y)'''
