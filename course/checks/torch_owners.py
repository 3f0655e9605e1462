"""Which of torch's modules and classes `pristine` snapshots besides torch itself: those the
hidden tests build their references with.

A submission that patches `type(optimizer).step` (or `nn.Linear.forward`, `DataLoader.__iter__`)
makes the reference's SGD as wrong as its own answer, and both agree.  The classes are kept for
their behaviour only (their methods and descriptors, not their data: torch keeps counters on
some of them that honest code moves on).
"""
from __future__ import annotations

import sys

import torch

_sys_modules, _vars, _getattr, _list, _isinstance = sys.modules, vars, getattr, list, isinstance

# The torch namespaces whose functions and classes hidden tests build their references with
# (optimizers, modules and losses, Dataset/DataLoader, autograd.Function, torch.func…): a
# submission that patches `type(optimizer).step` makes the reference's SGD as wrong as its own.
TORCH_NAMESPACES = ("torch.optim", "torch.nn", "torch.nn.init", "torch.utils.data",
                     "torch.autograd.function", "torch.autograd.functional",
                     "torch.autograd.graph", "torch.autograd.forward_ad", "torch.func",
                     "torch.linalg", "torch.autograd.variable")
# Of those, the classes kept as they were: all that the optimizer, data and autograd modules
# define, and of torch.nn's hundreds (a comparison per attribute, after every call of a
# student's function) those the lessons build: the layers, losses and containers they use.
CLASS_NAMESPACES = ("torch.optim", "torch.utils.data", "torch.utils.data.dataloader",
                     "torch.utils.data._utils.fetch", "torch.autograd.function",
                     "torch.autograd.graph", "torch.autograd.forward_ad")
NN_CLASSES = ("Module", "Parameter", "Linear", "Sequential", "ModuleList", "ParameterList",
               "MSELoss", "L1Loss", "SmoothL1Loss", "HuberLoss", "CrossEntropyLoss", "NLLLoss",
               "BCELoss", "BCEWithLogitsLoss", "Tanh", "ReLU", "Sigmoid", "Softmax", "Identity",
               "Flatten")
# Classes whose data is kept too, not only their behaviour: `Variable._execution_engine` is the
# object every `backward()` and `autograd.grad` runs through (replaced by one whose
# `run_backward` returns zeros, the references' gradients would be the submission's).
WHOLE = (("torch.autograd.variable", "Variable"),)


def owners() -> tuple[list, list, list]:
    """The modules of TORCH_NAMESPACES that are loaded, the torch classes named above with
    their torch base classes (`SGD` and `Optimizer`, `MSELoss` and `_Loss`), kept for their
    behaviour, and the classes of WHOLE, kept whole."""
    modules = [_sys_modules[n] for n in TORCH_NAMESPACES if n in _sys_modules]
    nn = _sys_modules.get("torch.nn")
    found = [_getattr(nn, name, None) for name in NN_CLASSES] if nn is not None else []
    for name in CLASS_NAMESPACES:
        if name in _sys_modules:
            found += _list(_vars(_sys_modules[name]).values())
    classes: dict = {}
    for value in found:
        if _isinstance(value, type):
            for cls in value.__mro__:
                if (str(_getattr(cls, "__module__", "") or "").startswith("torch")
                        and cls is not torch.Tensor):
                    classes[cls] = None
    whole = [_getattr(_sys_modules[m], name) for m, name in WHOLE if m in _sys_modules]
    return modules, [c for c in classes if c not in whole], whole


def hook_optimizers() -> None:
    """torch wraps an optimizer class's `step` (its step hooks) the first time one is built:
    done now for every optimizer class, so that the snapshot holds the wrapped one and a
    student's first `torch.optim.SGD(...)` changes nothing.  The wrapping is asked of a bare
    instance (`Optimizer._patch_step_function`), not of a real optimizer: building one calls
    `add_param_group`, whose `torch._disable_dynamo` imports `torch._dynamo` (≈ 1.1 s and
    800 modules in every zygote, lessons that never build an optimizer included)."""
    optim = _sys_modules.get("torch.optim")
    if optim is None:
        return
    patch = _getattr(optim.Optimizer, "_patch_step_function", None)
    for value in _list(_vars(optim).values()):
        if _isinstance(value, type) and issubclass(value, optim.Optimizer) and (
                value is not optim.Optimizer):
            try:
                if patch is not None:
                    patch(value.__new__(value))
                else:  # a torch without it: build one (imports torch._dynamo)
                    value([torch.zeros(1, requires_grad=True)])
            except Exception:
                pass
