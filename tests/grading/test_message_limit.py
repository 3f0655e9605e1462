"""One huge message from a kernel never reaches the grading process (red team A4): a cell that
prints more than the message limit at once costs its kernel, like the memory limit, with a
`limit` incident naming the cell; the rest of the notebook is graded, and ordinary output is
untouched.  The limit is 1 MB here so that the flood stays small and fast."""
from __future__ import annotations

import os
import shutil
import time
import uuid

import nbformat
import pytest
from jupyter_core.utils import run_sync

from conftest import hand_in, reference_answers, released_course
from course import attention
from course.grading import grade
from course.grading.engine import Limits
from course.grading.kernels import WarmKernels

pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore:.*not in session.*")]

A = "01_graph_pt"
FULL = {"test_forward": 2.0, "test_manual_backward": 3.0, "test_grad_fn_names": 3.0,
        "test_backward_twice": 1.0, "test_accumulation": 1.0}
FLOOD = 'print("x" * 5_000_000)'  # one 5 MB stream message, over the 1 MB limit
REASON = ("a message from the kernel was over the 1 MB limit (or the kernel closed its "
          "connection): the grader refused it and stopped the kernel")


def test_a_client_refuses_a_message_over_its_limit():
    """libzmq drops the connection instead of reading the frame; the client says so and
    takes the kernel for dead, while an ordinary message before it arrived as usual."""
    kernels = WarmKernels([], sandboxed=False)
    try:
        slot = kernels.take({})
        slot.km.message_limit_bytes = 1 << 20
        kc = slot.km.client()
        kc.start_channels()
        try:
            run_sync(kc.wait_for_ready)(timeout=60)
            seen = []
            run_sync(kc.execute_interactive)("print('hello')", timeout=30,
                                              output_hook=seen.append)
            assert [m["content"]["text"] for m in seen if m["msg_type"] == "stream"] == ["hello\n"]
            assert not kc.refused() and run_sync(kc.is_alive)()
            kc.execute(FLOOD)
            deadline = time.monotonic() + 20
            while not kc.refused() and time.monotonic() < deadline:
                time.sleep(0.05)
            assert kc.refused() and not run_sync(kc.is_alive)()
            assert slot.alive()  # the kernel itself still runs: WarmExecute stops it
        finally:
            kc.stop_channels()
            slot.close()
    finally:
        kernels.close()


def test_a_client_closes_its_monitors_with_its_channels():
    """A worker makes a client per submission: monitors left open would leak a socket (and a
    file descriptor) each, per channel, per submission."""
    kernels = WarmKernels([], sandboxed=False)
    try:
        slot = kernels.take({})
        slot.km.message_limit_bytes = 1 << 20
        open_fds, monitors = [], 0
        for _ in range(5):
            kc = slot.km.client()
            # no heartbeat: stopped before its thread has started, jupyter_client's heartbeat
            # loops creating sockets until libzmq refuses one ("Too many open files")
            kc.start_channels(hb=False)
            monitored = list(kc._monitors)
            assert monitored
            kc.stop_channels()
            assert kc._monitors == [] and not kc.refused()
            assert all(m.closed for m in monitored)  # (inproc sockets hold no descriptor)
            open_fds.append(len(os.listdir("/proc/self/fd")))
            monitors = max(monitors, len(monitored))
        assert monitors >= 3  # one per channel
        # one descriptor that other machinery of this process opens once, lazily, at any
        # round (seen in the first and in the fifth) is no leak
        assert open_fds[-1] - open_fds[0] <= 1, open_fds
        slot.close()
    finally:
        kernels.close()


@pytest.fixture(scope="module")
def course(root):
    course = released_course(root / "build" / f"msglimit-{uuid.uuid4().hex[:8]}", "01_graph", A)
    yield course
    if not os.environ.get("KEEP_TEST_COURSE"):
        shutil.rmtree(course.root, ignore_errors=True)


@pytest.fixture(scope="module")
def graded(course):
    ref = reference_answers(course, A)
    hand_in(course, A, "honest", {**ref, "answer_backward_twice":
                                  ref["answer_backward_twice"] + "\nprint('a' * 1000)"})
    hand_in(course, A, "flood", {**ref, "answer_backward_twice":
                                 ref["answer_backward_twice"] + "\n" + FLOOD})
    rows, failed = grade.grade(course, A, engine="fast", jobs=1, progress=False,
                               limits=Limits(cell_timeout=30, wall_limit=120,
                                             message_limit_mb=1))
    table = {r.student: {k: v for k, v in r.cells.items() if k in FULL} for r in rows}
    return table, failed, attention.load(course, A)


def test_a_message_over_the_limit_costs_its_cell_and_names_itself(graded, course):
    """The cell whose output was refused loses its kernel (and so its answer: the test after
    it scores 0, as under the memory limit); the cells after it run on a fresh kernel."""
    table, failed, entries = graded
    assert failed == {}
    assert table["flood"] == {**FULL, "test_backward_twice": 0.0}
    assert ("limit", "answer_backward_twice", REASON) in {
        (e.kind, e.cell, e.reason) for e in entries if e.student == "flood"}
    nb = nbformat.read(course.autograded_notebook("flood", A), as_version=4)
    [cell] = [c for c in nb.cells
              if c.metadata.get("nbgrader", {}).get("grade_id") == "answer_backward_twice"]
    assert [o["ename"] for o in cell.outputs if o.output_type == "error"] == ["KernelDied"]
    assert "x" * 1000 not in "".join(o.get("text", "") for o in cell.outputs)


def test_ordinary_output_is_untouched(graded, course):
    table, _, entries = graded
    assert table["honest"] == FULL
    assert not [e for e in entries if e.student == "honest" and e.step == "grade"]
    nb = nbformat.read(course.autograded_notebook("honest", A), as_version=4)
    assert "a" * 1000 + "\n" in "".join(o.get("text", "") for c in nb.cells
                                        for o in c.get("outputs", []))
