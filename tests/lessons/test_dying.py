"""The dying-unit experiment: dead units stay dead under ReLU, the variants keep learning."""
import numpy as np
import pytest

from lessons.dying import PRESETS, deaths, histograms, train
from lessons.prose import read
from training.datasets import load

pytestmark = pytest.mark.slow  # trains networks for seconds: not in the fast tier


@pytest.fixture(scope="module")
def runs():
    out = {}
    for key in ("high_lr", "negative_bias"):
        p = PRESETS[key]
        for act in ("relu", "leaky_relu", "elu", "prelu"):
            out[key, act] = train(act, p["lr"], p["init_bias"])
    return out


def test_histograms_equal_numpy():
    z = np.random.default_rng(0).normal(size=(3, 500, 4))
    edges = np.linspace(z.min(), z.max(), 21)
    expected = np.stack([[np.histogram(zu, edges)[0] for zu in zt.T] for zt in z])
    assert np.array_equal(histograms(z, edges), expected)


def test_histograms_count_every_training_input(runs):
    run = runs["high_lr", "relu"]
    ds = load("digits", seed=0)
    assert (run.hist.sum(axis=2) == len(ds.x_train)).all()  # the training split: the inputs the loss sees
    assert run.hist.shape == (run.steps + 1, 16, len(run.edges) - 1)


def test_the_lesson_counts_the_digits_it_trains_on():
    ds = load("digits", seed=0)
    n_train, n_test = len(ds.x_train), len(ds.x_test)
    assert (n_train, n_test) == (1258, 539)
    text = read("dying_intro")
    assert f"{n_train:,} training digits" in text and f"{n_train + n_test:,} handwritten digits" in text
    assert f"other {n_test:,} digits" in text


@pytest.mark.parametrize("key", ["high_lr", "negative_bias"])
def test_dead_is_exactly_the_units_whose_bias_stops_moving(runs, key):
    """Dead = zero on every training input. With plain gradient descent a unit is dead at a step
    exactly when that step leaves its bias unchanged: the reported dead count is the count of
    frozen biases (a unit that is zero on the training split but not on some test digit is
    still frozen, and still dead)."""
    relu = runs[key, "relu"]
    unchanged = relu.bias[1:] == relu.bias[:-1]
    assert np.array_equal(relu.dead[:-1], unchanged)
    frozen_all_run = (relu.bias == relu.bias[0]).all(axis=0)
    if key == "negative_bias":
        assert relu.dead[-1].sum() == frozen_all_run.sum() == 11


@pytest.mark.parametrize("key", ["high_lr", "negative_bias"])
def test_relu_units_never_come_back_and_are_frozen(runs, key):
    run = runs[key, "relu"]
    assert run.dead_fraction[-1] >= 0.3
    assert np.array_equal(run.dead, run.off)  # for ReLU, dead is exactly "negative on every input"
    for unit in np.flatnonzero(run.dead.any(axis=0)):
        first = np.argmax(run.dead[:, unit])
        assert run.dead[first:, unit].all()  # once dead, dead for good
        assert (run.bias[first:, unit] == run.bias[first, unit]).all()  # zero gradient: frozen


def test_high_learning_rate_kills_in_one_step(runs):
    relu = runs["high_lr", "relu"]
    assert relu.dead_fraction[0] == 0
    assert relu.dead_fraction[1] > 0  # the very first step kills units
    first = [d for d in deaths(relu) if d.step == 0]
    assert first and all(d.z_max_before > 0 > d.z_max_after for d in first)


def test_variants_are_never_dead_and_recover_from_a_negative_bias(runs):
    relu = runs["negative_bias", "relu"]
    assert relu.off_fraction[0] == relu.off_fraction[-1] > 0.5
    for act in ("leaky_relu", "elu", "prelu"):
        run = runs["negative_bias", act]
        assert run.dead_fraction.max() == 0  # the output is never exactly 0 on every input
        assert run.off_fraction[0] == relu.off_fraction[0]  # same start
        assert run.off_fraction[-1] < relu.off_fraction[-1]  # some units came back
        assert run.accuracy > relu.accuracy
    assert runs["negative_bias", "elu"].off_fraction[-1] < 0.25
    assert runs["negative_bias", "prelu"].off_fraction[-1] < 0.15


def test_variants_keep_learning_after_a_large_step(runs):
    leaky = runs["high_lr", "leaky_relu"]
    assert leaky.dead_fraction.max() == 0
    off_units = np.flatnonzero(leaky.off[-1])
    assert len(off_units)
    # Off, but not frozen: their biases still move in the last steps.
    assert (np.abs(leaky.bias[-1, off_units] - leaky.bias[-10, off_units]) > 0).all()


def test_divergence_is_reported(runs):
    prelu = runs["high_lr", "prelu"]  # one learned slope per unit blows up at this rate
    assert prelu.diverged_at is not None and prelu.steps < 100
    assert np.isfinite(prelu.loss).all()


def test_bad_learning_rates_are_refused():
    for lr in (0.0, -1.0, float("nan")):
        with pytest.raises(ValueError):
            train("relu", lr)
