"""`course grade ASSIGNMENT`: autograde everything in submitted/, then the score table.

By default the fast engine (course.fast_grade: parallel workers, warm sandboxed kernels,
limits, cell repair) runs nbgrader's own Autograde per submission; `--engine nbgrader` runs
plain nbgrader (no repair, no sandbox) one submission at a time, for comparison.  Grades land in the gradebook either way.  A
submission that could not be graded is named with the reason, and every submission that needed
attention (crash, limit, timeout, repair) is recorded for `course report`.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import nbformat

from . import attention, nbgrader_api, release, scores
from .settings import course_root


def in_gradebook(root: Path, assignment: str, scratch: bool = False) -> bool:
    cfg = nbgrader_api.load_config(root, scratch=scratch)
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(cfg.CourseDirectory.db_url, cfg.CourseDirectory.course_id) as gb:
        try:
            gb.find_assignment(assignment)
            return True
        except MissingEntry:
            return False


def submitted_students(root: Path, assignment: str) -> list[str]:
    base = root / "submitted"
    if not base.is_dir():
        return []
    return sorted(d.name for d in base.iterdir() if (d / assignment).is_dir())


def autograde(root: Path, assignment: str, students: list[str],
              scratch: bool = False) -> dict[str, str]:
    """Plain nbgrader, one student at a time; return {student: reason} for failures."""
    api = nbgrader_api.api(root, release.assignment_lang(assignment), scratch)
    failed = {}
    for i, student in enumerate(students, 1):
        print(f"  [{i}/{len(students)}] {assignment} / {student}", file=sys.stderr)
        result = api.autograde(assignment, student, force=True, create=True)
        if not result.get("success"):
            text = (result.get("error") or "") + "\n" + (result.get("log") or "")
            failed[student] = "\n".join(ln for ln in text.splitlines() if ln.strip())[-800:]
    return failed


def record_incidents(root: Path, assignment: str, students: list[str]) -> int:
    """Attention entries for cells that crashed, hit a limit or timed out; returns how many."""
    n = 0
    for student in students:
        path = root / "autograded" / student / assignment / f"{assignment}.ipynb"
        if not path.exists():
            continue
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            for out in cell.get("outputs", []):
                if out.get("output_type") != "error":
                    continue
                kind = {"KernelDied": "crashed", "CellTimeoutError": "timeout"}.get(out.ename)
                if kind is None:
                    continue
                if "limit" in out.evalue and kind == "crashed":
                    kind = "limit"
                if "cell not run" in out.evalue:
                    continue
                gid = cell.metadata.get("nbgrader", {}).get("grade_id", cell.get("id"))
                reason = out.evalue or "the cell did not finish within the per-cell time limit"
                attention.record(root, attention.Entry(assignment, student, kind, reason,
                                                       cell=gid, step="grade"))
                n += 1
    return n


def grade(root: Path, assignment: str, engine: str = "fast", jobs: int | None = None,
          limits=None, use_sandbox: bool | None = None, scratch: bool = False,
          progress: bool = True) -> tuple[list[scores.Row], dict[str, str]]:
    """Grade every submission of `assignment`; (score rows, {student: why not graded})."""
    lang = release.assignment_lang(assignment)
    if not in_gradebook(root, assignment, scratch):
        release.generate(root, assignment, scratch=scratch)
    students = submitted_students(root, assignment)
    if not students:
        raise ValueError(f"nothing to grade: no submitted/<student>/{assignment}/ under {root}")
    attention.clear(root, assignment, "grade")
    attention.clear(root, assignment, "repair")
    if engine == "nbgrader":
        failed = autograde(root, assignment, students, scratch)
    elif engine == "fast":
        from . import fast_grade

        outcomes = fast_grade.grade_all(root, assignment, lang, students, jobs, limits,
                                        use_sandbox, scratch, progress)
        failed = {o.student: o.reason for o in outcomes if not o.success}
    else:
        raise ValueError(f"unknown engine {engine!r} (fast or nbgrader)")
    for student, reason in failed.items():
        attention.record(root, attention.Entry(assignment, student, "not_graded", reason,
                                               step="grade"))
    record_incidents(root, assignment, [s for s in students if s not in failed])
    return scores.table(root, assignment, scratch), failed


def report_failures(failed: dict[str, str]) -> None:
    for student, reason in failed.items():
        print(f"\nNOT GRADED: {student}: {reason}", file=sys.stderr)


def main(assignment: str, engine: str = "fast", jobs: int | None = None, timeout: int | None = None,
         wall: float | None = None, memory_mb: int | None = None,
         sandbox: bool | None = None) -> int:
    from .fast_grade import Limits

    limits = Limits()
    if timeout:
        limits.cell_timeout = timeout
    if wall:
        limits.wall_limit = wall
    if memory_mb:
        limits.memory_limit_mb = memory_mb
    root = course_root()
    start = time.perf_counter()
    rows, failed = grade(root, assignment, engine, jobs, limits, sandbox)
    print(scores.render(rows, assignment))
    incidents = [e for e in attention.load(root, assignment) if e.step == "grade"]
    print(f"\n{len(rows)} graded, {len(failed)} not graded, {len(incidents)} needing attention "
          f"(see `course report {assignment}`), {time.perf_counter() - start:.1f} s")
    report_failures(failed)
    return 1 if failed else 0
