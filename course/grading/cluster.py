"""Grading past one machine: `course grade --cluster ADDRESS` on a Dask distributed cluster.

Workers are Dask's own, started anywhere the course package is installed with

    dask worker ADDRESS --nthreads 1 --preload course.grading.cluster

(`--nworkers N` for several on one machine).  The preload (`dask_setup`) starts, in each worker
process, what local grading starts in each of its processes: the warm kernel zygote (torch,
ipykernel and every lesson's hidden tests already imported) inside the sandbox when bubblewrap
works there.  A worker started without it still grades; it starts the same on its first task.

What travels: the assignment's `task.Bundle` (nbgrader_config.py, `source/<assignment>/`, the
assignment's definition from the gradebook) once to every worker, then one `task.Task` per
submission (that submission's files and the limits).  The worker grades it exactly as a local
worker does (`runner`: sandbox, limits, repair, WarmExecute, nbgrader's preprocessors on a
scratch course of its own) and returns the autograded notebook, its incidents and timing.
The gradebook never leaves the instructor's machine: `engine` writes every grade there as each
result arrives, each student once.  A worker that dies mid-submission loses nothing: Dask runs
its tasks again on another worker (up to `distributed.scheduler.allowed-failures` times), and
the result of a task arrives once.

Several assignments in one run (`course grade A B … --cluster ADDRESS`, inside
`engine.warm_workers()`) use one client for the whole run, and each next assignment's
submissions are submitted before the current one is graded (`send`, through
`engine.grade_ahead`): workers that finish the current assignment go on with the next
instead of waiting for its last submission.  Its own grading (`results(ahead=…)`) takes those
futures, submits again only what changed since, and is still the only one that records.

GPUs: a worker with CUDA runs the hidden tests on it, as locally.  Workers of one machine share
its GPUs: each kernel may use 0.9 / (workers on that machine) of each GPU's memory, and every
kernel (one per submission) makes its own CUDA context, so a CUDA error cannot outlive the
submission that caused it.
"""
from __future__ import annotations

import os
import threading
from collections import Counter
from collections.abc import Callable, Iterator

from ..course_folder import CourseError
from ..i18n import _
from .task import Bundle, Result, Task, reuse_sent

PROTOCOL = 1  # what a task and a result look like; instructor and workers must agree
WORKER_COMMAND = "dask worker {address} --nthreads 1 --preload course.grading.cluster"
INSTALL_HINT = "pip install autograd-course (or pip install -e <checkout>)"
# Evaluated by each worker with builtins only, so it runs where `course` cannot be imported.
PROBE = ("(lambda u: u.find_spec('course') is not None and "
         "u.find_spec('course.grading.cluster') is not None)(__import__('importlib.util').util)")


# --- on the worker ------------------------------------------------------------------------

def dask_setup(worker=None) -> None:
    """Dask's preload hook: start this worker's grading state (runner.process_worker: zygote,
    sandbox) in the background, so the worker joins the cluster at once."""
    from .runner import process_worker

    threading.Thread(target=process_worker, daemon=True, name="course-grading-setup").start()


def dask_teardown(worker=None) -> None:
    from .runner import close_process_worker

    close_process_worker()


def grade_task(bundle: Bundle, task: Task) -> Result:
    """A Dask task: grade one submission on this worker."""
    from .runner import grade_here

    result = grade_here(bundle, task)
    result.worker = _address()
    return result


def worker_info() -> dict:
    """What the instructor's side checks before sending work (run on every worker)."""
    from . import sandbox

    cuda = False
    try:  # without creating a CUDA context in the worker process
        os.environ.setdefault("PYTORCH_NVML_BASED_CUDA_CHECK", "1")
        import torch

        cuda = torch.cuda.is_available()
    except Exception:
        pass
    from .runner import process_worker_started

    return {"protocol": PROTOCOL, "host": os.uname().nodename, "sandbox": sandbox.available(),
            "cuda": cuda, "preloaded": process_worker_started() is True}


def _address() -> str:
    try:
        from distributed import get_worker

        return get_worker().address
    except Exception:
        from .task import worker_name

        return worker_name()


# --- on the instructor's machine ----------------------------------------------------------

def connect(address: str, wait: float = 60.0):
    """A Dask client of the scheduler at `address`, with at least one worker; CourseError
    (saying how to start workers) otherwise."""
    try:
        from distributed import Client
    except ImportError:
        raise CourseError(_("--cluster needs Dask's distributed package on this machine: "
                            "pip install 'dask[distributed]'")) from None
    try:
        client = Client(address, timeout=wait, set_as_default=False)
    except OSError as exc:
        raise CourseError(_("no Dask scheduler answers at {address} ({error}); start one "
                            "with `dask scheduler`", address=address, error=exc)) from None
    try:
        client.wait_for_workers(1, timeout=wait)
    except Exception:
        client.close()
        raise CourseError(_("the Dask scheduler at {address} has no worker; start workers "
                            "with: {command}", address=address,
                            command=WORKER_COMMAND.format(address=address))) from None
    return client


def check_workers(client, address: str) -> dict[str, dict]:
    """Every worker's worker_info(); CourseError naming the workers that cannot grade."""
    has_course = client.run(eval, PROBE, on_error="return")
    missing = sorted(w for w, ok in has_course.items() if ok is not True)
    if missing:
        raise CourseError(_(
            "the course package cannot be imported on Dask worker(s) {workers}: install it "
            "there ({install}) and start them with: {command}", workers=", ".join(missing),
            install=INSTALL_HINT, command=WORKER_COMMAND.format(address=address)))
    info = client.run(worker_info, on_error="return")
    bad = sorted(w for w, i in info.items()
                 if not isinstance(i, dict) or i.get("protocol") != PROTOCOL)
    if bad:
        raise CourseError(_(
            "Dask worker(s) {workers} run another version of the course package: install "
            "this one there ({install})", workers=", ".join(bad), install=INSTALL_HINT))
    return info


def gpu_shares(info: dict[str, dict]) -> dict[str, float]:
    """host → each kernel's share of that host's GPU memory (its workers share the GPUs)."""
    per_host = Counter(i["host"] for i in info.values() if i.get("cuda"))
    return {host: 0.9 / n for host, n in per_host.items() if n > 1}


_KEPT: dict = {}  # address → Dask client, kept inside engine.warm_workers()


def _client(address: str, keep: bool):
    """A client of the scheduler at `address`: inside engine.warm_workers() (`keep`), the
    one kept for the whole run (a new one if it lost the scheduler)."""
    client = _KEPT.get(address) if keep else None
    if client is not None and client.status == "running":
        return client
    client = connect(address)
    if keep:
        _KEPT[address] = client
    return client


def drop_kept() -> None:
    """Close the clients warm_workers() kept (its futures go with them)."""
    for client in _KEPT.values():
        try:
            client.close()
        except Exception:
            pass
    _KEPT.clear()


def _checked(client, address: str, tasks: list[Task]) -> dict[str, dict]:
    """check_workers, and the sandbox where one is asked for (CourseError otherwise)."""
    info = check_workers(client, address)
    bare = sorted(w for w, i in info.items() if not i["sandbox"])
    if bare and tasks and tasks[0].sandbox:
        raise CourseError(_("--sandbox asked for, but bubblewrap is not usable on Dask "
                            "worker(s) {workers} (apt-get install bubblewrap there)",
                            workers=", ".join(bare)))
    return info


def _submit(client, data, bundle: Bundle, task: Task, shares: dict[str, float]):
    from dataclasses import replace

    return client.submit(grade_task, data, replace(task, gpu_share=shares), pure=False,
                         key=f"course-grade-{bundle.assignment}-{task.student}-"
                             f"{os.urandom(4).hex()}")


def send(address: str, bundle: Bundle, tasks: list[Task]) -> dict:
    """Inside engine.warm_workers(): submit `tasks` now on the kept client ({student:
    (future, task)}, for `results(ahead=…)`).  What `results` would refuse (no scheduler, a
    worker without the course package or without the sandbox asked for) is refused here
    already, with the same CourseError."""
    client = _client(address, keep=True)
    shares = gpu_shares(_checked(client, address, tasks))
    data = client.scatter(bundle, broadcast=True, hash=False)
    return {t.student: (_submit(client, data, bundle, t, shares), t) for t in tasks}


def results(address: str, bundle: Bundle, tasks: list[Task],
            on_unsandboxed: Callable[[str], None] | None = None, keep: bool = False,
            ahead: dict | None = None) -> Iterator[Result]:
    """Grade `tasks` on the cluster; yield each submission's Result as it completes (once
    each, whatever workers died on the way).  `keep`: inside engine.warm_workers(), on the
    client kept for the run; `ahead`: what `send` submitted earlier, whose futures are used
    for the tasks that are still the same (the others are cancelled)."""
    from distributed import as_completed

    client = _client(address, keep)
    futures = {}
    try:
        info = _checked(client, address, tasks)
        bare = sorted(w for w, i in info.items() if not i["sandbox"])
        if bare and on_unsandboxed is not None:
            on_unsandboxed(_("Dask workers {workers}", workers=", ".join(bare)))
        shares = gpu_shares(info)
        data = []  # the bundle, scattered once if any task must be submitted now

        def submit(task: Task):
            data[:] = data or [client.scatter(bundle, broadcast=True, hash=False)]
            return _submit(client, data[0], bundle, task, shares)

        futures = reuse_sent(tasks, ahead or {}, submit)
        task_of = {t.student: t for t in tasks}
        done: set[str] = set()
        resent: dict[str, int] = {}
        completed = as_completed(list(futures), loop=client.loop)
        for fut in completed:
            student = futures[fut]
            if student in done:
                continue
            what, value = outcome(fut, resent.get(student, 0))
            if what == "again":
                resent[student] = resent.get(student, 0) + 1
                again = submit(task_of[student])
                futures[again] = student
                completed.add(again)
                continue
            done.add(student)
            if what == "result":
                yield value
                continue
            exc = value
            if isinstance(exc, ImportError) and "course" in str(exc):
                check_workers(client, address)  # names the worker that lacks the package
            yield Result(student, False, reason=_short_error(exc))
    finally:
        for fut in [*futures, *(f for f, _t in (ahead or {}).values())]:
            fut.cancel()
        if not keep:
            client.close()


# How often a submission whose result was lost with its worker is sent again.
LOST_RETRIES = 3


def outcome(fut, resent: int) -> tuple[str, object]:
    """What a completed future means: ("result", the Result), ("failed", its exception), or
    ("again", None) when it was lost rather than failed — its result lived on a worker that
    died before it was fetched (so nothing was recorded) — and has been sent again fewer than
    LOST_RETRIES times: it is graded again elsewhere.  A lost future used to be reported as a
    failure whose reason was "NoneType: None"."""
    if fut.status == "finished":
        return "result", fut.result()
    exc = fut.exception() if fut.status == "error" else None
    if exc is None and resent < LOST_RETRIES:
        return "again", None
    return "failed", exc


def _short_error(exc: BaseException | None) -> str:
    if exc is None:
        return ("its result was lost with the Dask workers that held it, "
                f"{LOST_RETRIES} times: not graded")
    name = type(exc).__name__
    if name == "KilledWorker":
        return (f"every Dask worker that tried this submission died while grading it "
                f"({exc})")
    return f"{name}: {exc}"[-600:]
