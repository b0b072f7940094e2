"""How a unit dies: one hidden layer trained by full-batch gradient descent on a real data set,
recording after every step each unit's pre-activations over the training split (as histograms),
its bias, and which units are dead.

Everything is measured on the training split, the inputs the loss sees (the test split only
gives the accuracy at the end). A unit is dead when its output is exactly zero for every
training input (``training.metrics.dead_units``): no input the loss sees then sends a gradient
through it, so plain gradient descent (no momentum, no weight decay) never updates its incoming
weights or bias again, and as its inputs are the data themselves, it stays dead. A unit is *off*
when its pre-activation is negative for every training input; for ReLU that is the same as dead,
for Leaky ReLU, ELU or PReLU it is not: they still pass a gradient back and the unit can come
back.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import torch
import torch.nn.functional as F

from activations import REGISTRY
from training.datasets import load
from training.metrics import dead_units

#: The two causes the seeds name (seed 003), each with settings that show it on the default
#: data set, plus a healthy baseline.
PRESETS = {
    "healthy": dict(label="Healthy start", lr=0.5, init_bias=0.0),
    "high_lr": dict(label="High learning rate", lr=1.2, init_bias=0.0),
    "negative_bias": dict(label="Large negative bias", lr=0.5, init_bias=-3.0),
}

BINS = 60


@dataclass(frozen=True)
class DyingRun:
    act: str
    edges: np.ndarray  # (BINS + 1,) histogram bin edges for the pre-activations
    hist: np.ndarray  # (steps + 1, units, BINS) counts of z over the training split, per unit
    bias: np.ndarray  # (steps + 1, units)
    dead: np.ndarray  # (steps + 1, units) bool: output exactly 0 on every training input
    off: np.ndarray  # (steps + 1, units) bool: pre-activation < 0 on every training input
    z_max: np.ndarray  # (steps + 1, units) largest pre-activation over the training split
    loss: np.ndarray  # (steps + 1,) training loss before each step (last entry: after training)
    accuracy: float  # on the test split after training
    diverged_at: int | None = None  # the step whose loss was not finite; the run stops there

    @property
    def steps(self) -> int:
        return len(self.loss) - 1

    @property
    def dead_fraction(self) -> np.ndarray:
        return self.dead.mean(axis=1)

    @property
    def off_fraction(self) -> np.ndarray:
        return self.off.mean(axis=1)


def train(act: str = "relu", lr: float = 0.5, init_bias: float = 0.0, steps: int = 100, width: int = 16,
          data: str = "digits", seed: int = 0, params: dict | None = None) -> DyingRun:
    """Train ``data`` → Linear(width) → act → Linear(classes) with plain gradient descent on the
    full training split, and record every step's pre-activations on that split. Hidden weights:
    He normal, hidden biases all ``init_bias``; the same seed gives the same weights whatever the
    activation. The histograms' bins span every pre-activation of the run."""
    if not np.isfinite(lr) or lr <= 0:
        raise ValueError("the learning rate must be a positive number")
    ds = _load(data, seed)
    g = torch.Generator().manual_seed(seed)
    w1 = torch.nn.init.kaiming_normal_(torch.empty(width, ds.n_features), nonlinearity="relu", generator=g)
    b1 = torch.full((width,), float(init_bias))
    w2 = torch.nn.init.xavier_uniform_(torch.empty(ds.n_classes, width), generator=g)
    b2 = torch.zeros(ds.n_classes)
    f = _module(act, width, params or {})
    tensors = [t.requires_grad_() for t in (w1, b1, w2, b2)] + list(f.parameters())  # PReLU learns a

    zs, biases, dead, losses, diverged_at = [], [], [], [], None
    for step in range(steps + 1):
        z = torch.addmm(b1, ds.x_train, w1.T)  # the training split: the inputs the loss sees
        h = f(z)
        loss = F.cross_entropy(h @ w2.T + b2, ds.y_train)
        value = loss.item()
        if not math.isfinite(value):
            diverged_at = step
            break
        zs.append(z.detach())  # a fresh tensor every step: no copy needed
        biases.append(b1.detach().clone())
        dead.append(dead_units(h.detach()))
        losses.append(value)
        if step == steps:
            break
        grads = torch.autograd.grad(loss, tensors)
        with torch.no_grad():
            for t, gr in zip(tensors, grads):
                t -= lr * gr
    with torch.no_grad():
        accuracy = ((f(ds.x_test @ w1.T + b1) @ w2.T + b2).argmax(1) == ds.y_test).float().mean().item()
    z = torch.stack(zs).numpy()  # (steps + 1, N, units)
    lo, hi = float(z.min()), float(z.max())
    edges = np.linspace(lo, hi if hi > lo else lo + 1.0, BINS + 1)
    return DyingRun(act=act, edges=edges, hist=histograms(z, edges), bias=torch.stack(biases).numpy(),
                    dead=torch.stack(dead).numpy(), off=(z < 0).all(axis=1), z_max=z.max(axis=1),
                    loss=np.array(losses), accuracy=accuracy, diverged_at=diverged_at)


def histograms(z: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Counts of ``z`` (steps, N, units) in the equal-width bins ``edges``, per step and unit:
    shape (steps, units, bins), all at once. Values outside the edges are dropped."""
    steps, _, units = z.shape
    bins = len(edges) - 1
    inside = edges[0] <= z.min() and z.max() <= edges[-1]  # the lessons' edges span every value
    # Truncation is floor for values at or above the first edge; the last bin is closed on the right.
    idx = np.minimum(((z - edges[0]) * (bins / (edges[-1] - edges[0]))).astype(np.int32), bins - 1)
    idx += ((np.arange(steps)[:, None] * units + np.arange(units)) * bins).astype(np.int32)[:, None, :]
    flat = idx if inside else idx[(z >= edges[0]) & (z <= edges[-1])]
    return np.bincount(flat.ravel(), minlength=steps * units * bins).reshape(steps, units, bins)


@lru_cache(maxsize=4)
def _load(data: str, seed: int):
    return load(data, seed=seed)


def _module(act: str, width: int, params: dict) -> torch.nn.Module:
    if act == "prelu":  # one learned slope per unit (He et al.'s channel-wise PReLU): one slope
        # shared by every unit gets the summed gradient of all of them and diverges at these rates
        return torch.nn.PReLU(num_parameters=width, init=REGISTRY[act].resolve(params)["a"])
    return REGISTRY[act].to_torch(**params).eval()  # eval: RReLU's fixed test-time slope


@dataclass(frozen=True)
class Death:
    """One step that switched a unit off for good: before it the unit's largest pre-activation
    over the training split was positive, after it negative, and it stayed so to the end of the run."""

    step: int  # the step from ``step`` to ``step + 1``
    unit: int
    z_max_before: float
    z_max_after: float
    bias_before: float
    bias_after: float


def deaths(run: DyingRun) -> list[Death]:
    """Every unit that a single step switched off for the rest of the run, in step order."""
    events = []
    for unit in range(run.off.shape[1]):
        on = np.flatnonzero(~run.off[:, unit])
        if run.off[-1, unit] and len(on):  # off at the end, but on at some point
            s = int(on[-1])
            events.append(Death(s, unit, float(run.z_max[s, unit]), float(run.z_max[s + 1, unit]),
                                float(run.bias[s, unit]), float(run.bias[s + 1, unit])))
    return sorted(events, key=lambda d: (d.step, d.unit))
