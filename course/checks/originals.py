"""What a restore puts back: the originals `pristine` snapshots, and the check that nothing
changed since.

Snapshotted before any student code runs (in a grading kernel's zygote): `builtins`, `math`,
torch and its namespaces, numpy, the torch classes the references are built with
(`torch_owners`), the library modules the hidden tests call into (`copy`, `inspect`…, their
behaviour only), and the hidden tests' own modules with the classes and objects they hold
(`protect_checks`, again whenever a new one is imported).  `unchanged()` and
`modules_unchanged()` tell in a few C-level passes, by identity only, that a restore has
nothing to put back (see `_all_at_once`).  Every name these rely on is bound at import.
"""
from __future__ import annotations

import builtins
import itertools
import math
import operator
import sys
from types import ModuleType as _ModuleType

import torch
import torch.autograd
import torch.nn.functional
import torch.testing

from . import global_hooks, torch_owners

try:
    import numpy
except ImportError:  # pragma: no cover - torch's wheels bring numpy
    numpy = None

_MODULES = [builtins, math, torch, torch.autograd, torch.nn.functional, torch.testing]
if numpy is not None:
    _MODULES.append(numpy)
_TYPES = [torch.Tensor]
_BEHAVIOUR_ONLY: set = set()  # the classes of _TYPES snapshotted for their behaviour only
_snapshot: dict = {}
# Per snapshotted owner: (its size, its keys, its values), to tell "nothing changed" at C speed
# by identity alone (no __eq__ of any value is called, so no value can claim to be unchanged).
_fast: dict = {}
_whole: list = []  # the same for all owners at once (see _all_at_once)
_whole_modules: list = []  # the same for _modules_snapshot (see _modules_at_once)
# Every name a module held at its snapshot (for a module kept for its behaviour, its data too):
# a new global named like a builtin (`torch.nn.functional.isinstance = …`) hides that builtin
# from every function of the module, so it is deleted; other new names are left.
_snap_keys: dict = {}
_BUILTIN_NAMES = frozenset(vars(builtins))
_modules_snapshot: dict = {}
# The classes the grading-side modules define (`Mistakes`, `Message`…): patching one of their
# methods through an instance (`type(checks.M).fail = …`) must be undone like a module's.
_classes_snapshot: dict = {}
# The objects those modules hold (a lesson's `M = Mistakes(...)`, `GENERIC`): an attribute set on
# one (`M.fail = lambda *a: None`) hides its class's method and would outlive every restore.
_objects_snapshot: dict = {}
_MISSING = object()

# Bound now: a restore must not go through what it restores.
_vars, _getattr, _hasattr, _id, _callable = vars, getattr, hasattr, id, callable
_all, _map, _is, _call, _tuple = all, map, operator.is_, operator.call, tuple
_chain, _dict_values, _repeat = itertools.chain, dict.values, itertools.repeat
_len, _list, _dict, _isinstance = len, list, dict, isinstance
_sys_modules = sys.modules  # the interpreter's own dict, even if `sys.modules` is rebound
_torch_owners, _hook_optimizers = torch_owners.owners, torch_owners.hook_optimizers


def _grading_side(name: str) -> bool:
    """The modules hidden tests run on: this library, the lessons' checks and mistakes."""
    return (name in ("course", "course.cells", "course.lessons")
            or name.startswith("course.checks")
            or (name.startswith("course.lessons.")
                and name.rsplit(".", 1)[-1] in ("checks", "mistakes")))


def _all_at_once() -> None:
    """What `unchanged` needs to look at every snapshotted owner in a few C-level passes
    (a Python loop over the hundred owners costs more than all their attributes): every
    module's and class's keys in order (a name deleted, added, or swapped for another with
    the same value), every module's values in order, and the values kept of each class (its
    data, counters, may move on).  `builtins` is compared by its snapshotted names only: a
    restore never removes a name added to it, and IPython adds some when a kernel starts
    (`display`, `__IPYTHON__`), which would otherwise fail this check at every restore and
    every settle of a kernel."""
    owners = [o for o in _snapshot if o is not builtins]
    modules = [o for o in owners if type(_vars(o)) is dict and o not in _BEHAVIOUR_ONLY]
    classes = [o for o in owners if type(_vars(o)) is not dict or o in _BEHAVIOUR_ONLY]
    by_name = classes + [o for o in _snapshot if o is builtins]
    _whole[:] = [tuple(_vars(o) for o in modules + classes),  # live dicts and class views
                 tuple(_fast[o][0] for o in modules + classes),
                 tuple(k for o in modules + classes for k in _fast[o][1]),
                 tuple(_vars(o) for o in modules),
                 tuple(v for o in modules for v in _fast[o][3]),
                 tuple(_vars(o).get for o in by_name for _ in _fast[o][2]),
                 tuple(k for o in by_name for k in _fast[o][2]),
                 tuple(v for o in by_name for v in _fast[o][3])]
    _modules_at_once()


def _modules_at_once() -> None:
    """The same for the hidden tests' own modules (`_modules_snapshot`): each still the one
    in sys.modules, with the same keys and values in order."""
    kept = [(mod, attrs) for mod, attrs in _modules_snapshot.values() if attrs is not None]
    _whole_modules[:] = [tuple(_modules_snapshot),
                         tuple(mod for mod, _attrs in _modules_snapshot.values()),
                         tuple(_vars(mod) for mod, _attrs in kept),
                         tuple(_len(attrs) for _mod, attrs in kept),
                         tuple(k for _mod, attrs in kept for k in attrs),
                         tuple(v for _mod, attrs in kept for v in attrs.values())]


def unchanged() -> bool:
    """Every snapshotted owner holds what it held: compared by identity only, so no value's
    __eq__ is ever called."""
    if not _whole:
        return False
    dicts, sizes, keys, modules, values, getters, names, kept = _whole
    return (_tuple(_map(_len, dicts)) == sizes
            and _all(_map(_is, _chain.from_iterable(dicts), keys))
            and _all(_map(_is, _chain.from_iterable(_map(_dict_values, modules)), values))
            and _all(_map(_is, _map(_call, getters, names, _repeat(_MISSING)), kept)))


def modules_unchanged() -> bool:
    """The hidden tests' own modules as snapshotted (see `_modules_at_once`)."""
    if not _whole_modules:
        return False
    names, modules, dicts, sizes, keys, values = _whole_modules
    return (_all(_map(_is, _map(_sys_modules.get, names, _repeat(_MISSING)), modules))
            and _tuple(_map(_len, dicts)) == sizes
            and _all(_map(_is, _chain.from_iterable(dicts), keys))
            and _all(_map(_is, _chain.from_iterable(_map(_dict_values, dicts)), values)))


def _behaviour(value) -> bool:
    """A class attribute that is behaviour (a function, a descriptor, a nested class), not
    data: torch keeps counters on some classes (`RemovableHandle.next_id`) that honest code
    moves on, and putting one back would hand out a hook id twice."""
    return _callable(value) or _hasattr(type(value), "__get__")


def take() -> None:
    """Snapshot everything: when `pristine` is first imported, and in `snapshot_again`."""
    _hook_optimizers()
    global_hooks.take()
    modules, classes, whole = _torch_owners()
    _BEHAVIOUR_ONLY.clear()
    _BEHAVIOUR_ONLY.update(classes)
    _TYPES[1:] = classes + whole
    for owner in _MODULES + modules + _TYPES:
        _snap(owner)
    for name in ("torch", "math"):  # their attributes are in _snapshot already
        _modules_snapshot[name] = (_sys_modules[name], None)
    protect_checks()  # (it ends with _all_at_once)


def _snap(owner) -> None:
    """Snapshot one owner's attributes: all of them, or only its behaviour when it is in
    _BEHAVIOUR_ONLY (a torch class: its methods, not its counters)."""
    current = _dict(_vars(owner))
    if owner in _BEHAVIOUR_ONLY:
        _snapshot[owner] = {k: v for k, v in current.items() if _behaviour(v)}
    else:
        _snapshot[owner] = current
    _fast[owner] = (_len(current), tuple(current), tuple(_snapshot[owner]),
                    tuple(_snapshot[owner].values()))
    _snap_keys[owner] = frozenset(current)


_scanned = [0]  # len(sys.modules) at the last scan: modules only appear by being imported
# Grading-side packages snapshotted while still importing (`course.checks`, when `pristine`
# is imported as part of it): taken again, whole, at the next scan, or the names they gain
# afterwards (`Mistakes`, their submodules) would be neither kept nor in the fast check.
_partial: set = set()


def protect_checks() -> None:
    """Also snapshot the grading-side modules imported since (called by each restore)."""
    if _len(_sys_modules) == _scanned[0]:
        return
    for name, mod in _list(_sys_modules.items()):
        if _grading_side(name) and (name not in _modules_snapshot or name in _partial):
            _partial.discard(name)
            if _getattr(_getattr(mod, "__spec__", None), "_initializing", False):
                _partial.add(name)  # (taken again, whole, at the next scan)
            _modules_snapshot[name] = (mod, _dict(_vars(mod)))
            for value in _list(_vars(mod).values()):
                if (_isinstance(value, type) and _getattr(value, "__module__", None) == name
                        and value not in _classes_snapshot):
                    _classes_snapshot[value] = _dict(_vars(value))
                elif (_grading_side(_getattr(type(value), "__module__", "") or "")
                      and _hasattr(value, "__dict__") and _id(value) not in _objects_snapshot):
                    _objects_snapshot[_id(value)] = (value, _dict(_vars(value)))
                elif type(value) is _ModuleType and _library_to_keep(value):
                    _keep_library(value)
    for name, (mod, attrs) in _modules_snapshot.items():
        if attrs is not None:
            _add_submodules(name, mod, attrs)
    _scanned[0] = _len(_sys_modules)
    _all_at_once()


def _add_submodules(name: str, mod, attrs: dict) -> None:
    """A package gains an attribute for each submodule imported after its snapshot
    (`course.checks` → `course.checks.guard`): the snapshot takes it too — the very module
    sys.modules holds under that name, nothing else — so that a restore puts it back if a
    submission rebinds it, and the fast check is not failed by it at every restore."""
    for key, value in _list(_vars(mod).items()):
        if (key not in attrs and type(value) is _ModuleType
                and _sys_modules.get(f"{name}.{key}") is value):
            attrs[key] = value


# Modules whose state the kernel's own machinery changes as it runs (IPython sets
# `sys.displayhook` around every cell, ipykernel replaces `sys.stdout`, IPython wraps
# `linecache.checkcache`…): putting them back would break the kernel.  `pristine` and the
# guard handle what of them matters (sys hooks, builtins, the import system).
_LEAVE = frozenset(("sys", "builtins", "threading", "gc", "io", "warnings", "signal",
                    "linecache", "importlib", "atexit", "faulthandler", "traceback", "logging"))


def _library_to_keep(module) -> bool:
    """A module the hidden tests call into that no other snapshot covers: the standard
    library's `copy`, `inspect`, `operator`, `tempfile`… (a cell that made `copy.deepcopy` the
    identity made lesson 03's reference step train the student's own model)."""
    name = str(_getattr(module, "__name__", "") or "")
    root = name.split(".", 1)[0]
    return (module not in _snapshot and root not in _LEAVE and root not in ("torch", "course")
            and not _grading_side(name))


def _keep_library(module) -> None:
    """Snapshot a library module's behaviour (its functions and classes, not its data: a
    module such as `tempfile` fills some of its globals lazily, and honest code may too)."""
    _BEHAVIOUR_ONLY.add(module)
    _snap(module)


def adopt(module: _ModuleType, name: str) -> None:
    """`module.name` as it is now is what every restore puts back: a value set before any
    student code ran, after the snapshot (the guard's `_passed`, set when a kernel forked
    from the zygote starts; the zygote imported the guard, and snapshotted it, before)."""
    entry = _modules_snapshot.get(module.__name__)
    if entry is not None and entry[1] is not None:
        entry[1][name] = _vars(module)[name]
        _modules_at_once()


def snapshot_again() -> None:
    """Take the whole snapshot anew.  Only where no submission has run yet: the grading
    zygote, after importing the modules one assignment's kernels need (an import may wrap a
    torch function, as importing torch._dynamo wraps `torch.manual_seed`)."""
    _snapshot.clear()
    _fast.clear()
    _snap_keys.clear()
    _whole.clear()
    _whole_modules.clear()
    _modules_snapshot.clear()
    _partial.clear()
    _classes_snapshot.clear()
    _objects_snapshot.clear()
    _scanned[0] = 0
    take()
