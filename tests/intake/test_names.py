"""Students with names: `collect` writes the names an LMS export carries (Moodle, Google
Classroom, a folder named after the student; none from Canvas) into nbgrader's gradebook, never
over a name already there; a roster CSV (pt/es/en headers, `;`, Excel's Windows-1252) sets
them and wins over what exports found; accented names round-trip."""
from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import nbformat
import pytest

from conftest import scratch_course
from course import cli
from course.course_folder import CourseError
from course.intake import collect, roster
from course.intake.names import Name, exported_name, split_name
from test_repair import solved

ROOT = Path(__file__).resolve().parents[2]
A = "01_graph_pt"
NB = nbformat.writes(solved())
pytestmark = pytest.mark.filterwarnings("ignore:.*not in session.*")


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """One scratch course for the module (creating a gradebook costs seconds): each test uses
    students of its own."""
    course = scratch_course(tmp_path_factory.mktemp("names") / "course")
    shutil.copytree(ROOT / "source", course.source_dir)
    return course


def write(base: Path, files: dict[str, str | bytes]) -> Path:
    for rel, data in files.items():
        path = base / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return base


def names(course, *students) -> dict[str, tuple]:
    """{id: (first, last, email)} as the gradebook holds them; absent students left out."""
    from nbgrader.api import MissingEntry

    out = {}
    with course.gradebook() as gb:
        for student in students:
            try:
                s = gb.find_student(student)
            except MissingEntry:
                continue
            out[student] = (s.first_name, s.last_name, s.email)
    return out


@pytest.mark.parametrize("raw,name", [
    ("Ana Souza", Name("Ana", "Souza")),
    ("Maria da Silva Santos", Name("Maria", "da Silva Santos")),
    ("  José   Peña ", Name("José", "Peña")),
    ("Ana_Souza", Name("Ana", "Souza")),
    ("Jean-Luc O'Brien", Name("Jean-Luc", "O'Brien")),
    ("Ana", Name("Ana", "")),
    ("Jose\u0301 Pen\u0303a", Name("José", "Peña")),  # macOS folder names are NFD
    ("ab123", None), ("s1", None), ("", None), (None, None), ("x@y.com", None),
])
def test_split_name(raw, name):
    assert split_name(raw) == name


@pytest.mark.parametrize("raw", ["Participant", "Participante", "Participant 12345", "Ana",
                                 "asouza"])
def test_one_word_in_an_export_is_no_name(raw):
    """Moodle's blind marking ("Participant" in the site's language), a login, a lone word."""
    assert exported_name(raw) is None
    assert exported_name("Ana Souza") == Name("Ana", "Souza")


def test_names_from_each_layout_go_to_the_gradebook(course, tmp_path):
    export = write(tmp_path / "export", {
        f"Ana Souza_12345_assignsubmission_file_/{A}.ipynb": NB,        # Moodle folder
        f"Maria da Silva Santos_777_assignsubmission_file_{A}.ipynb": NB,  # Moodle file prefix
        f"Bruno Lima - {A}.ipynb": NB,                                   # Classroom copy
        f"José Peña/Copy of {A}.ipynb": NB,                              # a folder per student
        f"souzaana_555_666_{A}.ipynb": NB,                               # Canvas: a login
        f"s1/{A}.ipynb": NB, f"ab123/{A}.ipynb": NB})                    # folders, not names
    outs = {o.student: o for o in collect.collect(course, A, export)}
    assert {s: o.name for s, o in outs.items()} == {
        "12345": Name("Ana", "Souza"), "777": Name("Maria", "da Silva Santos"),
        "Bruno_Lima": Name("Bruno", "Lima"), "José_Peña": Name("José", "Peña"),
        "555": None, "s1": None, "ab123": None}
    assert names(course, *outs) == {
        "12345": ("Ana", "Souza", None), "777": ("Maria", "da Silva Santos", None),
        "Bruno_Lima": ("Bruno", "Lima", None), "José_Peña": ("José", "Peña", None)}


def test_accented_names_in_a_moodle_zip_round_trip(course, tmp_path):
    with zipfile.ZipFile(tmp_path / "moodle.zip", "w") as zf:  # UTF-8 names, as Moodle writes
        zf.writestr(f"João Núñez Conceição_4242_assignsubmission_file_/{A}.ipynb", NB)
        zf.writestr(f"Zoë Ñandú_4343_assignsubmission_file_{A}.ipynb", NB)
    collect.collect(course, A, tmp_path / "moodle.zip")
    assert names(course, "4242", "4343") == {"4242": ("João", "Núñez Conceição", None),
                                             "4343": ("Zoë", "Ñandú", None)}


def test_a_name_already_in_the_gradebook_is_never_overwritten_by_an_export(course, tmp_path):
    with course.gradebook() as gb:  # as an instructor types them in formgrader
        gb.update_or_create_student("888", first_name="Aninha")
        gb.update_or_create_student("889", last_name="Lima Neto", email="b@x.br")
        gb.update_or_create_student("890", first_name="", last_name="")  # empty: filled
    export = write(tmp_path / "export", {
        f"Ana Souza_888_assignsubmission_file_/{A}.ipynb": NB,
        f"Bruno Lima_889_assignsubmission_file_/{A}.ipynb": NB,
        f"Carla Dias_890_assignsubmission_file_/{A}.ipynb": NB})
    for _ in range(2):  # collecting again changes nothing either
        collect.collect(course, A, export)
        assert names(course, "888", "889", "890") == {
            "888": ("Aninha", None, None), "889": (None, "Lima Neto", "b@x.br"),
            "890": ("Carla", "Dias", None)}


def test_a_roster_with_semicolons_from_excel_sets_the_names(course, tmp_path, monkeypatch,
                                                            capsys):
    export = write(tmp_path / "export", {f"Ana Souza_901_assignsubmission_file_/{A}.ipynb": NB,
                                         f"Bruno Lima - {A}.ipynb": NB})
    collect.collect(course, A, export)
    assert names(course, "901") == {"901": ("Ana", "Souza", None)}
    # Brazilian Excel: ';', Windows-1252, accented headers and names, an empty cell
    (tmp_path / "turma.csv").write_bytes(
        "Matrícula;Nome;Sobrenome;E-mail\r\n"
        "901;Ana Paula;Souza Núñez;ana@uni.br\r\n"
        "902;João;Conceição;\r\n"
        ";;;\r\n"
        "Bruno Lima;;;bruno@uni.br\r\n".encode("cp1252"))
    monkeypatch.setenv("COURSE_ROOT", str(course.root))
    assert cli.main(["roster", str(tmp_path / "turma.csv")]) == 0
    assert "3 students (1 new, 2 updated) in the gradebook" in capsys.readouterr().out
    assert names(course, "901", "902", "Bruno_Lima") == {
        "901": ("Ana Paula", "Souza Núñez", "ana@uni.br"),   # the roster wins over the export
        "902": ("João", "Conceição", None),                  # a student who sent nothing yet
        "Bruno_Lima": ("Bruno", "Lima", "bruno@uni.br")}     # empty cells keep the names
    collect.collect(course, A, export)  # and a later export does not undo the roster
    assert names(course, "901")["901"] == ("Ana Paula", "Souza Núñez", "ana@uni.br")


def test_a_roster_saved_by_excel_as_unicode_text_is_read(course, tmp_path, monkeypatch,
                                                         capsys):
    """Excel's "Unicode Text" is UTF-16 with tabs: read as Windows-1252 it had no id column."""
    (tmp_path / "turma.txt").write_bytes(
        "Matrícula\tNome\tSobrenome\r\n903\tInês\tAraújo\r\n".encode("utf-16"))
    monkeypatch.setenv("COURSE_ROOT", str(course.root))
    assert cli.main(["roster", str(tmp_path / "turma.txt")]) == 0
    assert names(course, "903") == {"903": ("Inês", "Araújo", None)}


def test_a_spanish_roster_in_utf8_through_collect(course, tmp_path, monkeypatch, capsys):
    (tmp_path / "clase.csv").write_text(
        "\ufeffLegajo,Nombre,Apellido,Correo electrónico\n"
        "903,María José,Núñez Peña,mj@uni.ar\n"
        '904,"Iñaki","de la Fuente, hijo",\n', encoding="utf-8")
    (tmp_path / "lista.csv").write_text("ID\tNome completo\n905\tMaria da Silva Santos\n",
                                        encoding="utf-8")
    export = write(tmp_path / "export", {f"Maria J_903_assignsubmission_file_/{A}.ipynb": NB})
    monkeypatch.setenv("COURSE_ROOT", str(course.root))
    assert cli.main(["collect", A, str(export), "--roster", str(tmp_path / "clase.csv")]) == 0
    assert cli.main(["roster", str(tmp_path / "lista.csv")]) == 0
    assert names(course, "903", "904", "905") == {
        "903": ("María José", "Núñez Peña", "mj@uni.ar"),  # the roster, not the export's
        "904": ("Iñaki", "de la Fuente, hijo", None),
        "905": ("Maria", "da Silva Santos", None)}
    (tmp_path / "bad.csv").write_text("nome;turma\nAna;A\n", encoding="utf-8")
    assert cli.main(["roster", str(tmp_path / "bad.csv")]) == 2
    assert "no id column" in capsys.readouterr().err
    with pytest.raises(CourseError, match="no such roster file"):
        roster.read(tmp_path / "missing.csv")


def test_roster_headers_in_three_languages():
    for header in ("id", "Student ID", "matrícula", "RA", "Legajo", "usuário", "ID"):
        assert roster._LOOKUP[roster.plain(header)] == "id", header
    for header, field in (("First name", "first_name"), ("first_name", "first_name"),
                          ("Nome", "first_name"), ("nombre", "first_name"),
                          ("Sobrenome", "last_name"), ("Apellidos", "last_name"),
                          ("last_name", "last_name"), ("E-mail", "email"),
                          ("Correo", "email"), ("Endereço de e-mail", "email"),
                          ("Nombre completo", "full_name")):
        assert roster._LOOKUP[roster.plain(header)] == field, header
