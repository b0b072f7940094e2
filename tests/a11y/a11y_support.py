"""Accessibility browser tests: axe-core from npm (pinned in package.json and package-lock.json
here, installed by ``npm ci`` on first use), injected into each page after it has rendered."""
from __future__ import annotations

import fcntl
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import IN_CI

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


