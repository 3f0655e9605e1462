"""Scratch folders left by a process killed with SIGKILL are removed by the next one made with
the same prefix; a living process's folder, another program's and a folder being made are not."""
from __future__ import annotations

import os
import signal
import subprocess
import sys

from course.grading import scratch_dirs

HOLD = """
import sys, time
from course.grading import scratch_dirs
print(scratch_dirs.make("course-test-", sys.argv[1]), flush=True)
time.sleep(600)
"""


def held_by_a_process(parent):
    """A process that made a scratch folder in `parent` and lives on; (process, folder)."""
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(parent)], stdout=subprocess.PIPE,
                            text=True)
    return proc, proc.stdout.readline().strip()


def test_the_folder_of_a_killed_process_goes_and_a_living_ones_stays(tmp_path):
    alive, kept = held_by_a_process(tmp_path)
    killed, gone = held_by_a_process(tmp_path)
    try:
        (tmp_path / gone / "source.ipynb").write_text("hidden tests")
        os.kill(killed.pid, signal.SIGKILL)
        killed.wait()
        assert os.path.isdir(gone)  # nothing ran in the killed process
        mine = scratch_dirs.make("course-test-", tmp_path)
        assert not os.path.exists(gone) and not os.path.exists(gone + ".lock")
        assert os.path.isdir(kept) and os.path.exists(kept + ".lock")
        assert mine.is_dir()
        scratch_dirs.remove(mine)
        assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
            [os.path.basename(kept), os.path.basename(kept) + ".lock"])
    finally:
        alive.kill()
        alive.wait()
        killed.kill()
        killed.wait()
    assert scratch_dirs.sweep("course-test-", tmp_path) == [tmp_path / os.path.basename(kept)]
    assert list(tmp_path.iterdir()) == []


def test_folders_without_a_lock_or_with_another_prefix_are_left_alone(tmp_path):
    (tmp_path / "course-test-old").mkdir()  # an older version's, or one being made right now
    (tmp_path / "course-other-x").mkdir()
    (tmp_path / "course-other-x.lock").touch()  # unlocked, but another prefix
    (tmp_path / "course-test-file").write_text("not a folder")
    (tmp_path / "course-test-file.lock").touch()
    mine = scratch_dirs.make("course-test-", tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([
        "course-test-old", "course-other-x", "course-other-x.lock", "course-test-file",
        "course-test-file.lock", mine.name, mine.name + ".lock"])
    scratch_dirs.remove(mine)
    scratch_dirs.remove(mine)  # twice is harmless
    assert not mine.exists() and not (tmp_path / (mine.name + ".lock")).exists()


def test_a_lock_whose_folder_is_gone_is_removed_unless_held(tmp_path):
    (tmp_path / "course-test-gone.lock").touch()  # killed between the folder and its lock
    alive, kept = held_by_a_process(tmp_path)
    try:
        os.rename(kept, kept + "-moved")  # its folder gone, its lock still held
        scratch_dirs.sweep("course-test-", tmp_path)
        assert not (tmp_path / "course-test-gone.lock").exists()
        assert os.path.exists(kept + ".lock")
    finally:
        alive.kill()
        alive.wait()


def test_a_missing_parent_is_no_error(tmp_path):
    assert scratch_dirs.sweep("course-test-", tmp_path / "missing") == []
