"""Shared tools for the benchmarks: a real Streamlit server, headless Chromium, the key-press →
redrawn-chart latency, and writing a section of docs/benchmarks.md.

Run a benchmark from the repository root, e.g. ``python -m bench.bench_gallery --write-docs``."""
from __future__ import annotations

import contextlib
import os
import platform
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs" / "benchmarks.md"
CHROMIUM = os.environ.get("RELU_LAB_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
READY = '[data-testid="stApp"][data-test-script-state="notRunning"]'

# A bare one-slider Streamlit + Plotly page: the floor a server round trip allows.
BARE_PAGE = '''
import numpy as np
import plotly.graph_objects as go
import streamlit as st

a = st.slider("a", 0.0, 1.0, 0.01, 0.01)
x = np.linspace(-5, 5, 401)
st.plotly_chart(go.Figure(go.Scatter(x=x, y=a * x)))
'''


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
        return sum(_pss(pid) for pid in [self.process.pid, *_descendants(self.process.pid)])

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
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise ServerDidNotStart(f"streamlit server for {script} did not start:\n{srv.log()[-2000:]}")
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


def _descendants(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            children = [int(c) for c in f.read().split()]
    except OSError:
        return []
    return children + [d for c in children for d in _descendants(c)]


def _pss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            return next(int(line.split()[1]) * 1024 for line in f if line.startswith("Pss:"))
    except (OSError, StopIteration):
        return 0


@contextlib.contextmanager
def bare_page_server():
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "bare.py"
        path.write_text(BARE_PAGE)
        with server(path) as url:
            yield url


@contextlib.contextmanager
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


# Plotly replaces a chart's ``data`` array on every redraw with new data, so "the chart has changed"
# is "its data is another array than before the key press": exact, and cheap enough to poll on every
# frame (serialising the data to compare it, as an earlier version did, competed with the redraw for
# the browser's main thread, most of all on pages with heatmaps).
_REMEMBER = """() => { window.__reluLabData = Array.from(document.querySelectorAll('.js-plotly-plot')).map(el => el.data); }"""
_CHANGED = """(chart) => { const seen = window.__reluLabData || [];
  return Array.from(document.querySelectorAll('.js-plotly-plot')).some((el, i) =>
    (chart < 0 || i === chart) && el.data && el.data !== seen[i]); }"""


def keypress_latency(browser, url: str, slider_label: str, presses: int = 15, chart: int = 0,
                     key: str = "ArrowRight", timeout: float = 60_000, settle: float = 0.8) -> list[float]:
    """Seconds from a key press on the slider labelled ``slider_label`` until the ``chart``-th
    chart on the page (any chart if ``chart`` < 0) has been redrawn with new data, one value per
    press; the first press comes ``settle`` seconds after the page has loaded."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(url)
    page.wait_for_selector(READY, timeout=timeout)
    page.wait_for_selector(".js-plotly-plot", timeout=timeout)
    page.wait_for_timeout(1000 * settle)
    slider = page.locator(f'[data-testid="stSlider"] input[type="range"][aria-label="{slider_label}"]')
    slider.focus()
    times = []
    for _ in range(presses):
        page.evaluate(_REMEMBER)
        t0 = time.perf_counter()
        slider.press(key)
        page.wait_for_function(_CHANGED, arg=chart, timeout=timeout)
        times.append(time.perf_counter() - t0)
        page.wait_for_selector(READY, timeout=timeout)
        page.wait_for_timeout(150)
    page.close()
    return times


def cold_load(browser, url: str) -> float:
    """Seconds from navigation until the first chart is drawn, in a new page."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    t0 = time.perf_counter()
    page.goto(url)
    page.wait_for_function("() => { const el = document.querySelector('.js-plotly-plot');"
                           " return !!(el && el.data && el.data.length); }", timeout=60_000)
    dt = time.perf_counter() - t0
    page.close()
    return dt


def median_ms(values: list[float]) -> float:
    return 1000 * statistics.median(values)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        model = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
        cpu = model
    except (OSError, StopIteration):
        pass
    return f"{os.cpu_count()} CPU cores ({cpu}), Python {platform.python_version()}, {platform.system()}"


def write_section(title: str, body: str) -> None:
    """Replace (or append) the ``## title`` section of docs/benchmarks.md."""
    text = DOCS.read_text() if DOCS.exists() else "# Benchmarks\n"
    section = f"## {title}\n\n{body.strip()}\n"
    pattern = re.compile(rf"^## {re.escape(title)}\n.*?(?=^## |\Z)", re.S | re.M)
    text = pattern.sub(lambda _: section + "\n", text) if pattern.search(text) else text.rstrip() + "\n\n" + section
    DOCS.write_text(text.rstrip() + "\n")
