"""Training lab: train K activations × S seeds side by side and watch the curves grow.

Widgets build a ``training.config.Config``; a ``training.runner.Run`` trains it in a background
thread (server-wide slot limit); a fragment polls the run's latest snapshot and redraws."""
import numpy as np
import pandas as pd
import streamlit as st
import torch

from activations import REGISTRY, initialisation
from app_shell import chart, ensure_navigation
from charts import training as figures
from training.datasets import NAMES, TOY_2D, parse_csv
from training.config import INITS, MAX_DEPTH, MAX_EPOCHS, MAX_MODELS, MAX_WIDTH, OPTIMIZERS, Config
from training.export import export_script
from training.presets import PRESETS
from training.runner import MAX_CONCURRENT, Run, configure_threads

ensure_navigation()
configure_threads()
CUSTOM, UPLOAD = "Custom", "upload (CSV)"
DEFAULTS = dict(dataset="moons", n=1000, noise=0.2, classes=2, model="mlp", depth=2, width=16,
                activations=["relu", "tanh"], seeds=3, init="usual", optimizer="adam", lr=0.01, epochs=300,
                batch_size=0, target_error=0.25)


def apply_preset():
    """Copy the chosen preset into the widgets' state."""
    values = {**DEFAULTS, **PRESETS.get(st.session_state.tl_preset, {})}
    values["activations"] = list(values["activations"])
    for k, v in values.items():
        st.session_state[f"tl_{k}"] = v
    st.query_params["preset"] = st.session_state.tl_preset


if "tl_dataset" not in st.session_state:  # first visit: defaults, or the preset named in the URL
    st.session_state.tl_preset = st.query_params.get("preset", CUSTOM) if st.query_params.get("preset") in PRESETS \
        else CUSTOM
    apply_preset()

st.title("🏋️ Training lab")
st.markdown("Train several activations side by side, from the same data and, per seed, the same initial "
            "weights, and compare how fast they learn. Krizhevsky et al. (2012, fig. 1) found a four-layer "
            "conv net with ReLUs reached 25 % training error six times faster than one with tanh units.")

device_options = ["cpu", "cuda"] if torch.cuda.is_available() else ["cpu"]
st.selectbox("Preset", [CUSTOM, *PRESETS], key="tl_preset", on_change=apply_preset)

with st.expander("Set-up", expanded=True):
    c1, c2, c3, c4 = st.columns(4)
    with c1:
        st.markdown("**Data**")
        dataset = st.selectbox("Data set", [*NAMES, UPLOAD], key="tl_dataset",
                               help="2-D toy sets, scikit-learn's 8×8 digits and breast-cancer sets, or your own CSV.")
        toy = dataset in TOY_2D
        st.slider("Points", 100, 5000, step=100, key="tl_n", disabled=not toy)
        st.slider("Noise", 0.0, 1.0, step=0.05, key="tl_noise", disabled=not toy)
        st.slider("Classes (softmax + cross-entropy)", 2, 5, key="tl_classes", disabled=dataset not in ("spiral", "blobs"))
        upload = st.file_uploader("CSV: x, y, label", type=["csv", "txt"], key="tl_upload") if dataset == UPLOAD else None
    with c2:
        st.markdown("**Model**")
        model = st.radio("Network", ["mlp", "conv"], key="tl_model", horizontal=True,
                         format_func={"mlp": "MLP", "conv": "conv net (digits)"}.get)
        depth = st.slider("Hidden layers", 1, MAX_DEPTH, key="tl_depth")
        st.slider("Width (units / channels)", 2, MAX_WIDTH, key="tl_width")
        st.selectbox("Initialisation", INITS, key="tl_init", format_func=initialisation.LABELS.get,
                     help=initialisation.HELP)
    with c3:
        st.markdown("**Activations**")
        st.multiselect("Compare", list(REGISTRY), key="tl_activations", format_func=lambda s: REGISTRY[s].name)
        per_layer = st.toggle("Add a network with one activation per layer", key="tl_per_layer")
        layer_acts = [st.selectbox(f"Layer {l + 1}", list(REGISTRY), key=f"tl_layer_{l}",
                                   format_func=lambda s: REGISTRY[s].name) for l in range(depth)] if per_layer else []
        st.slider("Seeds", 1, 10, key="tl_seeds")
    with c4:
        st.markdown("**Training**")
        st.selectbox("Optimiser", OPTIMIZERS, key="tl_optimizer",
                     format_func={"sgd": "SGD", "momentum": "SGD + momentum 0.9", "adam": "Adam"}.get)
        st.select_slider("Learning rate", [0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.05, 0.1, 0.3, 1.0, 3.0], key="tl_lr")
        st.slider("Epochs", 1, MAX_EPOCHS, key="tl_epochs")
        st.number_input("Batch size (0 = full batch)", 0, 5000, step=32, key="tl_batch_size")
        st.slider("Target training error", 0.01, 0.5, step=0.01, key="tl_target_error")
        device = st.radio("Device", device_options, key="tl_device", horizontal=True,
                          format_func={"cpu": "CPU", "cuda": "GPU (CUDA)"}.get)

s = st.session_state
entries = tuple(s.tl_activations) + (("+".join(layer_acts),) if per_layer else ())
cfg = Config(dataset="custom" if dataset == UPLOAD else dataset, n=s.tl_n, noise=s.tl_noise, classes=s.tl_classes,
             model=model, depth=depth, width=s.tl_width, activations=tuple(dict.fromkeys(entries)), seeds=s.tl_seeds,
             init=s.tl_init, optimizer=s.tl_optimizer, lr=s.tl_lr, epochs=s.tl_epochs, batch_size=s.tl_batch_size,
             target_error=s.tl_target_error, device=device)
data, problem = None, None
if dataset == UPLOAD:
    if upload is None:
        problem = "Upload a CSV with three columns x, y, label (up to 2,000 rows) to train on your own points."
    else:
        try:
            data = parse_csv(upload.getvalue())
        except ValueError as e:
            problem = f"That file can't be used: {e}."
if problem is None:
    try:
        cfg.validate(data)
    except (ValueError, KeyError) as e:
        problem = str(e).strip("'\"")

run = s.get("tl_run")
busy = run is not None and not run.finished
b1, b2, b3 = st.columns([1, 1, 6])
if b1.button("Train", type="primary", disabled=busy or problem is not None):
    s.tl_run = run = Run(cfg, data)
    busy = True
if b2.button("Stop", disabled=not busy):
    run.stop()
if problem:
    (st.info if dataset == UPLOAD and upload is None else st.error)(problem)
b3.caption(f"Device: **{cfg.device.upper()}**" + ("" if torch.cuda.is_available() else " (no GPU on this server)")
           + f" · {torch.get_num_threads()} torch thread(s) · at most {MAX_CONCURRENT} runs train at once "
           f"on this server, later ones queue · caps: {MAX_MODELS} models, {MAX_EPOCHS} epochs")


def show(run: Run) -> None:
    if run.state == "queued":
        st.info("Queued: the server is training other comparisons; yours starts when a slot frees up.")
    elif run.state == "error":
        st.error(f"Training failed: {run.error}")
    r = run.latest
    if r is None:
        return
    st.progress(run.progress, text=f"{run.state}: step {r.step} of {r.steps} · {r.elapsed:.1f} s on {r.device.upper()}")
    if (r.diverged_at >= 0).any():
        st.warning("Diverged (loss became NaN or infinite): " + "; ".join(
            f"{r.label(m)} at step {d}" for m, d in enumerate(r.diverged_at) if d >= 0) + ". The other runs go on.")
    if not len(r.loss):
        return
    figs = st.session_state.get("tl_figs")
    if figs is None or figs[0] is not r:  # rebuild only for a new snapshot: keeps the GIL for training
        d = r.trainer.data
        bound = figures.boundaries(r, d.x_train.cpu().numpy(), d.y_train.cpu().numpy()) if r.grid_probs is not None \
            else None
        figs = st.session_state.tl_figs = (r, figures.curves(r), figures.internals(r), bound)
    chart(figs[1], key="tl_curves")
    chart(figs[2], key="tl_internals")
    if figs[3] is not None:
        st.markdown("**Decision boundaries** (seed 0; colour = P(class 1), or the predicted class)")
        chart(figs[3], key="tl_bound")


running = run is not None and not run.finished


@st.fragment(run_every=0.25 if running else None)  # four redraws a second while training
def live():
    current = st.session_state.get("tl_run")
    if current is None:
        return
    show(current)
    if running and current.finished:
        st.rerun()  # one full rerun to draw the results and stop polling


live()

if run is not None and run.finished and run.latest is not None and len(run.latest.loss):
    r = run.latest
    st.subheader("Results")
    table = pd.DataFrame(r.summary())
    st.dataframe(table, hide_index=True)
    st.caption(f"Mean over {r.seeds} seed(s). Speed-up vs tanh = tanh's steps to the target ÷ this one's "
               "(Krizhevsky et al. report about 6 for ReLU). Seconds are the batched run's clock.")
    d1, d2 = st.columns(2)
    d1.download_button("Results (CSV)", table.to_csv(index=False), "relu_lab_results.csv", "text/csv")
    d2.download_button("Standalone PyTorch script", export_script(r.config, run.data), "relu_lab_comparison.py",
                       "text/x-python", help="Rebuilds the data, models and training loop with the same seeds.")
    with st.expander("Gradient norm per layer (latest step)"):
        chart(figures.grad_norms(r), key="tl_grads")
    if r.grid is not None:
        st.subheader("Every hidden unit over the plane")
        u1, u2 = st.columns([1, 3])
        m = u1.selectbox("Network", range(len(r.entries) * r.seeds), format_func=r.label, key="tl_unit_model")
        u1.caption("Each small square is one unit's output over the input plane; a dead unit is flat (grey).")
        n = 30
        lo, hi = r.grid.min(0), r.grid.max(0)
        gx, gy = np.meshgrid(np.linspace(lo[0], hi[0], n), np.linspace(lo[1], hi[1], n))
        grid = torch.tensor(np.c_[gx.ravel(), gy.ravel()], dtype=torch.float32)
        chart(figures.units(r.trainer.hidden_outputs(grid, m), n), key="tl_units", where=u2)
