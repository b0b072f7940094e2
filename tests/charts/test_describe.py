"""Every chart's text alternative: a description read off the figure, and its data as a table."""
import numpy as np

from activations import REGISTRY
from charts.describe import MAX_ROWS_PER_SERIES, chart_title, describe, table
from charts.gallery import compare_figure, curve_figure
from charts.lessons import fractions_figure


def test_a_gallery_chart_is_described_by_its_kind_panels_and_series():
    x = np.linspace(-5, 5, 201)
    fig, _ = curve_figure(REGISTRY["relu"], x, {}, 0.0)
    text = describe(fig)
    assert text.startswith("Line chart")
    assert "2 panels: f(x), f′(x)" in text and "Series: ReLU." in text and "x axis: x." in text


def test_the_table_holds_the_plotted_values_per_panel():
    x = np.linspace(-5, 5, 201)
    fig, _ = compare_figure([REGISTRY["relu"], REGISTRY["tanh"]], x)
    t = table(fig)
    assert set(t["series"]) == {"ReLU", "tanh"} and set(t["panel"]) == {"f(x)", "f′(x)"}
    tanh_d = t[(t.series == "tanh") & (t.panel == "f′(x)")]
    np.testing.assert_allclose(tanh_d["y"], 1 - np.tanh(tanh_d["x"]) ** 2, atol=1e-12)
    assert len(tanh_d) == len(x)


def test_a_long_series_is_thinned_and_a_heatmap_becomes_rows():
    import plotly.graph_objects as go

    fig = go.Figure([go.Scatter(x=np.arange(5000), y=np.arange(5000) ** 2, name="long"),
                     go.Heatmap(z=np.arange(6).reshape(2, 3), x=[10, 20, 30], y=[1, 2], name="map")])
    t = table(fig)
    long = t[t.series == "long"]
    assert len(long) == MAX_ROWS_PER_SERIES and long["x"].iloc[-1] == 4999
    np.testing.assert_array_equal((long["x"] ** 2).to_numpy(), long["y"].to_numpy())
    heat = t[t.series == "map"]
    assert heat[["x", "y", "z"]].to_numpy().tolist() == [[10, 1, 0], [20, 1, 1], [30, 1, 2], [10, 2, 3], [20, 2, 4],
                                                         [30, 2, 5]]
    assert describe(fig).startswith("Line chart and heatmap")


def test_a_lesson_chart_takes_its_title_from_its_legend():
    from lessons.dying import DyingRun  # noqa: F401  (the type only)

    class Run:
        act, steps = "relu", 3
        off_fraction = dead_fraction = np.zeros(4)

    fig = fractions_figure({"ReLU": Run()})
    assert chart_title(fig) == "Units switched off and units dead, per training step"
    assert describe(fig).startswith("Line chart: Units switched off")
