"""The grading side of the kernel zygote (see zygote): start it inside the sandbox, ask it to
fork a kernel or import more modules, sweep what outlived a kernel, and the jupyter_client
provisioner that forks kernels from it instead of exec'ing a fresh Python each time.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from jupyter_client.provisioning.local_provisioner import LocalProvisioner

from .process_tree import ForkedKernel, kill_tree

PROVISIONER = "course-zygote-provisioner"
# What the grading side may set per kernel besides its folders (see kernel_app.kernel_settings).
KERNEL_ENV = ("COURSE_NO_FIGURES", "COURSE_GPU_MEMORY_FRACTION", "CUDA_VISIBLE_DEVICES",
              "NBGRADER_EXECUTION")


class Zygote:
    """One zygote process per grading worker."""

    def __init__(self, prefix: list[str], env: dict[str, str], log: Path):
        """Nothing starts yet (see start): whoever keeps this object can then always close
        it, even when the worker is stopped while the zygote is still starting."""
        self.prefix, self.env, self.log = prefix, env, log
        self.proc: subprocess.Popen | None = None
        self.pid: int | None = None
        self.cuda_initialized = False

    def start(self) -> None:
        """Start the zygote and wait until it is ready (it imports torch: seconds)."""
        with open(self.log, "w") as err:
            # -P: the working directory (the kernels' folder, writable by students) is not
            # on the zygote's import path, nor so on its kernels'
            self.proc = subprocess.Popen(self.prefix + [sys.executable, "-P", "-m",
                                                        "course.grading.zygote"],
                                         stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                         stderr=err, text=True, env=self.env)
        line = self.proc.stdout.readline().strip()
        if not line.startswith("ready "):
            self.proc.kill()
            tail = self.log.read_text(errors="replace").strip().splitlines()[-3:]
            raise RuntimeError(f"kernel zygote did not start: {' | '.join(tail) or line!r}")
        self.pid = int(line.split()[1])  # the zygote itself (self.proc may be bubblewrap)
        # True would mean a preloaded module started CUDA: kernels could not use the GPU
        self.cuda_initialized = line.endswith("cuda-initialized=1")

    def fork(self, connection_file: str, cwd: str, env: dict[str, str], log: str,
             key: bytes = b"") -> int:
        """Start a kernel; its pid (0: it could not start).  `key` signs the guard's replies."""
        request = {"connection_file": connection_file, "cwd": cwd, "env": env, "log": log,
                   "key": key.hex()}
        return self._ask(request)["pid"]

    def preload(self, names: list[str]) -> list[str]:
        """Have the zygote import `names` before it forks more kernels; those it could."""
        answer = self._ask({"import": list(names)})
        self.cuda_initialized = self.cuda_initialized or answer["cuda_initialized"]
        return answer["imported"]

    def _ask(self, request: dict) -> dict:
        """Send one request, read its one-line answer; a zygote that is gone says so."""
        try:
            self.proc.stdin.write(json.dumps(request) + "\n")
            self.proc.stdin.flush()
            line = self.proc.stdout.readline()
        except (BrokenPipeError, ValueError):
            line = ""
        if not line:
            tail = self.log.read_text(errors="replace").strip().splitlines()[-3:]
            raise RuntimeError(f"the kernel zygote has exited (code {self.proc.poll()}): "
                               f"{' | '.join(tail) or 'no message'}")
        return json.loads(line)

    def sweep(self) -> list[int]:
        """Kill every process below the zygote (between two submissions there is none that
        should live); return the pids that had survived their kernel."""
        return kill_tree(self.pid, include_root=False)

    def close(self) -> None:
        """Kill the zygote and every process below it, and return once they are gone: killed
        alone, bubblewrap's child and the kernels die only after it (their parent-death
        signals), and one of them starting up could still write into the kernels' folder
        while it is being removed.  (`self.proc` is our child, not yet reaped: its pid is its
        own.)  A zygote stopped while it started is killed the same way."""
        if self.proc is None:
            return
        kill_tree(self.proc.pid)
        self.proc.wait()
        for pipe in (self.proc.stdin, self.proc.stdout):
            if pipe is not None:
                try:
                    pipe.close()
                except (OSError, RuntimeError):  # a write still buffered for the dead zygote;
                    pass  # or a worker stopped by a signal while it read this very pipe


class ZygoteProvisioner(LocalProvisioner):
    """LocalProvisioner that forks the kernel from its kernel manager's zygote (see
    kernels.Slot) instead of exec'ing."""

    async def launch_kernel(self, cmd, **kwargs):
        zygote = getattr(self.parent, "zygote", None)
        if zygote is None:
            return await super().launch_kernel(cmd, **kwargs)
        cwd = str(kwargs.get("cwd") or os.getcwd())
        env = {k: v for k, v in (kwargs.get("env") or {}).items()
               if k in ("IPYTHONDIR", "MPLCONFIGDIR", "HOME", "TMPDIR", "JPY_SESSION_NAME") + KERNEL_ENV}
        pid = zygote.fork(self.connection_info.get("connection_file") or
                          self.parent.connection_file, cwd, env,
                          str(Path(cwd).parent / "kernel.log"),
                          getattr(self.parent, "guard_key", b""))
        self.process = ForkedKernel(pid)
        self.pid = pid
        self.pgid = pid
        self.cwd = cwd
        return self.connection_info

    async def kill(self, restart: bool = False) -> None:
        """Kill the kernel and all it started, returning once they are gone.  (LocalProvisioner
        signals the process group and returns at once: the kernel manager then finds the
        kernel still dying and sleeps 0.1 s before looking again, in one shutdown out of
        three on a busy machine.)"""
        if isinstance(self.process, ForkedKernel):
            self.process.kill()
        else:
            await super().kill(restart)
