"""What the pages share: a guard that makes the app run through ``app.py``'s navigation, and
the one way to show a chart.

``ensure_navigation`` is called first by every page.
Streamlit still supports the old multipage mode in which every file in ``pages/`` is its own
app. A server decides which mode to use on the first page a browser opens: if that first page is
a deep link (say ``/gallery?act=elu``), the page would run on its own, without ``app.py``'s
page config and sidebar. This guard notices that case, switches the server to ``st.navigation``
for good and reruns, so shared links work on a freshly started server too."""
import gc
import sys

import streamlit as st


navigation_ready = False  # set by app.py once st.navigation has run in this process
_modules_frozen = 0


def ensure_navigation() -> None:
    from streamlit.runtime.pages_manager import PagesManager

    if not navigation_ready and PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


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


def freeze_new_imports() -> None:
    """Hide long-lived objects from the garbage collector once a page has imported new modules.

    torch alone brings about 140,000 objects, and a full collection has to walk every one of
    them: about 70 ms here, several times in the reruns of one slider move, which made the torch
    pages answer a key press twice as slowly as a bare page. ``gc.freeze`` moves everything
    alive into a permanent generation that collections skip. It runs only when ``sys.modules``
    has grown (a page's first visit in this process), so what it keeps alive is bounded."""
    global _modules_frozen
    if len(sys.modules) > _modules_frozen:
        _modules_frozen = len(sys.modules)
        gc.freeze()
