"""Small readings of source text and literals that every part of the scan shares."""
from __future__ import annotations

import ast


def short(text: str, width: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[:width - 1] + "…"


def literal(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def dunder(name: str | None) -> bool:
    return bool(name) and len(name) > 4 and name.startswith("__") and name.endswith("__")


def assembled(node: ast.AST | None) -> bool:
    """A string built from literal pieces (`"__co" + "de__"`, an f-string, `"".join(...)`,
    `"%s" % x`): a name written so that no scan can read it."""
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
        return any(literal(side) is not None or assembled(side)
                   for side in (node.left, node.right))
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("join", "format") and literal(node.func.value) is not None):
        return True
    return False
