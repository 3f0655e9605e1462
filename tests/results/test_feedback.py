"""`course feedback`: one page per graded student, in the notebook's language, with the
student's code, points and the checks' messages — never the test cells' source."""
from __future__ import annotations

import contextlib
import html
import io
import re

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_output

import graded_course as gc
from course import attention
from course.results import feedback
from course.results.feedback_text import text

pytestmark = pytest.mark.filterwarnings("ignore:.*not in session.*")

STUDENTS = {gc.PT: ("ana", "bruno"), gc.ES: ("diego",)}


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """The graded class after `course feedback` ran for both assignments (pt twice)."""
    root = gc.build(tmp_path_factory.getbasetemp())
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        rcs = {a: feedback.main(root, a) for a in (gc.PT, gc.ES, gc.PT)}
    return root, rcs, err.getvalue()


def page(root, student, assignment) -> str:
    return root.feedback_page(student, assignment).read_text(encoding="utf-8")


def autograded(root, student, assignment):
    return nbformat.read(root.autograded_notebook(student, assignment), as_version=4)


def failure(nb, grade_id: str):
    cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)
    return next(o for o in cell.outputs if o.output_type == "error")


# --- fast: the message filter on hand-made cells ----------------------------------------------

def test_messages_keep_errors_and_prints_but_never_a_source_line():
    cell = new_code_cell("x_chk = secret_reference(3)\ncheck('x', f(x_chk), x_chk)", outputs=[
        new_output("stream", name="stdout", text="✓ y\n"),
        new_output("stream", name="stderr", text="  x_chk = secret_reference(3)\nboom\n"),
        new_output("error", ename="CheckFailed", evalue="x: valor errado.", traceback=["..."]),
    ])
    got = feedback.messages(cell, text("pt"))
    assert [(m.text, m.error) for m in got] == [("✓ y", False), ("boom", False),
                                                ("x: valor errado.", True)]


@pytest.mark.parametrize("lang", ["pt", "es"])
def test_empty_error_messages_are_explained_in_the_students_language(lang):
    words = text(lang)
    cell = new_code_cell("f()", outputs=[
        new_output("error", ename="NotImplementedError", evalue="", traceback=[]),
        new_output("error", ename="AssertionError", evalue="", traceback=[]),
        new_output("error", ename="NameError", evalue="name 'f' is not defined", traceback=[])])
    assert [m.text for m in feedback.messages(cell, words)] == [
        words["not_implemented"], words["bare_assert"], "NameError: name 'f' is not defined"]


# --- slow: real nbgrader grading ----------------------------------------------------------------

@pytest.mark.slow
def test_one_page_per_graded_student_and_none_for_the_ungraded(course):
    root, rcs, _ = course
    for a, students in STUDENTS.items():
        for student in students:
            assert root.feedback_page(student, a).is_file()
    assert not root.feedback_page("eva", gc.PT).exists()
    assert rcs == {gc.PT: 1, gc.ES: 0}


@pytest.mark.slow
def test_the_ungraded_submission_is_reported_once(course):
    root, _, err = course
    assert "eva" in err and "NO FEEDBACK" in err
    entries = [e for e in attention.load(root, gc.PT) if e.step == "feedback"]
    assert [(e.student, e.kind) for e in entries] == [("eva", "not_graded")]
    assert entries[0].file == f"submitted/eva/{gc.PT}/{gc.PT}.ipynb"
    assert not [e for e in attention.load(root, gc.ES) if e.step == "feedback"]


@pytest.mark.slow
@pytest.mark.parametrize("assignment,student,mine,other", [
    (gc.PT, "bruno", "Seu código", "Tu código"),
    (gc.PT, "ana", "Verificações", "Verificaciones"),
    (gc.ES, "diego", "Tu código", "Seu código"),
    (gc.ES, "diego", "Verificaciones", "Verificações"),
])
def test_page_is_in_the_notebooks_language(course, assignment, student, mine, other):
    text_ = page(course[0], student, assignment)
    assert mine in text_ and other not in text_
    assert f'lang="{text(assignment[-2:])["html_lang"]}"' in text_


@pytest.mark.slow
@pytest.mark.parametrize("assignment,student", [(gc.PT, "bruno"), (gc.ES, "diego")])
def test_page_shows_the_code_points_and_the_hidden_tests_localized_message(course, assignment,
                                                                           student):
    root = course[0]
    shown = html.unescape(page(root, student, assignment))
    err = failure(autograded(root, student, assignment), "test_forward")
    assert err.ename == "CheckFailed"  # passed the visible checks, failed a hidden one
    assert err.evalue in shown
    assert ("modificou a entrada" if assignment == gc.PT else "modificó la entrada") in shown
    assert "x.mul_(w)" in shown  # the student's own code
    assert "0 / 2" in shown  # forward: 2 points lost


@pytest.mark.slow
def test_points_manual_grades_and_grader_comments(course):
    root = course[0]
    bruno = html.unescape(page(root, "bruno", gc.PT))
    assert "8.5 / 12" in bruno  # 10 auto points - 2 (forward) - 1 (letter) + 1.5 by hand
    assert f"{text('pt')['manual']}: {gc.MANUAL_SCORE:g} / 2" in bruno
    assert gc.GRADER_COMMENT in bruno and text("pt")["manual_note_done"] in bruno
    ana = page(root, "ana", gc.PT)
    assert "10 / 12" in ana and text("pt")["manual_pending"] in ana
    assert text("pt")["manual_note_pending"] in ana


@pytest.mark.slow
@pytest.mark.parametrize("assignment,student", [(gc.PT, "ana"), (gc.PT, "bruno"),
                                                (gc.ES, "diego")])
def test_page_never_shows_test_code(course, assignment, student):
    root = course[0]
    raw = page(root, student, assignment)
    shown = html.unescape(raw)
    assert "BEGIN HIDDEN TESTS" not in shown and "hidden_checks" not in shown
    nb = autograded(root, student, assignment)
    answers = {ln.strip() for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution")
               for ln in c.source.splitlines()}
    tests = [c for c in nb.cells if c.cell_type == "code"
             and c.metadata.get("nbgrader", {}).get("grade")
             and not c.metadata["nbgrader"].get("solution")]
    assert tests and any("BEGIN HIDDEN TESTS" in c.source for c in tests)
    for cell in tests:
        for line in cell.source.splitlines():
            if len(line.strip()) >= 8 and line.strip() not in answers:
                assert line.strip() not in shown, f"test code leaked: {line!r}"


@pytest.mark.slow
def test_student_html_is_escaped(course):
    raw = page(course[0], "bruno", gc.PT)
    assert "<script>" not in raw and "&lt;script&gt;" in raw
    assert "<b>faltou</b>" not in raw and "&lt;b&gt;faltou&lt;/b&gt;" in raw


def test_recorded_mistakes_name_what_each_student_got_wrong(course):
    """bruno's `forward` modifies its input (past the visible checks) and his letter is wrong:
    each failed hidden test recorded its mistake id; ana recorded none."""
    from course.results import mistakes

    root = course[0]
    recorded = mistakes.of_assignment(root, gc.PT)
    assert recorded["ana"] == {}
    assert recorded["bruno"] == {"test_forward": "modified_input",
                                 "test_backward_twice": "choice_silent_none"}
    assert mistakes.of_assignment(root, gc.ES)["diego"] == {"test_forward": "modified_input"}


def test_nbgraders_own_feedback_button_shows_no_hidden_test(tmp_path_factory):
    """Formgrader's "Generate Feedback" runs nbgrader's GenerateFeedback with the course's
    nbgrader_config.py: the page must not quote any hidden-test line."""
    import shutil

    from course.course_folder import Course

    graded = gc.build(tmp_path_factory.getbasetemp())
    copy = Course(shutil.copytree(graded.root, tmp_path_factory.mktemp("nbfb") / "course"))
    result = copy.api("pt").generate_feedback(gc.PT, "bruno", force=True)
    assert result.get("success"), result
    shown = copy.feedback_page("bruno", gc.PT).read_text(encoding="utf-8")
    for secret in ("BEGIN HIDDEN", "hidden_checks", "load_checks", "_restore_pristine",
                   "_hidden_tests_passed"):
        assert secret not in shown, secret
    assert "hidden tests: not shown" in shown
    assert "y_pred_chk" in shown  # the visible part stays


# --- one numbering: the page labels exercises as the notebook does ------------------------------

def test_labels_follow_the_notebooks_headings_and_parts():
    from nbformat.v4 import new_markdown_cell, new_notebook

    def answer(gid, kind="code"):
        make = new_code_cell if kind == "code" else new_markdown_cell
        return make("", metadata={"nbgrader": {"solution": True, "grade_id": gid}})

    nb = new_notebook(cells=[
        new_markdown_cell("### Exercício 1 — forward"), answer("forward"),
        new_markdown_cell("### Exercício 4 — múltipla escolha\n\n**4a.** …\n\n**4b.** …"),
        answer("answer_x"), answer("answer_y"),
        new_markdown_cell("### Exercício 5 — resposta escrita"), answer("explain", "markdown")])
    assert feedback.exercise_labels(nb) == {"forward": "1", "answer_x": "4a", "answer_y": "4b",
                                            "explain": "5"}


@pytest.mark.parametrize("slug", [s for s in __import__("course.lessons", fromlist=["slugs"])
                                  .slugs()])
def test_every_exercise_of_every_lesson_has_one_label_in_both_languages(root, slug):
    """Every answer cell is numbered, the same in pt and es, no label twice."""
    labels = {}
    for lang in ("pt", "es"):
        a = f"{slug}_{lang}"
        nb = nbformat.read(root / "source" / a / f"{a}.ipynb", as_version=4)
        labels[lang] = feedback.exercise_labels(nb)
        answers = [c.metadata["nbgrader"]["grade_id"] for c in nb.cells
                   if c.metadata.get("nbgrader", {}).get("solution")]
        assert sorted(labels[lang]) == sorted(answers), f"{a}: exercises without a number"
        assert len(set(labels[lang].values())) == len(answers) or all(
            v.isdigit() for v in labels[lang].values()), f"{a}: a part label twice"
    assert labels["pt"] == labels["es"]


def test_formgrader_shows_a_submissions_html_and_javascript_outputs_without_running_them():
    """Formgrader renders each submission with nbconvert's HTMLExporter (its `formgrade`
    template) and the course's nbgrader_config.py: a `<script>` shown by the student's code
    (`display(HTML(...))`, `Javascript(...)`) would run in the grader's session, which can set
    any score through formgrader's API."""
    from nbconvert import HTMLExporter
    from nbformat.v4 import new_notebook
    from nbgrader.server_extensions.formgrader import handlers
    from traitlets.config import Config

    from course.course_folder import Course

    config = Config(Course(gc.ROOT).config)
    config.HTMLExporter.template_name = "formgrade"  # as formgrader's extension sets it
    config.HTMLExporter.extra_template_basedirs = [handlers.template_path]
    cell = new_code_cell("show()")
    cell.outputs = [new_output("display_data", data={
                        "text/html": "<b>10/10</b><script>steal('html')</script>"}),
                    new_output("display_data", data={"application/javascript": "steal('js')"})]
    resources = {"base_url": "/", "mathjax_url": "", "first_name": "a", "last_name": "b",
                 "notebook_path": "n", "index": 0, "total": 1}
    written = nbformat.v4.new_markdown_cell(
        "**Resposta:** $x < y$, <sub>2</sub> <script>steal('md')</script>\n\n"
        "<img src=x onerror=\"steal('img')\"> [ver](javascript:steal('link')) "
        "<JaVaScRiPt:steal('auto')> [ref][1] [site](https://pytorch.org)\n\n"
        "[1]: java&#115;cript:steal('ref')")
    written.metadata.nbgrader = {"grade_id": "w", "solution": True, "grade": True,
                                 "points": 1, "locked": False, "schema_version": 3}
    shown, _ = HTMLExporter(config=config).from_notebook_node(
        new_notebook(cells=[cell, written]), resources=resources)
    assert "<script>steal('html')" not in shown and "steal('js')" not in shown
    # a written answer's markdown: formgrader's template renders it without sanitize_html
    assert "<script>steal('md')" not in shown and "onerror" not in shown
    # a markdown link to javascript: (made after SanitizeHTML, by the markdown renderer)
    hrefs = re.findall(r'href="([^"]*)"', shown)
    assert not [h for h in hrefs if "script" in h.lower()], hrefs
    assert hrefs.count("#harmful-link") >= 2 and "https://pytorch.org" in hrefs  # kept
    assert "<strong>Resposta:</strong>" in shown and "<sub>2</sub>" in shown  # kept as written
