"""A comparison's results: ``Result`` (final, or a snapshot for the progress callback) and
``History``, the records a run writes in place and copies out into each ``Result``."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import numpy as np
import torch

from activations import display_name

from .config import Config

if TYPE_CHECKING:
    from .engine import Trainer


@dataclass
class Result:
    """A comparison's state: final, or a snapshot handed to the progress callback.

    Arrays are indexed by model m = entry · seeds + seed. ``loss``/``train_error`` hold every
    step's full-batch (or mini-batch) value; the rest are logged every ``log_every`` steps at
    ``log_steps``: ``test_error`` (evaluation mode), ``dead`` and ``grad_norm`` (models, layers),
    ``prelu_slope`` (mean learned slope per layer; NaN where the layer has no PReLU)."""
    config: Config
    device: str
    entries: tuple[str, ...]
    steps: int
    step: int = 0
    elapsed: float = 0.0
    loss: np.ndarray | None = None  # (step, models)
    train_error: np.ndarray | None = None
    times: np.ndarray | None = None  # seconds since the start, per step
    log_steps: np.ndarray | None = None
    test_error: np.ndarray | None = None  # (logs, models)
    dead: np.ndarray | None = None  # (logs, models, layers)
    grad_norm: np.ndarray | None = None
    prelu_slope: np.ndarray | None = None
    diverged_at: np.ndarray | None = None  # (models,), -1 if finite throughout
    grid: np.ndarray | None = None  # (P, 2) for 2-D sets
    grid_probs: np.ndarray | None = None  # (models, P, classes)
    points: tuple[np.ndarray, np.ndarray] | None = None  # 2-D sets: the training inputs and labels, for drawing
    #: final, 2-D sets: per model, per layer, float16 (UNIT_PICTURE_SIDE² points, the first UNIT_COLUMNS units)
    units: list[list[np.ndarray]] | None = None
    stopped: bool = False
    done: bool = False
    trainer: "Trainer | None" = field(default=None, repr=False)  # in the process that trained it only

    @property
    def seeds(self) -> int:
        return self.config.seeds

    def training_points(self) -> tuple[np.ndarray, np.ndarray]:
        """The training inputs and labels, as NumPy arrays for drawing."""
        if self.points is not None:
            return self.points
        data = self.trainer.raw
        return data.x_train.cpu().numpy(), data.y_train.cpu().numpy()

    def unit_outputs(self, m: int) -> list[np.ndarray]:
        """Model m's hidden units over the UNIT_PICTURE_SIDE × UNIT_PICTURE_SIDE plane (``units``), one
        (points, units) array per layer."""
        return [layer.astype(np.float32) for layer in self.units[m]]

    def portable(self) -> "Result":
        """This result without the models (``trainer``): what a worker process sends."""
        return replace(self, trainer=None)

    def label(self, m: int) -> str:
        return f"{display_name(self.entries[m // self.seeds])} / seed {self.config.seed + m % self.seeds}"

    def steps_to_target(self, target: float | None = None) -> np.ndarray:
        """First step (1-based) whose training error is ≤ target, per model; NaN if never."""
        target = self.config.target_error if target is None else target
        hit = self.train_error <= target
        return np.where(hit.any(0), hit.argmax(0) + 1.0, np.nan) if len(hit) else np.full(len(self.diverged_at), np.nan)

    def seconds_to_target(self) -> np.ndarray:
        """Wall time at that step. All models train together, so this is the batched run's clock."""
        s = self.steps_to_target()
        return np.where(np.isnan(s), np.nan, self.times[np.nan_to_num(s, nan=1).astype(int) - 1])

    def summary(self) -> list[dict]:
        """One row per activation: final errors (mean ± sd over seeds), steps and seconds to
        the target training error, speed-up against tanh (tanh's steps ÷ this one's), diverged runs."""
        S, rows = self.seeds, []
        steps, secs = self.steps_to_target(), self.seconds_to_target()
        tanh = self.entries.index("tanh") if "tanh" in self.entries else None
        mean = lambda a: float(np.nanmean(a)) if np.isfinite(a).any() else float("nan")  # noqa: E731
        sd = lambda a: float(np.nanstd(a)) if np.isfinite(a).any() else float("nan")  # noqa: E731
        for i, entry in enumerate(self.entries):
            sl = slice(i * S, (i + 1) * S)
            div = [f"seed {self.config.seed + j} at step {int(d)}" for j, d in enumerate(self.diverged_at[sl]) if d >= 0]
            row = {"activation": display_name(entry),
                   "final train loss": mean(self.loss[-1, sl]), "final train error": mean(self.train_error[-1, sl]),
                   "final test error": mean(self.test_error[-1, sl]), "test error sd": sd(self.test_error[-1, sl]),
                   f"steps to {self.config.target_error:.0%}": mean(steps[sl]),
                   f"seconds to {self.config.target_error:.0%}": mean(secs[sl]),
                   "reached target": f"{int(np.isfinite(steps[sl]).sum())}/{S}",
                   "speed-up vs tanh": (mean(steps[tanh * S:(tanh + 1) * S]) / mean(steps[sl])) if tanh is not None
                   else float("nan"),
                   "diverged": "; ".join(div) or "none"}
            rows.append(row)
        return rows


class History:
    """A run's records, written in place into tensors allocated up front on the run's device, in
    group order: every step's loss and training error, and at each logged step the test error
    and the (models, layers) statistics. ``result`` copies them out in model order."""

    def __init__(self, steps: int, max_logs: int, models: int, layers: int, device):
        nan = lambda *shape: torch.full(shape, float("nan"), device=device)  # noqa: E731
        self.loss, self.train_error, self.test_error = nan(steps, models), nan(steps, models), nan(max_logs, models)
        self.dead, self.grad_norm, self.prelu_slope = (nan(max_logs, models, layers) for _ in range(3))
        self.times = np.zeros(steps)  # seconds since the start, per step
        self.log_steps: list[int] = []

    def log(self, step: int, test_error: torch.Tensor, stats: tuple) -> None:
        k = len(self.log_steps)
        self.test_error[k] = test_error
        self.dead[k], self.grad_norm[k], self.prelu_slope[k] = stats
        self.log_steps.append(step)

    def result(self, res: Result, step: int, model_order, **changes) -> Result:
        """A fresh Result for the first ``step`` steps (the previous snapshot stays valid for whoever
        is reading it: rows already written never change)."""
        k = len(self.log_steps)
        out = lambda t: model_order(t, 1).cpu().numpy()  # noqa: E731
        loss = out(self.loss[:step])
        bad = ~np.isfinite(loss)
        diverged_at = np.where(bad.any(0), bad.argmax(0) + 1, -1) if step else np.full(loss.shape[1], -1)
        return replace(res, step=step, elapsed=self.times[step - 1] if step else 0.0, loss=loss,
                       train_error=out(self.train_error[:step]), times=self.times[:step],
                       log_steps=np.array(self.log_steps), test_error=out(self.test_error[:k]),
                       dead=out(self.dead[:k]), grad_norm=out(self.grad_norm[:k]),
                       prelu_slope=out(self.prelu_slope[:k]), diverged_at=diverged_at, **changes)
