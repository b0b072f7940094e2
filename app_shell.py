"""The one way a page shows a chart."""
import streamlit as st

CHART_FONT = dict(family='"Source Sans", sans-serif', color="#31333f")
PRESENTER_FONT, PRESENTER_TITLE = 18, 24


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
    if st.session_state.get("app.present"):
        presenter(fig)
    return where.plotly_chart(fig, key=key, theme=None, config={"displayModeBar": False}, **kwargs)



def presenter(fig) -> None:
    """Chart text for a projector: every label at least 18 px, titles 24 px; margins grow to fit."""
    big = dict(size=PRESENTER_FONT)
    fig.update_layout(font_size=PRESENTER_FONT, legend_font=big, hoverlabel_font=big, title_font_size=PRESENTER_TITLE)
    fig.update_annotations(font_size=PRESENTER_FONT)
    fig.update_xaxes(tickfont=big, title_font=big, automargin=True)
    fig.update_yaxes(tickfont=big, title_font=big, automargin=True)
    fig.update_traces(selector=lambda t: "colorbar" in t, colorbar_tickfont=big)
    if fig.layout.legend.orientation == "h":  # below the plot, clear of the bigger axis titles
        fig.update_layout(legend=dict(yref="container", y=0, yanchor="bottom"),
                          margin_b=(fig.layout.margin.b or 30) + 60, height=(fig.layout.height or 450) + 60)
