"""What a comparison is: ``Config``, what it costs (``Cost``), and the caps that keep one request
from hogging a shared server.

A run is refused before it starts when its estimated cost exceeds a cap (``validate``, with a
message that names the cap): its multiply-adds, its CPU time on one core, one step's CPU time
(Stop acts between steps, so a step must be short), and its memory. The estimates come from a
model of the engine's cost whose constants were measured (``bench/bench_caps.py`` checks them
against real runs, docs/benchmarks.md "Caps"). The worker that trains a run enforces harder
limits whatever the estimate said (``HARD_SECONDS`` of CPU time, then the run stops;
``HARD_MEMORY`` of allocations, then it fails), see ``training.runner``.

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
OPTIMIZER_NAMES = {"sgd": "SGD", "momentum": "SGD + momentum 0.9", "adam": "Adam"}
#: The learning rates the training lab offers (a grid from 10⁻⁴ to 3, about ×3 a step).
LEARNING_RATES = (0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.05, 0.1, 0.3, 1.0, 3.0)
REGULARIZERS = ("none", "l1", "l2")
MODELS = ("mlp", "conv")
MAX_DEPTH, MAX_WIDTH, MAX_EPOCHS, MAX_MODELS, MAX_STEPS = 8, 256, 2000, 48, 20_000
MAX_WORK = 3e11  # multiply-adds of a whole run (forward, ×3 with backward)
MAX_SECONDS = 60.0  # estimated CPU seconds of a whole run, on one core
MAX_STEP_SECONDS = 0.5  # estimated CPU seconds of one training step: Stop acts within a second
MAX_MEMORY = 1_000_000_000  # estimated peak bytes a run allocates (beyond the worker's own ~0.2 GB)
HARD_SECONDS = 2 * MAX_SECONDS  # a worker stops a run after this much CPU time, whatever the estimate
HARD_MEMORY = 2 * MAX_MEMORY  # and refuses allocations beyond this (RLIMIT_DATA)
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
    snapshot_every: float = 0.5  # seconds between progress snapshots (a training page polls once a second)
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

    def validate(self, data: Dataset | None = None) -> Cost:
        """The run's estimated cost (``cost``), once every setting and the cost are within the caps;
        else ``ValueError`` with a message a student can act on. Called once, where a request comes
        in (the page), which passes the ``Cost`` on."""
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
        cost = self.cost(data)
        need(cost.steps <= MAX_STEPS,
             f"{cost.steps} steps exceed the cap of {MAX_STEPS}: fewer epochs or a larger batch")
        need(cost.work <= MAX_WORK, f"this run needs about {cost.work:.1e} multiply-adds, over the server's cap of "
                                    f"{MAX_WORK:.0e}: reduce data size, width, depth, epochs or seeds")
        need(cost.step_seconds <= MAX_STEP_SECONDS,
             f"one training step would take about {cost.step_seconds:.1f} s of CPU, over the server's cap of "
             f"{MAX_STEP_SECONDS:g} s a step (Stop acts between steps): use mini-batches (batch size), "
             "or reduce data size, width, depth or seeds")
        need(cost.seconds <= MAX_SECONDS,
             f"this run would take about {cost.seconds:.0f} s of CPU, over the server's cap of {MAX_SECONDS:.0f} s "
             "a run: reduce epochs, data size, width, depth or seeds")
        need(cost.memory <= MAX_MEMORY,
             f"this run would need about {cost.memory / 1e9:.1f} GB of memory, over the server's cap of "
             f"{MAX_MEMORY / 1e9:g} GB a run: use mini-batches (batch size), or reduce data size, width, depth or seeds")
        return cost

    def n_train(self) -> int:
        """Training points of the configured data set, by the split ``datasets.load`` makes."""
        total = datasets.size(self.dataset, self.n)
        return total - datasets.n_test(total, self.test_fraction)

    def cost(self, data: Dataset | None = None) -> "Cost":
        """What this run costs, estimated from its shapes (see ``Cost``)."""
        from .stack import width_after  # stack imports this module

        if data is not None:
            n_train, n_test, features, classes = len(data.x_train), len(data.x_test), data.n_features, data.n_classes
        else:
            n_train = self.n_train()
            n_test = datasets.size(self.dataset, self.n) - n_train
            features, classes = datasets.shape(self.dataset, self.classes)
        batch = self.batch_size if 0 < self.batch_size < n_train else n_train
        steps = self.epochs * math.ceil(n_train / batch)
        log_every = self.log_every or max(1, steps // LOG_POINTS)
        logs = steps // log_every + 1
        conv, S = self.model == "conv", self.seeds
        macs = floats = params = ops = 0
        groups: dict[tuple, int] = {}
        for entry in self.activations:
            fan_in, size, key = (1 if conv else features), 8, []
            for l, slug in enumerate(self.layer_acts(entry)):
                out, nxt = width_after(slug, self.act_params(slug), self.width)
                area = size * size if conv else 1
                macs += S * area * fan_in * out * (9 if conv else 1)
                floats += S * area * (2 * out + nxt)  # pre-activation, its gradient, output
                params += S * (fan_in * out * (9 if conv else 1) + out)
                key.append((out, nxt, slug == "crelu"))
                fan_in = nxt
                if conv and l == 1:
                    size //= 2
            head = fan_in * (size * size if conv else 1)
            macs += S * head * classes
            params += S * (head + 1) * classes
            groups[tuple(key)] = groups.get(tuple(key), 0) + 1
        for members in groups.values():  # a group's layer: one matmul, one activation call per member
            ops += self.depth * (1 + members) + 1
        evaluated = n_test + (n_train if batch < n_train else 0)  # logged steps also see these points
        rate = MACS_PER_SECOND / (CONV_SLOWDOWN if conv else 1)
        work = 3 * macs * n_train * self.epochs
        step = STEP_SECONDS + OP_SECONDS * ops + 3 * macs * batch / rate
        seconds = steps * step + logs * (LOG_OP_SECONDS * ops + macs * evaluated / rate)
        # a training step keeps its activations for the backward pass; an evaluation (the logged test
        # error and, for 2-D data, the decision boundary's 3,600 points) keeps every layer's outputs
        seen = max(evaluated, 3600 if features == 2 and not conv else 0)
        memory = (BASE_MEMORY + 4 * max(ACTIVATION_COPIES * floats * batch, floats * seen)
                  + 16 * params + 4 * (2 * steps + 4 * logs * self.depth) * S * len(self.activations))
        return Cost(steps, work, seconds, step, memory)


# Constants of the cost model, measured with bench/bench_caps.py on one core of the server
# (docs/benchmarks.md, "Caps"); rounded so that the estimates are at least the measured costs.
STEP_SECONDS = 3e-4  # a step's fixed Python cost
OP_SECONDS = 2.5e-5  # each batched matmul or activation call of a step (forward and backward)
LOG_OP_SECONDS = 2.5e-4  # the same at a logged step (test error, dead units, gradient norms)
MACS_PER_SECOND = 8e9  # multiply-adds a second on one core (MLP: batched matrix products)
CONV_SLOWDOWN = 2.0  # grouped convolutions reach about half that
ACTIVATION_COPIES = 2.0  # float32 words held per activation value in a training step
BASE_MEMORY = 80e6  # what any run allocates besides (torch's buffers, the data, the figures' grid)


@dataclass(frozen=True)
class Cost:
    """A run's estimated cost: ``steps``; ``work``, multiply-adds (forward, backward counted as
    twice the forward); ``seconds``, CPU time on one core; ``step_seconds``, one step's CPU time;
    ``memory``, peak bytes allocated (activations kept for the backward pass, parameters with
    their gradients and optimiser state, the records)."""
    steps: int
    work: float
    seconds: float
    step_seconds: float
    memory: float
