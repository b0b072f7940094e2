"""The app's server as a child process on a free loopback port, and headless Chromium to drive it:
the one harness for the tests (``tests/conftest.py``) and the benchmarks (``bench/``).

Nothing in the app imports this module; it imports nothing of the app (the server is
``streamlit run app.py`` in its own process), and Playwright only inside ``chromium``."""
from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("RELU_LAB_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
READY = '[data-testid="stApp"][data-test-script-state="notRunning"]'


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerDidNotStart(RuntimeError):
    pass


class Server:
    """A running ``streamlit run``: its base ``url``, ``process`` and ``log`` (stdout and stderr)."""

    def __init__(self, url: str, process: subprocess.Popen, log):
        self.url, self.process, self._log = url, process, log

    def log(self) -> str:
        self._log.flush()
        self._log.seek(0)
        return self._log.read()

    def memory(self) -> int:
        """Memory in bytes of the server and every process below it (its workers): the sum of
        their proportional set sizes (a page shared by n processes counts 1/n in each)."""
        return sum(_pss(pid) for pid in [self.process.pid, *descendants(self.process.pid)])

    def stop(self, timeout: float = 10) -> int:
        """SIGTERM, then SIGKILL after ``timeout`` s; the exit status."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode


@contextlib.contextmanager
def server_process(script: Path | str = ROOT / "app.py", env: dict | None = None, start_timeout: float = 60):
    """``streamlit run script`` on a free loopback port; yields its ``Server``. The one harness
    for tests and benchmarks: a server that does not answer its health check in time raises
    ``ServerDidNotStart`` with the end of its log; at the end it gets SIGTERM, then SIGKILL after 10 s."""
    port = free_port()
    log = tempfile.NamedTemporaryFile("w+", prefix="streamlit-", suffix=".log")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})})
    srv = Server(f"http://127.0.0.1:{port}", proc, log)
    deadline = time.monotonic() + start_timeout
    try:
        while True:
            try:
                with urllib.request.urlopen(f"{srv.url}/_stcore/health", timeout=1) as r:
                    if r.status == 200:
                        break
            except OSError as e:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise ServerDidNotStart(f"streamlit server for {script} did not start:\n{srv.log()[-2000:]}") from e
                time.sleep(0.2)
        yield srv
    finally:
        srv.stop()
        log.close()


@contextlib.contextmanager
def server(script: Path | str = ROOT / "app.py", env: dict | None = None, start_timeout: float = 60):
    """``server_process``, yielding the base URL only."""
    with server_process(script, env, start_timeout) as srv:
        yield srv.url


def descendants(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            children = [int(c) for c in f.read().split()]
    except OSError:
        return []
    return children + [d for c in children for d in descendants(c)]


def _pss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            return next(int(line.split()[1]) * 1024 for line in f if line.startswith("Pss:"))
    except (OSError, StopIteration):
        return 0


@contextlib.contextmanager
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()
