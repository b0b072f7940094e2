"""The one way a page shows a chart, and the page styling every page shares (presenter mode, the
focus ring)."""
import math

import numpy as np
import streamlit as st

from charts.describe import chart_title, describe, table

CHART_FONT = dict(family='"Source Sans", sans-serif', color="#31333f")
PRESENTER_FONT, PRESENTER_TITLE = 18, 24
#: The keyboard focus ring: ReLU's blue from the palette, 8.0:1 on white (WCAG 2.2 asks 3:1).
FOCUS_RING = "#1f4e9c"
#: Captions: Streamlit draws them in its grey at 60 % opacity, #7f7e7d in effect, 3.8:1 on the
#: sidebar (axe: color-contrast); this grey, opaque, has 5.3:1 on the sidebar's #f1f0ee, 6.1:1 on white.
CAPTION_CSS = ("[data-testid='stCaptionContainer'] { opacity: 1 !important; }"
               "[data-testid='stCaptionContainer'], [data-testid='stCaptionContainer'] * { color: #64625e !important; }")


def chart(fig, key: str, where=st, alt: str | None = None, **kwargs):
    """Show a Plotly figure the fast way, with its text alternative. Streamlit's chart theme and
    Plotly's default template send a large template with every redraw that the browser merges
    in again: without them a slider's key press → redrawn chart is about a fifth quicker
    (docs/benchmarks.md). Plotly.js's own defaults (white background, light grid) and the app's
    font take their place. Without the template, axes no longer grow the margins to fit their
    labels (automargin): each figure sets margins wide enough, or turns automargin on for its
    axes, which costs a measuring pass on every redraw. Tick labels may overflow the chart
    (``ticklabeloverflow="allow"``): Plotly's default measures every label on every redraw to
    hide those that would.

    Every chart gets an accessible name for screen readers (``alt``, else ``charts.describe``'s
    description of the figure) and, under it, its data as a table in a "Data" expander that
    builds the table only when opened. Log axes label the powers of ten only."""
    fig.layout.template = None
    fig.update_layout(font=CHART_FONT)
    fig.update_xaxes(ticklabeloverflow="allow").update_yaxes(ticklabeloverflow="allow")
    _clean_log_axes(fig)
    if st.session_state.get("app.present"):
        presenter(fig)
    out = where.plotly_chart(fig, key=key, theme=None, config={"displayModeBar": False},
                             alt=alt or describe(fig), **kwargs)
    data = where.expander(f"Data: {chart_title(fig) or 'the chart above'}", key=f"{key}.data", on_change="rerun")
    if data.open:
        data.dataframe(table(fig), hide_index=True, height=300)
    return out


def diagram(dot: str, text: str, key: str, where=st) -> None:
    """Show a Graphviz diagram with its text alternative (``text``: the diagram in words) in a
    "Diagram as text" expander under it: Streamlit's Graphviz chart takes no accessible name."""
    where.graphviz_chart(dot, width="stretch")
    where.expander("Diagram as text", key=f"{key}.text").markdown(text)


#: Decades a log axis spans up to which it is labelled at every power of ten. Over more, Plotly's
#: own ticks are already powers of ten, 2, 5 or 10 decades apart; a label every decade would crowd
#: (thirty decades on a 300-px axis: "10" and "1" printed over each other).
EVERY_DECADE_UP_TO = 6


def _clean_log_axes(fig) -> None:
    """Ticks at powers of ten only on log axes: over a few decades Plotly's default labels 2 and 5
    in between as well ("5 2 1 5 2 0.1"), which reads as noise on a projector."""
    for name in [k for k in fig.layout.to_plotly_json() if k.startswith(("xaxis", "yaxis"))]:
        axis = fig.layout[name]
        if axis.type == "log" and axis.dtick is None and _decades(fig, name) <= EVERY_DECADE_UP_TO:
            axis.dtick = 1


def _decades(fig, name: str) -> float:
    """How many decades the log axis ``name`` ("yaxis2") spans: its range, else its traces' data."""
    axis = fig.layout[name]
    if axis.range is not None and None not in axis.range:
        return abs(axis.range[1] - axis.range[0])
    letter, ref = name[0], name[0] + name[5:]  # "yaxis2" → "y", "y2"
    values = [np.asarray(t[letter], dtype=float).ravel() for t in fig.data
              if letter in t and t[letter] is not None and (t[f"{letter}axis"] or letter) == ref]
    values = np.concatenate(values) if values else np.array([])
    values = values[np.isfinite(values) & (values > 0)]
    return float(np.log10(values.max() / values.min())) if values.size else 0.0


def presenter(fig) -> None:
    """Chart text for a projector: every label at least 18 px, titles 24 px; margins grow to fit
    the axis titles. A legend that stood below the plot moves above it, so a chart's key is on
    the screen with the chart."""
    big = dict(size=PRESENTER_FONT)
    fig.update_layout(font_size=PRESENTER_FONT, legend_font=big, legend_title_font=big, hoverlabel_font=big,
                      title_font_size=PRESENTER_TITLE)
    fig.update_annotations(font_size=PRESENTER_FONT)
    fig.update_xaxes(tickfont=big, title_font=big, automargin=True)
    fig.update_yaxes(tickfont=big, title_font=big, automargin=True)
    fig.update_traces(selector=lambda t: "colorbar" in t, colorbar_tickfont=big)
    legend = fig.layout.legend
    if legend.orientation == "h" and (legend.y is None or legend.y < 0.5) and fig.layout.showlegend is not False:
        extra = _legend_rows(fig) * (PRESENTER_FONT + 12) + 10
        fig.update_layout(legend=dict(yref="container", y=1, yanchor="top", x=0, xanchor="left"),
                          margin_t=(fig.layout.margin.t or 40) + extra, height=(fig.layout.height or 450) + extra)
    _room_for_tick_labels(fig)


def _legend_rows(fig) -> int:
    """Rows a horizontal legend takes at the presenter's font on a chart about 850 px wide."""
    names = [t.name for t in fig.data if t.name and t.showlegend is not False]
    return max(1, math.ceil(sum(len(n) * PRESENTER_FONT * 0.55 + 50 for n in names) / 850))


#: Height a y axis's tick label needs at the presenter's font, in font sizes (a power of ten's
#: superscript makes it taller than the font).
TICK_ROOM = 1.8


def _room_for_tick_labels(fig) -> None:
    """Fewer ticks on a y axis where the presenter's larger labels would touch: a fixed step over a
    fixed range (Dead neurons' 16 units) is widened; Plotly's own choice is capped by ``nticks``
    (it spaces ticks for its usual 12-px labels)."""
    m, legend = fig.layout.margin, fig.layout.legend
    plot = (fig.layout.height or 450) - (100 if m.t is None else m.t) - (80 if m.b is None else m.b)
    if fig.layout.showlegend and (legend.y or 0) >= 1 and legend.yref != "container":  # above the plot: pushes it down
        title = legend.title.text or ""
        plot -= (_legend_rows(fig) * (PRESENTER_FONT + 12) + 10
                 + (title.count("<br>") + 1) * PRESENTER_FONT * 1.4 * bool(title))
    need = TICK_ROOM * PRESENTER_FONT
    for axis in fig.select_yaxes():
        low, high = axis.domain or (0, 1)
        length = plot * (high - low)
        if isinstance(axis.dtick, (int, float)) and axis.type != "log" and axis.range is not None:
            per_label = length * axis.dtick / abs(axis.range[1] - axis.range[0])
            if per_label < need:
                axis.dtick *= math.ceil(need / per_label)
        elif axis.dtick is None and axis.tickvals is None:
            axis.nticks = min(axis.nticks or 99, max(2, int(length // need)))


def page_style(presenting: bool) -> None:
    """CSS every page shares: captions dark enough to read (4.5:1), wide tables and formulas that
    scroll in their own box at 320 px, a focus ring that shows on every control (3:1 or more against
    white), and in presenter mode body text and controls a size larger, for the back of a hall."""
    css = (CAPTION_CSS + f"*:focus-visible {{ outline: 3px solid {FOCUS_RING} !important; outline-offset: 2px; }}"
           # Streamlit's slider thumb takes focus inside a wrapper that clips outlines
           f"[data-testid='stSlider'] [role='slider']:focus-visible {{ box-shadow: 0 0 0 3px {FOCUS_RING} !important; }}")
    # Reflow (WCAG 1.4.10): a wide table or formula scrolls in its own box, never the page.
    css += ("[data-testid='stMarkdownContainer'] table { display: block; max-width: 100%; overflow-x: auto; }"
            ".katex-display, [data-testid='stMarkdownContainer'] .katex-display { max-width: 100%; overflow-x: auto;"
            " overflow-y: hidden; padding-bottom: 2px; }")
    if presenting:
        # Text a size larger (Streamlit sizes in rem), and less empty space above the title so the
        # charts stay on the first screen at 1024 × 768.
        css += ("html { font-size: 18px; }"
                "[data-testid='stMainBlockContainer'] { padding-top: 3.75rem !important; }"
                "[data-testid='stMainBlockContainer'] h1 { font-size: 2rem; padding-top: 0; }"
                "[data-testid='stMainBlockContainer'] h2 { font-size: 1.6rem; }"
                "[data-testid='stWidgetLabel'] p { font-size: 1rem !important; }")
    st.html(f"<style>{css}</style>")


def intro(text: str, presenting: bool) -> None:
    """A page's opening text. In presenter mode it is folded under "Introduction" (the teacher says
    it), so that the first controls and chart are on the first screen at 1024 × 768."""
    if presenting:
        st.expander("Introduction").markdown(text)
    else:
        st.markdown(text)


def focus(key: str, only_if_lost: bool = False) -> None:
    """Give the keyboard focus to the button with ``key`` once it is enabled (at most 5 s): a
    button that disables itself (Train while a run trains, Stop when it ends) would otherwise drop
    the focus to the page's start, dozens of Tabs away. ``only_if_lost``: only if nothing else
    holds the focus then. Streamlit marks a keyed element with the class ``st-key-…``."""
    lost = "(!document.activeElement || document.activeElement === document.body || document.activeElement.disabled)"
    st.html(f"""<script>(() => {{ let n = 0; const t = setInterval(() => {{
      const b = document.querySelector('.st-key-{key} button');
      if (b && !b.disabled) {{ clearInterval(t); if ({'true' if not only_if_lost else lost}) b.focus(); }}
      else if (++n > 100) clearInterval(t); }}, 50); }})();
    </script>""", unsafe_allow_javascript=True)
