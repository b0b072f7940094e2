"""Step by step, as TensorFlow Playground trains: a ``Playground`` holds one network per compared
activation, stacked as the training lab stacks them (``training.stack``: same data, per layer the
same random draws scaled by each activation's initialisation, one batched step for all), and
trains them an epoch at a time in lockstep (same batches) while the page draws them.

The model, the optimiser's state and the random generators (batch order, RReLU's noise) live in
the object between calls, so Play, Pause, Step and Play again give the same weights as one
uninterrupted run (tests/training/test_playground.py). The learning rate and the regularisation
apply from the next step without a reset, as in Playground; any other change is a new network.

Sizes are capped (``MAX_*``) so that a class can train at once on one small server."""
from __future__ import annotations

import math
import re
import time
from dataclasses import dataclass, replace

import numpy as np
import torch

from activations import REGISTRY

from . import datasets, features
from .config import Config
from .engine import Trainer
from .stack import width_after

#: The 2-D sets: five for classification (two classes), Playground's two for regression.
CLASSIFY = ("circles", "xor", "moons", "spiral", "blobs")
DATASETS = CLASSIFY + datasets.REGRESSION
MIN_POINTS, MAX_POINTS = 100, 1000
MAX_LAYERS, MAX_UNITS = 6, 8  # as TensorFlow Playground: up to 6 hidden layers of up to 8 units
MAX_ACTIVATIONS = 6
MAX_BATCH = 30  # Playground's batch sizes run from 1 to 30
MAX_EPOCHS = 10_000  # a run pauses here, so an open tab cannot train forever
#: Activations whose layer keeps its width (CReLU doubles a layer, Maxout has k pieces per unit:
#: their networks are not drawn unit by unit here; the training lab compares them).
ACTIVATIONS = tuple(s for s, a in REGISTRY.items() if width_after(s, a.defaults, 4) == (4, 4))
UNIT_GRID, OUTPUT_GRID = 16, 48  # points per side of each unit's picture and of the output's


def parse_widths(text: str) -> tuple[int, ...]:
    """Hidden layers written as widths, ``"4, 6, 2"`` or ``"4-6-2"`` (empty: no hidden layer).
    ``ValueError`` with a message a student can act on."""
    parts = [p for p in re.split(r"[\s,;]+|(?<=\d)-(?=\d)", str(text).strip()) if p]
    bad = [p for p in parts if not p.isdigit()]
    if bad:
        raise ValueError(f"hidden layers: write whole numbers of units separated by commas, like 4, 6, 2 "
                         f"({len(bad)} part(s) are not)")
    widths = tuple(int(p) for p in parts)
    if len(widths) > MAX_LAYERS:
        raise ValueError(f"hidden layers: at most {MAX_LAYERS} layers, got {len(widths)}")
    if any(not 1 <= w <= MAX_UNITS for w in widths):
        raise ValueError(f"hidden layers: each layer has 1 to {MAX_UNITS} units")
    return widths


def setup(**settings) -> Config:
    """The ``Config`` of a step-by-step comparison: one network per activation (``seeds`` 1). It
    trains an epoch at a time, so ``epochs`` is 1 (only ``Config.validate``'s caps read it)."""
    return Config(**{"seeds": 1, "epochs": 1, **settings})


def check(cfg: Config) -> None:
    """The caps of this view, on top of ``Config.validate``: ``ValueError`` with a message."""
    def need(ok, msg):
        if not ok:
            raise ValueError(msg)
    need(cfg.dataset in DATASETS, f"data set must be one of {', '.join(DATASETS)}")
    need(MIN_POINTS <= cfg.n <= MAX_POINTS, f"points: between {MIN_POINTS} and {MAX_POINTS}")
    need(cfg.widths is not None, "give the hidden layers' widths")
    need(len(cfg.widths) <= MAX_LAYERS and all(1 <= w <= MAX_UNITS for w in cfg.widths),
         f"hidden layers: at most {MAX_LAYERS} layers of 1 to {MAX_UNITS} units")
    need(1 <= len(cfg.activations) <= MAX_ACTIVATIONS,
         f"choose 1 to {MAX_ACTIVATIONS} activations ({len(cfg.activations)} chosen)")
    odd = [a for a in cfg.activations if a not in ACTIVATIONS]
    need(not odd, f"{', '.join(odd)}: change a layer's width, so this view does not draw them; "
                  "compare them in the Training lab")
    need(cfg.features, "choose at least one input feature")
    need(cfg.seeds == 1 and cfg.epochs == 1, "one network per activation, one epoch at a time (use setup)")
    need(1 <= cfg.batch_size <= MAX_BATCH, f"batch size: 1 to {MAX_BATCH}")


@dataclass(frozen=True)
class View:
    """What the page draws, at one epoch, in NumPy. Index k runs over the compared activations.

    ``output``: (K, n, n) over the plane ``grid_x`` × ``grid_y`` (x fastest): P(class 1), or the
    regression output. ``inputs``: (features, m, m) and ``units[l]``: (K, units, m, m), the same
    plane at m × m points. ``weights[l]``: (K, fan_in, fan_out) into hidden layer l, the last into the
    output unit: for two classes, class 1's weights minus class 0's (the log-odds of class 1 is then
    h · w + b); ``biases`` likewise. ``dead[l]``: (K, units), the units whose output is exactly 0 on
    every training point; ``dead_since[l]``: the epoch each was first found dead (−1: alive)."""
    epoch: int
    entries: tuple[str, ...]
    features: tuple[str, ...]
    widths: tuple[int, ...]
    regression: bool
    grid_x: np.ndarray
    grid_y: np.ndarray
    output: np.ndarray
    unit_x: np.ndarray
    unit_y: np.ndarray
    inputs: np.ndarray
    units: list
    weights: list
    biases: list
    dead: list
    dead_since: list
    train_loss: np.ndarray
    test_loss: np.ndarray
    train_error: np.ndarray
    test_error: np.ndarray
    diverged_at: np.ndarray  # (K,) the epoch a network's loss first was NaN or infinite; −1 if never
    history_epochs: np.ndarray  # (E,)
    history_train: np.ndarray  # (E, K)
    history_test: np.ndarray
    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray


class Playground:
    """The compared networks of ``cfg`` (one per activation, ``cfg.seeds`` = 1), trained an epoch
    at a time. ``epoch`` counts the epochs trained."""

    def __init__(self, cfg: Config):
        check(cfg)
        data = datasets.load(cfg.dataset, n=cfg.n, noise=cfg.noise, seed=cfg.data_seed,
                             test_fraction=cfg.test_fraction, classes=2)
        self.trainer = Trainer(cfg, data)
        self.cfg = cfg
        self.epoch = 0
        self._order = torch.Generator().manual_seed(cfg.seed)  # batch order, as Trainer.run draws it
        K = len(cfg.activations)
        self._dead_since = [np.full((K, w), -1) for w in cfg.widths]
        self._diverged_at = np.full(K, -1)
        self._epochs: list[int] = []
        self._train: list[np.ndarray] = []
        self._test: list[np.ndarray] = []
        self._measure()

    # -- training ---------------------------------------------------------------------------
    def same_network(self, cfg: Config) -> bool:
        """Whether ``cfg`` describes this network and data (it may differ in what applies live)."""
        live = dict(lr=self.cfg.lr, regularization=self.cfg.regularization, reg_rate=self.cfg.reg_rate)
        return replace(cfg, **live) == self.cfg

    def set_live(self, lr: float, regularization: str, reg_rate: float) -> None:
        """Learning rate and regularisation from the next step on, keeping weights and optimiser state."""
        self.cfg = replace(self.cfg, lr=lr, regularization=regularization, reg_rate=reg_rate)
        self.trainer.cfg = self.cfg
        for group in self.trainer.optimizer.param_groups:
            group["lr"] = lr

    def step(self, epochs: int = 1, seconds: float = math.inf) -> int:
        """Train up to ``epochs`` epochs, fewer if ``seconds`` run out (at least one), never past
        ``MAX_EPOCHS``. Returns how many were trained."""
        t0, done = time.perf_counter(), 0
        while done < epochs and self.epoch < MAX_EPOCHS and (done == 0 or time.perf_counter() - t0 < seconds):
            self._epoch()
            done += 1
        return done

    @property
    def finished(self) -> bool:
        return self.epoch >= MAX_EPOCHS

    def _epoch(self) -> None:
        t, data = self.trainer, self.trainer.data
        n = len(data.y_train)
        bs = min(self.cfg.batch_size, n)
        per_epoch = math.ceil(n / bs)
        perm = torch.randperm(n, generator=self._order).to(t.device) if per_epoch > 1 else None
        for b in range(per_epoch):
            if perm is None:
                x, y = data.x_train, data.y_train
            else:
                idx = perm[b * bs:(b + 1) * bs]
                x, y = data.x_train[idx], data.y_train[idx]
            t.backward(x, y)
            t.update()
        self.epoch += 1
        self._measure()

    def _measure(self) -> None:
        """Losses on the whole training and test sets, and which units are dead, after an epoch."""
        t, data = self.trainer, self.trainer.data
        with torch.no_grad():
            out, hidden = t._logits(data.x_train, False)
            train = t.losses(out, data.y_train).numpy()
            test = t.losses(t._logits(data.x_test, False)[0], data.y_test).numpy()
        for l, h in enumerate(hidden[0]):  # one group: every activation here keeps the layers' widths
            dead = (h == 0).all(1).numpy()
            since = self._dead_since[l]
            since[dead & (since < 0)] = self.epoch
            since[~dead] = -1
        bad = ~np.isfinite(train) & (self._diverged_at < 0)
        self._diverged_at[bad] = self.epoch
        self._epochs.append(self.epoch)
        self._train.append(train)
        self._test.append(test)

    # -- what the page draws ------------------------------------------------------------------
    def view(self, output_grid: int = OUTPUT_GRID, unit_grid: int = UNIT_GRID) -> View:
        t, raw, data = self.trainer, self.trainer.raw, self.trainer.data
        g = t.groups[0]
        plane, small = t._grid(output_grid), t._grid(unit_grid)
        with torch.no_grad():
            out = t._logits(t.inputs(plane), False)[0]
            out = out[..., 0] if data.regression else torch.softmax(out, -1)[..., 1]
            small_in = t.inputs(small)
            hidden = g.forward(small_in, False, t.gen)[1]
            train_out, train_hidden = t._logits(data.x_train, False)
            test_out = t._logits(data.x_test, False)[0]
        m = unit_grid
        head_w, head_b = g.weights[-1].detach(), g.biases[-1].detach()
        if not data.regression:  # two classes: the log-odds of class 1
            head_w, head_b = head_w[..., 1:] - head_w[..., :1], head_b[..., 1:] - head_b[..., :1]
        weights = [w.detach().numpy().copy() for w in g.weights[:-1]] + [head_w.numpy().copy()]
        biases = [b.detach().numpy().copy() for b in g.biases[:-1]] + [head_b.numpy().copy()]
        square = lambda a, n: a.reshape(*a.shape[:-1], n, n)  # noqa: E731
        return View(
            epoch=self.epoch, entries=tuple(self.cfg.activations), features=features.check(self.cfg.features),
            widths=self.cfg.widths, regression=data.regression,
            grid_x=plane[:output_grid, 0].numpy(), grid_y=plane[::output_grid, 1].numpy(),
            output=square(out.numpy(), output_grid),
            unit_x=small[:m, 0].numpy(), unit_y=small[::m, 1].numpy(),
            inputs=square(small_in.T.numpy(), m),
            units=[square(h.transpose(1, 2).numpy(), m) for h in hidden],
            weights=weights, biases=biases,
            dead=[(h == 0).all(1).numpy() for h in train_hidden[0]],
            dead_since=[d.copy() for d in self._dead_since],
            train_loss=self._train[-1], test_loss=self._test[-1],
            train_error=t.errors(train_out, data.y_train).numpy(),
            test_error=t.errors(test_out, data.y_test).numpy(),
            diverged_at=self._diverged_at.copy(),
            history_epochs=np.array(self._epochs), history_train=np.array(self._train),
            history_test=np.array(self._test),
            x_train=raw.x_train.numpy(), y_train=raw.y_train.numpy(),
            x_test=raw.x_test.numpy(), y_test=raw.y_test.numpy())

    def parameters(self) -> torch.Tensor:
        """A copy of every parameter, in one flat vector (for comparing runs)."""
        return self.trainer.flat.detach().clone()
