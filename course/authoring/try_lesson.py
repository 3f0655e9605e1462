"""`course try LESSON`: build one lesson in memory and execute its instructor notebook(s) in a
scratch folder, reporting every test cell's score and every error — the author's inner loop,
without touching source/, release/ or the gradebook."""
from __future__ import annotations

import time

from ..cells import LANGS
from ..course_folder import CourseError
from ..i18n import _
from ..lessons import LESSONS_DIR, lesson_file, slugs
from . import build, validate
from .lesson_format import read_lesson
from .notebooks import errors, execute, scores


def main(lesson: str, langs: list[str] | None = None) -> int:
    matches = [s for s in slugs() if s == lesson or s.startswith(lesson)]
    if len(matches) != 1:
        raise CourseError(_("no single lesson matches {lesson!r} in {folder}", lesson=lesson,
                            folder=LESSONS_DIR))
    parsed = read_lesson(lesson_file(matches[0]))
    validate.check([parsed])
    status = 0
    for lang in langs or LANGS:
        nb = build.build_notebook(parsed, lang)
        start = time.perf_counter()
        done = execute(nb)
        secs = time.perf_counter() - start
        got = scores(done)
        total = sum(score for score, _most in got.values())
        best = sum(most for _score, most in got.values())
        print(_("{assignment}: {total:g}/{best:g} auto-graded points, executed in {secs:.1f}s",
                assignment=parsed.assignment(lang), total=total, best=best, secs=secs))
        for gid, msg in errors(done).items():
            print("  " + _("error in {cell}: {message}", cell=gid, message=msg[:300]))
        if total != best or errors(done):
            status = 1
    return status
