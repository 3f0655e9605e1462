"""Seconds, per assignment, to execute the solution notebook top to bottom and to autograde it
with plain nbgrader (target: each ≤ 20 s on a 2-core CPU).

    .venv/bin/python benchmarks/lessons.py [ASSIGNMENT ...]
"""
from __future__ import annotations

import os
import sys
import tempfile
import time
import warnings
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["PATH"] = str(Path(sys.executable).parent) + os.pathsep + os.environ["PATH"]
warnings.filterwarnings("ignore", message=".*not in session.*")

from course.authoring import build, release  # noqa: E402
from course.authoring.notebooks import errors, execute, fill, solutions  # noqa: E402
from course.course_folder import Course  # noqa: E402
from course.grading import grade  # noqa: E402


def main(names: list[str]) -> int:
    files = build.build_all()
    assignments = names or sorted({rel.split("/")[0] for rel in files}, key=lambda a: (a[:2], a))
    print(f"{'assignment':28s} {'execute (s)':>12s} {'autograde (s)':>14s}  errors")
    worst = 0.0
    for a in assignments:
        with tempfile.TemporaryDirectory() as tmp:
            course = Course.create(Path(tmp), like=Course(ROOT))
            build.write_tree({k: v for k, v in files.items() if k.startswith(a + "/")},
                             course.source_dir)
            release.generate(course, a)
            src = nbformat.read(course.source_notebook(a), as_version=4)
            rel = nbformat.read(course.release_notebook(a), as_version=4)
            t0 = time.perf_counter()
            done = execute(src)
            exec_s = time.perf_counter() - t0
            target = course.submitted_notebook("solution", a)
            target.parent.mkdir(parents=True)
            nbformat.write(fill(rel, solutions(src)), target)
            t0 = time.perf_counter()
            _, failed = grade.grade(course, a, engine="nbgrader")
            grade_s = time.perf_counter() - t0
            worst = max(worst, exec_s, grade_s)
            errs = len(errors(done)) + len(failed)
            print(f"{a:28s} {exec_s:12.1f} {grade_s:14.1f}  {errs}")
    print(f"\nslowest: {worst:.1f} s (target ≤ 20 s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
