"""Exports whose student only the whole export tells: Blackboard usernames holding `_`,
Teams' whole "Student Work" folder, Moodle group submissions; and LMS names that put the
student elsewhere than the first place (Drive copies, Brightspace in pt/es and in folders)."""
from __future__ import annotations

import pytest

from course.course_folder import CourseError
from course.intake import collect
from test_collect import A, course, run, text, zipped  # noqa: F401  (fixture)
from test_collect_layouts import ids
from test_repair import solved

NB = None


def nb() -> str:
    global NB
    NB = NB or text(solved())
    return NB


def test_blackboard_usernames_with_underscores_are_never_merged(course, tmp_path):
    stamp = "attempt_2026-12-09-10-00-00"
    files = {}
    for user, name in (("ana_souza", "Ana Souza"), ("bia_souza", "Bia Souza")):
        files[f"{A}_{user}_{stamp}_{A}.ipynb"] = nb()
        files[f"{A}_{user}_{stamp}.txt"] = f"Name: {name} ({user})\nAssignment: {A}\n"
    outs = run(course, zipped(tmp_path / "bb.zip", files))
    assert {o.student for o in outs.values() if o.accepted} == {"ana_souza", "bia_souza"}
    assert str(outs[f"{A}_ana_souza_{stamp}_{A}.ipynb"].name) == "Ana Souza"


def test_blackboard_without_sidecars_reads_the_username_after_the_shared_prefix(course,
                                                                               tmp_path):
    stamp = "attempt_2026-12-09-10-00-00"
    files = {f"Aula_01_{user}_{stamp}_{A}.ipynb": nb() for user in ("ana_souza", "bia_souza")}
    outs = run(course, zipped(tmp_path / "bb.zip", files))
    assert {o.student for o in outs.values() if o.accepted} == {"ana_souza", "bia_souza"}
    # a username without `_` keeps its id, alone or not
    one = run(course, zipped(tmp_path / "one.zip", {f"Aula 01_asouza_{stamp}_x.ipynb": nb()}))
    assert [o.student for o in one.values()] == ["asouza"]


def test_blackboard_receipts_are_skipped_and_an_attempt_without_a_file_is_said(course,
                                                                              tmp_path):
    """Blackboard writes a receipt `.txt` for every attempt: it was rejected as "not a
    notebook" for nobody; an attempt whose student typed a Colab link and sent no file said
    no more than that."""
    stamp = "attempt_2026-12-09-10-00-00"
    files = {f"{A}_ana_souza_{stamp}_{A}.ipynb": nb(),
             f"{A}_ana_souza_{stamp}.txt": "Name: Ana Souza (ana_souza)\n",
             f"{A}_bia_lima_{stamp}.txt": ("Name: Bia Lima (bia_lima)\nSubmission Field:\n"
                                            "https://colab.research.google.com/drive/1abc\n")}
    outs = run(course, zipped(tmp_path / "bb.zip", files))
    receipt = outs[f"{A}_ana_souza_{stamp}.txt"]
    assert receipt.skipped and receipt.student is None and "receipt" in receipt.reason
    alone = outs[f"{A}_bia_lima_{stamp}.txt"]
    assert not alone.accepted and not alone.skipped and alone.student == "bia_lima"
    assert "no file" in alone.reason
    assert "https://colab.research.google.com/drive/1abc" in alone.reason
    assert outs[f"{A}_ana_souza_{stamp}_{A}.ipynb"].student == "ana_souza"


def test_teams_student_work_prefers_submitted_over_working_files(course, tmp_path):
    files = {
        "Student Work/Submitted files/Ana Souza/01 Grafo/01_graph_pt.ipynb": nb(),
        "Student Work/Working files/Ana Souza/01 Grafo/01_graph_pt.ipynb": nb(),
        "Student Work/Submitted files/José Peña/01 Grafo/01_graph_pt.ipynb": nb(),
        "Student Work/Working files/José Peña/01 Grafo/01_graph_pt.ipynb": nb(),
        "Student Work/Working files/Maria Lima/01 Grafo/01_graph_pt.ipynb": nb(),
    }
    # the working copy is newer: still the handed-in notebook is kept
    times = {"Student Work/Working files/Ana Souza/01 Grafo/01_graph_pt.ipynb":
             (2026, 12, 9, 11, 0, 0)}
    outs = run(course, zipped(tmp_path / "teams.zip", files, times))
    got = ids(outs)
    assert got == {
        "Student Work/Submitted files/Ana Souza/01 Grafo/01_graph_pt.ipynb": "Ana_Souza",
        "Student Work/Working files/Ana Souza/01 Grafo/01_graph_pt.ipynb": None,
        "Student Work/Submitted files/José Peña/01 Grafo/01_graph_pt.ipynb": "José_Peña",
        "Student Work/Working files/José Peña/01 Grafo/01_graph_pt.ipynb": None,
        "Student Work/Working files/Maria Lima/01 Grafo/01_graph_pt.ipynb": "Maria_Lima"}
    working = outs["Student Work/Working files/Ana Souza/01 Grafo/01_graph_pt.ipynb"]
    assert "Submitted files" in working.reason and "Working files" in working.reason
    maria = outs["Student Work/Working files/Maria Lima/01 Grafo/01_graph_pt.ipynb"]
    assert "Working files" in maria.notes


@pytest.mark.parametrize("top,submitted,working", [
    ("Trabalho do Aluno", "Arquivos Enviados", "Arquivos de Trabalho"),
    ("Trabajo de los alumnos", "Archivos enviados", "Archivos de trabajo"),
])
def test_teams_in_portuguese_or_spanish_is_one_student_per_folder(course, tmp_path, top,
                                                                  submitted, working):
    """A Teams site in pt or es names its two folders in that language: read as students,
    they merged the class into two ids, one student's notebook superseded by another's."""
    files = {f"{top}/{submitted}/Ana Souza/01 Grafo/{A}.ipynb": nb(),
             f"{top}/{working}/Ana Souza/01 Grafo/{A}.ipynb": nb(),
             f"{top}/{submitted}/José Peña/01 Grafo/{A}.ipynb": nb()}
    outs = run(course, zipped(tmp_path / "teams.zip", files))
    assert ids(outs) == {f"{top}/{submitted}/Ana Souza/01 Grafo/{A}.ipynb": "Ana_Souza",
                         f"{top}/{working}/Ana Souza/01 Grafo/{A}.ipynb": None,
                         f"{top}/{submitted}/José Peña/01 Grafo/{A}.ipynb": "José_Peña"}
    assert "Working files" in outs[f"{top}/{working}/Ana Souza/01 Grafo/{A}.ipynb"].reason


def test_moodle_group_submissions_keep_the_group_out_of_the_name(course, tmp_path):
    files = {f"{who}_{n}_assignsubmission_file_/{A}.ipynb": nb() for who, n in (
        ("Grupo 1-Ana Souza", 101), ("Grupo 1-José Peña", 102),
        ("Grupo padrão-Rita Melo", 108), ("Jean-Luc Picard", 109),
        ("Equipe Azul-Caio Lima", 110), ("Equipe Azul-Dora Reis", 111))}
    outs = run(course, zipped(tmp_path / "g.zip", files))
    got = {o.student: str(o.name) for o in outs.values()}
    assert got == {"101": "Ana Souza", "102": "José Peña", "108": "Rita Melo",
                   "109": "Jean-Luc Picard", "110": "Caio Lima", "111": "Dora Reis"}


def test_drive_copies_named_assignment_first_are_their_students(course, tmp_path):
    """Drive also names a copy `<assignment> - Ana Souza.ipynb` (and `Cópia de …`, `Copy of
    …`, `… (1)`): the student is the side that is not the assignment's notebook.  Taking the
    assignment's name as the id merged the whole class into one student `01_graph_pt`."""
    files = {f"Aula 01 - Grafo/{name}": nb() for name in (
        f"Ana Souza - {A}.ipynb", f"Bruno Dias - Cópia de {A}.ipynb",
        f"{A} - Fábio Rocha.ipynb", f"Cópia de {A} - Davi Melo.ipynb",
        f"Copy of {A} - Elisa Nunes.ipynb", f"Copia de {A} (1) - Gabi Alves.ipynb",
        f"{A} - Hugo Lins (1).ipynb", f"{A} - Cópia de {A}.ipynb")}
    outs = run(course, zipped(tmp_path / "drive.zip", files))
    got = {p.split("/")[-1]: o.student for p, o in outs.items()}
    assert got == {f"Ana Souza - {A}.ipynb": "Ana_Souza",
                   f"Bruno Dias - Cópia de {A}.ipynb": "Bruno_Dias",
                   f"{A} - Fábio Rocha.ipynb": "Fábio_Rocha",
                   f"Cópia de {A} - Davi Melo.ipynb": "Davi_Melo",
                   f"Copy of {A} - Elisa Nunes.ipynb": "Elisa_Nunes",
                   f"Copia de {A} (1) - Gabi Alves.ipynb": "Gabi_Alves",
                   f"{A} - Hugo Lins (1).ipynb": "Hugo_Lins",
                   f"{A} - Cópia de {A}.ipynb": None}
    assert all(o.accepted for o in outs.values() if o.student)
    assert str(outs[f"Aula 01 - Grafo/{A} - Fábio Rocha.ipynb"].name) == "Fábio Rocha"
    assert not outs[f"Aula 01 - Grafo/{A} - Cópia de {A}.ipynb"].accepted
    assert A not in {o.student for o in outs.values()}


def test_colab_tab_titles_in_a_file_name_are_not_the_student(course, tmp_path):
    """A download named after Colab's browser tab (`01_graph_pt.ipynb - Colab`, `- Colaboratory`
    before 2024), with the student's name on either side: the tab's words belong to the
    assignment's side.  The student was "Colaboratory - Júlia Reis"."""
    files = {name: nb() for name in (
        f"{A}.ipynb - Colaboratory - Júlia Reis.ipynb", f"{A}.ipynb - Colab - Caio Lima.ipynb",
        f"Rita Melo - {A}.ipynb - Colab.ipynb", f"{A}.ipynb - Colab.ipynb")}
    outs = run(course, zipped(tmp_path / "colab.zip", files))
    got = {p.split("/")[-1]: (o.student, str(o.name) if o.name else None)
           for p, o in outs.items()}
    assert got == {f"{A}.ipynb - Colaboratory - Júlia Reis.ipynb": ("Júlia_Reis", "Júlia Reis"),
                   f"{A}.ipynb - Colab - Caio Lima.ipynb": ("Caio_Lima", "Caio Lima"),
                   f"Rita Melo - {A}.ipynb - Colab.ipynb": ("Rita_Melo", "Rita Melo"),
                   f"{A}.ipynb - Colab.ipynb": (None, None)}
    assert [o.accepted for o in outs.values() if o.student] == [True] * 3


@pytest.mark.parametrize("layout", [
    "{sub}-{user} - {who} - {day} de dez. de 2026 22:42 - {A}.ipynb",  # pt interface
    "{sub}-{user} - {who} - {day} dic. 2026 10:42 p. m. - {A}.ipynb",  # es interface
    "{sub}-{user} - {who} - {day} de dezembro de 2026 1042 PM/{A}.ipynb",  # folder each
    "{sub}-{user} - {who} - Dec {day}, 2026 1042 PM/{A}.ipynb",
    "Aula 01/{sub}-{user} - {who} - Dec {day}, 2026 1042 PM/Cópia de {A}.ipynb"])
def test_brightspace_in_any_language_and_with_a_folder_per_submission_is_the_user(
        course, tmp_path, layout):
    """Brightspace's student is the user number (the second), never the submission number
    (new at each resubmission): a resubmission is the same student, the newer one kept."""
    def path(sub, user, who, day):
        return layout.format(sub=sub, user=user, who=who, day=day, A=A)

    first, again, jose = (path(12345, 67890, "Ana Souza", 3), path(12399, 67890, "Ana Souza", 9),
                          path(12346, 67891, "José Peña", 8))
    files = {first: nb(), again: nb(), jose: nb()}
    outs = run(course, zipped(tmp_path / "d2l.zip", files,
                              {again: (2026, 12, 9, 9, 30, 0), jose: (2026, 12, 8, 11, 0, 0)}))
    assert {p: o.student for p, o in outs.items()} == {first: "67890", again: "67890",
                                                       jose: "67891"}
    assert sorted(p for p, o in outs.items() if o.accepted) == sorted([again, jose])
    assert outs[first].reason.startswith("superseded by")
    assert {str(o.name) for o in outs.values()} == {"Ana Souza", "José Peña"}


def test_mac_windows_and_lms_files_are_skipped_not_attributed_to_a_student(course, tmp_path,
                                                                           capsys):
    """`__MACOSX/`, `._*`, `.DS_Store`, `Thumbs.db` and what the LMS writes beside the
    submissions (Brightspace's index.html, Sakai's grades.csv and timestamp.txt) are nobody's:
    skipped with a note, not rejections in a student's (or a made-up student's) name."""
    from course.intake import collect
    from course.intake.printout import render

    title = "Aula 01 - Grafo"
    files = {
        f"{title}/grades.csv": "Display ID,ID,Last Name,First Name,grade\nasouza,asouza,,,\n",
        f"{title}/index.html": "<html></html>",
        f"{title}/Souza, Ana(asouza)/timestamp.txt": "20261209100000000",
        f"{title}/Souza, Ana(asouza)/Submission attachment(s)/{A}.ipynb": nb(),
        f"{title}/Souza, Ana(asouza)/Submission attachment(s)/.DS_Store": b"\0\0\0\1Bud1",
        f"{title}/Lima, Maria(mlima)/Submission attachment(s)/{A}.ipynb": nb(),
        f"{title}/Lima, Maria(mlima)/Submission attachment(s)/Thumbs.db": b"\xd0\xcf",
        f"{title}/Lima, Maria(mlima)/grades.csv": "a student's own file",
        f"__MACOSX/{title}/Souza, Ana(asouza)/._timestamp.txt": b"\0\5\26\7",
        "__MACOSX/._entregas.zip": b"\0\5\26\7"}
    export = zipped(tmp_path / "sakai.zip", files)
    outs = run(course, export)
    skipped = {p for p, o in outs.items() if o.skipped}
    assert skipped == set(files) - {f"{title}/Souza, Ana(asouza)/Submission attachment(s)/{A}.ipynb",
                                    f"{title}/Lima, Maria(mlima)/Submission attachment(s)/{A}.ipynb",
                                    f"{title}/Lima, Maria(mlima)/grades.csv"}
    assert all(o.student is None and not o.accepted for p, o in outs.items() if p in skipped)
    own = outs[f"{title}/Lima, Maria(mlima)/grades.csv"]
    assert own.rejected and own.student == "Lima_Maria_mlima"
    assert {o.student for o in outs.values() if o.accepted} == {"Souza_Ana_asouza",
                                                                "Lima_Maria_mlima"}
    # the attention log holds the one real rejection only
    assert [e.file for e in collect.attention.load(course, A) if e.kind == "rejected"] == \
        [f"{title}/Lima, Maria(mlima)/grades.csv"]
    printed = render(list(outs.values()), A, export)
    assert "2 accepted, 1 rejected" in printed and "(7 skipped: no student's file)" in printed
    assert "macOS or Windows" in outs["__MACOSX/._entregas.zip"].reason


def test_sakais_timestamp_txt_is_the_hand_in_time(course, tmp_path):
    """Sakai's zip may stamp every entry with the download's time; `<student>/timestamp.txt`
    (yyyyMMddHHmmssSSS) says when the student handed in, read in the course's zone."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from course.intake import collect

    title = "Aula 01 - Grafo"
    download = (2026, 12, 15, 8, 0, 0)
    files = {f"{title}/Souza, Ana(asouza)/timestamp.txt": "20261209100000000",
             f"{title}/Souza, Ana(asouza)/Submission attachment(s)/{A}.ipynb": nb(),
             f"{title}/Lima, Maria(mlima)/timestamp.txt": "20261212110000500",
             f"{title}/Lima, Maria(mlima)/Submission attachment(s)/Cópia de {A}.ipynb": nb(),
             f"{title}/Reis, Rui(rreis)/Submission attachment(s)/{A}.ipynb": nb(),
             f"{title}/timestamp.txt": "20261201000000000"}  # nobody's: not used
    export = zipped(tmp_path / "sakai.zip", files, {p: download for p in files})
    outs = collect.collect(course, A, export, timezone="America/Sao_Paulo")
    at = {o.student: o.at for o in outs if o.accepted}
    zone = ZoneInfo("America/Sao_Paulo")
    assert at == {"Souza_Ana_asouza": datetime(2026, 12, 9, 10, 0, tzinfo=zone),
                  "Lima_Maria_mlima": datetime(2026, 12, 12, 11, 0, 0, 500000, tzinfo=zone),
                  "Reis_Rui_rreis": datetime(2026, 12, 15, 8, 0, tzinfo=zone)}
    stamp = course.submitted_dir / "Souza_Ana_asouza" / A / "timestamp.txt"
    assert stamp.read_text().strip() == "2026-12-09 13:00:00.000000 UTC"
    ana = next(o for o in outs if o.student == "Souza_Ana_asouza")
    assert "Sakai's timestamp.txt" in ana.notes


def test_moodle_online_text_is_named_with_the_links_it_holds(course, tmp_path, monkeypatch):
    """An "online text + file" assignment: a student who pasted a Colab link instead of
    uploading is told apart from a stray .html, and the link is in the reason."""
    monkeypatch.setenv("COURSE_INSTRUCTOR_LANG", "es")
    link = "https://colab.research.google.com/drive/1AbC-xyz?usp=sharing"
    outs = run(course, zipped(tmp_path / "m.zip", {
        "Ana Souza_101_assignsubmission_onlinetext_/onlinetext.html":
            f'<p>Profe, mi cuaderno: <a href="{link}">aquí</a></p>',
        f"Ana Souza_101_assignsubmission_file_/{A}.ipynb": nb(),
        "Bruno Dias_102_assignsubmission_onlinetext_/onlinetext.html": "<p>listo</p>"}))
    ana = outs["Ana Souza_101_assignsubmission_onlinetext_/onlinetext.html"]
    assert (ana.student, ana.reason) == ("101", (
        "texto en línea de Moodle (lo que el estudiante escribió en la página de entrega), no un "
        "archivo de notebook; contiene un enlace, así que el notebook está allí y no en esta "
        f"exportación: {link}"))
    bruno = outs["Bruno Dias_102_assignsubmission_onlinetext_/onlinetext.html"]
    assert bruno.reason.startswith("texto en línea de Moodle") and "enlace" not in bruno.reason
    assert outs[f"Ana Souza_101_assignsubmission_file_/{A}.ipynb"].accepted


# --- an export in several parts (Google Drive's split download) ------------------------------

DRIVE = "drive-download-20261209T101500Z"


def _drive_parts(tmp_path):
    """Ana's newest notebook (10:00) in part 1, her older copy (09:00) in part 2, Bia's in 2."""
    part1 = zipped(tmp_path / f"{DRIVE}-001.zip", {f"Ana Souza/{A}.ipynb": nb()},
                   {f"Ana Souza/{A}.ipynb": (2026, 12, 9, 10, 0, 0)})
    part2 = zipped(tmp_path / f"{DRIVE}-002.zip",
                   {f"Ana Souza/{A} (1).ipynb": nb(), f"Bia Reis/{A}.ipynb": nb()},
                   {f"Ana Souza/{A} (1).ipynb": (2026, 12, 9, 9, 0, 0)})
    return part1, part2


def test_the_parts_of_a_drive_download_are_collected_as_one_export(course, tmp_path, capsys):
    """Collected one at a time, part 2 replaced Ana's newest notebook (part 1) with her older
    copy, and nothing said so; given together, every part is one export and the newest wins."""
    from course import cli

    part1, part2 = _drive_parts(tmp_path)
    outs = {o.upload.path: o for o in collect.collect(course, A, [part1, part2], None)}
    kept = {o.student: path for path, o in outs.items() if o.accepted}
    assert kept == {"Ana_Souza": f"Ana Souza/{A}.ipynb", "Bia_Reis": f"Bia Reis/{A}.ipynb"}
    assert not outs[f"Ana Souza/{A} (1).ipynb"].accepted
    assert cli.main(["collect", A, str(part1), str(part2)]) == 0
    printed = capsys.readouterr()
    assert f"from {part1}, {part2}: 2 accepted" in printed.out
    assert "WARNING" not in printed.err


def test_a_drive_part_given_alone_warns_of_the_parts_beside_it(course, tmp_path, capsys):
    from course import cli

    part1, part2 = _drive_parts(tmp_path)
    assert cli.main(["collect", A, str(part1)]) == 0
    err = capsys.readouterr().err
    assert "WARNING" in err and str(part2) in err and "in one command" in err


def test_a_file_in_two_parts_stops_the_collect_before_anything_is_written(course, tmp_path):
    """The same zip given twice, or parts of two downloads: which copy is meant cannot be
    told, so nothing is collected and the instructor is told which file and which parts."""
    part1, _part2 = _drive_parts(tmp_path)
    with pytest.raises(CourseError, match=f"Ana Souza/{A}.ipynb is in both .*-001.zip and "
                                          f".*-001.zip: give each part"):
        collect.collect(course, A, [part1, part1], None)
    assert not course.submitted_dir.exists() or not any(course.submitted_dir.rglob("*.ipynb"))
    with pytest.raises(CourseError, match="no such folder or zip file"):
        collect.collect(course, A, [part1, tmp_path / "missing-002.zip"], None)
