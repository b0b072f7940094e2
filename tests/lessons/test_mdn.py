"""The mixture density network against the squared-error net on Bishop's inverse sine."""
import threading

import numpy as np
import pytest
import torch

from activations import outputs
from lessons import mdn
from lessons.prose import read

pytestmark = pytest.mark.slow  # trains networks for seconds: not in the fast tier


@pytest.fixture(scope="module")
def run():
    return mdn.train()  # the page's defaults: 3 components, 24 tanh units, 1,000 steps, exp scales, seed 0


def test_the_mdn_beats_squared_error_on_held_out_data(run):
    assert run.done and not run.stopped and run.step == 1000
    assert len(run.x_train) == mdn.N_TRAIN == 500 and mdn.N_TEST == 1000  # as mdn_intro.md and the page say
    assert run.sigmas.min() >= mdn.SIGMA_FLOOR == 1e-3
    assert run.test_nll < run.test_nll_mse - 0.5  # nats per point


def test_its_samples_cover_every_branch_where_the_inverse_has_several(run):
    xs, ys = run.samples_x, run.samples_y
    for lo in (0.42, 0.46, 0.50, 0.54):  # bins inside the fold, 0.41 < x < 0.59
        inside = (xs >= lo) & (xs < lo + 0.04)
        for t in mdn.branches(lo + 0.02):
            assert (np.abs(ys[inside] - t) < 0.1).sum() >= 2, f"few samples near t = {t:.2f} at x ≈ {lo + 0.02:.2f}"
    # and the distribution itself: at every input of the fold, each branch holds a share of the mass
    y = np.linspace(-0.5, 1.5, 2001)
    for i, x in enumerate(run.grid):
        branches = mdn.branches(x)
        if len(branches) == 3:
            d = run.density_at(i, y)
            assert all(np.trapezoid(np.where(np.abs(y - t) < 0.1, d, 0), y) > 0.1 for t in branches), x
    # the squared-error net's one answer in the middle of the fold is far from the outer branches
    i = run.at(0.5)
    assert min(abs(run.mse_mean[i] - t) for t in mdn.branches(0.5)[[0, 2]]) > 0.15


def test_the_inverse_has_three_values_between_0_41_and_0_59():
    """mdn_intro.md: "for every x between about 0.41 and 0.59 (without the noise) three values of t fit"."""
    assert [len(mdn.branches(x)) for x in (0.40, 0.41, 0.5, 0.59, 0.60)] == [1, 3, 3, 3, 1]
    assert "between about 0.41 and 0.59" in read("mdn_intro")
    for x in (0.1, 0.45, 0.9):
        t = mdn.branches(x)
        np.testing.assert_allclose(t + 0.3 * np.sin(2 * np.pi * t), x, atol=1e-9)


def test_where_the_squared_error_net_answers(run):
    """mdn_intro.md: at x = 0.5 the branches are 0.21, 0.50, 0.79, their mean lies on the middle
    one and the net answers about 0.52; near the fold's ends (x = 0.35, 0.40, 0.60, 0.65) no
    training point within 0.025 of x lies within 0.05 of the net's answer."""
    text = " ".join(read("mdn_intro").split())
    t = mdn.branches(0.5)
    np.testing.assert_allclose(t, [0.21, 0.50, 0.79], atol=0.005)
    assert t.mean() == pytest.approx(t[1], abs=1e-9)
    assert run.mse_mean[run.at(0.5)] == pytest.approx(0.52, abs=0.005)
    assert "t = 0.21, 0.50 and 0.79" in text and "answers about 0.52" in text
    for x in (0.35, 0.40, 0.60, 0.65):
        near = np.abs(run.x_train - x) < 0.025
        answer = run.mse_mean[run.at(x)]
        assert near.sum() >= 30 and (np.abs(run.y_train[near] - answer) < 0.05).sum() == 0, x
    assert "x = 0.35–0.40 and 0.60–0.65" in text and "no training point within 0.025" in text
    assert "that mean lies between them" not in text  # inside the fold it need not


def test_a_zero_sigma_gives_a_nan_loss_off_the_mean_and_relu_no_way_back():
    """mdn_intro.md: with σ = 0 the density is 0 for every y ≠ μ (loss +∞, NaN in floating point)
    and infinite only at y = μ; ReLU's slope at a negative input is 0."""
    from activations import REGISTRY

    mu, y = torch.tensor([0.3]), torch.tensor([0.3, 0.31])
    for sigma, expect in ((1e-30, None), (0.0, "nan")):
        s = torch.tensor([sigma], dtype=torch.float64)
        log_normal = -0.5 * ((y.double() - mu.double()) / s) ** 2 - torch.log(s) - 0.5 * outputs.LOG_2PI
        if expect == "nan":
            assert torch.isnan(log_normal[1])  # −∞ + ∞: the loss of a target off the mean is NaN
        else:
            assert log_normal[0] > 60 and log_normal[1] < -1e50  # density huge at μ, 0 elsewhere
    assert REGISTRY["relu"].derivative(np.array([-0.5]))[0] == 0.0
    text = " ".join(read("mdn_intro").split())
    assert "the loss −∞" not in text and "+∞, NaN in floating point" in text


def test_the_mixture_loss_is_the_negative_log_of_the_mixture_density():
    torch.manual_seed(0)
    out, y = torch.randn(7, 9, dtype=torch.float64), torch.rand(7, 1, dtype=torch.float64)
    for scale in mdn.SCALES:
        log_pi, mu, sigma = mdn._split(out, 3, scale)
        density = outputs.mixture_pdf(y.numpy()[:, 0], log_pi.exp().numpy(), mu.numpy(), sigma.numpy())
        assert mdn.mixture_nll(out, y, 3, scale).item() == pytest.approx(-np.log(density).mean(), rel=1e-12)
        assert (sigma > 0).all()
    # ELU + 1 is positive because ELU stays above −1
    assert torch.nn.functional.elu(torch.tensor(-1e3)).item() > -1 - 1e-12


def test_the_density_integrates_to_one_and_weights_sum_to_one(run):
    np.testing.assert_allclose(run.weights.sum(1), 1, atol=1e-5)
    wide = np.linspace(-2, 3, 5001)
    mass = np.trapezoid(run.density(wide), wide, axis=0)
    np.testing.assert_allclose(mass, 1, atol=1e-3)
    np.testing.assert_allclose(run.density_at(17), run.density()[:, 17])


def test_progress_snapshots_and_stop():
    snaps, stop = [], threading.Event()

    def progress(s):
        snaps.append(s)
        stop.set()

    r = mdn.train(m=2, width=8, steps=4000, progress=progress, stop=stop)
    assert r.stopped and r.done and r.step < 4000 and len(snaps) == 1
    assert len(r.nll) == r.step and np.isfinite(r.test_nll)


def test_bad_settings_are_refused():
    with pytest.raises(ValueError, match="components"):
        mdn.train(m=0)
    with pytest.raises(ValueError, match="scale"):
        mdn.train(scale="relu")
