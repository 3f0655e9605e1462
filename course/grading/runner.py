"""The worker's half of nbgrader's Autograde: run one submission, write no gradebook.

A `GradingWorker` lives as long as its process (a local grading process, or a Dask worker).
For each assignment bundle it makes a private scratch course (`Course.create`-like: the
course's nbgrader_config.py, its own SQLite gradebook holding only that assignment as the
instructor's gradebook defines it, and `source/<assignment>/`).  Per submission it lays the
task's files out as `submitted/<student>/<assignment>/` there and runs what `nbgrader
autograde` runs, with nbgrader's own code, in nbgrader's order:

  sanitize:  ClearOutput, DeduplicateIds, OverwriteKernelspec, RepairCells, OverwriteCells,
             CheckCellMetadata                      → autograded/<student>/<assignment>/
  autograde: WarmExecute, IgnorePattern, ClearMetadataPreprocessor, LimitOutput,
             CheckCellMetadata                      → the autograded notebook, returned

SaveAutoGrades and AssignLatePenalties (the only steps that write grades) run on the
instructor's side (`record`), on the notebook returned here.  What is not done per submission
any more: building an nbgrader app and its gradebook connections, updating a gradebook.
"""
from __future__ import annotations

import os
import resource
import shutil
import threading
import time
import traceback
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path

from .. import attention
from ..course_folder import CONFIG_FILE, Course
from . import cpu_threads, sandbox, scratch_dirs
from .task import Bundle, Result, Task, load_spec, worker_name
from .pipeline import (autograde_preprocessors, convert as _convert, import_worker_modules,
                       kernel_env as _kernel_env, nbgrader_config as _config,
                       sanitize_preprocessors)
from .worker import Worker

__all__ = ["autograde_preprocessors", "import_worker_modules", "sanitize_preprocessors",
           "GradingWorker", "process_worker", "grade_here", "own_cpu"]


_here: dict = {}  # this process's GradingWorker ("worker"), or why it could not start ("error")
_here_lock = threading.Lock()


def process_worker(hide: tuple[str, ...] = (), sandboxed: bool | None = None,
                   figures: bool = False, preload: tuple[str, ...] = (),
                   workers: int | None = None) -> "GradingWorker | None":
    """This process's GradingWorker (a local grading process or a Dask worker), started on
    first use; None when it cannot start, remembered (rather than raised) so that every task
    can say why (`grade_here`)."""
    with _here_lock:
        if "worker" not in _here and "error" not in _here:
            try:
                _here["worker"] = GradingWorker(hide, sandboxed, figures, preload, workers)
            except Exception as exc:
                _here["error"] = f"{type(exc).__name__}: {exc}"
        return _here.get("worker")


def process_worker_started() -> bool | None:
    """True: this process's GradingWorker is up; False: it could not start; None: not yet."""
    return True if "worker" in _here else False if "error" in _here else None


def close_process_worker() -> None:
    worker = _here.pop("worker", None)
    if worker is not None:
        worker.close()


def grade_here(bundle: Bundle, task: Task) -> Result:
    """Grade one submission with this process's GradingWorker."""
    worker = process_worker()
    if worker is None:
        return Result(task.student, False,
                      reason=f"grading worker could not start: {_here.get('error')}")
    return worker.grade(bundle, task)


class CannotStart(RuntimeError):
    """This worker cannot grade at all (no sandbox where one is required, no zygote)."""


class GradingWorker:
    """A worker process's scratch courses and warm kernels; grades one task at a time."""

    def __init__(self, hide: tuple[str, ...] = (), sandboxed: bool | None = None,
                 figures: bool = False, preload: tuple[str, ...] = (),
                 workers: int | None = None):
        """`preload`: what the first assignment's kernels import beyond zygote.PRELOAD (a
        local worker knows its assignment from the start; a Dask worker learns it per task).
        `workers`: how many local workers share this machine's cores (their kernels' CPU
        threads, see cpu_threads); None on a Dask worker, whose nanny sets them."""
        from multiprocessing.util import Finalize

        from . import fastpaths

        fastpaths.install()
        with scratch_dirs.stop_signals_held():  # no Ctrl-C between the folder and its remover
            self.base = scratch_dirs.make("course-worker-")
            # its scratch courses hold the source notebooks (the hidden tests): removed when
            # the worker process ends, after its kernels (exitpriority 10) are gone; after a
            # SIGKILL, by the next worker (see scratch_dirs)
            Finalize(self, scratch_dirs.remove, args=(self.base,), exitpriority=5)
        self.courses: dict[str, Course] = {}
        self.kernels = None
        self.lock = threading.Lock()  # a Dask worker with several threads: one task at a time
        self.threads = cpu_threads.share(workers) if workers else {}
        self.start_kernels(self._hidden(hide), sandboxed)
        self.kernels.preload(preload)
        # what the first submission would otherwise wait for: its modules imported (already
        # there in a worker forked by the engine), a kernel started
        import_worker_modules()
        self.kernels.start_ahead(_kernel_env(Task("", {}, figures=figures)))
        self.startup_cpu = own_cpu() + self.kernels.cpu()  # reported with the first result

    # --- the kernels --------------------------------------------------------------------

    def _hidden(self, hide) -> tuple[Path, ...]:
        """Course folders present on this machine whose private material kernels must not
        see: this worker's scratch courses and any the task names."""
        roots = {self.base} | {Path(h).resolve() for h in hide if Path(h).is_dir()}
        return tuple(sorted(roots))

    def start_kernels(self, hidden: tuple[Path, ...], sandboxed: bool | None) -> None:
        from .kernels import WarmKernels

        use = sandbox.available() if sandboxed is None else sandboxed
        if use and not sandbox.available():
            raise CannotStart("--sandbox asked for, but bubblewrap is not usable on this worker "
                              "(apt-get install bubblewrap)")
        if self.kernels is not None:
            if self.kernels.sandboxed == use and (self.kernels.hidden == hidden or not use):
                return  # (what is hidden matters only inside the sandbox)
            self.kernels.close()
        for sub in ("source", "submitted", "autograded", "reports"):  # hidden as they exist
            (self.base / sub).mkdir(exist_ok=True)
        (self.base / "gradebook.db").touch()
        self.kernels = WarmKernels(list(hidden), use, self.threads)  # (closed at exit too)
        Worker.current = Worker(self.kernels)

    def close(self) -> None:
        if self.kernels is not None:
            self.kernels.close()
        scratch_dirs.remove(self.base)

    # --- one assignment -----------------------------------------------------------------

    def prepare(self, bundle: Bundle) -> Course:
        """The scratch course for `bundle` (made once per worker)."""
        course = self.courses.get(bundle.key)
        if course is not None:
            return course
        from nbgrader.api import Gradebook

        root = self.base / "courses" / bundle.key[:16]
        shutil.rmtree(root, ignore_errors=True)
        root.mkdir(parents=True)
        text = bundle.config
        text += ("\n# A worker's scratch course: its gradebook is always this folder's SQLite "
                 "file.\nc.CourseDirectory.db_url = 'sqlite:///' + os.path.join(\n"
                 "    os.path.dirname(os.path.abspath(__file__)), 'gradebook.db')\n")
        if "import os" not in text:
            text = "import os\n" + text
        (root / CONFIG_FILE).write_text(text, encoding="utf-8")
        course = Course(root)
        folder = course.source_dir / bundle.assignment
        for rel, data in bundle.source.items():
            (folder / rel).parent.mkdir(parents=True, exist_ok=True)
            (folder / rel).write_bytes(data)
        with Gradebook(course.db_url, course.course_id) as gb:
            load_spec(gb, bundle.spec)
        self.courses[bundle.key] = course
        return course

    # --- one submission -----------------------------------------------------------------

    def grade(self, bundle: Bundle, task: Task) -> Result:
        with self.lock:
            start = time.perf_counter()
            cpu0 = own_cpu()
            zygote0 = self.kernels.cpu() if self.kernels else 0.0
            try:
                self.start_kernels(self._hidden(task.hide), task.sandbox)
                zygote0 = self.kernels.cpu()
                self.kernels.preload(bundle.preload)  # (its CPU: this submission's)
                result = self._grade(bundle, task)
            except CannotStart as exc:
                result = Result(task.student, False, reason=str(exc))
            except Exception:
                result = Result(task.student, False,
                                reason=_short(traceback.format_exc()))
            seen = Worker.current.seen if Worker.current else None
            result.seconds = time.perf_counter() - start
            result.cell_seconds = seen.cell_seconds if seen else 0.0
            result.incidents = list(seen.incidents) if seen else []
            result.kernel_cpu = seen.kernel_cpu if seen else 0.0
            result.cpu_seconds = (own_cpu() - cpu0 + (seen.kernel_cpu if seen else 0.0)
                                  + (self.kernels.cpu() - zygote0 if self.kernels else 0.0))
            result.worker = result.worker or worker_name()
            result.startup_cpu, self.startup_cpu = self.startup_cpu, 0.0
            return result

    def _grade(self, bundle: Bundle, task: Task) -> Result:
        from nbgrader.utils import find_all_files

        course = self.prepare(bundle)
        a, student = bundle.assignment, task.student
        Worker.current.begin_submission()
        Worker.current.kernel_env = _kernel_env(task)
        submitted = course.submitted_dir / student / a
        dest = course.autograded_dir / student / a
        for folder in (submitted, dest):
            shutil.rmtree(folder, ignore_errors=True)
        for rel, data in task.files.items():
            (submitted / rel).parent.mkdir(parents=True, exist_ok=True)
            (submitted / rel).write_bytes(data)
        notebook = submitted / f"{a}.ipynb"
        if not notebook.is_file():
            return Result(student, False, reason=f"No notebooks were matched by '{notebook}'")
        ignore = list(course.config.CourseDirectory.get("ignore", []))
        # what nbgrader's converters copy next to the notebook: the submission's other files,
        # then the source folder's (which win)
        for base in (submitted, course.source_dir / a):
            for path in find_all_files(str(base), ignore + ["*.ipynb"]):
                target = dest / Path(path).relative_to(base)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(path, target)
        attention.clear(course, a, "repair", [student])
        cfg = _config(course, bundle.lang, task)
        try:
            with _inside(course.root):
                out = _convert(cfg, sanitize_preprocessors(), notebook, course, student, a)
                dest.mkdir(parents=True, exist_ok=True)
                graded = dest / f"{a}.ipynb"
                graded.write_text(out, encoding="utf-8")
                with _setenv(NBGRADER_EXECUTION="autograde"):
                    out = _convert(cfg, autograde_preprocessors(), graded, course, student, a)
            result = Result(student, True, notebook=out)
        except Exception:  # as nbgrader: this submission is not graded, with the reason
            result = Result(student, False, reason=_short(traceback.format_exc()))
        result.repairs = [asdict(e) for e in attention.load(course, a)
                          if e.student == student and e.step == "repair"]
        shutil.rmtree(dest, ignore_errors=True)
        shutil.rmtree(submitted, ignore_errors=True)
        return result


def own_cpu() -> float:
    """CPU seconds of this process so far."""
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


@contextmanager
def _inside(folder: Path):
    """nbgrader converts with the course folder as the current directory."""
    before = os.getcwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(before)


@contextmanager
def _setenv(**values: str):
    old = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def _short(text: str) -> str:
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    useful = [ln for ln in lines if "Error" in ln or "error" in ln] or lines
    return " | ".join(useful[-3:])[-600:]
