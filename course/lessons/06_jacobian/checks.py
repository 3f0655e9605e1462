"""Hidden tests of lesson 06 (Jacobians and vector-Jacobian products).

The contract clauses "one backward pass" (`vjp`) and "built from vector-Jacobian products, no
ready-made Jacobian" (`jacobian`) are enforced by watching the student's call (`_watch`): a
profile function counts the autograd engine's backward runs and records any call of the
functions that build a whole Jacobian (`torch.autograd.functional.jacobian`,
`torch.func.jacrev`, `torch.func.jacfwd`), recognised by their code objects, so however they
were imported (`from torch.func import jacrev as J`) they are seen."""
from __future__ import annotations

import contextlib
import types

import torch

from course.checks import interpreter
from course.checks.core import (CheckFailed, Snapshot, call, check_choice, close, devices,
                                expect_close, expect_tensor, generator, is_plain_tensor, randn,
                                reads_global, holds_meta, notebook_device_moved)

from .mistakes import MISTAKES

# sys.getprofile/setprofile as bound before any student code ran (checks.interpreter is imported
# first in a grading kernel), so a submission that replaced them cannot blind the watch.
_getprofile, _setprofile = interpreter._getprofile, interpreter._setprofile

# (m, n) = (outputs, inputs): square first (it tells J·v and Jᵀ from the right answer), then
# wide, tall, a single output and a single input.
SHAPES = ((4, 4), (3, 5), (5, 3), (1, 4), (4, 1))

# autograd agrees with torch.autograd.functional.jacobian to ~1e-15 in float64; central finite
# differences reach at best ~1e-10, so this tolerance tells them apart.
STRICT = types.MappingProxyType(dict(rtol=1e-10, atol=1e-12))
# The contract fixes no dtype: a float64 result written into a float32 tensor is only rounded.
ROUNDED = types.MappingProxyType(dict(rtol=1e-6, atol=1e-9))


# torch's own, taken before any answer runs (one patched during a call could hide a tangent)
_interpreters = torch._C._functorch.get_interpreter_stack
_unpack_dual = torch._C._VariableFunctions._unpack_dual
_JVP = torch._C._functorch.TransformType.Jvp


def _differentiated_forward(x) -> bool:
    """x carries a forward-mode tangent: a dual tensor of forward_ad (there is one dual level
    at a time, 0), or f runs inside torch.func.jvp/jacfwd/linearize."""
    stack = _interpreters()
    if stack and any(i.key() == _JVP for i in stack):
        return True
    try:
        return _unpack_dual(x, 0).tangent is not None
    except Exception:  # not a tensor: f itself will fail
        return False


def make_function(seed: int, m: int, n: int, device: str, forward_mode: list | None = None):
    """A random smooth f: R^n -> R^m with a non-symmetric Jacobian (float64).  With
    `forward_mode`, f notes there every call whose input carries a forward-mode tangent: the
    profile watch sees Python calls only, and a dual level entered through a C function held
    from before (or one backward pass run beside, to be counted) goes unseen there."""
    gen = generator(seed)
    A = randn(gen, m, n, device=device)
    B = randn(gen, m, n, device=device) / n ** 0.5
    idx = torch.arange(m, device=device) % n

    def f(x):
        if forward_mode is not None and _differentiated_forward(x):
            forward_mode.append(True)
        return torch.tanh(A @ x) + 0.5 * (B @ x) ** 2 + x[idx] ** 3 / 3

    return f


def _problem(seed: int, m: int, n: int, device: str, forward_mode: list | None = None):
    f = make_function(seed, m, n, device, forward_mode)
    gen = generator(seed + 1)
    return f, randn(gen, n, device=device), randn(gen, m, device=device)


def reference_jacobian(f, x: torch.Tensor) -> torch.Tensor:
    return torch.autograd.functional.jacobian(f, x.detach().clone())


def _ready_made() -> dict:
    """{code object: name} of the functions that build a whole Jacobian at once, or its
    columns in forward mode."""
    import torch.autograd.functional as functional
    found = {functional.jacobian.__code__: "functional_jacobian",
             # forward mode by the double-backward trick: it runs the engine, twice per column
             functional.jvp.__code__: "functional_jvp"}
    try:
        from torch._functorch import eager_transforms
    except ImportError:  # pragma: no cover - torch without functorch
        return found
    for name in ("jacrev", "jacfwd"):
        fn = getattr(eager_transforms, name, None)
        if type(fn) is types.FunctionType:
            found[fn.__code__] = name
    return found


class Watch:
    """What a call did: `ready_made`, the Jacobian builders it called (in order), and
    `backward_runs`, how many times it ran the autograd engine backward (`.backward()`,
    `torch.autograd.grad`, `torch.func.vjp`'s function: one run each, a batched
    `is_grads_batched` call included)."""

    def __init__(self):
        self.ready_made: list[str] = []
        self.backward_runs = 0
        self.batched: list[str] = []  # a backward over a whole batch of v's at once


def _batching() -> tuple:
    """(torch.autograd.grad's code, the codes of vmap and of the functions it is made of): a
    VJP over every basis vector at once is the whole Jacobian built in one pass.  vmap's
    insides (`torch._functorch.vmap.vmap_impl`, the older `torch._vmap_internals._vmap` that
    `is_grads_batched` runs) are watched too: called directly, they batch the same way."""
    import importlib
    codes = set()
    for module_name, names in (("torch._functorch.apis", ("vmap",)),
                               ("torch._functorch.vmap", ("vmap_impl", "_flat_vmap",
                                                          "_chunked_vmap")),
                               ("torch._vmap_internals", ("_vmap", "vmap"))):
        try:
            module = importlib.import_module(module_name)
        except ImportError:  # pragma: no cover - torch without functorch
            continue
        for name in names:
            fn = getattr(module, name, None)
            if type(fn) is types.FunctionType:
                codes.add(fn.__code__)
    return torch.autograd.grad.__code__, frozenset(codes)


# The C functions every vmap enters a batching level with (a profile sees their calls from
# torch's Python code too)
VMAP_LEVELS = frozenset({"_vmap_increment_nesting", "_vmapmode_increment_nesting"})


@contextlib.contextmanager
def _watch():
    codes = _ready_made()
    grad_code, vmap_codes = _batching()
    seen = Watch()

    def profile(frame, event, arg):
        if event == "call":
            name = codes.get(frame.f_code)
            if name is not None:
                seen.ready_made.append(name)
            elif frame.f_code is grad_code and frame.f_locals.get("is_grads_batched") is True:
                seen.batched.append("torch.autograd.grad(..., is_grads_batched=True)")
            elif frame.f_code in vmap_codes:
                seen.batched.append("torch.func.vmap")
        elif event == "c_call":
            name = getattr(arg, "__name__", None)
            if name == "run_backward":
                seen.backward_runs += 1
            elif name in VMAP_LEVELS:
                seen.batched.append("torch.func.vmap")

    before = _getprofile()
    _setprofile(profile)
    try:
        yield seen
    finally:
        _setprofile(before)


# torch's error for a second backward through a graph whose saved tensors were freed
FREED_ERROR = "backward through the graph a second time"


# torch's error for a grad_outputs whose shape is not the output's
SHAPE_MISMATCH = "Mismatch in shape: grad_output[0] has a shape of torch.Size([{n}])"


# Python's error for `x.grad.zero_()` while x.grad is still None (before the first backward)
GRAD_NONE_ZEROED = "'NoneType' object has no attribute 'zero_'"


def _basis_like_x(error: str, args) -> bool:
    """The error says a grad_outputs vector had x's length (n) where y = f(x) has another."""
    x = args[1] if len(args) > 1 else None
    return is_plain_tensor(x) and x.dim() == 1 and \
        SHAPE_MISMATCH.format(n=x.shape[0]) in error


def _call_jacobian(lang: str, jacobian, *args):
    """`call`, naming the mistake of a jacobian that calls the student's unanswered vjp."""
    def used():
        MISTAKES.fail(lang, "jacobian_uses_notebook_device")

    try:
        with notebook_device_moved(jacobian, used):  # the basis or result on `device`
            got = call(lang, "jacobian", jacobian, *args)
        if holds_meta(got):
            used()
        return got
    except CheckFailed as err:
        if err.mistake == "not_implemented" and reads_global(jacobian, "vjp"):
            MISTAKES.fail(lang, "jacobian_uses_unanswered_vjp")
        if err.mistake == "raised" and FREED_ERROR in str(err):
            MISTAKES.fail(lang, "jacobian_graph_freed_no_retain")
        if err.mistake == "raised" and _basis_like_x(str(err), args):
            MISTAKES.fail(lang, "basis_sized_like_x", error=str(err))
        if err.mistake == "raised" and GRAD_NONE_ZEROED in str(err):
            MISTAKES.fail(lang, "grad_zeroed_before_first_backward", error=str(err))
        raise


def _tol(got) -> dict:
    if is_plain_tensor(got) and got.dtype == torch.float32:
        return ROUNDED
    return STRICT


def _expect(lang: str, what: str, got, expected: torch.Tensor, approximate: str,
            shape_hints=(), value_hints=()) -> None:
    """`got` equals `expected` (shape, device, values); name the mistake when one fits.

    `shape_hints` is [(shape, mistake id)], `value_hints` [(what that mistake gives, mistake id)];
    `approximate` names the mistake of values right only to ~1e-6."""
    if is_plain_tensor(got) and got.shape != expected.shape:
        for shape, mistake in shape_hints:
            if tuple(got.shape) == tuple(shape):
                MISTAKES.fail(lang, mistake, what=what, got=tuple(got.shape),
                              expected=tuple(expected.shape))
    expect_tensor(lang, what, got, expected, check_dtype=False)
    if close(got, expected, **_tol(got)):
        return
    for alt, mistake in value_hints:
        if alt.shape == expected.shape and close(got, alt, 1e-8, 1e-10):
            MISTAKES.fail(lang, mistake, what=what)
    if close(got, expected, 1e-4, 1e-6):
        MISTAKES.fail(lang, approximate, what=what)
    expect_close(lang, what, got, expected, check_dtype=False, **_tol(got))


# ----------------------------------------------------------------------------------------- vjp

def _vjp_hints(J: torch.Tensor, v: torch.Tensor, y: torch.Tensor):
    """What vjp's known mistakes give, for f(x) = y with Jacobian J, and v."""
    m, n = J.shape
    shape_hints = [((1, n), "vjp_not_1d"), ((n, 1), "vjp_not_1d"), ((m, n), "vjp_returned_matrix")]
    if m != n:
        shape_hints.append(((m,), "vjp_in_output_space"))
    value_hints = [
        (torch.ones_like(v) @ J, "v_ignored"),
        (-(v @ J), "vjp_sign_flipped"),
        # Only when m == n (the shapes must agree): the gradient of the outputs (y.grad is v)
        # or the outputs themselves (torch.autograd.functional.vjp(f, x, v)[0]).
        (v, "vjp_in_output_space"),
        (y, "vjp_in_output_space"),
    ]
    if m == n:
        value_hints.insert(0, (J @ v, "jv_instead_of_vjp"))
    return shape_hints, value_hints


def _outputs(f, x: torch.Tensor) -> torch.Tensor:
    return f(x.detach().clone()).detach()


def check_vjp_values(vjp, lang: str = "pt") -> None:
    for device in devices():
        for k, (m, n) in enumerate(SHAPES):
            f, x, v = _problem(600 + 10 * k, m, n, device)
            J, y = reference_jacobian(f, x), _outputs(f, x)
            # v @ J is computed after the call: v zeroed in place made it zeros (the caller's x
            # is graded by check_vjp_contract, with its own mistakes)
            snap = Snapshot(v=v)
            got = call(lang, "vjp", vjp, f, x, v)
            snap.verify(lang, "vjp")
            _expect(lang, f"vjp (f: R^{n} → R^{m})", got, v @ J, "vjp_approximate",
                    *_vjp_hints(J, v, y))


def _x_cases(n: int, device: str, seed: int):
    """The caller's x: plain; a leaf requiring grad; a leaf requiring grad with a .grad."""
    gen = generator(seed)
    plain = randn(gen, n, device=device)
    leaf = randn(gen, n, device=device).requires_grad_(True)
    with_grad = randn(gen, n, device=device).requires_grad_(True)
    with_grad.grad = randn(gen, n, device=device)
    return [("requires_grad=False", plain), ("requires_grad=True", leaf),
            ("requires_grad=True, .grad", with_grad)]


# How the lesson names each ready-made Jacobian builder in a message.
HOW = types.MappingProxyType({"functional_jacobian": "torch.autograd.functional.jacobian",
                              "functional_jvp": "torch.autograd.functional.jvp",
                              "jacrev": "torch.func.jacrev", "jacfwd": "torch.func.jacfwd"})

# How a message names forward mode (vjp_built_full_jacobian's {how}).
FORWARD_MODE = "torch.func.jvp / forward_ad"

# The mistakes of each exercise on the caller's x: (requires_grad changed, .grad left on it).
CALLER_X = types.MappingProxyType({
    "vjp": ("vjp_sets_requires_grad_on_x", "vjp_leaves_grad_on_x"),
    "jacobian": ("jacobian_sets_requires_grad_on_x", "jacobian_leaves_grad_on_x")})


def _verify_caller_x(lang: str, name: str, x: torch.Tensor, req: bool, had_grad: bool) -> None:
    sets_requires_grad, leaves_grad = CALLER_X[name]
    if not is_plain_tensor(x):
        return  # its class was swapped: Snapshot.verify reports the input as modified
    if x.requires_grad != req:
        MISTAKES.fail(lang, sets_requires_grad, name=name, before=req, after=x.requires_grad)
    if not had_grad and x.grad is not None:
        MISTAKES.fail(lang, leaves_grad, name=name)


def check_vjp_contract(vjp, lang: str = "pt") -> None:
    for device in devices():
        for k, (m, n) in enumerate(((3, 4), (4, 4))):
            forward_mode: list = []
            f, _, v = _problem(700 + 10 * k, m, n, device, forward_mode)
            for label, x in _x_cases(n, device, 710 + 10 * k):
                J, y = reference_jacobian(f, x), _outputs(f, x)
                req, had_grad = x.requires_grad, x.grad is not None
                snap = Snapshot(x=x, v=v)
                forward_mode.clear()
                with _watch() as seen:
                    got = call(lang, "vjp", vjp, f, x, v)
                _verify_caller_x(lang, "vjp", x, req, had_grad)
                snap.verify(lang, "vjp")
                if seen.ready_made:
                    MISTAKES.fail(lang, "vjp_built_full_jacobian", how=HOW[seen.ready_made[0]])
                if seen.batched:
                    MISTAKES.fail(lang, "vjp_built_full_jacobian", how=seen.batched[0])
                if seen.backward_runs == 0:
                    MISTAKES.fail(lang, "vjp_without_backward")
                if seen.backward_runs > 1:
                    MISTAKES.fail(lang, "vjp_several_backward_passes", m=m,
                                  runs=seen.backward_runs)
                if forward_mode:  # J's columns by forward mode, one backward beside
                    MISTAKES.fail(lang, "vjp_built_full_jacobian", how=FORWARD_MODE)
                _expect(lang, f"vjp (x {label})", got, v @ J, "vjp_approximate",
                        *_vjp_hints(J, v, y))


# ------------------------------------------------------------------------------------ jacobian

def _jacobian_hints(J: torch.Tensor):
    """What jacobian's known mistakes give, for the Jacobian J."""
    m, n = J.shape
    shape_hints = [((n, m), "jacobian_transposed")] if m != n else []
    value_hints = []
    if m == n:
        value_hints.append((J.T, "jacobian_transposed"))
    if m > 1:
        value_hints += [
            (J.cumsum(0), "gradient_accumulated_across_rows"),
            (J.sum(0).expand(m, n), "ones_instead_of_basis_vector"),
            (J[-1].expand(m, n), "rows_share_one_grad_tensor"),
        ]
    return shape_hints, value_hints


def _not_a_list(lang: str, got) -> None:
    if issubclass(type(got), (list, tuple)):
        MISTAKES.fail(lang, "rows_returned_as_list" if issubclass(type(got), list)
                      else "rows_returned_as_tuple")


def check_jacobian_values(jacobian, lang: str = "pt") -> None:
    for device in devices():
        for k, (m, n) in enumerate(SHAPES):
            f, x, _ = _problem(800 + 10 * k, m, n, device)
            J = reference_jacobian(f, x)
            got = _call_jacobian(lang, jacobian, f, x)
            _not_a_list(lang, got)
            _expect(lang, f"jacobian (f: R^{n} → R^{m})", got, J, "jacobian_approximate",
                    *_jacobian_hints(J))


def check_jacobian_contract(jacobian, lang: str = "pt") -> None:
    for device in devices():
        for k, (m, n) in enumerate(((2, 3), (3, 3))):
            forward_mode: list = []
            f, _, _ = _problem(900 + 10 * k, m, n, device, forward_mode)
            for label, x in _x_cases(n, device, 910 + 10 * k):
                J = reference_jacobian(f, x)
                req, had_grad = x.requires_grad, x.grad is not None
                snap = Snapshot(x=x)
                forward_mode.clear()
                with _watch() as seen:
                    got = _call_jacobian(lang, jacobian, f, x)
                _verify_caller_x(lang, "jacobian", x, req, had_grad)
                snap.verify(lang, "jacobian")
                if seen.ready_made:
                    MISTAKES.fail(lang, "used_" + seen.ready_made[0])
                if seen.backward_runs == 0:
                    MISTAKES.fail(lang, "jacobian_not_from_vjps")
                if forward_mode:  # columns by forward mode, a backward run beside them
                    MISTAKES.fail(lang, "jacobian_forward_mode")
                _not_a_list(lang, got)
                _expect(lang, f"jacobian (x {label})", got, J, "jacobian_approximate",
                        *_jacobian_hints(J))


# ------------------------------------------------------------------------------------ choices

def check_backward_gradient(answer, lang: str = "pt") -> None:
    check_choice(lang, "answer_backward_gradient", answer, "b", "abcd",
                 why={"a": "choice_a_column_not_row", "c": "choice_c_masked_matrix",
                      "d": "choice_d_v_itself"}, table=MISTAKES)


def check_no_grad_backward(answer, lang: str = "pt") -> None:
    check_choice(lang, "answer_no_grad_backward", answer, "c", "abcd",
                 why={"a": "choice_a_only_b", "b": "choice_b_graph_at_backward",
                      "d": "choice_d_zero_gradients"}, table=MISTAKES)
