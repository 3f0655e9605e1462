"""Plain `nbgrader autograde` against `course grade` on the same synthetic class.

Builds a class of N submissions per assignment (reference answers, every wrong and alternative
answer from each lesson's answers.py, blank notebooks, and adversarial ones that plain nbgrader can also
grade: monkeypatching, hard-coded values, a torch warning, heavy printing), grades it once with
each engine in separate scratch courses, checks that every cell's score is identical, and prints
seconds per submission for both, the ratio, and the time the notebooks' own cells took.

    .venv/bin/python benchmarks/grading.py [--assignment 01_graph_pt ...] [--n 30] [--jobs 2]
"""
from __future__ import annotations

import argparse
import itertools
import os
import shutil
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
from course.authoring.lesson_format import read_all  # noqa: E402
from course.authoring.notebooks import fill, solutions  # noqa: E402
from course.course_folder import Course  # noqa: E402
from course.grading import grade  # noqa: E402
from course.grading.engine import grade_all  # noqa: E402
from course.lessons import load_answers  # noqa: E402
from course import gradebook  # noqa: E402

ADVERSARIAL = {
    "monkeypatch": "import builtins\ntorch.allclose = lambda *a, **k: True\nbuiltins.abs = lambda v: 0\n",
    "prints": "for _i in range(20000):\n    print(_i)\n",
}


def synthetic_class(source_nb, release_nb, lesson_slug: str, n: int) -> dict[str, nbformat.NotebookNode]:
    ref = solutions(source_nb)
    mod = load_answers(lesson_slug)
    kinds = [("solution", ref), ("blank", None)]
    for gid, table in mod.WRONG.items():
        kinds += [(f"wrong-{gid}-{i}", {**ref, gid: w.code}) for i, w in enumerate(table.values())]
    for gid, table in getattr(mod, "CORRECT", {}).items():
        kinds += [(f"alt-{gid}-{i}", {**ref, gid: code}) for i, code in enumerate(table.values())]
    # In the last answer cell: by then both engines have imported the hidden-test helpers, so
    # both undo the monkeypatching and the grades must agree.
    last_answer = list(ref)[-1]
    for name, prefix in ADVERSARIAL.items():
        kinds.append((name, {**ref, last_answer: prefix + ref[last_answer]}))
    out = {}
    for i, (kind, answers) in zip(range(n), itertools.cycle(kinds)):
        nb = nbformat.from_dict(release_nb) if answers is None else fill(release_nb, answers)
        out[f"s{i:03d}-{kind}"[:60]] = nb
    return out


def make_course(base: Path, assignment: str, files: dict[str, str], subs) -> Course:
    course = Course.create(base, like=Course(ROOT))
    build.write_tree({k: v for k, v in files.items() if k.startswith(assignment + "/")},
                     course.source_dir)
    release.generate(course, assignment)
    for student, nb in subs.items():
        target = course.submitted_notebook(student, assignment)
        target.parent.mkdir(parents=True)
        nbformat.write(nb, target)
    return course


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--assignment", nargs="*", default=["01_graph_pt"])
    p.add_argument("--n", type=int, default=30, help="submissions per assignment")
    p.add_argument("--jobs", type=int, default=os.cpu_count())
    args = p.parse_args()
    lessons = {l.slug: l for l in read_all()}
    files = build.build_all(list(lessons.values()))
    work = Path(tempfile.mkdtemp(prefix="bench-", dir=ROOT / "build" if (ROOT / "build").exists() else None))
    status = 0
    try:
        for assignment in args.assignment:
            slug = assignment.rsplit("_", 1)[0]
            with tempfile.TemporaryDirectory() as tmp:
                scratch = make_course(Path(tmp) / "c", assignment, files, {})
                rel = nbformat.read(scratch.release_notebook(assignment), as_version=4)
            src = nbformat.reads(files[f"{assignment}/{assignment}.ipynb"], as_version=4)
            subs = synthetic_class(src, rel, slug, args.n)
            plain_root = make_course(work / f"{assignment}-plain", assignment, files, subs)
            fast_root = make_course(work / f"{assignment}-fast", assignment, files, subs)

            t0 = time.perf_counter()
            plain_rows, plain_failed = grade.grade(plain_root, assignment, engine="nbgrader")
            plain_s = time.perf_counter() - t0

            t0 = time.perf_counter()
            outcomes = grade_all(fast_root, assignment, assignment[-2:], sorted(subs),
                                 jobs=args.jobs, progress=False)
            fast_s = time.perf_counter() - t0
            fast_rows = gradebook.table(fast_root, assignment)
            cell_s = sum(o.cell_seconds for o in outcomes)

            plain = {r.student: r.cells for r in plain_rows}
            fast = {r.student: r.cells for r in fast_rows}
            diffs = [s for s in subs if plain.get(s) != fast.get(s)]
            n = len(subs)
            print(f"\n== {assignment}: {n} submissions, {args.jobs} jobs ==")
            print(f"plain nbgrader autograde : {plain_s:7.1f} s  = {plain_s / n:5.2f} s/submission"
                  f"  ({len(plain_failed)} not graded)")
            print(f"course grade (fast)      : {fast_s:7.1f} s  = {fast_s / n:5.2f} s/submission"
                  f"  ({sum(not o.success for o in outcomes)} not graded)")
            print(f"speed-up                 : {plain_s / fast_s:5.2f}x")
            print(f"notebook cells themselves: {cell_s:7.1f} s of kernel time "
                  f"({cell_s / n:5.2f} s/submission, summed over workers)")
            print(f"scores identical         : {'yes' if not diffs else 'NO: ' + ', '.join(diffs)}")
            status |= bool(diffs)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
