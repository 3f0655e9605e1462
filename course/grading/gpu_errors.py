"""A hidden test that failed with a GPU error: the instructor is told, since the cause may be the
grading machine (a GPU shared with other work, too little GPU memory for `--jobs`, a driver
fault) rather than the answer.  The score stays what nbgrader gave; the attention list says
which submission and cell, and how to grade it again."""
from __future__ import annotations

import re

# What torch, the CUDA runtime and its libraries say when the GPU, not Python, failed.
GPU_FAILURE = re.compile(
    r"CUDA error|CUDA out of memory|OutOfMemoryError|AcceleratorError|device-side assert|"
    r"CUBLAS_STATUS_\w+|CUDNN_STATUS_\w+|cuDNN error|CUFFT_\w+|NCCL error|HIP error|"
    r"an illegal memory access|unspecified launch failure|misaligned address|"
    r"CUDA driver initialization failed|no kernel image is available|"
    r"Cannot re-initialize CUDA in forked subprocess")

ADVICE = ("if it is not the answer's own doing, grade this student again with fewer --jobs, "
          "or without the GPU (CUDA_VISIBLE_DEVICES= course grade …)")


def reason(cell) -> str | None:
    """Why a failed test cell goes on the attention list, if its error is a GPU failure."""
    for out in cell.get("outputs", []):
        if out.get("output_type") != "error":
            continue
        # the error itself, not the traceback: its context lines quote the answer's source,
        # where a word such as OutOfMemoryError may stand in an `except` clause
        said = re.sub(r"\x1b\[[0-9;]*m", "", f"{out.get('ename', '')}: {out.get('evalue', '')}")
        if GPU_FAILURE.search(said):
            excerpt = " ".join(said.split())[:200]
            return f"this hidden test failed with a GPU error ({excerpt}): {ADVICE}"
    return None
