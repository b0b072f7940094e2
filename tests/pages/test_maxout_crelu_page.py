"""AppTest for the Maxout and CReLU page: fits for every K, CReLU's check and cost, PReLU live, bad links."""
import numpy as np
import pytest

from conftest import chart_spec, decode, open_page, open_with_bad_link, rerun_until

PAGE = "pages/maxout_crelu.py"


def test_k_two_fits_abs_exactly_and_more_pieces_fit_x_squared_better():
    at = open_page(PAGE)
    assert not at.exception and not at.warning
    assert any("with K = 2: **0 (exact)**" in m.value for m in at.markdown)
    fit = {t["name"]: decode(t["y"]) for t in chart_spec(at, key="maxout_fit")["data"]}
    np.testing.assert_allclose(fit["maxout: their maximum, K = 2"], fit["target |x|"], atol=1e-12)
    at.selectbox(key="maxout.target").set_value("square").run()
    errors = decode(chart_spec(at, key="maxout_error")["data"][0]["y"])
    assert len(errors) == 8 and np.all(np.diff(errors) <= 0)
    at.slider(key="maxout.k").set_value(6).run()
    assert at.query_params["k"] == "6" and at.query_params["target"] == "square"
    assert len([line for m in at.markdown if m.value.startswith("| piece j") for line in m.value.splitlines()
                if line.startswith("| ") and line[2].isdigit()]) == 6


def test_crelu_check_and_cost():
    at = open_page(PAGE, units="10", next="20", kernel="1")
    assert any("‖CReLU(x)‖ − |x|| is **0**" in m.value for m in at.markdown)
    cost = next(m.value for m in at.markdown if m.value.startswith("| the next"))
    assert "| 220 |" in cost and "**420**" in cost
    at.number_input(key="maxout.kernel").set_value(3).run()
    cost = next(m.value for m in at.markdown if m.value.startswith("| the next"))
    assert "the next 3×3 layer" in cost and "| 1,820 |" in cost and "**3,620**" in cost


def test_prelu_per_unit_against_per_layer_trains_live():
    at = open_page(PAGE, p_steps="200")
    at.button(key="maxout.prelu.train").click().run()
    rerun_until(at, lambda at: any(m.value.startswith("| | learned slopes") for m in at.markdown))
    rows = next(m.value for m in at.markdown if m.value.startswith("| | learned slopes")).splitlines()[2:]
    assert rows[0].split("|")[2].strip() == "32" and rows[1].split("|")[2].strip() == "2"
    names = {t["name"] for t in chart_spec(at, key="prelu_slopes")["data"]}
    assert names == {"one slope per unit", "one slope per layer"}


@pytest.mark.parametrize("query, expected", [
    ({"k": "1"}, "K = `1` in the link is not a whole number from 2 to 8; using 2."),
    ({"k": "2.5"}, "K = `2.5`"), ({"target": "sin"}, "Target = `sin`"), ({"units": "-3"}, "Units before = `-3`"),
    ({"p_data": "digits"}, "Data = `digits`"),
])
def test_bad_link_values_warn_and_fall_back(query, expected):
    at = open_with_bad_link(PAGE, expected, **query)
    assert chart_spec(at, key="maxout_fit")["data"]
