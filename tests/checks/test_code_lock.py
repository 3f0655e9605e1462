"""Functions the grader relies on keep their code (course.checks.code_lock): a submission can
neither swap a hidden test's function body nor a library's, and libraries may still rewrite
their own as they load."""
from __future__ import annotations

import signal

import pytest
import torch

from course.checks import code_lock, compare, pristine, signals  # noqa: F401  (installs the hook)


def as_student(source: str, **names) -> dict:
    """Run `source` as a notebook cell does: code compiled from no file of a library."""
    namespace = dict(names)
    exec(compile(source, "/tmp/ipykernel_1/123.py", "exec"), namespace)
    return namespace


def test_a_hidden_test_function_keeps_its_code_and_the_attempt_is_recorded():
    code_lock.refused()
    code_lock.mark()
    with pytest.raises(RuntimeError, match="não pode ser trocado"):
        as_student("compare.close.__code__ = (lambda *a, **k: True).__code__", compare=compare)
    with pytest.raises(RuntimeError):
        as_student("setattr(compare.close, '__defaults__', (1.0, 1.0))", compare=compare)
    assert compare.close(torch.ones(2), torch.zeros(2)) is False
    assert code_lock.pending() == ["close.__code__", "close.__defaults__"]
    # reported once; still refusing the running test's verdict until the guard's next reset
    assert code_lock.refused() == ["close.__code__ (refused)", "close.__defaults__ (refused)"]
    assert code_lock.refused() == []
    assert code_lock.pending() == ["close.__code__", "close.__defaults__"]
    code_lock.mark()
    assert code_lock.pending() == []


def test_a_library_function_cannot_be_rewritten_from_a_cell():
    with pytest.raises(RuntimeError):
        as_student("torch.autograd.grad.__code__ = (lambda *a, **k: None).__code__",
                   torch=torch)
    code_lock.refused()


def test_a_submissions_own_functions_and_a_librarys_own_writes_are_allowed():
    code_lock.mark()
    ns = as_student("def f():\n    return 1\nf.__code__ = (lambda: 2).__code__\n"
                    "f.__defaults__ = ()\n")
    assert ns["f"]() == 2
    import functools

    def library_style():  # written from a file of the test suite, not from a cell
        pass
    functools.partial(setattr, library_style, "__kwdefaults__", {"a": 1})()
    assert code_lock.pending() == []


def test_a_signal_timer_and_handler_are_undone_and_named():
    def handler(signum, frame):
        pass

    as_student("import signal\nsignal.signal(signal.SIGALRM, h)\n"
               "signal.setitimer(signal.ITIMER_REAL, 30, 30)", h=handler)
    changed = pristine.restore()
    assert "signal.setitimer(ITIMER_REAL)" in changed and "signal handler (SIGALRM)" in changed
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) is not handler
    assert signals.restore() == []
