"""Data sets for the training lab: 2-D toy sets and small real sets that ship with
scikit-learn (no download), and TensorFlow Playground's two 2-D regression sets
(``REGRESSION_2D``). Every set is split into train and test with a seed and its inputs
standardised with the training split's mean and standard deviation. Below them, the lessons'
1-D regression sets (``regression``): a noisy sine and Bishop's inverse sine."""
from __future__ import annotations

import math
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import torch

TOY_2D = ("moons", "circles", "spiral", "xor", "blobs")
REAL = ("digits", "breast_cancer")
NAMES = TOY_2D + REAL  # the classification sets
REGRESSION_2D = ("plane", "gauss")  # TensorFlow Playground's regression sets: a target in [-1, 1] per point
MAX_POINTS = 5000  # cap on generated toy points, so one request cannot hog the server


@dataclass(frozen=True)
class Dataset:
    name: str
    x_train: torch.Tensor  # float32, (N, features) or (N, 1, 8, 8) for image=True
    y_train: torch.Tensor  # int64 class labels
    x_test: torch.Tensor
    y_test: torch.Tensor
    n_classes: int
    n_features: int
    image_shape: tuple[int, ...] | None = None  # (1, 8, 8) for the digits
    regression: bool = False  # y holds float32 targets, and n_classes is 1: one linear output unit

    def to(self, device) -> "Dataset":
        move = lambda t: t.to(device)  # noqa: E731
        return replace(self, x_train=move(self.x_train), y_train=move(self.y_train), x_test=move(self.x_test),
                       y_test=move(self.y_test))


def _toy(name: str, n: int, noise: float, rng: np.random.Generator, classes: int):
    seed = int(rng.integers(2**31))
    if name in ("moons", "circles", "blobs"):  # scikit-learn (and pandas with it) only where needed
        from sklearn import datasets as skd

        if name == "moons":
            return skd.make_moons(n, noise=noise, random_state=seed)
        if name == "circles":
            return skd.make_circles(n, noise=noise, factor=0.5, random_state=seed)
        return skd.make_blobs(n, centers=classes, cluster_std=1.0 + 4 * noise, random_state=seed)
    if name == "xor":
        x = rng.uniform(-1, 1, size=(n, 2))
        y = ((x[:, 0] > 0) ^ (x[:, 1] > 0)).astype(int)
        return x + noise * rng.standard_normal(x.shape), y
    if name == "spiral":  # `classes` interleaved arms, as in CS231n and TensorFlow Playground
        y = np.arange(n) % classes
        r = rng.uniform(0.05, 1.0, n)
        theta = 4.0 * r + y * 2 * np.pi / classes
        x = np.c_[r * np.sin(theta), r * np.cos(theta)]
        return x + noise * 0.3 * rng.standard_normal(x.shape), y
    raise ValueError(f"unknown toy data set {name!r}")


#: Playground's multi-Gaussian regression set: six bumps (centre x, centre y, sign).
GAUSS_BUMPS = ((-4, 2.5, 1), (0, 2.5, -1), (4, 2.5, 1), (-4, -2.5, -1), (0, -2.5, 1), (4, -2.5, -1))


def _regression_2d(name: str, n: int, noise: float, rng: np.random.Generator):
    """TensorFlow Playground's regression sets (its ``dataset.ts``: ``regressPlane``,
    ``regressGaussian``): points uniform in [-6, 6]², the target read at the point moved by
    ``noise`` × a uniform draw in [-6, 6] per coordinate (``noise`` 0 to 0.5 is Playground's 0 to 50).
    plane: (x + y) / 10. gauss: of six bumps 1 − d/2 (0 beyond d = 2) signed ±1, the largest in size."""
    x = rng.uniform(-6, 6, size=(n, 2))
    at = x + noise * rng.uniform(-6, 6, size=(n, 2))
    if name == "plane":
        return x, (at[:, 0] + at[:, 1]) / 10
    bumps = np.array(GAUSS_BUMPS, dtype=float)
    d = np.hypot(at[:, None, 0] - bumps[:, 0], at[:, None, 1] - bumps[:, 1])  # (n, 6)
    values = bumps[:, 2] * np.clip(1 - d / 2, 0, 1)
    return x, values[np.arange(n), np.abs(values).argmax(1)]


def load(name: str, n: int = 1000, noise: float = 0.2, seed: int = 0, test_fraction: float = 0.3,
         classes: int = 2, image: bool = False) -> Dataset:
    """Load or generate data set ``name`` (one of ``NAMES`` or ``REGRESSION_2D``).

    ``n``, ``noise`` and ``classes`` apply to the toy sets (``classes`` to spiral and blobs) and
    ``n`` and ``noise`` to the regression sets; ``image=True`` keeps the digits as (1, 8, 8) images
    for the conv net."""
    if name not in NAMES + REGRESSION_2D:
        raise ValueError(f"unknown data set {name!r}; choose from {', '.join(NAMES + REGRESSION_2D)}")
    if not 0 < test_fraction < 1:
        raise ValueError("test_fraction must lie strictly between 0 and 1")
    rng = np.random.default_rng(seed)
    if name in TOY_2D + REGRESSION_2D and not 10 <= n <= MAX_POINTS:
        raise ValueError(f"n must be between 10 and {MAX_POINTS} points, got {n}")
    if name in REGRESSION_2D:
        x, y = _regression_2d(name, n, float(noise), rng)
    elif name in TOY_2D:
        if name in ("moons", "circles", "xor"):
            classes = 2
        x, y = _toy(name, n, float(noise), rng, classes)
    else:
        x, y = _real(name)
    return _split(name, x, y, rng, test_fraction, image)


@lru_cache(maxsize=None)
def _real(name: str) -> tuple[np.ndarray, np.ndarray]:
    """A real set's features and labels as scikit-learn ships them (read once per process;
    read-only, since every caller shares them)."""
    from sklearn import datasets as skd

    bunch = skd.load_digits() if name == "digits" else skd.load_breast_cancer()
    for a in (bunch.data, bunch.target):
        a.flags.writeable = False
    return bunch.data, bunch.target


def size(name: str, n: int = 1000) -> int:
    """How many points data set ``name`` has: ``n`` for a generated toy set, every row for a real one."""
    if name not in NAMES:
        raise ValueError(f"unknown data set {name!r}; choose from {', '.join(NAMES)}")
    return n if name in TOY_2D else len(_real(name)[1])


def shape(name: str, classes: int = 2) -> tuple[int, int]:
    """(input features, classes) of data set ``name``; ``classes`` is the toy sets' setting."""
    if name in TOY_2D:
        return 2, (classes if name in ("spiral", "blobs") else 2)
    x, y = _real(name)
    return x.shape[1], int(y.max()) + 1


def n_test(total: int, test_fraction: float) -> int:
    """How many of ``total`` points the split sets aside for testing (at least one)."""
    return max(1, int(round(test_fraction * total)))


def _split(name, x, y, rng, test_fraction, image=False) -> Dataset:
    regression = name in REGRESSION_2D
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float32 if regression else np.int64)
    order = rng.permutation(len(x))
    k = n_test(len(x), test_fraction)
    test, train = order[:k], order[k:]
    x = _standardise(x, train, over_columns=name != "digits")  # digits: one global scale keeps the images' shape
    import torch  # here, not at the top: the pages import this module's names without training

    xt = torch.tensor(x, dtype=torch.float32)
    image_shape = None
    if name == "digits" and image:
        xt, image_shape = xt.reshape(-1, 1, 8, 8), (1, 8, 8)
    yt = torch.tensor(y)
    return Dataset(name, xt[train], yt[train], xt[test], yt[test], 1 if regression else int(y.max()) + 1,
                   x.shape[1], image_shape, regression)


def _standardise(x: np.ndarray, train: np.ndarray, over_columns: bool = True) -> np.ndarray:
    """``(x − mean) / std`` with the training rows' mean and standard deviation (per column, or
    over all of ``x``). Values are first divided by their largest magnitude, so finite data never
    overflows (values near 1e308 have a square, and a standard deviation, beyond float64);
    standardising removes that scale again."""
    axis = 0 if over_columns else None
    big = np.abs(x).max(axis=axis)
    x = x / np.where(big > 0, big, 1.0)
    mean, std = x[train].mean(axis=axis), x[train].std(axis=axis)
    return (x - mean) / np.where(std > 0, std, 1.0)


class BadFile(ValueError):
    """An upload that cannot be used: ``reason`` in our words, and ``excerpt``, the student's own
    text that shows where (None if there is none), for the page to echo as plain text."""

    def __init__(self, reason: str, excerpt: str | None = None):
        super().__init__(reason if excerpt is None else f"{reason}: {excerpt!r}")
        self.reason, self.excerpt = reason, excerpt


def _number(cell: str) -> bool:
    try:
        float(cell)
        return True
    except ValueError:
        return False


MAX_CSV_BYTES, MAX_CSV_ROWS, MAX_CSV_CLASSES = 200_000, 2000, 10


def parse_csv(content: bytes | str, seed: int = 0, test_fraction: float = 0.3) -> Dataset:
    """A student's own 2-D data: CSV rows ``x, y, label`` (a header row is optional), label an
    integer class 0..9. Raises ``BadFile`` (a ``ValueError``) saying what to fix.

    The first row is a header only if none of its cells is a number: a first row ``nan,1,0`` is
    data, and refused as such. Values of any finite size are accepted (standardising scales
    them safely, ``_standardise``)."""
    if isinstance(content, bytes):
        if len(content) > MAX_CSV_BYTES:
            raise BadFile(f"the file is {len(content) // 1000} kB; the limit is {MAX_CSV_BYTES // 1000} kB")
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise BadFile("the file is not UTF-8 text; save it as CSV") from None
    split = lambda row: [c.strip() for c in row.replace(";", ",").split(",")]  # noqa: E731
    rows = [r for r in (line.strip() for line in content.splitlines()) if r]
    if rows and not any(_number(c) for c in split(rows[0])):
        rows = rows[1:]  # header
    if not 10 <= len(rows) <= MAX_CSV_ROWS:
        raise BadFile(f"need between 10 and {MAX_CSV_ROWS} data rows, found {len(rows)}")
    values = []
    for i, row in enumerate(rows, start=1):
        cells = split(row)
        if len(cells) != 3:
            raise BadFile(f"data row {i} has {len(cells)} columns; need exactly 3: x, y, label")
        try:
            values.append([float(c) for c in cells])
        except ValueError:
            raise BadFile(f"data row {i} is not three numbers", row[:60]) from None
    data = np.array(values)
    if not np.isfinite(data).all():
        raise BadFile("every value must be a finite number (no NaN or inf)")
    y = data[:, 2]
    if (y != np.round(y)).any() or y.min() < 0 or y.max() >= MAX_CSV_CLASSES:
        raise BadFile(f"labels must be whole numbers from 0 to {MAX_CSV_CLASSES - 1}")
    if len(np.unique(y)) < 2:
        raise BadFile("need at least two classes in the label column")
    return _split("custom", data[:, :2], y.astype(np.int64), np.random.default_rng(seed), test_fraction)


# -- Regression: 1-D sets for a linear output unit (the training lab's sets above are all classification) --
REGRESSION = ("sine", "inverse_sine")
SINE_RANGE = (-math.pi, math.pi)
BISHOP_NOISE = 0.1  # Bishop (1994): uniform noise on (−0.1, 0.1)


@dataclass(frozen=True)
class Regression:
    """A 1-D regression set: inputs and real-valued targets, float32 tensors of shape (N, 1)."""

    name: str
    x_train: torch.Tensor
    y_train: torch.Tensor
    x_test: torch.Tensor
    y_test: torch.Tensor


def regression(name: str, n: int = 300, noise: float = 0.2, seed: int = 0, test_fraction: float = 0.3) -> Regression:
    """A 1-D regression set, generated on the fly (not standardised: the curves keep their units).

    ``"sine"``: x ~ U(−π, π), y = sin(2x) + N(0, noise²): one value of y per x, up to noise.
    ``"inverse_sine"`` (Bishop, 1994, "Mixture density networks"): t ~ U(0, 1),
    x = t + 0.3 sin(2πt) + U(−noise, noise), y = t. The map from t to x is not one-to-one: without
    the noise, for x between 0.407 and 0.593 (where dx/dt = 1 + 0.6π cos 2πt = 0) there are three
    values of y, and squared error learns their average, one answer where there are three."""
    if name not in REGRESSION:
        raise ValueError(f"unknown regression set {name!r}; choose from {', '.join(REGRESSION)}")
    if not 10 <= n <= MAX_POINTS:
        raise ValueError(f"n must be between 10 and {MAX_POINTS} points, got {n}")
    if not (math.isfinite(noise) and noise >= 0):
        raise ValueError("noise must be a number ≥ 0")
    rng = np.random.default_rng(seed)
    if name == "sine":
        x = rng.uniform(*SINE_RANGE, n)
        y = np.sin(2 * x) + noise * rng.standard_normal(n)
    else:
        y = rng.uniform(0.0, 1.0, n)
        x = y + 0.3 * np.sin(2 * np.pi * y) + rng.uniform(-noise, noise, n)
    import torch  # here, as in _split: the pages import this module's names without training

    cut = n_test(n, test_fraction)
    col = lambda a: torch.tensor(a[:, None], dtype=torch.float32)  # noqa: E731
    return Regression(name, col(x[cut:]), col(y[cut:]), col(x[:cut]), col(y[:cut]))
