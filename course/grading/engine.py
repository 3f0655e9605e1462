"""Parallel autograde with warm, optionally sandboxed kernels — same grades as plain nbgrader.

Each worker process (its state: grading.worker.Worker) imports nbgrader once and runs
nbgrader's own Autograde converter per submission (so grades land in the gradebook exactly as `nbgrader autograde` puts them); the
sanitize steps gain RepairCells and the Execute step is swapped for WarmExecute, whose kernel is
forked from the worker's zygote (torch already imported).  Workers share nothing but the
gradebook.
"""
from __future__ import annotations

import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from multiprocessing import get_context

from .. import attention
from ..course_folder import Course, CourseError
from . import sandbox
from .worker import Incident, Worker


@dataclass
class Limits:
    cell_timeout: int | None = None  # None: nbgrader_config's Execute.timeout
    wall_limit: float = 600.0
    memory_limit_mb: int = 4096
    output_limit_bytes: int = 2_000_000


@dataclass
class Outcome:
    student: str
    success: bool
    seconds: float
    reason: str = ""
    cell_seconds: float = 0.0  # of `seconds`, time the notebook's own cells ran
    incidents: list[Incident] = field(default_factory=list)


def sanitize_preprocessors() -> list:
    """nbgrader's Autograde.sanitize_preprocessors with RepairCells before OverwriteCells."""
    from nbgrader.preprocessors import (CheckCellMetadata, ClearOutput, DeduplicateIds,
                                        OverwriteCells, OverwriteKernelspec)

    from .preprocessors import RepairCells

    return [ClearOutput, DeduplicateIds, OverwriteKernelspec, RepairCells, OverwriteCells,
            CheckCellMetadata]


def _worker_init(*args) -> None:
    """Set the worker up; remember (rather than raise) a failure so every task can say why."""
    try:
        _setup_worker(*args)
    except Exception as exc:
        Worker.start_error = f"{type(exc).__name__}: {exc}"


def _setup_worker(root: str, assignment: str, lang: str, sandboxed: bool,
                  limits: Limits) -> None:
    import warnings
    from multiprocessing.util import Finalize

    from nbconvert.preprocessors import ClearMetadataPreprocessor
    from nbgrader.apps.api import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.preprocessors import (AssignLatePenalties, CheckCellMetadata, IgnorePattern,
                                        LimitOutput, SaveAutoGrades)

    from .kernels import WarmKernels
    from .preprocessors.warm_execute import WarmExecute

    warnings.filterwarnings("ignore", message=".*not in session.*")
    course = Course(root)
    cfg = course.config_for(lang)
    cfg.Autograde.autograde_preprocessors = [WarmExecute, IgnorePattern, ClearMetadataPreprocessor,
                                            LimitOutput, SaveAutoGrades, AssignLatePenalties,
                                            CheckCellMetadata]
    cfg.Autograde.sanitize_preprocessors = sanitize_preprocessors()
    if limits.cell_timeout is not None:
        cfg.Execute.timeout = limits.cell_timeout
    cfg.WarmExecute.wall_limit = limits.wall_limit
    cfg.WarmExecute.memory_limit_mb = limits.memory_limit_mb
    cfg.WarmExecute.output_limit_bytes = limits.output_limit_bytes
    kernels = WarmKernels(course, sandboxed)
    Finalize(kernels, kernels.close, exitpriority=10)
    api = NbGraderAPI(coursedir=CourseDirectory(config=cfg), config=cfg)
    Worker.current = Worker(assignment, api, kernels)


def _grade_one(student: str) -> Outcome:
    worker = Worker.current
    if worker is None:
        return Outcome(student, False, 0.0,
                       f"grading worker could not start: {Worker.start_error}")
    start = time.perf_counter()
    for attempt in range(3):
        result = worker.api.autograde(worker.assignment, student, force=True, create=True)
        text = (result.get("error") or "") + (result.get("log") or "")
        if result.get("success") or "database is locked" not in text:
            break
        time.sleep(0.5 * (attempt + 1))
    reason = "" if result.get("success") else _short(text)
    return Outcome(student, bool(result.get("success")), time.perf_counter() - start, reason,
                   worker.seen.cell_seconds, list(worker.seen.incidents))


def _short(text: str) -> str:
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    useful = [ln for ln in lines if "Error" in ln or "error" in ln] or lines
    return " | ".join(useful[-3:])[-600:]


def grade_all(course: Course, assignment: str, lang: str, students: list[str],
              jobs: int | None = None, limits: Limits | None = None,
              use_sandbox: bool | None = None, progress: bool = True) -> list[Outcome]:
    """Autograde `students` in parallel; one Outcome each, in the order given."""
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(students)))
    sandboxed = sandbox.available() if use_sandbox is None else use_sandbox
    if use_sandbox and not sandbox.available():
        raise CourseError("--sandbox asked for, but bubblewrap is not usable here "
                           "(apt-get install bubblewrap)")
    if not sandboxed:
        warn = ("WARNING: grading UNSANDBOXED: student code can read the course folder and use "
                "the network (install bubblewrap to isolate it)")
        print(warn, file=sys.stderr)
        attention.record(course, attention.Entry(assignment, None, "unsandboxed", warn,
                                                 step="grade"))
    outcomes: dict[str, Outcome] = {}
    ctx = get_context("spawn")
    bar = _Progress(len(students), enabled=progress)
    with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=_worker_init,
                             initargs=(str(course.root), assignment, lang, sandboxed,
                                       limits or Limits())) as pool:
        futures = {pool.submit(_grade_one, s): s for s in students}
        for fut in as_completed(futures):
            student = futures[fut]
            try:
                out = fut.result()
            except Exception as exc:  # the worker process itself died
                out = Outcome(student, False, 0.0, f"grading worker crashed: {exc!r}")
            outcomes[student] = out
            bar.advance(out.success)
    bar.close()
    startup = {o.reason for o in outcomes.values() if o.reason.startswith("grading worker could not start")}
    if startup and all(not o.success for o in outcomes.values()):
        hint = " (try --no-sandbox, or fix bubblewrap)" if sandboxed else ""
        raise CourseError(f"no submission could be graded: {startup.pop()}{hint}")
    return [outcomes[s] for s in students]


class _Progress:
    """students done / total, failures so far, ETA (rich when available and a terminal)."""

    def __init__(self, total: int, enabled: bool):
        self.total, self.done, self.failed = total, 0, 0
        self.start = time.perf_counter()
        self.bar = None
        if enabled:
            from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn,
                                       TimeRemainingColumn)
            self.bar = Progress(TextColumn("grading"), BarColumn(), MofNCompleteColumn(),
                                TextColumn("failures: {task.fields[failed]}"),
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
