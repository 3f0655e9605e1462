"""On a CUDA GPU (skipped, not failed, without one), through the real grading engine: the hidden
tests of a graded class run on the GPU too (an answer wrong only on CUDA loses its points there
and nowhere else); a CUDA error that wrecks one submission's context leaves the next submission
of the same worker untouched; kernels of workers sharing a GPU cannot take more than their share
of its memory, and a lone worker's kernel can.  Run them with `pytest -m cuda`."""
from __future__ import annotations

from pathlib import Path

import pytest
import torch
from conftest import fresh_python, hand_in, printed, reference_answers, released_course

from course import gradebook
from course.grading import sandbox
from course.grading.engine import grade_all

pytestmark = [pytest.mark.cuda, pytest.mark.slow,
              pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU"),
              pytest.mark.filterwarnings("ignore:.*not in session.*")]

SLUG, A = "01_graph", "01_graph_pt"

# Right on the CPU, 0.1% off on CUDA: only a hidden test that really runs on the GPU sees it.
WRONG_ONLY_ON_CUDA = '''def manual_backward(x, w, y):
    with torch.no_grad():
        e = x * w - y
    g = 2 * e
    dw = (g * x).sum().reshape(w.shape)
    if x.is_cuda:
        dw = dw * 1.001
    return {"e2": torch.ones_like(e), "e": g, "y_pred": g.clone(), "w": dw}'''

# The GPU hidden from the hidden tests by the first answer cell, before any of them started CUDA
# (torch.cuda.is_available() reads CUDA_VISIBLE_DEVICES at each call until then).
HIDE_GPU = '''
import os
os.environ["CUDA_VISIBLE_DEVICES"] = ""'''

# An out-of-bounds index on the GPU: a device-side assert, after which every CUDA call of this
# process fails ("unspecified launch failure" / "device-side assert triggered").
POISON = '''
try:
    _i = torch.tensor([7], device="cuda")
    torch.zeros(2, device="cuda")[_i]
    torch.cuda.synchronize()
    print("CUDA-STATE: still fine")
except Exception as _err:
    print("CUDA-STATE: broken by", type(_err).__name__)
'''

# How much of the GPU this kernel can take: 60% of it, refused under a 45% share.
GRAB = '''
try:
    _big = torch.empty(int(torch.cuda.get_device_properties(0).total_memory * 0.6),
                       dtype=torch.uint8, device="cuda")
    del _big
    torch.cuda.empty_cache()
    print("GPU-CAP: none")
except torch.cuda.OutOfMemoryError:
    print("GPU-CAP: held")
'''


def graded(path: Path, answers: dict[str, dict], jobs: int, use_sandbox: bool | None = None
           ) -> tuple[dict, dict, dict]:
    """Grade these students (in this order) on `jobs` local workers: per-cell scores and what
    each autograded notebook printed, and the kinds of incident each had."""
    course = released_course(path, SLUG, A)
    for student, own in answers.items():
        hand_in(course, A, student, own)
    outs = grade_all(course, A, "pt", list(answers), jobs=jobs, progress=False,
                     use_sandbox=use_sandbox)
    assert all(o.success for o in outs), [o.reason for o in outs]
    incidents = {o.student: [i.kind for i in o.incidents] for o in outs}
    said = {student: printed(course, A, student) for student in answers}
    return {r.student: r.cells for r in gradebook.table(course, A)}, said, incidents


@pytest.fixture(scope="module")
def ref(tmp_path_factory):
    return reference_answers(released_course(tmp_path_factory.mktemp("ref"), SLUG, A), A)


@pytest.mark.parametrize("use_sandbox", [True, False], ids=["sandboxed", "unsandboxed"])
def test_a_graded_class_runs_its_hidden_tests_on_the_gpu(ref, tmp_path, monkeypatch, use_sandbox):
    """In the sandbox too: bwrap's fresh /dev has no GPU unless its device nodes are passed."""
    if use_sandbox and not sandbox.available():
        pytest.skip("bubblewrap is not usable here")
    answers = {"solution": ref, "cuda_only_wrong": {**ref, "manual_backward": WRONG_ONLY_ON_CUDA},
               "gpu_hidden": {**ref, "forward": ref["forward"] + HIDE_GPU,
                              "manual_backward": WRONG_ONLY_ON_CUDA}}
    on_gpu, _, _ = graded(tmp_path / "gpu", answers, jobs=1, use_sandbox=use_sandbox)
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "")  # the same class, with no GPU to be seen
    on_cpu, _, _ = graded(tmp_path / "cpu", answers, jobs=1, use_sandbox=use_sandbox)
    assert on_gpu["solution"] == on_cpu["solution"]
    assert on_gpu["solution"]["test_manual_backward"] == 3
    assert on_cpu["cuda_only_wrong"]["test_manual_backward"] == 3  # right where there is no GPU
    assert on_gpu["cuda_only_wrong"]["test_manual_backward"] == 0  # caught on the GPU
    assert on_gpu["gpu_hidden"]["test_manual_backward"] == 0  # the GPU is given back
    rest = lambda cells: {g: s for g, s in cells.items() if g != "test_manual_backward"}
    assert rest(on_gpu["cuda_only_wrong"]) == rest(on_cpu["cuda_only_wrong"])


def test_a_cuda_error_in_one_submission_does_not_poison_the_next(ref, tmp_path):
    poisoned = {**ref, "forward": ref["forward"] + "\n" + POISON}
    answers = {"poisoned": poisoned, "solution": ref, "poisoned_again": poisoned,
               "solution_again": ref}
    # one worker: one submission after another
    cells, said, incidents = graded(tmp_path / "c", answers, jobs=1)
    assert "CUDA-STATE: broken by" in said["poisoned"], said["poisoned"]
    assert "CUDA-STATE: broken by" in said["poisoned_again"], said["poisoned_again"]
    assert cells["solution"] == cells["solution_again"]
    assert (cells["solution"]["test_forward"], cells["solution"]["test_manual_backward"]) == (2, 3)
    assert cells["poisoned"]["test_manual_backward"] == 0  # its own context is broken: its loss
    assert "gpu" in incidents["poisoned"] and "gpu" not in incidents["solution"]  # told


def test_workers_sharing_the_gpu_hold_to_their_share_and_a_lone_worker_does_not(ref, tmp_path):
    grabbing = {**ref, "forward": ref["forward"] + "\n" + GRAB}
    _, shared, _ = graded(tmp_path / "two", {"a": grabbing, "b": ref}, jobs=2)  # 0.45 each
    _, alone, _ = graded(tmp_path / "one", {"a": grabbing}, jobs=1)
    assert "GPU-CAP: held" in shared["a"], shared["a"]
    assert "GPU-CAP: none" in alone["a"], alone["a"]


def test_a_kernels_share_is_enforced_from_its_first_cuda_use():
    code = ("import torch, json\n"
            "from course.grading import kernel_app\n"
            "kernel_app.kernel_settings(None, {'COURSE_GPU_MEMORY_FRACTION': '0.05'})\n"
            "before = torch.cuda.is_initialized()\n"
            "total = torch.cuda.get_device_properties(0).total_memory\n"
            "small = torch.empty(int(total * 0.01), dtype=torch.uint8, device='cuda')\n"
            "try:\n"
            "    torch.empty(int(total * 0.1), dtype=torch.uint8, device='cuda')\n"
            "    big = 'allowed'\n"
            "except torch.cuda.OutOfMemoryError:\n"
            "    big = 'refused'\n"
            "print(json.dumps([before, big]))")
    assert fresh_python(code) == [False, "refused"]
