"""`course demo`: the whole instructor job on a demo class, from nothing.

It builds the lessons and releases them into a separate course folder, `demo/` (so the real
class's gradebook and folders are never touched), submits three students per assignment —
`demo_solution` (the reference answers), `demo_blank` (the release notebook untouched) and
`demo_mistakes` (plausible wrong answers from course/variants) — autogrades them with nbgrader,
generates feedback, exports the grades to CSV and prints the score tables.
"""
from __future__ import annotations

import shutil
import time
from pathlib import Path

import nbformat

from . import build, feedback, grade, nbgrader_api, release, report, scores, variants
from .lesson_format import read_all
from .notebooks import fill, solutions
from .settings import LANGS, course_root

STUDENTS = ("demo_solution", "demo_blank", "demo_mistakes")


def submissions(source_nb, release_nb, lesson_slug: str) -> dict[str, nbformat.NotebookNode]:
    """The three demo students' notebooks for one assignment."""
    mod = variants.load(lesson_slug)
    mistakes = {gid: mod.WRONG[gid][label] for gid, label in mod.DEMO_MISTAKES.items()} if mod else {}
    reference = solutions(source_nb)
    return {
        "demo_solution": fill(release_nb, reference),
        "demo_blank": nbformat.from_dict(release_nb),
        "demo_mistakes": fill(release_nb, {**reference, **mistakes}),
    }


def prepare(demo_root: Path, lessons) -> list[str]:
    """Fresh demo course: source/, release/ (and its gradebook), submitted/."""
    if demo_root.exists():
        shutil.rmtree(demo_root)
    demo_root.mkdir(parents=True)
    build.write_tree(build.build_all(lessons, course_root()), demo_root / "source")
    names = []
    for lesson in lessons:
        for lang in LANGS:
            assignment = lesson.assignment(lang)
            release.generate(demo_root, assignment, scratch=True)
            rel = build.notebook_relpath(assignment)
            source_nb = nbformat.read(demo_root / "source" / rel, as_version=4)
            release_nb = nbformat.read(demo_root / "release" / rel, as_version=4)
            for student, nb in submissions(source_nb, release_nb, lesson.slug).items():
                target = demo_root / "submitted" / student / assignment / Path(rel).name
                target.parent.mkdir(parents=True, exist_ok=True)
                nbformat.write(nb, target)
            names.append(assignment)
    return names


def export_csv(demo_root: Path) -> Path:
    from nbgrader.api import Gradebook
    from nbgrader.plugins import CsvExportPlugin

    cfg = nbgrader_api.load_config(demo_root, scratch=True)
    out = demo_root / "grades.csv"
    plugin = CsvExportPlugin(config=cfg)
    plugin.to = str(out)
    with Gradebook(cfg.CourseDirectory.db_url, cfg.CourseDirectory.course_id) as gb:
        plugin.export(gb)
    return out


def main(lesson_names: list[str] | None = None) -> int:
    lessons = read_all()
    if lesson_names:
        lessons = [l for l in lessons if l.slug in lesson_names or l.slug[:2] in lesson_names]
        if not lessons:
            raise ValueError(f"no lesson matches {lesson_names}")
    demo_root = course_root() / "demo"
    start = time.perf_counter()
    assignments = prepare(demo_root, lessons)
    print(f"demo class in {demo_root}: {len(assignments)} assignments x {len(STUDENTS)} students")
    tables, failures = [], {}
    for assignment in assignments:
        _, failed = grade.grade(demo_root, assignment, scratch=True, progress=False)
        failures.update({f"{s} / {assignment}": r for s, r in failed.items()})
        pages, missing = feedback.generate(demo_root, assignment)
        feedback.tell_instructor(demo_root, assignment, missing)
        report.generate(demo_root, assignment)
        tables.append(scores.render(scores.table(demo_root, assignment, scratch=True), assignment))
    csv = export_csv(demo_root)
    print("\n\n".join(tables))
    print(f"\nfeedback: {demo_root / 'feedback'}  (one HTML per student, in their language)"
          f"\nreports:  {demo_root / 'reports'}  (CSV, Moodle, Canvas, scores.png, summary.html)"
          f"\ngrades:   {csv}")
    print(f"demo finished in {time.perf_counter() - start:.0f}s")
    grade.report_failures(failures)
    return 1 if failures else 0
