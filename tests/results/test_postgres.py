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

from course.authoring import build, release
from course.authoring.lesson_format import read_lesson
from course.authoring.notebooks import fill, solutions
from course.course_folder import Course
from course.grading import grade
from course.lessons import lesson_file
from course.results import report

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
    folder = root / "build" / f"pg-course-{uuid.uuid4().hex[:8]}"
    try:
        folder.mkdir(parents=True)
        config = (root / "nbgrader_config.py").read_text()
        (folder / "nbgrader_config.py").write_text(
            config + f"\nc.CourseDirectory.db_url = {database!r}\n")
        course = Course(folder)
        files = build.build_all([read_lesson(lesson_file("01_graph"))])
        build.write_tree(files, course.source_dir)
        release.generate(course, A)
        assert not (folder / "gradebook.db").exists()
        src = nbformat.read(course.source_notebook(A), as_version=4)
        rel = nbformat.read(course.release_notebook(A), as_version=4)
        ref = solutions(src)
        wrong = {**ref, "manual_backward": ref["manual_backward"].replace("2 * e", "e")}
        for student, answers in (("ana", ref), ("bruno", wrong)):
            target = course.submitted_notebook(student, A)
            target.parent.mkdir(parents=True)
            nbformat.write(fill(rel, answers), target)
        rows, failed = grade.grade(course, A, engine="fast", jobs=2, progress=False)
        assert failed == {}
        totals = {r.student: r.auto_total for r in rows}
        assert totals == {"ana": 10.0, "bruno": 7.0}
        assert not (folder / "gradebook.db").exists()
        report.generate(course, A)
        moodle = (course.reports_dir(A) / "moodle.csv").read_text().splitlines()
        assert moodle[0] == f"ID number,{A}" and "ana,10" in moodle and "bruno,7" in moodle
    finally:
        shutil.rmtree(folder, ignore_errors=True)
