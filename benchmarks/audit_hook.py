"""Nanoseconds per audit event that the grading kernel's hooks (code_lock, introspection_lock)
add: every audit event of the kernel (each import, open, exec, compile…) goes through them.

    .venv/bin/python benchmarks/audit_hook.py

Each figure is measured in a fresh interpreter, the best of 11 runs, minus the same loop with no
hook at all: an event no hook watches (`sys.audit("bench.event")`, the common case), and
`sys._getframe()` asked by a library's code (a watched event the lock lets through).
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
N = 500_000

SCRIPT = f'''
import json, os, sys, sysconfig, timeit
LIB = os.path.join(sysconfig.get_paths()["stdlib"], "bench_library.py")
ns = {{"sys": sys}}
exec(compile("def frame():\\n    return sys._getframe()\\n", LIB, "exec"), ns)
if sys.argv[1] == "locked":
    from course.checks import code_lock, introspection_lock
    code_lock.install()
    introspection_lock.enforce()
audit, frame = sys.audit, ns["frame"]
out = {{}}
for name, fn in (("unwatched", lambda: audit("bench.event")), ("library_frame", frame)):
    out[name] = min(timeit.repeat(fn, number={N}, repeat=11)) / {N} * 1e9
print(json.dumps(out))
'''


def measure(mode: str) -> dict:
    run = subprocess.run([sys.executable, "-c", SCRIPT, mode], capture_output=True, text=True,
                         check=True, cwd=ROOT)
    return json.loads(run.stdout.strip().splitlines()[-1])


def main() -> int:
    bare, locked = measure("bare"), measure("locked")
    for name in bare:
        print(f"{name:14s} no hook {bare[name]:7.1f} ns   hooks {locked[name]:7.1f} ns   "
              f"cost {locked[name] - bare[name]:7.1f} ns/event")
    return 0


if __name__ == "__main__":
    sys.exit(main())
