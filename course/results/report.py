"""`course report ASSIGNMENT`: what the instructor takes away after grading, in
reports/<assignment>/.

grades.csv   nbgrader's own CSV export (CsvExportPlugin) limited to this assignment: every
             student of the gradebook, 0 for those who did not submit.
moodle.csv   Moodle gradebook import: `ID number,<assignment>`.  In Moodle: Grades → Import →
             CSV file, upload, then in "Identify user" map "ID number" to "useridnumber" (the
             students' ID number profile field must hold the nbgrader student ids), and map the
             `<assignment>` column to the grade item (or "new grade item").  The pt and es
             assignments of one lesson can be mapped to the same grade item.
mistakes.csv per auto-graded test cell: who passed, who made each named mistake (the id its
             hidden test recorded), who failed without one.
canvas.csv   Canvas gradebook import: `Student,ID,SIS User ID,SIS Login ID,Section,<assignment>`
             then a `Points Possible` row.  ID (Canvas's internal id) is left blank; the student
             id is the SIS User ID, which Canvas uses to find the student.  Canvas offers to
             create the assignment when no column of that name exists.
scores.png   students × exercises heatmap of the fraction of each exercise's points.
summary.html counts, mean/median per exercise, the picture, and the submissions that needed
             attention (course/attention.py) with the reason, student, file and cell.

The Moodle and Canvas files hold only students who submitted this assignment: each language is
its own assignment, and a 0 for everyone in the other language's class would overwrite grades.
"""
from __future__ import annotations

import csv
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

from .. import attention, gradebook
from ..course_folder import Course, CourseError, parse_assignment
from . import feedback, mistakes

CANVAS_FIXED = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
MOODLE_ID = "ID number"


def number(x: float) -> str:
    """Points as an LMS reads them: no trailing zeros, a dot for decimals."""
    return f"{round(x, 2):g}"


def export_grades_csv(course: Course, assignment: str | None, out: Path) -> Path:
    """nbgrader's CsvExportPlugin, exactly as `nbgrader export [--assignment]` would write it
    (every assignment when `assignment` is None)."""
    from nbgrader.plugins import CsvExportPlugin

    plugin = CsvExportPlugin(config=course.config)
    plugin.to = str(out)
    if assignment is not None:
        plugin.assignment = [assignment]
    with course.gradebook() as gb:
        plugin.export(gb)
    return out


def write_moodle(subs: list[gradebook.Submission], assignment: str, out: Path) -> Path:
    with out.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow([MOODLE_ID, assignment])
        w.writerows([s.student, number(s.final)] for s in subs)
    return out


def write_canvas(subs: list[gradebook.Submission], assignment: str, max_score: float,
                 out: Path) -> Path:
    with out.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(CANVAS_FIXED + [assignment])
        w.writerow(["Points Possible", "", "", "", "", number(max_score)])
        w.writerows([s.name, "", s.student, "", "", number(s.final)] for s in subs)
    return out


def write_mistakes(recorded: dict[str, dict[str, str]], subs: list[gradebook.Submission],
                   order: list[str], out: Path) -> Path:
    """mistakes.csv: per auto-graded test cell, who passed, which named mistake each failing
    student's hidden test recorded, and who failed without a recorded mistake (a visible check,
    a crash, an unanswered stub) — read from the autograded notebooks, nothing re-run."""
    groups: dict[tuple[str, str], list[str]] = {}
    for sub in subs:
        mine = recorded.get(sub.student, {})
        for cell in order:
            grade = sub.cells.get(cell)
            if grade is None or grade.pending or grade.max_score <= 0:
                continue
            if grade.score >= grade.max_score:
                key = "(correct)"
            else:
                key = mine.get(cell, "(failed, no mistake recorded)")
            groups.setdefault((cell, key), []).append(sub.student)
    rank = {cell: i for i, cell in enumerate(order)}
    with out.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["exercise", "mistake", "count", "students"])
        for (cell, key), students in sorted(groups.items(),
                                            key=lambda kv: (rank[kv[0][0]], kv[0][1])):
            w.writerow([cell, key, len(students), ";".join(sorted(students))])
    return out


def exercise_order(course: Course, assignment: str, subs: list[gradebook.Submission]) -> list[str]:
    """Graded cells in notebook order (cells the source does not know go last)."""
    order = gradebook.cell_order(course, assignment)
    seen = {name for s in subs for name in s.cells}
    return [g for g in order if g in seen] + sorted(seen - set(order))


@dataclass
class ExerciseStats:
    name: str
    max_score: float
    graded: int  # submissions with a score for it (manual grading done or auto)
    pending: int
    mean: float | None
    median: float | None
    full: int  # submissions with all its points

    @property
    def mean_fraction(self) -> float | None:
        return None if self.mean is None or not self.max_score else self.mean / self.max_score


def exercise_stats(subs: list[gradebook.Submission], order: list[str]) -> list[ExerciseStats]:
    out = []
    for name in order:
        cells = [s.cells[name] for s in subs if name in s.cells]
        done = [c.score for c in cells if not c.pending]
        top = max((c.max_score for c in cells), default=0.0)
        out.append(ExerciseStats(
            name, top, len(done), len(cells) - len(done),
            statistics.fmean(done) if done else None,
            statistics.median(done) if done else None,
            sum(1 for c in cells if not c.pending and c.score >= c.max_score)))
    return out


def plot(subs: list[gradebook.Submission], order: list[str], assignment: str, out: Path) -> Path:
    """Heatmap students × exercises of the fraction of points (grey: manual grading pending).

    Drawn on a Figure with an explicit Agg canvas: no pyplot state, no display needed.
    """
    import pandas as pd
    import seaborn as sns
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    maxes = {name: max(s.cells[name].max_score for s in subs if name in s.cells)
             for name in order}
    labels = [f"{name} ({maxes[name]:g})" for name in order]
    fraction = pd.DataFrame(
        [[(None if c is None or c.pending or not c.max_score else c.score / c.max_score)
          for c in (s.cells.get(name) for name in order)] for s in subs],
        index=[s.student for s in subs], columns=labels, dtype=float)
    shown = pd.DataFrame([[("" if (c := s.cells.get(n)) is None or c.pending else f"{c.score:g}")
                           for n in order] for s in subs])

    fig = Figure(figsize=(max(5.0, 1.0 * len(order) + 3.0), max(3.0, 0.32 * len(subs) + 2.4)),
                 layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.subplots()
    ax.set_facecolor("#d0d0d0")  # what a masked (pending) cell shows
    sns.heatmap(fraction, ax=ax, vmin=0, vmax=1, cmap="RdYlGn", linewidths=0.5,
                linecolor="white", annot=shown.to_numpy() if len(subs) <= 40 else False, fmt="",
                cbar_kws={"label": "fraction of the exercise's points"})
    ax.set_title(f"{assignment}: points per exercise ({len(subs)} submissions; "
                 "grey = manual grading pending)", fontsize=10)
    ax.set_xlabel("exercise (max points)")
    ax.set_ylabel("student")
    for label in ax.get_xticklabels():
        label.set_rotation(30)
        label.set_horizontalalignment("right")
    fig.savefig(out, dpi=110)
    return out


def write_summary(course: Course, assignment: str, subs: list[gradebook.Submission],
                  stats: list[ExerciseStats], picture: Path | None, out: Path) -> Path:
    finals = [s.final for s in subs]
    submitted = course.submitted_students(assignment)
    entries = attention.load(course, assignment)
    pages = {s.student: course.feedback_page(s.student, assignment) for s in subs}
    html = feedback.templates().get_template("report_summary.html.j2").render(
        assignment=assignment, lang=parse_assignment(assignment).lang,
        subs=subs, stats=stats, picture=picture.name if picture else None,
        max_score=gradebook.max_score(course, assignment),
        submitted=submitted, not_graded=sorted(set(submitted) - {s.student for s in subs}),
        mean=statistics.fmean(finals) if finals else None,
        median=statistics.median(finals) if finals else None,
        full=sum(1 for s in subs if s.max_score and s.final >= s.max_score),
        pending=[s.student for s in subs if s.pending],
        entries=entries, kinds={k: sum(e.kind == k for e in entries) for k in attention.KINDS},
        flagged=sorted({e.student for e in entries if e.kind == "flagged" and e.student}),
        tampered=sorted({e.student for e in entries
                         if e.kind in ("tampered", "restored") and e.student}),
        feedback={st: Path("../..", p.relative_to(course.root)).as_posix()
                  for st, p in pages.items() if p.exists()},
        when=lambda t: time.strftime("%Y-%m-%d %H:%M", time.localtime(t)),
        num=lambda x: "–" if x is None else number(x),
        generated=time.strftime("%Y-%m-%d %H:%M"))
    out.write_text(html, encoding="utf-8")
    return out


def generate(course: Course, assignment: str) -> list[Path]:
    """Write every file of reports/<assignment>/; return them."""
    top = gradebook.max_score(course, assignment)
    if top is None and not attention.load(course, assignment):
        raise CourseError(f"nothing to report: {assignment} is not in the gradebook of "
                          f"{course.root} (run `course grade {assignment}` first) and no step "
                          "recorded anything")
    out = course.reports_dir(assignment)
    out.mkdir(parents=True, exist_ok=True)
    subs = list(gradebook.submissions(course, assignment).values())
    order = exercise_order(course, assignment, subs)
    written = [export_grades_csv(course, assignment, out / "grades.csv"),
               write_moodle(subs, assignment, out / "moodle.csv"),
               write_canvas(subs, assignment, top or 0.0, out / "canvas.csv"),
               write_mistakes(mistakes.of_assignment(course, assignment), subs,
                              gradebook.cell_order(course, assignment, tests_only=True), out / "mistakes.csv")]
    picture = out / "scores.png"
    if subs and order:
        written.append(plot(subs, order, assignment, picture))
    elif picture.exists():
        picture.unlink()  # a stale picture would describe other submissions
    written.append(write_summary(course, assignment, subs, exercise_stats(subs, order),
                                 picture if picture.exists() else None, out / "summary.html"))
    return written


def main(course: Course, assignment: str) -> int:
    parse_assignment(assignment)
    for path in generate(course, assignment):
        print(path.relative_to(course.root))
    return 0
