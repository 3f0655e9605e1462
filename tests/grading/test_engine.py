"""The fast grading engine on a batch of adversarial submissions (lesson 01, pt): each one
loses exactly the points it should, with a recorded reason, the rest of the batch is graded
normally, and ordinary submissions get the same grades as plain `nbgrader autograde`."""
from __future__ import annotations

import shutil
import uuid

import nbformat
import pytest

from conftest import scratch_course
from course import attention
from course.authoring import build, release
from course.authoring.lesson_format import read_lesson
from course.authoring.notebooks import fill, solutions
from course.grading import grade, sandbox
from course.grading.engine import Limits
from course.lessons import lesson_file

pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore:.*not in session.*")]

A = "01_graph_pt"
FULL = {"test_forward": 2.0, "test_manual_backward": 3.0, "test_grad_fn_names": 3.0,
        "test_backward_twice": 1.0, "test_accumulation": 1.0}

HARD_CODED = '''def manual_backward(x, w, y):
    return {"e2": torch.ones_like(x), "e": torch.tensor([0., -2., -4., -6.], device=x.device),
            "y_pred": torch.tensor([0., -2., -4., -6.], device=x.device),
            "w": torch.tensor([-28.], device=x.device)}'''
MONKEYPATCH = HARD_CODED + '''

import builtins
import importlib
import course.checks.core as _core
import course.checks.mistakes as _mistakes
import course.lessons as _lessons
_graph = importlib.import_module("course.lessons.01_graph.checks")
torch.allclose = lambda *a, **k: True
torch.equal = lambda *a, **k: True
builtins.abs = lambda v: 0
_core.close = lambda *a, **k: True
_core.fail = lambda *a, **k: None
_core.expect_close = lambda *a, **k: None
_mistakes.raise_mistake = lambda *a, **k: None
_graph.M.fail = lambda *a, **k: None
_graph.check_manual_backward = lambda *a, **k: None
_lessons.load_checks = lambda slug: type("Fake", (), {"__getattr__": lambda s, n: (lambda *a, **k: None)})()'''
WARNING = '''def forward(x, w, y):
    y_pred = x * w
    _ = y_pred.grad
    e = y_pred - y
    e2 = e ** 2
    return y_pred, e, e2, e2.sum()'''


def snoop(root):
    return f'''import os
try:
    seen = os.listdir({str(root / "source")!r}) + [open({str(root / "gradebook.db")!r}, "rb").read(16)]
except OSError:
    seen = []
answer_accumulation = "c" if not any(seen) else "leaked"'''


@pytest.fixture(scope="module")
def course(root):
    """A scratch course outside /tmp (the sandbox hides /tmp anyway, which would prove nothing)."""
    course = scratch_course(root / "build" / f"test-course-{uuid.uuid4().hex[:8]}")
    files = build.build_all([read_lesson(lesson_file("01_graph"))])
    build.write_tree(files, course.source_dir)
    release.generate(course, A)
    yield course
    shutil.rmtree(course.root, ignore_errors=True)


def submissions(course):
    src = nbformat.read(course.source_notebook(A), as_version=4)
    rel = nbformat.read(course.release_notebook(A), as_version=4)
    ref = solutions(src)
    return rel, ref, {
        "solution": ref,
        "blank": None,
        "hard_coded": {**ref, "manual_backward": HARD_CODED},
        "monkeypatch": {**ref, "manual_backward": MONKEYPATCH},
        "warning": {**ref, "forward": WARNING},
        "infinite_loop": {**ref, "grad_fn_names": "def grad_fn_names(t):\n    while True:\n        pass"},
        "os_exit": {**ref, "answer_accumulation": "import os\nos._exit(3)"},
        "memory_bomb": {**ref, "answer_accumulation": "hog = bytearray(3 * 2**30)\nanswer_accumulation = 'c'"},
        "million_lines": {**ref, "answer_backward_twice": "for i in range(10**6):\n    print(i)\nanswer_backward_twice = 'b'"},
        "snoop": {**ref, "answer_accumulation": snoop(course.root)},
    }


def write(course, student, nb):
    target = course.submitted_notebook(student, A)
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, target)


@pytest.fixture(scope="module")
def fast_results(course):
    rel, _, subs = submissions(course)
    for student, answers in subs.items():
        write(course, student, rel if answers is None else fill(rel, answers))
    rows, failed = grade.grade(course, A, engine="fast", jobs=2,
                               limits=Limits(cell_timeout=8, wall_limit=120,
                                             memory_limit_mb=1500), progress=False)
    table = {r.student: {k: v for k, v in r.cells.items() if k in FULL} for r in rows}
    return table, failed, attention.load(course, A)


def expect(**zeroed):
    return {k: (0.0 if k in zeroed else v) for k, v in FULL.items()}


def test_whole_batch_is_graded(fast_results):
    table, failed, _ = fast_results
    assert failed == {}
    assert table["solution"] == FULL
    assert table["blank"] == {k: 0.0 for k in FULL}


@pytest.mark.parametrize("student,zeroed", [
    ("hard_coded", ["test_manual_backward"]),
    ("monkeypatch", ["test_manual_backward"]),
    ("warning", []),
    ("infinite_loop", ["test_grad_fn_names"]),
    ("os_exit", ["test_accumulation"]),
    ("memory_bomb", ["test_accumulation"]),
])
def test_adversarial_submission_loses_exactly_its_points(fast_results, student, zeroed):
    table, _, _ = fast_results
    assert table[student] == expect(**{z: 0 for z in zeroed})


@pytest.mark.skipif(not sandbox.available(), reason="bubblewrap not usable here")
def test_sandbox_hides_source_and_gradebook(fast_results):
    table, _, _ = fast_results
    assert table["snoop"] == FULL


def test_million_lines_do_not_break_the_batch(fast_results, course):
    table, _, _ = fast_results
    others = {k: v for k, v in table["million_lines"].items() if k != "test_backward_twice"}
    assert others == {k: v for k, v in FULL.items() if k != "test_backward_twice"}
    size = course.autograded_notebook("million_lines", A).stat().st_size
    assert size < 3_000_000


@pytest.mark.parametrize("student,kind,cell", [
    ("infinite_loop", "timeout", "test_grad_fn_names"),
    ("os_exit", "crashed", "answer_accumulation"),
    ("memory_bomb", "limit", "answer_accumulation"),
])
def test_incidents_are_recorded_with_reason_and_cell(fast_results, student, kind, cell):
    _, _, entries = fast_results
    mine = [e for e in entries if e.student == student and e.kind == kind]
    assert mine and mine[0].cell == cell and mine[0].reason


def test_fast_engine_gives_plain_nbgrader_grades(fast_results, course):
    """Same grades per cell as `nbgrader autograde` for ordinary submissions."""
    table, _, _ = fast_results
    plain = scratch_course(course.root.parent / (course.root.name + "-plain"))
    plain_root = plain.root
    shutil.copytree(course.source_dir, plain.source_dir)
    for student in ("solution", "blank", "hard_coded", "warning"):
        shutil.copytree(course.submitted_dir / student, plain.submitted_dir / student)
    try:
        release.generate(plain, A)
        rows, failed = grade.grade(plain, A, engine="nbgrader")
        assert failed == {}
        plain_cells = {r.student: {k: v for k, v in r.cells.items() if k in FULL} for r in rows}
        assert plain_cells == {s: table[s] for s in plain_cells}
        for student in plain_cells:  # each cell numbered as nbgrader numbers it (In [n])
            counts = [[c.get("execution_count") for c in nbformat.read(
                          where.autograded_dir / student / A / f"{A}.ipynb", 4).cells
                       if c.cell_type == "code"] for where in (plain, course)]
            assert counts[0] == counts[1] and any(counts[0]), student
    finally:
        shutil.rmtree(plain_root, ignore_errors=True)
