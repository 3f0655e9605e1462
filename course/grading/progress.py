"""The progress bar of a grading run."""
from __future__ import annotations

import time

from ..i18n import _


class GradingProgress:
    """students done / total, failures so far, ETA (rich when available and a terminal)."""

    def __init__(self, total: int, enabled: bool):
        self.total, self.done, self.failed = total, 0, 0
        self.start = time.perf_counter()
        self.bar = None
        if enabled:
            from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn,
                                       TimeRemainingColumn)
            self.bar = Progress(TextColumn(_("grading")), BarColumn(), MofNCompleteColumn(),
                                TextColumn(_("failures: {n}", n="{task.fields[failed]}")),
                                TimeRemainingColumn(), transient=False)
            self.task = self.bar.add_task("grade", total=total, failed=0)
            self.bar.start()

    def advance(self, ok: bool) -> None:
        self.done += 1
        self.failed += 0 if ok else 1
        if self.bar:
            self.bar.update(self.task, advance=1, failed=self.failed)

    def close(self) -> None:
        if self.bar:
            self.bar.stop()
