"""The per-submission kernels forked from the zygote: killing one is over when kill returns."""
from __future__ import annotations

import psutil
import pytest
from jupyter_core.utils import run_sync

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
