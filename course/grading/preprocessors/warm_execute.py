"""nbgrader's Execute, on a kernel forked from the worker's zygote (see zygote), with limits.

Scores and errors are those of plain `nbgrader autograde`: the same nbclient code runs the same
cells in order with the same per-cell timeout.  What changes:
- the kernel is forked with torch already imported, and killed after this one submission;
- a wall-clock limit, a memory limit (the kernel's resident memory, children included), a disk
  limit, an output limit per cell and a size limit per message the kernel sends (see
  kernel_client.ReadyClient) apply; when the kernel dies (a limit, `os._exit`, a segfault) the cell
  that was running and every later code cell get an error output naming the reason, so the
  test cells that did run keep their points and the rest score 0 instead of the whole
  submission failing;
- each such event is recorded as an `Incident` (data, for the attention log) in
  `Worker.current.seen`, with the time the notebook's own cells took.
"""
from __future__ import annotations

import threading
import time

import nbformat
from jupyter_core.utils import run_sync
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbclient.util import run_hook
from nbformat import NotebookNode
from nbgrader.preprocessors import Execute
from traitlets import Float, Integer

from ...cells import grade_id, role
from ...i18n import _
from ...verdict import wants_verdict
from .. import gpu_errors, limits_watch
from ..kernel_client import reply_to
from ..worker import Incident, Worker
from .guard_talk import GuardTalk, error_output as _error


def _numbered_from_reply(hook):
    """nbclient's `on_cell_executed` hook, numbering the cell from its execute_reply: a
    grading kernel does not echo the cell's code (`execute_input`, see kernel_app.quiet),
    which is where nbclient took a cell's execution count from when it printed nothing."""
    async def numbered(cell, cell_index, execute_reply):
        count = ((execute_reply or {}).get("content") or {}).get("execution_count")
        if isinstance(count, int) and not isinstance(count, bool):
            cell["execution_count"] = count
        await run_hook(hook, cell=cell, cell_index=cell_index, execute_reply=execute_reply)
    return numbered


class WarmExecute(GuardTalk, Execute):
    wall_limit = Float(600.0, help="seconds for a whole submission").tag(config=True)
    memory_limit_mb = Integer(4096, help="resident memory of the kernel, MB").tag(config=True)
    output_limit_bytes = Integer(2_000_000, help="text output kept per cell").tag(config=True)
    disk_limit_mb = Integer(1024, help="disk space the kernel's writable folder may hold, MB"
                            ).tag(config=True)
    disk_limit_files = Integer(10_000, help="files the kernel's writable folder may hold"
                               ).tag(config=True)
    message_limit_mb = Integer(32, help="largest message the grader receives from a kernel, "
                               "MB (see kernel_client.ReadyClient)").tag(config=True)
    interrupt_grace = Float(5.0, help="seconds a timed-out kernel has to answer after the "
                            "interrupt before it is killed and restarted").tag(config=True)
    max_restarts = Integer(3, help="fresh kernels per submission after a hang or a crash"
                           ).tag(config=True)
    guard_timeout = Float(10.0, help="seconds the kernel's guard has to answer").tag(config=True)

    def preprocess(self, nb, resources=None, km=None):
        worker = Worker.current
        if worker is None:  # not in a grading worker: plain nbgrader behaviour
            return super().preprocess(nb, resources, km)
        self._seen = worker.begin_submission()
        self._kernels = worker.kernels
        self._files = _path_of(resources)
        self._env = dict(worker.kernel_env)
        self._slot = self._take()
        self._limit = limits_watch.LimitExceeded()
        self._dead_reason = None
        self._restarts = 0
        self._replay: list[int] = []  # cells a fresh kernel re-runs (not tests, not the culprit)
        self._lang = (nb.metadata.get("course") or {}).get("lang", "pt")
        self.on_cell_executed = _numbered_from_reply(self.on_cell_executed)
        stop = threading.Event()
        try:
            self._slot.give_files(self._files)
            resources = dict(resources or {})
            resources["metadata"] = dict(resources.get("metadata", {}),
                                         path=str(self._slot.workdir))
            threading.Thread(target=limits_watch.watch, daemon=True, args=(
                self._limit, stop, lambda: self._slot.pid(), self._kernels.base,
                self.wall_limit, self.memory_limit_mb, self.disk_limit_mb,
                self.disk_limit_files)).start()
            nb, resources = super().preprocess(nb, resources, km=self._slot.km)
            self._no_score_in_results(nb)
            return nb, resources
        finally:
            stop.set()
            self._stop_client()
            self._close_slot()
            survivors = self._kernels.sweep()
            if survivors:
                self._incident("survivor", None, f"{len(survivors)} process(es) started by the "
                               "submission outlived its kernel and were killed")
            self._kernels.start_ahead(self._env)  # the next submission's, now that all is gone

    def preprocess_cell(self, cell, resources, index):
        if getattr(self, "_dead_reason", None) is not None:
            if cell.cell_type == "code":
                cell.outputs = [_error("KernelDied", self._dead_reason + " (cell not run)")]
            return cell, resources
        if getattr(self, "_seen", None) is None or cell.cell_type != "code":
            return super().preprocess_cell(cell, resources, index)
        guarded = self._slot.guarded and wants_verdict(cell.source)
        if guarded and not self._reset(cell):
            return cell, resources
        self._output_bytes = 0
        self._timed_out = False
        started = time.perf_counter()
        try:
            cell, resources = super().preprocess_cell(cell, resources, index)
        except (DeadKernelError, CellTimeoutError) as exc:
            self._died(cell, index, exc)
            return cell, resources
        finally:
            self._seen.cell_seconds += time.perf_counter() - started
        refused = self._refused()
        if refused:  # the cell ended (its reply came), but its kernel no longer speaks to us
            self._incident("limit", cell, refused)
            self._restart(cell, index, None, refused)
            return cell, resources
        if self._timed_out and not self._responsive():
            self._restart(cell, index, "hang", f"the cell did not finish within {self.timeout} s "
                          f"and ignored the interrupt for {self.interrupt_grace:g} s: the kernel "
                          "was killed")
            return cell, resources
        if guarded and not self._timed_out and not _failed(cell):
            self._verdict(cell)
        elif guarded and not self._timed_out:
            self._why_failed(cell)
        gpu_failure = role(cell) == "test" and _failed(cell) and gpu_errors.reason(cell)
        if gpu_failure:
            self._incident("gpu", cell, gpu_failure)
        if role(cell) != "test" and not self._timed_out:
            self._replay.append(index)
        return cell, resources

    # --- the kernel died, hung or hit a limit: one cell lost, then a fresh kernel ------------

    def _died(self, cell, index: int, exc: Exception) -> None:
        limit = self._limit
        if limit.reason:
            reason = limit.reason
            self._incident("limit", cell, reason)
            if limit.final:  # the wall-clock limit: the last resort, no restart
                return self._dead(cell, reason)
            limit.reason = None
            return self._restart(cell, index, None, reason)
        refused = self._refused()
        if refused:
            self._incident("limit", cell, refused)
            return self._restart(cell, index, None, refused)
        if not run_sync(self.km.is_alive)():
            return self._restart(cell, index, "crashed",
                                 "the kernel died while running this cell (os._exit, a crash "
                                 "or a segfault in the submitted code)")
        # alive but stuck or flooding output: this cell fails, the next ones run
        reason = f"the cell did not finish within {self.timeout} s (or its output did not stop)"
        self._incident("timeout", cell, reason)
        cell.outputs.append(_error("CellTimeoutError", f"{type(exc).__name__}: {reason}"))
        if not self._responsive():
            self._restart(cell, index, "hang", reason + "; the kernel was killed")

    def _dead(self, cell, reason: str) -> None:
        self._dead_reason = reason
        cell.outputs.append(_error("KernelDied", reason))

    def _restart(self, cell, index: int, kind: str | None, reason: str) -> None:
        """Lose this cell only: a fresh kernel re-runs the cells before it (no test cell, no
        cell that already cost a kernel) and grading goes on with the next cell."""
        if kind:
            self._incident(kind, cell, reason)
        if self._restarts >= self.max_restarts:
            return self._dead(cell, f"{reason}; no restart left ({self.max_restarts} used)")
        self._restarts += 1
        cell.outputs.append(_error("KernelDied", reason))
        self._stop_client()
        self._close_slot()
        self._kernels.sweep()
        self._slot = self._take()
        self._slot.give_files(self._files)
        self.km = self._slot.km
        self.kc = None
        self.start_new_kernel_client()
        replayed = 0
        for i in self._replay:
            copy = nbformat.from_dict(self.nb.cells[i])
            copy.outputs = []
            self._timed_out = False
            try:
                run_sync(self.async_execute_cell)(copy, i, store_history=False)
            except (DeadKernelError, CellTimeoutError):
                self._timed_out = True
            if self._timed_out or self._limit.reason or self._refused():
                return self._dead(cell, f"{reason}; replaying cell {i + 1} on a fresh kernel "
                                  "failed")
            replayed += 1
        self._incident("restarted", cell, f"fresh kernel {self._restarts}/{self.max_restarts}: "
                       f"{replayed} earlier cell(s) replayed, grading goes on after this cell")

    def _take(self):
        """A kernel for this submission, its clients capped at message_limit_mb."""
        slot = self._kernels.take(self._env)
        slot.km.message_limit_bytes = self.message_limit_mb << 20
        return slot

    def _refused(self) -> str | None:
        """Why the kernel must go, when the client dropped its connection to a kernel that
        still runs: a message over message_limit_mb (see kernel_client.ReadyClient), or a kernel
        that closed its own socket; either way nothing more would be heard from it.  A kernel
        that exits drops its connections too, a moment before it is gone: that is a crash."""
        refused = getattr(self.kc, "refused", None)
        if refused is None or not refused():
            return None
        deadline = time.monotonic() + 0.5
        while time.monotonic() < deadline:
            if not self._slot.alive():
                return None
            time.sleep(0.05)
        return _("a message from the kernel was over the {mb} MB limit (or the kernel closed its "
                 "connection): the grader refused it and stopped the kernel",
                 mb=self.message_limit_mb)

    def _responsive(self) -> bool:
        """After a timeout: does the kernel answer a request within the grace period?"""
        async def probe() -> bool:
            msg_id = self.kc.kernel_info()
            return await reply_to(self.kc.shell_channel, msg_id, self.interrupt_grace) is not None

        try:
            return run_sync(probe)()
        except Exception:
            return False

    def _close_slot(self) -> None:
        """Kill the kernel (and all it started), counting the CPU it used."""
        self._seen.kernel_cpu += self._slot.cpu()
        self._slot.close()

    def _stop_client(self) -> None:
        try:
            if self.kc is not None:
                self.kc.stop_channels()
        except Exception:
            pass

    async def _async_handle_timeout(self, timeout, cell=None):
        """nbclient's timeout (interrupt, then nbgrader's CellTimeoutError reply), recorded."""
        self._timed_out = True
        if cell is not None:
            self._incident("timeout", cell, f"the cell did not finish within {timeout} s (the "
                                            "kernel was interrupted)")
        return await super()._async_handle_timeout(timeout, cell)

    def _incident(self, kind: str, cell, reason: str) -> None:
        seen = getattr(self, "_seen", None)
        if seen is not None:
            where = None if cell is None else grade_id(cell) or cell.get("id")
            seen.incidents.append(Incident(kind, where, reason))

    def output(self, outs, msg, display_id, cell_index):
        """Keep at most output_limit_bytes of text per cell, then one note."""
        content = msg.get("content", {})
        size = len(content.get("text", "")) + sum(len(str(v)) for v in
                                                   content.get("data", {}).values())
        self._output_bytes = getattr(self, "_output_bytes", 0) + size
        if self._output_bytes > self.output_limit_bytes:
            if getattr(self, "_truncated_note", None) is not outs:
                self._truncated_note = outs
                outs.append(NotebookNode(output_type="stream", name="stdout",
                                         text=f"\n[output truncated at {self.output_limit_bytes} bytes]\n"))
            return None
        return super().output(outs, msg, display_id, cell_index)


def _path_of(resources):
    from pathlib import Path

    return Path(resources["metadata"]["path"])


def _failed(cell) -> bool:
    """The cell already shows an error (nbgrader gives it no points)."""
    return any(out.get("output_type") == "error" for out in cell.get("outputs", []))
