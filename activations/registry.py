"""The registry: every activation ReLU Lab teaches, in teaching order.

Formulas follow the cited papers and agree with PyTorch 2.x (the tests check both values and
derivatives against torch and autograd). At a kink the derivative is what autograd returns;
each entry's ``kink`` says which value that is.
"""
from __future__ import annotations

import math

import numpy as np

from .core import Activation, Param, Properties
from .references import (
    BARRON,
    BRIDLE,
    CLEVERT,
    DUGAS,
    ELFWING,
    FLEURET,
    GLOROT,
    GOODFELLOW13,
    GOODFELLOW16,
    HE,
    HENDRYCKS,
    HOWARD,
    KLAMBAUER,
    KRIZHEVSKY,
    KRIZHEVSKY10,
    LECUN98,
    MAAS,
    MISRA,
    NAIR,
    RAMACHANDRAN,
    SHANG,
    XU,
)

# --------------------------------------------------------------------------------------------
# Constants
# --------------------------------------------------------------------------------------------
#: Klambauer et al. (2017), eq. 14: the fixed point (mean 0, variance 1) of SELU networks.
SELU_ALPHA = 1.6732632423543772848170429916717
SELU_LAMBDA = 1.0507009873554804934193349852946

#: RReLU's bounds in Xu et al.'s NDSB setting: negative inputs divided by a ~ U(3, 8), i.e.
#: slopes between 1/8 and 1/3 (PyTorch's default slope bounds).
RRELU_NDSB_DIVISORS = (3.0, 8.0)

#: RReLU's two training schemes. Both keep the negative slope between ``lower`` and ``upper``,
#: but they draw it from different distributions:
#: ``"slope"``: PyTorch's ``nn.RReLU`` (what ``to_torch()`` returns): the slope ~ U(lower, upper).
#: ``"divisor"``: Xu et al. (2015), after the NDSB winner: negative inputs are divided by
#: a ~ U(l, u) with l = 1/upper, u = 1/lower, so the slope 1/a is *not* uniform.
RRELU_SCHEMES = ("slope", "divisor")


def _rrelu_bounds(lower: float, upper: float) -> None:
    if not 0 < lower <= upper:
        raise ValueError("RReLU needs 0 < lower <= upper")


def _rrelu_scheme(scheme: str) -> None:
    if scheme not in RRELU_SCHEMES:
        raise ValueError(f"RReLU scheme must be one of {RRELU_SCHEMES}, not {scheme!r}")


def rrelu_test_slopes(lower: float = 1 / 8, upper: float = 1 / 3) -> dict[str, float]:
    """The test-time slope of each RReLU training scheme (see ``RRELU_SCHEMES``), for slope
    bounds 0 < lower <= upper.

    ``"slope"`` (PyTorch): the mean of the drawn slopes, (lower + upper)/2: 11/48 ≈ 0.2292 for
    (1/8, 1/3). ``"divisor"`` (Xu et al.): divide by the mean divisor (l + u)/2, slope
    2/(l + u) with l = 1/upper, u = 1/lower: 2/11 ≈ 0.1818 for NDSB's (3, 8).
    """
    _rrelu_bounds(lower, upper)
    return {"slope": (lower + upper) / 2, "divisor": 2 / (1 / upper + 1 / lower)}


def rrelu_expected_slopes(lower: float = 1 / 8, upper: float = 1 / 3) -> dict[str, float]:
    """The mean slope each training scheme draws, for slope bounds 0 < lower <= upper.

    ``"slope"``: (lower + upper)/2, the same number as its test-time slope. ``"divisor"``:
    E[1/a] for a ~ U(l, u) = ln(u/l)/(u − l): ln(8/3)/5 ≈ 0.1962 for NDSB's (3, 8), above its
    test-time slope 2/(l + u) because 1/a is convex (Jensen's inequality).
    """
    _rrelu_bounds(lower, upper)
    l, u = 1 / upper, 1 / lower
    return {"slope": (lower + upper) / 2, "divisor": 1 / l if u == l else math.log(u / l) / (u - l)}


def rrelu_draw_slopes(size, lower: float = 1 / 8, upper: float = 1 / 3, scheme: str = "slope",
                      rng: np.random.Generator | None = None) -> np.ndarray:
    """Negative-side slopes as RReLU's training mode draws them, one per element of ``size``
    (an int or a shape), with ``rng`` (a ``numpy.random.Generator``): uniform slopes for
    ``"slope"``, one over a uniform divisor for ``"divisor"``."""
    _rrelu_scheme(scheme)
    rng = np.random.default_rng() if rng is None else rng
    if scheme == "slope":
        return rng.uniform(lower, upper, size=size)
    return 1 / rng.uniform(1 / upper, 1 / lower, size=size)


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------
def _erf(x):
    """The error function, exact to double precision (SciPy ships with scikit-learn; imported
    only when a GELU is computed, so the gallery's start-up does not pay for it)."""
    from scipy.special import erf

    return erf(x)


def _sigmoid(x):
    # Split by sign so exp never overflows.
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))


def _softplus(x, beta=1.0, threshold=20.0):
    """torch's softplus: (1/β)·log(1 + exp(βx)), and x itself where βx > threshold."""
    bx = beta * x
    return np.where(bx > threshold, x, (np.maximum(bx, 0) + np.log1p(np.exp(-np.abs(bx)))) / beta)


def _torch(name, **kwargs):
    def make(**params):
        from torch import nn

        return getattr(nn, name)(**{k: params[v] for k, v in kwargs.items()})

    return make


def _custom(name, **kwargs):
    def make(**params):
        from . import torch_modules

        return getattr(torch_modules, name)(**{k: params[v] for k, v in kwargs.items()})

    return make


# --------------------------------------------------------------------------------------------
# Forward functions and analytic derivatives
# --------------------------------------------------------------------------------------------
def relu(x):
    return np.maximum(x, 0.0)


def relu_d(x):
    return (x > 0).astype(float)


def leaky(x, alpha):
    return np.where(x > 0, x, alpha * x)


def leaky_d(x, alpha):
    return np.where(x > 0, 1.0, alpha)


def rrelu(x, lower, upper, training=False, rng=None, scheme="slope"):
    """Test mode: the scheme's fixed test-time slope ((lower+upper)/2 for PyTorch's "slope"
    scheme). Training mode: one slope per element, drawn by ``scheme`` with ``rng`` (a
    ``numpy.random.Generator``); see ``RRELU_SCHEMES``."""
    return leaky(x, _rrelu_slopes(x, lower, upper, training, rng, scheme))


def rrelu_d(x, lower, upper, training=False, rng=None, scheme="slope"):
    return leaky_d(x, _rrelu_slopes(x, lower, upper, training, rng, scheme))


def _rrelu_slopes(x, lower, upper, training, rng, scheme):
    if training:
        return rrelu_draw_slopes(np.shape(x), lower, upper, scheme, rng)
    _rrelu_scheme(scheme)
    return (lower + upper) / 2 if scheme == "slope" else 2 / (1 / upper + 1 / lower)


def prelu(x, a):
    return leaky(x, a)


def prelu_d(x, a):
    return leaky_d(x, a)


def elu(x, alpha):
    return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0)))


def elu_d(x, alpha):
    return np.where(x > 0, 1.0, alpha * np.exp(np.minimum(x, 0)))


def selu(x, lam, alpha):
    return lam * elu(x, alpha)


def selu_d(x, lam, alpha):
    return lam * elu_d(x, alpha)


def celu(x, alpha):
    return np.maximum(x, 0) + np.minimum(0, alpha * np.expm1(np.minimum(x, 0) / alpha))


def celu_d(x, alpha):
    return np.where(x > 0, 1.0, np.exp(np.minimum(x, 0) / alpha))


def gelu(x):
    return 0.5 * x * (1 + _erf(x / math.sqrt(2)))


def gelu_d(x):
    cdf = 0.5 * (1 + _erf(x / math.sqrt(2)))
    return cdf + x * np.exp(-0.5 * x * x) / math.sqrt(2 * math.pi)


#: √(2/π) and the cubic coefficient of Hendrycks & Gimpel's tanh approximation of GELU.
GELU_TANH_C, GELU_TANH_A = math.sqrt(2 / math.pi), 0.044715


def gelu_tanh(x):
    return 0.5 * x * (1 + np.tanh(GELU_TANH_C * (x + GELU_TANH_A * x**3)))


def gelu_tanh_d(x):
    t = np.tanh(GELU_TANH_C * (x + GELU_TANH_A * x**3))
    return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * GELU_TANH_C * (1 + 3 * GELU_TANH_A * x * x)


def swish(x, beta):
    return x * _sigmoid(beta * x)


def swish_d(x, beta):
    s = _sigmoid(beta * x)
    return s + beta * x * s * (1 - s)


def mish(x):
    return x * np.tanh(_softplus(x))


def mish_d(x):
    t = np.tanh(_softplus(x))
    return t + x * (1 - t * t) * _sigmoid(x)


def softplus(x, beta):
    return _softplus(x, beta)


def softplus_d(x, beta):
    return np.where(beta * x > 20.0, 1.0, _sigmoid(beta * x))


def relu6(x):
    return np.clip(x, 0.0, 6.0)


def relu6_d(x):
    return ((x > 0) & (x < 6)).astype(float)


def hardswish(x):
    return x * np.clip(x + 3, 0, 6) / 6


def hardswish_d(x):
    return np.where(x <= -3, 0.0, np.where(x < 3, (2 * x + 3) / 6, 1.0))


def sigmoid(x):
    return _sigmoid(x)


def sigmoid_d(x):
    s = _sigmoid(x)
    return s * (1 - s)


def tanh(x):
    return np.tanh(x)


def tanh_d(x):
    return 1 - np.tanh(x) ** 2


# Vector-valued ---------------------------------------------------------------------------
def crelu(x):
    """R -> R²: returns shape ``x.shape + (2,)`` with ``[..., 0] = max(0, x)`` and
    ``[..., 1] = max(0, -x)``."""
    return np.stack((relu(x), relu(-x)), axis=-1)


def crelu_d(x):
    """Jacobian of the R -> R² map per element, shape ``x.shape + (2,)``: (1[x>0], -1[x<0])."""
    return np.stack((relu_d(x), -relu_d(-x)), axis=-1)


def softmax(x, temperature):
    """Along the last axis: softmax(x / T)."""
    z = x / temperature
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def softmax_d(x, temperature):
    """Jacobian ``∂p_i/∂x_j = p_i(δ_ij − p_j)/T``, shape ``x.shape + (n,)``."""
    p = softmax(x, temperature)
    return (p[..., :, None] * (np.eye(p.shape[-1]) - p[..., None, :])) / temperature


def maxout(x, k):
    """Input ``(..., M·k)`` (groups of k consecutive pre-activations, as a linear layer with M·k
    outputs gives them); output ``(..., M)``, the maximum of each group."""
    k = int(k)
    return _groups(x, k).max(axis=-1)


def maxout_d(x, k):
    """``∂y_m/∂x_i`` for the group m that x_i belongs to, shape of x: 1 at the group's arg-max
    (the first one on a tie, as torch's ``max(dim)`` backward), 0 elsewhere."""
    k = int(k)
    g = _groups(x, k)
    onehot = np.arange(k) == g.argmax(axis=-1)[..., None]
    return onehot.astype(float).reshape(x.shape)


def _groups(x, k):
    if x.ndim == 0 or x.shape[-1] % k:
        raise ValueError(f"maxout needs a last axis divisible by k={k}, got shape {x.shape}")
    return x.reshape(x.shape[:-1] + (x.shape[-1] // k, k))


def maxout_pieces(k: int) -> tuple[np.ndarray, np.ndarray]:
    """Slopes and intercepts of the k affine pieces of the 1-D maxout unit in the gallery:
    slopes evenly spaced in [0, 1], each line tangent to softplus. k = 2 gives exactly ReLU,
    max(0, x); more pieces approximate the convex softplus ever closer."""
    k = int(k)
    slopes = np.linspace(0.0, 1.0, k)
    inner = slopes[1:-1]
    x0 = np.log(inner / (1 - inner))  # where softplus has that slope
    intercepts = np.zeros(k)
    intercepts[1:-1] = np.log1p(np.exp(x0)) - inner * x0
    return slopes, intercepts


def _maxout_curves(x, k):
    slopes, intercepts = maxout_pieces(int(k))
    lines = x[..., None] * slopes + intercepts
    y = lines.max(axis=-1)
    return {f"maxout, k={int(k)}": (y, slopes[lines.argmax(axis=-1)])}


def _crelu_curves(x):
    f, d = crelu(x), crelu_d(x)
    return {"max(0, x)": (f[..., 0], d[..., 0]), "max(0, −x)": (f[..., 1], d[..., 1])}


def _softmax_curves(x, temperature):
    logits = np.stack([x] + [np.zeros_like(x)] * 3, axis=-1)
    p = softmax(logits, temperature)[..., 0]
    return {"p₁ for logits (x, 0, 0, 0)": (p, p * (1 - p) / temperature)}


# --------------------------------------------------------------------------------------------
# Parameters
# --------------------------------------------------------------------------------------------
ALPHA_LEAKY = Param("alpha", 0.01, 0.0, 1.0, 0.01, "α (negative slope)",
                    "Slope for x < 0. Maas et al. used 0.01; the slides try 0.1 and 0.5.",
                    presets=(("0.01", 0.01), ("0.1", 0.1), ("0.5", 0.5)))
RRELU_LOWER = Param("lower", 1 / 8, 0.01, 1.0, 0.005, "lower slope bound",
                    "Smallest slope drawn in training. NDSB (Xu et al.): 1/8, i.e. the largest divisor u = 8.")
RRELU_UPPER = Param("upper", 1 / 3, 0.01, 1.0, 0.005, "upper slope bound",
                    "Largest slope drawn in training. NDSB (Xu et al.): 1/3, i.e. the smallest divisor l = 3.")
PRELU_A = Param("a", 0.25, 0.0, 1.0, 0.01, "a (learned slope, initial value)",
                "He et al. initialise a = 0.25 and learn it by backpropagation.")
ELU_ALPHA = Param("alpha", 1.0, 0.1, 3.0, 0.05, "α", "Value ELU saturates to for x → −∞ is −α.")
SELU_L = Param("lam", SELU_LAMBDA, 0.5, 2.0, 0.0001, "λ (scale)",
               "Klambauer et al.'s fixed λ ≈ 1.0507; change it and self-normalisation is lost.")
SELU_A = Param("alpha", SELU_ALPHA, 0.5, 3.0, 0.0001, "α", "Klambauer et al.'s fixed α ≈ 1.6733.")
CELU_ALPHA = Param("alpha", 1.0, 0.1, 3.0, 0.05, "α", "Saturation value −α; CELU is C¹ for every α.")
SWISH_BETA = Param("beta", 1.0, 0.1, 10.0, 0.1, "β",
                   "β = 1 is SiLU; β → ∞ approaches ReLU, β → 0 approaches x/2.")
SOFTPLUS_BETA = Param("beta", 1.0, 0.1, 10.0, 0.1, "β", "Sharpness; β → ∞ approaches ReLU.")
SOFTMAX_T = Param("temperature", 1.0, 0.1, 5.0, 0.1, "T (temperature)",
                  "softmax(x / T): small T sharpens towards arg-max, large T flattens.")
MAXOUT_K = Param("k", 2, 2, 8, 1, "k (affine pieces)",
                 "Pieces per unit. k = 2 with pieces 0 and x is ReLU; more pieces approximate any convex function.",
                 integer=True)


def _props(out, dout, mono, smooth, centred, dying, sat):
    return Properties(out, dout, mono, smooth, centred, dying, sat)


def _prelu_torch(a, num_parameters=1):
    """One learned slope shared by the layer, or one per unit / channel (He et al., 2015)."""
    from torch import nn

    return nn.PReLU(num_parameters=int(num_parameters), init=a)


def _selu_torch(lam, alpha):
    from torch import nn

    if lam == SELU_LAMBDA and alpha == SELU_ALPHA:
        return nn.SELU()
    from .torch_modules import ScaledELU

    return ScaledELU(lam, alpha)


def _swish_torch(beta):
    from torch import nn

    if beta == 1.0:
        return nn.SiLU()
    from .torch_modules import Swish

    return Swish(beta)


def _gelu_torch():
    from torch import nn

    return nn.GELU(approximate="none")


def _gelu_tanh_torch():
    from torch import nn

    return nn.GELU(approximate="tanh")


def _softmax_torch(temperature):
    from torch import nn

    if temperature == 1.0:
        return nn.Softmax(dim=-1)
    from .torch_modules import TemperedSoftmax

    return TemperedSoftmax(temperature)


RELU_KINK = "at x = 0 autograd returns 0 (the left derivative)."
GELU_TANH_NOTE = ("BERT and GPT-2 compute GELU with Hendrycks & Gimpel's tanh approximation, "
                  "x/2·(1 + tanh(√(2/π)(x + 0.044715x³))). It differs from the exact x·Φ(x) by at most 4.7·10⁻⁴ "
                  "(at x ≈ ±2.70), and its derivative by at most 8.7·10⁻⁴ (at x ≈ ±2.02): invisible on these plots.")

_ACTIVATIONS = [
    Activation(
        slug="relu", name="ReLU",
        latex=r"\mathrm{ReLU}(x) = \max(0, x) = \begin{cases} x & x > 0 \\ 0 & x \le 0 \end{cases}",
        summary="Rectified linear unit: passes positive inputs, zeroes negative ones.",
        _forward=relu, _derivative=relu_d, _torch=_torch("ReLU"),
        properties=_props("[0, ∞)", "{0, 1}", True, "C⁰: kink at 0", "no (outputs ≥ 0)",
                          "high: a unit whose input is always negative gets zero gradient",
                          "on the negative side only (constant 0)"),
        pros=("Derivative 1 for every active unit, so gradients do not vanish along active paths.",
              "Sparse activations: many units output exactly 0 (Glorot et al., 2011).",
              "Cheap: one comparison. Krizhevsky et al. (2012) reached 25 % training error on CIFAR-10 six times faster than with tanh."),
        cons=("Dying ReLU: a unit whose pre-activation is negative for every training example gets zero "
              "gradient. Under plain gradient descent (no momentum, no weight decay) its weights and bias never "
              "change again, so a first-layer unit stays dead for good; momentum and Adam keep moving it, and a "
              "deeper unit's inputs keep changing, so there a dead unit can come back.",
              "Outputs are never negative, so the mean activation is far from zero.",
              "Not differentiable at 0 (software picks 0 there)."),
        references=(NAIR, GLOROT, KRIZHEVSKY), kink=RELU_KINK),
    Activation(
        slug="leaky_relu", name="Leaky ReLU",
        latex=r"\mathrm{LReLU}(x) = \max(\alpha x, x) = \begin{cases} x & x > 0 \\ \alpha x & x \le 0 \end{cases}",
        summary="ReLU with a small fixed slope α for negative inputs, so for α > 0 the slope is never exactly 0.",
        _forward=leaky, _derivative=leaky_d, _torch=_torch("LeakyReLU", negative_slope="alpha"),
        params=(ALPHA_LEAKY,),
        properties=_props("(−∞, ∞)", "{α, 1}", True, "C⁰: kink at 0", "closer than ReLU",
                          "low: the negative side still passes gradient α", "no"),
        pros=("Alleviates dying ReLU: the gradient on the negative side is α, not 0.",
              "Negative outputs pull the mean activation towards zero."),
        cons=("α is one more hyper-parameter; the right value depends on the task.",
              "The negative (deactivated) state is not noise-robust: it still encodes how negative the input was."),
        references=(MAAS, XU), kink="at x = 0 autograd returns α (the left derivative).",
        notes=("max(αx, x) equals the case form only for α ≤ 1. Example with α = 0.1: f(−4) = max(−4, −0.4) = −0.4. "
               "(Seed 003 writes 0.4; the sign is lost there.)",)),
    Activation(
        slug="rrelu", name="Randomized Leaky ReLU (RReLU)",
        latex=r"\begin{gathered} \mathrm{RReLU}(x) = \begin{cases} x & x \ge 0 \\ a x & x < 0 \end{cases} \\ "
              r"\text{training: } a \sim \mathcal{U}(\text{lower}, \text{upper})\ \text{(PyTorch), or} \\ "
              r"a = \tfrac{1}{d},\ d \sim \mathcal{U}\big(\tfrac{1}{\text{upper}}, \tfrac{1}{\text{lower}}\big)\ "
              r"\text{(Xu et al.)} \end{gathered}",
        summary="Leaky ReLU whose slope is drawn at random per element during training and fixed at test time.",
        _forward=rrelu, _derivative=rrelu_d, _torch=_torch("RReLU", lower="lower", upper="upper"),
        params=(RRELU_LOWER, RRELU_UPPER),
        properties=_props("(−∞, ∞)", "[lower, 1] (training), {ā, 1} (test)", True, "C⁰: kink at 0",
                          "closer than ReLU", "low", "no"),
        pros=("The random slope acts as a regulariser; Xu et al. (2015) found it reduced overfitting on CIFAR and NDSB.",
              "No dying units: the negative slope is never 0."),
        cons=("Training and test behaviour differ, and two training schemes share the name, each with its own "
              "test-time slope (see below).",
              "Two hyper-parameters (the bounds)."),
        references=(XU,), kink="at x = 0 autograd returns the negative slope (test mode: (lower+upper)/2).",
        options=("training", "rng", "scheme"),
        notes=("Two schemes share the name and the bounds but not the distribution. PyTorch's nn.RReLU (what "
               "to_torch() returns; the training lab trains with this scheme too) draws the slope itself from "
               "U(1/8, 1/3): its average training slope is 11/48 ≈ 0.2292, and at test time it uses that same mean. "
               "Xu et al. (2015), after the NDSB winner, divide negative inputs by a ~ U(3, 8): the average training "
               "slope is E[1/a] = ln(8/3)/5 ≈ 0.1962, and at test time they divide by the mean divisor 5.5, slope "
               "2/11 ≈ 0.1818. A uniform slope is not one over a uniform divisor: the middle half of the divisors "
               "1/slope lies between 3.56 and 5.65 under PyTorch's scheme, between 4.25 and 6.75 under Xu et al.'s.",
               "Xu et al.'s formula multiplies by a with bounds in [0, 1), yet their NDSB bounds (3, 8) and their test "
               "rule x/((l+u)/2) divide; the divisor reading is the one that fits both. The slides draw a from "
               "U[0, 1); in the paper's NDSB setting and in PyTorch the slope lies between 1/8 and 1/3.")),
    Activation(
        slug="prelu", name="Parametric ReLU (PReLU)",
        latex=r"\mathrm{PReLU}(x) = \begin{cases} x & x > 0 \\ a x & x \le 0 \end{cases},\quad a\ \text{learned}",
        summary="Leaky ReLU whose slope a is a trainable parameter (per layer or per channel).",
        _forward=prelu, _derivative=prelu_d, _torch=_prelu_torch,
        params=(PRELU_A,), torch_options=("num_parameters",),
        properties=_props("(−∞, ∞)", "{a, 1}", True, "C⁰: kink at 0", "closer than ReLU", "low (if a > 0)", "no"),
        pros=("The data choose the negative slope; He et al. (2015) beat ReLU on ImageNet at negligible cost.",
              "Alleviates dying ReLU while a ≠ 0."),
        cons=("Extra parameters that can overfit on small data sets.",
              "The negative state is not noise-robust."),
        references=(HE,), kink="at x = 0 autograd returns a (the left derivative)."),
    Activation(
        slug="elu", name="ELU",
        latex=r"\mathrm{ELU}(x) = \begin{cases} x & x > 0 \\ \alpha\,(e^{x} - 1) & x \le 0 \end{cases}",
        summary="Exponential linear unit: identity for positive inputs, a smooth exponential saturation to −α below zero.",
        _forward=elu, _derivative=elu_d, _torch=_torch("ELU", alpha="alpha"),
        params=(ELU_ALPHA,),
        properties=_props("(−α, ∞)", "(0, 1] for α ≤ 1; (0, max(1, α)] in general", True,
                          "C¹ when α = 1, else C⁰ (kink at 0)", "near zero", "low", "on the negative side (to −α)"),
        pros=("Mean activations closer to zero speed up learning (Clevert et al., 2015).",
              "Saturates to −α for very negative inputs, so the deactivated state is noise-robust.",
              "No dying units: the derivative α·eˣ is never 0 (in float32 it underflows to 0 only below x ≈ −104)."),
        cons=("An exponential is slower to compute than a comparison.",
              "The gradient still shrinks for very negative inputs."),
        references=(CLEVERT,), kink="at x = 0 autograd returns α (the left derivative α·e⁰).",
        notes=("The negative side is α(eˣ − 1), which starts at 0 and tends to −α. Seed 003 writes it as α·exp(x), "
               "which would jump from α to 0 at the origin; the slides write exp(x) − 1, i.e. α = 1.",)),
    Activation(
        slug="selu", name="SELU",
        latex=r"\mathrm{SELU}(x) = \lambda \begin{cases} x & x > 0 \\ \alpha\,(e^{x} - 1) & x \le 0 \end{cases},"
              r"\quad \lambda \approx 1.0507,\ \alpha \approx 1.6733",
        summary="Scaled ELU with the constants that make activations self-normalise to mean 0, variance 1.",
        _forward=selu, _derivative=selu_d, _torch=_selu_torch,
        params=(SELU_L, SELU_A),
        properties=_props("(−λα, ∞) ≈ (−1.758, ∞)", "(0, λα] ≈ (0, 1.758]", True, "C⁰: kink at 0",
                          "yes, by design (fixed point mean 0, variance 1)", "low", "on the negative side (to −λα)"),
        pros=("With LeCun-normal initialisation, activations converge to mean 0, variance 1 through depth.",
              "Lets deep plain MLPs train without batch normalisation."),
        cons=("The guarantee needs LeCun-normal weights and standardised inputs (and alpha-dropout, not dropout).",
              "λ and α are fixed: changing them breaks self-normalisation."),
        references=(KLAMBAUER,), kink="at x = 0 autograd returns λα (the left derivative).",
        notes=("λ = 1.0507009873554804934193349852946 and α = 1.6732632423543772848170429916717 "
               "(Klambauer et al., 2017, eq. 14): the fixed point with mean 0 and variance 1.",)),
    Activation(
        slug="celu", name="CELU",
        latex=r"\mathrm{CELU}(x) = \max(0, x) + \min\!\big(0,\ \alpha\,(e^{x/\alpha} - 1)\big)",
        summary="Continuously differentiable ELU: rescales the exponent so the derivative is 1 at 0 for every α.",
        _forward=celu, _derivative=celu_d, _torch=_torch("CELU", alpha="alpha"),
        params=(CELU_ALPHA,),
        properties=_props("(−α, ∞)", "(0, 1]", True, "C¹ for every α", "near zero", "low", "on the negative side (to −α)"),
        pros=("Like ELU, but C¹ for every α.",),
        cons=("Exponential cost; gradient shrinks for very negative inputs.",),
        references=(BARRON,), kink="none: C¹; autograd returns 1 at x = 0."),
    Activation(
        slug="gelu", name="GELU",
        latex=r"\mathrm{GELU}(x) = x\,\Phi(x) = \tfrac{x}{2}\left(1 + \operatorname{erf}\tfrac{x}{\sqrt 2}\right)",
        summary="Gaussian error linear unit: x weighted by the probability that a standard normal is below x.",
        _forward=gelu, _derivative=gelu_d, _torch=_gelu_torch,
        properties=_props("[≈ −0.170, ∞)", "[≈ −0.129, ≈ 1.129]", False, "C∞ (smooth)", "closer than ReLU", "low",
                          "on the negative side (to 0)"),
        pros=("Smooth; the activation of Transformers such as BERT and GPT-2 (which compute its tanh approximation, "
              "the next entry).",),
        cons=("Not monotonic: a small dip below 0 near x ≈ −0.75.", "More expensive than ReLU."),
        references=(HENDRYCKS,),
        notes=(GELU_TANH_NOTE,)),
    Activation(
        slug="gelu_tanh", name="GELU (tanh approximation)",
        latex=r"\mathrm{GELU}_{\tanh}(x) = \tfrac{x}{2}\left(1 + \tanh\!\Big(\sqrt{2/\pi}\,\big(x + 0.044715\,x^3\big)\Big)\right)",
        summary="Hendrycks & Gimpel's fast approximation of GELU, the form BERT and GPT-2 compute; torch's "
                "nn.GELU(approximate='tanh').",
        _forward=gelu_tanh, _derivative=gelu_tanh_d, _torch=_gelu_tanh_torch,
        properties=_props("[≈ −0.170, ∞)", "[≈ −0.129, ≈ 1.129]", False, "C∞ (smooth)", "closer than ReLU", "low",
                          "on the negative side (to 0)"),
        pros=("Needs no error function, only a tanh and a cubic: Hendrycks & Gimpel offer it where speed matters "
              "more than exactness.",
              "Within 4.7·10⁻⁴ of the exact GELU everywhere."),
        cons=("An approximation: a model trained with one form and run with the other sees slightly different "
              "activations.", "Not monotonic, like GELU."),
        references=(HENDRYCKS,),
        notes=(GELU_TANH_NOTE,)),
    Activation(
        slug="silu", name="Swish / SiLU",
        latex=r"\mathrm{Swish}_\beta(x) = x\,\sigma(\beta x) = \frac{x}{1 + e^{-\beta x}}",
        summary="x times its own sigmoid; β = 1 is SiLU. Found by automatic search at Google.",
        _forward=swish, _derivative=swish_d, _torch=_swish_torch,
        params=(SWISH_BETA,),
        properties=_props("[≈ −0.278/β, ∞)", "[≈ −0.100, ≈ 1.100]", False, "C∞ (smooth)", "closer than ReLU", "low",
                          "on the negative side (to 0)"),
        pros=("Smooth and non-monotonic; matched or beat ReLU on ImageNet in Ramachandran et al. (2017).",),
        cons=("A sigmoid per unit costs more than ReLU.", "Unbounded above like ReLU."),
        references=(RAMACHANDRAN, ELFWING, HENDRYCKS)),
    Activation(
        slug="mish", name="Mish",
        latex=r"\mathrm{Mish}(x) = x \tanh\big(\operatorname{softplus}(x)\big)",
        summary="x times tanh of softplus: smooth, non-monotonic, close to Swish.",
        _forward=mish, _derivative=mish_d, _torch=_torch("Mish"),
        properties=_props("[≈ −0.309, ∞)", "[≈ −0.113, ≈ 1.088]", False, "C∞ (smooth)", "closer than ReLU", "low",
                          "on the negative side (to 0)"),
        pros=("Smooth, small negative outputs; used in YOLOv4.",),
        cons=("The most expensive of the ReLU family here.",),
        references=(MISRA,)),
    Activation(
        slug="softplus", name="Softplus",
        latex=r"\operatorname{softplus}_\beta(x) = \tfrac{1}{\beta}\log\left(1 + e^{\beta x}\right)",
        summary="A smooth ReLU; its derivative is the sigmoid σ(βx).",
        _forward=softplus, _derivative=softplus_d, _torch=_torch("Softplus", beta="beta"),
        params=(SOFTPLUS_BETA,),
        properties=_props("(0, ∞)", "(0, 1)", True, "C∞ (smooth)", "no (outputs > 0)", "low",
                          "on the negative side (to 0)"),
        pros=("Smooth everywhere; its gradient σ(βx) is never exactly 0 (in float32 it underflows to 0 only below "
              "βx ≈ −104).",),
        cons=("Glorot et al. (2011) found ReLU trained better despite the kink.",
              "Like torch, it returns x itself where βx > 20, to avoid overflow."),
        references=(DUGAS, GLOROT)),
    Activation(
        slug="relu6", name="ReLU6",
        latex=r"\mathrm{ReLU6}(x) = \min\big(\max(0, x),\ 6\big)",
        summary="ReLU capped at 6: bounded outputs suit low-precision arithmetic on mobile devices.",
        _forward=relu6, _derivative=relu6_d, _torch=_torch("ReLU6"),
        properties=_props("[0, 6]", "{0, 1}", True, "C⁰: kinks at 0 and 6", "no", "high",
                          "both sides (0 below 0, 6 above 6)"),
        pros=("Bounded output; used in MobileNet.",),
        cons=("Zero gradient on both sides: units can die below 0 and saturate above 6.",),
        references=(KRIZHEVSKY10, HOWARD), kink="at x = 0 and x = 6 autograd returns 0."),
    Activation(
        slug="hardswish", name="Hard Swish",
        latex=r"\mathrm{HardSwish}(x) = x\,\frac{\mathrm{ReLU6}(x + 3)}{6}",
        summary="A piecewise-polynomial Swish from MobileNetV3: no exponential.",
        _forward=hardswish, _derivative=hardswish_d, _torch=_torch("Hardswish"),
        properties=_props("[−0.375, ∞)", "(−0.5, 1.5)", False, "C⁰: kinks at −3 and 3", "closer than ReLU", "low",
                          "on the negative side (0 below −3)"),
        pros=("Swish-like accuracy at ReLU-like cost.",),
        cons=("Zero gradient below −3.",),
        references=(HOWARD,), kink="autograd returns (2x+3)/6 on (−3, 3), and the outer values at the kinks: 0 at x = −3, 1 at x = 3."),
    Activation(
        slug="sigmoid", name="Sigmoid (logistic)",
        latex=r"\sigma(x) = \frac{1}{1 + e^{-x}}",
        summary="Squashes any input into (0, 1); the classic activation, today mostly an output unit for binary labels.",
        _forward=sigmoid, _derivative=sigmoid_d, _torch=_torch("Sigmoid"),
        properties=_props("(0, 1)", "(0, 0.25]", True, "C∞ (smooth)", "no (mean near 0.5)", "none, but saturates",
                          "both sides"),
        pros=("Output is a probability: the right output unit for a Bernoulli target (with cross-entropy).",),
        cons=("σ′ ≤ 0.25: each layer multiplies the gradient by a slope of at most 1/4, before the weights have "
              "their say (a layer's whole factor is σ′·w), so in deep stacks gradients tend to vanish.",
              "Saturates for |x| ≫ 0; outputs not zero-centred."),
        references=(LECUN98, GOODFELLOW16)),
    Activation(
        slug="tanh", name="tanh",
        latex=r"\tanh(x) = \frac{e^{x} - e^{-x}}{e^{x} + e^{-x}} = 2\sigma(2x) - 1",
        summary="A zero-centred, rescaled sigmoid with outputs in (−1, 1).",
        _forward=tanh, _derivative=tanh_d, _torch=_torch("Tanh"),
        properties=_props("(−1, 1)", "(0, 1]", True, "C∞ (smooth)", "yes", "none, but saturates", "both sides"),
        pros=("Zero-centred; preferred over the sigmoid for hidden layers (LeCun et al., 1998).",),
        cons=("tanh′ ≤ 1 and ≪ 1 away from 0: gradients still vanish in deep nets.",
              "Krizhevsky et al. (2012): six times slower than ReLU to 25 % CIFAR-10 training error."),
        references=(LECUN98, KRIZHEVSKY)),
    Activation(
        slug="crelu", name="CReLU",
        latex=r"\mathrm{CReLU}(x) = \big(\max(0, x),\ \max(0, -x)\big) \in \mathbb{R}^2",
        summary="Concatenated ReLU: keeps both the positive and the negative part, doubling the number of outputs.",
        _forward=crelu, _derivative=crelu_d, _torch=_custom("CReLU"),
        properties=_props("[0, ∞)²", "each part {0, ±1}", False, "C⁰: kink at 0", "no", "none: for every x ≠ 0 one of the two parts is active",
                          "no"),
        pros=("Keeps the norm of the signal in forward and backward pass (‖CReLU(x)‖ = |x|).",
              "Shang et al. (2016) observed that lower conv filters learn opposite pairs; CReLU gives both for one set of weights."),
        cons=("Doubles the width of the next layer (and its parameters).",),
        references=(SHANG, FLEURET), kink="at x = 0 autograd returns 0 for both parts.",
        shape="R → R²: forward(x) has shape x.shape + (2,); to_torch() concatenates along dim 1 (features/channels).",
        _curves=_crelu_curves),
    Activation(
        slug="softmax", name="Softmax",
        latex=r"\operatorname{softmax}(\mathbf{x})_i = \frac{e^{x_i / T}}{\sum_{j} e^{x_j / T}}",
        summary="Turns a vector of scores into a probability distribution: the output unit for several classes.",
        _forward=softmax, _derivative=softmax_d, _torch=_softmax_torch,
        params=(SOFTMAX_T,),
        properties=_props("(0, 1) per component, summing to 1", "Jacobian p_i(δ_ij − p_j)/T",
                          "each p_i increases with its own x_i, and falls as any other x_j rises (∂p_i/∂x_j = −p_i p_j/T < 0)",
                          "C∞ (smooth)", "no (outputs in (0, 1), mean 1/n)", "none", "yes, when one score dominates"),
        pros=("Outputs the parameters of a categorical distribution; with cross-entropy the loss is −x_k + log Σ eˣʲ, whose first term never saturates.",),
        cons=("Mostly an output unit. Inside a network it couples the units of a layer (each output depends on every "
              "score), as in attention, where it turns scores into weights; the training lab lets you try it as a "
              "hidden activation.",
              "Shift-invariant: adding c to every score changes nothing."),
        references=(BRIDLE, GOODFELLOW16),
        shape="Rⁿ → Rⁿ along the last axis; derivative(x) is the Jacobian, shape x.shape + (n,).",
        notes=("The seed's example, scores (10, 20, 30, 40): softmax gives ≈ (9.4·10⁻¹⁴, 2.1·10⁻⁹, 4.5·10⁻⁵, 0.99995). "
               "The probabilities 0.4, 0.1, 0.2, 0.3 written next to them in seed 003 are not a softmax of those scores: "
               "softmax preserves order, so the largest score gets the largest probability.",),
        _curves=_softmax_curves),
    Activation(
        slug="maxout", name="Maxout",
        latex=r"h_m(\mathbf{x}) = \max_{j=1}^{k}\ \big(\mathbf{x}^\top W_{m,j} + b_{m,j}\big)",
        summary="The maximum of k learned affine pieces: a layer rather than a fixed function. It can encode ReLU and |x| and approximate any convex function.",
        _forward=maxout, _derivative=maxout_d, _torch=_custom("Maxout", k="k"),
        params=(MAXOUT_K,),
        properties=_props("depends on the pieces", "the slope of the winning piece", False, "C⁰: kinks where pieces cross",
                          "learned", "low", "no"),
        pros=("Learns its own piecewise-linear convex activation; worked well with dropout (Goodfellow et al., 2013).",),
        cons=("k times the parameters of the preceding layer.",),
        references=(GOODFELLOW13, FLEURET), kink="on a tie autograd gives the gradient to the first maximal piece.",
        shape="R^(M·k) → R^M: groups of k consecutive inputs reduced by max; to_torch(k) is that pooling, "
              "to be put after a layer with M·k outputs. The gallery plots a 1-D unit whose pieces have slopes "
              "0 … 1 tangent to softplus (k = 2 is exactly ReLU).",
        _curves=_maxout_curves),
]


REGISTRY: dict[str, Activation] = {a.slug: a for a in _ACTIVATIONS}
