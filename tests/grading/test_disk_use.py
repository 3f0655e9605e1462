"""What the watchdog's disk limit counts: blocks really held, each hard link once, and a walk
that stops at its entry budget (a million tiny files cost no more than the budget)."""
from __future__ import annotations

import os

from course.grading.disk_use import folder_usage, over_limit


def test_blocks_are_counted_once_per_file_and_a_sparse_file_as_what_it_holds(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "data").write_bytes(os.urandom(3 << 20))
    os.link(tmp_path / "sub" / "data", tmp_path / "again")
    with open(tmp_path / "sparse", "wb") as f:
        f.truncate(100 << 20)
    usage = folder_usage(tmp_path, 100)
    assert 3 << 20 <= usage.bytes < 4 << 20
    assert usage.entries == 4 and not usage.truncated


def test_the_walk_stops_at_its_budget(tmp_path):
    for i in range(30):
        (tmp_path / str(i)).touch()
    usage = folder_usage(tmp_path, 10)
    assert usage.truncated and usage.entries == 11
    assert over_limit(tmp_path, 1, 10) == "more than 10 files written in the kernel's folder"
    assert over_limit(tmp_path, 1, 100) is None


def test_over_the_size_limit_says_so(tmp_path):
    (tmp_path / "big").write_bytes(os.urandom(2 << 20))
    assert over_limit(tmp_path, 1, 100) == "disk limit of 1 MB for the kernel's folder exceeded"
    assert over_limit(tmp_path, 3, 100) is None
    assert folder_usage(tmp_path / "missing", 10).bytes == 0
