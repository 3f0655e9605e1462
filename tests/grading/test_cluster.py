"""Grading past one machine (Dask, on the loopback) and the speed-ups that must not change a
score: a class graded on a scheduler and two `dask worker` processes gets the per-cell scores
of local grading; a worker killed mid-run loses no submission and grades none twice; a worker
without the course package is named on the instructor's side; not rendering figures changes
no score.  GPU paths are tested as far as a CPU allows."""
from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import nbformat
import pytest

from conftest import fresh_python, hand_in, reference_answers, released_course
from course import gradebook
from course.course_folder import CourseError
from course.grading import cluster, record
from course.grading.engine import grade_all
from course.grading.loopback import LoopbackCluster
from course.lessons import load_answers

pytestmark = pytest.mark.filterwarnings("ignore:.*not in session.*")

A = "01_graph_pt"


def wrong_answers(slug: str, ref: dict, n: int) -> dict[str, dict | None]:
    """A small class: the solution, a blank notebook, and wrong answers of the lesson."""
    subs: dict[str, dict | None] = {"solution": ref, "blank": None}
    for gid, table in load_answers(slug).WRONG.items():
        for label, wrong in table.items():
            if len(subs) >= n:
                return subs
            subs[f"wrong-{gid}-{len(subs)}"] = {**ref, gid: wrong.code}
    return subs


def a_class(path: Path, slug: str, assignment: str, n: int):
    course = released_course(path, slug, assignment)
    ref = reference_answers(course, assignment)
    for student, answers in wrong_answers(slug, ref, n).items():
        hand_in(course, assignment, student, answers)
    return course


def cells(course, assignment: str) -> dict:
    return {r.student: r.cells for r in gradebook.table(course, assignment)}


# --- fast: pure parts -------------------------------------------------------------------------

def test_gpu_shares_split_a_hosts_gpu_memory_between_its_workers():
    info = {"tcp://a:1": {"host": "a", "cuda": True}, "tcp://a:2": {"host": "a", "cuda": True},
            "tcp://b:1": {"host": "b", "cuda": True}, "tcp://c:1": {"host": "c", "cuda": False}}
    assert cluster.gpu_shares(info) == {"a": pytest.approx(0.45)}


def test_a_kernel_caps_its_gpu_memory_at_first_cuda_use_and_never_before():
    """In a kernel, the share is queued for torch's lazy CUDA start (a CPU can check that much);
    the zygote that kernels fork from never starts CUDA (each kernel makes its own context)."""
    code = ("import torch, json\n"
            "from course.grading import kernel_app\n"
            "before = len(torch.cuda._queued_calls)\n"
            "kernel_app.kernel_settings(None, {'COURSE_GPU_MEMORY_FRACTION': '0.25'})\n"
            "print(json.dumps([len(torch.cuda._queued_calls) - before,"
            " torch.cuda.is_initialized()]))")
    assert fresh_python(code) == [1, False]


def test_metadata_validation_speedup_raises_what_jsonschema_raises():
    import jsonschema

    from course.grading.fastpaths import _SchemaValidation

    schema = {"type": "object", "properties": {"points": {"type": "number"}},
              "required": ["points"]}
    fast = _SchemaValidation(jsonschema)
    for instance in ({"points": 2}, {"points": 2}, {"points": "x"}, {}, {"points": "x"}):
        try:
            jsonschema.validate(instance, schema)
            expected = None
        except jsonschema.ValidationError as exc:
            expected = exc.message
        try:
            fast.validate(instance, schema)
            got = None
        except jsonschema.ValidationError as exc:
            got = exc.message
        assert got == expected


def test_a_result_is_recorded_once(tmp_path, monkeypatch):
    from course.grading.task import Result

    course = released_course(tmp_path / "c", "01_graph", A)
    hand_in(course, A, "ana", None)
    calls = []
    with record.Recorder(course, A, "pt") as rec:
        monkeypatch.setattr(rec.gb, "update_or_create_student",
                            lambda *a, _f=rec.gb.update_or_create_student, **k:
                            calls.append(a) or _f(*a, **k))
        failed = Result("ana", False, reason="x")
        assert rec.write(failed) is True
        assert rec.write(failed) is False
    assert len(calls) == 1


# --- slow: grading --------------------------------------------------------------------------

@pytest.mark.slow
def test_not_rendering_figures_changes_no_score(tmp_path):
    """Figures are drawn (PNG) with `--figures`, not by default; every score is the same."""
    slug, a = "05_linear_regression", "05_linear_regression_pt"
    course = a_class(tmp_path / "c", slug, a, 2)
    students = course.submitted_students(a)
    runs = {}
    for figures in (True, False):
        outs = grade_all(course, a, "pt", students, jobs=1, progress=False, figures=figures)
        assert all(o.success for o in outs), [o.reason for o in outs]
        nb = nbformat.read(course.autograded_notebook("solution", a), as_version=4)
        pngs = sum("image/png" in out.get("data", {}) for c in nb.cells
                   for out in c.get("outputs", []))
        runs[figures] = cells(course, a), pngs
    assert runs[True][0] == runs[False][0]
    assert runs[True][1] > 0 and runs[False][1] == 0


@pytest.fixture(scope="module")
def loopback():
    pytest.importorskip("distributed")
    with LoopbackCluster(2) as lc:
        lc.wait_ready()
        yield lc


@pytest.fixture(scope="module")
def local_class(tmp_path_factory):
    course = a_class(tmp_path_factory.mktemp("local") / "c", "01_graph", A, 4)
    outs = grade_all(course, A, "pt", course.submitted_students(A), jobs=2, progress=False)
    assert all(o.success for o in outs)
    return course


@pytest.mark.slow
def test_a_class_graded_on_a_dask_cluster_scores_as_local_grading(loopback, local_class,
                                                                  tmp_path):
    course = a_class(tmp_path / "c", "01_graph", A, 4)
    outs = grade_all(course, A, "pt", course.submitted_students(A), progress=False,
                     cluster=loopback.address)
    assert all(o.success for o in outs), [o.reason for o in outs]
    assert {o.worker for o in outs} <= set(loopback.procs)
    assert cells(course, A) == cells(local_class, A)
    assert all(course.autograded_notebook(s, A).exists() for s in course.submitted_students(A))


@pytest.mark.slow
def test_what_is_sent_ahead_to_the_cluster_is_graded_once_by_its_own_grading(
        loopback, local_class, tmp_path, monkeypatch):
    """Inside warm_workers(), one client for the run; the next assignment's submissions are
    submitted before the current one is graded, and its grading submits nothing again."""
    from course.grading import engine

    first = a_class(tmp_path / "c1", "01_graph", A, 4)
    second = a_class(tmp_path / "c2", "01_graph", A, 4)
    students = first.submitted_students(A)
    with engine.warm_workers():
        for course in (first, second):
            assert engine.grade_ahead(course, A, "pt", students, cluster=loopback.address)
        client = cluster._KEPT[loopback.address]
        submitted = []
        real_submit = client.submit
        monkeypatch.setattr(client, "submit",
                            lambda *a, **k: (submitted.append(k.get("key")),
                                             real_submit(*a, **k))[1])
        outs = [grade_all(c, A, "pt", students, progress=False, cluster=loopback.address)
                for c in (first, second)]
        assert submitted == []  # nothing graded twice
        assert client.status == "running"  # kept for the run…
    assert not cluster._KEPT and client.status != "running"  # …and closed after it
    assert all(o.success for out in outs for o in out), [o.reason for out in outs for o in out]
    assert cells(first, A) == cells(second, A) == cells(local_class, A)


@pytest.mark.slow
def test_a_worker_killed_mid_run_loses_no_submission_and_grades_none_twice(
        loopback, local_class, tmp_path, monkeypatch):
    course = a_class(tmp_path / "c", "01_graph", A, 4)
    written: list[str] = []
    killed: list[str] = []
    real_write = record.Recorder.write

    def write(self, result):
        written.append(result.student)
        if not killed:  # the other worker is grading its first submission right now
            victim = next(w for w in loopback.procs if w != result.worker)
            loopback.kill_worker(victim)
            killed.append(victim)
        return real_write(self, result)

    monkeypatch.setattr(record.Recorder, "write", write)
    students = course.submitted_students(A)
    outs = grade_all(course, A, "pt", students, progress=False, cluster=loopback.address)
    assert killed
    assert sorted(written) == sorted(students)  # each once
    assert all(o.success for o in outs), [o.reason for o in outs]
    assert killed[0] not in {o.worker for o in outs}
    assert cells(course, A) == cells(local_class, A)
    with course.gradebook() as gb:
        assert len(gb.find_assignment(A).submissions) == len(students)


@pytest.mark.slow
def test_a_worker_without_the_course_package_is_named_with_how_to_install(tmp_path):
    pytest.importorskip("distributed")
    # an interpreter that sees the installed packages but not the course (no .pth, no cwd)
    python = tmp_path / "python-without-course"
    python.write_text(f"#!/bin/sh\nexec {sys.executable} -S \"$@\"\n")
    python.chmod(0o755)
    # the installed packages, and PYTHONPATH's folders (pip install --target) but those holding
    # the course
    kept = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep)
            if p and not (Path(p) / "course").exists()]
    env = {"PYTHONPATH": os.pathsep.join([sysconfig.get_paths()["purelib"], *kept])}
    probe = "import distributed, importlib.util as u; print(u.find_spec('course') is None)"
    found = subprocess.run([str(python), "-c", probe], env=dict(os.environ, **env),
                           cwd=tmp_path, capture_output=True, text=True, check=False)
    if found.stdout.strip() != "True":  # Dask only beside the course, or the course everywhere
        pytest.skip(f"no interpreter here sees Dask but not the course: {found.stderr[-200:]}")
    course = released_course(tmp_path / "c", "01_graph", A)
    hand_in(course, A, "ana", None)
    with LoopbackCluster(1, preload=False, worker_python=str(python),
                         worker_env=env, worker_cwd=str(tmp_path)) as lc:
        lc.wait_ready()
        [bare] = list(lc.procs)
        with pytest.raises(CourseError) as err:
            grade_all(course, A, "pt", ["ana"], progress=False, cluster=lc.address)
    message = str(err.value)
    assert bare in message and "course package" in message and "pip install" in message
    assert "dask worker" in message and "--preload course.grading.cluster" in message
    assert not course.autograded_notebook("ana", A).exists()


def test_a_worker_that_cannot_start_is_named_at_once_with_its_last_words(tmp_path):
    """Not a wait for the timeout: a worker process that died is reported as soon as seen."""
    import time

    pytest.importorskip("distributed")
    python = tmp_path / "python-without-dask"
    python.write_text(f"#!/bin/sh\nexec {sys.executable} -I -S \"$@\"\n")  # no packages
    python.chmod(0o755)
    with LoopbackCluster(1, worker_python=str(python)) as lc:
        [dead] = list(lc.procs)
        start = time.monotonic()
        with pytest.raises(CourseError) as err:
            lc.wait_ready(timeout=100)
        assert time.monotonic() - start < 30
    message = str(err.value)
    assert dead in message and "exited" in message and "distributed" in message, message


def test_no_scheduler_is_a_clear_error():
    pytest.importorskip("distributed")
    with pytest.raises(CourseError, match="no Dask scheduler answers at"):
        cluster.connect("tcp://127.0.0.1:9", wait=2)


class _Future:
    def __init__(self, status, result=None, exc=None):
        self.status, self._result, self._exc = status, result, exc

    def result(self):
        return self._result

    def exception(self):
        return self._exc


def test_a_result_lost_with_its_worker_is_sent_again_not_reported_as_none():
    """A task that finished on a worker killed before its result was fetched comes back
    "lost" with no exception: it was reported as a failure reading "NoneType: None"."""
    from course.grading import cluster

    assert cluster.outcome(_Future("finished", result="r"), 0) == ("result", "r")
    assert cluster.outcome(_Future("lost"), 0) == ("again", None)
    assert cluster.outcome(_Future("cancelled"), cluster.LOST_RETRIES - 1) == ("again", None)
    what, exc = cluster.outcome(_Future("lost"), cluster.LOST_RETRIES)
    assert what == "failed" and exc is None
    assert "lost with the Dask workers" in cluster._short_error(exc)
    boom = ValueError("boom")
    assert cluster.outcome(_Future("error", exc=boom), 0) == ("failed", boom)
    assert cluster._short_error(boom) == "ValueError: boom"
