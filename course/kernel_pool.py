"""Kernels started ahead of time, one per submission, so a student's grading does not wait for
a kernel to boot and `import torch` (≈2.5 s together on a small machine).

Each kernel is a fresh process used for exactly one submission and then killed: nothing is
shared between students.  The warm-up imports heavy modules without binding any name in the
user namespace (and silently: execution counts still start at 1), so a notebook that forgets
`import torch` fails exactly as it would under plain nbgrader.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from jupyter_client import AsyncKernelManager
from jupyter_client.blocking import BlockingKernelClient
from jupyter_core.utils import run_sync

from . import sandbox

WARM_UP = ("import importlib as _i, pkgutil as _p\n"
           "_ms = ['torch', 'numpy', 'course.checks']\n"
           "try:\n    import course.checks as _c\n"
           "    _ms += ['course.checks.' + _n.name for _n in _p.iter_modules(_c.__path__)]\n"
           "except Exception:\n    pass\n"
           "for _m in _ms:\n"
           "    try:\n        _i.import_module(_m)\n    except Exception:\n        pass\n"
           "del _i, _p, _m, _ms\n"
           "try:\n    del _c, _n\nexcept NameError:\n    pass\n")


class _KernelManager(AsyncKernelManager):
    """nbgrader's kernel manager class, with an optional command prefix (bubblewrap)."""

    cmd_prefix: list[str] = []

    def format_kernel_cmd(self, extra_arguments=None):
        return list(self.cmd_prefix) + super().format_kernel_cmd(extra_arguments)


class Slot:
    """One started kernel and the private folder it runs in."""

    def __init__(self, root: Path, sandboxed: bool, base: Path):
        self.dir = Path(tempfile.mkdtemp(prefix="slot-", dir=base))
        self.workdir = self.dir / "work"
        self.workdir.mkdir()
        km = _KernelManager(kernel_name="python3")
        km.connection_file = str(self.dir / "connection.json")
        if sandboxed:
            km.transport = "ipc"  # the sandbox has no network, not even loopback
            km.ip = str(self.dir / "kernel")
            km.cmd_prefix = sandbox.prefix(root, [self.dir], self.workdir)
            # SIGINT to bubblewrap would not reach the kernel: interrupt over the control channel.
            km.kernel_spec.interrupt_mode = "message"
        home = self.dir / "home"
        home.mkdir()
        env = dict(os.environ, IPYTHONDIR=str(home / "ipython"), MPLCONFIGDIR=str(home / "mpl"),
                   HOME=str(home))
        run_sync(km.start_kernel)(cwd=str(self.workdir), env=env)
        self.km = km
        # A throw-away client sends the warm-up; nbclient makes its own client later, and its
        # first request queues behind the warm-up on the kernel's shell channel.
        self.kc = BlockingKernelClient()
        self.kc.load_connection_info(km.get_connection_info())
        self.kc.start_channels()
        self.kc.execute(WARM_UP, silent=True, store_history=False)

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
            self.kc.stop_channels()
        finally:
            try:
                run_sync(self.km.shutdown_kernel)(now=True)
            except Exception:  # already dead (os._exit, segfault, killed by a limit)
                pass
            shutil.rmtree(self.dir, ignore_errors=True)


class WarmKernels:
    """Keeps `ahead` kernels booting while the current submission runs."""

    def __init__(self, root: Path, sandboxed: bool, ahead: int = 1):
        self.root, self.sandboxed, self.ahead = root, sandboxed, ahead
        self.base = Path(tempfile.mkdtemp(prefix="course-kernels-"))
        self.waiting: list[Slot] = []

    def _fill(self) -> None:
        while len(self.waiting) < self.ahead:
            self.waiting.append(Slot(self.root, self.sandboxed, self.base))

    def take(self) -> Slot:
        self._fill()
        slot = self.waiting.pop(0)
        self._fill()
        return slot

    def close(self) -> None:
        for slot in self.waiting:
            slot.close()
        self.waiting = []
        shutil.rmtree(self.base, ignore_errors=True)
