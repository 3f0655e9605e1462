"""`course feedback` of a class collected from Moodle also writes the zip that Moodle's "Upload
multiple feedback files in a zip" takes back: each page in the folder Moodle reads as that
student's participant number; students collected from elsewhere are left out, and said."""
from __future__ import annotations

import contextlib
import io
import json
import shutil
import zipfile

import pytest

import graded_course as gc
from course.course_folder import Course
from course.results import feedback, moodle_feedback


def moodle_reads(path: str, participants: dict[str, str]) -> tuple[str, str] | None:
    """(participant, file name) as Moodle's importer reads a zip entry, or None: what
    `assignfeedback_file_zip_importer::is_valid_filename_for_import` does — each path part
    split at its first four underscores, the second piece a known participant number, the
    third and fourth the feedback plugin's type and name."""
    parts = path.split("/")
    while parts:
        info = parts.pop(0).split("_", 4)
        if len(info) < 4 or not info[1].isdigit() or info[1] not in participants:
            continue
        if (info[2], info[3]) != ("assignfeedback", "file"):
            continue
        rest = [info[4] if len(info) == 5 else ""] + parts
        return info[1], "/".join(rest).strip("/")
    return None


@pytest.mark.parametrize("name", ["Ana Souza", "Ana_de_Souza", "José / Peña", "", "  "])
def test_every_name_gives_a_folder_moodle_reads_as_the_participant(name):
    folder = moodle_feedback.folder_name(name, "101")
    assert moodle_reads(f"{folder}/01_graph_pt.html", {"101": "x"}) == ("101", "01_graph_pt.html")
    assert "/" not in folder and folder.count("_") == 4


@pytest.fixture(scope="module")
def moodle_class(tmp_path_factory):
    """A copy of the graded class where ana came from a Moodle export (participant 101, a
    name with underscores) and bruno from elsewhere; `course feedback` run on it."""
    built = gc.build(tmp_path_factory.getbasetemp())
    root = Course(shutil.copytree(built.root, tmp_path_factory.mktemp("moodle") / "c"))
    participants = {"ana": {"participant": "101", "name": "Ana_Maria Souza"}}
    (root.reports_dir(gc.PT)).mkdir(parents=True, exist_ok=True)
    (root.reports_dir(gc.PT) / "moodle_participants.json").write_text(json.dumps(participants))
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        feedback.main(root, gc.PT)
    return root, out.getvalue(), err.getvalue()


@pytest.mark.slow
def test_the_zip_holds_each_moodle_students_page_where_moodle_looks(moodle_class):
    root, out, err = moodle_class
    zipped = root.reports_dir(gc.PT) / "moodle_feedback.zip"
    with zipfile.ZipFile(zipped) as zf:
        names = zf.namelist()
        assert [moodle_reads(n, {"101": "ana"}) for n in names] == [("101", f"{gc.PT}.html")]
        assert zf.read(names[0]) == root.feedback_page("ana", gc.PT).read_bytes()
    assert "moodle_feedback.zip" in out and "Upload multiple feedback files in a zip" in out
    assert "bruno" in err and "ana" not in err.split("not in the zip")[-1]
    before = zipped.read_bytes()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        feedback.main(root, gc.PT)
    assert zipped.read_bytes() == before  # the same pages, the same zip


@pytest.mark.slow
def test_no_moodle_student_left_means_no_zip_and_a_stale_one_is_removed(moodle_class):
    root, _, _ = moodle_class
    zipped = root.reports_dir(gc.PT) / "moodle_feedback.zip"
    assert zipped.exists()
    pages, _ = feedback.generate(root, gc.PT)
    (root.reports_dir(gc.PT) / "moodle_participants.json").write_text(
        json.dumps({"someone-else": {"participant": "7", "name": "X"}}))
    assert moodle_feedback.write(root, gc.PT, pages) == (None, sorted(pages))
    assert not zipped.exists()  # it would hand out the earlier pages
    (root.reports_dir(gc.PT) / "moodle_participants.json").unlink()
    assert moodle_feedback.write(root, gc.PT, pages) == (None, [])  # not a Moodle class
