"""The per-submission kernels forked from the zygote: killing one is over when kill returns."""
from __future__ import annotations

import psutil
import pytest
from jupyter_core.utils import run_sync

from course.grading import sandbox
from course.grading.kernels import WarmKernels


@pytest.mark.slow
def test_a_killed_kernel_is_gone_when_kill_returns():
    """The kernel manager polls the kernel right after killing it and sleeps 0.1 s if it is
    still dying: the zygote's provisioner returns only once the kernel is dead."""
    kernels = WarmKernels([], sandboxed=False)
    try:
        slot = kernels.take({})
        pid = slot.pid()
        assert slot.alive()
        provisioner = slot.km.provisioner
        run_sync(provisioner.kill)()
        assert provisioner.process.poll() is not None  # dead already, no waiting needed
        try:
            assert psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
        except psutil.NoSuchProcess:
            pass
        slot.close()
    finally:
        kernels.close()


def _run(slot, code: str) -> str:
    """Execute `code` in the slot's kernel; what it printed."""
    from jupyter_client.blocking import BlockingKernelClient

    client = BlockingKernelClient(connection_file=slot.km.connection_file)
    client.load_connection_file()
    client.start_channels()
    printed = []
    try:
        client.wait_for_ready(timeout=30)
        client.execute_interactive(code, timeout=30, output_hook=lambda msg: printed.append(
            msg["content"].get("text", "")) if msg["msg_type"] == "stream" else None)
    finally:
        client.stop_channels()
    return "".join(printed)


@pytest.mark.slow
@pytest.mark.parametrize("sandboxed", [False, True], ids=["plain", "sandboxed"])
def test_nothing_a_student_leaves_in_the_kernels_folder_reaches_a_later_kernel_or_import(sandboxed):
    """The kernels' folder is the one folder writable in the sandbox that outlives a kernel:
    a module planted there must not be imported by the zygote (a later assignment's preload)
    nor by a later student's kernel, and the folder is empty again for the next student."""
    kernels = WarmKernels([], sandboxed=False)
    try:
        slot = kernels.take({})
        _run(slot, "import os, pathlib\n"
                   "base = pathlib.Path(os.environ['COURSE_KERNEL_BASE'])\n"
                   "(base / 'planted_by_a_student.py').write_text('import sys; sys.planted = 1')\n"
                   "(base / 'ipython').mkdir(exist_ok=True)\n"
                   "(base / 'ipython' / 'note.txt').write_text('x')\n")
        slot.close()
        kernels.sweep()
        assert kernels.zygote.preload(["planted_by_a_student"]) == []
        slot = kernels.take({})
        seen = _run(slot, "import os, sys, pathlib\n"
                          "base = pathlib.Path(os.environ['COURSE_KERNEL_BASE'])\n"
                          "print(sorted(p.name for p in base.iterdir()), hasattr(sys, 'planted'))\n"
                          "try:\n    import planted_by_a_student\n    print('imported')\n"
                          "except ImportError:\n    print('not importable')\n")
        slot_name = slot.dir.name
        slot.close()
    finally:
        kernels.close()
    assert seen.split("\n")[0] == str(sorted(["zygote.log", slot_name])) + " False"
    assert "not importable" in seen
