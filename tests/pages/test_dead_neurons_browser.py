"""Browser test: click through the walk-through to the Leaky ReLU step and read the gradient."""
import pytest

from conftest import wait_idle


def metric_value(page, label: str) -> str:
    """A value of the walk-through's read-out table, by the start of its column's label."""
    table = page.locator("table", has_text="∂L/∂w₁").first
    heads = [h.strip() for h in table.locator("th").all_inner_texts()]
    cells = [c.strip() for c in table.locator("td").all_inner_texts()]
    return next(c for h, c in zip(heads, cells) if h.startswith(label))


@pytest.mark.browser
def test_walk_through_to_leaky_relu(page, streamlit_server):
    page.goto(streamlit_server)  # the app first, so the server runs app.py's navigation
    wait_idle(page)
    page.goto(f"{streamlit_server}/dead_neurons")
    wait_idle(page)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert metric_value(page, "∂L/∂w₁") == "0"
    page.get_by_role("button", name="Next ▶").click()
    page.wait_for_function("() => document.body.innerText.includes('Step 2 of 3')")
    wait_idle(page)
    assert metric_value(page, "∂L/∂w₁") == "0.0009552"
    assert metric_value(page, "w_new") == "0.49990448"
    assert "step=2" in page.url
    # The link reopens the same step in a fresh tab.
    other = page.context.new_page()
    other.goto(page.url)
    wait_idle(other)
    other.wait_for_function("() => document.body.innerText.includes('Step 2 of 3')")
    assert metric_value(other, "∂L/∂w₁") == "0.0009552"
