"""source/ → release/ with `nbgrader generate_assignment`, the answer stub in the
assignment's language (pt: "# SEU CÓDIGO AQUI", es: "# TU CÓDIGO AQUÍ")."""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from . import nbgrader_api
from .lesson_format import read_all
from .settings import LANGS, course_root


def assignments() -> list[str]:
    """Every assignment the lessons define, in course order."""
    return [lesson.assignment(lang) for lesson in read_all() for lang in LANGS]


def assignment_lang(assignment: str) -> str:
    lang = assignment.rsplit("_", 1)[-1]
    if lang not in LANGS:
        raise ValueError(f"{assignment!r} is not an assignment of this course "
                         f"(expected <NN_lesson>_<{'|'.join(LANGS)}>)")
    return lang


def generate(root: Path, assignment: str, scratch: bool = False) -> None:
    """nbgrader generate_assignment (also records the assignment in root's gradebook)."""
    if not (root / "source" / assignment).is_dir():
        raise ValueError(f"no source/{assignment}/: run `course build` first, or check the name "
                         f"(known: {', '.join(assignments())})")
    api = nbgrader_api.api(root, assignment_lang(assignment), scratch)
    nbgrader_api.run(api.generate_assignment(assignment, force=True, create=True),
                     f"generate_assignment {assignment}")


def release_tree(source_files: dict[str, str], root: Path) -> dict[str, str]:
    """What release/ should hold for these source notebooks, computed in a scratch course."""
    with tempfile.TemporaryDirectory(prefix="course-release-") as tmp:
        scratch = Path(tmp)
        for rel, text in source_files.items():
            path = scratch / "source" / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        shutil.copy(root / "nbgrader_config.py", scratch / "nbgrader_config.py")
        for assignment in sorted({rel.split("/")[0] for rel in source_files}):
            generate(scratch, assignment, scratch=True)
        release = scratch / "release"
        return {p.relative_to(release).as_posix(): p.read_text(encoding="utf-8")
                for p in sorted(release.rglob("*")) if p.is_file()}


def main(names: list[str] | None = None) -> int:
    root = course_root()
    for assignment in names or assignments():
        generate(root, assignment)
        print(f"released {assignment} -> release/{assignment}/")
    return 0
