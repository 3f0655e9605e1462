"""source/ → release/ with `nbgrader generate_assignment`, the answer stub in the
assignment's language (pt: "# SEU CÓDIGO AQUI", es: "# TU CÓDIGO AQUÍ")."""
from __future__ import annotations

import tempfile
from pathlib import Path

import nbformat

from ..cells import CHOICE_PREFIX, CHOICE_STUBS, CODE_STUBS, nbgrader_meta, role
from ..course_folder import Course, CourseError, all_assignments, nbgrader_ok, parse_assignment
from ..i18n import _


def generate(course: Course, assignment: str) -> None:
    """nbgrader generate_assignment (also records the assignment in the course's gradebook)."""
    lang = parse_assignment(assignment).lang
    check_source(course, assignment)
    nbgrader_ok(course.api(lang).generate_assignment(assignment, force=True, create=True),
                f"generate_assignment {assignment}")
    notebook = course.release_dir / assignment / f"{assignment}.ipynb"
    nb = nbformat.read(notebook, as_version=4)
    if choice_stubs(nb, lang):
        nbformat.write(nb, notebook)


def check_source(course: Course, assignment: str) -> None:
    """CourseError unless `assignment` is a valid name with a source folder to release."""
    parse_assignment(assignment)
    if not (course.source_dir / assignment).is_dir():
        raise CourseError(_("no source/{assignment}/ in {root}: run `course build` first",
                            assignment=assignment, root=course.root))


def choice_stubs(nb, lang: str) -> int:
    """Each multiple-choice answer cell's stub becomes `answer_<topic> = None  # …` (its
    name, in the notebook's language) instead of the code stub that raises.  Answer cells
    carry no nbgrader checksum, so grading is unaffected.  Returns how many were changed."""
    changed = 0
    for cell in nb.cells:
        grade_id = nbgrader_meta(cell).get("grade_id", "")
        if (cell.cell_type == "code" and role(cell) == "answer"
                and grade_id.startswith(CHOICE_PREFIX) and CODE_STUBS[lang] in cell.source):
            cell.source = cell.source.replace(CODE_STUBS[lang],
                                              CHOICE_STUBS[lang].format(name=grade_id))
            changed += 1
    return changed


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
        print(_("released {assignment} -> release/{assignment}/", assignment=assignment))
    return 0
