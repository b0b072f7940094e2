"""Activation gallery: every activation with its derivative, formula, properties and sources.

The page's state lives in the URL (widgets bound to query parameters), so a copied link reopens
the same view. All maths comes from the registry; this page only draws."""
import numpy as np
import streamlit as st

from activations import (REGISTRY, RRELU_NDSB_DIVISORS, RRELU_SCHEMES, rrelu_draw_slopes, rrelu_expected_slopes,
                         rrelu_test_slopes)
from app_shell import chart, ensure_navigation
from charts.gallery import compare_figure, curve_figure, rrelu_schemes_figure, scrub_figure

ensure_navigation()

VIEWS = ("Single", "Compare", "Scrub")
SLUGS = list(REGISTRY)
#: RReLU's two training schemes, as the page names them (``activations.RRELU_SCHEMES``).
SCHEME_NAMES = {"slope": "PyTorch: uniform slope", "divisor": "Xu et al.: uniform divisor"}



def _number(text, lo, hi):
    try:
        v = float(text)
    except (TypeError, ValueError):
        return None
    return v if lo <= v <= hi else None  # NaN and inf fail the range test too


def load_url_state():
    """On a session's first visit, copy the URL's settings into the widgets' state. A bad value
    gets a warning and the default; the URL is untrusted input."""
    raw, warnings, ss = st.query_params.to_dict(), [], st.session_state
    slug = raw.get("act", "relu")
    if slug not in REGISTRY:
        warnings.append(f"Unknown activation {slug[:40]!r}; showing ReLU instead.")
        slug = "relu"
    ss["act"] = slug
    values, bad = REGISTRY[slug].parse(raw)
    warnings += bad
    for name, v in values.items():
        ss[f"{slug}.{name}"] = v
    for key, options in (("view", VIEWS), ("mode", ("test", "train")), ("scheme", RRELU_SCHEMES)):
        if key in raw:
            if raw[key] in options:
                ss[key] = raw[key]
            else:
                warnings.append(f"{key} = {raw[key][:40]!r} is not one of {', '.join(options)}; using {options[0]}.")
    if "x" in raw:
        x0 = _number(raw["x"], -10, 10)
        if x0 is None:
            warnings.append(f"Inspect x = {raw['x'][:40]!r} is not a number in [−10, 10]; using 0.")
        else:
            ss["x"] = x0
    if "xr" in raw:
        ends = [_number(t, -10, 10) for t in raw["xr"].split(",")]
        if len(ends) == 2 and None not in ends and ends[0] < ends[1]:
            ss["xr"] = tuple(ends)
        else:
            warnings.append(f"Plot range xr = {raw['xr'][:40]!r} is not two numbers a < b in [−10, 10]; using −5 to 5.")
    if "cmp" in raw:
        chosen = [s for s in raw["cmp"].split(",") if s]
        unknown = [s for s in chosen if s not in REGISTRY]
        if unknown:
            warnings.append(f"Unknown activation(s) to compare: {', '.join(u[:20] for u in unknown)}; left out.")
        ss["cmp"] = [s for s in chosen if s in REGISTRY and s != slug]
    ss["url_warnings"] = warnings


if "act" not in st.session_state:
    load_url_state()

st.title("Activation gallery")
for message in st.session_state.get("url_warnings", []):
    st.warning(message, icon="⚠️")

top = st.columns([2, 3])
slug = top[0].selectbox("Activation", SLUGS, format_func=lambda s: REGISTRY[s].name, key="act")
st.session_state.setdefault("view", "Single")
view = top[1].segmented_control("View", VIEWS, required=True, key="view",
                                help="Compare overlays several activations; Scrub steps through a "
                                     "parameter inside the chart, with no server round trip.")
act = REGISTRY[slug]

st.session_state.setdefault("xr", (-5.0, 5.0))
with st.sidebar.expander("Plot range", expanded=False):
    lo, hi = st.slider("x from … to", -10.0, 10.0, step=0.5, key="xr")
if hi - lo < 0.5:
    lo, hi = lo - 0.5, hi + 0.5
x = np.linspace(lo, hi, 401)


def sync_url():
    """Mirror the settings that differ from their defaults into the address bar."""
    ss, q = st.session_state, {"act": slug}
    for p in act.params:
        v = ss.get(f"{slug}.{p.name}", p.default)
        if v != p.default:
            q[p.name] = f"{v:.6g}"
    for key, default in (("view", "Single"), ("mode", "test"), ("scheme", "slope"), ("x", 0.0)):
        if ss.get(key, default) != default:
            q[key] = f"{ss[key]:.6g}" if key == "x" else ss[key]
    if view == "Compare" and "cmp" in ss:
        q["cmp"] = ",".join(ss["cmp"])
    if tuple(ss["xr"]) != (-5.0, 5.0):
        q["xr"] = f"{ss['xr'][0]:g},{ss['xr'][1]:g}"
    if st.query_params.to_dict() != q:
        st.query_params.from_dict(q)


def param_sliders() -> dict:
    values = {}
    for p in act.params:
        key = f"{slug}.{p.name}"
        integer = p.name == "k"
        st.session_state.setdefault(key, int(p.default) if integer else p.default)
        if integer:
            values[p.name] = st.slider(p.label, int(p.min), int(p.max), step=int(p.step), key=key, help=p.help)
        else:
            values[p.name] = st.slider(p.label, p.min, p.max, step=p.step, key=key, help=p.help, format="%.4g")
        if p.presets:  # one control, not a row of buttons: each element costs the browser a re-render
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
    controls, plot = st.columns([1, 3])
    with controls:
        values = param_sliders()
        rrelu_train = False
        if slug == "rrelu":
            st.session_state.setdefault("mode", "test")
            rrelu_train = st.segmented_control(
                "Mode", ("test", "train"), required=True, key="mode",
                help="Train: a random slope per element. Test: one fixed slope.") == "train"
            st.session_state.setdefault("scheme", "slope")
            values["scheme"] = st.radio(
                "Training scheme", RRELU_SCHEMES, key="scheme", format_func=SCHEME_NAMES.get,
                help="PyTorch's nn.RReLU draws the slope uniformly; Xu et al. (NDSB) divide by a uniform divisor. "
                     "Each has its own test-time slope (see below).")
            l, u = RRELU_NDSB_DIVISORS
            st.button(f"NDSB preset ({l:g}, {u:g})", on_click=_ndsb, width="stretch",
                      help="Xu et al.'s NDSB setting: divide negative inputs by a ~ U(3, 8) (the uniform-divisor "
                           "scheme), i.e. slopes 1/8 to 1/3.")
            if values["lower"] > values["upper"]:
                st.warning("The lower bound is above the upper bound; they are swapped for the plot.")
                values["lower"], values["upper"] = values["upper"], values["lower"]
        x_now = st.session_state.setdefault("x", 0.0)
        if not lo <= x_now <= hi:  # the plot range shrank: keep the inspected point on the plot
            st.session_state["x"] = min(max(x_now, float(lo)), float(hi))
        x0 = st.slider("Inspect x", float(lo), float(hi), step=0.05, key="x",
                       help="Marks f(x) and f′(x) on both curves.")
    with plot:
        fig, points = curve_figure(act, x, values, x0, rrelu_train=rrelu_train)
        chart(fig, key="chart")
        f0, d0 = (", ".join(f"{v[i]:.6g}" for v in points) for i in (1, 2))
        st.markdown(f"#### x = {x0:.4g} &emsp; f(x) = {f0} &emsp; f′(x) = {d0}", help=None)
    if slug == "rrelu":
        rrelu_slopes(values)
    sync_url()


def _ndsb():
    l, u = RRELU_NDSB_DIVISORS
    st.session_state["rrelu.lower"], st.session_state["rrelu.upper"] = 1 / u, 1 / l
    st.session_state["scheme"] = "divisor"


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
    st.session_state.setdefault("cmp", ["relu", "leaky_relu", "elu", "sigmoid", "tanh"])
    st.session_state["cmp"] = [s for s in st.session_state["cmp"] if s in others]
    chosen = st.multiselect("Compare with", others, format_func=lambda s: REGISTRY[s].name, key="cmp")
    st.caption(f"{act.name} and the others at their default parameters.")
    chart(compare_figure([REGISTRY[s] for s in [slug, *chosen]], x), key="cmp_chart")
    sync_url()


def scrub_view():
    if not act.params:
        tunable = [a.name for a in REGISTRY.values() if a.params]
        st.info(f"{act.name} has no parameter to scrub. Pick {', '.join(tunable[:-1])} or {tunable[-1]}, "
                "or use the Compare view.")
        return
    name = st.selectbox("Parameter", [p.name for p in act.params],
                        format_func=lambda n: act.param(n).label, key="scrub_param")
    st.caption("Drag the slider under the chart: every curve is computed in advance, so the "
               "browser redraws with no trip to the server.")
    chart(scrub_figure(act, x, name), key="scrub_chart")


{"Single": single_view, "Compare": compare_view, "Scrub": scrub_view}[view]()
if view == "Scrub":
    sync_url()

st.divider()
left, right = st.columns([3, 2])
with left:
    st.subheader(act.name)
    st.latex(act.latex)
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
