"""The package reads as its pipeline: no import cycles, and a stage uses another stage only
through the modules that stage declares public (its `PUBLIC`)."""
from __future__ import annotations

import ast
import importlib
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "course"
STAGES = ("authoring", "intake", "grading", "results")


def module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in PACKAGE.rglob("*.py") if "templates" not in p.parts}


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """Every course.* module `name` imports, at any depth of its code (lazy imports count)."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[:len(anchor) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            targets = [f"{base}.{a.name}" for a in node.names] + [base]
        else:
            continue
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def graph() -> dict[str, set[str]]:
    mods = modules()
    return {name: imports_of(name, path, set(mods)) for name, path in mods.items()}


def test_the_import_walker_sees_imports():
    g = graph()
    assert "course.course_folder" in g["course.grading.grade"]
    assert "course.grading.engine" in g["course.grading.grade"]
    assert "course.authoring.release" in g["course.cli"]  # a lazy import, inside a function


def test_no_import_cycles():
    g = graph()
    # a parent package's __init__ is imported by its children by Python itself, not a cycle
    edges = {m: {t for t in ts if not m.startswith(t + ".")} for m, ts in g.items()}
    state: dict[str, int] = {}
    cycles = []

    def visit(node, stack):
        state[node] = 1
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                cycles.append(stack[stack.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, stack + [nxt])
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            visit(node, [node])
    assert not cycles, "import cycles: " + "; ".join(" -> ".join(c) for c in cycles)


def stage_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in STAGES else None


def test_stages_use_each_other_only_through_public_modules():
    bad = []
    for module, targets in graph().items():
        mine = stage_of(module)
        if mine is None:
            continue
        for target in targets:
            theirs = stage_of(target)
            if theirs is None or theirs == mine or target == f"course.{theirs}":
                continue
            public = importlib.import_module(f"course.{theirs}").PUBLIC
            if target.split(".")[2] not in public:
                bad.append(f"{module} -> {target}")
    assert not bad, "a stage reaches into another's internals: " + ", ".join(bad)


def test_shared_modules_import_no_stage():
    """The vocabulary, the course folder, the attention log, the lessons and the hidden-test
    library sit below every stage; a grading kernel imports them without any stage."""
    for module, targets in graph().items():
        if stage_of(module) is None and module not in ("course.cli", "course.demo"):
            assert not {t for t in targets if stage_of(t)}, module
