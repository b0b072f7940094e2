"""Saturation, made visible: one unit z = w·x with 100 standard-normal inputs and random weights
scaled to the norm ‖w‖ = ``scale``, so that z is normal with standard deviation ``scale`` (the
weight initialisation's scale; He initialisation gives about √2, Xavier about 1 in a layer
of 100 units fed by 100, and about √2 for this single unit, whose fan-out is 1).
As the scale grows, the pre-activations of a sigmoid or tanh unit move into the flat tails,
where the derivative is almost 0; ReLU's derivative is exactly 1 wherever z > 0, at any scale.

NumPy and the registry only (no torch): the section redraws within a slider's round trip.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from activations import REGISTRY

FAN_IN, SAMPLES = 100, 4000
SATURATED = 0.01  # a derivative below 1 % of the activation's largest derivative counts as saturated
Z_BINS = np.linspace(-30, 30, 121)
SLOPE_BINS = np.linspace(0, 1, 51)
SATURATING = ("sigmoid", "tanh")
ACTS = SATURATING + ("relu",)


@dataclass(frozen=True)
class Unit:
    scale: float
    z: np.ndarray  # (SAMPLES,) pre-activations
    slopes: dict[str, np.ndarray]  # activation → f′(z), (SAMPLES,)

    def z_counts(self) -> np.ndarray:
        """Histogram of z over ``Z_BINS`` (values beyond ±30 fall into the outer bins)."""
        return np.histogram(np.clip(self.z, Z_BINS[0], Z_BINS[-1]), Z_BINS)[0]

    def slope_counts(self, act: str) -> np.ndarray:
        """Histogram of f′(z) / max f′ over ``SLOPE_BINS``: 0 = flat, 1 = the steepest the activation gets."""
        return np.histogram(self.slopes[act] / peak_slope(act), SLOPE_BINS)[0]

    def saturated(self, act: str) -> float:
        """Share of inputs where f′(z) is below ``SATURATED`` of the activation's largest slope."""
        return float(np.mean(self.slopes[act] < SATURATED * peak_slope(act)))

    def mean_slope(self, act: str, active: bool = False) -> float:
        """Mean f′(z) over all inputs, or over the active side z > 0 only."""
        slopes = self.slopes[act][self.z > 0] if active else self.slopes[act]
        return float(slopes.mean())


def peak_slope(act: str) -> float:
    """The largest derivative: σ′(0) = 1/4, tanh′(0) = 1, ReLU′ = 1."""
    return float(REGISTRY[act].derivative(np.array([0.0, 1.0])).max())


def unit(scale: float, seed: int = 0) -> Unit:
    if not (np.isfinite(scale) and scale > 0):
        raise ValueError("the weight scale must be a positive number")
    z = scale * _unit_z(seed)
    return Unit(scale, z, {a: REGISTRY[a].derivative(z) for a in ACTS})


@lru_cache(maxsize=2)
def _unit_z(seed: int) -> np.ndarray:
    """w·x for the inputs and a weight vector of norm 1, drawn once per seed."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((SAMPLES, FAN_IN))
    w = rng.standard_normal(FAN_IN)
    return x @ (w / np.linalg.norm(w))
