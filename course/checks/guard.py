"""The grading engine's own channel into a kernel: reset what a submission hooked, and say which
hidden tests ran to their end, in answers the submission's code cannot forge.

Why not a cell: a submission can install IPython input/AST transformers, replace `run_cell`,
register `pre_run_cell` events, silence tracebacks... and every later *cell* (a `restore()` line
included) runs through what it installed.  So the engine never asks through a cell.  Before the
first student code runs, the kernel (forked from the zygote, see grading.zygote) installs this
guard: it snapshots the shell's machinery and registers a handler for one control-channel
message, `course_guard_request`, answered on ipykernel's control thread:

- `reset`: put back the snapshot (shell transformers, events, hooks and methods, the kernel's
  message handlers, `sys` hooks, `sys.modules`, and `pristine.restore()` for torch/builtins)
  and forget earlier verdicts; the reply lists what had been changed;
- `verdict`: whether the hidden-test block of a cell reached its last line, `passed(cell)`,
  since the last reset — and refused, with the reason, when code the submission left behind
  could have run during the test without being called: a thread it started that is still
  running (it cannot be stopped from here), or a write to a grading function's code that
  `code_lock` refused.

Each reply carries HMAC(key, request nonce, answer).  The key reaches the kernel in the fork
request, before any student code, and lives only in a suspended generator's frame (`_keeper`),
with the set of cells that reached their end; the nonce is fresh per request.  A submission that replaced the handler, rewrote the test cell into `pass`, skipped or
silenced it, gets no valid `passed` verdict and the engine marks that test cell failed, with the
reason.  `passed()` counts only when called from a cell's top level by IPython's own
`run_code` (captured at install), never from a function the test calls.

What this cannot stop: code that digs the key out of this process's memory (gc, frames,
ctypes) and speaks the protocol.  The tamper scan (grading.tamper) flags every such tool.
Under plain `nbgrader autograde` no guard is installed and `passed()` does nothing.
"""
from __future__ import annotations

import sys
import threading

from ..verdict import REPLY, REQUEST, token
from . import code_lock, dispatch_lock, introspection_lock, pristine
from .kernel_snapshot import KernelSnapshot

_passed = None  # set by install(): the function a hidden-test block calls last


def passed(cell: str) -> None:
    """Last line of every hidden-test block: the block ran to its end."""
    if _passed is not None:
        _passed(cell, sys._getframe(1))


def _threads_started_since(baseline: set) -> list[str]:
    """Threads alive now that were not at install (the kernel's own were), other than the one
    asking, running the submission's code: a frame of their stack comes from no library and
    not from this package (a library's own thread, such as the one a figure's rendering may
    start, is not the submission's).  Each as "<file>:<function>" of its innermost such frame."""
    here, found = threading.get_ident(), []
    for ident, frame in sys._current_frames().items():
        if ident in baseline or ident == here:
            continue
        while frame is not None:
            code = frame.f_code
            if not code_lock.from_library(code):
                found.append(f"{code.co_filename}:{code.co_name}")
                break
            frame = frame.f_back
    return found



def install(shell, kernel, key: bytes) -> None:
    """Snapshot now (before any student code) and answer the engine's control requests."""
    global _passed
    from IPython.core.interactiveshell import InteractiveShell

    run_code = InteractiveShell.run_code.__code__
    snapshot = KernelSnapshot(shell, kernel)
    introspection_lock.enforce(run_code)
    dispatch_lock.enforce()
    baseline = set(sys._current_frames()) | {t.ident for t in threading.enumerate()}
    keeper = _keeper(key, run_code, snapshot, kernel, baseline)
    next(keeper)

    def record(cell: str, frame) -> None:
        keeper.send((cell, frame))

    def handle(stream, ident, parent) -> None:
        keeper.send((stream, ident, parent))

    keeper.send((handle.__code__, record.__code__))
    kernel.control_handlers[REQUEST] = handle
    snapshot.handlers["control_handlers"][REQUEST] = handle
    _passed = record
    pristine.adopt(sys.modules[__name__], "_passed")  # (the zygote snapshotted it unset)


def _keeper(key: bytes, run_code, snapshot, kernel, baseline: set):
    """The guard's state — the key that signs its replies, the cells whose block reached its
    end, the snapshot it restores — held in this suspended generator's frame only: a closure
    cell (`handle.__closure__`) or a module global can be read and rewritten by a submission,
    this frame cannot (`introspection_lock` refuses `gi_frame`).  What reaches the closures is
    the generator, and it acts only for the two functions `install` made: a message sent by
    any other code (`keeper.send(...)` from a cell) is ignored."""
    getframe = sys._getframe
    done: set[str] = set()
    handle_code, record_code = yield None
    while True:
        message = yield None
        try:  # nothing a message holds may end the generator: the guard would be gone
            code = getframe(1).f_code
            if code is record_code:
                cell, frame = message
                if (type(cell) is str and frame.f_code.co_name == "<module>"
                        and frame.f_back is not None and frame.f_back.f_code is run_code
                        and sys.gettrace() is None and sys.getprofile() is None
                        and frame.f_trace is None):  # no tracer that could have jumped it
                    done.add(cell)
            elif code is handle_code:
                stream, ident, parent = message
                reply = _answer(parent, key, done, snapshot, baseline)
                kernel.session.send(stream, REPLY, reply, parent, ident=ident)
        except BaseException:  # a refused frame request, a malformed message: ignored
            pass


def _answer(parent, key: bytes, done: set, snapshot, baseline: set) -> dict:
    """The signed reply to one `reset` or `verdict` request."""
    content = parent.get("content", {})
    action, cell, nonce = (str(content.get(k, "")) for k in ("action", "cell", "nonce"))
    reply = {"action": action, "cell": cell}
    if action == "reset":
        try:
            reply["changed"] = snapshot.restore()
        except Exception as exc:  # never leave the engine without an answer
            reply["changed"] = [f"(restore failed: {type(exc).__name__}: {exc})"]
        done.clear()
        code_lock.mark()  # what is refused from now on refuses this test's verdict
        reply["token"] = token(key, "reset", cell, nonce)
    elif action == "verdict":
        ok = cell in done
        refused = code_lock.pending()
        running = _threads_started_since(baseline) if ok and not refused else []
        if refused:
            code_lock.refused()  # reported by this reply: not again at the next reset
            ok = False
            reply["why"] = ("code of the submission was refused during this hidden test ("
                            + ", ".join(refused[:4]) + "): it tried to change a function "
                            "the grader relies on, or to read the test's frames or objects")
        elif running:  # its code could run during the test, and change what it checks
            ok = False
            reply["why"] = (f"{len(running)} thread(s) started by the submission were still "
                            f"running during this hidden test ({', '.join(running[:3])}), "
                            "which could change what it checks, so its result cannot be "
                            "trusted")
        reply["passed"] = ok
        reply["changed"] = pristine.found_in_block()
        reply["token"] = token(key, "verdict", cell, nonce, int(ok))
    return reply
