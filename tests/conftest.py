import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# nbgrader shells out to `alembic` and kernels start `python`: use this interpreter's.
os.environ["PATH"] = str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")
# Instructor messages in English whatever this machine's locale (tests of pt/es set their own).
os.environ["COURSE_INSTRUCTOR_LANG"] = "en"
# matplotlib's font cache and matplotlibrc of this run's own, in this process and every kernel
# it starts: a machine's cache built by an interpreter since deleted lists no bundled font, and
# each figure then warns on stderr ("findfont: Font family ['STIXGeneral'] not found"), which
# the tests read as a notebook's failure; a teacher's matplotlibrc is no test's business either.
if "MPLCONFIGDIR" not in os.environ:
    import atexit
    import shutil
    import tempfile

    os.environ["MPLCONFIGDIR"] = tempfile.mkdtemp(prefix="course-tests-mpl-")
    atexit.register(shutil.rmtree, os.environ["MPLCONFIGDIR"], True)


@pytest.fixture(autouse=True)
def _instructor_language_reset():
    """A test that ran the CLI in pt or es leaves no language behind for the next one."""
    yield
    import argparse
    import gettext

    from course import i18n

    i18n._current = None
    argparse._, argparse.ngettext = gettext.gettext, gettext.ngettext


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def real_course():
    """The checkout's own course folder (read, never graded into)."""
    from course.course_folder import Course

    return Course(ROOT)


def fresh_python(code: str):
    """Run `code` in a new interpreter (nothing imported, no CUDA started yet) from the
    checkout; the JSON of the last line it printed."""
    import json
    import subprocess

    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def scratch_course(path: Path):
    """A new course folder at `path` with the checkout's settings and its own SQLite gradebook."""
    from course.course_folder import Course

    return Course.create(path, like=Course(ROOT))


def released_course(path: Path, slug: str, *assignments: str):
    """A scratch course holding one lesson's notebooks, with `assignments` released."""
    from course.authoring import build, release
    from course.authoring.lesson_format import read_lesson
    from course.lessons import lesson_file

    course = scratch_course(path)
    build.write_tree(build.build_all([read_lesson(lesson_file(slug))]), course.source_dir)
    for a in assignments:
        release.generate(course, a)
    return course


def hand_in(course, assignment: str, student: str, answers: dict | None) -> None:
    """`student`'s notebook: the release filled with `answers` (None: left untouched)."""
    import nbformat

    from course.authoring.notebooks import fill

    rel = nbformat.read(course.release_notebook(assignment), as_version=4)
    target = course.submitted_notebook(student, assignment)
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(rel if answers is None else fill(rel, answers), target)


def reference_answers(course, assignment: str) -> dict:
    import nbformat

    from course.authoring.notebooks import solutions

    return solutions(nbformat.read(course.source_notebook(assignment), as_version=4))


def printed(course, assignment: str, student: str) -> str:
    """What `student`'s autograded notebook printed to stdout, all cells together."""
    import nbformat

    nb = nbformat.read(course.autograded_notebook(student, assignment), as_version=4)
    return "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", [])
                   if o.get("name") == "stdout")
