"""Figures for the lessons: a Graphviz diagram of the chain and Plotly figures. Values come from
the lessons' logic (``lessons/``) and the registry; nothing here computes a formula.

As in ``charts.gallery``, figures are plain dicts validated once by ``go.Figure`` and kept light
for Plotly's redraw: few traces (units of one run share a trace, separated by ``None``), no
layout shapes (zero lines come from the axes, target lines are two-point traces) and per-point
hover."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import plotly.graph_objects as go

from activations import REGISTRY

from . import palette
from .palette import colours

if TYPE_CHECKING:  # types only: importing the lessons' logic would import torch
    from lessons.chain_rule import Walk
    from lessons.depth import Probe
    from lessons.dying import DyingRun

DEAD = palette.DEAD
SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def sub(k: int) -> str:
    return str(k).translate(SUB)


def num(v: float) -> str:
    """A short, exact-looking number: 0.8, −1, 0.00096, 3.2e-09."""
    v = float(v) + 0.0  # −0 → 0
    text = f"{v:.4g}" if v == 0 or 1e-4 <= abs(v) < 1e5 else f"{v:.3e}"
    return text.replace("-", "−")


def chain_latex(walk: Walk, per_line: int = 4) -> str:
    """∂L/∂w₁ as the product of its factors, then their values: ``per_line`` factors a line, so
    a long chain wraps instead of running off a narrow screen."""
    def rows(items, joiner):
        lines = [joiner.join(items[i:i + per_line]) for i in range(0, len(items), per_line)]
        return (r" \\ & \quad " + joiner).join(lines)

    symbols = rows([f.symbol for f in walk.factors], r" \cdot ")
    values = rows([num(f.value).replace("−", "-") for f in walk.factors], r" \times ")
    return (r"\begin{aligned} \frac{\partial L}{\partial w_1} &= " + symbols + r" \\ &= " + values
            + f" = {num(walk.grad).replace('−', '-')}" + r" \end{aligned}")


def chain_dot(walk: Walk) -> str:
    """The chain as a Graphviz digraph: nodes carry the forward values, edges the local
    derivatives that backpropagation multiplies (red where one is exactly zero)."""
    c, n = walk.chain, walk.chain.hidden
    name = REGISTRY[c.act].name
    lines = ['digraph chain {', 'rankdir=TB; bgcolor="transparent"; nodesep=0.5; ranksep=0.35;',
             'node [shape=box, style="rounded,filled", fillcolor="#f1f3f5", color="#868e96", '
             'fontname="Helvetica", fontsize=20, margin="0.2,0.1"];',
             'edge [fontname="Helvetica", fontsize=18, color="#495057", fontcolor="#212529", penwidth=1.8];',
             f'x [label="x = {num(c.x)}", fillcolor="#e7f5ff"];',
             f'w1 [label="w{sub(1)} = {num(c.weights[0])}", fillcolor="#fff4e6", color="#d9480f", penwidth=2];']
    for k in range(1, n + 1):
        lines.append(f'z{k} [label="z{sub(k)} = {num(walk.z[k - 1])}"];')
        lines.append(f'a{k} [label="a{sub(k)} = {name}(z{sub(k)}) = {num(walk.a[k - 1])}"];')
    lines.append(f'yhat [label="ŷ = {num(walk.y_hat)}"];')
    lines.append(f'L [label="L = ½(ŷ − y)² = {num(walk.loss)}\\ny = {num(c.y)}", fillcolor="#fff5f5"];')
    # factors run from the loss back to w1; pair each with the edge it belongs to
    edges = [("yhat", "L"), (f"a{n}", "yhat")]
    for k in range(n, 0, -1):
        edges.append((f"z{k}", f"a{k}"))
        if k > 1:
            edges.append((f"a{k - 1}", f"z{k}"))
    edges.append(("w1", "z1"))
    for (src, dst), f in zip(edges, walk.factors):
        label = f"  {_plain(f.symbol)} = {num(f.value)}  ({f.kind})"
        style = f', color="{DEAD}", fontcolor="{DEAD}", penwidth=3' if f.value == 0 else ""
        lines.append(f'{src} -> {dst} [label="{label}"{style}];')
    lines.append('x -> z1 [style=dashed];')
    lines.append("{rank=same; x; w1;}")
    lines.append("}")
    return "\n".join(lines)


def chain_text(walk: Walk) -> str:
    """``chain_dot``'s diagram in words, its text alternative: the forward values node by node, then
    the factors backpropagation multiplies, from the loss back to w₁, and their product."""
    c, n = walk.chain, walk.chain.hidden
    name = REGISTRY[c.act].name
    forward = [f"x = {num(c.x)}", f"w{sub(1)} = {num(c.weights[0])}"]
    for k in range(1, n + 1):
        forward += [f"z{sub(k)} = {num(walk.z[k - 1])}", f"a{sub(k)} = {name}(z{sub(k)}) = {num(walk.a[k - 1])}"]
    forward += [f"ŷ = {num(walk.y_hat)}", f"the target y = {num(c.y)}", f"the loss L = ½(ŷ − y)² = {num(walk.loss)}"]
    factors = [f"{_plain(f.symbol)} = {num(f.value)} ({f.kind}{', zero' if f.value == 0 else ''})"
               for f in walk.factors]
    zero = " A factor is exactly zero, so the product is zero and w₁ does not move." if walk.grad == 0 else ""
    return (f"Diagram of the chain, forward: {'; '.join(forward)}. "
            f"Backward, the local derivatives on its arrows, from the loss back to w₁: {'; '.join(factors)}. "
            f"Their product ∂L/∂w₁ = {num(walk.grad)}.{zero}")


def _plain(symbol: str) -> str:
    """∂-notation for Graphviz from the factor's LaTeX symbol."""
    out = symbol.replace(r"\partial ", "∂").replace(r"\hat y", "ŷ").replace("{", "").replace("}", "")
    for k in range(9, -1, -1):
        out = out.replace(f"_{k}", sub(k))
    return out


# -- How a unit dies ----------------------------------------------------------------------------
def _frame(height: int, title: str | None = None, **extra) -> dict:
    """Fixed margins wide enough for the tick labels and axis titles: the pages draw these charts
    without automargin, which costs the browser a measuring pass per axis on every redraw.
    The chart's title heads its legend, which stands above the plot: at any width the legend's
    rows push the top margin and never cover an axis title or shrink the plot sideways."""
    layout = dict(height=height, margin=dict(l=70, r=10, t=20, b=50), hovermode="closest")
    if title:
        layout.update(showlegend=True, legend=dict(
            orientation="h", x=0, xanchor="left", y=1.02, yanchor="bottom",
            title=dict(text=title, side="top", font=dict(size=15))))
    return layout | extra


def _gapped(rows: np.ndarray, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Several lines (one per row) as one trace: x and y joined with a NaN (a gap) between lines."""
    gap = np.full((len(rows), 1), np.nan)
    return np.tile(np.append(x, np.nan), len(rows)), np.hstack([rows, gap]).ravel()


def fractions_figure(runs: dict[str, DyingRun]) -> go.Figure:
    """Share of units off (negative on every training input) and dead (output 0 on every training
    input) per step."""
    traces = []
    for (label, run), c in zip(runs.items(), colours([r.act for r in runs.values()])):
        steps = np.arange(run.steps + 1)
        traces.append(dict(type="scatter", mode="lines", x=steps, y=run.off_fraction, name=f"{label}: off",
                           line=dict(color=c, width=3)))
        traces.append(dict(type="scatter", mode="lines", x=steps, y=run.dead_fraction, name=f"{label}: dead",
                           line=dict(color=c, width=2, dash="dot")))
    layout = _frame(320, "<b>Units switched off and units dead, per training step</b>",
                    xaxis=dict(title="training step"), yaxis=dict(title="fraction of units", range=[-0.03, 1.03]))
    return go.Figure(data=traces, layout=layout)


def heatmap_figure(runs: dict[str, DyingRun], step: int) -> go.Figure:
    """Side by side, one row per unit: the histogram of its pre-activations over the training
    split at ``step``. A row entirely left of the zero line is a unit that is off."""
    n = len(runs)
    traces, annotations, layout = [], [], {}
    for i, (label, run) in enumerate(runs.items()):
        s = min(step, run.steps)
        centres = (run.edges[:-1] + run.edges[1:]) / 2
        units = run.hist.shape[1]
        ax = "" if i == 0 else str(i + 1)
        counts = run.hist[s]
        traces.append(dict(type="heatmap", x=centres, y=np.arange(units), z=np.log10(1 + counts), xaxis=f"x{ax}",
                           yaxis=f"y{ax}", colorscale="Blues", showscale=False, customdata=counts,
                           hovertemplate="unit %{y}<br>z ≈ %{x:.3g}<br>%{customdata} inputs<extra></extra>"))
        off = np.flatnonzero(run.off[s])
        traces.append(dict(type="scatter", mode="markers", x=[run.edges[-1]] * len(off), y=off, xaxis=f"x{ax}",
                           yaxis=f"y{ax}", marker=dict(symbol="x", size=11, color=DEAD), showlegend=False,
                           cliponaxis=False, hovertemplate="unit %{y} is off<extra></extra>"))
        lo, hi = i / n + 0.03, (i + 1) / n - 0.03
        # The red z = 0 line is the axis' zero line, drawn above the heatmap (no layout shape).
        layout[f"xaxis{ax}"] = dict(domain=[lo, hi], title="pre-activation z", anchor=f"y{ax}",
                                    range=[run.edges[0], run.edges[-1]], zeroline=True, zerolinecolor=DEAD,
                                    zerolinewidth=2, zerolinelayer="above traces", showgrid=False)
        # Exactly one row per unit: a fixed range, so the markers' padding adds no empty row.
        layout[f"yaxis{ax}"] = dict(title="unit" if i == 0 else None, anchor=f"x{ax}", range=[units - 0.5, -0.5],
                                    dtick=1 if units <= 16 else None, showgrid=False, zeroline=False)
        state = f", diverged at step {run.diverged_at}" if run.diverged_at is not None and step > run.steps else ""
        annotations.append(dict(text=f"<b>{label}</b>, step {s}{state}<br>{len(off)} of {units} off, "
                                     f"{int(run.dead[s].sum())} dead", x=(lo + hi) / 2, y=1.0, xref="paper",
                                yref="paper", xanchor="center", yanchor="bottom", showarrow=False))
    layout.update(_frame(420, annotations=annotations, showlegend=False, margin=dict(l=60, r=25, t=60, b=50)))
    return go.Figure(data=traces, layout=layout)


def bias_figure(runs: dict[str, DyingRun]) -> go.Figure:
    """Every unit's bias over the steps, one panel per run; units that end the run off are drawn
    in red. Two traces per run (units on / off at the end), units separated by ``None``."""
    traces = []
    for i, ((label, run), c) in enumerate(zip(runs.items(), colours([r.act for r in runs.values()]))):
        steps = np.arange(run.steps + 1)
        axes = dict(xaxis="x", yaxis="y") if i == 0 else dict(xaxis="x2", yaxis="y2")
        for off in (False, True):
            units = np.flatnonzero(run.off[-1] == off)
            xs, ys = _gapped(run.bias[:, units].T, steps)
            unit_of = np.repeat(units, len(steps) + 1)
            traces.append(dict(type="scatter", mode="lines", x=xs, y=ys, customdata=unit_of, **axes,
                               name=f"{label}: off at the end" if off else label, legendgroup=label,
                               showlegend=not off, connectgaps=False,
                               line=dict(color=DEAD if off else c, width=2.5 if off else 1.2, dash="dash" if off else "solid"),
                               hovertemplate=f"{label}, unit %{{customdata}}: bias %{{y:.3g}} at step %{{x}}"
                                             "<extra></extra>"))
    layout = _frame(300, "<b>Each unit's bias</b> (red, dashed: off at the end)",
                    xaxis=dict(domain=[0, 0.47], title="training step"),
                    xaxis2=dict(domain=[0.53, 1], title="training step", anchor="y2"),
                    yaxis=dict(title="bias"), yaxis2=dict(anchor="x2"))
    return go.Figure(data=traces, layout=layout)


# -- Vanishing gradients ------------------------------------------------------------------------
def _probe_colours(probes: dict[str, Probe]) -> list[str]:
    return colours([p.act for p in probes.values()])


def gradient_norms_figure(probes: dict[str, Probe]) -> go.Figure:
    traces = []
    for (label, p), c in zip(probes.items(), _probe_colours(probes)):
        layers = np.arange(1, len(p.grad_norms) + 1)
        traces.append(dict(type="scatter", mode="lines+markers", x=layers, y=p.grad_norms, name=label,
                           line=dict(color=c, width=3), marker=dict(size=5),
                           hovertemplate=f"{label}<br>layer %{{x}}: ‖∂L/∂W‖ = %{{y:.3g}}<extra></extra>"))
    layout = _frame(440, "<b>Gradient norm ‖∂L/∂W⁽ˡ⁾‖ of every layer</b>, one batch",
                    xaxis=dict(title="layer l (1 = next to the input)"),
                    yaxis=dict(title="gradient norm (log scale)", type="log", exponentformat="power"))
    return go.Figure(data=traces, layout=layout)


def derivative_bounds_figure(x: np.ndarray, slugs=("sigmoid", "tanh", "relu")) -> go.Figure:
    traces = []
    for slug, c in zip(slugs, colours(slugs)):
        act = REGISTRY[slug]
        traces.append(dict(type="scatter", mode="lines", x=x, y=act.derivative(x), name=f"{act.name}′",
                           line=dict(color=c, width=3)))
    peaks = [(0, 0.25, "σ′(0) = 0.25"), (0, 1.0, "tanh′(0) = 1")]
    traces.append(dict(type="scatter", mode="markers+text", x=[p[0] for p in peaks], y=[p[1] for p in peaks],
                       text=[p[2] for p in peaks], textposition="middle right", showlegend=False,
                       marker=dict(size=10, color="#212529")))
    layout = _frame(340, "<b>Derivatives</b> and their peaks",
                    xaxis=dict(title="z"), yaxis=dict(title="f′(z)", range=[-0.05, 1.15]))
    return go.Figure(data=traces, layout=layout)


def slope_product_figure(probes: dict[str, Probe]) -> go.Figure:
    """Running product over the layers of the mean |f′(z)| measured in the network, next to the
    best case for the sigmoid, 0.25 per layer."""
    traces = []
    depth = 1
    for (label, p), c in zip(probes.items(), _probe_colours(probes)):
        layers = np.arange(1, len(p.mean_slope) + 1)
        depth = max(depth, len(layers))
        traces.append(dict(type="scatter", mode="lines", x=layers, y=np.cumprod(p.mean_slope), name=label,
                           line=dict(color=c, width=3)))
    layers = np.arange(1, depth + 1)
    traces.append(dict(type="scatter", mode="lines", x=layers, y=0.25 ** layers, name="0.25ˡ (sigmoid's best case)",
                       line=dict(color="#212529", dash="dash", width=2)))
    layout = _frame(340, "<b>Product of the mean slope over the first l layers</b><br>(slopes only, weights left out)",
                    xaxis=dict(title="layers l"), yaxis=dict(title="∏ mean |f′(z)| (log)", type="log",
                                                              exponentformat="power"))
    return go.Figure(data=traces, layout=layout)


def normalisation_figure(probes: dict[str, Probe]) -> go.Figure:
    """Mean (left) and variance (right) of every layer's activations, with the targets 0 and 1
    as dashed two-point lines. A second run of the same activation (another initialisation)
    keeps the activation's colour and is dotted."""
    traces, depth, seen = [], 1, set()
    for i, ((label, p), c) in enumerate(zip(probes.items(), _probe_colours(probes))):
        layers = np.arange(1, len(p.mean) + 1)
        depth = max(depth, len(layers))
        style = dict(color=c, width=3.5 if i == 0 else 2, dash="dot" if p.act in seen else "solid")
        seen.add(p.act)
        traces.append(dict(type="scatter", mode="lines", x=layers, y=p.mean, name=label, legendgroup=label,
                           line=style))
        traces.append(dict(type="scatter", mode="lines", x=layers, y=p.var, name=label, legendgroup=label,
                           showlegend=False, xaxis="x2", yaxis="y2", line=style))
    for y, axes in ((0, {}), (1, dict(xaxis="x2", yaxis="y2"))):
        traces.append(dict(type="scatter", mode="lines", x=[1, depth], y=[y, y], name="target", showlegend=False,
                           hoverinfo="skip", line=dict(color="#212529", dash="dash", width=1.5), **axes))
    layout = _frame(400, "<b>Mean and variance of every layer's activations</b><br>(dashed: the targets 0 and 1)",
                    xaxis=dict(domain=[0, 0.46], title="layer"), yaxis=dict(title="mean of a⁽ˡ⁾ (target 0)"),
                    xaxis2=dict(domain=[0.56, 1], title="layer", anchor="y2"),
                    yaxis2=dict(title="variance of a⁽ˡ⁾ (target 1, log)", type="log", anchor="x2",
                                exponentformat="power"))
    return go.Figure(data=traces, layout=layout)
