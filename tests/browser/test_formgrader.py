"""The instructor's semester in a real browser (Debian's Chromium, through Playwright), against
JupyterLab 4 with nbgrader's formgrader, on a scratch course folder:

1. two students come in from a Moodle export (names in the file names), `course grade`;
2. JupyterLab's Nbgrader menu opens Formgrader: the submissions carry the students' names;
3. the instructor scores a written answer on formgrader's manual grading page, and it is saved;
4. a late student arrives from Canvas (no name there; a roster gives it), `course grade` again
   grades only her, and the score typed in step 3 is still there after a reload;
5. formgrader's own "Generate Feedback" buttons (one submission, then the whole assignment)
   write pages that show no hidden test (the course's `HideHiddenTests` preprocessor);
6. the page of `course feedback` and the report of `course report` open and show the grades.

Screenshots of each step go to $COURSE_SCREENSHOTS (else a temporary folder).
"""
from __future__ import annotations

import json
import re
import shutil
import uuid
from pathlib import Path

import nbformat
import pytest

from conftest import reference_answers, released_course
from course import cli
from course.authoring.notebooks import fill
from course.lessons import load_answers, load_mistakes
from course.results.safe_feedback import NOTE

try:
    from playwright.sync_api import expect
except ImportError as e:  # a machine without it: skipped, never failed
    pytest.skip(f"playwright cannot be imported ({e}; pip install -e '.[test]'): the browser "
                "tests need it to drive Chromium", allow_module_level=True)

pytestmark = [pytest.mark.slow, pytest.mark.browser,
              pytest.mark.filterwarnings("ignore:.*not in session.*")]

A = "01_graph_pt"
WRITTEN = "explain_accumulation"  # the lesson's manually graded written answer (2 points)
# what would give the hidden tests away: their markers, the loader and the checks module
HIDDEN = ("BEGIN HIDDEN TESTS", "END HIDDEN TESTS", "load_checks", "hidden_checks",
          "_hidden_tests_passed")
ANA = "Cada backward() soma o gradiente novo ao antigo em w.grad; zere a cada passo."
COMMENT = "Boa explicação; faltou o exemplo de acumulação proposital."


@pytest.fixture
def course(root):
    course = released_course(root / "build" / f"browser-{uuid.uuid4().hex[:8]}", "01_graph", A)
    yield course
    shutil.rmtree(course.root, ignore_errors=True)


def notebook(course, written: str, **wrong: str):
    """A filled release notebook: the reference answers, `wrong` ones instead where given."""
    release = nbformat.read(course.release_notebook(A), as_version=4)
    return fill(release, {**reference_answers(course, A), WRITTEN: written, **wrong})


def export(folder: Path, files: dict) -> Path:
    for rel, nb in files.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, folder / rel)
    return folder


def course_cli(course, *args: str) -> int:
    return cli.main(["--course", str(course.root), *args])


def manual_grade(course, student: str) -> tuple:
    with course.gradebook() as gb:
        grade = gb.find_grade(WRITTEN, A, A, student)
        comment = gb.find_comment(WRITTEN, A, A, student)
        return grade.manual_score, bool(grade.needs_manual_grade), comment.manual_comment


def shot(page, folder: Path, name: str, **kwargs) -> None:
    page.screenshot(path=str(folder / f"{name}.png"), **kwargs)


def center(locator) -> None:
    locator.evaluate("e => e.scrollIntoView({block: 'center'})")


def row(page_or_frame, student: str):
    """The Manage Submissions row of `student` (by id)."""
    return page_or_frame.locator("#main-table tr").filter(
        has=page_or_frame.locator("td.student-id", has_text=re.compile(f"^{student}$")))


def names_shown(page_or_frame) -> list[str]:
    return sorted(page_or_frame.locator("#main-table td.student-name").all_inner_texts())


def reveal_name(page, name: str) -> None:
    """The manual grading page hides whose notebook it is until the eye icon is clicked."""
    page.locator("span.glyphicon-eye-open.name-hidden").click()
    expect(page.locator("a.name-shown")).to_have_text(name)
    page.mouse.move(0, 450)  # no tooltip over the breadcrumb in the screenshot


def succeeded(response) -> bool:
    """formgrader's API answers {"success": ..., "log": ...} (sometimes as a JSON string)."""
    data = response.json()
    return bool((json.loads(data) if isinstance(data, str) else data)["success"])


def no_hidden_tests(text: str, where: str) -> None:
    leaked = [marker for marker in HIDDEN if marker in text]
    assert not leaked, f"{where} shows hidden-test code: {leaked}"


def test_an_instructors_semester_in_formgrader(page, jupyter_lab, course, screenshots, tmp_path,
                                               capsys):  # page first: no browser, no course made
    mistake = load_answers("01_graph").WRONG["forward"]["mean instead of sum"]
    told = load_mistakes("01_graph").MISTAKES.message(mistake.mistake).say("pt")

    # 1. a Moodle export (names in its file names), collected and graded
    first = export(tmp_path / "moodle", {
        f"Ana Souza_1001_assignsubmission_file_/{A}.ipynb": notebook(course, ANA),
        f"José Peña_1002_assignsubmission_file_/{A}.ipynb":
            notebook(course, "Os gradientes se acumulam.", forward=mistake.code)})
    assert course_cli(course, "collect", A, str(first)) == 0
    assert course_cli(course, "grade", A, "--jobs", "2") == 0
    assert "2 graded, 0 unchanged" in capsys.readouterr().out

    lab = jupyter_lab(course.root)

    # 2. JupyterLab: Nbgrader menu -> Formgrader; the assignment, its submissions, their names
    page.goto(f"{lab.url}/login?next=%2Flab")
    page.fill("#password_input", lab.token)
    page.click("#login_submit")
    page.get_by_role("menuitem", name="Nbgrader").click(timeout=90_000)  # JupyterLab loaded
    page.get_by_role("menuitem", name="Formgrader").click()
    panel = page.frame_locator(".jp-MainAreaWidget iframe")
    assignment = panel.locator("#main-table tr").filter(has_text=A)
    expect(assignment.locator("td.num-submissions")).to_have_text("2")
    assignment.locator("td.num-submissions a").click()
    expect(panel.locator("#main-table td.student-name")).to_have_count(2)
    assert names_shown(panel) == ["Peña, José", "Souza, Ana"]
    expect(row(panel, "1001").locator("td.status")).to_have_text("needs manual grading")
    shot(page, screenshots, "01_jupyterlab_formgrader_names")

    # 3. Ana's written answer, scored by hand on formgrader's manual grading page
    page.goto(f"{lab.url}/formgrader/manage_submissions/{A}")
    expect(page.locator("#main-table td.student-name")).to_have_count(2)
    page.get_by_role("link", name="Souza, Ana").click()
    page.locator("#main-table td.name a").filter(has_text=A).click()  # her notebook
    score = page.locator(f"input#{WRITTEN}")
    comment = page.locator(f"textarea#{WRITTEN}-comment")
    expect(score).to_have_class(re.compile(r"\bneeds_manual_grade\b"))
    expect(page.locator(".nbgrader_cell", has=score)).to_contain_text(ANA)
    reveal_name(page, "Souza, Ana")
    grading_page = page.url
    with page.expect_response(lambda r: "/formgrader/api/grade/" in r.url
                              and r.request.method == "PUT") as saved:
        score.fill("1.5")
        score.blur()
    assert saved.value.ok and float(saved.value.json()["manual_score"]) == 1.5
    with page.expect_response(lambda r: "/formgrader/api/comment/" in r.url
                              and r.request.method == "PUT") as said:
        comment.fill(COMMENT)
        comment.blur()
    assert said.value.ok and said.value.json()["manual_comment"] == COMMENT
    page.reload()
    expect(score).to_have_value("1.5")
    expect(score).not_to_have_class(re.compile(r"\bneeds_manual_grade\b"))
    expect(comment).to_have_value(COMMENT)
    reveal_name(page, "Souza, Ana")
    center(score)
    shot(page, screenshots, "02_manual_grading_saved")
    assert manual_grade(course, "1001") == (1.5, False, COMMENT)
    page.goto(f"{lab.url}/formgrader/manage_submissions/{A}")
    expect(row(page, "1001").locator("td.status")).to_have_text("graded")
    expect(row(page, "1001").locator("td.score")).to_have_text("11.5 / 12")

    # 4. a late student from Canvas (a login in the file name, no name: a roster gives it);
    #    grading again grades her only, and Ana's hand-given score stays
    late = export(tmp_path / "canvas", {
        f"diascarla_1003_5551_{A}.ipynb": notebook(course, "Soma com o gradiente anterior.")})
    assert course_cli(course, "collect", A, str(late)) == 0
    (tmp_path / "turma.csv").write_text("Matrícula;Nome;Sobrenome;E-mail\n"
                                        "1003;Carla;Dias;carla@uni.br\n", encoding="utf-8")
    assert course_cli(course, "roster", str(tmp_path / "turma.csv")) == 0
    capsys.readouterr()
    assert course_cli(course, "grade", A, "--jobs", "2") == 0
    assert "1 graded, 2 unchanged since their last grading" in capsys.readouterr().out
    page.reload()
    expect(page.locator("#main-table td.student-name")).to_have_count(3)
    assert names_shown(page) == ["Dias, Carla", "Peña, José", "Souza, Ana"]
    expect(row(page, "1001").locator("td.status")).to_have_text("graded")
    expect(row(page, "1001").locator("td.score")).to_have_text("11.5 / 12")
    expect(row(page, "1003").locator("td.status")).to_have_text("needs manual grading")
    shot(page, screenshots, "03_formgrader_after_regrade")
    page.goto(grading_page)
    expect(score).to_have_value("1.5")
    expect(score).not_to_have_class(re.compile(r"\bneeds_manual_grade\b"))
    expect(comment).to_have_value(COMMENT)
    reveal_name(page, "Souza, Ana")
    center(score)
    shot(page, screenshots, "04_manual_score_kept")
    assert manual_grade(course, "1001") == (1.5, False, COMMENT)

    # 5. formgrader's "Generate Feedback": Ana's row, then the whole assignment
    page.goto(f"{lab.url}/formgrader/manage_submissions/{A}")
    with page.expect_response(lambda r: r.url.endswith(f"/{A}/1001/generate_feedback")) as made:
        row(page, "1001").locator("td.generate-feedback a").click()
    assert succeeded(made.value), made.value.text()
    expect(page.locator("#success-modal")).to_contain_text(
        "Successfully generated feedback for '01_graph_pt' for student '1001'")
    ana_page = course.feedback_page("1001", A)
    no_hidden_tests(ana_page.read_text(encoding="utf-8"), f"formgrader's feedback ({ana_page})")
    page.goto(ana_page.as_uri(), wait_until="domcontentloaded")
    body = page.locator("body")
    expect(body).to_contain_text("01_graph_pt (Score: 11.5 / 12.0)")
    expect(body).to_contain_text(ANA)
    expect(body).to_contain_text(COMMENT)
    no_hidden_tests(body.inner_text(), "formgrader's feedback page in the browser")
    shot(page, screenshots, "05_formgrader_feedback_top")
    note = page.get_by_text(NOTE.lstrip("# ")).first
    center(note)
    shot(page, screenshots, "06_formgrader_feedback_no_hidden_tests")

    page.goto(f"{lab.url}/formgrader/manage_assignments")
    assignment = page.locator("#main-table tr").filter(has_text=A)
    with page.expect_response(lambda r: r.url.endswith(f"/{A}/generate_feedback")) as made:
        assignment.locator("td.generate-feedback a").click()
    assert succeeded(made.value), made.value.text()
    expect(page.locator("#success-modal")).to_contain_text("Successfully generated feedback")
    for student in ("1001", "1002", "1003"):
        html = course.feedback_page(student, A)
        no_hidden_tests(html.read_text(encoding="utf-8"), f"formgrader's feedback ({html})")
        assert NOTE in html.read_text(encoding="utf-8")

    # 6. the course's own feedback page and the report, in the browser
    assert course_cli(course, "feedback", A) == 0
    page.goto(course.feedback_page("1001", A).as_uri(), wait_until="domcontentloaded")
    body = page.locator("body")
    expect(body).to_contain_text("1001 (Souza, Ana)")
    expect(body).to_contain_text("11.5 / 12")
    expect(body).to_contain_text(COMMENT)
    no_hidden_tests(body.inner_text(), "`course feedback`'s page")
    shot(page, screenshots, "07_course_feedback", full_page=True)
    page.goto(course.feedback_page("1002", A).as_uri(), wait_until="domcontentloaded")
    forward = page.locator("section.exercise").filter(has_text=told)  # his mistake, named
    expect(forward).to_have_count(1)
    expect(forward).to_contain_text("Exercício 1 · forward")
    expect(forward).to_contain_text("0 / 2")
    no_hidden_tests(page.locator("body").inner_text(), "`course feedback`'s page")
    center(forward)
    shot(page, screenshots, "08_course_feedback_mistake")

    assert course_cli(course, "report", A) == 0
    page.goto((course.root / "reports" / A / "summary.html").as_uri(),
              wait_until="domcontentloaded")
    body = page.locator("body")
    expect(body).to_contain_text(f"{A} · grading summary")
    students = page.locator("table").filter(has_text="student id")
    for student, name in (("1001", "Souza, Ana"), ("1002", "Peña, José"),
                          ("1003", "Dias, Carla")):
        expect(students.locator("tr").filter(has_text=student)).to_contain_text(name)
    expect(students.locator("tr").filter(has_text="1001")).to_contain_text("11.5 / 12")
    expect(students.locator("tr").filter(has_text="1001")).not_to_contain_text("pending")
    expect(students.locator("tr").filter(has_text="1003")).to_contain_text("pending")
    wrong = page.locator("tr").filter(has_text=mistake.mistake).filter(has_text=told)
    expect(wrong).to_contain_text("1002")  # what the class got wrong: José's mistake, named
    no_hidden_tests(body.inner_text(), "the report")
    shot(page, screenshots, "09_report", full_page=True)
