"""How much of the disk a kernel's writable folder holds, for the watchdog's disk limit.

A kernel's files are capped one by one (zygote.KERNEL_FILE_LIMIT_MB) and its /tmp and /dev/shm
are small tmpfs mounts, but the kernels' folder is on the worker's disk: a submission writing
one file after another under the per-file cap could fill that disk, and every later grade (and
the gradebook) with it.  The walk stops early, so a folder of a million tiny files costs the
watchdog no more than `max_entries` stat calls.
"""
from __future__ import annotations

import os
import shutil
import stat
from dataclasses import dataclass


@dataclass
class Usage:
    bytes: int = 0  # blocks allocated on disk (a sparse file counts what it really holds)
    entries: int = 0  # files, folders and links seen
    truncated: bool = False  # the walk stopped at max_entries: there are more


def _open_up(folder: str, mode: int | None = None) -> None:
    """Give the owner back read, write and search on a folder (not a link) it had lost them on."""
    try:
        if mode is None:
            mode = os.lstat(folder).st_mode
        if stat.S_ISDIR(mode) and mode & stat.S_IRWXU != stat.S_IRWXU:
            os.chmod(folder, stat.S_IMODE(mode) | stat.S_IRWXU)
    except OSError:
        pass


def folder_usage(path: str | os.PathLike, max_entries: int) -> Usage:
    """The disk space and the number of entries under `path`, not following links; a hard
    link is counted once.  A folder the kernel made unreadable is opened up again first (it
    runs as the same user); what still cannot be read counts as empty."""
    usage = Usage()
    seen: set[tuple[int, int]] = set()
    stack = [os.fspath(path)]
    _open_up(stack[0])
    while stack:
        try:
            with os.scandir(stack.pop()) as entries:
                for entry in entries:
                    usage.entries += 1
                    if usage.entries > max_entries:
                        usage.truncated = True
                        return usage
                    try:
                        info = entry.stat(follow_symlinks=False)
                    except OSError:
                        continue
                    if (info.st_dev, info.st_ino) in seen:
                        continue
                    seen.add((info.st_dev, info.st_ino))
                    usage.bytes += (info.st_blocks * 512 if hasattr(info, "st_blocks")
                                    else info.st_size)
                    if entry.is_dir(follow_symlinks=False):
                        _open_up(entry.path, info.st_mode)
                        stack.append(entry.path)
        except OSError:
            continue
    return usage


def remove_tree(path: str | os.PathLike) -> None:
    """`shutil.rmtree(path, ignore_errors=True)`, also of folders a kernel left without the
    owner's permissions (opened up, then removed again)."""
    shutil.rmtree(path, ignore_errors=True)
    if not os.path.isdir(path) or os.path.islink(path):
        return
    stack = [os.fspath(path)]
    _open_up(stack[0])
    while stack:
        try:
            with os.scandir(stack.pop()) as entries:
                for entry in entries:
                    if entry.is_dir(follow_symlinks=False):
                        _open_up(entry.path)
                        stack.append(entry.path)
        except OSError:
            continue
    shutil.rmtree(path, ignore_errors=True)


def over_limit(path: str | os.PathLike, limit_mb: int, max_entries: int) -> str | None:
    """Why the folder is over its limits (for the instructor), or None."""
    usage = folder_usage(path, max_entries)
    if usage.truncated:
        return f"more than {max_entries} files written in the kernel's folder"
    if usage.bytes > limit_mb << 20:
        return f"disk limit of {limit_mb} MB for the kernel's folder exceeded"
    return None
