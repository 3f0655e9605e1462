"""One notebook's scan as a kernel would run it: the bindings carried from cell to cell, and
each cell parsed (after IPython turns its `!cmd`/`%magic` lines into the calls it would make)
and handed to the visitor.  What does not parse is a flag, never an exception."""
from __future__ import annotations

import ast
import re
import time

from .text import short
from .visitor import Visitor


class ScanTimeout(Exception):
    """The notebook's scan ran past its time limit (`Scanner.deadline`)."""


#: how many visited nodes between two looks at the clock (a look costs more than a node)
_CLOCK_EVERY = 256


class Scanner:
    """What one kernel would know: bindings carried from cell to cell, the names the lesson's
    locked cells define; `scan(source)` lists one cell's (line, kind, detail)."""

    def __init__(self, protected: frozenset[str] = frozenset()):
        self.scopes: list[dict[str, str | None]] = [{}]
        self.imported: set[str] = set()
        self.protected = protected
        self.flags: list[tuple[int, str, str]] = []
        self.deadline: float | None = None  # time.monotonic() past which the scan stops
        self._nodes = 0

    def tick(self) -> None:
        """Called for every visited node: raise ScanTimeout once past the deadline, so that
        no cell, however it is built, holds `course grade` up for everyone."""
        self._nodes += 1
        if self._nodes % _CLOCK_EVERY == 0:
            self.check_clock()

    def check_clock(self) -> None:
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise ScanTimeout

    def lookup(self, name: str) -> str | None:
        for scope in reversed(self.scopes):
            if name in scope:
                return scope[name]
        return name

    def bind(self, name: str, qualname: str | None) -> None:
        self.scopes[-1][name] = qualname

    def scan(self, source: str) -> list[tuple[int, str, str]]:
        self.flags = []
        self.check_clock()
        self.walk(source, lambda n: n)
        seen, out = set(), []
        for line, kind, detail in sorted(self.flags, key=lambda f: f[0]):
            if (line, kind) not in seen:  # one flag per line and kind, the first found
                seen.add((line, kind))
                out.append((line, kind, detail))
        return out

    def walk(self, source: str, at, depth: int = 0) -> None:
        """Parse `source` (a cell, a magic's body, a literal given to exec) and visit it;
        `at` maps its line numbers to the cell's.  What does not parse is a flag (in a cell;
        in code given to exec its dynamic_code flag says enough), never an exception."""
        try:
            tree, text = parse(source)
        except Exception as err:  # SyntaxError, RecursionError, IPython's transformer...
            if not depth:
                line, detail = unparsable(err, source)
                self.flags.append((at(line), "unparsable", detail))
            return
        try:
            Visitor(self, text, source.splitlines(), at, depth).visit(tree)
        except RecursionError:
            self.flags.append((at(1), "unparsable", "The cell is too deeply nested to scan to "
                               f"the end: `{short(source.strip())}`."))


# IPython's transformer re-reads the whole cell for every `!`/`%` line it rewrites: a cell of
# thousands of lines and hundreds of escapes took minutes.  Past this many, each escape line
# is rewritten on its own (the same result for one-line escapes, which is what they are).
_ESCAPES_AT_ONCE = 20
_ESCAPE = re.compile(r"^\s*(?:[\w.,\s]+=\s*)?[!%]", re.MULTILINE)


def parse(source: str) -> tuple[ast.Module, str]:
    """The cell's tree and the text it was parsed from: the source itself when it is plain
    Python, else what IPython turns it into (`!ls` -> `get_ipython().system('ls')`)."""
    try:
        return ast.parse(source), source
    except (SyntaxError, ValueError):
        text = ipython_text(source)
        return ast.parse(text), text


def ipython_text(source: str) -> str:
    """What IPython runs for `source`: the whole cell through its transformer, or, for a cell
    of many escape lines that is not a cell magic, each escape line on its own (time linear in
    the cell's length; line numbers kept)."""
    from IPython.core.inputtransformer2 import TransformerManager

    manager = TransformerManager()
    if (source.lstrip().startswith("%%")
            or len(_ESCAPE.findall(source)) <= _ESCAPES_AT_ONCE):
        return manager.transform_cell(source)
    out = []
    for line in source.splitlines():
        if not _ESCAPE.match(line):
            out.append(line)
            continue
        body = line.lstrip()
        indent = line[:len(line) - len(body)]
        rewritten = manager.transform_cell(body).rstrip("\n").splitlines() or [""]
        out.append(indent + rewritten[0] if len(rewritten) == 1 else line)
    return "\n".join(out) + "\n"


def unparsable(err: Exception, source: str) -> tuple[int, str]:
    """(line, detail) of a cell that could not be parsed."""
    line = getattr(err, "lineno", None) or 1
    lines = source.splitlines() or [""]
    quote = short(lines[min(line, len(lines)) - 1].strip())
    if isinstance(err, SyntaxError):
        why = f"does not parse: {err.msg}"
    elif isinstance(err, (RecursionError, MemoryError)):
        why = "is too deeply nested to parse"
    else:
        why = f"does not parse: {type(err).__name__}"
    return line, f"The cell {why}, so it could not be scanned: `{quote}`."
