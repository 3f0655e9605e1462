"""The watchdog of one submission's limits, in a thread beside WarmExecute: it kills the
current kernel past the memory or disk limit (WarmExecute restarts it) or the wall-clock limit
(the submission ends), and says which in a `LimitExceeded` read after the kernel died."""
from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

from . import disk_use
from .process_tree import kill_tree, tree_rss


class LimitExceeded:
    """Why the watchdog killed a kernel (read after the kernel died)."""

    def __init__(self):
        self.reason: str | None = None
        self.final = False  # the wall-clock limit: nothing more runs


def watch(limit: LimitExceeded, stop: threading.Event, kernel_pid: Callable[[], int | None],
          folder: Path, wall_limit: float, memory_limit_mb: int, disk_limit_mb: int,
          disk_limit_files: int) -> None:
    """Until `stop`, look at the current kernel (`kernel_pid()`) five times a second.  The
    disk is looked at once a second: the kernels' folder is the one place on the worker's
    disk a kernel can write to."""
    start = time.monotonic()
    ticks = 0
    while not stop.wait(0.2):
        pid = kernel_pid()
        if time.monotonic() - start > wall_limit:
            limit.reason = f"wall-clock limit of {wall_limit:g} s for the submission exceeded"
            limit.final = True
            if pid:
                kill_tree(pid)
            return
        if limit.reason:
            continue
        ticks += 1
        rss = tree_rss(pid)
        if rss > memory_limit_mb * 2 ** 20:
            limit.reason = f"memory limit of {memory_limit_mb} MB exceeded"
        elif ticks % 5 == 0:
            limit.reason = disk_use.over_limit(folder, disk_limit_mb, disk_limit_files)
        if limit.reason and pid:
            kill_tree(pid)
