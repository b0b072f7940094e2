"""Metrics shared by the training lab and the lessons."""
from __future__ import annotations

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
