"""`course feedback ASSIGNMENT`: one HTML page per graded student, in the notebook's language.

nbgrader's own generate_feedback renders the whole autograded notebook, and there the test
cells hold the restored hidden tests.  This page shows, per exercise, only what a student may
see: the points, their own answer and the messages the checks left (error name and message,
printed lines) — never a test cell's source.  Scores come from the gradebook, code and messages
from autograded/<student>/<assignment>/<assignment>.ipynb.  For students collected from a
Moodle export the pages also go into the zip Moodle takes back (moodle_feedback).
"""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from .. import attention, gradebook
from ..course_folder import Course, CourseError, parse_assignment
from ..i18n import _
from . import moodle_feedback
from .feedback_text import text

TEMPLATES = Path(__file__).resolve().parent / "templates"

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_PLAIN_ERRORS = ("CheckFailed", "AssertionError")  # their message speaks for itself


@dataclass
class Message:
    text: str
    error: bool  # an exception's message (else: lines the cell printed)


@dataclass
class Check:
    """One graded cell as the student sees it."""
    grade_id: str
    score: float
    max_score: float
    pending: bool
    by_hand: bool
    auto: bool  # a test cell (messages apply), not a cell graded by hand
    messages: list[Message] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.pending and self.score >= self.max_score


@dataclass
class Exercise:
    """An answer cell and the graded cells after it (up to the next answer cell)."""
    answer_id: str | None
    answer: str | None  # the student's cell source; None: no answer cell precedes the checks
    kind: str  # "code" or "markdown"
    comment: str | None = None
    checks: list[Check] = field(default_factory=list)
    label: str | None = None  # "4", "4a": as the notebook numbers it (exercise_labels)

    @property
    def title(self) -> str:
        return self.answer_id or self.checks[0].grade_id

    @property
    def score(self) -> float:
        return sum(c.score for c in self.checks)

    @property
    def max_score(self) -> float:
        return sum(c.max_score for c in self.checks)


def _error_message(output, words: dict[str, str]) -> str:
    ename, evalue = output.get("ename", ""), (output.get("evalue") or "").strip()
    if not evalue:
        if ename == "NotImplementedError":
            return words["not_implemented"]
        return words["bare_assert"] if ename == "AssertionError" else ename
    return evalue if ename in _PLAIN_ERRORS else f"{ename}: {evalue}"


def messages(cell, words: dict[str, str]) -> list[Message]:
    """What a test cell's run left for the student: error messages and printed lines.

    Any line that repeats a line of the cell's own source is dropped, so neither a traceback
    nor a warning can quote the (hidden) test code.
    """
    source_lines = {ln.strip() for ln in cell.source.splitlines() if ln.strip()}
    out = []
    for o in cell.get("outputs", []):
        if o.output_type == "stream":
            raw = o.get("text", "")
        elif o.output_type == "error":
            raw = _error_message(o, words)
        else:
            continue
        lines = [_ANSI.sub("", ln).rstrip() for ln in raw.splitlines()]
        kept = "\n".join(ln for ln in lines if ln.strip() and ln.strip() not in source_lines)
        if kept:
            out.append(Message(kept, o.output_type == "error"))
    return out


_HEADING = re.compile(r"^#{1,6}\s*(?:Exercício|Ejercicio|Exercise)\s+(\d+)\b", re.M)
_PART = re.compile(r"\*\*(\d+[a-z])\.\*\*")


def exercise_labels(nb) -> dict[str, str]:
    """{answer cell grade_id: label} as the notebook numbers its exercises: the number of the
    last "### Exercício N"/"### Ejercicio N" heading; where that exercise's text lists parts
    (**4a.**, **4b.**), its answer cells take them in order.  Read from the instructor's
    source notebook (a student cannot renumber it)."""
    labels: dict[str, str] = {}
    number, parts = None, []
    for cell in nb.cells:
        nbg = cell.get("metadata", {}).get("nbgrader", {})
        if cell.cell_type == "markdown" and not nbg.get("solution"):
            heading = _HEADING.search(cell.source)
            if heading:
                number, parts = heading.group(1), []
            if number is not None:
                parts += [p for p in _PART.findall(cell.source) if p.startswith(number)]
        if nbg.get("solution") and nbg.get("grade_id") and number is not None:
            labels[nbg["grade_id"]] = parts.pop(0) if parts else number
    return labels


def exercises(nb, sub: gradebook.Submission, words: dict[str, str]) -> list[Exercise]:
    """Group the autograded notebook's graded cells under the answer cell they grade."""
    found: list[Exercise] = []
    current: Exercise | None = None
    for cell in nb.cells:
        nbg = cell.get("metadata", {}).get("nbgrader", {})
        gid = nbg.get("grade_id")
        if nbg.get("solution"):
            current = Exercise(gid, cell.source, cell.cell_type, sub.comments.get(gid))
            found.append(current)
        if not nbg.get("grade") or gid not in sub.cells:
            continue
        if current is None:
            current = Exercise(None, None, "code")
            found.append(current)
        g = sub.cells[gid]
        auto = cell.cell_type == "code" and not nbg.get("solution")
        current.checks.append(Check(gid, g.score, g.max_score, g.pending, g.by_hand, auto,
                                    messages(cell, words) if auto else []))
    return [e for e in found if e.checks or e.comment]


def templates():
    """course/templates/, every value autoescaped (student code may hold HTML or <script>)."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    env = Environment(loader=FileSystemLoader(TEMPLATES),
                      autoescape=select_autoescape(default=True, default_for_string=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                      extensions=["jinja2.ext.i18n"])
    env.install_null_translations(newstyle=True)  # i18n.install() gives it a catalog
    return env


def render(assignment: str, sub: gradebook.Submission, nb,
           labels: dict[str, str] | None = None) -> str:
    lang = parse_assignment(assignment).lang
    words = text(lang)
    found = exercises(nb, sub, words)
    for ex in found:
        ex.label = (labels or {}).get(ex.answer_id)
    manual = [c for e in found for c in e.checks if not c.auto]
    return templates().get_template("feedback.html.j2").render(
        t=words, assignment=assignment, sub=sub, exercises=found,
        manual_note=(words["manual_note_pending"] if any(c.pending for c in manual)
                     else words["manual_note_done"] if any(c.by_hand for c in manual)
                     else None),
        points=lambda x: f"{x:g}",
        unit=lambda x: words["point"] if x == 1 else words["points"])


def not_graded_reason(has_notebook: bool, in_gradebook: bool, assignment: str) -> str:
    if not has_notebook and not in_gradebook:
        return _("submitted but never graded (no autograded notebook, no gradebook entry): "
                 "run `course grade {assignment}` and check its NOT GRADED list",
                 assignment=assignment)
    if not has_notebook:
        return _("in the gradebook but autograded/ has no notebook for it: grade it again "
                 "with `course grade {assignment}`", assignment=assignment)
    return _("autograded/ has a notebook but the gradebook has no submission: grade it again "
             "with `course grade {assignment}`", assignment=assignment)


def generate(course: Course, assignment: str) -> tuple[dict[str, Path], dict[str, str]]:
    """Write every graded student's page; return ({student: page}, {student: why no page})."""
    subs = gradebook.submissions(course, assignment)
    students = sorted(set(course.submitted_students(assignment)) | set(subs)
                      | set(course.students_in(course.autograded_dir, assignment)))
    pages: dict[str, Path] = {}
    missing: dict[str, str] = {}
    source = course.source_dir / assignment / f"{assignment}.ipynb"
    labels = exercise_labels(nbformat.read(source, as_version=4)) if source.exists() else {}
    for student in students:
        nb_path = course.autograded_notebook(student, assignment)
        if student not in subs or not nb_path.exists():
            missing[student] = not_graded_reason(nb_path.exists(), student in subs, assignment)
            continue
        page = course.feedback_page(student, assignment)
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(render(assignment, subs[student], nbformat.read(nb_path, as_version=4),
                               labels), encoding="utf-8")
        pages[student] = page
    return pages, missing


def tell_instructor(course: Course, assignment: str, missing: dict[str, str]) -> None:
    """stderr now, and the attention list that `course report` shows."""
    attention.clear(course, assignment, step="feedback")
    for student, reason in missing.items():
        submitted = course.submitted_notebook(student, assignment)
        print(_("NO FEEDBACK: {student}: {reason}", student=student, reason=reason),
              file=sys.stderr)
        attention.record(course, attention.Entry(
            assignment, student, "not_graded", reason,
            file=submitted.relative_to(course.root).as_posix() if submitted.exists() else None,
            step="feedback"))


def tell_moodle(course: Course, assignment: str, pages: dict[str, Path]) -> None:
    """The pages as the zip Moodle takes back (students collected from a Moodle export)."""
    zipped, left_out = moodle_feedback.write(course, assignment, pages)
    if zipped is not None:
        print(_("Moodle: {n} feedback page(s) in {file} (the assignment → View all "
                "submissions → Grading action → Upload multiple feedback files in a zip)",
                n=len(pages) - len(left_out), file=zipped.relative_to(course.root)))
    if left_out:
        print(_("Moodle: not in the zip, no Moodle participant number known for this "
                "assignment (collected from elsewhere): {students}; return their pages "
                "another way", students=", ".join(left_out)), file=sys.stderr)


def main(course: Course, assignment: str) -> int:
    parse_assignment(assignment)
    pages, missing = generate(course, assignment)
    if not pages and not missing:
        raise CourseError(_("nothing to give feedback on: no submission of {assignment} under "
                            "{root} (submitted/, autograded/ or gradebook)",
                            assignment=assignment, root=course.root))
    for page in pages.values():
        print(page.relative_to(course.root))
    print(_("{assignment}: {n} feedback page(s) in {folder}", assignment=assignment,
            n=len(pages), folder=course.feedback_dir))
    tell_moodle(course, assignment, pages)
    tell_instructor(course, assignment, missing)
    return 1 if missing else 0
