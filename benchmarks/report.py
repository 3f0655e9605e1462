"""Seconds `course report` takes for a class of N students (default 100) of lesson 01 (pt):
mistake statistics, item analysis, similarity and every file, from the gradebook — grading the
class first is not counted.  Students draw their answers from the lesson's reference, its
alternative correct answers and its realistic wrong answers.

    .venv/bin/python benchmarks/report.py [N]
"""
from __future__ import annotations

import os
import random
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
from course.authoring.lesson_format import read_lesson  # noqa: E402
from course.authoring.notebooks import fill, solutions  # noqa: E402
from course.course_folder import Course  # noqa: E402
from course.grading import grade  # noqa: E402
from course.lessons import lesson_file, load_answers  # noqa: E402
from course.results import report  # noqa: E402

A = "01_graph_pt"


def main(n: int) -> int:
    answers = load_answers("01_graph")
    rng = random.Random(0)
    with tempfile.TemporaryDirectory() as tmp:
        course = Course.create(Path(tmp) / "c", like=Course(ROOT))
        build.write_tree(build.build_all([read_lesson(lesson_file("01_graph"))]),
                         course.source_dir)
        release.generate(course, A)
        src = nbformat.read(course.source_notebook(A), as_version=4)
        rel = nbformat.read(course.release_notebook(A), as_version=4)
        ref = solutions(src)
        for i in range(n):
            mine = dict(ref)
            for cell in ("forward", "manual_backward", "grad_fn_names"):
                options = ([w.code for w in answers.WRONG.get(cell, {}).values()]
                           + list(answers.CORRECT.get(cell, {}).values()) + [ref[cell]] * 3)
                mine[cell] = rng.choice(options)
            target = course.submitted_notebook(f"s{i:03d}", A)
            target.parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(fill(rel, mine), target)
        start = time.perf_counter()
        _, failed = grade.grade(course, A, jobs=os.cpu_count(), progress=False)
        graded = time.perf_counter() - start
        start = time.perf_counter()
        report.generate(course, A)
        took = time.perf_counter() - start
    print(f"| students | grading (s) | course report (s) | not graded |\n|---|---|---|---|\n"
          f"| {n} | {graded:.1f} | {took:.1f} | {len(failed)} |")
    return 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 100))
