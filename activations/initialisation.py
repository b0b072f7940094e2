"""Weight initialisation: the schemes, their standard deviations and each activation's usual one.

Every scheme draws the weights from N(0, std²) with zero biases; the schemes differ in std:
- He normal, std √(2/fan_in) (He et al., 2015, "Delving deep into rectifiers",
  arXiv:1502.01852): doubles the variance to make up for the half of a rectifier's inputs it
  zeroes, the usual choice for the ReLU family.
- Xavier/Glorot normal, std √(2/(fan_in + fan_out)) (Glorot & Bengio, AISTATS 2010): keeps the
  variance of activations and gradients for units that are linear near 0, such as tanh and
  the sigmoid.
- LeCun normal, std √(1/fan_in) (LeCun et al., "Efficient BackProp", 1998): the one SELU's
  self-normalisation assumes (Klambauer et al., 2017, arXiv:1706.02515).

``Activation.init`` holds each activation's usual scheme (``usual``); a page or a training
config offers ``CHOICES``: ``"usual"`` (each activation its own) or one scheme for all.
Pure math: no torch, no NumPy."""
from __future__ import annotations

import math

SCHEMES = ("he", "xavier", "lecun")
USUAL = "usual"
CHOICES = (USUAL, *SCHEMES)
NAMES = {"he": "He normal", "xavier": "Xavier/Glorot normal", "lecun": "LeCun normal"}
LABELS = {USUAL: "Each activation's usual one", **NAMES}
HELP = ("Weights drawn from a normal distribution with variance 2/fan_in (He), 2/(fan_in + fan_out) "
        "(Xavier/Glorot) or 1/fan_in (LeCun), biases zero. Usual: Xavier for sigmoid, tanh and softmax, "
        "LeCun for SELU, He for the rest.")

_USUAL_BY_SLUG = {"sigmoid": "xavier", "tanh": "xavier", "softmax": "xavier", "selu": "lecun"}


def usual(slug: str) -> str:
    """The scheme an activation is usually paired with: LeCun normal for SELU, Xavier for the
    saturating sigmoid, tanh and softmax, He for the rectifier family (every other entry)."""
    return _USUAL_BY_SLUG.get(slug, "he")


def std(scheme: str, fan_in: int, fan_out: int) -> float:
    """Standard deviation of a weight under ``scheme`` for a layer with these fans (for a
    convolution, channels × kernel area)."""
    if scheme == "he":
        return math.sqrt(2 / fan_in)
    if scheme == "xavier":
        return math.sqrt(2 / (fan_in + fan_out))
    if scheme == "lecun":
        return math.sqrt(1 / fan_in)
    raise ValueError(f"unknown initialisation {scheme!r}; choose from {', '.join(SCHEMES)}")
