"""Local workers fork from the instructor's process with what they need already imported
(runner.import_worker_modules): a worker that imported nbgrader's gradebook API, alembic, IPython's
parser or torch for itself would pay it once per worker (≈ 0.8–2.3 core-seconds each, most of
a small class's overhead).  Checked in a new interpreter, which has imported nothing yet."""
from __future__ import annotations

import pytest

from conftest import fresh_python, hand_in, reference_answers, released_course

pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore:.*not in session.*")]

# packages none of which a forked worker should have to import itself
HEAVY = ("torch", "numpy", "nbgrader", "nbconvert", "jupyter_client", "alembic", "sqlalchemy",
         "IPython", "jsonschema", "matplotlib")

GRADE_AND_LIST = """
import json, os, sys, warnings
from pathlib import Path
warnings.filterwarnings("ignore")
from course.course_folder import Course
from course.grading import engine, local_workers
out = Path({out!r})
instructor = os.getpid()

def snapshot():  # what the instructor's process holds as it forks (the worker: its last fork)
    if os.getpid() == instructor:
        (out / "parent.json").write_text(json.dumps(sorted(sys.modules)))

os.register_at_fork(before=snapshot)
grade_local = local_workers.grade_local

def grade_and_list(bundle, task):
    result = grade_local(bundle, task)
    (out / "worker.json").write_text(json.dumps(sorted(sys.modules)))
    return result

local_workers.grade_local = grade_and_list
outs = engine.grade_all(Course(Path({root!r})), "01_graph_pt", "pt", ["ana"], jobs=1,
                        progress=False)
parent = set(json.loads((out / "parent.json").read_text()))
worker = set(json.loads((out / "worker.json").read_text()))
print(json.dumps([outs[0].success, outs[0].reason, sorted(worker - parent)]))
"""


def test_a_forked_worker_imports_nothing_heavy_itself(tmp_path):
    course = released_course(tmp_path / "c", "01_graph", "01_graph_pt")
    hand_in(course, "01_graph_pt", "ana", reference_answers(course, "01_graph_pt"))
    success, reason, imported = fresh_python(GRADE_AND_LIST.format(root=str(course.root),
                                                                  out=str(tmp_path)))
    assert success, reason
    heavy = sorted(m for m in imported if m.split(".")[0] in HEAVY)
    assert not heavy, heavy
    assert len(imported) < 30, imported  # (today: a dozen small modules)
