"""The gallery page driven with Streamlit's AppTest."""
import numpy as np
import pytest

from activations import REGISTRY, RRELU_SCHEMES, rrelu_draw_slopes, rrelu_expected_slopes, rrelu_test_slopes
from charts.gallery import scrub_values
from conftest import chart_spec, decode, open_page


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


def rrelu_table(at) -> dict[str, dict[str, float]]:
    """The page's RReLU schemes table: {scheme: {row label: bold number}}, the scheme read from the
    column's heading ("nn.RReLU" is PyTorch's uniform-slope scheme, "Xu et al." the divisor one)."""
    text = next(m.value for m in at.markdown if "| Expected training slope |" in m.value)
    rows = [[c.strip() for c in line.strip().strip("|").split("|")] for line in text.splitlines() if line.startswith("|")]
    heading = rows[0]
    schemes = ["slope" if "nn.RReLU" in h else "divisor" if "Xu et al." in h else None for h in heading[1:]]
    assert sorted(s for s in schemes if s) == ["divisor", "slope"], heading
    out = {s: {} for s in schemes if s}
    for row in rows[2:]:
        for scheme, cell in zip(schemes, row[1:]):
            if scheme and "**" in cell:
                out[scheme][row[0]] = float(cell.split("**")[1])
    return out, heading


@pytest.mark.parametrize("query", [{}, {"lower": "0.05", "upper": "0.5"}, {"lower": "0.3", "upper": "0.6"}])
def test_rrelu_stated_expected_training_slope_is_the_mean_of_the_slopes_its_scheme_draws(query):
    """Each scheme's stated expected training slope equals the mean of 10⁵ slopes drawn by that
    scheme (the registry's training mode, and torch's nn.RReLU for PyTorch's scheme)."""
    import torch

    at = open_gallery(act="rrelu", **query)
    assert not at.exception
    table, heading = rrelu_table(at)
    lower, upper = slider(at, "lower slope bound").value, slider(at, "upper slope bound").value
    x = -np.ones(10**5)
    for scheme in RRELU_SCHEMES:
        drawn = -REGISTRY["rrelu"].forward(x, training=True, scheme=scheme, rng=np.random.default_rng(7),
                                           lower=lower, upper=upper)
        assert table[scheme]["Expected training slope"] == pytest.approx(drawn.mean(), abs=1e-3), scheme
    # The column that names to_torch() is the scheme torch's module really draws by.
    torch_column = next(i for i, h in enumerate(heading[1:]) if "to_torch()" in h)
    assert "nn.RReLU" in heading[1 + torch_column]
    module = REGISTRY["rrelu"].to_torch(lower=lower, upper=upper).train()
    torch.manual_seed(0)
    drawn = -module(torch.full((10**5,), -1.0, dtype=torch.float64))
    assert table["slope"]["Expected training slope"] == pytest.approx(drawn.mean().item(), abs=1e-3)
    # ... and its evaluation slope is the test-time slope stated for it.
    assert table["slope"]["Test-time slope"] == pytest.approx(-module.eval()(torch.tensor([-1.0])).item(), abs=1e-6)
    assert table["divisor"]["Test-time slope"] == pytest.approx(rrelu_test_slopes(lower, upper)["divisor"], abs=1e-6)


def test_rrelu_histograms_of_both_schemes():
    at = open_gallery(act="rrelu")
    spec = chart_spec(at, key="rrelu_schemes")
    bars = [t for t in spec["data"] if t["type"] == "bar"]
    assert len(bars) == 2 and {t.get("xaxis", "x") for t in bars} == {"x", "x2"}
    expected, test = rrelu_expected_slopes(), rrelu_test_slopes()
    for bar, scheme in zip(bars, RRELU_SCHEMES):
        centres, density = decode(bar["x"]), decode(bar["y"])
        width = centres[1] - centres[0]
        assert (density * width).sum() == pytest.approx(1.0)  # a density over the drawn slopes
        assert (centres * density * width).sum() == pytest.approx(expected[scheme], abs=2e-3)
        lines = {t["name"]: decode(t["x"])[0] for t in spec["data"]
                 if t["type"] == "scatter" and t.get("xaxis", "x") == bar.get("xaxis", "x")}
        assert lines == pytest.approx({"expected training slope": expected[scheme], "test-time slope": test[scheme]})
    # uniform slopes: a flat histogram; uniform divisors: the density of 1/d falls as the slope grows
    slope_density, divisor_density = decode(bars[0]["y"]), decode(bars[1]["y"])
    assert slope_density.std() / slope_density.mean() < 0.05
    assert divisor_density[:5].mean() > 4 * divisor_density[-5:].mean()


def test_rrelu_train_mode_shows_band_samples_and_both_schemes():
    at = open_gallery(act="rrelu", mode="train")
    names = [t["name"] for t in traces(at)]
    assert "possible outputs in training" in names and "sampled slopes" in names
    text = " ".join(m.value for m in at.markdown)
    for values in (rrelu_test_slopes(), rrelu_expected_slopes()):
        for v in values.values():
            assert f"{v:.6f}" in text
    at.segmented_control(key="gallery.mode").set_value("test").run()
    assert "sampled slopes" not in [t["name"] for t in traces(at)]


@pytest.mark.parametrize("scheme", RRELU_SCHEMES)
def test_rrelu_test_curve_uses_the_chosen_schemes_test_slope(scheme):
    at = open_gallery(act="rrelu", scheme=scheme, x="-2")
    assert not at.exception and not at.warning
    curve = traces(at)[0]
    neg = curve["x"] < 0
    np.testing.assert_allclose(curve["y"][neg] / curve["x"][neg], rrelu_test_slopes()[scheme])
    assert readout(at)["f′(x)"] == pytest.approx(rrelu_test_slopes()[scheme], abs=1e-6)


def test_rrelu_ndsb_preset_sets_the_bounds_and_xu_et_als_scheme():
    at = open_gallery(act="rrelu", lower="0.5", upper="0.9")
    assert slider(at, "lower slope bound").value == pytest.approx(0.5)
    assert at.radio(key="gallery.scheme").value == "slope"
    next(b for b in at.button if "NDSB" in b.label).click().run()
    assert slider(at, "lower slope bound").value == pytest.approx(1 / 8)
    assert slider(at, "upper slope bound").value == pytest.approx(1 / 3)
    assert at.radio(key="gallery.scheme").value == "divisor"
    assert at.query_params["scheme"] in ("divisor", ["divisor"])
    at.segmented_control(key="gallery.mode").set_value("train").run()  # the sampled slopes are drawn by divisors
    samples = [t for t in traces(at) if t["name"] == "sampled slopes"]
    drawn = [t["y"][0] / t["x"][0] for t in samples]  # x[0] < 0: the sample's slope
    expected = rrelu_draw_slopes(5, 1 / 8, 1 / 3, "divisor", np.random.default_rng(0))
    np.testing.assert_allclose(drawn, expected, rtol=1e-12)


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
    message = at.info[0].value
    tunable = [a.name for a in REGISTRY.values() if a.params]
    assert {"Parametric ReLU (PReLU)", "CELU", "Softmax"} <= set(tunable)
    for name in tunable:  # every activation with a parameter, and none without
        assert name in message
    for a in REGISTRY.values():
        if not a.params and a.slug != "relu":
            assert a.name not in message, a.name


def test_readme_counts_the_gallerys_activations():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    assert f"Pick any of {len(REGISTRY)} activations" in readme
    at = open_page("pages/home.py")
    assert any(f"{len(REGISTRY)} activations in the gallery" in s.value for s in at.subheader)


def test_gelu_and_its_tanh_approximation_are_both_in_the_gallery():
    for slug in ("gelu", "gelu_tanh"):
        at = open_gallery(act=slug, x="-2.7")
        assert not at.exception
        assert any("4.7·10⁻⁴" in i.value for i in at.info)
    at = open_gallery(act="gelu", view="Compare", cmp="gelu_tanh")
    names = {t["name"] for t in traces(at)}
    assert {"GELU", "GELU (tanh approximation)"} <= names


def test_the_axes_stay_fixed_while_a_parameter_moves():
    ranges = []
    for alpha in ("0", "0.5"):
        layout = chart_spec(open_gallery(act="leaky_relu", alpha=alpha), key="chart")["layout"]
        ranges.append((layout["yaxis"]["range"], layout["yaxis2"]["range"]))
    assert ranges[0] == ranges[1]
    (f_lo, f_hi), (d_lo, d_hi) = ranges[0]
    assert f_lo <= -5 and f_hi >= 5 and d_lo <= 0 and d_hi >= 1  # α from 0 to 1 over x in [−5, 5]


def test_scrub_starts_at_the_current_value_with_fixed_axes():
    at = open_gallery(act="leaky_relu", alpha="0.5", view="Scrub")
    layout = chart_spec(at, key="scrub_chart")["layout"]
    slider = layout["sliders"][0]
    assert slider["steps"][slider["active"]]["label"] == "0.5"
    assert layout["yaxis"]["range"] == chart_spec(open_gallery(act="leaky_relu"), key="chart")["layout"]["yaxis"]["range"]


def test_a_curve_that_lies_on_another_is_dashed_and_named():
    at = open_gallery(act="relu", view="Compare", cmp="leaky_relu,tanh")
    traces = chart_spec(at, key="cmp_chart")["data"]
    leaky = next(t for t in traces if t.get("name") == "Leaky ReLU" and t["xaxis"] == "x")
    tanh = next(t for t in traces if t.get("name") == "tanh" and t["xaxis"] == "x")
    assert leaky["line"]["dash"] == "dash" and tanh["line"]["dash"] == "solid"
    assert any("Leaky ReLU lies on ReLU" in c.value for c in at.caption)
    assert not any("tanh lies on" in c.value for c in at.caption)
