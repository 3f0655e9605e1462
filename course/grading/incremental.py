"""Re-grading that keeps the teacher's work.

`course grade` grades only submissions that are new or changed since their last grading: a
submission's *fingerprint* (SHA-256 over its folder's files, the instructor's source
notebook, the code of the hidden tests, the due date and the late policy, so a changed test or
deadline re-grades everyone) is stored next to its autograded notebook after a successful
grading, and an unchanged one is skipped (`--force` re-grades all, `--student ID` just those).
The hidden tests are code of the installed package (`course.checks`, the lesson's checks and
mistakes), not of the source notebook: an update of the package that changes them would
otherwise grade the students graded after it by other tests than those graded before.

nbgrader's autograde resets every hand-graded answer to "needs manual grading".  So before a
submission is re-graded, the manual scores, graded status and comments of its written answers
are read from the gradebook with the answer's text; afterwards, an answer whose text did not
change gets them back, and one that changed stays pending (and is recorded, so the summary
says so).  This works the same under `--engine nbgrader`, which runs nbgrader's own autograde.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import nbformat

from ..cells import grade_id, role
from ..course_folder import Course

FINGERPRINT = ".course-graded.sha256"  # beside the autograded notebook


def context(course: Course, assignment: str, tests: str | None = None) -> str:
    """What else decides a grade: the due date, extensions, the late policy and the hidden
    tests' code (`tests`: hidden_tests_code, computed here if not given); a change in any of
    them re-grades everyone.  Computed once per run."""
    from .. import late_policy

    due, extended = late_policy.due_dates(course, assignment)
    policy = late_policy.CourseLatePolicy(config=course.config)
    # the rule's settings, never its description: that speaks the instructor's language, and
    # a pt and an es grader on one course would re-grade the whole class at every turn
    rule = (policy.method, policy.penalty_method, policy.percent_per_day,
            policy.points_per_hour, policy.max_percent)
    if tests is None:
        tests = hidden_tests_code(assignment)
    return repr((due, sorted(extended.items()), rule, tests))


def hidden_tests_code(assignment: str, package: Path | None = None) -> str:
    """SHA-256 of the code the assignment's hidden tests run (they load it from the installed
    package, see the module docstring): `course/checks/`, the grading verdict's protocol, the
    lessons' loader and the lesson's own modules but its text (`lesson.py`, in the source
    notebook already) and its sample answers (`answers.py`, never run by grading)."""
    from .. import lessons
    from ..course_folder import CourseError, parse_assignment

    package = package or Path(lessons.__file__).resolve().parent.parent
    try:
        lesson = parse_assignment(assignment).lesson
    except CourseError:
        return ""
    files = sorted((package / "checks").rglob("*.py")) + [
        package / "verdict.py", package / "lessons" / "__init__.py"] + sorted(
        f for f in (package / "lessons" / lesson).glob("*.py")
        if f.name not in ("lesson.py", "answers.py"))
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def fingerprint(course: Course, assignment: str, student: str, around: str = "") -> str:
    digest = hashlib.sha256(around.encode())
    folder = course.submitted_notebook(student, assignment).parent
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        with path.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
        digest.update(b"\0")
    source = course.source_notebook(assignment)
    if source.exists():
        digest.update(source.read_bytes())
    return digest.hexdigest()


def _stored_path(course: Course, assignment: str, student: str) -> Path:
    return course.autograded_notebook(student, assignment).parent / FINGERPRINT


def _stored(course: Course, assignment: str, student: str) -> list[str]:
    """The stored file's lines: the fingerprint, then `tests <digest>` (none: never graded)."""
    try:
        return _stored_path(course, assignment, student).read_text().split()
    except OSError:
        return []


def unchanged(course: Course, assignment: str, student: str, around: str = "") -> bool:
    """Graded before, with exactly these files, source notebook and `context`."""
    stored = _stored(course, assignment, student)
    return (bool(stored) and course.autograded_notebook(student, assignment).exists()
            and stored[0] == fingerprint(course, assignment, student, around))


def remember(course: Course, assignment: str, student: str, around: str = "",
             tests: str | None = None) -> None:
    """Store the fingerprint, and the hidden tests' digest (`tests`, the one `around` was
    made with) that graded_by_other_tests reads."""
    path = _stored_path(course, assignment, student)
    if path.parent.exists():
        if tests is None:
            tests = hidden_tests_code(assignment)
        path.write_text(f"{fingerprint(course, assignment, student, around)}\n"
                        f"tests {tests}\n")


def graded_by_other_tests(course: Course, assignment: str, students: list[str]) -> list[str]:
    """Those of `students` last graded by hidden tests other than the installed ones (the
    package was updated since): what `course grade` says when it grades them again."""
    now = hidden_tests_code(assignment)
    out = []
    for student in students:
        stored = _stored(course, assignment, student)
        if len(stored) == 3 and stored[1] == "tests" and stored[2] != now:
            out.append(student)
    return out


@dataclass
class Kept:
    """A hand-graded written answer as the grader left it."""

    cell: str
    text: str  # the answer as graded
    manual_score: float | None
    needs_manual_grade: bool
    comment: str | None


def _answers(nb) -> dict[str, str]:
    return {grade_id(c): c.source.strip() for c in nb.cells if role(c) == "manual"}


def manual_work(course: Course, assignment: str, student: str) -> list[Kept]:
    """What a grader did on this submission's written answers (empty if never graded)."""
    path = course.autograded_notebook(student, assignment)
    if not path.exists():
        return []
    texts = _answers(nbformat.read(path, as_version=4))
    kept = []
    with course.gradebook() as gb:
        for cell, text in texts.items():
            try:
                grade = gb.find_grade(cell, assignment, assignment, student)
                comment = gb.find_comment(cell, assignment, assignment, student)
            except Exception:  # MissingEntry: never graded
                continue
            if grade.manual_score is None and grade.needs_manual_grade:
                continue  # nothing done by hand yet
            kept.append(Kept(cell, text, grade.manual_score, bool(grade.needs_manual_grade),
                             comment.manual_comment))
    return kept


def give_back(course: Course, assignment: str, student: str, kept: list[Kept]) -> list[str]:
    """Restore the grader's work on answers whose text is unchanged; return the cells whose
    answer changed (left pending)."""
    if not kept:
        return []
    texts = _answers(nbformat.read(course.autograded_notebook(student, assignment), as_version=4))
    changed = []
    with course.gradebook() as gb:
        for k in kept:
            if texts.get(k.cell) != k.text:
                changed.append(k.cell)
                continue
            grade = gb.find_grade(k.cell, assignment, assignment, student)
            grade.manual_score = k.manual_score
            grade.needs_manual_grade = k.needs_manual_grade
            if k.comment is not None:
                gb.find_comment(k.cell, assignment, assignment, student).manual_comment = k.comment
        gb.db.commit()
    return changed
