"""Who may have copied: pairs of students whose answers to one exercise are alike — a hint for a
human reader, never a penalty.

For one assignment, every student's answer cells (role "answer": code; role "manual": written
answers, markdown or code) are read from submitted/ (nothing is re-run) and compared pairwise,
exercise by exercise (grade_id), with copydetect's winnowing fingerprints (the method of MOSS,
Schleimer, Wilkerson & Aiken 2003): `copydetect.CodeFingerprint` once per answer,
`copydetect.compare_files` per pair (the share of each answer found in the other, and where).

What is compared
  * Code goes through copydetect's filter (pygments' Python lexer): comments and whitespace
    dropped, every name `V`, defined functions `F`, classes `O`, string contents `S`; so
    renaming variables, rewording comments or re-indenting changes nothing.  `_filter_code`
    applies the rules of `copydetect.utils.filter_code` itself, keeping where each character
    comes from, and fingerprints the result with the filter off: the fingerprints are the
    same as `filter=True` (tested), but the side-by-side page highlights exactly what matched
    (copydetect's own offsets drift after strings and at the end of a cell).
    (A filter that kept the library's names, `.sum` or `.backward`, was tried: on the
    lessons' answers it separated copies from honest answers no better.)
  * Written answers (markdown cells) are compared as text: lower-cased, accents and
    punctuation dropped, whitespace collapsed, then fingerprinted by characters (copydetect
    with its filter off; it has no tokenizer for prose).
  * Boilerplate never counts.  For code: every code cell of the released notebook (the
    lesson's own code, the helper cell, the visible checks, every answer stub as released),
    the code spans of its markdown, and both languages' `cells.CODE_STUBS`.  For text: the
    released notebook's markdown (the lesson and the question) and both `cells.TEXT_STUBS`.
    Every k-gram of those is removed from the answers' fingerprints before comparing, and the
    score counts only what is left.  (This is copydetect's `boilerplate=` done here: 0.5.0
    intersects with `assume_unique=True` on hashes that are not unique, which also drops a
    student's own repeated fingerprints.)  The reference solutions are *not* boilerplate:
    two students handing in the same leaked solution should show.  Without a released
    notebook the instructor's one is used, its answer cells replaced by the stubs.
  * Skipped entirely, in no pair at all:
      - an unanswered cell: nothing written, or every line (comments aside) a line of the stub
        it was released with — so untouched stubs never match;
      - an answer whose own fingerprints (boilerplate removed) cover fewer than `MIN_OWN_CODE`
        (36) filtered characters of code, or `MIN_OWN_TEXT` (60) characters of text.  A
        multiple-choice letter `answer_x = "b"` filters to `V="S"`, 5 characters: everyone
        who picks "b" writes exactly that, a letter cannot show copying.  The same holds for a
        one-line function (`return ((x * w - y) ** 2).sum()`, `return a * x + b`,
        `return math.log(K)`: 20–34 characters with the `def` line), which everyone who is
        right writes alike.  The shortest answers compared are a few statements (lesson 01's
        `forward`, 48; `train_step`, 51).

Parameters, for notebook cells of 3–30 lines (measured on the lessons' answers: the reference
and every CORRECT and WRONG variant of answers.py, all six lessons, pairwise; plus each with
its variables renamed and comments and blank lines added, and each with one line inserted)
  * Code: k = `K_CODE` = 15 filtered characters, window `WINDOW` = 1.  Filtered code is dense
    (`e = y_pred - y` is `V=V-V`, 5 characters; `loss.backward()` is `V.V()`), so 15
    characters are two or three short statements.  Shorter k matches on idioms (at k = 10,
    38 of the ~300 pairs involving a differently written correct answer score >= 0.6; at 15,
    20); longer k leaves short answers without fingerprints and misses edited copies (at 20,
    23 of 200 one-line-inserted copies score < 0.8, at 15, 16).  copydetect's default (25)
    is meant for whole files.  Window 1 keeps every k-gram: winnowing only saves memory, which
    cells this size do not need, and with a window > 1 the k-grams kept depend on Python's
    per-process string-hash seed, so one class could score differently from run to run; with
    window 1 the scores are deterministic and every common run of >= k characters is found.
  * Text: k = `K_TEXT` = 30 normalised characters (about five words), window 1: five words in
    the same order are unusual between independent writers, shorter runs ("o gradiente de
    w") are the lesson's vocabulary.
  * A pair's score: copydetect gives, for each answer, the share of its own (non-boilerplate)
    fingerprinted characters also found in the other.  The score is the **mean** of the two
    directions: symmetric, and 1.0 only when both answers are made of the same code.  The max
    would call a short answer "copied" whenever a longer one contains it, which is how honest
    short answers often look (with the max, 12 of the ~300 honest pairs below reach 0.7,
    with the mean 6).
  * `THRESHOLD`: see its comment.

Cost: each answer is fingerprinted once; a pair is compared only when its fingerprint sets
overlap (a set test), so a class of 100 students x 6 exercises (~30k pairs) takes seconds
(tests/results/test_similarity.py prints the time).

API: `Pair`, `pairs`, `answer_texts`, `write_csv`, `side_by_side`, `THRESHOLD`.
"""
from __future__ import annotations

import csv
import html
import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ..cells import CODE_STUBS, TEXT_STUBS, grade_id, role
from ..course_folder import Course

K_CODE = 15  # filtered characters per k-gram (code)
K_TEXT = 30  # normalised characters per k-gram (written answers): about five words
WINDOW = 1  # winnowing window: every k-gram kept (deterministic, see above)
MIN_OWN_CODE = 36  # filtered characters an answer's own fingerprints must cover
MIN_OWN_TEXT = 60  # normalised characters, the same for a written answer: about ten words

# The score from which the report lists a pair.  Copies score 1.0 when identical or different
# only in names, comments and layout (the filter removes exactly those), and mostly 0.85–0.95
# with a line inserted (median 0.93; 8% fall below 0.8).  Honest answers: of ~300 pairs
# involving one of the lessons' differently written correct answers, half score below 0.31,
# 6 reach 0.7 and 2 reach 0.8 — and those 2 are wrong variants written as one edit of that
# correct answer, i.e. what a copy looks like.  A class of 100 has ~5,000 pairs per exercise,
# so the listing favours precision: at 0.8 a reader sees copies, not the common shape of a
# short right answer.  Below it, similarity.csv still has every pair with a score.
THRESHOLD = 0.8

CODE, TEXT = "code", "text"


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


# --- fingerprints ---------------------------------------------------------------------------

def _normalise_text(text: str) -> tuple[str, list[int], list[int]]:
    """A written answer lower-cased, accents and punctuation dropped, whitespace collapsed;
    with, for each character kept, the start and end index in `text` of what it stands for
    (to highlight the original)."""
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for i, ch in enumerate(text):
        if ch.isalnum():
            for c in unicodedata.normalize("NFKD", ch.lower()):
                if not unicodedata.combining(c):
                    out.append(c)
                    starts.append(i)
                    ends.append(i + 1)
        elif out and out[-1] != " ":
            out.append(" ")
            starts.append(i)
            ends.append(i + 1)
    if out and out[-1] == " ":
        del out[-1], starts[-1], ends[-1]
    return "".join(out), starts, ends


_COMMENT = re.compile(r"^\s*#")


def _lines(text: str, kind: str) -> set[str]:
    if kind == TEXT:
        return {_normalise_text(ln)[0] for ln in text.splitlines()} - {""}
    return {ln.strip() for ln in text.splitlines() if ln.strip() and not _COMMENT.match(ln)}


_ALL_STUBS = "\n".join((*CODE_STUBS.values(), *TEXT_STUBS.values()))


def _unanswered(text: str, kind: str, stub: str) -> bool:
    """Nothing written, or only lines of the stub the cell was released with (comments aside:
    deleting `# YOUR CODE HERE` is no answer)."""
    return _lines(text, kind) <= _lines(stub, kind) | _lines(_ALL_STUBS, kind)


def _filter_code(code: str) -> tuple[str, list[int], list[int]]:
    """`copydetect.utils.filter_code(code, language="python")`'s filtered code, with, for each
    of its characters, the start and end index in `code` of the token it stands for."""
    from pygments import token
    from pygments.lexers import PythonLexer

    names = {token.Name, token.Name.Variable, token.Name.Attribute}
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for i, t, v in PythonLexer().get_tokens_unprocessed(code):
        if t in names:
            sub = "V"
        elif t in token.Name.Function:
            sub = "F"
        elif t in token.Name.Class:
            sub = "O"
        elif t == token.Comment.Preproc or t == token.Comment.Hashbang:
            sub = "P"
        elif t in token.Text or t in token.Comment:
            continue
        elif t in token.Literal.String:
            sub = '"' if v in ("'", '"') else "S"
        else:  # kept as written, character by character
            out.append(v)
            starts.extend(range(i, i + len(v)))
            ends.extend(range(i + 1, i + len(v) + 1))
            continue
        out.append(sub)
        starts.append(i)
        ends.append(i + len(v))
    return "".join(out), starts, ends


def _normalise(text: str, kind: str) -> tuple[str, list[int], list[int]]:
    return _filter_code(text) if kind == CODE else _normalise_text(text)


def _fingerprint(name: str, normalised: str, kind: str):
    """copydetect's fingerprint of filtered code or normalised text (its own filter off)."""
    from copydetect import CodeFingerprint

    k = K_CODE if kind == CODE else K_TEXT
    return CodeFingerprint(name, k, WINDOW, filter=False, fp=io.StringIO(normalised))


def _remove(fp, boilerplate: set[int]):
    """Drop the boilerplate's fingerprints and recount the characters the rest covers."""
    from copydetect.utils import get_token_coverage

    kept = {int(h): idx for h, idx in fp.hash_idx.items() if int(h) not in boilerplate}
    fp.hash_idx = kept
    fp.hashes = set(kept)
    fp.token_coverage = get_token_coverage(kept, fp.k, len(fp.filtered_code))
    return fp


@dataclass
class _Answer:
    kind: str  # CODE or TEXT
    raw: str  # as handed in (line ends made \n)
    fp: object  # copydetect.CodeFingerprint of the filtered/normalised text, boilerplate removed
    starts: list[int]  # filtered index -> start in raw ...
    ends: list[int]  # ... and end


class _Lesson:
    """What the released notebook gave every student: the boilerplate, each answer cell's
    stub and kind."""

    def __init__(self, course: Course, assignment: str):
        nb = _read(course.release_notebook(assignment))
        released = nb is not None
        if nb is None:  # not released in this folder: the instructor's notebook, solutions aside
            nb = _read(course.source_notebook(assignment))
        try:
            cells = list(nb.cells) if nb is not None else []
        except (AttributeError, TypeError):
            cells = []
        self.stub: dict[str, str] = {}
        self.kind: dict[str, str] = {}
        code, text = [*CODE_STUBS.values()], [*TEXT_STUBS.values()]
        for cell in cells:
            r, gid, source = role(cell), grade_id(cell), str(cell.get("source", ""))
            markdown = cell.get("cell_type") == "markdown"
            if r in ("answer", "manual") and gid:
                self.kind[gid] = TEXT if markdown else CODE
                if not released:  # the source holds the solution: the stubs stand for it
                    self.stub[gid] = "\n".join((TEXT_STUBS if markdown else CODE_STUBS).values())
                    continue
                self.stub[gid] = source
            if markdown:
                text.append(source)
                code += _code_spans(source)
            elif cell.get("cell_type") == "code":
                code.append(source)
        self.boilerplate = {CODE: self._hashes(code, CODE), TEXT: self._hashes(text, TEXT)}

    @staticmethod
    def _hashes(texts: list[str], kind: str) -> set[int]:
        out: set[int] = set()
        for i, t in enumerate(texts):
            try:
                normalised = _normalise(t, kind)[0]
                out |= {int(h) for h in _fingerprint(f"boilerplate{i}", normalised, kind).hashes}
            except Exception:  # noqa: BLE001 - too short or not lexable: nothing to remove
                continue
        return out

    def answer(self, name: str, gid: str, cell_type: str, text: str) -> _Answer | None:
        """The answer's fingerprint, or None when it is skipped (see the module docstring).
        The kind is the released cell's (a student may have changed the cell's type)."""
        kind = self.kind.get(gid) or (TEXT if cell_type == "markdown" else CODE)
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        if not text.strip() or _unanswered(text, kind, self.stub.get(gid, "")):
            return None
        try:
            normalised, starts, ends = _normalise(text, kind)
            fp = _fingerprint(name, normalised, kind)
        except Exception:  # noqa: BLE001 - a lexer failure skips this one answer
            return None
        _remove(fp, self.boilerplate[kind])
        if fp.token_coverage < (MIN_OWN_CODE if kind == CODE else MIN_OWN_TEXT):
            return None
        return _Answer(kind, text, fp, starts, ends)


_SPANS = re.compile(r"```[^\n]*\n(.*?)```|`([^`\n]+)`", re.S)


def _code_spans(markdown: str) -> list[str]:
    """The code of a markdown cell: fenced blocks and inline `code`."""
    return [a or b for a, b in _SPANS.findall(markdown)]


_LESSONS: dict[tuple, _Lesson] = {}


def _lesson(course: Course, assignment: str) -> _Lesson:
    """The assignment's `_Lesson`, built once per version of its notebooks (the report asks
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
        _LESSONS[key] = _Lesson(course, assignment)
    return _LESSONS[key]


def _fingerprints(course: Course, assignment: str, students: set[str] | None = None,
                  exercise: str | None = None) -> dict[str, dict[str, _Answer]]:
    """{exercise: {student: fingerprinted answer}}, skipped answers left out."""
    lesson = _lesson(course, assignment)
    out: dict[str, dict[str, _Answer]] = {}
    for student, cells in _submitted(course, assignment, students).items():
        for gid, (cell_type, text) in cells.items():
            if exercise is not None and gid != exercise:
                continue
            found = lesson.answer(f"{student}/{gid}", gid, cell_type, text)
            if found is not None:
                out.setdefault(gid, {})[student] = found
    return out


# --- comparing --------------------------------------------------------------------------------

def _compare(a: _Answer, b: _Answer) -> tuple[float, list[tuple[int, int]], list[tuple[int, int]]]:
    """(score, the ranges of a's raw text found in b, and of b's found in a)."""
    from copydetect import compare_files

    if a.kind != b.kind or a.fp.hashes.isdisjoint(b.fp.hashes):
        return 0.0, [], []
    _overlap, (sim_a, sim_b), (slices_a, slices_b) = compare_files(a.fp, b.fp)
    score = min(1.0, max(0.0, (float(sim_a) + float(sim_b)) / 2))
    return score, _raw_ranges(a, slices_a), _raw_ranges(b, slices_b)


def _raw_ranges(answer: _Answer, slices) -> list[tuple[int, int]]:
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
