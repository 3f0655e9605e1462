"""nbgrader's own feedback (formgrader's "Generate Feedback" button, `nbgrader
generate_feedback`) without the hidden tests.

nbgrader renders the autograded notebook as it is, hidden-test blocks included.  The course's
`nbgrader_config.py` adds this preprocessor to `GenerateFeedback.preprocessors`, so whichever
button is pressed the page shows each test cell's visible checks only, and errors as their one-
line message (a traceback would quote the hidden lines and the checks' code).  `course feedback`
writes the course's own, richer page; this makes the other one safe.
"""
from __future__ import annotations

from nbconvert.preprocessors import Preprocessor
from traitlets import Bool

from ..cells import HIDDEN_MARKERS, role, strip_markers

NOTE = "# (hidden tests: not shown)"


class HideHiddenTests(Preprocessor):
    enabled = Bool(True, help="nbconvert skips preprocessors not enabled").tag(config=True)

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "code" and role(cell) == "test":
            if any(line.strip() == HIDDEN_MARKERS[0] for line in cell.source.splitlines()):
                cell.source = (strip_markers(cell.source, HIDDEN_MARKERS).rstrip() + "\n" + NOTE
                               ).lstrip("\n")
            for out in cell.get("outputs", []):
                if out.get("output_type") == "error":
                    out["traceback"] = [f"{out.get('ename', 'Error')}: {out.get('evalue', '')}"]
        return cell, resources
