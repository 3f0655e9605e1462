"""The grading side's client of one kernel: ready as soon as the kernel is, deaf to any
message over the limit, and the wait for one request's reply (used by the kernel guard's
protocol and the hang probe).  `kernels` gives it to the kernel manager of every slot."""
from __future__ import annotations

import time
from queue import Empty

import zmq
from jupyter_client.asynchronous import AsyncKernelClient


async def reply_to(channel, msg_id: str, seconds: float) -> dict | None:
    """The message on `channel` answering `msg_id`, waited for `seconds` at most (others
    are skipped); None when none came."""
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        try:
            msg = await channel.get_msg(timeout=left)
        except Empty:
            return None
        if msg.get("parent_header", {}).get("msg_id") == msg_id:
            return msg
    return None


class ReadyClient(AsyncKernelClient):
    """jupyter_client's kernel client, ready as soon as the kernel is.

    Its `wait_for_ready` asks kernel_info, checks that IOPub is connected (a message arrives
    on it), then flushes IOPub until 0.2 s pass without a message: every kernel start costs
    0.2–0.4 s of waiting, as much as a short notebook's cells.  This one does the same checks
    but stops flushing at the `idle` status of its own last kernel_info request, after which
    IOPub holds nothing older (a kernel publishes in order).

    It also never receives a message frame larger than its kernel manager's
    `message_limit_bytes` (0: no limit).  A student cell can print hundreds of MB at once
    (`print("x" * 300_000_000)`): jupyter_client would receive the whole frame, then decode it
    (a 300 MB message took a grading process from 131 MB to 990 MB), before WarmExecute could
    truncate the output, and several workers could take the machine down with the run.  The cap
    is libzmq's own MAXMSGSIZE, a default of this client's context, so it covers every channel,
    heartbeat included: libzmq reads a frame's size from its header and drops the connection
    instead of reading the frame.  It is here, on the grading side, because everything on the
    kernel's side (its OutStream, its sockets) is the student's to undo; no kernel-side cut is
    added either: the kernel's OutStream sends what was written in 0.2 s as one message, so a
    cut per write would not bound it (an honest cell that prints that much at once loses its
    kernel and its cell, where it lost its output only).  A dropped connection is a protocol
    error, after which libzmq never reconnects: the channel hears nothing more from this
    kernel.  `refused()` says so (a monitor of the socket saw it disconnected) and `is_alive`
    then answers False, so nbclient stops waiting for the cell within a second, as for a dead
    kernel; WarmExecute kills the kernel and records the limit."""

    def _context_default(self) -> zmq.asyncio.Context:
        context = super()._context_default()
        limit = getattr(self.parent, "message_limit_bytes", 0)
        if limit:
            context.setsockopt(zmq.MAXMSGSIZE, limit)
        return context

    def _create_connected_socket(self, channel: str, identity: bytes | None = None):
        sock = super()._create_connected_socket(channel, identity)
        if getattr(self.parent, "message_limit_bytes", 0):
            self._monitors = getattr(self, "_monitors", []) + [
                sock.get_monitor_socket(zmq.EVENT_DISCONNECTED)]
        return sock

    def refused(self) -> bool:
        """Did a channel drop its connection (a message over the limit, or a kernel that
        closed its socket or exited)?  The monitors keep the event unread: the answer stays."""
        return any(m.getsockopt(zmq.EVENTS) & zmq.POLLIN
                   for m in getattr(self, "_monitors", []) if not m.closed)

    async def _async_is_alive(self) -> bool:
        return not self.refused() and await super()._async_is_alive()

    def stop_channels(self) -> None:
        """Close the monitors with the channels: each holds a socket, and a worker starts a
        kernel (and a client) per submission."""
        super().stop_channels()
        for monitor in getattr(self, "_monitors", []):
            monitor.close(linger=0)
        self._monitors = []

    is_alive = _async_is_alive

    async def wait_for_ready(self, timeout: float | None = None) -> None:
        deadline = time.monotonic() + (float("inf") if timeout is None else timeout)
        while True:
            request = self.kernel_info()
            connected = False
            try:
                reply = await self.shell_channel.get_msg(timeout=1)
            except Empty:
                reply = None
            if reply is not None and reply["msg_type"] == "kernel_info_reply":
                try:  # IOPub connected: the status messages of the request arrive
                    while True:
                        msg = await self.iopub_channel.get_msg(timeout=0.2)
                        connected = True
                        if (msg["msg_type"] == "status"
                                and msg["content"].get("execution_state") == "idle"
                                and msg["parent_header"].get("msg_id") == request):
                            self._handle_kernel_info_reply(reply)
                            return
                except Empty:
                    if connected:  # connected, yet no idle status: nothing older is left
                        self._handle_kernel_info_reply(reply)
                        return
            if not await self._async_is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout:g} seconds")
