"""`course report ASSIGNMENT`: what the instructor takes away after grading, in
reports/<assignment>/.

grades.csv   the grade files an LMS imports, with moodle.csv and canvas.csv (see
             `grade_exports`).
mistakes.csv per auto-graded test cell: who passed, who made each named mistake (the id its
             hidden test recorded), who failed without one.
scores.png   students × exercises heatmap of the fraction of each exercise's points.
summary.html counts, mean/median per exercise, the picture, and the submissions that needed
             attention (course/attention.py) with the reason, student, file and cell.

`course report --all` (the whole gradebook, reports/all/) is `report_all`.
"""
from __future__ import annotations

import html as htmllib
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path

from .. import attention, gradebook, i18n
from ..course_folder import Course, CourseError, parse_assignment
from . import feedback, item_analysis, mistake_stats, mistakes, similarity
from .grade_exports import (export_grades_csv, moodle_participants, number, write_canvas,
                            write_moodle, write_moodle_worksheet)


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


def plot(subs: list[gradebook.Submission], order: list[str], assignment: str, out: Path,
         _=lambda s: s) -> Path:
    """Heatmap students × exercises of the fraction of points (grey: manual grading pending),
    its words in the language of `_` (the instructor's, as the summary around it).

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
                cbar_kws={"label": _("fraction of the exercise's points")})
    ax.set_title(_("%(a)s: points per exercise (%(n)d submissions; grey = manual grading "
                   "pending)") % {"a": assignment, "n": len(subs)}, fontsize=10)
    ax.set_xlabel(_("exercise (max points)"))
    ax.set_ylabel(_("student"))
    for label in ax.get_xticklabels():
        label.set_rotation(30)
        label.set_horizontalalignment("right")
    for label in ax.get_yticklabels():  # seaborn turns long ids on end, over each other
        label.set_rotation(0)
    fig.savefig(out, dpi=110)
    return out


def write_summary(course: Course, assignment: str, subs: list[gradebook.Submission],
                  stats: list[ExerciseStats], picture: Path | None, out: Path,
                  insight: "Insight | None" = None) -> Path:
    """summary.html in the instructor's language (i18n.instructor_lang)."""
    insight = insight or Insight()
    ilang = i18n.instructor_lang(course)
    entries = attention.load(course, assignment)
    submitted = course.submitted_students(assignment)
    pages = {s.student: course.feedback_page(s.student, assignment) for s in subs}
    finals = [s.final for s in subs]
    env = feedback.templates()
    i18n.install(env, ilang)
    html = env.get_template("report_summary.html.j2").render(
        assignment=assignment, lang=parse_assignment(assignment).lang, ilang=ilang,
        mistakes=insight.mistakes, mistakes_picture=insight.mistakes_picture,
        items=insight.items, similarity=insight.similar,
        similarity_pages=insight.similar_pages, similarity_threshold=insight.threshold,
        similarity_csv=insight.similar is not None, similarity_above=insight.above,
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


MAX_LISTED = 50  # similar pairs shown (and given a side-by-side page) in summary.html


@dataclass
class Insight:
    """What the class got wrong, item statistics and similar pairs, for summary.html."""

    mistakes: list = field(default_factory=list)  # mistake_stats.Exercise
    mistakes_picture: str | None = None
    items: list = field(default_factory=list)  # item_analysis.Item
    similar: list | None = None  # similarity.Pair above the threshold; None: not computed
    similar_pages: list = field(default_factory=list)  # side-by-side page of each pair
    threshold: float = similarity.THRESHOLD
    above: int = 0  # pairs at or above the threshold (the page lists at most MAX_LISTED)


def message_lang(course: Course, assignment: str) -> str:
    """Mistake messages exist in pt and es: the instructor's, else the notebook's language."""
    ilang = i18n.instructor_lang(course)
    return ilang if ilang in ("pt", "es") else parse_assignment(assignment).lang


def class_insight(course: Course, assignment: str, subs: list[gradebook.Submission],
                  out: Path) -> tuple[Insight, list[Path]]:
    """mistakes.csv/.png, item analysis, similarity.csv and side-by-side pages."""
    _ = i18n.gettext(i18n.instructor_lang(course))
    tests = gradebook.cell_order(course, assignment, tests_only=True)
    stats = mistake_stats.of_assignment(course, assignment, subs, tests,
                                        mistakes.of_assignment(course, assignment),
                                        message_lang(course, assignment))
    written = [mistake_stats.write_csv(stats, out / "mistakes.csv")]
    picture = mistake_stats.plot(stats, out / "mistakes.png",
                                 _("%(a)s: students per mistake") % {"a": assignment}, _)
    if picture:
        written.append(picture)
    elif (out / "mistakes.png").exists():
        (out / "mistakes.png").unlink()
    found = similarity.pairs(course, assignment)
    written.append(similarity.write_csv(found, out / "similarity.csv"))
    above = [p for p in found if p.score >= similarity.THRESHOLD]
    listed = above[:MAX_LISTED]  # the most similar first; the CSV holds every pair
    pages = write_side_by_side(course, assignment, listed, out / "similar", _)
    return Insight(stats, picture.name if picture else None,
                   item_analysis.analyse(subs, tests), listed,
                   [p.relative_to(out).as_posix() for p in pages],
                   above=len(above)), written + pages


def write_side_by_side(course: Course, assignment: str, pairs: list, folder: Path, _) -> list[Path]:
    """One page per listed pair (the old pages are removed: they may name other pairs)."""
    if folder.exists():
        for old in folder.glob("*.html"):
            old.unlink()
    pages = []
    for i, pair in enumerate(pairs, 1):
        folder.mkdir(parents=True, exist_ok=True)
        title = htmllib.escape(f"{assignment} · {pair.exercise} · {pair.student_a} / {pair.student_b}")
        note = htmllib.escape(_("A hint for a human, never a penalty:"))
        page = folder / f"{i:03d}.html"
        page.write_text(f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}"
                        f"</title></head><body><h1>{title}</h1><p><strong>{note}</strong> "
                        f"{pair.score:.2f}</p>"
                        f"{similarity.side_by_side(course, assignment, pair)}</body></html>",
                        encoding="utf-8")
        pages.append(page)
    return pages


def generate(course: Course, assignment: str) -> list[Path]:
    """Write every file of reports/<assignment>/; return them."""
    top = gradebook.max_score(course, assignment)
    if top is None and not attention.load(course, assignment):
        raise CourseError(i18n._("nothing to report: {assignment} is not in the gradebook of "
                            "{root} (run `course grade {assignment}` first) and no step "
                            "recorded anything", assignment=assignment, root=course.root))
    out = course.reports_dir(assignment)
    out.mkdir(parents=True, exist_ok=True)
    subs = list(gradebook.submissions(course, assignment).values())
    order = exercise_order(course, assignment, subs)
    participants = moodle_participants(course, assignment)
    written = [export_grades_csv(course, assignment, out / "grades.csv"),
               write_moodle(subs, assignment, out / "moodle.csv", participants),
               write_canvas(subs, assignment, top or 0.0, out / "canvas.csv")]
    worksheet = write_moodle_worksheet(subs, top or 0.0, participants,
                                       out / "moodle_worksheet.csv")
    written += [worksheet] if worksheet else []
    insight, more = class_insight(course, assignment, subs, out)
    written += more
    picture = out / "scores.png"
    if subs and order:
        written.append(plot(subs, order, assignment, picture,
                            i18n.gettext(i18n.instructor_lang(course))))
    elif picture.exists():
        picture.unlink()  # a stale picture would describe other submissions
    written.append(write_summary(course, assignment, subs, exercise_stats(subs, order),
                                 picture if picture.exists() else None, out / "summary.html",
                                 insight))
    return written


def main(course: Course, assignment: str) -> int:
    parse_assignment(assignment)
    for path in generate(course, assignment):
        print(path.relative_to(course.root))
    waiting = pending_manual(course, assignment)
    if waiting:
        print(i18n._("WARNING: {n} submission(s) still have written answers to grade by hand "
                     "(formgrader): the exported grades count them as 0 until then: {ids}",
                     n=len(waiting), ids=", ".join(waiting[:10])
                     + (" …" if len(waiting) > 10 else "")))
    return 0


def pending_manual(course: Course, assignment: str) -> list[str]:
    """Students whose submission still waits for manual grading (an export counts it as 0)."""
    return sorted(s.student for s in gradebook.submissions(course, assignment).values()
                  if s.pending)
