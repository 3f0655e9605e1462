"""Shared machinery of the hidden tests: devices, calling an answer, localized failures, and
comparisons on plain data.

A submission runs in the same interpreter as the hidden tests, so what it returns can lie: a
`torch.Tensor` subclass whose `__torch_function__`/`__torch_dispatch__` makes `allclose` or `<=`
say True, a torch function or dispatch mode that intercepts every torch call, a `str`/`list`
subclass or any object whose `__eq__`/`__bool__`/`__len__`/`__iter__` says what suits it,
torch or numpy functions patched.  So:

- `call` runs the student's function, then `pristine.settle`s: the modes it pushed are popped,
  the tracers it set removed, the torch/numpy/builtins attributes it patched put back.
- The converters accept exact types only (`type(x) is ...`; never `isinstance`, which asks
  `x.__class__`) and copy values through torch's and Python's own C code, so no method of the
  student's object ever runs: `as_plain`/`plain_tensor` (exactly `torch.Tensor` or
  `torch.nn.Parameter`, without a Python dispatch key, read with `torch._C.TensorBase`'s own
  methods inside `untouchable()`), `floats`, `plain_float` (a float, or a subclass such as
  `numpy.float64` read through `float.__float__`), `plain_str`, `plain_str_list`,
  `plain_items`, `plain_dict`.
- Verdicts are decided on those copies in Python: a tensor becomes a list of Python floats
  (float64, so the same IEEE arithmetic torch's float64 ops do) compared with `-`, `<=` and
  `math.isfinite`.  No torch function, mode or subclass is ever asked whether two things are
  equal; for the course's small tensors it is also fast.  Torch ops a check runs on plain copies
  (masks, sums) go inside `untouchable()`: no `__torch_function__` (subclasses and modes), no
  `__torch_dispatch__` (subclasses and modes).
- Failure messages show a student's value through `short`/`shown`: plain copies, builtin
  scalars, or a type's name — never the student's `repr`.

What a student's function does *while* it runs is theirs; what it leaves behind is undone by
`call`, and everything else the tests do (references, comparisons) happens after that.

The library's parts, one job each: `plain` (plain copies and how values are shown),
`calling` (calling an answer, `Snapshot`, devices and random inputs), `watch` (the "no
autograd" contract), `compare` (verdicts), `choice` (multiple choice).  This module is the
hidden tests' one import: every name a lesson's `checks.py` uses.
"""
from .calling import (
    Snapshot,
    answer_globals,
    call,
    devices,
    NOTEBOOK_DEVICE,
    generator,
    holds_meta,
    notebook_device_moved,
    randn,
    reads_global,
    swapped_global,
)
from .choice import check_choice, normalize_choice
from .compare import close, equal, expect_close, expect_tensor
from .generic import GENERIC, HINT, fail
from .mistakes import CheckFailed, Message, Mistakes, raise_mistake
from .plain import (
    as_plain,
    contrast,
    floats,
    is_plain_tensor,
    plain_dict,
    plain_float,
    plain_items,
    plain_str,
    plain_str_list,
    plain_tensor,
    short,
    shown,
    type_name,
    untouchable,
)
from .watch import (
    TORCH_FUNC_REFUSES,
    autograd_watch,
    backward_runs,
    call_counting_backward,
    call_with_scaled_gradients,
    call_without_autograd,
    expect_backward,
)

__all__ = [
    "CheckFailed",
    "GENERIC",
    "HINT",
    "Message",
    "Mistakes",
    "Snapshot",
    "answer_globals",
    "TORCH_FUNC_REFUSES",
    "as_plain",
    "autograd_watch",
    "backward_runs",
    "call",
    "call_counting_backward",
    "call_with_scaled_gradients",
    "call_without_autograd",
    "check_choice",
    "close",
    "contrast",
    "devices",
    "equal",
    "expect_backward",
    "expect_close",
    "expect_tensor",
    "fail",
    "floats",
    "generator",
    "is_plain_tensor",
    "normalize_choice",
    "plain_dict",
    "plain_float",
    "plain_items",
    "plain_str",
    "plain_str_list",
    "plain_tensor",
    "raise_mistake",
    "randn",
    "reads_global",
    "short",
    "shown",
    "swapped_global",
    "NOTEBOOK_DEVICE",
    "holds_meta",
    "notebook_device_moved",
    "type_name",
    "untouchable",
]
