"""Lesson 04: answers students write (keys are answer-cell grade_ids)."""
from course.lessons import Wrong

_CLASS = "class Sinc(torch.autograd.Function):\n"
# what several correct answers below end with: x saved in setup_context, the derivative by a
# series below |x| < 1e-2 (they differ in their forward)
_SAVES_X_SERIES_BACKWARD = '''
    @staticmethod
    def setup_context(ctx, inputs, output):
        ctx.save_for_backward(inputs[0])
    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        small = x.abs() < 1e-2
        safe = torch.where(small, torch.ones_like(x), x)
        x2 = x * x
        series = -x / 3 + x * x2 / 30 - x * x2 * x2 / 840
        exact = (torch.cos(safe) - torch.sin(safe) / safe) / safe
        return g * torch.where(small, series, exact)'''

WRONG = {
    "Sinc": {
        "seed style: naive formula with NaN patching": Wrong("catastrophic_cancellation", _CLASS + '''    @staticmethod
    def forward(ctx, x):
        y = torch.sin(x) / x
        y[torch.isnan(y)] = 1
        ctx.save_for_backward(x, y)
        return y

    @staticmethod
    def backward(ctx, grad_output):
        x, y = ctx.saved_tensors
        grad = torch.cos(x) / x - y / x
        grad[torch.isnan(grad)] = 0
        return grad * grad_output'''),
        "no special case: NaN at 0": Wrong("nan_at_zero", _CLASS + '''    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return torch.sin(x) / x

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * (x * torch.cos(x) - torch.sin(x)) / x ** 2'''),
        "uses torch.sinc (normalized)": Wrong("torch_sinc_normalized", _CLASS + '''    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return torch.sinc(x)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        small = x.abs() < 0.05
        safe = torch.where(small, torch.ones_like(x), x)
        d = (torch.cos(safe) - torch.sin(safe) / safe) / safe
        return grad_output * torch.where(small, -x / 3 + x ** 3 / 30, d)'''),
        "ignores grad_output": Wrong("ignores_grad_output", _CLASS + '''    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        small = x.abs() < 0.05
        safe = torch.where(small, torch.ones_like(x), x)
        return torch.where(small, 1 - x ** 2 / 6 + x ** 4 / 120, torch.sin(safe) / safe)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        small = x.abs() < 0.05
        safe = torch.where(small, torch.ones_like(x), x)
        d = (torch.cos(safe) - torch.sin(safe) / safe) / safe
        return torch.where(small, -x / 3 + x ** 3 / 30, d)'''),
        "grad_output only on the exact branch": Wrong("grad_output_ignored_near_zero", _CLASS + '''    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        small = x.abs() < 1e-2
        safe = torch.where(small, torch.ones_like(x), x)
        return torch.where(small, 1 - x ** 2 / 6 + x ** 4 / 120, torch.sin(safe) / safe)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        small = x.abs() < 1e-2
        s = torch.where(small, torch.ones_like(x), x)
        exact = grad_output * (torch.cos(s) - torch.sin(s) / s) / s
        return torch.where(small, -x / 3 + x ** 3 / 30, exact)'''),
        "derivative 1 at 0 (copied from the forward)": Wrong("nonzero_derivative_at_zero", _CLASS + '''    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        small = x.abs() < 0.05
        safe = torch.where(small, torch.ones_like(x), x)
        return torch.where(small, 1 - x ** 2 / 6 + x ** 4 / 120, torch.sin(safe) / safe)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        small = x.abs() < 0.05
        safe = torch.where(small, torch.ones_like(x), x)
        d = (torch.cos(safe) - torch.sin(safe) / safe) / safe
        d = torch.where(small, -x / 3 + x ** 3 / 30, d)
        d = torch.where(x == 0, torch.ones_like(x), d)
        return grad_output * d'''),
        "Taylor derivative with the wrong sign": Wrong("series_sign_flipped", _CLASS + '''    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        small = x.abs() < 0.05
        safe = torch.where(small, torch.ones_like(x), x)
        return torch.where(small, 1 - x ** 2 / 6 + x ** 4 / 120, torch.sin(safe) / safe)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        small = x.abs() < 0.05
        safe = torch.where(small, torch.ones_like(x), x)
        d = (torch.cos(safe) - torch.sin(safe) / safe) / safe
        return grad_output * torch.where(small, x / 3 - x ** 3 / 30, d)'''),
        "threshold far too small (1e-10)": Wrong("catastrophic_cancellation", _CLASS + '''    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        small = x.abs() < 1e-10
        safe = torch.where(small, torch.ones_like(x), x)
        return torch.where(small, 1 - x ** 2 / 6, torch.sin(safe) / safe)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        small = x.abs() < 1e-10
        safe = torch.where(small, torch.ones_like(x), x)
        d = (torch.cos(safe) - torch.sin(safe) / safe) / safe
        return grad_output * torch.where(small, -x / 3, d)'''),
        "threshold 1e-3 tuned for float64 only": Wrong("float32_threshold_too_small", _CLASS + '''    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        small = x.abs() < 1e-3
        safe = torch.where(small, torch.ones_like(x), x)
        return torch.where(small, 1 - x ** 2 / 6 + x ** 4 / 120, torch.sin(safe) / safe)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        small = x.abs() < 1e-3
        safe = torch.where(small, torch.ones_like(x), x)
        d = (torch.cos(safe) - torch.sin(safe) / safe) / safe
        return grad_output * torch.where(small, -x / 3 + x ** 3 / 30, d)'''),
        "threshold too large (0.5) for a two-term series": Wrong("forward_series_too_far", _CLASS + '''    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        small = x.abs() < 0.5
        safe = torch.where(small, torch.ones_like(x), x)
        return torch.where(small, 1 - x ** 2 / 6 + x ** 4 / 120, torch.sin(safe) / safe)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        small = x.abs() < 0.5
        safe = torch.where(small, torch.ones_like(x), x)
        d = (torch.cos(safe) - torch.sin(safe) / safe) / safe
        return grad_output * torch.where(small, -x / 3 + x ** 3 / 30, d)'''),
        "x == 0 handled, but (x cos x - sin x)/x**2 is NaN at tiny": Wrong("derivative_not_finite", _CLASS + '''    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        safe = torch.where(x == 0, torch.ones_like(x), x)
        return torch.where(x == 0, torch.ones_like(x), torch.sin(safe) / safe)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        safe = torch.where(x == 0, torch.ones_like(x), x)
        d = (safe * torch.cos(safe) - torch.sin(safe)) / safe ** 2
        return grad_output * torch.where(x == 0, torch.zeros_like(x), d)'''),
        "multiplies by a 0/1 mask instead of torch.where": Wrong("forward_not_finite", _CLASS + '''    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        m = (x.abs() < 0.05).to(x.dtype)
        safe = x + m
        return m * (1 - x ** 2 / 6 + x ** 4 / 120) + (1 - m) * torch.sin(safe) / safe

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        m = (x.abs() < 0.05).to(x.dtype)
        safe = x + m
        d = (torch.cos(safe) - torch.sin(safe) / safe) / safe
        return grad_output * (m * (-x / 3 + x ** 3 / 30) + (1 - m) * d)'''),
        "quotient rule: forgot the -sin(x)/x^2 term": Wrong("missing_quotient_term", _CLASS + '''    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        small = x.abs() < 0.05
        safe = torch.where(small, torch.ones_like(x), x)
        return torch.where(small, 1 - x ** 2 / 6 + x ** 4 / 120, torch.sin(safe) / safe)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        small = x.abs() < 0.05
        safe = torch.where(small, torch.ones_like(x), x)
        return grad_output * torch.where(small, -x / 3 + x ** 3 / 30, torch.cos(safe) / safe)'''),
        "output built with torch.tensor(list): float32 on the CPU": Wrong("wrong_dtype", _CLASS + '''    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        values = [math.sin(v) / v if v != 0 else 1.0 for v in x.flatten().tolist()]
        return torch.tensor(values).reshape(x.shape)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        small = x.abs() < 0.05
        safe = torch.where(small, torch.ones_like(x), x)
        d = (torch.cos(safe) - torch.sin(safe) / safe) / safe
        return grad_output * torch.where(small, -x / 3 + x ** 3 / 30, d)'''),
        "patches the input in place": Wrong("modified_input", _CLASS + '''    @staticmethod
    def forward(ctx, x):
        zero = x == 0
        x[zero] = 1.0
        y = torch.sin(x) / x
        y[zero] = 1.0
        ctx.save_for_backward(x)
        return y

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        small = x.abs() < 0.05
        safe = torch.where(small, torch.ones_like(x), x)
        d = (torch.cos(safe) - torch.sin(safe) / safe) / safe
        return grad_output * torch.where(small, -x / 3 + x ** 3 / 30, d)'''),
        "returns a Python float for a 0-d zero": Wrong("returned_python_number", _CLASS + '''    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        if x.dim() == 0 and x.item() == 0:
            return 1.0
        small = x.abs() < 0.05
        safe = torch.where(small, torch.ones_like(x), x)
        return torch.where(small, 1 - x ** 2 / 6 + x ** 4 / 120, torch.sin(safe) / safe)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        small = x.abs() < 0.05
        safe = torch.where(small, torch.ones_like(x), x)
        d = (torch.cos(safe) - torch.sin(safe) / safe) / safe
        return grad_output * torch.where(small, -x / 3 + x ** 3 / 30, d)'''),
        "class without the torch.autograd.Function base": Wrong("not_an_autograd_function", '''class Sinc:
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        small = x.abs() < 0.05
        safe = torch.where(small, torch.ones_like(x), x)
        return torch.where(small, 1 - x ** 2 / 6 + x ** 4 / 120, torch.sin(safe) / safe)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        small = x.abs() < 0.05
        safe = torch.where(small, torch.ones_like(x), x)
        d = (torch.cos(safe) - torch.sin(safe) / safe) / safe
        return grad_output * torch.where(small, -x / 3 + x ** 3 / 30, d)'''),
        "marks the output non-differentiable": Wrong("output_without_grad_fn", _CLASS + '''    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        small = x.abs() < 0.05
        safe = torch.where(small, torch.ones_like(x), x)
        y = torch.where(small, 1 - x ** 2 / 6 + x ** 4 / 120, torch.sin(safe) / safe)
        ctx.mark_non_differentiable(y)
        return y

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        small = x.abs() < 0.05
        safe = torch.where(small, torch.ones_like(x), x)
        d = (torch.cos(safe) - torch.sin(safe) / safe) / safe
        return grad_output * torch.where(small, -x / 3 + x ** 3 / 30, d)'''),
        "quotient rule with the subtraction reversed": Wrong("derivative_sign_flipped", _CLASS + '''    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        small = x.abs() < 0.05
        safe = torch.where(small, torch.ones_like(x), x)
        return torch.where(small, 1 - x ** 2 / 6 + x ** 4 / 120, torch.sin(safe) / safe)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        small = x.abs() < 0.05
        safe = torch.where(small, torch.ones_like(x), x)
        d = (torch.sin(safe) - safe * torch.cos(safe)) / safe ** 2
        return grad_output * torch.where(small, -x / 3 + x ** 3 / 30, d)'''),
        "derivative of the numerator only (cos x)": Wrong("derivative_of_sin_only", _CLASS + '''    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        small = x.abs() < 0.05
        safe = torch.where(small, torch.ones_like(x), x)
        return torch.where(small, 1 - x ** 2 / 6 + x ** 4 / 120, torch.sin(safe) / safe)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * torch.cos(x)'''),
        "computes the slope, then returns grad_output alone": Wrong("returns_grad_output_only", _CLASS + '''    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        small = x.abs() < 0.05
        safe = torch.where(small, torch.ones_like(x), x)
        return torch.where(small, 1 - x ** 2 / 6 + x ** 4 / 120, torch.sin(safe) / safe)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        small = x.abs() < 0.05
        safe = torch.where(small, torch.ones_like(x), x)
        d = (torch.cos(safe) - torch.sin(safe) / safe) / safe
        slope = torch.where(small, -x / 3 + x ** 3 / 30, d)
        return grad_output'''),
        "derivative series stops at -x/3": Wrong("series_truncation_error", _CLASS + '''    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        small = x.abs() < 0.05
        safe = torch.where(small, torch.ones_like(x), x)
        return torch.where(small, 1 - x ** 2 / 6 + x ** 4 / 120, torch.sin(safe) / safe)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        small = x.abs() < 0.05
        safe = torch.where(small, torch.ones_like(x), x)
        d = (torch.cos(safe) - torch.sin(safe) / safe) / safe
        return grad_output * torch.where(small, -x / 3, d)'''),
        "setup_context defined, but forward still takes ctx": Wrong("ctx_in_forward_with_setup_context", _CLASS + '''    @staticmethod
    def forward(ctx, x):
        small = x.abs() < 0.05
        safe = torch.where(small, torch.ones_like(x), x)
        return torch.where(small, 1 - x ** 2 / 6 + x ** 4 / 120, torch.sin(safe) / safe)

    @staticmethod
    def setup_context(ctx, inputs, output):
        (x,) = inputs
        ctx.save_for_backward(x)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        small = x.abs() < 0.05
        safe = torch.where(small, torch.ones_like(x), x)
        d = (torch.cos(safe) - torch.sin(safe) / safe) / safe
        return grad_output * torch.where(small, -x / 3 + x ** 3 / 30, d)'''),
        "forward(x) without setup_context": Wrong("forward_without_ctx_needs_setup_context", _CLASS + '''    @staticmethod
    def forward(x):
        small = x.abs() < 0.05
        safe = torch.where(small, torch.ones_like(x), x)
        return torch.where(small, 1 - x ** 2 / 6 + x ** 4 / 120, torch.sin(safe) / safe)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        small = x.abs() < 0.05
        safe = torch.where(small, torch.ones_like(x), x)
        d = (torch.cos(safe) - torch.sin(safe) / safe) / safe
        return grad_output * torch.where(small, -x / 3 + x ** 3 / 30, d)'''),
        "setup_context saves the inputs tuple": Wrong("setup_context_saves_tuple", _CLASS + '''    @staticmethod
    def forward(x):
        small = x.abs() < 0.05
        safe = torch.where(small, torch.ones_like(x), x)
        return torch.where(small, 1 - x ** 2 / 6 + x ** 4 / 120, torch.sin(safe) / safe)

    @staticmethod
    def setup_context(ctx, inputs, output):
        ctx.save_for_backward(inputs)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        small = x.abs() < 0.05
        safe = torch.where(small, torch.ones_like(x), x)
        d = (torch.cos(safe) - torch.sin(safe) / safe) / safe
        return grad_output * torch.where(small, -x / 3 + x ** 3 / 30, d)'''),
    },
    "answer_hook_value": {
        "dy/da at x = 2": Wrong("choice_a_hook_at_x_two", 'answer_hook_value = "a"'),
        "dy/dx": Wrong("choice_c_hook_dy_dx", 'answer_hook_value = "c"'),
        "y": Wrong("choice_d_hook_value_of_y", 'answer_hook_value = "d"'),
        "the number": Wrong("not_a_choice", "answer_hook_value = 27"),
    },
    "answer_where_grad": {
        "zero times nan is zero": Wrong("choice_a_zero_cancels_nan", 'answer_where_grad = "a"'),
        "nan spreads to every element": Wrong("choice_b_nan_everywhere",
                                              'answer_where_grad = "B"'),
        "sqrt of a negative raises": Wrong("choice_d_sqrt_negative_raises",
                                           'answer_where_grad = "d"'),
    },
    "answer_gradcheck": {
        "the wrong value at 0": Wrong("choice_a_zero_never_drawn", 'answer_gradcheck = "a"'),
        "cancellation near 0": Wrong("choice_b_error_below_atol", 'answer_gradcheck = "b"'),
        "float32 arithmetic": Wrong("choice_d_float32_within_rtol", 'answer_gradcheck = "(d)"'),
        "several letters": Wrong("not_a_choice", 'answer_gradcheck = ["a", "c"]'),
    },
}

CORRECT = {
    "Sinc": {
        "old style: forward(ctx, x) saves x, no setup_context": _CLASS + '''    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        small = x.abs() < (840 * torch.finfo(x.dtype).eps) ** (1 / 6)
        safe = torch.where(small, torch.ones_like(x), x)
        x2 = x * x
        return torch.where(small, 1 - x2 / 6 + x2 * x2 / 120, torch.sin(safe) / safe)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        small = x.abs() < (840 * torch.finfo(x.dtype).eps) ** (1 / 6)
        safe = torch.where(small, torch.ones_like(x), x)
        exact = (torch.cos(safe) - torch.sin(safe) / safe) / safe
        return grad_output * torch.where(small, -x / 3 + x * x * x / 30, exact)''',
        "setup_context saving *inputs and the output": _CLASS + '''    @staticmethod
    def forward(x):
        small = x.abs() < 0.05
        safe = torch.where(small, torch.ones_like(x), x)
        return torch.where(small, 1 - x ** 2 / 6 + x ** 4 / 120, torch.sin(safe) / safe)

    @staticmethod
    def setup_context(ctx, inputs, output):
        ctx.save_for_backward(*inputs, output)

    @staticmethod
    def backward(ctx, grad_output):
        x, y = ctx.saved_tensors
        small = x.abs() < 0.05
        safe = torch.where(small, torch.ones_like(x), x)
        return grad_output * torch.where(small, -x / 3 + x ** 3 / 30, (torch.cos(safe) - y) / safe)''',
        "fixed threshold 0.05, saves the output": _CLASS + '''    @staticmethod
    def forward(ctx, x):
        small = x.abs() < 0.05
        safe = torch.where(small, torch.ones_like(x), x)
        x2 = x * x
        y = torch.where(small, 1 - x2 / 6 + x2 * x2 / 120, torch.sin(safe) / safe)
        ctx.save_for_backward(x, y)
        return y

    @staticmethod
    def backward(ctx, grad_output):
        x, y = ctx.saved_tensors
        small = x.abs() < 0.05
        safe = torch.where(small, torch.ones_like(x), x)
        slope = torch.where(small, x * (x * x / 30 - 1 / 3), (torch.cos(safe) - y) / safe)
        return grad_output * slope''',
        "exact forward, three-term series by dtype, once_differentiable": _CLASS + '''    CUT = {torch.float16: 0.5, torch.bfloat16: 0.5, torch.float32: 0.2, torch.float64: 0.01}

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        zero = x == 0
        safe = torch.where(zero, torch.ones_like(x), x)
        return torch.where(zero, torch.ones_like(x), torch.sin(safe) / safe)

    @staticmethod
    @torch.autograd.function.once_differentiable
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        small = x.abs() < Sinc.CUT.get(x.dtype, 0.01)
        safe = torch.where(small, torch.ones_like(x), x)
        x2 = x * x
        series = x * (-1 / 3 + x2 * (1 / 30 - x2 / 840))
        exact = (safe * torch.cos(safe) - torch.sin(safe)) / (safe * safe)
        return grad_output * torch.where(small, series, exact)''',
        "torch.sinc(x / pi) in the forward, series in the backward": _CLASS + '''    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return torch.sinc(x / math.pi)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        small = x.abs() < 0.05
        safe = torch.where(small, torch.ones_like(x), x)
        exact = torch.cos(safe) / safe - torch.sin(safe) / safe ** 2
        return torch.where(small, -x / 3 + x ** 3 / 30, exact) * grad_output''',
    },
    "answer_hook_value": {"upper case": 'answer_hook_value = "B"'},
    "answer_where_grad": {"with spaces": 'answer_where_grad = " c"',
                          "in parentheses, upper case": 'answer_where_grad = " (C) "'},
    "answer_gradcheck": {"upper case": 'answer_gradcheck = "C"',
                         "letter and parenthesis": 'answer_gradcheck = "c)"'},
}

# The demo student with "plausible mistakes" gets these wrong answers (one per exercise shown).
DEMO_MISTAKES = {"Sinc": "seed style: naive formula with NaN patching",
                 "answer_where_grad": "zero times nan is zero"}


# Round 4 of student answers (rt6): differently-written correct answers and the mistakes
# they make, each run through the hidden tests by tests/lessons/test_answers.py.
CORRECT.setdefault('Sinc', {})['rt6: forward torch.sinc(x/pi)'] = '''import math
class Sinc(torch.autograd.Function):
    @staticmethod
    def forward(x):
        return torch.sinc(x / math.pi)
''' + _SAVES_X_SERIES_BACKWARD
CORRECT.setdefault('Sinc', {})['rt6: forward where(x==0, 1, sin(x)/x)'] = '''class Sinc(torch.autograd.Function):
    @staticmethod
    def forward(x):
        return torch.where(x == 0, torch.ones_like(x), torch.sin(x) / x)
''' + _SAVES_X_SERIES_BACKWARD
CORRECT.setdefault('Sinc', {})['rt6: forward clone + in-place masked fill'] = '''class Sinc(torch.autograd.Function):
    @staticmethod
    def forward(x):
        out = torch.sin(x) / x
        out[x == 0] = 1.0
        return out
''' + _SAVES_X_SERIES_BACKWARD
CORRECT.setdefault('Sinc', {})['rt6: backward returns (grad, None)'] = '''class Sinc(torch.autograd.Function):
    @staticmethod
    def forward(x):
        return torch.where(x == 0, torch.ones_like(x), torch.sin(x) / x)
    @staticmethod
    def setup_context(ctx, inputs, output):
        ctx.save_for_backward(inputs[0])
    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        small = x.abs() < 1e-2
        safe = torch.where(small, torch.ones_like(x), x)
        series = -x / 3 + x ** 3 / 30
        exact = (torch.cos(safe) - torch.sin(safe) / safe) / safe
        return g * torch.where(small, series, exact), None'''
CORRECT.setdefault('Sinc', {})['rt6: old style, ctx.save_for_backward(x) + once'] = '''from torch.autograd.function import once_differentiable
class Sinc(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        small = x.abs() < 1e-3
        safe = torch.where(small, torch.ones_like(x), x)
        return torch.where(small, 1 - x * x / 6, torch.sin(safe) / safe)
    @staticmethod
    @once_differentiable
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        small = x.abs() < 1e-2
        safe = torch.where(small, torch.ones_like(x), x)
        series = -x / 3 + x ** 3 / 30 - x ** 5 / 840
        exact = (torch.cos(safe) - torch.sin(safe) / safe) / safe
        return g * torch.where(small, series, exact)'''
CORRECT.setdefault('Sinc', {})['rt6: backward uses saved output'] = '''class Sinc(torch.autograd.Function):
    @staticmethod
    def forward(x):
        return torch.where(x == 0, torch.ones_like(x), torch.sin(x) / x)
    @staticmethod
    def setup_context(ctx, inputs, output):
        ctx.save_for_backward(inputs[0], output)
    @staticmethod
    def backward(ctx, g):
        x, s = ctx.saved_tensors
        small = x.abs() < 1e-2
        safe = torch.where(small, torch.ones_like(x), x)
        return g * torch.where(small, -x / 3 + x ** 3 / 30, (torch.cos(safe) - s) / safe)'''
WRONG.setdefault('Sinc', {})['rt6: backward series threshold 1e-2 but series -x/6'] = Wrong('series_wrong_coefficient', '''class Sinc(torch.autograd.Function):
    @staticmethod
    def forward(x):
        return torch.where(x == 0, torch.ones_like(x), torch.sin(x) / x)
    @staticmethod
    def setup_context(ctx, inputs, output):
        ctx.save_for_backward(inputs[0])
    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        small = x.abs() < 1e-2
        safe = torch.where(small, torch.ones_like(x), x)
        exact = (torch.cos(safe) - torch.sin(safe) / safe) / safe
        return g * torch.where(small, -x / 6, exact)''')

# Round 5 (rt7): correct variants a real class hands in.
CORRECT['Sinc']['rt7: ctx.x attribute instead of save_for_backward, returns a 1-tuple'] = '''class Sinc(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.x = x
        small = x.abs() < 0.05
        safe = torch.where(small, torch.ones_like(x), x)
        return torch.where(small, 1 - x**2/6 + x**4/120, torch.sin(safe)/safe)
    @staticmethod
    def backward(ctx, grad_output):
        x = ctx.x
        small = x.abs() < 0.05
        safe = torch.where(small, torch.ones_like(x), x)
        d = torch.where(small, -x/3 + x**3/30, torch.cos(safe)/safe - torch.sin(safe)/safe**2)
        return (grad_output * d,)'''
CORRECT['Sinc']['rt7: old style without @staticmethod'] = '''class Sinc(torch.autograd.Function):
    def forward(ctx, x):
        ctx.save_for_backward(x)
        small = x.abs() < 0.05
        safe = torch.where(small, torch.ones_like(x), x)
        return torch.where(small, 1 - x**2/6 + x**4/120, torch.sin(safe)/safe)
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        small = x.abs() < 0.05
        safe = torch.where(small, torch.ones_like(x), x)
        return grad_output * torch.where(small, -x/3 + x**3/30, (safe*torch.cos(safe) - torch.sin(safe))/safe**2)'''
CORRECT['Sinc']["rt7: computed in float64, cast back to x's dtype"] = '''class Sinc(torch.autograd.Function):
    @staticmethod
    def forward(x):
        xd = x.double()
        small = xd.abs() < 1e-3
        safe = torch.where(small, torch.ones_like(xd), xd)
        return torch.where(small, 1 - xd**2/6, torch.sin(safe)/safe).to(x.dtype)
    @staticmethod
    def setup_context(ctx, inputs, output):
        ctx.save_for_backward(inputs[0])
    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        xd = x.double()
        small = xd.abs() < 1e-3
        safe = torch.where(small, torch.ones_like(xd), xd)
        d = torch.where(small, -xd/3 + xd**3/30, (safe*torch.cos(safe) - torch.sin(safe))/safe**2)
        return grad_output * d.to(x.dtype)'''
CORRECT['Sinc']['rt7: boolean-mask assignment instead of torch.where'] = '''class Sinc(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        out = torch.empty_like(x)
        small = x.abs() < 0.05
        big = ~small
        out[big] = torch.sin(x[big]) / x[big]
        xs = x[small]
        out[small] = 1 - xs**2/6 + xs**4/120
        return out
    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        d = torch.empty_like(x)
        small = x.abs() < 0.05
        big = ~small
        xb = x[big]
        d[big] = (xb*torch.cos(xb) - torch.sin(xb)) / xb**2
        xs = x[small]
        d[small] = -xs/3 + xs**3/30
        return grad_output * d'''

# Round 8: a tensor built on the notebook's global `device` inside forward or backward; the
# hidden tests move it to the meta device for the whole check (Sinc.apply and the backward
# that autograd runs).  On a machine without CUDA these passed.
WRONG['Sinc']['rt8: forward builds sinc(0) = 1 on the notebook device'] = Wrong(
    'sinc_uses_notebook_device', '''class Sinc(torch.autograd.Function):
    @staticmethod
    def forward(x):
        small = x.abs() < 0.05
        one = torch.ones(x.shape, dtype=x.dtype, device=device)
        safe = torch.where(small, one, x)
        return torch.where(small, 1 - x * x / 6 + x ** 4 / 120, torch.sin(safe) / safe)

    @staticmethod
    def setup_context(ctx, inputs, output):
        ctx.save_for_backward(inputs[0])

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        small = x.abs() < 0.05
        safe = torch.where(small, torch.ones_like(x), x)
        exact = (torch.cos(safe) - torch.sin(safe) / safe) / safe
        return grad_output * torch.where(small, -x / 3 + x ** 3 / 30, exact)''')
WRONG['Sinc']['rt8: backward builds its result on the notebook device'] = Wrong(
    'sinc_uses_notebook_device', '''class Sinc(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        small = x.abs() < 0.05
        safe = torch.where(small, torch.ones_like(x), x)
        return torch.where(small, 1 - x * x / 6 + x ** 4 / 120, torch.sin(safe) / safe)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        d = torch.zeros(x.shape, dtype=x.dtype, device=device)
        small = x.abs() < 0.05
        safe = torch.where(small, torch.ones_like(x), x)
        d[small] = (-x / 3 + x ** 3 / 30)[small]
        d[~small] = ((torch.cos(safe) - torch.sin(safe) / safe) / safe)[~small]
        return grad_output * d''')
CORRECT['Sinc']['rt8: reads device only to compare it'] = '''class Sinc(torch.autograd.Function):
    @staticmethod
    def forward(x):
        dev = x.device if str(x.device) != str(device) else device
        small = x.abs() < 0.05
        safe = torch.where(small, torch.ones(x.shape, dtype=x.dtype, device=x.device), x)
        return torch.where(small, 1 - x * x / 6 + x ** 4 / 120, torch.sin(safe) / safe)

    @staticmethod
    def setup_context(ctx, inputs, output):
        ctx.save_for_backward(inputs[0])

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        small = x.abs() < 0.05
        safe = torch.where(small, torch.ones_like(x), x)
        exact = (torch.cos(safe) - torch.sin(safe) / safe) / safe
        return grad_output * torch.where(small, -x / 3 + x ** 3 / 30, exact)'''

# Round 8: a backward that multiplies grad_output in place.  Its values are right (with the
# all-ones grad_output of most checks, exactly), and it was diagnosed as "returns grad_output
# only", since the hidden test's grad_output had become the result.
WRONG['Sinc']['rt8: backward multiplies grad_output in place'] = Wrong(
    'grad_output_modified_in_place', '''class Sinc(torch.autograd.Function):
    @staticmethod
    def forward(x):
        small = x.abs() < 0.05
        safe = torch.where(small, torch.ones_like(x), x)
        return torch.where(small, 1 - x * x / 6 + x ** 4 / 120, torch.sin(safe) / safe)

    @staticmethod
    def setup_context(ctx, inputs, output):
        ctx.save_for_backward(inputs[0])

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        small = x.abs() < 0.05
        safe = torch.where(small, torch.ones_like(x), x)
        exact = (torch.cos(safe) - torch.sin(safe) / safe) / safe
        return grad_output.mul_(torch.where(small, -x / 3 + x ** 3 / 30, exact))''')
WRONG['Sinc']['rt8: backward scales grad_output with *='] = Wrong(
    'grad_output_modified_in_place', '''class Sinc(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        small = x.abs() < 0.05
        safe = torch.where(small, torch.ones_like(x), x)
        return torch.where(small, 1 - x * x / 6 + x ** 4 / 120, torch.sin(safe) / safe)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        small = x.abs() < 0.05
        safe = torch.where(small, torch.ones_like(x), x)
        grad_output *= torch.where(small, -x / 3 + x ** 3 / 30,
                                   (torch.cos(safe) - torch.sin(safe) / safe) / safe)
        return grad_output''')
# x kept on the class (or in a global, or a stack of them) instead of ctx: right whenever one
# call's backward runs before the next call, as in every check before (scored 10/10 unflagged);
# wrong as soon as two Sinc nodes share a graph
WRONG['Sinc']['x kept in a class attribute, not in ctx'] = Wrong(
    'backward_state_outside_ctx', '''class Sinc(torch.autograd.Function):
    @staticmethod
    def forward(x):
        Sinc.last_x = x
        small = x.abs() < (840 * torch.finfo(x.dtype).eps) ** (1 / 6)
        safe = torch.where(small, torch.ones_like(x), x)
        x2 = x * x
        return torch.where(small, 1 - x2 / 6 + x2 * x2 / 120, torch.sin(safe) / safe)

    @staticmethod
    def setup_context(ctx, inputs, output):
        pass

    @staticmethod
    def backward(ctx, grad_output):
        x = Sinc.last_x
        small = x.abs() < (840 * torch.finfo(x.dtype).eps) ** (1 / 6)
        safe = torch.where(small, torch.ones_like(x), x)
        exact = (torch.cos(safe) - torch.sin(safe) / safe) / safe
        return grad_output * torch.where(small, -x / 3 + x * x * x / 30, exact)''')
WRONG['Sinc']['a stack of saved inputs, popped by backward'] = Wrong(
    'backward_state_outside_ctx', '''SAVED = []
class Sinc(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        SAVED.append(x)
        small = x.abs() < 0.01
        safe = torch.where(small, torch.ones_like(x), x)
        return torch.where(small, 1 - x * x / 6 + x ** 4 / 120, torch.sin(safe) / safe)

    @staticmethod
    def backward(ctx, grad_output):
        x = SAVED.pop()
        small = x.abs() < 0.01
        safe = torch.where(small, torch.ones_like(x), x)
        exact = (torch.cos(safe) - torch.sin(safe) / safe) / safe
        return grad_output * torch.where(small, -x / 3 + x ** 3 / 30, exact)''')

# Honest answers written differently (round 9): each passes the tightened hidden tests.
CORRECT.setdefault('Sinc', {})['rt9: old style, float64 x, sin and cos saved, dtype on ctx'] = '''class Sinc(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        xd = x.to(torch.float64)
        s, c = torch.sin(xd), torch.cos(xd)
        small = xd.abs() < 1e-3
        safe = torch.where(small, torch.ones_like(xd), xd)
        ctx.save_for_backward(xd, s, c)
        ctx.dtype = x.dtype
        return torch.where(small, 1 - xd * xd / 6 + xd ** 4 / 120, s / safe).to(x.dtype)
    @staticmethod
    def backward(ctx, g):
        xd, s, c = ctx.saved_tensors
        small = xd.abs() < 1e-3
        safe = torch.where(small, torch.ones_like(xd), xd)
        d = torch.where(small, -xd / 3 + xd ** 3 / 30, (c - s / safe) / safe)
        return (g.double() * d).to(ctx.dtype)'''
