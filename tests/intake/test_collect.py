"""`course collect`: every file of an LMS export ends in submitted/<student>/<a>/<a>.ipynb or in
the rejection list with its reason, whatever Colab, the OS or the LMS did to its name; the
originals are never modified.  Exports are built here from the committed notebooks."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import zipfile
from pathlib import Path

import nbformat
import pytest

from conftest import scratch_course
from course import attention, cli
from course.course_folder import CourseError
from course.intake import collect
from course.intake.identify import clean_name
from test_repair import colab_json, release_nb, solved, stripped

ROOT = Path(__file__).resolve().parents[2]
A = "01_graph_pt"
TARGET = f"{A}/{A}.ipynb"


@pytest.fixture
def course(tmp_path, monkeypatch):
    course = scratch_course(tmp_path / "course")
    shutil.copytree(ROOT / "source", course.source_dir)
    monkeypatch.setenv("COURSE_ROOT", str(course.root))
    return course


def write(base: Path, files: dict[str, str | bytes]) -> Path:
    for rel, data in files.items():
        path = base / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return base


def text(nb) -> str:
    return nbformat.writes(nb)


def zipped(path: Path, files: dict[str, str | bytes], times: dict[str, tuple] = {}) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for rel, data in files.items():
            zf.writestr(zipfile.ZipInfo(rel, times.get(rel, (2024, 3, 1, 12, 0, 0))), data)
    return path


def tree_hash(path: Path) -> dict[str, str]:
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() + str(p.stat().st_mtime_ns)
            for p in files}


def run(course, export: Path, patterns=None):
    """collect, checking on the way that the export was left exactly as it was."""
    before = tree_hash(export)
    outcomes = collect.collect(course, A, export, patterns)
    assert tree_hash(export) == before
    return {o.upload.path: o for o in outcomes}


def submitted(course) -> list[str]:
    return sorted(p.relative_to(course.submitted_dir).as_posix()
                  for p in course.submitted_dir.rglob("*.ipynb"))


def log(course, kind: str) -> dict[str, str]:
    return {e.file: e.reason for e in attention.load(course, A) if e.kind == kind}


# --- notebooks and their names ----------------------------------------------------------

def test_colab_saved_notebook_is_accepted_and_normalized_to_4_5(course, tmp_path):
    export = write(tmp_path / "export", {f"Ana/Copy of {A}.ipynb":
                                         colab_json(solved(), f"Copy of {A}.ipynb")})
    out = run(course, export)[f"Ana/Copy of {A}.ipynb"]
    assert (out.accepted, out.student, out.notes) == (True, "Ana", "nbformat 4.0 -> 4.5")
    nb = nbformat.read(course.submitted_dir / "Ana" / TARGET, as_version=nbformat.NO_CONVERT)
    assert (nb.nbformat, nb.nbformat_minor) == (4, 5)
    nbformat.validate(nb)
    assert all(c.get("id") for c in nb.cells)
    assert nb.metadata.colab["name"] == f"Copy of {A}.ipynb"
    assert nb.cells[3].metadata.executionInfo["status"] == "ok"
    assert [c.source for c in nb.cells] == [c.source for c in solved().cells]


@pytest.mark.parametrize("name", [
    f"Copy of {A}.ipynb", f"Cópia de {A}.ipynb", f"Copia de {A}.ipynb", f"{A} (1).ipynb",
    f"{A}(2).ipynb", f"{A} - Copy.ipynb", f"{A} - Cópia.ipynb",
    f"Copy of {A} (1) - Copy (2).ipynb", f"Cópia de Copy of {A}(3).ipynb"])
def test_renamed_copies_are_collected_under_the_assignment_name(course, tmp_path, name):
    export = write(tmp_path / "export", {f"s1/{name}": text(solved())})
    out = run(course, export)[f"s1/{name}"]
    assert (out.accepted, out.student) == (True, "s1")
    assert submitted(course) == [f"s1/{TARGET}"]
    assert log(course, "renamed") == {f"s1/{name}": f"{name!r} (a renamed copy) saved as "
                                                    f"{A}.ipynb"}


@pytest.mark.parametrize("name,clean", [
    ("Copy of 01_graph_pt.ipynb", "01_graph_pt"),
    ("Cópia de 01_graph_pt (1).ipynb", "01_graph_pt"),
    ("01_graph_pt(2).ipynb", "01_graph_pt"), ("01_graph_pt - Copia (4).ipynb", "01_graph_pt"),
    ("x/Copia de 01_graph_pt - Copy.ipynb", "01_graph_pt"), ("tarefa.ipynb", "tarefa"),
    ("01_graph_pt.ipynb - Colab.ipynb", "01_graph_pt"),
    ("01_graph_pt.ipynb - Colaboratory (1).ipynb", "01_graph_pt")])
def test_clean_name(name, clean):
    assert clean_name(name) == clean


def test_the_name_is_not_trusted_the_content_decides(course, tmp_path):
    """A pt notebook (Colab-stripped: no stamp, no nbgrader metadata) named after the es
    assignment, and one with an unrelated name, are both the pt assignment."""
    export = write(tmp_path / "export", {"s1/01_graph_es.ipynb": text(stripped(solved())),
                                         "s2/tarefa.ipynb": text(stripped(release_nb()))})
    outs = run(course, export)
    assert all(o.accepted for o in outs.values())
    assert submitted(course) == [f"s1/{TARGET}", f"s2/{TARGET}"]
    assert log(course, "renamed") == {
        "s1/01_graph_es.ipynb": f"'01_graph_es.ipynb' saved as {A}.ipynb",
        "s2/tarefa.ipynb": f"'tarefa.ipynb' saved as {A}.ipynb"}


# --- rejections -------------------------------------------------------------------------

def test_other_language_is_rejected_not_graded_as_this_assignment(course, tmp_path):
    export = write(tmp_path / "export", {
        "s1/01_graph_es.ipynb": text(solved("01_graph_es")),
        f"s2/Copy of {A}.ipynb": colab_json(solved("01_graph_es"), "x.ipynb")})
    outs = run(course, export)
    assert outs["s1/01_graph_es.ipynb"].reason == \
        f"notebook of 01_graph_es, not {A} (told by its stamp)"
    assert outs[f"s2/Copy of {A}.ipynb"].reason == \
        f"notebook of 01_graph_es, not {A} (told by its content)"
    assert submitted(course) == []
    assert log(course, "rejected") == {k: o.reason for k, o in outs.items()}


def test_a_stamp_naming_no_assignment_of_the_course_leaves_it_to_the_content(course, tmp_path):
    """A release of an older name (`01_grafo_pt`) or another course's stamp tells nothing."""
    nb = solved(A)
    nb.metadata.setdefault("course", {})["assignment"] = "01_grafo_pt"
    export = write(tmp_path / "export", {f"s1/{A}.ipynb": text(nb)})
    outs = run(course, export)
    assert outs[f"s1/{A}.ipynb"].accepted
    assert submitted(course) == [f"s1/{TARGET}"]


@pytest.mark.parametrize("name,data,reason", [
    ("empty.ipynb", b"", "empty file"),
    ("blank.ipynb", b"  \n", "empty file"),
    ("broken.ipynb", b'{"cells": [', "not a notebook: the file is not JSON"),
    ("data.ipynb", b'{"a": 1}', "not a notebook: JSON without notebook cells"),
    ("list.ipynb", b"[1, 2]", "not a notebook: JSON without notebook cells"),
    ("report.pdf", b"%PDF-1.4\n", "not a notebook: .pdf file"),
    ("answer.py", b"def forward(x, w, y):\n    pass\n", "not a notebook: .py file"),
    ("README", b"hello", "not a notebook: a file without extension"),
    ("other.ipynb", nbformat.writes(nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell("print(1)")])).encode(),
     "not a notebook of this course (no answer cell of any assignment found)"),
])
def test_files_that_are_not_a_submission_are_rejected_with_a_reason(course, tmp_path, name,
                                                                    data, reason):
    export = write(tmp_path / "export", {f"s1/{name}": data})
    out = run(course, export)[f"s1/{name}"]
    assert (out.accepted, out.student, out.reason) == (False, "s1", reason)
    assert log(course, "rejected") == {f"s1/{name}": reason}
    assert collect.main(course, A, str(export), None) == 1


def test_an_nbformat_3_notebook_is_converted_and_accepted(course, tmp_path):
    old = nbformat.writes(solved(), version=3)
    assert '"worksheets"' in old and '"cells"' not in old.split('"worksheets"')[0]
    out = run(course, write(tmp_path / "export", {f"s1/{A}.ipynb": old}))[f"s1/{A}.ipynb"]
    assert out.accepted and out.notes.startswith("nbformat 3.")
    got = nbformat.read(course.submitted_dir / "s1" / TARGET, as_version=4)
    assert (got.nbformat, got.nbformat_minor) == (4, 5)


def test_format_slips_jupyter_opens_are_mended_not_rejected(course, tmp_path):
    """A markdown cell holding `outputs`/`execution_count`, an output without `metadata`
    (converters and editors write them; Jupyter and Colab open such a notebook): the whole
    submission was rejected as "not a valid notebook"."""
    raw = json.loads(text(solved()))
    md = next(c for c in raw["cells"] if c["cell_type"] == "markdown")
    md.update(outputs=[], execution_count=None)
    code = next(c for c in raw["cells"] if c["cell_type"] == "code")
    code["outputs"] = [{"output_type": "display_data", "data": {"text/plain": "x"}}]
    out = run(course, write(tmp_path / "export", {f"s1/{A}.ipynb": json.dumps(raw)}))
    out = out[f"s1/{A}.ipynb"]
    assert out.accepted, out.reason
    assert out.notes == ("format slips mended: `outputs` in a markdown cell, `execution_count` "
                         "in a markdown cell, an output without `metadata`")
    got = nbformat.read(course.submitted_dir / "s1" / TARGET, as_version=4)
    nbformat.validate(got)
    assert [c.source for c in got.cells] == [
        "".join(c["source"]) if isinstance(c["source"], list) else c["source"]
        for c in raw["cells"]]


@pytest.mark.parametrize("name,suffix", [(f"{A}.ipynb.txt", ".txt"), (f"{A}.json", ".json")])
def test_a_notebook_with_the_wrong_extension_is_rejected_saying_so(course, tmp_path, name,
                                                                 suffix):
    out = run(course, write(tmp_path / "export", {f"s1/{name}": text(solved())}))[f"s1/{name}"]
    assert out.reason == (f"wrong extension {suffix}: it looks like a notebook; it is collected "
                          "only as .ipynb (rename it, or ask the student to send it again)")


NO_ID = ("no student id in its path: no folder or file name there names a student (the "
         "assignment's notebook or a copy of it names no one; --id-pattern can say where the id "
         "is)")


def test_a_file_without_student_id_is_rejected(course, tmp_path):
    export = write(tmp_path / "export", {f"{A}.ipynb": text(solved())})
    out = run(course, export)[f"{A}.ipynb"]
    assert (out.student, out.reason) == (None, NO_ID)


def test_several_notebooks_keep_the_newest(course, tmp_path):
    export = write(tmp_path / "export", {"s1/old.ipynb": text(release_nb()),
                                         "s1/new.ipynb": text(solved()),
                                         "s2/a.ipynb": text(release_nb()),
                                         "s2/b.ipynb": text(solved())})
    os.utime(export / "s1/old.ipynb", (2_000_000_000, 2_000_000_000))  # newer, sorts last
    os.utime(export / "s1/new.ipynb", (1_000_000_000, 1_000_000_000))
    for name in ("a", "b"):
        os.utime(export / f"s2/{name}.ipynb", (1_500_000_000, 1_500_000_000))
    outs = run(course, export)
    assert outs["s1/new.ipynb"].reason == \
        "superseded by s1/old.ipynb (only the newest is kept): it was handed in later"
    assert outs["s2/a.ipynb"].reason == \
        "superseded by s2/b.ipynb (only the newest is kept): same time; its path sorts last"
    assert outs["s1/old.ipynb"].accepted and outs["s2/b.ipynb"].accepted
    got = nbformat.read(course.submitted_dir / "s2" / TARGET, as_version=4)
    assert [c.source for c in got.cells] == [c.source for c in solved().cells]


def test_equal_times_keep_the_later_upload_and_say_why(course, tmp_path):
    """A zip stamps a whole submission with one time: Canvas's attachment number (as a number:
    10000 after 9999), then Moodle's `(1)` copy number tell the later upload."""
    moodle = "Ana Souza_101_assignsubmission_file_"
    files = {f"{moodle}/{A}.ipynb": text(release_nb()),
             f"{moodle}/{A} (1).ipynb": text(solved()),
             f"costarui_12349_9999_{A}.ipynb": text(release_nb()),
             f"costarui_12349_10000_{A}.ipynb": text(solved())}
    outs = run(course, zipped(tmp_path / "tie.zip", files))
    assert outs[f"{moodle}/{A} (1).ipynb"].accepted
    assert outs[f"{moodle}/{A}.ipynb"].reason == (
        f"superseded by {moodle}/{A} (1).ipynb (only the newest is kept): "
        "same time; its copy number `(N)` is higher (a later upload)")
    assert outs[f"costarui_12349_10000_{A}.ipynb"].accepted
    assert outs[f"{moodle}/{A} (1).ipynb"].reason is None
    assert outs[f"costarui_12349_9999_{A}.ipynb"].reason == (
        f"superseded by costarui_12349_10000_{A}.ipynb (only the newest is kept): "
        "same time; its Canvas attachment number is higher (a later upload)")


# --- LMS exports ------------------------------------------------------------------------

def test_moodle_zip(course, tmp_path):
    folder = "Ana Souza_12345_assignsubmission_file_"
    files = {f"{folder}/Copy of {A}.ipynb": text(solved()),
             f"{folder}/{A}.ipynb": text(release_nb()),
             f"Bruno Lima_678_assignsubmission_file_{A} (1).ipynb": text(solved()),
             "Carla Dias_9_assignsubmission_file_/notes.pdf": b"%PDF"}
    export = zipped(tmp_path / "moodle.zip", files, times={
        f"{folder}/{A}.ipynb": (2024, 3, 1, 10, 0, 0)})
    outs = run(course, export)
    assert submitted(course) == [f"12345/{TARGET}", f"678/{TARGET}"]
    assert outs[f"{folder}/{A}.ipynb"].reason == \
        f"superseded by {folder}/Copy of {A}.ipynb (only the newest is kept): it was handed in later"
    assert outs["Carla Dias_9_assignsubmission_file_/notes.pdf"].student == "9"
    got = nbformat.read(course.submitted_dir / "12345" / TARGET, as_version=4)
    assert [c.source for c in got.cells] == [c.source for c in solved().cells]


def test_canvas_zip(course, tmp_path):
    files = {f"souzaana_12345_67890_{A}.ipynb": text(solved()),
             f"limabruno_LATE_222_333_Copy of {A}.ipynb": text(solved()),
             f"diascarla_late_444_555_{A}-1.ipynb": text(solved()),
             f"obrien_seanpatrick_12348_67895_{A}.ipynb": text(solved()),  # `_` in a login
             f"_12350_67896_{A}.ipynb": text(solved())}  # no login
    outs = run(course, zipped(tmp_path / "canvas.zip", files))
    assert {o.student for o in outs.values()} == {"12345", "222", "444", "12348", "12350"}
    assert submitted(course) == [f"{s}/{TARGET}" for s in ("12345", "12348", "12350", "222",
                                                            "444")]


def test_google_classroom_folder(course, tmp_path):
    export = write(tmp_path / "classroom", {
        f"Ana Souza/Copy of {A}.ipynb": text(stripped(solved())),
        f"Bruno Lima - {A}.ipynb": text(solved()),
        f"José Peña/{A} - Copy.ipynb": text(solved())})
    outs = run(course, export)
    assert {p: o.student for p, o in outs.items()} == {
        f"Ana Souza/Copy of {A}.ipynb": "Ana_Souza", f"Bruno Lima - {A}.ipynb": "Bruno_Lima",
        f"José Peña/{A} - Copy.ipynb": "José_Peña"}
    assert submitted(course) == [f"Ana_Souza/{TARGET}", f"Bruno_Lima/{TARGET}",
                                 f"José_Peña/{TARGET}"]


def test_custom_id_pattern(course, tmp_path):
    export = write(tmp_path / "export", {f"ab123_{A}.ipynb": text(solved()),
                                         f"Ana/{A}.ipynb": text(solved())})
    outs = run(course, export, [r"^(?P<student>[a-z]+\d+)_"])
    assert outs[f"ab123_{A}.ipynb"].student == "ab123"
    assert outs[f"Ana/{A}.ipynb"].reason == "no student id in its path (no --id-pattern matched)"
    with pytest.raises(CourseError, match="has no \\(\\?P<student>...\\) group"):
        collect.collect(course, A, export, [r"^(\w+)_"])


# --- the command ------------------------------------------------------------------------

def test_main_prints_a_summary_and_a_rerun_replaces_the_log(course, tmp_path, capsys):
    export = write(tmp_path / "export", {f"s1/Copy of {A}.ipynb": text(solved()),
                                         "s2/x.pdf": b"%PDF"})
    assert cli.main(["collect", A, str(export)]) == 0
    assert cli.main(["collect", A, str(export)]) == 0
    out = capsys.readouterr().out
    assert f"collect {A} from {export}: 1 accepted, 1 rejected" in out
    assert "s2/x.pdf" in out and "not a notebook: .pdf file" in out
    assert len(attention.load(course, A)) == 2  # one rename, one rejection: not doubled


def test_bad_arguments_are_clear_errors(course, tmp_path, capsys):
    with pytest.raises(CourseError, match="no such folder or zip file"):
        collect.collect(course, A, tmp_path / "missing", None)
    with pytest.raises(CourseError, match="'99_none_pt' is not an assignment of this course"):
        collect.collect(course, "99_none_pt", tmp_path, None)
    assert cli.main(["collect", A, str(tmp_path / "missing")]) == 2
    assert "course collect: error:" in capsys.readouterr().err
    not_zip = write(tmp_path, {"x.txt": "hi"}) / "x.txt"
    with pytest.raises(CourseError, match="expected a folder or a .zip file"):
        collect.collect(course, A, not_zip, None)


def test_zip_entries_cannot_escape_submitted(course, tmp_path):
    export = zipped(tmp_path / "evil.zip", {f"../{A}.ipynb": text(solved()),
                                            f"x/../../{A}.ipynb": text(solved())})
    outs = run(course, export)
    assert {o.reason for o in outs.values()} == {NO_ID}
    assert not course.submitted_dir.exists() and not (course.root.parent / A).exists()


def test_a_notebook_as_much_like_two_assignments_is_not_guessed(course, tmp_path):
    """Only code cells shared by pt and es, and a name that names neither."""
    nb = stripped(solved())
    nb.cells = [c for c in nb.cells if c.cell_type == "code" and "LANG" not in c.source]
    export = write(tmp_path / "export", {"s1/tarefa.ipynb": text(nb),
                                         "s2/01_graph_pt (1).ipynb": text(nb)})
    outs = run(course, export)
    assert outs["s1/tarefa.ipynb"].reason == ("cannot tell which notebook this is (told by its "
                                              "content: as much like 01_graph_es as 01_graph_pt)")
    assert outs["s2/01_graph_pt (1).ipynb"].accepted


def test_collecting_again_names_the_students_this_export_does_not_bring(course, tmp_path,
                                                                       capsys):
    first = write(tmp_path / "first", {f"ana/{A}.ipynb": text(solved()),
                                       f"bruno/{A}.ipynb": text(solved()),
                                       f"carla/{A}.ipynb": text(solved())})
    run(course, first)
    late = write(tmp_path / "late", {f"carla/{A}.ipynb": text(solved()),
                                     f"dora/{A}.ipynb": text(solved())})
    assert collect.main(course, A, str(late), None) == 0
    out = capsys.readouterr().out
    assert ("kept from an earlier collect, none accepted from this export (2): ana, bruno"
            in out)
    kept = {e.student: e.reason for e in attention.load(course, A) if e.kind == "kept_earlier"}
    assert set(kept) == {"ana", "bruno"}
    assert kept["ana"].startswith("no notebook of this export was accepted for this student")
    assert submitted(course) == [f"{s}/{TARGET}" for s in ("ana", "bruno", "carla", "dora")]


def test_a_copy_number_breaks_a_tie_only_beside_the_file_it_copies(course, tmp_path):
    files = {f"Ana Souza/{A}.ipynb": text(solved()),
             f"Ana Souza - {A} (1).ipynb": text(solved()),
             f"Ana Souza - {A}.ipynb": text(solved())}
    outs = run(course, zipped(tmp_path / "mixed.zip", files))
    assert outs[f"Ana Souza/{A}.ipynb"].accepted
    assert outs[f"Ana Souza - {A} (1).ipynb"].reason.split(" (this id is a name")[0].endswith(
        "same time; its path sorts last")


# --- a notebook in another text encoding ------------------------------------------------------

def _with_written_answer(answer: str):
    nb = solved()
    nb.cells.append(nbformat.v4.new_markdown_cell(answer))
    return nb


@pytest.mark.parametrize("encoding, note", [
    ("utf-16", "read as UTF-16 (not UTF-8)"),        # Notepad's "Unicode", with its mark
    ("utf-16-le", "read as UTF-16-LE (not UTF-8)"),  # without the mark
    ("utf-32", "read as UTF-32 (not UTF-8)"),
    ("cp1252", "not UTF-8: read as Windows-1252"),   # an old Windows editor's code page
])
def test_a_notebook_saved_in_another_encoding_keeps_every_accent(course, tmp_path, encoding,
                                                                 note):
    """UTF-16 was rejected as "not JSON"; Windows-1252 was collected with every accent of the
    student's written answers turned into U+FFFD, and nobody told."""
    answer = "A função é côncava; la función es cóncava, ¿señor?"
    # (the lesson's own emoji have no place in Windows-1252: "?" there, as an editor does)
    data = nbformat.writes(_with_written_answer(answer)).encode(encoding, errors="replace")
    outs = run(course, write(tmp_path / "export", {f"s1/{A}.ipynb": data}))
    out = outs[f"s1/{A}.ipynb"]
    assert out.accepted, out.reason
    assert note in out.notes
    kept = nbformat.read(course.submitted_dir / "s1" / A / f"{A}.ipynb", as_version=4)
    assert kept.cells[-1].source == answer


def test_a_damaged_utf8_notebook_says_how_many_characters_were_lost(course, tmp_path):
    data = nbformat.writes(_with_written_answer("Ação: ok")).encode("utf-8")
    data = data.replace("Ação".encode(), "A\xe7\xe3o".encode("latin-1") + "çã".encode(), 1)
    out = run(course, write(tmp_path / "export", {f"s1/{A}.ipynb": data}))[f"s1/{A}.ipynb"]
    assert out.accepted, out.reason
    assert "not valid UTF-8: 2 damaged character(s) replaced" in out.notes
    plain = nbformat.writes(solved()).encode("utf-8")  # a UTF-8 notebook: no note at all
    ok = run(course, write(tmp_path / "plain", {f"s2/{A}.ipynb": plain}))[f"s2/{A}.ipynb"]
    assert "UTF" not in ok.notes and "1252" not in ok.notes
