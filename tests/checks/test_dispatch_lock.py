"""In a grading kernel a submission registers no kernel with torch's dispatcher (the red team's
`Library("aten", "IMPL").impl("detach", …)` made every hidden test's reads return what it
chose); torch's own lazy registrations still happen.  Run in a fresh interpreter: the lock
cannot be lifted once enforced, and this process is pytest's."""
from __future__ import annotations

from conftest import fresh_python

CELL = '''
import threading, warnings
import torch
import torch._custom_op.impl as _ci
from course.checks import dispatch_lock

def alias(x):
    return torch.ops.aten.alias.default(x)

def library():
    return torch.library.Library("aten", "IMPL")

def other_name():  # what the red team used: torch.library under another module's name
    return _ci.library.Library("aten", "IMPL")

def direct():
    return torch._C._dispatch_library("IMPL", "aten", "CPU", "", 0)

def generator():  # the gate's generator, reached through the module's globals
    return dispatch_lock._generator.send((("IMPL", "aten", "CPU", "", 0), {}))

def trampoline():  # a thread of the standard library asks, not the submission itself
    out = []
    t = threading.Thread(target=lambda: out.append(_try(library)))
    t.start(); t.join()
    return out[0]

def custom_op():
    @torch.library.custom_op("mine::twice", mutates_args=())
    def twice(x: torch.Tensor) -> torch.Tensor:
        return x * 2
    return twice

def _try(fn):
    try:
        fn()
        return "allowed"
    except RuntimeError as exc:
        return "refused" if "torch.library" in str(exc) else f"error: {exc}"
'''

SCRIPT = '''
import json, sys, warnings
warnings.simplefilter("ignore")
from course.checks import pristine, code_lock, dispatch_lock
ns = {}
exec(compile(CELL, "/tmp/ipykernel_1/123.py", "exec"), ns)
before = ns["_try"](ns["library"])
dispatch_lock.enforce()
after = {name: ns["_try"](ns[name]) for name in ("library", "other_name", "direct", "custom_op")}
after["trampoline"] = ns["trampoline"]()
after["generator"] = repr(ns["generator"]())
import torch
import torch.ao.quantization.fx._decomposed  # torch registering its own operators lazily
after["torch_lazy"] = hasattr(torch.ops.quantized_decomposed, "quantize_per_tensor")
x = torch.arange(3.0)
after["detach_still_torch"] = x.detach().tolist()
print(json.dumps({"before": before, "after": after, "pending": code_lock.pending()}))
'''


def test_a_submission_registers_no_kernel_and_torch_still_registers_its_own():
    out = fresh_python(f"CELL = {CELL!r}\n" + SCRIPT)
    assert out["before"] == "allowed"  # before the guard enforces it (the zygote's imports)
    after = out["after"]
    for how in ("library", "other_name", "direct", "trampoline", "custom_op"):
        assert after[how] == "refused", (how, after[how])
    assert after["generator"] == "(False, None)"
    assert after["torch_lazy"] is True
    assert after["detach_still_torch"] == [0.0, 1.0, 2.0]
    assert out["pending"] and out["pending"][0].startswith("torch._C._dispatch_library")
