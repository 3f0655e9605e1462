"""What a kernel imports is imported once, in the zygote: per assignment (grading.preload) on
top of zygote.PRELOAD.  A kernel that imports hundreds of modules itself pays for them in
every submission (lesson 06's seaborn and forward-mode AD: 1.1 s each)."""
from __future__ import annotations

import json
import subprocess
import sys

import nbformat
import pytest

from conftest import released_course, reference_answers
from course.authoring.notebooks import fill
from course.grading import runner
from course.grading.preload import modules_for
from course.grading.task import Bundle, Task
from course.lessons import slugs


def notebook(*sources: str, markdown: str = "") -> str:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(markdown)] + [
        nbformat.v4.new_code_cell(s) for s in sources]
    return nbformat.writes(nb)


def test_modules_named_by_the_notebooks_imports():
    nb = notebook("import seaborn as sns, os.path\nfrom torch.utils.data import DataLoader",
                  "%matplotlib inline\nimport numpy as np\n!pip list",
                  "def f():\n    from . import sibling\n    import json\n",
                  markdown="import pandas")
    assert modules_for(nb) == ("json", "numpy", "os.path", "seaborn", "torch.utils.data")


def test_what_torch_imports_on_first_use_is_named_by_the_feature():
    jvp = modules_for(notebook("from torch.func import jvp\nout = jvp(f, (x,), (v,))"))
    assert {"torch._decomp.decompositions_for_jvp", "torch._dynamo"} <= set(jvp)
    assert "torch._dynamo" in modules_for(notebook("opt = torch.optim.SGD([w], lr=0.1)"))
    assert "torch.fx.experimental.symbolic_shapes" in modules_for(
        notebook("torch.autograd.gradcheck(f, (x,))"))
    assert modules_for(notebook("y = x * 2  # no optimizer here")) == ()


def test_a_cell_that_does_not_parse_or_a_broken_notebook_names_nothing():
    assert modules_for(notebook("def broken(:\n    import pandas", "import math")) == ("math",)
    assert modules_for(b"not json") == ()
    assert modules_for("{}") == ()


def test_the_course_own_modules_are_never_asked_of_the_zygote():
    """The kernel guard imported in the zygote would be snapshotted unarmed by the checks."""
    nb = notebook("from course.checks.guard import passed\nimport course.lessons\nimport math")
    assert modules_for(nb) == ("math",)


def test_the_zygote_imports_on_request_what_it_can(tmp_path):
    from course.grading.kernels import WarmKernels

    kernels = WarmKernels([], sandboxed=False)
    try:
        assert kernels.zygote.preload(["colorsys", "no_such_module_here"]) == ["colorsys"]
        assert kernels.zygote.preload(["course.checks.guard"]) == []  # never the guard
        kernels.preload(["colorsys"])
        kernels.start_ahead({})
        ahead = kernels._ahead
        kernels.preload(["colorsys"])  # already there: the kernel started ahead is kept
        assert kernels._ahead is ahead
        kernels.preload(["wave"])  # the kernel started ahead lacks it: let go
        assert kernels._ahead is None and not ahead.alive()
        assert kernels.zygote.cuda_initialized is False
    finally:
        kernels.close()


ZYGOTE_MODULES = """
import json, os, sys
from course.grading import zygote
zygote._preload()
out = {}
for name, extra in json.loads(sys.argv[1]).items():
    read, write = os.pipe()
    if os.fork() == 0:
        zygote._import_more(extra)
        os.write(write, json.dumps(sorted(sys.modules)).encode())
        os._exit(0)
    os.close(write)
    with os.fdopen(read) as f:
        out[name] = json.loads(f.read())
    os.wait()
print(json.dumps(out))
"""
# A kernel imports a few modules of its own at most (what no kernel of this course needs
# beforehand); hundreds mean a package no one preloaded.
FEW = 12
NEVER_IN_A_KERNEL = ("pandas", "seaborn", "sympy", "scipy", "torch._dynamo",
                     "torch._decomp.decompositions_for_jvp")


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore:.*not in session.*")
def test_no_lesson_kernel_imports_what_the_zygote_could_have(tmp_path):
    bundles, courses = {}, {}
    for slug in slugs():
        a = f"{slug}_pt"
        course = released_course(tmp_path / slug, slug, a)
        rel = nbformat.read(course.release_notebook(a), as_version=4)
        nb = fill(rel, reference_answers(course, a))
        nb.cells.append(nbformat.v4.new_code_cell(
            f"import sys, json\nopen({str(tmp_path / (a + '.json'))!r}, 'w')"
            ".write(json.dumps(sorted(sys.modules)))"))
        target = course.submitted_notebook("ref", a)
        target.parent.mkdir(parents=True)
        nbformat.write(nb, target)
        bundles[a], courses[a] = Bundle.of(course, a, "pt"), course
    zygote_modules = json.loads(subprocess.run(
        [sys.executable, "-c", ZYGOTE_MODULES,
         json.dumps({a: list(b.preload) for a, b in bundles.items()})],
        capture_output=True, text=True, check=True).stdout)
    extra = {}
    for a, bundle in bundles.items():
        worker = runner.GradingWorker((), False, False, bundle.preload)  # a fresh zygote each
        try:
            result = worker.grade(bundle, Task.of(courses[a], a, "ref", sandbox=False))
        finally:
            worker.close()
        assert result.success, result.reason
        graded = nbformat.reads(result.notebook, as_version=4)
        errors = [(c.metadata.get("nbgrader", {}).get("grade_id"), o.ename)
                  for c in graded.cells if c.cell_type == "code"
                  for o in c.get("outputs", []) if o.output_type == "error"]
        assert errors == [], f"{a}: the reference solution failed {errors}"
        kernel = set(json.loads((tmp_path / f"{a}.json").read_text()))
        extra[a] = sorted(kernel - set(zygote_modules[a]))
    heavy = {a: [m for m in mods if m.startswith(NEVER_IN_A_KERNEL)] for a, mods in extra.items()}
    assert all(not h for h in heavy.values()), heavy
    assert all(len(mods) <= FEW for mods in extra.values()), extra


def test_a_zygote_that_is_gone_says_so_instead_of_a_json_error(tmp_path):
    from course.grading.kernels import WarmKernels

    kernels = WarmKernels([], sandboxed=False)
    try:
        kernels.zygote.proc.kill()
        kernels.zygote.proc.wait()
        with pytest.raises(RuntimeError, match="kernel zygote has exited"):
            kernels.zygote.preload(["colorsys"])
        with pytest.raises(RuntimeError, match="kernel zygote has exited"):
            kernels.zygote.fork(str(tmp_path / "c.json"), str(tmp_path), {}, str(tmp_path / "l"))
    finally:
        kernels.close()


def test_the_hidden_tests_import_no_heavy_module_of_their_own():
    """Every zygote imports course.checks and every lesson's hidden tests: a heavy module
    they pull in (torch._dynamo, through building an optimizer at import) is paid by every
    worker of every assignment, lessons that never use it included (≈ 1.1 s each)."""
    code = ("import sys, torch\nbefore = set(sys.modules)\n"
            "from course.checks import pristine\nfrom course.lessons import load_checks, slugs\n"
            "for slug in slugs(): load_checks(slug)\npristine.protect_checks()\n"
            "import torch.optim\n"
            "hooked = all(getattr(c.step, 'hooked', False) for c in vars(torch.optim).values()"
            " if isinstance(c, type) and issubclass(c, torch.optim.Optimizer)"
            " and c is not torch.optim.Optimizer)\n"
            f"print(sorted(set(sys.modules) - before & set({list(NEVER_IN_A_KERNEL)!r})),"
            " hooked)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split("\n")[-2]
    assert out == "[] True"


def test_the_zygote_has_imported_what_the_kernel_guard_needs():
    """A grading-side module a kernel imports after the zygote's snapshot (the guard, at
    install) makes its first reset walk all of sys.modules and rebuild the fast check
    (≈ 5 ms per submission); imported by the zygote, it is in the snapshot already."""
    code = ("import sys\nfrom course.grading import zygote\nzygote._preload()\n"
            "before = set(sys.modules)\nfrom course.checks import guard\n"
            "from course.checks import originals\n"
            "print(sorted(set(sys.modules) - before), originals._scanned[0] == len(sys.modules))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split("\n")[-2]
    assert out == "[] True"
