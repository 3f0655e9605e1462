"""One `course` command at a time writes a course folder.

Two commands writing the same course at once (a second `course grade` started in another
terminal while the first is still grading, a TA's `course collect` during the teacher's
`course grade`) would move submissions under each other's feet, write the same grades twice and
fight over the gradebook.  Every command that takes a course folder holds an exclusive lock on
`<course>/.course.lock` while it runs; a second one is refused at once, saying which command
holds the course, since when, and in which process, and writes nothing.

The lock is the operating system's (`fcntl.flock`): it ends with the process that holds it,
however that process ends (Ctrl-C, a crash, `kill -9`), so a lock is never left behind.
Where `fcntl` does not exist (Windows), commands are not locked.  nbgrader's formgrader is not
a `course` command: it may grade written answers while `course grade` runs (the gradebook is
SQLite or PostgreSQL, which take turns).
"""
from __future__ import annotations

import json
import os
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from .course_folder import Course, CourseError
from .i18n import _

LOCK_FILE = ".course.lock"

try:
    import fcntl
except ImportError:  # not on Windows
    fcntl = None


@contextmanager
def holding(course: Course, command: str) -> Iterator[None]:
    """Run `command` with the course folder locked; CourseError (nothing done) if another
    command holds it."""
    if fcntl is None:
        yield
        return
    path = Path(course.root) / LOCK_FILE
    try:
        handle = open(path, "a+", encoding="utf-8")
    except OSError:  # a folder nobody may write: no other command can write it either
        yield
        return
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise CourseError(busy_message(course, holder(path))) from None
        handle.seek(0)
        handle.truncate()
        json.dump({"command": command, "pid": os.getpid(), "since": time.time()}, handle)
        handle.flush()
        yield
    finally:
        handle.close()  # (closing the file releases the lock)


def holder(path: Path) -> dict:
    """What the holder of the lock wrote about itself (empty if it had no time to)."""
    try:
        found = json.loads(path.read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def busy_message(course: Course, who: dict) -> str:
    since = who.get("since")
    when = (time.strftime("%Y-%m-%d %H:%M", time.localtime(since))
            if isinstance(since, (int, float)) else "?")
    return _("another `course {command}` is working on this course folder ({root}: process "
             "{pid}, since {when}); wait until it ends, or stop it, and run this command again "
             "(nothing was done)", command=who.get("command", "?"), root=course.root,
             pid=who.get("pid", "?"), when=when)
