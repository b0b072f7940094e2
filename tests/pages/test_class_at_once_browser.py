"""A small class at once (the test-suite version of bench/load_classroom.py): four sessions on one
server, two of them training while the other two move the gallery's slider. No errors, every run
finishes, each session sees only its own settings and results; and a closed tab gives its place
in the training pool to the next run."""
from urllib.parse import urlencode

import pytest

from conftest import wait_idle
from runtime import harness

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("serial")]  # a class of sessions on a server of its own

SLIDER = '[data-testid="stSlider"] input[type="range"][aria-label="{}"]'
CURVE_NAMES = """() => { const el = document.querySelector('.js-plotly-plot');
  return el && el.data ? el.data.filter(t => t.showlegend !== false && t.name).map(t => t.name) : []; }"""


def lab_link(**settings) -> str:
    return "/training_lab?" + urlencode({"dataset": "spiral", "n": 500, "epochs": 150, "seeds": 2, **settings})


def errors_on(page) -> int:
    return page.locator('[data-testid="stException"]').count()


def test_four_sessions_two_training(browser, streamlit_server):
    contexts = [browser.new_context(viewport={"width": 1400, "height": 1000}) for _ in range(4)]
    pages = [c.new_page() for c in contexts]
    js_errors = []
    for p in pages:
        p.on("pageerror", lambda e: js_errors.append(str(e)))
    try:
        own = {0: ["ReLU", "tanh"], 1: ["ELU", "SELU"]}
        pages[0].goto(streamlit_server + lab_link(activations="relu,tanh"))
        pages[1].goto(streamlit_server + lab_link(activations="elu,selu"))
        pages[2].goto(f"{streamlit_server}/gallery?act=leaky_relu&alpha=0.2")
        pages[3].goto(f"{streamlit_server}/gallery?act=elu&alpha=1.5")
        for p in pages:
            wait_idle(p, 60_000)
        for p in pages[:2]:
            p.get_by_role("button", name="Train").click()
        for p, label in ((pages[2], "α (negative slope)"), (pages[3], "α")):  # while the two train
            slider = p.locator(SLIDER.format(label))
            slider.focus()
            for _ in range(5):
                slider.press("ArrowRight")
                wait_idle(p, 60_000)
        for p in pages[:2]:
            p.get_by_text("Results", exact=True).wait_for(timeout=240_000)
            wait_idle(p, 60_000)
        for i in (0, 1):  # each run compared its own session's activations
            # Plotly draws after the script run ends: wait for the chart's curves, then compare them
            pages[i].wait_for_function(f"() => ({CURVE_NAMES})().length > 0", timeout=60_000)
            assert pages[i].evaluate(CURVE_NAMES) == own[i]
        assert pages[2].locator(SLIDER.format("α (negative slope)")).get_attribute("value") == "0.25"
        assert pages[3].locator(SLIDER.format("α")).get_attribute("value") == "1.75"
        assert "act=leaky_relu" in pages[2].url and "act=elu" in pages[3].url
        assert [errors_on(p) for p in pages] == [0, 0, 0, 0] and not js_errors
    finally:
        for c in contexts:
            c.close()


def test_a_closed_tab_gives_its_place_to_the_next_run(browser):
    """One worker: A trains a long run, B waits in line; A's tab closes, the server stops A's run
    (its log says why), and B trains to the end."""
    with harness.server_process(env={"RELU_LAB_MAX_RUNS": "1"}) as srv:
        url = srv.url
        a, b = (browser.new_context(viewport={"width": 1400, "height": 1000}) for _ in range(2))
        try:
            page_a, page_b = a.new_page(), b.new_page()
            page_a.goto(url + lab_link(dataset="moons", n=5000, epochs=2000, seeds=10))
            wait_idle(page_a, 60_000)
            page_a.get_by_role("button", name="Train").click()
            page_a.wait_for_selector('[data-testid="stProgress"] >> text=/running: step [1-9]/', timeout=120_000)
            page_b.goto(url + lab_link())
            wait_idle(page_b, 60_000)
            page_b.get_by_role("button", name="Train").click()
            page_b.get_by_text("1st in line").wait_for(timeout=30_000)
            a.close()  # the student closes the tab: nobody polls A's run, its session is gone
            page_b.get_by_text("Results", exact=True).wait_for(timeout=240_000)
            wait_idle(page_b, 60_000)
            assert errors_on(page_b) == 0
            assert "run 0 stopped while it trained: its client has gone" in srv.log()
        finally:
            b.close()
