"""Each grading kernel's torch uses its worker's share of the cores (grading.cpu_threads), not
every core: local workers × kernels × threads would otherwise outnumber the cores many times."""
from __future__ import annotations

import pytest

from conftest import hand_in, printed, reference_answers, released_course
from course.grading import cpu_threads
from course.grading.engine import grade_all

A = "01_graph_pt"
REPORT = ("\nimport os as _os, torch as _torch\n"
          "print('THREADS', _torch.get_num_threads(), _os.environ.get('OMP_NUM_THREADS'))\n")


@pytest.fixture
def cores(monkeypatch):
    def use(n: int) -> None:
        monkeypatch.setattr(cpu_threads.os, "sched_getaffinity", lambda pid: set(range(n)))
    return use


def test_each_worker_gets_its_share_of_the_cores(cores):
    cores(16)
    assert cpu_threads.share(4, env={}) == {"OMP_NUM_THREADS": "4", "MKL_NUM_THREADS": "4",
                                            "OPENBLAS_NUM_THREADS": "4"}
    assert cpu_threads.share(16, env={})["OMP_NUM_THREADS"] == "1"
    assert cpu_threads.share(5, env={})["OMP_NUM_THREADS"] == "3"  # rounded down


def test_never_fewer_than_one_thread(cores):
    cores(2)
    assert cpu_threads.share(8, env={})["OMP_NUM_THREADS"] == "1"
    assert cpu_threads.share(0, env={})["OMP_NUM_THREADS"] == "2"  # (no workers: read as one)


def test_what_the_instructor_set_is_kept(cores):
    cores(16)
    assert cpu_threads.share(2, env={"OMP_NUM_THREADS": "3"}) == {}
    assert cpu_threads.share(2, env={"MKL_NUM_THREADS": "1"}) == {}
    assert cpu_threads.share(2, env={"OMP_NUM_THREADS": ""})["OMP_NUM_THREADS"] == "8"


def _threads_seen(tmp_path, jobs: int) -> list[tuple[str, str]]:
    """What the kernels of a class graded on `jobs` local workers report."""
    course = released_course(tmp_path / "c", "01_graph", A)
    ref = reference_answers(course, A)
    students = [f"s{i}" for i in range(jobs)]
    for student in students:
        hand_in(course, A, student, {**ref, "forward": ref["forward"] + REPORT})
    outs = grade_all(course, A, "pt", students, jobs=jobs, progress=False)
    assert all(o.success for o in outs), [o.reason for o in outs]
    seen = []
    for student in students:
        text = printed(course, A, student)
        line = next(ln for ln in text.splitlines() if ln.startswith("THREADS "))
        seen.append(tuple(line.split()[1:]))
    return seen


@pytest.mark.slow
def test_graded_kernels_run_with_their_workers_share(tmp_path, monkeypatch):
    for name in cpu_threads.VARIABLES:
        monkeypatch.delenv(name, raising=False)
    share = str(max(1, cpu_threads.usable_cpus() // 2))
    assert _threads_seen(tmp_path, jobs=2) == [(share, share)] * 2


@pytest.mark.slow
def test_graded_kernels_keep_the_instructors_setting(tmp_path, monkeypatch):
    """One worker would get every core (two threads or more here); the instructor said one."""
    for name in cpu_threads.VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("OMP_NUM_THREADS", "1")
    assert _threads_seen(tmp_path, jobs=1) == [("1", "1")]


def test_loopback_workers_get_what_a_nanny_would_set(cores, monkeypatch):
    """Its workers run without Dask's nanny (so that a killed one dies at once), which would
    have set their threads: the cluster sets each its share instead."""
    from course.grading.loopback import LoopbackCluster

    for name in cpu_threads.VARIABLES:
        monkeypatch.delenv(name, raising=False)
    cores(8)
    monkeypatch.setattr(LoopbackCluster, "add_worker", lambda self: None)  # (env only)
    cluster = LoopbackCluster(4)  # the scheduler, and the 4 workers' settings
    try:
        assert cluster.worker_env["OMP_NUM_THREADS"] == "2"
        assert cluster.worker_env["OPENBLAS_NUM_THREADS"] == "2"
    finally:
        cluster.close()


def test_default_workers_are_the_cores_this_process_may_use(cores, monkeypatch):
    """A container or `taskset` that allows 3 of a machine's 64 cores: 3 workers, not 64."""
    from course.grading import local_workers

    cores(3)
    monkeypatch.setattr("os.cpu_count", lambda: 64)
    assert local_workers.pool_size(None, students=100) == 3
    assert local_workers.pool_size(None, students=2) == 2  # no more than there are students
    assert local_workers.pool_size(8, students=100) == 8  # --jobs as asked
