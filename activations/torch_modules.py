"""torch modules for the activations torch does not ship (CReLU, Maxout, Swish with β, SELU with
free constants). Imported only by ``Activation.to_torch``, so pages that only plot never load
torch."""
from __future__ import annotations

import torch
from torch import nn


class CReLU(nn.Module):
    """Concatenated ReLU (Shang et al., 2016): ``cat(relu(x), relu(-x))`` along ``dim``.

    The output has twice as many features (or channels) as the input: ``dim=1`` suits both
    ``(N, features)`` and ``(N, channels, H, W)`` tensors."""

    def __init__(self, dim: int = 1):
        super().__init__()
        self.dim = dim

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.cat((torch.relu(x), torch.relu(-x)), dim=self.dim)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


class Maxout(nn.Module):
    """The max half of a maxout layer (Goodfellow et al., 2013): groups of ``k`` consecutive
    features along ``dim`` are reduced to their maximum, ``(N, M·k) -> (N, M)``. Put it after a
    linear or convolutional layer with ``M·k`` outputs to get the full maxout unit
    ``max_j (x·W_j + b_j)``."""

    def __init__(self, k: int = 2, dim: int = 1):
        super().__init__()
        self.k, self.dim = int(k), dim

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        d = self.dim % x.dim()
        if x.shape[d] % self.k:
            raise ValueError(f"maxout: {x.shape[d]} features are not divisible by k={self.k}")
        shape = x.shape[:d] + (x.shape[d] // self.k, self.k) + x.shape[d + 1 :]
        return x.reshape(shape).max(dim=d + 1).values

    def extra_repr(self) -> str:
        return f"k={self.k}, dim={self.dim}"


class Swish(nn.Module):
    """Swish ``x·σ(βx)`` (Ramachandran et al., 2017); β = 1 is torch's ``nn.SiLU``."""

    def __init__(self, beta: float = 1.0):
        super().__init__()
        self.beta = float(beta)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x * torch.sigmoid(self.beta * x)

    def extra_repr(self) -> str:
        return f"beta={self.beta}"


class ScaledELU(nn.Module):
    """``λ·ELU_α(x)``: SELU with constants other than Klambauer et al.'s."""

    def __init__(self, lam: float, alpha: float):
        super().__init__()
        self.lam, self.alpha = float(lam), float(alpha)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.lam * nn.functional.elu(x, alpha=self.alpha)

    def extra_repr(self) -> str:
        return f"lam={self.lam}, alpha={self.alpha}"


class TemperedSoftmax(nn.Module):
    """``softmax(x / T)`` along the last axis."""

    def __init__(self, temperature: float = 1.0):
        super().__init__()
        self.temperature = float(temperature)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.softmax(x / self.temperature, dim=-1)

    def extra_repr(self) -> str:
        return f"temperature={self.temperature}"
