"""What a kernel's machinery was before any student code ran, and putting it back.

`guard` takes a `KernelSnapshot` when it is installed in a grading kernel and restores it on the
engine's `reset` request, before every hidden-test cell: the shell's transformers, events, hooks
and methods (instance and class), the kernel's message handlers, `sys` hooks and streams, the
import system, the notebook's `__builtins__`, `sys.modules`, the environment variables that
choose the hidden tests' devices (`DEVICE_ENV`), tracers on the main thread (undone
from the control thread, where no tracer runs), then `pristine.restore()` for torch, builtins
and the hidden tests' own modules.  `restore()` returns what had been changed, for the record.
"""
from __future__ import annotations

import functools
import itertools
import operator
import os
import sys
import threading
from importlib.machinery import FileFinder

# What decides the devices every hidden test runs on (`calling.devices`): until CUDA starts,
# torch.cuda.is_available() reads them again at each call, so a cell that emptied
# CUDA_VISIBLE_DEVICES had the hidden tests run on the CPU only, where an answer wrong only on
# CUDA passes.  Per kernel (the grading side sets them in each kernel's environment).
DEVICE_ENV = ("CUDA_VISIBLE_DEVICES", "PYTORCH_NVML_BASED_CUDA_CHECK", "CUDA_DEVICE_ORDER",
              "HIP_VISIBLE_DEVICES", "ROCR_VISIBLE_DEVICES")


class KernelSnapshot:
    """The shell's and interpreter's machinery as it was before any student code ran."""

    LISTS = ("input_transformers_cleanup", "input_transformers_post", "ast_transformers")
    ATTRS = ("displayhook", "display_pub", "display_trap", "compile", "custom_exceptions",
             "CustomTB", "InteractiveTB", "SyntaxTB", "history_manager", "events",
             "input_transformer_manager", "user_ns", "user_global_ns")
    SYS = ("displayhook", "excepthook", "stdout", "stderr", "stdin", "breakpointhook",
           "unraisablehook", "meta_path", "path_hooks", "path", "path_importer_cache")

    def __init__(self, shell, kernel):
        self.shell, self.kernel = shell, kernel
        self.lists = {n: list(getattr(shell, n)) for n in self.LISTS if hasattr(shell, n)}
        self.attrs = {n: getattr(shell, n) for n in self.ATTRS if hasattr(shell, n)}
        self.events = {k: list(v) for k, v in shell.events.callbacks.items()}
        self.tm = {n: list(getattr(shell.input_transformer_manager, n))
                   for n in ("cleanup_transforms", "line_transforms", "token_transformers")}
        self.shell_dict = dict(vars(shell))
        self.kernel_dict = dict(vars(kernel))
        self.handlers = {"shell_handlers": dict(kernel.shell_handlers),
                         "control_handlers": dict(kernel.control_handlers)}
        self.classes = {cls: dict(vars(cls)) for obj in (shell, kernel)
                        for cls in type(obj).__mro__ if _ours(cls)}
        self.sys = {n: getattr(sys, n) for n in self.SYS if hasattr(sys, n)}
        self.meta_path = list(sys.meta_path)
        self.path, self.path_hooks = list(sys.path), list(sys.path_hooks)
        self.importer_cache = dict(sys.path_importer_cache)
        self.modules = dict(sys.modules)
        self.module_names, self.module_values = tuple(self.modules), tuple(self.modules.values())
        # A cell's builtins are its globals' `__builtins__`: a copy with another `__import__`
        # put there would answer the hidden-test block's own imports.
        self.builtins = shell.user_ns.get("__builtins__")
        self.os_environ = os.environ
        self.environ = {name: os.environ.get(name) for name in DEVICE_ENV}

    def restore(self) -> list[str]:
        changed: list[str] = []
        shell, kernel = self.shell, self.kernel
        for name, value in self.attrs.items():
            if getattr(shell, name, None) is not value:
                _force(shell, name, value)
                changed.append(f"shell.{name}")
        for name, items in self.lists.items():
            current = getattr(shell, name)
            if list(current) != items:
                current[:] = items
                changed.append(f"shell.{name}")
        for name, items in self.tm.items():
            current = getattr(shell.input_transformer_manager, name)
            if list(current) != items:
                current[:] = items
                changed.append(f"input_transformer_manager.{name}")
        callbacks = shell.events.callbacks
        for event, items in self.events.items():
            if list(callbacks.get(event, [])) != items:
                callbacks[event] = list(items)
                changed.append(f"events[{event!r}]")
        for obj, snap, label in ((shell, self.shell_dict, "shell"),
                                 (kernel, self.kernel_dict, "kernel")):
            current = vars(obj)
            for name in [n for n in current if _shadows_method(obj, n, snap)]:
                if name in snap:
                    current[name] = snap[name]
                else:
                    del current[name]  # an instance attribute hiding a method of the class
                changed.append(f"{label}.{name}")
        for name, table in self.handlers.items():
            current = getattr(kernel, name)
            if current != table:
                current.clear()
                current.update(table)
                changed.append(f"kernel.{name}")
        for cls, attrs in self.classes.items():
            current = vars(cls)
            for name in [n for n in current if n not in attrs]:
                delattr(cls, name)
                changed.append(f"{cls.__name__}.{name}")
            for name, value in attrs.items():
                if current.get(name, _MISSING) is not value:
                    setattr(cls, name, value)
                    changed.append(f"{cls.__name__}.{name}")
        for ns in {id(shell.user_ns): shell.user_ns,
                   id(shell.user_global_ns): shell.user_global_ns}.values():
            if ns.get("__builtins__", _MISSING) is not self.builtins:
                ns["__builtins__"] = self.builtins
                changed.append("user_ns['__builtins__']")
        for name, value in self.sys.items():
            if getattr(sys, name, None) is not value:
                setattr(sys, name, value)
                changed.append(f"sys.{name}")
        for name in ("meta_path", "path_hooks", "path"):
            if getattr(sys, name) != getattr(self, name):
                getattr(sys, name)[:] = getattr(self, name)
                changed.append(f"sys.{name}")
        changed += self.restore_importer_cache()
        changed += self.restore_environ()
        if sys.gettrace() is not None or sys.getprofile() is not None:
            sys.settrace(None)
            sys.setprofile(None)
            changed.append("sys.settrace/setprofile")
        threading.settrace(None)
        threading.setprofile(None)
        changed += untrace_main_thread()
        if not self.modules_unchanged():
            for name, mod in self.modules.items():
                if sys.modules.get(name) is not mod:
                    sys.modules[name] = mod
                    changed.append(f"sys.modules[{name!r}]")
        from . import pristine

        changed += pristine.restore()
        return changed

    def modules_unchanged(self) -> bool:
        """Every module of the snapshot still in `sys.modules`, checked by identity in one
        C-level pass (a Python loop over the ≈ 1,800 modules costs ≈ 0.5 ms per reset)."""
        return _all(_map(_is, _map(_sys_modules.get, self.module_names, _repeat(_MISSING)),
                         self.module_values))

    def restore_environ(self) -> list[str]:
        """The environment variables that choose the hidden tests' devices (DEVICE_ENV)."""
        changed = []
        if os.environ is not self.os_environ:
            os.environ = self.os_environ
            changed.append("os.environ")
        for name, value in self.environ.items():
            if os.environ.get(name) != value:
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
                changed.append(f"os.environ[{name!r}]")
        return changed

    def restore_importer_cache(self) -> list[str]:
        """`sys.path_importer_cache` maps a folder to the finder that imports from it, so a
        finder put there (`cache[torch_dir] = FileFinder(writable_dir)`) turns the next import
        of a torch submodule into the student's file.  Every entry added or changed since the
        snapshot is dropped (Python makes a folder's finder again when it needs it); only
        entries that were not a standard finder of their own folder are reported."""
        cache, snap = sys.path_importer_cache, self.importer_cache
        changed = False
        for key, finder in list(cache.items()):
            if key in snap and snap[key] is finder:
                continue
            del cache[key]
            own = type(finder) is FileFinder and getattr(finder, "path", None) == key
            changed = changed or key in snap or not (finder is None or own)
        return ["sys.path_importer_cache"] if changed else []


def untrace_main_thread() -> list[str]:
    """Remove the main thread's tracer and profiler from this (the control) thread.

    `sys.settrace` is per thread, and the cells, the hidden tests' included, run on the main
    thread: a tracer a submission set there sees every line of a hidden test and can rewrite
    its local variables (a `letter` about to be compared, the `trace` that `pristine` is about
    to put back) and then remove itself before `passed()`.  Whatever the hidden test itself
    does to undo it runs under that tracer, so it is undone here, before the test starts, where
    the tracer never runs: with `threading.settrace_all_threads` (Python 3.12+), else with
    CPython's `_PyEval_SetTrace` on the main thread's state.  Returns what was found set (as
    far as the frames tell: a tracer that traces no frame is removed but not seen)."""
    main = threading.main_thread().ident
    frame = sys._current_frames().get(main)
    seen = []
    probe = frame
    while probe is not None:
        if probe.f_trace is not None:
            seen = ["sys.settrace (main thread)"]
            break
        probe = probe.f_back
    if hasattr(threading, "settrace_all_threads"):  # Python 3.12+
        threading.settrace_all_threads(None)
        threading.setprofile_all_threads(None)
    elif frame is not None:
        _clear_thread_tracing(frame)
    probe = frame
    while probe is not None:  # the frames' own tracers, which a new sys.settrace leaves
        probe.f_trace = None
        probe = probe.f_back
    return seen


def _clear_thread_tracing(frame) -> None:
    """CPython 3.11: `_PyEval_SetTrace/SetProfile(tstate, NULL, NULL)` on the thread whose
    current frame is `frame` (what 3.12's settrace_all_threads does for each thread)."""
    api = _python_api()
    state = api.PyInterpreterState_ThreadHead(api.PyInterpreterState_Get())
    while state:
        try:
            found = api.PyThreadState_GetFrame(state)
        except ValueError:  # a thread with no Python frame (NULL)
            found = None
        if found is frame:
            api._PyEval_SetTrace(state, None, None)
            api._PyEval_SetProfile(state, None, None)
            return
        state = api.PyThreadState_Next(state)


@functools.cache
def _python_api():
    """ctypes.pythonapi with the signatures _clear_thread_tracing uses (set once per kernel,
    not at every reset)."""
    import ctypes

    api = ctypes.pythonapi
    api.PyInterpreterState_Get.restype = ctypes.c_void_p
    api.PyInterpreterState_ThreadHead.restype = ctypes.c_void_p
    api.PyInterpreterState_ThreadHead.argtypes = [ctypes.c_void_p]
    api.PyThreadState_Next.restype = ctypes.c_void_p
    api.PyThreadState_Next.argtypes = [ctypes.c_void_p]
    api.PyThreadState_GetFrame.restype = ctypes.py_object
    api.PyThreadState_GetFrame.argtypes = [ctypes.c_void_p]
    for name in ("_PyEval_SetTrace", "_PyEval_SetProfile"):
        getattr(api, name).argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p]
        getattr(api, name).restype = ctypes.c_int
    return api


def _shadows_method(obj, name: str, snap: dict) -> bool:
    """An instance attribute, not there (or not this) at install, over a method of the class."""
    value = vars(obj)[name]
    if name in snap and snap[name] is value:
        return False
    return callable(getattr(type(obj), name, None)) and not isinstance(
        getattr(type(obj), name), type)


def _ours(cls) -> bool:
    return cls.__module__.split(".")[0] in ("IPython", "ipykernel")


def _force(obj, name, value) -> None:
    try:
        setattr(obj, name, value)
    except Exception:  # a traitlet that validates: write it underneath
        obj._trait_values[name] = value


_MISSING = object()
# Bound at import, like pristine's: what a submission rebinds (`builtins.all`) cannot skip it.
_all, _map, _is, _repeat = all, map, operator.is_, itertools.repeat
_sys_modules = sys.modules  # the interpreter's own dict, even if `sys.modules` is rebound
