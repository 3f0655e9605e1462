"""Which of a machine's GPUs a submission's kernel sees.  Every kernel makes its own CUDA
context (a few hundred MB of its GPU's memory); on a machine with several GPUs, kernels that
all took GPU 0 would crowd it while the others idle.  So each kernel is given one GPU
(`CUDA_VISIBLE_DEVICES`, read by CUDA at the kernel's first use), chosen from the student's name:
stable from one grading to the next, and spread evenly over a class.  One GPU, or none:
nothing is chosen, and the kernel sees what the worker sees."""
from __future__ import annotations

import functools
import os
import zlib


@functools.cache
def visible() -> tuple[str, ...]:
    """This worker's GPUs, as CUDA_VISIBLE_DEVICES names them (indices or UUIDs)."""
    listed = os.environ.get("CUDA_VISIBLE_DEVICES")
    if listed is not None:
        names: list[str] = []
        for name in (n.strip() for n in listed.split(",")):
            if not name or name.startswith("-"):  # CUDA stops at the first invalid entry
                break
            names.append(name)
        return tuple(names)
    try:
        import torch

        count = torch.cuda.device_count()  # asks NVML: no CUDA context in this process
    except Exception:
        return ()
    return tuple(str(i) for i in range(count))


def for_student(student: str) -> str | None:
    """The GPU `student`'s kernel is to see, or None (fewer than two GPUs here)."""
    gpus = visible()
    if len(gpus) < 2:
        return None
    return gpus[zlib.crc32(student.encode("utf-8")) % len(gpus)]
