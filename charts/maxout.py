"""Figures for the Maxout and CReLU lesson: a maxout unit's pieces and their maximum, its error
as K grows, CReLU's two halves, and PReLU's learned slopes. Values come from ``lessons.maxout``,
``lessons.prelu`` and the registry. Plain dicts, few traces, fixed margins (``charts.lessons``)."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import plotly.graph_objects as go

from activations import REGISTRY
from lessons.maxout import TARGETS, Fit, X

from .lessons import _frame, _gapped
from .outputs import COMPONENTS, LOG_LOSS, SQUARED, TRUTH, _panels

if TYPE_CHECKING:  # types only: importing the PReLU lesson would import torch
    from lessons.prelu import PreluRun

EXACT = 1e-16  # an error of exactly 0 is drawn here on the log axis
PLOT_X = np.linspace(X[0], X[-1], 241)  # the curves are drawn on a coarser grid than they are fitted on


def maxout_figure(fit: Fit) -> go.Figure:
    """The target, each affine piece (thin) and their maximum, the maxout unit (thick)."""
    label, f, _ = TARGETS[fit.target]
    y = f(PLOT_X)
    lo, hi = float(y.min()), float(y.max())
    pad, below = 0.15 * (hi - lo), 0.5 * (hi - lo)  # room below the target, where the pieces cross
    ends = PLOT_X[[0, -1]]  # each piece is a straight line: two points draw it (the fixed range clips it)
    xs, ys = _gapped(fit.lines(ends).T, ends)
    traces = [dict(type="scatter", mode="lines", x=PLOT_X, y=y, name=f"target {label}",
                   line=dict(color=TRUTH, width=6)),
              dict(type="scatter", mode="lines", x=xs, y=ys, name=f"the {fit.k} pieces aⱼx + bⱼ", connectgaps=False,
                   line=dict(color=COMPONENTS[1], width=1.5, dash="dash"), hoverinfo="skip"),
              dict(type="scatter", mode="lines", x=PLOT_X, y=fit(PLOT_X), name=f"maxout: their maximum, K = {fit.k}",
                   line=dict(color=SQUARED, width=3))]
    layout = _frame(360, f"<b>K = {fit.k} pieces fitted to {label}</b>",
                    xaxis=dict(title="x", range=[X[0], X[-1]]), yaxis=dict(title="h(x)", range=[lo - below, hi + pad]))
    return go.Figure(data=traces, layout=layout)


def error_figure(fits: list[Fit], k: int) -> go.Figure:
    """Root mean squared and largest error against K, K = ``k`` marked; exact zeros at ``EXACT``."""
    ks = [f.k for f in fits]
    traces = []
    for name, values, colour in (("root mean squared error", [f.rms for f in fits], LOG_LOSS),
                                 ("largest error", [f.max_error for f in fits], SQUARED)):
        shown = np.maximum(values, EXACT)
        traces.append(dict(type="scatter", mode="lines+markers", x=ks, y=shown, name=name,
                           line=dict(color=colour, width=3), marker=dict(size=8),
                           text=["0 (exact)" if v == 0 else f"{v:.3g}" for v in values],
                           hovertemplate="K = %{x}: %{text}<extra></extra>"))
        traces.append(dict(type="scatter", mode="markers", x=[k], y=[shown[ks.index(k)]], showlegend=False,
                           marker=dict(color=colour, size=16, symbol="circle-open", line=dict(width=3)),
                           hoverinfo="skip"))
    layout = _frame(360, "<b>Error against K</b> (0 is drawn at 10⁻¹⁶)",
                    xaxis=dict(title="K (pieces)", dtick=1),
                    yaxis=dict(title="error over x in [−3, 3] (log)", type="log", exponentformat="power"))
    return go.Figure(data=traces, layout=layout)


def crelu_figure(x: np.ndarray) -> go.Figure:
    """CReLU's two halves (the registry's curves) and the norm of the pair beside |x|."""
    crelu = REGISTRY["crelu"]
    halves = crelu.curves(x)
    traces = [dict(type="scatter", mode="lines", x=x, y=f, name=label, line=dict(color=colour, width=3))
              for (label, (f, _)), colour in zip(halves.items(), (LOG_LOSS, SQUARED))]
    traces.append(dict(type="scatter", mode="lines", x=x, y=np.linalg.norm(crelu.forward(x), axis=-1),
                       name="‖CReLU(x)‖ = |x|", line=dict(color=TRUTH, width=2, dash="dash")))
    layout = _frame(300, "<b>CReLU(x) = (max(0, x), max(0, −x))</b>", xaxis=dict(title="x"),
                    yaxis=dict(title="output"))
    return go.Figure(data=traces, layout=layout)


def prelu_slopes_figure(run: PreluRun) -> go.Figure:
    """Every learned slope over training, one panel per hidden layer: each unit's slope in the
    neuron-wise net (thin) and the single slope of the layer-wise net (thick)."""
    traces = []
    for layer in range(run.per_unit.shape[1]):
        axes = dict(xaxis="x", yaxis="y") if layer == 0 else dict(xaxis="x2", yaxis="y2")
        xs, ys = _gapped(run.per_unit[:, layer, :].T, run.log_steps)
        traces.append(dict(type="scatter", mode="lines", x=xs, y=ys, name="one slope per unit", legendgroup="unit",
                           showlegend=layer == 0, connectgaps=False, line=dict(color=LOG_LOSS, width=1), opacity=0.6,
                           **axes))
        traces.append(dict(type="scatter", mode="lines", x=run.log_steps, y=run.shared[:, layer],
                           name="one slope per layer", legendgroup="layer", showlegend=layer == 0,
                           line=dict(color=SQUARED, width=4), **axes))
    layout = _frame(340, "<b>Learned slopes a</b>: layer 1 (left), layer 2 (right)",
                    **_panels(xaxis=dict(title="training step"), yaxis=dict(title="slope a"),
                              xaxis2=dict(title="training step")))
    return go.Figure(data=traces, layout=layout)


def prelu_loss_figure(run: PreluRun, names: tuple[str, str]) -> go.Figure:
    steps = np.arange(1, len(run.loss) + 1)
    traces = [dict(type="scatter", mode="lines", x=steps, y=run.loss[:, i], name=name,
                   line=dict(color=colour, width=3)) for i, (name, colour) in enumerate(zip(names, (LOG_LOSS, SQUARED)))]
    layout = _frame(280, "<b>Training loss (cross-entropy)</b>", xaxis=dict(title="training step"),
                    yaxis=dict(title="loss", rangemode="tozero"))
    return go.Figure(data=traces, layout=layout)
