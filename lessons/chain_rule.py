"""The chain rule on a chain of single units, computed by hand (NumPy and the registry).

The chain: an input x, hidden units k = 1..n with z_k = w_k·a_{k−1} + b_k and a_k = f(z_k)
(a_0 = x), a linear output ŷ = w_out·a_n + b_out and the squared-error loss L = ½(ŷ − y)².
We follow the gradient of L with respect to the first weight w_1 back through every local
derivative, multiply them, and take one gradient-descent step w_1 ← w_1 − η·∂L/∂w_1.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from activations import REGISTRY, get

#: Activations that map one number to one number, so they fit a chain of single units.
CHAIN_SLUGS = tuple(s for s, a in REGISTRY.items() if a.elementwise)

@dataclass(frozen=True)
class Chain:
    """Inputs of the walk-through. ``weights`` and ``biases`` hold w_1..w_n, w_out and
    b_1..b_n, b_out (n ≥ 1 hidden units); ``params`` are the activation's parameters."""

    x: float
    weights: tuple[float, ...]
    biases: tuple[float, ...]
    y: float
    lr: float
    act: str = "relu"
    params: dict = field(default_factory=dict)

    def __post_init__(self):
        if self.act not in CHAIN_SLUGS:
            raise ValueError(f"{self.act!r} is not an elementwise activation; choose from {', '.join(CHAIN_SLUGS)}")
        if len(self.weights) != len(self.biases) or len(self.weights) < 2:
            raise ValueError("need one weight and one bias per unit, and at least one hidden unit")

    @property
    def hidden(self) -> int:
        return len(self.weights) - 1


@dataclass(frozen=True)
class Factor:
    """One local derivative in the chain: its symbol (LaTeX), its value and what kind of
    quantity it is ("loss", "weight", "activation" or "input")."""

    symbol: str
    value: float
    kind: str


@dataclass(frozen=True)
class Walk:
    chain: Chain
    z: tuple[float, ...]  # pre-activations z_1..z_n
    a: tuple[float, ...]  # activations a_1..a_n
    y_hat: float
    loss: float
    factors: tuple[Factor, ...]  # from the loss back to w_1
    grad: float  # ∂L/∂w_1, the product of the factors
    w_new: float  # w_1 − η·∂L/∂w_1


def _at(fn, z: float, params: dict) -> float:
    # A one-element array rather than a scalar: the registry's GELU needs an array (its erf is a
    # NumPy ufunc that returns a plain float for 0-d input).
    return float(fn(np.array([z]), **params)[0])


def walk(chain: Chain) -> Walk:
    """Forward pass, every local derivative (loss first, as backpropagation meets them), their
    product ∂L/∂w_1 and the updated weight."""
    act = get(chain.act)
    n, w, b = chain.hidden, chain.weights, chain.biases
    z, a, prev = [], [], float(chain.x)
    for k in range(n):
        z.append(w[k] * prev + b[k])
        prev = _at(act.forward, z[-1], chain.params)
        a.append(prev)
    y_hat = w[n] * prev + b[n]
    factors = [Factor(r"\partial L/\partial \hat y", y_hat - chain.y, "loss"),  # L = ½(ŷ − y)²
               Factor(rf"\partial \hat y/\partial a_{{{n}}}", w[n], "weight")]
    for k in range(n, 0, -1):
        d = _at(act.derivative, z[k - 1], chain.params)
        factors.append(Factor(rf"\partial a_{{{k}}}/\partial z_{{{k}}}", d, "activation"))
        if k > 1:
            factors.append(Factor(rf"\partial z_{{{k}}}/\partial a_{{{k - 1}}}", w[k - 1], "weight"))
    factors.append(Factor(r"\partial z_1/\partial w_1", float(chain.x), "input"))
    grad = float(np.prod([f.value for f in factors]))
    return Walk(chain, tuple(z), tuple(a), y_hat, 0.5 * (y_hat - chain.y) ** 2, tuple(factors), grad,
                w[0] - chain.lr * grad)


# The seeds' example (seed 003): four local derivatives 0.8, 0, 0.4 and 0.3. In this chain they
# are the loss derivative ŷ − y = 0.8, ReLU′(z_1) = 0 at z_1 = −1 (the unit is off), the output
# weight 0.4 and the input x = 0.3.
SEED_EXAMPLE = Chain(x=0.3, weights=(0.5, 0.4), biases=(-1.15, 0.3), y=-0.5, lr=0.1, act="relu")
