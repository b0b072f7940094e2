"""Metrics shared by the training lab and the lessons."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch


def dead_units(h: torch.Tensor) -> torch.Tensor:
    """Which units are dead, given their outputs ``h`` for every input of a data set.

    ``h`` has shape (N, units) or (N, channels, ...) for conv layers; a unit (channel) is dead
    when its output is exactly zero for every one of the N inputs. Returns a bool tensor with
    one entry per unit."""
    if h.dim() < 2:
        raise ValueError("h needs shape (N, units, ...)")
    return (h.transpose(0, 1).reshape(h.shape[1], -1) != 0).any(dim=1).logical_not()


def dead_fraction(h: torch.Tensor) -> float:
    """Fraction of dead units in ``h`` (see ``dead_units``)."""
    return dead_units(h).float().mean().item()


def dead_fraction_stacked(h: torch.Tensor) -> torch.Tensor:
    """``dead_fraction`` for a stack of models at once: ``h`` has shape (models, N, units, ...);
    returns one fraction per model (same rule: dead = exactly zero for every input, and for conv
    channels at every position). A sum of magnitudes is zero exactly when every term is, and
    summing is several times faster than ``count_nonzero`` or ``any`` here."""
    magnitude = h.abs().sum(dim=(1, *range(3, h.dim())))
    return (magnitude == 0).float().mean(dim=1)


@dataclass(frozen=True)
class Revival:
    """A hidden layer whose dead fraction fell again: ``peak`` at logged step ``peak_step``,
    ``end`` at the last logged step (fractions of the layer's units)."""

    model: int
    layer: int
    peak: float
    peak_step: int
    end: float


def revivals(dead: np.ndarray, log_steps: np.ndarray) -> list[Revival]:
    """Every (model, layer) of a run's dead fractions ``dead`` (logs, models, layers), logged at
    ``log_steps``, whose last value is below its peak: units that were dead on every training
    input came back. Largest fall first. Under plain gradient descent a first-layer unit cannot (its gradient is zero
    and its inputs are the data); momentum and Adam keep moving it, and a deeper unit's inputs
    change as the layers below learn."""
    if not len(dead):
        return []
    peak_at = np.nanargmax(np.nan_to_num(dead, nan=-1.0), axis=0)  # (models, layers)
    peak, end = np.take_along_axis(dead, peak_at[None], 0)[0], dead[-1]
    out = [Revival(int(m), int(l), float(peak[m, l]), int(log_steps[peak_at[m, l]]), float(end[m, l]))
           for m, l in zip(*np.nonzero(end < peak))]
    return sorted(out, key=lambda r: (r.end - r.peak, r.model, r.layer))
