"""Local grading processes: forked from this process (nbgrader and the rest already
imported), each with its own GradingWorker, zygote and kernels (runner).  Inside
`warm_workers()` they outlive one assignment, and what `engine.grade_ahead` sent them is
remembered here until its grading takes it."""
from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from multiprocessing import get_context
from multiprocessing.context import BaseContext, SpawnProcess

try:
    from multiprocessing.context import ForkProcess
except ImportError:  # Windows
    ForkProcess = None

from . import cpu_threads, runner
from .task import Bundle, Result, Task, reuse_sent

_WARM: dict = {}  # in this process, inside warm_workers(): "depth", "jobs", "pool"
_AHEAD: dict = {}  # (course root, assignment) → (the pool or the cluster's address, bundle
#                   key, {student: (future, task)}): what grade_ahead sent


@contextmanager
def warm_workers() -> Iterator[None]:
    """Inside this block, local workers outlive one `grade_all`: grading several assignments
    (`course grade A B …`, the demo) starts the workers, their zygotes and torch once, not once
    per assignment (2–3 core-seconds per worker each time).  Each worker still gives every
    submission a fresh kernel and imports what a new assignment's kernels need before its
    first one (runner.GradingWorker.grade)."""
    _WARM["depth"] = _WARM.get("depth", 0) + 1
    stopped = False
    try:
        yield
    except BaseException:  # Ctrl-C, an error: the workers stop now, not after their work
        stopped = True
        raise
    finally:
        _WARM["depth"] -= 1
        if not _WARM["depth"]:
            _WARM.pop("run", None)
            drop_warm_pool(now=stopped)


def plan_run(submissions: int) -> None:
    """Inside warm_workers(): the run will grade this many submissions in all, so the workers
    started for its first assignment are as many as the run can keep busy (up to `jobs`),
    not as many as that first assignment has students (3 workers for the demo's 14
    assignments × 3 students on a 16-core machine)."""
    if _WARM.get("depth"):
        _WARM["run"] = max(0, submissions)


def cancel(sent: dict) -> None:
    """Cancel what was sent ahead and not started (a started submission finishes, unread)."""
    for future, _task in sent.values():
        future.cancel()


def drop_warm_pool(now: bool = False) -> None:
    """Shut the kept workers down once their work is done, or at once (`now`: stop_now)."""
    for _where, _key, sent in _AHEAD.values():  # sent ahead and never asked for: not graded
        cancel(sent)
    _AHEAD.clear()
    if "course.grading.cluster" in sys.modules:  # clients kept for a cluster
        sys.modules["course.grading.cluster"].drop_kept()
    pool = _WARM.pop("pool", None)
    _WARM.pop("jobs", None)
    if pool is not None and now:
        stop_now(pool)
    elif pool is not None:
        pool.shutdown(wait=True, cancel_futures=True)


def stop_now(pool: ProcessPoolExecutor) -> None:
    """Stop the workers without waiting for the submissions they are grading (Ctrl-C: one
    could be a hang waiting for its time limit).  On SIGTERM each worker closes itself and exits
    (worker_init): its zygote, kernels and scratch folders go with it.  What it was
    grading is not recorded, so the next `course grade` grades it."""
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        if process.is_alive():
            process.terminate()
    pool.shutdown(wait=True, cancel_futures=True)


def worker_init(hide: tuple[str, ...], sandboxed: bool, figures: bool = False,
                preload: tuple[str, ...] = (), workers: int | None = None) -> None:
    """Start this local worker process's GradingWorker (runner.process_worker).  A Ctrl-C at
    the terminal reaches every process of the command: the workers (and the zygotes they
    start, which inherit it) ignore it, and the instructor's process stops them (stop_now)
    with SIGTERM, on which a worker closes itself and exits (so it does on SIGHUP, when the
    terminal goes away with the instructor's process)."""
    import warnings

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _exit_cleanly)
    signal.signal(signal.SIGHUP, _exit_cleanly)  # the terminal closed (an SSH session lost)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)  # blocked since the fork
    warnings.filterwarnings("ignore", message=".*not in session.*")
    runner.process_worker(hide, sandboxed, figures, preload, workers)


def _exit_cleanly(signum, frame) -> None:
    """Close this worker (its zygote and kernels killed, its scratch folders removed) and
    exit now.  Not through SystemExit: raised inside a submission, concurrent.futures would
    catch it and send it back as that task's error, and the worker would go on waiting for
    work — forever, when its parent is gone.  Silently: the submission cut short has nothing
    to tell the instructor, whose process says what was saved."""
    import os

    # once: a second SIGTERM (the pool terminates the others once one worker has exited)
    # would otherwise run this again inside itself and exit before the finalizers are done
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
        sys.stderr = open(devnull, "w", closefd=False)
        from multiprocessing import util

        util._exit_function()  # the finalizers a normal exit runs: the kernels, the scratch
    finally:
        os._exit(128 + signum)


STOP_SIGNALS = frozenset(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP")
                         if hasattr(signal, name))


class _StartsWithStopSignalsBlocked:
    """The new process inherits the blocked mask; worker_init unblocks it."""

    def start(self) -> None:
        before = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
        try:
            super().start()
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, before)


class SignalSafeSpawnProcess(_StartsWithStopSignalsBlocked, SpawnProcess):
    pass


class SignalSafeForkProcess(_StartsWithStopSignalsBlocked, ForkProcess or SpawnProcess):
    pass


def signal_safe_context(method: str) -> BaseContext:
    """A multiprocessing context whose processes start with Ctrl-C, SIGTERM and SIGHUP blocked
    until worker_init has set what they do.  Otherwise a Ctrl-C in the instant after the fork
    raised KeyboardInterrupt inside a new worker (a traceback, then every submission failed
    as "grading worker crashed"); blocked, it waits and is then ignored like any other.
    A spawned worker (only when another thread runs here) gets less: a new interpreter unblocks
    SIGINT and SIGTERM as it starts, so only SIGHUP stays held."""
    base = get_context(method)
    if not hasattr(signal, "pthread_sigmask"):  # Windows: no signal masks (and no fork)
        return base
    process = SignalSafeForkProcess if method == "fork" else SignalSafeSpawnProcess
    return type("SignalSafeContext", (type(base),), {"Process": process})()


def grade_local(bundle: Bundle, task: Task) -> Result:
    return runner.grade_here(bundle, task)


def kept_pool(jobs: int) -> ProcessPoolExecutor | None:
    """The pool warm_workers() kept, if it has `jobs` workers and none of them died."""
    pool = _WARM.get("pool")
    if pool is None or _WARM.get("jobs") != jobs or getattr(pool, "_broken", False):
        return None
    return pool


def pool_size(jobs: int | None, students: int) -> int:
    """Workers to start: `jobs` (default: every core this process may use, which in a
    container or under `taskset` is fewer than the machine's), no more than there are
    students (in the whole run, where plan_run said how many) — but inside warm_workers() a
    pool already running is kept whatever the class's size."""
    wanted = max(1, jobs or cpu_threads.usable_cpus())
    if kept_pool(wanted) is not None:
        return wanted
    return max(1, min(wanted, max(students, _WARM.get("run", 0))))


def warm_pool(tasks: list[Task], bundle: Bundle, jobs: int) -> ProcessPoolExecutor:
    """The pool for `tasks`: the one warm_workers() kept, or new workers (kept if inside
    warm_workers()).  The workers start now, not on the first result asked for."""
    warm = bool(_WARM.get("depth"))
    pool = kept_pool(jobs) if warm else None
    if pool is None:
        if warm:
            drop_warm_pool()
        hide = tasks[0].hide if tasks else ()
        sandboxed = bool(tasks[0].sandbox) if tasks else False
        figures = bool(tasks[0].figures) if tasks else False
        # Forked workers start with what this process imported (nbgrader, nbconvert,
        # sqlalchemy: 2–3 s of CPU each when spawned); only safe while no other thread runs.
        method = ("fork" if threading.active_count() == 1 and sys.platform == "linux"
                  else "spawn")
        if method == "fork":
            runner.import_worker_modules()  # once here, not once per worker
        pool = ProcessPoolExecutor(max_workers=jobs, mp_context=signal_safe_context(method),
                                   initializer=worker_init,
                                   initargs=(hide, sandboxed, figures, bundle.preload, jobs))
        if warm:
            _WARM.update(pool=pool, jobs=jobs)
    return pool


def local(pool: ProcessPoolExecutor, tasks: list[Task], bundle: Bundle, sent: dict
           ) -> Iterator[Result]:
    """Results of `tasks` on the local workers of `pool`, as each completes; a task already
    `sent` ahead to them and still the same is not sent again (task.reuse_sent)."""
    futures = reuse_sent(tasks, sent, lambda task: pool.submit(grade_local, bundle, task))
    return drain(pool, futures, keep=bool(_WARM.get("depth")))


def drain(pool: ProcessPoolExecutor, futures: dict, keep: bool = False) -> Iterator[Result]:
    """Each future's result as it completes; the pool is shut down afterwards, unless it is
    kept for the next assignment (`keep`: warm_workers() shuts it down, or replaces it if a
    worker died)."""
    try:
        for fut in as_completed(futures):
            try:
                yield fut.result()
            except Exception as exc:  # the worker process itself died
                yield Result(futures[fut], False, reason=f"grading worker crashed: {exc!r}")
    except BaseException:  # Ctrl-C, or the caller stopped reading: stop the workers now
        if not keep:
            stop_now(pool)
        raise
    finally:
        for fut in futures:
            fut.cancel()
        if not keep:
            pool.shutdown(wait=True)
