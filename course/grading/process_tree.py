"""Processes that are not this process's children: a kernel forked by the zygote, and what it
started.  Watched, measured and killed by pid, as a whole tree (see grading.zygote).
"""
from __future__ import annotations

import os
import signal
import subprocess
import time

import psutil


class ForkedKernel:
    """The Popen-like view jupyter_client needs of a kernel that is not our child."""

    # no pipes to close: the kernel's output goes to its log (the provisioner's `wait` reads
    # these; without them the kernel manager's shutdown stopped before closing its sockets)
    stdin = stdout = stderr = None

    def __init__(self, pid: int):
        self.pid = pid
        self.returncode = None

    def poll(self):
        try:
            proc = psutil.Process(self.pid)
            if proc.status() != psutil.STATUS_ZOMBIE:
                return None
        except psutil.Error:
            pass
        self.returncode = self.returncode if self.returncode is not None else -9
        return self.returncode

    def wait(self, timeout=None):
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(str(self.pid), timeout)
            time.sleep(0.01)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        try:
            os.killpg(self.pid, signum)
        except OSError:
            pass

    def kill(self) -> None:
        kill_tree(self.pid)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


def kill_tree(pid: int, include_root: bool = True) -> list[int]:
    """Stop, then kill, a process and all its descendants, again until none is left (a fork
    racing the kill is caught by the next round); return the pids killed."""
    killed: list[int] = []
    for _ in range(20):
        try:
            root = psutil.Process(pid)
            procs = root.children(recursive=True) + ([root] if include_root else [])
        except psutil.Error:
            break
        procs = [p for p in procs if _alive(p)]
        if not procs:
            break
        for proc in procs:
            try:
                proc.suspend()
            except psutil.Error:
                pass
        for proc in procs:
            try:
                proc.kill()
                killed.append(proc.pid)
            except psutil.Error:
                pass
        psutil.wait_procs(procs, timeout=1)
    return sorted(set(killed))


def tree_cpu(pid: int | None, children: bool = True) -> float:
    """CPU seconds (user + system) of a process and, with `children`, its descendants."""
    return float(_tree_sum(pid, children, lambda p: sum(p.cpu_times()[:2])))


def tree_rss(pid: int | None) -> int:
    """Resident memory, in bytes, of a process and all its descendants (0: it is gone)."""
    return int(_tree_sum(pid, True, lambda p: p.memory_info().rss))


def _tree_sum(pid: int | None, children: bool, measure) -> float:
    """`measure` summed over a process (and its descendants); a process that is gone counts 0."""
    if not pid:
        return 0
    try:
        root = psutil.Process(pid)
        procs = [root] + (root.children(recursive=True) if children else [])
    except psutil.Error:
        return 0
    total = 0
    for proc in procs:
        try:
            total += measure(proc)
        except psutil.Error:
            pass
    return total


def _alive(proc) -> bool:
    try:
        return proc.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False
