"""The grading side of the kernel guard's protocol (checks.guard): before every hidden test,
ask it to reset what the submission changed; after it, ask whether the block ran to its end.

Replies travel on the kernel's control channel and count only when signed with the kernel's
key (`verdict.token`): a submission can block or replace the channel, never forge a pass.  A
missing or unsigned answer makes the test cell score 0 with `NotGraded`, and the instructor
is told why (an `Incident`).  Mixed into WarmExecute, which holds the kernel client (`kc`),
the kernel's slot (its key), the `guard_timeout` setting and `_incident`.
"""
from __future__ import annotations

import hmac
import secrets

from jupyter_core.utils import run_sync
from nbformat import NotebookNode

from ... import verdict
from ...cells import grade_id, role
from ...i18n import _
from ..kernel_client import reply_to

# What the student reads in the test cell (and on the feedback page) when the verdict is missing.
NOT_GRADED = {
    "pt": ("Este teste não foi avaliado: o código enviado alterou, pulou ou silenciou o teste "
           "oculto desta célula. A célula vale 0 e o professor foi avisado."),
    "es": ("Esta prueba no fue evaluada: el código entregado alteró, saltó o silenció la prueba "
           "oculta de esta celda. La celda vale 0 y el profesor fue avisado."),
}



def error_output(ename: str, evalue: str) -> NotebookNode:
    """An error output as nbclient writes one (nbgrader scores a cell holding one 0)."""
    return NotebookNode(output_type="error", ename=ename, evalue=evalue,
                        traceback=[f"{ename}: {evalue}"])


class GuardTalk:
    """Reset and verdict requests to the kernel's guard (see the module docstring)."""

    def _ask_guard(self, action: str, cell) -> dict | None:
        """The guard's reply if it is genuine (signed with this kernel's key), else None."""
        nonce = secrets.token_hex(16)
        cell_id = grade_id(cell) or ""

        async def ask():
            msg = self.kc.session.msg(verdict.REQUEST, {"action": action, "cell": cell_id,
                                                      "nonce": nonce})
            self.kc.control_channel.send(msg)
            reply = await reply_to(self.kc.control_channel, msg["header"]["msg_id"],
                                   self.guard_timeout)
            return None if reply is None else reply.get("content") or {}

        try:
            content = run_sync(ask)()
        except Exception:
            return None
        if content is None:
            return None
        parts = [action, cell_id, nonce] + ([int(content.get("passed") is True)]
                                            if action == "verdict" else [])
        if not hmac.compare_digest(str(content.get("token", "")), verdict.token(self._slot.key,
                                                                              *parts)):
            return None
        return content

    def _reset(self, cell) -> bool:
        reply = self._ask_guard("reset", cell)
        if reply is None:
            self._not_graded(cell, "the kernel's guard did not answer the reset before this "
                             "hidden test (its control channel was replaced or blocked)")
            return False
        changed = _listed(reply)
        if changed:
            self._incident("restored", cell, f"the submission had changed {changed}; restored "
                           "before this hidden test")
        return True

    def _undone_in_block(self, cell, reply) -> None:
        """What the hidden-test block's own first line undid (per-thread state the reset, on
        the control thread, cannot see: see pristine.found_in_block)."""
        changed = _listed(reply)
        if changed:
            self._incident("restored", cell, f"the submission had left {changed} active; "
                           "undone at the start of this hidden test")

    def _verdict(self, cell) -> None:
        reply = self._ask_guard("verdict", cell)
        self._undone_in_block(cell, reply)
        if reply is None:
            why = "the kernel's guard gave no genuine verdict for this hidden test"
        elif reply.get("passed") is not True:
            why = reply.get("why") if isinstance(reply.get("why"), str) else (
                "the hidden test did not run to its end, yet the cell showed no error: the "
                "submission rewrote, skipped or silenced it")
        else:
            return
        self._not_graded(cell, why)

    def _why_failed(self, cell) -> None:
        """A hidden test that failed scores 0 anyway; if the guard refused something of the
        submission's during it (a frame asked for, a grading function's code rewritten), the
        instructor is told, on this cell."""
        reply = self._ask_guard("verdict", cell)
        self._undone_in_block(cell, reply)
        if reply is not None and isinstance(reply.get("why"), str):
            self._incident("tampered", cell, reply["why"])

    def _not_graded(self, cell, why: str) -> None:
        """The test cell scores 0, with a reason for the instructor and the student."""
        self._incident("tampered", cell, why)
        said = NOT_GRADED.get(self._lang, NOT_GRADED["pt"])
        cell.outputs.append(error_output("NotGraded", said))

    def _no_score_in_results(self, nb) -> None:
        """nbgrader reads a test cell's first `execute_result` as its score (partial credit),
        even when an error follows it.  The course's test cells end in a call that returns
        None, so a result there is the submission's own (`sys.displayhook(2.0)` called by the
        answer while its hidden test ran, then the test failed: full marks).  It stays
        visible as a display, which nbgrader never reads as a score, and the instructor is
        told.  Done once the notebook has run, whatever ended each cell (a crash, a timeout)."""
        for cell in nb.cells:
            if cell.cell_type != "code" or role(cell) != "test":
                continue
            results = [out for out in cell.get("outputs", [])
                       if out.get("output_type") == "execute_result"]
            for out in results:
                out["output_type"] = "display_data"
                out.pop("execution_count", None)
            if results:
                self._incident("tampered", cell, _(
                    "the test cell showed a value as its result, which nbgrader would have "
                    "read as the cell's score; it was kept as plain output and not counted"))


def _listed(reply: dict | None, most: int = 12) -> str:
    """What a guard's reply says it undid, as one list for the record ('' for nothing)."""
    changed = [str(c) for c in (reply or {}).get("changed") or []]
    return ", ".join(changed[:most]) + (" …" if len(changed) > most else "")
