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
