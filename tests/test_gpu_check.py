"""scripts/gpu_check.sh, the one command for the checks that need a GPU: without one it says so
and fails (exit 1) instead of reporting checks that never ran as passed."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import torch

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.skipif(torch.cuda.is_available(), reason="a GPU is here: run the script itself")
def test_without_a_gpu_the_script_fails_and_says_why(tmp_path):
    env = dict(os.environ, PYTHON=sys.executable, OUT=str(tmp_path / "out"),
               PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    done = subprocess.run(["bash", str(ROOT / "scripts" / "gpu_check.sh")], env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 1, done.stdout + done.stderr
    summary = (tmp_path / "out" / "summary.txt").read_text()
    assert "no CUDA GPU here" in summary and "passed" not in summary
    assert "sandbox" in (tmp_path / "out" / "device.txt").read_text()

