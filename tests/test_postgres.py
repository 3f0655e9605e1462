"""Grades land in a PostgreSQL gradebook when nbgrader_config.py sets a db_url (the fast engine's
parallel workers included), and the score table and reports read them back.  Runs where
COURSE_TEST_POSTGRES_URL points at a server whose role may create databases (.ci/run starts
one); skipped elsewhere."""
from __future__ import annotations

import os
import shutil
import uuid

import nbformat
import pytest

from course import build, grade, release, report
from course.lesson_format import read_lesson
from course.notebooks import fill, solutions

URL = os.environ.get("COURSE_TEST_POSTGRES_URL")
pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore:.*not in session.*"),
              pytest.mark.skipif(not URL, reason="COURSE_TEST_POSTGRES_URL not set")]
A = "01_graph_pt"


@pytest.fixture
def database():
    import sqlalchemy as sa

    name = f"gradebook_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f"CREATE DATABASE {name}"))
    yield URL.rsplit("/", 1)[0] + "/" + name
    with admin.connect() as conn:
        conn.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    admin.dispose()


def test_fast_grading_into_postgres(root, database):
    course = root / "build" / f"pg-course-{uuid.uuid4().hex[:8]}"
    try:
        files = build.build_all([read_lesson(root / "course" / "lessons" / "01_graph.py")])
        build.write_tree(files, course / "source")
        config = (root / "nbgrader_config.py").read_text()
        (course / "nbgrader_config.py").write_text(
            config + f"\nc.CourseDirectory.db_url = {database!r}\n")
        release.generate(course, A)
        assert not (course / "gradebook.db").exists()
        src = nbformat.read(course / "source" / A / f"{A}.ipynb", as_version=4)
        rel = nbformat.read(course / "release" / A / f"{A}.ipynb", as_version=4)
        ref = solutions(src)
        wrong = {**ref, "manual_backward": ref["manual_backward"].replace("2 * e", "e")}
        for student, answers in (("ana", ref), ("bruno", wrong)):
            target = course / "submitted" / student / A / f"{A}.ipynb"
            target.parent.mkdir(parents=True)
            nbformat.write(fill(rel, answers), target)
        rows, failed = grade.grade(course, A, engine="fast", jobs=2, progress=False)
        assert failed == {}
        totals = {r.student: r.auto_total for r in rows}
        assert totals == {"ana": 10.0, "bruno": 7.0}
        assert not (course / "gradebook.db").exists()
        report.generate(course, A)
        moodle = (course / "reports" / A / "moodle.csv").read_text().splitlines()
        assert moodle[0] == f"ID number,{A}" and "ana,10" in moodle and "bruno,7" in moodle
    finally:
        shutil.rmtree(course, ignore_errors=True)
