"""The tamper scan (grading.tamper): each family of attack is flagged with its kind and line,
aliases and magics included; the lesson's own code and every reference solution are not."""
from __future__ import annotations

import copy
import time

import nbformat
import pytest

from course.cells import grade_id, role
from course.grading.tamper import KINDS, Flag, scan_notebook, scan_source
from course.lessons import slugs


def found(source: str) -> set[tuple[int, str]]:
    flags = scan_source(source)
    for line, kind, detail in flags:
        assert kind in KINDS and detail.endswith("`.") and "`" in detail, (line, kind, detail)
    return {(line, kind) for line, kind, _ in flags}


def check_case(source: str, line: int, kind: str) -> None:
    got = found(source)
    assert (line, kind) in got, f"expected {kind} at line {line} in {source!r}, got {got}"


SHELL = [
    ("get_ipython().events.register('pre_run_cell', f)", 1, "ipython_shell"),
    ("x = 1\nshell = get_ipython\nshell().run_cell('1')", 2, "ipython_shell"),
    ("import IPython", 1, "ipython_shell"),
    ("from IPython.core.interactiveshell import InteractiveShell", 1, "ipython_shell"),
    ("import ipykernel.kernelbase", 1, "ipython_shell"),
    ("x = 1\nsh.input_transformers_cleanup.clear()", 2, "ipython_shell"),
    ("x = 1\nsh.ast_transformers.append(T())", 2, "ipython_shell"),
    ("x = 1\nsh.set_custom_exc((Exception,), h)", 2, "ipython_shell"),
    ("x = 1\nkernel.shell_handlers['execute_request'] = h", 2, "ipython_shell"),
    ("x = 1\nkernel.control_handlers.clear()", 2, "ipython_shell"),
    ("x = 1\nsh.showtraceback = lambda *a, **k: None", 2, "ipython_shell"),
    ("x = 1\nb = __builtins__", 2, "monkeypatch"),
    ("def get_ipython():\n    return None", 1, "ipython_shell"),
]

SYS = [
    ("import sys\nsys.modules['torch'] = fake", 2, "sys_modules"),
    ("import sys\nsys.modules.update({'torch': fake})", 2, "sys_modules"),
    ("import sys\nsys.modules.pop('course.checks.guard')", 2, "sys_modules"),
    ("import sys\ndel sys.modules['torch']", 2, "sys_modules"),
    ("import sys\nsys.modules.setdefault('x', m)", 2, "sys_modules"),
    ("import sys\nguard = sys.modules['course.checks.guard']", 2, "sys_modules"),
    ("import sys\nsys.settrace(tracer)", 2, "trace"),
    ("import sys\nsys.setprofile(tracer)", 2, "trace"),
    ("import threading\nthreading.settrace(tracer)", 2, "trace"),
    ("import threading\nthreading.setprofile(tracer)", 2, "trace"),
    ("import sys\nsys.displayhook = hook", 2, "sys_hook"),
    ("import sys\ndef f(x):\n    sys.displayhook(2.0)", 3, "sys_hook"),
    ("from sys import displayhook as d\nd(2.0)", 1, "sys_hook"),
    ("import sys\nsys.excepthook = hook", 2, "sys_hook"),
    ("import sys\nsys.stdout = open('/dev/null', 'w')", 2, "sys_hook"),
    ("import sys\nsys.stderr = io.StringIO()", 2, "sys_hook"),
]

TORCH_OVERRIDE = [
    # autograd's engine reached directly: a "by hand" exercise's watch cannot see it
    ("import torch\nengine = torch.autograd.Variable._execution_engine", 2, "torch_override"),
    ("x = 1\ne.run_backward((t,), (g,), False, False, (), False)", 2, "torch_override"),
    ("import torch\ntorch._C._enter_dual_level()", 2, "torch_override"),
    ("class T(torch.Tensor):\n    @classmethod\n"
     "    def __torch_function__(cls, f, t, a=(), k=None):\n        return True", 3,
     "torch_override"),
    ("class T:\n    def __torch_dispatch__(self, *a):\n        pass", 2, "torch_override"),
    ("import torch\nfrom torch.overrides import TorchFunctionMode", 2, "torch_override"),
    ("from torch.utils._python_dispatch import TorchDispatchMode", 1, "torch_override"),
    ("import torch\nclass M(torch.overrides.TorchFunctionMode):\n    pass", 2, "torch_override"),
    ("import torch\ntorch.overrides.has_torch_function((x,))", 2, "torch_override"),
    ("import torch\nx = torch.Tensor.__torch_function__", 2, "torch_override"),
    # a kernel registered with the dispatcher, under other names than torch.library
    ("import torch._custom_op.impl as ci\nL = ci.library.Library('aten', 'IMPL')", 2,
     "torch_override"),
    ("from torch._library import custom_ops", 1, "torch_override"),
    ("x = 1\nlib = mod.Library('aten', 'IMPL')", 2, "torch_override"),
    ("x = 1\nop.py_impl(key)(fn)", 2, "torch_override"),
    ("x = 1\nguard = C._EnablePythonDispatcher()", 2, "torch_override"),
]

PROCESS = [
    ("import os\nos.fork()", 2, "process"),
    ("import os\nos.forkpty()", 2, "process"),
    ("import os\nos.setsid()", 2, "process"),
    ("import os\nos.kill(os.getppid(), 9)", 2, "process"),
    ("import os\nos.killpg(0, 9)", 2, "process"),
    ("import os\nos._exit(0)", 2, "process"),
    ("import os\nos.system('ls')", 2, "process"),
    ("import os\nos.popen('ls').read()", 2, "process"),
    ("import os\nos.execv('/bin/sh', ['sh'])", 2, "process"),
    ("import os\nos.spawnlp(os.P_NOWAIT, 'sh', 'sh')", 2, "process"),
    ("import pty", 1, "process"),
    ("import subprocess\nsubprocess.run(['ls'])", 2, "process"),
    ("import multiprocessing as mp\np = mp.Process(target=f)", 2, "process"),
    ("import threading\nthreading.Thread(target=f).start()", 2, "process"),
    ("import _thread\n_thread.start_new_thread(f, ())", 2, "process"),
    ("from concurrent.futures import ThreadPoolExecutor", 1, "process"),
    ("import asyncio\nasyncio.create_subprocess_shell('ls')", 2, "process"),
    ("import signal\nsignal.signal(signal.SIGALRM, h)", 2, "signal"),
    ("from signal import alarm\nalarm(1)", 2, "signal"),
]

MEMORY = [
    ("import ctypes", 1, "ctypes"),
    ("x = 1\nimport ctypes.util", 2, "ctypes"),
    ("from cffi import FFI", 1, "ctypes"),
    ("import gc\nobjs = gc.get_objects()", 2, "memory_introspection"),
    ("import gc\ngc.get_referrers(check)", 2, "memory_introspection"),
    ("import inspect\nframe = inspect.currentframe()", 2, "memory_introspection"),
    ("import inspect\nfor info in inspect.stack():\n    pass", 2, "memory_introspection"),
    ("import sys\nf = sys._getframe(1)", 2, "memory_introspection"),
    ("import sys\nframes = sys._current_frames()", 2, "memory_introspection"),
    ("x = 1\ncells = fn.__closure__", 2, "memory_introspection"),
    ("x = 1\nns = frame.f_back.f_locals", 2, "memory_introspection"),
    ("x = 1\nns = frame.f_globals", 2, "memory_introspection"),
]

DYNAMIC = [
    ("exec('x = 1')", 1, "dynamic_code"),
    ("x = 1\neval(text)", 2, "dynamic_code"),
    ("code = compile(src, 'f', 'exec')", 1, "dynamic_code"),
    ("import importlib", 1, "dynamic_import"),
    ("m = __import__('os')", 1, "dynamic_import"),
    ("import pkgutil\ns = pkgutil.resolve_name('sig' + 'nal')", 2, "dynamic_import"),
    # the grading package's modules reached by name: lesson 06's tolerances were widened so
    ("x = 1\nimport pydoc\nC = pydoc.locate(name)", 3, "dynamic_import"),
    ("from pickle import loads\nC = loads(data)", 2, "dynamic_import"),
    ("x = 1\nfrom unittest import mock\nmock.patch.dict(name, d)", 3, "dynamic_import"),
    ("import inspect\ndef f(m):\n    return inspect.getmodule(m)", 3, "dynamic_import"),
    ("import builtins", 1, "monkeypatch"),
    ("x = 1\nexec('import subprocess')", 2, "process"),  # a literal is scanned too
]

GRADER = [
    ("import course", 1, "grader_import"),
    ("from course.checks.guard import passed", 1, "grader_import"),
    ("x = 1\nimport course.checks.pristine as p", 2, "grader_import"),
    ("import nbgrader.api", 1, "grader_import"),
    # the hidden tests' source read from the installed package (red team rt5 A3)
    ("x = 1\nsrc = open(root + '/course/lessons/01_graph/checks.py').read()", 2, "grader_import"),
    ("import glob\nglob.glob(sp + '/__editable__*finder.py')", 2, "grader_import"),
    ("x = 1\nhidden_checks.check_forward = lambda *a: None", 2, "grader_import"),
    ("_hidden_tests_passed('test_forward')", 1, "grader_import"),
    ("x = 1\nname = 'course.lessons.06_jacobian.checks'", 2, "grader_import"),
]

MONKEYPATCH = [
    # the environment chooses the hidden tests' devices: CUDA_VISIBLE_DEVICES emptied hid the GPU
    ("import os\nos.environ['CUDA_VISIBLE_DEVICES'] = ''", 2, "monkeypatch"),
    ("from os import environ\nenviron.update(CUDA_VISIBLE_DEVICES='')", 2, "monkeypatch"),
    ("import os\nos.putenv('CUDA_VISIBLE_DEVICES', '')", 2, "monkeypatch"),
    # a namespace handed over whole, or a name looked up by a computed string
    ("import sys\nvars(sys)['set' + 'trace'](f)", 2, "monkeypatch"),
    # an attribute name assembled from pieces hides which one (a function's code, a frame's
    # globals), whatever the object
    ("x = 1\nsetattr(check, '__co' + 'de__', noop)", 2, "monkeypatch"),
    ("x = 1\ng = getattr(frame, f'f_{kind}')", 2, "monkeypatch"),
    ("x = 1\ng = getattr(frame, ''.join(['f_glob', 'als']))", 2, "monkeypatch"),
    ("import sys\nsys.__dict__['settrace'](f)", 2, "monkeypatch"),
    ("x = 1\ntype(globals()['hidden' + '_checks'].M).fail = f", 2, "monkeypatch"),
    ("x = 1\ny = vars(type(f))['f_' + 'locals']", 2, "monkeypatch"),
    ("import torch\ntorch.allclose = lambda *a, **k: True", 2, "monkeypatch"),
    ("import torch\ntorch.Tensor.__eq__ = lambda a, b: True", 2, "monkeypatch"),
    ("import builtins\nbuiltins.print = lambda *a: None", 2, "monkeypatch"),
    ("import torch\nsetattr(torch, 'allclose', f)", 2, "monkeypatch"),
    ("import torch\nsetattr(torch.Tensor, '__eq__', f)", 2, "monkeypatch"),
    ("import torch\ndelattr(torch.Tensor, 'allclose')", 2, "monkeypatch"),
    ("import math\nmath.isclose = f", 2, "monkeypatch"),
    ("x = 1\n__builtins__.abs = f", 2, "monkeypatch"),
    ("import torch\nvars(torch)['allclose'] = f", 2, "monkeypatch"),
    ("x = 1\nobj.__class__ = Fake", 2, "monkeypatch"),
    ("import torch\nf = getattr(torch, 'allclose')", 2, "monkeypatch"),
    ("x = 1\nf = getattr(obj, '__eq__')", 2, "monkeypatch"),
    ("class Liar(torch.Tensor):\n    def __eq__(self, other):\n        return True", 1,
     "lying_comparison"),
    ("class Liar(float):\n    def __abs__(self):\n        return 0.0", 1, "lying_comparison"),
    ("class Liar(str):\n    def __ne__(self, other):\n        return False", 1, "lying_comparison"),
    ("class Liar(list):\n    def __len__(self):\n        return 3", 1, "lying_comparison"),
    ("class Point:\n    def __eq__(self, other):\n        return True", 1, "lying_comparison"),
    ("class Truthy:\n    def __bool__(self):\n        return True", 1, "lying_comparison"),
    ("class Fake:\n    __class__ = torch.Tensor", 1, "lying_comparison"),
]

ALIASES = [
    ("import os as o\no.fork()", 2, "process"),
    ("from os import fork as f\nx = 1\nf()", 3, "process"),
    ("from sys import modules\nmodules['x'] = y", 2, "sys_modules"),
    ("s = __import__('sys')\ns.modules['x'] = 1", 2, "sys_modules"),
    ("import importlib\ns = importlib.import_module('sys')\ns.settrace(f)", 3, "trace"),
    ("import torch as t\nT = t.Tensor\nT.__eq__ = f", 3, "monkeypatch"),
    ("from torch import nn\nnn.functional.mse_loss = f", 2, "monkeypatch"),
    ("import sys\ng = getattr(sys, '_getframe')\ng(1)", 2, "memory_introspection"),
    ("import torch\ntorch.os.system('ls')", 2, "process"),
    ("ip = get_ipython()\nx = 1\nip.input_transformers_post.append(f)", 3, "ipython_shell"),
    ("e = eval\nx = 1\ne('1')", 3, "dynamic_code"),
    ("import gc as g\nx = 1\ng.get_referents(check)", 3, "memory_introspection"),
    ("def f():\n    import os as o\n    return o.fork()", 3, "process"),
]

MAGICS = [
    ("x = 1\n!ls -la", 2, "magic"),
    ("x = 1\nfiles = !ls", 2, "magic"),
    ("x = 1\n!!ls", 2, "magic"),
    ("%%bash\necho hi", 1, "magic"),
    ("%%script bash\necho hi", 1, "magic"),
    ("x = 1\n%env SECRET=1", 2, "magic"),
    ("x = 1\n%run other.py", 2, "magic"),
    ("x = 1\n%load other.py", 2, "magic"),
    ("x = 1\n%load_ext autoreload", 2, "magic"),
    ("x = 1\n%pip install evil", 2, "magic"),
    ("x = 1\n%time import subprocess", 2, "process"),  # a Python magic's code is scanned
    ("%%capture out\nx = 1\nimport os\nos.system('ls')", 4, "process"),
    ("%%capture\nx = 1\n!ls", 3, "magic"),
    ("x = 1\ny = 2\nget_ipython().system('ls')", 3, "ipython_shell"),  # typed, not a magic
]

UNPARSABLE = [
    ("def f(:\n    pass", 1, "unparsable"),
    ("x = 1\ny = (", 2, "unparsable"),
    ("x = 1\n  y = 2", 2, "unparsable"),
    ("x = " + "(" * 500 + ")" * 500, 1, "unparsable"),
    ("x = " + "-" * 100_000 + "1", 1, "unparsable"),
]


@pytest.mark.parametrize("source, line, kind", SHELL)
def test_ipython_shell(source, line, kind):
    check_case(source, line, kind)


@pytest.mark.parametrize("source, line, kind", SYS)
def test_sys_modules_trace_and_hooks(source, line, kind):
    check_case(source, line, kind)


@pytest.mark.parametrize("source, line, kind", TORCH_OVERRIDE)
def test_torch_override(source, line, kind):
    check_case(source, line, kind)


@pytest.mark.parametrize("source, line, kind", PROCESS)
def test_processes_threads_and_signals(source, line, kind):
    check_case(source, line, kind)


@pytest.mark.parametrize("source, line, kind", MEMORY)
def test_ctypes_and_memory_introspection(source, line, kind):
    check_case(source, line, kind)


@pytest.mark.parametrize("source, line, kind", DYNAMIC)
def test_dynamic_code_and_imports(source, line, kind):
    check_case(source, line, kind)


@pytest.mark.parametrize("source, line, kind", GRADER)
def test_grader_imports(source, line, kind):
    check_case(source, line, kind)


@pytest.mark.parametrize("source, line, kind", MONKEYPATCH)
def test_monkeypatch_and_lying_comparisons(source, line, kind):
    check_case(source, line, kind)


@pytest.mark.parametrize("source, line, kind", ALIASES)
def test_aliases_are_followed(source, line, kind):
    check_case(source, line, kind)


@pytest.mark.parametrize("source, line, kind", MAGICS)
def test_magics_and_shell_escapes(source, line, kind):
    check_case(source, line, kind)


@pytest.mark.parametrize("source, line, kind", UNPARSABLE)
def test_a_cell_that_does_not_parse_is_a_flag(source, line, kind):
    check_case(source, line, kind)
    assert next(d for ln, k, d in scan_source(source) if k == kind).startswith(
        "The cell ")


def test_exec_says_literal_or_computed():
    (_, _, literal), = [f for f in scan_source("exec('x = 1')") if f[1] == "dynamic_code"]
    (_, _, computed), = [f for f in scan_source("exec(s)") if f[1] == "dynamic_code"]
    assert "literal string" in literal and "computed" in computed


def test_a_low_severity_class_says_so():
    (_, _, detail), = scan_source("class P:\n    def __eq__(self, o):\n        return True")
    assert "low severity" in detail


LOOKALIKES = [
    "model.eval()\nJ_eval = loss.item()",
    "import re\npattern = re.compile('x+')",
    "import torch\nf = torch.compile(g)",
    "import gc\ngc.collect()",
    "import sys\nsys.stdout.write('hi')\nprint(sys.version)",
    "import os\npath = os.path.join(d, 'x.txt')\nfiles = os.listdir(d)",
    "from IPython.display import display, clear_output\nclear_output(wait=True)",
    "h = t.register_hook(lambda g: g * 2)\nh.remove()",
    "class Sinc(torch.autograd.Function):\n    @staticmethod\n    def forward(ctx, x):\n"
    "        ctx.save_for_backward(x)\n        return x",
    "class Data(Dataset):\n    def __len__(self):\n        return 3",
    "saved = getattr(fn, ('_saved_self', '_saved_other')[slot], None)",
    "signal = torch.sin(x)\nprint(signal.mean())",
    "def f(signal):\n    return signal.mean()",
    "plt.rcParams['axes.grid'] = True",
    "w.grad = None\nmodel.a.data = torch.zeros(1)",
    "# import subprocess; os.fork()\ntext = 'exec(eval(get_ipython()))'",
    "%matplotlib inline\n%time y = f(x)",
    "x?",
]


@pytest.mark.parametrize("source", LOOKALIKES)
def test_lookalikes_do_not_flag(source):
    assert scan_source(source) == []


# -- the course's own notebooks ----------------------------------------------------------------

def notebooks(root, folder):
    paths = sorted(root.glob(f"{folder}/*/*.ipynb"))
    assert len(paths) == 2 * len(slugs()), paths
    return paths


def test_no_flag_on_reference_solutions_and_lesson_code(root):
    """Instructor notebooks, solutions included; hidden-test blocks are skipped."""
    for path in notebooks(root, "source"):
        assert scan_notebook(nbformat.read(path, as_version=4)) == [], path.name


def test_no_flag_on_release_notebooks(root):
    for path in notebooks(root, "release"):
        nb = nbformat.read(path, as_version=4)
        assert scan_notebook(nb) == [], path.name
        assert scan_notebook(nb, released=nb) == [], path.name


def test_hidden_test_blocks_are_what_is_skipped(root):
    """The hidden blocks themselves would flag (they import the grading package): the scan is
    clean on source notebooks because it skips them, and only in test cells."""
    nb = nbformat.read(notebooks(root, "source")[0], as_version=4)
    test_cell = next(c for c in nb.cells if role(c) == "test" and "### BEGIN HIDDEN" in c.source)
    assert {k for _, k, _ in scan_source(test_cell.source)} == {"grader_import"}
    answer = next(c for c in nb.cells if role(c) == "answer")
    answer.source += "\n### BEGIN HIDDEN TESTS\nimport ctypes\n### END HIDDEN TESTS"
    assert [f.kind for f in scan_notebook(nb)] == ["ctypes"]


CHEAT = 'get_ipython().input_transformers_post.append(lambda lines: ["pass\\n"])'


@pytest.fixture
def release_01(root):
    return nbformat.read(root / "release/01_graph_pt/01_graph_pt.ipynb", as_version=4)


def test_a_realistic_cheat_is_flagged_at_its_cell_and_line(release_01):
    student = copy.deepcopy(release_01)
    answer = next(c for c in student.cells if grade_id(c) == "forward")
    answer.source = ("def forward(x, w, y):\n"
                     "    y_pred = x * w\n"
                     "    e = y_pred - y\n"
                     "    e2 = e ** 2\n"
                     "    return y_pred, e, e2, e2.sum()\n"
                     "\n" + CHEAT + "\n")
    flags = scan_notebook(student, released=release_01)
    assert len(flags) == 1, flags
    (flag,) = flags
    assert (flag.cell, flag.line, flag.kind) == ("forward", 7, "ipython_shell")
    assert "input_transformers_post" in flag.detail
    assert isinstance(flag, Flag)


def test_a_student_notebook_is_scanned_across_cells(release_01):
    """Aliases carry from cell to cell; an added cell is named by its index; redefining a name
    of the locked helper cell is a flag; an honest answer is not."""
    student = copy.deepcopy(release_01)
    answers = [c for c in student.cells if role(c) == "answer"]
    answers[0].source = "def forward(x, w, y):\n    return x, x, x, x.sum()"
    answers[1].source = "import os as o\n\ndef check(*a, **k):\n    pass"
    added = nbformat.v4.new_code_cell("x = 1\no.fork()")
    student.cells.insert(student.cells.index(answers[2]), added)
    index = student.cells.index(added) + 1
    flags = {(f.cell, f.line, f.kind) for f in scan_notebook(student, released=release_01)}
    assert flags == {(grade_id(answers[1]), 3, "monkeypatch"), (f"cell {index}", 2, "process")}


@pytest.mark.parametrize("html", [
    "<script>fetch('/formgrader/api/grade/1', {method: 'PUT'})</script>",
    "<img src=x onerror=\"steal()\">", "[see](javascript:steal())", "<IFRAME src=//evil>"])
def test_a_written_answer_that_would_run_in_the_graders_browser_is_flagged(release_01, html):
    """Formgrader shows markdown cells as HTML, unsanitized (its template ignores nbconvert's
    sanitize_html there), in the grader's session: a script can set scores.  Honest markdown,
    a comparison included, and the lesson's own text are not flagged."""
    student = copy.deepcopy(release_01)
    manual = next(c for c in student.cells if role(c) == "manual")
    manual.source = "Acumula porque x < y e a > b.\n\n" + html
    added = nbformat.v4.new_markdown_cell("**Note**: a <b>bold</b> claim, 2 < 3")
    student.cells.insert(1, added)
    flags = [(f.cell, f.line, f.kind) for f in scan_notebook(student, released=release_01)]
    assert flags == [(grade_id(manual), 3, "active_html")]


def test_speed_of_scanning_all_release_notebooks(root, capsys):
    nbs = [nbformat.read(p, as_version=4) for p in notebooks(root, "release")]
    scan_notebook(nbs[0])  # IPython's transformer is imported once, not timed
    start = time.perf_counter()
    for nb in nbs:
        scan_notebook(nb)
    elapsed = time.perf_counter() - start
    with capsys.disabled():
        print(f"\ntamper scan: {len(nbs)} release notebooks in {elapsed * 1000:.0f} ms")


def _tagged_like(cell, source):
    """A new code cell carrying a copy of `cell`'s nbgrader metadata (what a student can do)."""
    new = nbformat.v4.new_code_cell(source)
    new.metadata = copy.deepcopy(cell.metadata)
    return new


@pytest.mark.parametrize("source", ["d = vars(obj)\nd['a']", "globals()['x'] = 1",
                                    "v = vars(model)"])
def test_literal_namespace_lookups_are_not_flagged(source):
    assert found(source) == set()


def test_metadata_the_student_wrote_exempts_nothing(release_01):
    """An extra cell tagged as the locked helper, or as a test cell with the code between
    hidden-test markers, is scanned like any other: repair keeps one copy of a grade_id and
    runs the other as the student's code."""
    student = copy.deepcopy(release_01)
    helper = next(c for c in student.cells if grade_id(c) == "helpers")
    test = next(c for c in student.cells if role(c) == "test")
    student.cells.append(_tagged_like(helper, "import ctypes"))
    student.cells.append(_tagged_like(
        test, "### BEGIN HIDDEN TESTS\nimport os\nos.fork()\n### END HIDDEN TESTS"))
    kinds = [(f.cell, f.kind) for f in scan_notebook(student, released=release_01)]
    assert kinds == [("helpers", "ctypes"), (grade_id(test), "process")]


def test_an_edited_helper_is_flagged_for_what_the_student_changed_only(release_01):
    student = copy.deepcopy(release_01)
    helper = next(c for c in student.cells if grade_id(c) == "helpers")
    helper.source += "\nimport ctypes\n"
    flags = scan_notebook(student, released=release_01)
    assert [(f.cell, f.kind) for f in flags] == [("helpers", "ctypes")]
    assert flags[0].line == len(helper.source.rstrip("\n").splitlines())


def test_a_very_long_attribute_chain_scans_quickly():
    """Every slice of every prefix of `a.b.….b` was tried against the rules: 12 chains of 400
    parts stalled `course grade` for two minutes before grading anyone."""
    import time

    source = "def _unused():\n" + "".join(f"    _{i} = a{'.b' * 400}\n" for i in range(12))
    start = time.perf_counter()
    scan_source(source)
    assert time.perf_counter() - start < 5


def _slow_cell(lines: int = 1500) -> str:
    """A never-called function of long attribute chains: many nodes, nothing flagged."""
    return "def _unused():\n" + "".join(f"    _{i} = a{'.b' * 40}\n" for i in range(lines))


def test_a_notebook_past_its_scan_budget_is_flagged_where_the_scan_stopped(release_01):
    """The scan runs before anyone is graded: a notebook built to stall it stops at its
    budget with a flag naming the cell reached and how many cells were left unscanned."""
    student = copy.deepcopy(release_01)
    answers = [c for c in student.cells if role(c) == "answer"]
    answers[0].source = "import ctypes"   # before the slow cell: scanned
    answers[1].source = _slow_cell()
    answers[2].source = "import ctypes"   # after it: never reached
    after = sum(c.cell_type == "code" for c in student.cells[student.cells.index(answers[1]) + 1:])
    flags = scan_notebook(student, released=release_01, budget_s=0.3)
    assert [(f.cell, f.kind) for f in flags] == [(grade_id(answers[0]), "ctypes"),
                                                 (grade_id(answers[1]), "scan_incomplete")]
    assert f"the {after} code cell(s) after it were not scanned" in flags[-1].detail
    assert "its limit per notebook is 0.3 s" in flags[-1].detail
    assert flags[-1].detail.endswith("`.")
    # with time enough the same notebook is scanned to the end
    full = scan_notebook(student, released=release_01, budget_s=600)
    assert [f.kind for f in full] == ["ctypes", "ctypes"]


def test_a_scan_that_fails_on_one_notebook_names_it_and_scans_the_others(tmp_path,
                                                                          monkeypatch):
    """A bug in the scan must not stop the class's grading, nor go unnoticed."""
    from conftest import hand_in, released_course

    from course import attention
    from course.grading import grade as grading
    from course.grading import tamper

    course = released_course(tmp_path / "c", "01_graph", "01_graph_pt")
    hand_in(course, "01_graph_pt", "ana", None)
    hand_in(course, "01_graph_pt", "bia", {"forward": "import ctypes"})
    real = tamper.scan_notebook

    def scan(nb, released=None, **kw):
        if any("import ctypes" in "".join(c.get("source", "")) for c in nb.cells):
            return real(nb, released, **kw)
        raise ValueError("boom")

    monkeypatch.setattr(tamper, "scan_notebook", scan)
    assert grading.scan_submissions(course, "01_graph_pt", ["ana", "bia"]) == 2
    entries = {(e.student, e.reason.split("[")[-1]) for e in attention.load(course, "01_graph_pt")}
    assert entries == {("ana", "scan_failed]"), ("bia", "ctypes]")}
    (failed,) = [e for e in attention.load(course, "01_graph_pt") if e.student == "ana"]
    assert "ValueError: boom" in failed.reason and failed.step == "scan"


def test_a_cell_of_many_shell_escapes_is_scanned_in_time_linear_in_its_length():
    """IPython's transformer re-read the whole cell for every `!`/`%` line: 150 escapes and
    20,000 lines took 88 s to scan, before anyone was graded.  Each is now rewritten alone."""
    source = "\n".join(["!true"] * 150 + [f"x{i} = {i}" for i in range(20_000)]
                       + ["import ctypes", "if x1:", "    %time y = 1"])
    found = scan_source(source)
    assert (1, "magic") in {(line, kind) for line, kind, _ in found}
    assert (20_151, "ctypes") in {(line, kind) for line, kind, _ in found}


def test_shell_escapes_mean_the_same_rewritten_one_by_one():
    from course.grading.tamper.scanner import ipython_text

    lines = ["!ls", "x = !echo hi", "%time z = 1", "a != b", "    !pwd", "y = 2"] * 5
    source = "\n".join(lines)
    from IPython.core.inputtransformer2 import TransformerManager

    assert ipython_text(source) == TransformerManager().transform_cell(source)


@pytest.mark.parametrize("source,line,kind", [
    ("_b = dict(vars(len.__self__))", 1, "monkeypatch"),
    ("globals().update({'__builtins__': {}})", 1, "monkeypatch"),
    ("_imp = vars(b)['__import__']", 1, "dynamic_import"),
    ("from operator import attrgetter as _ag\nback = _ag('f_back')", 2, "memory_introspection"),
    ("import operator\nname = 'f_' + 'back'\nget = operator.attrgetter(name)", 3, "monkeypatch"),
    ("code = f.__getattribute__('f_code')", 1, "memory_introspection"),
    ("import logging as lg\nf = lg.currentframe()", 2, "memory_introspection"),
])
def test_names_reached_through_strings_or_bound_builtins_are_flagged(source, line, kind):
    """The red team reached gc, sys and frames with no flagged name: the builtins module as
    `len.__self__`, `__import__` from its namespace, frame attributes through attrgetter."""
    assert (line, kind) in found(source), found(source)
