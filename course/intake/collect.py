"""`course collect ASSIGNMENT PATH`: an LMS export (folder or .zip) -> nbgrader's
`submitted/<student>/<assignment>/<assignment>.ipynb`, with a reason for every file left out.

The student id comes from each file's path (relative to PATH, with `/`), by the first of these
regexes that matches (`--id-pattern` replaces them; each needs a `(?P<student>...)` group):

1. Moodle: `Ana Souza_12345_assignsubmission_file_/x.ipynb` (folder or file prefix) -> 12345
   (Moodle's participant number, the "Identifier" of its grading worksheet)
2. Canvas: `souzaana_12345_67890_x.ipynb`, `souzaana_LATE_12345_67890_x.ipynb` -> 12345 (a login
   may hold `_`: `obrien_sean_12348_67895_x.ipynb`); a date (`grafo_2026_12_09.ipynb`,
   `ana_2026_12_09_v2.ipynb`) is not a Canvas id
3. Blackboard: `Aula 01_asouza_attempt_2026-12-09-10-00-00_x.ipynb` -> asouza
4. Brightspace: `12345-67890 - Ana Souza - Dec 1, 2026 1002 PM - x.ipynb` -> 67890 (the user;
   12345 is the submission, new at each resubmission), with the date in any language and form
   (`3 de dez. de 2026 22:42`, `3 dic. 2026 10:42 p. m.`: any text holding a 4-digit year), and
   a folder per submission (`12345-67890 - Ana Souza - 3 de dezembro de 2026 1042 PM/x.ipynb`)
5. Google Classroom copies: `Ana Souza - 01_graph_pt.ipynb` -> Ana_Souza, and the other way
   round, as Drive also names them: `01_graph_pt - Ana Souza.ipynb`, `Cópia de 01_graph_pt -
   Ana Souza (1).ipynb` -> Ana_Souza (the student is the side that is not an assignment's
   notebook or a copy of it)
6. one folder per student: `…/Ana Souza/Copy of x.ipynb` -> Ana_Souza

Where the student's folder is comes from the export's structure, not from the file's own
folder: it is the folder level at which the export's notebooks part ways (Teams'
`Submitted files/Ana Souza/01 Grafo/x.ipynb`, Sakai's `Title/Souza, Ana(asouza)/Submission
attachment(s)/x.ipynb`, a GitHub Classroom repo's `notebooks/x.ipynb`), so a class never
collapses into one id.  Inside a student's folder only that folder names the student (a file
called `grafo_2026_12_09.ipynb` is not a Canvas name); a notebook directly in the common folder
is named by the file-name patterns, else by its own name when that is not the assignment's
notebook or a copy of it (`ana_souza.ipynb` -> ana_souza; `Copy of 01_graph_pt (1).ipynb` names
no one and is rejected).  An id that is an assignment's name (or a copy of it) is never used,
whichever pattern found it.  With one notebook in the export, its own folder.  `Copy of`/`Cópia
de`/`Copia de` before a Classroom name is dropped.  A `..` component names no student.

Characters other than letters, digits, `.`, `@`, `-` and `_` become `_` (ids are folder names
and nbgrader globs).  A pattern's optional `(?P<name>...)` group is the student's full name,
written to the gradebook where it holds none (Moodle, Classroom, a folder that looks like a
name; never over a name already there: see `names`); its optional `(?P<late>...)` group, when
it matched, is the LMS's own "late" mark (Canvas's `LATE`), noted in the attention log.

Which notebook a file is comes from its content (see `identify`), not its name: a notebook of
another assignment (e.g. the es version of a pt assignment) is rejected.

Files no student sent are skipped, named in the printout but neither rejected nor attributed
to anyone (`layout.not_a_submission`): macOS's `__MACOSX/` and `._*`, `.DS_Store`,
`Thumbs.db`, and what the LMS writes beside the submissions (Brightspace's `index.html`,
Sakai's `grades.csv` and `timestamp.txt`, Blackboard's receipt `<attempt>.txt` beside the
attempt's files; a receipt alone, an attempt with no file, is rejected for its student).

When it was handed in is Sakai's `timestamp.txt` in the student's folder (see `lms`), else the
zip entry time (a wall clock without zone, read in the course's
zone: `--timezone`, else `c.CourseLatePolicy.timezone`, else this computer's) or the file's
mtime; it is recorded as nbgrader's `timestamp.txt` beside the notebook (see `timestamps`), and
nbgrader's due date of the assignment (`--due`, `course due`, formgrader; see `late_policy`)
decides what is late.  When a student has several notebooks, one is kept and the others are
rejected as superseded: the newest handed in by the due date (that student's extension
included), or, when all came after it, the newest (late); with no due date or with
`--prefer newest`, the newest.  A notebook collected earlier by the due date counts too: a
late one of a later export does not replace it (see `earlier.keep_on_time`).  Equal times:
Canvas's attachment number, then the `(N)` copy number, then the last path (see `keep`); the
reason says which rule decided.  A kept late
notebook, and any the LMS marked late, are noted in the attention log; the penalty itself is
applied when grading (`late_policy`).  Accepted notebooks are written normalized to nbformat
4.5 (Colab saves 4.0 without cell ids); the originals are only read.  Every rejection and
rename goes to the attention log.

No file can blow up the intake or decide where anything is written: files over `--max-file-mb`
(50 MB by default) and zip bombs are refused unread, what is read is streamed and capped, and
a zip inside the export is not opened (see `archive`); one bad file is rejected with its reason
and the others are collected.  The output path is built from the student id and the assignment
only, never from a path in the export, and ids never hold `/` or `..`.  Students collected
earlier whom this export does not bring again keep their notebook and are named (`earlier`);
what the attention log held about them, and about files this export does not hold, stays
there (see `earlier.forget_replaced`).
"""
from __future__ import annotations

import math
import re
import sys
from datetime import datetime
from pathlib import Path, PurePosixPath

import nbformat
from nbformat import NotebookNode

from .. import attention, late_policy
from ..course_folder import Course, CourseError, parse_assignment
from ..i18n import N_, _
from . import earlier, lms, moodle, names, parts, timestamps
from .archive import DEFAULT_MAX_MB, MB, Upload
from .identify import clean_name, identify, source_notebooks
from .keep import keep_one  # noqa: F401  (collect.keep_one: one notebook per student)
from .layout import class_folder, not_a_submission, notebook_paths, student_level
from .lateness import lateness
from .outcome import Outcome
from .printout import render
from .reading import read_notebook
from .student_id import DEFAULT_ID_PATTERNS, compile_patterns, identity  # noqa: F401

PREFER = ("on-time", "newest")


# How identify() told a notebook's assignment (shown translated in rejection reasons).
TOLD_BY = (N_("stamp"), N_("content"), N_("content and name"))


def examine(upload: Upload, assignment: str, sources: dict[str, NotebookNode],
            patterns: list[re.Pattern], level: int | None = None,
            defaults: bool = True, in_class_folder: bool = False,
            blackboard: dict[str, tuple[str, str | None]] | None = None,
            groups: set[str] | None = None,
            receipts: dict[str, tuple[bool, str]] | None = None) -> Outcome:
    litter = not_a_submission(upload.path, level)
    receipt = (receipts or {}).get(upload.path)
    if receipt and receipt[0]:
        litter = receipt[1]
    if litter:
        return Outcome(upload, None, reason=litter, skipped=True)
    who = identity(upload.path, sources, patterns, level, defaults, in_class_folder,
                   blackboard, groups)
    student = who.student
    out = Outcome(upload, student, name=who.name, lms_late=who.lms_late,
                  id_is_name=who.id_is_name, moodle=who.moodle)
    if upload.refused:
        out.reason = upload.refused
        return out
    if receipt:  # Blackboard: an attempt without a file
        out.reason = receipt[1]
        return out
    typed = moodle.online_text(upload) if defaults else None
    if typed:
        out.reason = typed
        return out
    if ".ipynb_checkpoints" in upload.path.split("/"):
        out.student, out.name = None, None
        out.reason = _("a Jupyter checkpoint (an automatic earlier copy), not the submission")
        return out
    try:
        nb, out.notes = read_notebook(upload)
    except ValueError as exc:
        out.reason = str(exc)
        return out
    if student is None:
        out.reason = (_("no student id in its path: no folder or file name there names a "
                        "student (the assignment's notebook or a copy of it names no one; "
                        "--id-pattern can say where the id is)")
                      if defaults else _("no student id in its path (no --id-pattern matched)"))
        return out
    found, how = identify(nb, sources, upload.path)
    if found is None and how == "content":
        out.reason = _("not a notebook of this course (no answer cell of any assignment found)")
    elif found is None:
        out.reason = _("cannot tell which notebook this is (told by its {how})", how=_(how))
    elif found != assignment:
        out.reason = _("notebook of {found}, not {assignment} (told by its {how})", found=found,
                       assignment=assignment, how=_(how))
    return out


def collect(course: Course, assignment: str, path: Path | list[Path],
            id_patterns: list[str] | None = None,
            max_file_mb: float = DEFAULT_MAX_MB, *, timezone: str | None = None,
            due: str | None = None, prefer: str = "on-time") -> list[Outcome]:
    """Map every file of `path` into the course's submitted/ or to a rejection; log both.
    Several paths are the parts of one export, read as one (`parts`: Drive's split zips).

    `due` ("2026-12-10 23:59", read in `timezone`) sets the assignment's due date in the
    gradebook first (the assignment must be released)."""
    paths = list(path) if isinstance(path, (list, tuple)) else [path]
    for part in paths:
        if not part.exists():
            raise CourseError(_("{path}: no such folder or zip file", path=part))
    if not (max_file_mb > 0 and math.isfinite(max_file_mb)):
        raise CourseError(_("--max-file-mb must be a positive number, not {value}",
                            value=max_file_mb))
    if prefer not in PREFER:
        raise CourseError(_("--prefer must be one of {choices}, not {value!r}",
                            choices=", ".join(PREFER), value=prefer))
    parse_assignment(assignment)
    sources = source_notebooks(course)
    if assignment not in sources:
        raise CourseError(_("unknown assignment {assignment!r}: no source/{assignment}/"
                            "{assignment}.ipynb (known: {known})", assignment=assignment,
                            known=", ".join(sources) or "-"))
    patterns = compile_patterns(id_patterns)
    defaults = not id_patterns
    tz = late_policy.zone(timezone, course)
    due_at = late_policy.parse_when(due, tz) if due is not None else None
    if due_at is not None:
        late_policy.set_due_date(course, assignment, due_at)
    deadline, extended = late_policy.due_dates(course, assignment)
    with parts.uploads_of(paths, int(max_file_mb * MB)) as found:
        notebooks = notebook_paths(found)
        level = student_level(notebooks)
        shared = class_folder(notebooks, level, sources)
        blackboard = lms.blackboard_users(found) if defaults else {}
        groups = lms.moodle_groups(found) if defaults else set()
        receipts = lms.blackboard_receipts(found) if defaults else {}
        outcomes = [examine(u, assignment, sources, patterns, level, defaults, shared,
                            blackboard, groups, receipts)
                    for u in found]
        if defaults:
            lms.prefer_handed_in(outcomes)
            moodle.link_to_roster(course, outcomes)
        handed_in = lms.sakai_times(found, level) if defaults else {}
        for out in outcomes:
            out.at = timestamps.submitted_at(out.upload, tz, handed_in.get(out.upload.path))
            if out.accepted and out.upload.path in handed_in:
                out.notes = "; ".join(n for n in (out.notes, _(
                    "handed in at the time in Sakai's timestamp.txt")) if n)
        keep_one(outcomes, deadline, extended, prefer)
        if prefer == "on-time":
            earlier.keep_on_time(course, assignment, outcomes, deadline, extended, tz)
        earlier.forget_replaced(course, assignment, outcomes)
        write(course, assignment, outcomes, deadline, extended, tz)
    moodle.save(course, assignment, outcomes)
    earlier.note(course, assignment, earlier.kept_from_before(course, assignment, outcomes))
    named = {o.student: o.name for o in outcomes if o.accepted and o.name is not None}
    if named:  # only then is the gradebook opened (creating one costs seconds)
        names.record(course, named)
    return outcomes


def write(course: Course, assignment: str, outcomes: list[Outcome],
          due: datetime | None = None, extended: dict[str, datetime] | None = None,
          tz=None) -> None:
    """Accepted notebooks and their timestamp.txt into submitted/ (read again: one notebook in
    memory at a time); rejections, renames and lateness into the attention log."""
    name = f"{assignment}.ipynb"
    for out in outcomes:
        file = out.upload.path
        if out.skipped:  # nobody's file: printed, not an instructor's matter
            continue
        if not out.accepted:
            attention.record(course, attention.Entry(assignment, out.student, "rejected",
                                                   out.reason, file=file, step="collect"))
            continue
        dest = course.submitted_notebook(out.student, assignment)
        try:
            dest.parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(read_notebook(out.upload)[0], dest)
            timestamps.write(dest.parent, out.at)
        except (OSError, ValueError) as exc:  # one file never stops the others
            out.reason = _("could not be written to {dest}: {error}", dest=dest, error=exc)
            attention.record(course, attention.Entry(assignment, out.student, "rejected",
                                                   out.reason, file=file, step="collect"))
            continue
        note = lateness(out, (extended or {}).get(out.student, due), tz)
        if note:
            attention.record(course, attention.Entry(assignment, out.student, "late", note,
                                                   file=file, step="collect"))
        basename = PurePosixPath(file).name
        if basename != name:
            text = (_("{file!r} (a renamed copy) saved as {name}", file=basename, name=name)
                    if clean_name(basename) == assignment
                    else _("{file!r} saved as {name}", file=basename, name=name))
            attention.record(course, attention.Entry(
                assignment, out.student, "renamed", text, file=file, step="collect"))
    return outcomes


def main(course: Course, assignment: str, path: str | list[str], id_patterns: list[str] | None,
         max_file_mb: float = DEFAULT_MAX_MB, timezone: str | None = None,
         due: str | None = None, prefer: str = "on-time", roster: str | None = None) -> int:
    imported = None
    if roster is not None:  # first: Moodle submissions are linked to its students by name
        from . import roster as class_list
        imported = class_list.import_roster(course, Path(roster))
    paths = [Path(p) for p in ([path] if isinstance(path, str) else path)]
    outcomes = collect(course, assignment, paths, id_patterns, max_file_mb,
                       timezone=timezone, due=due, prefer=prefer)
    print(render(outcomes, assignment, ", ".join(map(str, paths))))
    left_out = parts.warning(paths)
    if left_out:
        print(left_out, file=sys.stderr)
    kept = earlier.summary(earlier.kept_from_before(course, assignment, outcomes))
    if kept:
        print(kept)
    if imported is not None:  # the roster's names win over the export's either way
        class_list.import_roster(course, Path(roster))
        print(class_list.summary(imported, Path(roster)))
        for line in class_list.crosscheck(course, assignment, imported, outcomes):
            print(line)
    tz = late_policy.zone(timezone, course)
    deadline = late_policy.due_date(course, assignment)
    late = sum(bool(o.late) for o in outcomes if o.accepted)
    named = sorted({str(o.name) for o in outcomes if o.accepted and o.name is not None})
    print(_("due date: {due}", due=late_policy.show(deadline, tz)) + " ("
          + (_("{late} late; penalty when grading: {policy}", late=late,
               policy=late_policy.describe(course.config))
             if deadline is not None else _("`course due` or --due sets it")) + ")"
          + ("; " + _("names found: {n} (the gradebook keeps names already set)", n=len(named))
             if named else ""))
    return 0 if any(o.accepted for o in outcomes) else 1
