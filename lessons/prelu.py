"""PReLU with one learned slope per unit against one slope shared by the layer, trained side by
side (He et al., 2015, compare the two as "channel-wise" and "channel-shared").

Both nets start from the same weights and the same initial slope a = 0.25 (He et al.'s), see the
same data in the same order and take the same optimiser steps; the only difference is how many
slopes each layer learns: ``width`` or one. The run records every slope at 50 points of training.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
import torch
import torch.nn.functional as F

from activations import REGISTRY
from training.datasets import load

from .runs import loop, mlp

DEPTH = 2
LR = 0.01
LOGS = 50
NETS = ("one slope per unit", "one slope per layer")


@dataclass(frozen=True)
class PreluRun:
    width: int
    steps: int
    data: str
    log_steps: np.ndarray  # (logs,) steps at which slopes were recorded
    per_unit: np.ndarray  # (logs, layers, width) every unit's slope, neuron-wise net
    shared: np.ndarray  # (logs, layers) the layer's slope, layer-wise net
    loss: np.ndarray  # (step, 2) training cross-entropy before each step, for NETS
    step: int
    elapsed: float
    test_accuracy: tuple[float, float] = (math.nan, math.nan)
    parameters: tuple[int, int] = (0, 0)  # learned parameters of each net
    stopped: bool = False
    done: bool = False

    @property
    def diverged(self) -> bool:
        """A loss stopped being a finite number (the page says so)."""
        return not np.isfinite(self.loss).all()


def train(width: int = 16, steps: int = 600, data: str = "spiral", seed: int = 0, progress=None,
          stop=None) -> PreluRun:
    """Two MLPs (2 → width → width → classes) on a 2-D toy set (1,000 points; spiral: three
    classes, noise 0.3), full-batch Adam with learning rate 0.01. Spiral and xor are made with
    NumPy: scikit-learn's sets would import pandas in the run's thread, which can race a page
    that is drawing a figure at the same time (Plotly looks for pandas)."""
    ds = load(data, n=1000, noise=0.3, classes=3, seed=seed)
    a0 = REGISTRY["prelu"].defaults["a"]
    sizes = [ds.n_features] + [width] * DEPTH + [ds.n_classes]
    nets = [mlp("prelu", sizes, seed, act_module=lambda n, k=k: torch.nn.PReLU(k or n, init=a0)) for k in (0, 1)]
    opt = torch.optim.Adam([p for net in nets for p in net.parameters()], lr=LR)
    slopes = [[m for m in net if isinstance(m, torch.nn.PReLU)] for net in nets]
    every = max(1, steps // LOGS)
    log_steps = [0]
    per_unit = [np.stack([s.weight.detach().numpy().copy() for s in slopes[0]])]
    shared = [np.array([s.weight.item() for s in slopes[1]])]
    loss = np.full((steps, 2), np.nan)

    def step(i):
        opt.zero_grad()
        losses = [F.cross_entropy(net(ds.x_train), ds.y_train) for net in nets]
        sum(losses).backward()  # independent parameters: each net gets its own gradient
        opt.step()
        loss[i] = [v.item() for v in losses]
        if (i + 1) % every == 0 or i + 1 == steps:
            log_steps.append(i + 1)
            per_unit.append(np.stack([s.weight.detach().numpy().copy() for s in slopes[0]]))
            shared.append(np.array([s.weight.item() for s in slopes[1]]))

    def snapshot(done, seconds):
        k = len(log_steps)
        return PreluRun(width, steps, data, np.array(log_steps[:k]), np.stack(per_unit[:k]),
                        np.stack(shared[:k]), loss[:done].copy(), done, seconds)

    done, stopped, seconds = loop(steps, step, snapshot, progress, stop)
    with torch.no_grad():
        acc = tuple(float((net(ds.x_test).argmax(1) == ds.y_test).float().mean()) for net in nets)
    counts = tuple(sum(p.numel() for p in net.parameters()) for net in nets)
    return replace(snapshot(done, seconds), test_accuracy=acc, parameters=counts, stopped=stopped, done=True)
