"""`course report --all`: every assignment's report, then reports/all/summary.html: per
language, and per lesson with its pt and es students together (mistakes, item analysis), from
the gradebook only."""
from __future__ import annotations

import statistics
import time
from dataclasses import dataclass
from pathlib import Path

from .. import gradebook, i18n
from ..course_folder import Course, CourseError, parse_assignment
from . import feedback, item_analysis, mistake_stats, mistakes
from .grade_exports import number
from .report import generate, message_lang


@dataclass
class AssignmentRow:
    lang: str
    assignment: str
    n: int
    mean: str
    hardest: str | None
    link: str


@dataclass
class LessonView:
    name: str
    assignments: list[str]
    mistakes: list
    items: list
    picture: str | None


def graded_assignments(course: Course) -> list[str]:
    """Assignments of the gradebook with at least one graded submission, in name order."""
    with course.gradebook() as gb:
        names = sorted(a.name for a in gb.assignments)
    return [a for a in names if gradebook.submissions(course, a)]


def generate_all(course: Course) -> list[Path]:
    """Every assignment's report, then reports/all/: per language, and per lesson with its pt
    and es students together (mistakes, item analysis), from the gradebook only."""
    assignments = graded_assignments(course)
    if not assignments:
        raise CourseError(i18n._("nothing to report: no graded assignment in the gradebook of "
                            "{root} (run `course grade ASSIGNMENT` first)", root=course.root))
    ilang = i18n.instructor_lang(course)
    _ = i18n.gettext(ilang)
    out = course.reports_root / "all"
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    rows, by_lesson = [], {}
    for a in assignments:
        written += generate(course, a)
        subs = list(gradebook.submissions(course, a).values())
        tests = gradebook.cell_order(course, a, tests_only=True)
        stats = mistake_stats.of_assignment(course, a, subs, tests,
                                            mistakes.of_assignment(course, a),
                                            message_lang(course, a))
        parsed = parse_assignment(a)
        items = item_analysis.analyse(subs, tests)
        rated = [i for i in items if i.difficulty is not None]
        hardest = min(rated, key=lambda i: i.difficulty).exercise if rated else None
        finals = [s.final for s in subs]
        rows.append(AssignmentRow(parsed.lang, a, len(subs),
                                  number(statistics.fmean(finals)) if finals else "–", hardest,
                                  Path("..", a, "summary.html").as_posix()))
        entry = by_lesson.setdefault(parsed.lesson, {"assignments": [], "stats": [], "subs": []})
        entry["assignments"].append(a)
        entry["stats"].append(stats)
        entry["subs"].append((subs, tests))
    rows.sort(key=lambda r: (r.lang, r.assignment))
    lessons, merged_all = [], []
    for name, entry in sorted(by_lesson.items()):
        merged = mistake_stats.merge(entry["stats"])
        merged_all += merged
        picture = mistake_stats.plot(merged, out / f"{name}_mistakes.png",
                                     _("%(a)s: students per mistake") % {"a": name}, _)
        if picture:
            written.append(picture)
        all_subs = [s for subs, _t in entry["subs"] for s in subs]
        tests = list(dict.fromkeys(t for _s, ts in entry["subs"] for t in ts))
        lessons.append(LessonView(name, entry["assignments"], merged,
                                  item_analysis.analyse(all_subs, tests),
                                  picture.name if picture else None))
    written.append(mistake_stats.write_csv(merged_all, out / "mistakes.csv", with_lesson=True))
    env = feedback.templates()
    i18n.install(env, ilang)
    page = out / "summary.html"
    page.write_text(env.get_template("report_all.html.j2").render(
        ilang=ilang, assignments=rows, lessons=lessons,
        generated=time.strftime("%Y-%m-%d %H:%M")), encoding="utf-8")
    written.append(page)
    return written


def main(course: Course) -> int:
    for path in generate_all(course):
        print(path.relative_to(course.root))
    return 0
