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
from ...intake.repair import CannotRepair, repair


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
            released = as_released(nbformat.read(source, as_version=4), info.get("db_url"),
                                   assignment, notebook)
            repaired, notes = repair(nb, released)
        except CannotRepair as exc:
            record("not_graded", str(exc))
            raise
        for note in notes:
            record("repaired", str(note), getattr(note, "cell", None))
            self.log.warning("%s/%s: %s", student, assignment, note)
        return repaired, resources


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
