"""torch's global hook registries hold what they held before any student code ran.

Why: `torch.optim.optimizer.register_optimizer_step_post_hook(fn)` and
`torch.nn.modules.module.register_module_forward_hook(fn)` add a function to a dict that every
optimizer's `step()`, every module's call runs, the hidden tests' references included.  A pair
of step hooks that saved the parameters before a step and put them back after it made the
reference of lesson 03's `train_step` a step that changes nothing, and a `train_step` that
never stepped got full marks.  The dict is the same object, only its contents change, so
`pristine`'s attribute snapshots (by identity) do not see it.  `take()` copies the contents of
every hook registry (a module global of torch's whose name says hook or callback and whose
value is a dict, list or set) when the grading kernel starts; `restore()` puts them back, after
every call of a student's function and before every hidden test.  No grading code registers
a global hook.
"""
from __future__ import annotations

import sys
from collections import OrderedDict

_CONTAINERS = (dict, OrderedDict, list, set)
_WORDS = ("hook", "callback")
_isinstance = isinstance
_sys_modules, _vars, _type, _len, _list, _tuple, _zip, _all, _setattr, _getattr = (
    sys.modules, vars, type, len, list, tuple, zip, all, setattr, getattr)
_dict_items, _list_setitem = dict.items, list.__setitem__
# each registry's own type's methods (builtin types: no submission can patch them); an
# OrderedDict must be emptied by its own `clear`, which keeps its order links consistent
_CLEAR = {t: t.clear for t in (dict, OrderedDict, set)}
_UPDATE = {t: t.update for t in (dict, OrderedDict, set)}

# (module, global name, the container, its contents: a tuple of items / values)
_registries: list[tuple] = []
# module globals that are flags of those registries (nn's `_global_is_full_backward_hook`)
_flags: list[tuple] = []


def _items(container) -> tuple:
    return _tuple(_dict_items(container)) if _isinstance(container, dict) else _tuple(container)


def take() -> None:
    """Copy the contents of every torch hook registry now (before any student code)."""
    _registries.clear()
    _flags.clear()
    for name, module in _list(_sys_modules.items()):
        if not (name == "torch" or name.startswith("torch.")) or module is None:
            continue
        for key, value in _list(_vars(module).items()):
            if not any(word in key.lower() for word in _WORDS):
                continue
            if _type(value) in _CONTAINERS:
                _registries.append((module, key, value, _items(value)))
            elif value is None or _type(value) is bool:
                _flags.append((module, key, value))


def _same(now: tuple, then: tuple) -> bool:
    return _len(now) == _len(then) and _all(
        a is b or (_type(a) is tuple and _type(b) is tuple and _len(a) == _len(b)
                   and _all(x is y for x, y in _zip(a, b)))
        for a, b in _zip(now, then))


def restore() -> list[str]:
    """Put back every registry's contents (and the object itself); what had changed."""
    changed = []
    for module, key, container, contents in _registries:
        label = f"{module.__name__}.{key}"
        if _getattr(module, key, None) is not container:
            _setattr(module, key, container)
            changed.append(label)
        if _same(_items(container), contents):
            continue
        kind = _type(container)
        if kind is list:
            _list_setitem(container, slice(None), _list(contents))
        else:
            _CLEAR[kind](container)
            _UPDATE[kind](container, contents)
        if label not in changed:
            changed.append(label)
    for module, key, value in _flags:
        if _getattr(module, key, None) is not value:
            _setattr(module, key, value)
            changed.append(f"{module.__name__}.{key}")
    return changed
