"""Shared fixtures: the repository root on sys.path, a real `streamlit run` server on a free
loopback port, and a headless Chromium page driven by Playwright.

Browser tests carry the `browser` mark. In CI (CI=true) a missing browser fails them;
elsewhere they are skipped."""
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

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CHROMIUM = os.environ.get("RELU_LAB_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _browser_missing_reason() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed"
    if not os.access(CHROMIUM, os.X_OK):
        return f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    return None


@contextlib.contextmanager
def server():
    """A `streamlit run app.py` on a free loopback port; yields its base URL."""
    port = _free_port()
    log = tempfile.NamedTemporaryFile("w+", prefix="streamlit-", suffix=".log", delete=False)
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true",
         "--browser.gatherUsageStats", "false"],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    try:
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as r:
                    if r.status == 200:
                        break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    pytest.fail(f"streamlit server did not start:\n{log.read()[-2000:]}")
                time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="session")
def streamlit_server():
    """Base URL of one real server shared by the whole test session."""
    with server() as url:
        yield url


def pytest_collection_modifyitems(config, items):
    """Browser tests are skipped where no browser is installed, except in CI, where the
    `browser` fixture fails them instead."""
    reason = _browser_missing_reason()
    if reason and not IN_CI:
        for item in items:
            if "browser" in item.keywords:
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def browser():
    reason = _browser_missing_reason()
    if reason:
        pytest.fail(f"browser tests must run{' in CI' if IN_CI else ''}: {reason}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = ctx.new_page()
    yield pg
    ctx.close()


def wait_idle(page, timeout: float = 30_000) -> None:
    """Wait until Streamlit has finished the current script run."""
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=timeout)


def open_page(page: str, timeout: float = 60, **query):
    """Run the app on ``page`` (e.g. "pages/gallery.py") with URL query parameters, in AppTest."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
    at.switch_page(page)
    for k, v in query.items():
        at.query_params[k] = v
    return at.run()


def decode(value):
    """A Plotly array from a chart spec as NumPy: Plotly 7 sends {dtype, bdata: base64}."""
    import base64

    import numpy as np

    if isinstance(value, dict) and "bdata" in value:
        return np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"]))
    return np.asarray(value)


def chart_spec(at, index: int = 0, key: str | None = None) -> dict:
    """The Plotly spec of a chart on an AppTest page: the index-th, or the one whose element id
    contains ``key``."""
    import json

    charts = at.get("plotly_chart")
    chart = next(c for c in charts if key in c.proto.id) if key else charts[index]
    return json.loads(chart.proto.spec)
