"""The hidden-test helpers catch a wrong gradient on every device they claim to test."""
from __future__ import annotations

import pytest
import torch

from course.checks import CheckFailed, core
from course.lessons import load_checks

graph = load_checks("01_graph")


def reference_manual_backward(x, w, y):
    e = x * w - y
    return {"e2": torch.ones_like(e), "e": 2 * e, "y_pred": 2 * e,
            "w": (2 * e * x).sum().reshape(w.shape)}


def wrong_on(device_type):
    def manual_backward(x, w, y):
        grads = reference_manual_backward(x, w, y)
        if x.device.type == device_type:
            grads["w"] = grads["w"] * 1.001
        return grads
    return manual_backward


def test_reference_passes():
    graph.check_manual_backward(reference_manual_backward, "pt")


def test_wrong_gradient_on_cpu_is_caught():
    with pytest.raises(CheckFailed, match="dJ|manual_backward"):
        graph.check_manual_backward(wrong_on("cpu"), "pt")


@pytest.mark.cuda
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
def test_wrong_gradient_only_on_cuda_is_caught():
    assert "cuda" in core.devices()
    with pytest.raises(CheckFailed):
        graph.check_manual_backward(wrong_on("cuda"), "es")


@pytest.mark.cuda
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
def test_result_left_on_cpu_for_cuda_input_is_caught():
    def forward(x, w, y):
        y_pred = (x * w).cpu()
        e = y_pred - y.cpu()
        return y_pred, e, e ** 2, (e ** 2).sum()
    with pytest.raises(CheckFailed, match="cuda"):
        graph.check_forward(forward, "pt")


def test_failure_renders_message_only_in_the_language():
    with pytest.raises(CheckFailed) as info:
        graph.check_backward_twice("a", "es")
    rendered = info.value._render_traceback_()
    # the wrong option's own explanation, in Spanish (never the Portuguese one)
    assert rendered[0].startswith("CheckFailed: ") and "borra" in rendered[0]
    assert "apaga" not in rendered[0]
    assert not any("check_choice" in line or "File " in line for line in rendered)


def test_snapshot_catches_in_place_changes():
    w = torch.ones(2, requires_grad=True)
    snap = core.Snapshot(w=w)
    with torch.no_grad():
        w.add_(1)
    with pytest.raises(CheckFailed, match="modificó"):
        snap.verify("es", "f")


def test_student_exception_becomes_a_readable_failure():
    def boom(*a):
        raise ValueError("shapes do not match")
    with pytest.raises(CheckFailed, match="levantou ValueError: shapes do not match"):
        core.call("pt", "forward", boom)


def _train_without_moving():
    """Lesson 05's reference `train` without its line that moves each batch to the model's
    device (batches used where the loader left them)."""
    from course.authoring.lesson_format import read_lesson
    from course.cells import solution_text
    from course.lessons import lesson_file

    lesson = read_lesson(lesson_file("05_linear_regression"))
    source = solution_text(next(c.source for c in lesson.cells_for("pt")
                                if c.grade_id == "train"))
    kept = [line for line in source.splitlines() if ".to(model_device)" not in line]
    assert len(kept) == len(source.splitlines()) - 1  # the one line that moves the batches
    namespace = {"torch": torch}
    exec("\n".join(kept), namespace)
    return namespace["train"]


def test_train_is_checked_with_cpu_batches_for_a_model_on_another_device():
    """`train` must move each batch to the model's device: its hidden test hands it a loader of
    CPU tensors (as a DataLoader usually yields) and a model on the device under test."""
    linreg = load_checks("05_linear_regression")
    model, loader, _ = linreg._setup(91, "meta", 10, 4, {"lr": 0.05}, "line")
    xb, yb = next(iter(loader))
    assert (xb.device.type, yb.device.type) == ("cpu", "cpu")
    assert {p.device.type for p in model.parameters()} == {"meta"}


@pytest.mark.cuda
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
def test_train_that_never_moves_its_batches_fails_on_cuda():
    linreg = load_checks("05_linear_regression")
    with pytest.raises(CheckFailed) as info:
        linreg.check_train(_train_without_moving(), "pt")
    assert info.value.mistake == "train_mixed_devices"


def test_train_that_never_moves_its_batches_passes_where_there_is_only_a_cpu():
    """On a CPU the batches are already where the model is (nothing to tell apart)."""
    if torch.cuda.is_available():
        pytest.skip("with CUDA the test above applies")
    load_checks("05_linear_regression").check_train(_train_without_moving(), "pt")


# Where a check computes its reference from inputs after calling the answer, the answer must not
# be able to change them: x and y zeroed in place made gd_autograd's reference "w0 and a history
# of zeros"; v zeroed made vjp's v @ J zeros; grad_output zeroed made Sinc's g · sinc'(x) zeros;
# x zeroed made LinearModel's a * x + b (and its gradients) those of a model returning b.
# Each wrong answer passed its test cell that way.
VJP_ZEROES_V = """def vjp(f, x, v):
    with torch.no_grad():
        v.zero_()
    return torch.zeros(x.shape, dtype=x.dtype, device=x.device)"""
SINC_ZEROES_GRAD_OUTPUT = """class Sinc(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        safe = torch.where(x == 0, torch.ones_like(x), x)
        return torch.where(x == 0, torch.ones_like(x), torch.sin(safe) / safe)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        with torch.no_grad():
            grad_output.zero_()
        return torch.zeros_like(x)"""
LINEAR_MODEL_ZEROES_X = """from torch import nn
class LinearModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Parameter(torch.randn(1))
        self.b = nn.Parameter(torch.randn(1))

    def forward(self, x):
        with torch.no_grad():
            x.zero_()
        return self.b.expand(x.shape) + 0 * self.a"""
CHANGES_ITS_INPUTS = {
    "LinearModel": ("05_linear_regression", "check_LinearModel_forward", LINEAR_MODEL_ZEROES_X,
                    "modified_input"),
    "gd_autograd": ("03_gradient_descent", "check_gd_autograd", None, "modified_input"),
    "vjp": ("06_jacobian", "check_vjp_values", VJP_ZEROES_V, "modified_input"),
    "Sinc": ("04_custom_function", "check_sinc_grad_output", SINC_ZEROES_GRAD_OUTPUT,
             "grad_output_modified_in_place"),
}


@pytest.mark.parametrize("name", sorted(CHANGES_ITS_INPUTS))
def test_a_check_whose_reference_reads_the_inputs_after_the_call_sees_them_changed(name):
    from course.lessons import load_answers

    slug, check, code, mistake = CHANGES_ITS_INPUTS[name]
    if code is None:
        code = load_answers(slug).WRONG[name][
            "x and y zeroed in place, w0 and zeros returned"].code
    namespace = {"torch": torch}
    exec(code, namespace)
    with pytest.raises(CheckFailed) as failed:
        getattr(load_checks(slug), check)(namespace[name], "pt")
    assert failed.value.mistake == mistake
