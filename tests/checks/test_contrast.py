"""A wrong value's message shows the expected and the obtained value so that they read
differently: "esperado 1.5, obtido 1.5" would tell a student nothing."""
import pytest
import torch

from course.checks.core import contrast, expect_close
from course.checks.mistakes import CheckFailed


def test_values_apart_in_the_fifth_digit_are_shown_with_more_digits():
    expected = torch.tensor([12.2231], dtype=torch.float64)
    got = torch.tensor([12.2234], dtype=torch.float64)
    pair = contrast(expected, got)
    assert pair["expected"] != pair["got"]
    assert "12.2231" in pair["expected"] and "12.2234" in pair["got"]


def test_values_far_apart_keep_the_short_form():
    assert contrast(torch.tensor([1.0]), torch.tensor([2.0])) == {
        "expected": "tensor[1](1)", "got": "tensor[1](2)"}
    assert contrast(1.25, 3.5) == {"expected": "1.25", "got": "3.5"}


@pytest.mark.parametrize("lang", ["pt", "es"])
def test_the_wrong_value_message_tells_near_values_apart(lang):
    expected = torch.tensor([0.1 + 1e-9, 2.0], dtype=torch.float64)
    got = torch.tensor([0.1, 2.0], dtype=torch.float64)
    with pytest.raises(CheckFailed) as failure:
        expect_close(lang, "f(x)", got, expected, rtol=1e-12, atol=0.0)
    text = str(failure.value)
    assert failure.value.mistake == "wrong_value"
    assert "0.100000001" in text and "tensor[2](0.1, 2)" in text, text
