"""What the class got wrong, per exercise: who was right, who made each named mistake (with the
sentence students read), who failed in a way no hidden test recognised, who did not answer.

Everything comes from the gradebook (scores) and the autograded notebooks (the mistake id each
failing hidden test recorded, see results.mistakes) and the submitted notebooks (an answer cell
left as released means "not answered"); nothing is re-run.  Groups are data; `course report`
writes them to mistakes.csv and summary.html, for one assignment or several (`--all`).
"""
from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from .. import gradebook
from ..cells import grade_id, role
from ..course_folder import Course, parse_assignment
from ..i18n import N_

CORRECT = N_("(correct)")
UNANSWERED = N_("(not answered)")
UNRECOGNISED = N_("(failed, no mistake recorded)")
NOT_IMPLEMENTED = "not_implemented"  # the generic id of an answer still raising the stub's error


@dataclass
class Group:
    mistake: str  # a mistake id, or CORRECT / UNANSWERED / UNRECOGNISED
    students: list[str] = field(default_factory=list)
    message: str = ""  # what students read for this mistake (fields shown as …)


@dataclass
class Exercise:
    exercise: str  # the test cell's grade_id
    lesson: str
    groups: list[Group]

    @property
    def n(self) -> int:
        return sum(len(g.students) for g in self.groups)

    def count(self, mistake: str) -> int:
        return sum(len(g.students) for g in self.groups if g.mistake == mistake)


def answer_cells_of_tests(nb) -> dict[str, list[str]]:
    """{test cell: the answer cells since the previous test cell} (the exercise it grades)."""
    out, pending = {}, []
    for cell in nb.cells:
        r = role(cell)
        if r == "answer":
            pending.append(grade_id(cell))
        elif r == "test":
            out[grade_id(cell)] = pending
            pending = []
    return out


def unanswered(course: Course, assignment: str) -> dict[str, set[str]]:
    """{student: test cells whose every answer cell is still exactly as released}."""
    try:
        released = nbformat.read(course.release_notebook(assignment), as_version=4)
    except (OSError, ValueError):
        return {}
    stubs = {grade_id(c): c.source.strip() for c in released.cells if role(c) == "answer"}
    tests = answer_cells_of_tests(released)
    out: dict[str, set[str]] = {}
    for student in course.students_in(course.submitted_dir, assignment):
        try:
            nb = nbformat.read(course.submitted_notebook(student, assignment), as_version=4)
        except Exception:
            continue
        theirs = {grade_id(c): c.source.strip() for c in nb.cells if role(c) == "answer"}
        out[student] = {t for t, answers in tests.items() if answers and all(
            theirs.get(a, stubs[a]) == stubs[a] for a in answers)}
    return out


class _Blank(dict):
    def __missing__(self, key):
        return "…"


def message_of(lesson: str, mistake: str, lang: str) -> str:
    """The sentence a student of `lang` read for `mistake` (pt for an English instructor)."""
    if mistake.startswith("("):
        return ""
    from ..lessons import load_mistakes

    try:
        text = load_mistakes(lesson).MISTAKES.message(mistake)
    except (KeyError, ImportError, AttributeError):
        return ""
    raw = text.es if lang == "es" else text.pt
    try:
        return raw.format_map(_Blank())
    except (ValueError, IndexError):
        return raw


def of_assignment(course: Course, assignment: str, subs: list[gradebook.Submission],
                  order: list[str], recorded: dict[str, dict[str, str]], lang: str
                  ) -> list[Exercise]:
    """Per auto-graded test cell of `order` (test cells, notebook order), the groups."""
    return group(subs, order, recorded, unanswered(course, assignment),
                 parse_assignment(assignment).lesson, lang)


def group(subs: list[gradebook.Submission], order: list[str], recorded: dict[str, dict[str, str]],
          blank: dict[str, set[str]], lesson: str, lang: str) -> list[Exercise]:
    """The grouping itself, on plain data: {student: {test cell: mistake id}} recorded by the
    hidden tests, {student: test cells left unanswered}."""
    found: dict[str, dict[str, list[str]]] = {}
    for sub in subs:
        mine = recorded.get(sub.student, {})
        for cell in order:
            grade = sub.cells.get(cell)
            if grade is None or grade.pending or grade.max_score <= 0:
                continue
            if grade.score >= grade.max_score:
                key = CORRECT
            elif cell in blank.get(sub.student, set()) or mine.get(cell) == NOT_IMPLEMENTED:
                key = UNANSWERED
            else:
                key = mine.get(cell, UNRECOGNISED)
            found.setdefault(cell, {}).setdefault(key, []).append(sub.student)
    return [Exercise(cell, lesson, _groups(found[cell], lesson, lang))
            for cell in order if cell in found]


def _ordered(groups: list[Group]) -> list[Group]:
    """Correct first, then named mistakes (most frequent first), unrecognised, unanswered."""
    rank = {CORRECT: 0, UNRECOGNISED: 2, UNANSWERED: 3}
    return sorted(groups, key=lambda g: (rank.get(g.mistake, 1), -len(g.students), g.mistake))


def _groups(by_key: dict[str, list[str]], lesson: str, lang: str) -> list[Group]:
    return _ordered([Group(k, sorted(v), message_of(lesson, k, lang)) for k, v in by_key.items()])


def merge(parts: list[list[Exercise]]) -> list[Exercise]:
    """Several assignments of one lesson (pt and es students together), by exercise."""
    merged: dict[str, dict[str, Group]] = {}
    lesson_of: dict[str, str] = {}
    for exercises in parts:
        for ex in exercises:
            lesson_of[ex.exercise] = ex.lesson
            table = merged.setdefault(ex.exercise, {})
            for g in ex.groups:
                into = table.setdefault(g.mistake, Group(g.mistake, [], g.message))
                into.students = sorted(set(into.students) | set(g.students))
    out = []
    for name, table in merged.items():
        out.append(Exercise(name, lesson_of[name], _ordered(list(table.values()))))
    return out


def write_csv(exercises: list[Exercise], out: Path, with_lesson: bool = False) -> Path:
    """mistakes.csv: exercise, mistake, count, students (`;`-separated), message."""
    with out.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow((["lesson"] if with_lesson else []) +
                   ["exercise", "mistake", "count", "students", "message"])
        for ex in exercises:
            for g in ex.groups:
                w.writerow(([ex.lesson] if with_lesson else []) +
                           [ex.exercise, g.mistake, len(g.students), ";".join(g.students),
                            g.message])
    return out


def plot(exercises: list[Exercise], out: Path, title: str, _=lambda s: s) -> Path | None:
    """One horizontal bar per group (students), exercise by exercise, mistakes in red."""
    rows = [(ex.exercise, g) for ex in exercises for g in ex.groups]
    if not rows:
        return None
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    labels = [f"{ex}: {_(g.mistake) if g.mistake.startswith('(') else g.mistake}"
              for ex, g in rows]
    colors = ["#4c9a5b" if g.mistake == CORRECT else "#9e9e9e" if g.mistake == UNANSWERED
              else "#e0a030" if g.mistake == UNRECOGNISED else "#c8463c" for _ex, g in rows]
    fig = Figure(figsize=(8, 0.32 * len(rows) + 1.2), layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.subplots()
    ax.barh(range(len(rows)), [len(g.students) for _ex, g in rows], color=colors)
    ax.set_yticks(range(len(rows)), labels, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel(_("students"))  # noqa: the msgid is in the template's catalog too
    ax.set_title(title, fontsize=10)
    ax.xaxis.get_major_locator().set_params(integer=True)
    fig.savefig(out, dpi=110)
    return out
