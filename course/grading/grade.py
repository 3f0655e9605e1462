"""`course grade ASSIGNMENT`: autograde everything in submitted/, then the score table.

By default the fast engine (grading.engine: parallel workers, warm sandboxed kernels, limits,
cell repair) runs nbgrader's own Autograde per submission; `--engine nbgrader` runs plain
nbgrader (no repair, no sandbox, no incident log) one submission at a time, for comparison.
Grades land in the gradebook either way.  A submission that could not be graded is named with
the reason, and every submission that needed attention (crash, limit, timeout, repair) is
recorded for `course report`.
"""
from __future__ import annotations

import sys
import time
from collections.abc import Callable

from .. import attention, gradebook
from ..course_folder import Course, CourseError, parse_assignment
from ..i18n import _
from . import incremental
from .engine import Limits, Outcome, grade_ahead, grade_all, plan_run, sent_ahead


def autograde_plain(course: Course, assignment: str, students: list[str],
                    on_graded: Callable[[str, str | None], None] = lambda student, why: None
                    ) -> dict[str, str]:
    """Plain nbgrader, one student at a time; return {student: reason} for failures.
    `on_graded(student, reason or None)` runs as each one is done."""
    api = course.api(parse_assignment(assignment).lang)
    failed = {}
    for i, student in enumerate(students, 1):
        print(f"  [{i}/{len(students)}] {assignment} / {student}", file=sys.stderr)
        result = api.autograde(assignment, student, force=True, create=True)
        if not result.get("success"):
            text = (result.get("error") or "") + "\n" + (result.get("log") or "")
            failed[student] = "\n".join(ln for ln in text.splitlines() if ln.strip())[-800:]
        on_graded(student, failed.get(student))
    return failed


def record_incidents(course: Course, assignment: str, outcome: Outcome) -> int:
    """Attention entries for the cells the engine saw crash, hit a limit or time out."""
    for inc in outcome.incidents:
        attention.record(course, attention.Entry(assignment, outcome.student, inc.kind,
                                                 inc.reason, cell=inc.cell, step="grade"))
    return len(outcome.incidents)


def scan_submissions(course: Course, assignment: str, students: list[str]) -> int:
    """The tamper scan (grading.tamper) of every submission, into the attention log (step
    "scan"): hints for the instructor with cell and line; a flag never changes a score."""
    import nbformat

    from . import tamper

    attention.clear(course, assignment, "scan", students)
    try:
        released = nbformat.read(course.release_notebook(assignment), as_version=4)
    except (OSError, ValueError):
        released = None
    n = 0
    for student in students:
        try:
            nb = nbformat.read(course.submitted_notebook(student, assignment), as_version=4)
        except Exception:  # unreadable: repair and grading say why
            continue
        try:
            flags = tamper.scan_notebook(nb, released)
        except Exception as err:  # a scan bug must not stop the class's grading, nor hide it
            attention.record(course, attention.Entry(
                assignment, student, "flagged", f"the tamper scan failed on this notebook "
                f"({type(err).__name__}: {err}); it is graded, but was not scanned [scan_failed]",
                step="scan"))
            n += 1
            continue
        for flag in flags:
            attention.record(course, attention.Entry(
                assignment, student, "flagged", f"line {flag.line}: {flag.detail} [{flag.kind}]",
                cell=flag.cell, step="scan"))
            n += 1
    return n


def to_grade(course: Course, assignment: str, force: bool = False,
             only: list[str] | None = None) -> tuple[list[str], list[str]]:
    """(students to grade, students skipped as unchanged since their last grading)."""
    students = course.submitted_students(assignment)
    if not students:
        raise CourseError(_("nothing to grade: no submitted/<student>/{assignment}/ under "
                            "{root}", assignment=assignment, root=course.root))
    if only:
        unknown = sorted(set(only) - set(students))
        if unknown:
            raise CourseError(_("no submission of {assignment} from {students} "
                                "(submitted/<student>/{assignment}/)", assignment=assignment,
                                students=", ".join(unknown)))
        return sorted(set(only)), []
    if force:
        return students, []
    around = incremental.context(course, assignment)
    todo = [s for s in students if not incremental.unchanged(course, assignment, s, around)]
    return todo, [s for s in students if s not in todo]


def grade(course: Course, assignment: str, engine: str = "fast", jobs: int | None = None,
          limits: Limits | None = None, use_sandbox: bool | None = None,
          progress: bool = True, force: bool = False, only: list[str] | None = None,
          cluster: str | None = None, figures: bool = False
          ) -> tuple[list[gradebook.Row], dict[str, str]]:
    """Grade the submissions of `assignment` that are new or changed since their last grading
    (all with `force`, just `only` if given); (score rows of everyone, {student: why not
    graded}).  Written answers graded by hand keep their score when unchanged (see
    incremental).  The assignment must be released: `course grade` releases it first."""
    lang = parse_assignment(assignment).lang
    if not course.in_gradebook(assignment):
        raise CourseError(_("{assignment} is not in the gradebook of {root}: run "
                            "`course release {assignment}` first", assignment=assignment,
                            root=course.root))
    students, _skipped = to_grade(course, assignment, force, only)
    if not students:
        return gradebook.table(course, assignment), {}
    kept = {s: incremental.manual_work(course, assignment, s) for s in students}
    attention.clear(course, assignment, "grade", students)
    attention.clear(course, assignment, "repair", students)
    scan_submissions(course, assignment, students)
    tests = incremental.hidden_tests_code(assignment)  # read once per run, not per submission
    around = incremental.context(course, assignment, tests)
    failed: dict[str, str] = {}

    def finish(student: str, reason: str | None) -> None:
        """What follows a submission's grading, done as soon as its grades are recorded, not
        after the whole class: recording resets its hand-graded written answers to "needs
        manual grading", and a run interrupted later (Ctrl-C, a crash, a lost connection)
        must still have put back the teacher's work on every submission it recorded."""
        if reason is not None:
            failed[student] = reason
            attention.record(course, attention.Entry(assignment, student, "not_graded", reason,
                                                     step="grade"))
            return
        for cell in incremental.give_back(course, assignment, student, kept[student]):
            attention.record(course, attention.Entry(
                assignment, student, "pending_again", _(
                    "the written answer changed since it was graded by hand: back to manual "
                    "grading"), cell=cell, step="grade"))
        # last: a submission remembered as graded is skipped next time, so its teacher's
        # work must be back before (interrupted in between, it is graded again)
        incremental.remember(course, assignment, student, around, tests)

    def recorded(outcome: Outcome) -> None:
        if outcome.success:
            record_incidents(course, assignment, outcome)
        finish(outcome.student, None if outcome.success else outcome.reason)

    if engine == "nbgrader":
        autograde_plain(course, assignment, students, on_graded=finish)
    elif engine == "fast":
        grade_all(course, assignment, lang, students, jobs, limits, use_sandbox, progress,
                  cluster=cluster, figures=figures, on_recorded=recorded)
    else:
        raise CourseError(_("unknown engine {engine!r} (fast or nbgrader)", engine=engine))
    return gradebook.table(course, assignment), {s: failed[s] for s in students if s in failed}


def report_failures(failed: dict[str, str]) -> None:
    for student, reason in failed.items():
        print("\n" + _("NOT GRADED: {student}: {reason}", student=student, reason=reason),
              file=sys.stderr)


def ahead(course: Course, assignment: str, engine: str = "fast", jobs: int | None = None,
          limits: Limits | None = None, use_sandbox: bool | None = None, force: bool = False,
          only: list[str] | None = None, cluster: str | None = None, figures: bool = False
          ) -> bool:
    """Inside engine.warm_workers(), send what `grade` with the same arguments will grade to
    the workers (local, or the cluster's) now (engine.grade_ahead), so that they go on with
    it while this process finishes the assignment before (its last results, its reports).
    Nothing is written; `grade` records the results.  False where nothing was sent: another
    engine, an assignment not released yet, nothing to grade."""
    if sent_ahead(course, assignment):  # sent as the next one: not read again
        return False
    students = _sendable(course, assignment, engine, force, only)
    if not students:
        return False
    return grade_ahead(course, assignment, parse_assignment(assignment).lang, students, jobs,
                       limits, use_sandbox, figures, cluster)


def _sendable(course: Course, assignment: str, engine: str = "fast", force: bool = False,
              only: list[str] | None = None) -> list[str]:
    """What `grade` will hand the fast engine's workers ([] for another engine, an assignment
    not released yet, nothing to grade)."""
    if engine != "fast" or not course.in_gradebook(assignment):
        return []
    try:
        return to_grade(course, assignment, force, only)[0]
    except CourseError:  # grade says why
        return []


def ahead_of(course: Course, assignments: list[str], i: int, **how) -> None:
    """Before grading assignments[i] of a run: send it, then the next one (in this order:
    the workers take first what was sent first).  Before the first, size the workers for the
    whole run (engine.plan_run)."""
    if i == 0:
        which = {k: how[k] for k in ("engine", "force", "only") if k in how}
        plan_run(sum(len(_sendable(course, name, **which)) for name in assignments))
    for name in assignments[i:i + 2]:
        ahead(course, name, **how)


def limits_of(timeout: int | None = None, wall: float | None = None,
              memory_mb: int | None = None) -> Limits:
    """The engine's limits with the command line's values where given."""
    limits = Limits()
    if timeout:
        limits.cell_timeout = timeout
    if wall:
        limits.wall_limit = wall
    if memory_mb:
        limits.memory_limit_mb = memory_mb
    return limits


def main(course: Course, assignment: str, engine: str = "fast", jobs: int | None = None,
         timeout: int | None = None, wall: float | None = None, memory_mb: int | None = None,
         sandbox: bool | None = None, force: bool = False, only: list[str] | None = None,
         cluster: str | None = None, figures: bool = False) -> int:
    limits = limits_of(timeout, wall, memory_mb)
    start = time.perf_counter()
    todo, skipped = to_grade(course, assignment, force, only) if course.in_gradebook(
        assignment) else (None, [])
    retested = incremental.graded_by_other_tests(course, assignment, todo or [])
    try:
        rows, failed = grade(course, assignment, engine, jobs, limits, sandbox, force=force,
                             only=only, cluster=cluster, figures=figures)
    except KeyboardInterrupt:
        print("\n" + _("{assignment}: interrupted. Every submission graded before the "
                       "interruption is saved, with the manual grades of its written answers; "
                       "`course grade {assignment}` grades the rest (what was saved is not "
                       "graded again).", assignment=assignment), file=sys.stderr)
        raise
    print(gradebook.render(rows, assignment))
    entries = attention.load(course, assignment)
    incidents = [e for e in entries if e.step == "grade"]
    flagged = {e.student for e in entries if e.kind == "flagged"}
    again = [e for e in incidents if e.kind == "pending_again"]
    graded = len(todo) - len(failed) if todo is not None else len(rows)
    print("\n" + _("{graded} graded, {skipped} unchanged since their last grading (skipped; "
                   "--force re-grades), {again} written answers back to manual grading, "
                   "{failed} not graded, {attention} needing attention, {flagged} flagged by "
                   "the tamper scan (see `course report {assignment}`), {seconds:.1f} s",
                   graded=graded, skipped=len(skipped), again=len(again), failed=len(failed),
                   attention=len(incidents), flagged=len(flagged), assignment=assignment,
                   seconds=time.perf_counter() - start))
    if retested:
        print(_("{n} of them graded again because the hidden tests changed since their last "
                "grading (the course package was updated): every student is graded by the "
                "same tests", n=len(retested)))
    report_failures(failed)
    return 1 if failed else 0
