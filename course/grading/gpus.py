"""Which of a machine's GPUs a submission's kernel sees.  Every kernel makes its own CUDA
context (a few hundred MB of its GPU's memory); on a machine with several GPUs, kernels that
all took GPU 0 would crowd it while the others idle.  So each kernel is given one GPU
(`CUDA_VISIBLE_DEVICES`, read by CUDA at the kernel's first use), chosen from the student's name:
stable from one grading to the next, and spread evenly over a class.  One GPU, or none:
nothing is chosen, and the kernel sees what the worker sees.

A worker never imports torch to find out (1.5 s of CPU per worker, more than its share of a
whole class's overhead): where the machine has fewer than two GPU device nodes, it has fewer
than two GPUs, and only where it has more is torch asked how many CUDA sees."""
from __future__ import annotations

import functools
import os
import re
import zlib
from pathlib import Path


def device_nodes(dev: Path = Path("/dev")) -> int:
    """How many GPUs this machine's device nodes could stand for (an upper bound): NVIDIA's
    /dev/nvidia0, /dev/nvidia1… (not nvidiactl or nvidia-uvm), and render nodes
    /dev/dri/renderD128… (AMD's; an integrated GPU's too, which at worst makes torch be
    asked).  WSL's /dev/dxg hides how many GPUs are behind it: counted as several."""
    if (dev / "dxg").exists():
        return 2
    return _count(dev, r"nvidia\d+") + _count(dev / "dri", r"renderD\d+")


def _count(folder: Path, pattern: str) -> int:
    try:
        return sum(1 for p in folder.iterdir() if re.fullmatch(pattern, p.name))
    except OSError:
        return 0


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
    if device_nodes() < 2:  # not several GPUs: which one does not matter (torch not asked)
        return ()
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
