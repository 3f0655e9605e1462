"""`course grade` on bad input: a clear error naming what to do, and nothing written."""
from __future__ import annotations

import shutil

import pytest

from conftest import ROOT, scratch_course
from course import cli
from course.course_folder import CourseError
from course.grading import grade

pytestmark = pytest.mark.filterwarnings("ignore:.*not in session.*")


def test_unreleased_assignment_is_a_clear_error(tmp_path):
    course = scratch_course(tmp_path / "c")
    with pytest.raises(CourseError, match="run `course release 01_graph_pt` first"):
        grade.grade(course, "01_graph_pt")
    assert not course.autograded_dir.exists()


def test_nothing_submitted_is_a_clear_error(tmp_path, capsys):
    course = scratch_course(tmp_path / "c")
    shutil.copytree(ROOT / "source" / "01_graph_pt", course.source_dir / "01_graph_pt")
    assert cli.main(["--course", str(course.root), "grade", "01_graph_pt"]) == 2
    err = capsys.readouterr().err
    assert "course grade: error: nothing to grade: no submitted/<student>/01_graph_pt/" in err
    assert course.in_gradebook("01_graph_pt")  # `course grade` released it first, as nbgrader


def test_unknown_engine_is_a_clear_error(tmp_path):
    course = scratch_course(tmp_path / "c")
    shutil.copytree(ROOT / "source" / "01_graph_pt", course.source_dir / "01_graph_pt")
    from course.authoring import release
    release.generate(course, "01_graph_pt")
    (course.submitted_dir / "ana" / "01_graph_pt").mkdir(parents=True)
    with pytest.raises(CourseError, match="unknown engine 'slow'"):
        grade.grade(course, "01_graph_pt", engine="slow")
