"""A real browser presses Train on the Training lab and sees the curves grow."""
import pytest

from conftest import wait_idle
from training.config import MAX_EPOCHS

STEP_MAX = """() => { const el = document.querySelector('.js-plotly-plot');
  if (!el || !el.data || el.data.length < 2) return -1;  // between two reruns the chart can be absent
  const x = el.data[1].x; const a = Array.from(x._inputArray || x); return Math.max(...a); }"""


@pytest.mark.browser
def test_train_button_grows_the_curves(page, streamlit_server):
    page.goto(f"{streamlit_server}/training_lab")
    wait_idle(page, 60_000)
    # The most epochs the page allows (the default points and seeds), so training outlasts several
    # of the page's redraws (one a second). The largest run of all (most points and seeds too) did
    # not finish within 6 minutes beside the rest of the suite on 2 cores: a run for a benchmark.
    page.locator('[data-testid="stSlider"] input[type="range"][aria-label="Epochs"]').press("End")
    wait_idle(page, 60_000)
    page.get_by_role("button", name="Train").click()
    last_step = f"(after) => {{ const s = ({STEP_MAX})(); return s > after ? s : null; }}"
    first = page.wait_for_function(last_step, arg=0, timeout=60_000).json_value()
    later = page.wait_for_function(last_step, arg=first, timeout=60_000).json_value()
    assert 0 < first < later  # the curves grew while training ran
    # Issue 20, item 11: Train folds the Set-up panel, so the live curves are in view
    assert page.locator('[data-testid="stExpander"] details').first.get_attribute("open") is None
    page.wait_for_function("""() => { const r = document.querySelector('.js-plotly-plot').getBoundingClientRect();
        return r.top >= 0 && r.top <= window.innerHeight - 300; }""", timeout=15_000)  # 300 px of curves in view
    page.wait_for_selector("text=Results", timeout=300_000)
    wait_idle(page, 60_000)
    # full batch: one step per epoch, so the finished curves end at the last epoch
    page.wait_for_function(f"() => ({STEP_MAX})() === {MAX_EPOCHS}", timeout=30_000)
    assert page.locator('[data-testid="stException"]').count() == 0
    # the results table fits the page: it does not scroll sideways
    table = page.locator('[data-testid="stDataFrame"] .dvn-scroller').first
    assert table.evaluate("e => e.scrollWidth <= e.clientWidth"), table.evaluate("e => [e.scrollWidth, e.clientWidth]")
    assert page.locator("text=Device:").count() == 1
