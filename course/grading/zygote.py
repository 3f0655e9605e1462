"""Kernels forked from a process that has already imported torch, ipykernel and the hidden-test
helpers, so a submission pays neither a Python start nor `import torch` (together ≈2.5 s of
CPU on a small machine, more than most notebooks' own cells).

The zygote (`python -m course.grading.zygote`, inside the bubblewrap sandbox when there is
one) imports the heavy modules and then only forks: each child becomes a fresh IPython kernel
for exactly one submission, in its own session and folder, and is killed afterwards.  Nothing
a student runs happens in the zygote, so every kernel starts from the same clean state
(imported modules are in `sys.modules`, never in the user namespace, exactly as after a cold
start).
The grading side (`Zygote`, and `ZygoteProvisioner`, through which jupyter_client reaches it:
an entry point in pyproject.toml) is in zygote_client.
"""
from __future__ import annotations

import json
import os
import signal
import stat
import sys
import tempfile
from pathlib import Path

from . import disk_use, isolation, kernel_app
from .process_tree import kill_tree

# What every kernel would otherwise import again: torch, the hidden tests, and what
# IPKernelApp.initialize and a first cell import (the debugger alone costs 0.1 s of CPU).
# What only some assignments' kernels import (seaborn and pandas, torch._dynamo for an
# optimizer or torch.func…) is imported on the worker's request, per assignment (see
# grading.preload and Zygote.preload).
PRELOAD = ("torch", "torch.optim", "numpy", "matplotlib", "matplotlib.pyplot",
           "ipykernel.kernelapp", "ipykernel.ipkernel", "ipykernel.zmqshell",
           "ipykernel.debugger", "ipykernel.comm", "ipykernel.eventloops",
           "ipykernel.iostream", "ipykernel.heartbeat",
           "ipykernel.parentpoller", "ipykernel.displayhook", "ipykernel.jsonutil",
           "ipykernel.compiler", "ipykernel.embed", "ipykernel.pickleutil",
           "ipykernel.serialize", "ipykernel.datapub",
           "IPython.core.completer", "IPython.core.history", "IPython.core.magics",
           "IPython.core.display", "IPython.display", "IPython.core.pylabtools",
           "matplotlib_inline.backend_inline", "matplotlib.backends.backend_agg",
           "PIL.PngImagePlugin", "jupyter_client.session", "comm", "debugpy",
           # what IPKernelApp.initialize or a first plot import besides (each a few ms)
           "IPython.core.completerlib", "IPython.core.debugger", "IPython.core.logger",
           "IPython.core.oinspect", "IPython.extensions.storemagic", "sqlite3", "pdb",
           "faulthandler", "tornado.platform.asyncio", "encodings.utf_16_be", "contourpy",
           "torch._subclasses.schema_check_mode", "torch.profiler._cupti_monitor",
           "importlib.readers", "importlib.resources.readers",
           # what the kernel's guard imports at install: imported here, they are in the
           # checks' snapshot already, so a kernel's first reset need not look for new
           # grading-side modules among all of sys.modules (≈ 5 ms per submission)
           "course.checks", "course.lessons", "course.checks.guard", "course.verdict")
PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """SIGKILL this process when the process that forked it dies (a worker killed outright
    takes its zygote, and the zygote its kernels, along)."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def _preload() -> None:
    import importlib

    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    # torch may ask NVML (not the CUDA driver) whether a GPU exists: the zygote must never
    # create a CUDA context, so that every kernel forked from it makes a fresh one of its own.
    os.environ.setdefault("PYTORCH_NVML_BASED_CUDA_CHECK", "1")
    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except Exception:  # a missing optional module only costs its import later
            pass
    kernel_app.parsed_command_line()
    try:  # every lesson's hidden tests, as the hidden-test blocks will import them
        from course.checks import pristine
        from course.lessons import load_checks, slugs
        for slug in slugs():
            load_checks(slug)
        pristine.protect_checks()  # snapshot them too, before any student code runs
    except Exception:
        pass


def _clear_between_students(request: dict) -> None:
    """Leave nothing of one student for the next.  The kernels' folder (writable inside the
    sandbox, and the one folder that outlives a kernel) is emptied but for this zygote's log
    and the new kernel's own folder; in the sandbox, /tmp and /dev/shm too (its kernels share
    them).  A file planted there (a `seaborn.py`, an IPython startup file…) would otherwise be
    read by a later kernel, or by this zygote's next import."""
    base = Path(os.environ.get("COURSE_KERNEL_BASE", "/nonexistent"))
    _tame_log(base / "zygote.log")
    keep = {base / "zygote.log", Path(request.get("cwd") or "/nonexistent").parent}
    folders = [base]
    if os.environ.get("COURSE_SANDBOXED") == "1":
        folders += [Path("/tmp"), Path("/dev/shm")]
    for folder in folders:
        try:
            entries = list(folder.iterdir())
        except OSError:
            continue
        for entry in entries:
            if entry in keep or entry == base or entry in base.parents:
                continue
            try:
                if entry.is_dir() and not entry.is_symlink():
                    disk_use.remove_tree(entry)
                else:
                    entry.unlink()
            except OSError:
                pass


# What of this zygote's log is kept between students (it only ever holds a few warnings).
LOG_KEPT_BYTES = 1 << 20


def _tame_log(log: Path) -> None:
    """The log is the one thing of the kernels' folder kept between students, and a kernel can
    write to it or put something else in its place: a folder of 1 GB there counted against the
    disk limit of every later kernel of this worker (each killed at once).  Only this process's
    own log file is kept (its stderr), and no bigger than LOG_KEPT_BYTES."""
    try:
        info, ours = os.lstat(log), os.fstat(2)
    except OSError:
        return
    try:
        if (info.st_dev, info.st_ino) != (ours.st_dev, ours.st_ino):
            if stat.S_ISDIR(info.st_mode):
                disk_use.remove_tree(log)
            else:
                log.unlink()
        elif max(info.st_size, info.st_blocks * 512) > LOG_KEPT_BYTES:
            os.truncate(log, 0)
            os.lseek(2, 0, os.SEEK_SET)
    except OSError:
        pass


# No file a kernel writes may grow past this (SIGXFSZ ends the kernel, reported as a crash): the
# kernels' folder is on the worker's disk, and a submission filling it would stop the worker.
KERNEL_FILE_LIMIT_MB = 512


def _limit_file_size() -> None:
    import resource

    limit = KERNEL_FILE_LIMIT_MB << 20
    try:
        soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    except (ValueError, OSError):  # a platform without it: the sandbox's tmpfs sizes still hold
        pass


def _child(request: dict, report: int) -> None:
    """Become an IPython kernel (never returns); write the kernel's pid to `report`."""
    try:
        os.setsid()
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        _die_with_parent()
        kernel_pid = isolation.enter_own_pid_namespace()
        if kernel_pid:  # this process only started the namespace's first process
            os.write(report, str(kernel_pid).encode())
            os.close(report)
            try:  # stay its parent, so that the kernel dies with the zygote (below)
                os.waitpid(kernel_pid, 0)
            finally:
                os._exit(0)
        if kernel_pid is None:  # no namespace here: at least adopt every orphan
            isolation.become_subreaper()
            os.write(report, str(os.getpid()).encode())
        else:
            os.setsid()
            _die_with_parent()  # with the process above, which dies with the zygote
        os.close(report)
        key = bytes.fromhex(request.pop("key", "") or os.urandom(32).hex())
        os.environ.update(request["env"])
        tempfile.tempdir = None  # found again from the kernel's own TMPDIR (see kernels.Slot)
        if kernel_pid is None:  # ipykernel exits when this parent goes (never in a namespace)
            os.environ["JPY_PARENT_PID"] = str(os.getppid())
        else:
            os.environ.pop("JPY_PARENT_PID", None)
        os.chdir(request["cwd"])
        log = os.open(request["log"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.dup2(log, 1)
        os.dup2(log, 2)
        _limit_file_size()
        app = kernel_app.initialize(request.pop("connection_file"), request.pop("env"), key)
        del key, request
        app.start()
    finally:
        os._exit(0)


def serve() -> None:
    _die_with_parent()
    _preload()
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped automatically
    isolation.become_subreaper()  # a kernel whose starter exited is still ours to reap
    print(f"ready {os.getpid()} cuda-initialized={int(_cuda_initialized())}", flush=True)
    try:
        _serve_requests()
    finally:  # the grading side is gone: so are its kernels
        kill_tree(os.getpid(), include_root=False)


def _import_more(names: list[str]) -> list[str]:
    """Import what this assignment's kernels will (a request of the grading side, made before
    any kernel of it is forked); the names now imported.  The checks' snapshot is taken again:
    still no submission has run here, and an import may wrap a torch function."""
    import importlib

    from .preload import course_own

    names = [name for name in names if not course_own(name)]
    for name in names:
        try:
            importlib.import_module(name)
        except BaseException:  # a missing module only costs its import in the kernel
            pass
    try:
        from course.checks import pristine

        pristine.snapshot_again()
    except Exception:
        pass
    return [name for name in names if name in sys.modules]


def _cuda_initialized() -> bool:
    torch = sys.modules.get("torch")
    try:
        return bool(torch is not None and torch.cuda.is_initialized())
    except Exception:
        return False


def _serve_requests() -> None:
    for line in sys.stdin:
        request = json.loads(line)
        if "import" in request:
            imported = _import_more(list(request["import"]))
            print(json.dumps({"imported": imported, "cuda_initialized": _cuda_initialized()}),
                  flush=True)
            continue
        _clear_between_students(request)
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(read)
            _child(request, write)
        os.close(write)
        with os.fdopen(read, "rb") as answer:
            text = answer.read().decode() or "0"
        print(json.dumps({"pid": int(text)}), flush=True)


def __getattr__(name: str):
    """The grading side moved to zygote_client; jupyter_client's entry point may still name
    this module (an install made before the move)."""
    if name in ("Zygote", "ZygoteProvisioner", "PROVISIONER", "KERNEL_ENV"):
        from . import zygote_client

        return getattr(zygote_client, name)
    raise AttributeError(name)


if __name__ == "__main__":
    serve()
