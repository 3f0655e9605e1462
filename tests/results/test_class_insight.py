"""What the class got wrong and who may have copied, on a class of known answers (lesson 03, pt):
five students forget to reset the gradient in gd_autograd, three take the mean instead of the
sum in gd_finite_diff, two hand in the same train_step with renamed variables, two copy each
other exactly, the rest are right or leave everything blank.  Counts must be exact; the report
is read from the gradebook and the notebooks, nothing re-run."""
from __future__ import annotations

import csv
import shutil
import time
import uuid

import pytest

from conftest import hand_in, reference_answers, released_course
from course.authoring import release
from course.grading import grade
from course.lessons import load_answers
from course.results import report, report_all

pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore:.*not in session.*")]

A = "03_gradient_descent_pt"
WRONG = load_answers("03_gradient_descent").WRONG
NO_RESET = WRONG["gd_autograd"]["gradient never reset"].code
MEAN = WRONG["gd_finite_diff"]["mean instead of sum"].code
STEP_RENAMED = '''def train_step(net, inputs, targets, criterion, opt):
    # clear old gradients first
    opt.zero_grad()
    out = criterion(net(inputs), targets)
    out.backward()
    opt.step()
    return out.item()'''
STEP_ORIGINAL = '''def train_step(model, x, y, loss_fn, optimizer):
    optimizer.zero_grad()
    loss = loss_fn(model(x), y)

    loss.backward()
    optimizer.step()
    return loss.item()'''
STEP_OWN = '''def train_step(model, x, y, loss_fn, optimizer):
    for p in model.parameters():
        p.grad = None
    prediction = model(x)
    value = loss_fn(prediction, y)
    value.backward()
    optimizer.step()
    return float(value.detach())'''


def class_of(ref: dict) -> dict:
    subs = {}
    for i in range(5):
        subs[f"noreset{i}"] = {**ref, "gd_autograd": NO_RESET, "train_step": STEP_OWN}
    for i in range(3):
        subs[f"mean{i}"] = {**ref, "gd_finite_diff": MEAN, "train_step": STEP_OWN}
    subs["renamer"] = {**ref, "train_step": STEP_RENAMED}
    subs["original"] = {**ref, "train_step": STEP_ORIGINAL}
    subs["copy_a"] = {**ref, "train_step": STEP_OWN + "\n# mine"}
    subs["copy_b"] = {**ref, "train_step": STEP_OWN + "\n# mine"}
    subs["right"] = ref
    subs["blank_a"] = None
    subs["blank_b"] = None
    return subs


@pytest.fixture(scope="module")
def reported(root):
    course = released_course(root / "build" / f"insight-{uuid.uuid4().hex[:8]}",
                             "03_gradient_descent", A)
    ref = reference_answers(course, A)
    for student, answers in class_of(ref).items():
        hand_in(course, A, student, answers)
    _, failed = grade.grade(course, A, jobs=2, progress=False)
    assert failed == {}
    start = time.perf_counter()
    report.generate(course, A)
    print(f"\nreport of {len(class_of(ref))} students: "
          f"{time.perf_counter() - start:.1f} s")
    yield course
    shutil.rmtree(course.root, ignore_errors=True)


def rows(course, name):
    with (course.reports_dir(A) / name).open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def groups(course, exercise):
    return {r["mistake"]: (int(r["count"]), set(r["students"].split(";")))
            for r in rows(course, "mistakes.csv") if r["exercise"] == exercise}


def test_exact_counts_per_mistake_and_exercise(reported):
    autograd = groups(reported, "test_gd_autograd")
    assert autograd["grad_not_reset"] == (5, {f"noreset{i}" for i in range(5)})
    assert autograd["(not answered)"] == (2, {"blank_a", "blank_b"})
    assert autograd["(correct)"][0] == 15 - 5 - 2
    fd = groups(reported, "test_gd_finite_diff")
    assert fd["fd_mean_instead_of_sum"] == (3, {"mean0", "mean1", "mean2"})
    assert fd["(correct)"][0] == 15 - 3 - 2
    assert set(fd) == {"fd_mean_instead_of_sum", "(correct)", "(not answered)"}


def test_every_student_counted_once_per_exercise(reported):
    for exercise in {r["exercise"] for r in rows(reported, "mistakes.csv")}:
        counted = [s for n, students in groups(reported, exercise).values() for s in students]
        assert len(counted) == len(set(counted)) == 15


def test_the_message_students_read_is_in_the_csv_and_the_summary(reported):
    message = next(r["message"] for r in rows(reported, "mistakes.csv")
                   if r["mistake"] == "grad_not_reset")
    assert "zerado" in message  # the pt sentence of grad_not_reset, fields shown as …
    html = (reported.reports_dir(A) / "summary.html").read_text(encoding="utf-8")
    assert "grad_not_reset" in html and "não foi zerado" in html
    assert (reported.reports_dir(A) / "mistakes.png").stat().st_size > 1000


def test_copied_pairs_are_found_and_untouched_stubs_are_not(reported):
    pairs = {(r["student_a"], r["student_b"], r["exercise"]): float(r["score"])
             for r in rows(reported, "similarity.csv")}
    from course.results.similarity import THRESHOLD

    listed = {k for k, v in pairs.items() if v >= THRESHOLD}
    assert ("copy_a", "copy_b", "train_step") in listed
    assert ("original", "renamer", "train_step") in listed
    assert not any("blank_a" in k and "blank_b" in k for k in pairs)
    html = (reported.reports_dir(A) / "summary.html").read_text(encoding="utf-8")
    assert "never a penalty" in html and "copy_a" in html


def test_item_analysis_in_the_summary(reported):
    html = (reported.reports_dir(A) / "summary.html").read_text(encoding="utf-8")
    assert "Item analysis" in html and "discrimination" in html


def test_the_summary_speaks_the_instructors_language(reported, monkeypatch):
    monkeypatch.setenv("COURSE_INSTRUCTOR_LANG", "es")
    report.generate(reported, A)
    html = (reported.reports_dir(A) / "summary.html").read_text(encoding="utf-8")
    assert "En qué se equivocó el grupo" in html and "(no respondió)" in html
    assert "What the class got wrong" not in html
    assert "<th>con nota máxima</th>" in html  # a count of students, not "the top grade"
    monkeypatch.setenv("COURSE_INSTRUCTOR_LANG", "pt")
    report.generate(reported, A)
    html = (reported.reports_dir(A) / "summary.html").read_text(encoding="utf-8")
    assert "O que a turma errou" in html and "Análise dos itens" in html
    assert "<th>com nota máxima</th>" in html


def test_report_all_puts_both_languages_of_a_lesson_together(reported):
    """The es copy of the same class counts with the pt one, lesson by lesson."""
    es = "03_gradient_descent_es"
    release.generate(reported, es)
    ref = reference_answers(reported, es)
    for student, answers in {"esnoreset": {**ref, "gd_autograd": NO_RESET}, "esright": ref}.items():
        hand_in(reported, es, student, answers)
    _, failed = grade.grade(reported, es, jobs=2, progress=False)
    assert failed == {}
    written = report_all.generate_all(reported)
    out = reported.reports_root / "all"
    assert out / "summary.html" in written
    merged = [r for r in csv.DictReader((out / "mistakes.csv").open(encoding="utf-8"))
              if r["exercise"] == "test_gd_autograd" and r["mistake"] == "grad_not_reset"]
    assert merged[0]["lesson"] == "03_gradient_descent" and int(merged[0]["count"]) == 6
    page = (out / "summary.html").read_text(encoding="utf-8")
    assert es in page and A in page


def test_honest_work_is_never_reported_as_tampering(reported):
    """Lesson 03 imports torch's optimizers (which re-wrap torch.manual_seed): no submission of
    this class changed the grading machinery, and the report must not say otherwise."""
    from course import attention

    assert [e for e in attention.load(reported, A) if e.kind in ("restored", "tampered")] == []


def test_a_long_list_of_similar_pairs_is_capped_on_the_page(reported, monkeypatch):
    monkeypatch.setattr(report, "MAX_LISTED", 1)
    monkeypatch.setenv("COURSE_INSTRUCTOR_LANG", "en")
    report.generate(reported, A)
    out = reported.reports_dir(A)
    assert len(list((out / "similar").glob("*.html"))) == 1
    html = (out / "summary.html").read_text(encoding="utf-8")
    assert "The 1 most similar of" in html
    assert len(rows(reported, "similarity.csv")) > 1
