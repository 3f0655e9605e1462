"""A submission to grade, as plain data that can travel to any worker, and what comes back.

nbgrader's Autograde does two things per submission: it runs the notebook (sanitize, execute,
ignore-pattern, clear-metadata, limit-output, check-metadata) and it writes the gradebook
(the student, the submission and its timestamp, SaveAutoGrades, AssignLatePenalties).  The
engine splits them: a worker (a local process or a Dask worker on another machine) does the
first on a private scratch course of its own (`runner`), from a `Task` and the assignment's
`Bundle`; the instructor's process does the second, once per submission, in one gradebook
session (`record`).  A worker therefore needs neither the gradebook, nor `source/`, nor any
other student's files: only what its task carries.
"""
from __future__ import annotations

import hashlib
import json
import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path

from ..course_folder import CONFIG_FILE, Course
from .preload import modules_for
from .worker import Incident


@dataclass
class Limits:
    cell_timeout: int | None = None  # None: nbgrader_config's Execute.timeout
    wall_limit: float = 600.0
    memory_limit_mb: int = 4096
    output_limit_bytes: int = 2_000_000
    disk_limit_mb: int = 1024  # the kernel's writable folder on the worker's disk
    message_limit_mb: int = 32  # one message from the kernel (see kernel_client.ReadyClient)


@dataclass(frozen=True)
class Bundle:
    """What every submission of one assignment shares, sent once to each worker."""

    assignment: str
    lang: str
    config: str  # the course's nbgrader_config.py
    source: dict[str, bytes]  # source/<assignment>/ as nbgrader uses it: the notebook + files
    spec: dict  # the assignment as the gradebook holds it (what OverwriteCells compares with)
    key: str  # a digest of all the above: a worker prepares each bundle once
    preload: tuple[str, ...] = ()  # what its kernels import beyond zygote.PRELOAD (preload)

    @classmethod
    def of(cls, course: Course, assignment: str, lang: str) -> "Bundle":
        from nbgrader.utils import find_all_files

        folder = course.source_dir / assignment
        ignore = list(course.config.CourseDirectory.get("ignore", []))
        files = {f"{assignment}.ipynb": (folder / f"{assignment}.ipynb").read_bytes()}
        for path in find_all_files(str(folder), ignore + ["*.ipynb"]):
            files[Path(path).relative_to(folder).as_posix()] = Path(path).read_bytes()
        config = (course.root / CONFIG_FILE).read_text(encoding="utf-8")
        with course.gradebook() as gb:
            spec = assignment_spec(gb, assignment)
        digest = hashlib.sha256(pickle.dumps((assignment, lang, config, sorted(files.items()),
                                              json.dumps(spec, sort_keys=True, default=str))))
        return cls(assignment, lang, config, files, spec, digest.hexdigest(),
                   modules_for(files[f"{assignment}.ipynb"]))


@dataclass
class Task:
    """One submission: its folder's files, and how to grade it."""

    student: str
    files: dict[str, bytes]  # submitted/<student>/<assignment>/, relative paths
    limits: Limits = field(default_factory=Limits)
    sandbox: bool | None = None  # None: wherever bubblewrap works on the worker
    figures: bool = False  # render figures to PNG (False: their text form; no score changes)
    hide: tuple[str, ...] = ()  # course folders the kernels must not see, if on that machine
    gpu_share: dict[str, float] = field(default_factory=dict)  # host → share of its GPUs

    @classmethod
    def of(cls, course: Course, assignment: str, student: str, **how) -> "Task":
        folder = course.submitted_notebook(student, assignment).parent
        files = {p.relative_to(folder).as_posix(): p.read_bytes()
                 for p in sorted(folder.rglob("*")) if p.is_file()}
        return cls(student, files, hide=(str(course.root),), **how)


@dataclass
class Result:
    """What grading one submission gave, for the instructor's side to record."""

    student: str
    success: bool
    notebook: str | None = None  # the autograded notebook (JSON), when graded
    reason: str = ""  # why not, when not graded
    seconds: float = 0.0  # wall-clock time on the worker
    cell_seconds: float = 0.0  # of `seconds`, time the notebook's own cells ran
    cpu_seconds: float = 0.0  # CPU of the worker process, the zygote and the kernels
    kernel_cpu: float = 0.0  # of cpu_seconds, the kernels' (processes no one waits for)
    startup_cpu: float = 0.0  # the worker's start (zygote preload…), on its first result only
    incidents: list[Incident] = field(default_factory=list)
    repairs: list[dict] = field(default_factory=list)  # RepairCells' attention entries
    worker: str = ""  # which worker graded it (host:pid or the Dask address)


def reuse_sent(tasks: list[Task], sent: dict, submit) -> dict:
    """{future: student} for `tasks`: the future already sent ahead for a student
    (`sent`: {student: (future, task)}) when its task is still the same, else a new one from
    `submit(task)`; what was sent and is not reused is cancelled (a future already running
    finishes unread: only what is returned here is ever recorded)."""
    sent = dict(sent)
    futures = {}
    for task in tasks:
        future, was = sent.pop(task.student, (None, None))
        if future is None or was != task or future.cancelled():
            if future is not None:
                future.cancel()
            future = submit(task)
        futures[future] = task.student
    for future, _task in sent.values():
        future.cancel()
    return futures


def assignment_spec(gb, assignment: str) -> dict:
    """The assignment's definition in the gradebook as plain data, rows in the gradebook's own
    order (nbgrader's OverwriteCells restores deleted cells in that order)."""
    a = gb.find_assignment(assignment)
    notebooks = []
    for nb in a.notebooks:
        notebooks.append({
            "name": nb.name, "kernelspec": nb.kernelspec,
            "grade_cells": [{"name": c.name, "max_score": c.max_score, "cell_type": c.cell_type}
                            for c in nb.grade_cells],
            "solution_cells": [{"name": c.name} for c in nb.solution_cells],
            "task_cells": [{"name": c.name, "max_score": c.max_score, "cell_type": c.cell_type}
                           for c in nb.task_cells],
            "source_cells": [{"name": c.name, "cell_type": c.cell_type, "locked": c.locked,
                              "source": c.source, "checksum": c.checksum}
                             for c in nb.source_cells],
        })
    return {"name": a.name, "duedate": a.duedate.isoformat() if a.duedate else None,
            "notebooks": notebooks}


def load_spec(gb, spec: dict) -> None:
    """Write `spec` (see assignment_spec) into an empty gradebook."""
    name = spec["name"]
    gb.update_or_create_assignment(name, **({"duedate": spec["duedate"]} if spec["duedate"]
                                            else {}))
    for nb in spec["notebooks"]:
        gb.update_or_create_notebook(nb["name"], name, kernelspec=nb["kernelspec"])
        for c in nb["grade_cells"]:
            gb.update_or_create_grade_cell(c["name"], nb["name"], name, max_score=c["max_score"],
                                           cell_type=c["cell_type"])
        for c in nb["solution_cells"]:
            gb.update_or_create_solution_cell(c["name"], nb["name"], name)
        for c in nb["task_cells"]:
            gb.update_or_create_task_cell(c["name"], nb["name"], name, max_score=c["max_score"],
                                          cell_type=c["cell_type"])
        for c in nb["source_cells"]:
            gb.update_or_create_source_cell(c["name"], nb["name"], name,
                                            cell_type=c["cell_type"], locked=c["locked"],
                                            source=c["source"], checksum=c["checksum"])


def worker_name() -> str:
    return f"{os.uname().nodename}:{os.getpid()}"
