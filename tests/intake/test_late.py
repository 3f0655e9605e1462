"""Late submissions: `collect` records when each notebook was handed in as nbgrader's
timestamp.txt (nbgrader's own parser reads it), the due date is nbgrader's duedate in the
gradebook, the newest notebook handed in by the due date is kept, and the course's late policy
(course/late_policy.py, nbgrader's LateSubmissionPlugin) puts its penalty in the gradebook."""
from __future__ import annotations

import os
import shutil
import uuid
import zipfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

import nbformat
import pytest

from conftest import scratch_course
from course import attention, cli, gradebook, late_policy
from course.course_folder import CourseError
from course.intake import collect
from test_repair import solved

ROOT = Path(__file__).resolve().parents[2]
A = "01_graph_pt"
SP = "America/Sao_Paulo"  # UTC-3, no DST since 2019
MOODLE = "Ana Souza_{}_assignsubmission_file_"
pytestmark = pytest.mark.filterwarnings("ignore:.*not in session.*")


def utc(*args) -> datetime:
    return datetime(*args)  # the gradebook's and nbgrader's parse_utc's naive UTC


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """One scratch course with a gradebook holding the assignment (creating a gradebook costs
    seconds: each test uses students of its own)."""
    course = scratch_course(tmp_path_factory.mktemp("late") / "course")
    shutil.copytree(ROOT / "source", course.source_dir)
    with course.gradebook() as gb:
        gb.update_or_create_assignment(A)
    return course


@pytest.fixture(autouse=True)
def fresh_log(course):
    """Each test reads only its own entries: a collect keeps what earlier collects logged
    about students it does not bring (the other tests' students here)."""
    attention.path(course, A).unlink(missing_ok=True)


@pytest.fixture
def in_course(course, monkeypatch):
    monkeypatch.setenv("COURSE_ROOT", str(course.root))
    return course


def zipped(path: Path, files: dict[str, tuple]) -> Path:
    """{name: zip entry time}, every entry the solved notebook."""
    with zipfile.ZipFile(path, "w") as zf:
        for name, when in files.items():
            zf.writestr(zipfile.ZipInfo(name, when), nbformat.writes(solved()))
    return path


def stamp(course, student) -> str:
    return (course.submitted_dir / student / A / "timestamp.txt").read_text().strip()


def nbgrader_reads(course, student) -> datetime:
    """What nbgrader's autograde reads from the submission folder."""
    from nbgrader.coursedir import CourseDirectory

    found = CourseDirectory(config=course.config).get_existing_timestamp(
        str(course.submitted_dir / student / A))
    assert found is not None
    return found


def late_log(course) -> dict[str, str]:
    return {e.student: e.reason for e in attention.load(course, A) if e.kind == "late"}


def set_due(course, when):
    late_policy.set_due_date(course, A, when)


# --- timestamp.txt ------------------------------------------------------------------------

def test_a_moodle_zip_entry_time_is_read_in_the_given_zone(course, tmp_path):
    from nbgrader.utils import parse_utc

    set_due(course, None)
    export = zipped(tmp_path / "moodle.zip", {
        f"{MOODLE.format(101)}/{A}.ipynb": (2026, 12, 10, 22, 30, 0)})
    outs = collect.collect(course, A, export, timezone=SP)
    assert [o.at for o in outs] == [datetime(2026, 12, 11, 1, 30, tzinfo=timezone.utc)]
    # nbgrader's exchange format, in UTC (parse_utc would read "-03" as -3 *seconds*)
    assert stamp(course, "101") == "2026-12-11 01:30:00.000000 UTC"
    assert parse_utc(stamp(course, "101")) == utc(2026, 12, 11, 1, 30)
    assert nbgrader_reads(course, "101") == utc(2026, 12, 11, 1, 30)
    # the same zip read in another zone: the wall-clock time is that zone's
    collect.collect(course, A, export, timezone="Europe/Madrid")
    assert nbgrader_reads(course, "101") == utc(2026, 12, 10, 21, 30)
    # the course's own zone (nbgrader_config.py) when no --timezone is given
    course.config.CourseLatePolicy.timezone = "America/Argentina/Buenos_Aires"
    try:
        collect.collect(course, A, export)
    finally:
        course.config.CourseLatePolicy.timezone = ""
    assert nbgrader_reads(course, "101") == utc(2026, 12, 11, 1, 30)  # UTC-3 as well


def test_a_folder_file_mtime_is_an_instant_whatever_the_zone(course, tmp_path):
    folder = tmp_path / "export" / "s102"
    folder.mkdir(parents=True)
    (folder / f"{A}.ipynb").write_text(nbformat.writes(solved()), encoding="utf-8")
    instant = datetime(2026, 12, 10, 12, 0, 5, tzinfo=timezone.utc).timestamp()
    os.utime(folder / f"{A}.ipynb", (instant, instant))
    for zone in (SP, "Asia/Tokyo", None):
        collect.collect(course, A, tmp_path / "export", timezone=zone)
        assert stamp(course, "s102") == "2026-12-10 12:00:05.000000 UTC"
        assert nbgrader_reads(course, "s102") == utc(2026, 12, 10, 12, 0, 5)


def test_an_entry_without_a_time_gets_no_timestamp(course, tmp_path):
    """The zip format's "no time" (1980-01-01): nbgrader then treats it as on time."""
    export = zipped(tmp_path / "export.zip", {f"s103/{A}.ipynb": (1980, 1, 1, 0, 0, 0)})
    (course.submitted_dir / "s103" / A).mkdir(parents=True, exist_ok=True)
    (course.submitted_dir / "s103" / A / "timestamp.txt").write_text("2000-01-01 00:00:00 UTC")
    collect.collect(course, A, export)
    assert not (course.submitted_dir / "s103" / A / "timestamp.txt").exists()
    assert (course.submitted_dir / "s103" / A / f"{A}.ipynb").exists()
    assert late_log(course) == {}
    set_due(course, datetime(2026, 12, 10, 23, 59, tzinfo=late_policy.zone(SP)))
    collect.collect(course, A, export)  # with a due date, the instructor is told
    assert late_log(course) == {"s103": "the export holds no time for it: treated as on time"}


def test_canvas_late_mark_is_noted_but_the_time_decides(course, tmp_path):
    set_due(course, datetime(2026, 12, 10, 23, 59, tzinfo=late_policy.zone(SP)))
    export = zipped(tmp_path / "canvas.zip", {
        f"limabruno_LATE_201_9_{A}.ipynb": (2026, 12, 10, 23, 0, 0),   # Canvas: late
        f"diascarla_late_202_9_{A}.ipynb": (2026, 12, 11, 1, 0, 0),    # both: late
        f"souzaana_203_9_{A}.ipynb": (2026, 12, 12, 0, 0, 0)})         # unmarked, late
    outs = {o.student: o for o in collect.collect(course, A, export, timezone=SP)}
    assert {s: (o.lms_late, o.late) for s, o in outs.items()} == {
        "201": (True, ""), "202": (True, "1 h 1 min"), "203": (False, "1 d 1 min")}
    notes = late_log(course)
    assert notes["201"] == (
        "the LMS marked it LATE in its file name (Canvas's verdict, against Canvas's own due "
        "date); handed in 2026-12-10 23:00 -03, by the due date 2026-12-10 23:59 -03: not "
        "late here (the time decides)")
    assert notes["202"] == ("handed in 2026-12-11 01:00 -03, 1 h 1 min after the due date "
                            "2026-12-10 23:59 -03: the late policy applies when grading; "
                            "the LMS marked it LATE too")
    assert notes["203"].startswith("handed in 2026-12-12 00:00 -03, 1 d 1 min after")
    assert stamp(course, "201") == "2026-12-11 02:00:00.000000 UTC"  # LATE, yet on time
    # without a due date: noted, no penalty
    set_due(course, None)
    collect.collect(course, A, export, timezone=SP)
    assert set(late_log(course)) == {"201", "202"}
    assert "the gradebook has no due date" in late_log(course)["202"]


# --- the due date ---------------------------------------------------------------------------

def test_the_due_date_is_nbgraders_and_the_commands_set_it(in_course, tmp_path, capsys):
    course = in_course
    assert cli.main(["due", A, "2026-12-10 23:59", "--timezone", SP]) == 0
    with course.gradebook() as gb:
        assert gb.find_assignment(A).duedate == utc(2026, 12, 11, 2, 59)
    assert "due 2026-12-10 23:59 -03 (2026-12-11 02:59 UTC)" in capsys.readouterr().out
    assert cli.main(["due", A, "2026-12-11T10:00:00+00:00"]) == 0  # an explicit zone wins
    assert late_policy.due_date(course, A) == datetime(2026, 12, 11, 10, tzinfo=timezone.utc)
    export = zipped(tmp_path / "e.zip", {f"s104/{A}.ipynb": (2026, 12, 1, 8, 0, 0)})
    assert cli.main(["collect", A, str(export), "--due", "2026-12-20 18:00",
                     "--timezone", SP]) == 0
    assert late_policy.due_date(course, A) == datetime(2026, 12, 20, 21, tzinfo=timezone.utc)
    assert "due date: 2026-12-20 18:00 -03 (0 late;" in capsys.readouterr().out
    assert cli.main(["due", A, "none"]) == 0
    assert late_policy.due_date(course, A) is None
    for bad in (["due", A, "10/12/2026"], ["due", A, "2026-12-10"],
                ["due", A, "2026-12-10 23:59", "--timezone", "Mars/Olympus"]):
        assert cli.main(bad) == 2
    err = capsys.readouterr().err
    assert "is not a date and time: write it as YYYY-MM-DD HH:MM" in err
    assert "unknown time zone 'Mars/Olympus'" in err
    with pytest.raises(CourseError, match="not in the gradebook yet: `course release"):
        late_policy.set_due_date(course, "01_graph_es", datetime.now(timezone.utc))


# --- resubmissions ------------------------------------------------------------------------

def test_the_newest_before_the_due_date_wins_over_a_later_one(course, tmp_path):
    set_due(course, datetime(2026, 12, 10, 23, 59, tzinfo=late_policy.zone(SP)))
    ana, bruno = MOODLE.format(105), "Bruno Lima_106_assignsubmission_file_"
    export = zipped(tmp_path / "moodle.zip", {
        f"{ana}/first.ipynb": (2026, 12, 9, 10, 0, 0),
        f"{ana}/second.ipynb": (2026, 12, 10, 23, 59, 0),  # on the minute: on time
        f"{ana}/after.ipynb": (2026, 12, 11, 9, 0, 0),
        f"{bruno}/late1.ipynb": (2026, 12, 12, 9, 0, 0),   # only late ones: the newest
        f"{bruno}/late2.ipynb": (2026, 12, 13, 9, 0, 0)})
    outs = {o.upload.path: o for o in collect.collect(course, A, export, timezone=SP)}
    assert outs[f"{ana}/second.ipynb"].accepted and outs[f"{bruno}/late2.ipynb"].accepted
    assert outs[f"{ana}/after.ipynb"].reason == (
        f"superseded by {ana}/second.ipynb, the newest handed in by the due date (this one "
        "came after it; `--prefer newest` keeps the newest)")
    assert outs[f"{ana}/first.ipynb"].reason == \
        (f"superseded by {ana}/second.ipynb (the newest handed in by the due date is kept): "
         "it was handed in later")
    assert outs[f"{bruno}/late1.ipynb"].reason == \
        (f"superseded by {bruno}/late2.ipynb (only the newest is kept): "
         "it was handed in later")
    assert stamp(course, "105") == "2026-12-11 02:59:00.000000 UTC"
    assert set(late_log(course)) == {"106"}
    rejected = {e.file for e in attention.load(course, A) if e.kind == "rejected"}
    assert rejected == {f"{ana}/first.ipynb", f"{ana}/after.ipynb", f"{bruno}/late1.ipynb"}

    outs = {o.upload.path: o for o in collect.collect(course, A, export, timezone=SP,
                                                      prefer="newest")}
    assert outs[f"{ana}/after.ipynb"].accepted and outs[f"{ana}/after.ipynb"].late == "9 h 1 min"
    assert outs[f"{ana}/second.ipynb"].reason == \
        (f"superseded by {ana}/after.ipynb (only the newest is kept): "
         "it was handed in later")
    assert set(late_log(course)) == {"105", "106"}


def test_an_extension_moves_that_students_due_date(course, tmp_path):
    set_due(course, datetime(2026, 12, 10, 23, 59, tzinfo=late_policy.zone(SP)))
    with course.gradebook() as gb:
        gb.update_or_create_student("107")
        gb.update_or_create_submission(A, "107", extension=timedelta(days=2))
    folder = MOODLE.format(107)
    export = zipped(tmp_path / "moodle.zip", {f"{folder}/a.ipynb": (2026, 12, 11, 9, 0, 0),
                                              f"{folder}/b.ipynb": (2026, 12, 13, 9, 0, 0)})
    outs = {o.upload.path: o for o in collect.collect(course, A, export, timezone=SP)}
    assert outs[f"{folder}/a.ipynb"].accepted and not outs[f"{folder}/a.ipynb"].late
    assert "107" not in late_log(course)


# --- the policy -----------------------------------------------------------------------------

def policy(**traits):
    from traitlets.config import Config

    cfg = Config()
    for key, value in traits.items():
        section, _, name = key.rpartition("__")
        cfg[section or "CourseLatePolicy"][name] = value
    return late_policy.CourseLatePolicy(config=cfg)


@pytest.mark.parametrize("late,expected", [
    (1, 1.0), (86400, 1.0), (86401, 2.0), (3 * 86400, 3.0), (10 * 86400, 5.0)])
def test_percent_per_day_counts_started_days_up_to_the_cap(late, expected):
    plugin = policy(method="percent_per_day", percent_per_day=10, max_percent=50)
    assert plugin.late_submission_penalty("s", 10.0, late) == pytest.approx(expected)


def test_the_other_methods():
    assert policy().late_submission_penalty("s", 8.0, 3600) is None  # default: none
    assert policy(LateSubmissionPlugin__penalty_method="zero") \
        .late_submission_penalty("s", 8.0, 3600) == 8.0  # nbgrader's own, still honoured
    assert policy(method="zero").late_submission_penalty("s", 8.0, 1) == 8.0
    hourly = policy(method="points_per_hour", points_per_hour=0.5, max_percent=50)
    assert hourly.late_submission_penalty("s", 8.0, 3601) == 1.0  # 2 started hours
    assert hourly.late_submission_penalty("s", 8.0, 100 * 3600) == 4.0  # capped at 50%
    assert policy(method="percent_per_day").late_submission_penalty("s", 0.0, 86400) == 0.0


def test_the_course_config_selects_the_plugin(real_course):
    from nbgrader.preprocessors import AssignLatePenalties

    cfg = real_course.config
    assert cfg.AssignLatePenalties.plugin_class is late_policy.CourseLatePolicy
    assert cfg.CourseLatePolicy.method == "none"  # the default changes no grade
    assert AssignLatePenalties(config=cfg).plugin_class is late_policy.CourseLatePolicy


def test_the_score_table_takes_the_penalty_off_the_total():
    """`course grade`'s table: a late student's total is what the grades CSV will say, with
    the penalty in a column of its own (only when someone lost points to it)."""
    points = {"test_forward": 2.0, "explain_accumulation": 2.0}
    rows = [gradebook.Row("ana", {"test_forward": 2.0, "explain_accumulation": None}, points),
            gradebook.Row("diego", {"test_forward": 2.0, "explain_accumulation": 2.0}, points,
                          penalty=0.8)]
    lines = gradebook.render(rows, A).splitlines()
    assert lines[1].split() == ["student", "test_forward", "(2)", "explain_accumulation", "(2)",
                                "late", "penalty", "total"]
    assert lines[3].split() == ["ana", "2", "manual", "2"]
    assert lines[4].split() == ["diego", "2", "2", "-0.8", "3.2"]
    on_time = gradebook.render(rows[:1], A).splitlines()
    assert "late penalty" not in on_time[1] and on_time[3].split() == ["ana", "2", "manual", "2"]


# --- graded: the penalty lands in the gradebook -----------------------------------------------

@pytest.mark.slow
def test_a_late_submission_loses_its_percentage_when_graded(root, tmp_path):
    from course.authoring import build, release
    from course.authoring.lesson_format import read_lesson
    from course.authoring.notebooks import fill, solutions
    from course.grading import grade
    from course.lessons import lesson_file

    course = scratch_course(root / "build" / f"late-{uuid.uuid4().hex[:8]}")
    try:
        config = course.root / "nbgrader_config.py"
        config.write_text(config.read_text(encoding="utf-8") + (
            '\nc.CourseLatePolicy.method = "percent_per_day"\n'
            "c.CourseLatePolicy.percent_per_day = 10\nc.CourseLatePolicy.max_percent = 50\n"
            f'c.CourseLatePolicy.timezone = "{SP}"\n'), encoding="utf-8")
        course = type(course)(course.root)  # read the config again
        build.write_tree(build.build_all([read_lesson(lesson_file("01_graph"))]),
                         course.source_dir)
        release.generate(course, A)
        due = late_policy.parse_when("2026-12-10 23:59", late_policy.zone(None, course))
        late_policy.set_due_date(course, A, due)  # in the course's zone, as the zip times
        nb = fill(nbformat.read(course.release_notebook(A), as_version=4),
                  solutions(nbformat.read(course.source_notebook(A), as_version=4)))
        with zipfile.ZipFile(tmp_path / "moodle.zip", "w") as zf:
            for student, when in {"1": (2026, 12, 10, 23, 0, 0),     # on time
                                  "2": (2026, 12, 12, 0, 0, 0),      # 1 d 1 min: 2 days, 20%
                                  "3": (2026, 12, 30, 0, 0, 0)}.items():  # capped at 50%
                zf.writestr(zipfile.ZipInfo(f"{MOODLE.format(student)}/{A}.ipynb", when),
                            nbformat.writes(nb))
        collect.collect(course, A, tmp_path / "moodle.zip")
        _, failed = grade.grade(course, A, jobs=1, progress=False)
        assert failed == {}

        subs = gradebook.submissions(course, A)
        score = subs["1"].score
        assert score > 0 and {s.score for s in subs.values()} == {score}
        assert {s: (sub.penalty, sub.final) for s, sub in subs.items()} == {
            "1": (0.0, score), "2": (pytest.approx(0.2 * score), pytest.approx(0.8 * score)),
            "3": (pytest.approx(0.5 * score), pytest.approx(0.5 * score))}
        totals = {r.student: r.total for r in gradebook.table(course, A)}  # `course grade`'s
        assert totals == {"1": score, "2": pytest.approx(0.8 * score),
                          "3": pytest.approx(0.5 * score)}
        with course.gradebook() as gb:
            two = gb.find_submission(A, "2")
            assert two.timestamp == utc(2026, 12, 12, 3, 0)
            assert two.total_seconds_late == 86400 + 60
            assert two.late_submission_penalty == pytest.approx(0.2 * score)
            assert gb.find_student("2").first_name == "Ana"
    finally:
        shutil.rmtree(course.root, ignore_errors=True)


def test_the_penalty_depends_only_on_auto_graded_points():
    """A re-grade after manual grading gets nbgrader's score with the hand-given points in it:
    the penalty stays what the first grading gave (10 auto points, 2 days at 10%/day: 2)."""
    from types import SimpleNamespace

    from traitlets.config import Config, Configurable

    class Late(Configurable):  # what AssignLatePenalties gives its plugin as parent
        notebook_id, assignment_id, student_id = A, A, "103"
        gradebook = SimpleNamespace(find_submission_notebook=lambda *ids: SimpleNamespace(
            grades=[SimpleNamespace(auto_score=6.0, manual_score=None),
                    SimpleNamespace(auto_score=4.0, manual_score=None),
                    SimpleNamespace(auto_score=None, manual_score=1.5)]))

    cfg = Config()
    cfg.CourseLatePolicy.method = "percent_per_day"
    plugin = late_policy.CourseLatePolicy(config=cfg, parent=Late())
    assert plugin.late_submission_penalty("103", 11.5, 2 * 86400) == pytest.approx(2.0)
    alone = late_policy.CourseLatePolicy(config=cfg)  # no gradebook to ask: the score given
    assert alone.late_submission_penalty("103", 11.5, 2 * 86400) == pytest.approx(2.3)
