"""The per-submission kernels forked from the zygote: killing one is over when kill returns."""
from __future__ import annotations

import os
import tempfile

import psutil
import pytest
import zmq
from jupyter_core.utils import run_sync

from course.grading import kernels, sandbox
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
    if sandboxed and not sandbox.available():
        pytest.skip("bubblewrap is not usable here (apt-get install bubblewrap)")
    warm = WarmKernels([], sandboxed=sandboxed)
    try:
        slot = warm.take({})
        _run(slot, "import os, pathlib\n"
                   "base = pathlib.Path(os.environ['COURSE_KERNEL_BASE'])\n"
                   "(base / 'planted_by_a_student.py').write_text('import sys; sys.planted = 1')\n"
                   "(base / 'ipython').mkdir(exist_ok=True)\n"
                   "(base / 'ipython' / 'note.txt').write_text('x')\n")
        slot.close()
        warm.sweep()
        assert warm.zygote.preload(["planted_by_a_student"]) == []
        slot = warm.take({})
        seen = _run(slot, "import os, sys, pathlib\n"
                          "base = pathlib.Path(os.environ['COURSE_KERNEL_BASE'])\n"
                          "print(sorted(p.name for p in base.iterdir()), hasattr(sys, 'planted'))\n"
                          "try:\n    import planted_by_a_student\n    print('imported')\n"
                          "except ImportError:\n    print('not importable')\n")
        slot_name = slot.dir.name
        slot.close()
    finally:
        warm.close()
    assert seen.split("\n")[0] == str(sorted(["zygote.log", slot_name])) + " False"
    assert "not importable" in seen


@pytest.mark.slow
@pytest.mark.parametrize("sandboxed", [False, True], ids=["plain", "sandboxed"])
def test_what_a_kernel_leaves_in_the_zygotes_log_is_not_kept_for_the_next(sandboxed):
    """The zygote's log is the one thing of the kernels' folder kept between students: a kernel
    that filled it, or put a folder of files in its place, would have every later kernel of the
    worker start over its disk limit.  Only the zygote's own file is kept, and small."""
    if sandboxed and not sandbox.available():
        pytest.skip("bubblewrap is not usable here (apt-get install bubblewrap)")
    look = ("import os, pathlib\n"
            "log = pathlib.Path(os.environ['COURSE_KERNEL_BASE']) / 'zygote.log'\n"
            "print(log.is_file(), log.is_dir(), log.stat().st_size if log.exists() else -1)\n")
    warm = WarmKernels([], sandboxed=sandboxed)
    try:
        seen = []
        for leave in ("open(log, 'ab').write(b'x' * (3 << 20))\n",
                      "log.unlink()\nlog.mkdir()\n(log / 'big').write_bytes(b'x' * (3 << 20))\n",
                      ""):
            slot = warm.take({})
            seen.append(_run(slot, look + leave).split("\n")[0])
            slot.close()
            warm.sweep()
    finally:
        warm.close()
    small_file = [s.split()[:2] == ["True", "False"] and int(s.split()[2]) < 1 << 20
                  for s in seen]
    assert small_file[:2] == [True, True], seen  # the appended megabytes are gone
    assert seen[2].split()[1] == "False", seen  # and the folder put in its place


def test_a_long_temporary_folder_does_not_make_the_kernels_sockets_too_long(monkeypatch):
    """A kernel's Unix socket lives in the kernels' folder; under a long TMPDIR its path
    was longer than a socket path may be and every submission failed.  The folder then goes
    to a short system one; where none is writable, the worker refuses to start, saying why."""
    long = "/tmp/" + "a-long-teaching-assistant-home-folder/" * 3
    monkeypatch.setattr(tempfile, "tempdir", long)
    parent = kernels.kernels_parent()
    assert parent in ("/tmp", "/var/tmp", "/dev/shm")
    socket = f"{parent}/course-kernels-abcdefgh/slot-abcdefgh/kernel-5"
    assert len(socket) <= zmq.IPC_PATH_MAX_LEN
    monkeypatch.setattr(tempfile, "tempdir", "/tmp/short")
    assert kernels.kernels_parent() == "/tmp/short"
    monkeypatch.setattr(tempfile, "tempdir", long)
    monkeypatch.setattr(kernels.os, "access", lambda *a: False)
    with pytest.raises(RuntimeError, match="TMPDIR"):
        kernels.kernels_parent()


@pytest.mark.slow
def test_kernels_start_and_answer_under_a_long_temporary_folder(monkeypatch, tmp_path):
    deep = tmp_path / ("x" * 70)
    deep.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(deep))
    warm = WarmKernels([], sandboxed=sandbox.available())
    try:
        assert len(str(warm.base)) <= kernels._LONGEST_PARENT + len("/course-kernels-abcdefgh")
        slot = warm.take({})
        assert _run(slot, "print(6 * 7)").strip() == "42"
        slot.close()
    finally:
        warm.close()
    assert not warm.base.exists()


@pytest.mark.slow
def test_a_closed_kernel_gives_back_its_sockets_and_threads():
    """A worker grades hundreds of submissions, one kernel each: closing a kernel must close its
    manager's control socket and zmq context (one I/O thread, several descriptors), which
    jupyter_client does only if its shutdown gets through to the end.  Left to the garbage
    collector, a context with an open socket can block the process forever in `term`."""
    warm = WarmKernels([], sandboxed=False)
    try:
        warm.take({}).close()  # the first kernel starts what stays: the zygote's pipes, …
        fds, threads = psutil.Process().num_fds(), psutil.Process().num_threads()
        managers = []
        for _ in range(3):
            slot = warm.take({})
            slot.close()
            managers.append(slot.km)
        assert all(km.context.closed for km in managers)
        assert (psutil.Process().num_fds(), psutil.Process().num_threads()) == (fds, threads)
    finally:
        warm.close()


def test_closing_the_zygote_closes_its_pipes():
    """Each worker starts a zygote; its stdin and stdout pipes must not outlive it."""
    warm = WarmKernels([], sandboxed=False)
    proc = warm.zygote.proc
    warm.close()
    assert proc.stdin.closed and proc.stdout.closed


@pytest.mark.slow
@pytest.mark.parametrize("sandboxed", [False, True], ids=["plain", "sandboxed"])
def test_a_kernels_temporary_files_stay_in_its_folder_and_go_with_it(sandboxed):
    """A grading kernel is killed, never shut down, so a submission's `TemporaryDirectory`
    (lesson 05's data folder) is never cleaned up by Python: it must live in the kernel's own
    folder, removed with the kernel, not in the machine's /tmp where the next student's kernel
    (without the sandbox) could read it."""
    if sandboxed and not sandbox.available():
        pytest.skip("bubblewrap is not usable here (apt-get install bubblewrap)")
    warm = WarmKernels([], sandboxed=sandboxed)
    try:
        slot = warm.take({})
        made = _run(slot, "import tempfile\nfolder = tempfile.TemporaryDirectory()\n"
                          "print(folder.name)").strip()
        assert made.startswith(str(slot.dir) + "/"), made
        slot.close()
        assert not os.path.exists(made)
    finally:
        warm.close()


@pytest.mark.slow
@pytest.mark.parametrize("sandboxed", [False, True], ids=["plain", "sandboxed"])
def test_closing_the_kernels_returns_once_every_process_and_the_folder_are_gone(sandboxed):
    """A worker ends (or is stopped) while a kernel runs: every process below the zygote's
    (bubblewrap's) process must be gone when close() returns, or one still starting could
    write into the kernels' folder as it is removed and leave it behind."""
    if sandboxed and not sandbox.available():
        pytest.skip("bubblewrap is not usable here (apt-get install bubblewrap)")
    warm = WarmKernels([], sandboxed=sandboxed)
    running = warm.take({})  # a kernel running, as when a worker is stopped mid-submission
    warm.start_ahead({})
    top = psutil.Process(warm.zygote.proc.pid)
    tree = top.children(recursive=True)
    assert len(tree) >= 2 + sandboxed
    warm.close()
    left = [p.pid for p in tree if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
    running.close()  # its manager's sockets (the kernel is gone already)
    assert left == [] and not warm.base.exists()


@pytest.mark.slow
def test_the_kernels_folder_goes_even_when_closing_the_zygote_fails(monkeypatch):
    """A worker stopped by a signal while it read the zygote's pipe could not close that pipe
    (a reentrant call) and its kernels' folder stayed behind (CI, the interrupt tests)."""
    warm = WarmKernels([], sandboxed=False)
    real_close = warm.zygote.close

    def failing_close():
        real_close()
        raise RuntimeError("reentrant call inside <_io.BufferedReader name=20>")

    monkeypatch.setattr(warm.zygote, "close", failing_close)
    with pytest.raises(RuntimeError):
        warm.close()
    assert not warm.base.exists() and not os.path.exists(str(warm.base) + ".lock")
