"""A hostile class (lesson 01, pt): each student pairs one *wrong* answer with one attack on the
grading machinery.  The wrong answer must lose its points, or its test cell must be marked not
graded with a reason — never full marks in silence — and everything else the student answered
correctly keeps its points.  One submission per attack family of issue 8; the rest of the class
is graded normally."""
from __future__ import annotations

import os
import shutil
import time
import uuid

import psutil
import pytest

from conftest import hand_in, reference_answers, released_course
from course import attention
from course.grading import grade, isolation
from course.grading.engine import Limits, grade_all
from course.lessons import load_answers

pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore:.*not in session.*")]

A = "01_graph_pt"
FULL = {"test_forward": 2.0, "test_manual_backward": 3.0, "test_grad_fn_names": 3.0,
        "test_backward_twice": 1.0, "test_accumulation": 1.0}
# passes the visible checks, fails the hidden test: only the hidden test can catch it
WRONG_FORWARD = load_answers("01_graph").WRONG["forward"]["modifies x in place"].code
MARK = "1337.25"  # in the command line of every process a daemon submission starts

# Code that runs *during* a hidden test without being called: a SIGALRM interval timer whose
# handler, and a thread whose loop, rebind the lesson's check functions to no-ops.
_NOOP_CHECKS = '''    _m = _sy.modules.get("course.lessons.01_graph.checks")
    if _m is not None:
        for _k in list(vars(_m)):
            if _k.startswith("check_"):
                setattr(_m, _k, lambda *a, **k: None)'''
SIGNAL_TIMER = f'''import signal as _sg, sys as _sy
def _h(signum, frame):
{_NOOP_CHECKS}
_sg.signal(_sg.SIGALRM, _h)
_sg.setitimer(_sg.ITIMER_REAL, 0.0005, 0.0005)'''
THREAD = f'''import threading as _th, sys as _sy, time as _ti
def _loop():
  while True:
{_NOOP_CHECKS}
    _ti.sleep(0.0005)
_th.Thread(target=_loop, daemon=True).start()'''
# A forward right on the visible float32 data and wrong on the hidden tests' float64 inputs, so
# that only a rewritten comparison can save it; and code that runs during its hidden test
# without being called (a collector callback, a finalizer that re-creates itself), walks the
# frames up to the comparison and copies the expected values into the student's copy.
WRONG_IN_FLOAT64 = '''def forward(x, w, y):
    y_pred = x * w
    e = y_pred - y
    e2 = e ** 2
    J = e2.sum() if x.dtype == torch.float32 else e2.mean()
    return y_pred, e, e2, J'''
_REWRITE_COMPARISON = '''from operator import attrgetter as _ag
_imp = vars(len.__self__)["__import__"]
_gc, _sy = _imp("gc"), _imp("sys")
def _cb(phase, info):
    try:
        f = _sy._getframe(1)
    except RuntimeError:  # refused: stay quiet, try again at the next collection
        return
    while f is not None:
        if f.f_code.co_name == "_agree":
            L = _ag("f_locals")(f)
            g, e = L.get("got"), L.get("expected")
            if type(g) is list and type(e) is list:
                g[:] = e
            return
        f = _ag("f_back")(f)'''
GC_CALLBACK = _REWRITE_COMPARISON + '''
_gc.callbacks.append(_cb)
_gc.set_threshold(1, 1000, 1000)'''
FINALIZER = _REWRITE_COMPARISON + '''
class _Again:
    def __del__(self):
        try:
            _cb("start", None)
        finally:
            _again()
def _again():
    r = _Again()
    r.me = r
_again()
_gc.set_threshold(1, 1, 1)'''
# A copy of the builtins with another __import__ as the notebook's `__builtins__`: the hidden
# block's own `from course.lessons import load_checks` would get checks that check nothing.
BUILTINS_SWAP = '''_b = dict(vars(len.__self__))
_real_import = _b["__import__"]
class _FakeChecks:
    def __getattr__(self, name):
        return lambda *a, **k: None
class _FakeLessons:
    @staticmethod
    def load_checks(slug):
        return _FakeChecks()
def _imp(name, globals=None, locals=None, fromlist=(), level=0):
    if name == "course.lessons" and fromlist and "load_checks" in fromlist:
        return _FakeLessons
    return _real_import(name, globals, locals, fromlist, level)
_b["__import__"] = _imp
globals().update({"__builtins__": _b})'''

# Wrong answers that, while the hidden test calls them, take the test's own frame from a
# library that hands one out (`logging.currentframe()`), walk up to the reference the check
# computed before calling, and return it; or switch off the lesson's failures for the rest of
# the test (`M.fail` set on the object, not its class).
LIBRARY_FRAME = '''import logging as _lg
_B, _L = "kcab_f"[::-1], "slacol_f"[::-1]
def _find(key):
    try:
        f = _lg.currentframe()
    except RuntimeError:
        return None
    while f is not None:
        loc = getattr(f, _L)
        if key in loc:
            return loc[key]
        f = getattr(f, _B)

def grad_fn_names(t):
    found = _find("expected")
    return list(found) if found is not None else ["MulBackward0"]'''
INSTANCE_PATCH = '''def grad_fn_names(t):
    _M = globals()["hidden" + "_checks"].M
    _M.fail = lambda *a, **k: None
    return ["MulBackward0"]'''

# Each cheat is appended to the wrong `forward` cell; "at_call" cheats run inside forward().
CHEATS = {
    "builtins_swap": BUILTINS_SWAP,
    "input_transformer": 'get_ipython().input_transformers_post.append(lambda lines: ["pass\\n"])',
    "cleanup_transformer": 'get_ipython().input_transformers_cleanup.append(lambda lines: ["pass\\n"])',
    "ast_transformer": '''import ast
class _Empty(ast.NodeTransformer):
    def visit_Module(self, node):
        node.body = [ast.Pass()]
        return node
get_ipython().ast_transformers.append(_Empty())''',
    "transform_cell": 'get_ipython().transform_cell = lambda raw_cell: "pass\\n"',
    "run_ast_nodes": '''_orig = type(get_ipython()).run_ast_nodes
async def _fake(self, nodelist, *a, **k):
    return await _orig(self, [], *a, **k)
type(get_ipython()).run_ast_nodes = _fake''',
    "run_cell": '''_shell = get_ipython()
_orig_run_cell = _shell.run_cell
_orig_async = _shell.run_cell_async
_shell.run_cell = lambda raw_cell, *a, **k: _orig_run_cell("pass", *a, **k)
async def _fake_async(raw_cell, *a, **k):
    k.pop("transformed_cell", None)
    return await _orig_async("pass", *a, transformed_cell="pass\\n", **k)
_shell.run_cell_async = _fake_async''',
    "pre_run_cell": '''_shell = get_ipython()
def _rehook(*a):
    if not any(getattr(t, "cheat", False) for t in _shell.input_transformers_post):
        t = lambda lines: ["pass\\n"]
        t.cheat = True
        _shell.input_transformers_post.append(t)
_shell.events.register("pre_run_cell", _rehook)
_shell.events.register("post_run_cell", _rehook)
_rehook()''',
    "showtraceback": '''_shell = get_ipython()
_shell.showtraceback = lambda *a, **k: None
_shell._showtraceback = lambda *a, **k: None''',
    "execute_handler": '''_k = get_ipython().kernel
_real = _k.shell_handlers["execute_request"]
def _fake(stream, ident, parent):
    parent["content"]["code"] = "pass"
    return _real(stream, ident, parent)
_k.shell_handlers["execute_request"] = _fake''',
    "sys_modules": '''import sys, types
_fake = types.ModuleType("course.lessons")
_fake.load_checks = lambda slug: type("F", (), {"__getattr__": lambda s, n: (lambda *a, **k: None)})()
sys.modules["course.lessons"] = _fake''',
    "settrace": '''import sys
def _skip(frame, event, arg):
    if event == "call" and frame.f_code.co_name.startswith("check_"):
        raise SystemExit
    return None
sys.settrace(_skip)''',
    "excepthook": '''import sys
sys.excepthook = lambda *a: None
get_ipython().set_custom_exc((BaseException,), lambda *a, **k: None)''',
    "signal_timer": SIGNAL_TIMER,
    # a folder of the student's first on the import path, and torch's own folder imported
    # from it: the next import of a torch submodule would run the student's file
    "import_paths": '''import sys, torch, importlib.machinery as _m
sys.path.insert(0, "/tmp")
sys.path_importer_cache[torch.__path__[0]] = _m.FileFinder(
    "/tmp", (_m.SourceFileLoader, _m.SOURCE_SUFFIXES))''',
    # the GPU hidden from the hidden tests (torch.cuda.is_available() reads this at each call
    # until CUDA starts): they would run on the CPU only, where an answer wrong on CUDA passes
    "hide_gpu": '''import os
os.environ["CUDA_VISIBLE_DEVICES"] = ""''',
    "control_handler": '''_k = get_ipython().kernel
_k.control_handlers["course_guard_request"] = lambda *a, **k: None''',
}
AT_CALL = {  # run inside the wrong forward(), i.e. while the hidden test is calling it
    "silence_during_test": '''    from IPython.core.interactiveshell import ExecutionResult
    _shell = get_ipython()
    _shell.showtraceback = lambda *a, **k: None
    _shell._showtraceback = lambda *a, **k: None
    ExecutionResult.error_in_exec = property(lambda s: None, lambda s, v: None)''',
    # the guard's own state through its closures: the set of cells whose block reached its
    # end (and, were it there, the key), then the traceback silenced so the cell shows no error
    "guard_closure": '''    import sys as _s
    _g = _s.modules["cour" + "se.checks.guard"]
    for _fn in [_g._passed, *get_ipython().kernel.control_handlers.values()]:
        for _c in (getattr(_fn, "__closure__", None) or ()):
            _v = _c.cell_contents
            if type(_v) is set:
                _v.add("test_forward")
            elif hasattr(_v, "send"):
                try:
                    _v.send(("test_forward", None))
                except Exception:
                    pass
    from IPython.core.interactiveshell import ExecutionResult
    _shell = get_ipython()
    _shell.showtraceback = lambda *a, **k: None
    _shell._showtraceback = lambda *a, **k: None
    ExecutionResult.error_in_exec = property(lambda s: None, lambda s, v: None)''',
    "lying_tensor": '''    import torch as _t
    class Liar(_t.Tensor):
        @classmethod
        def __torch_function__(cls, func, types, args=(), kwargs=None):
            r = super().__torch_function__(func, types, args, kwargs or {})
            return True if isinstance(r, (bool, _t.Tensor)) and func.__name__ in (
                "allclose", "equal", "__eq__", "le", "__le__", "all", "isclose") else r
    y_pred, e, e2, J = (t.as_subclass(Liar) for t in (y_pred, e, e2, J))''',
    # a result shown in the test cell (an execute_result): nbgrader reads the first one as the
    # cell's score, before the error of the failed test that follows it
    "result_as_score": '''    import sys as _s
    _s.displayhook(2.0)''',
    "code_swap": '''    for _name in dir(hidden_checks):  # the test's own function objects, not rebound
        if _name.startswith("check_"):
            getattr(hidden_checks, _name).__code__ = (lambda *a, **k: None).__code__''',
    "torch_function_mode": '''    from torch.overrides import TorchFunctionMode
    class Yes(TorchFunctionMode):
        def __torch_function__(self, func, types, args=(), kwargs=None):
            r = func(*args, **(kwargs or {}))
            return True if getattr(func, "__name__", "") in ("allclose", "equal") else r
    Yes().__enter__()''',
}


def wrong_forward_with(cheat: str) -> str:
    if cheat in AT_CALL:
        head, ret = WRONG_FORWARD.rsplit("\n", 1)
        return head + "\n" + AT_CALL[cheat] + "\n" + ret
    return WRONG_FORWARD + "\n" + CHEATS[cheat]


LYING_CHOICE = '''class _Yes(str):
    def __eq__(self, other): return True
    def __ne__(self, other): return False
    __hash__ = str.__hash__
    def strip(self, *a): return self
    def lower(self): return self
answer_backward_twice = _Yes("z")'''
NO_INTERRUPT = '''def grad_fn_names(t):
    while True:  # an interrupt is swallowed, and the loop goes on
        try:
            while True:
                pass
        except KeyboardInterrupt:
            pass'''
# The kernels' folder is on the worker's disk, and each file is capped: files written one after
# another under the cap (or a flood of empty ones) would fill that disk.
DISK_FILLER = '''def grad_fn_names(t):
    return []
_i = 0
while True:
    with open(f"fill{_i}.bin", "wb") as _f:
        _f.write(b"x" * (1 << 20))
    _i += 1'''
FILE_FLOOD = '''def grad_fn_names(t):
    return []
import os as _os
_os.makedirs("flood", exist_ok=True)
_i = 0
while True:
    open(f"flood/{_i}", "w").close()
    _i += 1'''
DISK_LIMIT_MB = 40
# A kernel registered with torch's dispatcher, under another module's name for torch.library:
# every hidden test's reads would go through it (red team rt5 A1).
DISPATCH = '''import torch._custom_op.impl as _ci
_L = _ci.library.Library("aten", "IMPL")
_L.impl("detach", lambda x: torch.ops.aten.alias.default(x), "CPU")'''
# torch's Python dispatcher, switched on and kept on in a global, with a Python kernel for
# aten::detach that reads every value as zeros: the student's and the reference's alike.
PY_DISPATCHER = '''_op = torch.ops.aten.detach.default
_op.py_impl(torch._C.DispatchKey.CPU)(lambda x: torch.zeros_like(x))
_kept_on = torch._C._EnablePythonDispatcher()'''
DAEMON = f'''import os, subprocess
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        subprocess.Popen(["sleep", "{MARK}"])
        os.execvp("sleep", ["sleep", "{MARK}"])
    os._exit(0)
import time
time.sleep(0.5)
answer_accumulation = "c"'''
PEEK = '''import os
_others = [p for p in os.listdir("/proc") if p.isdigit()]
answer_accumulation = "c" if len(_others) < 8 else "sees %d processes" % len(_others)'''

# A wrong choice ("b" is right) saved by a tracer that hides from the hidden test's own
# restore() (rewrites its local `trace`), rewrites check_choice's `letter` and removes itself
# before passed(); and by a patch of a grading-side class through an instance.
STEALTH_TRACE = '''answer_backward_twice = "a"
import sys

def _tr(frame, event, arg):
    name = frame.f_code.co_name
    if event == "call":
        if name == "passed" and frame.f_code.co_filename.endswith("guard.py"):
            vars(sys)["set" + "trace"](None)
            frame.f_back.f_trace = None
            return None
        return _tr if name in ("_restore_tracing", "check_choice") else None
    if event == "line":
        loc = frame.f_locals
        if name == "_restore_tracing" and loc.get("trace", _tr) is not _tr:
            loc["trace"] = _tr
        if name == "check_choice" and "letter" in loc and "correct" in loc:
            loc["letter"] = loc["correct"]
    return _tr

vars(sys)["set" + "trace"](_tr)'''
CLASS_PATCH = '''answer_backward_twice = "a"
type(globals()["hidden" + "_checks"].M).fail = lambda *a, **k: None'''


@pytest.fixture(scope="module")
def course(root):
    course = released_course(root / "build" / f"hostile-{uuid.uuid4().hex[:8]}", "01_graph", A)
    yield course
    if not os.environ.get("KEEP_TEST_COURSE"):  # keep it to look at what grading wrote
        shutil.rmtree(course.root, ignore_errors=True)


def class_answers(ref: dict) -> dict:
    subs = {"honest": ref, "wrong_only": {**ref, "forward": WRONG_FORWARD}}
    for cheat in list(CHEATS) + list(AT_CALL):
        subs[cheat] = {**ref, "forward": wrong_forward_with(cheat)}
    subs["lying_choice"] = {**ref, "answer_backward_twice": LYING_CHOICE}
    subs["stealth_trace"] = {**ref, "answer_backward_twice": STEALTH_TRACE}
    subs["class_patch"] = {**ref, "answer_backward_twice": CLASS_PATCH}
    subs["thread"] = {**ref, "forward": WRONG_FORWARD + "\n" + THREAD}
    subs["gc_callback"] = {**ref, "forward": WRONG_IN_FLOAT64 + "\n" + GC_CALLBACK}
    subs["finalizer"] = {**ref, "forward": WRONG_IN_FLOAT64 + "\n" + FINALIZER}
    subs["float64_only"] = {**ref, "forward": WRONG_IN_FLOAT64}
    subs["library_frame"] = {**ref, "grad_fn_names": LIBRARY_FRAME}
    subs["instance_patch"] = {**ref, "grad_fn_names": INSTANCE_PATCH}
    subs["no_interrupt"] = {**ref, "grad_fn_names": NO_INTERRUPT}
    subs["dispatch"] = {**ref, "forward": WRONG_FORWARD + "\n" + DISPATCH}
    subs["py_dispatcher"] = {**ref, "forward": WRONG_FORWARD + "\n" + PY_DISPATCHER}
    subs["disk_filler"] = {**ref, "grad_fn_names": DISK_FILLER}
    subs["file_flood"] = {**ref, "grad_fn_names": FILE_FLOOD}
    subs["segfault"] = {**ref, "manual_backward": "import ctypes\nctypes.string_at(0)"}
    subs["daemon"] = {**ref, "answer_accumulation": DAEMON}
    subs["peek"] = {**ref, "answer_accumulation": PEEK}
    return subs


@pytest.fixture(scope="module")
def graded(course):
    for student, answers in class_answers(reference_answers(course, A)).items():
        hand_in(course, A, student, answers)
    start = time.perf_counter()
    rows, failed = grade.grade(course, A, engine="fast", jobs=2, progress=False,
                               limits=Limits(cell_timeout=6, wall_limit=120, memory_limit_mb=1500,
                                             disk_limit_mb=DISK_LIMIT_MB))
    seconds = time.perf_counter() - start
    print(f"\nhostile class: {len(rows)} submissions graded in {seconds:.1f} s")
    table = {r.student: {k: v for k, v in r.cells.items() if k in FULL} for r in rows}
    return table, failed, attention.load(course, A)


def expect(*zeroed):
    return {k: (0.0 if k in zeroed else v) for k, v in FULL.items()}


def test_the_class_is_graded(graded):
    table, failed, _ = graded
    assert failed == {}
    assert table["honest"] == FULL
    assert table["wrong_only"] == expect("test_forward")


@pytest.mark.parametrize("cheat", sorted(set(CHEATS) - {"control_handler"}) + sorted(AT_CALL))
def test_a_cheat_never_saves_a_wrong_answer(graded, cheat):
    """The wrong forward loses its 2 points; the correct answers after the cheat keep theirs."""
    table, _, entries = graded
    assert table[cheat] == expect("test_forward"), cheat


def test_a_replaced_guard_channel_marks_every_later_test_not_graded(graded):
    table, _, entries = graded
    assert table["control_handler"] == expect(*FULL)
    mine = [e for e in entries if e.student == "control_handler" and e.kind == "tampered"]
    assert {e.cell for e in mine} == set(FULL) and all("guard" in e.reason for e in mine)


@pytest.mark.parametrize("cheat,kind", [("input_transformer", "restored"),
                                        ("execute_handler", "restored"),
                                        ("hide_gpu", "restored"),
                                        ("silence_during_test", "tampered")])
def test_what_the_guard_undid_or_refused_is_recorded(graded, cheat, kind):
    _, _, entries = graded
    mine = [e for e in entries if e.student == cheat and e.kind == kind]
    assert mine and mine[0].cell == "test_forward" and mine[0].reason


def test_the_import_path_and_finders_are_put_back_before_each_hidden_test(graded):
    _, _, entries = graded
    (first, *_) = [e for e in entries if e.student == "import_paths" and e.kind == "restored"]
    assert first.cell == "test_forward"
    assert "sys.path," in first.reason + "," and "sys.path_importer_cache" in first.reason


@pytest.mark.parametrize("cheat", ["float64_only", "gc_callback", "finalizer"])
def test_code_run_by_the_collector_during_a_test_saves_nothing(graded, cheat):
    """Collector callbacks and thresholds are put back before each hidden test, and a
    submission's code asking for a frame is refused (even from a finalizer)."""
    table, _, entries = graded
    assert table[cheat] == expect("test_forward")
    mine = " ".join(e.reason for e in entries if e.student == cheat)
    if cheat == "gc_callback":
        assert "gc.callbacks" in mine and "gc.set_threshold" in mine, mine
    if cheat == "finalizer":
        assert "sys._getframe" in mine and "(refused)" in mine, mine


def test_a_frame_handed_out_by_a_library_during_a_test_is_refused(graded):
    table, _, entries = graded
    assert table["library_frame"] == expect("test_grad_fn_names")
    mine = [e for e in entries if e.student == "library_frame" and e.kind == "tampered"]
    assert [e.cell for e in mine] == ["test_grad_fn_names"] and "sys._getframe" in mine[0].reason


def test_a_failure_switched_off_on_a_checks_object_is_put_back_after_the_call(graded):
    table, _, entries = graded
    assert table["instance_patch"] == expect("test_grad_fn_names")
    assert any(e.student == "instance_patch" and "Mistakes.fail" in e.reason for e in entries)


def test_the_notebooks_builtins_are_put_back_before_each_hidden_test(graded):
    _, _, entries = graded
    mine = [e for e in entries if e.student == "builtins_swap" and e.kind == "restored"]
    assert mine and mine[0].cell == "test_forward" and "__builtins__" in mine[0].reason


def test_a_result_shown_in_a_test_cell_is_not_read_as_its_score(graded):
    table, _, entries = graded
    assert table["result_as_score"] == expect("test_forward")
    assert any(e.student == "result_as_score" and e.kind == "tampered"
               and e.cell == "test_forward" and "score" in e.reason for e in entries)


def test_a_code_swap_of_the_tests_functions_is_refused_and_recorded(graded):
    """Assigning a check function's __code__ raises in the student's forward (an audit hook,
    course.checks.code_lock), and the test's entry says what was refused."""
    table, _, entries = graded
    assert table["code_swap"] == expect("test_forward")
    assert any(e.student == "code_swap" and e.cell == "test_forward" and "__code__" in e.reason
               and "refused" in e.reason for e in entries)


def test_a_signal_timer_is_disarmed_before_each_hidden_test_and_recorded(graded):
    _, _, entries = graded
    mine = [e for e in entries if e.student == "signal_timer" and e.kind == "restored"]
    assert mine and "signal.setitimer(ITIMER_REAL)" in mine[0].reason


def test_a_thread_left_running_makes_every_later_hidden_test_not_graded(graded):
    """A thread cannot be stopped from inside the kernel: every hidden test it could reach is
    marked not graded, with the reason, however its answers look."""
    table, _, entries = graded
    assert table["thread"] == expect(*FULL)
    mine = [e for e in entries if e.student == "thread" and e.kind == "tampered"]
    # forward's answer is wrong: its test fails on its own, unless the thread swapped the
    # check for a no-op just before the block looked it up (a race): then it is not graded
    assert set(FULL) - {"test_forward"} <= {e.cell for e in mine} <= set(FULL)
    assert all("thread" in e.reason for e in mine)


def test_honest_submissions_raise_nothing(graded):
    _, _, entries = graded
    assert [e for e in entries if e.student in ("honest", "wrong_only")] == []


def test_a_lying_string_loses_the_choice(graded):
    table, _, _ = graded
    assert table["lying_choice"] == expect("test_backward_twice")


def test_a_tracer_that_hides_from_the_hidden_tests_own_restore_saves_nothing(graded):
    """The guard removes the main thread's tracer from the control thread, before the test
    starts and where no tracer runs; the test's own restore() ran under it."""
    table, _, _ = graded
    assert table["stealth_trace"] == expect("test_backward_twice")


def test_a_grading_class_patched_through_an_instance_is_put_back_and_recorded(graded):
    table, _, entries = graded
    assert table["class_patch"] == expect("test_backward_twice")
    assert any(e.kind == "restored" and "Mistakes.fail" in e.reason
               for e in entries if e.student == "class_patch")


def test_a_crash_costs_only_the_cells_that_need_it(graded):
    """A segfault in manual_backward's cell: a fresh kernel replays the earlier cells and the
    later exercises are graded."""
    table, _, entries = graded
    assert table["segfault"] == expect("test_manual_backward")
    kinds = {e.kind for e in entries if e.student == "segfault"}
    assert {"crashed", "restarted"} <= kinds


def test_no_process_outlives_its_submission(graded):
    table, _, _ = graded
    assert table["daemon"] == FULL
    left = [p.pid for p in psutil.process_iter(["cmdline"])
            if MARK in " ".join(p.info["cmdline"] or [])]
    assert left == []


@pytest.mark.skipif(not isolation.available(), reason="no PID namespaces here")
def test_a_kernel_sees_only_its_own_processes(graded):
    table, _, _ = graded
    assert table["peek"] == FULL


def test_a_kernel_registered_with_torchs_dispatcher_is_refused_and_recorded(graded):
    table, _, entries = graded
    assert table["dispatch"] == expect("test_forward")
    assert any("torch._C._dispatch_library (refused)" in e.reason
               for e in entries if e.student == "dispatch")


def test_the_python_dispatcher_left_on_is_switched_off_and_recorded(graded):
    """Its kernels are per-thread state: the hidden-test block's own first line undoes it, and
    the guard's verdict reports that (the reset, on the control thread, cannot see it)."""
    table, _, entries = graded
    assert table["py_dispatcher"] == expect("test_forward")
    mine = [e for e in entries if e.student == "py_dispatcher" and e.kind == "restored"]
    assert mine and all("Python dispatcher" in e.reason for e in mine), mine
    assert {e.cell for e in mine} == {"test_forward"}  # the first test after the cell


@pytest.mark.parametrize("student, reason", [
    ("disk_filler", f"disk limit of {DISK_LIMIT_MB} MB for the kernel's folder exceeded"),
    ("file_flood", "more than 10000 files written in the kernel's folder")])
def test_filling_the_workers_disk_costs_the_cell_and_names_itself(graded, student, reason):
    """Files written one after another under the per-file cap, or a flood of empty ones: the
    watchdog kills the kernel, the cell that did it loses its test, the rest keep theirs."""
    table, _, entries = graded
    assert table[student] == expect("test_grad_fn_names")
    assert (("limit", "grad_fn_names", reason) in
            {(e.kind, e.cell, e.reason) for e in entries if e.student == student})


def test_a_hang_that_ignores_interrupt_costs_one_cell(graded, course):
    table, _, entries = graded
    assert table["no_interrupt"] == expect("test_grad_fn_names")
    assert {"hang", "restarted"} <= {e.kind for e in entries if e.student == "no_interrupt"}
    timeout, grace = 6, 5.0
    [out] = grade_all(course, A, "pt", ["no_interrupt"], jobs=1, progress=False,
                      limits=Limits(cell_timeout=timeout, wall_limit=120))
    print(f"\na hang that ignores SIGINT cost {out.seconds:.1f} s "
          f"(cell timeout {timeout} s + grace {grace:g} s + replay)")
    assert out.success and out.seconds < timeout + grace + 4 + 10  # iopub wait + replay


def test_the_wall_clock_limit_ends_the_submission_and_names_itself(graded, course):
    """A hang that ignores SIGINT under a per-cell timeout longer than the whole submission's
    wall-clock limit: the watchdog kills the kernel at the limit, the cell and every later
    code cell say why, and the tests that had run keep their points."""
    limit = 4
    [out] = grade_all(course, A, "pt", ["no_interrupt"], jobs=1, progress=False,
                      limits=Limits(cell_timeout=60, wall_limit=limit))
    assert out.success and out.seconds < limit + 20
    reason = f"wall-clock limit of {limit:g} s for the submission exceeded"
    assert [(i.kind, i.reason) for i in out.incidents] == [("limit", reason)]
    import nbformat

    from course import gradebook

    nb = nbformat.read(course.autograded_notebook("no_interrupt", A), as_version=4)
    died = [o for c in nb.cells for o in c.get("outputs", []) if o.get("ename") == "KernelDied"]
    assert died and all(reason in o["evalue"] for o in died)
    [row] = [r for r in gradebook.table(course, A) if r.student == "no_interrupt"]
    assert row.cells["test_forward"] == FULL["test_forward"]  # it ran before the hang
    assert row.cells["test_grad_fn_names"] == 0


def test_the_tamper_scan_flags_every_cheat_and_no_honest_work(graded, course):
    _, _, entries = graded
    flagged = {e.student for e in entries if e.kind == "flagged"}
    cheaters = set(CHEATS) | set(AT_CALL) | {"lying_choice", "daemon", "segfault", "thread"}
    assert cheaters <= flagged
    assert not flagged & {"honest", "wrong_only", "no_interrupt"}
    forward = [e for e in entries if e.student == "input_transformer" and e.kind == "flagged"]
    assert forward[0].cell == "forward" and forward[0].reason.startswith("line ")


def test_the_report_names_flagged_and_tampering_students(graded, course):
    from course.results import report

    report.main(course, A)
    html = (course.reports_dir(A) / "summary.html").read_text(encoding="utf-8")
    assert "flagged by the tamper scan" in html and "input_transformer" in html
    assert "changed the grading machinery" in html and "silence_during_test" in html
