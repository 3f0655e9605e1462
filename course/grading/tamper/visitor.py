"""The one walker that applies the rule tables of `rules` to a parsed cell: writes into
modules, sys hooks and the shell; classes whose objects can lie to a check; calls that run
computed code or reach a module by string; magics and shell escapes.  Name resolution is its
base class's (`aliases.Aliases`)."""
from __future__ import annotations

import ast

from .aliases import Aliases
from .rules import (
    ATTRIBUTE_GETTERS,
    ATTRIBUTES,
    DYNAMIC_CODE,
    GRADER_PATHS,
    LYING_ANYWHERE,
    LYING_ON_VALUES,
    MAGICS,
    MUTATORS,
    NAMESPACE_CALLS,
    PYTHON_BODY_MAGICS,
    QUALIFIED,
    SAFE_MAGICS,
    SENSITIVE_STRINGS,
    SPOOFING,
    STRING_ACCESS_ROOTS,
    VALUE_BASES,
    WRITES,
    is_shell,
    match_rule,
)
from .text import assembled, dunder, literal


class Visitor(Aliases):
    # -- writes ------------------------------------------------------------------------------
    def write(self, target: ast.AST) -> None:
        """An assignment/deletion target (or setattr's): sys hooks, sys.modules, module
        attributes, dunders, the shell's attributes."""
        if isinstance(target, ast.Attribute):
            self.write_attr(target, self.qualname(target.value), target.attr)
        elif isinstance(target, ast.Subscript):
            base = self.qualname(target.value)
            found = match_rule(base, WRITES)
            if found:
                self.flag(target, *self.write_rule(found))
            elif base == "__builtins__" or (base and base.endswith(".__dict__")
                                            and self.is_module(base)):
                self.flag(target, "monkeypatch", f"Writes into {base} (replaces what every "
                          "cell, the tests included, calls)")

    @staticmethod
    def write_rule(found) -> tuple[str, str]:
        _, (kind, why) = found
        return kind, why[0].upper() + why[1:]

    def write_attr(self, node: ast.AST, base: str | None, attr: str | None) -> None:
        full = f"{base}.{attr}" if base and attr else None
        found = match_rule(full, WRITES) or match_rule(base, WRITES)
        if found:
            self.flag(node, *self.write_rule(found))
        elif is_shell(base):
            self.flag(node, "ipython_shell", "Replaces an attribute of the IPython shell")
        elif self.is_module(base):
            shown = full or f"an attribute of {base}"
            self.flag(node, "monkeypatch", f"Replaces {shown} (patches what the tests call)")
        elif dunder(attr):
            self.flag(node, "monkeypatch", f"Assigns the special attribute {attr} (changes how "
                      "an object or class behaves)")

    def lying(self, node: ast.ClassDef) -> None:
        defined = set()
        for stmt in node.body:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                defined.add(stmt.name)
            elif isinstance(stmt, (ast.Assign, ast.AnnAssign)):
                targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
                defined |= {t.id for t in targets if isinstance(t, ast.Name)}
        bases = {self.qualname(b) for b in node.bases}
        values, lies = sorted(bases & VALUE_BASES), defined & LYING_ON_VALUES
        if values and lies:
            self.flag(node, "lying_comparison", f"Subclasses {', '.join(values)} and overrides "
                      f"{', '.join(sorted(lies))}, so its objects can pass a check without the "
                      "right value")
        elif defined & SPOOFING:
            self.flag(node, "lying_comparison", f"Defines {', '.join(sorted(defined & SPOOFING))},"
                      " so isinstance checks on its objects can lie")
        elif defined & LYING_ANYWHERE:
            self.flag(node, "lying_comparison", "Defines "
                      f"{', '.join(sorted(defined & LYING_ANYWHERE))} (low severity, usually "
                      "harmless: comparisons with its objects say whatever it wants)")

    # -- expressions -------------------------------------------------------------------------
    def visit_Name(self, node: ast.Name) -> None:
        self.rule(node, self.s.lookup(node.id))

    def visit_Attribute(self, node: ast.Attribute) -> None:
        qualname = self.qualname(node)
        matched = self.rule(node, qualname)
        if node.attr in ATTRIBUTES and not (qualname or "").startswith("sys."):
            kind, why = ATTRIBUTES[node.attr]
            self.flag(node, kind, f"Touches .{node.attr} ({why})")
        elif node.attr == "__dict__" and (qualname or "").split(".")[0] in STRING_ACCESS_ROOTS:
            self.flag(node, "monkeypatch", f"Reaches {qualname} (a module's namespace, the "
                      "usual first step of patching it)")
        if not (matched and isinstance(node.value, (ast.Name, ast.Attribute))):
            self.visit(node.value)  # `threading.settrace`: not `threading` again

    def visit_Subscript(self, node: ast.Subscript) -> None:
        value = node.value
        if (isinstance(value, ast.Call) and isinstance(value.func, ast.Name)
                and value.func.id in NAMESPACE_CALLS and literal(node.slice) is None):
            self.flag(node, "monkeypatch", f"Looks a name up in {value.func.id}() by a "
                      "computed string (which name it reaches cannot be read here)")
        self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> None:
        if isinstance(node.value, str) and "/proc/" in node.value:
            self.flag(node, "memory_introspection", "Names a /proc path (can read the "
                      "grader's memory or environment)")
        elif isinstance(node.value, str) and any(p in node.value for p in GRADER_PATHS):
            self.flag(node, "grader_import", "Names a file or module of the installed grading package "
                      "(its hidden tests can be read there while the notebook is graded)")
        elif isinstance(node.value, str) and node.value in SENSITIVE_STRINGS:
            kind, why = SENSITIVE_STRINGS[node.value]
            self.flag(node, kind, f"Writes {node.value!r} as a string ({why})")

    def visit_Call(self, node: ast.Call) -> None:
        if self.magic(node):
            return
        func = self.qualname(node.func)
        name = func[len("builtins."):] if func and func.startswith("builtins.") else func
        if name in DYNAMIC_CODE:
            self.dynamic_code(node, name)
        elif name in ("getattr", "setattr", "delattr", "hasattr") and len(node.args) >= 2:
            self.string_access(node, name)
        elif name in ATTRIBUTE_GETTERS and any(literal(a) is None for a in node.args):
            self.flag(node, "monkeypatch", f"Calls {name} with a computed attribute name, "
                      "which hides which attribute it reads")
        elif name == "vars" and node.args:
            target = self.qualname(node.args[0])
            if (target or "").split(".")[0] in STRING_ACCESS_ROOTS:
                self.flag(node, "monkeypatch", f"Reaches {target}'s namespace with vars(), "
                          "the usual first step of patching it")
        elif isinstance(node.func, ast.Attribute) and node.func.attr in MUTATORS:
            found = match_rule(self.qualname(node.func.value), WRITES)
            if found:
                self.flag(node, *self.write_rule(found))
        self.generic_visit(node)

    def dynamic_code(self, node: ast.Call, name: str) -> None:
        code = literal(node.args[0]) if node.args else None
        if code is None:
            self.flag(node, "dynamic_code", f"Calls {name} on a computed value (the code it "
                      "runs cannot be read here)")
            return
        self.flag(node, "dynamic_code", f"Calls {name} on a literal string (scanned too)")
        if self.depth < 5:
            line = self.at(node.lineno)
            self.s.walk(code, lambda _n: line, self.depth + 1)

    def string_access(self, node: ast.Call, name: str) -> None:
        target = self.qualname(node.args[0])
        attr = literal(node.args[1])
        if attr is None and assembled(node.args[1]):
            self.flag(node, "monkeypatch", f"Reaches an attribute with {name} by a name "
                      "assembled from pieces, which hides which one (a dunder such as "
                      "__code__ or __globals__, a frame's f_globals…)")
            return
        shell = is_shell(target)
        if name in ("setattr", "delattr"):
            self.write_attr(node, target, attr)  # flags only what an assignment would
            return
        if (target or "").split(".")[0] in STRING_ACCESS_ROOTS or shell or dunder(attr):
            full = f"{target}.{attr}" if target and attr else None
            found = match_rule(full, QUALIFIED) or match_rule(target, QUALIFIED)
            if found and found[1]:
                key, (kind, why) = found
                self.flag(node, kind, f"Reaches {full or key} by string with {name} ({why})")
            elif attr in ATTRIBUTES:
                kind, why = ATTRIBUTES[attr]
                self.flag(node, kind, f"Reaches .{attr} by string with {name} ({why})")
            else:
                what = full or (f"{target} by a computed name" if target else f"{attr}")
                self.flag(node, "monkeypatch", f"Reaches {what} by string with {name}, the "
                          "usual first step of patching it")

    def magic(self, node: ast.Call) -> bool:
        """`get_ipython().run_line_magic(...)` and friends that IPython wrote for a `%`/`!` line
        (the original line has no `get_ipython`): flag the magic itself, scan a Python body."""
        func = node.func
        if not (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Call)
                and isinstance(func.value.func, ast.Name) and func.value.func.id == "get_ipython"
                and func.attr in ("run_line_magic", "run_cell_magic", "system", "getoutput")):
            return False
        line = self.original[node.lineno - 1] if node.lineno <= len(self.original) else ""
        if "get_ipython" in line:
            return False
        args = [literal(a) or "" for a in node.args] or [""]
        name = func.attr if func.attr in ("system", "getoutput") else args[0].lstrip("%")
        if name in PYTHON_BODY_MAGICS:
            if func.attr == "run_cell_magic" and len(args) >= 3:
                at = self.at
                self.s.walk(args[2], lambda n: at(node.lineno + n), self.depth + 1)
            elif func.attr == "run_line_magic" and len(args) >= 2:
                line_no = self.at(node.lineno)
                self.s.walk(args[1], lambda _n: line_no, self.depth + 1)
        if name not in SAFE_MAGICS:
            why = MAGICS.get(name, "a magic the lesson does not use")
            first = line.strip() or (self.original[0].strip() if self.original else name)
            shell = func.attr in ("system", "getoutput")
            sentence = (f"Escapes to the shell with ! ({why})" if shell
                        else f"Uses the {'%%' if func.attr == 'run_cell_magic' else '%'}"
                             f"{name} magic ({why})")
            self.flag(node, "magic", sentence, first)
        return True
