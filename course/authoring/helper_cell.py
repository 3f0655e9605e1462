"""The locked helper cell that `course build` puts after every lesson's first code cell.

It defines `LANG` (which the hidden tests use to pick the language of their messages) and
`check`, the visible check students run; its failure shows only the message (no traceback, so
the test cell's code around it is not printed either).  One definition for all lessons, per language.
"""

_CHECK = '''LANG = "{lang}"


class CheckError(AssertionError):
    def _render_traceback_(self):
        return [f"CheckError: {{self}}"]


def check(name, actual, expected, tol=1e-6):
    """{doc}"""
    if isinstance(expected, str) or expected == [] or (
            isinstance(expected, list) and isinstance(expected[0], str)):
        ok = actual == expected
    else:
        a = torch.as_tensor(actual.detach() if torch.is_tensor(actual) else actual)
        e = torch.as_tensor(expected, dtype=torch.float64).cpu()
        ok = a.shape == e.shape and torch.allclose(a.double().cpu(), e, rtol=tol, atol=tol)
    if not ok:
        raise CheckError(f"{{name}}: {expected_word} {{expected}}, {got_word} {{actual}}")
    print(f"✓ {{name}}")'''

HELPER_SOURCE = {
    "pt": _CHECK.format(lang="pt", doc="Confere um resultado seu contra o valor esperado.",
                        expected_word="esperado", got_word="obtido"),
    "es": _CHECK.format(lang="es", doc="Compara un resultado tuyo con el valor esperado.",
                        expected_word="se esperaba", got_word="se obtuvo"),
}

