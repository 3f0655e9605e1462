"""The locked helper cell that `course build` puts after every lesson's first code cell.

One definition for all lessons, per language.  It gives the notebook:
- `LANG`, which the hidden tests use to pick the language of their messages;
- `lang_text(pt, es)`: shared code cells print and label plots through it, so everything a
  student reads is in the notebook's language;
- `check(name, actual, expected, tol)`: the visible check.  A failure says what differs in
  the student's language (a missing value, the type, the shape, the dtype, or the worst
  element with its absolute and relative error against the tolerance, with enough digits to
  see it) and shows no traceback.  Given a `lambda`, it calls it, and an exercise still
  unanswered (its stub raises NotImplementedError) prints "not answered yet" instead of
  stopping the notebook: a student can run every cell and read ahead.  The points never
  depend on this: in a graded test cell the hidden tests run first and fail on a stub;
- `check_choice(name, answer, options)`: the visible check of a multiple-choice answer,
  normalised as the hidden test does (`" B "`, `"(b)"`, `"b)"` are `"b"`);
- `explore(draw, **sliders)` with `slider(...)`: a picture the student drives with
  ipywidgets sliders (Colab and JupyterLab); without ipywidgets, or under the autograder
  (nbgrader's NBGRADER_EXECUTION, also set by the course's own engine), it draws once, at the
  sliders' initial values: no front end is there to move a slider;
- nothing else: a stub called from the student's own cell raises NotImplementedError with a
  sentence in the notebook's language (the stub itself, course.cells.CODE_STUBS).  No
  custom IPython exception handler: IPython shows nothing for one unless it prints, and a
  test cell whose error leaves no output would score full marks.
"""
from __future__ import annotations

MESSAGES = {
    "pt": {
        "not_answered": "⏳ {name}: exercício ainda não respondido (substitua o "
                        "`raise NotImplementedError(...)` pela sua resposta)",
        "choice_pending": "⏳ {name}: ainda sem resposta (escreva uma das letras {options})",
        "choice_bad": "{name}: responda com uma das letras {options} (veio {got})",
        "choice_ok": "✓ {name} = {letter!r} (a correção vem dos testes ocultos)",
        "none": "{name}: veio None; faltou um `return`?",
        "none_grad": "{name}: é None, nenhum gradiente chegou aí. O `backward()` já rodou? O "
                     "tensor tem `requires_grad=True` e é uma folha do grafo (não o resultado "
                     "de uma conta)?",
        "type": "{name}: esperava um número ou tensor, veio {got}",
        "shape": "{name}: formato (shape) {got}, esperado {expected}",
        "dtype": "{name}: dtype {got}, esperado {expected}",
        "value": "{name}: valor diferente do esperado{where}: esperado {expected}, obtido "
                 "{got} (erro absoluto {abs_err:.3g}, relativo {rel_err:.3g}; tolerância "
                 "{tol:.0e}){count}",
        "where": " na posição {index}",
        "count": "; {bad} de {total} elementos fora da tolerância",
        "equal": "{name}: esperado {expected}, obtido {got}",
        "warned": "⚠ {name}: seu código emitiu um aviso (não afeta a nota): {text}",
    },
    "es": {
        "not_answered": "⏳ {name}: ejercicio todavía sin responder (reemplaza el "
                        "`raise NotImplementedError(...)` por tu respuesta)",
        "choice_pending": "⏳ {name}: todavía sin respuesta (escribe una de las letras {options})",
        "choice_bad": "{name}: responde con una de las letras {options} (llegó {got})",
        "choice_ok": "✓ {name} = {letter!r} (la nota sale de las pruebas ocultas)",
        "none": "{name}: llegó None; ¿falta un `return`?",
        "none_grad": "{name}: es None, ningún gradiente llegó ahí. ¿Ya se ejecutó "
                     "`backward()`? ¿El tensor tiene `requires_grad=True` y es una hoja del "
                     "grafo (no el resultado de una cuenta)?",
        "type": "{name}: se esperaba un número o un tensor y llegó {got}",
        "shape": "{name}: forma (shape) {got}, se esperaba {expected}",
        "dtype": "{name}: dtype {got}, se esperaba {expected}",
        "value": "{name}: valor distinto del esperado{where}: se esperaba {expected}, se "
                 "obtuvo {got} (error absoluto {abs_err:.3g}, relativo {rel_err:.3g}; "
                 "tolerancia {tol:.0e}){count}",
        "where": " en la posición {index}",
        "count": "; {bad} de {total} elementos fuera de la tolerancia",
        "equal": "{name}: se esperaba {expected} y se obtuvo {got}",
        "warned": "⚠ {name}: tu código emitió un aviso (no afecta la nota): {text}",
    },
}

_TEMPLATE = '''LANG = "__LANG__"
_MESSAGES = __MESSAGES__

# __QUIET__
warnings.filterwarnings("ignore", category=FutureWarning, module=r"torch\\.")
warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"torch\\.")


def lang_text(pt, es):
    """The text in this notebook's language."""
    return pt if LANG == "pt" else es


class CheckError(AssertionError):
    def _render_traceback_(self):
        return [f"✗ {self}"]


def _say(key, **fields):
    return _MESSAGES[key].format(**fields)


def kind_of(value):
    """The type's name, "float" for a float subclass too (numpy.float64, as the hidden tests
    accept)."""
    return "float" if isinstance(value, float) else type(value).__name__


def _is_text(value):
    return isinstance(value, str) or (isinstance(value, (list, tuple)) and len(value) > 0
                                      and all(isinstance(v, str) for v in value))


def check(name, actual, expected, tol=1e-6):
    """__DOC__"""
    if isinstance(actual, types.FunctionType):
        with warnings.catch_warnings(record=True) as warned:  # stderr: a graded cell scores 0
            try:
                actual = actual()
            except NotImplementedError:
                print(_say("not_answered", name=name))
                return
            finally:
                for text in dict.fromkeys(f"{w.category.__name__}: {w.message}" for w in warned):
                    print(_say("warned", name=name, text=text))
    if actual is None:
        raise CheckError(_say("none_grad" if ".grad" in name else "none", name=name))
    if _is_text(expected) or isinstance(expected, bool) or (
            isinstance(expected, (list, tuple)) and len(expected) == 0):
        if actual != expected:
            raise CheckError(_say("equal", name=name, expected=repr(expected), got=repr(actual)))
        print(f"✓ {name}")
        return
    if torch.is_tensor(actual):
        a = actual.detach().cpu()
    else:
        try:
            a = torch.as_tensor(actual)
        except (TypeError, ValueError, RuntimeError):
            raise CheckError(_say("type", name=name, got=type(actual).__name__)) from None
    e = expected.detach().cpu() if torch.is_tensor(expected) else torch.as_tensor(expected)
    if tuple(a.shape) != tuple(e.shape):
        raise CheckError(_say("shape", name=name, got=tuple(a.shape), expected=tuple(e.shape)))
    if torch.is_tensor(expected) and a.dtype.is_floating_point != e.dtype.is_floating_point:
        raise CheckError(_say("dtype", name=name, got=a.dtype, expected=e.dtype))
    a64, e64 = a.double().reshape(-1), e.double().reshape(-1)
    excess = (a64 - e64).abs() - tol * (1 + e64.abs())
    excess = torch.where(torch.isnan(a64) != torch.isnan(e64), torch.inf, excess)
    excess = torch.where(torch.isnan(a64) & torch.isnan(e64), -torch.inf, excess)
    bad = int((excess > 0).sum())
    if bad:
        i = int(torch.argmax(excess))
        got, want = float(a64[i]), float(e64[i])
        index, rest = [], i
        for size in reversed(e.shape):
            index.insert(0, rest % size)
            rest //= size
        raise CheckError(_say(
            "value", name=name, expected=f"{want:.10g}", got=f"{got:.10g}",
            abs_err=abs(got - want), rel_err=abs(got - want) / abs(want) if want else float("inf"),
            tol=tol, where=_say("where", index=tuple(index) if len(index) > 1 else index[0])
            if index else "", count=_say("count", bad=bad, total=e64.numel())
            if e64.numel() > 1 else ""))
    print(f"✓ {name}")


def normalize_choice(answer):
    """" B ", "(b)", "b)", "b." -> "b"; anything else unchanged."""
    if not isinstance(answer, str):
        return answer
    return answer.strip().strip("\\"'").strip().lstrip("(").rstrip(").").strip().lower()


def check_choice(name, answer, options="abcd"):
    """A multiple-choice answer: one of the letters, in any case, spaces and parentheses."""
    shown = ", ".join(repr(o) for o in options)
    if answer is None:
        print(_say("choice_pending", name=name, options=shown))
        return
    letter = normalize_choice(answer)
    if letter not in tuple(options):
        raise CheckError(_say("choice_bad", name=name, options=shown, got=repr(answer)))
    print(_say("choice_ok", name=name, letter=letter))


def slider(low, high, value, step=None, log=False):
    """A slider for explore(): from low to high, starting at value (log: powers of ten)."""
    return {"low": low, "high": high, "value": value, "step": step, "log": log}


def explore(draw, **sliders):
    """draw(**values) with a slider per value where widgets work (Colab, JupyterLab); where
    ipywidgets is missing, or under the autograder (no front end), one drawing at the
    initial values."""
    import os

    try:
        import ipywidgets
    except ImportError:
        ipywidgets = None
    if ipywidgets is None or os.environ.get("NBGRADER_EXECUTION"):
        draw(**{k: s["value"] for k, s in sliders.items()})
        return
    controls = {}
    for key, s in sliders.items():
        if s["log"]:
            controls[key] = ipywidgets.FloatLogSlider(
                value=s["value"], min=math.log10(s["low"]), max=math.log10(s["high"]),
                step=s["step"] or 0.25, description=key, continuous_update=False)
        else:
            kind = ipywidgets.IntSlider if all(isinstance(s[k], int) for k in
                                               ("low", "high", "value")) else ipywidgets.FloatSlider
            controls[key] = kind(value=s["value"], min=s["low"], max=s["high"],
                                 step=s["step"] or (1 if kind is ipywidgets.IntSlider
                                                    else (s["high"] - s["low"]) / 100),
                                 description=key, continuous_update=False)
    ipywidgets.interact(draw, **controls)'''

# Why torch's own deprecation warnings are hidden: a newer torch than the course was written
# for warns, in English, about what torch itself calls inside (torch 2.14 warns that
# `torch.jit.script` is deprecated the first time jacfwd or jvp is used, from
# torch._decomp.decompositions_for_jvp).  The student cannot act on it, it is not in the
# notebook's language, and in a graded test cell a warning on stderr scores 0 under nbgrader.
# Only warnings raised from torch's own modules are hidden (`module=r"torch\."`); one raised
# by the student's own call (attributed to their cell) is still shown.
QUIET = {
    "pt": "Avisos de obsolescência do próprio PyTorch ficam ocultos: vêm em inglês e falam do\n"
          "# código interno dele, não do seu.",
    "es": "Los avisos de obsolescencia del propio PyTorch quedan ocultos: llegan en inglés y\n"
          "# hablan de su código interno, no del tuyo.",
}

DOCS = {
    "pt": "Confere um resultado seu contra o valor esperado (com lambda: espera a resposta).",
    "es": "Compara un resultado tuyo con el valor esperado (con lambda: espera la respuesta).",
}


def helper_source(lang: str) -> str:
    body = "import math\nimport types\nimport warnings\n\n" + _TEMPLATE
    return (body.replace("__LANG__", lang).replace("__DOC__", DOCS[lang])
            .replace("__QUIET__", QUIET[lang])
            .replace("__MESSAGES__", _pretty(MESSAGES[lang])))


def _pretty(messages: dict) -> str:
    lines = ["{"] + [f"    {k!r}: {v!r}," for k, v in messages.items()] + ["}"]
    return "\n".join(lines)


HELPER_SOURCE = {lang: helper_source(lang) for lang in MESSAGES}
