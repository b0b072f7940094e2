"""The saturation figure of the vanishing-gradients lesson: where one unit's pre-activations lie,
and what slopes the activation gives them. Counts come from ``lessons.saturation``."""
from __future__ import annotations

import plotly.graph_objects as go

from activations import REGISTRY
from lessons.saturation import SLOPE_BINS, Z_BINS, Unit

from .lessons import _frame
from .outputs import TRUTH, _panels
from .palette import colours


def saturation_figure(u: Unit, act: str) -> go.Figure:
    """Left: histogram of z with the activation's curve f(z) over it. Right: histograms of f′(z)
    relative to its largest value, for ``act`` and for ReLU."""
    centres = (Z_BINS[:-1] + Z_BINS[1:]) / 2
    counts = u.z_counts()
    share = counts / counts.sum()
    f = REGISTRY[act].forward(centres)
    f = (f - f.min()) / (f.max() - f.min()) * share.max()  # the curve's shape, scaled to the bars
    name = REGISTRY[act].name
    own, relu = colours([act, "relu"])
    traces = [dict(type="bar", x=centres, y=share, name="share of inputs", marker=dict(color=own),
                   hovertemplate="z ≈ %{x:.1f}: %{y:.1%}<extra></extra>"),
              dict(type="scatter", mode="lines", x=centres, y=f, name=f"{name}(z), rescaled",
                   line=dict(color=TRUTH, width=2, dash="dash"), hoverinfo="skip")]
    slope_centres = (SLOPE_BINS[:-1] + SLOPE_BINS[1:]) / 2
    for slug, shade in ((act, own), ("relu", relu)):
        c = u.slope_counts(slug)
        traces.append(dict(type="bar", x=slope_centres, y=c / c.sum(), name=f"{REGISTRY[slug].name}′(z) ÷ its peak",
                           marker=dict(color=shade), opacity=0.75, xaxis="x2", yaxis="y2",
                           hovertemplate="f′ ÷ peak ≈ %{x:.2f}: %{y:.1%}<extra></extra>"))
    layout = _frame(340, f"<b>One unit, weights of norm {u.scale:g}</b>:<br>pre-activations z (left), "
                         "<br>their slopes f′(z) (right)",
                    barmode="overlay", bargap=0,
                    **_panels(xaxis=dict(title="pre-activation z", range=[-30, 30]),
                              yaxis=dict(title="share of inputs", tickformat=".0%"),
                              xaxis2=dict(title="f′(z) ÷ its peak", range=[0, 1]),
                              yaxis2=dict(title="share of inputs (log)", type="log", range=[-3.3, 0.05],
                                          tickformat=".1%")))
    return go.Figure(data=traces, layout=layout)

