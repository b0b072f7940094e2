"""Start here opens with something to touch (issue 20, item 9): ReLU and its slope, live, with the
α that turns it into Leaky ReLU."""
import numpy as np
import pytest

from activations import REGISTRY
from conftest import chart_spec, decode, open_page


def curves(at):
    data = chart_spec(at, key="home_curve")["data"]
    f, d = (next(t for t in data if t.get("name") == name) for name in ("Leaky ReLU", "Leaky ReLU′"))
    return decode(f["x"]), decode(f["y"]), decode(d["y"])


def test_start_here_opens_with_relu_and_its_slope_and_an_alpha_slider():
    at = open_page("pages/home.py")
    assert not at.exception
    x, f, d = curves(at)
    assert np.array_equal(f, np.maximum(0, x)) and np.all(d[x < 0] == 0) and np.all(d[x > 0] == 1)  # ReLU
    at.slider(key="home.alpha").set_value(0.3).run()
    x, f, d = curves(at)
    leaky = REGISTRY["leaky_relu"]
    assert f == pytest.approx(leaky.forward(x, alpha=0.3)) and d == pytest.approx(leaky.derivative(x, alpha=0.3))
    assert at.query_params["alpha"] in ("0.3", ["0.3"])
