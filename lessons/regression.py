"""A live regression: a small MLP with a linear output unit trained with squared error on a
noisy sine (``training.datasets.regression("sine")``).

Seen as maximum likelihood, the linear output is the mean μ(x) of a Gaussian p(y | x) with one
fixed σ, and squared error is its negative log-likelihood up to a factor and a constant; after
training, σ's maximum-likelihood estimate is the root mean squared residual on the training set.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
import torch

from training.datasets import SINE_RANGE, regression

from .runs import loop, mlp

GRID = np.linspace(*SINE_RANGE, 241)
LR = 0.01


@dataclass(frozen=True)
class RegressionRun:
    act: str
    width: int
    steps: int
    noise: float
    x_train: np.ndarray
    y_train: np.ndarray
    grid: np.ndarray
    truth: np.ndarray  # sin(2x) on the grid, the noise-free curve
    pred: np.ndarray  # the network's output μ(x) on the grid
    loss: np.ndarray  # (step,) training mean squared error before each step
    step: int  # steps done
    elapsed: float
    test_mse: float = math.nan
    sigma: float = math.nan  # √(training MSE): the Gaussian's σ by maximum likelihood
    stopped: bool = False
    done: bool = False

    @property
    def diverged(self) -> bool:
        """The loss stopped being a finite number (the page says so)."""
        return not np.isfinite(self.loss).all()


def train(act: str = "tanh", width: int = 32, steps: int = 1500, noise: float = 0.2, seed: int = 0,
          progress=None, stop=None) -> RegressionRun:
    """Train 1 → width → width → 1 (``act`` in the hidden layers, identity at the output) with
    Adam (learning rate 0.01) on the full training split, minimising the mean squared error."""
    data = regression("sine", n=300, noise=noise, seed=seed)
    grid_t = torch.tensor(GRID[:, None], dtype=torch.float32)
    net = mlp(act, [1, width, width, 1], seed=seed)
    opt = torch.optim.Adam(net.parameters(), lr=LR)
    losses = np.full(steps, np.nan)

    def step(i):
        opt.zero_grad()
        loss = ((net(data.x_train) - data.y_train) ** 2).mean()
        loss.backward()
        opt.step()
        losses[i] = loss.item()

    def snapshot(done, seconds):
        with torch.no_grad():
            pred = net(grid_t)[:, 0].numpy()
        return RegressionRun(act, width, steps, noise, data.x_train[:, 0].numpy(), data.y_train[:, 0].numpy(),
                             GRID, np.sin(2 * GRID), pred, losses[:done].copy(), done, seconds)

    done, stopped, seconds = loop(steps, step, snapshot, progress, stop)
    with torch.no_grad():
        train_mse = ((net(data.x_train) - data.y_train) ** 2).mean().item()
        test_mse = ((net(data.x_test) - data.y_test) ** 2).mean().item()
    run = snapshot(done, seconds)
    return replace(run, test_mse=test_mse, sigma=math.sqrt(train_mse), stopped=stopped, done=True)
