"""`course demo` is a course of its own: with a db_url in the real course's config (as for a
PostgreSQL class), grading, feedback and reports of the demo never read or write the real
gradebook."""
from __future__ import annotations

import hashlib

import pytest

from course import cli
from course.course_folder import Course

from conftest import ROOT

pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore:.*not in session.*")]


def test_demo_leaves_the_real_gradebook_untouched(tmp_path, monkeypatch):
    monkeypatch.delenv("COURSE_ROOT", raising=False)
    folder = tmp_path / "turma"
    folder.mkdir()
    real_db = tmp_path / "real_class.db"
    (folder / "nbgrader_config.py").write_text(
        (ROOT / "nbgrader_config.py").read_text()
        + f"\nc.CourseDirectory.db_url = 'sqlite:///{real_db}'\n")
    real = Course(folder)
    with real.gradebook() as gb:
        gb.add_student("ana", first_name="Ana", last_name="Souza")
    before = hashlib.sha256(real_db.read_bytes()).hexdigest()

    assert cli.main(["--course", str(folder), "demo", "--lessons", "01_graph"]) == 0

    assert hashlib.sha256(real_db.read_bytes()).hexdigest() == before
    with real.gradebook() as gb:
        assert [s.id for s in gb.students] == ["ana"] and not gb.assignments
    demo = Course(folder / "demo")
    assert demo.db_url == f"sqlite:///{(folder / 'demo' / 'gradebook.db').resolve()}"
    with demo.gradebook() as gb:
        assert {s.id for s in gb.students} == {"demo_solution", "demo_blank", "demo_mistakes"}
    moodle = (demo.reports_dir("01_graph_pt") / "moodle.csv").read_text()
    assert "demo_solution,10" in moodle
    assert demo.feedback_page("demo_mistakes", "01_graph_es").is_file()
    assert not (folder / "gradebook.db").exists() and not (folder / "reports").exists()
