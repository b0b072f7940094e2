"""AppTest for the Vanishing gradients page: live gradient norms, slope bounds, SELU, bad links."""
import pytest

from conftest import chart_spec, decode, open_page

PAGE = "pages/vanishing_gradients.py"


def test_gradient_norms_per_layer():
    at = open_page(PAGE, timeout=90)
    assert not at.exception and not at.warning
    traces = {t["name"]: decode(t["y"]) for t in chart_spec(at, key="grad_chart")["data"]}
    assert len(traces) == 5 and all(len(y) == 20 for y in traces.values())
    sigmoid, relu = traces["Sigmoid (logistic) (Xavier/Glorot normal)"], traces["ReLU (He normal)"]
    assert sigmoid[0] / relu[0] < 1e-6  # first layer: orders of magnitude apart
    assert sigmoid[0] < sigmoid[-1] * 1e-6  # sigmoid's gradient vanishes towards the input
    assert chart_spec(at, key="grad_chart")["layout"]["yaxis"]["type"] == "log"
    assert any("agrees with PyTorch's autograd" in m.value for m in at.markdown)

    at.slider(key="vanishing.depth").set_value(50).run()
    at.slider(key="vanishing.width").set_value(60).run()
    assert all(len(decode(t["y"])) == 50 for t in chart_spec(at, key="grad_chart")["data"])
    at.selectbox(key="vanishing.init").set_value("lecun").run()
    assert all("LeCun normal" in t["name"] for t in chart_spec(at, key="grad_chart")["data"])
    assert at.query_params["init"] == "lecun"
    at.multiselect(key="vanishing.acts").set_value(["gelu", "elu"]).run()
    assert [t["name"] for t in chart_spec(at, key="grad_chart")["data"]] == ["GELU (LeCun normal)", "ELU (LeCun normal)"]
    at.multiselect(key="vanishing.acts").set_value([]).run()
    assert not at.exception and at.info


def test_slope_bounds():
    at = open_page(PAGE, timeout=90)
    bounds = {t.get("name"): decode(t["y"]) for t in chart_spec(at, key="bounds_chart")["data"]}
    assert bounds["Sigmoid (logistic)′"].max() == pytest.approx(0.25)
    assert bounds["tanh′"].max() == pytest.approx(1.0)
    products = {t["name"]: decode(t["y"]) for t in chart_spec(at, key="slope_chart")["data"]}
    assert (products["Sigmoid (logistic) (Xavier/Glorot normal)"] <= products["0.25ˡ (sigmoid's best case)"] + 1e-15).all()


def test_selu_self_normalises():
    at = open_page(PAGE, timeout=90)
    norm = chart_spec(at, key="norm_chart")["data"]
    means = {t["name"]: decode(t["y"]) for t in norm if t.get("xaxis") is None}
    variances = {t["name"]: decode(t["y"]) for t in norm if t.get("xaxis") == "x2"}
    assert abs(means["SELU, LeCun normal"][-1]) < 0.1 and abs(variances["SELU, LeCun normal"][-1] - 1) < 0.2
    assert variances["SELU, He (wrong init)"][-1] > 10
    mean, var = means["SELU, LeCun normal"][-1], variances["SELU, LeCun normal"][-1]
    assert f"#### SELU + LeCun normal at layer 50: mean {mean:+.3f}, variance {var:.3f}" in [m.value for m in at.markdown]
    at.slider(key="vanishing.norm_depth").set_value(10).run()
    assert len(decode(chart_spec(at, key="norm_chart")["data"][0]["y"])) == 10


def test_a_link_reopens_the_view():
    at = open_page(PAGE, timeout=90, depth="8", init="xavier", acts="tanh,relu", data="breast_cancer")
    assert not at.warning
    names = [t["name"] for t in chart_spec(at, key="grad_chart")["data"]]
    assert names == ["tanh (Xavier/Glorot normal)", "ReLU (Xavier/Glorot normal)"]
    assert len(decode(chart_spec(at, key="grad_chart")["data"][0]["y"])) == 8


@pytest.mark.parametrize("query, expected", [
    ({"depth": "abc"}, "Depth = `abc`"), ({"depth": "999"}, "Depth = `999`"), ({"width": "nan"}, "Width = `nan`"),
    ({"depth": "2.5"}, "Depth = `2.5` in the link is not a whole number"), ({"width": "15"}, "not a step of 10"),
    ({"init": "zzz"}, "Initialisation = `zzz`"), ({"data": "mnist"}, "Data = `mnist`"),
    ({"acts": "relu,foo"}, "`foo` in the link names unknown choices"), ({"acts": "relu,relu"}, None),
])
def test_bad_link_values_warn_and_fall_back(query, expected):
    at = open_page(PAGE, timeout=90, **query)
    assert not at.exception
    if expected is None:  # repeats collapse, without a warning
        assert not at.warning and at.multiselect(key="vanishing.acts").value == ["relu"]
    else:
        assert any(expected in w.value for w in at.warning), [w.value for w in at.warning]
    assert chart_spec(at, key="grad_chart")["data"]


def test_saturation_section():
    at = open_page(PAGE, timeout=90, sat_scale="8")
    assert not at.exception and not at.warning
    table = next(m.value for m in at.markdown if m.value.startswith("| weights of norm 8"))
    sigmoid, relu = table.splitlines()[2:]
    assert relu.split("|")[3].strip() == "1.0000"  # ReLU's slope on the active side, at any scale
    assert float(sigmoid.split("|")[4].strip(" %")) > 40  # most of the sigmoid's inputs sit in the flat tails
    at.segmented_control(key="vanishing.sat_act").set_value("tanh").run()
    at.slider(key="vanishing.sat_scale").set_value(0.5).run()
    assert at.query_params["sat_act"] == "tanh" and at.query_params["sat_scale"] == "0.5"
    bars = chart_spec(at, key="sat_chart")["data"]
    assert [t["name"] for t in bars if t.get("xaxis") == "x2"] == ["tanh′(z) ÷ its peak", "ReLU′(z) ÷ its peak"]
