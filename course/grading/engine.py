"""Parallel autograde with warm, optionally sandboxed kernels — same grades as plain nbgrader.

nbgrader's Autograde is split in two halves (see task):
- workers run the notebooks: local processes (`jobs` of them), or the workers of a Dask
  cluster (`cluster=ADDRESS`, see cluster).  Each runs nbgrader's own preprocessors on a
  private scratch course, with RepairCells among the sanitize steps and Execute swapped for
  WarmExecute, whose kernel is forked from the worker's zygote (torch already imported);
- this process writes every grade, as each submission comes back (record): nbgrader's own
  SaveAutoGrades and AssignLatePenalties, one gradebook connection, one commit per submission,
  each student exactly once.

Workers share nothing and never open the class's gradebook.
"""
from __future__ import annotations

import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from multiprocessing import get_context

from .. import attention
from ..course_folder import Course, CourseError
from ..i18n import _
from . import cpu_threads, runner, sandbox
from .record import Recorder
from .runner import own_cpu, sanitize_preprocessors  # (tests build nbgrader configs with it)
from .task import Bundle, Limits, Result, Task, reuse_sent
from .worker import Incident

__all__ = ["Limits", "Outcome", "grade_all", "sanitize_preprocessors", "warm_workers"]


@dataclass
class Outcome:
    student: str
    success: bool
    seconds: float
    reason: str = ""
    cell_seconds: float = 0.0  # of `seconds`, time the notebook's own cells ran
    incidents: list[Incident] = field(default_factory=list)
    cpu_seconds: float = 0.0  # worker process + zygote + kernels, on the worker
    record_cpu: float = 0.0  # this process, writing the grades
    kernel_cpu: float = 0.0  # of cpu_seconds, the kernels'
    startup_cpu: float = 0.0  # the worker's own start, counted with its first submission
    worker: str = ""


def grade_all(course: Course, assignment: str, lang: str, students: list[str],
              jobs: int | None = None, limits: Limits | None = None,
              use_sandbox: bool | None = None, progress: bool = True,
              cluster: str | None = None, figures: bool = False) -> list[Outcome]:
    """Autograde `students` in parallel (on `jobs` local workers, or on the Dask cluster at
    `cluster`); one Outcome each, in the order given.  `figures`: render figures to PNG in
    the autograded notebooks (no score depends on it; off, grading is faster)."""
    if cluster is None:
        sandboxed = sandbox.available() if use_sandbox is None else use_sandbox
        if use_sandbox and not sandbox.available():
            raise CourseError(_("--sandbox asked for, but bubblewrap is not usable here "
                                "(apt-get install bubblewrap)"))
        if not sandboxed:
            _warn_unsandboxed(course, assignment, _("here"))
    bundle, tasks, jobs = _plan(course, assignment, lang, students, jobs, limits,
                                sandboxed if cluster is None else use_sandbox, figures,
                                local=cluster is None)
    outcomes: dict[str, Outcome] = {}
    if cluster is None:  # (workers fork before any thread starts here)
        pool = _warm_pool(tasks, bundle, jobs)
        results = _local(pool, tasks, bundle, _take_ahead(course, assignment, pool, bundle))
    else:
        from . import cluster as dask_cluster

        results = dask_cluster.results(cluster, bundle, tasks,
                                       on_unsandboxed=lambda where: _warn_unsandboxed(
                                           course, assignment, where),
                                       keep=bool(_WARM.get("depth")),
                                       ahead=_take_ahead(course, assignment, cluster, bundle))
    bar = _Progress(len(students), enabled=progress)
    try:
        with Recorder(course, assignment, lang) as recorder:
            for result in results:
                before = own_cpu()
                if not recorder.write(result):  # already written: never twice
                    continue
                outcomes[result.student] = Outcome(
                    result.student, result.success, result.seconds, result.reason,
                    result.cell_seconds, result.incidents, cpu_seconds=result.cpu_seconds,
                    record_cpu=own_cpu() - before, worker=result.worker,
                    kernel_cpu=result.kernel_cpu, startup_cpu=result.startup_cpu)
                bar.advance(result.success)
    finally:
        results.close()
        bar.close()
    startup = {o.reason for o in outcomes.values()
               if o.reason.startswith("grading worker could not start")}
    if startup and all(not o.success for o in outcomes.values()):
        hint = _(" (try --no-sandbox, or fix bubblewrap)") if use_sandbox is not False else ""
        raise CourseError(_("no submission could be graded: {reason}{hint}",
                            reason=startup.pop(), hint=hint))
    return [outcomes[s] for s in students]


def _plan(course: Course, assignment: str, lang: str, students: list[str], jobs: int | None,
          limits: Limits | None, use_sandbox: bool | None, figures: bool, local: bool
          ) -> tuple[Bundle, list[Task], int]:
    """What grading `students` sends to the workers: the assignment's bundle, one task per
    student, and how many local workers."""
    bundle = Bundle.of(course, assignment, lang)
    jobs = _pool_size(jobs, len(students))
    how = dict(limits=limits or Limits(), sandbox=use_sandbox, figures=figures)
    if local:
        how["gpu_share"] = {"": 0.9 / jobs} if jobs > 1 else {}
    return bundle, [Task.of(course, assignment, s, **how) for s in students], jobs


def grade_ahead(course: Course, assignment: str, lang: str, students: list[str],
                jobs: int | None = None, limits: Limits | None = None,
                use_sandbox: bool | None = None, figures: bool = False,
                cluster: str | None = None) -> bool:
    """Inside warm_workers(), hand these submissions to the kept workers (local, or the
    cluster's on the client kept for the run) now (True), queued after everything sent
    before: a worker that finishes the assignment graded now goes on with them instead of
    waiting while this process records the last results, writes reports or starts the next
    assignment.  Nothing is written here: the grading with the same arguments (`grade_all`)
    takes the results and records them, and grades anew any submission whose files or
    settings changed in between.  Outside warm_workers(), or with nothing to grade, nothing
    is sent (False)."""
    if not _WARM.get("depth") or not students or sent_ahead(course, assignment):
        return False
    if cluster is not None:
        from . import cluster as dask_cluster

        bundle, tasks, _jobs = _plan(course, assignment, lang, students, jobs, limits,
                                     use_sandbox, figures, local=False)
        _AHEAD[_ahead_key(course, assignment)] = (
            cluster, bundle.key, dask_cluster.send(cluster, bundle, tasks))
        return True
    sandboxed = sandbox.available() if use_sandbox is None else use_sandbox
    if sandboxed and not sandbox.available():
        return False  # grade_all says why
    if "pool" in _WARM and _kept_pool(_pool_size(jobs, len(students))) is None:
        return False  # new workers would stop what the kept ones run now: grade_all decides
    bundle, tasks, jobs = _plan(course, assignment, lang, students, jobs, limits, sandboxed,
                                figures, local=True)
    pool = _warm_pool(tasks, bundle, jobs)
    _AHEAD[_ahead_key(course, assignment)] = (
        pool, bundle.key, {t.student: (pool.submit(_grade_local, bundle, t), t) for t in tasks})
    return True


def sent_ahead(course: Course, assignment: str) -> bool:
    """This assignment's submissions are already with the workers (its grading takes them)."""
    return _ahead_key(course, assignment) in _AHEAD


def _cancel(sent: dict) -> None:
    for future, _task in sent.values():
        future.cancel()


def _ahead_key(course: Course, assignment: str) -> tuple[str, str]:
    return str(course.root.resolve()), assignment


def _take_ahead(course: Course, assignment: str, where, bundle: Bundle) -> dict:
    """What grade_ahead sent for this assignment to `where` (the pool, or the cluster's
    address) with this bundle, {student: (future, task)}; what was sent elsewhere or for
    another version of the assignment is cancelled."""
    entry = _AHEAD.pop(_ahead_key(course, assignment), None)
    if entry is None:
        return {}
    sent_to, key, sent = entry
    if sent_to == where and key == bundle.key:
        return sent
    _cancel(sent)
    return {}


def _warn_unsandboxed(course: Course, assignment: str, where: str) -> None:
    warn = _("WARNING: grading UNSANDBOXED ({where}): student code can read the course folder "
             "and use the network (install bubblewrap to isolate it)", where=where)
    print(warn, file=sys.stderr)
    attention.record(course, attention.Entry(assignment, None, "unsandboxed", warn,
                                             step="grade"))


# --- local workers ------------------------------------------------------------------------

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
    try:
        yield
    finally:
        _WARM["depth"] -= 1
        if not _WARM["depth"]:
            _WARM.pop("run", None)
            _drop_warm_pool()


def plan_run(submissions: int) -> None:
    """Inside warm_workers(): the run will grade this many submissions in all, so the workers
    started for its first assignment are as many as the run can keep busy (up to `jobs`),
    not as many as that first assignment has students (3 workers for the demo's 14
    assignments × 3 students on a 16-core machine)."""
    if _WARM.get("depth"):
        _WARM["run"] = max(0, submissions)


def _drop_warm_pool() -> None:
    for _where, _key, sent in _AHEAD.values():  # sent ahead and never asked for: not graded
        _cancel(sent)
    _AHEAD.clear()
    if "course.grading.cluster" in sys.modules:  # clients kept for a cluster
        sys.modules["course.grading.cluster"].drop_kept()
    pool = _WARM.pop("pool", None)
    _WARM.pop("jobs", None)
    if pool is not None:
        pool.shutdown(wait=True, cancel_futures=True)


def _worker_init(hide: tuple[str, ...], sandboxed: bool, figures: bool = False,
                 preload: tuple[str, ...] = (), workers: int | None = None) -> None:
    """Start this local worker process's GradingWorker (runner.process_worker)."""
    import warnings

    from . import runner

    warnings.filterwarnings("ignore", message=".*not in session.*")
    runner.process_worker(hide, sandboxed, figures, preload, workers)


def _grade_local(bundle: Bundle, task: Task) -> Result:
    from .runner import grade_here

    return grade_here(bundle, task)


def _kept_pool(jobs: int) -> ProcessPoolExecutor | None:
    """The pool warm_workers() kept, if it has `jobs` workers and none of them died."""
    pool = _WARM.get("pool")
    if pool is None or _WARM.get("jobs") != jobs or getattr(pool, "_broken", False):
        return None
    return pool


def _pool_size(jobs: int | None, students: int) -> int:
    """Workers to start: `jobs` (default: every core this process may use, which in a
    container or under `taskset` is fewer than the machine's), no more than there are
    students (in the whole run, where plan_run said how many) — but inside warm_workers() a
    pool already running is kept whatever the class's size."""
    wanted = max(1, jobs or cpu_threads.usable_cpus())
    if _kept_pool(wanted) is not None:
        return wanted
    return max(1, min(wanted, max(students, _WARM.get("run", 0))))


def _warm_pool(tasks: list[Task], bundle: Bundle, jobs: int) -> ProcessPoolExecutor:
    """The pool for `tasks`: the one warm_workers() kept, or new workers (kept if inside
    warm_workers()).  The workers start now, not on the first result asked for."""
    warm = bool(_WARM.get("depth"))
    pool = _kept_pool(jobs) if warm else None
    if pool is None:
        if warm:
            _drop_warm_pool()
        hide = tasks[0].hide if tasks else ()
        sandboxed = bool(tasks[0].sandbox) if tasks else False
        figures = bool(tasks[0].figures) if tasks else False
        # Forked workers start with what this process imported (nbgrader, nbconvert,
        # sqlalchemy: 2–3 s of CPU each when spawned); only safe while no other thread runs.
        method = ("fork" if threading.active_count() == 1 and sys.platform == "linux"
                  else "spawn")
        if method == "fork":
            runner.import_worker_modules()  # once here, not once per worker
        pool = ProcessPoolExecutor(max_workers=jobs, mp_context=get_context(method),
                                   initializer=_worker_init,
                                   initargs=(hide, sandboxed, figures, bundle.preload, jobs))
        if warm:
            _WARM.update(pool=pool, jobs=jobs)
    return pool


def _local(pool: ProcessPoolExecutor, tasks: list[Task], bundle: Bundle, sent: dict
           ) -> Iterator[Result]:
    """Results of `tasks` on the local workers of `pool`, as each completes; a task already
    `sent` ahead to them and still the same is not sent again (task.reuse_sent)."""
    futures = reuse_sent(tasks, sent, lambda task: pool.submit(_grade_local, bundle, task))
    return _drain(pool, futures, keep=bool(_WARM.get("depth")))


def _drain(pool: ProcessPoolExecutor, futures: dict, keep: bool = False) -> Iterator[Result]:
    """Each future's result as it completes; the pool is shut down afterwards, unless it is
    kept for the next assignment (`keep`: warm_workers() shuts it down, or replaces it if a
    worker died)."""
    try:
        for fut in as_completed(futures):
            try:
                yield fut.result()
            except Exception as exc:  # the worker process itself died
                yield Result(futures[fut], False, reason=f"grading worker crashed: {exc!r}")
    finally:
        for fut in futures:
            fut.cancel()
        if not keep:
            pool.shutdown(wait=True)


class _Progress:
    """students done / total, failures so far, ETA (rich when available and a terminal)."""

    def __init__(self, total: int, enabled: bool):
        self.total, self.done, self.failed = total, 0, 0
        self.start = time.perf_counter()
        self.bar = None
        if enabled:
            from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn,
                                       TimeRemainingColumn)
            self.bar = Progress(TextColumn(_("grading")), BarColumn(), MofNCompleteColumn(),
                                TextColumn(_("failures: {n}", n="{task.fields[failed]}")),
                                TimeRemainingColumn(), transient=False)
            self.task = self.bar.add_task("grade", total=total, failed=0)
            self.bar.start()

    def advance(self, ok: bool) -> None:
        self.done += 1
        self.failed += 0 if ok else 1
        if self.bar:
            self.bar.update(self.task, advance=1, failed=self.failed)

    def close(self) -> None:
        if self.bar:
            self.bar.stop()
