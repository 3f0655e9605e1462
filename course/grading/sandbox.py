"""Run a grading kernel inside bubblewrap: no network, and the course's private material
(instructor notebooks, lesson sources, the gradebook, other students' files) out of sight.

Why bubblewrap: it is one Debian package (`apt-get install bubblewrap`), needs no daemon or
root, and makes a fresh mount + network namespace per kernel in milliseconds.  Where it is
missing (macOS, containers without user namespaces) grading still works, unsandboxed, and says
so loudly (`course grade` prints it and the attention list records it).
"""
from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent  # the `course` package

# What student code must not see, relative to the course root (hidden behind empty tmpfs).
PRIVATE_DIRS = ("source", "submitted", "autograded", "feedback", "reports", "demo", ".git",
                "exports", "exchange")
# Of each lesson folder, the kernel needs checks.py and mistakes.py (the hidden tests import
# them); the solutions (lesson.py) and the wrong answers stay out of sight.
LESSON_PRIVATE = ("lesson.py", "answers.py")
PRIVATE_FILES = ("gradebook.db", "gradebook.db-journal", ".nbgrader.log")
# The GPU's device nodes (NVIDIA's, and AMD's for ROCm builds of torch): bwrap's fresh /dev has
# none of them, and without them torch sees no GPU and the hidden tests would quietly run on
# the CPU alone.
GPU_DEVICES = ("nvidia*", "nvidia-caps", "kfd", "dri")


def private_lesson_files(package: Path) -> list[Path]:
    """The lessons' private files, and their compiled copies: `pip install .` (not -e)
    byte-compiles every module of the package, lesson.py included, and a .pyc holds the
    reference solutions as constants (`marshal.loads` reads them back)."""
    found = []
    for rel in LESSON_PRIVATE:
        found += package.glob(f"lessons/*/{rel}")
        found += package.glob(f"lessons/*/__pycache__/{Path(rel).stem}.*.pyc")
    return sorted(found)


def gpu_devices(dev: Path = Path("/dev")) -> list[Path]:
    """This machine's GPU device nodes, to be passed through into the sandbox."""
    return sorted({p for pattern in GPU_DEVICES for p in dev.glob(pattern)})


@functools.lru_cache(maxsize=None)
def available() -> bool:
    """bubblewrap is installed and can create namespaces here."""
    exe = shutil.which("bwrap")
    if not exe:
        return False
    probe = subprocess.run([exe, "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc",
                            "--unshare-net", "--die-with-parent", "true"],
                           capture_output=True, timeout=20)
    return probe.returncode == 0


# The sandbox's /tmp and /dev/shm live in memory, where no process's resident memory counts
# them: without a size, a kernel held 3 GB there under a 1 GB memory limit (a tmpfs defaults to
# half the RAM, per worker).  Honest notebooks write next to nothing there.
TMPFS_LIMIT_MB = 512


def prefix(roots: Path | list[Path], writable: list[Path], workdir: Path) -> list[str]:
    """The bwrap argv that wraps the kernel zygote.

    The whole filesystem is visible read-only except a fresh /tmp; the interpreter, the venv
    and this package are put back if they live under /tmp (a CI checkout often does); then the
    private material of the course roots (the instructor's course folder, a worker's scratch
    course, the checkout) is hidden on top of that.
    """
    roots = [roots] if isinstance(roots, (str, Path)) else list(roots)
    roots = [Path(r).resolve() for r in roots]
    size = str(TMPFS_LIMIT_MB << 20)
    argv = [shutil.which("bwrap") or "bwrap", "--ro-bind", "/", "/", "--dev", "/dev",
            "--size", size, "--tmpfs", "/dev/shm", "--proc", "/proc",
            "--size", size, "--tmpfs", "/tmp", "--unshare-net", "--unshare-ipc",
            "--die-with-parent"]
    for node in gpu_devices():
        argv += ["--dev-bind", str(node), str(node)]
    # (no --unshare-pid: ipykernel watches its parent's pid and would exit at once)
    needed = {Path(sys.prefix), Path(sys.base_prefix), Path(sys.executable).parent,
              PACKAGE_DIR.parent}
    # every package folder on the import path too (a .pth file may add one under /tmp), and
    # each folder of PYTHONPATH (the kernel inherits it: `pip install --target /tmp/x`)
    needed |= {Path(p) for p in sys.path
               if p.endswith(("site-packages", "dist-packages")) and Path(p).is_dir()}
    needed |= {Path(p) for p in os.environ.get("PYTHONPATH", "").split(os.pathsep)
               if p and Path(p).is_dir()}
    for path in sorted(p.resolve() for p in needed):
        if Path("/tmp") in path.parents:
            argv += ["--ro-bind", str(path), str(path)]
    for lesson_file in private_lesson_files(PACKAGE_DIR):
        argv += ["--ro-bind", "/dev/null", str(lesson_file)]
    for base in sorted({*roots, PACKAGE_DIR.parent.resolve()}):
        for rel in PRIVATE_DIRS:
            if (base / rel).is_dir():
                argv += ["--tmpfs", str(base / rel)]
        for rel in PRIVATE_FILES:
            if (base / rel).exists():
                argv += ["--ro-bind", "/dev/null", str(base / rel)]
    for path in writable:
        argv += ["--bind", str(path), str(path)]
    argv += ["--chdir", str(workdir)]
    return argv
