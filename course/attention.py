"""The list of submissions that needed an instructor's attention, and why.

Every step that cannot treat a submission normally (collect rejected or renamed it, repair
changed it, grading timed out or crashed) appends one entry here; `course report` shows them.
Stored as JSON lines in `reports/<assignment>/attention.jsonl` so concurrent steps only append.
"""
from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

    from .course_folder import Course

KINDS = ("rejected", "renamed", "repaired", "timeout", "crashed", "hang", "limit", "restarted",
         "restored", "tampered", "survivor", "flagged", "pending_again", "not_graded",
         "unsandboxed", "late", "gpu", "kept_earlier")


@dataclass
class Entry:
    assignment: str
    student: str | None  # None when the file could not be mapped to a student
    kind: str  # one of KINDS
    reason: str  # one sentence an instructor understands
    file: str | None = None  # the original file, relative to what was collected
    cell: str | None = None  # grade_id of the cell concerned, if any
    step: str = ""  # "collect", "repair", "scan" (the tamper scan), "grade"
    time: float = field(default_factory=time.time)


def path(course: "Course", assignment: str) -> Path:
    return course.reports_dir(assignment) / "attention.jsonl"


def record(course: "Course", entry: Entry) -> None:
    if entry.kind not in KINDS:
        raise ValueError(f"unknown attention kind {entry.kind!r}")
    p = path(course, entry.assignment)
    p.parent.mkdir(parents=True, exist_ok=True)
    with p.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(asdict(entry), ensure_ascii=False) + "\n")


def clear(course: "Course", assignment: str, step: str, students=None) -> None:
    """Forget the entries of one step (it is being run again), for `students` only if given."""
    forget(course, assignment, lambda e: e.step == step
           and (students is None or e.student in students))


def forget(course: "Course", assignment: str, which: "Callable[[Entry], bool]") -> None:
    """Forget the entries for which `which` is true."""
    entries = [e for e in load(course, assignment) if not which(e)]
    p = path(course, assignment)
    if p.exists():
        p.write_text("".join(json.dumps(asdict(e), ensure_ascii=False) + "\n" for e in entries),
                     encoding="utf-8")


def load(course: "Course", assignment: str) -> list[Entry]:
    p = path(course, assignment)
    if not p.exists():
        return []
    return [Entry(**json.loads(line)) for line in p.read_text(encoding="utf-8").splitlines()
            if line.strip()]
