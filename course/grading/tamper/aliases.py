"""The half of the scan that knows what names mean: it follows aliases through imports,
assignments, loops, `with`, function and class scopes, cell after cell, so that
`import os as o; o.fork()` or `from sys import modules` reach the rules under their real dotted
names.  The rules themselves (what a write, a call or a class is flagged for) are
`visitor.Visitor`, which extends this walker."""
from __future__ import annotations

import ast

from .rules import MODULES, QUALIFIED, REBINDING, match_rule
from .text import literal, short


class Aliases(ast.NodeVisitor):
    """Visits one parsed cell.  `scanner` (a `scanner.Scanner`) holds the bindings carried
    from cell to cell and collects the flags; `text` is what was parsed, `original` the cell's
    own lines, `at` maps a line of `text` to the cell's, `depth` counts nested exec bodies."""

    def __init__(self, scanner, text: str, original: list[str], at, depth: int):
        self.s, self.text, self.original, self.at, self.depth = scanner, text, original, at, depth

    def visit(self, node: ast.AST):
        self.s.tick()  # the scanner's clock: a notebook's scan has a time limit
        return super().visit(node)

    # -- reporting ---------------------------------------------------------------------------
    def flag(self, node: ast.AST, kind: str, sentence: str, quote: str | None = None) -> None:
        """Record a flag quoting `quote`, by default the node's line."""
        if quote is None:
            lines = self.text.splitlines()
            quote = lines[node.lineno - 1].strip() if node.lineno <= len(lines) else ""
        self.s.flags.append((self.at(node.lineno), kind, f"{sentence}: `{short(quote)}`."))

    def rule(self, node: ast.AST, qualname: str | None, verb: str = "Uses") -> bool:
        found = match_rule(qualname, QUALIFIED)
        if found and found[1]:
            key, (kind, why) = found
            self.flag(node, kind, f"{verb} {key} ({why})")
            return True
        return False

    # -- names and aliases -------------------------------------------------------------------
    def qualname(self, node: ast.AST) -> str | None:
        """The dotted name an expression stands for, following aliases; None if unknown."""
        if isinstance(node, ast.Name):
            return self.s.lookup(node.id)
        if isinstance(node, ast.Attribute):
            base = self.qualname(node.value)
            return f"{base}.{node.attr}" if base else None
        if isinstance(node, ast.Call):
            func = self.qualname(node.func) or ""
            args = node.args
            if func.rsplit(".", 1)[-1] == "get_ipython":
                return "get_ipython"
            if func in ("__import__", "builtins.__import__", "importlib.import_module") and args:
                return literal(args[0])
            if func in ("getattr", "builtins.getattr") and len(args) >= 2:
                base, name = self.qualname(args[0]), literal(args[1])
                return f"{base}.{name}" if base and name else None
            if func in ("vars", "builtins.vars") and len(args) == 1:
                base = self.qualname(args[0])
                return f"{base}.__dict__" if base else None
        return None

    def is_module(self, qualname: str | None) -> bool:
        return bool(qualname) and qualname.split(".")[0] in MODULES | self.s.imported

    def bind_targets(self, target: ast.AST, qualname: str | None = None) -> None:
        if isinstance(target, ast.Name):
            if target.id in REBINDING:  # `def get_ipython(): ...` hides the shell behind it
                self.rule(target, target.id, "Rebinds")
            if len(self.s.scopes) == 1 and target.id in self.s.protected:
                self.flag(target, "monkeypatch", f"Redefines {target.id}, which a locked cell "
                          "of the lesson defines")
            self.s.bind(target.id, qualname)
        elif isinstance(target, (ast.Tuple, ast.List)):
            for elt in target.elts:
                self.bind_targets(elt)
        elif isinstance(target, ast.Starred):
            self.bind_targets(target.value)
        else:
            self.write(target)
            self.visit(target)

    # -- statements that bind ----------------------------------------------------------------
    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self.rule(node, alias.name, "Imports")
            if alias.asname:
                self.s.bind(alias.asname, alias.name)
            else:
                self.s.bind(alias.name.split(".")[0], alias.name.split(".")[0])
            self.s.imported.add(alias.name.split(".")[0])

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = "." * node.level + (node.module or "")
        self.s.imported.add(module.split(".")[0] or ".")
        for alias in node.names:
            full = module if alias.name == "*" else f"{module}.{alias.name}"
            self.rule(node, full, "Imports")
            if alias.name != "*":
                self.s.bind(alias.asname or alias.name, full)

    def visit_Assign(self, node: ast.Assign) -> None:
        self.visit(node.value)
        qualname = self.qualname(node.value)
        for target in node.targets:
            self.bind_targets(target, qualname)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self.visit(node.value)
        self.bind_targets(node.target, self.qualname(node.value) if node.value else None)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        self.visit(node.value)
        self.bind_targets(node.target)

    def visit_NamedExpr(self, node: ast.NamedExpr) -> None:
        self.visit(node.value)
        self.s.bind(node.target.id, self.qualname(node.value))

    def visit_Delete(self, node: ast.Delete) -> None:
        for target in node.targets:
            self.write(target)
            self.visit(target)

    def visit_For(self, node: ast.For | ast.AsyncFor) -> None:
        self.visit(node.iter)
        self.bind_targets(node.target)
        for stmt in node.body + node.orelse:
            self.visit(stmt)

    visit_AsyncFor = visit_For

    def visit_withitem(self, node: ast.withitem) -> None:
        self.visit(node.context_expr)
        if node.optional_vars is not None:
            self.bind_targets(node.optional_vars)

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        if node.name:
            self.s.bind(node.name, None)
        self.generic_visit(node)

    def visit_comprehension(self, node: ast.comprehension) -> None:
        self.visit(node.iter)
        self.bind_targets(node.target)
        for cond in node.ifs:
            self.visit(cond)

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        for deco in node.decorator_list:
            self.visit(deco)
        self.visit(node.args)
        if node.returns:
            self.visit(node.returns)
        if node.name in ("__torch_function__", "__torch_dispatch__"):
            self.flag(node, "torch_override", f"Defines {node.name} (intercepts torch "
                      "operations, the tests' included)", f"def {node.name}(…)")
        self.bind_targets(ast.Name(node.name, ast.Store(), lineno=node.lineno))
        self.in_scope(node.args, node.body)

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Lambda(self, node: ast.Lambda) -> None:
        self.visit(node.args)
        self.in_scope(node.args, [node.body])

    def in_scope(self, args: ast.arguments, body: list[ast.AST]) -> None:
        params = args.posonlyargs + args.args + args.kwonlyargs + [args.vararg, args.kwarg]
        self.s.scopes.append({a.arg: None for a in params if a is not None})
        try:
            for stmt in body:
                self.visit(stmt)
        finally:
            self.s.scopes.pop()

    def visit_arguments(self, node: ast.arguments) -> None:
        for default in node.defaults + [d for d in node.kw_defaults if d is not None]:
            self.visit(default)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        for expr in node.decorator_list + node.bases + [k.value for k in node.keywords]:
            self.visit(expr)
        self.lying(node)
        self.bind_targets(ast.Name(node.name, ast.Store(), lineno=node.lineno))
        self.s.scopes.append({})
        try:
            for stmt in node.body:
                self.visit(stmt)
        finally:
            self.s.scopes.pop()

    # -- what the rules add (see visitor.Visitor) ---------------------------------------------
    def write(self, target: ast.AST) -> None:
        """An assignment or deletion target that is not a plain name."""

    def lying(self, node: ast.ClassDef) -> None:
        """A class about to be bound: does it make objects that can lie to a check?"""
