"""AppTest for the Mixture density networks page: train, read the result, slice p(y | x), bad links."""
import pytest

from conftest import chart_spec, decode, open_page, open_with_bad_link, rerun_until

PAGE = "pages/mixture_density.py"


def trained(**query):
    at = open_page(PAGE, **query)
    if not any("mdn_fit" in c.proto.id for c in at.get("plotly_chart")):  # not trained yet
        at.button(key="mdn.train").click().run()
    return rerun_until(at, lambda at: any(m.value.startswith("| on 1,000 held-out points") for m in at.markdown))


@pytest.mark.slow
def test_train_then_compare_and_slice():
    at = trained()
    assert not at.exception and not at.warning
    row = next(m.value for m in at.markdown if m.value.startswith("| on 1,000")).splitlines()[2]
    mdn_nll, mse_nll = (float(c.strip(" *").replace("−", "-")) for c in row.strip("|").split("|")[-2:])
    assert mdn_nll < mse_nll
    slice_ = {t["name"]: t for t in chart_spec(at, key="mdn_slice")["data"]}
    assert len(decode(slice_["noise-free inverse at x"]["x"])) == 3  # x = 0.5: three branches
    at.slider(key="mdn.x").set_value(0.1).run()
    slice_ = {t["name"]: t for t in chart_spec(at, key="mdn_slice")["data"]}
    assert len(decode(slice_["noise-free inverse at x"]["x"])) == 1 and at.query_params["x"] == "0.1"
    at.segmented_control(key="mdn.view").set_value("density").run()
    assert chart_spec(at, key="mdn_samples")["data"][0]["type"] == "heatmap"
    assert not at.exception


@pytest.mark.parametrize("query, expected", [
    ({"m": "0"}, "Components = `0` in the link is not a whole number from 1 to 8"),
    ({"scale": "relu"}, "Scale activation = `relu` in the link is not one of the choices"),
    ({"x": "abc"}, "Input x = `abc`"), ({"steps": "150"}, "not a step of 100"),
])
def test_bad_link_values_warn_and_fall_back(query, expected):
    at = open_with_bad_link(PAGE, expected, **query)
    assert at.button(key="mdn.train")


def test_bishops_data_is_plotted_before_train():
    """Issue 20, item 9: the page's first screen had nothing to look at until Train."""
    import numpy as np

    from lessons import mdn

    at = open_page(PAGE, steps="3900")  # settings no other test trains (a run is kept for everybody)
    assert not at.exception
    x, y = mdn.training_data()
    points = chart_spec(at, key="mdn_data")["data"][0]
    assert np.array_equal(decode(points["x"]), x.numpy().ravel()) and len(decode(points["y"])) == 500
