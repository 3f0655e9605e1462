"""Hidden-test helpers: exist only on the grading side, imported inside `### BEGIN HIDDEN TESTS`.

Each lesson has a module (`course.checks.graph`, …) with one `check_<name>(answer, lang)` per
graded exercise.  References are computed here with torch.autograd on randomized inputs (fixed
seeds), in float64, on every available device; failures raise `CheckFailed`, whose message is in
the notebook's language and whose traceback shows neither this code nor reference values.
"""
from . import pristine  # noqa: F401  (snapshot first, before anything can be patched)
from .core import CheckFailed, devices, say  # noqa: F401
