"""A handed-in file's bytes as text, without silently changing what the student wrote.

A notebook is UTF-8 JSON, and Jupyter and Colab write nothing else; but a student who opened
the `.ipynb` in Notepad and saved it "as Unicode" hands in UTF-16, and an old Windows editor
saves Windows-1252.  Decoding those as UTF-8 rejected the first as "not JSON", and turned
every accent of the second into U+FFFD (the written answers of a Portuguese or Spanish class
would reach the grader garbled, and nobody would know).  Decisions:

* a byte-order mark says the encoding (UTF-8, UTF-16, UTF-32); so does JSON's first `{`
  followed or preceded by a zero byte (UTF-16 without a mark);
* otherwise UTF-8, strictly; a file that is not valid UTF-8 is read as Windows-1252 when it
  holds no valid UTF-8 multi-byte sequence at all (an editor saved it in its own code page),
  else as UTF-8 with the broken bytes replaced (a damaged file);
* every case but plain UTF-8 comes back with a note, which the collect shows and logs.
"""
from __future__ import annotations

import codecs
import re

from ..i18n import _

BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"))
# a valid UTF-8 sequence of 2 to 4 bytes (a lead byte, then its continuation bytes)
UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|"
                            rb"[\xf0-\xf4][\x80-\xbf]{3}")


def decode(data: bytes) -> tuple[str, str]:
    """(the text, a note on how it was read: '' for plain UTF-8)."""
    for bom, codec in BOMS:  # UTF-32's marks start like UTF-16's: tried first
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                break
            return text, ("" if codec == "utf-8-sig" else
                          _("read as {encoding} (not UTF-8)", encoding=codec.upper()))
    for codec, first in (("utf-16-le", b"{\x00"), ("utf-16-be", b"\x00{")):
        if data[:2] == first and len(data) % 2 == 0:
            try:
                return data.decode(codec), _("read as {encoding} (not UTF-8)",
                                             encoding=codec.upper())
            except UnicodeDecodeError:
                break
    try:
        return data.decode("utf-8"), ""
    except UnicodeDecodeError:
        pass
    if not UTF8_MULTIBYTE.search(data):
        return data.decode("cp1252", errors="replace"), _(
            "not UTF-8: read as Windows-1252 (an editor saved it in its own code page)")
    text = data.decode("utf-8", errors="replace")
    return text, _("not valid UTF-8: {n} damaged character(s) replaced with �",
                   n=text.count("\ufffd") - data.decode("utf-8", "ignore").count("\ufffd"))
