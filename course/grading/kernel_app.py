"""The IPython kernel a zygote's child becomes (grading.zygote forks it): configured as
`ipykernel_launcher -f FILE --HistoryManager.hist_file=:memory:` would configure it, with what
the grading side asked of it (`kernel_settings`), and the guard installed before any student
code runs."""
from __future__ import annotations

import sys


def initialize(connection_file: str, env: dict, key: bytes):
    """This process's IPKernelApp, initialized and guarded, not started yet."""
    sys.argv = ["ipykernel_launcher", *kernel_argv(connection_file)]
    from ipykernel.kernelapp import IPKernelApp

    app = IPKernelApp.instance()
    app.parse_command_line = _parsed_command_line(app)
    app.initialize(sys.argv[1:])
    del app.parse_command_line
    try:  # what importing the inline backend does when a shell exists (it did not, here)
        from matplotlib_inline.backend_inline import _enable_matplotlib_integration
        _enable_matplotlib_integration()
    except Exception:
        pass
    kernel_settings(app.shell, env)
    quiet(app.kernel)  # before the guard's snapshot, which keeps it so
    from course.checks import guard

    guard.install(app.shell, app.kernel, key)  # before any student code
    return app


def quiet(kernel) -> None:
    """Leave out the IOPub messages no grading client reads: the `busy` status before each
    request, the echo of each cell's code (`execute_input`), and both statuses of the guard's
    control requests (its reply comes on the control channel).  They were ≈ 45% of a
    submission's messages, each one serialised here and read back by the worker.  nbclient
    waits for each cell's `idle` status, which is still sent; it took a silent cell's
    number (In [n]) from `execute_input`, which WarmExecute now takes from the cell's
    execute_reply; and it records `busy` and `execute_input` as timestamps in the autograded
    notebook's cell metadata (`iopub.status.busy`, `iopub.execute_input`), which a grading
    kernel's cells therefore lack.  No score depends on them."""
    from course.verdict import REQUEST

    publish_status = kernel._publish_status

    def publish_needed_status(status, channel, parent=None):
        if status == "busy":
            return
        if channel == "control":
            header = (parent or kernel.get_parent(channel) or {}).get("header") or {}
            if header.get("msg_type") == REQUEST:
                return
        publish_status(status, channel, parent)

    kernel._publish_status = publish_needed_status
    kernel._publish_execute_input = lambda code, parent, execution_count: None


def kernel_argv(connection_file: str) -> list[str]:
    """The kernel's command line (IPython's history in memory: nothing a score sees, a SQLite
    file less per kernel)."""
    return ["-f", connection_file, "--HistoryManager.hist_file=:memory:"]


_COMMAND_LINE: list = []  # the kernels' command line as traitlets parses it (see below)


def parsed_command_line():
    """What `IPKernelApp.parse_command_line(kernel_argv(...))` makes of the kernels' command
    line, parsed once here (building traitlets' parser over every configurable class costs
    ≈ 5–8 ms per kernel); each kernel copies it with its own connection file."""
    if not _COMMAND_LINE:
        from ipykernel.kernelapp import IPKernelApp

        app = IPKernelApp()  # not the singleton: no kernel is made of it
        app.parse_command_line(kernel_argv("connection.json"))
        _COMMAND_LINE.append((app.cli_config, list(app.extra_args)))
    return _COMMAND_LINE[0]


def _parsed_command_line(app):
    """`app.parse_command_line` for a forked kernel: what traitlets' own would do with
    kernel_argv, from the copy parsed once (`parsed_command_line`)."""
    from copy import deepcopy

    def parse(argv=None) -> None:
        config, extra = parsed_command_line()
        app.argv = list(argv or [])
        app.cli_config = deepcopy(config)
        app.cli_config.IPKernelApp.connection_file = app.argv[1]
        app.update_config(app.cli_config)
        app.extra_args = list(extra)

    return parse


def kernel_settings(shell, env: dict) -> None:
    """What the grading side asked of this kernel, applied before any student code runs:
    - COURSE_NO_FIGURES=1: figures are not rendered to PNG (their text form is shown), which
      no score can see and which costs up to a second per plotted cell;
    - COURSE_GPU_MEMORY_FRACTION: this kernel's share of each GPU's memory (workers sharing a
      GPU), applied by torch when (and only if) the kernel first uses CUDA."""
    if env.get("COURSE_NO_FIGURES") == "1":
        try:
            from matplotlib_inline.backend_inline import InlineBackend

            InlineBackend.instance(parent=shell).figure_formats = set()
        except Exception:
            pass
    fraction = env.get("COURSE_GPU_MEMORY_FRACTION")
    if fraction:
        try:
            import torch

            share = float(fraction)

            def cap() -> None:
                for device in range(torch.cuda.device_count()):
                    torch.cuda.set_per_process_memory_fraction(share, device)

            torch.cuda._lazy_call(cap)  # runs at CUDA's first use, in this kernel only
        except Exception:
            pass
