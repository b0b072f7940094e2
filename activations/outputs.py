"""Output units and the losses that go with them, seen as maximum likelihood.

A network's output unit gives the parameters of a distribution over the target, and the loss
is that distribution's negative log-likelihood −log p(y | x) (Goodfellow, Bengio & Courville,
2016, §6.2.2; Bridle, 1990, for softmax):

- identity output, Gaussian with mean μ = z and scale σ: −log p = (y − μ)²/(2σ²) + log σ + ½ log 2π,
  squared error up to a factor and a constant;
- sigmoid output, Bernoulli with P(y = 1) = σ(z): −log p = binary cross-entropy;
- softmax output, categorical with P(y = k) = softmax(z)_k: −log p = cross-entropy
  = −z_k + log Σ_j exp(z_j).

Every loss comes with its gradient with respect to the output unit's input z in closed form.
Pure NumPy; the tests check every function against torch and autograd, scores of ±1,000 included.
The activations themselves (sigmoid, softmax) are the registry's.
"""
from __future__ import annotations

import math

import numpy as np

from .registry import REGISTRY

LOG_2PI = math.log(2 * math.pi)


def _scores(x, temperature: float) -> np.ndarray:
    if not temperature > 0:
        raise ValueError("the temperature must be a positive number")
    return np.asarray(x, dtype=float) / temperature


def softmax(x, temperature: float = 1.0) -> np.ndarray:
    """The registry's softmax along the last axis (scores shifted by their maximum first)."""
    return REGISTRY["softmax"].forward(x, temperature=temperature)


def naive_softmax(x, temperature: float = 1.0) -> np.ndarray:
    """exp(z_i) / Σ exp(z_j) computed as written, without the shift: exp overflows to inf past
    z ≈ 709.78 in float64, and inf/inf gives NaN. Only for showing why the shift is needed."""
    z = _scores(x, temperature)
    with np.errstate(over="ignore", invalid="ignore"):
        e = np.exp(z)
        return e / e.sum(axis=-1, keepdims=True)


def logsumexp(x, temperature: float = 1.0) -> np.ndarray:
    """log Σ_j exp(z_j), z = x / T, along the last axis, as m + log Σ exp(z_j − m) with m = max z:
    every exponent is ≤ 0, so nothing overflows."""
    z = _scores(x, temperature)
    m = z.max(axis=-1, keepdims=True)
    return (m + np.log(np.exp(z - m).sum(axis=-1, keepdims=True)))[..., 0]


def log_softmax(x, temperature: float = 1.0) -> np.ndarray:
    """log softmax(z)_i = z_i − log Σ_j exp(z_j): finite for any finite scores."""
    z = _scores(x, temperature)
    return z - logsumexp(z)[..., None]


def _onehot(k, n: int) -> np.ndarray:
    return np.eye(n)[np.asarray(k)]


def cross_entropy(x, k, temperature: float = 1.0) -> np.ndarray:
    """Softmax + cross-entropy for the correct class ``k``: −log softmax(z)_k = −z_k + log Σ exp(z_j)."""
    return -np.take_along_axis(log_softmax(x, temperature), np.asarray(k)[..., None], axis=-1)[..., 0]


def cross_entropy_grad(x, k, temperature: float = 1.0) -> np.ndarray:
    """∂/∂x of ``cross_entropy``: (softmax(z) − onehot(k)) / T."""
    p = softmax(x, temperature)
    return (p - _onehot(k, p.shape[-1])) / temperature


def softmax_squared_error(x, k, temperature: float = 1.0) -> np.ndarray:
    """Softmax + squared error against the one-hot target: Σ_i (p_i − y_i)²."""
    p = softmax(x, temperature)
    return ((p - _onehot(k, p.shape[-1])) ** 2).sum(axis=-1)


def softmax_squared_error_grad(x, k, temperature: float = 1.0) -> np.ndarray:
    """∂/∂x of ``softmax_squared_error``: Jᵀ · 2(p − y), J the registry's softmax Jacobian."""
    x = np.asarray(x, dtype=float)
    p = softmax(x, temperature)
    jac = REGISTRY["softmax"].derivative(x, temperature=temperature)  # (..., n, n): ∂p_i/∂x_j
    return np.einsum("...ij,...i->...j", jac, 2 * (p - _onehot(k, p.shape[-1])))


def binary_cross_entropy(z, y) -> np.ndarray:
    """Sigmoid + binary cross-entropy from the score z: −y log σ(z) − (1 − y) log(1 − σ(z))
    = softplus(z) − y·z, written with ``logaddexp`` so large |z| neither overflows nor loses the log."""
    z = np.asarray(z, dtype=float)
    return np.logaddexp(0.0, z) - np.asarray(y, dtype=float) * z


def binary_cross_entropy_grad(z, y) -> np.ndarray:
    """∂/∂z of ``binary_cross_entropy``: σ(z) − y."""
    return REGISTRY["sigmoid"].forward(z) - np.asarray(y, dtype=float)


def sigmoid_squared_error(z, y) -> np.ndarray:
    """Sigmoid + squared error: (σ(z) − y)²."""
    return (REGISTRY["sigmoid"].forward(z) - np.asarray(y, dtype=float)) ** 2


def sigmoid_squared_error_grad(z, y) -> np.ndarray:
    """∂/∂z of ``sigmoid_squared_error``: 2(σ(z) − y)·σ′(z)."""
    sig = REGISTRY["sigmoid"]
    return 2 * (sig.forward(z) - np.asarray(y, dtype=float)) * sig.derivative(z)


def gaussian_nll(y, mu, sigma=1.0) -> np.ndarray:
    """Identity output as a Gaussian's mean: −log N(y; μ, σ²) = (y − μ)²/(2σ²) + log σ + ½ log 2π."""
    y, mu, sigma = (np.asarray(v, dtype=float) for v in (y, mu, sigma))
    return 0.5 * ((y - mu) / sigma) ** 2 + np.log(sigma) + 0.5 * LOG_2PI


def gaussian_nll_grad(y, mu, sigma=1.0) -> np.ndarray:
    """∂/∂μ of ``gaussian_nll``: (μ − y)/σ²."""
    return (np.asarray(mu, dtype=float) - np.asarray(y, dtype=float)) / np.asarray(sigma, dtype=float) ** 2


def gaussian_pdf(y, mu, sigma=1.0) -> np.ndarray:
    """N(y; μ, σ²), the density whose negative log is ``gaussian_nll``."""
    return np.exp(-gaussian_nll(y, mu, sigma))


def mixture_pdf(y, weights, means, sigmas) -> np.ndarray:
    """Σ_c π_c N(y; μ_c, σ_c²) over the last axis of ``weights``, ``means`` and ``sigmas``
    (a Gaussian mixture, as a mixture density network outputs it; Bishop, 1994)."""
    y = np.asarray(y, dtype=float)[..., None]
    return (np.asarray(weights) * gaussian_pdf(y, means, sigmas)).sum(axis=-1)
