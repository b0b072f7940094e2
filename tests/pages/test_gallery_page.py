"""The gallery page driven with Streamlit's AppTest."""
import numpy as np
import pytest
from conftest import chart_spec, decode, open_page

from activations import REGISTRY, rrelu_test_slopes
from charts.gallery import scrub_values


def open_gallery(**query):
    return open_page("pages/gallery.py", **query)


def traces(at, index=0):
    """The plotted traces of the index-th chart, arrays decoded."""
    return [{"x": decode(t["x"]), "y": decode(t["y"]), "name": t.get("name")}
            for t in chart_spec(at, index)["data"]]


def slider(at, label):
    return next(s for s in at.slider if s.label == label)


def readout(at) -> dict:
    """The inspector's line "x = … f(x) = … f′(x) = …" as numbers."""
    line = next(m.value for m in at.markdown if m.value.startswith("#### x = "))
    parts = [p.split(" = ") for p in line[5:].split(" &emsp; ")]
    return {name: float(value) for name, value in parts}


@pytest.mark.parametrize("slug", list(REGISTRY))
def test_every_activation_renders_without_exception(slug):
    at = open_gallery(act=slug)
    assert not at.exception, at.exception
    assert at.selectbox(key="gallery.act").value == slug
    act = REGISTRY[slug]
    curve = traces(at)[0]
    np.testing.assert_allclose(curve["y"], next(iter(act.curves(curve["x"]).values()))[0], atol=1e-12)
    assert [s.label for s in at.slider][: len(act.params)] == [p.label for p in act.params]
    assert at.subheader[0].value == act.name and act.latex in at.latex[0].value
    assert not at.warning


def test_moving_the_alpha_slider_changes_the_plotted_data():
    at = open_gallery(act="leaky_relu")
    before = traces(at)[0]["y"].copy()
    slider(at, "α (negative slope)").set_value(0.5).run()
    after = traces(at)[0]
    assert not np.array_equal(before, after["y"])
    np.testing.assert_allclose(after["y"], np.where(after["x"] > 0, after["x"], 0.5 * after["x"]))
    assert at.query_params["alpha"] == ["0.5"] or at.query_params["alpha"] == "0.5"


def test_preset_buttons_set_alpha():
    at = open_gallery(act="leaky_relu")
    presets = next(b for b in at.button_group if b.key == "preset.gallery.leaky_relu.alpha")
    presets.set_value("0.5").run()
    assert slider(at, "α (negative slope)").value == pytest.approx(0.5)
    assert next(b for b in at.button_group if b.key == "preset.gallery.leaky_relu.alpha").value is None  # acts as a button
    assert readout(at)["f(x)"] == 0.0  # x = 0
    slider(at, "Inspect x").set_value(-2.0).run()
    assert readout(at)["f(x)"] == pytest.approx(-1.0)  # 0.5 · (−2)


@pytest.mark.parametrize("query, fragment", [
    ({"act": "garbage"}, "Activation = `garbage` in the link is not one of the choices; using ReLU."),
    ({"act": "elu", "alpha": "banana"}, "is not a number"),
    ({"act": "elu", "alpha": "1e9"}, "is not a number"),
    ({"act": "leaky_relu", "alpha": "nan"}, "is not a number"),
    ({"view": "3d"}, "is not one of"),
    ({"x": "inf"}, "Inspect x"),
    ({"xr": "5,1"}, "Plot range"),
    ({"view": "Compare", "cmp": "relu,<script>"}, "`?script?` in the link names unknown choices"),
])
def test_garbage_url_parameters_show_a_warning_and_fall_back(query, fragment):
    at = open_gallery(**query)
    assert not at.exception
    assert any(fragment in w.value for w in at.warning), [w.value for w in at.warning]
    assert at.get("plotly_chart")  # the page still draws


def test_url_state_reopens_the_same_view():
    at = open_gallery(act="elu", alpha="2.5", x="-1")
    assert slider(at, "α").value == pytest.approx(2.5)
    shown = readout(at)
    assert shown["x"] == pytest.approx(-1)
    assert shown["f(x)"] == pytest.approx(2.5 * (np.exp(-1) - 1), abs=1e-5)
    assert shown["f′(x)"] == pytest.approx(2.5 * np.exp(-1), abs=1e-5)
    assert at.query_params["act"] in ("elu", ["elu"])


def test_inspector_marks_the_point_on_both_curves():
    at = open_gallery(act="sigmoid", x="0")
    markers = [t for t in traces(at) if len(t["x"]) == 1]
    assert [float(t["y"][0]) for t in markers] == pytest.approx([0.5, 0.25])


def test_rrelu_train_mode_shows_band_samples_and_three_slopes():
    at = open_gallery(act="rrelu", mode="train")
    names = [t["name"] for t in traces(at)]
    assert "possible outputs in training" in names and "sampled slopes" in names
    s = rrelu_test_slopes()
    text = " ".join(m.value for m in at.markdown)
    for v in s.values():
        assert f"{v:.6f}" in text
    at.segmented_control(key="gallery.mode").set_value("test").run()
    assert "sampled slopes" not in [t["name"] for t in traces(at)]


def test_rrelu_ndsb_preset():
    at = open_gallery(act="rrelu", lower="0.5", upper="0.9")
    assert slider(at, "lower slope bound").value == pytest.approx(0.5)
    next(b for b in at.button if "NDSB" in b.label).click().run()
    assert slider(at, "lower slope bound").value == pytest.approx(1 / 8)
    assert slider(at, "upper slope bound").value == pytest.approx(1 / 3)


def test_compare_view_overlays_chosen_activations():
    at = open_gallery(act="relu", view="Compare", cmp="tanh,sigmoid")
    names = {t["name"] for t in traces(at)}
    assert {"ReLU", "tanh", "Sigmoid (logistic)"} <= names
    assert len(traces(at)) == 6  # three functions and three derivatives


def test_scrub_view_carries_precomputed_steps_in_the_chart():
    at = open_gallery(act="elu", view="Scrub")
    spec = chart_spec(at)
    steps = spec["layout"]["sliders"][0]["steps"]
    assert len(steps) >= 15
    values = scrub_values(REGISTRY["elu"], "alpha")
    assert len(steps) == len(values) and values[spec["layout"]["sliders"][0]["active"]] == 1.0
    x = np.asarray(traces(at)[0]["x"])
    for step, alpha in zip(steps, values):
        np.testing.assert_allclose(step["args"][0]["y"][0], REGISTRY["elu"].forward(x, alpha=alpha), atol=1e-5)
        np.testing.assert_allclose(step["args"][0]["y"][1], REGISTRY["elu"].derivative(x, alpha=alpha), atol=1e-5)
    assert not at.exception


def test_scrub_view_of_an_activation_without_parameters_explains_itself():
    at = open_gallery(act="relu", view="Scrub")
    assert at.info and "no parameter" in at.info[0].value
