"""A class in the browser: settings survive navigation and view changes, lesson links take
effect, presenter mode is readable from the back of a room, and a phone cuts off no control."""
import pytest
from playwright.sync_api import expect

from conftest import wait_idle

pytestmark = pytest.mark.browser

SLIDER = '[data-testid="stSlider"] input[type="range"][aria-label="{}"]'
PAGES = ["", "course", "gallery", "dead_neurons", "vanishing_gradients", "output_activations", "mixture_density",
         "maxout_crelu", "training_lab", "references"]


def open_(page, url):
    page.goto(url)
    wait_idle(page)


def sidebar(page, title):
    page.locator('[data-testid="stSidebarNav"]').get_by_text(title, exact=True).click()
    page.wait_for_timeout(300)
    wait_idle(page)


def slider_value(page, label) -> str:
    return page.locator(SLIDER.format(label)).first.get_attribute("value")


def test_gallery_alpha_survives_compare_and_back(streamlit_server, page):
    open_(page, f"{streamlit_server}/gallery?act=leaky_relu&alpha=0.5")
    assert slider_value(page, "α (negative slope)") == "0.5"
    page.get_by_text("Compare", exact=True).click()
    wait_idle(page)
    page.get_by_text("Single", exact=True).click()
    wait_idle(page)
    assert slider_value(page, "α (negative slope)") == "0.5"
    assert "alpha=0.5" in page.url


def test_gallery_keeps_its_activation_and_parameters_across_pages(streamlit_server, page):
    open_(page, f"{streamlit_server}/gallery?act=elu&alpha=2")
    sidebar(page, "Dead neurons")
    sidebar(page, "Activation gallery")
    assert slider_value(page, "α") == "2"
    assert "act=elu" in page.url and "alpha=2" in page.url


def test_vanishing_keeps_its_activations_and_initialisation(streamlit_server, page):
    open_(page, f"{streamlit_server}/vanishing_gradients?acts=relu,tanh&init=lecun")
    page.locator(".js-plotly-plot").first.wait_for()
    sidebar(page, "Start here")
    sidebar(page, "Vanishing gradients")
    page.locator(".js-plotly-plot").first.wait_for()
    chips = page.locator('[data-testid="stMain"] [data-testid="stMultiSelect"]').first.inner_text()
    assert "ReLU" in chips and "tanh" in chips and "Sigmoid" not in chips
    expect(page.get_by_role("combobox", name="Initialisation")).to_have_value("LeCun normal")
    assert "init=lecun" in page.url


def test_dead_neurons_free_play_survives_back_and_next(streamlit_server, page):
    open_(page, f"{streamlit_server}/dead_neurons?step=3&x=0.7&w1=-2")
    page.get_by_role("button", name="◀ Back").click()
    wait_idle(page)
    page.get_by_role("button", name="Next ▶").click()
    wait_idle(page)
    expect(page.get_by_label("input x")).to_have_value("0.70")
    expect(page.get_by_label("w1", exact=True)).to_have_value("-2.00")


def test_a_lesson_link_opens_the_gallery_prepared(streamlit_server, page):
    open_(page, f"{streamlit_server}/course?lesson=leaky-family")
    page.get_by_text("Try: α = 0.5").click()
    page.wait_for_url("**/gallery**")
    wait_idle(page)
    assert slider_value(page, "α (negative slope)") == "0.5"
    assert "act=leaky_relu" in page.url


def test_a_teachers_link_hides_the_controls_it_names(streamlit_server, page):
    open_(page, f"{streamlit_server}/gallery?act=leaky_relu&alpha=0.3&hide=act,view")
    page.locator(SLIDER.format("α (negative slope)")).wait_for()
    assert page.get_by_text("Compare", exact=True).count() == 0
    assert page.locator('[data-testid="stSelectbox"]').count() == 0
    assert slider_value(page, "α (negative slope)") == "0.3"


FONT_SIZES = """() => Array.from(document.querySelectorAll('.js-plotly-plot svg text'))
    .filter(t => t.textContent.trim() && t.getBBox().width > 0)
    .map(t => parseFloat(getComputedStyle(t).fontSize))"""


def chart_font_sizes(page) -> list[float]:
    return page.evaluate(FONT_SIZES)


def test_presenter_mode_chart_text_is_at_least_18_px_at_1024_by_768(streamlit_server, browser):
    ctx = browser.new_context(viewport={"width": 1024, "height": 768})
    page = ctx.new_page()
    open_(page, f"{streamlit_server}/gallery?act=leaky_relu")
    page.locator(".js-plotly-plot").first.wait_for()
    assert min(chart_font_sizes(page)) < 18  # without presenter mode the ticks are smaller
    open_(page, f"{streamlit_server}/gallery?act=leaky_relu&present=1")
    page.locator(".js-plotly-plot").first.wait_for()
    # the charts redrawn for the projector (no fixed pause): times out if they never are
    page.wait_for_function(f"() => {{ const s = ({FONT_SIZES})(); return s.length > 0 && Math.min(...s) >= 18; }}",
                           timeout=30_000)
    sizes = chart_font_sizes(page)
    assert sizes and min(sizes) >= 18
    assert "present=1" in page.url
    ctx.close()


@pytest.mark.parametrize("path", PAGES)
def test_a_phone_cuts_off_no_control(streamlit_server, browser, path):
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = ctx.new_page()
    open_(page, f"{streamlit_server}/{path}")
    page.wait_for_timeout(500)
    cut = page.evaluate("""() => Array.from(document.querySelectorAll(
          '[data-testid="stMain"] [data-testid^="st"]'))
        .filter(e => e.getBoundingClientRect().width > 0 && e.getBoundingClientRect().right > window.innerWidth + 1
                     && !e.closest('[data-testid="stPlotlyChart"], [data-testid="stMarkdownContainer"] table'))
        .map(e => e.getAttribute('data-testid'))""")
    assert not cut, cut
    assert page.locator('[data-testid="stException"]').count() == 0
    ctx.close()
