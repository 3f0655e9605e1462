"""`course demo`: the whole instructor job on a demo class, from nothing.

It builds the lessons and releases them into a course folder of its own, `demo/` inside the
real one, with its own nbgrader_config.py and SQLite gradebook (so the real class's gradebook —
even a PostgreSQL `db_url` — and folders are never touched), submits three students per
assignment — `demo_solution` (the reference answers), `demo_blank` (the release notebook
untouched) and `demo_mistakes` (plausible wrong answers from each lesson's answers.py) —
autogrades them with nbgrader, generates feedback, exports the grades to CSV and prints the
score tables.
"""
from __future__ import annotations

import shutil
import time

import nbformat

from .authoring import build, release
from .authoring.lesson_format import read_all
from .authoring.notebooks import fill, solutions
from .cells import LANGS
from .course_folder import Course, CourseError
from .i18n import _
from .grading import grade
from .grading.engine import warm_workers
from .lessons import load_answers
from . import gradebook
from .results import feedback, grade_exports, report

STUDENTS = ("demo_solution", "demo_blank", "demo_mistakes")


def submissions(source_nb, release_nb, lesson_slug: str) -> dict[str, nbformat.NotebookNode]:
    """The three demo students' notebooks for one assignment."""
    mod = load_answers(lesson_slug)
    mistakes = {gid: mod.WRONG[gid][label].code for gid, label in mod.DEMO_MISTAKES.items()}
    reference = solutions(source_nb)
    return {
        "demo_solution": fill(release_nb, reference),
        "demo_blank": nbformat.from_dict(release_nb),
        "demo_mistakes": fill(release_nb, {**reference, **mistakes}),
    }


def prepare(course: Course, lessons) -> tuple[Course, list[str]]:
    """A fresh demo course inside `course`: source/, release/ (and its gradebook), submitted/."""
    demo_root = course.root / "demo"
    if demo_root.exists():
        shutil.rmtree(demo_root)
    demo = Course.create(demo_root, like=course)
    build.write_tree(build.build_all(lessons, course), demo.source_dir)
    names = []
    for lesson in lessons:
        for lang in LANGS:
            assignment = lesson.assignment(lang)
            release.generate(demo, assignment)
            source_nb = nbformat.read(demo.source_notebook(assignment), as_version=4)
            release_nb = nbformat.read(demo.release_notebook(assignment), as_version=4)
            for student, nb in submissions(source_nb, release_nb, lesson.slug).items():
                target = demo.submitted_notebook(student, assignment)
                target.parent.mkdir(parents=True, exist_ok=True)
                nbformat.write(nb, target)
            names.append(assignment)
    return demo, names


def main(course: Course, lesson_names: list[str] | None = None) -> int:
    lessons = read_all()
    if lesson_names:
        lessons = [l for l in lessons if l.slug in lesson_names or l.slug[:2] in lesson_names]
        if not lessons:
            raise CourseError(_("no lesson matches {names}", names=" ".join(lesson_names)))
    start = time.perf_counter()
    demo, assignments = prepare(course, lessons)
    print(_("demo class in {root}: {assignments} assignments x {students} students",
            root=demo.root, assignments=len(assignments), students=len(STUDENTS)))
    tables, failures = [], {}
    with warm_workers():  # one start of the grading workers for every assignment
        for i, assignment in enumerate(assignments):
            # the workers go on with the next assignment while this one's feedback and
            grade.ahead_of(demo, assignments, i)  # reports are written
            rows, failed = grade.grade(demo, assignment, progress=False)
            failures.update({f"{s} / {assignment}": r for s, r in failed.items()})
            _pages, missing = feedback.generate(demo, assignment)
            feedback.tell_instructor(demo, assignment, missing)
            report.generate(demo, assignment)
            tables.append(gradebook.render(rows, assignment))
    csv = grade_exports.export_grades_csv(demo, None, demo.root / "grades.csv")
    print("\n\n".join(tables))
    print("\n" + _("feedback: {folder}  (one HTML per student, in their language)",
                   folder=demo.feedback_dir))
    print(_("reports:  {folder}  (CSV, Moodle, Canvas, scores.png, summary.html)",
            folder=demo.reports_root))
    print(_("grades:   {file}", file=csv))
    print(_("demo finished in {secs:.0f}s", secs=time.perf_counter() - start))
    grade.report_failures(failures)
    return 1 if failures else 0
