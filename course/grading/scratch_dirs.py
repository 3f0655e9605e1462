"""Scratch folders of a grading process that go away even when their process cannot clean up.

A worker's scratch course holds the source notebooks (the hidden tests), its kernels' folder
the kernels' sockets and files.  Both are removed when the worker ends (finalizers), but a
worker killed with SIGKILL (the OOM killer, `kill -9`, a lost machine's power) runs no code.
So each folder has a lock file beside it (`<folder>.lock`, outside the folder, where no
sandboxed kernel can reach it) that its process holds with `flock` for as long as it lives;
the operating system lets go of the lock however the process ends.  Whoever makes a new
folder with the same prefix first removes the folders whose lock nobody holds.  A folder
without its lock file (another program's, an older version's, one being made right now) is
never touched, and neither is another user's.
"""
from __future__ import annotations

import fcntl
import os
import signal
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .disk_use import remove_tree

_HELD: dict[str, int] = {}  # folder -> the descriptor holding its lock, open while it lives


def make(prefix: str, parent: str | os.PathLike | None = None) -> Path:
    """A new folder `parent/prefix…` (the temporary folder by default), locked for the life of
    this process; abandoned siblings with the same prefix are removed first."""
    parent = str(parent or tempfile.gettempdir())
    sweep(prefix, parent)
    folder = tempfile.mkdtemp(prefix=prefix, dir=parent)
    # locked under another name, then renamed: a sweeper never sees it unlocked
    fd, staged = tempfile.mkstemp(prefix=".staged-", suffix=".lock", dir=parent)
    fcntl.flock(fd, fcntl.LOCK_EX)
    os.rename(staged, folder + ".lock")
    _HELD[folder] = fd
    return Path(folder)


@contextmanager
def stop_signals_held() -> Iterator[None]:
    """Ctrl-C, SIGTERM and SIGHUP wait until the block ends: a worker told to stop (its
    handler closes it, then exits) must not be stopped between making a folder and
    registering what removes it, or the folder outlives it."""
    if not hasattr(signal, "pthread_sigmask"):  # Windows: no signal masks
        yield
        return
    held = {getattr(signal, n) for n in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, n)}
    before = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def remove(folder: str | os.PathLike) -> None:
    """Remove a folder made by `make`, then its lock (safe to call twice)."""
    folder = str(folder)
    for _ in range(5):  # again if a process dying meanwhile wrote into it
        remove_tree(folder)
        if not os.path.lexists(folder):
            break
        time.sleep(0.05)
    fd = _HELD.pop(folder, None)
    if fd is not None:
        _unlink(folder + ".lock")
        os.close(fd)


def sweep(prefix: str, parent: str | os.PathLike) -> list[Path]:
    """Remove the folders `parent/prefix…` (and their locks) whose process has ended; also a
    lock whose folder is gone (its process ended between the two removals of `remove`)."""
    removed = []
    try:
        entries = [e for e in os.scandir(parent) if e.name.startswith(prefix)]
    except OSError:
        return removed
    for entry in entries:
        if entry.name.endswith(".lock"):
            folder = entry.path[:-len(".lock")]
            if not os.path.lexists(folder) and _abandoned(entry.path):
                _unlink(entry.path)
            continue
        try:
            if (entry.path in _HELD or not entry.is_dir(follow_symlinks=False)
                    or entry.stat().st_uid != os.getuid()):
                continue
        except OSError:
            continue
        if _abandoned(entry.path + ".lock"):  # no lock beside it: not ours to judge
            remove_tree(entry.path)
            _unlink(entry.path + ".lock")
            removed.append(Path(entry.path))
    return removed


def _abandoned(lock: str) -> bool:
    """Is `lock` one of this user's lock files that no process holds?"""
    try:
        fd = os.open(lock, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return os.fstat(fd).st_uid == os.getuid()
    except OSError:  # its process is alive
        return False
    finally:
        os.close(fd)


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
