"""Everything one grading worker process holds between submissions, in one object.

nbgrader builds its preprocessors from configuration classes, so `WarmExecute` cannot be handed
the worker's kernels; it finds them as `Worker.current`, set when the process's
`runner.GradingWorker` starts its kernels (a local worker and a Dask worker alike).  The
kernel provisioner reaches the zygote through its kernel manager instead (`kernels.Slot`).
Per submission, WarmExecute writes what it saw into `Worker.current.seen` (the notebook's own
cell time, the kernels' CPU time and the incidents: a cell timed out, the kernel crashed or
hit a limit), and the worker returns it with the submission's result, so incidents travel as
data, never as sentences parsed back.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

INCIDENT_KINDS = ("timeout", "crashed", "hang", "limit", "restarted", "restored", "tampered",
                  "survivor", "gpu")


@dataclass
class Incident:
    """A cell that did not run normally, as the component that saw it tells it."""

    kind: str  # one of INCIDENT_KINDS
    cell: str | None  # grade_id (or cell id) of the cell concerned
    reason: str  # one sentence an instructor understands


@dataclass
class Seen:
    """What grading one submission observed besides its grades."""

    cell_seconds: float = 0.0  # time the notebook's own cells ran
    kernel_cpu: float = 0.0  # CPU seconds of the submission's kernels (all processes)
    incidents: list[Incident] = field(default_factory=list)


@dataclass
class Worker:
    kernels: Any  # kernels.WarmKernels: the zygote and the per-submission kernels
    kernel_env: dict[str, str] = field(default_factory=dict)  # per submission (figures, GPU share)
    seen: Seen = field(default_factory=Seen)

    current: ClassVar["Worker | None"] = None

    def begin_submission(self) -> Seen:
        self.seen = Seen()
        return self.seen
