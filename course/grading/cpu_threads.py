"""How many CPU threads each grading kernel's torch (and numpy) may use.

torch sizes its thread pool to every core it can see, and grading runs one kernel per local
worker at once: `course grade --jobs 16` on 16 cores would start 16 kernels of 16 threads
each, whose parallel operations then fight over the cores (OpenMP's threads spin while they
wait).  So each kernel gets its share, the usable cores divided by the local workers, at
least one: what Dask's nanny already does for the worker processes it starts
(OMP_NUM_THREADS=1, the same three variables).  Where the instructor set any of them, all
three are left as they are: they chose (and torch takes the smallest of OpenMP's and MKL's,
so setting the others would override their choice).  The zygote reads them as it imports
torch, before any kernel is forked.
"""
from __future__ import annotations

import os

VARIABLES = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")


def usable_cpus() -> int:
    """The cores this process may run on (a container's or `taskset`'s limit included): also
    how many local workers grade by default (local_workers.pool_size); os.cpu_count() would be the
    whole machine's.  (A CPU quota, `docker --cpus`, is not seen: give --jobs there.)"""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):  # macOS has no affinity
        return os.cpu_count() or 1


def share(workers: int, env: dict[str, str] | None = None) -> dict[str, str]:
    """The thread settings for the kernels of one of `workers` local workers; none where `env`
    (default: this process's environment) already sets any of them."""
    env = os.environ if env is None else env
    if any(env.get(name) for name in VARIABLES):
        return {}
    threads = str(max(1, usable_cpus() // max(1, workers)))
    return {name: threads for name in VARIABLES}
