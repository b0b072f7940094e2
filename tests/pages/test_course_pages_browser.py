"""The Output activations, Mixture density networks and Maxout and CReLU pages in a real browser:
a real `streamlit run` server and headless Chromium."""
import math

import pytest

from conftest import wait_idle

pytestmark = pytest.mark.browser

NO_TRACEBACK = '[data-testid="stException"]'


def slider(page, label: str):
    return page.locator(f'[data-testid="stSlider"] input[type="range"][aria-label="{label}"]')


def chart_y(page, key: str, trace: int = 0) -> list[float]:
    """The y values of a chart's trace; the chart is found by its element key."""
    return page.locator(f".st-key-{key} .js-plotly-plot").evaluate(
        f"el => Array.from(el.data[{trace}].y._inputArray ?? el.data[{trace}].y)")


def open_app(page, url: str, path: str) -> None:
    page.goto(url)  # the app first, so the server runs app.py's navigation
    wait_idle(page)
    page.goto(f"{url}/{path}")
    wait_idle(page)


def test_softmax_calculator_takes_scores_of_a_thousand_and_a_temperature(streamlit_server, page):
    open_app(page, streamlit_server, "output_activations")
    assert page.get_by_text("0.999955").count() == 1  # the seed's tiger, with the true value
    box = page.get_by_role("textbox", name="Scores, separated by commas")
    box.fill("1000, 999, 990")
    box.press("Enter")
    page.wait_for_function("() => location.search.includes('scores=1000%2C999%2C990')"
                           " || location.search.includes('scores=1000,999,990')")
    wait_idle(page)
    p = chart_y(page, "softmax_chart")
    assert p[0] == pytest.approx(1 / (1 + math.exp(-1) + math.exp(-10)), abs=1e-12) and sum(p) == pytest.approx(1)
    assert page.get_by_text("overflows to inf here").count() == 1
    t = slider(page, "Temperature T")
    t.focus()
    t.press("ArrowRight")
    page.wait_for_function("() => location.search.includes('t=1.1')")
    wait_idle(page)
    box.fill("10, abc")
    box.press("Enter")
    page.get_by_text("is not a number").first.wait_for()
    assert page.locator(NO_TRACEBACK).count() == 0


def test_mixture_density_network_trains_and_its_link_reopens_the_result(streamlit_server, page):
    open_app(page, streamlit_server, "mixture_density?steps=300")
    page.get_by_role("button", name="Train").click()
    page.get_by_text("Trained 300 steps").wait_for(timeout=120_000)
    wait_idle(page)
    x = slider(page, "Input x")
    x.focus()
    x.press("ArrowRight")
    page.wait_for_function("() => location.search.includes('x=0.51')")
    wait_idle(page)
    page.locator(".st-key-mdn_slice .js-plotly-plot").wait_for()
    other = page.context.new_page()  # another learner opens the link: the run is shared
    other.goto(page.url)
    wait_idle(other)
    other.get_by_text("Trained 300 steps").wait_for()
    other.locator(".st-key-mdn_slice .js-plotly-plot").wait_for()
    assert slider(other, "Input x").get_attribute("value") == "0.51"
    assert page.locator(NO_TRACEBACK).count() == 0 and other.locator(NO_TRACEBACK).count() == 0


def test_maxout_k_slider_and_a_prelu_run_that_is_stopped(streamlit_server, page):
    open_app(page, streamlit_server, "maxout_crelu?target=square&p_steps=3000&p_width=64")
    before = chart_y(page, "maxout_fit", trace=2)
    k = slider(page, "K, the number of affine pieces")
    k.focus()
    k.press("ArrowRight")
    k.press("ArrowRight")
    page.wait_for_function("() => location.search.includes('k=4')")
    wait_idle(page)
    after = chart_y(page, "maxout_fit", trace=2)
    target = chart_y(page, "maxout_fit", trace=0)
    assert max(abs(a - t) for a, t in zip(after, target)) < max(abs(b - t) for b, t in zip(before, target))
    page.get_by_role("button", name="Train").click()
    # Stopped while it trains (pressed while it starts, on a busy machine, it says "Stopped before it began.")
    page.get_by_text("Training: step").first.wait_for(timeout=60_000)
    page.get_by_role("button", name="Stop").click(timeout=60_000)
    page.get_by_text("Stopped at step").wait_for(timeout=60_000)
    assert page.get_by_role("button", name="Train").is_enabled()
    assert page.locator(NO_TRACEBACK).count() == 0
