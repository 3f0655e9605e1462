"""What the watchdog's disk limit counts: blocks really held, each hard link once, and a walk
that stops at its entry budget (a million tiny files cost no more than the budget)."""
from __future__ import annotations

import os

from course.grading.disk_use import folder_usage, over_limit


def test_blocks_are_counted_once_per_file_and_a_sparse_file_as_what_it_holds(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "data").write_bytes(os.urandom(3 << 20))
    os.link(tmp_path / "sub" / "data", tmp_path / "again")
    with open(tmp_path / "sparse", "wb") as f:
        f.truncate(100 << 20)
    usage = folder_usage(tmp_path, 100)
    assert 3 << 20 <= usage.bytes < 4 << 20
    assert usage.entries == 4 and not usage.truncated


def test_the_walk_stops_at_its_budget(tmp_path):
    for i in range(30):
        (tmp_path / str(i)).touch()
    usage = folder_usage(tmp_path, 10)
    assert usage.truncated and usage.entries == 11
    assert over_limit(tmp_path, 1, 10) == "more than 10 files written in the kernel's folder"
    assert over_limit(tmp_path, 1, 100) is None


def test_over_the_size_limit_says_so(tmp_path):
    (tmp_path / "big").write_bytes(os.urandom(2 << 20))
    assert over_limit(tmp_path, 1, 100) == "disk limit of 1 MB for the kernel's folder exceeded"
    assert over_limit(tmp_path, 3, 100) is None
    assert folder_usage(tmp_path / "missing", 10).bytes == 0


def _as_the_kernels_user(fn):
    """`fn(folder)` in a forked child whose user has no override of file permissions, as a
    kernel's (nobody, when the tests run as root); its JSON result."""
    import json
    import shutil
    import tempfile

    folder = tempfile.mkdtemp()
    os.chmod(folder, 0o777)
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        code = 1
        try:
            if os.geteuid() == 0:
                os.setgid(65534)
                os.setuid(65534)
            os.write(w, json.dumps(fn(folder)).encode())
            code = 0
        finally:
            os._exit(code)
    os.close(w)
    with os.fdopen(r) as f:
        out = f.read()
    _, status = os.waitpid(pid, 0)
    shutil.rmtree(folder, ignore_errors=True)
    assert os.waitstatus_to_exitcode(status) == 0
    return json.loads(out)


def _hide_and_clean(folder):
    from course.grading.disk_use import remove_tree

    kernel = os.path.join(folder, "kernel")
    os.mkdir(kernel)
    for name, mode in (("unlistable", 0o300), ("unsearchable", 0o600), ("closed", 0o000)):
        os.mkdir(os.path.join(kernel, name))
        for i in range(2):
            with open(os.path.join(kernel, name, str(i)), "wb") as f:
                f.write(os.urandom(1 << 20))
        os.chmod(os.path.join(kernel, name), mode)
    usage = folder_usage(kernel, 100)
    remove_tree(kernel)
    return usage.bytes, os.path.lexists(kernel)


def test_a_folder_the_kernel_made_unreadable_hides_nothing_and_is_removed():
    """A kernel runs as the worker's user and can take a folder's read or search permission
    away: what it wrote there would escape the disk limit and stay on the disk for every later
    student.  The walk and the cleanup give the owner its permissions back."""
    held, left = _as_the_kernels_user(_hide_and_clean)
    assert held >= 6 << 20 and not left
