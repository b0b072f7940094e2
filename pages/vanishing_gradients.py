"""Vanishing gradients: per-layer gradient norms of a live deep MLP, the slope bounds behind them,
and SELU's self-normalisation. Every number comes from lessons.depth (torch + the registry)."""
import dataclasses

import numpy as np
import streamlit as st

from activations import REGISTRY, initialisation
from app_shell import chart, ensure_navigation
from charts.lessons import derivative_bounds_figure, gradient_norms_figure, normalisation_figure, num, slope_product_figure
from lessons import depth, prose
from lessons.prefetch import Memo

ensure_navigation()

INIT_CHOICES = initialisation.CHOICES
DEFAULT_ACTS = ["sigmoid", "tanh", "relu", "leaky_relu", "selu"]
DATA = ("digits", "breast_cancer")
RANGES = {"depth": (2, 60, 20), "width": (10, 200, 100), "norm_depth": (5, 60, 50)}


def load_url_state():
    raw, warnings = st.query_params.to_dict(), []
    for key, (lo, hi, default) in RANGES.items():
        value, w = prose.number(raw, key, default, lo, hi)
        if w is None and not float(value).is_integer():
            w = f"{key} = {raw[key][:40]!r} in the link is not a whole number; using {default}."
        warnings += [w] if w else []
    for key, options, default in (("init", INIT_CHOICES, "usual"), ("data", DATA, "digits")):
        _, w = prose.choice(raw, key, default, options)
        warnings += [w] if w else []
    if "acts" in raw:
        bad = [s for s in raw["acts"].split(",") if s and s not in depth.DEPTH_SLUGS]
        if bad:
            warnings.append(f"Unknown activation(s) in the link: {', '.join(b[:20] for b in bad)}; left out.")

    st.session_state["vg_warnings"] = warnings
    for key, options, default in (("init", INIT_CHOICES, "usual"), ("data", DATA, "digits")):
        st.session_state[key] = prose.choice(raw, key, default, options)[0]
    chosen = [s for s in raw.get("acts", "").split(",") if s in depth.DEPTH_SLUGS]
    st.session_state["acts"] = chosen or DEFAULT_ACTS


def _probe(act: str, layers: int, width: int, init: str, data: str) -> depth.Probe:
    x, y, k = batch(data)
    return depth.probe(act, layers, width, init, x, y, k)


@st.cache_resource
def probes_memo() -> Memo:
    """Probes by (activation, depth, width, init, data), shared by all sessions. Five probes take
    longer than a round trip, so the depths one slider step away are probed ahead, and the rest
    of the slider's range on a low-priority thread: room for every depth of two settings."""
    lo, hi = RANGES["depth"][:2]
    return Memo(_probe, max_entries=2 * 5 * (hi - lo + 1))


def probe(*key) -> depth.Probe:
    return probes_memo()(*key)


@st.cache_resource(show_spinner=False)
def batch(data: str):
    return depth.batch(data, 256)


if "vg_warnings" not in st.session_state:
    load_url_state()

st.title("Vanishing gradients")
for message in st.session_state.get("vg_warnings", []):
    st.warning(message, icon="⚠️")
st.markdown(prose.read("vanishing_intro"))


@st.fragment
def gradients():
    """Depth, width, initialisation, data and activations: new probes, rerunning only this section."""
    c = st.columns([1, 1, 1, 1])
    layers = c[0].slider("Depth (hidden layers)", *RANGES["depth"], key="depth", bind="query-params")
    width = c[1].slider("Width (units per layer)", *RANGES["width"][:2], RANGES["width"][2], 10, key="width",
                        bind="query-params")
    init = c[2].selectbox("Initialisation", INIT_CHOICES, format_func=initialisation.LABELS.get, key="init",
                          help=initialisation.HELP)
    data = c[3].selectbox("Batch of real data", DATA, key="data",
                          format_func={"digits": "digits (8×8 images)", "breast_cancer": "breast cancer"}.get)
    acts = st.multiselect("Activations", depth.DEPTH_SLUGS, key="acts", format_func=lambda s: REGISTRY[s].name)
    st.query_params.update(init=init, data=data, acts=",".join(acts))
    if not acts:
        st.info("Pick at least one activation.")
        return
    keys = {}
    for slug in acts:
        chosen = REGISTRY[slug].init_scheme(init)
        keys[f"{REGISTRY[slug].name} ({initialisation.NAMES[chosen]})"] = (slug, layers, width, chosen, data)
    memo = probes_memo()
    if all(memo.ready(*k) for k in keys.values()):
        probes = {label: memo(*k) for label, k in keys.items()}
    else:
        with st.spinner("Probing the networks…"):
            probes = {label: memo(*k) for label, k in keys.items()}
    lo, hi = RANGES["depth"][:2]
    sign = 1 if layers >= st.session_state.get("vg_last_depth", layers) else -1
    st.session_state["vg_last_depth"] = layers
    memo.ahead(*[(a, n, w, i, d) for n in (layers + sign, layers - sign) if lo <= n <= hi
                 for a, _, w, i, d in keys.values()])
    memo.warm(*[(a, n, w, i, d) for n in sorted(range(lo, hi + 1), key=lambda n: abs(n - layers))
                for a, _, w, i, d in keys.values()])
    chart(gradient_norms_figure(probes), key="grad_chart")
    worst = max(p.recursion_error for p in probes.values())
    # One element for the read-out, not a row of metrics: every element costs the browser a re-render.
    st.markdown(f"| Network | ‖∇W‖ layer 1 ÷ layer {layers} |\n|---|---|\n"
                + "\n".join(f"| {label} | {num(p.grad_norms[0] / p.grad_norms[-1])} |" for label, p in probes.items())
                + f"\n\nThe δ recursion computed by hand (NumPy, the registry's f′) agrees with PyTorch's autograd "
                  f"to a relative error of {worst:.1e} in every layer of every network above.")
    chart(slope_product_figure(probes), key="slope_chart")


gradients()

st.subheader("Why: the slopes multiply")
left, right = st.columns(2)
left.markdown(prose.read("vanishing_bounds"))
chart(derivative_bounds_figure(np.linspace(-6, 6, 241)), key="bounds_chart", where=right)

st.divider()
st.header("SELU keeps the signal standardised")
st.markdown(prose.read("vanishing_selu"))


@st.fragment
def normalisation():
    """The depth slider only slices the cached deepest probes, rerunning only this section."""
    layers = st.slider("Depth", *RANGES["norm_depth"], key="norm_depth", bind="query-params")
    data = st.session_state.get("data", "digits")
    # Layer l's activations do not depend on the layers above it (same seed, same draws), so the
    # deepest network answers every depth: the slider only slices.
    deepest = {label: probe(slug, RANGES["norm_depth"][1], 100, init, data) for label, slug, init in depth.NORMALISATION_RUNS}
    probes = {label: dataclasses.replace(p, mean=p.mean[:layers], var=p.var[:layers]) for label, p in deepest.items()}
    chart(normalisation_figure(probes), key="norm_chart")
    selu = probes[depth.NORMALISATION_RUNS[0][0]]
    st.markdown(f"#### SELU + LeCun normal at layer {layers}: mean {selu.mean[-1]:+.3f}, variance {selu.var[-1]:.3f}")


normalisation()
st.divider()
st.markdown(prose.read("vanishing_refs"))
