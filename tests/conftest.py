"""Shared fixtures: the repository root on sys.path, a real `streamlit run` server on a free
loopback port, and a headless Chromium page driven by Playwright.

Browser tests carry the `browser` mark. In CI (CI=true) a missing browser fails them;
elsewhere they are skipped."""
from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from runtime import harness  # noqa: E402  (needs ROOT on sys.path)
from runtime.harness import CHROMIUM, READY  # noqa: E402

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _browser_missing_reason() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed"
    if not os.access(CHROMIUM, os.X_OK):
        return f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    return None


@contextlib.contextmanager
def server(**kwargs):
    """The server harness the benchmarks use too (runtime/harness.py); a server that does not start fails the test."""
    try:
        with harness.server(**kwargs) as url:
            yield url
    except harness.ServerDidNotStart as e:
        pytest.fail(str(e))


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
    with harness.chromium() as b:
        yield b


@pytest.fixture
def page(browser):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = ctx.new_page()
    yield pg
    ctx.close()


def wait_idle(page, timeout: float = 30_000) -> None:
    """Wait until Streamlit has finished the current script run."""
    page.wait_for_selector(READY, timeout=timeout)


def open_page(page: str, timeout: float = 60, **query):
    """Run the app on ``page`` (e.g. "pages/gallery.py") with URL query parameters, in AppTest."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
    at.switch_page(page)
    for k, v in query.items():
        at.query_params[k] = v
    return at.run()


def open_with_bad_link(page: str, expected: str, timeout: float = 60, **query):
    """Open ``page`` with a bad link: the page runs without an exception and warns with
    ``expected`` (part of its plain-words message). Returns the page, to check what it fell back to."""
    at = open_page(page, timeout=timeout, **query)
    assert not at.exception
    assert any(expected in w.value for w in at.warning), [w.value for w in at.warning]
    return at


def rerun_until(at, done, timeout: float = 90):
    """Rerun an AppTest page (twice a second) until ``done(at)``: for runs training in the background."""
    import time

    deadline = time.monotonic() + timeout
    while not done(at):
        assert not at.exception and not at.error, [e.value for e in [*at.exception, *at.error]]
        assert time.monotonic() < deadline, "the run did not finish in time"
        time.sleep(0.5)
        at.run()
    return at


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


def settled(page, timeout: float = 120_000, ours: bool = True) -> None:
    """The script has finished, the page's shared styling is in effect and every chart on the page
    has been drawn. Two moments read "not running" too early, both seen on a fresh server: before
    the session's first run has drawn anything (every page has a title: wait for it), and after a
    run, while the browser still loads the code of ``st.html``, which holds the styling
    (app_shell.page_style): for a moment, under load longer, captions show Streamlit's own grey.
    ``ours=False``: a page that is not the app's (a bare Streamlit app), which has neither."""
    if ours:
        page.wait_for_selector('[data-testid="stMain"] h1', timeout=timeout)
        page.wait_for_function("() => Array.from(document.querySelectorAll('style'))"
                               ".some(s => s.textContent.includes('stCaptionContainer'))", timeout=timeout)
    wait_idle(page, timeout)
    page.wait_for_function("() => Array.from(document.querySelectorAll('.js-plotly-plot'))"
                           ".every(el => el._fullLayout && el.data)", timeout=timeout)
    page.wait_for_timeout(300)
    wait_idle(page, timeout)


#: Every chart's words (its title, panel titles, axis titles, legend title) must lie inside the
#: chart and clear of each other and of the tick labels, and one axis's tick labels clear of each
#: other: on a 390-px phone (or with presenter mode's larger text) Plotly neither wraps nor shrinks them.
CHART_TEXT_CLASHES = """() => {
  const rect = el => el.getBoundingClientRect();
  const clash = (a, b) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 2
                       && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 2;
  const out = [];
  document.querySelectorAll('.js-plotly-plot').forEach((plot, i) => {
    const box = rect(plot.querySelector('.main-svg') || plot);
    const words = Array.from(plot.querySelectorAll(
      '.gtitle, [class$="title"] > text, text[class$="title"], .annotation-text, .legendtitletext'))
      .filter(el => el.textContent.trim() && rect(el).width > 0);
    const ticks = Array.from(plot.querySelectorAll('.xtick text, .ytick text, [class*="tick"] > text'))
      .filter(el => el.textContent.trim() && rect(el).width > 0);
    const name = el => `chart ${i}: "${el.textContent.trim().slice(0, 40)}"`;
    words.forEach((w, j) => {
      const r = rect(w);
      if (r.left < box.left - 1 || r.right > box.right + 1) out.push(`${name(w)} runs out of its chart`);
      words.slice(j + 1).forEach(v => { if (clash(r, rect(v))) out.push(`${name(w)} overlaps ${name(v)}`); });
      ticks.forEach(t => { if (clash(r, rect(t))) out.push(`${name(w)} overlaps tick label "${t.textContent}"`); });
    });
    // Tick labels of one axis clear of each other (thirty decades labelled one by one overlap).
    ticks.forEach((t, j) => ticks.slice(j + 1).forEach(u => {
      if (t.closest('[class*="axislayer"]') === u.closest('[class*="axislayer"]') && clash(rect(t), rect(u)))
        out.push(`${name(t)}: tick labels "${t.textContent}" and "${u.textContent}" overlap`); }));
  });
  return Array.from(new Set(out));
}"""
