"""The hidden tests never run under torch's Python dispatcher.

Why: `torch.ops.aten.detach.default.py_impl(DispatchKey.CPU)(fn)` registers a Python kernel
that torch runs in place of its own only while the Python dispatcher is on, and
`torch._C._EnablePythonDispatcher()` kept alive in a global turns it on for the thread until
that object dies: every operator of the hidden tests (their reads of a student's values and
their references alike) would run the submission's Python.  It is no torch mode and no
attribute, so neither `pristine`'s modes nor its snapshots see it; `dispatch_lock` does not
either (no C registration happens).  No grading code turns it on, so `pristine` switches it off
after every call of a student's function and before every hidden test (and reports it), and
`plain.untouchable` excludes its dispatch key while values are read.  The Python kernels stay
registered on their operators, inert while the dispatcher is off.
"""
from __future__ import annotations

import torch

KEY = torch._C.DispatchKey.PythonDispatcher
KEYS = torch._C.DispatchKeySet(KEY)
WHAT = "torch's Python dispatcher (py_impl kernels)"
# bound before any student code runs: a patched torch._C attribute cannot stand in for them
_included = torch._C._dispatch_tls_is_dispatch_key_included
_set_included = torch._C._dispatch_tls_set_dispatch_key_included
Excluded = torch._C._ExcludeDispatchKeyGuard  # Excluded(KEYS): off inside a `with`


def switch_off() -> list[str]:
    """Turn the Python dispatcher off in this thread; what was changed (for the record)."""
    if not _included(KEY):
        return []
    _set_included(KEY, False)
    return [WHAT]
