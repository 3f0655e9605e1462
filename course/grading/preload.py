"""What an assignment's kernels will import, so that the zygote imports it once for all of them.

The zygote imports what every kernel needs (`zygote.PRELOAD`: torch, ipykernel, matplotlib, the
hidden-test helpers).  Anything else a kernel imports it pays for again in every submission:
lesson 06 draws with seaborn (pandas with it) and calls `jvp`, which made every one of its
kernels import some 380 modules (0.4 s of CPU per submission); an optimizer or torch.func makes
a kernel import `torch._dynamo` (800 modules, 1 s).  Preloading all of it for every assignment
would cost each worker that time at start-up even where no kernel needs it (lessons 01, 07).

So each assignment's `Bundle` names its own extra modules, read from the instructor's source
notebook (never from a submission):
- every module its code cells import (lesson cells, solutions, hidden tests), by name, except
  the course's own;
- what torch imports lazily the first time a feature the code names is used (`LAZY`).

A wrong guess costs time, never a score: a kernel imports whatever is still missing itself,
exactly as under plain nbgrader.
"""
from __future__ import annotations

import ast
import json
import re

# A name in the notebook's code → the modules torch imports on that feature's first use.
# torch._dynamo is some 800 modules (sympy among them), a second of CPU per kernel.
_FUNC = (r"\btorch\.func\b|\bfunctorch\b|"
         r"\b(jacrev|jacfwd|vmap|hessian|jvp|make_dual|forward_ad|linearize|functional_call)\b")
LAZY: dict[str, tuple[str, ...]] = {
    r"\boptim\b|\bOptimizer\b": ("torch._dynamo",),  # every optimizer's step
    r"\bgradcheck\b|\bgradgradcheck\b": ("torch.fx.experimental.symbolic_shapes",),
    _FUNC: ("torch._dynamo", "torch._decomp.decompositions_for_jvp"),
}


def modules_for(notebook: bytes | str) -> tuple[str, ...]:
    """The modules the kernels of this (source) notebook will import, sorted."""
    try:
        nb = json.loads(notebook)
    except ValueError:
        return ()
    names: set[str] = set()
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else str(source)
        names |= _imported(source)
        for pattern, modules in LAZY.items():
            if re.search(pattern, source):
                names.update(modules)
    return tuple(sorted(n for n in names if not course_own(n)))


def course_own(name: str) -> bool:
    """One of the course's own modules: never imported on request (zygote.PRELOAD decides
    which the zygote has).  The kernel guard, above all, must be imported by each kernel
    itself, after the checks' snapshot was taken."""
    return name.split(".")[0] == "course"


def _imported(source: str) -> set[str]:
    """Absolute module names a cell's `import` statements name (IPython magics skipped)."""
    lines = [ln for ln in source.splitlines() if not ln.lstrip().startswith(("%", "!"))]
    try:
        tree = ast.parse("\n".join(lines))
    except SyntaxError:
        return set()
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module)
    return found
