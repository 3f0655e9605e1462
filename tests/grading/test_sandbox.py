"""The sandbox argv: private material hidden, and what the kernel needs to run kept visible even
when the checkout and its venv live under /tmp (which the sandbox replaces with an empty tmpfs)."""
from __future__ import annotations

import sys

from course.grading import sandbox


def test_private_folders_hidden_and_tmp_checkout_kept(tmp_path, monkeypatch):
    root = tmp_path / "course"
    for rel in ("source", "submitted", "autograded"):
        (root / rel).mkdir(parents=True)
    lesson = root / "course" / "lessons" / "01_x"
    lesson.mkdir(parents=True)
    for name in ("lesson.py", "answers.py", "checks.py", "mistakes.py"):
        (lesson / name).write_text("# " + name)
    (root / "gradebook.db").write_text("secret")
    venv = tmp_path / "venv"
    venv.mkdir()
    monkeypatch.setattr(sys, "prefix", str(venv))
    borrowed = tmp_path / "other-venv" / "lib" / "site-packages"  # added by a .pth file
    borrowed.mkdir(parents=True)
    monkeypatch.setattr(sys, "path", sys.path + [str(borrowed), str(tmp_path)])
    monkeypatch.setattr(sandbox, "PACKAGE_DIR", root / "course")
    argv = sandbox.prefix(root, [tmp_path / "slots"], tmp_path / "slots")
    joined = " ".join(argv)
    assert "--unshare-net" in argv and "--tmpfs /tmp" in joined
    after_tmp = joined.split("--tmpfs /tmp", 1)[1]
    assert f"--ro-bind {venv.resolve()} {venv.resolve()}" in after_tmp
    assert f"--ro-bind {root.resolve()} {root.resolve()}" in after_tmp
    assert f"--ro-bind {borrowed.resolve()} {borrowed.resolve()}" in after_tmp
    assert f"--ro-bind {tmp_path.resolve()} " not in joined  # not every sys.path entry
    for rel in ("source", "submitted", "autograded"):
        hidden = f"--tmpfs {(root / rel).resolve()}"
        assert hidden in joined
        # hidden after the checkout was bound back, so the tmpfs wins
        assert joined.index(hidden) > joined.index(f"--ro-bind {root.resolve()}")
    for private in ("lesson.py", "answers.py"):  # solutions and wrong answers
        assert f"--ro-bind /dev/null {lesson / private}" in joined
    for needed in ("checks.py", "mistakes.py"):  # what the hidden tests import
        assert str(lesson / needed) not in joined
    assert f"--ro-bind /dev/null {(root / 'gradebook.db').resolve()}" in joined
    assert argv[-2:] == ["--chdir", str(tmp_path / "slots")]
