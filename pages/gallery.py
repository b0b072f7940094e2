"""Activation gallery: every activation with its derivative, formula, properties and sources.

Every setting and its widget is declared once, in ``runtime.page_state.GALLERY`` (its parameter
sliders come from the registry's ``Param``), so a copied link reopens the same view. All maths
comes from the registry; this page only draws."""
import numpy as np
import streamlit as st

from activations import (
    REGISTRY,
    RRELU_NDSB_DIVISORS,
    RRELU_SCHEMES,
    rrelu_draw_slopes,
    rrelu_expected_slopes,
    rrelu_test_slopes,
)
from app_shell import chart
from charts.gallery import compare_figure, curve_figure, rrelu_schemes_figure, scrub_figure
from runtime import page_state
from runtime.page_state import SCHEME_NAMES, SLUGS

STATE = page_state.GALLERY.open()

STATE.title()

top = st.columns([2, 3])
slug = STATE.input("act", top[0])
view = STATE.input("view", top[1])
act = REGISTRY[slug]

with st.sidebar.expander("Plot range", expanded=False):
    lo, hi = STATE.input("xr")
if hi - lo < 0.5:
    lo, hi = lo - 0.5, hi + 0.5
x = np.linspace(lo, hi, 401)


def param_slider(f):
    """A parameter's slider, built from its field (and so from the registry's ``Param``)."""
    st.session_state.setdefault(STATE.key(f.key), f.default)
    return STATE.input(f.key)


def param_sliders() -> dict:
    values = {}
    for f, p in zip(page_state.param_fields(slug), act.params):
        key = STATE.key(f.key)
        values[p.name] = param_slider(f)
        if p.presets and not STATE.hidden(f.key):
            st.segmented_control("Presets", [label for label, _ in p.presets], key=f"preset.{key}",
                                 on_change=apply_preset, args=(key, dict(p.presets)), label_visibility="collapsed")
    return values


def apply_preset(key, presets):
    """Set the parameter to the chosen preset, then clear the choice so it acts like a button."""
    st.session_state[key] = presets[st.session_state[f"preset.{key}"]]
    st.session_state[f"preset.{key}"] = None


@st.fragment
def single_view():
    """Sliders and chart rerun on their own (a fragment), so a slider move redraws only this."""
    # Controls beside the chart, in presenter mode too: stacked, the chart fell below the first
    # screen of a 1024 × 768 projector.
    controls, plot = st.columns([1, 2.4] if not STATE["present"] else [1, 2])
    with controls:
        values = param_sliders()
        rrelu_train = False
        if slug == "rrelu":
            rrelu_train = STATE.input("mode") == "train"
            values["scheme"] = STATE.input("scheme")
            l, u = RRELU_NDSB_DIVISORS
            st.button(f"NDSB preset ({l:g}, {u:g})", on_click=_ndsb, width="stretch",
                      help="Xu et al.'s NDSB setting: divide negative inputs by a ~ U(3, 8) (the uniform-divisor "
                           "scheme), i.e. slopes 1/8 to 1/3.")
            if values["lower"] > values["upper"]:
                st.warning("The lower bound is above the upper bound; they are swapped for the plot.")
                values["lower"], values["upper"] = values["upper"], values["lower"]
        if not lo <= STATE["x"] <= hi:  # the plot range shrank: keep the inspected point on the plot
            STATE["x"] = min(max(STATE["x"], float(lo)), float(hi))
        x0 = STATE.input("x", min_value=float(lo), max_value=float(hi))
    with plot:
        fig, points = curve_figure(act, x, values, x0, rrelu_train=rrelu_train)
        chart(fig, key="chart")
        f0, d0 = (", ".join(f"{v[i]:.6g}" for v in points) for i in (1, 2))
        st.markdown(f"#### x = {x0:.4g} &emsp; f(x) = {f0} &emsp; f′(x) = {d0}", help=None)
    if slug == "rrelu":
        rrelu_slopes(values)
    STATE.sync()


def _ndsb():
    l, u = RRELU_NDSB_DIVISORS
    STATE["rrelu.lower"], STATE["rrelu.upper"] = 1 / u, 1 / l
    STATE["scheme"] = "divisor"


def rrelu_slopes(values):
    """RReLU's two training schemes side by side: how each draws its slopes, its expected
    training slope and its test-time slope, and a histogram of 10⁵ slopes drawn by each."""
    lower, upper = values["lower"], values["upper"]
    try:
        test, expected = rrelu_test_slopes(lower, upper), rrelu_expected_slopes(lower, upper)
    except ValueError as e:
        st.warning(str(e))
        return
    l, u = 1 / upper, 1 / lower
    st.markdown(
        f"""
**Two training schemes, one name.** Both keep every training slope between {lower:.4g} and {upper:.4g}, but
they draw it differently, so their average training slopes differ, and so do their test-time slopes.

| | **PyTorch `nn.RReLU`**, uniform slope: what `to_torch()` returns; the training lab trains with it too | **Xu et al. (2015)**, uniform divisor, as in their NDSB entry |
|---|---|---|
| Training draws | the slope a ~ U({lower:.4g}, {upper:.4g}) | a divisor d ~ U({l:.4g}, {u:.4g}); the slope is 1/d |
| Expected training slope | (lower + upper)/2 = **{expected['slope']:.6f}** | E[1/d] = ln(u/l)/(u − l) = **{expected['divisor']:.6f}** |
| Test-time slope | the same mean, (lower + upper)/2 = **{test['slope']:.6f}** | one over the mean divisor, 2/(l + u) = **{test['divisor']:.6f}** |

For NDSB's (3, 8) these are 11/48, ln(8/3)/5 and 2/11. Under Xu et al.'s scheme the test-time slope is below
the average training slope because 1/d is convex: one over the mean divisor is not the mean of one over the divisors.
"""
    )
    rng = np.random.default_rng(0)
    draws = {s: rrelu_draw_slopes(100_000, lower, upper, s, rng) for s in RRELU_SCHEMES}
    titles = {**SCHEME_NAMES, "slope": f"{SCHEME_NAMES['slope']} (nn.RReLU, to_torch())"}
    chart(rrelu_schemes_figure(draws, titles, expected, test), key="rrelu_schemes")
    st.caption("10⁵ slopes drawn by each scheme. Solid line: the expected training slope; dashed: the test-time "
               "slope (under PyTorch's scheme the two coincide).")


@st.fragment
def compare_view():
    others = [s for s in SLUGS if s != slug]
    STATE["cmp"] = [s for s in STATE["cmp"] if s in others]
    chosen = STATE.input("cmp", options=others)
    st.caption(f"{act.name} and the others at their default parameters.")
    fig, hidden = compare_figure([REGISTRY[s] for s in [slug, *chosen]], x)
    chart(fig, key="cmp_chart")
    for name, under in hidden:
        st.caption(f"{name} lies on {under} over this range (within 1 % of the chart's height): it is drawn "
                   "dashed on top.")
    STATE.sync()


def scrub_view():
    if not act.params:
        tunable = [a.name for a in REGISTRY.values() if a.params]
        st.info(f"{act.name} has no parameter to scrub. Pick {', '.join(tunable[:-1])} or {tunable[-1]}, "
                "or use the Compare view.")
        return
    name = act.params[0].name
    if len(act.params) > 1:
        st.session_state.setdefault(STATE.key(f"{slug}.scrub"), name)
        name = STATE.input(f"{slug}.scrub")
    st.caption("Drag the slider under the chart: every curve is computed in advance, so the "
               "browser redraws with no trip to the server. From the keyboard, use the slider here: "
               "the chart starts from its value.")
    # The chart's own slider takes no keyboard focus (Plotly); this one does, and sets where it starts.
    param_slider(next(f for f in page_state.param_fields(slug) if f.name == name))
    chart(scrub_figure(act, x, name, {p.name: STATE[f"{slug}.{p.name}"] for p in act.params}), key="scrub_chart")


{"Single": single_view, "Compare": compare_view, "Scrub": scrub_view}[view]()
if view == "Scrub":
    STATE.sync()

st.divider()
st.subheader(act.name)
st.latex(act.latex)  # full width: the longer formulas (RReLU's) overflow a column at 1024 px
left, right = st.columns([3, 2])
with left:
    shape = "" if act.elementwise else f"\n\n**Shape.** {act.shape}"
    st.markdown(f"{act.summary}{shape}\n\n**At the kink.** {act.kink[0].upper()}{act.kink[1:]}")
    for note in act.notes:
        st.info(note, icon=":material/edit_note:")
    pros, cons = st.columns(2)
    pros.markdown("**Pros**\n" + "\n".join(f"- {p}" for p in act.pros))
    cons.markdown("**Cons**\n" + "\n".join(f"- {c}" for c in act.cons))
with right:
    st.markdown("**Properties**\n\n| Property | Value |\n|---|---|\n"
                + "\n".join(f"| {k} | {v} |" for k, v in act.properties.rows())
                + "\n\n**Sources**\n" + "\n".join(f"- {r.markdown()}" for r in act.references))
