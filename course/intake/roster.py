"""`course roster FILE` (and `course collect … --roster FILE`): the class list into nbgrader's
gradebook, as `nbgrader db student import` does, but reading the CSV an instructor has.

Columns are found by their header, in English, Portuguese or Spanish, any case, with or
without accents, spaces or underscores (`HEADERS` lists them all):

* id (required): id, student_id, matricula, ra, legajo, identificador, username, usuario, …
* first name: first_name, given name, nome, primeiro nome, nombre, nombres, …
* last name: last_name, surname, sobrenome, apellido, apellidos, …
* full name, split at its first word, used where first and last are absent: name, full name,
  nome completo, nombre completo;
* email: email, e-mail, correo, correo electronico, endereco de email, …

A first-name column without a last-name column (a lone "Nome" or "Nombre") is read as the whole
name and split the same way ("Maria da Silva" → "Maria" / "da Silva").

Separators `,`, `;` (what Excel writes in Brazil and most of Latin America) and tab are
recognised from the header line; the file may be UTF-8 (with or without BOM) or Windows-1252
(Excel's "CSV" in pt/es Windows).  Ids are made safe the same way `collect` makes them, so a
roster id `Ana Souza` is the student `collect` calls `Ana_Souza`.

The roster is what the instructor set: its non-empty cells overwrite the gradebook's names
and email (also a name found in an export or typed in formgrader); an empty cell leaves the
gradebook's value as it is.  Names found in exports never overwrite a non-empty name.
"""
from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ..course_folder import Course, CourseError
from ..i18n import _
from .names import folded, safe_id, split_name
from .text_encoding import decode

HEADERS = {
    "id": ("id", "student id", "student", "studentid", "estudante", "aluno", "alumno",
           "id estudante", "id aluno", "id alumno", "id estudiante", "estudiante", "matricula",
           "numero de matricula", "ra", "legajo", "identificador", "identifier", "username",
           "user", "usuario", "nome de usuario", "nombre de usuario", "login",
           "id number", "numero de identificacao", "numero de id", "numero de identificacion"),
    "first_name": ("first name", "firstname", "given name", "nome", "primeiro nome", "prenome",
                   "nombre", "nombres", "primer nombre"),
    "last_name": ("last name", "lastname", "surname", "family name", "sobrenome", "sobrenomes",
                  "ultimo nome", "apellido", "apellidos", "apellido(s)"),
    "full_name": ("name", "full name", "fullname", "nome completo", "nombre completo",
                  "nombre y apellido", "nombre y apellidos"),
    "email": ("email", "e mail", "mail", "email address", "correo", "correo electronico",
              "e mail address", "endereco de email", "endereco de e mail",
              "direccion de correo", "direccion de correo electronico"),
}
_LOOKUP = {alias: field for field, aliases in HEADERS.items() for alias in aliases}


def plain(header: str) -> str:
    """'Correo electrónico' → 'correo electronico'; 'first_name' → 'first name'."""
    return folded(re.sub(r"[\s_\-.:/]+", " ", header.strip().strip('"')))


@dataclass
class Person:
    id: str
    first_name: str | None
    last_name: str | None
    email: str | None
    line: int


def read(path: Path) -> list[Person]:
    """The roster's students; CourseError when the file has no id column."""
    if not path.is_file():
        raise CourseError(_("{path}: no such roster file", path=path))
    text = decode(path.read_bytes())[0]  # Excel: UTF-8, Windows-1252 or "Unicode" (UTF-16)
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise CourseError(_("{path}: empty roster (expected a header line first)", path=path))
    delimiter = max(";,\t", key=lambda d: lines[0].count(d))
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    columns: dict[str, int] = {}
    for i, header in enumerate(rows[0]):
        field = _LOOKUP.get(plain(header))
        if field and field not in columns:
            columns[field] = i
    heads = [plain(h) for h in rows[0]]
    canvas = {"student", "id", "sis user id"} <= set(heads)
    if canvas:  # Canvas's gradebook export: "Student" is "Last, First", "ID" Canvas's user id
        columns = {"id": heads.index("id"), "full_name": heads.index("student")}
    if "id" not in columns:
        raise CourseError(_("{path}: no id column among {columns} (accepted headers: "
                            "{accepted})", path=path, columns=rows[0],
                            accepted=", ".join(HEADERS["id"])))

    def cell(row: list[str], field: str) -> str | None:
        i = columns.get(field)
        value = row[i].strip() if i is not None and i < len(row) else ""
        return unicodedata.normalize("NFC", value) or None

    people = []
    for number, row in enumerate(rows[1:], start=2):
        raw = cell(row, "id")
        student = safe_id(raw) if raw else None
        if student is None:
            continue  # a blank line, a row without id (Canvas's "Points Possible")
        first, last = cell(row, "first_name"), cell(row, "last_name")
        full = cell(row, "full_name")
        if canvas and full and "," in full:  # "Souza, Ana" → "Ana Souza"
            family, _sep, given = full.partition(",")
            full = f"{given.strip()} {family.strip()}".strip()
        whole = split_name(full) if not (first or last) else None
        if whole is None and first and "last_name" not in columns:
            whole = split_name(first)  # a lone "Nome"/"Nombre" column holds the whole name
        if whole is not None:
            first, last = whole.first, whole.last or None
        people.append(Person(student, first, last, cell(row, "email"), number))
    return people


@dataclass
class Imported:
    created: list[str]
    updated: list[str]
    duplicates: list[str]  # ids on more than one line (the last line wins)
    shared_emails: dict[str, list[str]] = None  # an email given to several students: their ids


def import_roster(course: Course, path: Path) -> Imported:
    """Every roster student into the gradebook; non-empty cells overwrite."""
    from nbgrader.api import MissingEntry

    people = read(path)
    seen: dict[str, Person] = {}
    duplicates = []
    for person in people:
        if person.id in seen:
            duplicates.append(person.id)
        seen[person.id] = person
    emails: dict[str, set[str]] = {}
    for person in seen.values():
        if person.email:
            emails.setdefault(person.email.casefold(), set()).add(person.id)
    done = Imported([], [], sorted(set(duplicates)),
                    {e: sorted(ids) for e, ids in sorted(emails.items()) if len(ids) > 1})
    with course.gradebook() as gb:
        for person in seen.values():
            values = {k: v for k, v in (("first_name", person.first_name),
                                        ("last_name", person.last_name),
                                        ("email", person.email)) if v}
            try:
                gb.find_student(person.id)
                done.updated.append(person.id)
            except MissingEntry:
                done.created.append(person.id)
            gb.update_or_create_student(person.id, **values)
    _remember(course, set(seen))
    return done


LISTED = "roster_ids.json"  # in reports/: every id a roster brought (Moodle links to them)


def listed(course: Course) -> set[str]:
    """The ids any roster imported into this course brought."""
    import json

    try:
        return set(json.loads((course.reports_root / LISTED).read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return set()


def _remember(course: Course, ids: set[str]) -> None:
    import json

    target = course.reports_root / LISTED
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(sorted(listed(course) | ids), ensure_ascii=False),
                      encoding="utf-8")


def summary(result: Imported, path: Path) -> str:
    line = _("roster {path}: {total} students ({created} new, {updated} updated) in the "
             "gradebook", path=path, total=len(result.created) + len(result.updated),
             created=len(result.created), updated=len(result.updated))
    if result.duplicates:
        line += "; " + _("on several lines (the last one kept): {ids}",
                         ids=", ".join(result.duplicates))
    for email, ids in (result.shared_emails or {}).items():
        line += "\n" + _("WARNING: the same email {email} is given to several students: {ids} "
                         "(fix the roster)", email=email, ids=", ".join(ids))
    return line


def crosscheck(course: Course, assignment: str, result: Imported, outcomes) -> list[str]:
    """Warnings when `collect --roster`'s export and roster do not meet: ids accepted that
    the roster lacks, roster students with no submission (apart: those who sent only files
    that were rejected), and ids equal but for leading zeros (which Excel drops)."""
    listed = set(result.created) | set(result.updated)
    accepted = {o.student for o in outcomes if o.accepted}
    strange = sorted(accepted - listed)
    rejected = {o.student for o in outcomes if not o.accepted and not o.skipped}
    unsent = [s for s in listed if not course.submitted_notebook(s, assignment).is_file()]
    missing = sorted(s for s in unsent if s not in rejected)
    refused = sorted(s for s in unsent if s in rejected)
    lines = []
    if strange:
        lines.append(_("WARNING: accepted ids not in the roster ({n}): {ids}", n=len(strange),
                       ids=", ".join(strange)))
    if missing:
        lines.append(_("WARNING: roster students with no submission of {assignment} ({n}): "
                       "{ids}", assignment=assignment, n=len(missing), ids=", ".join(missing)))
    if refused:
        lines.append(_("WARNING: roster students who sent files, all rejected (see above), so "
                       "nothing of {assignment} is collected for them ({n}): {ids}",
                       assignment=assignment, n=len(refused), ids=", ".join(refused)))
    by_digits = {s.lstrip("0"): s for s in listed}
    zeros = [(s, by_digits[s.lstrip("0")]) for s in strange
             if s.lstrip("0") in by_digits and by_digits[s.lstrip("0")] != s]
    if zeros:
        lines.append(_("these differ only in leading zeros (Excel drops them: format the "
                       "roster's id column as text): {pairs}",
                       pairs=", ".join(f"{a} ~ {b}" for a, b in zeros)))
    return lines


def main(course: Course, path: str) -> int:
    print(summary(import_roster(course, Path(path)), Path(path)))
    return 0
