"""A Dask scheduler and workers on 127.0.0.1, started as separate processes with Dask's own
commands, exactly as on a lab's machines: what the tests, `benchmarks/grading.py --cluster` and
an instructor trying `--cluster` out on one machine use."""
from __future__ import annotations

import os

from ..course_folder import CourseError
from ..i18n import _
from . import cpu_threads


class LoopbackCluster:
    """A Dask scheduler and `n` workers on 127.0.0.1, each its own process started with
    Dask's own commands (`dask scheduler`, `dask worker ADDRESS --nthreads 1 --no-nanny
    --preload course.grading.cluster`), as on real machines.  `worker_python` and
    `worker_env` start workers from another interpreter or environment; `preload=False`
    starts them without the course preload."""

    def __init__(self, n: int = 2, preload: bool = True, worker_python: str | None = None,
                 worker_env: dict | None = None, worker_cwd: str | None = None):
        import socket
        import subprocess
        import sys
        import time

        self.procs: dict[str, subprocess.Popen] = {}
        self.logs: dict = {}
        port = _free_port()
        self.address = f"tcp://127.0.0.1:{port}"
        env = dict(os.environ, DASK_DISTRIBUTED__WORKER__DAEMON="False")
        self.scheduler = subprocess.Popen(
            [sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1",
             "--port", str(port), "--no-dashboard"], env=env, start_new_session=True,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        self.python = worker_python or sys.executable
        # what Dask's nanny (off here: a killed worker must die at once) would set: their
        # kernels' CPU threads, this machine's cores shared among the n workers
        self.worker_env = dict(env, **cpu_threads.share(n), **(worker_env or {}))
        self.worker_cwd = worker_cwd
        self.preload = preload
        for _i in range(n):
            self.add_worker()

    def add_worker(self) -> str:
        """Start one more worker; its address."""
        import subprocess
        import tempfile

        port = _free_port()
        address = f"tcp://127.0.0.1:{port}"
        argv = [self.python, "-m", "distributed.cli.dask_worker", self.address,
                "--nthreads", "1", "--no-nanny", "--no-dashboard",
                "--listen-address", address, "--name", f"w{port}"]
        if self.preload:
            argv += ["--preload", "course.grading.cluster"]
        log = tempfile.TemporaryFile()  # what it says if it dies (wait_ready shows it)
        self.procs[address] = subprocess.Popen(
            argv, env=self.worker_env, cwd=self.worker_cwd, start_new_session=True,
            stdout=subprocess.DEVNULL, stderr=log)
        self.logs[address] = log
        return address

    def wait_ready(self, n: int | None = None, timeout: float = 120.0) -> None:
        """Until `n` (all) workers are connected and have their grading state started;
        CourseError, with its last words, as soon as a worker process has died."""
        import time

        from distributed import Client

        n = len(self.procs) if n is None else n
        client = Client(self.address, timeout=timeout, set_as_default=False)
        try:
            deadline = time.monotonic() + timeout
            while len(client.scheduler_info()["workers"]) < n:
                self._no_worker_died()
                if time.monotonic() > deadline:
                    raise CourseError(_("the Dask workers did not connect in {seconds:.0f} s",
                                        seconds=timeout))
                time.sleep(0.2)
            while self.preload:
                ready = client.run(_ready)
                if len(ready) >= n and all(ready.values()):
                    break
                self._no_worker_died()
                if time.monotonic() > deadline:
                    raise CourseError(_("the Dask workers did not start grading in {seconds:.0f}"
                                        " s", seconds=timeout))
                time.sleep(0.5)
        finally:
            client.close()

    def _no_worker_died(self) -> None:
        for address, proc in self.procs.items():
            if proc.poll() is not None:
                log = self.logs[address]
                log.seek(0)
                said = log.read().decode(errors="replace").strip().splitlines()[-5:]
                raise CourseError(_("Dask worker {worker} exited (status {code}) before it "
                                    "was ready: {said}", worker=address, code=proc.returncode,
                                    said=" | ".join(said) or "-"))

    def kill_worker(self, address: str) -> None:
        """SIGKILL a worker (and its process group), as a machine that dies."""
        import signal

        proc = self.procs.pop(address)
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except OSError:
            pass
        proc.wait()

    def close(self) -> None:
        import signal

        for proc in [*self.procs.values(), self.scheduler]:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
            except OSError:
                pass
        for proc in [*self.procs.values(), self.scheduler]:
            try:
                proc.wait(timeout=20)
            except Exception:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        self.procs.clear()
        for log in self.logs.values():
            log.close()
        self.logs.clear()

    def __enter__(self) -> "LoopbackCluster":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _ready() -> bool:
    """Whether this worker's grading state is up, or failed (run on a worker)."""
    from .runner import process_worker_started

    return process_worker_started() is not None
