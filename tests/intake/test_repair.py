"""Repair before grading: every cell of a damaged submission is matched back to the source
notebook (lost metadata, deleted, edited or duplicated cells), and a submission that is not
this notebook raises CannotRepair instead of scoring 0.  The last tests grade repaired
submissions with real nbgrader.  Submissions are built here from the committed notebooks."""
from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path

import nbformat
import pytest

from course import attention
from conftest import scratch_course
from course.authoring.notebooks import fill, solutions
from course.cells import HIDDEN_MARKERS
from course.intake.repair import CannotRepair, repair

ROOT = Path(__file__).resolve().parents[2]
A = "01_graph_pt"


@pytest.fixture(autouse=True)
def _source_only_read(monkeypatch):
    """Every repair of this file also checks that the source notebook (and its expected
    cells) came out as they went in: a grading worker reuses them for every submission."""
    from course.intake import repair as repair_module
    from course.intake.matching import expected_cells

    real = repair_module.repair

    def checked(nb, source, expected=None):
        before = copy.deepcopy(source)
        cells = expected_cells(source) if expected is None else expected
        labels = [(e.index, e.grade_id, e.role, id(e.cell)) for e in cells]
        try:
            return real(nb, source, cells)
        finally:
            assert source == before, "repair changed the source notebook"
            assert [(e.index, e.grade_id, e.role, id(e.cell)) for e in cells] == labels
            assert all(e.cell is c for e, c in zip(cells, [source.cells[e.index]
                                                            for e in cells]))

    monkeypatch.setattr(repair_module, "repair", checked)
    monkeypatch.setitem(globals(), "repair", checked)
    from course.grading.preprocessors import repair_cells
    monkeypatch.setattr(repair_cells, "repair", checked)


def source_nb(assignment: str = A):
    return nbformat.read(ROOT / "source" / assignment / f"{assignment}.ipynb", as_version=4)


def release_nb(assignment: str = A):
    return nbformat.read(ROOT / "release" / assignment / f"{assignment}.ipynb", as_version=4)


def solved(assignment: str = A):
    """The release notebook with every answer filled in with the reference solution."""
    return fill(release_nb(assignment), solutions(source_nb(assignment)))


def gid(cell) -> str | None:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def index_of(nb, grade_id: str) -> int:
    return next(i for i, c in enumerate(nb.cells) if gid(c) == grade_id)


def stripped(nb):
    """What Colab can hand back: no nbgrader metadata, no course stamp, its own cell ids."""
    nb = copy.deepcopy(nb)
    nb.metadata.pop("course", None)
    for i, cell in enumerate(nb.cells):
        for key in ("nbgrader", "deletable", "editable"):
            cell.metadata.pop(key, None)
        cell.id = f"colab{i:04d}"
    return nb


def colab_json(nb, name: str) -> str:
    """The notebook as Colab saves it: nbformat 4.0, no cell ids, metadata.id and
    executionInfo on cells, stale outputs, Colab notebook metadata, no nbgrader metadata."""
    raw = json.loads(nbformat.writes(stripped(nb)))
    raw["nbformat_minor"] = 0
    raw["metadata"] = {"colab": {"name": name, "provenance": []}, "accelerator": "GPU",
                       "kernelspec": {"display_name": "Python 3", "name": "python3"},
                       "language_info": {"name": "python"}}
    for i, cell in enumerate(raw["cells"]):
        cell.pop("id", None)
        cell["metadata"] = {"id": f"Xa{i:06d}Zq"}
        if cell["cell_type"] == "code":
            cell["metadata"].update({"colab": {"base_uri": "https://localhost:8080/"},
                                     "outputId": f"out{i}", "executionInfo": {
                                         "status": "ok", "timestamp": 1700000000000 + i,
                                         "user_tz": 180, "elapsed": 12,
                                         "user": {"displayName": "Ana", "userId": "42"}}})
            cell["execution_count"] = i
            cell["outputs"] = [{"output_type": "stream", "name": "stdout", "text": ["stale\n"]}]
    return json.dumps(raw, ensure_ascii=False, indent=1)


def test_an_intact_submission_is_left_alone():
    nb = solved()
    out, notes = repair(nb, source_nb())
    assert notes == []
    assert [(c.source, gid(c)) for c in out.cells] == [(c.source, gid(c)) for c in nb.cells]


def test_changed_nbgrader_flags_are_put_back_and_noted():
    """`grade` turned off on a test cell, `solution` on: nbgrader's checksum would fail the
    whole notebook ("Inconsistent checksums"); the cell gets the source's metadata back."""
    nb = solved()
    nb.cells[index_of(nb, "test_grad_fn_names")].metadata.nbgrader["grade"] = False
    nb.cells[index_of(nb, "test_forward")].metadata.nbgrader["solution"] = True
    nb.cells[index_of(nb, "forward")].metadata.nbgrader["points"] = 100
    out, notes = repair(nb, source_nb())
    src = source_nb()
    for grade_id in ("test_grad_fn_names", "test_forward"):
        assert out.cells[index_of(out, grade_id)].metadata.nbgrader == \
            src.cells[index_of(src, grade_id)].metadata.nbgrader
    assert {n.cell for n in notes} == {"test_grad_fn_names", "test_forward"}
    assert all("nbgrader metadata changed" in n for n in notes)


def test_stripped_metadata_every_cell_found_again():
    from nbgrader.nbgraderformat import MetadataValidator

    nb = solved()
    out, notes = repair(stripped(nb), source_nb())
    MetadataValidator().validate_nb(out)
    want = [(c.source, gid(c)) for c in nb.cells]
    assert [(c.source, gid(c)) for c in out.cells] == want
    assert out.cells[index_of(out, "forward")].metadata.nbgrader == \
        source_nb().cells[index_of(source_nb(), "forward")].metadata.nbgrader
    assert "cell `forward` had lost its nbgrader metadata; found by its `def`/name line" in notes
    assert "cell `test_forward` had lost its nbgrader metadata; found by its content" in notes
    assert ("cell `explain_accumulation` had lost its nbgrader metadata; found by its place"
            in notes)
    assert {n.cell for n in notes} == {gid(c) for c in nb.cells if gid(c)}


def test_stripped_blank_release_answer_stubs_found():
    """Multiple-choice stubs are released as `answer_<topic> = None`: their name finds them."""
    nb = release_nb()
    out, notes = repair(stripped(nb), source_nb())
    assert [(c.source, gid(c)) for c in out.cells] == [(c.source, gid(c)) for c in nb.cells]
    assert ("cell `answer_accumulation` had lost its nbgrader metadata; found by its `def`/name "
            "line" in notes)


def test_deleted_test_cell_is_restored_with_hidden_tests_after_its_answer():
    nb = solved()
    del nb.cells[index_of(nb, "test_forward")]
    out, notes = repair(nb, source_nb())
    i = index_of(out, "test_forward")
    assert gid(out.cells[i - 1]) == "forward"
    src = source_nb().cells[index_of(source_nb(), "test_forward")]
    assert out.cells[i].source == src.source and HIDDEN_MARKERS[0] in out.cells[i].source
    assert out.cells[i].metadata.nbgrader == src.metadata.nbgrader
    assert notes == ["test cell `test_forward` was missing; restored from the source with its "
                     "hidden tests"]
    assert notes[0].cell == "test_forward"


def test_edited_locked_helper_cell_is_restored():
    nb = solved()
    helpers = nb.cells[index_of(nb, "helpers")]
    helpers.source = helpers.source.replace("if actual is None:", "if False:")
    assert "if False:" in helpers.source
    out, notes = repair(nb, source_nb())
    assert out.cells[index_of(out, "helpers")].source == \
        source_nb().cells[index_of(source_nb(), "helpers")].source
    assert notes == ["locked cell `helpers` was edited; restored from the source"]


def test_edited_test_cell_without_metadata_is_found_by_similarity_and_restored():
    nb = stripped(solved())
    i = index_of(solved(), "test_forward")
    edited = nb.cells[i].source.replace("14.0", "15.0").replace('check("e2"', '# check("e2"')
    nb.cells[i].source = edited
    out, notes = repair(nb, source_nb())
    assert gid(out.cells[i]) == "test_forward"
    assert out.cells[i].source == source_nb().cells[index_of(source_nb(), "test_forward")].source
    assert ("cell `test_forward` had lost its nbgrader metadata and was edited; found by "
            "similarity") in notes
    assert "locked cell `test_forward` was edited; restored from the source" in notes


def test_duplicated_answer_keeps_the_students_answer_and_drops_the_stub():
    """Jupyter copies metadata with a cell: the answer, then an untouched copy of the stub."""
    nb = solved()
    i = index_of(nb, "forward")
    stub = copy.deepcopy(release_nb().cells[i])
    stub.id = "copied-stub"
    nb.cells.insert(i + 1, stub)
    out, notes = repair(nb, source_nb())
    assert [c.source for c in out.cells] == [c.source for c in solved().cells]
    assert gid(out.cells[i]) == "forward"
    assert notes == ["cell `forward` appeared 2 times; kept the student's answer, removed 1 "
                     "unchanged copy"]


def test_duplicated_answer_after_nbgraders_deduplicate_ids():
    """DeduplicateIds runs first and keeps the *last* copy's metadata (here: the stub)."""
    from nbgrader.preprocessors import DeduplicateIds

    nb = solved()
    i = index_of(nb, "manual_backward")
    nb.cells.insert(i + 1, copy.deepcopy(release_nb().cells[i]))
    nb, _ = DeduplicateIds().preprocess(nb, {})
    assert gid(nb.cells[i]) is None and gid(nb.cells[i + 1]) == "manual_backward"
    out, notes = repair(nb, source_nb())
    assert [c.source for c in out.cells] == [c.source for c in solved().cells]
    assert gid(out.cells[i]) == "manual_backward"
    assert "cell `manual_backward` appeared 2 times; kept the student's answer, removed 1 " \
           "unchanged copy" in notes


def test_duplicated_test_cell_is_kept_once():
    nb = solved()
    i = index_of(nb, "test_grad_fn_names")
    nb.cells.insert(i, copy.deepcopy(nb.cells[i]))
    out, notes = repair(nb, source_nb())
    assert [gid(c) for c in out.cells].count("test_grad_fn_names") == 1
    assert len(out.cells) == len(solved().cells)
    assert notes == ["cell `test_grad_fn_names` appeared 2 times; kept one copy, removed 1 "
                     "unchanged copy"]


def test_unknown_grade_id_becomes_a_plain_cell():
    nb = solved()
    nb.cells.append(nbformat.v4.new_code_cell("print(1)", metadata={"nbgrader": {
        "grade": False, "grade_id": "my_cell", "locked": False, "schema_version": 3,
        "solution": True, "task": False}}))
    out, notes = repair(nb, source_nb())
    assert "nbgrader" not in out.cells[-1].metadata
    assert notes == ["a cell tagged with unknown grade_id `my_cell` became a plain cell"]


def test_wrong_language_cannot_be_repaired():
    with pytest.raises(CannotRepair, match=r"^this is the notebook of 01_graph_es, not of "
                                           r"01_graph_pt$"):
        repair(solved("01_graph_es"), source_nb())
    with pytest.raises(CannotRepair, match=r"^this notebook is in 'es', 01_graph_pt is in 'pt'$"):
        repair(stripped(solved("01_graph_es")), source_nb())


def test_an_edited_lang_is_a_locked_cell_edit_not_another_language():
    nb = stripped(solved())
    i = index_of(solved(), "helpers")
    nb.cells[i].source = nb.cells[i].source.replace('LANG = "pt"', 'LANG = "es"')
    out, notes = repair(nb, source_nb())
    assert out.cells[i].source == source_nb().cells[index_of(source_nb(), "helpers")].source
    assert "locked cell `helpers` was edited; restored from the source" in notes


def test_a_notebook_without_any_answer_cell_cannot_be_repaired():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print('hello')")])
    with pytest.raises(CannotRepair) as err:
        repair(nb, source_nb())
    assert str(err.value) == (
        "no answer cell was found (no cell defines answer_accumulation, answer_backward_twice, "
        "forward, grad_fn_names, manual_backward): this is not a submission of 01_graph_pt")


def test_missing_answer_is_reported_not_invented():
    nb = solved()
    del nb.cells[index_of(nb, "grad_fn_names")]
    out, notes = repair(nb, source_nb())
    assert "grad_fn_names" not in [gid(c) for c in out.cells]
    assert notes == ["answer cell `grad_fn_names` was not found (no cell defines "
                     "grad_fn_names); its tests will fail"]


# --- the nbgrader preprocessor ----------------------------------------------------------

def _preprocess(course, nb, student: str, db_url: str = "sqlite://"):
    """RepairCells on `nb`; by default with an empty gradebook (no release recorded)."""
    from course.grading.preprocessors import RepairCells

    resources = {"nbgrader": {"assignment": A, "notebook": A, "student": student,
                              "db_url": db_url}}
    return RepairCells(config=course.config).preprocess(nb, resources)


@pytest.fixture
def course(tmp_path):
    course = scratch_course(tmp_path)
    shutil.copytree(ROOT / "source", course.source_dir)
    return course


def test_preprocessor_logs_each_repair_for_the_instructor(course):
    nb = solved()
    del nb.cells[index_of(nb, "test_forward")]
    out, _ = _preprocess(course, nb, "ana")
    assert "test_forward" in [gid(c) for c in out.cells]
    [entry] = attention.load(course, A)
    assert (entry.student, entry.kind, entry.step, entry.cell) == \
        ("ana", "repaired", "repair", "test_forward")
    assert entry.file == f"submitted/ana/{A}/{A}.ipynb"


@pytest.mark.filterwarnings("ignore:.*not in session.*")
def test_a_locked_cell_changed_by_a_later_build_is_no_students_edit(course):
    """The course is updated after the release (a `git pull` mid-semester rebuilds source/,
    here the helper cell): a submission of the earlier release is compared with what the
    gradebook kept from that release, not with the new source/, so nobody reads as having
    edited the helper; a student who did edit it still does."""
    from course.authoring import release

    release.generate(course, A)
    path = course.source_dir / A / f"{A}.ipynb"
    updated = nbformat.read(path, as_version=4)
    helpers = updated.cells[index_of(updated, "helpers")]
    helpers.source = "import os  # a later build's helper\n" + helpers.source
    nbformat.write(updated, path)

    as_given = solved()  # the release this test's gradebook was generated from
    out, _ = _preprocess(course, as_given, "ana", course.db_url)
    assert attention.load(course, A) == []
    assert out.cells[index_of(out, "helpers")].source == \
        as_given.cells[index_of(as_given, "helpers")].source

    edited = solved()
    mine = edited.cells[index_of(edited, "helpers")]
    mine.source = mine.source.replace("if actual is None:", "if False:")
    _preprocess(course, edited, "bob", course.db_url)
    [entry] = attention.load(course, A)
    assert (entry.student, entry.kind, entry.cell) == ("bob", "repaired", "helpers")


@pytest.mark.filterwarnings("ignore:.*not in session.*")
def test_the_released_source_is_read_again_when_it_or_the_gradebook_changes(course):
    """A worker reads the source and its gradebook once per assignment, not per
    submission; a rebuilt source or a regenerated gradebook is read again."""
    from course.authoring import release
    from course.grading.preprocessors.repair_cells import released_source

    release.generate(course, A)
    path = course.source_dir / A / f"{A}.ipynb"
    first = released_source(path, course.db_url, A, A)
    assert released_source(path, course.db_url, A, A) is first
    assert released_source(path, None, A, A) is not first  # without the gradebook
    updated = nbformat.read(path, as_version=4)
    updated.cells[index_of(updated, "helpers")].source += "\n# rebuilt"
    nbformat.write(updated, path)
    rebuilt = released_source(path, course.db_url, A, A)
    assert rebuilt is not first
    release.generate(course, A)  # the gradebook now keeps the rebuilt helper
    again = released_source(path, course.db_url, A, A)
    assert again is not rebuilt
    helpers = again[0].cells[index_of(again[0], "helpers")].source
    assert helpers.endswith("# rebuilt")


def test_preprocessor_raises_and_logs_what_it_cannot_repair(course):
    with pytest.raises(CannotRepair):
        _preprocess(course, solved("01_graph_es"), "bob")
    [entry] = attention.load(course, A)
    assert (entry.student, entry.kind, entry.reason) == \
        ("bob", "not_graded", "this is the notebook of 01_graph_es, not of 01_graph_pt")


# --- real nbgrader ----------------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.filterwarnings("ignore:.*not in session.*")
def test_nbgrader_grades_repaired_submissions(course):
    """Colab-stripped solution: full marks.  Deleted test cell: restored and scored.  Answer
    followed by a stray stub copy and an edited helper: full marks.  The es notebook: not
    graded, with the reason logged (never a silent 0)."""
    from course.authoring import release
    from course.grading.engine import sanitize_preprocessors
    from course import gradebook

    def submit(student, nb):
        path = course.submitted_notebook(student, A)
        path.parent.mkdir(parents=True)
        nbformat.write(nb, path)

    deleted = solved()
    del deleted.cells[index_of(deleted, "test_forward")]
    duplicated = solved()
    i = index_of(duplicated, "forward")
    stub = copy.deepcopy(release_nb().cells[i])
    stub.id = "copied-stub"
    duplicated.cells.insert(i + 1, stub)
    helpers = duplicated.cells[index_of(duplicated, "helpers")]
    helpers.source = helpers.source.replace("if actual is None:", "if False:")
    assert "if False:" in helpers.source
    flags = solved()  # a test cell no longer graded, another turned into an answer
    flags.cells[index_of(flags, "test_grad_fn_names")].metadata.nbgrader["grade"] = False
    flags.cells[index_of(flags, "test_forward")].metadata.nbgrader["solution"] = True
    submit("colab", nbformat.reads(colab_json(solved(), f"Copy of {A}.ipynb"), as_version=4))
    submit("deleted", deleted)
    submit("flags", flags)
    submit("duplicated", duplicated)
    submit("es", solved("01_graph_es"))

    release.generate(course, A)
    api = course.api("pt")
    api.config.Autograde.sanitize_preprocessors = sanitize_preprocessors()
    results = {s: api.autograde(A, s, force=True, create=True)
               for s in ("colab", "deleted", "duplicated", "flags", "es")}
    rows = {r.student: r for r in gradebook.table(course, A)}

    assert {s: r["success"] for s, r in results.items()} == \
        {"colab": True, "deleted": True, "duplicated": True, "flags": True, "es": False}
    assert "CannotRepair" in results["es"]["error"] + results["es"]["log"]
    full = {"test_forward": 2.0, "test_manual_backward": 3.0, "test_grad_fn_names": 3.0,
            "test_backward_twice": 1.0, "test_accumulation": 1.0}
    for student in ("colab", "deleted", "duplicated", "flags"):
        assert {k: rows[student].cells[k] for k in full} == full, student
    graded = nbformat.read(course.autograded_notebook("deleted", A), as_version=4)
    restored = graded.cells[index_of(graded, "test_forward")]
    assert "hidden_checks" in restored.source and restored.execution_count
    log = attention.load(course, A)
    assert any(e.student == "es" and e.kind == "not_graded" for e in log)
    assert any(e.student == "deleted" and e.cell == "test_forward" and e.kind == "repaired"
               for e in log)
    assert sum(e.student == "colab" for e in log) == 12


@pytest.mark.parametrize("strip", [False, True])
def test_an_answer_cell_moved_to_the_end_is_put_back(strip):
    """A right answer dragged below its test (Colab's "move cell down") would make its test
    fail with NameError and score 0: the cell goes back in its place, and the repair says so."""
    nb = solved()
    want = [c.source for c in nb.cells]
    i = index_of(nb, "forward")
    nb.cells.append(nb.cells.pop(i))
    out, notes = repair(stripped(nb) if strip else nb, source_nb())
    assert [c.source for c in out.cells] == want
    assert gid(out.cells[i]) == "forward"
    assert any(n.cell == "forward" and "put back in its place" in n for n in notes)


def test_two_different_answers_in_copies_of_one_cell_are_never_resolved_in_silence(course):
    """A right `forward` followed by a copy answering `return 0` (same grade_id): nbgrader's
    DeduplicateIds runs first and strips the first copy's metadata without a word, so repair
    saw one answer cell.  The instructor is told the student, the cell, and which copy is
    graded (the last, as the notebook runs; see repair's docstring)."""
    from nbgrader.preprocessors import DeduplicateIds

    nb = solved()
    i = index_of(nb, "forward")
    wrong = copy.deepcopy(nb.cells[i])
    wrong.id = "pasted-copy"
    wrong.source = "def forward(x, w, y):\n    return 0"
    nb.cells.insert(i + 1, wrong)
    nb, _ = DeduplicateIds().preprocess(nb, {})
    out, _ = _preprocess(course, nb, "ana")
    assert out.cells[index_of(out, "forward")].source == wrong.source  # graded: the last copy
    [entry] = [e for e in attention.load(course, A) if e.cell == "forward"]
    assert (entry.student, entry.kind, entry.step) == ("ana", "repaired", "repair")
    assert entry.reason.startswith("cell `forward` holds 2 different answers (copies of the "
                                   "cell): copy 2 of 2, counting from the top, is graded")
    # the same two answers, the wrong one first: copy 2 (the right one) is graded, and said
    nb = solved()
    nb.cells.insert(i, copy.deepcopy(wrong))
    _, notes = repair(DeduplicateIds().preprocess(nb, {})[0], source_nb())
    assert [n for n in notes if n.cell == "forward"] == [
        "cell `forward` holds 2 different answers (copies of the cell): copy 2 of 2, counting "
        "from the top, is graded; the others stay in the notebook, not graded (check which one "
        "the student meant)"]


@pytest.mark.parametrize("lang, said", [
    ("pt", "a célula de teste `test_forward` estava faltando; restaurada a partir do original, "
           "com os testes ocultos"),
    ("es", "faltaba la celda de prueba `test_forward`; se restauró desde el original, con sus "
           "pruebas ocultas")])
def test_repairs_are_told_in_the_instructors_language(monkeypatch, lang, said):
    """collect and grade speak the instructor's language; the attention log's repair notes
    and the reasons a submission cannot be graded do too."""
    from course import i18n

    monkeypatch.setattr(i18n, "_current", lang)
    nb = solved()
    del nb.cells[index_of(nb, "test_forward")]
    _, notes = repair(nb, source_nb())
    assert notes == [said]
    with pytest.raises(CannotRepair) as err:
        repair(solved("01_graph_es"), source_nb())
    assert str(err.value) == {"pt": "este é o notebook de 01_graph_es, não de 01_graph_pt",
                              "es": "este es el notebook de 01_graph_es, no de 01_graph_pt"}[lang]
