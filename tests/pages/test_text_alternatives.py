"""Every chart a page shows has an accessible name and its data one click away (app_shell.chart)."""
import pytest

from conftest import open_page


@pytest.mark.parametrize("page, query", [("pages/gallery.py", {}), ("pages/gallery.py", {"view": "Compare", "cmp": "tanh"}),
                                         ("pages/vanishing_gradients.py", {})])
def test_every_chart_has_a_description_and_a_data_expander(page, query):
    at = open_page(page, **query)
    assert not at.exception
    charts = at.get("plotly_chart")
    assert charts
    for c in charts:
        assert any(kind in c.proto.alt.lower() for kind in ("chart", "heatmap", "plot", "histogram")), c.proto.alt
    labels = [e.label for e in at.expander if e.label.startswith("Data: ")]
    assert len(labels) == len(charts)


def test_the_gallery_chart_names_what_it_shows():
    at = open_page("pages/gallery.py", act="elu")
    alt = at.get("plotly_chart")[0].proto.alt
    assert alt.startswith("Line chart.") and "f(x), f′(x)" in alt and "ELU" in alt
