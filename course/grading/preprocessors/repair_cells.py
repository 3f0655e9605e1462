"""RepairCells: `course.intake.repair.repair` as an nbgrader preprocessor, run by autograde's sanitize
step before OverwriteCells so that OverwriteCells finds every cell by its metadata."""
from __future__ import annotations

from pathlib import Path

import nbformat
from nbconvert.exporters.exporter import ResourcesDict
from nbformat.notebooknode import NotebookNode
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import NbGraderPreprocessor

from ... import attention
from ...course_folder import Course
from ...i18n import _
from ...cells import grade_id
from ...intake.repair import CannotRepair, expected_cells, repair


class RepairCells(NbGraderPreprocessor):
    """Match the submission's cells to the source notebook and restore their nbgrader metadata;
    every repair goes to the attention log, and a submission that cannot be matched raises
    CannotRepair (recorded as not graded) instead of being scored 0 in silence."""

    def preprocess(self, nb: NotebookNode,
                   resources: ResourcesDict) -> tuple[NotebookNode, ResourcesDict]:
        info = resources["nbgrader"]
        coursedir = CourseDirectory(config=self.config)
        course = Course(coursedir.root)
        root = course.root
        assignment, student, notebook = info["assignment"], info["student"], info["notebook"]
        source = Path(coursedir.format_path(coursedir.source_directory, ".", assignment),
                      f"{notebook}.ipynb")
        submitted = Path(coursedir.format_path(coursedir.submitted_directory, student,
                                               assignment), f"{notebook}.ipynb")
        where = submitted.relative_to(root).as_posix() if submitted.is_relative_to(root) \
            else str(submitted)

        def record(kind: str, reason: str, cell: str | None = None) -> None:
            attention.record(course, attention.Entry(assignment, student, kind, reason,
                                                   file=where, cell=cell, step="repair"))

        try:
            if not source.exists():
                raise CannotRepair(_("no source notebook {source} to compare the submission with",
                                     source=source))
            released, expected = released_source(source, info.get("db_url"), assignment,
                                                 notebook)
            repaired, notes = repair(nb, released, expected)
        except CannotRepair as exc:
            record("not_graded", str(exc))
            raise
        for note in notes:
            record("repaired", str(note), getattr(note, "cell", None))
            self.log.warning("%s/%s: %s", student, assignment, note)
        return repaired, resources


# The last released notebooks this process read, by everything they are made from: a
# grading worker reads the same source and the same (scratch, read-only) gradebook for every
# submission of an assignment (≈ 6 ms each: nbformat's read and validation, a Gradebook).
_RELEASED: dict = {}


def released_source(source: Path, db_url: str | None, assignment: str,
                    notebook: str) -> tuple[NotebookNode, list]:
    """`as_released` of the source notebook and its expected cells, made again only when the
    file or the gradebook changed (their inode, size and modification time; a gradebook that
    is not a SQLite file is read every time).  `repair` reads them and never changes them."""
    gradebook = (0, 0, 0) if not db_url else _stamp(_sqlite_file(db_url))
    key = (str(source), _stamp(source), db_url, gradebook, assignment, notebook)
    if gradebook is None or key[1] is None:
        return _released(source, db_url, assignment, notebook)
    if key not in _RELEASED:
        if len(_RELEASED) >= 16:
            _RELEASED.clear()
        _RELEASED[key] = _released(source, db_url, assignment, notebook)
    return _RELEASED[key]


def _released(source: Path, db_url: str | None, assignment: str, notebook: str
              ) -> tuple[NotebookNode, list]:
    released = as_released(nbformat.read(source, as_version=4), db_url, assignment, notebook)
    return released, expected_cells(released)


def _sqlite_file(db_url: str) -> Path | None:
    if db_url.startswith("sqlite:///") and db_url != "sqlite:///:memory:":
        return Path(db_url[len("sqlite:///"):])
    return None


def _stamp(path: Path | None) -> tuple[int, int, int] | None:
    try:
        found = path.stat() if path is not None else None
    except OSError:
        return None
    return None if found is None else (found.st_ino, found.st_mtime_ns, found.st_size)


def as_released(source_nb: NotebookNode, db_url: str | None, assignment: str,
                notebook: str) -> NotebookNode:
    """The source notebook with each locked cell (helper, lesson code, tests) as the gradebook
    keeps it: the version the students were given, which OverwriteCells restores.  The two
    differ when the course was rebuilt after the release (an update pulled mid-semester); a
    submission of the earlier release then matches its locked cells exactly instead of every
    student reading as having edited them.  Without the assignment in the gradebook: source/
    as it is."""
    from nbgrader.api import Gradebook, MissingEntry

    if not db_url:
        return source_nb
    try:
        with Gradebook(db_url) as gb:
            kept = {c.name: c.source for c in gb.find_notebook(notebook, assignment).source_cells
                    if c.locked and c.source is not None}
    except MissingEntry:
        return source_nb
    for cell in source_nb.cells:
        name = grade_id(cell)
        if name in kept:
            cell.source = kept[name]
    return source_nb
