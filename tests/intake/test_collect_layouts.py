"""Exports whose student is not the file's own folder (Teams, Sakai, GitHub Classroom, a
wrapper of files named by student, a Drive folder of unnamed copies): nobody is merged with
anybody, and whatever cannot name a student is rejected with the reason."""
from __future__ import annotations

import zipfile

import pytest

from course.intake.archive import legacy_decode
from test_collect import A, course, run, text, write, zipped  # noqa: F401  (fixture)
from test_repair import solved


def zip_with_raw_names(path, names: list[bytes]):
    """A zip whose entry names are these bytes, without the UTF-8 flag (as macOS's and Windows'
    own zip tools write them): written under ASCII placeholders of the same length, then
    patched (zipfile itself would set the flag)."""
    placeholders = [f"{i}".encode() * len(n) for i, n in enumerate(names)]
    with zipfile.ZipFile(path, "w") as zf:
        for placeholder in placeholders:
            zf.writestr(zipfile.ZipInfo(placeholder.decode(), (2024, 3, 1, 12, 0, 0)),
                        text(solved()))
    data = path.read_bytes()
    for placeholder, name in zip(placeholders, names):
        data = data.replace(placeholder, name)
    path.write_bytes(data)
    return path


def ids(outs) -> dict[str, str | None]:
    return {path: (o.student if o.accepted else None) for path, o in outs.items()}


def test_teams_sakai_and_github_classroom_keep_one_student_per_folder(course, tmp_path):
    nb = text(solved())
    layouts = {
        "teams": {f"Submitted files/{s}/01 Grafo/{A}.ipynb": s
                  for s in ("Ana Souza", "José Peña", "Maria Lima")},
        "sakai": {f"01 Grafo/{s}/Submission attachment(s)/{A}.ipynb": s
                  for s in ("Souza, Ana(asouza)", "Peña, José(jpena)")},
        "github": {"subs/01-graph-ana/notebooks/x.ipynb": "01-graph-ana",
                   "subs/01-graph-jose/x.ipynb": "01-graph-jose"},
    }
    want = {"Ana Souza": "Ana_Souza", "José Peña": "José_Peña", "Maria Lima": "Maria_Lima",
            "Souza, Ana(asouza)": "Souza_Ana_asouza", "Peña, José(jpena)": "Peña_José_jpena",
            "01-graph-ana": "01-graph-ana", "01-graph-jose": "01-graph-jose"}
    for name, files in layouts.items():
        export = write(tmp_path / name, {path: nb for path in files})
        outs = run(course, export)
        assert ids(outs) == {path: want[who] for path, who in files.items()}, name


def test_files_named_by_student_in_one_folder(course, tmp_path):
    nb = text(solved())
    export = write(tmp_path / "wrapped", {"entregas/ana_souza.ipynb": nb,
                                          "entregas/2024001.ipynb": nb,
                                          f"entregas/Copy of {A} (1).ipynb": nb,
                                          f"entregas/{A}.ipynb": nb})
    outs = run(course, export)
    assert ids(outs) == {"entregas/ana_souza.ipynb": "ana_souza",
                         "entregas/2024001.ipynb": "2024001",
                         f"entregas/Copy of {A} (1).ipynb": None, f"entregas/{A}.ipynb": None}
    assert outs[f"entregas/{A}.ipynb"].reason.startswith(
        "no student id in its path: no folder or file name there names a student")


def test_a_file_name_inside_a_students_folder_is_not_read_as_an_lms_name(course, tmp_path):
    nb = text(solved())
    export = write(tmp_path / "e", {"José Peña/grafo_2026_12_09.ipynb": nb,
                                    "Ana Souza/Aula 01 - Grafo.ipynb": nb})
    assert set(ids(run(course, export)).values()) == {"José_Peña", "Ana_Souza"}


def test_classroom_copies_and_checkpoints(course, tmp_path):
    nb = text(solved())
    export = write(tmp_path / "c", {f"Copy of Maria Lima - {A}.ipynb": nb,
                                    f"Cópia de Rui Costa - {A}.ipynb": nb,
                                    f"Ana Souza - {A}.ipynb": nb})
    outs = run(course, export)
    assert sorted(o.student for o in outs.values()) == ["Ana_Souza", "Maria_Lima", "Rui_Costa"]
    assert str(outs[f"Copy of Maria Lima - {A}.ipynb"].name) == "Maria Lima"
    export = write(tmp_path / "k", {f"Ana Souza/{A}.ipynb": nb,
                                    f"Ana Souza/.ipynb_checkpoints/{A}-checkpoint.ipynb": nb,
                                    f"Rui Costa/{A}.ipynb": nb})
    outs = run(course, export)
    checkpoint = outs[f"Ana Souza/.ipynb_checkpoints/{A}-checkpoint.ipynb"]
    assert not checkpoint.accepted and "checkpoint" in checkpoint.reason
    assert outs[f"Ana Souza/{A}.ipynb"].accepted


def test_two_files_under_one_name_tell_the_instructor_that_it_may_be_two_students(
        course, tmp_path):
    """Drive names a second `Maria Lima - x.ipynb` `… (1)`: one student handing in twice, or
    two students of the same name; only a person can tell, so the rejection says how to part
    them.  An LMS number as the id never needs the note."""
    nb = text(solved())
    export = zipped(tmp_path / "drive.zip", {f"Maria Lima - {A}.ipynb": nb,
                                             f"Maria Lima - {A} (1).ipynb": nb,
                                             f"Ana Souza - {A}.ipynb": nb},
                    {f"Maria Lima - {A} (1).ipynb": (2024, 3, 1, 13, 0, 0)})
    outs = run(course, export)
    first = outs[f"Maria Lima - {A}.ipynb"]
    assert not first.accepted and first.reason.startswith("superseded by")
    assert "this id is a name: if two students share it, rename one of the files" in first.reason
    assert outs[f"Maria Lima - {A} (1).ipynb"].accepted
    moodle = zipped(tmp_path / "moodle.zip", {
        f"Maria Lima_123_assignsubmission_file_/{A}.ipynb": nb,
        f"Maria Lima_123_assignsubmission_file_/{A} (1).ipynb": nb})
    outs = run(course, moodle)
    (old,) = [o for o in outs.values() if not o.accepted]
    assert old.reason.startswith("superseded by") and "this id is a name" not in old.reason


def test_dated_file_names_in_one_folder_are_not_canvas_ids(course, tmp_path):
    """`ana_2026_12_09.ipynb` and `bruno_2026_12_09_v2.ipynb` side by side: read as Canvas
    (user 2026 or 12) they were one student, one notebook superseding the other."""
    nb = text(solved())
    export = write(tmp_path / "d", {"ana_2026_12_09.ipynb": nb,
                                    "bruno_2026_12_09_v2.ipynb": nb,
                                    f"souzaana_12345_67890_{A}_2026_12_09.ipynb": nb})
    outs = run(course, export)
    assert all(o.accepted for o in outs.values())
    assert sorted(o.student for o in outs.values()) == [
        "12345", "ana_2026_12_09", "bruno_2026_12_09_v2"]


def test_blackboard_names_the_user(course, tmp_path):
    nb = text(solved())
    export = write(tmp_path / "bb", {
        f"Aula 01 - Grafo_asouza_attempt_2026-12-09-10-00-00_{A}.ipynb": nb,
        f"Aula 01 - Grafo_jpena_attempt_2026-12-09-11-00-00_{A}.ipynb": nb})
    assert sorted(o.student for o in run(course, export).values()) == ["asouza", "jpena"]


def test_utf8_names_without_the_zip_flag_and_decomposed_accents(course, tmp_path):
    """macOS's zip writes UTF-8 names, decomposed, without the UTF-8 flag."""
    names = [f"{who}/{A}.ipynb".encode() for who in ("Jose\u0301 Pen\u0303a", "Ana Souza")]
    path = zip_with_raw_names(tmp_path / "mac.zip", names)
    assert not any(i.flag_bits & 0x800 for i in zipfile.ZipFile(path).infolist())
    outs = run(course, path)
    assert sorted(o.student for o in outs.values()) == ["Ana_Souza", "José_Peña"]
    assert {str(o.name) for o in outs.values()} == {"Ana Souza", "José Peña"}


def test_a_very_long_folder_name_is_cut_not_a_crash(course, tmp_path):
    long = "Maria " + "Aparecida " * 40 + "Souza"
    export = zipped(tmp_path / "long.zip", {f"{long}/{A}.ipynb": text(solved()),
                                            f"{long} Filha/{A}.ipynb": text(solved())})
    outs = run(course, export)
    got = [o.student for o in outs.values()]
    assert all(o.accepted for o in outs.values()) and len(set(got)) == 2
    assert all(len(s.encode()) <= 100 for s in got)


def test_moodle_blind_marking_is_no_name(course, tmp_path):
    """Blind marking writes "Participant" in the site's language: one word is no name."""
    export = write(tmp_path / "blind", {
        f"{who}_{n}_assignsubmission_file_{A}.ipynb": text(solved())
        for n, who in enumerate(("Participant", "Participante", "Teilnehmer"), 201)})
    outs = run(course, export).values()
    assert {(o.student, o.name) for o in outs} == {("201", None), ("202", None), ("203", None)}


def test_one_students_folder_with_several_notebooks_is_that_student(course, tmp_path):
    """Collecting one late student's folder: two versions, one student, the newer kept."""
    nb = text(solved())
    export = zipped(tmp_path / "late.zip", {f"late/Ana Souza/{A}.ipynb": nb,
                                            f"late/Ana Souza/{A} (1).ipynb": nb},
                    times={f"late/Ana Souza/{A} (1).ipynb": (2024, 3, 2, 12, 0, 0)})
    outs = run(course, export)
    assert {o.student for o in outs.values()} == {"Ana_Souza"}
    assert [p for p, o in outs.items() if o.accepted] == [f"late/Ana Souza/{A} (1).ipynb"]
    unnamed = write(tmp_path / "drive", {f"{A}/Copy of {A}.ipynb": nb, f"{A}/{A} (1).ipynb": nb})
    assert {o.student for o in run(course, unnamed).values()} == {None}


def test_a_file_that_cannot_be_written_is_rejected_and_the_others_collected(course, tmp_path):
    course.submitted_dir.mkdir(parents=True)
    (course.submitted_dir / "ana").write_text("a file where ana's folder should be")
    nb = text(solved())
    outs = run(course, write(tmp_path / "e", {f"ana/{A}.ipynb": nb, f"bruno/{A}.ipynb": nb}))
    assert outs[f"ana/{A}.ipynb"].reason.startswith("could not be written to ")
    assert outs[f"bruno/{A}.ipynb"].accepted
    assert (course.submitted_dir / "bruno" / A / f"{A}.ipynb").is_file()


def test_brightspace_names_the_user_not_the_submission(course, tmp_path):
    """Brightspace: `<submission>-<user> - Name - date - file`; a resubmission is the user."""
    nb = text(solved())
    export = zipped(tmp_path / "d2l.zip", {
        f"12345-67890 - Ana Souza - Dec 1, 2026 1002 PM - {A}.ipynb": nb,
        f"12399-67890 - Ana Souza - Dec 9, 2026 1002 AM - {A}.ipynb": nb,
        f"12346-67891 - José Peña - Dec 9, 2026 1100 AM - {A}.ipynb": nb},
        times={f"12399-67890 - Ana Souza - Dec 9, 2026 1002 AM - {A}.ipynb":
               (2024, 3, 2, 12, 0, 0)})
    outs = run(course, export)
    assert {o.student for o in outs.values()} == {"67890", "67891"}
    assert [p for p, o in outs.items() if o.accepted and o.student == "67890"] == \
        [f"12399-67890 - Ana Souza - Dec 9, 2026 1002 AM - {A}.ipynb"]
    assert {str(o.name) for o in outs.values()} == {"Ana Souza", "José Peña"}


def test_cp850_names_from_windows_zip(course, tmp_path):
    """Windows' own zip writes cp850 (Brazil, Spain) without the UTF-8 flag: `ã` is not `╞`."""
    names = [f"{who}/{A}.ipynb".encode("cp850") for who in ("João Gonçalves", "José Peña")]
    path = zip_with_raw_names(tmp_path / "win.zip", names)
    outs = run(course, path)
    assert sorted(o.student for o in outs.values()) == ["José_Peña", "João_Gonçalves"]
    assert {str(o.name) for o in outs.values()} == {"João Gonçalves", "José Peña"}


def test_names_in_any_windows_code_page_read_as_typed(course, tmp_path):
    """Names without the UTF-8 flag whose only accents are `õ`, `Ó`, `Ô`, `Ú` (read as cp437
    they are Greek letters: `SimΣes`, `αSCAR`), and names in cp1252 (ANSI: `Joπo`): each in
    the code page where it reads as pt/es, so one student never becomes two when a later
    export writes UTF-8."""
    people = {"cp850": ("Luís Simões", "ÓSCAR MUÑOZ", "Antônio Úrsula"),
              "cp1252": ("João Gonçalves", "Inês Araújo", "Débora Cândido")}
    for code_page, who in people.items():
        path = zip_with_raw_names(tmp_path / f"{code_page}.zip",
                                  [f"{w}/{A}.ipynb".encode(code_page) for w in who])
        outs = run(course, path)
        assert sorted(str(o.name) for o in outs.values()) == sorted(who), code_page
        assert sorted(o.student for o in outs.values()) == sorted(w.replace(" ", "_")
                                                                 for w in who)


@pytest.mark.parametrize("code_page", ["cp850", "cp1252"])
def test_one_code_page_reads_every_legacy_name_of_a_zip(course, tmp_path, code_page):
    """`LOURENÇO` in capitals, written in cp1252, reads `LOURENÃO` in cp850: alone, as
    plausible a name (and cp850 wins the tie).  One tool wrote the whole zip, so the code page
    is chosen once, by all its names together: the class's other names settle it, both ways."""
    who = ("LOURENÇO SILVA", "JOÃO GONÇALVES", "Inês Araújo")
    path = zip_with_raw_names(tmp_path / f"{code_page}.zip",
                              [f"{w}/{A}.ipynb".encode(code_page) for w in who])
    outs = run(course, path)
    assert sorted(str(o.name) for o in outs.values()) == sorted(who)


@pytest.mark.parametrize("name", ["Luís Simões", "ÓSCAR MUÑOZ", "João Gonçalves",
                                  "GONÇALVES", "José Peña", "Muñoz Ibáñez", "Pâmela",
                                  "Maria Conceição", "1º trabalho", "Ágata Úrsula"])
@pytest.mark.parametrize("code_page", ["cp850", "cp1252", "cp437"])
def test_the_most_pt_es_like_reading_of_a_legacy_name_wins(name, code_page):
    try:
        raw = name.encode(code_page)
    except UnicodeEncodeError:
        pytest.skip(f"{code_page} cannot write {name}")
    assert legacy_decode(raw) == name
