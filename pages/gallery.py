"""Activation gallery: every activation with its derivative, formula, properties and sources.

Every setting is declared once in ``STATE`` (runtime.url_state), so a copied link reopens the
same view. All maths comes from the registry; this page only draws."""
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
from runtime.page_state import SCHEME_NAMES, SLUGS, VIEWS, X_LIMIT

STATE = page_state.GALLERY.open()

STATE.title("Activation gallery")

top = st.columns([2, 3])
slug = STATE.widget("act", top[0].selectbox, "Activation", SLUGS, format_func=lambda s: REGISTRY[s].name)
view = STATE.widget("view", top[1].segmented_control, "View", VIEWS, required=True,
                                help="Compare overlays several activations; Scrub steps through a "
                                     "parameter inside the chart, with no server round trip.")
act = REGISTRY[slug]

with st.sidebar.expander("Plot range", expanded=False):
    lo, hi = STATE.widget("xr", st.slider, "x from … to", -X_LIMIT, X_LIMIT, step=0.5)
if hi - lo < 0.5:
    lo, hi = lo - 0.5, hi + 0.5
x = np.linspace(lo, hi, 401)


def param_sliders() -> dict:
    values = {}
    for f, p in zip(page_state.param_fields(slug), act.params):
        key = STATE.key(f.key)
        st.session_state.setdefault(key, f.default)
        if f.integer:
            values[p.name] = STATE.widget(f.key, st.slider, p.label, int(p.min), int(p.max), step=int(p.step),
                                          help=p.help)
        else:
            values[p.name] = STATE.widget(f.key, st.slider, p.label, p.min, p.max, step=p.step, help=p.help, format="%.4g")
        if p.presets:
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
    # Presenter mode: the controls above a full-width chart.
    controls, plot = (st.container(), st.container()) if STATE["present"] else st.columns([1, 2.4])
    with controls:
        values = param_sliders()
        rrelu_train = False
        if slug == "rrelu":
            rrelu_train = STATE.widget("mode", st.segmented_control, "Mode", ("test", "train"), required=True,
                help="Train: a random slope per element. Test: one fixed slope.") == "train"
            values["scheme"] = STATE.widget(
                "scheme", st.radio, "Training scheme", RRELU_SCHEMES, format_func=SCHEME_NAMES.get,
                help="PyTorch's nn.RReLU draws the slope uniformly; Xu et al. (NDSB) divide by a uniform divisor. "
                     "Each has its own test-time slope (see below).")
            l, u = RRELU_NDSB_DIVISORS
            st.button(f"NDSB preset ({l:g}, {u:g})", on_click=_ndsb, width="stretch",
                      help="Xu et al.'s NDSB setting: divide negative inputs by a ~ U(3, 8) (the uniform-divisor "
                           "scheme), i.e. slopes 1/8 to 1/3.")
            if values["lower"] > values["upper"]:
                st.warning("The lower bound is above the upper bound; they are swapped for the plot.")
                values["lower"], values["upper"] = values["upper"], values["lower"]
        if not lo <= STATE["x"] <= hi:  # the plot range shrank: keep the inspected point on the plot
            STATE["x"] = min(max(STATE["x"], float(lo)), float(hi))
        x0 = STATE.widget("x", st.slider, "Inspect x", float(lo), float(hi), step=0.05,
                       help="Marks f(x) and f′(x) on both curves.")
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
    chosen = STATE.widget("cmp", st.multiselect, "Compare with", others, format_func=lambda s: REGISTRY[s].name)
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
        name = STATE.widget(f"{slug}.scrub", st.selectbox, "Parameter", [p.name for p in act.params],
                            format_func=lambda n: act.param(n).label)
    st.caption("Drag the slider under the chart: every curve is computed in advance, so the "
               "browser redraws with no trip to the server.")
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
        st.info(note, icon="📝")
    pros, cons = st.columns(2)
    pros.markdown("**Pros**\n" + "\n".join(f"- {p}" for p in act.pros))
    cons.markdown("**Cons**\n" + "\n".join(f"- {c}" for c in act.cons))
with right:
    st.markdown("**Properties**\n\n| Property | Value |\n|---|---|\n"
                + "\n".join(f"| {k} | {v} |" for k, v in act.properties.rows())
                + "\n\n**Sources**\n" + "\n".join(f"- {r.markdown()}" for r in act.references))
