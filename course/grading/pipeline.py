"""One submission through nbgrader's own preprocessors, as `nbgrader autograde` runs them:
which preprocessors (sanitize, then autograde, with WarmExecute for Execute and RepairCells
before OverwriteCells), the configuration they read (the course's, with the task's limits),
the environment of the kernels, and the conversion of one notebook.  `runner.GradingWorker`
calls these per submission; nothing here keeps state between submissions.
"""
from __future__ import annotations

import os
from pathlib import Path

from ..course_folder import Course
from . import gpus
from .task import Task


def sanitize_preprocessors() -> list:
    """nbgrader's Autograde.sanitize_preprocessors with RepairCells before OverwriteCells."""
    from nbgrader.preprocessors import (CheckCellMetadata, ClearOutput, DeduplicateIds,
                                        OverwriteCells, OverwriteKernelspec)

    from .preprocessors import RepairCells

    return [ClearOutput, DeduplicateIds, OverwriteKernelspec, RepairCells, OverwriteCells,
            CheckCellMetadata]


def autograde_preprocessors() -> list:
    """nbgrader's Autograde.autograde_preprocessors, Execute → WarmExecute, without the two
    that write the gradebook (SaveAutoGrades, AssignLatePenalties: see record)."""
    from nbconvert.preprocessors import ClearMetadataPreprocessor
    from nbgrader.preprocessors import CheckCellMetadata, IgnorePattern, LimitOutput

    from .preprocessors.warm_execute import WarmExecute

    return [WarmExecute, IgnorePattern, ClearMetadataPreprocessor, LimitOutput,
            CheckCellMetadata]


def import_worker_modules() -> None:
    """Import what a grading worker needs before its first submission: nbgrader's
    preprocessors and gradebook API, nbconvert's exporter, jupyter_client's kernel manager,
    IPython's cell parser (the tamper scan), the gradebook schema's version (read from
    alembic).  A worker calls it on starting; the engine calls it in the instructor's process
    just before local workers fork from it, so that they inherit it all instead of each
    importing it again (≈ 0.8 core-seconds per worker; the instructor's process needs most
    of it anyway to write the grades).  Nothing here starts a thread or opens a connection:
    forking afterwards stays safe."""
    from IPython.core.inputtransformer2 import TransformerManager  # noqa: F401
    from nbconvert.exporters import NotebookExporter  # noqa: F401

    from . import fastpaths, kernels  # noqa: F401

    sanitize_preprocessors(), autograde_preprocessors()
    fastpaths.schema_head()


def nbgrader_config(course: Course, lang: str, task: Task):
    """The course's nbgrader configuration for `lang`, with this task's limits."""
    cfg = course.config_for(lang)
    cfg.Exporter.default_preprocessors = []  # as nbgrader's converters set it
    limits = task.limits
    if limits.cell_timeout is not None:
        cfg.Execute.timeout = limits.cell_timeout
    cfg.WarmExecute.wall_limit = limits.wall_limit
    cfg.WarmExecute.memory_limit_mb = limits.memory_limit_mb
    cfg.WarmExecute.output_limit_bytes = limits.output_limit_bytes
    cfg.WarmExecute.disk_limit_mb = limits.disk_limit_mb
    cfg.WarmExecute.message_limit_mb = limits.message_limit_mb
    return cfg


def convert(cfg, preprocessors: list, path: Path, course: Course, student: str,
             assignment: str) -> str:
    """What nbgrader's BaseConverter.convert_single_notebook does for one notebook: its
    resources, the exporter with these preprocessors, from_filename; the exported JSON."""
    from nbconvert.exporters import NotebookExporter

    exporter = NotebookExporter(config=cfg)
    for pp in preprocessors:
        exporter.register_preprocessor(pp)
    resources = {"unique_key": path.stem, "output_files_dir": f"{path.stem}_files",
                 "nbgrader": {"student": student, "assignment": assignment,
                              "notebook": path.stem, "db_url": course.db_url}}
    output, _resources = exporter.from_filename(str(path), resources=resources)
    return output


def kernel_env(task: Task) -> dict[str, str]:
    """The environment of this submission's kernels."""
    # as nbgrader's autograde sets it for its kernels (lesson code may ask: explore() draws once)
    env = {"NBGRADER_EXECUTION": "autograde"}
    if not task.figures:
        env["COURSE_NO_FIGURES"] = "1"
    share = task.gpu_share.get(os.uname().nodename, task.gpu_share.get("", 0.0))
    if share:
        env["COURSE_GPU_MEMORY_FRACTION"] = f"{share:.4f}"
    gpu = gpus.for_student(task.student)
    if gpu is not None:  # several GPUs here: this kernel gets one of them
        env["CUDA_VISIBLE_DEVICES"] = gpu
    return env
