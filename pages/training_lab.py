"""Training lab: train K activations × S seeds side by side and watch the curves grow.

Widgets build a ``training.config.Config``; ``training.runner`` trains it in one of the server's
worker processes (a bounded pool fed by a queue); ``runtime.live.watch`` polls the run, and the
figures are built only for a new snapshot."""
import pandas as pd
import streamlit as st

from app_shell import chart, focus
from charts.training import grad_norms, live_figures, units
from runtime import page_state
from runtime.live import watch
from runtime.page_state import UPLOAD
from runtime.runs import place, session_alive
from runtime.url_state import echo
from training.config import HARD_SECONDS, MAX_EPOCHS, MAX_MEMORY, MAX_MODELS, MAX_SECONDS, Config, Cost
from training.datasets import TOY_2D, BadFile, Dataset, parse_csv
from training.engine import UNIT_PICTURE_SIDE, devices
from training.export import export_script
from training.metrics import revivals
from training.presets import PRESETS
from training.result import Result
from training.runner import MAX_CONCURRENT, Job, QueueFull, threads, train_in_background

STATE = page_state.TRAINING.open()
#: The widgets' settings that go to ``Config`` as they are.
SETTINGS = ("n", "noise", "classes", "model", "depth", "width", "seeds", "init", "optimizer", "lr", "epochs",
            "batch_size", "target_error")
BOUNDARY_NOTE = ("**Decision boundaries** (seed 0; colour = P(class 1): orange class 0, blue class 1; "
                 "with more classes, the predicted class; the colour bar is the key)")


def apply_preset():
    """Copy the chosen preset into the settings (the others back to their defaults)."""
    chosen = PRESETS.get(STATE["preset"], {})
    for f in STATE.fields():
        if f.name not in ("preset", "present", "hide") and not f.name.startswith("layer_"):
            value = chosen.get(f.name, f.default)
            STATE[f.name] = list(value) if isinstance(value, tuple) else value


# -- Set-up -------------------------------------------------------------------------------------
def data_column():
    """Returns the uploaded file, if the data set is the student's own."""
    st.markdown("**Data**")
    dataset = STATE.input("dataset")
    toy = dataset in TOY_2D
    STATE.input("n", disabled=not toy)
    STATE.input("noise", disabled=not toy)
    STATE.input("classes", disabled=dataset not in ("spiral", "blobs"))
    return st.file_uploader("CSV: x, y, label", type=["csv", "txt"], key="tl_upload") if dataset == UPLOAD else None


def model_column():
    st.markdown("**Model**")
    STATE.input("model", horizontal=True)
    STATE.input("depth")
    STATE.input("width")
    STATE.input("init")


def activations_column():
    st.markdown("**Activations**")
    if STATE.input("per_layer"):
        for l in range(STATE["depth"]):
            STATE.input(f"layer_{l}")
    STATE.input("seeds")


def training_column():
    st.markdown("**Training**")
    STATE.input("optimizer")
    STATE.input("lr")
    STATE.input("epochs")
    STATE.input("batch_size")
    STATE.input("target_error")
    if STATE["device"] not in devices():
        st.caption("This server has no GPU: the link's device, CUDA, falls back to the CPU.")
        STATE["device"] = "cpu"
    STATE.input("device", options=devices(), horizontal=True)


def fold_setup():
    """Train folds the Set-up panel away, so the live curves come into view."""
    st.session_state["tl_setup"] = False


def setup():
    """The Set-up expander, four columns of widgets (open until Train folds it). Returns the uploaded
    file, if any."""
    with st.expander("Set-up", expanded=st.session_state.get("tl_setup", True), key="tl_setup", on_change="rerun"):
        # Full width: in a quarter column the chosen activations' chips shrink to "R." at 1024 px.
        STATE.input("activations")
        c1, c2, c3, c4 = st.columns(4)
        with c1:
            upload = data_column()
        with c2:
            model_column()
        with c3:
            activations_column()
        with c4:
            training_column()
    return upload


def config() -> Config:
    """The comparison the widgets describe."""
    per_layer = ("+".join(STATE[f"layer_{l}"] for l in range(STATE["depth"])),) if STATE["per_layer"] else ()
    settings = {k: STATE[k] for k in SETTINGS}
    settings.update(dataset="custom" if STATE["dataset"] == UPLOAD else STATE["dataset"],
                    activations=tuple(dict.fromkeys((*STATE["activations"], *per_layer))), device=STATE["device"])
    return Config(**settings)


def check(cfg: Config, upload) -> tuple[Dataset | None, Cost | None, str | None]:
    """The student's data (for an upload, parsed here once), the request's cost once it is valid (the
    one validation: the run takes it along), and what stops this request from training, if anything."""
    data = None
    if STATE["dataset"] == UPLOAD:
        if upload is None:
            return None, None, "Upload a CSV with three columns x, y, label (up to 2,000 rows) to train on your own points."
        try:
            data = parse_csv(upload.getvalue())
        except BadFile as e:  # the student's text only through echo: it can never render as Markdown
            return None, None, f"That file can't be used: {e.reason}" + (f": {echo(e.excerpt)}" if e.excerpt else ".")
    try:
        return data, cfg.validate(data), None
    except (ValueError, KeyError) as e:
        return data, None, str(e).strip("'\"")


def controls(cfg: Config, cost: Cost | None, data: Dataset | None, problem: str | None, waiting: bool
             ) -> Job | None:
    """Train and Stop, the reason training is not possible, and the server's limits. Returns the
    session's run, a new one if Train was pressed."""
    run = st.session_state.get("tl_run")
    busy = run is not None and not run.finished
    b1, b2, b3 = st.columns([1, 1, 6])
    if b1.button("Train", key="tl_train", type="primary", disabled=busy or problem is not None,
                 on_click=fold_setup):
        try:
            st.session_state.tl_run = run = train_in_background(cfg, cost, data, alive=session_alive())
            st.session_state.tl_run_data, busy = data, True
            st.session_state.tl_focus_back = run.id
            focus("tl_stop")  # Train is disabled now: the keyboard goes on from Stop
        except QueueFull as e:
            st.warning(f"{e}.")
    if b2.button("Stop", key="tl_stop", disabled=not busy):
        run.stop()
        focus("tl_train")  # and back to Train once the run has stopped
    elif run is not None and run.finished and st.session_state.get("tl_focus_back") == run.id:
        st.session_state.tl_focus_back = None
        focus("tl_train", only_if_lost=True)  # the run ended by itself: Stop, disabled, dropped the focus
    if problem:
        (st.info if waiting else st.error)(problem)
    b3.caption(f"Device: **{cfg.device.upper()}**" + ("" if "cuda" in devices() else " (no GPU on this server)")
               + f" · {threads()} torch thread(s) a run · at most {MAX_CONCURRENT} runs train at once "
               f"on this server, later ones queue · caps: {MAX_MODELS} models, {MAX_EPOCHS} epochs, about "
               f"{MAX_SECONDS:.0f} s of CPU and {MAX_MEMORY / 1e9:g} GB a run")
    return run


# -- While it trains ----------------------------------------------------------------------------
STOPPED = {"idle": "Stopped: this page stopped asking for it, so the server gave its place to others.",
           "time": f"Stopped at the server's cap of {HARD_SECONDS:.0f} s of CPU time a run.",
           "exit": "Stopped: the server is shutting down."}


def show(run: Job) -> None:
    """State, progress bar, diverged runs and the live figures of the run's latest snapshot."""
    if run.state == "queued":
        at_once = "one comparison" if MAX_CONCURRENT == 1 else f"{MAX_CONCURRENT} comparisons"
        st.info(f"Queued: {place(run)}. The server trains {at_once} at once; yours starts when one ends.",
                icon=":material/hourglass_top:")
        return
    if run.state == "error":
        st.error(f"Training failed: {run.error}")
    elif run.state == "stopped" and run.why_stopped in STOPPED:
        st.warning(STOPPED[run.why_stopped])
    r = run.latest
    if r is None:
        if run.state == "running":
            st.progress(0.0, text="Starting…")
        return
    st.progress(run.progress, text=f"{run.state}: step {r.step} of {r.steps} · {r.elapsed:.1f} s on {r.device.upper()}")
    if (r.diverged_at >= 0).any():
        st.warning("Diverged (loss became NaN or infinite): " + "; ".join(
            f"{r.label(m)} at step {d}" for m, d in enumerate(r.diverged_at) if d >= 0) + ". The other runs go on.")
    if not len(r.loss):
        return
    owner, figs = st.session_state.get("tl_figs", (None, None))
    if owner != run.id or figs.result is not r:  # built once per snapshot
        figs = live_figures(r, figs if owner == run.id else None)
        st.session_state.tl_figs = run.id, figs
    chart(figs.curves, key="tl_curves")
    chart(figs.internals, key="tl_internals")
    came_back(r)
    if figs.boundaries is not None:
        st.markdown(BOUNDARY_NOTE)
        chart(figs.boundaries, key="tl_bound")


WHY_BACK = {
    "adam": "Adam keeps stepping along its running averages of earlier gradients, so a unit whose gradient is "
            "now zero still moves, and can come back.",
    "momentum": "Momentum keeps stepping along earlier gradients, so a unit whose gradient is now zero still "
                "moves, and can come back.",
    "sgd": "Plain SGD leaves a dead unit's own weights alone; a unit in layer 2 or above comes back when the "
           "layers below change its inputs.",
}


def came_back(r) -> None:
    """A teachable moment: layers whose dead fraction fell again (``training.metrics.revivals``)."""
    back = revivals(r.dead, r.log_steps)
    if not back:
        return
    shown = "; ".join(f"{r.label(b.model)}, layer {b.layer + 1}: {b.peak:.0%} of units dead at step {b.peak_step}, "
                      f"{b.end:.0%} at step {int(r.log_steps[-1])}" for b in back[:5])
    more = f" (and {len(back) - 5} more layers)" if len(back) > 5 else ""
    st.info(f"**Dead units came back.** {shown}{more}. A dead unit outputs 0 on every training input, so its "
            f"gradient is zero. {WHY_BACK[r.config.optimizer]} Death is sure to be permanent only for a first-layer "
            "unit under plain SGD (no momentum, no weight decay): nothing then moves its weights or its inputs.",
            icon=":material/autorenew:")


# -- Results ------------------------------------------------------------------------------------
def results(run: Job) -> None:
    """The summary table, downloads, gradient norms and, for 2-D data, every hidden unit."""
    r = run.latest
    st.subheader("Results")
    table = pd.DataFrame(r.summary())
    st.dataframe(shown(table, r.config.target_error), hide_index=True)
    st.caption(f"Mean over {r.seeds} seed(s); test error ± its standard deviation over the seeds; \"not reached\": "
               "no seed reached the target training error. Speed-up vs tanh = tanh's steps to the target ÷ this one's "
               "(Krizhevsky et al. report about 6 for ReLU). Seconds are the batched run's clock.")
    d1, d2 = st.columns(2)
    d1.download_button("Results (CSV)", table.to_csv(index=False), "relu_lab_results.csv", "text/csv")
    d2.download_button("Standalone PyTorch script", export_script(r.config, st.session_state.get("tl_run_data")),
                       "relu_lab_comparison.py",
                       "text/x-python", help="Rebuilds the data, models and training loop with the same seeds.")
    with st.expander("Gradient norm per layer (latest step)"):
        chart(grad_norms(r), key="tl_grads")
    if r.grid is not None:
        hidden_units(r)


def shown(table: pd.DataFrame, target: float) -> pd.DataFrame:
    """The results as a student reads them (the CSV keeps every digit): errors in per cent, whole
    steps, nothing that reads "None" or "nan", and few enough columns to fit the page."""
    def num(v, fmt, missing="—"):
        return missing if pd.isna(v) else format(v, fmt)

    steps, secs = f"steps to {target:.0%}", f"seconds to {target:.0%}"
    return pd.DataFrame({
        "activation": table["activation"],
        "train loss": [num(v, ".3f") for v in table["final train loss"]],
        "train error": [num(v, ".1%") for v in table["final train error"]],
        "test error": [f"{num(m, '.1%')} ± {num(sd, '.1%')}" for m, sd in zip(table["final test error"],
                                                                        table["test error sd"])],
        steps: [num(v, ".0f", "not reached") for v in table[steps]],
        secs: [num(v, ".2f", "not reached") for v in table[secs]],
        "seeds at target": table["reached target"],
        "speed-up vs tanh": [num(v, ".1f", "—") + ("×" if not pd.isna(v) else "") for v in table["speed-up vs tanh"]],
        "diverged": table["diverged"],
    })


def hidden_units(r: Result) -> None:
    st.subheader("Every hidden unit over the plane")
    u1, u2 = st.columns([1, 3])
    models = len(r.entries) * r.seeds
    STATE["unit_model"] = min(STATE["unit_model"], models - 1)
    m = STATE.input("unit_model", u1, options=range(models), format_func=r.label)
    u1.caption("Each small square is one unit's output over the input plane; a unit that is 0 everywhere on it "
               "is flat (grey). A unit dead on every training point can still fire elsewhere on the plane.")
    chart(units(r.unit_outputs(m), UNIT_PICTURE_SIDE), key="tl_units", where=u2)


STATE.title()
st.markdown("Train several activations side by side, from the same data and, per seed, the same random draws "
            "for the weights, scaled by each activation's usual initialisation (pick one initialisation for all "
            "and the initial weights are identical), and compare how fast they learn. Krizhevsky et al. (2012, "
            "fig. 1) found a four-layer conv net with ReLUs reached 25 % training error six times faster than one "
            "with tanh units.")
STATE.input("preset", on_change=apply_preset)
uploaded = setup()
request = config()
data, cost, problem = check(request, uploaded)
run = controls(request, cost, data, problem, waiting=STATE["dataset"] == UPLOAD and uploaded is None)
STATE.sync()
watch(lambda: st.session_state.get("tl_run"), show)
if run is not None and run.finished and run.latest is not None and len(run.latest.loss):
    results(run)
