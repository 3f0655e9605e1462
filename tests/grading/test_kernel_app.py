"""A forked kernel is configured from the zygote's one parse of the kernels' command line:
it must come out exactly as traitlets' own parse of that command line would make it.  It
sends only the messages grading reads."""
from __future__ import annotations

from queue import Empty

import pytest
from ipykernel.kernelapp import IPKernelApp
from jupyter_client.blocking import BlockingKernelClient

from course import verdict
from course.grading import kernel_app
from course.grading.kernels import WarmKernels


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


@pytest.mark.slow
def test_a_grading_kernel_sends_only_the_messages_grading_reads():
    """No `busy` status, no `execute_input` echo, no status for the guard's control
    requests (before and after a reset, which puts the kernel's snapshot back); each
    request's `idle` status and every output still arrive, in order."""
    warm = WarmKernels([], sandboxed=False)
    client = slot = None
    try:
        slot = warm.take({})
        client = BlockingKernelClient(connection_file=slot.km.connection_file)
        client.load_connection_file()
        client.start_channels()
        client.wait_for_ready(timeout=30)
        drain(client)
        for round_ in range(2):
            run = client.execute("print('oi')")
            guard = client.session.msg(verdict.REQUEST, {"action": "reset", "cell": "",
                                                         "nonce": "n"})
            client.control_channel.send(guard)
            reply = client.control_channel.get_msg(timeout=30)
            assert reply["parent_header"]["msg_id"] == guard["header"]["msg_id"]
            assert reply["msg_type"] == verdict.REPLY
            client.get_shell_msg(timeout=30)
            messages = drain(client)
            text = "".join(m["content"]["text"] for m in messages if m["msg_type"] == "stream")
            assert text == "oi\n", (round_, messages)
            seen = coalesced([(m["msg_type"], m["content"].get("execution_state"),
                               m["parent_header"].get("msg_id")) for m in messages])
            assert seen == [("stream", None, run), ("status", "idle", run)], (round_, seen)
    finally:
        if client is not None:
            client.stop_channels()
        if slot is not None:
            slot.close()
        warm.close()


def coalesced(seen: list[tuple]) -> list[tuple]:
    """One entry per run of equal entries: the kernel may flush one print as two stream
    messages (its flush timer can fall between the text and the newline)."""
    return [entry for i, entry in enumerate(seen) if i == 0 or seen[i - 1] != entry]


def drain(client) -> list[dict]:
    """Every IOPub message until none comes for half a second."""
    got = []
    while True:
        try:
            got.append(client.get_iopub_msg(timeout=0.5))
        except Empty:
            return got
