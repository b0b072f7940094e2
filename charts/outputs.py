"""Figures for the output-activation and mixture-density lessons. Values come from
``lessons.outputs``, ``lessons.regression`` and ``lessons.mdn``, densities from
``activations.outputs``. Plain dicts, few traces, fixed margins (``charts.lessons``)."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import plotly.graph_objects as go

from activations import outputs
from lessons.outputs import Curves, Likelihood, Softmax

from . import palette
from .lessons import _frame, num

if TYPE_CHECKING:  # types only: importing these lessons would import torch
    from lessons.mdn import MdnRun
    from lessons.regression import RegressionRun

DATA = palette.GREY  # data points
TRUTH = palette.INK  # noise-free curves, targets
LOG_LOSS = "#1971c2"  # the log-likelihood pairing (cross-entropy, the MDN)
SQUARED = "#d9480f"  # the squared-error pairing
HANDWRITTEN = "#868e96"
#: The mixture's components: the palette's colour-blind-safe scheme, less ReLU's indigo.
COMPONENTS = tuple(c for c in palette.LINES if c != palette.colour("relu"))


def _panels(gap: float = 0.12, **axes) -> dict:
    """Two panels side by side: axes x/y on the left, x2/y2 on the right; ``axes`` adds to them."""
    half = (1 - gap) / 2
    layout = dict(xaxis=dict(domain=[0, half]), yaxis=dict(), xaxis2=dict(domain=[1 - half, 1], anchor="y2"),
                  yaxis2=dict(anchor="x2"))
    for name, extra in axes.items():
        layout[name] = {**layout[name], **extra}
    return layout


# -- One output unit, one distribution ----------------------------------------------------------
def likelihood_figure(lk: Likelihood, names: list[str] | None = None) -> go.Figure:
    """The distribution the output unit describes, with the target marked."""
    if lk.pair == "gaussian":
        traces = [dict(type="scatter", mode="lines", x=lk.support, y=lk.prob, name="p(y | x) = N(y; z, 1)",
                       line=dict(color=LOG_LOSS, width=3)),
                  dict(type="scatter", mode="markers", x=[lk.target], y=[float(np.exp(-lk.nll))], name="target y",
                       marker=dict(color=TRUTH, size=12, symbol="x"))]
        layout = _frame(300, f"<b>N(y; z, 1)</b>, mean z = {num(lk.z)}",
                        xaxis=dict(title="y"), yaxis=dict(title="density", rangemode="tozero"))
        return go.Figure(data=traces, layout=layout)
    labels = names or [f"y = {int(v)}" for v in lk.support]
    colours = [TRUTH if i == int(lk.target) else LOG_LOSS for i in range(len(lk.prob))]
    title = ("<b>Bernoulli: P(y) for y = 0, 1</b> (black: the label)" if lk.pair == "bernoulli"
             else "<b>Categorical: P(class)</b> (black: the correct class)")
    traces = [dict(type="bar", x=labels, y=lk.prob, marker=dict(color=colours), text=[num(p) for p in lk.prob],
                   textposition="outside", cliponaxis=False, name="probability")]
    layout = _frame(300, title, xaxis=dict(title=None), yaxis=dict(title="probability", range=[0, 1.12]))
    return go.Figure(data=traces, layout=layout)


# -- Softmax calculator ----------------------------------------------------------------------------
def softmax_figure(sm: Softmax, names: list[str], log: bool = False, handwritten=None) -> go.Figure:
    """Bars of the probabilities with their values; the course notes' handwritten ones beside them."""
    traces = [dict(type="bar", x=names, y=sm.p, name="softmax (true)", marker=dict(color=LOG_LOSS),
                   text=[f"{p:.3g}" if p < 0.99 else f"{p:.5g}" for p in sm.p],  # 0.99995, not 1
                   textposition="outside", cliponaxis=False)]
    if handwritten is not None:
        traces.append(dict(type="bar", x=names, y=list(handwritten), name="written in the course notes",
                           marker=dict(color=HANDWRITTEN), text=[f"{p:g}" for p in handwritten],
                           textposition="outside", cliponaxis=False))
    floor = max(float(sm.p.min()), 1e-300)
    yaxis = dict(title="probability (log scale)", type="log", exponentformat="power",
                 range=[np.log10(floor) - 1, 0.6]) if log else dict(title="probability", range=[0, 1.15])
    layout = _frame(320, "<b>softmax(x / T)</b>" + ("<br>beside the course notes' handwritten values" if handwritten else ""),
                    xaxis=dict(title=None), yaxis=yaxis, barmode="group")
    return go.Figure(data=traces, layout=layout)


# -- Why the log matters -------------------------------------------------------------------------
def why_log_figure(c: Curves, at: float) -> go.Figure:
    """Loss (left) and its gradient (right) against the correct class's score, for the
    log-likelihood pairing and for squared error, with the point ``at`` marked."""
    i = int(np.abs(c.z - at).argmin())
    traces = []
    for (label, loss), colour in zip(c.losses.items(), (LOG_LOSS, SQUARED)):
        grad, style, point = c.grads[label], dict(color=colour, width=3), dict(color=colour, size=11)
        traces += [dict(type="scatter", mode="lines", x=c.z, y=loss, name=label, legendgroup=label, line=style),
                   dict(type="scatter", mode="lines", x=c.z, y=grad, name=label, legendgroup=label, showlegend=False,
                        xaxis="x2", yaxis="y2", line=style),
                   dict(type="scatter", mode="markers", x=[c.z[i]], y=[loss[i]], showlegend=False, marker=point,
                        hoverinfo="skip"),
                   dict(type="scatter", mode="markers", x=[c.z[i]], y=[grad[i]], showlegend=False, marker=point,
                        xaxis="x2", yaxis="y2", hoverinfo="skip")]
    layout = _frame(340, "<b>Loss (left) and its gradient (right)</b>",
                    **_panels(xaxis=dict(title="score z"), yaxis=dict(title="loss"), xaxis2=dict(title="score z"),
                              yaxis2=dict(title="∂loss/∂z")))
    return go.Figure(data=traces, layout=layout)


# -- Regression ----------------------------------------------------------------------------------
def regression_figure(run: RegressionRun) -> go.Figure:
    traces = [dict(type="scatter", mode="markers", x=run.x_train, y=run.y_train, name="training data",
                   marker=dict(color=DATA, size=5)),
              dict(type="scatter", mode="lines", x=run.grid, y=run.truth, name="sin(2x), without noise",
                   line=dict(color=TRUTH, width=2, dash="dash")),
              dict(type="scatter", mode="lines", x=run.grid, y=run.pred, name=f"network output μ(x), step {run.step:,}",
                   line=dict(color=SQUARED, width=3))]
    layout = _frame(340, "<b>A linear output unit fitted with squared error</b>",
                    xaxis=dict(title="x"), yaxis=dict(title="y", range=[-2, 2]))
    return go.Figure(data=traces, layout=layout)


# -- Mixture density network -------------------------------------------------------------------
def mdn_data_figure(x, y) -> go.Figure:
    """Bishop's data alone, before any training: one x, up to three right answers."""
    traces = [dict(type="scatter", mode="markers", x=np.asarray(x).ravel(), y=np.asarray(y).ravel(),
                   name="training data", marker=dict(color=DATA, size=5))]
    layout = _frame(360, "<b>The training data</b>: where the curve<br>folds back, three values of y fit one x",
                    xaxis=dict(title="input x", range=[-0.1, 1.1]), yaxis=dict(title="target y", range=[-0.15, 1.15]))
    return go.Figure(data=traces, layout=layout)


def mdn_fit_figure(run: MdnRun, min_weight: float = 0.1) -> go.Figure:
    """The training data, the squared-error net's output and each component's mean μ_c(x), drawn
    where its weight π_c(x) is at least ``min_weight``."""
    traces = [dict(type="scatter", mode="markers", x=run.x_train, y=run.y_train, name="training data",
                   marker=dict(color=DATA, size=4)),
              dict(type="scatter", mode="lines", x=run.grid, y=run.mse_mean, name="squared error: its output",
                   line=dict(color=SQUARED, width=4))]
    for c in range(run.m):
        mean = np.where(run.weights[:, c] >= min_weight, run.means[:, c], np.nan)
        traces.append(dict(type="scatter", mode="lines", x=run.grid, y=mean, name=f"MDN: μ{c + 1}(x)",
                           line=dict(color=COMPONENTS[c % len(COMPONENTS)], width=3), connectgaps=False,
                           customdata=run.weights[:, c],
                           hovertemplate="x = %{x:.2f}<br>μ = %{y:.3f}<br>π = %{customdata:.2f}<extra></extra>"))
    layout = _frame(360, f"<b>Component means μ(x)</b>, where π ≥ {min_weight:g}",
                    xaxis=dict(title="input x", range=list(run.grid[[0, -1]])),
                    yaxis=dict(title="target y", range=[-0.15, 1.15]))
    return go.Figure(data=traces, layout=layout)


def mdn_samples_figure(run: MdnRun, view: str) -> go.Figure:
    """Draws from p(y | x) beside the data, or the density p(y | x) as a heatmap."""
    if view == "density":
        traces = [dict(type="heatmap", x=run.grid, y=run.y_grid, z=np.sqrt(run.density()), colorscale="Blues",
                       showscale=False, hovertemplate="x = %{x:.2f}<br>y = %{y:.2f}<extra></extra>"),
                  dict(type="scatter", mode="markers", x=run.x_train, y=run.y_train, name="training data",
                       marker=dict(color=TRUTH, size=2, opacity=0.5))]
        title = "<b>Density p(y | x)</b> (colour: its square root)"
    else:
        traces = [dict(type="scatter", mode="markers", x=run.x_train, y=run.y_train, name="training data",
                       marker=dict(color=DATA, size=4)),
                  dict(type="scatter", mode="markers", x=run.samples_x, y=run.samples_y, name="drawn from the MDN",
                       marker=dict(color=LOG_LOSS, size=4, opacity=0.7))]
        title = "<b>Samples from p(y | x)</b>"
    layout = _frame(360, title, xaxis=dict(title="input x", range=list(run.grid[[0, -1]])),
                    yaxis=dict(title="target y", range=[-0.15, 1.15]))
    return go.Figure(data=traces, layout=layout)


def mdn_slice_figure(run: MdnRun, x: float, branches: np.ndarray) -> go.Figure:
    """p(y | x) at one input: the mixture, its weighted components, the squared-error net's
    Gaussian and the noise-free inverse's values at x."""
    i, y = run.at(x), run.y_grid
    traces = [dict(type="scatter", mode="lines", x=y, y=run.density_at(i), name="MDN: p(y | x)",
                   line=dict(color=LOG_LOSS, width=4)),
              dict(type="scatter", mode="lines", x=y, y=outputs.gaussian_pdf(y, run.mse_mean[i], run.mse_sigma),
                   name=f"squared error: N(y; μ(x), {run.mse_sigma:.3f}²)", line=dict(color=SQUARED, width=3))]
    for c in range(run.m):
        part = run.weights[i, c] * outputs.gaussian_pdf(y, run.means[i, c], run.sigmas[i, c])
        traces.append(dict(type="scatter", mode="lines", x=y, y=part, name=f"π{c + 1} N(μ{c + 1}, σ{c + 1}²)",
                           line=dict(color=COMPONENTS[c % len(COMPONENTS)], width=1.5, dash="dot")))
    traces.append(dict(type="scatter", mode="markers", x=branches, y=np.zeros(len(branches)), cliponaxis=False,
                       name="noise-free inverse at x", marker=dict(color=TRUTH, size=12, symbol="triangle-up")))
    layout = _frame(340, f"<b>p(y | x) at x = {run.grid[i]:.2f}</b>", xaxis=dict(title="target y", range=[-0.15, 1.15]),
                    yaxis=dict(title="density", rangemode="tozero"))
    return go.Figure(data=traces, layout=layout)


def mdn_loss_figure(run: MdnRun) -> go.Figure:
    """Training negative log-likelihood per step: the MDN's, and the squared-error net's Gaussian
    with σ² its mean squared error at that step."""
    steps = np.arange(1, len(run.nll) + 1)
    traces = [dict(type="scatter", mode="lines", x=steps, y=run.nll, name="MDN", line=dict(color=LOG_LOSS, width=3)),
              dict(type="scatter", mode="lines", x=steps, y=run.mse_nll, name="squared error (as a Gaussian)",
                   line=dict(color=SQUARED, width=3))]
    layout = _frame(300, "<b>Training loss: negative log-likelihood per point</b>",
                    xaxis=dict(title="training step"), yaxis=dict(title="−log p(y | x)"))
    return go.Figure(data=traces, layout=layout)
