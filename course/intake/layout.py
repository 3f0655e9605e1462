"""Where an export keeps each student: the folder level at which its notebooks part ways.

LMS exports nest a student's file at different depths (Teams: `Submitted files/<student>/
<assignment>/x.ipynb`; Sakai: `<title>/<student>/Submission attachment(s)/x.ipynb`; GitHub
Classroom: `<repo>/notebooks/x.ipynb`), so the file's own folder is not the student's: taking
it merged whole classes into one id.  Used by `collect` with its default id patterns.
"""
from __future__ import annotations

import re

from ..i18n import _
from .archive import Upload
from .identify import COPY_PREFIX, clean_name
from .lms import SAKAI_TIME_FILE, teams_folder

# A notebook directly in an export's common folder, named after its student (`ana_souza.ipynb`;
# not a copy of the assignment's own notebook: see student_id.identity).
FILE_NAMED_BY_STUDENT = re.compile(r"(?:^|/)(?P<student>[^/]+?)\.ipynb$", re.I)

JUNK_PARTS = {"__MACOSX", ".ipynb_checkpoints", ".git", ".Trash"}
# What operating systems leave in a folder or a zip: never a student's file.
SYSTEM_FILES = {".ds_store", "thumbs.db", "desktop.ini"}
# What LMSs write beside the submissions, in the export's common folder: Brightspace's
# `index.html`, Sakai's `grades.csv` (a student's own file of that name, inside their folder,
# is theirs).
LMS_FILES = {"index.html", "grades.csv"}


def notebook_paths(found: list[Upload]) -> list[str]:
    return [u.path for u in found if u.path.lower().endswith(".ipynb")
            and not JUNK_PARTS & set(u.path.split("/"))
            and not u.path.rsplit("/", 1)[-1].startswith("._")]


def not_a_submission(path: str, level: int | None) -> str | None:
    """Why this file of the export is nobody's submission (skipped, not rejected: no student
    is named), or None.  `level`: see student_level."""
    parts = path.split("/")
    base = parts[-1]
    if "__MACOSX" in parts or base.startswith("._") or base.lower() in SYSTEM_FILES:
        return _("a file macOS or Windows adds to folders and zips, not a submission")
    if base.lower() == SAKAI_TIME_FILE:
        return _("the LMS's record of when the notebook beside it was handed in (Sakai), not a "
                 "submission")
    if base.lower() in LMS_FILES and len(parts) - 1 <= (level or 0):
        return _("the LMS's own file of the export (an index or a grade sheet), not a "
                 "submission")
    return None


def student_level(paths: list[str]) -> int | None:
    """The folder depth at which the export's notebooks part ways: there, each student's
    folder (Teams' `Submitted files/<student>/<assignment>/x.ipynb`, Sakai's
    `<title>/<student>/Submission attachment(s)/x.ipynb`, GitHub Classroom's `<repo>/notebooks/
    x.ipynb`, a wrapper folder of per-student folders…).  None when there is one notebook."""
    folders = [p.split("/")[:-1] for p in paths]
    if len(folders) < 2:
        return None
    level = 0
    while all(len(f) > level for f in folders) and len({f[level] for f in folders}) == 1:
        level += 1
    return level


def named_by_student(stem: str, assignments) -> bool:
    """A notebook's own name names its student: not an assignment's notebook, nor a copy."""
    text = COPY_PREFIX.sub("", stem).strip()
    return bool(text) and clean_name(text) == text and text not in assignments


def class_folder(paths: list[str], level: int | None, assignments) -> bool:
    """Notebooks directly in the common folder, one of them named after a student: that folder
    is the class's (`entregas/ana_souza.ipynb`), never one student's."""
    return level is not None and any(
        named_by_student(p.split("/")[-1][:-len(".ipynb")], assignments)
        for p in paths if len(p.split("/")) - 1 == level)


def identity_path(path: str, level: int | None, patterns: list[re.Pattern],
                  defaults: bool, in_class_folder: bool = False
                  ) -> tuple[str, list[re.Pattern]]:
    """What the id patterns are tried on, and which.  With the default patterns, a notebook
    inside a student's folder (see student_level) is known by that folder alone — never by the
    folder it sits in (an `<assignment>` or `notebooks` folder would merge a whole class) nor
    by a Canvas- or Classroom-like file name (`grafo_2026_12_09.ipynb`); a notebook directly
    in the export's common folder by its file name, else by that folder (one student's folder
    with several notebooks), unless the folder is named after an assignment.  Under Teams'
    `Submitted files`/`Working files` the student is the folder right below (see `lms`).  A
    student's folder named as Brightspace names one submission is read by its pattern (the
    user's number, not the whole folder name).  Moodle's pattern is tried on the whole
    path first, wherever the file is.  `--id-pattern`s get the whole path, as written."""
    if not defaults or level is None:
        return path, patterns
    if ".." in path.split("/"):  # a path that climbs out of the export names no student
        return path, []
    moodle, *by_file_name, folder = patterns
    if moodle.search(path):
        return path, [moodle]
    parts = path.split("/")
    teams = teams_folder(path)
    if teams is not None:  # Teams: `…/Submitted files|Working files/<student>/…`
        return f"{parts[teams[0]]}/{parts[-1]}", [folder]
    if len(parts) - 1 > level:  # inside a student's folder
        where = f"{parts[level]}/{parts[-1]}"
        brightspace = by_file_name[2]  # a folder per submission: `<sub>-<user> - Name - date/`
        return where, [brightspace if brightspace.search(where) else folder]
    # directly in the common folder: its file name, else (one student's folder holding several
    # notebooks, as when one late student is collected) that folder
    fallback = [] if in_class_folder else [folder]
    return "/".join(parts[-2:]), [*by_file_name, FILE_NAMED_BY_STUDENT, *fallback]
