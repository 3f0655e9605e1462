"""Who may have copied: pairs of students whose answers to one exercise are alike — a hint for a
human reader, never a penalty.

For one assignment, every student's answer cells (role "answer": code; role "manual": written
answers, markdown or code) are read from submitted/ (nothing is re-run) and compared pairwise,
exercise by exercise (grade_id), with copydetect's winnowing fingerprints (the method of MOSS,
Schleimer, Wilkerson & Aiken 2003): `copydetect.CodeFingerprint` once per answer,
`copydetect.compare_files` per pair (the share of each answer found in the other, and where).

How answers are normalised, what is boilerplate, and why the parameters are what they are:
`fingerprints`.

Cost: each answer is fingerprinted once; a pair is compared only when its fingerprint sets
overlap (a set test), so a class of 100 students x 6 exercises (~30k pairs) takes seconds
(tests/results/test_similarity.py prints the time).

API: `Pair`, `pairs`, `answer_texts`, `write_csv`, `side_by_side`, `THRESHOLD`.
"""
from __future__ import annotations

import csv
import html
from dataclasses import dataclass
from pathlib import Path

from ..cells import grade_id, role
from ..course_folder import Course
from .fingerprints import K_CODE, K_TEXT, Answer, Lesson

# The score from which the report lists a pair.  Copies score 1.0 when identical or different
# only in names, comments and layout (the filter removes exactly those), and mostly 0.85–0.95
# with a line inserted (median 0.93; 8% fall below 0.8).  Honest answers: of ~300 pairs
# involving one of the lessons' differently written correct answers, half score below 0.31,
# 6 reach 0.7 and 2 reach 0.8 — and those 2 are wrong variants written as one edit of that
# correct answer, i.e. what a copy looks like.  A class of 100 has ~5,000 pairs per exercise,
# so the listing favours precision: at 0.8 a reader sees copies, not the common shape of a
# short right answer.  Below it, similarity.csv still has every pair with a score.
THRESHOLD = 0.8


@dataclass(frozen=True)
class Pair:
    """Two students' answers to one exercise and how alike they are."""

    student_a: str  # student_a < student_b
    student_b: str
    exercise: str  # the answer cell's grade_id
    score: float  # 0..1, symmetric: the mean of copydetect's two directions


# --- reading ------------------------------------------------------------------------------

def _read(path: Path):
    import nbformat

    try:
        return nbformat.read(path, as_version=4)
    except Exception:  # noqa: BLE001 - unreadable (missing, not JSON, bad schema): skipped
        return None


def _answer_cells(nb) -> dict[str, tuple[str, str]]:
    """{grade_id: (cell_type, source)} of the answer and manual cells of a notebook (a
    grade_id found twice, e.g. a duplicated cell, keeps its sources joined)."""
    out: dict[str, tuple[str, str]] = {}
    try:
        cells = list(nb.cells)
    except (AttributeError, TypeError):
        return out
    for cell in cells:
        try:
            if role(cell) not in ("answer", "manual"):
                continue
            gid = grade_id(cell)
            source = cell.get("source", "")
            source = "".join(source) if isinstance(source, list) else str(source)
            kind = str(cell.get("cell_type", "code"))
        except (AttributeError, TypeError):
            continue
        if not isinstance(gid, str) or not gid:
            continue
        if gid in out:
            out[gid] = (out[gid][0], out[gid][1] + "\n" + source)
        else:
            out[gid] = (kind, source)
    return out


def _submitted(course: Course, assignment: str, students: set[str] | None = None
               ) -> dict[str, dict[str, tuple[str, str]]]:
    """{student: {grade_id: (cell_type, source)}} of the readable notebooks in submitted/
    (of `students` only, when given)."""
    out = {}
    for student in course.students_in(course.submitted_dir, assignment):
        if students is not None and student not in students:
            continue
        nb = _read(course.submitted_notebook(student, assignment))
        if nb is not None:
            out[student] = _answer_cells(nb)
    return out


def answer_texts(course: Course, assignment: str) -> dict[str, dict[str, str]]:
    """{student: {exercise: text}}: every answer and manual cell of every readable notebook in
    submitted/, as handed in (untouched stubs included; `pairs` decides what to skip).  An
    unreadable notebook is left out."""
    return {student: {gid: text for gid, (_kind, text) in cells.items()}
            for student, cells in _submitted(course, assignment).items()}


# --- the lesson's boilerplate, the class's fingerprints ------------------------------------

def _read_lesson(course: Course, assignment: str) -> Lesson:
    """What the released notebook gave every student (the instructor's own when the
    assignment is not released in this folder)."""
    nb = _read(course.release_notebook(assignment))
    released = nb is not None
    if nb is None:
        nb = _read(course.source_notebook(assignment))
    try:
        cells = list(nb.cells) if nb is not None else []
    except (AttributeError, TypeError):
        cells = []
    return Lesson(cells, released)


_LESSONS: dict[tuple, Lesson] = {}


def _lesson(course: Course, assignment: str) -> Lesson:
    """The assignment's `fingerprints.Lesson`, built once per version of its notebooks (the report asks
    for one side-by-side page per listed pair)."""
    def stamp(path: Path):
        try:
            return path.stat().st_mtime_ns
        except OSError:
            return None

    release, source = course.release_notebook(assignment), course.source_notebook(assignment)
    key = (str(release), stamp(release), str(source), stamp(source), K_CODE, K_TEXT)
    if key not in _LESSONS:
        if len(_LESSONS) > 16:
            _LESSONS.clear()
        _LESSONS[key] = _read_lesson(course, assignment)
    return _LESSONS[key]


def _fingerprints(course: Course, assignment: str, students: set[str] | None = None,
                  exercise: str | None = None) -> dict[str, dict[str, Answer]]:
    """{exercise: {student: fingerprinted answer}}, skipped answers left out."""
    lesson = _lesson(course, assignment)
    out: dict[str, dict[str, Answer]] = {}
    for student, cells in _submitted(course, assignment, students).items():
        for gid, (cell_type, text) in cells.items():
            if exercise is not None and gid != exercise:
                continue
            found = lesson.answer(f"{student}/{gid}", gid, cell_type, text)
            if found is not None:
                out.setdefault(gid, {})[student] = found
    return out


# --- comparing --------------------------------------------------------------------------------

def _compare(a: Answer, b: Answer) -> tuple[float, list[tuple[int, int]], list[tuple[int, int]]]:
    """(score, the ranges of a's raw text found in b, and of b's found in a)."""
    from copydetect import compare_files

    if a.kind != b.kind or a.fp.hashes.isdisjoint(b.fp.hashes):
        return 0.0, [], []
    _overlap, (sim_a, sim_b), (slices_a, slices_b) = compare_files(a.fp, b.fp)
    score = min(1.0, max(0.0, (float(sim_a) + float(sim_b)) / 2))
    return score, _raw_ranges(a, slices_a), _raw_ranges(b, slices_b)


def _raw_ranges(answer: Answer, slices) -> list[tuple[int, int]]:
    """copydetect's slices (filtered coordinates: its filter was off) as ranges of the raw
    text."""
    try:
        bounds = list(zip((int(s) for s in slices[0]), (int(e) for e in slices[1])))
    except (TypeError, IndexError, ValueError):
        return []
    n = len(answer.starts)
    return [(answer.starts[s], answer.ends[e - 1]) for s, e in bounds if 0 <= s < e <= n]


def pairs(course: Course, assignment: str, threshold: float = 0.0) -> list[Pair]:
    """Every pair of students whose answers to one exercise share fingerprints and score at
    least `threshold` (pairs sharing none, score 0, are never listed), highest score first
    (then exercise, names); student_a < student_b."""
    found = []
    for gid, answers in _fingerprints(course, assignment).items():
        students = sorted(answers)
        for i, a in enumerate(students):
            fa = answers[a]
            for b in students[i + 1:]:
                fb = answers[b]
                if fa.kind != fb.kind or fa.fp.hashes.isdisjoint(fb.fp.hashes):
                    continue  # the cheap prefilter: nothing in common
                score = _compare(fa, fb)[0]
                if score > 0 and score >= threshold:
                    found.append(Pair(a, b, gid, score))
    return sorted(found, key=lambda p: (-p.score, p.exercise, p.student_a, p.student_b))


def write_csv(found: list[Pair], out: Path) -> Path:
    """similarity.csv: student_a, student_b, exercise, score (3 decimals), in the given order."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["student_a", "student_b", "exercise", "score"])
        for p in found:
            writer.writerow([p.student_a, p.student_b, p.exercise, f"{p.score:.3f}"])
    return out


def _marked(text: str, ranges: list[tuple[int, int]]) -> str:
    """`text` HTML-escaped, with the given character ranges in <mark>."""
    parts, at = [], 0
    for s, e in sorted(ranges):
        s = max(s, at)
        if e <= s:
            continue
        parts += [html.escape(text[at:s]), "<mark>", html.escape(text[s:e]), "</mark>"]
        at = e
    parts.append(html.escape(text[at:]))
    return "".join(parts)


def side_by_side(course: Course, assignment: str, pair: Pair) -> str:
    """An HTML fragment, everything in it escaped: the two answers to `pair.exercise` in two
    columns, with what each shares with the other in <mark> (matched on the normalised code,
    so renamed variables are marked too; boilerplate never is)."""
    lesson = _lesson(course, assignment)
    cells = _submitted(course, assignment, {pair.student_a, pair.student_b})
    texts, answers = [], []
    for student in (pair.student_a, pair.student_b):
        cell_type, text = cells.get(student, {}).get(pair.exercise, ("code", ""))
        texts.append(text.replace("\r\n", "\n").replace("\r", "\n"))
        answers.append(lesson.answer(f"{student}/{pair.exercise}", pair.exercise, cell_type, text))
    a, b = answers
    score, marks_a, marks_b = _compare(a, b) if a is not None and b is not None else (0.0, [], [])
    head = "".join(f"<th>{html.escape(s)}</th>" for s in (pair.student_a, pair.student_b))
    columns = "".join(
        '<td style="vertical-align:top;width:50%"><pre style="white-space:pre-wrap;margin:0">'
        f"{_marked(text, marks)}</pre></td>"
        for text, marks in zip(texts, (marks_a, marks_b)))
    return (f'<div class="side-by-side"><p><code>{html.escape(pair.exercise)}</code> · '
            f"{score:.2f}</p>"
            f'<table style="width:100%;table-layout:fixed"><tr>{head}</tr>'
            f"<tr>{columns}</tr></table></div>")


__all__ = ["Pair", "pairs", "answer_texts", "write_csv", "side_by_side", "THRESHOLD"]
