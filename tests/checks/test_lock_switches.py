"""The grading kernel's locks keep no switch a submission can reach: flipping the module globals
they used to read (`introspection_lock._enforced`, `_busy`, `code_lock.PROTECTED_ROOTS`…),
through `sys.modules` under an obfuscated name or through a function's `__globals__`, leaves
them refusing what they refused.  Run in a fresh interpreter: the locks cannot be lifted once
enforced, and this process is pytest's."""
from __future__ import annotations

from conftest import fresh_python

CELL = '''
import gc, sys, threading, inspect, torch
def _module(tail):  # no literal "course" for the tamper scan to see
    return sys.modules[".".join(("cour" + "se", "checks", tail))]

def frame(): return sys._getframe(0)
def objects(): return gc.get_objects()
def pose(): return compile("x = 1", inspect.__file__, "exec")
def close_code():
    _module("compare").close.__code__ = (lambda *a, **k: True).__code__
def grad_code(): torch.autograd.grad.__code__ = (lambda *a, **k: None).__code__
def defaults():
    fn = _module("code_lock").from_library
    fn.__defaults__ = (("/",),) + (fn.__defaults__ or ())[1:]

LIE = [False]
class Lying(str):  # a file name that says "a library\'s" once the code is made
    def startswith(self, *args): return LIE[0]
    def __hash__(self): return str.__hash__(self)
    def __eq__(self, other): return str.__eq__(self, other)
_posing = compile("def f():\\n    return sys._getframe(0)\\n", "/tmp/ipykernel_1/9.py", "exec")
_posing = _posing.replace(co_consts=tuple(
    c.replace(co_filename=Lying(c.co_filename)) if hasattr(c, "co_filename") else c
    for c in _posing.co_consts))
def lying_name():
    LIE[0] = True
    space = {"sys": sys}
    exec(_posing, space)
    return space["f"]()

def _set(module, name, value):
    try:
        setattr(module, name, value)
    except Exception:
        pass

def flip(how):
    """Turn every switch the locks used to read off, as `how` reaches it."""
    intro, lock = _module("introspection_lock"), _module("code_lock")
    if how == "globals":  # through a function's globals, not the module's attributes
        intro = type("G", (), {})()
        space = _module("introspection_lock").enforce.__globals__
        intro.__dict__.update(space)
        code_space = _module("code_lock").refuse.__globals__
    for name in ("_enforced", "_run_code"):
        target = getattr(intro, name, None)
        if type(target) is list:
            target[0] = False if name == "_enforced" else None
    busy = getattr(intro, "_busy", None)
    if type(busy) is set:
        busy.add(threading.get_ident())
    for name, value in (("PROTECTED_ROOTS", ROOTS), ("LIBRARY_ROOTS", ROOTS),
                        ("COURSE_ROOT", "/nonexistent/"), ("_PARTS", frozenset())):
        if how == "globals":
            code_space[name] = value
        else:
            _set(lock, name, value)
'''

SCRIPT = '''
import json, sys, warnings
warnings.simplefilter("ignore")
from course.checks import pristine, code_lock, introspection_lock, dispatch_lock, compare
introspection_lock.enforce()  # as checks.guard does, in a grading kernel before student code
dispatch_lock.enforce()
ns = {"ROOTS": ROOTS}
exec(compile(CELL, "/tmp/ipykernel_1/123.py", "exec"), ns)

def attempt(name):
    try:
        ns[name]()
        return "allowed"
    except Exception as err:
        return "refused" if "corrección automática" in str(err) else f"{type(err).__name__}"

ATTEMPTS = ("frame", "objects", "pose", "close_code", "grad_code", "defaults", "lying_name")
out = {"before": {n: attempt(n) for n in ATTEMPTS}}
try:
    ns["flip"](HOW)
    out["flipped"] = "yes"
except Exception as err:
    out["flipped"] = f"{type(err).__name__}: {err}"
out["after"] = {n: attempt(n) for n in ATTEMPTS}
out["close_still_compares"] = compare.close(__import__("torch").ones(2), __import__("torch").zeros(2))
print(json.dumps(out))
'''

REFUSED = {"frame": "refused", "objects": "refused", "pose": "refused", "close_code": "refused",
           "grad_code": "refused", "defaults": "refused", "lying_name": "refused"}


def run(how: str, roots: tuple) -> dict:
    return fresh_python(f"CELL = {CELL!r}\nHOW = {how!r}\nROOTS = {roots!r}\n" + SCRIPT)


def test_switches_flipped_through_sys_modules_turn_no_lock_off():
    """`PROTECTED_ROOTS = ("/",)` would make every code a library's (nothing refused)."""
    out = run("modules", ("/",))
    assert out["flipped"] == "yes"
    assert out["before"] == REFUSED, out["before"]
    assert out["after"] == REFUSED, out["after"]
    assert out["close_still_compares"] is False


def test_emptied_roots_let_no_submission_pose_as_a_library():
    """`PROTECTED_ROOTS = ()` would let a cell compile code under a library's file name."""
    out = run("modules", ())
    assert out["after"] == REFUSED, out["after"]


def test_switches_flipped_through_a_functions_globals_turn_no_lock_off():
    out = run("globals", ("/",))
    assert out["flipped"] == "yes"
    assert out["after"] == REFUSED, out["after"]


def test_the_hooks_read_no_global_name():
    """What the audit hooks run is a private copy with an empty namespace: a global they read
    (a builtin included) is one a submission could rebind."""
    import dis

    from course.checks import code_lock, introspection_lock

    for fn in (code_lock._hook, code_lock.from_library, introspection_lock._hook,
               introspection_lock._decide):
        loads = [i.argval for i in dis.get_instructions(fn) if i.opname == "LOAD_GLOBAL"]
        assert loads == [], (fn.__name__, loads)


def test_what_restore_reads_cannot_be_emptied_in_place():
    """Rebinding a name of these modules is undone by `pristine.restore` before it is read;
    emptying a container in place was not: no timer disarmed, forward-mode AD unwatched."""
    import gc
    import signal

    from course.checks import interpreter, pristine, signals, watch

    for container in (signals._TIMERS, signals._snapshot, watch._FORWARD_MODE,
                      interpreter.HOOKS, interpreter.GC[0]):
        for how in ("clear", "append", "__setitem__"):
            if hasattr(container, how):
                try:
                    getattr(container, how)(*(() if how == "clear" else (0,) * (how != "append")
                                              + (None,)))
                except TypeError:
                    pass
                assert len(container), (container, how)
    callback = lambda phase, info: None  # noqa: E731
    gc.callbacks.append(callback)
    signal.setitimer(signal.ITIMER_REAL, 30, 30)
    changed = pristine.restore()
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert callback not in gc.callbacks and "gc.callbacks" in changed
