"""Output activations: the three output units as maximum likelihood, a softmax calculator, why the
loss takes the log, and a live regression with a linear output.

Every setting and its widget is declared once, in ``runtime.page_state.OUTPUTS``. Numbers come from lessons/ and
the registry (``activations.outputs``); this page only draws."""
import streamlit as st

from app_shell import chart, intro
from charts.lessons import num
from charts.outputs import likelihood_figure, regression_figure, softmax_figure, why_log_figure
from lessons import outputs, prose, regression
from runtime import page_state
from runtime.landing import contents, heading, land
from runtime.live import live_run
from runtime.url_state import echo

STATE = page_state.OUTPUTS.open()

STATE.title()
contents(page_state.OUTPUTS_SECTIONS)
intro(prose.read("outputs_intro"), STATE["present"])


# -- One output unit, one distribution ---------------------------------------------------------
@st.fragment
def likelihood(pair: str):
    """The score and target sliders redraw only the chart and its table (the text stays)."""
    z = STATE.input("z")
    if pair == "gaussian":
        target = STATE.input("y")
    elif pair == "bernoulli":
        target = STATE.input("label")
    else:
        target = 0
    lk = outputs.likelihood(pair, z, target)
    chart(likelihood_figure(lk, outputs.class_names(outputs.CATEGORICAL_CLASSES) if pair == "categorical" else None),
          key="mle_chart")
    constant = "the constant ½ log 2π" if pair == "gaussian" else "none: the same number, but for rounding in the last digits"
    st.markdown(f"| −log p(y \\| x), from the distribution | {lk.loss_name}, the loss | difference |\n|---|---|---|\n"
                f"| {num(lk.nll)} | {num(lk.loss)} | {num(lk.nll - lk.loss)} ({constant}) |")
    STATE.sync()


heading(page_state.OUTPUTS_SECTIONS, "distributions")
pair = STATE.input("pair")
text, controls = st.columns([2, 3])
text.markdown(prose.read(f"outputs_{pair}"))
with controls:
    likelihood(pair)


# -- Softmax calculator -------------------------------------------------------------------------
SCORES_TEXT = STATE.key("scores_text")  # the text box; the link keeps the parsed scores
SCORES_SHOWN = STATE.key("scores_shown")  # the scores the text box was last parsed into


def scores_box(where) -> list[float] | None:
    """The text box for the scores, or None (with a message) if its text is not usable. A link
    that sets other scores (a lesson's "try it" link) rewrites the box; a link that hides it
    leaves the scores as they are."""
    if STATE.hidden("scores"):
        return STATE.input("scores", where)  # shown as text
    if st.session_state.get(SCORES_SHOWN) != STATE["scores"]:
        st.session_state[SCORES_TEXT] = outputs.format_scores(STATE["scores"])
    text = where.text_input(**STATE.field("scores").widget_args(), key=SCORES_TEXT, persist_state="session")
    try:
        scores = outputs.parse_scores(text)
    except outputs.ScoreError as e:
        what = f"{echo(e.token)} {e}" if e.token else str(e)
        st.error(f"**Scores:** {what}. Type 2 to {outputs.MAX_CLASSES} numbers separated by commas, "
                 "such as 10, 20, 30, 40.")
        return None
    STATE["scores"] = st.session_state[SCORES_SHOWN] = scores
    return scores


@st.fragment
def calculator():
    c = st.columns([5, 4, 2], vertical_alignment="bottom")
    scores = scores_box(c[0])
    temperature = STATE.input("t", c[1])
    log = STATE.input("logp", c[2])
    if scores is None:
        STATE.sync()
        return
    shift = STATE["shift"]  # the slider below: a widget's new value is in the state before the rerun
    sm = outputs.softmax(scores, temperature, shift)
    names = outputs.class_names(len(scores))
    chart(softmax_figure(sm, names, log, outputs.SEED_HANDWRITTEN if sm.is_seed_example else None),
          key="softmax_chart")
    st.markdown(prose.read("outputs_lse"))
    STATE.input("shift")
    t = f" / {temperature:g}" if temperature != 1 else ""
    x_c = "x + c" if shift else "x"
    raw, top = (f"({x_c}){t}", f"(x − max x){t}") if t else (x_c, "x − max x")
    plus = shift != 0  # the column x + c only when there is a c
    rows = "\n".join(
        f"| {name} | {num(x)} |{f' {num(x + shift)} |' if plus else ''} {num(e)} | {num(q)} | {num(s)} "
        f"| **{p:.6g}** | {num(lp)} |".replace("e-", "e−")
        for name, x, e, q, s, p, lp in zip(names, sm.scores, sm.exp, sm.naive, sm.shifted_exp, sm.p, sm.log_p))
    st.markdown(
        f"| class | score x |{' x + c |' if plus else ''} e^({raw}) as written | softmax as written | e^({top}) "
        f"| softmax, log-sum-exp form | log softmax |\n|---|---|{'---|' if plus else ''}---|---|---|---|---|\n{rows}\n\n"
        f"log-sum-exp: log Σⱼ e^(xⱼ{t}) = **{sm.lse:.10g}**. Adding c = {shift:g} to every score changes no "
        f"probability by more than **{sm.shift_gap:.1e}**"
        + (f". Computed as written, e^({raw}) overflows to inf here, and the probabilities come out "
           "as nan (not a number)." if sm.overflow else "."))
    STATE.sync()


heading(page_state.OUTPUTS_SECTIONS, "softmax")
st.markdown(prose.read("outputs_softmax"))
calculator()


# -- Why the log matters ------------------------------------------------------------------------
@st.cache_data(show_spinner=False)
def why_curves(unit: str) -> outputs.Curves:
    return outputs.why_log(unit)


@st.fragment
def why_log():
    c = st.columns([1, 1])
    unit = STATE.input("why", c[0])
    at = STATE.input("at", c[1])
    curves = why_curves(unit)
    chart(why_log_figure(curves, at), key="why_chart")
    i = int(abs(curves.z - at).argmin())
    st.markdown("| at z = " + f"{curves.z[i]:g} | loss | ∂loss/∂z |\n|---|---|---|\n" + "\n".join(
        f"| {label} | {num(curves.losses[label][i])} | {num(curves.grads[label][i])} |" for label in curves.losses))
    STATE.sync()


heading(page_state.OUTPUTS_SECTIONS, "why-log")
st.markdown(prose.read("outputs_why_log"))
why_log()


# -- A live regression ---------------------------------------------------------------------------
def draw_regression(run: regression.RegressionRun, final: bool) -> None:
    chart(regression_figure(run), key="reg_chart")
    if final:
        st.markdown(f"| training MSE | held-out MSE | σ by maximum likelihood = √(training MSE) | noise you chose |"
                    f"\n|---|---|---|---|\n| {num(run.sigma ** 2)} | {num(run.test_mse)} | **{num(run.sigma)}** "
                    f"| {num(run.noise)} |")


@st.fragment
def regression_section():
    c = st.columns(4)
    act = STATE.input("reg_act", c[0])
    width = STATE.input("reg_width", c[1])
    steps = STATE.input("reg_steps", c[2])
    noise = STATE.input("reg_noise", c[3])
    STATE.sync()
    live_run(regression.train, (act, width, steps, noise), draw_regression, name="outputs.reg",
             about="Trains the network on the server: a few seconds for 1,500 steps.")


heading(page_state.OUTPUTS_SECTIONS, "regression")
st.markdown(prose.read("outputs_regression"))
regression_section()
land(STATE)

st.divider()
st.markdown(prose.read("outputs_refs"))
