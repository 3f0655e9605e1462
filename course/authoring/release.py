"""source/ → release/ with `nbgrader generate_assignment`, the answer stub in the
assignment's language (pt: "# SEU CÓDIGO AQUI", es: "# TU CÓDIGO AQUÍ")."""
from __future__ import annotations

import tempfile
from pathlib import Path

from ..course_folder import Course, CourseError, all_assignments, nbgrader_ok, parse_assignment


def generate(course: Course, assignment: str) -> None:
    """nbgrader generate_assignment (also records the assignment in the course's gradebook)."""
    lang = parse_assignment(assignment).lang
    if not (course.source_dir / assignment).is_dir():
        raise CourseError(f"no source/{assignment}/ in {course.root}: run `course build` first")
    nbgrader_ok(course.api(lang).generate_assignment(assignment, force=True, create=True),
                f"generate_assignment {assignment}")


def release_tree(source_files: dict[str, str], course: Course) -> dict[str, str]:
    """What release/ should hold for these source notebooks, computed in a scratch course."""
    with tempfile.TemporaryDirectory(prefix="course-release-") as tmp:
        scratch = Course.create(Path(tmp), like=course)
        for rel, text in source_files.items():
            path = scratch.source_dir / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        for assignment in sorted({rel.split("/")[0] for rel in source_files}):
            generate(scratch, assignment)
        release = scratch.release_dir
        return {p.relative_to(release).as_posix(): p.read_text(encoding="utf-8")
                for p in sorted(release.rglob("*")) if p.is_file()}


def main(course: Course, names: list[str] | None = None) -> int:
    for assignment in names or [a.name for a in all_assignments()]:
        generate(course, assignment)
        print(f"released {assignment} -> release/{assignment}/")
    return 0
