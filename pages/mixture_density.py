"""Mixture density networks: an MDN and a squared-error net trained live, side by side, on
Bishop's inverse sine; the MDN's means, samples or density, and p(y | x) at one input.

Every setting and its widget is declared once, in ``runtime.page_state.MDN``. Training and every number come
from lessons.mdn (torch and the registry); this page only draws."""
import streamlit as st

from app_shell import chart, intro
from charts.lessons import num
from charts.outputs import mdn_data_figure, mdn_fit_figure, mdn_loss_figure, mdn_samples_figure, mdn_slice_figure
from lessons import mdn, prose
from runtime import page_state
from runtime.live import live_run

STATE = page_state.MDN.open()

STATE.title()
intro(prose.read("mdn_intro"), STATE["present"])


@st.fragment
def at_one_input(run: mdn.MdnRun):
    """The input slider only slices the finished run: it reruns this section alone."""
    x = STATE.input("x")
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
        view = STATE.input("view")
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
    m = STATE.input("m", c[0])
    width = STATE.input("width", c[1])
    steps = STATE.input("steps", c[2])
    act = STATE.input("act", c[3])
    scale = STATE.input("scale", c[4])
    STATE.sync()
    if live_run(mdn.train, (m, width, steps, act, scale), draw, name="mdn",
                about="Trains both networks on the server: a few seconds for 1,000 steps.") is None:
        chart(mdn_data_figure(*mdn.training_data()), key="mdn_data")  # something to look at before Train


training()
st.divider()
st.markdown(prose.read("mdn_refs"))
