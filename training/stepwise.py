"""What a step-by-step comparison is (the lab that trains as TensorFlow Playground does, one
epoch at a time, every compared activation side by side): its data sets, its caps, its
activations, and its ``Config`` (``setup``, ``check``). No torch here: the pages' declarations
import this module; ``training.stepwise_setup`` computes what the student's browser trains from.

Sizes are capped (``MAX_*``) so that a class can train at once on one small server."""
from __future__ import annotations

import re
from dataclasses import replace

from activations import REGISTRY

from . import datasets
from .config import Config

#: The 2-D sets: five for classification (two classes), Playground's two for regression.
CLASSIFY = ("circles", "xor", "moons", "spiral", "blobs")
DATASETS = CLASSIFY + datasets.REGRESSION_2D
MIN_POINTS, MAX_POINTS = 100, 1000
MAX_LAYERS, MAX_UNITS = 6, 8  # as TensorFlow Playground: up to 6 hidden layers of up to 8 units
MAX_ACTIVATIONS = 6
MAX_BATCH = 30  # Playground's batch sizes run from 1 to 30
MAX_EPOCHS = 10_000  # a run pauses here, so an open tab cannot train forever
#: Activations that change a layer's width (CReLU doubles it, Maxout has k pieces per unit): their
#: networks are not drawn unit by unit here; the Training lab compares them.
RESHAPING = ("crelu", "maxout")
#: The activations this lab offers: every other one in the registry.
ACTIVATIONS = tuple(s for s in REGISTRY if s not in RESHAPING)
GRID = 48  # points per side of the plane where the browser draws the output and every unit
MAX_CLASSES = 5  # the spiral and the blobs come in 2 to MAX_CLASSES classes (softmax over them)
MULTICLASS = ("spiral", "blobs")


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


def network_key(cfg: Config) -> str:
    """What identifies the networks and data of ``cfg``: everything but what applies without a
    reset (the learning rate and the regularisation)."""
    return repr(replace(cfg, lr=0.0, regularization="none", reg_rate=0.0))


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
    need(2 <= cfg.classes <= MAX_CLASSES, f"classes: 2 to {MAX_CLASSES}")
