"""Generated notebooks: deterministic, checked against the committed tree, identical code in both
languages, and release notebooks that run in Colab without the `course` package."""
from __future__ import annotations

import ast
import re
import json
import shutil
import subprocess
import sys

import nbformat
import pytest

from course.authoring import build
from course.authoring.lesson_format import read_all
from course.authoring.notebooks import execute, fill, solutions, errors
from course.cells import LANGS

COLAB_MODULES = {"torch", "numpy", "matplotlib", "seaborn"}
# Imported only inside `try: … except ImportError:` with a fallback (the widget sliders).
OPTIONAL_MODULES = {"ipywidgets"}
STDLIB = set(sys.stdlib_module_names)


def test_build_is_deterministic():
    assert build.build_all() == build.build_all()


def test_committed_tree_matches_lessons(root):
    out = subprocess.run([sys.executable, "-m", "course.cli", "build", "--check"], cwd=root,
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr


@pytest.mark.parametrize("folder", ["source", "release"])
def test_hand_edited_notebook_fails_the_check(root, tmp_path, folder):
    for name in ("source", "release", "nbgrader_config.py", "pyproject.toml"):
        src = root / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, tmp_path / name)
    victim = tmp_path / folder / "01_graph_pt" / "01_graph_pt.ipynb"
    nb = json.loads(victim.read_text())
    nb["cells"][3]["source"] = "# edited by hand\n"
    victim.write_text(json.dumps(nb, indent=1))
    out = subprocess.run([sys.executable, "-m", "course.cli", "build", "--check"], cwd=root,
                         capture_output=True, text=True, env={"COURSE_ROOT": str(tmp_path),
                                                              "PATH": subprocess.os.environ["PATH"]})
    assert out.returncode == 1
    assert f"{folder}/01_graph_pt/01_graph_pt.ipynb: differs" in out.stderr


def _code_cells(path):
    nb = nbformat.read(path, as_version=4)
    return [(c.id, c.source) for c in nb.cells if c.cell_type == "code"]


@pytest.mark.parametrize("lesson", read_all(), ids=lambda l: l.slug)
def test_pt_and_es_share_code_and_tests(root, lesson):
    tagged = {f"cell-{c.index:03d}" for c in lesson.cells if c.lang and c.kind == "code"}
    tagged.add("helpers")
    per_lang = [[cell for cell in _code_cells(root / "source" / lesson.assignment(lang) /
                                              f"{lesson.assignment(lang)}.ipynb")
                 if cell[0] not in tagged] for lang in LANGS]
    assert per_lang[0] == per_lang[1]
    assert len(per_lang[0]) > 3


@pytest.mark.parametrize("lesson", read_all(), ids=lambda l: l.slug)
@pytest.mark.parametrize("lang", LANGS)
def test_release_notebook_is_colab_ready(root, lesson, lang):
    a = lesson.assignment(lang)
    nb = nbformat.read(root / "release" / a / f"{a}.ipynb", as_version=4)
    badge = nb.cells[0].source
    assert "colab.research.google.com/github/" in badge and f"/release/{a}/{a}.ipynb" in badge
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert "device = " in code and "torch.cuda.is_available()" in code
    assert "BEGIN HIDDEN TESTS" not in code and "course.checks" not in code
    stub = {"pt": "# SEU CÓDIGO AQUI", "es": "# TU CÓDIGO AQUÍ"}[lang]
    assert stub in code
    imported, optional = set(), set()
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        tree = ast.parse(cell.source)
        for node in ast.walk(tree):
            if isinstance(node, ast.Try) and any(
                    isinstance(h.type, ast.Name) and h.type.id == "ImportError"
                    for h in node.handlers):
                optional |= {id(n) for stmt in node.body for n in ast.walk(stmt)}
        for node in ast.walk(tree):
            names = (
                {a.name.split(".")[0] for a in node.names} if isinstance(node, ast.Import)
                else {node.module.split(".")[0]} if isinstance(node, ast.ImportFrom)
                and node.module else set())
            if names and not (id(node) in optional and names <= OPTIONAL_MODULES):
                imported |= names
    assert imported <= COLAB_MODULES | STDLIB, imported - COLAB_MODULES - STDLIB


def _run_where_course_is_missing(nb, tmp_path):
    """Execute `nb` in an empty folder, in a kernel where `import course` fails (as in Colab),
    with a temporary folder of its own (`tmp_path / "tmp"`, see `left_in_tmp`)."""
    shadow = tmp_path / "shadow" / "course"
    shadow.mkdir(parents=True, exist_ok=True)
    (shadow / "__init__.py").write_text("raise ImportError('course is not installed here')\n")
    (tmp_path / "tmp").mkdir(exist_ok=True)
    probe = nbformat.v4.new_code_cell(
        "try:\n    import course\n    raise SystemExit('course importable')\nexcept ImportError:\n    pass")
    nb.cells.insert(1, probe)
    env = {"PYTHONPATH": str(shadow.parent), "TMPDIR": str(tmp_path / "tmp")}
    env_before = {name: subprocess.os.environ.get(name) for name in env}
    subprocess.os.environ.update(env)
    try:
        return execute(nb, cwd=tmp_path)
    finally:
        for name, value in env_before.items():
            if value is None:
                subprocess.os.environ.pop(name)
            else:
                subprocess.os.environ[name] = value


def left_in_tmp(tmp_path) -> list[str]:
    """What a notebook run by `_run_where_course_is_missing` left in its temporary folder once
    its kernel shut down: a student's disk, or the grader's /tmp under plain nbgrader, keeps
    whatever the lesson does not remove (lesson 05 once left 100 files per run)."""
    return sorted(p.name for p in (tmp_path / "tmp").iterdir()
                  if not p.name.startswith("torchinductor_"))  # torch's own cache, one per user


# Words of English prose that neither Portuguese nor Spanish uses: a printed line holding one
# is an English sentence a student would read.  The first entries are the outputs a reader
# found in the first edition ("initial cross-entropy", "weights unchanged", "gradient through
# one factor only", "6 steps from w0 = 1").
ENGLISH = re.compile(
    r"\b(initial|weights|unchanged|through|only|steps|the|of|and|is|are|with|from|after|"
    r"before|gradient|value|expected|got|loss|not)\b", re.I)


def english_lines(nb) -> list[str]:
    """Printed lines (streams and text results) that read as English prose."""
    found = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if "application/vnd.jupyter.widget-view+json" in out.get("data", {}):
                continue  # a widget's repr (`interactive(children=...)`) is not prose
            text = out.get("text", "") if out.output_type == "stream" else \
                out.get("data", {}).get("text/plain", "") if out.output_type in (
                    "execute_result", "display_data") else ""
            for line in text.splitlines():
                if ENGLISH.search(line) and not line.lstrip().startswith(
                        ("tensor(", "[", "(", "<", "interactive(", "/")):  # "/": a path
                    found.append(line.strip())
    return found


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("lesson", read_all(), ids=lambda l: l.slug)
def test_release_with_answers_runs_without_course_package_and_speaks_the_language(
        root, tmp_path, lesson, lang):
    """Solutions filled into the student notebook run top to bottom in an empty folder, in a
    kernel where `import course` fails (as in Colab), print no English sentence, and leave
    nothing in the temporary folder."""
    a = lesson.assignment(lang)
    source_nb = nbformat.read(root / "source" / a / f"{a}.ipynb", as_version=4)
    release_nb = nbformat.read(root / "release" / a / f"{a}.ipynb", as_version=4)
    done = _run_where_course_is_missing(fill(release_nb, solutions(source_nb)), tmp_path)
    assert errors(done) == {}
    assert english_lines(done) == []
    assert left_in_tmp(tmp_path) == []


@pytest.mark.slow
@pytest.mark.parametrize("lesson", read_all(), ids=lambda l: l.slug)
def test_a_fresh_release_notebook_runs_to_the_end(root, tmp_path, lesson):
    """Run all on the notebook as released (every exercise unanswered) reaches the last cell:
    the visible checks wait for an answer instead of stopping, and no lesson cell needs an
    exercise's answer, so a student can read ahead."""
    a = lesson.assignment("es")
    done = _run_where_course_is_missing(
        nbformat.read(root / "release" / a / f"{a}.ipynb", as_version=4), tmp_path)
    assert errors(done) == {}
    waiting = "".join(o.get("text", "") for c in done.cells for o in c.get("outputs", []))
    assert "⏳" in waiting
