"""Dead neurons: the chain rule one factor at a time, then a real layer of units dying in training.

Walk-through state (step, activation, learning rate) lives in the URL, so a shared link reopens
the same step. All numbers come from lessons/ (the registry and torch); this page only draws."""
import dataclasses

import streamlit as st

from activations import REGISTRY
from app_shell import chart, ensure_navigation
from charts.lessons import bias_figure, chain_dot, fractions_figure, heatmap_figure, num, product_text
from lessons import dying, prose
from lessons.chain_rule import CHAIN_SLUGS, SEED_EXAMPLE, Chain, walk
from lessons.prefetch import Memo

ensure_navigation()

STEPS = ("The seeds' example: ReLU", "The same chain with Leaky ReLU", "Free play")
VARIANTS = [s for s in CHAIN_SLUGS if s != "relu"]


def load_url_state():
    """First visit: check the link's values. Bad ones get a warning and the default."""
    raw, ss, warnings = st.query_params.to_dict(), st.session_state, []
    step, w = prose.number(raw, "step", 1, 1, len(STEPS), "step")
    ss["dn_step"] = int(step) if float(step).is_integer() else 1
    warnings += [w] if w else []
    if w is None and not float(step).is_integer():
        warnings.append(f"step = {raw['step'][:40]!r} is not a whole number; showing step 1.")
    for key, lo, hi, default, label in (("lr", 0.01, 2.0, 0.1, "learning rate"),
                                        ("die_lr", 0.05, 2.0, 0.5, "training learning rate"),
                                        ("die_bias", -6.0, 2.0, 0.0, "initial bias")):
        _, w = prose.number(raw, key, default, lo, hi, label)
        warnings += [w] if w else []
    for key, options, default in (("act", CHAIN_SLUGS, "relu"), ("die_act", VARIANTS, "leaky_relu")):
        _, w = prose.choice(raw, key, default, options, "activation")
        warnings += [w] if w else []
    ss["dn_warnings"] = warnings


def url_choice(key: str, options, default: str) -> None:
    """Before a selectbox is drawn: take its value from the link (slugs, not labels) unless the
    widget already has one. After it is drawn, ``st.query_params`` gets the slug back."""
    if key not in st.session_state:
        value = st.query_params.get(key, default)
        st.session_state[key] = value if value in options else default


def go_to(step: int):
    st.session_state["dn_step"] = step
    st.query_params["step"] = str(step)


if "dn_step" not in st.session_state:
    load_url_state()

st.title("Dead neurons")
for message in st.session_state.get("dn_warnings", []):
    st.warning(message, icon="⚠️")
st.markdown(prose.read("dead_intro"))

# -- The walk-through ------------------------------------------------------------------------
@st.fragment
def walk_through():
    """Buttons, sliders and inputs rerun only this section (a fragment)."""
    step = st.session_state["dn_step"]
    st.query_params["step"] = str(step)
    nav = st.columns([1, 1, 6])
    nav[0].button("◀ Back", key="back", on_click=go_to, args=(step - 1,), disabled=step == 1, width="stretch")
    nav[1].button("Next ▶", key="next", on_click=go_to, args=(step + 1,), disabled=step == len(STEPS),
                  width="stretch")
    nav[2].markdown(f"**Step {step} of {len(STEPS)}: {STEPS[step - 1]}**")

    lr = st.slider("Learning rate η", 0.01, 2.0, 0.1, 0.01, key="lr", bind="query-params",
                   help="w_new = w_old − η·∂L/∂w₁")
    if step == 1:
        chain = dataclasses.replace(SEED_EXAMPLE, lr=lr)
    elif step == 2:
        chain = dataclasses.replace(SEED_EXAMPLE, lr=lr, act="leaky_relu")
    else:
        left, right = st.columns(2)
        url_choice("act", CHAIN_SLUGS, "relu")
        slug = left.selectbox("Activation", CHAIN_SLUGS, format_func=lambda s: REGISTRY[s].name, key="act")
        st.query_params["act"] = slug
        units = right.slider("Hidden units in the chain", 1, 4, 1, key="units")
        params = {p.name: left.slider(p.label, p.min, p.max, p.default, p.step, key=f"fp.{slug}.{p.name}",
                                      help=p.help) for p in REGISTRY[slug].params}
        c = st.columns(4)
        x = c[0].number_input("input x", value=0.3, step=0.1, key="fp.x")
        y = c[1].number_input("target y", value=-0.5, step=0.1, key="fp.y")
        weights, biases = [], []
        defaults = [(0.5, -1.15)] + [(1.0, 0.0)] * 3
        for k in range(units):
            weights.append(c[2].number_input(f"w{k + 1}", value=defaults[k][0], step=0.1, key=f"fp.w{k}"))
            biases.append(c[3].number_input(f"b{k + 1}", value=defaults[k][1], step=0.1, key=f"fp.b{k}"))
        weights.append(c[2].number_input("w_out", value=0.4, step=0.1, key="fp.wout"))
        biases.append(c[3].number_input("b_out", value=0.3, step=0.1, key="fp.bout"))
        chain = Chain(x, tuple(weights), tuple(biases), y, lr, slug, params)
        right.caption(prose.read("not_in_chain"))

    result = walk(chain)
    diagram, numbers = st.columns([1, 1])
    diagram.graphviz_chart(chain_dot(result), width="stretch")
    with numbers:
        st.latex(r"\frac{\partial L}{\partial w_1} = " + r" \cdot ".join(f.symbol for f in result.factors)
                 + r" \\ = " + product_text(result).replace("−", "-"))
        m = st.columns(2)
        m[0].metric("∂L/∂w₁", num(result.grad))
        m[1].metric("loss L", num(result.loss))
        m = st.columns(2)
        m[0].metric("w_old", num(chain.weights[0]))
        m[1].metric("w_new = w_old − η·∂L/∂w₁", f"{result.w_new:.8g}".replace("-", "−"),
                    delta=float(f"{result.w_new - chain.weights[0]:.4g}"), delta_color="off")
        st.markdown(prose.read(("dead_step0", "dead_step1", "dead_step2")[step - 1]))


walk_through()

# -- How a unit dies --------------------------------------------------------------------------
st.divider()
st.header("How a unit dies")
st.markdown(prose.read("dying_intro"))


LR_MIN, LR_MAX, LR_STEP = 0.05, 2.0, 0.05
LEARNING_RATES = [round(LR_MIN + LR_STEP * i, 2) for i in range(round((LR_MAX - LR_MIN) / LR_STEP) + 1)]


@st.cache_resource
def trained() -> Memo:
    """Training runs by (activation, learning rate, bias), shared by all sessions. A run takes
    about 0.15 s on an idle core (more under load), longer than a round trip, so the learning
    rates one slider step away are trained ahead, and the rest of the slider's range on a
    low-priority thread (see ``lessons.prefetch``): room for every learning rate of two
    activation/bias settings (a run is about 0.4 MB)."""
    return Memo(dying.train, max_entries=4 * len(LEARNING_RATES))


def runs_for(acts: dict[str, str], lr: float, bias: float) -> dict[str, dying.DyingRun]:
    memo, lr = trained(), round(lr, 2)
    if all(memo.ready(a, lr, bias) for a in acts.values()):
        runs = {name: memo(a, lr, bias) for name, a in acts.items()}
    else:
        with st.spinner("Training…"):
            runs = {name: memo(a, lr, bias) for name, a in acts.items()}
    # The direction the slider last moved in goes first.
    sign = 1 if lr >= st.session_state.get("die_last_lr", lr) else -1
    st.session_state["die_last_lr"] = lr
    nxt = [round(lr + d, 2) for d in (sign * LR_STEP, -sign * LR_STEP) if LR_MIN <= lr + d <= LR_MAX]
    memo.ahead(*[(a, v, bias) for v in nxt for a in acts.values()])
    memo.warm(*[(a, v, bias) for v in sorted(LEARNING_RATES, key=lambda v: abs(v - lr)) for a in acts.values()])
    return runs


def preset():
    """Apply the chosen preset, then clear the choice so the control acts like a row of buttons."""
    p = dying.PRESETS[st.session_state["die_preset"]]
    st.session_state["die_lr"], st.session_state["die_bias"] = p["lr"], p["init_bias"]
    st.session_state["die_preset"] = None


@st.fragment
def training_step(runs: dict[str, dying.DyingRun]):
    """The step slider and the histograms: a fragment inside ``unit_dies``, so moving the slider
    redraws only the heatmap, from the cached runs."""
    steps = max(r.steps for r in runs.values())
    step = st.slider("Show training step", 0, steps, steps, key="die_step")
    chart(heatmap_figure(runs, step), key="die_heat")
    inputs = int(next(iter(runs.values())).hist[0, 0].sum())
    st.caption(f"Each row is one hidden unit: the histogram of its pre-activation z over the {inputs:,} training "
               "digits, the inputs the loss sees (darker = more inputs). Red line: z = 0. Red ×: the unit is off "
               "(z < 0 on every training input).")


@st.fragment
def unit_dies():
    """Presets, learning rate, bias and activation: new training runs, rerunning only this section."""
    # One control for the presets, not a row of buttons: every element costs the browser a re-render.
    st.segmented_control("Presets", list(dying.PRESETS), key="die_preset", on_change=preset,
                         format_func=lambda k: f"{dying.PRESETS[k]['label']} (η = {dying.PRESETS[k]['lr']:g}, "
                                               f"bias {dying.PRESETS[k]['init_bias']:g})")
    c = st.columns(3)
    die_lr = c[0].slider("Learning rate", LR_MIN, LR_MAX, 0.5, LR_STEP, key="die_lr", bind="query-params")
    bias = c[1].slider("Initial bias of every hidden unit", -6.0, 2.0, 0.0, 0.5, key="die_bias",
                       bind="query-params")
    url_choice("die_act", VARIANTS, "leaky_relu")
    other = c[2].selectbox("Compare ReLU with", VARIANTS, format_func=lambda s: REGISTRY[s].name, key="die_act")
    st.query_params["die_act"] = other
    runs = runs_for({"ReLU": "relu", REGISTRY[other].name: other}, die_lr, bias)
    training_step(runs)
    chart(fractions_figure(runs), key="die_frac")
    chart(bias_figure(runs), key="die_bias_chart")
    relu = runs["ReLU"]
    events = dying.deaths(relu)
    if events:
        d = max(events, key=lambda e: e.z_max_before - e.z_max_after)
        frozen = relu.bias[d.step + 1:, d.unit]
        st.markdown(
            f"**One step, one dead unit.** In step {d.step} → {d.step + 1} unit {d.unit}'s largest pre-activation "
            f"over the training digits fell from {num(d.z_max_before)} to {num(d.z_max_after)} (its bias went "
            f"from {num(d.bias_before)} to {num(d.bias_after)}; its weights moved too). From then on ReLU "
            f"passes it no gradient: over the remaining {len(frozen) - 1} steps its bias changed by exactly "
            f"{num(frozen.max() - frozen.min())}. In all, {len(events)} ReLU unit(s) were switched off for good "
            "by a single step.")
    elif relu.dead_fraction[0] > 0:
        st.markdown(f"**Dead from the start.** {int(relu.dead[0].sum())} of {relu.dead.shape[1]} ReLU units "
                    "begin off on every training input, so plain gradient descent never gives them a gradient and "
                    "they never change.")
    for name, r in runs.items():
        if r.diverged_at is not None:
            st.warning(f"{name} diverged at step {r.diverged_at}: the loss stopped being a finite number at this "
                       "learning rate, so its run ends there." + (" PReLU learns its slopes too, and a large "
                                                                  "step can blow them up." if name.startswith("Parametric") else ""))
    st.markdown("| | Units off at the end | Since step 0 | Dead at the end | Test accuracy |\n|---|---|---|---|---|\n"
                + "\n".join(f"| **{name}** | {r.off[-1].sum()} of {r.off.shape[1]} | "
                            f"{int(r.off[-1].sum()) - int(r.off[0].sum()):+d} | {r.dead[-1].sum()} of {r.dead.shape[1]} "
                            f"| {r.accuracy:.1%} |" for name, r in runs.items()))


unit_dies()
