"""The synthetic class the grading benchmark grades: for each assignment, its reference
answers, blank notebooks, every wrong and alternative answer of the lesson's answers.py, and
adversarial notebooks that plain nbgrader can grade too (monkeypatching, heavy printing); and
the scratch courses both engines grade it in."""
from __future__ import annotations

import itertools
import tempfile
from pathlib import Path

import nbformat

from course import gradebook
from course.authoring import build, release
from course.authoring.notebooks import fill, solutions
from course.course_folder import Course
from course.lessons import load_answers

ROOT = Path(__file__).resolve().parent.parent

ADVERSARIAL = {
    "monkeypatch": ("import builtins\ntorch.allclose = lambda *a, **k: True\n"
                    "builtins.abs = lambda v: 0\n"),
    "prints": "for _i in range(20000):\n    print(_i)\n",
}


def synthetic_class(source_nb, release_nb, lesson_slug: str, n: int
                    ) -> dict[str, nbformat.NotebookNode]:
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


def make_course(base: Path, assignment: str, files: dict[str, str], subs,
                course: Course | None = None) -> Course:
    """A scratch course with `assignment` released and `subs` submitted (added to `course`
    when given)."""
    course = course or Course.create(base, like=Course(ROOT))
    build.write_tree({k: v for k, v in files.items() if k.startswith(assignment + "/")},
                     course.source_dir)
    release.generate(course, assignment)
    for student, nb in subs.items():
        target = course.submitted_notebook(student, assignment)
        target.parent.mkdir(parents=True)
        nbformat.write(nb, target)
    return course


def the_class(assignment: str, files: dict, n: int):
    slug = assignment.rsplit("_", 1)[0]
    with tempfile.TemporaryDirectory() as tmp:
        scratch = make_course(Path(tmp) / "c", assignment, files, {})
        rel = nbformat.read(scratch.release_notebook(assignment), as_version=4)
    src = nbformat.reads(files[f"{assignment}/{assignment}.ipynb"], as_version=4)
    return synthetic_class(src, rel, slug, n)


def scores(course: Course, assignment: str) -> dict:
    return {r.student: r.cells for r in gradebook.table(course, assignment)}
