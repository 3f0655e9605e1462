"""The files of an LMS export (a folder or a .zip), read so that no file can blow up the intake.

An export is untrusted input: one student's file may be huge, or a zip entry may be a "zip
bomb" (a header that says 1 KB in front of deflate data that inflates to GBs).  Hence:

* every entry (zip entry or file in a folder) declared larger than the limit (50 MB by default,
  far above a real notebook; `course collect --max-file-mb`) is refused unread;
* a zip entry packed tighter than 200:1 and over 4 MB unpacked is refused unread as a bomb:
  real notebooks deflate 2-20:1, only filler such as zeros goes much beyond 200:1;
* what is read is streamed in 1 MB chunks through `ZipFile.open()` (or `open()`), and reading
  stops, refusing the file, once more than the limit came out, whatever the header said.
  `ZipFile.read()` will not do: it inflates a whole entry in one call before cutting it to the
  declared size, so a header that lies costs all the memory the data inflates to;
* only stored and deflate zip entries are read (what LMSs write): zipfile inflates bzip2 and
  LZMA a compressed chunk at a time with no bound on the output, so a few hundred bytes of
  bzip2 would become GBs inside one chunk;
* a zip inside the export is not opened (decision: no recursion at all, so a bomb of nested
  zips stays what it is on disk); it is refused with a reason that says to unzip it where it
  lies (a student's zip in their LMS folder: that folder still names the student) and collect
  the export's folder instead.

A file's refusal is its Upload's `refused` (decided from its header alone) or the ValueError its
`read` raises; `collect` turns either into a rejection in the attention log, and the other files
are collected as usual.  Paths inside the archive are only names here: where a notebook is
written comes from the student id and the assignment alone (see `collect.student_id`).
"""
from __future__ import annotations

import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from ..course_folder import CourseError
from ..i18n import _

MB = 1 << 20
DEFAULT_MAX_MB = 50
BOMB_RATIO = 200
BOMB_MIN_BYTES = 4 * MB
CHUNK = MB
METHODS_READ = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
METHOD_NAMES = {zipfile.ZIP_BZIP2: "bzip2", zipfile.ZIP_LZMA: "LZMA", 9: "deflate64"}
# what a damaged or crafted entry makes zipfile raise (NotImplementedError is a RuntimeError)
READ_ERRORS = (OSError, EOFError, RuntimeError, zipfile.BadZipFile, zlib.error)


@dataclass
class Upload:
    """One file of the LMS export, read when needed (the original is never written)."""

    path: str  # relative to PATH, with '/'
    mtime: float  # zip entry time or file mtime
    size: int  # as declared: the zip header's or the file system's
    read: Callable[[], bytes]  # at most the limit; ValueError says why it stopped
    refused: str | None = None  # why it is not read at all, from its declared sizes
    # a zip entry's time as its header holds it: a wall clock without a zone (`timestamps`
    # reads it in the course's zone); None for a file of a folder, whose mtime is absolute
    date_time: tuple[int, ...] | None = None


def human(n: float) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024:
            return _("{n} bytes", n=n) if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} TB"


def megabytes(limit: int) -> str:
    return f"{limit / MB:g} MB"


def refusal(name: str, size: int, packed: int | None, method: int | None,
            limit: int) -> str | None:
    """Why this file is not to be read, judged by its declared sizes only; None: read it."""
    if size > limit:
        return _("too large: {size}, over the {limit} limit (not read; --max-file-mb changes "
                 "the limit)", size=human(size), limit=megabytes(limit))
    if packed is not None and size > BOMB_MIN_BYTES and size > BOMB_RATIO * max(packed, 1):
        return _("looks like a zip bomb: {size} packed into {packed} ({ratio}:1, over "
                 "{limit}:1; not read)", size=human(size), packed=human(packed),
                 ratio=size // max(packed, 1), limit=BOMB_RATIO)
    if PurePosixPath(name).suffix.lower() == ".zip":
        return _("a zip inside the export: not opened (nested archives are not unpacked; "
                 "unzip it where it lies, inside the unzipped export, so that its folder still "
                 "names its student, and collect the export's folder)")
    if method is not None and method not in METHODS_READ:
        how = METHOD_NAMES.get(method) or _("compression method {method}", method=method)
        return _("compressed with {how}: only stored and deflate zip entries are read (not "
                 "read)", how=how)
    return None


def read_capped(stream: BinaryIO, limit: int, declared: int) -> bytes:
    """The stream, a chunk at a time; ValueError as soon as more than `limit` came out."""
    chunks, total = [], 0
    try:
        while chunk := stream.read(CHUNK):
            total += len(chunk)
            if total > limit:
                raise ValueError(_("too large: more than the {limit} limit came out of it "
                                   "though {declared} was declared (reading stopped)",
                                   limit=megabytes(limit), declared=human(declared)))
            chunks.append(chunk)
    except READ_ERRORS as exc:
        raise ValueError(_("cannot be read: {error}", error=exc)) from None
    return b"".join(chunks)


def read_file(path: Path, limit: int, declared: int) -> bytes:
    try:
        with path.open("rb") as fh:
            return read_capped(fh, limit, declared)
    except OSError as exc:
        raise ValueError(_("cannot be read: {error}", error=exc)) from None


def read_entry(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    try:
        with zf.open(info) as fh:
            return read_capped(fh, limit, info.file_size)
    except READ_ERRORS as exc:
        raise ValueError(_("cannot be read: {error}", error=exc)) from None


def entry_time(info: zipfile.ZipInfo) -> float:
    """The entry's time; 0 when its header holds no valid date (some zip tools write zeros)."""
    try:
        return datetime(*info.date_time).timestamp()
    except (ValueError, OverflowError, OSError):
        return 0.0


# Code pages of zips written without the UTF-8 flag, most likely first (the tie-break): the
# OEM code page of Windows' own zip in Brazil and Spain, the ANSI one some tools write, and
# cp437, the zip format's default (the same letters as cp850 where they share a byte).
LEGACY_CODE_PAGES = ("cp850", "cp1252", "cp437")
# The accented letters of pt and es; and the marks their file names hold besides letters.
PT_ES = set("áàâãéêíóôõúüçñÁÀÂÃÉÊÍÓÔÕÚÜÇÑ")
PT_ES_MARKS = set("ºª¡¿")


def _latin(ch: str) -> bool:
    return ch in PT_ES_MARKS or "LATIN" in unicodedata.name(ch, "")


def _misplaced(text: str, i: int) -> bool:
    """An accented letter where no pt/es word has it: a capital inside a word beside a small
    letter (`JosÚ`, `PÔmela`), a small letter between capitals (`JOãO`), `ã`/`õ` before a
    letter other than `o`, `e`, `s` (`GONÃALVES`)."""
    ch = text[i]
    before = text[i - 1] if i else ""
    after = text[i + 1] if i + 1 < len(text) else ""
    if ch in "ãõÃÕ" and after.isalpha() and after not in "oeOEsS":
        return True
    if ch.isupper():  # inside a word, beside a small letter
        return before.isalpha() and (before.islower() or after.islower())
    return ch.islower() and before.isupper() and after.isupper()


def plausible(text: str) -> tuple[int, int, int]:
    """How much `text` reads like pt/es, the larger the likelier: (minus its non-ASCII
    characters that are no Latin letter, minus its accented letters where no word has them,
    its pt/es letters)."""
    odd = [i for i, ch in enumerate(text) if ord(ch) > 127]
    return (-sum(not _latin(text[i]) for i in odd), -sum(_misplaced(text, i) for i in odd),
            sum(text[i] in PT_ES for i in odd))


def best_code_page(raws: list[bytes]) -> str:
    """The code page under which all of `raws` together read most like pt/es (`plausible`,
    summed; ties: the order of LEGACY_CODE_PAGES).  cp437 reads any byte, so there is one."""
    scores = {}
    for cp in LEGACY_CODE_PAGES:
        try:
            texts = [raw.decode(cp) for raw in raws]
        except UnicodeDecodeError:  # cp1252 leaves 5 bytes undefined
            continue
        scores[cp] = tuple(map(sum, zip(*map(plausible, texts))))
    return max(scores, key=lambda cp: (scores[cp], -LEGACY_CODE_PAGES.index(cp)))


def legacy_decode(raw: bytes) -> str:
    """`raw` in the code page under which it reads most like pt/es text."""
    return raw.decode(best_code_page([raw]))


def _unflagged(info: zipfile.ZipInfo) -> bytes | None:
    """The bytes of a name written without the zip's UTF-8 flag (`zipfile` read them as
    cp437); None for a flagged name."""
    if info.flag_bits & 0x800:
        return None
    try:
        return info.filename.encode("cp437")
    except UnicodeEncodeError:
        return None


def _utf8(raw: bytes) -> str | None:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return None


def archive_code_page(infos: list[zipfile.ZipInfo]) -> str | None:
    """The code page of a zip's legacy names (unflagged and not valid UTF-8), chosen once for
    the whole zip, since one tool wrote them all (`best_code_page`); None when there are none.
    Name by name, an all-capitals `LOURENÇO` written in cp1252 reads `LOURENÃO` in cp850, as
    plausible a name; `JOÃO`, `CONCEIÇÃO` or `Inês` elsewhere in the same zip settle it."""
    raws = [raw for raw in map(_unflagged, infos) if raw is not None and _utf8(raw) is None]
    return best_code_page(raws) if raws else None


def entry_name(info: zipfile.ZipInfo, code_page: str | None = None) -> str:
    """The entry's name as its author typed it.  A name without the zip's UTF-8 flag is bytes
    in an unknown code page (`zipfile` reads it as cp437): read as UTF-8 when it is valid
    UTF-8 (macOS's zip and others write UTF-8 without the flag; `JosÃ©` style otherwise), else
    in the zip's `code_page` (`archive_code_page`) or, without one, in whichever of cp850
    (Windows' own zip in Brazil and Spain), cp1252 (ANSI tools) and cp437 makes it read most
    like a pt/es name: fewest characters that are not Latin letters, then fewest accented
    letters where no word has them, then most letters of pt/es (`ãõçñ`…), then that order.
    So `Simões`, `ÓSCAR` and `João` come out right from cp850 (cp437 reads them `SimΣes`,
    `αSCAR`, `Jo╞o`) and from cp1252 (`Joπo`, `Gonτalves` in cp437).  NFC, with `/`
    separators (macOS writes accents decomposed, Windows tools backslashes)."""
    name = info.filename
    raw = _unflagged(info)
    if raw is not None:
        name = _utf8(raw) or raw.decode(code_page or best_code_page([raw]))
    return unicodedata.normalize("NFC", name.replace("\\", "/"))


def zip_upload(zf: zipfile.ZipFile, info: zipfile.ZipInfo, max_bytes: int,
               code_page: str | None = None) -> Upload:
    name = entry_name(info, code_page)
    return Upload(name, entry_time(info), info.file_size, partial(read_entry, zf, info, max_bytes),
                  refusal(name, info.file_size, info.compress_size, info.compress_type, max_bytes),
                  tuple(info.date_time))


@contextmanager
def uploads(path: Path, max_bytes: int) -> Iterator[list[Upload]]:
    """Every file under a folder, or every file entry of a zip, in sorted order."""
    if path.is_dir():
        found = []
        for p in sorted(path.rglob("*")):
            if p.is_file():
                name, st = unicodedata.normalize("NFC", p.relative_to(path).as_posix()), p.stat()
                found.append(Upload(name, st.st_mtime, st.st_size,
                                    partial(read_file, p, max_bytes, st.st_size),
                                    refusal(name, st.st_size, None, None, max_bytes)))
        yield found
    elif zipfile.is_zipfile(path):
        try:
            zf = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise CourseError(_("{path}: not a readable zip file ({error})", path=path,
                                error=exc)) from None
        with zf:
            infos = sorted(zf.infolist(), key=lambda i: i.filename)
            code_page = archive_code_page(infos)
            yield [zip_upload(zf, info, max_bytes, code_page)
                   for info in infos if not info.is_dir()]
    else:
        raise CourseError(_("{path}: expected a folder or a .zip file", path=path))
