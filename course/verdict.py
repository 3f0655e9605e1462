"""The protocol between the grading engine and the guard inside each grading kernel.

A hidden-test block ends with `passed(<its cell>)` (the lines below, written by `course build`);
the engine asks the kernel's guard (checks.guard) over the control channel whether that line
ran, and accepts only replies signed with the kernel's own key.  Both sides import this module:
the engine without torch, the kernel with it.
"""
from __future__ import annotations

import hashlib
import hmac

REQUEST = "course_guard_request"
REPLY = "course_guard_reply"
VERDICT_IMPORT = "from course.checks.guard import passed as _hidden_tests_passed"


def verdict_lines(cell_id: str) -> str:
    """The two lines that end every hidden-test block."""
    return f"{VERDICT_IMPORT}\n_hidden_tests_passed({cell_id!r})"


def wants_verdict(source: str) -> bool:
    """A test cell built with a verdict line (older gradebooks hold cells without one)."""
    return VERDICT_IMPORT in source


def token(key: bytes, *parts) -> str:
    """What a genuine reply carries: HMAC-SHA256 over the request's nonce and the answer."""
    text = "|".join(str(p) for p in parts).encode()
    return hmac.new(key, text, hashlib.sha256).hexdigest()
