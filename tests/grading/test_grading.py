"""Real nbgrader autograde on a scratch course built from the committed notebooks: the solution
gets full marks, the blank release gets 0 without crashing later cells, one wrong answer costs
exactly its exercise's points, and a torch warning does not zero a passing test."""
from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest

from conftest import scratch_course
from course.authoring import release
from course.authoring.lesson_format import cell_role, read_all
from course import attention
from course.grading import grade
from course.lessons import load_answers
from course.results import mistakes

pytestmark = [pytest.mark.slow,
              pytest.mark.filterwarnings("ignore:.*not in session.*")]

LESSONS = read_all()
WARNING_FORWARD = '''def forward(x, w, y):
    y_pred = x * w
    _ = y_pred.grad
    e = y_pred - y
    e2 = e ** 2
    return y_pred, e, e2, e2.sum()'''


def _first_wrong(lesson):
    """(answer grade_id, the Wrong answer, grade_ids of its test cells) for the first exercise
    that has wrong answers and that no later answer calls (so its mistake cannot cascade)."""
    mod = load_answers(lesson.slug)
    cells = lesson.cells_for("pt")
    for i, cell in enumerate(cells):
        if cell_role(cell) != "answer" or not mod or cell.grade_id not in mod.WRONG:
            continue
        later = [c.source for c in cells[i + 1:] if cell_role(c) == "answer"]
        if any(cell.grade_id in src for src in later):
            continue
        tests = []
        for nxt in cells[i + 1:]:
            if cell_role(nxt) == "answer":
                break
            if cell_role(nxt) == "test":
                tests.append(nxt.grade_id)
        wrong = next(iter(mod.WRONG[cell.grade_id].values()))
        return cell.grade_id, wrong, tests
    pytest.skip(f"{lesson.slug} has no variants")


def _submit(root: Path, student: str, assignment: str, nb) -> None:
    target = root / "submitted" / student / assignment / f"{assignment}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, target)


@pytest.fixture(scope="module")
def graded(root, tmp_path_factory):
    """Grade every assignment once: {assignment: ({student: {grade_id: score}}, autograded dir)}."""
    from course.authoring.notebooks import fill, solutions

    course = scratch_course(tmp_path_factory.mktemp("course"))
    shutil.copytree(root / "source", course.source_dir)
    results = {}
    for lesson in LESSONS:
        for lang in ("pt", "es"):
            a = lesson.assignment(lang)
            release.generate(course, a)
            src = nbformat.read(course.source_notebook(a), as_version=4)
            rel = nbformat.read(course.release_notebook(a), as_version=4)
            ref = solutions(src)
            _submit(course.root, "solution", a, fill(rel, ref))
            _submit(course.root, "blank", a, rel)
            gid, wrong, _ = _first_wrong(lesson)
            _submit(course.root, "one_wrong", a, fill(rel, {**ref, gid: wrong.code}))
            if lesson.slug == "01_graph":
                _submit(course.root, "warning", a,
                        fill(rel, {**ref, "forward": WARNING_FORWARD}))
            rows, failed = grade.grade(course, a)
            assert failed == {}
            results[a] = ({r.student: r.cells for r in rows}, course.autograded_dir,
                          mistakes.of_assignment(course, a))
            ATTENTION[a] = attention.load(course, a)
    return results


ATTENTION: dict = {}  # assignment -> its attention entries, filled by `graded`


def _auto_max(lesson, lang="pt"):
    return {c.grade_id: float(c.nbgrader["points"]) for c in lesson.cells_for(lang)
            if cell_role(c) == "test"}


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda l: l.slug)
@pytest.mark.parametrize("lang", ["pt", "es"])
def test_the_solution_asks_for_no_attention(graded, lesson, lang):
    """No restore, refusal, flag or incident for a reference solution in a real kernel: what
    the guard puts back before each hidden test (torch's optimizers, modules, loaders…) is
    only what a submission changed, never what honest code does with torch."""
    entries = [e for e in ATTENTION[lesson.assignment(lang)] if e.student == "solution"]
    assert entries == [], [e.reason for e in entries]


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda l: l.slug)
@pytest.mark.parametrize("lang", ["pt", "es"])
def test_solution_gets_full_marks(graded, lesson, lang):
    cells, _, _ = graded[lesson.assignment(lang)]
    got = {k: v for k, v in cells["solution"].items() if k in _auto_max(lesson)}
    assert got == _auto_max(lesson)


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda l: l.slug)
@pytest.mark.parametrize("lang", ["pt", "es"])
def test_blank_release_gets_zero_and_every_cell_runs(graded, lesson, lang):
    a = lesson.assignment(lang)
    cells, autograded, _ = graded[a]
    assert all(cells["blank"][k] == 0 for k in _auto_max(lesson))
    nb = nbformat.read(autograded / "blank" / a / f"{a}.ipynb", as_version=4)
    tests = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")
             and c.cell_type == "code"]
    assert tests and all(c.get("execution_count") for c in tests), "a later cell did not run"
    last_code = [c for c in nb.cells if c.cell_type == "code"][-1]
    assert last_code.get("execution_count"), "the run did not reach the end"


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda l: l.slug)
@pytest.mark.parametrize("lang", ["pt", "es"])
def test_one_wrong_answer_loses_exactly_its_points(graded, lesson, lang):
    """Every other exercise keeps all its points; this exercise loses points (all of them when
    it has one test cell; partial credit stays where it has several)."""
    a = lesson.assignment(lang)
    cells, autograded, _ = graded[a]
    _, _, mine = _first_wrong(lesson)
    full = _auto_max(lesson)
    got = {k: cells["one_wrong"][k] for k in full}
    assert {k: v for k, v in got.items() if k not in mine} == \
        {k: v for k, v in full.items() if k not in mine}
    assert sum(got[k] for k in mine) < sum(full[k] for k in mine)
    if len(mine) == 1:
        assert got[mine[0]] == 0
    nb = nbformat.read(autograded / "one_wrong" / a / f"{a}.ipynb", as_version=4)
    failing = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") in mine]
    trace = "\n".join("\n".join(o.get("traceback", [])) for c in failing for o in c.outputs
                      if o.output_type == "error")
    assert trace, "the failing test cell shows no error"
    for leak in ("BEGIN HIDDEN", "hidden_checks", "course/checks", "course/lessons",
                 "expect_close", "_reference", "load_checks"):
        assert leak not in trace, leak


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda l: l.slug)
@pytest.mark.parametrize("lang", ["pt", "es"])
def test_failed_hidden_test_records_the_declared_mistake(graded, lesson, lang):
    """When the wrong answer gets past the visible checks, the hidden test that fails records
    the very mistake id answers.py declares, as data in the autograded notebook; a failure of
    the visible check (lesson data, runs in Colab without the course package) records none,
    and neither does a passing notebook."""
    a = lesson.assignment(lang)
    _, autograded, recorded = graded[a]
    _, wrong, mine = _first_wrong(lesson)
    nb = nbformat.read(autograded / "one_wrong" / a / f"{a}.ipynb", as_version=4)
    errors = {c.metadata["nbgrader"]["grade_id"]: o.ename for c in nb.cells
              if c.metadata.get("nbgrader", {}).get("grade_id") in mine
              for o in c.outputs if o.output_type == "error"}
    first = next(g for g in mine if g in errors)
    if errors[first] == "CheckFailed":
        assert recorded["one_wrong"].get(first) == wrong.mistake
    else:
        assert errors[first] == "CheckError" and first not in recorded["one_wrong"]
    assert recorded["solution"] == {}


def test_some_lessons_reach_the_hidden_tests(graded):
    """(So the test above does check recorded ids, not only visible failures.)"""
    reached = [a for a, (_, _, rec) in graded.items() if rec["one_wrong"]]
    assert len(reached) >= 2, reached


def test_failure_message_is_in_the_notebooks_language(graded):
    msgs = {}
    for lang in ("pt", "es"):
        a = f"01_graph_{lang}"
        nb = nbformat.read(graded[a][1] / "one_wrong" / a / f"{a}.ipynb", as_version=4)
        cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") ==
                    "test_forward")
        msgs[lang] = " ".join(o.get("evalue", "") for o in cell.outputs)
    # the hidden test runs first and names the mistake, in the notebook's language
    assert "sinal trocado" in msgs["pt"] and "signo" not in msgs["pt"]
    assert "signo invertido" in msgs["es"] and "sinal" not in msgs["es"]


@pytest.mark.parametrize("lang", ["pt", "es"])
def test_torch_warning_in_a_test_cell_does_not_zero_it(graded, lang):
    a = f"01_graph_{lang}"
    cells, autograded, _ = graded[a]
    assert cells["warning"]["test_forward"] == 2.0


def test_the_warning_is_printed_by_the_visible_check_not_written_to_stderr(graded):
    """Even run without nbgrader_config's IgnorePattern (plain execution, another grader's
    config), the warning the student's code raises inside a visible check is printed to stdout
    in the notebook's language, so the cell keeps its points: before, it reached stderr and
    the cell scored 0."""
    from course.authoring.notebooks import execute, scores

    a = "01_graph_pt"
    nb = nbformat.read(graded[a][1].parent / "submitted" / "warning" / a / f"{a}.ipynb",
                       as_version=4)
    done = execute(nb)
    cell = next(c for c in done.cells
                if c.metadata.get("nbgrader", {}).get("grade_id") == "test_forward")
    assert not any(o.output_type == "stream" and o.name == "stderr" for o in cell.outputs)
    printed = "".join(o.text for o in cell.outputs if o.output_type == "stream")
    assert "seu código emitiu um aviso" in printed and "UserWarning" in printed
    assert scores(done)["test_forward"][0] == 2
