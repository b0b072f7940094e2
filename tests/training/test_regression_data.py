"""The lessons' 1-D regression sets: sizes, noise and the folds of Bishop's inverse sine; the
training lab's classification sets are untouched."""
import numpy as np
import pytest

from training import datasets


def test_the_noisy_sine_splits_210_and_90_and_is_reproducible():
    a, b = datasets.regression("sine", n=300, noise=0.2, seed=0), datasets.regression("sine", n=300, noise=0.2, seed=0)
    assert a.x_train.shape == a.y_train.shape == (210, 1) and a.x_test.shape == (90, 1)
    assert np.array_equal(a.x_train.numpy(), b.x_train.numpy())
    x, y = a.x_train[:, 0].numpy(), a.y_train[:, 0].numpy()
    assert -np.pi <= x.min() and x.max() <= np.pi
    assert np.std(y - np.sin(2 * x)) == pytest.approx(0.2, rel=0.15)
    clean = datasets.regression("sine", n=300, noise=0.0)
    np.testing.assert_allclose(clean.y_train[:, 0], np.sin(2 * clean.x_train[:, 0].numpy()), atol=1e-6)


def test_bishops_inverse_sine_is_the_curve_t_plus_0_3_sin_2_pi_t_turned_round():
    d = datasets.regression("inverse_sine", n=1000, noise=0.1, seed=3)
    x, t = d.x_train[:, 0].numpy().astype(float), d.y_train[:, 0].numpy().astype(float)
    noise = x - (t + 0.3 * np.sin(2 * np.pi * t))
    assert np.abs(noise).max() <= 0.1 + 1e-6 and np.abs(noise).max() > 0.09  # uniform on (−0.1, 0.1)
    assert 0 <= t.min() and t.max() <= 1


def test_the_inverse_sine_has_three_values_between_0_407_and_0_593():
    """datasets.regression's docstring: the fold, where dx/dt = 1 + 0.6π cos 2πt = 0, spans x from
    0.407 to 0.593 (not "about 0.35 to 0.65")."""
    t = np.linspace(0, 1, 1_000_001)
    x = t + 0.3 * np.sin(2 * np.pi * t)
    turn = np.nonzero(np.diff(np.sign(np.diff(x))))[0] + 1  # the local maximum, then the minimum
    assert len(turn) == 2
    low, high = sorted(x[turn])
    assert round(low, 3) == 0.407 and round(high, 3) == 0.593
    for x0, count in ((0.40, 1), (0.41, 3), (0.59, 3), (0.60, 1)):
        assert int((np.diff(np.sign(x - x0)) != 0).sum()) == count
    assert "between 0.407 and 0.593" in " ".join(datasets.regression.__doc__.split())


@pytest.mark.parametrize("kwargs, message", [
    (dict(name="moons"), "unknown regression set"), (dict(name="sine", n=5), "n must be"),
    (dict(name="sine", noise=float("nan")), "noise"), (dict(name="sine", noise=-1.0), "noise"),
])
def test_bad_requests_say_what_to_fix(kwargs, message):
    with pytest.raises(ValueError, match=message):
        datasets.regression(**kwargs)


def test_the_training_labs_sets_are_unchanged():
    assert datasets.NAMES == ("moons", "circles", "spiral", "xor", "blobs", "digits", "breast_cancer")
    assert not set(datasets.REGRESSION) & set(datasets.NAMES)
