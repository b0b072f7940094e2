"""Shared tools for the benchmarks: a real Streamlit server, headless Chromium, the key-press →
redrawn-chart latency, and writing a section of docs/benchmarks.md.

Run a benchmark from the repository root, e.g. ``python -m bench.bench_gallery --write-docs``."""
from __future__ import annotations

import contextlib
import os
import platform
import re
import statistics
import time

from runtime.harness import (  # noqa: F401
    CHROMIUM,
    CHROMIUM_ARGS,
    READY,
    ROOT,
    Server,
    ServerDidNotStart,
    chromium,
    descendants,
    free_port,
    server,
    server_process,
)

DOCS = ROOT / "docs" / "benchmarks.md"

BARE_PAGE = ROOT / "bench" / "bare_page.py"  # the floor a server round trip allows


@contextlib.contextmanager
def bare_page_server():
    with server(BARE_PAGE) as url:
        yield url


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
