"""Tamper scan: before grading, flag the code in a submission that could attack the grader.

The grading kernel runs student code in the same process as the hidden tests, so some attacks
cannot be prevented there, only noticed: reading the guard's key out of memory (gc, frames,
ctypes), hooking the IPython shell, tracing, forking, patching torch or builtins, objects whose
comparisons lie.  This module reads every submitted code cell and flags those constructs, with
cell and line, for the instructor.  Flags are information: they never change a score, and
nothing here runs student code.

Why the AST and not regexes: a regex reads text, so it fires on comments, strings and names such
as `J_eval` or `model.eval()`, and it misses `import os as o; o.fork()`, `from sys import modules`,
`s = __import__("sys")` or `getattr(torch, "allclose")`.  The parsed cell (after IPython turns
its `!cmd`/`%magic` lines into the calls it would make) gives exact lines, and a small table of
bindings follows aliases through imports and assignments, cell after cell.

The rules are data (the tables of `rules`); `visitor.Visitor` is the one walker that applies
them, on top of `aliases.Aliases`, which follows names; `scanner` carries bindings from cell
to cell; `notebook` is the entry point.
"""
from .notebook import Flag, scan_notebook, scan_source
from .rules import KINDS

__all__ = ["KINDS", "Flag", "scan_notebook", "scan_source"]
