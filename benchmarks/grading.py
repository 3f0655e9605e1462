"""Plain `nbgrader autograde` against `course grade` on the same synthetic class.

Builds a class of N submissions per assignment (reference answers, every wrong and alternative
answer from each lesson's answers.py, blank notebooks, and adversarial ones that plain nbgrader
can also grade: monkeypatching, heavy printing), grades it once with each engine in separate
scratch courses, checks that every cell's score is identical, and prints one table:

  plain s/sub    plain nbgrader, seconds per submission (one at a time, as nbgrader does)
  course s/sub   `course grade` with --jobs workers (figures not rendered, its default)
  ratio          plain / course
  cells s/sub    the notebooks' own cells: kernel time per submission, the floor
  ovh wall       jobs × course s/sub − cells: core-seconds per submission above the floor,
                 counting every idle moment of every worker (the issue's measure)
  ovh cpu        CPU actually used per submission (this process, the workers, their zygotes
                 and kernels, worker start-up included: each process's own CPU counters) − cells
  ovh task       the same per submission once workers are up (start-up excluded)
  warm s/sub     the same class graded again by the same workers (`warm_workers`, as in
                 `course grade A B …`: no start-up)
  ovh warm       jobs × warm s/sub − that run's cells: the issue's measure without start-up
  identical      every cell's score equal under both engines (course: fresh and warm runs)

`--regrade` instead times what a teacher waits for when nothing changed: `course grade` of a
class, then `course grade` again (every submission unchanged, so every one is skipped).

`--cluster` instead grades the class on a Dask cluster on the loopback (a scheduler and 1,
then 2 workers started with `dask worker`), and reports throughput and scaling efficiency.

`--run` instead grades every given assignment in one course folder, in one run, as
`course grade A B …` does: once with each assignment graded in turn by the same workers,
once with the next assignment's submissions sent ahead (`grade.ahead`), and reports both
times and whether every score is identical.

    .venv/bin/python benchmarks/grading.py [--assignment 01_graph_pt ...] [--n 30] [--jobs 2]
    .venv/bin/python benchmarks/grading.py --regrade [--assignment 01_graph_pt] [--n 30]
    .venv/bin/python benchmarks/grading.py --cluster [--assignment 01_graph_pt] [--n 16]
    .venv/bin/python benchmarks/grading.py --run [--assignment 01_graph_pt ...] [--n 3]
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["PATH"] = str(Path(sys.executable).parent) + os.pathsep + os.environ["PATH"]
warnings.filterwarnings("ignore", message=".*not in session.*")

from course.authoring import build  # noqa: E402
from course.authoring.lesson_format import read_all  # noqa: E402
from course.course_folder import all_assignments  # noqa: E402
from course.grading import grade  # noqa: E402
from course.grading.engine import grade_all, warm_workers  # noqa: E402
from course.grading.runner import own_cpu  # noqa: E402
from synthetic_class import make_course, scores, the_class  # noqa: E402

def cpu_now() -> float:
    """CPU of this process and of every child it has waited for (workers, their zygotes)."""
    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        r = resource.getrusage(who)
        total += r.ru_utime + r.ru_stime
    return total


def compare(args, files, work: Path) -> int:
    rows, status = [], 0
    for assignment in args.assignment:
        subs = the_class(assignment, files, args.n)
        n = len(subs)
        plain_root = make_course(work / f"{assignment}-plain", assignment, files, subs)
        fast_root = make_course(work / f"{assignment}-fast", assignment, files, subs)

        t0, c0 = time.perf_counter(), cpu_now()
        _rows, plain_failed = grade.grade(plain_root, assignment, engine="nbgrader")
        plain_s, plain_cpu = time.perf_counter() - t0, cpu_now() - c0

        how = dict(jobs=args.jobs, progress=False, figures=args.figures)
        t0, c0 = time.perf_counter(), own_cpu()
        with warm_workers():  # (kept for the warm run below; their shutdown is timed too)
            outcomes = grade_all(fast_root, assignment, assignment[-2:], sorted(subs), **how)
            fast_s = time.perf_counter() - t0
            # this process + every worker's tasks (its own CPU, zygote forks, kernels) + starts
            fast_cpu = own_cpu() - c0 + sum(o.cpu_seconds + o.startup_cpu for o in outcomes)
            fast = scores(fast_root, assignment)
            t1 = time.perf_counter()  # the same class again, by the same (warm) workers
            again = grade_all(fast_root, assignment, assignment[-2:], sorted(subs), **how)
            warm_s = time.perf_counter() - t1
            t2 = time.perf_counter()
        fast_s += time.perf_counter() - t2  # shutting the workers down, as a fresh run does
        cells = sum(o.cell_seconds for o in outcomes) / n
        warm_cells = sum(o.cell_seconds for o in again) / n
        task_cpu = sum(o.cpu_seconds + o.record_cpu for o in outcomes) / n
        plain, warm = scores(plain_root, assignment), scores(fast_root, assignment)
        diffs = [s for s in subs if not plain.get(s) == fast.get(s) == warm.get(s)]
        failed = sum(not o.success for o in outcomes + again)
        row = dict(assignment=assignment, n=n, plain=plain_s / n, fast=fast_s / n,
                   ratio=plain_s / fast_s, cells=cells,
                   ovh_wall=args.jobs * fast_s / n - cells,
                   ovh_cpu=fast_cpu / n - cells, ovh_task=task_cpu - cells,
                   ovh_warm=args.jobs * warm_s / n - warm_cells, warm=warm_s / n,
                   plain_cpu=plain_cpu / n, identical=not diffs,
                   note=(f"{len(plain_failed)}/{failed} not graded" if plain_failed or failed
                         else ""))
        rows.append(row)
        print(f"{assignment}: plain {row['plain']:.2f} s/sub, course {row['fast']:.2f} s/sub "
              f"({row['ratio']:.2f}x), cells {cells:.2f}, overhead wall {row['ovh_wall']:.2f} "
              f"cpu {row['ovh_cpu']:.2f} task {row['ovh_task']:.2f} warm "
              f"{row['ovh_warm']:.2f} core-s/sub, identical "
              f"{'yes' if not diffs else 'NO: ' + ', '.join(diffs)}", flush=True)
        status |= bool(diffs)
        shutil.rmtree(work / f"{assignment}-plain", ignore_errors=True)
        shutil.rmtree(work / f"{assignment}-fast", ignore_errors=True)
    print(f"\n{args.n} submissions per assignment, {args.jobs} workers, {os.cpu_count()} cores; "
          "seconds per submission; overheads in core-seconds per submission above the cells\n")
    print("| assignment | plain s/sub | course s/sub | ratio | cells s/sub | ovh wall | ovh cpu "
          "| ovh task | warm s/sub | ovh warm | identical |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for r in rows:
        print(f"| {r['assignment']} | {r['plain']:.2f} | {r['fast']:.2f} | {r['ratio']:.2f}× | "
              f"{r['cells']:.2f} | {r['ovh_wall']:.2f} | {r['ovh_cpu']:.2f} | "
              f"{r['ovh_task']:.2f} | {r['warm']:.2f} | {r['ovh_warm']:.2f} | "
              f"{'yes' if r['identical'] else 'NO'}"
              f"{' (' + r['note'] + ')' if r['note'] else ''} |")
    return status


def cluster(args, files, work: Path) -> int:
    """Throughput on a loopback Dask cluster with 1, then 2 workers."""
    from course.grading.loopback import LoopbackCluster

    status = 0
    print("| assignment | n | 1 worker: sub/s | 2 workers: sub/s | scaling efficiency | "
          "identical to local |")
    print("|---|---:|---:|---:|---:|---|")
    for assignment in args.assignment:
        subs = the_class(assignment, files, args.n)
        local = make_course(work / f"{assignment}-local", assignment, files, subs)
        grade_all(local, assignment, assignment[-2:], sorted(subs), jobs=args.jobs,
                  progress=False)
        expected = scores(local, assignment)
        rate, same = {}, True
        for k in (1, 2):
            root = make_course(work / f"{assignment}-cluster{k}", assignment, files, subs)
            with LoopbackCluster(k) as lc:
                lc.wait_ready()
                # one submission first: each worker prepares the assignment once
                grade_all(root, assignment, assignment[-2:], sorted(subs)[:k],
                          progress=False, cluster=lc.address)
                t0 = time.perf_counter()
                grade_all(root, assignment, assignment[-2:], sorted(subs), progress=False,
                          cluster=lc.address)
                rate[k] = len(subs) / (time.perf_counter() - t0)
            same &= scores(root, assignment) == expected
        status |= not same
        print(f"| {assignment} | {len(subs)} | {rate[1]:.2f} | {rate[2]:.2f} | "
              f"{rate[2] / (2 * rate[1]):.0%} | {'yes' if same else 'NO'} |", flush=True)
    return status


def run(args, files, work: Path) -> int:
    """Several assignments in one run, in turn, then with the next one sent ahead."""
    took, got = {}, {}
    for ahead in (False, True):
        root = work / f"run-{ahead}"
        course = None
        for assignment in args.assignment:
            course = make_course(root, assignment, files,
                                 the_class(assignment, files, args.n), course)
        t0 = time.perf_counter()
        with warm_workers():
            for i, assignment in enumerate(args.assignment):
                if ahead:
                    grade.ahead_of(course, args.assignment, i, jobs=args.jobs, force=True)
                grade.grade(course, assignment, jobs=args.jobs, progress=False, force=True)
        took[ahead] = time.perf_counter() - t0
        got[ahead] = {a: scores(course, a) for a in args.assignment}
        shutil.rmtree(root, ignore_errors=True)
    same = got[False] == got[True] and all(len(v) == args.n for v in got[True].values())
    print("| assignments | n each | in turn s | next sent ahead s | gain | identical |")
    print("|---:|---:|---:|---:|---:|---|")
    print(f"| {len(args.assignment)} | {args.n} | {took[False]:.1f} | {took[True]:.1f} | "
          f"{1 - took[True] / took[False]:.0%} | {'yes' if same else 'NO'} |", flush=True)
    return 0 if same else 1


def regrade(args, files, work: Path) -> int:
    """`course grade` of a class, then again with nothing changed: the second skips everyone."""
    print("| assignment | n | first grading s | re-grade, unchanged s | graded again |")
    print("|---|---:|---:|---:|---:|")
    status = 0
    for assignment in args.assignment:
        subs = the_class(assignment, files, args.n)
        root = make_course(work / f"{assignment}-regrade", assignment, files, subs)
        t0 = time.perf_counter()
        grade.grade(root, assignment, jobs=args.jobs, progress=False)
        first = time.perf_counter() - t0
        before = scores(root, assignment)
        todo, _skipped = grade.to_grade(root, assignment)
        t0 = time.perf_counter()
        grade.grade(root, assignment, jobs=args.jobs, progress=False)
        again = time.perf_counter() - t0
        status |= bool(todo) or scores(root, assignment) != before
        print(f"| {assignment} | {len(subs)} | {first:.1f} | {again:.2f} | {len(todo)} |",
              flush=True)
        shutil.rmtree(work / f"{assignment}-regrade", ignore_errors=True)
    return status


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--assignment", nargs="*", default=None,
                   help="default: every assignment (--cluster: 01_graph_pt)")
    p.add_argument("--n", type=int, default=None, help="submissions per assignment "
                   "(default 30; --cluster: 16)")
    p.add_argument("--jobs", type=int, default=os.cpu_count())
    p.add_argument("--figures", action="store_true", help="course grade renders figures too")
    p.add_argument("--regrade", action="store_true", help="time a re-grade of an unchanged "
                   "class")
    p.add_argument("--cluster", action="store_true", help="throughput on a loopback Dask "
                   "cluster with 1 and 2 workers")
    p.add_argument("--run", action="store_true", help="several assignments in one run: in "
                   "turn, then with the next one sent ahead")
    args = p.parse_args()
    if args.assignment is None:
        args.assignment = (["01_graph_pt"] if args.cluster or args.regrade
                           else [a.name for a in all_assignments()])
    args.n = args.n or (16 if args.cluster else 3 if args.run else 30)
    lessons = {l.slug: l for l in read_all()}
    files = build.build_all(list(lessons.values()))
    work = Path(tempfile.mkdtemp(prefix="bench-", dir=ROOT / "build" if (ROOT / "build").exists() else None))
    try:
        if args.regrade:
            return regrade(args, files, work)
        if args.run:
            return run(args, files, work)
        return cluster(args, files, work) if args.cluster else compare(args, files, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
