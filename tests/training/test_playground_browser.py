"""A real browser plays, pauses and steps the step-by-step lab: the epoch counter and the
pictures move while it plays, stand still when paused, and move by one epoch per Step."""
import re

import pytest

from conftest import wait_idle

EPOCH = """() => { const h = Array.from(document.querySelectorAll('h3')).find(e => e.innerText.startsWith('Epoch'));
  return h ? parseInt(h.innerText.replace(/[^0-9]/g, '')) : -1; }"""
# Plotly replaces a chart's data on every redraw: remember the arrays, then ask whether both charts have new ones.
REMEMBER = "() => { window.__pg = Array.from(document.querySelectorAll('.js-plotly-plot')).map(el => el.data); }"
REDRAWN = """() => { const seen = window.__pg || []; const now = Array.from(document.querySelectorAll('.js-plotly-plot'));
  return now.length === 2 && now.every((el, i) => el.data && el.data !== seen[i]); }"""
# The network's unit pictures: the first hidden layer's column of heatmap values.
UNITS = """() => { const el = document.querySelectorAll('.js-plotly-plot')[1];
  const z = el.data.filter(t => t.type === 'heatmap')[1].z; const s = JSON.stringify(z);
  return s && s.length > 100 ? s : null; }"""


@pytest.mark.browser
def test_play_pause_and_step_move_the_counter_and_the_pictures(page, streamlit_server):
    page.goto(f"{streamlit_server}/playground")
    wait_idle(page, 90_000)
    page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot').length === 2", timeout=60_000)
    assert page.evaluate(EPOCH) == 0
    units0 = page.evaluate(UNITS)

    page.get_by_role("button", name=re.compile("Play")).click()
    page.wait_for_function(f"() => ({EPOCH})() >= 5", timeout=60_000)
    page.evaluate(REMEMBER)
    page.wait_for_function(REDRAWN, timeout=30_000)  # while playing, both charts are redrawn
    playing = page.evaluate(EPOCH)
    page.wait_for_function(f"() => ({EPOCH})() > {playing}", timeout=30_000)

    page.get_by_role("button", name=re.compile("Pause")).click()
    page.get_by_role("button", name=re.compile("Play")).wait_for(timeout=30_000)
    wait_idle(page, 30_000)
    paused = page.evaluate(EPOCH)
    units_paused = page.evaluate(UNITS)
    assert paused > playing and units_paused != units0
    page.wait_for_timeout(1500)
    assert page.evaluate(EPOCH) == paused  # paused: nothing moves
    assert page.evaluate(UNITS) == units_paused

    page.get_by_role("button", name="Step one epoch").click()
    page.wait_for_function(f"() => ({EPOCH})() === {paused + 1}", timeout=30_000)
    wait_idle(page, 30_000)
    assert page.evaluate(UNITS) != units_paused  # one epoch later the units' pictures have changed

    page.get_by_role("button", name=re.compile("Reset")).click()
    page.wait_for_function(f"() => ({EPOCH})() === 0", timeout=30_000)
    wait_idle(page, 30_000)
    assert page.evaluate(UNITS) == units0  # the same draws as at first
    assert page.locator('[data-testid="stException"]').count() == 0
