"""The course folder: the one object every step receives.

A course folder is what nbgrader calls one: a folder holding `nbgrader_config.py`, with
`source/`, `release/`, `submitted/`, `autograded/`, `feedback/`, `reports/` and the gradebook.
`Course` loads the config once, owns every path, opens the gradebook and parses assignment
names; nothing else re-derives them.  It is found like nbgrader and git find theirs:
`--course DIR`, else `$COURSE_ROOT`, else the nearest folder at or above the current directory
that holds `nbgrader_config.py` — never from where the package is installed.
"""
from __future__ import annotations

import copy
import logging
import os
import sys
import tomllib
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Iterator

from .cells import CODE_STUBS, LANGS, TEXT_STUBS
from .i18n import _

CONFIG_FILE = "nbgrader_config.py"
DEFAULT_REPOSITORY = ("autograd-course/autograd-course", "main")


class CourseError(Exception):
    """A mistake of the person running `course` (no course folder, an unknown assignment…):
    the command prints it as one line and exits 2.  Anything else is a bug and shows a trace."""


@dataclass(frozen=True)
class Assignment:
    """One nbgrader assignment: a lesson in one language (`01_graph_pt`)."""

    name: str
    lesson: str
    lang: str

    def __str__(self) -> str:
        return self.name


def parse_assignment(name: str) -> Assignment:
    """`01_graph_pt` → Assignment(lesson="01_graph", lang="pt"); CourseError if it is no
    assignment of this course."""
    from .lessons import slugs

    lesson, _sep, lang = name.rpartition("_")
    known = slugs()
    if lang not in LANGS or lesson not in known:
        examples = ", ".join(f"{s}_{l}" for s in known[:2] for l in LANGS)
        raise CourseError(_("{name!r} is not an assignment of this course (expected "
                            "<lesson>_<{langs}>, e.g. {examples}; `course list` shows them all)",
                            name=name, langs="|".join(LANGS), examples=examples))
    return Assignment(name, lesson, lang)


def all_assignments() -> list[Assignment]:
    """Every assignment the lessons define, in course order."""
    from .lessons import slugs

    return [Assignment(f"{s}_{lang}", s, lang) for s in slugs() for lang in LANGS]


def find_root(explicit: str | Path | None = None, cwd: Path | None = None) -> Path:
    """The course folder: `explicit`, else $COURSE_ROOT, else the nearest folder at or above
    `cwd` holding nbgrader_config.py."""
    for given, where in ((explicit, "--course"), (os.environ.get("COURSE_ROOT"), "COURSE_ROOT")):
        if given:
            root = Path(given).expanduser().resolve()
            if not (root / CONFIG_FILE).is_file():
                raise CourseError(_("{where} {root} is not a course folder (it has no "
                                    "{config})", where=where, root=root, config=CONFIG_FILE))
            return root
    start = (cwd or Path.cwd()).resolve()
    for folder in (start, *start.parents):
        if (folder / CONFIG_FILE).is_file():
            return folder
    raise CourseError(_("no course folder here: neither {start} nor any folder above it holds "
                        "{config} (run `course` inside the course folder, or pass "
                        "--course DIR / set COURSE_ROOT)", start=start, config=CONFIG_FILE))


class Course:
    """A course folder and its nbgrader settings, read once."""

    def __init__(self, root: str | Path):
        self.root = Path(root).resolve()
        if not (self.root / CONFIG_FILE).is_file():
            raise CourseError(_("{root} is not a course folder (it has no {config})",
                                root=self.root, config=CONFIG_FILE))

    @classmethod
    def find(cls, explicit: str | Path | None = None, cwd: Path | None = None) -> "Course":
        return cls(find_root(explicit, cwd))

    @classmethod
    def create(cls, root: str | Path, like: "Course") -> "Course":
        """A new course folder with `like`'s settings but a SQLite gradebook of its own, so it
        never touches `like`'s database (the demo class, scratch builds)."""
        root = Path(root).resolve()
        root.mkdir(parents=True, exist_ok=True)
        text = (like.root / CONFIG_FILE).read_text(encoding="utf-8")
        text += ("\n# A course of its own (made by `course`): its gradebook is always this "
                 "folder's SQLite file.\n"
                 "c.CourseDirectory.db_url = 'sqlite:///' + os.path.join(\n"
                 "    os.path.dirname(os.path.abspath(__file__)), 'gradebook.db')\n")
        if "import os" not in text:
            text = "import os\n" + text
        (root / CONFIG_FILE).write_text(text, encoding="utf-8")
        return cls(root)

    def __repr__(self) -> str:
        return f"Course({str(self.root)!r})"

    # --- settings ---------------------------------------------------------------------

    @cached_property
    def config(self):
        """nbgrader_config.py, loaded once, rooted here; a SQLite gradebook in this folder
        unless the file sets a db_url."""
        from traitlets.config.loader import PyFileConfigLoader

        _put_interpreter_on_path()
        cfg = PyFileConfigLoader(CONFIG_FILE, path=str(self.root)).load_config()
        cfg.CourseDirectory.root = str(self.root)
        if "db_url" not in cfg.CourseDirectory:
            cfg.CourseDirectory.db_url = f"sqlite:///{self.root / 'gradebook.db'}"
        if "course_id" not in cfg.CourseDirectory:
            cfg.CourseDirectory.course_id = "default_course"
        return cfg

    def config_for(self, lang: str | None):
        """A copy of the config with the answer stubs of `lang` (nbgrader keys them by kernel
        language, so each assignment's human language is set here)."""
        cfg = copy.deepcopy(self.config)
        if lang is not None:
            cfg.ClearSolutions.code_stub = {"python": CODE_STUBS[lang]}
            cfg.ClearSolutions.text_stub = TEXT_STUBS[lang]
        return cfg

    @property
    def db_url(self) -> str:
        return self.config.CourseDirectory.db_url

    @property
    def course_id(self) -> str:
        return self.config.CourseDirectory.course_id

    @cached_property
    def repository(self) -> tuple[str, str]:
        """(owner/repo, branch) the "Open in Colab" badges point at: `[tool.course]` of this
        folder's pyproject.toml."""
        pyproject = self.root / "pyproject.toml"
        cfg = {}
        if pyproject.exists():
            cfg = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("tool", {}) \
                .get("course", {})
        return cfg.get("repository", DEFAULT_REPOSITORY[0]), cfg.get("branch", DEFAULT_REPOSITORY[1])

    # --- paths --------------------------------------------------------------------------

    def _dir(self, trait: str, default: str) -> Path:
        return self.root / str(self.config.CourseDirectory.get(trait, default))

    @property
    def source_dir(self) -> Path:
        return self._dir("source_directory", "source")

    @property
    def release_dir(self) -> Path:
        return self._dir("release_directory", "release")

    @property
    def submitted_dir(self) -> Path:
        return self._dir("submitted_directory", "submitted")

    @property
    def autograded_dir(self) -> Path:
        return self._dir("autograded_directory", "autograded")

    @property
    def feedback_dir(self) -> Path:
        return self._dir("feedback_directory", "feedback")

    @property
    def reports_root(self) -> Path:
        return self.root / "reports"

    def reports_dir(self, assignment: str) -> Path:
        return self.reports_root / assignment

    def source_notebook(self, assignment: str) -> Path:
        return self.source_dir / assignment / f"{assignment}.ipynb"

    def release_notebook(self, assignment: str) -> Path:
        return self.release_dir / assignment / f"{assignment}.ipynb"

    def submitted_notebook(self, student: str, assignment: str) -> Path:
        return self.submitted_dir / student / assignment / f"{assignment}.ipynb"

    def autograded_notebook(self, student: str, assignment: str) -> Path:
        return self.autograded_dir / student / assignment / f"{assignment}.ipynb"

    def feedback_page(self, student: str, assignment: str) -> Path:
        return self.feedback_dir / student / assignment / f"{assignment}.html"

    def submitted_students(self, assignment: str) -> list[str]:
        """Students with a submitted/<student>/<assignment>/ folder, sorted."""
        return self.students_in(self.submitted_dir, assignment)

    @staticmethod
    def students_in(base: Path, assignment: str) -> list[str]:
        """Students with a <base>/<student>/<assignment>/ folder (nbgrader's layout), sorted."""
        if not base.is_dir():
            return []
        return sorted(d.name for d in base.iterdir() if (d / assignment).is_dir())

    # --- assignments and nbgrader -----------------------------------------------------------

    @contextmanager
    def gradebook(self) -> Iterator:
        """nbgrader's Gradebook of this course (SQLite file or the config's db_url)."""
        from nbgrader.api import Gradebook

        with Gradebook(self.db_url, self.course_id) as gb:
            yield gb

    def api(self, lang: str | None = None):
        """nbgrader's NbGraderAPI over this course, with `lang`'s answer stubs."""
        from nbgrader.apps.api import NbGraderAPI
        from nbgrader.coursedir import CourseDirectory

        cfg = self.config_for(lang)
        nbapi = NbGraderAPI(coursedir=CourseDirectory(config=cfg), config=cfg)
        nbapi.log.setLevel(logging.WARNING)
        return nbapi

    def in_gradebook(self, assignment: str) -> bool:
        from nbgrader.api import MissingEntry

        with self.gradebook() as gb:
            try:
                gb.find_assignment(assignment)
                return True
            except MissingEntry:
                return False


def nbgrader_ok(result: dict, what: str) -> str:
    """Raise with nbgrader's own log when an API call failed; return the log otherwise."""
    if not result.get("success"):
        raise CourseError(_("{what} failed:", what=what)
                          + f"\n{result.get('error', '')}\n{result.get('log', '')}")
    return result.get("log", "")


def _put_interpreter_on_path() -> None:
    """nbgrader shells out to `alembic` (and kernels to `python`): make the ones next to this
    interpreter win even when the venv is not activated (`.venv/bin/course ...`)."""
    bindir = str(Path(sys.executable).parent)
    if os.environ.get("PATH", "").split(os.pathsep)[0] != bindir:
        os.environ["PATH"] = bindir + os.pathsep + os.environ.get("PATH", "")
