"""`course` command: a thin argparse layer over each step's plain `main()` function."""
from __future__ import annotations

import argparse
import sys
import warnings

from .course_folder import Course, CourseError


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="course", description=__doc__)
    p.add_argument("--course", metavar="DIR", default=None,
                   help="the course folder (default: $COURSE_ROOT, else the nearest folder at "
                        "or above the current one holding nbgrader_config.py)")
    sub = p.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="lessons -> source/ (validates every lesson first)")
    b.add_argument("--check", action="store_true",
                   help="rebuild in memory; fail, naming files, if source/ or release/ differ")

    r = sub.add_parser("release", help="nbgrader generate_assignment, stubs in the notebook's language")
    r.add_argument("assignments", nargs="*", metavar="ASSIGNMENT")

    c = sub.add_parser("collect", help="map an LMS zip or folder of notebooks into submitted/")
    c.add_argument("assignment", metavar="ASSIGNMENT")
    c.add_argument("path", metavar="PATH", help="a folder or a .zip as the LMS exports it")
    c.add_argument("--id-pattern", action="append", default=None, metavar="REGEX",
                   help="regex with a named group (?P<student>...) matched against each file's "
                        "path; repeatable, tried in order (default: the LMS patterns built in)")
    c.add_argument("--max-file-mb", type=float, default=50, metavar="MB",
                   help="files declared larger are rejected unread, and reading any file stops "
                        "once more than this came out (default 50: far above a real notebook)")
    c.add_argument("--timezone", metavar="ZONE", default=None,
                   help="IANA zone zip entry times and --due are read in, e.g. America/Sao_Paulo "
                        "(default: c.CourseLatePolicy.timezone, else this computer's)")
    c.add_argument("--due", metavar="DATETIME", default=None,
                   help="set the assignment's due date in the gradebook first, e.g. "
                        "'2026-12-10 23:59' (nbgrader's duedate; same as `course due`)")
    c.add_argument("--prefer", choices=["on-time", "newest"], default="on-time",
                   help="of a student's several notebooks keep the newest handed in by the due "
                        "date (on-time, default; the newest if all are late) or the newest")
    c.add_argument("--roster", metavar="CSV", default=None,
                   help="import a class list (id, names, email) first (see `course roster`)")

    du = sub.add_parser("due", help="show or set an assignment's due date (nbgrader's duedate)")
    du.add_argument("assignment", metavar="ASSIGNMENT")
    du.add_argument("when", metavar="DATETIME", nargs="?", default=None,
                    help="e.g. '2026-12-10 23:59' (in --timezone); 'none' clears it")
    du.add_argument("--timezone", metavar="ZONE", default=None,
                    help="IANA zone DATETIME is read and shown in (default: "
                         "c.CourseLatePolicy.timezone, else this computer's)")

    ro = sub.add_parser("roster", help="import a class list CSV (id, first/last name, email; "
                        "pt/es/en headers, ',' or ';') into the gradebook")
    ro.add_argument("file", metavar="CSV")

    g = sub.add_parser("grade", help="autograde submitted/ and print student x exercise points")
    g.add_argument("assignment", metavar="ASSIGNMENT")
    g.add_argument("--jobs", type=int, default=None, help="parallel workers (default: all cores)")
    g.add_argument("--engine", choices=["fast", "nbgrader"], default="fast",
                   help="fast (default) or plain `nbgrader autograde`, one at a time")
    g.add_argument("--timeout", type=int, help="seconds per cell (default: nbgrader_config)")
    g.add_argument("--wall", type=float, help="seconds per submission (default 600)")
    g.add_argument("--memory", type=int, help="MB of memory per submission (default 4096)")
    g.add_argument("--force", action="store_true", help="re-grade every submission, also those "
                   "unchanged since their last grading (hand-graded unchanged answers keep "
                   "their score either way)")
    g.add_argument("--student", action="append", default=None, metavar="ID",
                   help="grade just this student (repeatable), changed or not")
    sb = g.add_mutually_exclusive_group()
    sb.add_argument("--sandbox", dest="sandbox", action="store_true", default=None,
                    help="require bubblewrap (fail if unusable)")
    sb.add_argument("--no-sandbox", dest="sandbox", action="store_false",
                    help="run student code unsandboxed")

    f = sub.add_parser("feedback", help="one HTML per student, in the notebook's language")
    f.add_argument("assignment", metavar="ASSIGNMENT")

    rp = sub.add_parser("report", help="grades CSV, Moodle and Canvas imports, plots, what the "
                        "class got wrong, similar answers, attention list")
    rp.add_argument("assignment", metavar="ASSIGNMENT", nargs="?")
    rp.add_argument("--all", action="store_true", help="every graded assignment, then "
                    "reports/all/: per language and per lesson (pt and es students together)")

    ls = sub.add_parser("list", help="the manifest: assignments, notebooks, graded cells")
    ls.add_argument("--json", action="store_true", help="machine-readable output")

    t = sub.add_parser("try", help="execute one lesson's solution notebooks in a scratch folder")
    t.add_argument("lesson", metavar="LESSON", help="e.g. 01_graph (a prefix like 01 works)")
    t.add_argument("--lang", choices=["pt", "es"], action="append")

    d = sub.add_parser("demo", help="build, release, grade a demo class, feedback, export")
    d.add_argument("--lessons", nargs="*", metavar="LESSON",
                   help="only these lessons (e.g. 01_graph); default: all")
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    # nbgrader's gradebook triggers SQLAlchemy session warnings that mean nothing to a teacher.
    warnings.filterwarnings("ignore", message=".*not in session.*")
    try:
        return _run(args)
    except CourseError as exc:
        print(f"course {args.command}: error: {exc}", file=sys.stderr)
        return 2


def _run(args) -> int:
    if args.command == "list":
        from .authoring import manifest
        return manifest.main(as_json=args.json)
    if args.command == "try":
        from .authoring import try_lesson
        return try_lesson.main(args.lesson, args.lang)
    course = Course.find(args.course)
    if args.command == "build":
        from .authoring import build
        return build.main(course, check=args.check)
    if args.command == "release":
        from .authoring import release
        return release.main(course, args.assignments)
    if args.command == "collect":
        from . import late_policy
        from .authoring import release
        from .intake import collect
        if args.due is not None:  # a due date needs the assignment: release it if not yet
            late_policy.parse_when(args.due, late_policy.zone(args.timezone, course))
            if not course.in_gradebook(args.assignment):
                release.generate(course, args.assignment)
        return collect.main(course, args.assignment, args.path, args.id_pattern,
                            args.max_file_mb, args.timezone, args.due, args.prefer, args.roster)
    if args.command == "due":
        from . import late_policy
        from .authoring import release
        if args.when is not None and args.when.strip().lower() not in ("none", ""):
            late_policy.parse_when(args.when, late_policy.zone(args.timezone, course))
            if not course.in_gradebook(args.assignment):  # a due date needs the assignment
                release.generate(course, args.assignment)
        return late_policy.main(course, args.assignment, args.when, args.timezone)
    if args.command == "roster":
        from .intake import roster
        return roster.main(course, args.file)
    if args.command == "grade":
        from .authoring import release
        from .grading import grade
        if not course.in_gradebook(args.assignment):  # as nbgrader: release before grading
            release.generate(course, args.assignment)
        return grade.main(course, args.assignment, args.engine, args.jobs, args.timeout,
                          args.wall, args.memory, args.sandbox, args.force, args.student)
    if args.command == "feedback":
        from .results import feedback
        return feedback.main(course, args.assignment)
    if args.command == "report":
        from .results import report
        if args.all == bool(args.assignment):
            raise CourseError("course report: give an ASSIGNMENT or --all (not both)")
        return report.main_all(course) if args.all else report.main(course, args.assignment)
    if args.command == "demo":
        from . import demo
        return demo.main(course, args.lessons)
    raise AssertionError(f"unhandled command {args.command}")


if __name__ == "__main__":
    sys.exit(main())
