"""Training lab, step by step: every compared activation trains in lockstep, an epoch at a time,
as TensorFlow Playground trains one network; Play, Pause, Step and Reset, the network drawn unit by
unit, every setting in the link.

Widgets build a ``Config`` (``training.playground.setup``); the session keeps a
``training.lockstep.Playground`` (the networks and their optimiser), which trains in a thread of its
own while playing; a fragment redraws ``charts.playground``'s figures of it every ``TICK`` seconds."""
import pandas as pd
import streamlit as st

from app_shell import chart
from charts.playground import network, outputs, short_name
from runtime import page_state
from runtime.page_state import (
    DATA_NAMES,
    INIT_CHOICES,
    INIT_LABELS,
    NAMES,
    OPTIMIZER_NAMES,
    PLAY_ACTS,
    PLAY_LEARNING_RATES,
    PLAY_REG_RATES,
    REGULARIZATION_NAMES,
)
from runtime.threads import one_torch_thread
from runtime.url_state import echo
from training import playground as pg
from training.config import OPTIMIZERS
from training.features import NAMES as FEATURES
from training.lockstep import Playground

STATE = page_state.PLAYGROUND.open()
one_torch_thread()
TICK = 0.25  # seconds between redraws while playing
MODEL, PLAYING = "pg_model", "pg_playing"


def regenerate():
    STATE["data_seed"] = (STATE["data_seed"] + 1) % 1_000_000


# -- Set-up ---------------------------------------------------------------------------------------
def data_column():
    st.markdown("**Data**")
    STATE.widget("dataset", st.selectbox, "Data set", pg.DATASETS, format_func=DATA_NAMES.get,
                 help="Two classes (softmax and cross-entropy), or TensorFlow Playground's two regression sets "
                      "(one linear output unit and the squared error).")
    STATE.widget("ratio", st.slider, "Training data (%)", 10, 90, step=10)


def noise_column():
    st.markdown("&nbsp;")
    STATE.widget("noise", st.slider, "Noise", 0.0, 0.5, step=0.05)
    STATE.widget("n", st.slider, "Points", pg.MIN_POINTS, pg.MAX_POINTS, step=50)
    st.button("🎲 Regenerate", on_click=regenerate, help="A new draw of the data (the link records it).")


def network_column():
    st.markdown("**Network**")
    STATE.widget("layers", st.text_input, "Hidden layers (units in each)", max_chars=40,
                 help=f"For example 4, 6, 2: three hidden layers. Empty: no hidden layer (a linear model). "
                      f"Up to {pg.MAX_LAYERS} layers of up to {pg.MAX_UNITS} units.")
    STATE.widget("init", st.selectbox, "Initialisation", INIT_CHOICES, format_func=INIT_LABELS.get)
    STATE.widget("seed", st.number_input, "Weights' draw", 0, 999_999, step=1,
                 help="The seed of the initial weights; every activation starts from the same draws.")


def training_column():
    st.markdown("**Training**")
    STATE.widget("optimizer", st.selectbox, "Optimiser", OPTIMIZERS, format_func=OPTIMIZER_NAMES.get)
    STATE.widget("batch", st.slider, "Batch size", 1, pg.MAX_BATCH)


def setup():
    with st.expander("Set-up: a change here starts new networks", expanded=True):
        STATE.widget("activations", st.multiselect, "Activations, side by side", PLAY_ACTS, format_func=NAMES.get,
                     max_selections=pg.MAX_ACTIVATIONS)
        STATE.widget("features", st.pills, "Input features", list(FEATURES), selection_mode="multi",
                     format_func=FEATURES.get, help="What the networks see of each point (x₁, x₂).")
        for column, draw in zip(st.columns(4), (data_column, noise_column, network_column, training_column)):
            with column:
                draw()
        st.caption(f"So that a class can share this server: up to {pg.MAX_POINTS:,} points, {pg.MAX_LAYERS} hidden "
                   f"layers of up to {pg.MAX_UNITS} units, {pg.MAX_ACTIVATIONS} activations, batches of up to "
                   f"{pg.MAX_BATCH}; a run pauses at epoch {pg.MAX_EPOCHS:,}. CReLU and Maxout change a layer's "
                   "width and are not drawn here: compare them in the Training lab.")


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
                   regularization=STATE["reg"] or "none", reg_rate=STATE["reg_rate"])
    try:
        pg.check(cfg)
    except ValueError as e:
        return None, f"{str(e)[:1].upper()}{str(e)[1:]}."
    return cfg, None


def session_model(cfg) -> Playground | None:
    """The session's networks: kept while only the learning rate or the regularisation changes,
    new (at epoch 0, paused) for any other change. While playing they train in their own thread
    (``Playground.start``); the board only draws them."""
    m = st.session_state.get(MODEL)
    if m is not None and m.same_network(cfg):
        m.set_live(cfg.lr, cfg.regularization, cfg.reg_rate)
        return m
    try:
        m = Playground(cfg)
    except (ValueError, KeyError) as e:
        st.error(f"These settings can't train: {str(e).strip(chr(39))}.")
        return None
    old = st.session_state.get(MODEL)
    if old is not None:
        old.stop()
    st.session_state[MODEL], st.session_state[PLAYING] = m, False
    return m


# -- Play ---------------------------------------------------------------------------------------
def set_playing(on: bool):
    """Play or Pause: a full run, which starts or stops the board's timer. Play and Pause are two
    buttons that each set one state, so a click the browser's merged requests deliver twice still
    acts once."""
    if st.session_state.get(PLAYING, False) == on:
        return
    st.session_state[PLAYING] = on
    m = st.session_state[MODEL]
    m.start() if on else m.stop()
    st.rerun()


def step_one():
    st.session_state[MODEL].step(1)


def reset():
    """New networks from the same draws, paused at epoch 0."""
    was_playing = st.session_state.get(PLAYING, False)
    old = st.session_state[MODEL]
    old.stop()
    st.session_state[MODEL], st.session_state[PLAYING] = Playground(old.cfg), False
    if was_playing:
        st.rerun()


def controls(m: Playground, playing: bool) -> None:
    bar = st.container(horizontal=True, vertical_alignment="center")
    if playing:
        bar.button("⏸ Pause", key="pg_pause", type="primary", on_click=set_playing, args=(False,))
    else:
        bar.button("▶ Play", key="pg_play", type="primary", on_click=set_playing, args=(True,), disabled=m.finished)
    bar.button("Step one epoch", key="pg_step", on_click=step_one, disabled=playing or m.finished)
    bar.button("↺ Reset", key="pg_reset", on_click=reset)
    if playing:
        m.touch()
        if m.finished:  # the cap: pause, with a full run to stop the timer
            st.session_state[PLAYING] = False
            m.stop()
            st.rerun(scope="app")
        if not m.playing:  # stopped while no one watched (IDLE): go on
            m.start()
    bar.markdown(f"### Epoch {m.epoch:,}")
    STATE.widget("show_test", bar.toggle, "Show test data")
    STATE.widget("discretize", bar.toggle, "Discretize output")


def live_settings() -> None:
    """What applies without a reset, as in Playground's top bar: learning rate, regularisation, and
    how the output is shown."""
    c1, c2, c3 = st.columns(3)
    STATE.widget("lr", c1.select_slider, "Learning rate", PLAY_LEARNING_RATES)
    STATE.widget("reg", c2.segmented_control, "Regularisation", list(REGULARIZATION_NAMES),
                 format_func=REGULARIZATION_NAMES.get,
                 help="On the weights, not the biases. L2 adds rate × w to each weight's gradient; L1 shrinks each "
                      "weight towards 0 by learning rate × rate after each step, and holds it at exactly 0 once it "
                      "gets there.")
    STATE.widget("reg_rate", c3.select_slider, "Regularisation rate", PLAY_REG_RATES)


def readout(v) -> str:
    """One Markdown table: each activation's losses, errors and dead units."""
    head = "| | training loss | test loss |" + ("" if v.regression else " training error | test error |") + " dead units |"
    rows = [head, "|---" * (head.count("|") - 1) + "|"]
    for k, slug in enumerate(v.entries):
        dead = sum(int(d[k].sum()) for d in v.dead)
        cells = [short_name(slug), f"{v.train_loss[k]:.4f}", f"{v.test_loss[k]:.4f}"]
        if not v.regression:
            cells += [f"{v.train_error[k]:.1%}", f"{v.test_error[k]:.1%}"]
        cells.append(f"{dead} of {sum(v.widths)}" if v.widths else "–")
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


def drawn_network(entries: list[str]) -> int:
    """Which compared network is drawn: the chosen one while it is compared, else the first (the
    choice itself is kept, so a link that names another activation reopens as it was)."""
    label = "Network drawn"
    if STATE["view"] in entries:
        return entries.index(STATE.widget("view", st.segmented_control, label, entries, format_func=short_name)
                             or entries[0])
    key = "pg_view_" + "_".join(entries)

    def pick():
        STATE["view"] = st.session_state[key]

    st.segmented_control(label, entries, format_func=short_name, default=entries[0], key=key, on_change=pick)
    return 0


def board(playing: bool) -> None:
    """Controls, the epoch, every activation's output and the chosen network, redrawn every
    ``TICK`` seconds while playing (a fragment: nothing else reruns)."""
    @st.fragment(run_every=TICK if playing else None)
    def live():
        m = st.session_state.get(MODEL)
        if m is None:
            return
        now_playing = st.session_state.get(PLAYING, False)
        for name, first in (("reg", "none"), ("view", m.cfg.activations[0])):
            if STATE[name] is None:  # a segmented control clicked off: back to a choice, so the link stays valid
                STATE[name] = first
        m.set_live(STATE["lr"], STATE["reg"], STATE["reg_rate"])
        controls(m, now_playing)
        live_settings()
        v = m.view()
        bad = [f"{short_name(s)} at epoch {int(d)}" for s, d in zip(v.entries, v.diverged_at) if d >= 0]
        if bad:
            st.warning(f"Diverged (the loss became NaN or infinite): {', '.join(bad)}. Lower the learning rate "
                       "and press Reset; the other networks go on.", icon="⚠️")
        if m.finished:
            st.info(f"Paused at epoch {pg.MAX_EPOCHS:,}, this server's cap for one run. Reset to start again.")
        chart(outputs(v, STATE["discretize"]), key="pg_outputs")
        k = drawn_network(list(v.entries))
        chart(network(v, k, STATE["discretize"], STATE["show_test"]), key="pg_network")
        st.caption("Each square is a unit's output over the input plane (orange negative, blue positive, each scaled "
                   "to its own largest value); lines are weights (blue positive, orange negative, thicker = larger). "
                   "✕: a dead unit, 0 on every training point. Hover a unit or a weight for its values.")
        st.markdown(readout(v))
        if not now_playing:
            with st.expander(f"Every unit of the {short_name(v.entries[k])} network"):
                st.dataframe(pd.DataFrame(v.unit_rows(k)), hide_index=True)
        STATE.sync()

    live()


STATE.title("🎛️ Training lab: step by step")
st.markdown("Press **Play** and watch every chosen activation learn the same data, batch by batch in lockstep, "
            "from the same random draws for the weights (scaled by each activation's usual initialisation), as "
            "TensorFlow Playground trains one network. **Pause** and **Step** an "
            "epoch at a time; going on keeps the optimiser's state, so the weights are those of one uninterrupted "
            "run. The learning rate and the regularisation apply as you change them; any other change starts "
            "a new network.")
setup()
cfg, problem = request()
model = None
if problem:
    st.error(problem)
else:
    model = session_model(cfg)
STATE.sync()
if model is not None:
    board(st.session_state.get(PLAYING, False))
