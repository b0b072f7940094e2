"""The one way a page shows a chart."""
import streamlit as st

CHART_FONT = dict(family='"Source Sans", sans-serif', color="#31333f")


def chart(fig, key: str, where=st, **kwargs):
    """Show a Plotly figure the fast way. Streamlit's chart theme and Plotly's default template
    send a large template with every redraw that the browser merges in again: without them a
    slider's key press → redrawn chart is about a fifth quicker (docs/benchmarks.md). Plotly.js's
    own defaults (white background, light grid) and the app's font take their place. Without the
    template, axes no longer grow the margins to fit their labels (automargin): each figure sets
    margins wide enough, or turns automargin on for its axes, which costs a measuring pass on
    every redraw. Tick labels may overflow the chart (``ticklabeloverflow="allow"``): Plotly's
    default measures every label on every redraw to hide those that would."""
    fig.layout.template = None
    fig.update_layout(font=CHART_FONT)
    fig.update_xaxes(ticklabeloverflow="allow").update_yaxes(ticklabeloverflow="allow")
    return where.plotly_chart(fig, key=key, theme=None, config={"displayModeBar": False}, **kwargs)

