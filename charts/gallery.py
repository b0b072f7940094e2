"""Figures for the activation gallery. Values come from the registry; this module only draws.

Figures are assembled from plain dicts and validated once by ``go.Figure``: that costs about
3 ms, where ``make_subplots`` and ``add_scatter`` cost about 40 ms, a third of a slider's
whole round trip."""
from __future__ import annotations

from functools import lru_cache

import numpy as np
import plotly.graph_objects as go

from activations import REGISTRY, Activation, rrelu_draw_slopes

from .palette import colour, colours, rgba

AXIS = dict(zeroline=True, zerolinecolor="#adb5bd", zerolinewidth=1)


def _layout(x: np.ndarray, height: int = 380, **extra) -> dict:
    """Two panels side by side over the plotted x: f(x) on the left (axes x, y), f′(x) on the
    right (x2, y2). The panels' titles tell function from derivative, so both are drawn solid
    (dotted lines fade on a projector). Zero lines come from the axes, hover is per point, the x range is fixed and
    the margins leave room for tick labels: shapes, unified hover labels, autoranging and
    automargin all add to Plotly's redraw time."""
    xr = [float(x[0]), float(x[-1])]
    title = lambda text, x: dict(text=f"<b>{text}</b>", x=x, y=1.0, xref="paper", yref="paper",  # noqa: E731
                                 xanchor="center", yanchor="bottom", showarrow=False, font=dict(size=15))
    return dict(height=height, margin=dict(l=50, r=10, t=40, b=30), hovermode="closest",
                legend=dict(orientation="h", y=-0.2), showlegend=True,
                xaxis=dict(AXIS, domain=[0, 0.45], title="x", range=xr), yaxis=dict(AXIS, anchor="x"),
                xaxis2=dict(AXIS, domain=[0.55, 1], anchor="y2", title="x", range=xr), yaxis2=dict(AXIS, anchor="x2"),
                annotations=[title("f(x)", 0.225), title("f′(x)", 0.775)], **extra)


def _line(x, y, panel: int, **kw) -> dict:
    axes = dict(xaxis="x", yaxis="y") if panel == 1 else dict(xaxis="x2", yaxis="y2")
    return {"type": "scatter", "mode": "lines", "x": x, "y": y, **axes, **kw}


def inspect(act: Activation, x0: float, values: dict) -> list[tuple[str, float, float]]:
    """(label, f(x0), f′(x0)) for each curve the activation draws."""
    return [(label, float(f.item()) + 0.0, float(d.item()) + 0.0)  # + 0.0 turns −0 into 0
            for label, (f, d) in act.curves(np.array([x0]), **values).items()]


def curve_figure(act: Activation, x: np.ndarray, values: dict, x0: float, rrelu_train: bool = False):
    """Function and derivative side by side, with the point x0 marked on both. Returns the
    figure and ``inspect``'s values at x0."""
    traces = _rrelu_band(x, values) if rrelu_train else []
    curves = act.curves(x, **values)
    palette = _curve_colours(act, len(curves))
    for (label, (f, d)), c in zip(curves.items(), palette):
        name = f"{label} (test-time slope)" if rrelu_train else label
        traces.append(_line(x, f, 1, name=name, legendgroup=label, line=dict(color=c, width=3),
                            hovertemplate="x = %{x:.3g}<br>f = %{y:.4g}<extra></extra>"))
        traces.append(_line(x, d, 2, name=f"{label}′", legendgroup=label, showlegend=False,
                            line=dict(color=c, width=3),
                            hovertemplate="x = %{x:.3g}<br>f′ = %{y:.4g}<extra></extra>"))
    points = inspect(act, x0, values)
    layout = _layout(x)
    (f_lo, f_hi), (d_lo, d_hi) = fixed_ranges(act, float(x[0]), float(x[-1]))
    layout["yaxis"]["range"], layout["yaxis2"]["range"] = [f_lo, f_hi], [d_lo, d_hi]
    for (_label, f0, d0), c in zip(points, palette):
        for panel, y in ((1, f0), (2, d0)):
            traces.append(_line([x0], [y], panel, mode="markers", showlegend=False,
                                hovertemplate=f"x = {x0:.4g}<br>{'f′' if panel == 2 else 'f'} = {y:.4g}<extra></extra>",
                                marker=dict(size=11, color=c, line=dict(color="white", width=2))))
    return go.Figure(data=traces, layout=layout), points


@lru_cache(maxsize=256)
def fixed_ranges(act: Activation, lo: float, hi: float, n: int = 201) -> tuple[tuple[float, float], ...]:
    """y ranges for f and f′ over [lo, hi] that hold for every parameter value the sliders allow
    (each parameter at its ends, its default and in between), so moving a slider changes the
    curve, not the axes: f′ at α = 0 and at α = 0.5 look different."""
    x = np.linspace(lo, hi, n)
    grids = [np.linspace(p.min, p.max, 5) for p in act.params]
    f_all, d_all = [], []
    for combo in (np.array(np.meshgrid(*grids)).reshape(len(grids), -1).T if grids else [()]):
        params = dict(zip((p.name for p in act.params), combo))
        if act.slug == "rrelu" and params["lower"] > params["upper"]:
            continue
        for f, d in act.curves(x, **params).values():
            f_all.append(f)
            d_all.append(d)
    return tuple(_padded(np.concatenate(v)) for v in (f_all, d_all))


def _padded(v: np.ndarray) -> tuple[float, float]:
    v = v[np.isfinite(v)]
    lo, hi = float(v.min()), float(v.max())
    pad = 0.06 * (hi - lo) or 0.5
    return lo - pad, hi + pad


def _curve_colours(act: Activation, n: int) -> list[str]:
    """The activation's colour for its first curve, free colours of the palette for the others
    (CReLU's second output)."""
    return colours([act.slug] + [None] * (n - 1))


def _rrelu_band(x: np.ndarray, values: dict, samples: int = 5, seed: int = 0) -> list[dict]:
    """Training-mode RReLU: the band of possible outputs between the slope bounds, and a few
    slopes drawn as in training, by the scheme in ``values`` (PyTorch's uniform slopes unless
    ``values["scheme"]`` says otherwise)."""
    leaky = REGISTRY["leaky_relu"]
    lower, upper = values["lower"], values["upper"]
    traces = []
    for panel, fn in ((1, leaky.forward), (2, leaky.derivative)):
        traces.append(_line(x, fn(x, alpha=lower), panel, line=dict(width=0), showlegend=False, hoverinfo="skip"))
        traces.append(_line(x, fn(x, alpha=upper), panel, fill="tonexty", fillcolor=rgba(colour("rrelu"), 0.2),
                            line=dict(width=0), hoverinfo="skip", name="possible outputs in training", showlegend=panel == 1))
    drawn = rrelu_draw_slopes(samples, lower, upper, values.get("scheme", "slope"), np.random.default_rng(seed))
    for i, slope in enumerate(drawn):
        traces.append(_line(x, leaky.forward(x, alpha=slope), 1, line=dict(color="#868e96", width=1),
                            name="sampled slopes", legendgroup="samples", showlegend=i == 0,
                            hovertemplate=f"slope {slope:.3f}<extra></extra>"))
    return traces


def rrelu_schemes_figure(draws: dict[str, np.ndarray], titles: dict[str, str], expected: dict[str, float],
                         test: dict[str, float], bins: int = 40) -> go.Figure:
    """Side by side, one panel per RReLU training scheme: the histogram (as a density) of the
    slopes ``draws[scheme]`` drawn in training, over common bins, with the scheme's expected
    training slope and its test-time slope marked as vertical lines. Counts are binned here, so
    the figure carries ``bins`` numbers per panel, not every draw."""
    lo = min(float(d.min()) for d in draws.values())
    hi = max(float(d.max()) for d in draws.values())
    edges = np.linspace(lo, hi if hi > lo else lo + 1e-3, bins + 1)
    centres, width = (edges[:-1] + edges[1:]) / 2, edges[1] - edges[0]
    n = len(draws)
    traces, annotations, layout = [], [], {}
    for i, (scheme, d) in enumerate(draws.items()):
        ax = "" if i == 0 else str(i + 1)
        axes = dict(xaxis=f"x{ax}", yaxis=f"y{ax}")
        density, _ = np.histogram(d, edges, density=True)
        traces.append(dict(type="bar", x=centres, y=density, width=width, marker=dict(color=colour("rrelu"), line=dict(width=0)),
                           name="drawn slopes", showlegend=i == 0, legendgroup="drawn", **axes,
                           hovertemplate="slope ≈ %{x:.4f}<br>density %{y:.3g}<extra></extra>"))
        top = float(density.max()) * 1.08
        for value, label, line, dash in ((expected[scheme], "expected training slope", colour("relu"), "solid"),
                                         (test[scheme], "test-time slope", "#212529", "dash")):
            traces.append(dict(type="scatter", mode="lines", x=[value, value], y=[0, top], name=label,
                               legendgroup=label, showlegend=i == 0, line=dict(color=line, width=2.5, dash=dash),
                               hovertemplate=f"{label}: {value:.6f}<extra></extra>", **axes))
        a, b = i / n + (0.0 if i == 0 else 0.05), (i + 1) / n - (0.05 if i == 0 else 0.0)
        layout[f"xaxis{ax}"] = dict(AXIS, domain=[a, b], title="negative slope drawn in training", anchor=f"y{ax}",
                                    range=[edges[0], edges[-1]])
        layout[f"yaxis{ax}"] = dict(AXIS, anchor=f"x{ax}", title="density" if i == 0 else None, rangemode="tozero")
        annotations.append(dict(text=f"<b>{titles[scheme]}</b>", x=(a + b) / 2, y=1.0, xref="paper", yref="paper",
                                xanchor="center", yanchor="bottom", showarrow=False, font=dict(size=14)))
    layout.update(height=340, margin=dict(l=50, r=10, t=40, b=40), hovermode="closest", bargap=0,
                  legend=dict(orientation="h", y=-0.3), annotations=annotations)
    return go.Figure(data=traces, layout=layout)


def compare_figure(acts: list[Activation], x: np.ndarray) -> tuple[go.Figure, list[tuple[str, str]]]:
    """Several activations (default parameters) and their derivatives overlaid. A curve that lies
    on an earlier one (``hidden_under``) is drawn dashed on top, so it stays visible; returns the
    figure and those (hidden, under) pairs of names, for the page to say so."""
    traces, shown, hidden = [], [], []
    curves = [(act, j, label, fd) for act in acts for j, (label, fd) in enumerate(act.curves(x).items())]
    palette = colours([act.slug if j == 0 else None for act, j, _, _ in curves])
    for (act, _, label, (f, d)), color in zip(curves, palette):
        name = act.name if label == act.name else f"{act.name}: {label}"
        under = next((other for other, (g, e) in shown if hidden_under(f, g, x)), None)
        if under:
            hidden.append((name, under))
        shown.append((name, (f, d)))
        traces.append(_line(x, f, 1, name=name, legendgroup=name,
                            line=dict(color=color, width=2.5, dash="dash" if under else "solid"),
                            hovertemplate=f"{name}: %{{y:.4g}}<extra></extra>"))
        traces.append(_line(x, d, 2, name=name, legendgroup=name, showlegend=False,
                            line=dict(color=color, width=2.5, dash="dash" if under else "solid"),
                            hovertemplate=f"{name}′: %{{y:.4g}}<extra></extra>"))
    return go.Figure(data=traces, layout=_layout(x, height=440)), hidden


def hidden_under(f: np.ndarray, g: np.ndarray, x: np.ndarray, share: float = 0.01) -> bool:
    """Whether curve ``f`` lies within ``share`` of the plot's height of curve ``g`` everywhere:
    drawn on top of each other, the eye cannot tell them apart."""
    height = max(float(np.ptp(np.r_[f, g])), 1e-12)
    return bool(np.all(np.abs(f - g) <= share * height))


def scrub_values(act: Activation, name: str, steps: int = 20) -> np.ndarray:
    """The parameter values the scrub slider steps through: about ``steps`` round numbers
    (multiples of 1, 2, 2.5 or 5 times a power of ten) spanning the range, plus both ends
    and the default."""
    p = act.param(name)
    raw = (p.max - p.min) / steps
    power = 10.0 ** np.floor(np.log10(raw))
    stride = power * next(m for m in (1, 2, 2.5, 5, 10) if m * power >= raw * (1 - 1e-9))
    stride = max(stride, p.step)
    grid = stride * np.arange(np.ceil(p.min / stride - 1e-9), np.floor(p.max / stride + 1e-9) + 1)
    return np.unique(np.round(np.concatenate([grid, [p.min, p.max, p.default]]), 10)) + 0.0  # no −0


def scrub_figure(act: Activation, x: np.ndarray, name: str, current: dict | None = None) -> go.Figure:
    """A chart with its own Plotly slider: each step restyles the curves with values computed in
    advance, so scrubbing needs no server round trip. It starts at the ``current`` parameter
    values (the other parameters stay there too), and its axes hold every step."""
    current = {**act.defaults, **(current or {})}
    values = scrub_values(act, name)
    start = int(np.argmin(np.abs(values - current[name])))
    xs = x[:: max(1, len(x) // 200)]
    steps = []
    for v in values:
        params = {**current, name: v}
        if act.slug == "rrelu":  # keep lower <= upper while one bound moves
            params["lower"] = min(params["lower"], params["upper"])
        curves = list(act.curves(xs, **params).values())
        ys = [np.round(c[k], 5).tolist() for k in (0, 1) for c in curves]
        steps.append(dict(method="restyle", label=f"{v:.3g}", args=[{"y": ys}]))
    active = start
    first = steps[active]["args"][0]["y"]
    n = len(first) // 2
    palette = _curve_colours(act, n)
    traces = [_line(xs, first[i], 1, line=dict(color=palette[i], width=3), showlegend=False,
                    hovertemplate="x = %{x:.3g}<br>f = %{y:.4g}<extra></extra>") for i in range(n)]
    traces += [_line(xs, first[n + i], 2, line=dict(color=palette[i], width=3), showlegend=False,
                     hovertemplate="x = %{x:.3g}<br>f′ = %{y:.4g}<extra></extra>") for i in range(n)]
    slider = dict(active=active, steps=steps, pad=dict(t=50),
                  currentvalue=dict(prefix=f"{act.param(name).label} = "))
    layout = _layout(xs, height=460, sliders=[slider])
    (f_lo, f_hi), (d_lo, d_hi) = fixed_ranges(act, float(x[0]), float(x[-1]))
    layout["yaxis"]["range"], layout["yaxis2"]["range"] = [f_lo, f_hi], [d_lo, d_hi]
    return go.Figure(data=traces, layout=layout)
