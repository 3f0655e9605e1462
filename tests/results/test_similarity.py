"""Who may have copied, on a class of lesson 01 (pt) with known answers, read from submitted/
(nothing graded, nothing re-run):

  copy_a, copy_b   the same notebook, answers of their own (the lessons' CORRECT variants, a
                   written answer of their own, a `<script>` in a comment)
  orig, renamed    the reference answers; the same code with every variable renamed, other
                   comments and blank lines, and the written answer re-flowed and re-cased
  blank_*          the released notebook untouched (one deleted the `# SEU CÓDIGO AQUI`
                   lines, which is no answer either)
  indep_*          answers written independently: other variants of answers.py, written
                   answers of their own; every multiple-choice letter is the same (skipped)
  broken           a notebook that is not JSON (skipped, no exception)

Also: lesson 02's one-line J_func is never compared; a class of 100 students x 6 answer cells, timed (printed, never asserted)."""
from __future__ import annotations

import csv
import difflib
import random
import shutil
import time

import nbformat
import pytest

from conftest import scratch_course
from course.authoring import build, release
from course.authoring.lesson_format import read_lesson
from course.authoring.notebooks import fill, solutions
from course.lessons import lesson_file, load_answers
from course.results import fingerprints, similarity

A = "01_graph_pt"
ANSWERS = load_answers("01_graph")
WRONG, CORRECT = ANSWERS.WRONG, ANSWERS.CORRECT
SCRIPT = "<script>alert('copied')</script>"
CODE_EXERCISES = ("forward", "manual_backward", "grad_fn_names")
LETTERS = ("answer_backward_twice", "answer_accumulation")
WRITTEN = "explain_accumulation"

RENAMED = {
    "forward": '''def forward(inputs, weight, target):
    # prediction first
    pred = inputs * weight

    err = pred - target        # residual
    sq = err ** 2
    total = sq.sum()
    return pred, err, sq, total
''',
    "manual_backward": '''def manual_backward(xs, weight, ys):
    # chain rule, node by node
    residual = xs * weight - ys
    g_sq = torch.ones_like(residual)

    g_res = g_sq * 2 * residual
    g_pred = g_res
    g_weight = (g_pred * xs).sum().reshape(weight.shape)  # one weight: sum over samples
    return {"e2": g_sq, "e": g_res, "y_pred": g_pred, "w": g_weight}
''',
    "grad_fn_names": '''def grad_fn_names(tensor):
    # breadth-first walk of the graph
    from collections import deque
    if tensor.grad_fn is None:
        return []

    visited = {tensor.grad_fn}
    fila = deque([tensor.grad_fn])   # the queue
    result = []
    while fila:
        current = fila.popleft()
        result.append(type(current).__name__)

        for nxt, _idx in current.next_functions:
            if nxt is not None and nxt not in visited:
                visited.add(nxt)
                fila.append(nxt)
    return result
''',
}

TEXT_COPY = ("Sem zerar, cada chamada de backward soma no gradiente que já estava guardado, e a "
             "atualização fica enorme depois de alguns passos. Acumular é útil quando a memória "
             "não comporta o batch inteiro: dividimos em partes e somamos os gradientes antes "
             "do step.")
TEXTS = [
    "Se não zerar, o w.grad vai somando os gradientes de todas as iterações, então o passo "
    "fica errado e cada vez maior, e o treino pode divergir. Acumular serve quando o lote não "
    "cabe na GPU: faço vários backward em pedaços menores e só depois chamo optimizer.step().",
    "O gradiente antigo continua lá e o novo é somado a ele. Com isso a direção de descida "
    "deixa de ser a da perda atual e os pesos oscilam. É útil acumular de propósito para "
    "simular lotes grandes, ou quando somamos duas perdas diferentes em chamadas separadas.",
    "Esquecendo de zerar, w.grad guarda a soma de tudo desde o início, e a atualização usa "
    "esse valor acumulado em vez do gradiente atual. Um caso útil: treinar com mini-batches "
    "pequenos e acumular por 4 passos antes de atualizar, como se o batch fosse 4x maior.",
]
# Independent writers: per code exercise, a different variant each (none of them one edit of
# another: see the module docstring of similarity for what one edit scores).
INDEPENDENT = [
    {"forward": WRONG["forward"]["graph broken by .item()"].code,
     "manual_backward": WRONG["manual_backward"]["uses autograd"].code,
     "grad_fn_names": WRONG["grad_fn_names"]["no visited set"].code},
    {"forward": WRONG["forward"]["writes w.grad"].code,
     "manual_backward": WRONG["manual_backward"]["hard-coded lesson values"].code,
     "grad_fn_names": WRONG["grad_fn_names"]["no special case for leaves"].code},
    {"forward": WRONG["forward"]["e sign flipped"].code,
     "manual_backward": WRONG["manual_backward"]["w not summed over samples"].code,
     "grad_fn_names": WRONG["grad_fn_names"]["keeps None"].code},
]
OWN = {"forward": CORRECT["forward"]["one line each, pow"],
       "manual_backward": CORRECT["manual_backward"]["with a dot product"],
       "grad_fn_names": CORRECT["grad_fn_names"]["recursion by levels"] + "\n# " + SCRIPT,
       WRITTEN: TEXT_COPY}


def submit(course, student, nb, assignment=A):
    target = course.submitted_notebook(student, assignment)
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, target)


def scratch(path, lesson="01_graph"):
    course = scratch_course(path)
    build.write_tree(build.build_all([read_lesson(lesson_file(lesson))]), course.source_dir)
    release.generate(course, f"{lesson}_pt")
    return course


def reflowed(text: str) -> str:
    """The same words, another layout, case and punctuation (what an editor or a copier does)."""
    return "\n".join(w.upper() if i % 7 == 0 else w
                     for i, w in enumerate(text.replace(",", " ;").split()))


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    course = scratch(tmp_path_factory.mktemp("similarity") / "course")
    src = nbformat.read(course.source_notebook(A), as_version=4)
    rel = nbformat.read(course.release_notebook(A), as_version=4)
    ref = solutions(src)
    letters = {"answer_backward_twice": 'answer_backward_twice = "b"',
               "answer_accumulation": 'answer_accumulation = "c"'}
    submit(course, "copy_a", fill(rel, {**letters, **OWN}))
    submit(course, "copy_b", fill(rel, {**letters, **OWN}))
    submit(course, "orig", fill(rel, ref))
    submit(course, "renamed", fill(rel, {**letters, **RENAMED, WRITTEN: reflowed(ref[WRITTEN])}))
    submit(course, "blank_1", rel)
    submit(course, "blank_2", rel)
    no_comment = {c.metadata.nbgrader["grade_id"]: "\n".join(
        ln for ln in c.source.splitlines() if "SEU CÓDIGO" not in ln)
        for c in rel.cells if c.get("metadata", {}).get("nbgrader", {}).get("solution")}
    submit(course, "blank_3", fill(rel, no_comment))
    for i, (answers, text) in enumerate(zip(INDEPENDENT, TEXTS), 1):
        submit(course, f"indep_{i}", fill(rel, {**letters, **answers, WRITTEN: text}))
    broken = course.submitted_notebook("broken", A)
    broken.parent.mkdir(parents=True, exist_ok=True)
    broken.write_text("{ not a notebook", encoding="utf-8")
    return course


@pytest.fixture(scope="module")
def found(course):
    return similarity.pairs(course, A)


def scores(found):
    return {(p.student_a, p.student_b, p.exercise): p.score for p in found}


def test_the_renamed_copy_really_is_renamed(course):
    """The test's own premise: the renamed answers differ as text from the reference."""
    ref = solutions(nbformat.read(course.source_notebook(A), as_version=4))
    for exercise, code in RENAMED.items():
        assert difflib.SequenceMatcher(None, ref[exercise], code).ratio() < 0.8, exercise


def test_identical_submissions_are_found_on_every_compared_exercise(found):
    got = scores(found)
    for exercise in (*CODE_EXERCISES, WRITTEN):
        assert got.get(("copy_a", "copy_b", exercise), 0) >= similarity.THRESHOLD, exercise
        assert got[("copy_a", "copy_b", exercise)] == pytest.approx(1.0)


def test_renamed_variables_and_new_comments_do_not_hide_a_copy(found):
    got = scores(found)
    for exercise in (*CODE_EXERCISES, WRITTEN):
        assert got.get(("orig", "renamed", exercise), 0) >= similarity.THRESHOLD, exercise


def test_untouched_stubs_make_no_pair_at_all(found):
    assert not [p for p in found if {p.student_a, p.student_b} & {"blank_1", "blank_2", "blank_3"}]


def test_a_multiple_choice_letter_cannot_show_copying(found):
    """Everyone answered "b" and "c": the letter cells are skipped, not listed at 1.0."""
    assert not [p for p in found if p.exercise in LETTERS]


def test_a_one_line_answer_cannot_show_copying(tmp_path):
    """Lesson 02: everyone who is right writes J_func's one line alike
    (`return ((x * w - y) ** 2).sum()`): two students with the reference answers pair on the
    longer exercises, never on that one nor on the letters."""
    a = "02_finite_differences_pt"
    course = scratch(tmp_path / "course", "02_finite_differences")
    rel = nbformat.read(course.release_notebook(a), as_version=4)
    ref = solutions(nbformat.read(course.source_notebook(a), as_version=4))
    assert len(ref["J_func"].strip().splitlines()) == 2
    for student in ("ana", "bia"):
        submit(course, student, fill(rel, ref), a)
    got = {p.exercise: p.score for p in similarity.pairs(course, a)}
    assert got.get("numerical_grad") == pytest.approx(1.0)
    assert "J_func" not in got
    assert not [e for e in got if e.startswith("answer_")]
    shutil.rmtree(course.root, ignore_errors=True)


def test_independent_answers_score_below_the_threshold(found):
    """Every pair that is not one of the two copies stays below THRESHOLD, on every exercise
    (the independent writers among themselves, and against the copiers and the reference)."""
    copies = {("copy_a", "copy_b"), ("orig", "renamed")}
    listed = [p for p in found if p.score >= similarity.THRESHOLD
              and (p.student_a, p.student_b) not in copies]
    assert listed == []
    indep = [p for p in found if p.student_a.startswith("indep") and p.student_b.startswith("indep")]
    assert indep and max(p.score for p in indep) < similarity.THRESHOLD


def test_pairs_are_ordered_and_symmetric(course, found):
    assert [p.score for p in found] == sorted((p.score for p in found), reverse=True)
    assert all(p.student_a < p.student_b and 0 < p.score <= 1 for p in found)
    assert similarity.pairs(course, A, threshold=similarity.THRESHOLD) == [
        p for p in found if p.score >= similarity.THRESHOLD]


def test_answer_texts_read_the_submitted_notebooks_and_skip_an_unreadable_one(course):
    texts = similarity.answer_texts(course, A)
    assert "broken" not in texts
    assert texts["copy_a"]["grad_fn_names"] == OWN["grad_fn_names"]
    assert set(texts["blank_1"]) == {*CODE_EXERCISES, *LETTERS, WRITTEN}


def test_csv_has_the_columns_and_three_decimals(found, tmp_path):
    out = similarity.write_csv(found, tmp_path / "sub" / "similarity.csv")
    with out.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == ["student_a", "student_b", "exercise", "score"]
    assert len(rows) == len(found)
    assert rows[0]["score"] == "1.000"
    assert all(len(r["score"].split(".")[1]) == 3 for r in rows)


def test_side_by_side_escapes_and_marks_what_is_shared(course):
    page = similarity.side_by_side(course, A, similarity.Pair("copy_a", "copy_b",
                                                             "grad_fn_names", 1.0))
    assert SCRIPT not in page and "<script" not in page
    assert "&lt;script&gt;" in page
    assert page.count("<pre") == 2 and "<mark>" in page
    renamed = similarity.side_by_side(course, A, similarity.Pair("orig", "renamed",
                                                                "grad_fn_names", 1.0))
    assert "visited.add(nxt)" in renamed.replace("<mark>", "").replace("</mark>", "")
    assert "<mark>" in renamed


def test_the_code_filter_is_copydetects():
    """`fingerprints.filter_code` gives copydetect's own filtered code (so the fingerprints are those of
    `filter=True`) for every answer of every lesson, and maps each character back to the token
    it stands for."""
    from copydetect.utils import filter_code

    from course.lessons import slugs

    tricky = ['\n\n# lead\ndef f(a):\n    """doc"""\n    return f"{a!r} x" + \'\'\'s\'\'\'\n',
              "@torch.no_grad()\ndef g(J, v):\n\treturn J @v  # matmul\n", "x = 1\r\ny = 2"]
    codes = tricky + [c for s in slugs() for ex in load_answers(s).CORRECT.values()
                      for c in ex.values()]
    codes += [w.code for s in slugs() for ex in load_answers(s).WRONG.values() for w in ex.values()]
    for code in codes:
        filtered, starts, ends = fingerprints.filter_code(code)
        assert filtered == filter_code(code, "answer.py", "python")[0], code
        assert len(starts) == len(ends) == len(filtered)
        for c, s, e in zip(filtered, starts, ends):
            assert 0 <= s < e <= len(code)
            assert c in "VFOSP\"" or code[s:e] == c


def test_a_class_of_100_students(tmp_path):
    """~30k comparisons (100 x 99 / 2 pairs x 6 answer cells): the time is printed."""
    course = scratch(tmp_path / "course")
    src = nbformat.read(course.source_notebook(A), as_version=4)
    rel = nbformat.read(course.release_notebook(A), as_version=4)
    ref = solutions(src)
    rnd = random.Random(0)
    pool = {ex: [ref[ex], *(w.code for w in WRONG[ex].values()), *CORRECT[ex].values()]
            for ex in (*CODE_EXERCISES, *LETTERS)}
    texts = [ref[WRITTEN], TEXT_COPY, *TEXTS]
    for i in range(100):
        answers = {ex: rnd.choice(options) + f"\n# student {i}" for ex, options in pool.items()}
        answers[WRITTEN] = rnd.choice(texts) + f" Aluno {i}."
        submit(course, f"s{i:03d}", fill(rel, answers))
    start = time.perf_counter()
    found = similarity.pairs(course, A)
    took = time.perf_counter() - start
    start = time.perf_counter()
    pages = [similarity.side_by_side(course, A, p) for p in found[:20]]
    each = (time.perf_counter() - start) / len(pages)
    print(f"\nsimilarity of 100 students x {len(pool) + 1} answer cells: {took:.1f} s, "
          f"{len(found)} pairs with a score, "
          f"{sum(p.score >= similarity.THRESHOLD for p in found)} above the threshold; "
          f"a side-by-side page {each * 1000:.0f} ms")
    assert found and all(p.exercise not in LETTERS for p in found)
    shutil.rmtree(course.root, ignore_errors=True)
