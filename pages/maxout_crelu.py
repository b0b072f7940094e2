"""Maxout and CReLU: a maxout unit fitted to convex targets with K pieces, CReLU's halves, norm and
cost, and PReLU with one slope per unit against one per layer, trained live.

Every setting and its widget is declared once, in ``runtime.page_state.MAXOUT``. Numbers come from lessons/ and
the registry; this page only draws."""
import numpy as np
import streamlit as st

from app_shell import chart, intro
from charts.lessons import num
from charts.maxout import crelu_figure, error_figure, maxout_figure, prelu_loss_figure, prelu_slopes_figure
from lessons import maxout, prelu, prose
from runtime import page_state
from runtime.landing import contents, heading, land
from runtime.live import live_run

STATE = page_state.MAXOUT.open()

STATE.title()
contents(page_state.MAXOUT_SECTIONS)


# -- Maxout --------------------------------------------------------------------------------------
@st.cache_data(show_spinner=False)
def fits(target: str) -> list[maxout.Fit]:
    """Every K's fit for a target at once (at most a few tenths of a second): the K slider then only picks one."""
    return maxout.fits(target)


@st.fragment
def maxout_section():
    c = st.columns([2, 3])
    target = STATE.input("target", c[0])
    k = STATE.input("k", c[1])
    all_fits = fits(target)
    fit = all_fits[k - 1]
    left, right = st.columns(2)
    chart(maxout_figure(fit), key="maxout_fit", where=left)
    chart(error_figure(all_fits, k), key="maxout_error", where=right)
    exact = "0 (exact)" if fit.max_error == 0 else f"{fit.max_error:.3g}"
    st.markdown("| piece j | slope aⱼ | intercept bⱼ |\n|---|---|---|\n"
                + "\n".join(f"| {j + 1} | {num(a)} | {num(b)} |" for j, (a, b) in enumerate(zip(fit.slopes, fit.intercepts)))
                + f"\n\nLargest error over [−3, 3] with K = {k}: **{exact}**; root mean squared error {fit.rms:.3g}.")
    STATE.sync()


heading(page_state.MAXOUT_SECTIONS, "maxout")
intro(prose.read("maxout_intro"), STATE["present"])
maxout_section()
st.markdown(prose.read("maxout_error"))


# -- CReLU ---------------------------------------------------------------------------------------
CRELU_X = np.linspace(-1000.0, 1000.0, 200_001)  # the numerical check; the chart shows [−3, 3]


@st.cache_data(show_spinner=False)
def crelu_check() -> tuple[float, float]:
    return maxout.crelu_norm_gap(CRELU_X)


@st.fragment
def crelu_section():
    left, right = st.columns([3, 2])
    chart(crelu_figure(np.linspace(-3, 3, 121)), key="crelu_chart", where=left)
    forward, backward = crelu_check()
    with right:
        st.markdown(f"**Checked numerically** on {len(CRELU_X):,} points from −1,000 to 1,000: the largest "
                    f"|‖CReLU(x)‖ − |x|| is **{forward:g}**, and the largest |‖∂CReLU/∂x‖ − 1| over x ≠ 0 is "
                    f"**{backward:g}**.")
        c = st.columns(3)
        units = STATE.input("units", c[0])
        after = STATE.input("next", c[1])
        kernel = STATE.input("kernel", c[2])
        cost = maxout.next_layer_parameters(units, after, kernel)
        shape, taps = (f"{kernel}×{kernel} ", f" × {kernel * kernel}") if kernel > 1 else ("", "")
        st.markdown(f"| the next {shape}layer's parameters | |\n|---|---|\n"
                    f"| after ReLU: {units:,} × {after:,}{taps} + {after:,} | {cost['relu']:,} |\n"
                    f"| after CReLU: {2 * units:,} × {after:,}{taps} + {after:,} | **{cost['crelu']:,}** "
                    f"({cost['crelu'] / cost['relu']:.2f}×) |")
    STATE.sync()


heading(page_state.MAXOUT_SECTIONS, "crelu")
st.markdown(prose.read("crelu"))
crelu_section()


# -- PReLU: one slope per unit or per layer ------------------------------------------------------
def draw_prelu(run: prelu.PreluRun, final: bool) -> None:
    chart(prelu_slopes_figure(run), key="prelu_slopes")
    if not final:
        return
    last = run.per_unit[-1]
    chart(prelu_loss_figure(run, prelu.NETS), key="prelu_loss")
    st.markdown(
        "| | learned slopes | slopes at the end | held-out accuracy | parameters |\n|---|---|---|---|---|\n"
        + f"| **{prelu.NETS[0]}** | {last.size} | from {num(last.min())} to {num(last.max())}, "
          f"{int((last < 0).sum())} below 0 | {run.test_accuracy[0]:.1%} | {run.parameters[0]:,} |\n"
        + f"| **{prelu.NETS[1]}** | {run.shared.shape[1]} | "
        + ", ".join(num(a) for a in run.shared[-1]) + f" | {run.test_accuracy[1]:.1%} | {run.parameters[1]:,} |")


@st.fragment
def prelu_section():
    c = st.columns(3)
    width = STATE.input("p_width", c[0])
    steps = STATE.input("p_steps", c[1])
    data = STATE.input("p_data", c[2])
    STATE.sync()
    live_run(prelu.train, (width, steps, data), draw_prelu, name="maxout.prelu",
             about="Trains both networks on the server: a few seconds for 600 steps.")


heading(page_state.MAXOUT_SECTIONS, "prelu")
st.markdown(prose.read("prelu_shared"))
prelu_section()
land(STATE)
st.divider()
st.markdown(prose.read("maxout_refs"))
