"""The live regression: a linear output unit trained with squared error on a noisy sine."""
import numpy as np
import pytest

from lessons import regression

pytestmark = pytest.mark.slow  # trains networks for seconds: not in the fast tier


def test_the_fit_finds_the_sine_and_sigma_finds_the_noise():
    r = regression.train()  # the page's defaults: tanh, 32 units, 1,500 steps, noise 0.2
    assert r.done and r.step == 1500 and len(r.loss) == 1500
    assert np.abs(r.pred - r.truth).max() < 0.25
    assert r.sigma == pytest.approx(0.2, rel=0.25) and r.test_mse == pytest.approx(0.04, rel=0.5)
    again = regression.train()
    np.testing.assert_array_equal(again.pred, r.pred)  # a run is a function of its settings


def test_without_training_there_is_no_fit():
    r = regression.train(steps=1)
    assert np.abs(r.pred - r.truth).max() > 0.5
