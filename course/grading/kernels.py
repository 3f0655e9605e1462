"""One fresh kernel per submission, forked from the worker's zygote (see grading.zygote).

Each kernel runs one submission in its own folder (a copy of nbgrader's autograded folder) and
is killed afterwards with everything it started: nothing is shared between students.
"""
from __future__ import annotations

import os
import secrets
import shutil
import tempfile
from pathlib import Path

from jupyter_client import AsyncKernelManager
from jupyter_core.utils import run_sync

from ..course_folder import Course
from . import sandbox, zygote


class _KernelManager(AsyncKernelManager):
    """nbgrader's kernel manager class (nbclient drives it exactly as under plain nbgrader);
    `zygote` is what its provisioner forks the kernel from (None: an ordinary start)."""

    zygote: "zygote.Zygote | None" = None
    guard_key: bytes = b""  # signs the kernel guard's replies (see checks.guard)


class Slot:
    """One started kernel and the private folder it runs in."""

    def __init__(self, base: Path, sandboxed: bool, forker: "zygote.Zygote | None"):
        self.dir = Path(tempfile.mkdtemp(prefix="slot-", dir=base))
        self.workdir = self.dir / "work"
        self.workdir.mkdir()
        km = _KernelManager(kernel_name="python3")
        km.connection_file = str(self.dir / "connection.json")
        self.guarded = forker is not None  # a forked kernel installs checks.guard
        self.key = secrets.token_bytes(32)
        if forker is not None:
            km.zygote = forker
            km.guard_key = self.key
            km.kernel_spec.metadata["kernel_provisioner"] = {"provisioner_name": zygote.PROVISIONER}
        if sandboxed:
            km.transport = "ipc"  # the sandbox has no network, not even loopback
            km.ip = str(self.dir / "kernel")
        home = self.dir / "home"
        home.mkdir()
        env = dict(os.environ, IPYTHONDIR=str(home / "ipython"), MPLCONFIGDIR=str(home / "mpl"),
                   HOME=str(home))
        run_sync(km.start_kernel)(cwd=str(self.workdir), env=env)
        self.km = km

    def give_files(self, files_from: Path) -> None:
        """Copy the submission's folder (the notebook, any data) into the kernel's cwd."""
        for item in files_from.iterdir():
            target = self.workdir / item.name
            if item.is_dir():
                shutil.copytree(item, target, dirs_exist_ok=True)
            else:
                shutil.copy2(item, target)

    def pid(self) -> int | None:
        provisioner = getattr(self.km, "provisioner", None)
        process = getattr(provisioner, "process", None)
        return getattr(process, "pid", None)

    def close(self) -> None:
        try:
            run_sync(self.km.shutdown_kernel)(now=True)
        except Exception:  # already dead (os._exit, segfault, killed by a limit)
            pass
        process = getattr(getattr(self.km, "provisioner", None), "process", None)
        if process is not None:  # make sure nothing the student started survives
            try:
                process.kill()
                process.wait(timeout=10)  # its PID namespace is empty once it is gone
            except Exception:
                pass
        shutil.rmtree(self.dir, ignore_errors=True)


class WarmKernels:
    """Kernels forked on demand from one zygote (sandboxed as a whole when bubblewrap works).

    Forking takes a fraction of a second, so no kernel is started ahead: one that waited would
    share the sandbox's /tmp with the submission running now.
    """

    def __init__(self, course: Course, sandboxed: bool):
        self.sandboxed = sandboxed
        self.base = Path(tempfile.mkdtemp(prefix="course-kernels-"))
        env = dict(os.environ, HOME=str(self.base), MPLCONFIGDIR=str(self.base / "mpl"),
                   IPYTHONDIR=str(self.base / "ipython"))
        prefix = []
        if sandboxed:
            env["COURSE_SANDBOXED"] = "1"
            env["COURSE_KERNEL_BASE"] = str(self.base)
            prefix = sandbox.prefix(course.root, [self.base], self.base)
        self.zygote = zygote.Zygote(prefix, env, self.base / "zygote.log")

    def take(self) -> Slot:
        return Slot(self.base, self.sandboxed, self.zygote)

    def sweep(self) -> list[int]:
        """After a submission: kill whatever outlived its kernel (see isolation)."""
        return self.zygote.sweep()

    def close(self) -> None:
        self.zygote.close()
        shutil.rmtree(self.base, ignore_errors=True)
