"""The training engine: K activations × S seeds trained together as one batched computation.

Models whose parameters have the same shapes (every elementwise activation, and per-layer mixes
of them) are stacked along a leading model axis and run with batched matrix products
(``torch.baddbmm``) or grouped convolutions, so one Python step trains all of them; only the
activation itself is applied slice by slice. CReLU (doubles the width) and Maxout (K pieces)
change the shapes, so their models form groups of their own; the groups are a short Python loop.
Models are independent: the loss summed over models has, for each model, its own loss's gradient,
and SGD, momentum and Adam are elementwise, so the batched run equals sequential runs (tested).

Per seed every activation starts from the same standard-normal draws, scaled by the chosen
initialisation (so with one scheme for all, the initial weights are identical):
He normal, std √(2/fan_in) (He et al., 2015, arXiv:1502.01852); Xavier/Glorot normal,
std √(2/(fan_in+fan_out)) (Glorot & Bengio, AISTATS 2010); LeCun normal, std √(1/fan_in)
(LeCun et al., "Efficient BackProp", 1998), the one SELU's self-normalisation assumes
(Klambauer et al., 2017, arXiv:1706.02515). The default target training error, 25 %, is the
level Krizhevsky et al. (NeurIPS 2012, fig. 1) use to compare ReLU with tanh.
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass, field, replace

import numpy as np
import torch
import torch.nn.functional as F

from activations import get

from .datasets import MAX_POINTS, NAMES, TOY_2D, Dataset, load
from .metrics import dead_fraction_stacked

INITS = ("auto", "he", "xavier", "lecun")
OPTIMIZERS = ("sgd", "momentum", "adam")
MODELS = ("mlp", "conv")
MAX_DEPTH, MAX_WIDTH, MAX_EPOCHS, MAX_MODELS, MAX_STEPS = 8, 256, 2000, 48, 20_000
MAX_WORK = 3e11  # multiply-adds of a whole run (forward, ×3 with backward): about a minute on 2 cores
GRID = 60  # decision-boundary grid for 2-D sets: GRID × GRID points
LOG_POINTS = 50  # default logging: 50 to 99 points a run (every step of shorter runs), smooth curves at little cost
_XAVIER, _LECUN = {"tanh", "sigmoid", "softmax"}, {"selu"}


def default_init(slug: str) -> str:
    """He for the rectifier family, LeCun normal for SELU, Xavier for the saturating ones."""
    return "lecun" if slug in _LECUN else "xavier" if slug in _XAVIER else "he"


def init_std(scheme: str, fan_in: int, fan_out: int) -> float:
    return {"he": math.sqrt(2 / fan_in), "xavier": math.sqrt(2 / (fan_in + fan_out)),
            "lecun": math.sqrt(1 / fan_in)}[scheme]


@dataclass
class Config:
    """Everything a comparison needs; ``validate`` enforces the server's caps.

    ``activations`` lists the compared entries; an entry is a slug (every hidden layer) or
    slugs joined by ``+``, one per hidden layer (``"relu+tanh"``). ``params`` overrides an
    activation's parameters by slug, e.g. ``{"leaky_relu": {"alpha": 0.1}}``."""
    dataset: str = "moons"
    n: int = 1000
    noise: float = 0.2
    classes: int = 2
    data_seed: int = 0
    test_fraction: float = 0.3
    model: str = "mlp"
    depth: int = 2
    width: int = 16
    activations: tuple[str, ...] = ("relu", "tanh")
    params: dict = field(default_factory=dict)
    prelu_per_unit: bool = True
    seeds: int = 3
    seed: int = 0
    init: str = "auto"
    optimizer: str = "adam"
    lr: float = 0.01
    momentum: float = 0.9
    epochs: int = 300
    batch_size: int = 0  # 0: full batch
    target_error: float = 0.25
    device: str = "auto"
    log_every: int = 0  # 0: every max(1, steps // LOG_POINTS) steps
    snapshot_every: float = 0.1  # seconds between progress snapshots (the page redraws four times a second)

    def layer_acts(self, entry: str) -> tuple[str, ...]:
        slugs = tuple(entry.split("+"))
        return slugs * self.depth if len(slugs) == 1 else slugs

    def act_params(self, slug: str) -> dict:
        return {**get(slug).defaults, **self.params.get(slug, {})}

    def validate(self, data: Dataset | None = None) -> None:
        """Raise ``ValueError`` with a message a student can act on."""
        def need(ok, msg):
            if not ok:
                raise ValueError(msg)
        need(data is not None or self.dataset in NAMES, f"unknown data set {self.dataset!r}")
        need(self.model in MODELS, f"model must be one of {MODELS}")
        need(self.model == "mlp" or self.dataset == "digits", "the conv net needs the digits (8×8 images)")
        need(1 <= self.depth <= MAX_DEPTH, f"depth must be between 1 and {MAX_DEPTH} hidden layers")
        need(1 <= self.width <= MAX_WIDTH, f"width must be between 1 and {MAX_WIDTH} units")
        need(1 <= self.epochs <= MAX_EPOCHS, f"epochs must be between 1 and {MAX_EPOCHS}")
        need(len(self.activations) >= 1, "choose at least one activation")
        need(len(set(self.activations)) == len(self.activations), "each activation once, please")
        need(1 <= self.seeds and len(self.activations) * self.seeds <= MAX_MODELS,
             f"activations × seeds = {len(self.activations) * self.seeds} exceeds the cap of {MAX_MODELS} models")
        need(10 <= self.n <= MAX_POINTS, f"data size must be between 10 and {MAX_POINTS} points")
        need(self.init in INITS, f"init must be one of {INITS}")
        need(self.optimizer in OPTIMIZERS, f"optimizer must be one of {OPTIMIZERS}")
        need(0 < self.lr <= 10 and math.isfinite(self.lr), "learning rate must lie in (0, 10]")
        need(self.batch_size >= 0, "batch size must be ≥ 0 (0 = full batch)")
        for entry in self.activations:
            slugs = self.layer_acts(entry)
            need(len(slugs) == self.depth, f"{entry!r}: give one activation or one per hidden layer ({self.depth})")
            for s in slugs:
                get(s)  # KeyError with the known slugs
                need(self.model == "mlp" or s != "softmax", "softmax over channels is not offered in the conv net")
        n_train = len(data.x_train) if data is not None else self._n_train()
        steps = self.epochs * (math.ceil(n_train / self.batch_size) if self.batch_size else 1)
        need(steps <= MAX_STEPS, f"{steps} steps exceed the cap of {MAX_STEPS}: fewer epochs or a larger batch")
        work = 3 * len(self.activations) * self.seeds * n_train * self.epochs * self._macs_per_point()
        need(work <= MAX_WORK, f"this run needs about {work:.1e} multiply-adds, over the server's cap of "
                               f"{MAX_WORK:.0e}: reduce data size, width, depth, epochs or seeds")

    def _n_train(self) -> int:
        n = self.n if self.dataset in TOY_2D else 1797 if self.dataset == "digits" else 569
        return n - max(1, round(self.test_fraction * n))

    def _macs_per_point(self) -> int:
        w = self.width * 2  # CReLU / Maxout k=2 double one side
        if self.model == "conv":
            return 64 * 9 * (w + (self.depth - 1) * w * w)
        return 64 * 2 * w + (self.depth - 1) * w * w + w * 10


# ------------------------------------------------------------------------------------------
# Activations on a stack of models: the tensor is (models, N, features, ...); features at dim 2
# ------------------------------------------------------------------------------------------
class _Act:
    """One activation for a contiguous slice of a group's models at one layer. Torch's own
    module where there is one; PReLU (a learned slope per model and unit/channel) and RReLU
    (noise drawn from the run's own generator, so runs are reproducible even when two sessions
    train at once; torch's F.rrelu only uses the global generator) are written here."""

    def __init__(self, slug: str, params: dict, n_models: int, width: int, per_unit: bool, device):
        self.slug, self.p, self.slope = slug, params, None
        if slug == "prelu":
            self.slope = torch.full((n_models, width if per_unit else 1), float(params["a"]), device=device,
                                    requires_grad=True)
        elif slug != "rrelu":
            self.module = get(slug).to_torch(**params)
            if hasattr(self.module, "dim"):  # CReLU, Maxout, Softmax: act on the feature axis
                self.module.dim = 2

    def __call__(self, h: torch.Tensor, training: bool, gen: torch.Generator) -> torch.Tensor:
        if self.slope is not None:
            a = self.slope.view(self.slope.shape[0], 1, self.slope.shape[1], *[1] * (h.dim() - 3))
        elif self.slug == "rrelu":  # Xu et al. (2015): slope ~ U(lower, upper) in training, the mean in evaluation
            lo, up = self.p["lower"], self.p["upper"]
            a = torch.empty_like(h).uniform_(lo, up, generator=gen) if training else (lo + up) / 2
        else:
            return self.module(h)
        return torch.where(h >= 0, h, a * h)


def _width_after(slug: str, params: dict, width: int) -> tuple[int, int]:
    """(outputs of the linear/conv layer, features after the activation)."""
    if slug == "maxout":
        return width * int(params["k"]), width
    return width, 2 * width if slug == "crelu" else width


class _Group:
    """Models with the same parameter shapes, stacked along dim 0: ``members`` is a list of
    (entry index, per-layer slugs); each member contributes ``seeds`` consecutive models."""

    def __init__(self, cfg: Config, members: list, data: Dataset, device):
        self.cfg, self.members, S = cfg, members, cfg.seeds
        self.G = G = len(members) * S
        self.conv = cfg.model == "conv"
        slugs0 = members[0][1]
        fan_in = 1 if self.conv else data.n_features
        self.weights, self.biases, self.acts = [], [], []
        size = 8  # digits' side
        for l in range(cfg.depth):
            p0 = cfg.act_params(slugs0[l])
            out, nxt = _width_after(slugs0[l], p0, cfg.width)
            shape = (out, fan_in, 3, 3) if self.conv else (fan_in, out)
            fans = (fan_in * 9, out * 9) if self.conv else (fan_in, out)
            self._add_layer(shape, fans, [s[l] for _, s in members])
            self.acts.append([(slice(i * S, (i + 1) * S), _Act(s[l], cfg.act_params(s[l]), S, out,
                                                                       cfg.prelu_per_unit, device)) for i, (_, s) in enumerate(members)])
            fan_in = nxt
            if self.conv and self._pool_after(l):
                size //= 2
        fan_in = fan_in * size * size if self.conv else fan_in
        self._add_layer((fan_in, data.n_classes), (fan_in, data.n_classes), [s[-1] for _, s in members])
        self.weights = [w.to(device).requires_grad_() for w in self.weights]
        self.biases = [b.to(device).requires_grad_() for b in self.biases]

    def _pool_after(self, l: int) -> bool:
        return self.conv and l == 1  # 8×8 → 4×4 after the second conv layer

    def _add_layer(self, shape, fans, slugs_per_member):
        """Weights (G, *shape): for model (member i, seed s), N(0, 1) draws that depend only on
        the seed and the layer, times the member's init std."""
        cfg, S, l = self.cfg, self.cfg.seeds, len(self.weights)
        z = torch.stack([torch.randn(shape, generator=torch.Generator().manual_seed(1_000_003 * (cfg.seed + s) + l))
                         for s in range(S)])
        stds = [init_std(default_init(slug) if cfg.init == "auto" else cfg.init, *fans) for slug in slugs_per_member]
        self.weights.append(torch.cat([z * std for std in stds]))
        self.biases.append(torch.zeros(self.G, shape[0] if self.conv and len(shape) == 4 else shape[-1]))

    def prelu_slopes(self) -> torch.Tensor:
        """Mean learned PReLU slope per model and layer, (G, layers); NaN where a layer has none."""
        out = torch.full((self.G, len(self.acts)), float("nan"), device=self.weights[0].device)
        for l, layer in enumerate(self.acts):
            for sl, a in layer:
                if a.slope is not None:
                    out[sl, l] = a.slope.detach().mean(1)
        return out

    def parameters(self) -> list[torch.Tensor]:
        slopes = [a.slope for layer in self.acts for _, a in layer if a.slope is not None]
        return self.weights + self.biases + slopes

    def forward(self, x: torch.Tensor, training: bool, gen) -> tuple[torch.Tensor, list[torch.Tensor]]:
        """Logits (G, N, classes) and each hidden layer's output (G, N, features, ...)."""
        h, hidden = x.expand(self.G, *x.shape), []
        for l, (w, b) in enumerate(zip(self.weights[:-1], self.biases[:-1])):
            z = self._conv(h, w, b) if self.conv else torch.baddbmm(b.unsqueeze(1), h, w)
            acts = self.acts[l]
            h = acts[0][1](z, training, gen) if len(acts) == 1 else torch.cat([a(z[sl], training, gen) for sl, a in acts])
            if self._pool_after(l):
                h = F.max_pool2d(h.flatten(0, 1), 2).unflatten(0, h.shape[:2])
            hidden.append(h)
        return torch.baddbmm(self.biases[-1].unsqueeze(1), h.flatten(2), self.weights[-1]), hidden

    def _conv(self, h, w, b):
        """Grouped convolution: model g's channels only see model g's weights."""
        G, N, C, H, W = h.shape
        z = F.conv2d(h.transpose(0, 1).reshape(N, G * C, H, W), w.flatten(0, 1), b.flatten(), padding=1, groups=G)
        return z.view(N, G, -1, H, W).transpose(0, 1)


# ------------------------------------------------------------------------------------------
# A run and its results
# ------------------------------------------------------------------------------------------
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
    stopped: bool = False
    done: bool = False
    trainer: "Trainer | None" = field(default=None, repr=False)

    @property
    def seeds(self) -> int:
        return self.config.seeds

    def label(self, m: int) -> str:
        return f"{self.entries[m // self.seeds]} / seed {self.config.seed + m % self.seeds}"

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
            row = {"activation": entry,
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


class Trainer:
    """Builds the stacked models for ``cfg`` and trains them; ``run`` returns a ``Result``."""

    def __init__(self, cfg: Config, data: Dataset | None = None):
        cfg.validate(data)
        self.cfg = cfg
        want = cfg.device if cfg.device != "auto" else ("cuda" if torch.cuda.is_available() else "cpu")
        if want == "cuda" and not torch.cuda.is_available():
            raise ValueError("no CUDA device on this server; choose CPU")
        self.device = torch.device(want)
        if data is None:
            data = load(cfg.dataset, n=cfg.n, noise=cfg.noise, seed=cfg.data_seed, test_fraction=cfg.test_fraction,
                        classes=cfg.classes, image=cfg.model == "conv")
        self.data = data.to(self.device)
        groups: dict[tuple, list] = {}
        for i, entry in enumerate(cfg.activations):
            slugs = cfg.layer_acts(entry)
            key = tuple(_width_after(s, cfg.act_params(s), cfg.width) + (s == "crelu",) for s in slugs)
            groups.setdefault(key, []).append((i, slugs))
        self.groups = [_Group(cfg, members, self.data, self.device) for members in groups.values()]
        # model m (entry · S + seed) sits at position order[m] of the groups' concatenation
        S = cfg.seeds
        starts = np.cumsum([0] + [g.G for g in self.groups])
        flat = [(int(starts[gi]) + j * S) for gi, g in enumerate(self.groups) for j in range(len(g.members))]
        member_start = dict(zip([i for g in self.groups for i, _ in g.members], flat))
        self.order = np.array([member_start[m // S] + m % S for m in range(len(cfg.activations) * S)])
        identity = (self.order == np.arange(len(self.order))).all()
        self._to_model = None if identity else torch.as_tensor(self.order, device=self.device)
        self.flat = _one_vector([p for g in self.groups for p in g.parameters()])
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

    def predict_proba(self, x: torch.Tensor) -> np.ndarray:
        """Class probabilities (models, N, classes) in evaluation mode."""
        with torch.no_grad():
            return torch.softmax(self.forward(x.to(self.device)), -1).cpu().numpy()

    def hidden_outputs(self, x: torch.Tensor, m: int) -> list[np.ndarray]:
        """Model m's hidden-layer outputs (N, features) for inputs x, evaluation mode."""
        g, local = self._locate(m)
        with torch.no_grad():
            return [h[local].cpu().numpy() for h in g.forward(x.to(self.device), False, self.gen)[1]]

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
            dead.append(torch.stack([dead_fraction_stacked(h) for h in hidden], 1))
            gnorm.append(torch.stack([w.grad.flatten(1).norm(dim=1) for w in g.weights[:-1]], 1))
            slope.append(g.prelu_slopes())
        return tuple(_cat(t) for t in (dead, gnorm, slope))

    def _test_error(self) -> torch.Tensor:
        """Test error per model in evaluation mode, in group order."""
        return (self._logits(self.data.x_test, False)[0].argmax(-1) != self.data.y_test).float().mean(1)

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
        hist = _History(steps, steps // log_every + 1, self.n_models, cfg.depth, dev)
        grid = self._grid() if data.n_features == 2 else None
        res = Result(cfg, dev.type, tuple(cfg.activations), steps, trainer=self)
        t0, step = time.perf_counter(), 0
        last_snapshot, snapshots = t0, 0
        for epoch in range(cfg.epochs):
            perm = torch.randperm(n_train, generator=order_gen).to(dev) if per_epoch > 1 else None
            for b in range(per_epoch):
                if stop is not None and stop.is_set():
                    res.stopped = True
                    break
                x, y = (data.x_train, data.y_train) if perm is None else \
                    (data.x_train[perm[b * bs:(b + 1) * bs]], data.y_train[perm[b * bs:(b + 1) * bs]])
                logits, hidden = self._logits(x, True)
                losses = F.cross_entropy(logits.transpose(1, 2), y.expand(len(logits), -1), reduction="none").mean(1)
                self.flat.grad.zero_()  # every parameter's .grad is a view into it
                total = losses.sum()
                # A diverged model's NaN or ±inf must add no gradient, so mask them. On the CPU a finite
                # sum (every loss finite) skips the mask and its backward; a GPU would wait for item().
                if dev.type != "cpu" or not math.isfinite(total.item()):
                    total = losses.nan_to_num(0.0, 0.0, 0.0).sum()
                total.backward()
                logged = (step + 1) % log_every == 0 or step + 1 == steps
                with torch.no_grad():
                    hist.loss[step] = losses
                    hist.train_error[step] = (logits.argmax(-1) != y).float().mean(1)
                    if logged:  # before the update: the data set's hidden outputs go with these grads
                        stats = self._stats(hidden if per_epoch == 1 else self._logits(data.x_train, False)[1])
                self.optimizer.step()
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
        res = hist.result(res, step, self._model_order, done=True, **(self._boundary(grid) if grid is not None else {}))
        if callback is not None:
            callback(res)
        return res

    def _boundary(self, grid: torch.Tensor) -> dict:
        """The decision-boundary grid and every model's class probabilities on it."""
        return {"grid": grid.numpy(), "grid_probs": self.predict_proba(grid)}

    def _grid(self) -> torch.Tensor:
        x = torch.cat([self.data.x_train, self.data.x_test])
        lo, hi = x.min(0).values.cpu() - 0.5, x.max(0).values.cpu() + 0.5
        gx, gy = torch.meshgrid(torch.linspace(lo[0], hi[0], GRID), torch.linspace(lo[1], hi[1], GRID), indexing="xy")
        return torch.stack([gx.flatten(), gy.flatten()], 1)


class _History:
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
