"""The unanswered stub's NotImplementedError says "not answered yet"; one that torch raised
inside an implemented answer is reported as the error it is, in the student's language."""
from __future__ import annotations

import pytest
import torch

from course.checks.core import call
from course.checks.mistakes import CheckFailed


def stub(x):
    raise NotImplementedError()


def swapped_arguments(y, logits):
    # what a student wrote: CrossEntropyLoss()(target, prediction)
    return torch.nn.CrossEntropyLoss()(y, logits)


def c_kernel_directly(x):
    return torch.log_softmax(torch.arange(3), dim=0)  # not implemented for 'Long'


@pytest.mark.parametrize("fn, mistake", [(stub, "not_implemented"),
                                         (swapped_arguments, "raised"),
                                         (c_kernel_directly, "raised")])
def test_who_raised_it_decides_the_message(fn, mistake):
    args = (torch.tensor([0, 2]), torch.randn(2, 3)) if fn is swapped_arguments else (1,)
    with pytest.raises(CheckFailed) as info:
        call("pt", "answer", fn, *args)
    assert info.value.mistake == mistake
    if mistake == "raised":
        assert "not implemented for" in str(info.value)
