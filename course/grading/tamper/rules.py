"""The tamper scan's rules, as data: which names, attributes, writes, classes and magics are
flagged, and why (one English sentence each, for the instructor).  `visitor.Visitor` is the one
walker that applies them; adding a rule is adding an entry here (tested in
tests/grading/test_tamper.py)."""
from __future__ import annotations

KINDS = ("ipython_shell", "sys_modules", "sys_hook", "trace", "torch_override", "process",
         "signal", "ctypes", "memory_introspection", "dynamic_code", "dynamic_import",
         "grader_import", "monkeypatch", "lying_comparison", "magic", "unparsable",
         "scan_incomplete", "active_html")

_SHELL = ("ipython_shell", "reaches the IPython shell that runs every cell, tests included")
_PROC = ("process", "starts or controls processes outside the grader's view")
_THREAD = ("process", "starts threads that keep running after the cell")
_TRACE = ("trace", "installs a trace or profile hook that sees every line the grader runs")
_OVERRIDE = ("torch_override", "intercepts torch operations, the tests' included")
_MEMORY = ("memory_introspection", "reads the grader's frames or memory")
_GRADER = ("grader_import", "reaches the grading package")
_CTYPES = ("ctypes", "calls C directly, which can read or write any memory")
_ENGINE = ("torch_override", "reaches autograd's engine or torch's C internals directly, past "
                             "the check that a \"by hand\" exercise uses no autograd")

# Dotted names (after following aliases) and their prefixes: `subprocess` covers
# `subprocess.run`.  A longer entry wins; None exempts.  Dotted entries also match inside a
# longer chain (`torch.os.system`, `torch.sys.modules`).
QUALIFIED: dict[str, tuple[str, str] | None] = {
    "get_ipython": _SHELL, "IPython": _SHELL, "ipykernel": _SHELL,
    "IPython.display": None,  # display(), clear_output(): output only
    "__builtins__": ("monkeypatch", "reaches the builtins every cell uses"),
    "builtins": ("monkeypatch", "uses the builtins module, the functions every cell uses"),
    "sys.modules": ("sys_modules", "reads sys.modules, which reaches every loaded module, "
                                   "the grader's included"),
    "sys.meta_path": ("sys_hook", "touches the import system's hooks"),
    "sys.path_hooks": ("sys_hook", "touches the import system's hooks"),
    # a result shown in a test cell is read by nbgrader as the cell's score (partial credit)
    "sys.displayhook": ("sys_hook", "calls the display hook, whose result in a test cell "
                                    "nbgrader reads as the cell's score"),
    "sys.settrace": _TRACE, "sys.setprofile": _TRACE, "sys.monitoring": _TRACE,
    "sys.addaudithook": _TRACE, "threading.settrace": _TRACE, "threading.setprofile": _TRACE,
    "threading.settrace_all_threads": _TRACE, "threading.setprofile_all_threads": _TRACE,
    "__torch_function__": _OVERRIDE, "__torch_dispatch__": _OVERRIDE,
    "TorchFunctionMode": _OVERRIDE, "TorchDispatchMode": _OVERRIDE,
    "torch.overrides": _OVERRIDE, "torch.utils._python_dispatch": _OVERRIDE,
    "torch.library": _OVERRIDE, "torch._C": _ENGINE, "torch._custom_op": _OVERRIDE,
    "torch._custom_ops": _OVERRIDE, "torch._library": _OVERRIDE,
    "torch._python_dispatcher": _OVERRIDE, "torch._dispatch": _OVERRIDE,
    "signal": ("signal", "sets signal handlers or alarms, which can interrupt the grader"),
    "subprocess": _PROC, "_posixsubprocess": _PROC, "pty": _PROC, "multiprocessing": _PROC,
    "torch.multiprocessing": _PROC, "asyncio.subprocess": _PROC,
    "asyncio.create_subprocess_exec": _PROC, "asyncio.create_subprocess_shell": _PROC,
    "threading": _THREAD, "_thread": _THREAD, "concurrent.futures": _THREAD,
    "ctypes": _CTYPES, "_ctypes": _CTYPES, "cffi": _CTYPES,
    "gc.get_objects": _MEMORY, "gc.get_referrers": _MEMORY, "gc.get_referents": _MEMORY,
    "gc.callbacks": _MEMORY, "inspect.currentframe": _MEMORY, "inspect.stack": _MEMORY,
    "inspect.trace": _MEMORY, "inspect.getouterframes": _MEMORY,
    "inspect.getinnerframes": _MEMORY, "inspect.getclosurevars": _MEMORY,
    "sys._getframe": _MEMORY, "sys._current_frames": _MEMORY,
    "logging.currentframe": _MEMORY, "traceback.walk_stack": _MEMORY,
    "traceback.walk_tb": _MEMORY,
    "sys._getframemodulename": _MEMORY,
    "marshal": ("dynamic_code", "builds code objects from bytes"),
    "importlib": ("dynamic_import", "imports modules by computed name"),
    "pkgutil.resolve_name": ("dynamic_import", "imports modules by computed name"),
    # what else finds a module, or an object in it, by its dotted name: the grading package's
    # modules (`pydoc.locate("course.lessons.06_jacobian.checks")`) were reached unflagged
    **dict.fromkeys(("pydoc", "pkgutil", "runpy", "zipimport", "unittest.mock", "logging.config",
                     "pickle.load", "pickle.loads", "pickle.Unpickler", "_pickle"),
                    ("dynamic_import", "finds modules or their objects by name")),
    "inspect.getmodule": ("dynamic_import", "reaches the module an object comes from (the "
                                            "grader's, for an object a hidden test hands over)"),
    "__import__": ("dynamic_import", "imports modules by computed name"),
    "builtins.__import__": ("dynamic_import", "imports modules by computed name"),
    "course": _GRADER, "nbgrader": _GRADER,
    # what a hidden-test block binds (authoring.build GUARD, load_checks, cells.VERDICT_IMPORT)
    "hidden_checks": _GRADER, "load_checks": _GRADER, "_restore_pristine": _GRADER,
    "_patched_by_submission": _GRADER, "_hidden_tests_passed": _GRADER,
}
for _mod in ("os", "posix"):
    for _fn in ("fork", "forkpty", "setsid", "setpgrp", "kill", "killpg", "_exit", "abort",
                "system", "popen", "posix_spawn", "posix_spawnp", "register_at_fork",
                *(f"exec{s}" for s in ("l", "le", "lp", "lpe", "v", "ve", "vp", "vpe")),
                *(f"spawn{s}" for s in ("l", "le", "lp", "lpe", "v", "ve", "vp", "vpe"))):
        QUALIFIED[f"{_mod}.{_fn}"] = _PROC
# The environment: CUDA_VISIBLE_DEVICES chooses the devices the hidden tests run on (emptied, they
# ran on the CPU only, where an answer wrong only on CUDA passes; the guard puts it back).
_ENVIRON = ("monkeypatch", "changes the grading kernel's environment, where "
                           "CUDA_VISIBLE_DEVICES chooses the devices the hidden tests run on")
for _mod in ("os", "posix"):
    for _fn in ("putenv", "unsetenv"):
        QUALIFIED[f"{_mod}.{_fn}"] = _ENVIRON

# Names whose rebinding is itself a flag (as the table says).
REBINDING = {"get_ipython", "__builtins__", "__import__"}

# Names of the builtins that run code: flagged by call, with the argument's nature.
DYNAMIC_CODE = ("exec", "eval", "compile")

# Attribute names flagged on whatever object they are read from (the object is often unknown:
# `shell = get_ipython(); shell.events`, `frame.f_back`).
ATTRIBUTES: dict[str, tuple[str, str]] = {
    **dict.fromkeys((
        "input_transformers_post", "input_transformers_cleanup", "input_transformer_manager",
        "ast_transformers", "events", "run_cell", "run_ast_nodes", "run_code",
        "transform_cell", "showtraceback", "showsyntaxerror", "displayhook", "display_pub",
        "display_trap", "set_custom_exc", "custom_exceptions", "excepthook", "shell_handlers",
        "control_handlers", "user_ns", "user_global_ns", "InteractiveTB", "SyntaxTB",
        "CustomTB", "history_manager", "cleanup_transforms", "line_transforms",
        "token_transformers"), _SHELL),
    **dict.fromkeys(("f_locals", "f_globals", "f_back", "f_builtins", "tb_frame", "gi_frame",
                     "cr_frame", "ag_frame", "__closure__", "__globals__", "__code__",
                     "__subclasses__"), _MEMORY),
    "__self__": ("monkeypatch", "reaches what a builtin function is bound to: `len.__self__` "
                                "is the builtins module"),
    **dict.fromkeys(("__torch_function__", "__torch_dispatch__", "TorchFunctionMode",
                     "TorchDispatchMode", "Library", "_dispatch_library", "py_impl",
                     "_EnablePythonDispatcher", "enable_python_dispatcher"), _OVERRIDE),
    **dict.fromkeys(("_execution_engine", "run_backward", "_enter_dual_level",
                     "_exit_dual_level"), _ENGINE),
}

# Names that, written as a string, only serve to reach the grader's frames, code or builtins
# by a computed lookup (`attrgetter("f_back")`, `globals().update({"__builtins__": …})`).
SENSITIVE_STRINGS = {
    **{name: rule for name, rule in ATTRIBUTES.items() if rule == _MEMORY},
    "f_code": _MEMORY, "_getframe": _MEMORY, "__defaults__": _MEMORY,
    "__kwdefaults__": _MEMORY,
    "__builtins__": ("monkeypatch", "names the builtins every cell uses"),
    "__import__": ("dynamic_import", "names the function behind every import"),
    "__self__": ATTRIBUTES["__self__"],
}
# Pieces of a path that only lead to the installed grading package's files (the hidden tests'
# source is readable there, inside the sandbox too: the kernel imports it).
GRADER_PATHS = ("checks.py", "mistakes.py", "__editable__", "course/lessons", "course/checks",
                "site-packages", "dist-packages",
                # and its modules' dotted names (what a lookup by name is given)
                "course.lessons", "course.checks", "course.grading", "course.verdict")

# Callables that read an attribute named by a string, as getattr does.
ATTRIBUTE_GETTERS = ("operator.attrgetter", "operator.methodcaller")

# Builtins that hand over a whole namespace: on a module of STRING_ACCESS_ROOTS (`vars(sys)`),
# or subscripted with a computed name (`globals()["hidden" + "_checks"]`), they hide which
# name is reached, as getattr with a computed name does.
NAMESPACE_CALLS = ("vars", "globals", "locals")

# Flagged only when assigned, deleted or mutated (reading sys.stdout is fine).
WRITES: dict[str, tuple[str, str]] = {
    "sys.modules": ("sys_modules", "writes to sys.modules, which can swap a module the grader "
                                   "imports"),
    "os.environ": _ENVIRON,
    **{f"sys.{name}": ("sys_hook", f"replaces sys.{name}, which the grader relies on")
       for name in ("stdout", "stderr", "stdin", "displayhook", "excepthook", "breakpointhook",
                    "unraisablehook", "meta_path", "path_hooks", "path_importer_cache")},
}
MUTATORS = {"append", "insert", "extend", "update", "pop", "popitem", "setdefault", "clear",
            "remove", "__setitem__", "__delitem__"}

# Module roots whose attributes a submission has no business assigning (plus any it imports).
MODULES = {"torch", "builtins", "__builtins__", "sys", "math", "numpy"}
# getattr/setattr/delattr on these (or on the shell) are flagged whatever the name.
STRING_ACCESS_ROOTS = {"torch", "builtins", "__builtins__", "sys"}

# Classes whose objects can make a check's comparison lie.
VALUE_BASES = {"torch.Tensor", "torch.nn.Parameter", "torch.nn.parameter.Parameter", "str",
               "int", "float", "complex", "list", "tuple", "dict", "set", "frozenset", "bytes",
               "numpy.ndarray", "numpy.float64", "numpy.float32"}
LYING_ON_VALUES = {"__eq__", "__ne__", "__bool__", "__len__", "__lt__", "__le__", "__gt__",
                   "__ge__", "__float__", "__int__", "__index__", "__abs__", "__sub__",
                   "__rsub__", "__hash__", "__getattribute__", "__getattr__"}
LYING_ANYWHERE = {"__eq__", "__ne__", "__bool__"}
SPOOFING = {"__class__", "__instancecheck__", "__subclasscheck__"}

# IPython magics (`%name`, `%%name`, `!cmd` = system, `x = !cmd` = getoutput).
MAGICS = {
    **dict.fromkeys(("system", "getoutput", "sx", "sc"), "runs a shell command"),
    **dict.fromkeys(("bash", "sh", "script", "perl", "ruby", "python", "python2", "python3",
                     "pypy"), "runs the cell in a separate process"),
    **dict.fromkeys(("env", "set_env"), "changes the grading kernel's environment variables"),
    **dict.fromkeys(("run", "load", "load_ext", "reload_ext", "unload_ext", "writefile",
                     "file", "macro", "aimport", "autoreload", "edit"),
                    "runs, loads or writes code outside the notebook"),
    **dict.fromkeys(("pip", "conda", "mamba"), "installs packages in the grading environment"),
    **dict.fromkeys(("reset", "reset_selective", "xdel"), "deletes the kernel's variables"),
}
SAFE_MAGICS = {"matplotlib", "time", "timeit", "capture", "pinfo", "pinfo2", "who", "whos",
               "pdef", "pdoc", "psource"}
PYTHON_BODY_MAGICS = {"time", "timeit", "capture", "prun"}  # their argument/body is Python


_LONGEST: dict[int, int] = {}


def _longest_key(table: dict) -> int:
    """The most dotted parts of a key of `table` (a chain `a.b.b.….b` of 400 parts would
    otherwise cost every slice of every prefix: minutes of scan for one cell)."""
    if id(table) not in _LONGEST:
        _LONGEST[id(table)] = max((key.count(".") + 1 for key in table), default=1)
    return _LONGEST[id(table)]


def match_rule(qualname: str | None, table: dict
               ) -> tuple[str, tuple[str, str] | None] | None:
    """(key, rule) of the longest entry of `table` that `qualname` starts with; dotted entries
    also match a tail of the chain.  None when nothing matches."""
    if not qualname:
        return None
    parts = qualname.split(".")
    longest = _longest_key(table)  # no key is longer: a slice beyond it cannot match
    for start in range(len(parts)):
        for end in range(min(len(parts), start + longest), start, -1):
            key = ".".join(parts[start:end])
            if key in table and (start == 0 or "." in key):
                return key, table[key]
    return None


def is_shell(qualname: str | None) -> bool:
    found = match_rule(qualname, QUALIFIED)
    return bool(found) and found[1] == _SHELL
