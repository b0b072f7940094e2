"""Plotly figures for the training lab, built from a ``training.result.Result`` (no Streamlit, no
formulas). Each compared entry keeps its activation's colour from ``charts.palette``.

The live figures are redrawn for every snapshot of a run, so they are assembled from plain dicts
(panels side by side as axis domains) and validated once by ``go.Figure``, as the gallery's are
(docs/benchmarks.md): ``make_subplots`` and ``add_trace`` cost about 40 times as much."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import plotly.graph_objects as go

from activations import display_name

from .palette import DIVERGING, MANY_CLASSES, NEGATIVE_NAME, POSITIVE_NAME, colours, rgba

if TYPE_CHECKING:  # types only: importing the training package would import torch
    from training.result import Result

MAX_POINTS_PER_CURVE = 300
TITLE_FONT = dict(size=14)


@dataclass(frozen=True)
class LiveFigures:
    """The figures redrawn while a comparison trains, built once per snapshot ``result``."""
    result: Result
    curves: go.Figure
    internals: go.Figure
    boundaries: go.Figure | None  # 2-D data sets only


def live_figures(r: Result, previous: LiveFigures | None = None) -> LiveFigures:
    """The figures of snapshot ``r``. A snapshot without a fresh decision boundary
    (``grid_probs`` None) keeps ``previous``'s."""
    if r.grid_probs is not None:
        bounds = boundaries(r, *r.training_points())
    else:
        bounds = previous.boundaries if previous is not None else None
    return LiveFigures(r, curves(r), internals(r), bounds)


def _panels(titles: list[str], gap: float, height: int, legend_y: float) -> dict:
    """A layout with ``len(titles)`` panels side by side (axes x, x2, … and y, y2, …), each
    titled above, margins fixed (no measuring pass on redraw)."""
    n, layout = len(titles), dict(height=height, margin=dict(l=50, r=10, t=40, b=40), hovermode="closest",
                                  legend=dict(orientation="h", y=legend_y), showlegend=True, annotations=[])
    width = (1 - gap * (n - 1)) / n
    for i, title in enumerate(titles):
        a, b = i * (width + gap), i * (width + gap) + width
        k = "" if i == 0 else str(i + 1)
        layout[f"xaxis{k}"] = dict(domain=_domain(a, b), anchor=f"y{k}", title=dict(text="step"))
        layout[f"yaxis{k}"] = dict(anchor=f"x{k}")
        layout["annotations"].append(dict(text=title, x=(a + b) / 2, y=1.0, xref="paper", yref="paper",
                                          xanchor="center", yanchor="bottom", showarrow=False, font=TITLE_FONT))
    return layout


def _domain(a: float, b: float) -> list[float]:
    """An axis domain inside [0, 1] (sums of fractions can stray by 1e-17)."""
    return [min(1.0, max(0.0, round(a, 9))), min(1.0, max(0.0, round(b, 9)))]


def _band(x, values, name, colour, panel: int, legend: bool) -> list[dict]:
    """Mean line and mean ± sd band over seeds (columns of ``values``), in panel ``panel`` (1-based)."""
    with np.errstate(all="ignore"):
        mean, sd = np.nanmean(values, 1), np.nanstd(values, 1)
    axes = dict(xaxis="x" if panel == 1 else f"x{panel}", yaxis="y" if panel == 1 else f"y{panel}")
    x = np.asarray(x)
    return [dict(type="scatter", mode="lines", x=np.r_[x, x[::-1]], y=np.r_[mean + sd, (mean - sd)[::-1]],
                 fill="toself", fillcolor=rgba(colour, 0.18), line=dict(width=0), hoverinfo="skip", showlegend=False,
                 legendgroup=name, **axes),
            dict(type="scatter", mode="lines", x=x, y=mean, name=name, line=dict(color=colour, width=2),
                 legendgroup=name, showlegend=legend, **axes)]


def _thin(n: int) -> np.ndarray:
    return np.unique(np.linspace(0, n - 1, min(n, MAX_POINTS_PER_CURVE)).astype(int)) if n else np.arange(0)


def curves(r: Result) -> go.Figure:
    """Training loss, training error and test error against step: one colour per activation,
    mean ± sd over seeds; the target training error as a dotted line."""
    target = r.config.target_error
    layout = _panels(["training loss", f"training error (target {target:.0%})", "test error"], 0.06, 340, -0.25)
    idx, S, traces = _thin(len(r.loss)), r.seeds, []
    steps = idx + 1
    for i, (entry, c) in enumerate(zip(r.entries, colours(r.entries))):
        sl, label = slice(i * S, (i + 1) * S), display_name(entry)
        traces += _band(steps, r.loss[idx, sl], label, c, 1, True)
        traces += _band(steps, r.train_error[idx, sl], label, c, 2, False)
        traces += _band(r.log_steps, r.test_error[:, sl], label, c, 3, False)
    ends = [1, max(1, len(r.loss))]  # as far as the curves go
    traces.append(dict(type="scatter", mode="lines", x=ends, y=[target, target], xaxis="x2", yaxis="y2",
                       line=dict(dash="dot", color="grey", width=1), showlegend=False,
                       hovertemplate=f"target {target:.0%}<extra></extra>"))
    layout["yaxis"].update(rangemode="tozero")
    layout["yaxis2"].update(range=[0, None])
    layout["yaxis3"].update(range=[0, None])
    return go.Figure(data=traces, layout=layout)


def internals(r: Result) -> go.Figure:
    """Dead-unit fraction (mean over layers) and mean learned PReLU slope (per layer) over time."""
    has_prelu = np.isfinite(r.prelu_slope).any() if r.prelu_slope.size else False
    layout = _panels(["dead units (fraction, mean over layers)",
                      "learned PReLU slope per layer" if has_prelu else "gradient norm, first hidden layer"],
                     0.08, 300, -0.3)
    S, traces = r.seeds, []
    for i, (entry, c) in enumerate(zip(r.entries, colours(r.entries))):
        sl, label = slice(i * S, (i + 1) * S), display_name(entry)
        traces += _band(r.log_steps, r.dead[:, sl].mean(2), label, c, 1, True)
        if has_prelu:
            for layer in range(r.prelu_slope.shape[2]):
                vals = r.prelu_slope[:, sl, layer]
                if np.isfinite(vals).any():
                    traces += _band(r.log_steps, vals, f"{label} L{layer + 1}", c, 2, False)
        else:
            traces += _band(r.log_steps, r.grad_norm[:, sl, 0], label, c, 2, False)
    layout["yaxis"].update(range=[-0.02, 1.02])
    if not has_prelu:
        layout["yaxis2"].update(type="log")
    return go.Figure(data=traces, layout=layout)


def _grid_layout(rows: int, cols: int, hgap: float, vgap: float, height: int, titles=None, **margin) -> dict:
    """Panels in ``rows`` × ``cols`` (row-major axes x, x2, …), without tick labels."""
    layout = dict(height=height, margin={**dict(l=5, r=5, t=30, b=5), **margin}, showlegend=False, annotations=[])
    w, h = (1 - hgap * (cols - 1)) / cols, (1 - vgap * (rows - 1)) / rows
    for k in range(rows * cols):
        row, col = divmod(k, cols)
        a, top = col * (w + hgap), 1 - row * (h + vgap)
        n = "" if k == 0 else str(k + 1)
        layout[f"xaxis{n}"] = dict(domain=_domain(a, a + w), anchor=f"y{n}", showticklabels=False, showgrid=False,
                                   zeroline=False)
        layout[f"yaxis{n}"] = dict(domain=_domain(top - h, top), anchor=f"x{n}", showticklabels=False,
                                   showgrid=False, zeroline=False)
        if titles is not None and k < len(titles):
            layout["annotations"].append(dict(text=titles[k], x=a + w / 2, y=top, xref="paper", yref="paper",
                                              xanchor="center", yanchor="bottom", showarrow=False, font=TITLE_FONT))
    return layout


def boundaries(r: Result, x: np.ndarray, y: np.ndarray, seed_index: int = 0, cols: int = 4) -> go.Figure:
    """Each activation's decision boundary (one seed): P(class 1) for two classes, in the
    palette's diverging scheme (class 0 orange, class 1 blue), else the predicted class, with
    the training points on top. A colour bar beside the panels is the key."""
    K, S, n = len(r.entries), r.seeds, int(np.sqrt(len(r.grid)))
    rows, cols = -(-K // cols), min(K, cols)
    gx, gy = r.grid[:n, 0], r.grid[::n, 1]
    classes = r.grid_probs.shape[2]
    scale = DIVERGING if classes == 2 else MANY_CLASSES
    top = max(1, classes - 1)
    key = (dict(title=dict(text="P(class 1)", side="right"), tickvals=[0, 0.5, 1],
                ticktext=[f"0: class 0 ({NEGATIVE_NAME})", "0.5", f"1: class 1 ({POSITIVE_NAME})"])
           if classes == 2 else dict(title=dict(text="predicted class", side="right"), tickvals=list(range(classes)),
                                     ticktext=[f"class {c}" for c in range(classes)]))
    traces = []
    for i in range(K):
        p = r.grid_probs[i * S + seed_index]
        z = (p[:, 1] if classes == 2 else p.argmax(1)).reshape(n, n)
        axes = dict(xaxis="x" if i == 0 else f"x{i + 1}", yaxis="y" if i == 0 else f"y{i + 1}")
        traces.append(dict(type="heatmap", x=gx, y=gy, z=z, zmin=0, zmax=top, showscale=i == 0,
                           colorbar=dict(key, thickness=12, len=1.0, x=1.0, xanchor="left"),
                           hoverinfo="skip", colorscale=scale, opacity=0.75, **axes))
        traces.append(dict(type="scattergl", x=x[:, 0], y=x[:, 1], mode="markers", showlegend=False, hoverinfo="skip",
                           marker=dict(size=3, color=y, colorscale=scale, cmin=0, cmax=max(1, classes - 1),
                                       line=dict(width=0.3, color="white")), **axes))
    return go.Figure(data=traces, layout=_grid_layout(rows, cols, 0.03, 0.08, 230 * rows + 30,
                                                         [display_name(e) for e in r.entries], r=150))


def units(outputs: list[np.ndarray], n: int, max_units: int = 16) -> go.Figure:
    """Every hidden unit's output over the plane (a small heatmap each; a dead unit is flat, in
    grey), in the palette's diverging scheme: negative orange, zero white, positive blue (each
    unit on its own scale, zero in the middle). ``outputs[l]`` is (n·n, units) on an n × n grid."""
    L = len(outputs)
    W = min(max_units, max(o.shape[1] for o in outputs))
    layout = _grid_layout(L, W, 0.005, 0.02, 70 * L + 40, r=40, t=10)
    traces = []
    for l, o in enumerate(outputs):
        for u in range(min(W, o.shape[1])):
            k = l * W + u
            z = o[:, u].reshape(n, n)
            flat = np.ptp(z) == 0
            traces.append(dict(type="heatmap", z=z, showscale=False, colorscale="Greys" if flat else DIVERGING,
                               zmid=None if flat else 0,
                               hovertemplate=f"layer {l + 1}, unit {u + 1}: %{{z:.2f}}<extra></extra>",
                               xaxis="x" if k == 0 else f"x{k + 1}", yaxis="y" if k == 0 else f"y{k + 1}"))
        top = 1 - l * ((1 - 0.02 * (L - 1)) / L + 0.02)
        layout["annotations"].append(dict(text=f"layer {l + 1}", x=1.0, y=top - (1 - 0.02 * (L - 1)) / L / 2,
                                          xref="paper", yref="paper", xanchor="left", yanchor="middle",
                                          textangle=90, showarrow=False, font=TITLE_FONT))
    return go.Figure(data=traces, layout=layout)


def grad_norms(r: Result) -> go.Figure:
    """Latest gradient norm of each hidden layer's weights, mean over seeds."""
    S, fig = r.seeds, go.Figure()
    for i, (entry, c) in enumerate(zip(r.entries, colours(r.entries))):
        g = r.grad_norm[-1, i * S:(i + 1) * S]
        fig.add_trace(go.Bar(x=[f"L{l + 1}" for l in range(g.shape[1])], y=np.nanmean(g, 0), name=display_name(entry),
                             marker_color=c))
    fig.update_yaxes(type="log", title_text="‖∇W‖", automargin=True).update_xaxes(automargin=True)
    fig.update_layout(height=260, barmode="group", margin=dict(l=10, r=10, t=10, b=10), showlegend=False)
    return fig
