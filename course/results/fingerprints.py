"""Fingerprints of answers, for `similarity`: how an answer is normalised, what counts as
boilerplate or as no answer, and copydetect's winnowing fingerprints of the rest.

What is compared
  * Code goes through copydetect's filter (pygments' Python lexer): comments and whitespace
    dropped, every name `V`, defined functions `F`, classes `O`, string contents `S`; so
    renaming variables, rewording comments or re-indenting changes nothing.  `filter_code`
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
"""
from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass

from ..cells import CODE_STUBS, TEXT_STUBS, grade_id, role

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


def normalise_text(text: str) -> tuple[str, list[int], list[int]]:
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
        return {normalise_text(ln)[0] for ln in text.splitlines()} - {""}
    return {ln.strip() for ln in text.splitlines() if ln.strip() and not _COMMENT.match(ln)}


_ALL_STUBS = "\n".join((*CODE_STUBS.values(), *TEXT_STUBS.values()))


def unanswered(text: str, kind: str, stub: str) -> bool:
    """Nothing written, or only lines of the stub the cell was released with (comments aside:
    deleting `# YOUR CODE HERE` is no answer)."""
    return _lines(text, kind) <= _lines(stub, kind) | _lines(_ALL_STUBS, kind)


def filter_code(code: str) -> tuple[str, list[int], list[int]]:
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


def normalise(text: str, kind: str) -> tuple[str, list[int], list[int]]:
    return filter_code(text) if kind == CODE else normalise_text(text)


def fingerprint(name: str, normalised: str, kind: str):
    """copydetect's fingerprint of filtered code or normalised text (its own filter off)."""
    from copydetect import CodeFingerprint

    k = K_CODE if kind == CODE else K_TEXT
    return CodeFingerprint(name, k, WINDOW, filter=False, fp=io.StringIO(normalised))


def remove(fp, boilerplate: set[int]):
    """Drop the boilerplate's fingerprints and recount the characters the rest covers."""
    from copydetect.utils import get_token_coverage

    kept = {int(h): idx for h, idx in fp.hash_idx.items() if int(h) not in boilerplate}
    fp.hash_idx = kept
    fp.hashes = set(kept)
    fp.token_coverage = get_token_coverage(kept, fp.k, len(fp.filtered_code))
    return fp


@dataclass
class Answer:
    kind: str  # CODE or TEXT
    raw: str  # as handed in (line ends made \n)
    fp: object  # copydetect.CodeFingerprint of the filtered/normalised text, boilerplate removed
    starts: list[int]  # filtered index -> start in raw ...
    ends: list[int]  # ... and end


class Lesson:
    """What the released notebook gave every student: the boilerplate, each answer cell's
    stub and kind."""

    def __init__(self, cells: list, released: bool):
        """`cells`: the released notebook's (`released`), or else the instructor's, whose
        answer cells hold the solutions and so stand as the stubs."""
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
                code += code_spans(source)
            elif cell.get("cell_type") == "code":
                code.append(source)
        self.boilerplate = {CODE: self._hashes(code, CODE), TEXT: self._hashes(text, TEXT)}

    @staticmethod
    def _hashes(texts: list[str], kind: str) -> set[int]:
        out: set[int] = set()
        for i, t in enumerate(texts):
            try:
                normalised = normalise(t, kind)[0]
                out |= {int(h) for h in fingerprint(f"boilerplate{i}", normalised, kind).hashes}
            except Exception:  # noqa: BLE001 - too short or not lexable: nothing to remove
                continue
        return out

    def answer(self, name: str, gid: str, cell_type: str, text: str) -> Answer | None:
        """The answer's fingerprint, or None when it is skipped (see the module docstring).
        The kind is the released cell's (a student may have changed the cell's type)."""
        kind = self.kind.get(gid) or (TEXT if cell_type == "markdown" else CODE)
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        if not text.strip() or unanswered(text, kind, self.stub.get(gid, "")):
            return None
        try:
            normalised, starts, ends = normalise(text, kind)
            fp = fingerprint(name, normalised, kind)
        except Exception:  # noqa: BLE001 - a lexer failure skips this one answer
            return None
        remove(fp, self.boilerplate[kind])
        if fp.token_coverage < (MIN_OWN_CODE if kind == CODE else MIN_OWN_TEXT):
            return None
        return Answer(kind, text, fp, starts, ends)


_SPANS = re.compile(r"```[^\n]*\n(.*?)```|`([^`\n]+)`", re.S)


def code_spans(markdown: str) -> list[str]:
    """The code of a markdown cell: fenced blocks and inline `code`."""
    return [a or b for a, b in _SPANS.findall(markdown)]
