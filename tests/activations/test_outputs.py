"""Output units and their losses against torch and autograd, scores of ±1,000 included."""
import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from activations import outputs

TOL = 1e-6
SCORES = [
    np.array([10.0, 20.0, 30.0, 40.0]),  # seed 003's example
    np.array([1000.0, 999.0, -1000.0, 0.0]),
    np.array([-1000.0, -1000.0, -999.5]),
    np.array([1000.0, 1000.0]),
    np.random.default_rng(0).normal(0, 30, size=7),
]
TEMPERATURES = [1.0, 0.1, 2.5]


def t(x):
    return torch.tensor(x, dtype=torch.float64, requires_grad=True)


@pytest.mark.parametrize("temperature", TEMPERATURES)
@pytest.mark.parametrize("x", SCORES, ids=lambda x: ",".join(f"{v:g}" for v in x[:4]))
def test_softmax_log_softmax_and_logsumexp_equal_torch(x, temperature):
    xt = torch.tensor(x) / temperature
    np.testing.assert_allclose(outputs.softmax(x, temperature), torch.softmax(xt, -1).numpy(), rtol=0, atol=TOL)
    np.testing.assert_allclose(outputs.log_softmax(x, temperature), torch.log_softmax(xt, -1).numpy(), rtol=0,
                               atol=TOL)
    assert outputs.logsumexp(x, temperature) == pytest.approx(torch.logsumexp(xt, -1).item(), abs=TOL)
    assert np.isfinite(outputs.log_softmax(x, temperature)).all()


@pytest.mark.parametrize("x", SCORES, ids=lambda x: ",".join(f"{v:g}" for v in x[:4]))
def test_cross_entropy_and_its_gradient_equal_torch(x):
    for k in range(len(x)):
        xt = t(x)
        loss = F.cross_entropy(xt[None], torch.tensor([k]))
        loss.backward()
        assert outputs.cross_entropy(x, k) == pytest.approx(loss.item(), abs=TOL)
        np.testing.assert_allclose(outputs.cross_entropy_grad(x, k), xt.grad.numpy(), rtol=0, atol=TOL)


@pytest.mark.parametrize("temperature", TEMPERATURES)
def test_softmax_squared_error_gradient_equals_autograd(temperature):
    for x in SCORES:
        xt = t(x)
        loss = ((torch.softmax(xt / temperature, -1) - F.one_hot(torch.tensor(1), len(x))) ** 2).sum()
        loss.backward()
        assert outputs.softmax_squared_error(x, 1, temperature) == pytest.approx(loss.item(), abs=TOL)
        np.testing.assert_allclose(outputs.softmax_squared_error_grad(x, 1, temperature), xt.grad.numpy(), atol=TOL)


Z = np.array([-1000.0, -40.0, -5.0, -0.3, 0.0, 0.7, 5.0, 40.0, 1000.0])


@pytest.mark.parametrize("y", [0.0, 1.0, 0.25])
def test_sigmoid_losses_and_gradients_equal_torch(y):
    zt = t(Z)
    bce = F.binary_cross_entropy_with_logits(zt, torch.full_like(zt, y), reduction="none")
    bce.sum().backward()
    np.testing.assert_allclose(outputs.binary_cross_entropy(Z, y), bce.detach().numpy(), rtol=1e-12, atol=TOL)
    np.testing.assert_allclose(outputs.binary_cross_entropy_grad(Z, y), zt.grad.numpy(), atol=TOL)
    zt = t(Z)
    mse = (torch.sigmoid(zt) - y) ** 2
    mse.sum().backward()
    np.testing.assert_allclose(outputs.sigmoid_squared_error(Z, y), mse.detach().numpy(), atol=TOL)
    np.testing.assert_allclose(outputs.sigmoid_squared_error_grad(Z, y), zt.grad.numpy(), atol=TOL)


def test_bce_keeps_its_log_far_from_the_answer():
    """At z = −1,000 with label 1 the loss is 1,000 (σ(z) underflows to 0, but the log is taken first)."""
    assert outputs.binary_cross_entropy(-1000.0, 1.0) == pytest.approx(1000.0)
    assert outputs.binary_cross_entropy_grad(-1000.0, 1.0) == pytest.approx(-1.0)


@pytest.mark.parametrize("sigma", [1.0, 0.05, 3.0])
def test_gaussian_nll_equals_torch(sigma):
    y = np.linspace(-4, 4, 9)
    mu = t(np.full(9, 0.7))
    nll = -torch.distributions.Normal(mu, sigma).log_prob(torch.tensor(y))
    nll.sum().backward()
    np.testing.assert_allclose(outputs.gaussian_nll(y, 0.7, sigma), nll.detach().numpy(), atol=TOL)
    np.testing.assert_allclose(outputs.gaussian_nll_grad(y, 0.7, sigma), mu.grad.numpy(), atol=TOL)
    # σ = 1: the negative log-likelihood is half the squared error plus ½ log 2π.
    np.testing.assert_allclose(outputs.gaussian_nll(y, 0.7), 0.5 * (y - 0.7) ** 2 + 0.5 * math.log(2 * math.pi))


def test_mixture_pdf_integrates_to_one_and_equals_torch():
    w, mu, s = np.array([0.2, 0.5, 0.3]), np.array([-1.0, 0.0, 2.0]), np.array([0.3, 1.0, 0.5])
    y = np.linspace(-8, 8, 16001)
    p = outputs.mixture_pdf(y, w, mu, s)
    assert np.trapezoid(p, y) == pytest.approx(1.0, abs=1e-9)
    mix = torch.distributions.MixtureSameFamily(torch.distributions.Categorical(torch.tensor(w)),
                                                torch.distributions.Normal(torch.tensor(mu), torch.tensor(s)))
    np.testing.assert_allclose(p, mix.log_prob(torch.tensor(y)).exp().numpy(), atol=TOL)


def test_the_seed_example_gives_the_true_probabilities():
    """Seed 003 writes 0.4, 0.1, 0.2, 0.3 beside the scores 10, 20, 30, 40; softmax gives these."""
    p = outputs.softmax([10.0, 20.0, 30.0, 40.0])
    np.testing.assert_allclose(p, [9.36e-14, 2.06e-9, 4.54e-5, 0.99995], rtol=2e-3)
    assert p.tolist() == pytest.approx([math.exp(-30) / (1 + math.exp(-10) + math.exp(-20) + math.exp(-30)),
                                        math.exp(-20) / (1 + math.exp(-10) + math.exp(-20) + math.exp(-30)),
                                        math.exp(-10) / (1 + math.exp(-10) + math.exp(-20) + math.exp(-30)),
                                        1 / (1 + math.exp(-10) + math.exp(-20) + math.exp(-30))], rel=1e-12)


def test_shifting_every_score_changes_nothing_and_the_naive_form_overflows():
    x = np.array([10.0, 20.0, 30.0, 40.0])
    for c in (-1000.0, 3.5, 960.0):
        np.testing.assert_allclose(outputs.softmax(x + c), outputs.softmax(x), rtol=1e-12, atol=0)
    assert np.isnan(outputs.naive_softmax(x + 960.0)).all()  # e^1000 = inf, inf / inf = NaN
    np.testing.assert_allclose(outputs.naive_softmax(x), outputs.softmax(x), rtol=1e-12)
    assert outputs.logsumexp([1000.0, 1000.0]) == pytest.approx(1000 + math.log(2), abs=1e-12)


def test_a_non_positive_temperature_is_refused():
    with pytest.raises(ValueError, match="temperature"):
        outputs.logsumexp([1.0, 2.0], 0.0)
