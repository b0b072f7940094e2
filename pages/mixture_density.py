"""Mixture density networks: an MDN and a squared-error net trained live, side by side, on
Bishop's inverse sine; the MDN's means, samples or density, and p(y | x) at one input.

Every setting is declared once in ``STATE`` (runtime.page_state). Training and every number come
from lessons.mdn (torch and the registry); this page only draws."""
import streamlit as st

from app_shell import chart
from charts.lessons import num
from charts.outputs import mdn_data_figure, mdn_fit_figure, mdn_loss_figure, mdn_samples_figure, mdn_slice_figure
from lessons import mdn, prose
from runtime import page_state
from runtime.live import live_run
from runtime.page_state import MDN_VIEWS, NAMES, SCALE_NAMES, TRAIN_SLUGS

STATE = page_state.MDN.open()

STATE.title("Mixture density networks")
st.markdown(prose.read("mdn_intro"))


@st.fragment
def at_one_input(run: mdn.MdnRun):
    """The input slider only slices the finished run: it reruns this section alone."""
    x = STATE.widget("x", st.slider, "Input x", -0.1, 1.1, step=0.01)
    i = run.at(x)
    found = mdn.branches(run.grid[i])
    chart(mdn_slice_figure(run, x, found), key="mdn_slice")
    shown = [c for c in range(run.m) if run.weights[i, c] >= 0.01]
    st.markdown(
        f"Without noise, x = {run.grid[i]:.2f} comes from {len(found)} value(s) of t: "
        + ", ".join(f"{t:.3f}" for t in found) + ". The MDN's components with π ≥ 0.01 there:\n\n"
        "| component | weight π | mean μ | scale σ |\n|---|---|---|---|\n"
        + "\n".join(f"| {c + 1} | {run.weights[i, c]:.3f} | {run.means[i, c]:.3f} | {run.sigmas[i, c]:.3f} |"
                    for c in shown)
        + f"\n\nThe squared-error net answers {run.mse_mean[i]:.3f} (σ = {run.mse_sigma:.3f} for every x).")
    STATE.sync()


def draw(run: mdn.MdnRun, final: bool) -> None:
    if not final:
        chart(mdn_fit_figure(run), key="mdn_fit")
        return
    left, right = st.columns(2)
    chart(mdn_fit_figure(run), key="mdn_fit", where=left)
    with right:
        view = STATE.widget("view", st.segmented_control, "Show", tuple(MDN_VIEWS), format_func=MDN_VIEWS.get,
                            required=True)
        chart(mdn_samples_figure(run, view), key="mdn_samples")
    better = run.test_nll < run.test_nll_mse
    st.markdown(
        "| on 1,000 held-out points | MDN | squared error (Gaussian, σ = √MSE) |\n|---|---|---|\n"
        f"| mean −log p(y \\| x) | **{num(run.test_nll)}** | **{num(run.test_nll_mse)}** |\n\n"
        + (f"The MDN gives the held-out data {num(run.test_nll_mse - run.test_nll)} nats more log-likelihood per "
           "point: it puts its probability on the branches; the squared-error net spreads one Gaussian over "
           "all of them." if better else
           "Here the MDN does not beat the squared-error net on held-out data: try more training steps, or more "
           "components."))
    st.subheader("p(y | x) at one input")
    at_one_input(run)
    chart(mdn_loss_figure(run), key="mdn_loss")


@st.fragment
def training():
    c = st.columns(5)
    m = STATE.widget("m", c[0].slider, "Components m", 1, 8)
    width = STATE.widget("width", c[1].slider, "Hidden units per layer", 4, 64, step=4)
    steps = STATE.widget("steps", c[2].slider, "Training steps", 100, 4000, step=100)
    act = STATE.widget("act", c[3].selectbox, "Hidden activation", TRAIN_SLUGS, format_func=NAMES.get)
    scale = STATE.widget("scale", c[4].selectbox, "Scale activation", tuple(SCALE_NAMES), format_func=SCALE_NAMES.get,
                         help="The positive activation that turns the third group of outputs into the scales σ.")
    STATE.sync()
    if live_run(mdn.train, (m, width, steps, act, scale), draw, name="mdn",
                about="Trains both networks on the server: a few seconds for 1,000 steps.") is None:
        chart(mdn_data_figure(*mdn.training_data()), key="mdn_data")  # something to look at before Train


training()
st.divider()
st.markdown(prose.read("mdn_refs"))
