"""The logic behind the output-activation lesson: the three output units as distributions, the
softmax calculator, and why the loss takes the log. NumPy and ``activations.outputs`` only."""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from activations import REGISTRY, outputs

#: Seed 003's softmax example: four classes, their scores, and the probabilities written beside
#: them, which are not the softmax of those scores (the true ones are about 9.4e-14, 2.1e-9,
#: 4.5e-5 and 0.99995).
SEED_CLASSES = ("dog", "cat", "don", "tiger")
SEED_SCORES = (10.0, 20.0, 30.0, 40.0)
SEED_HANDWRITTEN = (0.4, 0.1, 0.2, 0.3)
MAX_CLASSES = 12
SCORE_LIMIT = 1e4
OVERFLOW = math.log(np.finfo(float).max)  # ≈ 709.78: exp of anything larger is inf in float64


def class_names(n: int) -> list[str]:
    """The seed's four names, then "class 5", "class 6", …"""
    return [SEED_CLASSES[i] if i < len(SEED_CLASSES) else f"class {i + 1}" for i in range(n)]


class ScoreError(ValueError):
    """Scores typed by a student that cannot be used; ``token`` is the offending text (untrusted)."""

    def __init__(self, message: str, token: str = ""):
        super().__init__(message)
        self.token = token


def parse_scores(text: str) -> list[float]:
    """Scores typed as numbers separated by commas (or spaces). Raises ``ScoreError`` naming what
    to fix: no scores, fewer than two, more than ``MAX_CLASSES``, a word that is not a number, or a
    number outside ±``SCORE_LIMIT``."""
    tokens = [t for t in text.replace(";", ",").replace(" ", ",").split(",") if t.strip()]
    if not tokens:
        raise ScoreError("there are no scores")
    values = []
    for token in tokens:
        try:
            v = float(token)
        except ValueError:
            raise ScoreError("is not a number", token) from None
        if not (math.isfinite(v) and abs(v) <= SCORE_LIMIT):
            raise ScoreError(f"is not a number from −{SCORE_LIMIT:,.0f} to {SCORE_LIMIT:,.0f}", token)
        values.append(v)
    if not 2 <= len(values) <= MAX_CLASSES:
        raise ScoreError(f"a softmax needs 2 to {MAX_CLASSES} classes; there are {len(values)} scores")
    return values


def format_scores(values) -> str:
    return ", ".join(f"{v:g}" for v in values)


@dataclass(frozen=True)
class Softmax:
    """The calculator's numbers for scores x, temperature T and a constant c added to every score."""

    scores: np.ndarray
    temperature: float
    shift: float
    p: np.ndarray  # softmax(x / T), by the shifted (log-sum-exp) form
    log_p: np.ndarray  # log softmax
    lse: float  # log Σ exp(x_j / T)
    exp: np.ndarray  # exp((x + c) / T) as written: inf once (x + c) / T passes ≈ 709.78
    shifted_exp: np.ndarray  # exp((x − max x) / T): every one ≤ 1, the largest exactly 1
    naive: np.ndarray  # exp(z_i) / Σ exp(z_j) as written, for the shifted scores x + c: NaN once exp overflows
    overflow: bool  # some exp(z_j) of the shifted scores is inf
    shift_gap: float  # largest |softmax(x + c) − softmax(x)|

    @property
    def is_seed_example(self) -> bool:
        return tuple(self.scores) == SEED_SCORES and self.temperature == 1.0


def softmax(scores, temperature: float = 1.0, shift: float = 0.0) -> Softmax:
    x = np.asarray(scores, dtype=float)
    p = outputs.softmax(x, temperature)
    shifted = x + shift
    z = shifted / temperature
    with np.errstate(over="ignore"):
        exp = np.exp(z)
    return Softmax(x, temperature, shift, p, outputs.log_softmax(x, temperature), float(outputs.logsumexp(x, temperature)),
                   exp, np.exp((x - x.max()) / temperature), outputs.naive_softmax(shifted, temperature),
                   bool(np.isinf(exp).any()), float(np.abs(outputs.softmax(shifted, temperature) - p).max()))


# -- One output unit, one distribution --------------------------------------------------------
PAIRS = ("gaussian", "bernoulli", "categorical")
CATEGORICAL_CLASSES = 4  # the correct class has score z, the three others 0
Y_GRID = np.linspace(-6, 6, 241)


@dataclass(frozen=True)
class Likelihood:
    """One output unit's distribution for score z and target y, and −log p(y) computed two ways:
    from the distribution and as the usual loss."""

    pair: str
    z: float
    support: np.ndarray  # y values (Gaussian: a grid; Bernoulli: 0, 1; categorical: the classes)
    prob: np.ndarray  # density or probabilities over ``support``
    target: float
    nll: float  # −log p(target) from the distribution
    loss: float  # the loss the pair trains with: ½ squared error, BCE or cross-entropy
    loss_name: str


def likelihood(pair: str, z: float, target: float) -> Likelihood:
    """Gaussian (identity output, mean z, σ = 1), Bernoulli (sigmoid, P(1) = σ(z)) or categorical
    (softmax over ``CATEGORICAL_CLASSES`` scores (z, 0, 0, 0), target the first class)."""
    if pair == "gaussian":
        pdf = outputs.gaussian_pdf(Y_GRID, z)
        nll = -math.log(float(outputs.gaussian_pdf(target, z)))
        return Likelihood(pair, z, Y_GRID, pdf, target, nll, 0.5 * (target - z) ** 2, "½ (y − z)²")
    if pair == "bernoulli":
        # P(0) = 1 − σ(z) computed as σ(−z): the subtraction loses a small probability's digits
        # (at z = 8, −log P(0) was 3.2e−13 off the loss; as σ(−z), at most 4 units in the last place).
        prob = REGISTRY["sigmoid"].forward(np.array([-z, z], dtype=float))
        nll = -float(np.log(prob[int(target)])) if prob[int(target)] > 0 else math.inf
        return Likelihood(pair, z, np.array([0.0, 1.0]), prob, target, nll,
                          float(outputs.binary_cross_entropy(z, target)), "binary cross-entropy")
    scores = np.array([z] + [0.0] * (CATEGORICAL_CLASSES - 1))
    prob = outputs.softmax(scores)
    nll = -float(np.log(prob[0])) if prob[0] > 0 else math.inf
    return Likelihood(pair, z, np.arange(CATEGORICAL_CLASSES, dtype=float), prob, 0.0, nll,
                      float(outputs.cross_entropy(scores, 0)), "cross-entropy")


# -- Why the log matters ----------------------------------------------------------------------
WHY = ("softmax", "sigmoid")
WHY_Z = np.linspace(-10, 10, 401)


@dataclass(frozen=True)
class Curves:
    """Loss and its gradient with respect to the correct class's score (softmax: the other three
    scores are 0) or the sigmoid's score (label 1), for the log-likelihood loss and for squared
    error, over ``z``."""

    unit: str
    z: np.ndarray
    losses: dict[str, np.ndarray]
    grads: dict[str, np.ndarray]


def why_log(unit: str, z: np.ndarray = WHY_Z) -> Curves:
    if unit == "softmax":
        scores = np.stack([z] + [np.zeros_like(z)] * (CATEGORICAL_CLASSES - 1), axis=-1)
        k = np.zeros(len(z), dtype=int)
        losses = {"softmax + cross-entropy": outputs.cross_entropy(scores, k),
                  "softmax + squared error": outputs.softmax_squared_error(scores, k)}
        grads = {"softmax + cross-entropy": outputs.cross_entropy_grad(scores, k)[:, 0],
                 "softmax + squared error": outputs.softmax_squared_error_grad(scores, k)[:, 0]}
    else:
        losses = {"sigmoid + binary cross-entropy": outputs.binary_cross_entropy(z, 1.0),
                  "sigmoid + squared error": outputs.sigmoid_squared_error(z, 1.0)}
        grads = {"sigmoid + binary cross-entropy": outputs.binary_cross_entropy_grad(z, 1.0),
                 "sigmoid + squared error": outputs.sigmoid_squared_error_grad(z, 1.0)}
    return Curves(unit, z, losses, grads)
