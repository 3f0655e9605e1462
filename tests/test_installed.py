"""An instructor who installs the package (`pip install .`, not editable) and works in a copy of
the course folder gets that folder as the course — never site-packages — and `course build
--check` and `course grade` work there.

The fresh venv gets only this package, installed non-editable; the dependencies (torch,
nbgrader…) are borrowed from the test's own environment through a path file, so the test needs
no network and takes seconds."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import sysconfig
import venv

import nbformat
import pytest

from conftest import ROOT

pytestmark = pytest.mark.slow


def run(cmd, cwd, env=None):
    out = subprocess.run([str(c) for c in cmd], cwd=cwd, capture_output=True, text=True,
                         env=env, timeout=600)
    assert out.returncode == 0, f"{cmd}:\n{out.stdout[-2000:]}\n{out.stderr[-3000:]}"
    return out.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    base = tmp_path_factory.mktemp("installed")
    env_dir = base / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    py = env_dir / "bin" / "python"
    site = run([py, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], base)
    src = base / "src"  # a clean copy: the build must not depend on the checkout's leftovers
    shutil.copytree(ROOT, src, ignore=shutil.ignore_patterns(
        ".git", ".venv", "build", "demo", "submitted", "autograded", "feedback", "reports",
        "gradebook.db", "*.egg-info", "__pycache__"))
    run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
         "-w", base / "dist", src], base)
    wheel = next((base / "dist").glob("autograd_course-*.whl"))
    run([sys.executable, "-m", "pip", "--python", py, "install", "-q", "--no-deps", wheel], base)
    # dependencies from this environment, after the venv's own site-packages
    (__import__("pathlib").Path(site.strip()) / "deps.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n")
    return env_dir


def test_package_is_a_copy_in_site_packages(installed, tmp_path):
    where = run([installed / "bin" / "python", "-c",
                 "import course, course.lessons as l; print(course.__file__); print(l.slugs())"],
                tmp_path)
    assert str(installed) in where.splitlines()[0]
    assert "01_graph" in where and "06_jacobian" in where


@pytest.fixture(scope="module")
def course_copy(tmp_path_factory):
    folder = tmp_path_factory.mktemp("turma")
    for name in ("source", "release", "nbgrader_config.py", "pyproject.toml"):
        src = ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, folder / name)
    (folder / "notebooks").mkdir()
    return folder


def test_build_check_in_a_copied_course_folder(installed, course_copy):
    out = run([installed / "bin" / "course", "build", "--check"], course_copy / "notebooks")
    assert "match the lessons" in out


def test_grade_in_a_copied_course_folder(installed, course_copy):
    a = "01_graph_pt"
    rel = nbformat.read(course_copy / "release" / a / f"{a}.ipynb", as_version=4)
    target = course_copy / "submitted" / "ana" / a / f"{a}.ipynb"
    target.parent.mkdir(parents=True)
    nbformat.write(rel, target)
    out = run([installed / "bin" / "course", "grade", a, "--jobs", "1"], course_copy)
    assert "1 graded, 0 unchanged" in out and "0 not graded" in out
    assert (course_copy / "gradebook.db").exists()
    assert (course_copy / "autograded" / "ana" / a / f"{a}.ipynb").exists()


def test_compiled_solutions_are_hidden_from_the_kernel(installed, tmp_path):
    """pip byte-compiles lesson.py on install; its .pyc holds the reference solutions as
    constants, so the sandbox hides it as it hides lesson.py."""
    probe = r'''
import glob, subprocess, sys, course
from pathlib import Path
from course.grading import sandbox
if not sandbox.available():
    print("no-sandbox"); raise SystemExit
pkg = Path(course.__file__).parent
pycs = sorted(glob.glob(str(pkg / "lessons/*/__pycache__/lesson.*.pyc")))
checks = sorted(glob.glob(str(pkg / "lessons/*/__pycache__/checks.*.pyc")))
assert pycs and checks, "pip compiled nothing"
inside = """import sys
def size(p):
    try:
        return len(open(p, "rb").read())
    except PermissionError:  # a device node bound on a nodev mount: unreadable
        return 0
print([size(p) for p in sys.argv[1:]])"""
out = subprocess.run(sandbox.prefix(Path.cwd(), [], Path("/")) + [sys.executable, "-c", inside,
                     pycs[0], checks[0]], capture_output=True, text=True)
print(out.stdout.strip() or "failed: " + out.stderr[-500:])
'''
    out = run([installed / "bin" / "python", "-c", probe], tmp_path).strip()
    if out.startswith("no-sandbox"):
        pytest.skip("bubblewrap is not usable here")
    hidden, needed = json.loads(out.splitlines()[-1])
    assert hidden == 0, out  # lesson.pyc: empty or unreadable inside the sandbox
    assert needed > 0, out  # checks.pyc: still there for the hidden tests
