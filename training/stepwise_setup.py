"""What the server hands the student's browser for the step-by-step lab (``handout``): the data,
its input features already computed (``training.features``, for the points and for the plane's
grid), and each activation's initial weights, drawn here as the training lab draws them
(``training.stack``: per layer the same standard-normal draws, scaled by each activation's
usual initialisation). The browser (``runtime/stepwise/engine.js``) trains from them.

The batch order and RReLU's noise come from a seeded generator both sides implement identically
(``Mulberry32``, JavaScript's ``mulberry32`` in ``engine.js``), so a link reproduces the same run in
any browser, and a test replays an epoch in torch from the same draws
(tests/training/test_stepwise_numbers.py)."""
from __future__ import annotations

import hashlib
import json
import math
from dataclasses import replace

import torch

from activations import REGISTRY

from . import datasets, features
from .config import Config
from .engine import Trainer
from .stepwise import GRID, check

M32 = 0xFFFFFFFF
NOISE_SALT = 0x9E3779B9  # the RReLU noise stream's seed is the weights' seed XOR this (as engine.js)


class Mulberry32:
    """Tommy Ettinger's mulberry32: 32-bit state, 32-bit outputs; ``engine.js`` has the same."""

    def __init__(self, seed: int):
        self.state = seed & M32

    def next32(self) -> int:
        self.state = a = (self.state + 0x6D2B79F5) & M32
        t = ((a ^ (a >> 15)) * (1 | a)) & M32
        t = (((t + (((t ^ (t >> 7)) * (61 | t)) & M32)) & M32) ^ t) & M32
        return (t ^ (t >> 14)) & M32

    def uniform(self) -> float:
        return self.next32() / 4294967296

    def permutation(self, n: int) -> list[int]:
        """Fisher–Yates, from the last position down, as ``engine.js``'s ``permutation``."""
        p = list(range(n))
        for i in range(n - 1, 0, -1):
            j = math.floor(self.uniform() * (i + 1))
            p[i], p[j] = p[j], p[i]
        return p


def load_data(cfg: Config) -> datasets.Dataset:
    """The comparison's points as drawn (two coordinates each), in float64."""
    data = datasets.load(cfg.dataset, n=cfg.n, noise=cfg.noise, seed=cfg.data_seed,
                         test_fraction=cfg.test_fraction, classes=cfg.classes)
    ys = {"y_train": data.y_train.double(), "y_test": data.y_test.double()} if data.regression else {}
    return replace(data, x_train=data.x_train.double(), x_test=data.x_test.double(), **ys)


def trainer(cfg: Config) -> Trainer:
    """The training lab's torch trainer for ``cfg`` (its initial weights are the browser's)."""
    check(cfg)
    return Trainer(cfg, load_data(cfg))


def _flat(t: torch.Tensor) -> list[float]:
    return t.detach().double().flatten().tolist()


def handout(cfg: Config) -> dict:
    """Everything the browser needs to train ``cfg`` from epoch 0: JSON-ready."""
    return describe(cfg, trainer(cfg))


def describe(cfg: Config, t: Trainer) -> dict:
    """``handout`` of a trainer built for ``cfg`` (the tests build one in float64, beyond the caps)."""
    raw, data, g = t.raw, t.data, t.groups[0]  # every activation here keeps the layers' widths: one group
    grid = t._grid(GRID).double()
    weights = []
    for k in range(len(cfg.activations)):
        layers = [{"w": _flat(w[k]), "b": _flat(b[k])} for w, b in zip(g.weights, g.biases)]
        for l, layer in enumerate(g.acts):  # (models' slice, activation) per compared activation
            slope = layer[k if len(layer) > 1 else 0][1].slope
            if slope is not None:  # PReLU: (1, units), one learned slope per unit
                layers[l]["slope"] = _flat(slope[0])
        weights.append(layers)
    setup = {
        "activations": [{"slug": s, "name": REGISTRY[s].name, "params": cfg.act_params(s)} for s in cfg.activations],
        "features": [features.NAMES[f] for f in features.check(cfg.features)],
        "widths": list(cfg.widths), "regression": data.regression, "outputs": data.n_classes,
        "train": {"x": _flat(data.x_train), "y": raw.y_train.tolist(), "points": _flat(raw.x_train)},
        "test": {"x": _flat(data.x_test), "y": raw.y_test.tolist(), "points": _flat(raw.x_test)},
        "grid": {"n": GRID, "x": _flat(t.inputs(grid)), "lo": grid.min(0).values.tolist(),
                 "hi": grid.max(0).values.tolist()},
        "weights": weights, "seed": cfg.seed, "optimizer": cfg.optimizer, "momentum": cfg.momentum,
        "batch": cfg.batch_size,
    }
    setup["id"] = hashlib.sha1(json.dumps(setup, sort_keys=True).encode()).hexdigest()[:16]
    return setup
