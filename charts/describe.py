"""A chart's text alternative, read off the Plotly figure itself, so that every chart the app
shows has one without each page writing it: a short description for screen readers (what kind
of chart, its title and panels, its series, its axes) and its data as a table.

Nothing here draws; ``app_shell.chart`` gives the description to ``st.plotly_chart(alt=…)`` and
offers the table under the chart."""
from __future__ import annotations

import re

import numpy as np
import pandas as pd
import plotly.graph_objects as go

KINDS = {"scatter": "line chart", "scattergl": "scatter plot", "bar": "bar chart", "heatmap": "heatmap",
         "histogram": "histogram", "contour": "contour plot"}
#: The table keeps at most this many rows per series (evenly thinned), so a dense chart's table
#: stays quick to send and to read.
MAX_ROWS_PER_SERIES = 400


def plain(text) -> str:
    """Plotly rich text as plain words: tags dropped, <br> as a space."""
    if not text:
        return ""
    text = re.sub(r"<br\s*/?>", " ", str(text))
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", text)).strip()


def _axis_title(axis) -> str:
    return plain(axis.title.text) if axis is not None and axis.title is not None else ""


def _panels(fig: go.Figure) -> dict[str, str]:
    """x axis id ("x", "x2", …) → the title of its panel: the annotation centred over its domain
    at the top (as the app's multi-panel figures place them)."""
    names = {}
    notes = [a for a in fig.layout.annotations or () if a.xref == "paper" and a.text]
    for key in sorted(k for k in fig.layout.to_plotly_json() if k.startswith("xaxis")):
        axis = fig.layout[key]
        lo, hi = axis.domain or (0, 1)
        above = [a for a in notes if a.x is not None and lo <= a.x <= hi and (a.y or 0) >= 0.9 and a.textangle in (None, 0)]
        if len(above) == 1:
            names["x" + key[5:]] = plain(above[0].text)
    return names


def _series_name(trace, i: int) -> str:
    return plain(trace.name) or plain(trace.legendgroup) or f"series {i + 1}"


def chart_title(fig: go.Figure) -> str:
    """The chart's title in plain words: the layout's title, or its legend's (the lessons' charts
    head their legend with it), or its panels' titles."""
    for text in (fig.layout.title.text, fig.layout.legend.title.text):
        if text:
            return plain(text)
    panels = ", ".join(dict.fromkeys(_panels(fig).values()))
    names = list(dict.fromkeys(plain(t.name) for t in fig.data if t.name and t.showlegend is not False))
    return f"{panels} of {', '.join(names[:3])}" if panels and names else panels


def describe(fig: go.Figure, limit: int = 8) -> str:
    """One or two sentences: the kind of chart, its title, its panels, its series (the first
    ``limit`` names) and its axes."""
    kinds = list(dict.fromkeys(KINDS.get(t.type, t.type) for t in fig.data if t.type))
    if "line chart" in kinds and all(getattr(t, "mode", None) == "markers" for t in fig.data if t.type == "scatter"):
        kinds[kinds.index("line chart")] = "scatter plot"
    kind = " and ".join(kinds[:2]) or "chart"
    panels = list(dict.fromkeys(_panels(fig).values()))
    title = chart_title(fig) if fig.layout.title.text or fig.layout.legend.title.text else ""
    parts = [f"{kind.capitalize()}{': ' + title if title else ''}."]
    if len(panels) > 1:
        parts.append(f"{len(panels)} panels: {', '.join(panels)}.")
    names = list(dict.fromkeys(_series_name(t, i) for i, t in enumerate(fig.data)
                               if t.name and t.showlegend is not False))
    if names:
        more = f" and {len(names) - limit} more" if len(names) > limit else ""
        parts.append(f"Series: {', '.join(names[:limit])}{more}.")
    x, y = _axis_title(fig.layout.xaxis), _axis_title(fig.layout.yaxis)
    if x or y:
        parts.append(" ".join(p for p in (f"x axis: {x}." if x else "", f"y axis: {y}." if y else "") if p))
    return " ".join(parts)


def _values(v) -> np.ndarray | None:
    if v is None:
        return None
    a = np.asarray(v)
    return a if a.size else None


def table(fig: go.Figure) -> pd.DataFrame:
    """The figure's data in long form: one row per point (``series``, the ``panel`` when there is
    more than one, ``x``, ``y`` and, for heatmaps, ``z``), at most ``MAX_ROWS_PER_SERIES`` rows
    per series."""
    panels = _panels(fig)
    frames = []
    for i, t in enumerate(fig.data):
        name = _series_name(t, i)
        if t.type in ("heatmap", "contour"):
            z = _values(t.z)
            if z is None or z.ndim != 2:
                continue
            ys, xs = np.meshgrid(*(_values(v) if _values(v) is not None else np.arange(n)
                                   for v, n in ((t.y, z.shape[0]), (t.x, z.shape[1]))), indexing="ij")
            cols = dict(x=xs.ravel(), y=ys.ravel(), z=z.ravel())
        else:
            x, y = _values(t.x), _values(t.y)
            if x is None and y is None:
                continue
            if x is None:
                x = np.arange(len(y))
            if y is None:
                y = np.full(len(x), np.nan)
            n = min(len(x), len(y))
            cols = dict(x=x[:n], y=y[:n])
        n = len(cols["x"])
        keep = np.unique(np.linspace(0, n - 1, min(n, MAX_ROWS_PER_SERIES)).astype(int)) if n else np.arange(0)
        frame = pd.DataFrame({k: np.asarray(v)[keep] for k, v in cols.items()})
        frame.insert(0, "series", name)
        if len(set(panels.values())) > 1:
            frame.insert(1, "panel", panels.get(t.xaxis or "x", ""))
        frames.append(frame)
    if not frames:
        return pd.DataFrame(columns=["series", "x", "y"])
    out = pd.concat(frames, ignore_index=True)
    return out.dropna(axis=0, how="all", subset=[c for c in ("x", "y", "z") if c in out])
