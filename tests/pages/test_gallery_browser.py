"""The gallery in a real browser: a real `streamlit run` server and headless Chromium."""
import pytest

from conftest import server, wait_idle

pytestmark = pytest.mark.browser

# The first trace's y values, whether Plotly holds them as a plain or a typed array.
FIRST_Y = "el => Array.from(el.data[0].y._inputArray ?? el.data[0].y)"


def test_alpha_slider_redraws_the_chart(streamlit_server, page):
    page.goto(f"{streamlit_server}/gallery?act=leaky_relu")
    wait_idle(page)
    chart = page.locator(".js-plotly-plot").first
    chart.wait_for()
    before = chart.evaluate(FIRST_Y)
    assert before[0] == pytest.approx(-0.05)  # x = −5, α = 0.01
    alpha = page.locator('[data-testid="stSlider"] input[type="range"][aria-label="α (negative slope)"]')
    alpha.focus()
    for _ in range(3):
        alpha.press("ArrowRight")
    # Three presses are three reruns: wait for the last one's chart (y at x = −5 is −5α).
    page.wait_for_function(f"() => {{ const el = document.querySelector('.js-plotly-plot');"
                           f" return !!(el && el.data) && ({FIRST_Y})(el)[0] < -0.19 }}")
    wait_idle(page)
    after = chart.evaluate(FIRST_Y)
    assert after[0] == pytest.approx(-0.2)  # α = 0.04 after three steps of 0.01
    assert after[-1] == before[-1] == pytest.approx(5)
    assert "alpha=0.04" in page.url
    assert page.locator('[data-testid="stException"]').count() == 0


def test_garbage_url_shows_a_warning_not_a_traceback(streamlit_server, page):
    page.goto(f"{streamlit_server}/gallery?act=%3Cscript%3E&alpha=NaN")
    wait_idle(page)
    page.locator('[data-testid="stAlert"]').first.wait_for()
    assert "Activation = ?script? in the link is not one of the choices; using ReLU" in \
        page.locator('[data-testid="stAlert"]').first.inner_text()
    assert page.locator('[data-testid="stException"]').count() == 0


def test_a_deep_link_on_a_fresh_server_runs_through_app_navigation(browser, tmp_path):
    """The first page a fresh server sees is a deep link: it must still get app.py's sidebar."""
    with server() as url:
        pg = browser.new_page()
        pg.goto(f"{url}/gallery?act=elu&alpha=2")
        wait_idle(pg)
        pg.get_by_text("Start here").first.wait_for(timeout=30_000)
        assert pg.locator('[data-testid="stSidebarNav"]').inner_text().count("Activation gallery") == 1
        assert "2" in pg.locator('[data-testid="stSlider"] input[type="range"][aria-label="α"]').get_attribute("value")
        pg.close()
