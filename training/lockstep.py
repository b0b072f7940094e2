"""Step by step, as TensorFlow Playground trains: a ``Playground`` holds one network per compared
activation, stacked as the training lab stacks them (``training.stack``: same data, per layer the
same random draws scaled by each activation's initialisation, one batched step for all), and
trains them an epoch at a time in lockstep (same batches) while the page draws them (``View``).

The model, the optimiser's state and the random generators (batch order, RReLU's noise) live in
the object between calls, so Play, Pause, Step and Play again give the same weights as one
uninterrupted run (tests/training/test_playground.py). The learning rate and the regularisation
apply from the next step without a reset, as in Playground; any other change is a new network.

Playing trains in a thread of its own (``start``/``stop``) at ``SPEED`` epochs a second, while the
page redraws what ``view`` shows at whatever pace the browser keeps: training does not wait for
drawing. Every epoch, view and change of settings holds the object's lock, so epochs stay whole
and in order. A thread whose page has stopped asking for views (``touch``) for ``IDLE`` seconds,
a closed tab, stops by itself. At exit every playing thread is stopped and waited for: a daemon
thread still inside torch when Python finalises aborts the server ("terminate called without an
active exception"), as ``runtime.memo`` explains."""
from __future__ import annotations

import atexit
import math
import threading
import time
import weakref
from dataclasses import dataclass, replace

import numpy as np
import torch

from . import datasets, features
from .config import Config
from .engine import Trainer
from .playground import MAX_EPOCHS, OUTPUT_GRID, UNIT_GRID, check

SPEED = 20  # epochs a second while playing, where the machine keeps up
IDLE = 5.0  # seconds without a view after which playing stops (the tab was closed)


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


    def unit_rows(self, k: int) -> list[dict]:
        """Network k's hidden units and output as table rows: bias, the range of the output over
        the plane, the size of the weights in, and since when the unit is dead."""
        rows = []
        for l, units in enumerate([*self.units, None]):
            last = units is None
            for u in range(1 if last else units.shape[1]):
                plane = self.output[k] if last else units[k, u]
                w_in = self.weights[l][k][:, u]
                since = -1 if last else int(self.dead_since[l][k, u])
                rows.append({"layer": "output" if last else str(l + 1), "unit": u + 1,
                             "bias": float(self.biases[l][k, u]),
                             "output min": float(np.nanmin(plane)), "output max": float(np.nanmax(plane)),
                             "|weights in|": float(np.abs(w_in).sum()),
                             "dead since epoch": since if since >= 0 else None})
        return rows


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
        self._lock = threading.RLock()
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self._seen = time.monotonic()  # when the page last asked (``touch``)
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
        with self._lock:
            self.cfg = replace(self.cfg, lr=lr, regularization=regularization, reg_rate=reg_rate)
            self.trainer.cfg = self.cfg
            for group in self.trainer.optimizer.param_groups:
                group["lr"] = lr

    def step(self, epochs: int = 1, seconds: float = math.inf) -> int:
        """Train up to ``epochs`` epochs, fewer if ``seconds`` run out (at least one), never past
        ``MAX_EPOCHS``. Returns how many were trained."""
        t0, done = time.perf_counter(), 0
        while done < epochs and (done == 0 or time.perf_counter() - t0 < seconds):
            with self._lock:
                if self.finished:
                    break
                self._epoch()
            done += 1
        return done

    # -- playing ------------------------------------------------------------------------------
    def start(self, speed: float = SPEED, idle: float = IDLE) -> None:
        """Play: train in a thread at ``speed`` epochs a second (slower where the machine cannot),
        until ``stop``, ``MAX_EPOCHS``, or ``idle`` seconds without a ``touch``."""
        if self.playing:
            return
        self._stop = threading.Event()
        self._seen = time.monotonic()
        self._thread = threading.Thread(target=self._play, args=(speed, idle, self._stop), daemon=True,
                                        name="relu-lab-playground")
        _playing.add(self)
        self._thread.start()

    def _play(self, speed: float, idle: float, stop: threading.Event) -> None:
        t0, done = time.monotonic(), 0
        while not stop.is_set() and not self.finished and time.monotonic() - self._seen < idle:
            self.step(1)
            done += 1
            ahead = t0 + done / speed - time.monotonic()
            if ahead > 0:
                stop.wait(ahead)
            elif ahead < -1:  # more than a second behind (a busy machine): go on from now, no burst
                t0, done = time.monotonic(), 0

    def stop(self) -> None:
        """Pause: the thread ends after the epoch it is in; returns once it has."""
        thread, self._thread = self._thread, None
        if thread is not None:
            self._stop.set()
            thread.join()

    @property
    def playing(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def touch(self) -> None:
        """The page is still watching (see ``IDLE``)."""
        self._seen = time.monotonic()

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
        """The networks as they are now (between two epochs)."""
        with self._lock:
            return self._view(output_grid, unit_grid)

    def _view(self, output_grid: int, unit_grid: int) -> View:
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
        with self._lock:
            return self.trainer.flat.detach().clone()


_playing: "weakref.WeakSet[Playground]" = weakref.WeakSet()  # every Playground that has played


@atexit.register
def _stop_all() -> None:
    """Stop every playing thread (each ends after its epoch) before Python finalises."""
    for playground in list(_playing):
        playground.stop()
