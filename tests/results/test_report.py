"""`course report`: nbgrader's CSV, Moodle and Canvas imports whose totals are the gradebook's,
the scores picture, and a summary that lists every submission that needed attention."""
from __future__ import annotations

import csv
import html

import pytest

import graded_course as gc
from course import attention
from course.course_folder import CourseError
from course import gradebook as graded
from course.results import grade_exports, report

pytestmark = pytest.mark.filterwarnings("ignore:.*not in session.*")

NBGRADER_KEYS = ["assignment", "duedate", "timestamp", "student_id", "last_name", "first_name",
                 "email", "raw_score", "late_submission_penalty", "score", "max_score"]
ENTRIES = [
    attention.Entry(gc.PT, None, "rejected", "not a notebook (a PDF was uploaded)",
                    file="lms/Jo <Doe>_442_exercicio.pdf", step="collect"),
    attention.Entry(gc.PT, "bruno", "repaired", "the deleted test cell was restored",
                    file="lms/bruno_01_graph_pt (1).ipynb", cell="test_forward", step="repair"),
    attention.Entry(gc.PT, "ana", "timeout", "a cell ran past 120 s", cell="test_grad_fn_names",
                    step="grade"),
    attention.Entry(gc.PT, "ana", "unsandboxed", "graded without a sandbox", step="grade"),
]


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    """reports/01_graph_pt/ of the graded class, with attention entries recorded first."""
    root = gc.build(tmp_path_factory.getbasetemp())
    for step in ("collect", "repair", "grade"):
        attention.clear(root, gc.PT, step)
    for entry in ENTRIES:
        attention.record(root, entry)
    assert report.main(root, gc.PT) == 0
    return root, root.reports_dir(gc.PT)


def gradebook_scores(root, assignment) -> dict[str, float]:
    """{student: score} straight from nbgrader's gradebook (not through results.gradebook)."""
    from nbgrader.api import Gradebook

    with Gradebook(root.db_url, root.course_id) as gb:
        return {s.student.id: s.score for s in gb.find_assignment(assignment).submissions}


def rows(path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


# --- fast ---------------------------------------------------------------------------------------

def test_lms_files_quote_names_and_drop_trailing_zeros(tmp_path):
    subs = [graded.Submission("s1", "Ana", "Silva, Jr.", None, 7.5, 12, 0, False),
            graded.Submission("s2", None, None, None, 10.0, 12, 1.0, False)]
    grade_exports.write_moodle(subs, "01_graph_pt", tmp_path / "m.csv")
    grade_exports.write_canvas(subs, "01_graph_pt", 12.0, tmp_path / "c.csv")
    assert rows(tmp_path / "m.csv") == [["ID number", "01_graph_pt"], ["s1", "7.5"], ["s2", "9"]]
    assert rows(tmp_path / "c.csv") == [
        ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "01_graph_pt"],
        ["Points Possible", "", "", "", "", "12"],
        ["Silva, Jr., Ana", "s1", "", "", "", "7.5"],
        ["s2", "s2", "", "", "", "9"]]


def test_canvas_user_id_goes_in_the_id_column_not_sis_user_id(tmp_path):
    """Canvas matches an import row by ID, its own user id (what collect reads from
    `souzaana_12345_67890_…`); SIS User ID is the institution's id, unknown here."""
    subs = [graded.Submission("12345", None, None, None, 10.0, 12, 0, False)]
    grade_exports.write_canvas(subs, "01_graph_pt", 12.0, tmp_path / "c.csv")
    assert rows(tmp_path / "c.csv")[2] == ["12345", "12345", "", "", "", "10"]


def test_moodle_participant_numbers_go_to_the_grading_worksheet_not_to_id_number(tmp_path):
    """Moodle's folder number is the participant number of one assignment: it is the
    worksheet's "Participant N", never an "ID number"; a roster-linked student is in both."""
    subs = [graded.Submission("101", "Ana", "Souza", None, 7.5, 12, 0, False),
            graded.Submission("2023001", "José", "Peña", "j@x.br", 10.0, 12, 1.0, False),
            graded.Submission("s3", None, None, None, 5.0, 12, 0, False)]
    participants = {"101": {"participant": "101", "name": "Ana Souza"},
                    "2023001": {"participant": "245", "name": "José Peña"}}
    grade_exports.write_moodle(subs, "01_graph_pt", tmp_path / "m.csv", participants)
    assert rows(tmp_path / "m.csv") == [["ID number", "01_graph_pt"], ["2023001", "9"],
                                         ["s3", "5"]]
    sheet = grade_exports.write_moodle_worksheet(subs, 12.0, participants, tmp_path / "w.csv")
    assert rows(sheet) == [
        ["Identifier", "Full name", "Email address", "Grade", "Maximum Grade"],
        ["Participant 101", "Ana Souza", "", "7.5", "12"],
        ["Participant 245", "José Peña", "j@x.br", "9", "12"]]
    assert grade_exports.write_moodle_worksheet(subs, 12.0, {}, sheet) is None
    assert not sheet.exists()


# --- slow: on the graded class ------------------------------------------------------------------

@pytest.mark.parametrize("lang, words", [
    ("pt", ("pontos por exercício (6 entregas", "aluno", "exercício (pontos máx.)",
            "fração dos pontos do exercício")),
    ("es", ("puntos por ejercicio (6 entregas", "estudiante", "ejercicio (puntos máx.)",
            "fracción de los puntos del ejercicio"))])
def test_the_scores_picture_speaks_the_instructors_language_and_ids_lie_flat(tmp_path,
                                                                            monkeypatch, lang,
                                                                            words):
    """scores.png sits in summary.html, in the instructor's language; a class of 7-digit
    enrolment numbers (2026001…) read one over the other when seaborn stood them on end."""
    from matplotlib.figure import Figure

    from course import i18n

    drawn = []
    monkeypatch.setattr(Figure, "savefig", lambda fig, out, **kw: drawn.append(fig))
    subs = [graded.Submission(f"202600{i}", None, None, None, 2.0, 2.0, 0.0, False,
                              {"test_forward": graded.CellGrade("test_forward", 2.0, 2.0,
                                                                False, False)})
            for i in range(1, 7)]  # six: the class seaborn stood on end
    report.plot(subs, ["test_forward"], gc.PT, tmp_path / "scores.png", i18n.gettext(lang))
    ax = drawn[0].axes[0]
    texts = [ax.get_title(), ax.get_ylabel(), ax.get_xlabel(), drawn[0].axes[1].get_ylabel()]
    assert all(w in t for w, t in zip(words, texts)), texts
    assert [t.get_rotation() for t in ax.get_yticklabels()] == [0.0] * 6


@pytest.mark.slow
def test_an_assignment_nobody_graded_is_an_error(reports):
    root, _ = reports
    with pytest.raises(CourseError, match="nothing to report"):
        report.generate(root, "01_graph_xx")
    assert not root.reports_dir("01_graph_xx").exists()


@pytest.mark.slow
def test_the_command_warns_that_written_answers_still_to_grade_count_as_zero(reports, capsys):
    root, _ = reports
    waiting = report.pending_manual(root, gc.PT)
    assert waiting  # the graded class's written answers wait for formgrader
    assert report.main(root, gc.PT) == 0
    out = capsys.readouterr().out
    assert "formgrader" in out and f"WARNING: {len(waiting)} submission(s)" in out
    assert all(student in out for student in waiting[:10])


@pytest.mark.slow
def test_every_file_is_written(reports):
    _, out = reports
    for name in ("grades.csv", "moodle.csv", "canvas.csv", "mistakes.csv", "scores.png",
                 "summary.html"):
        assert (out / name).stat().st_size > 0, name
    assert (out / "scores.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.slow
def test_grades_csv_is_nbgraders_export_of_this_assignment_only(reports):
    root, out = reports
    header, *body = rows(out / "grades.csv")
    assert header == NBGRADER_KEYS
    assert {r[0] for r in body} == {gc.PT}
    got = {r[3]: float(r[9]) for r in body}
    assert got == {**gradebook_scores(root, gc.PT), "diego": 0.0}  # diego is in the es class


@pytest.mark.slow
def test_moodle_csv_has_the_gradebook_totals_of_the_submissions(reports):
    root, out = reports
    header, *body = rows(out / "moodle.csv")
    assert header == ["ID number", gc.PT]
    assert {sid: float(v) for sid, v in body} == gradebook_scores(root, gc.PT)
    assert dict(body)["bruno"] == "8.5"


@pytest.mark.slow
def test_canvas_csv_has_points_possible_and_the_gradebook_totals(reports):
    root, out = reports
    header, possible, *body = rows(out / "canvas.csv")
    assert header == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", gc.PT]
    assert possible == ["Points Possible", "", "", "", "", "12"]
    assert all(r[0] == r[1] and r[2] == r[3] == r[4] == "" for r in body)
    assert {r[1]: float(r[5]) for r in body} == gradebook_scores(root, gc.PT)


@pytest.mark.slow
def test_summary_lists_every_attention_entry_and_the_exercises(reports):
    _, out = reports
    raw = (out / "summary.html").read_text(encoding="utf-8")
    shown = html.unescape(raw)
    for e in ENTRIES:
        assert e.reason in shown and e.kind in shown
        for value in (e.student, e.file, e.cell):
            assert value is None or value in shown
    assert "<Doe>" not in raw  # escaped
    for exercise in ("test_forward", "test_manual_backward", "explain_accumulation"):
        assert exercise in shown
    assert 'src="scores.png"' in raw
    assert "eva" in shown  # submitted, never graded


@pytest.mark.slow
def test_mistakes_csv_groups_students_by_the_mistake_their_hidden_test_recorded(reports):
    _, out = reports
    header, *body = rows(out / "mistakes.csv")
    assert header == ["exercise", "mistake", "count", "students", "message"]
    got = {(r[0], r[1]): (int(r[2]), r[3]) for r in body}
    assert got[("test_forward", "modified_input")] == (1, "bruno")
    assert got[("test_forward", "(correct)")] == (1, "ana")
    assert got[("test_backward_twice", "choice_silent_none")] == (1, "bruno")
    assert got[("test_manual_backward", "(correct)")] == (2, "ana;bruno")
    assert {r[0] for r in body} == {"test_forward", "test_manual_backward", "test_grad_fn_names",
                                    "test_backward_twice", "test_accumulation"}
    assert [r[0] for r in body][0] == "test_forward"  # notebook order


def test_mistakes_csv_counts_unrecorded_failures_and_unanswered(tmp_path):
    from course.results import mistake_stats

    cell = graded.CellGrade
    subs = [graded.Submission("a", None, None, None, 0, 3, 0, False,
                              cells={"t1": cell("t1", 0, 2, False, False),
                                     "t2": cell("t2", 1, 1, False, False)}),
            graded.Submission("b", None, None, None, 0, 3, 0, False,
                              cells={"t1": cell("t1", 0, 2, False, False),
                                     "t2": cell("t2", 0, 1, False, False)})]
    found = mistake_stats.group(subs, ["t1", "t2"], {"a": {"t1": "no_zero_grad"}},
                                {"b": {"t2"}}, "05_linear_regression", "pt")
    mistake_stats.write_csv(found, tmp_path / "m.csv")
    got = [r[:4] for r in rows(tmp_path / "m.csv")[1:]]
    assert got == [
        ["t1", "no_zero_grad", "1", "a"],
        ["t1", "(failed, no mistake recorded)", "1", "b"],
        ["t2", "(correct)", "1", "a"],
        ["t2", "(not answered)", "1", "b"]]
    message = rows(tmp_path / "m.csv")[1][4]
    assert "zero_grad" in message  # what the students read, from the lesson's mistakes
