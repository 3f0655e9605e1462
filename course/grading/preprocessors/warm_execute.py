"""nbgrader's Execute, on a kernel forked from the worker's zygote (see zygote), with limits.

Scores and errors are those of plain `nbgrader autograde`: the same nbclient code runs the same
cells in order with the same per-cell timeout.  What changes:
- the kernel is forked with torch already imported, and killed after this one submission;
- a wall-clock limit, a memory limit (the kernel's resident memory, children included) and an
  output limit per cell apply; when the kernel dies (a limit, `os._exit`, a segfault) the cell
  that was running and every later code cell get an error output naming the reason, so the
  test cells that did run keep their points and the rest score 0 instead of the whole
  submission failing;
- each such event is recorded as an `Incident` (data, for the attention log) in
  `Worker.current.seen`, with the time the notebook's own cells took.
"""
from __future__ import annotations

import threading
import time

import psutil
from jupyter_core.utils import run_sync
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat import NotebookNode
from nbgrader.preprocessors import Execute
from traitlets import Float, Integer

from ...cells import grade_id
from ..worker import Incident, Worker


class LimitExceeded:
    """Why the watchdog killed a kernel (read after the kernel died)."""

    def __init__(self):
        self.reason: str | None = None


class WarmExecute(Execute):
    wall_limit = Float(600.0, help="seconds for a whole submission").tag(config=True)
    memory_limit_mb = Integer(4096, help="resident memory of the kernel, MB").tag(config=True)
    output_limit_bytes = Integer(2_000_000, help="text output kept per cell").tag(config=True)

    def preprocess(self, nb, resources=None, km=None):
        worker = Worker.current
        if worker is None:  # not in a grading worker: plain nbgrader behaviour
            return super().preprocess(nb, resources, km)
        self._seen = worker.begin_submission()
        slot = worker.kernels.take()
        self._limit = LimitExceeded()
        self._dead_reason = None
        stop = threading.Event()
        try:
            slot.give_files(_path_of(resources))
            resources = dict(resources or {})
            resources["metadata"] = dict(resources.get("metadata", {}), path=str(slot.workdir))
            threading.Thread(target=self._watch, args=(slot, self._limit, stop),
                             daemon=True).start()
            return super().preprocess(nb, resources, km=slot.km)
        finally:
            stop.set()
            slot.close()

    def preprocess_cell(self, cell, resources, index):
        if getattr(self, "_dead_reason", None) is not None:
            if cell.cell_type == "code":
                cell.outputs = [_error("KernelDied", self._dead_reason + " (cell not run)")]
            return cell, resources
        self._output_bytes = 0
        started = time.perf_counter()
        try:
            return super().preprocess_cell(cell, resources, index)
        except (DeadKernelError, CellTimeoutError) as exc:
            limit = getattr(self, "_limit", None)
            if limit is not None and limit.reason:
                self._dead_reason = limit.reason
                self._incident("limit", cell, limit.reason)
            elif not run_sync(self.km.is_alive)():
                self._dead_reason = ("the kernel died while running this cell (os._exit, a "
                                     "crash or a segfault in the submitted code)")
                self._incident("crashed", cell, self._dead_reason)
            if self._dead_reason is not None:
                cell.outputs.append(_error("KernelDied", self._dead_reason))
            else:  # alive but stuck or flooding output: this cell fails, the next ones run
                reason = (f"the cell did not finish within {self.timeout} s (or its output did "
                          "not stop)")
                self._incident("timeout", cell, reason)
                cell.outputs.append(_error("CellTimeoutError", f"{type(exc).__name__}: {reason}"))
                run_sync(self.km.interrupt_kernel)()
            return cell, resources
        finally:
            seen = getattr(self, "_seen", None)
            if seen is not None:
                seen.cell_seconds += time.perf_counter() - started

    async def _async_handle_timeout(self, timeout, cell=None):
        """nbclient's timeout (interrupt, then nbgrader's CellTimeoutError reply), recorded."""
        if cell is not None:
            self._incident("timeout", cell, f"the cell did not finish within {timeout} s (the "
                                            "kernel was interrupted)")
        return await super()._async_handle_timeout(timeout, cell)

    def _incident(self, kind: str, cell, reason: str) -> None:
        seen = getattr(self, "_seen", None)
        if seen is not None:
            seen.incidents.append(Incident(kind, grade_id(cell) or cell.get("id"), reason))

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

    def _watch(self, slot, limit: LimitExceeded, stop: threading.Event) -> None:
        start = time.monotonic()
        pid = slot.pid()
        while not stop.wait(0.2):
            if time.monotonic() - start > self.wall_limit:
                limit.reason = f"wall-clock limit of {self.wall_limit:g} s for the submission exceeded"
                return _kill(pid)
            rss = _tree_rss(pid)
            if rss > self.memory_limit_mb * 2 ** 20:
                limit.reason = f"memory limit of {self.memory_limit_mb} MB exceeded"
                return _kill(pid)


def _path_of(resources):
    from pathlib import Path

    return Path(resources["metadata"]["path"])


def _error(ename: str, evalue: str) -> NotebookNode:
    return NotebookNode(output_type="error", ename=ename, evalue=evalue,
                        traceback=[f"{ename}: {evalue}"])


def _tree_rss(pid: int | None) -> int:
    if pid is None:
        return 0
    try:
        proc = psutil.Process(pid)
        procs = [proc] + proc.children(recursive=True)
        return sum(p.memory_info().rss for p in procs if p.is_running())
    except psutil.Error:
        return 0


def _kill(pid: int | None) -> None:
    if pid is None:
        return
    try:
        proc = psutil.Process(pid)
        for p in proc.children(recursive=True) + [proc]:
            p.kill()
    except psutil.Error:
        pass
