"""What one file's path cannot tell, read from the whole export (used by `collect` with its
default id patterns):

* **Blackboard** names a file `<assignment name>_<username>_attempt_<date>_<file>`; both the
  assignment's name and the username may hold `_` (`01_graph_pt_ana_souza_attempt_…`), so the
  username is read from the `.txt` Blackboard writes beside every attempt (`Name: Ana Souza
  (ana_souza)`), else, with several students, after the assignment name all their files share;
  else the last `_` word (`Aula 01_asouza_attempt_…` → `asouza`).  That `.txt` is the LMS's
  receipt of the attempt, not a submission: skipped beside the attempt's files; an attempt
  with no file (the student typed in the submission field, often a Colab link) is rejected
  for that student, saying so and naming the links the receipt holds.
* **Microsoft Teams**' whole "Student Work" folder holds `Submitted files/<student>/…` (handed
  in) and `Working files/<student>/…` (the student's working copy): the student is the folder
  under them, and a handed-in notebook wins over a working copy of the same student.  A Teams
  (SharePoint) site in Portuguese or Spanish names them in its language (`Arquivos enviados`/
  `Arquivos de trabalho`, `Archivos enviados`/`Archivos de trabajo`…; case and accents aside):
  read as English, those two folders were taken for two students and merged a whole class.
* **Moodle** group submissions prefix every member's folder with the group:
  `Grupo 1-Ana Souza_101_assignsubmission_file_`; the group is no part of the name.
* **Sakai** writes `timestamp.txt` in each student's folder (`Title/Souza, Ana(asouza)/
  timestamp.txt`, `20261203224200000`: yyyyMMddHHmmssSSS), the time the student handed in;
  the zip's entry times may be those of the download.  That time is used for the notebooks
  in that student's folder, read like a zip entry's time: a wall clock in the course's zone
  (see `timestamps`).
"""
from __future__ import annotations

import os
import re

from datetime import datetime

from ..i18n import _
from .archive import Upload
from .names import folded
from .outcome import Outcome

# --- Blackboard ---------------------------------------------------------------------------
BLACKBOARD = re.compile(r"^(?P<key>(?:[^/]*/)*(?P<stem>[^/]*)_attempt_\d{4}(?:-\d\d){5})"
                        r"(?P<rest>[_.][^/]*)?$")
SIDECAR_NAME = re.compile(r"^\s*(?:name|nome|nombre)\s*:\s*(?P<name>.*?)\s*"
                          r"\((?P<user>[^()\s]+)\)\s*$", re.I | re.M)
SIDECAR_MAX = 64 * 1024


def _sidecars(found: list[Upload]) -> dict[str, tuple[str, str]]:
    """{attempt key: (username, full name)} from Blackboard's `<key>.txt` files."""
    out = {}
    for upload in found:
        match = BLACKBOARD.match(upload.path)
        if not (match and match.group("rest") == ".txt") or upload.refused \
                or upload.size > SIDECAR_MAX:
            continue
        try:
            text = upload.read().decode("utf-8-sig", errors="replace")
        except ValueError:
            continue
        said = SIDECAR_NAME.search(text)
        if said and match.group("stem").endswith("_" + said.group("user")):
            out[match.group("key")] = (said.group("user"), said.group("name"))
    return out


def blackboard_users(found: list[Upload]) -> dict[str, tuple[str, str | None]]:
    """{path of a Blackboard notebook: (username, full name or None)} where the export says
    more than the file name's last `_` word (see the module docstring)."""
    sidecars = _sidecars(found)
    attempts = {}
    for upload in found:
        match = BLACKBOARD.match(upload.path)
        if match and upload.path.lower().endswith(".ipynb"):
            attempts[upload.path] = match
    stems = {m.group("stem") for m in attempts.values()}
    prefix = ""
    if len(stems) > 1:
        common = os.path.commonprefix(sorted(stems))
        prefix = common[:common.rfind("_") + 1] if "_" in common else ""
    out: dict[str, tuple[str, str | None]] = {}
    for path, match in attempts.items():
        if match.group("key") in sidecars:
            out[path] = sidecars[match.group("key")]
        elif prefix and len(match.group("stem")) > len(prefix):
            out[path] = (match.group("stem")[len(prefix):], None)
    for key, user in sidecars.items():  # a receipt is its own student's (see receipts below)
        out[key + ".txt"] = user
    return out


def blackboard_receipts(found: list[Upload]) -> dict[str, tuple[bool, str]]:
    """{path of a Blackboard receipt `<key>.txt`: (skipped, why)}: skipped when a file of
    the same attempt is in the export, else (no file handed in) why it is rejected."""
    from .moodle import with_links

    with_files = {m.group("key") for u in found
                  if (m := BLACKBOARD.match(u.path)) and m.group("rest") != ".txt"}
    out = {}
    for upload in found:
        match = BLACKBOARD.match(upload.path)
        if not (match and match.group("rest") == ".txt"):
            continue
        if match.group("key") in with_files:
            out[upload.path] = (True, _("Blackboard's receipt of the attempt beside it (who "
                                        "handed it in, and when), not a submission"))
            continue
        out[upload.path] = (False, with_links(_(
            "Blackboard's receipt of an attempt with no file: this student handed in no "
            "notebook in it"), upload))
    return out


# --- Sakai --------------------------------------------------------------------------------
SAKAI_TIME_FILE = "timestamp.txt"
SAKAI_TIME = re.compile(r"^\s*(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d{3})?\s*$")


def sakai_time(text: str) -> datetime | None:
    """`20261203224200000` -> 2026-12-03 22:42:00 (no zone); None for anything else."""
    found = SAKAI_TIME.match(text)
    if not found:
        return None
    *fields, millis = found.groups()
    try:
        return datetime(*map(int, fields), int(millis or 0) * 1000)
    except ValueError:
        return None


def sakai_times(found: list[Upload], level: int | None) -> dict[str, datetime]:
    """{path of a notebook: the hand-in time Sakai's `timestamp.txt` gives it}: the nearest
    `timestamp.txt` in a folder above the notebook, inside a student's folder (one in the
    export's common folder speaks for no one student; `level`: see layout.student_level)."""
    times: dict[str, datetime] = {}
    for upload in found:
        folder, _sep, base = upload.path.rpartition("/")
        if base.lower() != SAKAI_TIME_FILE or upload.refused or upload.size > SIDECAR_MAX \
                or (level is not None and len(upload.path.split("/")) - 1 <= level):
            continue
        try:
            when = sakai_time(upload.read().decode("ascii", errors="replace"))
        except ValueError:
            continue
        if when is not None:
            times[folder] = when
    out = {}
    for upload in found:
        if not upload.path.lower().endswith(".ipynb"):
            continue
        parts = upload.path.split("/")[:-1]
        for n in range(len(parts), 0, -1):
            if "/".join(parts[:n]) in times:
                out[upload.path] = times["/".join(parts[:n])]
                break
    return out


# --- Microsoft Teams ----------------------------------------------------------------------
# folded (names.folded): case, accents and spaces aside; en, pt-BR, pt-PT, es
TEAMS_SUBMITTED = {"submitted files", "arquivos enviados", "arquivos entregues",
                   "ficheiros submetidos", "ficheiros enviados", "ficheiros entregues",
                   "archivos enviados", "archivos entregados"}
TEAMS_WORKING = {"working files", "arquivos de trabalho", "arquivos em andamento",
                 "ficheiros de trabalho", "archivos de trabajo", "archivos en curso"}


def teams_folder(path: str) -> tuple[int, str] | None:
    """(index of the student's folder, "submitted" or "working") for a notebook under Teams'
    `Submitted files/<student>/…` or `Working files/<student>/…`; None elsewhere."""
    parts = path.split("/")
    for i, part in enumerate(parts[:-2]):
        low = folded(part)
        if low in TEAMS_SUBMITTED | TEAMS_WORKING:
            return i + 1, ("submitted" if low in TEAMS_SUBMITTED else "working")
    return None


def prefer_handed_in(outcomes: list[Outcome]) -> None:
    """A student's notebook from Teams' Submitted files wins over one from Working files (the
    working copy is rejected, saying so); a working copy kept alone is noted as such."""
    handed_in: dict[str, Outcome] = {}
    for out in outcomes:
        where = teams_folder(out.upload.path)
        if out.accepted and where and where[1] == "submitted":
            handed_in.setdefault(out.student, out)
    for out in outcomes:
        where = teams_folder(out.upload.path)
        if not (out.accepted and where and where[1] == "working"):
            continue
        if out.student in handed_in:
            out.reason = _("superseded by {path}: Teams' Submitted files (what the student "
                           "handed in) win over Working files (a working copy)",
                           path=handed_in[out.student].upload.path)
        else:
            out.notes = "; ".join(n for n in (out.notes, _(
                "from Teams' Working files: a working copy, not handed in")) if n)


# --- Moodle groups ------------------------------------------------------------------------
MOODLE_NAME = re.compile(r"(?:^|/)(?P<name>[^/]*)_\d+_assignsubmission_")
DEFAULT_GROUPS = {"default group", "grupo padrao", "grupo por defecto", "grupo predeterminado"}


def moodle_groups(found: list[Upload]) -> set[str]:
    """The group prefixes (`Grupo 1`) of Moodle group submissions in this export: the text
    before a `-` when it is a default group's name, holds a digit, or starts the folder of
    several students; the rest must look like a full name (two words)."""
    heads: dict[str, set[str]] = {}
    for upload in found:
        match = MOODLE_NAME.search(upload.path)
        if match and "-" in match.group("name"):
            head, rest = match.group("name").split("-", 1)
            heads.setdefault(head, set()).add(rest)
    groups = set()
    for head, rests in heads.items():
        if not all(len(r.split()) >= 2 for r in rests):
            continue
        if folded(head) in DEFAULT_GROUPS or re.search(r"\d", head) or len(rests) > 1:
            groups.add(head)
    return groups


def without_group(name: str, groups: set[str]) -> str:
    head, sep, rest = name.partition("-")
    return rest if sep and head in groups else name
