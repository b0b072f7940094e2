"""The training loop: ``Trainer`` builds the stacked models (``stack``) for a ``Config`` and
trains them, recording into a ``History`` and reporting ``Result`` snapshots through a callback.

A step is ``backward`` (forward pass, every model's loss, gradients) then ``update`` (the
optimiser's step and the regularisation); ``run`` trains a whole run (the step-by-step lab's browser
engine, ``runtime/stepwise/engine.js``, steps the same way, tested against this one). Classification uses softmax and cross-entropy; a regression set
(``Dataset.regression``) one linear output unit and the squared error.

Regularisation (``Config.regularization``, weights only, as TensorFlow Playground): L2 adds
``reg_rate`` × w to each weight's gradient before the optimiser's step. L1 is a proximal step after
it, w ← sign(w) · max(|w| − η · reg_rate, 0) (soft thresholding), η being the optimiser's step per
unit of gradient: the learning rate for SGD and momentum, lr / (√v̂ + ε) per weight for Adam (the
proximal step in Adam's own scaling of the gradient). Under plain SGD that is the proximal gradient
method (ISTA) for the L1 penalty. A weight lands on exactly 0 when its step would carry it to
within η · reg_rate of 0, and leaves 0 again at a step whose gradient estimate exceeds reg_rate in
size: the gradient (SGD), the velocity (momentum) or Adam's averaged gradient m̂ (tested). With the
plain lr as Adam's threshold, Adam's steps (about lr whatever the gradient's size) outran it at
small rates: on circles, network 4-2, lr 0.03, rate 0.01, 30 epochs, no weight ended at 0 (measured
before the change; now at least 3 of 20 do, tested). A subgradient step, w − lr · reg_rate ·
sign(w), would instead jump across 0 and back and almost never leave a weight at exactly 0."""
from __future__ import annotations

import math
import time

import numpy as np
import torch
import torch.nn.functional as F

from .config import LOG_POINTS, Config, Cost
from .datasets import Dataset, load
from .features import expand, expand_dataset
from .metrics import dead_fraction_stacked
from .result import History, Result
from .stack import Group, width_after

GRID = 60  # decision-boundary grid for 2-D sets: GRID × GRID points
UNIT_PICTURE_SIDE = 30  # points per side of each hidden unit's picture over the plane (2-D sets), in the lab's results
UNIT_COLUMNS = 16  # units drawn per layer


def devices() -> list[str]:
    """Where this server can train: the CPU, and CUDA where torch sees a GPU."""
    return ["cpu", "cuda"] if torch.cuda.is_available() else ["cpu"]


class Trainer:
    """Builds the stacked models for ``cfg`` and trains them; ``run`` returns a ``Result``.
    ``cost``: ``cfg.validate(data)``'s value where the caller has validated the request already (the
    server's edge); without it ``cfg`` is validated here."""

    def __init__(self, cfg: Config, data: Dataset | None = None, cost: Cost | None = None):
        if cost is None:
            cfg.validate(data)
        self.cfg = cfg
        want = cfg.device if cfg.device != "auto" else devices()[-1]
        if want == "cuda" and "cuda" not in devices():
            raise ValueError("no CUDA device on this server; choose CPU")
        self.device = torch.device(want)
        if data is None:
            data = load(cfg.dataset, n=cfg.n, noise=cfg.noise, seed=cfg.data_seed, test_fraction=cfg.test_fraction,
                        classes=cfg.classes, image=cfg.model == "conv")
        self.raw = data.to(self.device)  # the points as drawn; ``data`` holds what the networks see
        self.data = expand_dataset(self.raw, cfg.features) if cfg.features else self.raw
        groups: dict[tuple, list] = {}
        for i, entry in enumerate(cfg.activations):
            slugs = cfg.layer_acts(entry)
            key = tuple(width_after(s, cfg.act_params(s), w) + (s == "crelu",) for s, w in zip(slugs, cfg.layer_widths()))
            groups.setdefault(key, []).append((i, slugs))
        self.groups = [Group(cfg, members, self.data, self.device) for members in groups.values()]
        # model m (entry · S + seed) sits at position order[m] of the groups' concatenation
        S = cfg.seeds
        starts = np.cumsum([0] + [g.G for g in self.groups])
        flat = [(int(starts[gi]) + j * S) for gi, g in enumerate(self.groups) for j in range(len(g.members))]
        member_start = dict(zip([i for g in self.groups for i, _ in g.members], flat))
        self.order = np.array([member_start[m // S] + m % S for m in range(len(cfg.activations) * S)])
        identity = (self.order == np.arange(len(self.order))).all()
        self._to_model = None if identity else torch.as_tensor(self.order, device=self.device)
        params = [p for g in self.groups for p in g.parameters()]
        self.flat = _one_vector(params)
        # 1 where the flat vector holds a weight (regularised), 0 for biases and PReLU slopes
        weights = {id(w) for g in self.groups for w in g.weights}
        self._weight_mask = torch.cat([torch.full((p.numel(),), float(id(p) in weights)) for p in params]).to(self.device)
        flat = [self.flat]
        opt = {"sgd": lambda: torch.optim.SGD(flat, lr=cfg.lr),
               "momentum": lambda: torch.optim.SGD(flat, lr=cfg.lr, momentum=cfg.momentum),
               "adam": lambda: torch.optim.Adam(flat, lr=cfg.lr)}
        self.optimizer = opt[cfg.optimizer]()
        self.gen = torch.Generator(self.device).manual_seed(cfg.seed)

    @property
    def n_models(self) -> int:
        return len(self.order)

    def _logits(self, x: torch.Tensor, training: bool) -> tuple[torch.Tensor, list]:
        """Logits (models, N, classes) in group order, and each group's hidden outputs."""
        outs = [g.forward(x, training, self.gen) for g in self.groups]
        return _cat([o[0] for o in outs]), [o[1] for o in outs]

    def _model_order(self, t: torch.Tensor, dim: int = 0) -> torch.Tensor:
        """``t`` indexed by group position along ``dim``, put in model order."""
        return t if self._to_model is None else t.index_select(dim, self._to_model)

    def forward(self, x: torch.Tensor, training: bool = False) -> torch.Tensor:
        """Logits (models, N, classes), in model order."""
        return self._model_order(self._logits(x, training)[0])

    def inputs(self, points: torch.Tensor) -> torch.Tensor:
        """What the networks see for 2-D ``points`` (N, 2): the chosen input features, or the points."""
        return expand(points, self.cfg.features) if self.cfg.features else points

    def predict_proba(self, x: torch.Tensor) -> np.ndarray:
        """Class probabilities (models, N, classes) in evaluation mode."""
        with torch.no_grad():
            return torch.softmax(self.forward(x.to(self.device)), -1).cpu().numpy()

    def hidden_outputs(self, x: torch.Tensor, m: int) -> list[np.ndarray]:
        """Model m's hidden-layer outputs (N, features) for inputs x, evaluation mode."""
        g, local = self._locate(m)
        with torch.no_grad():
            return [h[local].cpu().numpy() for h in g.forward(x.to(self.device), False, self.gen)[1]]

    def unit_outputs(self, m: int, n: int) -> list[np.ndarray]:
        """Model m's hidden-layer outputs over an n × n grid spanning the plane the decision
        boundary covers (2-D data sets): one (n·n, features) array per layer, evaluation mode."""
        return self.hidden_outputs(self.inputs(self._grid(n)), m)

    def _locate(self, m: int):
        k = int(self.order[m])
        for g in self.groups:
            if k < g.G:
                return g, k
            k -= g.G

    def _stats(self, hidden_per_group) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """Dead fraction, weight-gradient norm and mean PReLU slope, (models, layers) each, in group order."""
        dead, gnorm, slope = [], [], []
        for g, hidden in zip(self.groups, hidden_per_group):
            if hidden:
                dead.append(torch.stack([dead_fraction_stacked(h) for h in hidden], 1))
                gnorm.append(torch.stack([w.grad.flatten(1).norm(dim=1) for w in g.weights[:-1]], 1))
            else:  # no hidden layer (a linear model)
                dead.append(torch.zeros(g.G, 0, device=self.device))
                gnorm.append(dead[-1])
            slope.append(g.prelu_slopes())
        return tuple(_cat(t) for t in (dead, gnorm, slope))

    def _test_error(self) -> torch.Tensor:
        """Test error per model in evaluation mode, in group order."""
        return self.errors(self._logits(self.data.x_test, False)[0], self.data.y_test)

    def losses(self, out: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        """Each model's mean loss on (out, y), out (models, N, outputs): cross-entropy, or for a
        regression set the squared error (out − y)², averaged over the points."""
        if self.data.regression:
            return (out[..., 0] - y).pow(2).mean(1)
        return F.cross_entropy(out.transpose(1, 2), y.expand(len(out), -1), reduction="none").mean(1)

    def errors(self, out: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        """Each model's classification error on (out, y); NaN for a regression set."""
        if self.data.regression:
            return torch.full((len(out),), float("nan"), device=out.device)
        return (out.argmax(-1) != y).float().mean(1)

    def backward(self, x: torch.Tensor, y: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, list]:
        """A training step's forward and backward pass on the batch (x, y): every model's loss,
        its outputs and the hidden outputs (group order); the gradients are left in ``flat.grad``."""
        logits, hidden = self._logits(x, True)
        losses = self.losses(logits, y)
        self.flat.grad.zero_()  # every parameter's .grad is a view into it
        total = losses.sum()
        # A diverged model's NaN or ±inf must add no gradient, so mask them. On the CPU a finite
        # sum (every loss finite) skips the mask and its backward; a GPU would wait for item().
        if self.device.type != "cpu" or not math.isfinite(total.item()):
            total = losses.nan_to_num(0.0, 0.0, 0.0).sum()
        total.backward()
        return losses, logits, hidden

    def update(self) -> None:
        """The optimiser's step from the gradients ``backward`` left, with the regularisation (see
        the module's notes). Reads the rate and learning rate from ``cfg`` and the optimiser, so a
        caller may change them between steps."""
        kind, rate = self.cfg.regularization, self.cfg.reg_rate
        if kind == "l2" and rate:
            self.flat.grad.add_(self.flat.detach() * self._weight_mask, alpha=rate)
        self.optimizer.step()
        if kind == "l1" and rate:
            with torch.no_grad():
                w, group = self.flat, self.optimizer.param_groups[0]
                step = group["lr"]  # the size of the step per unit of gradient: SGD's learning rate …
                if self.cfg.optimizer == "adam":  # … Adam's lr / (√v̂ + ε), per weight
                    state = self.optimizer.state[w]
                    v_hat = state["exp_avg_sq"] / (1 - group["betas"][1] ** float(state["step"]))
                    step = group["lr"] / (v_hat.sqrt() + group["eps"])
                shrink = self._weight_mask * (step * rate)
                w.copy_(w.sign() * (w.abs() - shrink).clamp_min(0))

    def run(self, callback=None, stop=None) -> Result:
        """Train. ``callback(result)`` gets a snapshot at logged steps, at most every
        ``cfg.snapshot_every`` seconds, and the final result; ``stop`` is anything
        with ``is_set()`` (a ``threading.Event``) and ends the run cleanly after the current step.
        Records go into tensors allocated up front; without a callback only the final Result is
        assembled (and the decision boundary computed once)."""
        cfg, data, dev = self.cfg, self.data, self.device
        n_train = len(data.y_train)
        bs = cfg.batch_size if 0 < cfg.batch_size < n_train else n_train
        per_epoch = math.ceil(n_train / bs)
        steps = cfg.epochs * per_epoch
        log_every = cfg.log_every or max(1, steps // LOG_POINTS)
        order_gen = torch.Generator().manual_seed(cfg.seed)
        hist = History(steps, steps // log_every + 1, self.n_models, cfg.depth, dev)
        grid = self._grid() if self.raw.n_features == 2 else None
        points = (self.raw.x_train.cpu().numpy(), self.raw.y_train.cpu().numpy()) if grid is not None else None
        res = Result(cfg, dev.type, tuple(cfg.activations), steps, points=points, trainer=self)
        t0, step = time.perf_counter(), 0
        last_snapshot, snapshots = t0, 0
        for _ in range(cfg.epochs):
            perm = torch.randperm(n_train, generator=order_gen).to(dev) if per_epoch > 1 else None
            for b in range(per_epoch):
                if stop is not None and stop.is_set():
                    res.stopped = True
                    break
                x, y = (data.x_train, data.y_train) if perm is None else \
                    (data.x_train[perm[b * bs:(b + 1) * bs]], data.y_train[perm[b * bs:(b + 1) * bs]])
                losses, logits, hidden = self.backward(x, y)
                logged = (step + 1) % log_every == 0 or step + 1 == steps
                with torch.no_grad():
                    hist.loss[step] = losses
                    hist.train_error[step] = self.errors(logits, y)
                    if logged:  # before the update: the data set's hidden outputs go with these grads
                        stats = self._stats(hidden if per_epoch == 1 else self._logits(data.x_train, False)[1])
                self.update()
                step += 1
                hist.times[step - 1] = time.perf_counter() - t0
                if logged:
                    with torch.no_grad():
                        hist.log(step, self._test_error(), stats)
                    if callback is not None and time.perf_counter() - last_snapshot >= cfg.snapshot_every:
                        # snapshots only for a callback, a few a second; a fresh decision boundary every 5th
                        snapshots += 1
                        fresh = grid is not None and snapshots % 5 == 1
                        res = hist.result(res, step, self._model_order, **(self._boundary(grid) if fresh else {}))
                        callback(res)
                        last_snapshot = time.perf_counter()
            if res.stopped:
                break
        if not hist.log_steps or hist.log_steps[-1] != step:  # stopped between logged steps: log the last one
            with torch.no_grad():
                hist.log(step, self._test_error(), self._stats(self._logits(data.x_train, False)[1]))
        final = {**self._boundary(grid), "units": self._units()} if grid is not None else {}
        res = hist.result(res, step, self._model_order, done=True, **final)
        if callback is not None:
            callback(res)
        return res

    def _boundary(self, grid: torch.Tensor) -> dict:
        """The decision-boundary grid and every model's class probabilities on it."""
        return {"grid": grid.numpy(), "grid_probs": self.predict_proba(self.inputs(grid))}

    def _units(self) -> list[list[np.ndarray]]:
        """Per model, per layer: the first UNIT_COLUMNS hidden units over the UNIT_PICTURE_SIDE plane
        (points, units), float16 (clipped to ±60,000, float16's range: a diverged model's units only
        need to look saturated). One forward pass per group."""
        x, flat = self.inputs(self._grid(UNIT_PICTURE_SIDE).to(self.device)), []
        with torch.no_grad():
            for g in self.groups:
                hidden = g.forward(x, False, self.gen)[1]
                flat += [[np.clip(h[k, :, :UNIT_COLUMNS].cpu().numpy(), -6e4, 6e4).astype(np.float16) for h in hidden]
                         for k in range(g.G)]
        return [flat[k] for k in self.order]

    def _grid(self, n: int = GRID) -> torch.Tensor:
        """n × n points (x fastest) over the data's range, half a unit beyond it on every side."""
        x = torch.cat([self.raw.x_train, self.raw.x_test])
        lo, hi = x.min(0).values.cpu() - 0.5, x.max(0).values.cpu() + 0.5
        gx, gy = torch.meshgrid(torch.linspace(lo[0], hi[0], n), torch.linspace(lo[1], hi[1], n), indexing="xy")
        return torch.stack([gx.flatten(), gy.flatten()], 1)



def _one_vector(params: list[torch.Tensor]) -> torch.Tensor:
    """Move the leaf tensors ``params`` into one flat vector and their gradients into its ``.grad``:
    each parameter and its ``.grad`` become views into them (backward adds into the views in place).
    The optimiser then updates one tensor, a handful of ops a step instead of a handful per
    parameter tensor; SGD, momentum and Adam are elementwise, so the result is the same."""
    flat = torch.cat([p.detach().flatten() for p in params]).requires_grad_()
    flat.grad = torch.zeros_like(flat)
    sizes = [p.numel() for p in params]
    for p, data, grad in zip(params, flat.detach().split(sizes), flat.grad.split(sizes)):
        p.data, p.grad = data.view_as(p), grad.view_as(p)
    return flat


def _cat(tensors: list[torch.Tensor]) -> torch.Tensor:
    return tensors[0] if len(tensors) == 1 else torch.cat(tensors)


def train(cfg: Config, data: Dataset | None = None, callback=None, stop=None) -> Result:
    """Build and train the comparison ``cfg`` (see ``Trainer.run``)."""
    return Trainer(cfg, data).run(callback, stop)
