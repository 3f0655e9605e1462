"""The grading engine's own channel into a kernel: reset what a submission hooked, and say which
hidden tests ran to their end, in answers the submission's code cannot forge.

Why not a cell: a submission can install IPython input/AST transformers, replace `run_cell`,
register `pre_run_cell` events, silence tracebacks... and every later *cell* (a `restore()` line
included) runs through what it installed.  So the engine never asks through a cell.  Before the
first student code runs, the kernel (forked from the zygote, see grading.zygote) installs this
guard: it snapshots the shell's machinery and registers a handler for one control-channel
message, `course_guard_request`, answered on ipykernel's control thread:

- `reset`: put back the snapshot (shell transformers, events, hooks and methods, the kernel's
  message handlers, `sys` hooks, `sys.modules`, and `pristine.restore()` for torch/builtins)
  and forget earlier verdicts; the reply lists what had been changed;
- `verdict`: whether the hidden-test block of a cell reached its last line, `passed(cell)`,
  since the last reset — and refused, with the reason, when code the submission left behind
  could have run during the test without being called: a thread it started that is still
  running (it cannot be stopped from here), or a write to a grading function's code that
  `code_lock` refused.

Each reply carries HMAC(key, request nonce, answer).  The key reaches the kernel in the fork
request, before any student code, and lives only in this closure; the nonce is fresh per
request.  A submission that replaced the handler, rewrote the test cell into `pass`, skipped or
silenced it, gets no valid `passed` verdict and the engine marks that test cell failed, with the
reason.  `passed()` counts only when called from a cell's top level by IPython's own
`run_code` (captured at install), never from a function the test calls.

What this cannot stop: code that digs the key out of this process's memory (gc, frames,
ctypes) and speaks the protocol.  The tamper scan (grading.tamper) flags every such tool.
Under plain `nbgrader autograde` no guard is installed and `passed()` does nothing.
"""
from __future__ import annotations

import functools
import sys
import threading
from importlib.machinery import FileFinder

from ..verdict import REPLY, REQUEST, token
from . import code_lock, introspection_lock

_passed = None  # set by install(): the function a hidden-test block calls last


def passed(cell: str) -> None:
    """Last line of every hidden-test block: the block ran to its end."""
    if _passed is not None:
        _passed(cell, sys._getframe(1))


class _Snapshot:
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
        # A cell's builtins are its globals' `__builtins__`: a copy with another `__import__`
        # put there would answer the hidden-test block's own imports.
        self.builtins = shell.user_ns.get("__builtins__")

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
        if sys.gettrace() is not None or sys.getprofile() is not None:
            sys.settrace(None)
            sys.setprofile(None)
            changed.append("sys.settrace/setprofile")
        threading.settrace(None)
        threading.setprofile(None)
        changed += untrace_main_thread()
        for name, mod in self.modules.items():
            if sys.modules.get(name) is not mod:
                sys.modules[name] = mod
                changed.append(f"sys.modules[{name!r}]")
        from . import pristine

        changed += pristine.restore()
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


def _threads_started_since(baseline: set) -> list[str]:
    """Threads alive now that were not at install (the kernel's own were), other than the one
    asking, running the submission's code: a frame of their stack comes from no library and
    not from this package (a library's own thread, such as the one a figure's rendering may
    start, is not the submission's).  Each as "<file>:<function>" of its innermost such frame."""
    here, found = threading.get_ident(), []
    for ident, frame in sys._current_frames().items():
        if ident in baseline or ident == here:
            continue
        while frame is not None:
            code = frame.f_code
            if not code_lock.from_library(code):
                found.append(f"{code.co_filename}:{code.co_name}")
                break
            frame = frame.f_back
    return found


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


def install(shell, kernel, key: bytes) -> None:
    """Snapshot now (before any student code) and answer the engine's control requests."""
    global _passed
    from IPython.core.interactiveshell import InteractiveShell

    run_code = InteractiveShell.run_code.__code__
    snapshot = _Snapshot(shell, kernel)
    introspection_lock.enforce()
    done: set[str] = set()
    baseline = set(sys._current_frames()) | {t.ident for t in threading.enumerate()}

    def record(cell: str, frame) -> None:
        if (type(cell) is str and frame.f_code.co_name == "<module>"
                and frame.f_back is not None and frame.f_back.f_code is run_code
                and sys.gettrace() is None and sys.getprofile() is None
                and frame.f_trace is None):  # no tracer that could have jumped the test
            done.add(cell)

    def handle(stream, ident, parent) -> None:
        content = parent.get("content", {})
        action, cell, nonce = (str(content.get(k, "")) for k in ("action", "cell", "nonce"))
        reply = {"action": action, "cell": cell}
        if action == "reset":
            try:
                reply["changed"] = snapshot.restore()
            except Exception as exc:  # never leave the engine without an answer
                reply["changed"] = [f"(restore failed: {type(exc).__name__}: {exc})"]
            done.clear()
            code_lock.mark()  # what is refused from now on refuses this test's verdict
            reply["token"] = token(key, "reset", cell, nonce)
        elif action == "verdict":
            ok = cell in done
            refused = code_lock.pending()
            running = _threads_started_since(baseline) if ok and not refused else []
            if refused:
                ok = False
                reply["why"] = ("code of the submission was refused during this hidden test ("
                                + ", ".join(refused[:4]) + "): it tried to change a function "
                                "the grader relies on, or to read the test's frames or objects")
            elif running:  # its code could run during the test, and change what it checks
                ok = False
                reply["why"] = (f"{len(running)} thread(s) started by the submission were still "
                                f"running during this hidden test ({', '.join(running[:3])}), "
                                "which could change what it checks, so its result cannot be "
                                "trusted")
            reply["passed"] = ok
            reply["token"] = token(key, "verdict", cell, nonce, int(ok))
        kernel.session.send(stream, REPLY, reply, parent, ident=ident)

    kernel.control_handlers[REQUEST] = handle
    snapshot.handlers["control_handlers"][REQUEST] = handle
    _passed = record
