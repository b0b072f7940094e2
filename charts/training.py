"""Plotly figures for the training lab, built from a ``training.result.Result`` (no Streamlit, no
formulas). Each compared entry keeps its activation's colour from ``charts.palette``."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from activations import display_name

from .palette import colours, rgba

if TYPE_CHECKING:  # types only: importing the training package would import torch
    from training.result import Result

MAX_POINTS_PER_CURVE = 300


@dataclass(frozen=True)
class LiveFigures:
    """The figures redrawn while a comparison trains, built once per snapshot ``result``."""
    result: Result
    curves: go.Figure
    internals: go.Figure
    boundaries: go.Figure | None  # 2-D data sets only


def live_figures(r: Result) -> LiveFigures:
    return LiveFigures(r, curves(r), internals(r), boundaries(r, *r.training_points()) if r.grid_probs is not None
                       else None)


def _band(fig, x, values, name, colour, row, col, legend):
    """Mean line and mean ± sd band over seeds (columns of ``values``)."""
    with np.errstate(all="ignore"):
        mean, sd = np.nanmean(values, 1), np.nanstd(values, 1)
    fig.add_trace(go.Scatter(x=np.r_[x, x[::-1]], y=np.r_[mean + sd, (mean - sd)[::-1]], fill="toself",
                             fillcolor=rgba(colour, 0.18), line=dict(width=0), hoverinfo="skip",
                             showlegend=False, legendgroup=name), row=row, col=col)
    fig.add_trace(go.Scatter(x=x, y=mean, name=name, line=dict(color=colour, width=2), legendgroup=name,
                             showlegend=legend), row=row, col=col)


def _thin(n: int) -> np.ndarray:
    return np.unique(np.linspace(0, n - 1, min(n, MAX_POINTS_PER_CURVE)).astype(int)) if n else np.arange(0)


def curves(r: Result) -> go.Figure:
    """Training loss, training error and test error against step: one colour per activation,
    mean ± sd over seeds."""
    fig = make_subplots(1, 3, subplot_titles=("training loss", "training error", "test error"),
                        horizontal_spacing=0.06)
    idx, S = _thin(len(r.loss)), r.seeds
    steps = idx + 1
    for i, (entry, c) in enumerate(zip(r.entries, colours(r.entries))):
        sl = slice(i * S, (i + 1) * S)
        label = display_name(entry)
        _band(fig, steps, r.loss[idx, sl], label, c, 1, 1, True)
        _band(fig, steps, r.train_error[idx, sl], label, c, 1, 2, False)
        _band(fig, r.log_steps, r.test_error[:, sl], label, c, 1, 3, False)
    fig.add_hline(y=r.config.target_error, line=dict(dash="dot", color="grey"), row=1, col=2,
                  annotation_text=f"target {r.config.target_error:.0%}", annotation_position="top right")
    fig.update_yaxes(rangemode="tozero", row=1, col=1)
    fig.update_yaxes(range=[0, None], row=1, col=2)
    fig.update_yaxes(range=[0, None], row=1, col=3)
    # Small margins that grow to fit the tick labels (automargin).
    fig.update_xaxes(title_text="step", automargin=True).update_yaxes(automargin=True)
    fig.update_layout(height=340, margin=dict(l=10, r=10, t=40, b=10), legend=dict(orientation="h", y=-0.25))
    return fig


def internals(r: Result) -> go.Figure:
    """Dead-unit fraction (mean over layers) and mean learned PReLU slope (per layer) over time."""
    has_prelu = np.isfinite(r.prelu_slope).any() if r.prelu_slope.size else False
    fig = make_subplots(1, 2, subplot_titles=("dead units (fraction, mean over layers)",
                                              "learned PReLU slope per layer" if has_prelu else
                                              "gradient norm, first hidden layer"), horizontal_spacing=0.08)
    S = r.seeds
    for i, (entry, c) in enumerate(zip(r.entries, colours(r.entries))):
        sl = slice(i * S, (i + 1) * S)
        label = display_name(entry)
        _band(fig, r.log_steps, r.dead[:, sl].mean(2), label, c, 1, 1, True)
        if has_prelu:
            for layer in range(r.prelu_slope.shape[2]):
                vals = r.prelu_slope[:, sl, layer]
                if np.isfinite(vals).any():
                    _band(fig, r.log_steps, vals, f"{label} L{layer + 1}", c, 1, 2, False)
        else:
            _band(fig, r.log_steps, r.grad_norm[:, sl, 0], label, c, 1, 2, False)
    fig.update_yaxes(range=[-0.02, 1.02], row=1, col=1)
    if not has_prelu:
        fig.update_yaxes(type="log", row=1, col=2)
    fig.update_xaxes(title_text="step", automargin=True).update_yaxes(automargin=True)
    fig.update_layout(height=300, margin=dict(l=10, r=10, t=40, b=10), legend=dict(orientation="h", y=-0.3))
    return fig


def boundaries(r: Result, x: np.ndarray, y: np.ndarray, seed_index: int = 0, cols: int = 4) -> go.Figure:
    """Each activation's decision boundary (one seed): P(class 1) for two classes, else the
    predicted class, with the training points on top."""
    K, S, n = len(r.entries), r.seeds, int(np.sqrt(len(r.grid)))
    rows = -(-K // cols)
    fig = make_subplots(rows, min(K, cols), subplot_titles=[display_name(e) for e in r.entries], horizontal_spacing=0.03, vertical_spacing=0.08)
    gx, gy = r.grid[:n, 0], r.grid[::n, 1]
    classes = r.grid_probs.shape[2]
    for i in range(K):
        p = r.grid_probs[i * S + seed_index]
        z = (p[:, 1] if classes == 2 else p.argmax(1)).reshape(n, n)
        row, col = i // cols + 1, i % cols + 1
        fig.add_trace(go.Heatmap(x=gx, y=gy, z=z, zmin=0, zmax=max(1, classes - 1), showscale=False, hoverinfo="skip",
                                 colorscale="RdBu_r" if classes == 2 else "Viridis", opacity=0.75), row=row, col=col)
        fig.add_trace(go.Scattergl(x=x[:, 0], y=x[:, 1], mode="markers", showlegend=False, hoverinfo="skip",
                                   marker=dict(size=3, color=y, colorscale="RdBu_r" if classes == 2 else "Viridis",
                                               cmin=0, cmax=max(1, classes - 1), line=dict(width=0.3, color="white"))),
                      row=row, col=col)
    fig.update_xaxes(showticklabels=False)
    fig.update_yaxes(showticklabels=False, scaleanchor=None)
    fig.update_layout(height=230 * rows + 30, margin=dict(l=5, r=5, t=30, b=5))
    return fig


def units(outputs: list[np.ndarray], n: int, max_units: int = 16) -> go.Figure:
    """Every hidden unit's output over the plane (a small heatmap each; a dead unit is flat).
    ``outputs[l]`` is (n·n, units) on an n × n grid."""
    L = len(outputs)
    W = min(max_units, max(o.shape[1] for o in outputs))
    fig = make_subplots(L, W, horizontal_spacing=0.005, vertical_spacing=0.02,
                        row_titles=[f"layer {l + 1}" for l in range(L)])
    for l, o in enumerate(outputs):
        for u in range(min(W, o.shape[1])):
            z = o[:, u].reshape(n, n)
            flat = np.ptp(z) == 0
            fig.add_trace(go.Heatmap(z=z, showscale=False, colorscale="Greys" if flat else "RdBu_r", zmid=None if flat
                                     else 0, hovertemplate=f"layer {l + 1}, unit {u + 1}: %{{z:.2f}}<extra></extra>"),
                          row=l + 1, col=u + 1)
    fig.update_xaxes(showticklabels=False)
    fig.update_yaxes(showticklabels=False)
    fig.update_layout(height=70 * L + 40, margin=dict(l=5, r=40, t=10, b=5))
    return fig


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
