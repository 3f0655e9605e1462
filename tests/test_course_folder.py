"""The course folder is found like nbgrader and git find theirs (--course, COURSE_ROOT, the
nearest folder holding nbgrader_config.py), owns the paths and settings, and says clearly when
there is none or an assignment name is wrong."""
from __future__ import annotations

import pytest

from course import cli
from course.course_folder import (Assignment, Course, CourseError, find_root,
                                  parse_assignment)

from conftest import ROOT


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.delenv("COURSE_ROOT", raising=False)
    root = tmp_path / "turma"
    (root / "a" / "b").mkdir(parents=True)
    (root / "nbgrader_config.py").write_text((ROOT / "nbgrader_config.py").read_text())
    return root


def test_found_from_a_nested_folder(folder):
    assert find_root(cwd=folder / "a" / "b") == folder.resolve()


def test_found_from_the_current_directory(folder, monkeypatch):
    monkeypatch.chdir(folder / "a")
    assert Course.find().root == folder.resolve()


def test_explicit_folder_wins_over_environment_and_cwd(folder, tmp_path, monkeypatch):
    other = tmp_path / "outra"
    other.mkdir()
    (other / "nbgrader_config.py").write_text("c = get_config()\n")
    monkeypatch.setenv("COURSE_ROOT", str(other))
    assert find_root(cwd=folder) == other.resolve()
    assert find_root(folder, cwd=other) == folder.resolve()


def test_no_course_folder_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.delenv("COURSE_ROOT", raising=False)
    with pytest.raises(CourseError, match="no course folder here.*nbgrader_config.py"):
        find_root(cwd=tmp_path)
    with pytest.raises(CourseError, match="--course .* is not a course folder"):
        find_root(tmp_path)
    monkeypatch.setenv("COURSE_ROOT", str(tmp_path))
    with pytest.raises(CourseError, match="COURSE_ROOT .* is not a course folder"):
        find_root()


def test_cli_reports_a_missing_course_in_one_line(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("COURSE_ROOT", raising=False)
    monkeypatch.chdir(tmp_path)
    assert cli.main(["grade", "01_graph_pt"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("course grade: error: no course folder here") and "Traceback" not in err


def test_cli_rejects_a_bad_assignment_name(folder, capsys):
    assert cli.main(["--course", str(folder), "grade", "01_graph_en"]) == 2
    assert "'01_graph_en' is not an assignment of this course" in capsys.readouterr().err


def test_paths_come_from_the_config(folder):
    (folder / "nbgrader_config.py").write_text(
        (folder / "nbgrader_config.py").read_text()
        + '\nc.CourseDirectory.submitted_directory = "entregas"\n')
    course = Course(folder)
    assert course.submitted_notebook("ana", "01_graph_pt") == \
        folder.resolve() / "entregas" / "ana" / "01_graph_pt" / "01_graph_pt.ipynb"
    assert course.source_notebook("01_graph_pt").parent.parent == folder.resolve() / "source"
    assert course.db_url == f"sqlite:///{folder.resolve() / 'gradebook.db'}"


def test_a_created_course_never_shares_the_gradebook(folder, tmp_path):
    (folder / "nbgrader_config.py").write_text(
        (folder / "nbgrader_config.py").read_text()
        + "\nc.CourseDirectory.db_url = 'postgresql+psycopg2://u:p@db/real_class'\n")
    real = Course(folder)
    demo = Course.create(tmp_path / "demo", like=real)
    assert real.db_url.startswith("postgresql")
    assert demo.db_url == f"sqlite:///{(tmp_path / 'demo').resolve() / 'gradebook.db'}"
    assert demo.course_id == real.course_id


@pytest.mark.parametrize("name,lesson,lang", [("01_graph_pt", "01_graph", "pt"),
                                               ("05_linear_regression_es",
                                                "05_linear_regression", "es")])
def test_assignment_names_parse(name, lesson, lang):
    assert parse_assignment(name) == Assignment(name, lesson, lang)


@pytest.mark.parametrize("name", ["01_graph", "01_graph_en", "99_nothing_pt", "", "_pt"])
def test_bad_assignment_names_are_user_errors(name):
    with pytest.raises(CourseError, match="is not an assignment of this course"):
        parse_assignment(name)


def test_the_exchange_lives_in_the_course_folder(tmp_path):
    """formgrader warns about a missing exchange; nbgrader's release/fetch/collect need one."""
    from conftest import scratch_course

    course = scratch_course(tmp_path / "c")
    exchange = course.config.Exchange.root
    assert exchange == str(course.root / "exchange")
    assert (course.root / "exchange").is_dir()
