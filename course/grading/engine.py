"""Parallel autograde with warm, optionally sandboxed kernels — same grades as plain nbgrader.

nbgrader's Autograde is split in two halves (see task):
- workers run the notebooks: local processes (`jobs` of them, see local_workers), or the
  workers of a Dask cluster (`cluster=ADDRESS`, see cluster).  Each runs nbgrader's own
  preprocessors on a private scratch course, with RepairCells among the sanitize steps and
  Execute swapped for WarmExecute, whose kernel is forked from the worker's zygote (torch
  already imported);
- this process writes every grade, as each submission comes back (record): nbgrader's own
  SaveAutoGrades and AssignLatePenalties, one gradebook connection, one commit per submission,
  each student exactly once.

Workers share nothing and never open the class's gradebook.
"""
from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field

from .. import attention
from ..course_folder import Course, CourseError
from ..i18n import _
from . import local_workers, sandbox
from .local_workers import _AHEAD, _WARM, plan_run, warm_workers  # noqa: F401 (the API)
from .progress import GradingProgress
from .record import Recorder
from .runner import own_cpu, sanitize_preprocessors  # (tests build nbgrader configs with it)
from .task import Bundle, Limits, Task
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
              cluster: str | None = None, figures: bool = False,
              on_recorded: Callable[[Outcome], None] | None = None) -> list[Outcome]:
    """Autograde `students` in parallel (on `jobs` local workers, or on the Dask cluster at
    `cluster`); one Outcome each, in the order given.  `figures`: render figures to PNG in
    the autograded notebooks (no score depends on it; off, grading is faster).
    `on_recorded(outcome)` runs as soon as each submission's grades are in the gradebook."""
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
        pool = local_workers.warm_pool(tasks, bundle, jobs)
        results = local_workers.local(pool, tasks, bundle,
                                      _take_ahead(course, assignment, pool, bundle))
    else:
        from . import cluster as dask_cluster

        results = dask_cluster.results(cluster, bundle, tasks,
                                       on_unsandboxed=lambda where: _warn_unsandboxed(
                                           course, assignment, where),
                                       keep=bool(_WARM.get("depth")),
                                       ahead=_take_ahead(course, assignment, cluster, bundle))
    bar = GradingProgress(len(students), enabled=progress)
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
                if on_recorded is not None:
                    on_recorded(outcomes[result.student])
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
    jobs = local_workers.pool_size(jobs, len(students))
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
    wanted = local_workers.pool_size(jobs, len(students))
    if "pool" in _WARM and local_workers.kept_pool(wanted) is None:
        return False  # new workers would stop what the kept ones run now: grade_all decides
    bundle, tasks, jobs = _plan(course, assignment, lang, students, jobs, limits, sandboxed,
                                figures, local=True)
    pool = local_workers.warm_pool(tasks, bundle, jobs)
    _AHEAD[_ahead_key(course, assignment)] = (
        pool, bundle.key,
        {t.student: (pool.submit(local_workers.grade_local, bundle, t), t) for t in tasks})
    return True


def sent_ahead(course: Course, assignment: str) -> bool:
    """This assignment's submissions are already with the workers (its grading takes them)."""
    return _ahead_key(course, assignment) in _AHEAD


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
    local_workers.cancel(sent)
    return {}


def _warn_unsandboxed(course: Course, assignment: str, where: str) -> None:
    warn = _("WARNING: grading UNSANDBOXED ({where}): student code can read the course folder "
             "and use the network (install bubblewrap to isolate it)", where=where)
    print(warn, file=sys.stderr)
    attention.record(course, attention.Entry(assignment, None, "unsandboxed", warn,
                                             step="grade"))
