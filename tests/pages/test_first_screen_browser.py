"""Presenter mode at 1024 × 768, a projector's screen: every page that draws a chart shows its first
chart (a Plotly chart, or Dead neurons' chain diagram), or at least its top, on the first screen,
without scrolling (issue 22). Long introductions fold under "Read more" there (``app_shell.intro``)."""
import pytest

from conftest import CHART_TEXT_CLASHES, settled, wait_idle
from runtime import page_state

pytestmark = pytest.mark.browser

#: The pages whose first screen holds a chart (Course and References have none; the step-by-step
#: lab's board is a component, checked in its own test).
CHARTED = [f for f in page_state.PAGES if f not in ("pages/course.py", "pages/references.py", "pages/playground.py",
                                                      "pages/training_lab.py")]


@pytest.mark.parametrize("file", CHARTED, ids=lambda f: f.split("/")[-1])
def test_the_first_chart_starts_on_the_first_screen_in_presenter_mode(streamlit_server, browser, file):
    ctx = browser.new_context(viewport={"width": 1024, "height": 768})
    page = ctx.new_page()
    try:
        path = "" if page_state.PAGES[file].default else file.split("/")[-1].removesuffix(".py")
        page.goto(f"{streamlit_server}/{path}?present=1")
        wait_idle(page, 90_000)
        chart = page.locator('.js-plotly-plot, [data-testid="stGraphVizChart"]').first
        chart.wait_for(timeout=90_000)
        top = page.evaluate("el => el.getBoundingClientRect().top", chart.element_handle())
        assert top < 768 - 100, f"{file}: the first chart starts at {top:.0f} px, below the first screen"
        # With presenter mode's 18-px text, every chart's words still fit, clear of each other.
        settled(page)
        assert page.evaluate(CHART_TEXT_CLASHES) == []
    finally:
        ctx.close()
