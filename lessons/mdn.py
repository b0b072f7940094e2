"""A mixture density network (Bishop, 1994) against the same net trained with squared error, on
Bishop's inverse problem (``training.datasets.regression("inverse_sine")``).

The MDN's last layer has 3m outputs, split into three groups (Bishop, 1994; Goodfellow et
al., 2016, §6.2.2.4): m mixture weights π_c(x) = softmax of the first group, m means μ_c(x)
(identity) and m scales σ_c(x) from a positive activation of the third group (``SCALES``). Its
loss is the negative log-likelihood of the mixture, −log Σ_c π_c N(y; μ_c, σ_c²), computed
with log-softmax and log-sum-exp so that no term underflows. The squared-error net has one
output, the mean of a Gaussian whose σ is, by maximum likelihood, the root mean squared
training residual: a single bump, centred on the average of the branches.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
import torch
import torch.nn.functional as F

from activations import outputs
from training.datasets import BISHOP_NOISE, regression

from .runs import loop, mlp

#: Positive activations for the scales σ_c: (label, torch function). A floor of 1e-3 keeps a
#: component from collapsing onto a single training point (the likelihood would grow without
#: bound); it is far below the data's noise (uniform on ±0.1, standard deviation 0.058).
SCALES = {
    "exp": ("exp", torch.exp),
    "softplus": ("softplus", F.softplus),
    "elu1": ("ELU + 1", lambda s: F.elu(s) + 1),
}
SIGMA_FLOOR = 1e-3
N_TRAIN, N_TEST = 500, 1000
LR = 0.01
X_RANGE = (-0.1, 1.1)  # t + 0.3 sin(2πt) + noise for t in [0, 1] lies inside
GRID = np.linspace(*X_RANGE, 121)
Y_GRID = np.linspace(-0.15, 1.15, 131)
N_SAMPLES = 1000


@dataclass(frozen=True)
class MdnRun:
    m: int
    width: int
    steps: int
    act: str
    scale: str
    x_train: np.ndarray
    y_train: np.ndarray
    grid: np.ndarray  # (G,) inputs x
    weights: np.ndarray  # (G, m) π_c(x)
    means: np.ndarray  # (G, m) μ_c(x)
    sigmas: np.ndarray  # (G, m) σ_c(x)
    mse_mean: np.ndarray  # (G,) the squared-error net's output
    mse_sigma: float  # its Gaussian's σ: root mean squared training residual
    nll: np.ndarray  # (step,) the MDN's training NLL before each step
    mse: np.ndarray  # (step,) the squared-error net's training MSE before each step
    step: int
    elapsed: float
    test_nll: float = math.nan  # mean NLL per held-out point, MDN
    test_nll_mse: float = math.nan  # the same for the squared-error net's Gaussian
    samples_x: np.ndarray | None = None  # (N_SAMPLES,) x ~ U(X_RANGE)
    samples_y: np.ndarray | None = None  # y ~ p(y | x), the MDN's mixture
    stopped: bool = False
    done: bool = False

    @property
    def diverged(self) -> bool:
        """A loss stopped being a finite number (the page says so)."""
        return not (np.isfinite(self.nll).all() and np.isfinite(self.mse).all())

    @property
    def y_grid(self) -> np.ndarray:
        return Y_GRID

    @property
    def mse_nll(self) -> np.ndarray:
        """The squared-error net's training NLL per step, as a Gaussian whose σ² is that step's
        mean squared error (σ's maximum-likelihood value): ½ log(2π·MSE) + ½."""
        return 0.5 * (np.log(2 * np.pi * self.mse) + 1)

    def density(self, y: np.ndarray = Y_GRID) -> np.ndarray:
        """p(y | x) on the grid: (len(y), G), rows y, columns x."""
        return outputs.mixture_pdf(np.asarray(y)[:, None], self.weights, self.means, self.sigmas)

    def density_at(self, i: int, y: np.ndarray = Y_GRID) -> np.ndarray:
        """p(y | x) at the grid's i-th input, (len(y),)."""
        return outputs.mixture_pdf(y, self.weights[i], self.means[i], self.sigmas[i])

    def at(self, x: float) -> int:
        """Index of the grid point nearest to x."""
        return int(np.abs(self.grid - x).argmin())


def _split(out: torch.Tensor, m: int, scale: str):
    logits, mu, s = out.split(m, dim=1)
    return F.log_softmax(logits, dim=1), mu, SCALES[scale][1](s) + SIGMA_FLOOR


def mixture_nll(out: torch.Tensor, y: torch.Tensor, m: int, scale: str) -> torch.Tensor:
    """Mean of −log Σ_c π_c N(y; μ_c, σ_c²) over the batch; ``out`` holds the 3m raw outputs."""
    log_pi, mu, sigma = _split(out, m, scale)
    log_normal = -0.5 * ((y - mu) / sigma) ** 2 - torch.log(sigma) - 0.5 * outputs.LOG_2PI
    return -torch.logsumexp(log_pi + log_normal, dim=1).mean()


def training_data(seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """The 500 training points ``train`` fits (x, y), each of shape (500, 1)."""
    train_set = regression("inverse_sine", n=N_TRAIN, noise=BISHOP_NOISE, seed=seed, test_fraction=0.5)
    return torch.cat([train_set.x_train, train_set.x_test]), torch.cat([train_set.y_train, train_set.y_test])


def train(m: int = 3, width: int = 24, steps: int = 1000, act: str = "tanh", scale: str = "exp", seed: int = 0,
          progress=None, stop=None) -> MdnRun:
    """Train the MDN (1 → width → width → 3m) and the squared-error net (1 → width → width → 1)
    side by side, from weights drawn with the same seed, with Adam (learning rate 0.01) on the
    full training set of 500 points; evaluate both on 1,000 held-out points."""
    if not 1 <= m <= 10 or scale not in SCALES:
        raise ValueError("need 1 to 10 components and a scale activation from " + ", ".join(SCALES))
    x, y = training_data(seed)
    test_set = regression("inverse_sine", n=N_TEST, noise=BISHOP_NOISE, seed=seed + 1, test_fraction=0.5)
    x_test, y_test = torch.cat([test_set.x_train, test_set.x_test]), torch.cat([test_set.y_train, test_set.y_test])
    grid_t = torch.tensor(GRID[:, None], dtype=torch.float32)
    mdn = mlp(act, [1, width, width, 3 * m], seed=seed)
    net = mlp(act, [1, width, width, 1], seed=seed)
    opt = torch.optim.Adam([*mdn.parameters(), *net.parameters()], lr=LR)
    nll, mse = np.full(steps, np.nan), np.full(steps, np.nan)

    def step(i):
        opt.zero_grad()
        a, b = mixture_nll(mdn(x), y, m, scale), ((net(x) - y) ** 2).mean()
        (a + b).backward()  # independent parameters: each gets its own loss's gradient
        opt.step()
        nll[i], mse[i] = a.item(), b.item()

    def snapshot(done, seconds):
        with torch.no_grad():
            log_pi, mu, sigma = _split(mdn(grid_t), m, scale)
            sd = math.sqrt(((net(x) - y) ** 2).mean().item())
            return MdnRun(m, width, steps, act, scale, x[:, 0].numpy(), y[:, 0].numpy(), GRID,
                          log_pi.exp().numpy(), mu.numpy(), sigma.numpy(), net(grid_t)[:, 0].numpy(), sd,
                          nll[:done].copy(), mse[:done].copy(), done, seconds)

    done, stopped, seconds = loop(steps, step, snapshot, progress, stop)
    run = snapshot(done, seconds)
    with torch.no_grad():
        test_nll = mixture_nll(mdn(x_test), y_test, m, scale).item()
        residual = (net(x_test) - y_test)[:, 0].numpy()
        test_nll_mse = float(outputs.gaussian_nll(residual, 0.0, run.mse_sigma).mean())
        sx, sy = sample(mdn, m, scale, N_SAMPLES, seed)
    return replace(run, test_nll=test_nll, test_nll_mse=test_nll_mse, samples_x=sx, samples_y=sy,
                   stopped=stopped, done=True)


def sample(mdn: torch.nn.Module, m: int, scale: str, n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """n draws: x ~ U(X_RANGE), then a component c ~ π(x) and y ~ N(μ_c(x), σ_c(x)²)."""
    rng = np.random.default_rng(seed)
    xs = rng.uniform(*X_RANGE, n)
    with torch.no_grad():
        log_pi, mu, sigma = (t.numpy().astype(float) for t in _split(mdn(torch.tensor(xs[:, None],
                                                                                      dtype=torch.float32)), m, scale))
    pi = np.exp(log_pi)
    c = (rng.uniform(size=(n, 1)) > np.cumsum(pi / pi.sum(1, keepdims=True), axis=1)).sum(1).clip(0, m - 1)
    rows = np.arange(n)
    return xs, mu[rows, c] + sigma[rows, c] * rng.standard_normal(n)


def branches(x: float, tol: float = 1e-10) -> np.ndarray:
    """Every t in [0, 1] with t + 0.3 sin(2πt) = x: the noise-free inverse's values at x
    (one, or three where the curve folds back), by bisection on a fine grid."""
    f = lambda t: t + 0.3 * np.sin(2 * np.pi * t) - x  # noqa: E731
    t = np.linspace(0, 1, 2001)
    v = f(t)
    roots = list(t[v == 0])
    for lo, hi in zip(t[:-1][(v[:-1] * v[1:]) < 0], t[1:][(v[:-1] * v[1:]) < 0]):
        while hi - lo > tol:
            mid = (lo + hi) / 2
            lo, hi = (mid, hi) if f(lo) * f(mid) > 0 else (lo, mid)
        roots.append((lo + hi) / 2)
    return np.sort(np.array(roots))
