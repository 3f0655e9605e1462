"""The instructor's half of nbgrader's Autograde: write each graded submission, exactly once.

For a `task.Result` from any worker, `Recorder.write` does, in nbgrader's order, everything
`nbgrader autograde` does outside running the notebook: replace autograded/<student>/<a>/,
copy the submission's other files and the source folder's files into it, create or update the
student and the submission (with its timestamp), write the autograded notebook, and run
nbgrader's own SaveAutoGrades and AssignLatePenalties on it, which give every cell its score
and the submission its late penalty.  A submission that could not be graded gets what nbgrader
leaves then: its student and submission, no autograded folder.

All of it goes through one gradebook connection for the whole run, with one commit per
submission (nbgrader opens the gradebook about nine times and commits once per graded cell).
The Recorder remembers whom it wrote: a result that comes twice (a worker's task re-run after
it was thought lost) is written once.
"""
from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from pathlib import Path

import nbformat

from .. import attention
from ..course_folder import Course
from .task import Result


class _Session:
    """The gradebook session as nbgrader's preprocessors see it: their commit() becomes a
    flush that also expires what is loaded (as a commit would), so later reads, e.g. the
    score AssignLatePenalties reads, see the new grades; the real commit comes per
    submission."""

    def __init__(self, db):
        self._db = db

    def commit(self) -> None:
        self._db.flush()
        self._db.expire_all()

    def __getattr__(self, name):
        return getattr(self._db, name)


class _Shared:
    """What `Gradebook(db_url)` returns inside SaveAutoGrades and AssignLatePenalties while
    the Recorder runs them: the Recorder's open gradebook, not closed on exit."""

    def __init__(self, gb):
        self._gb = gb
        self.db = _Session(gb.db)

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        return None

    def __getattr__(self, name):
        return getattr(self._gb, name)


class Recorder:
    def __init__(self, course: Course, assignment: str, lang: str):
        from nbgrader.api import Gradebook
        from nbgrader.coursedir import CourseDirectory
        from nbgrader.preprocessors import AssignLatePenalties, SaveAutoGrades

        self.course, self.assignment = course, assignment
        self.config = course.config_for(lang)
        self.coursedir = CourseDirectory(config=self.config)
        self.gb = Gradebook(course.db_url, course.course_id)
        # SaveAutoGrades opens Gradebook(db_url), whose course is nbgrader's "default_course"
        self.gb.check_course("default_course")
        self.gb.check_course(course.course_id)
        self.save = SaveAutoGrades(config=self.config)
        self.late = AssignLatePenalties(config=self.config)
        self.ignore = list(self.config.CourseDirectory.get("ignore", []))
        self.written: set[str] = set()

    def close(self) -> None:
        self.gb.close()

    def __enter__(self) -> "Recorder":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def write(self, result: Result) -> bool:
        """Record `result` (False: this student was already written in this run)."""
        from nbgrader.utils import find_all_files

        student, a = result.student, self.assignment
        if student in self.written:
            return False
        course, gb = self.course, self.gb
        submitted = course.submitted_notebook(student, a).parent
        dest = course.autograded_notebook(student, a).parent
        for entry in result.repairs:
            attention.record(course, attention.Entry(**entry))
        try:
            if dest.exists():  # --force: nbgrader removes what was there
                shutil.rmtree(dest)
            for path in find_all_files(str(submitted), self.ignore + ["*.ipynb"]):
                _copy(path, dest / Path(path).relative_to(submitted))
            gb.update_or_create_student(student)
            gb.find_assignment(a)
            timestamp = self.coursedir.get_existing_timestamp(str(submitted))
            if timestamp:
                gb.update_or_create_submission(a, student, timestamp=timestamp)
            else:
                gb.update_or_create_submission(a, student)
            source = course.source_dir / a
            for path in find_all_files(str(source), self.ignore + ["*.ipynb"]):
                _copy(path, dest / Path(path).relative_to(source))
            if not result.success:
                shutil.rmtree(dest, ignore_errors=True)
                gb.db.commit()
                self.written.add(student)
                return True
            graded = dest / f"{a}.ipynb"
            graded.parent.mkdir(parents=True, exist_ok=True)
            graded.write_text(result.notebook, encoding="utf-8")
            nb = nbformat.reads(result.notebook, as_version=nbformat.NO_CONVERT)
            resources = {"nbgrader": {"student": student, "assignment": a, "notebook": a,
                                      "db_url": course.db_url}}
            with _shared_gradebook(gb):
                nb, resources = self.save(nb, resources)
                self.late(nb, resources)
            _set_permissions(dest, int(str(self.permissions()), 8))
            gb.db.commit()
        except Exception:
            gb.db.rollback()
            shutil.rmtree(dest, ignore_errors=True)
            raise
        self.written.add(student)
        return True

    def permissions(self) -> str:
        """nbgrader's BaseConverter.permissions for autograde (444, 664 when groupshared)."""
        for section in ("Autograde", "BaseConverter"):
            if "permissions" in self.config.get(section, {}):
                return str(self.config[section]["permissions"])
        return "664" if self.coursedir.groupshared else "444"


def _copy(path: str, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        target.unlink()
    shutil.copy(path, target)


def _set_permissions(dest: Path, mode: int) -> None:
    for dirname, _dirs, filenames in os.walk(dest):
        for filename in filenames:
            os.chmod(os.path.join(dirname, filename), mode)


@contextmanager
def _shared_gradebook(gb):
    from nbgrader.preprocessors import latesubmissions, saveautogrades

    shared = _Shared(gb)
    before = saveautogrades.Gradebook, latesubmissions.Gradebook
    saveautogrades.Gradebook = latesubmissions.Gradebook = lambda *a, **k: shared
    try:
        yield
    finally:
        saveautogrades.Gradebook, latesubmissions.Gradebook = before
