"""Accessibility browser tests: axe-core from npm (pinned in package.json and package-lock.json
here, installed by ``npm ci`` on first use), injected into each page after it has rendered."""
from __future__ import annotations

import fcntl
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import IN_CI, wait_idle

HERE = Path(__file__).resolve().parent
AXE = HERE / "node_modules" / "axe-core" / "axe.min.js"
#: The success criteria checked: WCAG 2.0, 2.1 and 2.2, levels A and AA.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
NAV = '[data-testid="stSidebarNav"]'


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core's source, installed once: the test workers (pytest-xdist) take a lock, so that one
    worker's ``npm ci`` never deletes the folder another worker is installing into."""
    with open(HERE / ".npm-install.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not AXE.exists():
            npm = shutil.which("npm")
            if npm is None:
                (pytest.fail if IN_CI else pytest.skip)("npm is needed to install axe-core (tests/a11y/package.json)")
            subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=HERE, check=True, timeout=300)
    return AXE.read_text()


def serious(page, axe_source: str) -> list[dict]:
    """axe's serious and critical violations on the page as it is now: one dict per rule with
    its id, impact, and each node's target, failure summary, whether it lies in Streamlit's
    sidebar navigation and whether it belongs to a disabled control (its element holds one)."""
    if not page.evaluate("() => !!window.axe"):
        page.add_script_tag(content=axe_source)
    return page.evaluate(
        """async ([tags, nav]) => {
          const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
          return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical').map(v => ({
            id: v.id, impact: v.impact,
            nodes: v.nodes.map(n => { const el = document.querySelector(n.target.join(' '));
              return {target: n.target.join(' '), summary: n.failureSummary,
                      in_nav: !!(el && el.closest(nav)),
                      in_disabled: !!(el && (el.closest(':disabled, [aria-disabled="true"]') ||
                        (el.closest('[data-testid="stElementContainer"]') || document.body)
                          .querySelector(':disabled, [aria-disabled="true"]') && el.closest('[data-testid="stElementContainer"]')))};
            })}));
        }""", [TAGS, NAV])


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
#: chart and clear of each other and of the tick labels: on a 390-px phone Plotly neither wraps nor
#: shrinks them.
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
  });
  return Array.from(new Set(out));
}"""
