"""How much of the disk a kernel's writable folder holds, for the watchdog's disk limit.

A kernel's files are capped one by one (zygote.KERNEL_FILE_LIMIT_MB) and its /tmp and /dev/shm
are small tmpfs mounts, but the kernels' folder is on the worker's disk: a submission writing
one file after another under the per-file cap could fill that disk, and every later grade (and
the gradebook) with it.  The walk stops early, so a folder of a million tiny files costs the
watchdog no more than `max_entries` stat calls.
"""
from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass
class Usage:
    bytes: int = 0  # blocks allocated on disk (a sparse file counts what it really holds)
    entries: int = 0  # files, folders and links seen
    truncated: bool = False  # the walk stopped at max_entries: there are more


def folder_usage(path: str | os.PathLike, max_entries: int) -> Usage:
    """The disk space and the number of entries under `path`, not following links; a hard
    link is counted once.  Unreadable parts count as empty (the kernel cannot hide data there
    either: it runs as the same user)."""
    usage = Usage()
    seen: set[tuple[int, int]] = set()
    stack = [os.fspath(path)]
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
                        stack.append(entry.path)
        except OSError:
            continue
    return usage


def over_limit(path: str | os.PathLike, limit_mb: int, max_entries: int) -> str | None:
    """Why the folder is over its limits (for the instructor), or None."""
    usage = folder_usage(path, max_entries)
    if usage.truncated:
        return f"more than {max_entries} files written in the kernel's folder"
    if usage.bytes > limit_mb << 20:
        return f"disk limit of {limit_mb} MB for the kernel's folder exceeded"
    return None
