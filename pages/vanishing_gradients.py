"""Vanishing gradients: per-layer gradient norms of a live deep MLP, the slope bounds behind them,
and SELU's self-normalisation. Every number comes from lessons.depth (torch + the registry)."""
import dataclasses

import numpy as np
import streamlit as st

from activations import REGISTRY, initialisation
from app_shell import chart, intro
from charts.lessons import (
    derivative_bounds_figure,
    gradient_norms_figure,
    normalisation_figure,
    num,
    slope_product_figure,
)
from charts.saturation import saturation_figure
from lessons import depth, prose, saturation
from runtime import page_state
from runtime.landing import contents, heading, land
from runtime.memo import Memo
from runtime.page_state import DEPTHS, NORM_DEPTH_MAX
from runtime.slow_slider import memo_slider
from runtime.threads import on_one_torch_thread

STATE = page_state.VANISHING.open()


@st.cache_resource
def probes_memo() -> Memo:
    """Probes by (activation, depth, width, init, data), shared by all sessions. Five probes take
    longer than a round trip, so the depths one slider step away are probed ahead, and the rest
    of the slider's range in a low-priority process: room for every depth of two settings."""
    return Memo(on_one_torch_thread(depth.probe_on), max_entries=2 * 5 * len(DEPTHS))


def probe(*key) -> depth.Probe:
    return probes_memo()(*key)


STATE.title()
contents(page_state.VANISHING_SECTIONS)
intro(prose.read("vanishing_intro"), STATE["present"])


@st.fragment
def gradients():
    """Depth, width, initialisation, data and activations: new probes, rerunning only this section."""
    c = st.columns([1, 1, 1, 1])
    layers = STATE.input("depth", c[0])
    width = STATE.input("width", c[1])
    init = STATE.input("init", c[2])
    data = STATE.input("data", c[3])
    acts = STATE.input("acts")
    STATE.sync()
    if not acts:
        st.info("Pick at least one activation.")
        return
    keys = {}
    for slug in acts:
        chosen = REGISTRY[slug].init_scheme(init)
        keys[f"{REGISTRY[slug].name} ({initialisation.NAMES[chosen]})"] = (slug, layers, width, chosen, data)
    probes = memo_slider(probes_memo(), keys, DEPTHS, at=1, name="depth", spinner="Probing the networks…")
    chart(gradient_norms_figure(probes), key="grad_chart")
    worst = max(p.recursion_error for p in probes.values())
    st.markdown(f"| Network | ‖∇W‖ layer 1 ÷ layer {layers} |\n|---|---|\n"
                + "\n".join(f"| {label} | {num(p.grad_norms[0] / p.grad_norms[-1])} |" for label, p in probes.items())
                + f"\n\nThe δ recursion computed by hand (NumPy, the registry's f′) agrees with PyTorch's autograd "
                  f"to a relative error of {worst:.1e} in every layer of every network above.")
    chart(slope_product_figure(probes), key="slope_chart")


gradients()

heading(page_state.VANISHING_SECTIONS, "slopes", sub=True)
left, right = st.columns(2)
left.markdown(prose.read("vanishing_bounds"))
chart(derivative_bounds_figure(np.linspace(-6, 6, 241)), key="bounds_chart", where=right)

st.divider()
heading(page_state.VANISHING_SECTIONS, "selu")
st.markdown(prose.read("vanishing_selu"))


@st.fragment
def normalisation():
    """The depth slider only slices the cached deepest probes, rerunning only this section."""
    layers = STATE.input("norm_depth")
    STATE.sync()
    data = STATE["data"]
    # Layer l's activations do not depend on the layers above it (same seed, same draws), so the
    # deepest network answers every depth: the slider only slices.
    deepest = {label: probe(slug, NORM_DEPTH_MAX, 100, init, data) for label, slug, init in depth.NORMALISATION_RUNS}
    probes = {label: dataclasses.replace(p, mean=p.mean[:layers], var=p.var[:layers]) for label, p in deepest.items()}
    chart(normalisation_figure(probes), key="norm_chart")
    selu = probes[depth.NORMALISATION_RUNS[0][0]]
    st.markdown(f"#### SELU + LeCun normal at layer {layers}: mean {selu.mean[-1]:+.3f}, variance {selu.var[-1]:.3f}")


normalisation()

st.divider()
heading(page_state.VANISHING_SECTIONS, "saturation")
st.markdown(prose.read("vanishing_saturation"))


@st.fragment
def saturation_section():
    """One unit's pre-activations and slopes: NumPy only, recomputed on every move of the scale."""
    c = st.columns([1, 1])
    act = STATE.input("sat_act", c[0])
    scale = STATE.input("sat_scale", c[1])
    u = saturation.unit(scale)
    chart(saturation_figure(u, act), key="sat_chart")
    st.markdown(f"| weights of norm {scale:g} | mean f′(z) | mean f′(z) where z > 0 | share of inputs with f′(z) below "
                f"{saturation.SATURATED:.0%} of its peak |\n|---|---|---|---|\n" + "\n".join(
                    f"| {REGISTRY[a].name} | {u.mean_slope(a):.4f} | {u.mean_slope(a, active=True):.4f} | "
                    f"{u.saturated(a):.1%} |" for a in (act, "relu")))
    STATE.sync()


saturation_section()
land(STATE)
st.divider()
st.markdown(prose.read("vanishing_refs"))
