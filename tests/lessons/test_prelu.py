"""PReLU with a slope per unit against a slope per layer, trained side by side."""
import threading

import numpy as np
import pytest

from lessons import prelu

pytestmark = pytest.mark.slow  # trains networks for seconds: not in the fast tier


@pytest.fixture(scope="module")
def run():
    return prelu.train()  # the page's defaults: 16 units, 600 steps, spiral


def test_same_start_different_number_of_slopes(run):
    assert run.per_unit.shape == (len(run.log_steps), prelu.DEPTH, 16) and run.shared.shape == (len(run.log_steps), 2)
    assert (run.per_unit[0] == 0.25).all() and (run.shared[0] == 0.25).all()
    assert run.loss[0, 0] == pytest.approx(run.loss[0, 1], abs=1e-7)  # same weights before the first step
    assert run.parameters[0] - run.parameters[1] == prelu.DEPTH * (16 - 1)
    assert run.log_steps[-1] == 600 and run.step == 600


def test_slopes_are_learned_and_free_to_leave_zero_to_one(run):
    last = run.per_unit[-1]
    assert np.ptp(last, axis=1).min() > 0.1  # the units of a layer learn different slopes
    assert (last < 0).any()  # "a slope can turn negative"
    assert all(0.5 < acc <= 1 for acc in run.test_accuracy)


def test_stop_ends_the_run():
    stop = threading.Event()
    r = prelu.train(steps=3000, progress=lambda s: stop.set(), stop=stop)
    assert r.stopped and r.step < 3000 and r.per_unit.shape[0] == len(r.log_steps)
