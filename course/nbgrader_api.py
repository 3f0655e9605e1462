"""One way to talk to nbgrader: its Python API over this course's nbgrader_config.py."""
from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

from .settings import CODE_STUBS, TEXT_STUBS


def _put_interpreter_on_path() -> None:
    """nbgrader shells out to `alembic` (and kernels to `python`): make the ones next to this
    interpreter win even when the venv is not activated (`.venv/bin/course ...`)."""
    bindir = str(Path(sys.executable).parent)
    if os.environ.get("PATH", "").split(os.pathsep)[0] != bindir:
        os.environ["PATH"] = bindir + os.pathsep + os.environ.get("PATH", "")


_put_interpreter_on_path()


def load_config(root: Path, lang: str | None = None, scratch: bool = False) -> Config:
    """nbgrader_config.py of `root` (or of the checkout when `root` has none), rooted at `root`,
    with the answer stubs of `lang`.  A `scratch` course always gets its own SQLite gradebook,
    so a check never touches the class's real database."""
    from .settings import PACKAGE_DIR

    cfg_file = root / "nbgrader_config.py"
    if not cfg_file.exists():
        cfg_file = PACKAGE_DIR.parent / "nbgrader_config.py"
    cfg = PyFileConfigLoader(cfg_file.name, path=str(cfg_file.parent)).load_config()
    cfg.CourseDirectory.root = str(root)
    if scratch or "db_url" not in cfg.CourseDirectory:
        cfg.CourseDirectory.db_url = f"sqlite:///{root / 'gradebook.db'}"
    if lang is not None:
        cfg.ClearSolutions.code_stub = {"python": CODE_STUBS[lang]}
        cfg.ClearSolutions.text_stub = TEXT_STUBS[lang]
    return cfg


def api(root: Path, lang: str | None = None, scratch: bool = False):
    from nbgrader.apps.api import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    cfg = load_config(root, lang, scratch)
    coursedir = CourseDirectory(config=cfg)
    nbapi = NbGraderAPI(coursedir=coursedir, config=cfg)
    nbapi.log.setLevel(logging.WARNING)
    return nbapi


def run(result: dict, what: str) -> str:
    """Raise with nbgrader's own log when an API call failed; return the log otherwise."""
    if not result.get("success"):
        raise RuntimeError(f"{what} failed:\n{result.get('error', '')}\n{result.get('log', '')}")
    return result.get("log", "")


def gradebook(root: Path):
    from nbgrader.api import Gradebook

    return Gradebook(load_config(root).CourseDirectory.db_url)
