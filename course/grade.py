"""`course grade ASSIGNMENT`: plain nbgrader autograde of everything in submitted/, then the
score table.  A submission nbgrader could not grade is named with nbgrader's reason."""
from __future__ import annotations

import sys
from pathlib import Path

from . import nbgrader_api, release, scores
from .settings import course_root


def in_gradebook(root: Path, assignment: str) -> bool:
    cfg = nbgrader_api.load_config(root)
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
    """Autograde each student; return {student: reason} for those nbgrader failed on."""
    api = nbgrader_api.api(root, release.assignment_lang(assignment), scratch)
    failed = {}
    for i, student in enumerate(students, 1):
        print(f"  [{i}/{len(students)}] {assignment} / {student}", file=sys.stderr)
        result = api.autograde(assignment, student, force=True, create=True)
        if not result.get("success"):
            text = (result.get("error") or "") + "\n" + (result.get("log") or "")
            failed[student] = "\n".join(ln for ln in text.splitlines() if ln.strip())[-800:]
    return failed


def grade(root: Path, assignment: str) -> tuple[list[scores.Row], dict[str, str]]:
    release.assignment_lang(assignment)
    if not in_gradebook(root, assignment):
        release.generate(root, assignment)
    students = submitted_students(root, assignment)
    if not students:
        raise ValueError(f"nothing to grade: no submitted/<student>/{assignment}/ under {root}")
    failed = autograde(root, assignment, students)
    return scores.table(root, assignment), failed


def report_failures(failed: dict[str, str]) -> None:
    for student, reason in failed.items():
        print(f"\nNOT GRADED: {student}: nbgrader failed on this submission:\n{reason}",
              file=sys.stderr)


def main(assignment: str) -> int:
    rows, failed = grade(course_root(), assignment)
    print(scores.render(rows, assignment))
    report_failures(failed)
    return 1 if failed else 0
