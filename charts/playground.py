"""Figures for the step-by-step lab, drawn from a ``training.playground.View`` (no Streamlit, no
formulas): the network as TensorFlow Playground draws it, and every compared activation's output
side by side with the loss curves.

Colours are Playground's: orange for negative (class 0), blue for positive (class 1), light grey
for 0. Figures are plain dicts validated once by ``go.Figure``; each column of unit pictures is one
heatmap (NaN between the units), and the weights are grouped into a few line traces by sign and
size, so a redraw handles tens of traces, not hundreds (docs/benchmarks.md, "Step-by-step lab")."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

import numpy as np
import plotly.graph_objects as go

from activations import REGISTRY
from training.features import NAMES as FEATURE_NAMES

from .palette import colours

if TYPE_CHECKING:  # types only: importing the training package would import torch
    from training.lockstep import View

NEGATIVE, ZERO, POSITIVE = "#f59322", "#e8eaeb", "#0877bd"
SCALE = [[0, NEGATIVE], [0.5, ZERO], [1, POSITIVE]]
DEAD = "#d62728"
STEP_X, STEP_Y = 2.6, 1.3  # distance between columns and between units, in unit-picture widths
WIDTHS = ((0.1, 0.6), (0.5, 1.2), (1.0, 2.0), (2.0, 3.2), (4.0, 5.0), (np.inf, 7.0))  # |w| below → line width
MAX_CURVE_POINTS = 300


def short_name(slug: str) -> str:
    """An activation's name for a small panel: the abbreviation a name ends in ("PReLU"), else the
    name without its remark in brackets ("Sigmoid"), keeping the remark's first word where another
    activation has the same name ("GELU (tanh)")."""
    name = REGISTRY[slug].name
    m = re.fullmatch(r"(.*?) \((.*)\)", name)
    if not m:
        return name
    base, remark = m.groups()
    if re.fullmatch(r"[A-Z]\w*", remark):
        return remark
    clash = any(a.name.split(" (")[0] == base for s, a in REGISTRY.items() if s != slug)
    return f"{base} ({remark.split()[0]})" if clash else base


def _layout_columns(counts: list[int]) -> list[np.ndarray]:
    """The bottom edge (y) of each unit's picture, per column, the columns centred on each other;
    unit 0 on top."""
    height = max(counts) * STEP_Y
    return [(height + n * STEP_Y) / 2 - STEP_Y * (np.arange(n) + 1) for n in counts]


def _column(values: np.ndarray, x0: float, bottoms: np.ndarray) -> dict:
    """One heatmap for a column of unit pictures ``values`` (units, m, m), each scaled to its
    largest |value| (its shape shows, whatever its size), with NaN rows at the gaps."""
    m = values.shape[-1]
    big = np.abs(values).reshape(len(values), -1).max(1)
    scaled = values / np.where(big > 0, big, 1)[:, None, None]
    rows, ys = [], []
    blank = np.full(m, np.nan)
    for j in np.argsort(bottoms):  # bottom to top
        y0 = bottoms[j]
        if ys:
            rows.append(blank)
            ys.append(y0 - 0.5 / m)
        rows.extend(scaled[j])
        ys.extend(y0 + (np.arange(m) + 0.5) / m)
        rows.append(blank)
        ys.append(y0 + 1 + 0.5 / m)
    rows.pop(), ys.pop()  # nothing above the top unit
    return dict(type="heatmap", x=x0 + (np.arange(m) + 0.5) / m, y=np.array(ys), z=np.array(rows, dtype=np.float32),
                zmin=-1, zmax=1, colorscale=SCALE, showscale=False, hoverinfo="skip", xaxis="x", yaxis="y")


def _links(weights: list[np.ndarray], xs: list[float], bottoms: list[np.ndarray], names: list[list[str]]) -> list[dict]:
    """The weights as lines from the right edge of a unit to the left edge of the next layer's:
    colour the sign, width the size (binned: one trace per sign and width), and one trace of
    invisible markers at their midpoints that names each weight on hover."""
    segs: dict[tuple[bool, int], tuple[list, list]] = {}
    mid_x, mid_y, text = [], [], []
    for c, w in enumerate(weights):
        for i in range(w.shape[0]):
            for j in range(w.shape[1]):
                value = float(w[i, j])
                if not np.isfinite(value):
                    continue
                a = (xs[c] + 1, bottoms[c][i] + 0.5)
                b = (xs[c + 1], bottoms[c + 1][j] + 0.5)
                size = next(k for k, (edge, _) in enumerate(WIDTHS) if abs(value) < edge)
                sx, sy = segs.setdefault((value >= 0, size), ([], []))
                sx.extend((a[0], b[0], None))
                sy.extend((a[1], b[1], None))
                mid_x.append(a[0] + 0.45 * (b[0] - a[0]))
                mid_y.append(a[1] + 0.45 * (b[1] - a[1]))
                text.append(f"{names[c][i]} → {names[c + 1][j]}<br>weight {value:.3f}")
    traces = [dict(type="scatter", mode="lines", x=sx, y=sy, hoverinfo="skip", xaxis="x", yaxis="y",
                   line=dict(color=POSITIVE if positive else NEGATIVE, width=WIDTHS[size][1]),
                   opacity=0.35 + 0.1 * size)
              for (positive, size), (sx, sy) in sorted(segs.items())]
    traces.append(dict(type="scatter", mode="markers", x=mid_x, y=mid_y, text=text, hovertemplate="%{text}<extra></extra>",
                       marker=dict(size=8, opacity=0), xaxis="x", yaxis="y"))
    return traces


def network(v: View, k: int, discretize: bool = False, show_test: bool = False) -> go.Figure:
    """Network ``k`` of the view as Playground draws it: the input features, each hidden unit and
    the output unit, each as a small picture of its output over the input plane; the weights as
    lines between them; dead units crossed out; and on the right the output over the plane with the
    data. Hovering a unit gives its bias, the range of its output and since when it is dead."""
    L = len(v.widths)
    counts = [len(v.features), *v.widths, 1]
    bottoms = _layout_columns(counts)
    xs = [c * STEP_X for c in range(L + 2)]
    names = [[FEATURE_NAMES[f] for f in v.features]] + [[f"layer {l + 1} unit {u + 1}" for u in range(w)]
                                                      for l, w in enumerate(v.widths)] + [["output"]]
    out_small = _output_unit(v, k)
    pictures = [v.inputs] + [v.units[l][k] for l in range(L)] + [out_small[None]]
    traces = [_column(p, x, b) for p, x, b in zip(pictures, xs, bottoms)]
    traces += _links([w[k] for w in v.weights], xs, bottoms, names)
    # hover on each unit, and a cross on the dead ones
    hx, hy, htext, dx, dy, dtext = [], [], [], [], [], []
    for c, p in enumerate(pictures):
        for j in range(counts[c]):
            cx, cy = xs[c] + 0.5, bottoms[c][j] + 0.5
            lo, hi = float(np.nanmin(p[j])), float(np.nanmax(p[j]))
            line = f"<b>{names[c][j]}</b><br>over the plane: {lo:.3g} to {hi:.3g}"
            if 0 < c:
                line += f"<br>bias {float(v.biases[c - 1][k, j]):.3f}"
            if 0 < c <= L and v.dead[c - 1][k, j]:
                since = int(v.dead_since[c - 1][k, j])
                note = f"dead since epoch {since}: 0 on every training point"
                line += f"<br>{note}"
                dx.append(cx), dy.append(cy), dtext.append(f"<b>{names[c][j]}</b><br>{note}")
            hx.append(cx), hy.append(cy), htext.append(line)
    traces.append(dict(type="scatter", mode="markers", x=hx, y=hy, text=htext, hovertemplate="%{text}<extra></extra>",
                       marker=dict(size=18, symbol="square", opacity=0), xaxis="x", yaxis="y"))
    if dx:
        traces.append(dict(type="scatter", mode="markers", x=dx, y=dy, text=dtext, hovertemplate="%{text}<extra></extra>",
                           marker=dict(size=16, symbol="x-thin", line=dict(width=3, color=DEAD), color=DEAD),
                           xaxis="x", yaxis="y", name="dead"))
    top = max(b.max() for b in bottoms) + 1
    heads = ["features"] + [f"layer {l + 1}" for l in range(L)] + ["output"]
    traces.append(dict(type="scatter", mode="text", x=[x + 0.5 for x in xs], y=[top + 0.35] * len(xs), text=heads,
                       textposition="top center", hoverinfo="skip", xaxis="x", yaxis="y", textfont=dict(color="#555")))
    traces.append(dict(type="scatter", mode="text", x=[-0.15] * counts[0], y=bottoms[0] + 0.5, text=names[0],
                       textposition="middle left", hoverinfo="skip", xaxis="x", yaxis="y"))
    traces += _plane(v, k, discretize, show_test, "x2", "y2")
    width = xs[-1] + 1
    layout = dict(
        height=110 + 36 * max(counts), margin=dict(l=10, r=10, t=10, b=10), showlegend=False, hovermode="closest",
        xaxis=dict(domain=[0, 0.62], range=[-1.6, width + 0.2], visible=False, fixedrange=True),
        yaxis=dict(range=[-0.3, top + 1.0], visible=False, scaleanchor="x", fixedrange=True),
        xaxis2=dict(domain=[0.66, 1], range=[float(v.grid_x[0]), float(v.grid_x[-1])], anchor="y2", visible=False,
                    constrain="domain", fixedrange=True),
        yaxis2=dict(range=[float(v.grid_y[0]), float(v.grid_y[-1])], anchor="x2", scaleanchor="x2", visible=False,
                    constrain="domain", fixedrange=True))
    return go.Figure(data=traces, layout=layout)


def _output_unit(v: View, k: int) -> np.ndarray:
    """The output unit's picture on the units' smaller plane, on the −1 to 1 scale: 2·P(class 1) − 1
    for two classes (the log-odds' sign), the value for regression."""
    small = v.output[k][np.ix_(_nearest(v.grid_y, v.unit_y), _nearest(v.grid_x, v.unit_x))]
    return small if v.regression else 2 * small - 1


def _nearest(grid: np.ndarray, at: np.ndarray) -> np.ndarray:
    return np.abs(grid[None, :] - at[:, None]).argmin(1)


def _surface(v: View, k: int, discretize: bool) -> np.ndarray:
    z = v.output[k]
    if discretize:  # Playground's "discretize output": the predicted class, or the output's sign
        z = np.where(z >= 0, 1.0, -1.0) if v.regression else (z >= 0.5).astype(float)
    return z


def _plane(v: View, k: int, discretize: bool, show_test: bool, xa: str, ya: str, points: bool = True) -> list[dict]:
    """The output over the plane and the training points (and the test points, outlined in black)."""
    lo = -1 if v.regression else 0
    name = "output" if v.regression else "P(class 1)"
    traces = [dict(type="heatmap", x=v.grid_x, y=v.grid_y, z=_surface(v, k, discretize).astype(np.float32), zmin=lo,
                   zmax=1, colorscale=SCALE, showscale=False, opacity=0.85, xaxis=xa, yaxis=ya,
                   hovertemplate=f"{name} %{{z:.3f}}<extra></extra>")]
    sets = [(v.x_train, v.y_train, "white", "training")] + ([(v.x_test, v.y_test, "black", "test")] if show_test else [])
    for x, y, edge, label in sets if points else []:
        traces.append(dict(type="scatter", mode="markers", x=x[:, 0], y=x[:, 1], xaxis=xa, yaxis=ya, hoverinfo="skip",
                           marker=dict(size=5, color=y.astype(np.float32), colorscale=SCALE, cmin=lo, cmax=1,
                                       line=dict(width=0.6 if edge == "white" else 1.0, color=edge)), name=label))
    return traces


def outputs(v: View, discretize: bool = False) -> go.Figure:
    """Every compared activation's output over the plane, side by side, with its test loss and dead
    units; below, every network's training (dotted) and test (solid) loss by epoch. The data points
    are left to the network's figure (``network``): drawn six times over they took about half of this
    figure's redraw in the browser."""
    K = len(v.entries)
    gap, split = 0.012, 0.42  # the loss chart takes the figure's lower 42 %
    traces, layout, notes = [], {}, []
    palette = colours(list(v.entries))
    for k, slug in enumerate(v.entries):
        ax = "" if k == 0 else str(k + 1)
        a, b = k / K + gap / 2, (k + 1) / K - gap / 2
        traces += _plane(v, k, discretize, False, f"x{ax}", f"y{ax}", points=False)
        layout[f"xaxis{ax}"] = dict(domain=[a, b], anchor=f"y{ax}", range=[float(v.grid_x[0]), float(v.grid_x[-1])],
                                    visible=False, constrain="domain", fixedrange=True)
        layout[f"yaxis{ax}"] = dict(domain=[split + 0.1, 1], anchor=f"x{ax}", scaleanchor=f"x{ax}",
                                    range=[float(v.grid_y[0]), float(v.grid_y[-1])], visible=False,
                                    constrain="domain", fixedrange=True)
        dead = sum(int(d[k].sum()) for d in v.dead)
        line = "diverged" if v.diverged_at[k] >= 0 else f"test loss {v.test_loss[k]:.3f}"
        notes.append(dict(text=f"<b>{short_name(slug)}</b><br>{line}" + (f"<br>{dead} dead" if dead else ""),
                          x=(a + b) / 2, y=1.0, xref="paper", yref="paper", xanchor="center", yanchor="bottom",
                          showarrow=False, font=dict(size=12, color=palette[k])))
    ax = str(K + 1)
    idx = np.unique(np.linspace(0, len(v.history_epochs) - 1, min(len(v.history_epochs), MAX_CURVE_POINTS)).astype(int))
    epochs = v.history_epochs[idx]
    for k, slug in enumerate(v.entries):
        for series, dash, label in ((v.history_train, "dot", "training"), (v.history_test, "solid", "test")):
            traces.append(dict(type="scatter", mode="lines", x=epochs, y=series[idx, k], xaxis=f"x{ax}", yaxis=f"y{ax}",
                               line=dict(color=palette[k], width=2 if dash == "solid" else 1.5, dash=dash),
                               hovertemplate=f"{short_name(slug)}, {label} loss at epoch %{{x}}: %{{y:.4f}}<extra></extra>"))
    finite = np.concatenate([v.history_train[np.isfinite(v.history_train)], v.history_test[np.isfinite(v.history_test)]])
    top = float(np.percentile(finite, 99)) * 1.05 if finite.size else 1.0
    layout[f"xaxis{ax}"] = dict(domain=[0.05, 1], anchor=f"y{ax}", range=[0, max(1, int(v.history_epochs[-1]))],
                                fixedrange=True)
    layout[f"yaxis{ax}"] = dict(domain=[0, split], anchor=f"x{ax}", range=[0, top if top > 0 else 1], fixedrange=True,
                                title=dict(text="loss", standoff=4))
    notes.append(dict(text="test loss solid, training loss dotted, by epoch", x=1, y=split, xref="paper", yref="paper",
                      xanchor="right", yanchor="bottom", showarrow=False, font=dict(size=11, color="#555")))
    layout.update(height=350, margin=dict(l=10, r=10, t=54, b=22), showlegend=False, hovermode="closest",
                  annotations=notes)
    return go.Figure(data=traces, layout=layout)
