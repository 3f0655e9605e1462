"""An uploaded file read as a notebook: JSON shaped like one (nbformat 3 or 4), normalized to
nbformat 4.5 and validated, or a ValueError that says, in the teacher's language, why it is not
one (empty, not JSON, a notebook under another extension, invalid).  Only the file's bytes are
read, capped by the archive's size limit.

Cell ids that the file lacks (nbformat 3, 4.0-4.4: Colab, VS Code, older Jupyter) or holds
twice are derived from the cell's place and content, never drawn at random as nbformat does:
the same upload always gives the same notebook, byte for byte, so collecting the same export
again changes nothing in submitted/ and `course grade` skips it as unchanged (random ids made
every Colab notebook look new at each collect, and re-graded it).

Slips of the notebook format that Jupyter and Colab open without a word (a converter or an
editor wrote them; nbformat only warns when reading) are mended before validating, so the
student's work is not rejected for them, and the note says what was mended (`mend`): a
markdown or raw cell holding `outputs` or `execution_count` (dropped: such a cell shows
none), a code cell or an output without its `metadata`, a code cell without `outputs` or
`execution_count`, an `execute_result` without `execution_count`.  Nothing a student wrote
is touched; anything else invalid is still rejected with nbformat's reason."""
from __future__ import annotations

import hashlib
import json
from pathlib import PurePosixPath

import nbformat
from nbformat import NotebookNode

from ..i18n import N_, _
from .archive import Upload
from .text_encoding import decode


def is_notebook_json(raw) -> bool:
    """Parsed JSON shaped like a notebook: nbformat 4 keeps `cells`, nbformat 3 (older
    Jupyter and IPython) `worksheets` of cells, which nbformat converts."""
    if not (isinstance(raw, dict) and isinstance(raw.get("nbformat"), int)):
        return False
    return isinstance(raw.get("cells"), list) or (
        raw["nbformat"] < 4 and isinstance(raw.get("worksheets"), list))


def parse_json(data: bytes):
    """(the file's text, its JSON, how it was decoded: '' for UTF-8); ValueError says why it
    has none."""
    text, how = decode(data)
    if not text.strip():
        raise ValueError(_("empty file"))
    try:
        return text, json.loads(text), how
    except json.JSONDecodeError:
        raise ValueError(_("not a notebook: the file is not JSON")) from None
    except RecursionError:
        raise ValueError(_("not a notebook: JSON nested too deeply")) from None


def wrong_extension(upload: Upload, suffix: str) -> str:
    """Why a non-.ipynb file is rejected: a notebook saved as `.ipynb.txt` or `.json` (a
    browser or an editor renamed it) is told apart from a file that is no notebook at all."""
    try:
        looks = is_notebook_json(parse_json(upload.read())[1])
    except ValueError:
        looks = False
    if looks:
        return _("wrong extension {suffix}: it looks like a notebook; it is collected only as "
                 ".ipynb (rename it, or ask the student to send it again)", suffix=suffix)
    return (_("not a notebook: {suffix} file", suffix=suffix)
            if suffix else _("not a notebook: a file without extension"))


def read_notebook(upload: Upload) -> tuple[NotebookNode, str]:
    """(the upload as an nbformat 4.5 notebook, what normalizing changed); ValueError says
    why it is not a notebook."""
    suffix = PurePosixPath(upload.path).suffix.lower()
    if suffix != ".ipynb":
        raise ValueError(wrong_extension(upload, suffix))
    text, raw, decoded = parse_json(upload.read())  # capped at the size limit
    if not is_notebook_json(raw):
        raise ValueError(_("not a notebook: JSON without notebook cells"))
    version = (raw["nbformat"], raw.get("nbformat_minor"))
    mended = mend(raw)
    try:
        nb = nbformat.reads(json.dumps(raw) if mended else text, as_version=4)  # and 3
        nb = nbformat.v4.upgrade(nb)  # 4.0-4.4 (Colab) -> 4.5: cell ids
        _changes, nb = nbformat.validator.normalize(nb)
        nb = nbformat.from_dict(nb)
        nbformat.validate(nb)
    except Exception as exc:  # nbformat raises several kinds; the message is what matters
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ValueError(_("not a valid notebook: {error}", error=first)) from None
    stable_cell_ids(nb, raw)
    notes = "" if version == (4, 5) else f"nbformat {version[0]}.{version[1]} -> 4.5"
    notes = "; ".join(n for n in (decoded, notes) if n)
    if mended:
        notes = "; ".join(n for n in (notes, _("format slips mended: {slips}",
                                                slips=", ".join(map(_, mended)))) if n)
    return nb, notes


OUTPUTS_WITH_METADATA = {"display_data", "execute_result"}
SLIPS = {("outputs", "markdown"): N_("`outputs` in a markdown cell"),
         ("execution_count", "markdown"): N_("`execution_count` in a markdown cell"),
         ("outputs", "raw"): N_("`outputs` in a raw cell"),
         ("execution_count", "raw"): N_("`execution_count` in a raw cell")}


def mend(raw) -> list[str]:
    """Mend, in the parsed nbformat 4 JSON `raw`, the slips of the module docstring; what
    was mended, once per kind (empty: nothing)."""
    done: dict[str, None] = {}
    if raw.get("nbformat") != 4:
        return []
    for cell in raw["cells"]:
        if not isinstance(cell, dict):
            continue
        if "metadata" not in cell:
            cell["metadata"] = {}
            done[N_("a cell without `metadata`")] = None
        if cell.get("cell_type") in ("markdown", "raw"):
            for key in ("outputs", "execution_count"):
                if key in cell:
                    del cell[key]
                    done[SLIPS[key, cell["cell_type"]]] = None
            continue
        if cell.get("cell_type") != "code":
            continue
        if "outputs" not in cell:
            cell["outputs"] = []
            done[N_("a code cell without `outputs`")] = None
        if "execution_count" not in cell:
            cell["execution_count"] = None
            done[N_("a code cell without `execution_count`")] = None
        for output in cell["outputs"] if isinstance(cell["outputs"], list) else ():
            if not isinstance(output, dict):
                continue
            if output.get("output_type") in OUTPUTS_WITH_METADATA and "metadata" not in output:
                output["metadata"] = {}
                done[N_("an output without `metadata`")] = None
            if output.get("output_type") == "execute_result" and "execution_count" not in output:
                output["execution_count"] = None
                done[N_("an output without `execution_count`")] = None
    return list(done)


def stable_cell_ids(nb: NotebookNode, raw) -> None:
    """Give every cell whose id the file did not hold (or held for an earlier cell too) an id
    made from its place and content, the same at every reading (see the module docstring)."""
    given = []
    if raw.get("nbformat") == 4 and (raw.get("nbformat_minor") or 0) >= 5:
        given = [c.get("id") if isinstance(c, dict) else None for c in raw["cells"]]
    kept = {cell.get("id") for i, cell in enumerate(nb.cells)
            if i < len(given) and given[i] and cell.get("id") == given[i]}
    seen: set[str] = set()
    for i, cell in enumerate(nb.cells):
        ident = cell.get("id")
        if ident in kept and ident not in seen:
            seen.add(ident)
            continue
        text = cell.source if isinstance(cell.source, str) else "".join(cell.source)
        digest = hashlib.sha256(f"{i}\0{cell.cell_type}\0{text}".encode()).hexdigest()
        ident, n = f"c{i}-{digest[:12]}", 0
        while ident in seen or ident in kept:
            n += 1
            ident = f"c{i}-{digest[:12]}-{n}"
        cell["id"] = ident
        seen.add(ident)
