"""The step-by-step lab in a real browser: the board trains in the page (no training on the
server), Play / Pause / Step / Reset from the keyboard with focus kept on the control, Pause within
one redraw, the same link giving the same run in two browsers, the first screen at 1024×768 in
presenter mode, no sideways scroll at 320 px, and a server log without warnings or tracebacks
after playing, pausing and closing tabs."""
import re

import pytest

from conftest import wait_idle
from runtime import harness

pytestmark = pytest.mark.browser
BOARD = "() => window.__stepwise && window.__stepwise.lab ? window.__stepwise : null"
EPOCH = "() => window.__stepwise.lab.epoch"
FOCUSED = """() => { let a = document.activeElement; while (a && a.shadowRoot && a.shadowRoot.activeElement)
  a = a.shadowRoot.activeElement; return a ? a.getAttribute('aria-label') || a.textContent : null; }"""
WEIGHTS = "() => window.__stepwise.lab.nets.map((n) => n.W.map((w) => Array.from(w)))"


@pytest.fixture(scope="module")
def srv():
    with harness.server_process() as s:
        yield s


def open_board(browser, url, width=1024, height=768, query="present=true"):
    ctx = browser.new_context(viewport={"width": width, "height": height})
    page = ctx.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{url}/playground?{query}")
    wait_idle(page, 90_000)
    page.wait_for_function(BOARD, timeout=60_000)
    return ctx, page, errors


def test_play_pause_step_and_reset_from_the_keyboard(browser, srv):
    ctx, page, errors = open_board(browser, srv.url)
    play = page.get_by_role("button", name="Play")
    step = page.get_by_role("button", name="Step one epoch")
    reset = page.get_by_role("button", name="Reset")
    for button in (play, step, reset):  # on the first screen at 1024×768, presenter mode
        box = button.bounding_box()
        assert box and box["y"] + box["height"] <= 768, box
    first = page.evaluate(WEIGHTS)
    assert page.evaluate(EPOCH) == 0

    play.focus()
    page.keyboard.press("Enter")
    page.wait_for_function(f"() => ({EPOCH})() >= 10", timeout=30_000)
    assert page.evaluate(FOCUSED) == "Pause"  # the same button, now Pause, keeps the focus
    outline = page.evaluate("""() => { const b = window.__stepwise.playBtn; const s = getComputedStyle(b);
        return [s.outlineStyle, s.outlineWidth]; }""")
    assert outline == ["solid", "3px"]  # a visible focus ring
    page.keyboard.press("Enter")  # Pause
    paused = page.evaluate("() => [window.__stepwise.playing, window.__stepwise.lab.epoch]")
    assert paused[0] is False
    page.wait_for_timeout(1000)
    assert page.evaluate(EPOCH) <= paused[1] + 1  # at most the epoch of the frame already under way
    stopped = page.evaluate(EPOCH)
    page.wait_for_timeout(500)
    assert page.evaluate(EPOCH) == stopped and page.evaluate(FOCUSED) == "Play"

    page.keyboard.press("Tab")  # to Step
    assert page.evaluate(FOCUSED) == "Step one epoch"
    page.keyboard.press("Enter")
    assert page.evaluate(EPOCH) == stopped + 1 and page.evaluate(FOCUSED) == "Step one epoch"
    assert page.evaluate(WEIGHTS) != first
    # the page keeps what the browser reported at the pause
    page.get_by_text(re.compile(f"At the last pause: epoch {stopped + 1}")).wait_for(timeout=30_000)

    page.keyboard.press("Tab")  # to Reset
    page.keyboard.press("Enter")
    assert page.evaluate(EPOCH) == 0 and page.evaluate(WEIGHTS) == first  # the same draws as at first
    assert page.evaluate(FOCUSED) == "Reset"
    assert not errors and page.locator('[data-testid="stException"]').count() == 0
    ctx.close()


def test_a_link_gives_the_same_run_in_two_browsers_and_another_seed_another(browser, srv):
    q = "activations=relu,prelu,rrelu,gelu,softmax,selu&layers=3,3&optimizer=adam&reg=l1&reg_rate=0.001&seed=4"
    runs = []
    for query in (q, q, q.replace("seed=4", "seed=5")):
        ctx, page, errors = open_board(browser, srv.url, query=query)
        page.evaluate("() => { for (let i = 0; i < 20; i++) window.__stepwise.lab.epochOnce(); }")
        runs.append(page.evaluate(WEIGHTS))
        assert not errors
        ctx.close()
    assert runs[0] == runs[1] and runs[0] != runs[2]


def test_no_sideways_scroll_at_320px_and_the_pictures_have_text(browser, srv):
    ctx, page, errors = open_board(browser, srv.url, width=320, height=640, query="")
    page.get_by_role("button", name="Step one epoch").click()
    wait_idle(page, 30_000)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 320
    labels = page.evaluate("""() => Array.from(window.__stepwise.dom.querySelectorAll('canvas[role=img]'))
        .map((c) => c.getAttribute('aria-label'))""")
    assert labels and all(label and "epoch 1" in label for label in labels), labels
    assert not errors
    ctx.close()


def test_closing_playing_tabs_leaves_a_quiet_server_log(browser, srv):
    """Play and Pause change state only (no fragment warning); closing tabs that play costs the
    server nothing it logs (no "Exception in ASGI application")."""
    pages = [open_board(browser, srv.url, query="") for _ in range(3)]
    for _, page, _ in pages:
        page.get_by_role("button", name="Play").click()
    pages[0][1].get_by_role("button", name="Pause").click()
    wait_idle(pages[0][1], 30_000)
    for ctx, _, _ in pages:
        ctx.close()
    ctx, page, errors = open_board(browser, srv.url, query="")  # the server still answers
    ctx.close()
    log = srv.log()
    for bad in ("Traceback", "Exception in ASGI application", "fragment rerun", "WebSocketDisconnect"):
        assert bad not in log, log[-3000:]
