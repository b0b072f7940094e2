"""Dead neurons: the chain rule one factor at a time, then a real layer of units dying in training.

Every setting and its widget is declared once, in ``runtime.page_state.DEAD``, so a shared link
reopens the same step with the same numbers. All numbers come from lessons/ (the registry and torch); this page only draws."""
import dataclasses

import streamlit as st

from activations import REGISTRY
from app_shell import chart, diagram
from charts.lessons import bias_figure, chain_dot, chain_latex, chain_text, fractions_figure, heatmap_figure, num
from lessons import dying, prose
from lessons.chain_rule import SEED_EXAMPLE, Chain, walk
from runtime import page_state
from runtime.landing import heading, land
from runtime.memo import Memo
from runtime.page_state import DEAD_STEPS as STEPS
from runtime.page_state import LEARNING_RATES
from runtime.slow_slider import memo_slider
from runtime.threads import on_one_torch_thread

STATE = page_state.DEAD.open()


def go_to(step: int):
    STATE["step"] = step


STATE.title()
st.markdown(prose.read("dead_intro"))

# -- The walk-through ------------------------------------------------------------------------
@st.fragment
def walk_through():
    """Buttons, sliders and inputs rerun only this section (a fragment)."""
    step = STATE["step"]
    nav = st.container(horizontal=True, vertical_alignment="center")
    nav.button("◀ Back", key="back", on_click=go_to, args=(step - 1,), disabled=step == 1)
    nav.button("Next ▶", key="next", on_click=go_to, args=(step + 1,), disabled=step == len(STEPS))
    nav.markdown(f"**Step {step} of {len(STEPS)}: {STEPS[step - 1]}**")

    lr = STATE.input("lr")
    if step == 1:
        chain = dataclasses.replace(SEED_EXAMPLE, lr=lr)
    elif step == 2:
        chain = dataclasses.replace(SEED_EXAMPLE, lr=lr, act="leaky_relu")
    else:
        left, right = st.columns(2)
        slug = STATE.input("act", left)
        units = STATE.input("units", right)
        params = {}
        for f, p in zip(page_state.param_fields(slug), REGISTRY[slug].params):
            st.session_state.setdefault(STATE.key(f.key), f.default)
            params[p.name] = STATE.input(f.key, left)
        c = st.columns(4)
        x = STATE.input("x", c[0])
        y = STATE.input("y", c[1])
        weights = [STATE.input(f"w{k}", c[2]) for k in range(1, units + 1)]
        biases = [STATE.input(f"b{k}", c[3]) for k in range(1, units + 1)]
        weights.append(STATE.input("w_out", c[2]))
        biases.append(STATE.input("b_out", c[3]))
        chain = Chain(x, tuple(weights), tuple(biases), y, lr, slug, params)
        right.caption(prose.read("not_in_chain"))

    result = walk(chain)
    # One column: side by side, a phone or a 1024-px projector shrinks the diagram's text.
    diagram(chain_dot(result), chain_text(result), key="dead_chain")
    st.markdown("| ∂L/∂w₁ | loss L | w_old | w_new = w_old − η·∂L/∂w₁ |\n|---|---|---|---|\n"
                f"| {num(result.grad)} | {num(result.loss)} | {num(chain.weights[0])} "
                f"| {result.w_new:.8g} |".replace("-", "−").replace("|−−−", "|---"))
    st.latex(chain_latex(result))
    st.markdown(prose.read(("dead_step0", "dead_step1", "dead_step2")[step - 1]))
    STATE.sync()


walk_through()

# -- How a unit dies --------------------------------------------------------------------------
st.divider()
heading(page_state.DEAD_SECTIONS, "dying")
st.markdown(prose.read("dying_intro"))


@st.cache_resource
def trained() -> Memo:
    """Training runs by (activation, learning rate, bias), shared by all sessions. A run takes
    about 0.15 s on an idle core (more under load), longer than a round trip, so the learning
    rates one slider step away are trained ahead, and the rest of the slider's range in a
    low-priority process (see ``runtime.slow_slider``): room for every learning rate of two
    activation/bias settings (a run is about 0.4 MB)."""
    return Memo(on_one_torch_thread(dying.train), max_entries=4 * len(LEARNING_RATES))


def runs_for(acts: dict[str, str], lr: float, bias: float) -> dict[str, dying.DyingRun]:
    keys = {name: (a, round(lr, 2), bias) for name, a in acts.items()}
    return memo_slider(trained(), keys, LEARNING_RATES, at=1, name="die_lr", spinner="Training…")


def preset():
    """Apply the chosen preset (pressing the chosen one again keeps the settings)."""
    p = dying.PRESETS.get(st.session_state["dead.preset"])
    if p:
        STATE["die_lr"], STATE["die_bias"] = p["lr"], p["init_bias"]


def matching_preset() -> str | None:
    """The preset the learning rate and bias are at (a link's, or the sliders'), shown as chosen."""
    return next((k for k, p in dying.PRESETS.items() if (p["lr"], p["init_bias"]) == (STATE["die_lr"], STATE["die_bias"])),
                None)


@st.fragment
def training_step(runs: dict[str, dying.DyingRun]):
    """The step slider and the histograms: a fragment inside ``unit_dies``, so moving the slider
    redraws only the heatmap, from the cached runs."""
    steps = max(r.steps for r in runs.values())
    STATE["die_step"] = min(STATE["die_step"], steps)
    step = STATE.input("die_step", max_value=steps)
    chart(heatmap_figure(runs, step), key="die_heat")
    inputs = int(next(iter(runs.values())).hist[0, 0].sum())
    st.caption(f"Each row is one hidden unit: the histogram of its pre-activation z over the {inputs:,} training "
               "digits, the inputs the loss sees (darker = more inputs). Red line: z = 0. Red ×: the unit is off "
               "(z < 0 on every training input).")


@st.fragment
def unit_dies():
    """Presets, learning rate, bias and activation: new training runs, rerunning only this section."""
    st.session_state["dead.preset"] = matching_preset()
    st.segmented_control("Presets", list(dying.PRESETS), key="dead.preset", on_change=preset,
                         format_func=lambda k: f"{dying.PRESETS[k]['label']} (η = {dying.PRESETS[k]['lr']:g}, "
                                               f"bias {dying.PRESETS[k]['init_bias']:g})")
    c = st.columns(3)
    die_lr = STATE.input("die_lr", c[0])
    bias = STATE.input("die_bias", c[1])
    other = STATE.input("die_act", c[2])
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
    STATE.sync()


unit_dies()
land(STATE)
