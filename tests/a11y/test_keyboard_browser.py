"""Keyboard only, in headless Chromium: Tab to a control, operate it with keys, and check where
the focus is afterwards. The gallery's α (Single and Scrub views), the course's Next and a quiz
answer, the Training lab's Train and Stop."""
from __future__ import annotations

import re

import pytest

from conftest import settled

pytestmark = pytest.mark.browser

ACTIVE = """() => { const a = document.activeElement;
  return a ? {tag: a.tagName, type: a.type || '', label: a.getAttribute('aria-label') || '',
              text: (a.innerText || '').trim(), disabled: !!a.disabled} : null; }"""


def tab_to(page, predicate: str, limit: int = 150) -> int:
    """Press Tab until the focused element satisfies the JS ``predicate`` (a => …); how many Tabs."""
    for n in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => {{ const a = document.activeElement; return !!a && ({predicate})(a); }}"):
            return n
    raise AssertionError(f"no focusable element matched {predicate} in {limit} Tabs; last {page.evaluate(ACTIVE)}")


def active(page) -> dict:
    return page.evaluate(ACTIVE)


def slider_is(label: str) -> str:
    return f"a => a.matches('input[type=range]') && a.getAttribute('aria-label') === {label!r}"


def button_is(text: str) -> str:
    return f"a => a.tagName === 'BUTTON' && (a.innerText || '').trim() === {text!r}"


def test_gallery_alpha_from_the_keyboard_in_single_and_scrub_views(streamlit_server, page):
    page.goto(f"{streamlit_server}/gallery?act=leaky_relu")
    settled(page)
    alpha = "α (negative slope)"
    tab_to(page, slider_is(alpha))
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => location.search.includes('alpha=0.02')")
    settled(page)
    assert active(page)["label"] == alpha  # the focus stays on the slider through the rerun

    # Scrub: reach the view switch from the keyboard, then the slider that sets where the chart starts.
    # The view switch is a radio group: Tab reaches its chosen option, the arrow keys the others.
    for _ in range(10):
        page.keyboard.press("Shift+Tab")
        if active(page)["text"] == "Single":
            break
    assert active(page)["text"] == "Single"
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert active(page)["text"] == "Scrub"
    page.keyboard.press("Enter")
    page.wait_for_function("() => location.search.includes('view=Scrub')")
    settled(page)
    assert active(page)["text"] == "Scrub"
    start = page.evaluate("() => document.querySelector('.js-plotly-plot').layout.sliders[0].active")
    tab_to(page, slider_is(alpha))
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => location.search.includes('alpha=0.04')")
    settled(page)
    assert active(page)["label"] == alpha
    steps = page.evaluate("() => document.querySelector('.js-plotly-plot').layout.sliders[0].steps.map(s => s.label)")
    now = page.evaluate("() => document.querySelector('.js-plotly-plot').layout.sliders[0].active")
    assert steps[start] == "0.01" and steps[now] == "0.05"  # the chart starts at the step nearest α


def test_course_next_and_a_quiz_answer_from_the_keyboard(streamlit_server, page):
    page.goto(f"{streamlit_server}/course?lesson=why-relu")
    settled(page)
    tab_to(page, button_is("Next ▶"))
    page.keyboard.press("Enter")
    page.get_by_text("Step 2 of 4").wait_for()
    settled(page)
    assert active(page)["text"] == "Next ▶"

    page.goto(f"{streamlit_server}/course?lesson=dying-relu&step=3")
    settled(page)
    group = page.get_by_role("radiogroup", name=re.compile(r"^Question 1: "))
    assert group.count() == 1  # a plain accessible name, no Markdown asterisks
    tab_to(page, "a => a.type === 'radio'")
    page.keyboard.press("Space")
    page.get_by_text(re.compile(r"^(Right|Not quite)\.")).first.wait_for()
    settled(page)
    assert active(page)["type"] == "radio"


def test_train_and_stop_hand_the_focus_on(streamlit_server, page):
    page.goto(f"{streamlit_server}/training_lab?epochs=3000&n=2000&seeds=1")
    settled(page)
    tab_to(page, button_is("Train"))
    page.keyboard.press("Enter")
    # Train disables itself while the run trains: the focus goes on to Stop, not to the page's start.
    page.wait_for_function(f"() => ({button_is('Stop')})(document.activeElement) && !document.activeElement.disabled",
                           timeout=60_000)
    page.keyboard.press("Enter")
    page.wait_for_function(f"() => ({button_is('Train')})(document.activeElement) && !document.activeElement.disabled",
                           timeout=60_000)
