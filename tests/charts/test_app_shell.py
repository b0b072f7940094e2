"""The one way to show a chart: clean log axes, and presenter mode's legend above the plot."""
import numpy as np
import plotly.graph_objects as go

import app_shell
from activations import REGISTRY
from charts.gallery import compare_figure


def test_log_axes_label_powers_of_ten_only():
    fig = go.Figure(go.Scatter(x=[1, 2], y=[0.01, 5]))
    fig.update_yaxes(type="log")
    app_shell._clean_log_axes(fig)
    assert fig.layout.yaxis.dtick == 1 and fig.layout.xaxis.dtick is None
    fig.update_yaxes(dtick="D2")  # a chart's own choice stays
    app_shell._clean_log_axes(fig)
    assert fig.layout.yaxis.dtick == "D2"


def test_a_log_axis_over_many_decades_keeps_plotlys_own_ticks():
    """Thirty decades labelled one by one crowd a 300-px axis (on Vanishing gradients "10" and "1"
    were printed over each other); there Plotly's own ticks are powers of ten already, further apart."""
    fig = go.Figure([go.Scatter(x=[1, 2], y=[1e-30, 10]), go.Scatter(x=[1, 2], y=[1, 2], yaxis="y2")])
    fig.update_layout(yaxis=dict(type="log"), yaxis2=dict(type="log", overlaying="y"))
    app_shell._clean_log_axes(fig)
    assert fig.layout.yaxis.dtick is None and fig.layout.yaxis2.dtick == 1  # each axis by its own traces
    fig = go.Figure(go.Scatter(x=[1, 2], y=[1e-30, 10]))
    fig.update_yaxes(type="log", range=[-2, 1])  # what is shown counts, not the data
    app_shell._clean_log_axes(fig)
    assert fig.layout.yaxis.dtick == 1


def test_presenter_mode_puts_a_legend_that_stood_below_the_plot_above_it():
    fig, _ = compare_figure([REGISTRY[s] for s in ("relu", "tanh", "sigmoid", "elu", "selu")], np.linspace(-3, 3, 61))
    assert fig.layout.legend.y < 0  # below the plot
    top, height = fig.layout.margin.t, fig.layout.height
    app_shell.presenter(fig)
    assert (fig.layout.legend.yref, fig.layout.legend.y, fig.layout.legend.yanchor) == ("container", 1, "top")
    assert fig.layout.margin.t > top + 18 and fig.layout.height - height == fig.layout.margin.t - top
    assert fig.layout.xaxis.automargin and fig.layout.yaxis.automargin  # axis titles never clipped
    assert fig.layout.font.size == app_shell.PRESENTER_FONT


def test_presenter_mode_sets_every_text_of_a_chart_to_at_least_18_px():
    """A legend's title (several charts name themselves there) was left at its own 15 px."""
    fig = go.Figure(go.Scatter(x=[1, 2], y=[1, 2], name="a"))
    fig.update_layout(legend_title_text="What the chart shows", legend_title_font_size=15)
    app_shell.presenter(fig)
    assert fig.layout.legend.title.font.size >= app_shell.PRESENTER_FONT
    assert fig.layout.legend.font.size >= app_shell.PRESENTER_FONT


def _intro_page():
    import streamlit as st

    import app_shell
    app_shell.intro("What the page teaches.\n\nAnd more of it.", st.session_state.get("present", False))


def test_an_introduction_folds_away_in_presenter_mode_only():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_intro_page)
    at.run()
    assert not at.expander and "And more of it." in at.markdown[0].value
    at = AppTest.from_function(_intro_page)
    at.session_state["present"] = True
    at.run()
    assert at.expander[0].label == "Introduction" and "And more of it." in at.expander[0].markdown[0].value
