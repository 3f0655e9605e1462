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

The rules are data (the tables of `tamper_rules`); `_Visitor` is the one walker that applies
them.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass

from ..cells import HELPER_GRADE_ID, HIDDEN_MARKERS, defined_names, grade_id, role
from .tamper_rules import (  # noqa: F401  (KINDS: the kinds a Flag can have, re-exported)
    ATTRIBUTES,
    DYNAMIC_CODE,
    KINDS,
    LYING_ANYWHERE,
    LYING_ON_VALUES,
    MAGICS,
    MODULES,
    MUTATORS,
    NAMESPACE_CALLS,
    PYTHON_BODY_MAGICS,
    QUALIFIED,
    REBINDING,
    SAFE_MAGICS,
    SPOOFING,
    STRING_ACCESS_ROOTS,
    VALUE_BASES,
    WRITES,
    is_shell,
    match_rule,
)


@dataclass(frozen=True)
class Flag:
    cell: str    # the cell's nbgrader grade_id if it has one, else f"cell {index}" (1-based)
    line: int    # 1-based line inside the cell
    kind: str    # a short stable id (see KINDS)
    detail: str  # one English sentence for the instructor, quoting the offending code


def _short(text: str, width: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[:width - 1] + "…"


def _literal(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _dunder(name: str | None) -> bool:
    return bool(name) and len(name) > 4 and name.startswith("__") and name.endswith("__")


class _Scanner:
    """What one kernel would know: bindings carried from cell to cell, the names the lesson's
    locked cells define; `scan(source)` lists one cell's (line, kind, detail)."""

    def __init__(self, protected: frozenset[str] = frozenset()):
        self.scopes: list[dict[str, str | None]] = [{}]
        self.imported: set[str] = set()
        self.protected = protected
        self.flags: list[tuple[int, str, str]] = []

    def lookup(self, name: str) -> str | None:
        for scope in reversed(self.scopes):
            if name in scope:
                return scope[name]
        return name

    def bind(self, name: str, qualname: str | None) -> None:
        self.scopes[-1][name] = qualname

    def scan(self, source: str) -> list[tuple[int, str, str]]:
        self.flags = []
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
            tree, text = _parse(source)
        except Exception as err:  # SyntaxError, RecursionError, IPython's transformer...
            if not depth:
                line, detail = _unparsable(err, source)
                self.flags.append((at(line), "unparsable", detail))
            return
        try:
            _Visitor(self, text, source.splitlines(), at, depth).visit(tree)
        except RecursionError:
            self.flags.append((at(1), "unparsable", "The cell is too deeply nested to scan to "
                               f"the end: `{_short(source.strip())}`."))


def _parse(source: str) -> tuple[ast.Module, str]:
    """The cell's tree and the text it was parsed from: the source itself when it is plain
    Python, else what IPython turns it into (`!ls` -> `get_ipython().system('ls')`)."""
    try:
        return ast.parse(source), source
    except (SyntaxError, ValueError):
        from IPython.core.inputtransformer2 import TransformerManager
        text = TransformerManager().transform_cell(source)
        return ast.parse(text), text


def _unparsable(err: Exception, source: str) -> tuple[int, str]:
    """(line, detail) of a cell that could not be parsed."""
    line = getattr(err, "lineno", None) or 1
    lines = source.splitlines() or [""]
    quote = _short(lines[min(line, len(lines)) - 1].strip())
    if isinstance(err, SyntaxError):
        why = f"does not parse: {err.msg}"
    elif isinstance(err, (RecursionError, MemoryError)):
        why = "is too deeply nested to parse"
    else:
        why = f"does not parse: {type(err).__name__}"
    return line, f"The cell {why}, so it could not be scanned: `{quote}`."


class _Visitor(ast.NodeVisitor):
    def __init__(self, scanner: _Scanner, text: str, original: list[str], at, depth: int):
        self.s, self.text, self.original, self.at, self.depth = scanner, text, original, at, depth

    # -- reporting ---------------------------------------------------------------------------
    def flag(self, node: ast.AST, kind: str, sentence: str, quote: str | None = None) -> None:
        """Record a flag quoting `quote`, by default the node's line."""
        if quote is None:
            lines = self.text.splitlines()
            quote = lines[node.lineno - 1].strip() if node.lineno <= len(lines) else ""
        self.s.flags.append((self.at(node.lineno), kind, f"{sentence}: `{_short(quote)}`."))

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
                return _literal(args[0])
            if func in ("getattr", "builtins.getattr") and len(args) >= 2:
                base, name = self.qualname(args[0]), _literal(args[1])
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
        elif _dunder(attr):
            self.flag(node, "monkeypatch", f"Assigns the special attribute {attr} (changes how "
                      "an object or class behaves)")

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
                and value.func.id in NAMESPACE_CALLS and _literal(node.slice) is None):
            self.flag(node, "monkeypatch", f"Looks a name up in {value.func.id}() by a "
                      "computed string (which name it reaches cannot be read here)")
        self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> None:
        if isinstance(node.value, str) and "/proc/" in node.value:
            self.flag(node, "memory_introspection", "Names a /proc path (can read the "
                      "grader's memory or environment)")

    def visit_Call(self, node: ast.Call) -> None:
        if self.magic(node):
            return
        func = self.qualname(node.func)
        name = func[len("builtins."):] if func and func.startswith("builtins.") else func
        if name in DYNAMIC_CODE:
            self.dynamic_code(node, name)
        elif name in ("getattr", "setattr", "delattr", "hasattr") and len(node.args) >= 2:
            self.string_access(node, name)
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
        code = _literal(node.args[0]) if node.args else None
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
        attr = _literal(node.args[1])
        shell = is_shell(target)
        if name in ("setattr", "delattr"):
            self.write_attr(node, target, attr)  # flags only what an assignment would
            return
        if (target or "").split(".")[0] in STRING_ACCESS_ROOTS or shell or _dunder(attr):
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
        args = [_literal(a) or "" for a in node.args] or [""]
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


def scan_source(source: str) -> list[tuple[int, str, str]]:
    """(line, kind, detail) for one cell's source, as a fresh kernel would run it."""
    return _Scanner().scan(source)


def _text(cell) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def _lesson_key(source: str) -> str:
    return "\n".join(line.rstrip() for line in source.strip().splitlines())


def _without_hidden_tests(source: str) -> str:
    """The cell with its hidden-test blocks blanked out (line numbers kept)."""
    out, inside = [], False
    for line in source.splitlines():
        marker = line.strip()
        if marker == HIDDEN_MARKERS[0]:
            inside = True
        out.append("" if inside else line)
        if marker == HIDDEN_MARKERS[1]:
            inside = False
    return "\n".join(out)


def _is_course_helper(cell) -> bool:
    """The build's locked helper cell (it hands IPython a NotImplementedError handler, which
    the scan would flag in a student's code).  Whatever a submission holds there, grading
    runs the course's own: nbgrader's OverwriteCells restores every locked cell."""
    return grade_id(cell) == HELPER_GRADE_ID and role(cell) == "locked"


def scan_notebook(nb, released=None) -> list[Flag]:
    """Flags for every code cell of a student's notebook, in order.  Code cells identical to a
    code cell of `released` (the release notebook the student was given) are the lesson's own
    and are not scanned, only read for the names they bind.

    A submission's metadata is the student's to edit, so with `released` nothing is exempted
    by it: a cell tagged as the helper or as a test cell is scanned like any other (an extra
    copy of one is run as student code once repair has de-duplicated it), except the lines of
    a helper-tagged cell that are the released helper's own.  Without `released` (the
    instructor's own notebooks) hidden-test blocks in test cells and the helper are skipped."""
    reference = released if released is not None else nb
    lesson = {_lesson_key(_text(c)) for c in (released or {"cells": []})["cells"]
              if c.get("cell_type") == "code"}
    helper_lines = {line.strip() for c in (released or {"cells": []})["cells"]
                    if c.get("cell_type") == "code" and _is_course_helper(c)
                    for line in _text(c).splitlines()}
    protected = set()
    for cell in reference["cells"]:
        if cell.get("cell_type") == "code" and role(cell) == "locked":
            protected |= defined_names(_text(cell))
    scanner, flags = _Scanner(), []
    for index, cell in enumerate(nb["cells"], 1):
        if cell.get("cell_type") != "code":
            continue
        source = _text(cell)
        trusted = released is None
        if trusted and role(cell) == "test":
            source = _without_hidden_tests(source)
        # a locked cell may define the names it protects
        scanner.protected = frozenset() if role(cell) == "locked" else frozenset(protected)
        found = scanner.scan(source)  # the lesson's own cells too: they bind names
        if _lesson_key(_text(cell)) in lesson or (trusted and _is_course_helper(cell)):
            continue
        if _is_course_helper(cell):  # an edited helper: what the student added or changed
            lines = source.splitlines()
            found = [f for f in found
                     if not (0 < f[0] <= len(lines) and lines[f[0] - 1].strip() in helper_lines)]
        name = grade_id(cell) or f"cell {index}"
        flags += [Flag(name, line, kind, detail) for line, kind, detail in found]
    return flags
