"""`course` command: a thin argparse layer over each step's plain `main()` function."""
from __future__ import annotations

import argparse
import sys
import warnings

from . import i18n
from .course_folder import Course, CourseError, find_root
from .i18n import _


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="course", description=_(
        "course: build, release, collect, grade, feedback and reports of the autograd course"))
    p.add_argument("--course", metavar="DIR", default=None,
                   help=_("the course folder (default: $COURSE_ROOT, else the nearest folder at "
                        "or above the current one holding nbgrader_config.py)"))
    sub = p.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help=_("lessons -> source/ (validates every lesson first)"))
    b.add_argument("--check", action="store_true",
                   help=_("rebuild in memory; fail, naming files, if source/ or release/ differ"))

    r = sub.add_parser("release", help=_("nbgrader generate_assignment, stubs in the notebook's language"))
    r.add_argument("assignments", nargs="*", metavar="ASSIGNMENT")

    c = sub.add_parser("collect", help=_("map an LMS zip or folder of notebooks into submitted/"))
    c.add_argument("assignment", metavar="ASSIGNMENT")
    c.add_argument("path", metavar="PATH", nargs="+",
                   help=_("a folder or a .zip as the LMS exports it; several: the parts of one "
                          "export (a Google Drive download split in -001.zip, -002.zip...), "
                          "read as one"))
    c.add_argument("--id-pattern", action="append", default=None, metavar="REGEX",
                   help=_("regex with a named group (?P<student>...) matched against each file's "
                        "path; repeatable, tried in order (default: the LMS patterns built in)"))
    c.add_argument("--max-file-mb", type=float, default=50, metavar="MB",
                   help=_("files declared larger are rejected unread, and reading any file stops "
                        "once more than this came out (default 50: far above a real notebook)"))
    c.add_argument("--timezone", metavar="ZONE", default=None,
                   help=_("IANA zone zip entry times and --due are read in, e.g. America/Sao_Paulo "
                        "(default: c.CourseLatePolicy.timezone, else this computer's)"))
    c.add_argument("--due", metavar="DATETIME", default=None,
                   help=_("set the assignment's due date in the gradebook first, e.g. "
                        "'2026-12-10 23:59' (nbgrader's duedate; same as `course due`)"))
    c.add_argument("--prefer", choices=["on-time", "newest"], default="on-time",
                   help=_("of a student's several notebooks keep the newest handed in by the due "
                        "date (on-time, default; the newest if all are late) or the newest"))
    c.add_argument("--roster", metavar="CSV", default=None,
                   help=_("import a class list (id, names, email) first (see `course roster`)"))

    du = sub.add_parser("due", help=_("show or set an assignment's due date (nbgrader's duedate)"))
    du.add_argument("assignment", metavar="ASSIGNMENT")
    du.add_argument("when", metavar="DATETIME", nargs="?", default=None,
                    help=_("e.g. '2026-12-10 23:59' (in --timezone); 'none' clears it"))
    du.add_argument("--timezone", metavar="ZONE", default=None,
                    help=_("IANA zone DATETIME is read and shown in (default: "
                         "c.CourseLatePolicy.timezone, else this computer's)"))

    ro = sub.add_parser("roster", help=_("import a class list CSV (id, first/last name, email; "
                        "pt/es/en headers, ',' or ';') into the gradebook"))
    ro.add_argument("file", metavar="CSV")

    g = sub.add_parser("grade", help=_("autograde submitted/ and print student x exercise points"))
    g.add_argument("assignment", metavar="ASSIGNMENT", nargs="+",
                   help=_("one or more, graded in turn by the same workers (e.g. 01_graph_pt "
                          "01_graph_es)"))
    g.add_argument("--jobs", type=int, default=None, help=_("parallel workers (default: all cores)"))
    g.add_argument("--engine", choices=["fast", "nbgrader"], default="fast",
                   help=_("fast (default) or plain `nbgrader autograde`, one at a time"))
    g.add_argument("--timeout", type=int, help=_("seconds per cell (default: nbgrader_config)"))
    g.add_argument("--wall", type=float, help=_("seconds per submission (default 600)"))
    g.add_argument("--memory", type=int, help=_("MB of memory per submission (default 4096)"))
    g.add_argument("--force", action="store_true", help=_("re-grade every submission, also those "
                   "unchanged since their last grading (hand-graded unchanged answers keep "
                   "their score either way)"))
    g.add_argument("--student", action="append", default=None, metavar="ID",
                   help=_("grade just this student (repeatable), changed or not"))
    sb = g.add_mutually_exclusive_group()
    sb.add_argument("--sandbox", dest="sandbox", action="store_true", default=None,
                    help=_("require bubblewrap (fail if unusable)"))
    sb.add_argument("--no-sandbox", dest="sandbox", action="store_false",
                    help=_("run student code unsandboxed"))
    g.add_argument("--cluster", metavar="ADDRESS", default=None,
                   help=_("grade on the Dask cluster whose scheduler is at ADDRESS (workers: "
                          "dask worker ADDRESS --nthreads 1 --preload course.grading.cluster)"))
    g.add_argument("--figures", action="store_true",
                   help=_("draw figures as PNG in the autograded notebooks (slower; no score "
                          "depends on it)"))

    f = sub.add_parser("feedback", help=_("one HTML per student, in the notebook's language"))
    f.add_argument("assignment", metavar="ASSIGNMENT")

    rp = sub.add_parser("report", help=_("grades CSV, Moodle and Canvas imports, plots, what the "
                        "class got wrong, similar answers, attention list"))
    rp.add_argument("assignment", metavar="ASSIGNMENT", nargs="?")
    rp.add_argument("--all", action="store_true", help=_("every graded assignment, then "
                    "reports/all/: per language and per lesson (pt and es students together)"))

    ls = sub.add_parser("list", help=_("the manifest: assignments, notebooks, graded cells"))
    ls.add_argument("--json", action="store_true", help=_("machine-readable output"))

    t = sub.add_parser("try", help=_("execute one lesson's solution notebooks in a scratch folder"))
    t.add_argument("lesson", metavar="LESSON", help=_("e.g. 01_graph (a prefix like 01 works)"))
    t.add_argument("--lang", choices=["pt", "es"], action="append")

    gu = sub.add_parser("guide", help=_("print the instructor guide in your language"))
    gu.add_argument("--lang", choices=["en", "pt", "es"], default=None,
                    help=_("this language instead of the instructor's"))

    d = sub.add_parser("demo", help=_("build, release, grade a demo class, feedback, export"))
    d.add_argument("--lessons", nargs="*", metavar="LESSON",
                   help=_("only these lessons (e.g. 01_graph); default: all"))
    return p


# argparse's own texts (it looks `_` up in its module when it speaks): listed for the catalogs.
ARGPARSE_MESSAGES = [
    i18n.N_("usage: "), i18n.N_("positional arguments"), i18n.N_("options"),
    i18n.N_("show this help message and exit"), i18n.N_("%(prog)s: error: %(message)s\n"),
    i18n.N_("the following arguments are required: %s"),
    i18n.N_("invalid choice: %(value)r (choose from %(choices)s)"),
    i18n.N_("unrecognized arguments: %s"), i18n.N_("argument %(argument_name)s: %(message)s"),
    i18n.N_("expected one argument"), i18n.N_("invalid %(type)s value: %(value)r"),
    i18n.N_("not allowed with argument %s"),
    i18n.N_("ambiguous option: %(option)s could match %(matches)s"),
]


def _language(argv: list[str]) -> str:
    """The instructor's language, set before the parser exists so that `--help` and argparse's
    own errors speak it too: the course's setting when a course folder is found (from
    `--course DIR` or where you stand), else the environment's (see i18n)."""
    explicit = None
    for i, arg in enumerate(argv):
        if arg == "--course" and i + 1 < len(argv):
            explicit = argv[i + 1]
        elif arg.startswith("--course="):
            explicit = arg.split("=", 1)[1]
    try:
        course = Course(find_root(explicit))
    except (CourseError, OSError):
        course = None
    lang = i18n.use(course)
    argparse._ = i18n.translations(lang).gettext  # "usage:", "error:", "required: …"
    argparse.ngettext = i18n.translations(lang).ngettext
    return lang


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    _language(argv)
    args = _parser().parse_args(argv)
    # nbgrader's gradebook triggers SQLAlchemy session warnings that mean nothing to a teacher.
    warnings.filterwarnings("ignore", message=".*not in session.*")
    try:
        return _run(args)
    except CourseError as exc:
        print(_("course {command}: error: {message}", command=args.command, message=exc),
              file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # Ctrl-C: one line, not a traceback (what was done says itself)
        print("\n" + _("course {command}: interrupted", command=args.command), file=sys.stderr)
        return 130


def guide(lang: str | None = None) -> int:
    """`course guide`: the instructor guide (course/guide/<lang>.md), as formatted text on a
    terminal, as Markdown through a pipe."""
    from pathlib import Path

    text = (Path(__file__).resolve().parent / "guide" / f"{lang or i18n.current()}.md").read_text(
        encoding="utf-8")
    if sys.stdout.isatty():
        from rich.console import Console
        from rich.markdown import Markdown

        Console().print(Markdown(text))
    else:
        sys.stdout.write(text)
    return 0


def _run(args) -> int:
    if args.command == "list":
        from .authoring import manifest
        return manifest.main(as_json=args.json)
    if args.command == "guide":
        return guide(args.lang)
    if args.command == "try":
        from .authoring import try_lesson
        return try_lesson.main(args.lesson, args.lang)
    course = Course.find(args.course)
    if args.command == "build" and args.check:  # reads only
        from .authoring import build
        return build.main(course, check=True)
    from . import course_lock
    with course_lock.holding(course, args.command):  # one writing command at a time
        return _course_command(course, args)


def _course_command(course: Course, args) -> int:
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
        from .grading.engine import warm_workers
        for assignment in args.assignment:  # every name checked before any grading starts
            if not course.in_gradebook(assignment):
                release.check_source(course, assignment)
        status = 0
        names = list(dict.fromkeys(args.assignment))
        how = dict(engine=args.engine, jobs=args.jobs, use_sandbox=args.sandbox,
                   force=args.force, only=args.student, cluster=args.cluster,
                   figures=args.figures,
                   limits=grade.limits_of(args.timeout, args.wall, args.memory))
        for assignment in names:  # as nbgrader: release first (all now, so that the workers
            if not course.in_gradebook(assignment):  # can be sized for, and sent, every one)
                release.generate(course, assignment)
        with warm_workers():  # torch imported once per worker, not once per assignment
            for i, assignment in enumerate(names):
                grade.ahead_of(course, names, i, **how)  # the workers go on with the next
                status = max(status, grade.main(
                    course, assignment, args.engine, args.jobs, args.timeout, args.wall,
                    args.memory, args.sandbox, args.force, args.student,
                    cluster=args.cluster, figures=args.figures))
        return status
    if args.command == "feedback":
        from .results import feedback
        return feedback.main(course, args.assignment)
    if args.command == "report":
        from .results import report, report_all
        if args.all == bool(args.assignment):
            raise CourseError(_("give an ASSIGNMENT or --all (not both)"))
        return report_all.main(course) if args.all else report.main(course, args.assignment)
    if args.command == "demo":
        from . import demo
        return demo.main(course, args.lessons)
    raise AssertionError(f"unhandled command {args.command}")  # a bug: stays English


if __name__ == "__main__":
    sys.exit(main())
