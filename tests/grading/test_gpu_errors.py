"""A hidden test that failed with a GPU error is put before the instructor (which submission,
which cell, how to grade it again): the cause may be the grading machine, not the answer.  On a
CPU the error is raised by the answer itself, in the words torch uses."""
from __future__ import annotations

import pytest
from nbformat.v4 import new_code_cell, new_output

from conftest import hand_in, reference_answers, released_course
from course import attention
from course.grading import grade, gpu_errors

pytestmark = pytest.mark.filterwarnings("ignore:.*not in session.*")


def failed_cell(ename: str, evalue: str, traceback: list[str]):
    cell = new_code_cell("check()")
    cell.outputs = [new_output("stream", name="stdout", text="CUDA error: in a print only\n"),
                    new_output("error", ename=ename, evalue=evalue, traceback=traceback)]
    return cell


@pytest.mark.parametrize("ename,evalue,excerpt", [
    ("OutOfMemoryError", "CUDA out of memory. Tried to allocate 2.00 GiB", "CUDA out of memory"),
    ("CheckFailed", ("forward levantou AcceleratorError: CUDA error: device-side assert "
                     "triggered"), "device-side assert"),
    ("RuntimeError", "CUBLAS_STATUS_EXECUTION_FAILED when calling `cublasSgemm`",
     "CUBLAS_STATUS_EXECUTION_FAILED"),
])
def test_a_gpu_failure_is_recognised_in_an_error_output(ename, evalue, excerpt):
    found = gpu_errors.reason(failed_cell(f"\x1b[0;31m{ename}\x1b[0m", evalue, []))
    assert found is not None and excerpt in found and "\x1b" not in found


def test_an_ordinary_failure_or_a_printed_word_is_not_a_gpu_failure():
    assert gpu_errors.reason(failed_cell("CheckFailed", "dJ/dw errado", [])) is None
    assert gpu_errors.reason(failed_cell("AssertionError", "", ["assert x == 2"])) is None
    quoted = ["    except torch.OutOfMemoryError:  # the answer's own source, in the traceback"]
    assert gpu_errors.reason(failed_cell("ValueError", "shapes differ", quoted)) is None
    printed_only = new_code_cell("print('CUDA error')")
    printed_only.outputs = [new_output("stream", name="stdout", text="CUDA error\n")]
    assert gpu_errors.reason(printed_only) is None


BROKEN_GPU = '''def manual_backward(x, w, y):
    raise RuntimeError("CUDA error: an illegal memory access was encountered")'''


@pytest.mark.slow
def test_a_gpu_error_in_a_hidden_test_is_on_the_attention_list(tmp_path):
    a = "01_graph_pt"
    course = released_course(tmp_path / "c", "01_graph", a)
    ref = reference_answers(course, a)
    hand_in(course, a, "ana", ref)
    hand_in(course, a, "bia", {**ref, "manual_backward": BROKEN_GPU})
    rows, not_graded = grade.grade(course, a, jobs=1, progress=False)
    assert not_graded == {}
    gpu = [e for e in attention.load(course, a) if e.kind == "gpu"]
    assert [(e.student, e.cell, e.step) for e in gpu] == [("bia", "test_manual_backward", "grade")]
    assert "illegal memory access" in gpu[0].reason and "--jobs" in gpu[0].reason
    scores = {r.student: r.cells["test_manual_backward"] for r in rows}
    assert scores == {"ana": 3, "bia": 0}  # the score stays nbgrader's
