"""What a comparison is: ``Config``, and the caps that keep one request from hogging a shared server.

The default target training error, 25 %, is the level Krizhevsky et al. (NeurIPS 2012, fig. 1)
use to compare ReLU with tanh."""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from activations import get
from activations.initialisation import CHOICES as INITS

from . import datasets, features
from .datasets import MAX_POINTS, NAMES, Dataset

OPTIMIZERS = ("sgd", "momentum", "adam")
REGULARIZERS = ("none", "l1", "l2")
MODELS = ("mlp", "conv")
MAX_DEPTH, MAX_WIDTH, MAX_EPOCHS, MAX_MODELS, MAX_STEPS = 8, 256, 2000, 48, 20_000
MAX_WORK = 3e11  # multiply-adds of a whole run (forward, ×3 with backward): about a minute on 2 cores
LOG_POINTS = 50  # default logging: 50 to 99 points a run (every step of shorter runs), smooth curves at little cost


@dataclass
class Config:
    """Everything a comparison needs; ``validate`` enforces the server's caps.

    ``activations`` lists the compared entries; an entry is a slug (every hidden layer) or
    slugs joined by ``+``, one per hidden layer (``"relu+tanh"``). ``params`` overrides an
    activation's parameters by slug, e.g. ``{"leaky_relu": {"alpha": 0.1}}``.

    ``widths``, when given, are the hidden layers' widths one by one (``(4, 6, 2)``; ``()``: no
    hidden layer, a linear model) and set ``depth`` and ``width`` (the widest). ``features``
    (2-D data only) are the inputs the network sees, from ``training.features``; empty: the data's
    own. ``regularization`` ("l1" or "l2", on the weights, not the biases) adds ``reg_rate`` × its
    penalty: L2 adds ``reg_rate`` × w to each weight's gradient (the gradient of
    ``reg_rate``/2 · ‖w‖²); L1 is a proximal step after each optimiser step (see ``engine``)."""
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
    init: str = "usual"  # each activation's usual scheme (Activation.init), or one of he, xavier, lecun for all
    optimizer: str = "adam"
    lr: float = 0.01
    momentum: float = 0.9
    epochs: int = 300
    batch_size: int = 0  # 0: full batch
    target_error: float = 0.25
    device: str = "auto"
    log_every: int = 0  # 0: every max(1, steps // LOG_POINTS) steps
    snapshot_every: float = 0.1  # seconds between progress snapshots (the page redraws four times a second)
    widths: tuple[int, ...] | None = None  # per hidden layer; None: `depth` layers of `width`
    features: tuple[str, ...] = ()  # input features of 2-D data (training.features); (): the raw inputs
    regularization: str = "none"  # "none", "l1" or "l2", on the weights
    reg_rate: float = 0.0

    def __post_init__(self):
        if self.widths is not None:
            self.widths = tuple(self.widths)
            self.depth, self.width = len(self.widths), max(self.widths, default=self.width)

    def layer_widths(self) -> tuple[int, ...]:
        """Each hidden layer's width."""
        return self.widths if self.widths is not None else (self.width,) * self.depth

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
        need((0 if self.widths is not None else 1) <= self.depth <= MAX_DEPTH,
             f"depth must be between 1 and {MAX_DEPTH} hidden layers")
        need(all(1 <= w <= MAX_WIDTH for w in self.layer_widths()) and 1 <= self.width <= MAX_WIDTH,
             f"width must be between 1 and {MAX_WIDTH} units")
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
        need(self.regularization in REGULARIZERS, f"regularization must be one of {REGULARIZERS}")
        need(0 <= self.reg_rate <= 10 and math.isfinite(self.reg_rate), "regularization rate must lie in [0, 10]")
        if self.features:
            features.check(self.features)
            flat = data.n_features if data is not None else 2 if self.dataset in datasets.TOY_2D else 0
            need(self.model == "mlp" and flat == 2, "input features need 2-D data and the MLP")
        for entry in self.activations:
            slugs = self.layer_acts(entry)
            need(len(slugs) == self.depth, f"{entry!r}: give one activation or one per hidden layer ({self.depth})")
            for s in slugs:
                get(s)  # KeyError with the known slugs
                need(self.model == "mlp" or s != "softmax", "softmax over channels is not offered in the conv net")
        n_train = len(data.x_train) if data is not None else self.n_train()
        steps = self.epochs * (math.ceil(n_train / self.batch_size) if self.batch_size else 1)
        need(steps <= MAX_STEPS, f"{steps} steps exceed the cap of {MAX_STEPS}: fewer epochs or a larger batch")
        work = 3 * len(self.activations) * self.seeds * n_train * self.epochs * self._macs_per_point()
        need(work <= MAX_WORK, f"this run needs about {work:.1e} multiply-adds, over the server's cap of "
                               f"{MAX_WORK:.0e}: reduce data size, width, depth, epochs or seeds")

    def n_train(self) -> int:
        """Training points of the configured data set, by the split ``datasets.load`` makes."""
        total = datasets.size(self.dataset, self.n)
        return total - datasets.n_test(total, self.test_fraction)

    def _macs_per_point(self) -> int:
        w = self.width * 2  # CReLU / Maxout k=2 double one side
        if self.model == "conv":
            return 64 * 9 * (w + (self.depth - 1) * w * w)
        return 64 * 2 * w + (self.depth - 1) * w * w + w * 10
