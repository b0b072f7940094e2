"""Training lab, step by step: every compared activation trains in lockstep, an epoch at a time,
as TensorFlow Playground trains one network; Play, Pause, Step and Reset, the network drawn unit by
unit, every setting in the link.

The networks train in the student's browser (``runtime.stepwise``, a component): widgets build a
``Config`` (``training.stepwise.setup``), the server computes once per set-up what the browser
trains from (``training.stepwise_setup.handout``: data, input features, initial weights) and
sends it with the settings that apply without a reset. The browser reports back only when a run
pauses (the epoch and each network's losses). No training runs in the server."""
import pandas as pd
import streamlit as st

from runtime import page_state
from runtime.page_state import (
    NAMES,
)
from runtime.stepwise import board
from runtime.url_state import echo
from training import stepwise as pg
from training.stepwise_setup import handout

STATE = page_state.PLAYGROUND.open()
HANDOUT = "pg_handout"  # the session's (config, handout): recomputed only when the set-up changes


def regenerate():
    STATE["data_seed"] = (STATE["data_seed"] + 1) % 1_000_000


# -- Set-up ---------------------------------------------------------------------------------------
def data_column():
    st.markdown("**Data**")
    STATE.input("dataset")
    STATE.input("ratio")
    STATE.input("classes")


def noise_column():
    st.markdown("&nbsp;")
    STATE.input("noise")
    STATE.input("n")
    st.button("Regenerate", icon=":material/casino:", on_click=regenerate,
              help="A new draw of the data (the link records it).")


def network_column():
    st.markdown("**Network**")
    STATE.input("layers")
    STATE.input("init")
    STATE.input("seed")


def training_column():
    st.markdown("**Training**")
    STATE.input("optimizer")
    STATE.input("batch")


def set_up():
    with st.expander("Set-up: a change here starts new networks", expanded=True):
        STATE.input("activations", max_selections=pg.MAX_ACTIVATIONS)
        STATE.input("features")
        for column, draw in zip(st.columns(4), (data_column, noise_column, network_column, training_column)):
            with column:
                draw()
        st.caption(f"Up to {pg.MAX_POINTS:,} points, {pg.MAX_LAYERS} hidden layers of up to {pg.MAX_UNITS} units, "
                   f"{pg.MAX_ACTIVATIONS} activations, batches of up to {pg.MAX_BATCH}; a run pauses at epoch "
                   f"{pg.MAX_EPOCHS:,}. CReLU and Maxout change a layer's width and are not drawn here: compare "
                   "them in the Training lab.")


def request():
    """The comparison the widgets describe, or why there is none."""
    try:
        widths = pg.parse_widths(STATE["layers"])
    except ValueError as e:
        return None, f"{e}; you wrote {echo(STATE['layers'])}."
    cfg = pg.setup(dataset=STATE["dataset"], n=STATE["n"], noise=STATE["noise"], data_seed=STATE["data_seed"],
                   test_fraction=1 - STATE["ratio"] / 100, widths=widths, features=tuple(STATE["features"] or ()),
                   activations=tuple(STATE["activations"] or ()), init=STATE["init"], seed=STATE["seed"],
                   optimizer=STATE["optimizer"], lr=STATE["lr"], batch_size=STATE["batch"],
                   regularization=STATE["reg"] or "none", reg_rate=STATE["reg_rate"],
                   classes=STATE["classes"] if STATE["dataset"] in pg.MULTICLASS else 2)
    try:
        pg.check(cfg)
    except ValueError as e:
        return None, f"{str(e)[:1].upper()}{str(e)[1:]}."
    return cfg, None


def session_handout(cfg) -> dict | None:
    """What the browser trains from: computed when the set-up changes (not for the learning rate,
    the regularisation or how the output is shown, which the browser applies as they change)."""
    key = pg.network_key(cfg)
    kept = st.session_state.get(HANDOUT)
    if kept is not None and kept[0] == key:
        return kept[1]
    try:
        setup = handout(cfg)
    except (ValueError, KeyError) as e:
        st.error(f"These settings can't train: {str(e).strip(chr(39))}.")
        return None
    st.session_state[HANDOUT] = (key, setup)
    return setup


def live_settings() -> None:
    """What applies without a reset, as in Playground's top bar: learning rate, regularisation, and
    how the output is shown."""
    if STATE["reg"] is None:  # the segmented control clicked off: back to a choice, so the link stays valid
        STATE["reg"] = "none"
    c1, c2, c3, c4 = st.columns(4)  # equal: at presenter size the regularisation control needs a quarter
    STATE.input("lr", c1)
    STATE.input("reg", c2)
    STATE.input("reg_rate", c3)
    STATE.input("show_test", c4)
    STATE.input("discretize", c4)


def last_pause(summary, setup) -> None:
    """The browser's report at its last pause, as a table the page keeps (and a screen reader reads)."""
    if not summary or summary.get("id") != setup["id"] or not summary.get("epoch"):
        return
    rows = [{"activation": NAMES.get(r["activation"], r["activation"]), "training loss": r["train_loss"],
             "test loss": r["test_loss"], **({} if setup["regression"] else
                                             {"training error": r["train_error"], "test error": r["test_error"]}),
             "dead units": r["dead"]} for r in summary["rows"]]
    with st.expander(f"At the last pause: epoch {summary['epoch']:,}"):
        st.dataframe(pd.DataFrame(rows), hide_index=True)


STATE.title()
st.markdown("Press **Play** and watch every chosen activation learn the same data, batch by batch in lockstep, "
            "from the same random draws for the weights (scaled by each activation's usual initialisation). "
            "**Pause** and **Step** an epoch at a time. The learning rate and the regularisation apply as you "
            "change them; any other change starts new networks. *This page trains in your browser*: the server "
            "only sends the data and the first weights, so a whole class can play at once.")
live_settings()
cfg, problem = request()
setup = None
if problem:
    st.error(problem)
else:
    setup = session_handout(cfg)
if setup is not None:
    live = {"lr": STATE["lr"], "reg": STATE["reg"] or "none", "reg_rate": STATE["reg_rate"],
            "show_test": STATE["show_test"], "discretize": STATE["discretize"], "view": STATE["view"]}
    st.caption("Each square is a unit's output over the input plane (orange negative, blue positive, each scaled "
               "to its own largest value); lines are weights (blue positive, orange negative, thicker = larger). "
               "✕: a dead unit, 0 on every training point. Hover a unit for its values; the tables under the "
               "pictures hold the same numbers.")
    last_pause(board(setup, live, pg.MAX_EPOCHS), setup)
set_up()
STATE.sync()
