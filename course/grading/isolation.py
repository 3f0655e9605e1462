"""Every process a submission starts dies with its kernel, and sees no other kernel's processes.

Each kernel is the first process (PID 1) of a PID namespace of its own, with its own /proc.
When the engine kills it, Linux kills every process left in that namespace: double-forked
`setsid` daemons, a thread's subprocess, anything.  Creating the namespace needs either root
(CI, a container) or unprivileged user namespaces (most Linux desktops and servers; bubblewrap
needs them too), so wherever the sandbox works this works as well.

Where neither is possible (macOS, a locked-down container) the kernel becomes a *child
subreaper* instead: an orphaned daemon is re-parented to the kernel rather than to init, so it
stays in the kernel's process tree, which the engine kills as a whole.  A submission could undo
that with `ctypes` (prctl), which the tamper scan flags.  This module only runs in the zygote's
children (grading.zygote); it uses libc through ctypes because Python 3.11 has no `os.unshare`
or `mount`.
"""
from __future__ import annotations

import ctypes
import os

CLONE_NEWNS = 0x00020000
CLONE_NEWUSER = 0x10000000
CLONE_NEWPID = 0x20000000
MS_REC = 0x4000
MS_PRIVATE = 1 << 18
MS_NOSUID, MS_NODEV, MS_NOEXEC = 2, 4, 8
PR_SET_CHILD_SUBREAPER = 36


def _libc():
    return ctypes.CDLL(None, use_errno=True)


def _unshare(flags: int) -> bool:
    return _libc().unshare(flags) == 0


def _write(path: str, text: str) -> None:
    with open(path, "w") as f:
        f.write(text)


def _new_namespaces() -> bool:
    """A new PID and mount namespace for this process's next child (not for itself)."""
    if _unshare(CLONE_NEWPID | CLONE_NEWNS):  # root, or CAP_SYS_ADMIN in bubblewrap
        return True
    uid, gid = os.getuid(), os.getgid()
    if not _unshare(CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNS):
        return False
    try:  # keep our own uid/gid inside, so files the kernel writes are still ours
        _write("/proc/self/setgroups", "deny")
        _write("/proc/self/uid_map", f"{uid} {uid} 1")
        _write("/proc/self/gid_map", f"{gid} {gid} 1")
    except OSError:
        return False
    return True


def _private_proc() -> bool:
    """Mount a /proc that shows this namespace's processes only."""
    libc = _libc()
    if libc.mount(b"none", b"/", None, MS_REC | MS_PRIVATE, None) != 0:
        return False
    return libc.mount(b"proc", b"/proc", b"proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, None) == 0


def enter_own_pid_namespace() -> int | None:
    """Fork into a new PID namespace.

    Returns, like fork, the child's pid (as seen from outside) in the parent and 0 in the child,
    which is PID 1 of the namespace with its own /proc; None, without forking, where no
    namespace can be made.
    """
    if os.environ.get("COURSE_NO_PIDNS") == "1" or not _new_namespaces():
        return None
    pid = os.fork()
    if pid == 0:
        _private_proc()
    return pid


def become_subreaper() -> bool:
    """Orphaned descendants are re-parented to this process instead of init."""
    try:
        return _libc().prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def available() -> bool:
    """Whether kernels get PID namespaces here (tried in a throwaway child)."""
    pid = os.fork()
    if pid == 0:
        try:
            ok = enter_own_pid_namespace()
            if ok:  # the parent of the namespace's first process
                os.waitpid(ok, 0)
            os._exit(0 if ok is not None else 1)
        except BaseException:
            os._exit(1)
    return os.waitpid(pid, 0)[1] == 0
