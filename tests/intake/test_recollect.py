"""Collecting again during a semester: the same export twice, a late export after the first one
(and after grading).  Nothing the first collect found may be lost or changed for no reason."""
from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import nbformat
import pytest

from conftest import scratch_course
from course import attention
from course.intake import collect
from test_repair import colab_json, solved

ROOT = Path(__file__).resolve().parents[2]
A = "01_graph_pt"
ON_TIME = (2026, 12, 9, 10, 0, 0)
LATE = (2026, 12, 12, 9, 0, 0)
DUE = "2026-12-10 23:59"
TZ = "America/Sao_Paulo"


@pytest.fixture
def course(tmp_path, monkeypatch):
    course = scratch_course(tmp_path / "course")
    shutil.copytree(ROOT / "source", course.source_dir)
    monkeypatch.setenv("COURSE_ROOT", str(course.root))
    with course.gradebook() as gb:  # as `course release` leaves it
        gb.update_or_create_assignment(A)
    return course


def moodle(name: str, number: int, file: str = f"{A}.ipynb") -> str:
    return f"{name}_{number}_assignsubmission_file_/{file}"


def zipped(path: Path, files: dict[str, tuple[str | bytes, tuple]]) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for rel, (data, when) in files.items():
            zf.writestr(zipfile.ZipInfo(rel, when), data)
    return path


def marked(text: str) -> str:
    nb = solved()
    nb.cells.append(nbformat.v4.new_markdown_cell(f"MARKER {text}"))
    return nbformat.writes(nb)


def marker(course, student: str) -> str:
    nb = course.submitted_notebook(student, A).read_text(encoding="utf-8")
    return nb.split("MARKER ", 1)[1].split('"', 1)[0]


def test_collecting_the_same_colab_export_again_changes_no_byte(course, tmp_path):
    """Colab (4.0) and VS Code (4.4) notebooks have no cell ids; nbformat draws random ones,
    so each collect wrote a different file and `course grade` re-graded every such student."""
    vscode = json.loads(nbformat.writes(solved()))
    vscode["nbformat_minor"] = 4
    for cell in vscode["cells"]:
        cell.pop("id", None)
    twice = nbformat.writes(solved())
    twice = json.loads(twice)
    twice["cells"][1]["id"] = twice["cells"][0]["id"]  # a duplicated id (a copied cell)
    export = zipped(tmp_path / "x.zip", {
        moodle("Ana Souza", 101): (colab_json(solved(), f"Copy of {A}.ipynb"), ON_TIME),
        moodle("Bruno Dias", 102): (json.dumps(vscode), ON_TIME),
        moodle("Carla Reis", 103): (json.dumps(twice), ON_TIME)})
    files = [course.submitted_notebook(s, A) for s in ("101", "102", "103")]
    collect.collect(course, A, export, timezone=TZ)
    first = [f.read_bytes() for f in files]
    collect.collect(course, A, export, timezone=TZ)
    assert [f.read_bytes() for f in files] == first
    for f in files:
        nb = nbformat.read(f, as_version=4)
        nbformat.validate(nb)
        ids = [c.id for c in nb.cells]
        assert len(set(ids)) == len(ids)
    carla = nbformat.read(files[2], as_version=4)
    assert carla.cells[0].id == twice["cells"][0]["id"]  # ids the file holds are kept


def test_a_late_export_keeps_what_the_first_collect_logged_about_everyone_else(course, tmp_path):
    """The semester workflow: the first export's rejections (a student whose only notebook was
    refused), late notes and renames stay in the attention log when a late export holding
    only the late students is collected; collecting either export again doubles nothing."""
    first = zipped(tmp_path / "first.zip", {
        moodle("Ana Souza", 101, f"Cópia de {A}.ipynb"): (marked("ana"), ON_TIME),
        moodle("Bruno Dias", 102): (marked("bruno")[:3000], ON_TIME),
        moodle("Davi Melo", 104): (marked("davi"), LATE),
        "notas.pdf": (b"%PDF-1.4", ON_TIME)})
    late = zipped(tmp_path / "late.zip", {moodle("Caio Lima", 103): (marked("caio"), LATE)})

    def entries():
        return sorted((e.kind, e.student or "-", e.file or "-")
                      for e in attention.load(course, A))

    collect.collect(course, A, first, timezone=TZ, due=DUE)
    after_first = entries()
    assert [k for k, *_ in after_first] == ["late", "rejected", "rejected", "renamed"]
    collect.collect(course, A, late, timezone=TZ)
    collect.collect(course, A, late, timezone=TZ)
    assert entries() == sorted(after_first + [
        ("late", "103", moodle("Caio Lima", 103)),
        ("kept_earlier", "101", "-"), ("kept_earlier", "104", "-")])
    collect.collect(course, A, first, timezone=TZ)  # the first export again: as after it
    assert entries() == sorted(after_first + [
        ("late", "103", moodle("Caio Lima", 103)), ("kept_earlier", "103", "-")])
    # Bruno's fixed notebook in a later export replaces what was said about him
    fixed = zipped(tmp_path / "fixed.zip", {moodle("Bruno Dias", 102): (marked("bruno"), LATE)})
    collect.collect(course, A, fixed, timezone=TZ)
    bruno = [(k, f) for k, s, f in entries() if s == "102"]
    assert bruno == [("late", moodle("Bruno Dias", 102))]


def test_a_later_download_does_not_replace_an_on_time_notebook_with_a_late_edit(
        course, tmp_path, monkeypatch):
    """Moodle keeps only each student's last file: its download after the due date (taken to
    collect the late students) brings Ana's late edit alone.  Her on-time notebook, collected
    and graded, stays, as it would inside one export; `--prefer newest` takes the late one."""
    monkeypatch.setenv("COURSE_INSTRUCTOR_LANG", "pt")
    first = zipped(tmp_path / "first.zip", {
        moodle("Ana Souza", 101): (marked("ana-on-time"), ON_TIME),
        moodle("Bruno Dias", 102): (marked("bruno"), ON_TIME)})
    again = zipped(tmp_path / "again.zip", {
        moodle("Ana Souza", 101): (marked("ana-late-edit"), LATE),
        moodle("Bruno Dias", 102): (marked("bruno"), ON_TIME),
        moodle("Caio Lima", 103): (marked("caio"), LATE)})
    collect.collect(course, A, first, timezone=TZ, due=DUE)
    stamp = (course.submitted_notebook("101", A).parent / "timestamp.txt").read_text()
    outs = {o.student: o for o in collect.collect(course, A, again, timezone=TZ)}
    assert (marker(course, "101"), marker(course, "102"), marker(course, "103")) == (
        "ana-on-time", "bruno", "caio")
    assert (course.submitted_notebook("101", A).parent / "timestamp.txt").read_text() == stamp
    assert outs["101"].reason == (
        "substituído pelo notebook coletado antes para este estudante, entregue 2026-12-09 "
        "10:00 -03, dentro do prazo 2026-12-10 23:59 -03 (este chegou depois; `--prefer newest` "
        "fica com o mais recente)")
    assert outs["102"].accepted and outs["103"].accepted
    logged = sorted(e.kind for e in attention.load(course, A) if e.student == "101")
    assert logged == ["kept_earlier", "rejected"]  # the late edit is named, not dropped
    collect.collect(course, A, again, timezone=TZ, prefer="newest")
    assert marker(course, "101") == "ana-late-edit"
