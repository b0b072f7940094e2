"""The link in a real browser: Back after a course link returns to the course in one press,
presenter mode stays on across pages and rides in the address bar, a teacher's hide= link
shows hidden values as text, and each page names itself in the browser tab."""
import pytest

from conftest import wait_idle

pytestmark = pytest.mark.browser

SLIDER = '[data-testid="stSlider"] input[type="range"][aria-label="{}"]'


def open_(page, url):
    page.goto(url)
    wait_idle(page)


def landed(page, path: str) -> None:
    """On ``path``, its script run finished (Dead neurons trains its layer first: up to a minute on a
    loaded machine)."""
    page.wait_for_function(f"() => location.pathname.endsWith('/{path}')")
    page.wait_for_timeout(300)
    wait_idle(page, 120_000)


def test_back_after_a_try_link_returns_to_the_course_in_one_press(streamlit_server, page):
    course = f"{streamlit_server}/course?lesson=dying-relu&step=2"
    open_(page, streamlit_server)
    open_(page, course)
    page.get_by_text("Try: a high learning rate kills units").click()  # dead_neurons?step=1&die_lr=1.2
    landed(page, "dead_neurons")
    page.wait_for_timeout(1000)  # time for the page's own write to the address bar, if it made one
    wait_idle(page, 120_000)
    assert page.locator(SLIDER.format("Learning rate")).get_attribute("value") == "1.2"
    page.go_back()
    landed(page, "course")
    assert "lesson=dying-relu" in page.url and "step=2" in page.url
    assert page.get_by_text("Try: a high learning rate kills units").count() == 1


def test_presenter_mode_stays_on_across_pages_and_rides_in_the_link(streamlit_server, page):
    open_(page, f"{streamlit_server}/course?present=1&lesson=dying-relu&step=2")
    page.get_by_text("Try: a large negative bias").click()
    landed(page, "dead_neurons")
    page.wait_for_function("() => location.search.includes('present=1')")
    assert "die_bias=-3" in page.url
    page.locator('[data-testid="stExpandSidebarButton"]').click()  # presenter mode folds the sidebar away
    page.locator('[data-testid="stSidebarNav"]').get_by_text("Activation gallery", exact=True).click()
    landed(page, "gallery")
    page.wait_for_function("() => location.search.includes('present=1')")
    assert page.get_by_role("switch", name="Presenter mode").is_checked()


def test_a_teachers_link_hides_controls_and_shows_their_values(streamlit_server, page):
    open_(page, f"{streamlit_server}/gallery?act=elu&alpha=0.5&hide=alpha,act,nosuch")
    assert page.locator(SLIDER.format("α")).count() == 0
    assert page.get_by_role("combobox", name="Activation").count() == 0
    main = page.locator('[data-testid="stMain"]')
    assert main.get_by_text("α: 0.5").count() == 1 and main.get_by_text("Activation: ELU").count() == 1
    note = main.locator('[data-testid="stCaptionContainer"]').get_by_text("which this page does not have")
    assert note.count() == 1  # the unknown name: a quiet caption, not a warning box
    assert page.locator('[data-testid="stAlert"]').filter(has_text="nosuch").count() == 0


def test_each_page_names_itself_in_the_browser_tab(streamlit_server, page):
    open_(page, f"{streamlit_server}/gallery")
    page.wait_for_function("() => document.title === 'Activation gallery · ReLU Lab'")
    page.locator('[data-testid="stSidebarNav"]').get_by_text("Dead neurons", exact=True).click()
    landed(page, "dead_neurons")
    page.wait_for_function("() => document.title === 'Dead neurons · ReLU Lab'")
