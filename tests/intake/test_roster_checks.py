"""Rosters an LMS writes (Moodle's participants/grades export, Canvas's gradebook export),
rosters that do not meet the export, and Moodle's per-assignment participant numbers."""
from __future__ import annotations

import json

import pytest

from test_names import A, NB, course, names, write  # noqa: F401  (fixture)
from course import cli
from course.intake import collect, moodle, roster

B = "02_finite_differences_pt"
pytestmark = pytest.mark.filterwarnings("ignore:.*not in session.*")


@pytest.mark.parametrize("header", [
    '"First name","Surname","ID number","Institution","Department","Email address"',
    '"Nome","Sobrenome","Número de identificação","Instituição","Departamento",'
    '"Endereço de email"',
    '"Nombre","Apellido(s)","Número de ID","Institución","Departamento","Dirección de correo"'])
def test_moodles_own_participants_export_is_a_roster(tmp_path, header):
    (tmp_path / "p.csv").write_text(f'{header}\n"Ana","Souza","2023001","UF","DC","a@x.br"\n',
                                    encoding="utf-8")
    [ana] = roster.read(tmp_path / "p.csv")
    assert (ana.id, ana.first_name, ana.last_name, ana.email) == ("2023001", "Ana", "Souza",
                                                                  "a@x.br")


def test_canvas_gradebook_export_as_roster_takes_id_and_names(tmp_path):
    (tmp_path / "c.csv").write_text(
        'Student,ID,SIS User ID,SIS Login ID,Section,01 Grafo (1234)\n'
        '    Points Possible,,,,,12\n'
        '"Souza, Ana",12345,2023001,ana@x.br,Turma A,\n'
        '"Peña, José",12346,2023002,jose@x.br,Turma A,\n', encoding="utf-8")
    got = [(p.id, p.first_name, p.last_name) for p in roster.read(tmp_path / "c.csv")]
    assert got == [("12345", "Ana", "Souza"), ("12346", "José", "Peña")]


def test_a_shared_email_in_a_roster_is_reported(course, tmp_path, monkeypatch, capsys):
    (tmp_path / "t.csv").write_bytes("\ufeffMatrícula;Nome completo;E-mail\r\n"
                                     "e101;Ana Souza;ana@x.br\r\ne102;José Peña;ANA@x.br\r\n"
                                     .encode("utf-8"))
    monkeypatch.setenv("COURSE_ROOT", str(course.root))
    assert cli.main(["roster", str(tmp_path / "t.csv")]) == 0
    out = capsys.readouterr().out
    assert "ana@x.br" in out and "e101, e102" in out


def test_collect_roster_warns_when_ids_do_not_meet(course, tmp_path, monkeypatch, capsys):
    export = write(tmp_path / "e", {f"entregas/0123456/{A}.ipynb": NB,
                                    f"entregas/0123457/{A}.ipynb": NB})
    (tmp_path / "turma.csv").write_text("RA;Nome;Sobrenome;Email\n123456;Ana;Souza;a@x.br\n"
                                        "123457;Bia;Lima;b@x.br\n", encoding="utf-8")
    monkeypatch.setenv("COURSE_ROOT", str(course.root))
    assert cli.main(["collect", A, str(export), "--roster", str(tmp_path / "turma.csv")]) == 0
    out = capsys.readouterr().out
    assert "accepted ids not in the roster (2): 0123456, 0123457" in out
    assert "roster students with no submission of 01_graph_pt (2): 123456, 123457" in out
    assert "0123456 ~ 123456" in out


def test_moodle_submissions_go_to_the_roster_student_of_the_same_name(course, tmp_path,
                                                                       monkeypatch):
    """Moodle's folder number is the student's number in one assignment: with a roster, one
    student keeps one id in every assignment, and each assignment's number is recorded for
    its grading worksheet."""
    from test_repair import solved
    import nbformat

    (tmp_path / "p.csv").write_text(
        '"First name","Surname","ID number","Email address"\n'
        '"Lia","Rocha","m2023001","a@x.br"\n"Davi","Núñez","m2023002","j@x.br"\n'
        '"Rita","Melo","m2023003",""\n"Rita","Melo","m2023004",""\n', encoding="utf-8")
    roster.import_roster(course, tmp_path / "p.csv")
    first = write(tmp_path / "a1", {f"LIA ROCHA_501_assignsubmission_file_/{A}.ipynb": NB,
                                    f"Davi Nunez_502_assignsubmission_file_/{A}.ipynb": NB,
                                    f"Rita Melo_503_assignsubmission_file_/{A}.ipynb": NB,
                                    f"Caio Lima_504_assignsubmission_file_/{A}.ipynb": NB})
    outs = {o.upload.path.split("_")[1]: o for o in collect.collect(course, A, first)}
    assert {n: o.student for n, o in outs.items()} == {
        "501": "m2023001", "502": "m2023002", "503": "503", "504": "504"}
    assert "several roster students" in outs["503"].notes
    assert (course.submitted_dir / "m2023001" / A / f"{A}.ipynb").is_file()
    second = write(tmp_path / "a2", {f"Lia Rocha_777_assignsubmission_file_/{B}.ipynb":
                                     nbformat.writes(solved(B))})
    [ana] = collect.collect(course, B, second)
    assert (ana.accepted, ana.student) == (True, "m2023001")
    assert moodle.load(course, A)["m2023001"]["participant"] == "501"
    assert moodle.load(course, B) == {"m2023001": {"participant": "777", "name": "Lia Rocha"}}
    # two submissions of one export never land on one roster student
    twice = write(tmp_path / "a3", {f"Davi Nunez_601_assignsubmission_file_/{A}.ipynb": NB,
                                    f"Davi Núñez_602_assignsubmission_file_/{A}.ipynb": NB})
    assert sorted(o.student for o in collect.collect(course, A, twice)) == ["601", "602"]


def test_a_moodle_student_whose_files_were_all_rejected_is_told_by_roster_id(
        course, tmp_path, monkeypatch, capsys):
    """Elena sent the Spanish notebook: the rejection named her Moodle participant number
    (105), and the roster check then listed her roster id as having sent nothing at all."""
    from test_repair import solved
    import nbformat

    (tmp_path / "p.csv").write_text(
        '"First name","Surname","ID number","Email address"\n'
        '"Lúcia","Prado","2026001","a@x.br"\n"Elena","Vidal","2026005","e@x.br"\n'
        '"Rui","Paz","2026009",""\n', encoding="utf-8")
    export = write(tmp_path / "e", {
        f"Lúcia Prado_101_assignsubmission_file_/{A}.ipynb": NB,
        "Elena Vidal_105_assignsubmission_file_/01_graph_es.ipynb":
            nbformat.writes(solved("01_graph_es"))})
    monkeypatch.setenv("COURSE_ROOT", str(course.root))
    assert cli.main(["collect", A, str(export), "--roster", str(tmp_path / "p.csv")]) == 0
    out = capsys.readouterr().out
    rejected = [ln for ln in out.splitlines() if "01_graph_es.ipynb" in ln]
    assert rejected and "2026005" in rejected[0] and "rejected" in rejected[0]
    assert f"roster students with no submission of {A} (1): 2026009" in out
    assert "sent files, all rejected (see above), so nothing of 01_graph_pt is collected " \
           "for them (1): 2026005" in out
