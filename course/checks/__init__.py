"""The hidden tests' shared library, imported inside grading kernels (never by a student
notebook): devices, calling an answer safely, tensor comparison, and mistakes as data.

Each lesson's own hidden tests live with the lesson (`course/lessons/<slug>/checks.py`) and
declare their mistakes in `mistakes.py` beside it.  References are computed with
torch.autograd on randomized inputs (fixed seeds), in float64, on every available device;
failures raise `CheckFailed` carrying a mistake id, with a message in the notebook's language
and no traceback (so neither the test code nor reference values leak).
"""
from . import pristine  # noqa: F401  (snapshot first, before anything can be patched)
from .core import devices  # noqa: F401
from .mistakes import CheckFailed, Message, Mistakes  # noqa: F401
