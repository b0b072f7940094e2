"""Probes of a deep MLP: per-layer gradient norms, the δ recursion and activation statistics.

The network: ``depth`` hidden layers z⁽ˡ⁾ = W⁽ˡ⁾a⁽ˡ⁻¹⁾ + b⁽ˡ⁾, a⁽ˡ⁾ = f(z⁽ˡ⁾) of ``width`` units
(a⁽⁰⁾ = x), then a linear output layer and the cross-entropy loss. One forward and one backward
pass over one batch, in float64 so that gradients of 1e-40 do not underflow to zero.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F

from activations import REGISTRY, initialisation

#: Activations that map each unit to one unit, so a layer keeps its width.
DEPTH_SLUGS = tuple(s for s, a in REGISTRY.items() if a.elementwise)


@dataclass(frozen=True)
class Probe:
    act: str  # the activation's slug
    grad_norms: np.ndarray  # (depth,) Frobenius norm of ∂L/∂W⁽ˡ⁾, l = 1..depth
    delta_norms: np.ndarray  # (depth,) norm of δ⁽ˡ⁾ = ∂L/∂z⁽ˡ⁾ over the batch
    mean: np.ndarray  # (depth,) mean of a⁽ˡ⁾ over batch and units
    var: np.ndarray  # (depth,) variance of a⁽ˡ⁾ over batch and units
    mean_slope: np.ndarray  # (depth,) mean of |f′(z⁽ˡ⁾)| over batch and units
    recursion_error: float  # max relative gap between the δ recursion and autograd
    loss: float


def weights(depth: int, width: int, n_in: int, n_out: int, init: str, seed: int = 0) -> list[torch.Tensor]:
    """W⁽¹⁾..W⁽ᵈᵉᵖᵗʰ⁾ and the output layer's weights, shapes (out, in), drawn from N(0, std²) with
    the std of scheme ``init`` (``activations.initialisation``; biases are zero)."""
    g = torch.Generator().manual_seed(seed)
    sizes = [n_in] + [width] * depth + [n_out]
    return [torch.empty(o, i, dtype=torch.float64).normal_(0, initialisation.std(init, i, o), generator=g)
            for i, o in zip(sizes[:-1], sizes[1:])]


def probe(act: str, depth: int, width: int, init: str, x: torch.Tensor, y: torch.Tensor, n_classes: int,
          seed: int = 0, params: dict | None = None) -> Probe:
    """One forward/backward pass of the MLP over the batch (x, y); see ``Probe``."""
    params = params or {}
    f = REGISTRY[act].to_torch(**params).double().eval()  # eval: RReLU's fixed test-time slope
    ws = [w.requires_grad_() for w in weights(depth, width, x.shape[1], n_classes, init, seed)]
    h, zs, hs = x.double(), [], []
    for w in ws[:-1]:
        z = h @ w.T  # biases are zero at initialisation, so they are left out
        z.retain_grad()
        h = f(z)
        zs.append(z)
        hs.append(h)
    logits = h @ ws[-1].T
    loss = F.cross_entropy(logits, y)
    loss.backward()
    deltas = [z.grad.numpy() for z in zs]
    slopes = [REGISTRY[act].derivative(z.detach().numpy(), **params) for z in zs]
    top = (REGISTRY["softmax"].forward(logits.detach().numpy()) - np.eye(n_classes)[y.numpy()]) / len(y)
    rec = delta_recursion([w.detach().numpy() for w in ws], slopes, top)
    err = max(float(np.abs(r - d).max() / max(np.abs(d).max(), 1e-300)) for r, d in zip(rec, deltas))
    stat = lambda fn: np.array([fn(hh.detach().numpy()) for hh in hs])  # noqa: E731
    return Probe(act=act, grad_norms=np.array([w.grad.norm().item() for w in ws[:-1]]),
                 delta_norms=np.array([np.linalg.norm(d) for d in deltas]),
                 mean=stat(np.mean), var=stat(np.var), mean_slope=np.array([np.abs(s).mean() for s in slopes]),
                 recursion_error=err, loss=loss.item())


def delta_recursion(ws: list[np.ndarray], slopes: list[np.ndarray], delta_out: np.ndarray) -> list[np.ndarray]:
    """The error signals δ⁽ˡ⁾ = ∂L/∂z⁽ˡ⁾ by seed 004's recursion, for a batch (rows = examples).

    With z⁽ˡ⁺¹⁾ = W⁽ˡ⁺¹⁾a⁽ˡ⁾, the recursion reads δ⁽ˡ⁾ = (W⁽ˡ⁺¹⁾)ᵀδ⁽ˡ⁺¹⁾ ⊙ f′(z⁽ˡ⁾); the seed
    writes W⁽ˡ⁺¹⁾δ⁽ˡ⁺¹⁾ because it stores weights as (in, out). ``slopes`` are f′(z⁽ˡ⁾) for
    l = 1..depth, ``delta_out`` is ∂L/∂logits and ``ws[-1]`` the output layer's weights.
    Returns δ⁽¹⁾..δ⁽ᵈᵉᵖᵗʰ⁾."""
    deltas, delta = [], delta_out
    for w, slope in zip(ws[:0:-1], slopes[::-1]):
        delta = (delta @ w) * slope  # row form of Wᵀδ ⊙ f′(z)
        deltas.append(delta)
    return deltas[::-1]


def probe_on(act: str, depth: int, width: int, init: str, data: str) -> Probe:
    """``probe`` on the first 256 examples of the data set ``data``: the lesson page's probe, named
    by plain values, so that another process can compute it (``runtime.memo``)."""
    return probe(act, depth, width, init, *batch(data, 256))


@functools.lru_cache(maxsize=4)
def batch(name: str = "digits", n: int = 256, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor, int]:
    """The first ``n`` training examples of a real data set (standardised by ``training``)."""
    from training.datasets import load

    data = load(name, seed=seed)
    return data.x_train[:n], data.y_train[:n], data.n_classes


#: The runs compared in the self-normalisation chart: (label, activation, initialisation).
NORMALISATION_RUNS = (
    ("SELU, LeCun normal", "selu", "lecun"),
    ("SELU, He (wrong init)", "selu", "he"),
    ("ReLU, He", "relu", "he"),
    ("ELU, He", "elu", "he"),
    ("tanh, Xavier", "tanh", "xavier"),
)
