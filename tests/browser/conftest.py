"""Fixtures of the browser tests: Debian's Chromium driven by Playwright for Python, and a
JupyterLab server (nbgrader's formgrader inside) standing in a course folder.

What a machine may lack skips these tests with the reason, never fails them: no Chromium at
`$COURSE_CHROMIUM` (default /usr/bin/chromium, Debian's `chromium` package), no `playwright`
module (the `test` extra installs it; it never downloads a browser of its own here), a Chromium
that does not start, or a `jupyter lab` that does not come up.  Everything after that is the
product's, and fails.
"""
from __future__ import annotations

import importlib.util
import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("COURSE_CHROMIUM", "/usr/bin/chromium")
START_TIMEOUT = 120  # seconds for `jupyter lab` to answer (a cold start on a slow CI runner)


@pytest.fixture(scope="session")
def browser():
    """A headless Chromium (Debian's), shared by the session."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (Debian: apt-get install chromium; or set "
                    "$COURSE_CHROMIUM): the browser tests need a real browser")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed (pip install -e '.[test]'): the browser "
                    "tests need it to drive Chromium")
    pw = sync_playwright().start()
    try:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                      args=["--no-sandbox", "--disable-dev-shm-usage"])
    except Exception as e:  # a broken or incompatible browser install: the machine's
        pw.stop()
        pytest.skip(f"Chromium at {CHROMIUM} does not start under Playwright: {e}")
    yield chromium
    chromium.close()
    pw.stop()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    context.set_default_timeout(30_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory) -> Path:
    """Where the screenshots go: $COURSE_SCREENSHOTS, else a temporary folder."""
    env = os.environ.get("COURSE_SCREENSHOTS")
    folder = Path(env) if env else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@dataclass
class Lab:
    url: str  # http://127.0.0.1:PORT, no trailing slash
    token: str
    log: Path

    def log_tail(self, lines: int = 40) -> str:
        text = self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _answers(url: str, token: str) -> bool:
    request = urllib.request.Request(f"{url}/api/status", headers={"Authorization": f"token {token}"})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


@pytest.fixture
def jupyter_lab(tmp_path):
    """`jupyter_lab(folder)` starts JupyterLab (with nbgrader's server extensions, as installed)
    in `folder`, on a free loopback port, with a token, no browser, and the user's own Jupyter
    settings kept out; it returns a `Lab`.  The server is stopped when the test ends."""
    started: list[tuple[subprocess.Popen, object]] = []

    def start(folder: Path) -> Lab:
        if importlib.util.find_spec("jupyterlab") is None:
            pytest.skip("jupyterlab is not installed: formgrader cannot be served")
        token = secrets.token_hex(16)
        config = tmp_path / "jupyter-config"  # no ~/.jupyter: no nbgrader_config.py from there
        (config / "labconfig").mkdir(parents=True, exist_ok=True)
        # JupyterLab's "get notified about Jupyter news?" toast covers the formgrader panel
        (config / "labconfig" / "page_config.json").write_text(json.dumps(
            {"disabledExtensions": {"@jupyterlab/apputils-extension:announcements": True}}))
        runtime = tmp_path / "jupyter-runtime"
        runtime.mkdir(exist_ok=True)
        env = {**os.environ, "JUPYTER_CONFIG_DIR": str(config),
               "JUPYTER_RUNTIME_DIR": str(runtime),
               "PATH": str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")}
        log = tmp_path / "jupyter-lab.log"
        out = log.open("wb")
        # cwd is the course folder: formgrader reads ./nbgrader_config.py there, whose
        # CourseDirectory.root is that same folder (the server's root_dir)
        proc = subprocess.Popen(
            [sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root",
             "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={_free_port()}",
             f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={folder}",
             "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
            cwd=folder, env=env, stdin=subprocess.DEVNULL, stdout=out,
            stderr=subprocess.STDOUT)
        started.append((proc, out))
        deadline = time.monotonic() + START_TIMEOUT
        info = runtime / f"jpserver-{proc.pid}.json"  # the port it really took (port_retries)
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                pytest.skip(f"jupyter lab exited with {proc.returncode} before answering:\n"
                            + Lab("", token, log).log_tail())
            if info.exists():
                try:
                    url = f"http://127.0.0.1:{json.loads(info.read_text())['port']}"
                except (ValueError, KeyError):
                    url = None  # being written
                if url and _answers(url, token):
                    return Lab(url, token, log)
            time.sleep(0.25)
        pytest.skip(f"jupyter lab did not answer within {START_TIMEOUT} s:\n"
                    + Lab("", token, log).log_tail())

    yield start
    for proc, out in started:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)
        out.close()
