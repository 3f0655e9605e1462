import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# nbgrader shells out to `alembic` and kernels start `python`: use this interpreter's.
os.environ["PATH"] = str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def real_course():
    """The checkout's own course folder (read, never graded into)."""
    from course.course_folder import Course

    return Course(ROOT)


def scratch_course(path: Path):
    """A new course folder at `path` with the checkout's settings and its own SQLite gradebook."""
    from course.course_folder import Course

    return Course.create(path, like=Course(ROOT))
