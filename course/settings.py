"""Where things live and the few settings a course owner changes (read from pyproject.toml)."""
from __future__ import annotations

import os
import tomllib
from functools import lru_cache
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
LESSONS_DIR = PACKAGE_DIR / "lessons"
LANGS = ("pt", "es")

# nbgrader keys ClearSolutions.code_stub by kernel language, so the human language is set per
# assignment when releasing.  The `raise` keeps an untouched stub failing loudly.
CODE_STUBS = {
    "pt": "# SEU CÓDIGO AQUI\nraise NotImplementedError()",
    "es": "# TU CÓDIGO AQUÍ\nraise NotImplementedError()",
}
TEXT_STUBS = {
    "pt": "ESCREVA SUA RESPOSTA AQUI",
    "es": "ESCRIBE TU RESPUESTA AQUÍ",
}


def course_root() -> Path:
    """The course folder: $COURSE_ROOT, else the checkout that holds this package."""
    env = os.environ.get("COURSE_ROOT")
    if env:
        return Path(env).resolve()
    return PACKAGE_DIR.parent


@lru_cache(maxsize=None)
def _tool_settings(root: Path) -> dict:
    pyproject = root / "pyproject.toml"
    if not pyproject.exists():
        return {}
    return tomllib.loads(pyproject.read_text(encoding="utf-8")).get("tool", {}).get("course", {})


def repository(root: Path | None = None) -> tuple[str, str]:
    """(owner/repo, branch) that the "Open in Colab" badges point at."""
    cfg = _tool_settings(root or course_root())
    return cfg.get("repository", "autograd-course/autograd-course"), cfg.get("branch", "main")
