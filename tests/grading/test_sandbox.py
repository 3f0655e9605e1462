"""The sandbox argv: private material hidden, and what the kernel needs to run kept visible even
when the checkout and its venv live under /tmp (which the sandbox replaces with an empty tmpfs)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from course.grading import sandbox


def test_private_folders_hidden_and_tmp_checkout_kept(tmp_path, monkeypatch):
    root = tmp_path / "course"
    for rel in ("source", "submitted", "autograded"):
        (root / rel).mkdir(parents=True)
    lesson = root / "course" / "lessons" / "01_x"
    lesson.mkdir(parents=True)
    for name in ("lesson.py", "answers.py", "checks.py", "mistakes.py"):
        (lesson / name).write_text("# " + name)
    cache = lesson / "__pycache__"  # what `pip install .` byte-compiles
    cache.mkdir()
    for name in ("lesson", "answers", "checks", "mistakes"):
        (cache / f"{name}.cpython-311.pyc").write_bytes(b"")
    (root / "gradebook.db").write_text("secret")
    venv = tmp_path / "venv"
    venv.mkdir()
    monkeypatch.setattr(sys, "prefix", str(venv))
    borrowed = tmp_path / "other-venv" / "lib" / "site-packages"  # added by a .pth file
    borrowed.mkdir(parents=True)
    monkeypatch.setattr(sys, "path", sys.path + [str(borrowed), str(tmp_path)])
    targeted = tmp_path / "target"  # pip install --target, then PYTHONPATH
    targeted.mkdir()
    monkeypatch.setenv("PYTHONPATH", f"{targeted}{os.pathsep}{tmp_path / 'missing'}")
    monkeypatch.setattr(sandbox, "PACKAGE_DIR", root / "course")
    argv = sandbox.prefix(root, [tmp_path / "slots"], tmp_path / "slots")
    joined = " ".join(argv)
    assert "--unshare-net" in argv and "--tmpfs /tmp" in joined
    after_tmp = joined.split("--tmpfs /tmp", 1)[1]
    assert f"--ro-bind {venv.resolve()} {venv.resolve()}" in after_tmp
    assert f"--ro-bind {root.resolve()} {root.resolve()}" in after_tmp
    assert f"--ro-bind {borrowed.resolve()} {borrowed.resolve()}" in after_tmp
    assert f"--ro-bind {targeted.resolve()} {targeted.resolve()}" in after_tmp
    assert "missing" not in joined
    assert f"--ro-bind {tmp_path.resolve()} " not in joined  # not every sys.path entry
    for rel in ("source", "submitted", "autograded"):
        hidden = f"--tmpfs {(root / rel).resolve()}"
        assert hidden in joined
        # hidden after the checkout was bound back, so the tmpfs wins
        assert joined.index(hidden) > joined.index(f"--ro-bind {root.resolve()}")
    for private in ("lesson.py", "answers.py"):  # solutions and wrong answers
        assert f"--ro-bind /dev/null {lesson / private}" in joined
        compiled = cache / private.replace(".py", ".cpython-311.pyc")
        assert f"--ro-bind /dev/null {compiled}" in joined  # their constants too
    for needed in ("checks.py", "mistakes.py"):  # what the hidden tests import
        assert str(lesson / needed) not in joined
        assert needed.replace(".py", ".cpython") not in joined
    assert f"--ro-bind /dev/null {(root / 'gradebook.db').resolve()}" in joined
    assert argv[-2:] == ["--chdir", str(tmp_path / "slots")]


def test_gpu_device_nodes_are_found_and_passed_through(tmp_path, monkeypatch):
    """bwrap's fresh /dev has no GPU: without its nodes torch sees none, and the hidden tests
    would quietly run on the CPU alone."""
    for name in ("nvidia0", "nvidiactl", "nvidia-uvm", "null", "tty", "kfd"):
        (tmp_path / name).touch()
    for folder in ("nvidia-caps", "dri", "shm"):
        (tmp_path / folder).mkdir()
    found = [p.name for p in sandbox.gpu_devices(tmp_path)]
    assert found == ["dri", "kfd", "nvidia-caps", "nvidia-uvm", "nvidia0", "nvidiactl"]
    nodes = [tmp_path / "nvidia0", tmp_path / "nvidiactl"]
    monkeypatch.setattr(sandbox, "gpu_devices", lambda: nodes)
    argv = sandbox.prefix(tmp_path, [], tmp_path)
    joined = " ".join(argv)
    for node in nodes:
        assert f"--dev-bind {node} {node}" in joined
        assert joined.index(f"--dev-bind {node}") > joined.index("--dev /dev")  # on top of it


def test_a_passed_through_device_node_is_there_inside_the_sandbox(tmp_path, monkeypatch):
    if not sandbox.available():
        pytest.skip("bubblewrap is not usable here")
    fresh = {"null", "zero", "full", "random", "urandom", "tty", "ptmx", "pts", "shm", "fd",
             "stdin", "stdout", "stderr", "core", "console"}
    node = next((p for p in sorted(Path("/dev").iterdir())
                 if p.name not in fresh and not p.is_dir() and not p.is_symlink()), None)
    if node is None:
        pytest.skip("no device node here that bwrap's /dev lacks")
    monkeypatch.setattr(sandbox, "gpu_devices", lambda: [node])
    argv = sandbox.prefix(tmp_path, [tmp_path], tmp_path)
    assert subprocess.run(argv + ["test", "-e", str(node)], check=False).returncode == 0
    bare = [a for a in argv if a not in ("--dev-bind", str(node))]
    assert subprocess.run(bare + ["test", "-e", str(node)], check=False).returncode != 0


def test_the_sandboxs_memory_backed_folders_have_a_size(tmp_path):
    """/tmp and /dev/shm live in memory, where no process's resident memory counts them: a
    kernel held 3 GB in /tmp under a 1 GB memory limit before they had a size."""
    if not sandbox.available():
        pytest.skip("bubblewrap is not usable here")
    argv = sandbox.prefix(tmp_path, [tmp_path], tmp_path)
    probe = ("import os\nfor p in ('/tmp', '/dev/shm'):\n"
             "    s = os.statvfs(p)\n    print(s.f_blocks * s.f_frsize)")
    out = subprocess.run(argv + [sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True).stdout.split()
    assert [int(v) for v in out] == [sandbox.TMPFS_LIMIT_MB << 20] * 2


def test_a_kernel_cannot_write_a_file_past_its_limit(tmp_path):
    """The kernels' folder is on the worker's disk: one file a submission grows past the limit
    ends its kernel instead of filling the disk."""
    from course.grading import zygote

    code = ("import os, signal\nsignal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
            "from course.grading import zygote\nzygote.KERNEL_FILE_LIMIT_MB = 1\n"
            "zygote._limit_file_size()\n"
            f"f = open({str(tmp_path / 'big')!r}, 'wb')\n"
            "try:\n    f.write(b'x' * (2 << 20)); f.flush(); print('wrote')\n"
            "except OSError as e:\n    print('refused', e.errno)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=Path(zygote.__file__).parents[2]).stdout
    assert out.startswith("refused") and (tmp_path / "big").stat().st_size <= 1 << 20
