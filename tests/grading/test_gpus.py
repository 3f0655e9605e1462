"""On a machine with several GPUs, each kernel is given one (spread over the class, stable per
student), so that many workers do not all crowd GPU 0; with one GPU or none nothing changes.
Tested as far as a CPU allows: the choice, and that it reaches the kernel before CUDA starts."""
from __future__ import annotations

import nbformat
import pytest
import torch

from conftest import fresh_python, hand_in, reference_answers, released_course
from course.grading import gpus
from course.grading.engine import grade_all
from course.grading.runner import _kernel_env
from course.grading.task import Task

pytestmark = pytest.mark.filterwarnings("ignore:.*not in session.*")


@pytest.fixture
def fresh(monkeypatch):
    cached = gpus.visible
    cached.cache_clear()
    yield monkeypatch
    cached.cache_clear()


@pytest.mark.parametrize("listed,expected", [
    ("2,3", ("2", "3")), ("", ()), ("0,-1,2", ("0",)), ("GPU-ab, GPU-cd", ("GPU-ab", "GPU-cd"))])
def test_the_gpus_are_those_cuda_visible_devices_names(fresh, listed, expected):
    fresh.setenv("CUDA_VISIBLE_DEVICES", listed)
    assert gpus.visible() == expected


def test_without_the_variable_the_gpus_are_counted(fresh):
    fresh.delenv("CUDA_VISIBLE_DEVICES", raising=False)
    fresh.setattr(gpus, "device_nodes", lambda: 3)
    fresh.setattr(torch.cuda, "device_count", lambda: 3)
    assert gpus.visible() == ("0", "1", "2")


def test_with_fewer_than_two_gpu_nodes_torch_is_not_asked(fresh):
    fresh.delenv("CUDA_VISIBLE_DEVICES", raising=False)
    fresh.setattr(gpus, "device_nodes", lambda: 1)

    def asked():
        raise AssertionError("torch asked")

    fresh.setattr(torch.cuda, "device_count", asked)
    assert gpus.visible() == () and gpus.for_student("ana") is None


@pytest.mark.parametrize("nodes,expected", [
    ([], 0), (["nvidiactl", "nvidia-uvm", "nvidia-modeset", "null"], 0),
    (["nvidiactl", "nvidia0"], 1), (["nvidia0", "nvidia1", "nvidia-uvm-tools"], 2),
    (["kfd", "dri/renderD128", "dri/card0"], 1), (["nvidia0", "dri/renderD128"], 2),
    (["dxg"], 2)])
def test_gpu_device_nodes_bound_how_many_gpus_there_are(tmp_path, nodes, expected):
    for name in nodes:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).touch()
    assert gpus.device_nodes(tmp_path) == expected


def test_a_worker_does_not_import_torch_to_choose_a_gpu():
    """Only the zygote imports torch: a worker that did would pay 1.5 s of CPU for nothing
    (more than its share of a class's whole overhead)."""
    imported = fresh_python(
        "import json, os, sys\n"
        "os.environ.pop('CUDA_VISIBLE_DEVICES', None)\n"
        "from course.grading import gpus, runner\n"
        "from course.grading.task import Task\n"
        "few = gpus.device_nodes() < 2\n"
        "runner._kernel_env(Task('ana', {}))\n"
        "print(json.dumps([few, 'torch' in sys.modules]))\n")
    if not imported[0]:
        pytest.skip("this machine has several GPU device nodes: torch is rightly asked")
    assert imported == [True, False]


def test_kernels_are_spread_over_several_gpus_and_stay_put(fresh):
    fresh.setattr(gpus, "visible", lambda: ("0", "1", "2", "3"))
    students = [f"student{i:03d}" for i in range(200)]
    chosen = [gpus.for_student(s) for s in students]
    counts = {g: chosen.count(g) for g in ("0", "1", "2", "3")}
    assert min(counts.values()) >= 30, counts  # 50 each on average
    assert chosen == [gpus.for_student(s) for s in students]  # the same next time
    fresh.setattr(gpus, "visible", lambda: ("0",))
    assert gpus.for_student("ana") is None  # one GPU: the kernel sees what the worker sees
    fresh.setattr(gpus, "visible", lambda: ())
    assert gpus.for_student("ana") is None
    assert "CUDA_VISIBLE_DEVICES" not in _kernel_env(Task("ana", {}))


@pytest.mark.slow
def test_the_chosen_gpu_reaches_the_kernel(fresh, tmp_path):
    """Set in the kernel's environment before any cell runs (CUDA reads it at first use)."""
    # as a machine with two GPUs tells its workers (forked or spawned, whichever the pool is)
    fresh.setenv("CUDA_VISIBLE_DEVICES", "0,1")
    a = "01_graph_pt"
    course = released_course(tmp_path / "c", "01_graph", a)
    ref = reference_answers(course, a)
    shows = "import os\nprint('GPU-SEEN', os.environ.get('CUDA_VISIBLE_DEVICES'))\n"
    students = ["ana", "bia", "caio", "duda"]
    for student in students:
        hand_in(course, a, student, {**ref, "forward": shows + ref["forward"]})
    outs = grade_all(course, a, "pt", students, jobs=1, progress=False, use_sandbox=False)
    assert all(o.success for o in outs), [o.reason for o in outs]
    for student in students:
        nb = nbformat.read(course.autograded_notebook(student, a), as_version=4)
        text = "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", []))
        chosen = gpus.for_student(student)
        assert chosen in ("0", "1") and f"GPU-SEEN {chosen}\n" in text, (student, text[-300:])
