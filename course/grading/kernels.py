"""One fresh kernel per submission, forked from the worker's zygote (see grading.zygote).

Each kernel runs one submission in its own folder (a copy of nbgrader's autograded folder) and
is killed afterwards with everything it started: nothing is shared between students.
"""
from __future__ import annotations

import os
import secrets
import shutil
import tempfile
from multiprocessing.util import Finalize
from pathlib import Path

import psutil
import zmq
from jupyter_client import AsyncKernelManager
from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_core.utils import run_sync
from traitlets import DottedObjectName, Type

from . import disk_use, sandbox, scratch_dirs, zygote_client
from .kernel_client import ReadyClient
from .process_tree import tree_cpu


class _KernelManager(AsyncKernelManager):
    """nbgrader's kernel manager class (nbclient drives it exactly as under plain nbgrader);
    `zygote` is what its provisioner forks the kernel from (None: an ordinary start)."""

    client_class = DottedObjectName("course.grading.kernel_client.ReadyClient")
    client_factory = Type(ReadyClient, klass=AsyncKernelClient)
    zygote: "zygote_client.Zygote | None" = None
    guard_key: bytes = b""  # signs the kernel guard's replies (see checks.guard)
    message_limit_bytes: int = 0  # the largest message its clients receive (see ReadyClient)


class Slot:
    """One started kernel and the private folder it runs in."""

    def __init__(self, base: Path, sandboxed: bool, forker: "zygote_client.Zygote | None",
                 kernel_env: dict[str, str] | None = None):
        self.dir = Path(tempfile.mkdtemp(prefix="slot-", dir=base))
        self.workdir = self.dir / "work"
        self.workdir.mkdir()
        km = _KernelManager(kernel_name="python3")
        km.connection_file = str(self.dir / "connection.json")
        self.env = dict(kernel_env or {})
        self.guarded = forker is not None  # a forked kernel installs checks.guard
        self.key = secrets.token_bytes(32)
        if forker is not None:
            km.zygote = forker
            km.guard_key = self.key
            km.kernel_spec.metadata["kernel_provisioner"] = {
                "provisioner_name": zygote_client.PROVISIONER}
        if sandboxed:
            km.transport = "ipc"  # the sandbox has no network, not even loopback
            km.ip = str(self.dir / "kernel")
        home = self.dir / "home"
        home.mkdir()
        # the kernel's temporary files (`tempfile`, a lesson's data folder) go with its folder,
        # out of the machine's /tmp and out of the next student's way, even though the kernel
        # is killed, not shut down (its `TemporaryDirectory`s are never cleaned up)
        (self.dir / "tmp").mkdir()
        env = dict(os.environ, IPYTHONDIR=str(home / "ipython"), MPLCONFIGDIR=str(home / "mpl"),
                   HOME=str(home), TMPDIR=str(self.dir / "tmp"), **(kernel_env or {}))
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

    def alive(self) -> bool:
        process = getattr(getattr(self.km, "provisioner", None), "process", None)
        return process is not None and process.poll() is None

    def cpu(self) -> float:
        """CPU seconds the kernel and everything it started have used so far."""
        return tree_cpu(self.pid())

    def close(self) -> None:
        """Kill the kernel and all it started; return once they are gone, and so is the
        zygote's child that waited for the kernel (else the sweep would take it for a process
        the submission left behind)."""
        process = getattr(getattr(self.km, "provisioner", None), "process", None)
        waiter = _waiting_parent(getattr(process, "pid", None),
                                 getattr(self.km.zygote, "pid", None))  # while it has a child
        try:
            run_sync(self.km.shutdown_kernel)(now=True)
        except Exception:  # already dead (os._exit, segfault, killed by a limit)
            pass
        if process is not None:  # make sure nothing the student started survives
            try:
                process.kill()
                process.wait(timeout=10)  # its PID namespace is empty once it is gone
            except Exception:
                pass
        if waiter is not None:  # exits as soon as the kernel is gone
            try:
                psutil.wait_procs([waiter], timeout=2)
            except Exception:
                pass
        disk_use.remove_tree(self.dir)


def _waiting_parent(pid: int | None, zygote_pid: int | None):
    """The process between the zygote and a kernel in a PID namespace of its own (it waits
    for the kernel so that the kernel dies with the zygote; see zygote._child)."""
    if not pid or not zygote_pid:
        return None
    try:
        parent = psutil.Process(pid).parent()
    except psutil.Error:
        return None
    return parent if parent is not None and parent.pid != zygote_pid else None


# a kernel's socket: <parent>/course-kernels-XXXXXXXX/slot-XXXXXXXX/kernel-N (see Slot)
_BASE_PREFIX = "course-kernels-"
_LONGEST_PARENT = (zmq.IPC_PATH_MAX_LEN - len("/" + _BASE_PREFIX + "XXXXXXXX")
                   - len("/slot-XXXXXXXX/kernel-5"))


def kernels_parent() -> str:
    """Where a worker's kernels' folder goes: the temporary folder, unless a kernel's Unix
    socket there would be longer than a socket path may be (`zmq.IPC_PATH_MAX_LEN`, 107 on
    Linux: a long `TMPDIR` made every submission fail with "File name too long"); then the
    first short system one that is writable."""
    parent = tempfile.gettempdir()
    if len(parent) <= _LONGEST_PARENT:
        return parent
    for short in ("/tmp", "/var/tmp", "/dev/shm"):
        if os.path.isdir(short) and os.access(short, os.W_OK | os.X_OK):
            return short
    raise RuntimeError(f"the temporary folder {parent!r} is too long for the kernels' sockets "
                       f"(at most {_LONGEST_PARENT} characters); set TMPDIR to a shorter one")


class WarmKernels:
    """Kernels forked on demand from one zygote (sandboxed as a whole when bubblewrap works).

    Forking takes a fraction of a second, so no kernel is started ahead: one that waited would
    share the sandbox's /tmp with the submission running now.
    """

    def __init__(self, hide: list[Path], sandboxed: bool, threads: dict[str, str] | None = None):
        """`hide`: course folders whose private material (source/, submitted/, the gradebook…)
        the kernels must not see (see sandbox.prefix); `threads`: the kernels' CPU thread
        settings (see cpu_threads)."""
        self.sandboxed = sandboxed
        self.hidden = tuple(sorted({Path(p).resolve() for p in hide}))
        self.zygote: zygote_client.Zygote | None = None
        self._ahead: Slot | None = None
        with scratch_dirs.stop_signals_held():  # no Ctrl-C between the folder and its closer
            self.base = scratch_dirs.make(_BASE_PREFIX, kernels_parent())
            # closed once: by close(), or when this process ends (even while the zygote starts)
            self._close_once = Finalize(self, self._close, exitpriority=10)
        env = dict(os.environ, HOME=str(self.base), MPLCONFIGDIR=str(self.base / "mpl"),
                   IPYTHONDIR=str(self.base / "ipython"), COURSE_KERNEL_BASE=str(self.base),
                   **(threads or {}))
        prefix = []
        if sandboxed:
            env["COURSE_SANDBOXED"] = "1"
            prefix = sandbox.prefix(list(self.hidden), [self.base], self.base)
        self.zygote = zygote_client.Zygote(prefix, env, self.base / "zygote.log")
        self.zygote.start()  # stopped meanwhile (SIGTERM), _close kills what it started
        self.preloaded: set[str] = set()  # asked of the zygote beyond zygote.PRELOAD

    def preload(self, names) -> None:
        """Have the zygote import `names` (one assignment's, see grading.preload) for every
        kernel forked from now on; a kernel started ahead without them is let go."""
        missing = [n for n in names if n not in self.preloaded]
        if not missing:
            return
        self.zygote.preload(missing)
        self.preloaded.update(missing)
        if self._ahead is not None:
            self._ahead.close()
            self._ahead = None

    def take(self, kernel_env: dict[str, str] | None = None) -> Slot:
        """A kernel for the next submission: the one started ahead if it is alive and was
        started with the same settings, else a new one."""
        slot, self._ahead = self._ahead, None
        if slot is not None:
            if slot.env == (kernel_env or {}) and slot.alive():
                return slot
            slot.close()
        return Slot(self.base, self.sandboxed, self.zygote, kernel_env)

    def start_ahead(self, kernel_env: dict[str, str] | None = None) -> None:
        """Start the next submission's kernel now, so that it gets ready while the engine
        finishes this submission and prepares the next.  Only once this submission's kernel
        and everything it started are gone (after sweep): the two never share the sandbox."""
        if self._ahead is None:
            try:
                self._ahead = Slot(self.base, self.sandboxed, self.zygote, kernel_env)
            except Exception:  # it will be started (and fail, saying why) when needed
                self._ahead = None

    def cpu(self) -> float:
        """CPU seconds of the zygote itself (its forks), for the per-submission accounting."""
        return tree_cpu(self.zygote.pid, children=False)

    def sweep(self) -> list[int]:
        """After a submission: kill whatever outlived its kernel (see isolation)."""
        return self.zygote.sweep()

    def close(self) -> None:
        self._close_once()

    def _close(self) -> None:
        try:
            if self._ahead is not None:
                self._ahead.close()
                self._ahead = None
            if self.zygote is not None:
                self.zygote.close()
        finally:  # whatever failed above (a worker stopped mid-call), the folder goes
            scratch_dirs.remove(self.base)
