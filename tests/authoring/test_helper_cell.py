"""The visible checks students run (the helper cell `course build` adds to every notebook):
what a failure says, in each language, and that multiple choice is read as the hidden test
reads it."""
from __future__ import annotations

import warnings

import pytest
import torch

from course.authoring.helper_cell import HELPER_SOURCE
from course.checks.core import normalize_choice


def helper(lang: str) -> dict:
    namespace = {"torch": torch}
    exec(HELPER_SOURCE[lang], namespace)
    return namespace


def failure(ns: dict, *args, **kwargs) -> str:
    with pytest.raises(AssertionError) as info:
        ns["check"](*args, **kwargs)
    return str(info.value)


@pytest.mark.parametrize("lang", ["pt", "es"])
def test_a_pass_prints_a_tick(lang, capsys):
    ns = helper(lang)
    ns["check"]("x", torch.tensor([1.0, 2.0]), [1.0, 2.0])
    ns["check"]("names", ["a", "b"], ["a", "b"])
    assert capsys.readouterr().out == "✓ x\n✓ names\n"


def test_a_tiny_relative_error_shows_the_worst_element_errors_and_tolerance():
    ns = helper("pt")
    msg = failure(ns, "Sinc.backward", torch.tensor([1.0, 3.3333e-05], dtype=torch.float64),
                  torch.tensor([1.0, 3.33333333e-05], dtype=torch.float64), tol=1e-12)
    assert "posição 1" in msg and "esperado 3.33333333e-05" in msg and "obtido 3.3333e-05" in msg
    assert "erro absoluto 3.33e-10" in msg and "relativo 1e-05" in msg
    assert "tolerância 1e-12" in msg and "1 de 2 elementos" in msg


def test_the_worst_element_of_a_matrix_is_named_by_its_index():
    msg = failure(helper("es"), "J", torch.zeros(2, 3), torch.tensor([[0, 0, 0], [0, 0.5, 0.]]))
    assert "en la posición (1, 1)" in msg and "se esperaba 0.5" in msg and "se obtuvo 0" in msg


@pytest.mark.parametrize("lang,actual,expected,words", [
    ("pt", torch.ones(3, 1), torch.ones(3), "formato (shape) (3, 1), esperado (3,)"),
    ("es", torch.ones(3, 1), torch.ones(3), "forma (shape) (3, 1), se esperaba (3,)"),
    ("pt", torch.ones(3, dtype=torch.long), torch.ones(3), "dtype torch.int64, esperado torch.float32"),
    ("es", None, torch.ones(3), "llegó None; ¿falta un `return`?"),
    ("pt", None, 1.0, "veio None; faltou um `return`?"),
    ("pt", "1.0", 1.0, "esperava um número ou tensor, veio str"),
    ("pt", torch.tensor([float("nan")]), [1.0], "obtido nan"),
])
def test_wrong_kind_of_answer_is_named(lang, actual, expected, words):
    assert words in failure(helper(lang), "f(x)", actual, expected)


@pytest.mark.parametrize("language,words", [
    ("pt", "w.grad: é None, nenhum gradiente chegou aí"),
    ("es", "w.grad: es None, ningún gradiente llegó ahí")])
def test_a_missing_gradient_is_not_blamed_on_a_missing_return(language, words):
    msg = failure(helper(language), "w.grad", None, [-28.0])
    assert words in msg and "return" not in msg


@pytest.mark.parametrize("lang,words", [("pt", "ainda não respondido"),
                                        ("es", "todavía sin responder")])
def test_an_unanswered_exercise_does_not_stop_the_notebook(lang, words, capsys):
    def stub():
        raise NotImplementedError()

    helper(lang)["check"]("forward", lambda: stub(), 1.0)
    assert words in capsys.readouterr().out


def test_a_failure_hides_the_traceback():
    ns = helper("pt")
    with pytest.raises(AssertionError) as info:
        ns["check"]("x", 1.0, 2.0)
    assert info.value._render_traceback_() == [f"✗ {info.value}"]


@pytest.mark.parametrize("answer", ["b", " B ", "(b)", "b)", "B.", "'b'", '"b"', "(B) "])
def test_choices_are_read_alike_by_the_visible_and_the_hidden_check(answer, capsys):
    ns = helper("es")
    ns["check_choice"]("answer_x", answer)
    assert "✓ answer_x = 'b'" in capsys.readouterr().out
    assert normalize_choice(answer) == ns["normalize_choice"](answer) == "b"


@pytest.mark.parametrize("answer", ["e", "ab", 2, ""])
def test_a_choice_outside_the_options_fails_with_a_sentence(answer):
    with pytest.raises(AssertionError) as info:
        helper("pt")["check_choice"]("answer_x", answer)
    assert "responda com uma das letras 'a', 'b', 'c', 'd'" in str(info.value)


def test_an_unanswered_choice_waits(capsys):
    helper("pt")["check_choice"]("answer_x", None)
    assert "ainda sem resposta" in capsys.readouterr().out


def test_explore_draws_once_at_the_initial_values_without_widgets(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_widgets(name, *args, **kwargs):
        if name == "ipywidgets":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_widgets)
    ns = helper("pt")
    seen = []
    ns["explore"](lambda w, lr: seen.append((w, lr)), w=ns["slider"](-2.0, 4.0, 1.0),
                  lr=ns["slider"](1e-3, 1.0, 0.1, log=True))
    assert seen == [(1.0, 0.1)]


def test_explore_with_widgets_draws_at_the_initial_values(monkeypatch):
    pytest.importorskip("ipywidgets")
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    ns = helper("es")
    seen = []
    ns["explore"](lambda w, n: seen.append((w, n)), w=ns["slider"](-2.0, 4.0, 1.0),
                  n=ns["slider"](1, 10, 3))
    assert seen == [(1.0, 3)]


def test_explore_under_the_autograder_draws_once_without_a_widget(monkeypatch):
    """No front end moves a slider while grading; a widget there only costs comm traffic."""
    ipywidgets = pytest.importorskip("ipywidgets")

    def no_widget(*args, **kwargs):
        raise AssertionError("a widget was built under the autograder")

    monkeypatch.setattr(ipywidgets, "interact", no_widget)
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    ns = helper("pt")
    seen = []
    ns["explore"](lambda w: seen.append(w), w=ns["slider"](-2.0, 4.0, 1.5))
    assert seen == [1.5]


def test_grading_kernels_know_they_are_grading():
    from course.grading import runner
    from course.grading.task import Task

    assert runner._kernel_env(Task("", {}))["NBGRADER_EXECUTION"] == "autograde"


@pytest.mark.parametrize("lang", ["pt", "es"])
def test_torchs_own_deprecation_warnings_are_hidden_and_the_students_are_not(lang):
    """torch 2.14 warns, in English, that `torch.jit.script` is deprecated the first time
    jacfwd or jvp is used (from torch._decomp): hidden, as any deprecation raised inside
    torch.  One attributed to the student's own cell, and torch's other warnings: shown."""
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        helper(lang)
        warnings.warn_explicit("`torch.jit.script` is deprecated.", FutureWarning,
                               "_script.py", 1491, module="torch.jit._script")
        warnings.warn_explicit("old", DeprecationWarning, "functional.py", 1,
                               module="torch.autograd.functional")
        warnings.warn_explicit("yours", FutureWarning, "<cell>", 3, module="__main__")
        warnings.warn_explicit("non-leaf .grad", UserWarning, "_tensor.py", 1,
                               module="torch._tensor")
    assert [str(w.message) for w in seen] == ["yours", "non-leaf .grad"]


def test_a_numpy_float_is_a_float_for_the_visible_type_checks():
    """The hidden tests accept a float subclass (numpy.float64): the visible checks must too,
    or the test cell errors and scores 0."""
    import numpy as np

    kind_of = helper("pt")["kind_of"]
    assert kind_of(np.float64(0.5)) == kind_of(0.5) == "float"
    assert kind_of(np.float32(0.5)) == "float32" and kind_of(1) == "int"


@pytest.mark.parametrize("lang,words", [("pt", "seu código emitiu um aviso"),
                                        ("es", "tu código emitió un aviso")])
def test_a_warning_from_the_students_code_is_printed_not_written_to_stderr(lang, words, capsys):
    """nbgrader scores 0 a test cell that writes to stderr: an honest `torch.tensor(w0)` (torch
    warns that copying a tensor so is not recommended) cost the whole cell its points."""
    ns = helper(lang)
    w0 = torch.ones(2)
    ns["check"]("w", lambda: torch.tensor(w0) * 2, [2.0, 2.0])
    out, err = capsys.readouterr()
    assert err == ""
    assert words in out and "UserWarning: To copy construct from a tensor" in out
    assert out.rstrip().endswith("✓ w")
