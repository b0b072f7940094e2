"""Input features for 2-D data, the seven TensorFlow Playground offers: X₁, X₂, X₁², X₂², X₁X₂,
sin X₁, sin X₂, computed from a point's two (standardised) coordinates.

A network sees only the features chosen (``Config.features``); with X₁² and X₂² a model with no
hidden layer draws a circle, which it cannot with X₁ and X₂ alone (tests/training/test_stepwise.py).
The coordinates are the data set's after standardisation (mean 0, standard deviation 1 on the
training split). Playground takes the sine of its raw coordinates, which lie in [−6, 6]
(``src/playground.ts``: ``sinX: Math.sin(x)``, ``xDomain = [-6, 6]``): about 1.9 periods across its
plane. Of a standardised coordinate the sine would cover only 0.4 to 0.8 of a period across a data
set, so sin X₁ here is the sine of the coordinate put back on Playground's scale,
sin(``SIN_SCALE`` · X₁), with ``SIN_SCALE`` = 2√3 ≈ 3.46, the standard deviation of a coordinate
uniform on [−6, 6]. For Playground's own regression sets (``plane``, ``gauss``, uniform on
[−6, 6]²) that is Playground's coordinate again, 1.9 periods across the data; across the other
five sets 1.5 to 2.7 periods (tests/training/test_stepwise.py)."""
from __future__ import annotations

import math
from dataclasses import replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # torch loads with the first expansion: the pages' declarations import this module
    import torch

    from .datasets import Dataset

#: The features, in the order a network sees them, with the names the pages show.
NAMES = {"x1": "X₁", "x2": "X₂", "x1sq": "X₁²", "x2sq": "X₂²", "x1x2": "X₁X₂", "sin_x1": "sin X₁",
         "sin_x2": "sin X₂"}
FEATURES = tuple(NAMES)
RAW = ("x1", "x2")  # the coordinates themselves: a network's inputs when no features are chosen

#: Standardised coordinate × SIN_SCALE = Playground's coordinate: the standard deviation of U(−6, 6).
SIN_SCALE = 2 * math.sqrt(3)

_COMPUTE = {
    "x1": lambda a, b: a,
    "x2": lambda a, b: b,
    "x1sq": lambda a, b: a * a,
    "x2sq": lambda a, b: b * b,
    "x1x2": lambda a, b: a * b,
    "sin_x1": lambda a, b: (SIN_SCALE * a).sin(),
    "sin_x2": lambda a, b: (SIN_SCALE * b).sin(),
}


def check(features) -> tuple[str, ...]:
    """The chosen features in the network's order; ``ValueError`` with a message a student can act on."""
    unknown = [f for f in features if f not in NAMES]
    if unknown:
        raise ValueError(f"unknown input feature(s) {', '.join(map(str, unknown))}; choose from "
                         f"{', '.join(NAMES.values())}")
    if not features:
        raise ValueError("choose at least one input feature")
    return tuple(f for f in FEATURES if f in features)


def expand(x: "torch.Tensor", features) -> "torch.Tensor":
    """The chosen features of 2-D points ``x`` (N, 2): (N, len(features)), in ``FEATURES`` order."""
    if x.dim() != 2 or x.shape[1] != 2:
        raise ValueError(f"input features need 2-D points (N, 2), got shape {tuple(x.shape)}")
    import torch

    a, b = x[:, 0], x[:, 1]
    return torch.stack([_COMPUTE[f](a, b) for f in check(features)], 1)


def expand_dataset(data: "Dataset", features) -> "Dataset":
    """``data`` with its 2-D points replaced by their chosen features."""
    return replace(data, x_train=expand(data.x_train, features), x_test=expand(data.x_test, features),
                   n_features=len(check(features)))
