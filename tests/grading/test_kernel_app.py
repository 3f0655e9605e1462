"""A forked kernel is configured from the zygote's one parse of the kernels' command line:
it must come out exactly as traitlets' own parse of that command line would make it."""
from __future__ import annotations

from ipykernel.kernelapp import IPKernelApp

from course.grading import kernel_app


def test_a_forked_kernel_is_configured_as_its_command_line_would_configure_it():
    argv = kernel_app.kernel_argv("/kernels/slot-1/connection.json")
    real = IPKernelApp()
    real.parse_command_line(argv)
    fast = IPKernelApp()
    kernel_app._parsed_command_line(fast)(argv)
    assert fast.cli_config == real.cli_config
    assert fast.config == real.config
    assert (fast.argv, fast.extra_args) == (real.argv, real.extra_args)
    assert fast.connection_file == real.connection_file == "/kernels/slot-1/connection.json"


def test_each_kernel_gets_its_own_connection_file_from_the_one_parse():
    first, second = IPKernelApp(), IPKernelApp()
    kernel_app._parsed_command_line(first)(kernel_app.kernel_argv("/a.json"))
    kernel_app._parsed_command_line(second)(kernel_app.kernel_argv("/b.json"))
    assert (first.connection_file, second.connection_file) == ("/a.json", "/b.json")
    config, _extra = kernel_app.parsed_command_line()
    assert config.IPKernelApp.connection_file == "connection.json"  # the template, untouched
