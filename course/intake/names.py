"""Student ids made safe, and the students' names an LMS export carries, into the gradebook.

Where a name comes from is the `(?P<name>…)` group of the id pattern that matched the file
(see `student_id.DEFAULT_ID_PATTERNS`; an `--id-pattern` may have one too):

* Moodle: `Ana Souza_12345_assignsubmission_file_…` → "Ana Souza";
* Google Classroom: `Ana Souza - 01_graph_pt.ipynb` → "Ana Souza";
* one folder per student: the folder, only when it looks like a name (two or more words of
  letters: `Ana Souza/…`, `José Peña/…`; not `s1/`, `ab123/`, `turma/`);
* Canvas: `souzaana_12345_…` carries a login, not a name: none.

A name is split at its first word: "Maria da Silva Santos" → first "Maria", last
"da Silva Santos".  Something that is not a name (digits, symbols) gives none, and so does a
single word found in an export (`exported_name`): Moodle's blind marking writes "Participant",
"Participante"… in the site's language, and a login or a lone first name would fill the
gradebook with half a name (a roster, which the instructor wrote, may set one word).

The rule with the gradebook: a name found in an export fills a student whose first and last
names are both empty, and nothing else: a name already there (set by an instructor in
formgrader, by a roster, or by an earlier export) is never overwritten by an export.  A roster
(`roster.py`) is what the instructor set, so it does overwrite (roster > export).
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

from ..course_folder import Course

# letters (any script), joined by spaces, hyphens, apostrophes or dots: "Ana", "Núñez",
# "O'Brien", "Jean-Luc", "J. R."
# Longer ids are cut, with a hash of the whole that keeps two long ids apart.
MAX_ID_BYTES = 100
NAME = re.compile(r"[^\W\d_]+(?:[ '’.-]+[^\W\d_]+)*\.?")


def folded(text: str) -> str:
    """Text compared with case, accents and repeated spaces ignored: 'José  PEÑA' → 'jose pena'
    (roster headers, Moodle group names, a submission's name against the roster's)."""
    text = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).split())


def safe_id(raw: str) -> str | None:
    """A student id safe as a folder name and an nbgrader id: one path component without `/`
    or `..`; characters other than letters, digits, `.`, `@`, `-` and `_` become `_`."""
    raw = unicodedata.normalize("NFC", raw.strip())
    safe = re.sub(r"\.{2,}", ".", re.sub(r"[^\w.@-]+", "_", raw)).strip("_.")
    if len(safe.encode()) > MAX_ID_BYTES:  # a folder name has at most 255 bytes
        digest = hashlib.sha1(safe.encode()).hexdigest()[:10]
        safe = safe.encode()[:MAX_ID_BYTES - 11].decode("utf-8", "ignore").rstrip("_.")
        safe = f"{safe}_{digest}"
    return safe or None


@dataclass(frozen=True)
class Name:
    first: str
    last: str

    def __str__(self) -> str:
        return f"{self.first} {self.last}".strip()


def split_name(raw: str | None) -> Name | None:
    """'Ana  Souza' → Name('Ana', 'Souza'); None when `raw` does not look like a name."""
    if not raw:
        return None
    text = " ".join(unicodedata.normalize("NFC", raw).replace("_", " ").split())
    if not text or not NAME.fullmatch(text):
        return None
    first, _, last = text.partition(" ")
    return Name(first, last)


def exported_name(raw: str | None) -> Name | None:
    """A name an export carries: two words at least (see the module docstring)."""
    name = split_name(raw)
    return name if name is not None and name.last else None


@dataclass
class Recorded:
    named: list[str]  # students whose names were written now
    kept: list[str]  # students who already had a name (left as they were)
    created: list[str]  # students new to the gradebook


def record(course: Course, names: dict[str, Name | None]) -> Recorded:
    """Every student of `names` into the gradebook; a name only where none is set."""
    from nbgrader.api import MissingEntry

    done = Recorded([], [], [])
    with course.gradebook() as gb:
        for student, name in sorted(names.items()):
            try:
                found = gb.find_student(student)
            except MissingEntry:
                found = None
                done.created.append(student)
            has_name = found is not None and bool((found.first_name or "").strip()
                                                  or (found.last_name or "").strip())
            if name is None or has_name:
                if found is None:
                    gb.update_or_create_student(student)
                elif name is not None:
                    done.kept.append(student)
                continue
            gb.update_or_create_student(student, first_name=name.first,
                                        last_name=name.last or None)
            done.named.append(student)
    return done
