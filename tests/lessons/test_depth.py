"""Deep-MLP probes: initialisations, the δ recursion, vanishing gradients and SELU's fixed point."""
import numpy as np
import pytest
import torch

from activations import REGISTRY
from lessons.depth import DEPTH_SLUGS, NORMALISATION_RUNS, batch, delta_recursion, probe, weights


@pytest.fixture(scope="module")
def digits():
    return batch("digits", 1024)


@pytest.mark.parametrize("init, variance", [("he", lambda i, o: 2 / i), ("xavier", lambda i, o: 2 / (i + o)),
                                            ("lecun", lambda i, o: 1 / i)])
def test_initialisations_have_their_papers_variance(init, variance):
    w = weights(depth=1, width=400, n_in=300, n_out=10, init=init, seed=1)[0]  # (400, 300)
    assert w.var().item() == pytest.approx(variance(300, 400), rel=0.02)
    assert abs(w.mean().item()) < 3e-3
    # Same seed, same draw: the comparison between activations uses identical weights.
    assert torch.equal(w, weights(1, 400, 300, 10, init, seed=1)[0])


def test_depth_slugs_keep_the_width():
    assert not {"crelu", "softmax", "maxout"} & set(DEPTH_SLUGS)


@pytest.mark.parametrize("act", ["sigmoid", "relu", "selu", "gelu", "prelu"])
def test_delta_recursion_equals_autograd(digits, act):
    x, y, k = digits
    p = probe(act, 8, 32, REGISTRY[act].init, x[:64], y[:64], k)
    assert p.recursion_error < 1e-10
    assert p.delta_norms.shape == p.grad_norms.shape == (8,)


def test_delta_recursion_by_hand():
    """One hidden layer, numbers small enough to check on paper: δ⁽¹⁾ = W⁽²⁾ᵀδ_out ⊙ f′(z⁽¹⁾)."""
    w_out = np.array([[1.0, -2.0], [0.5, 3.0]])  # 2 outputs × 2 hidden units
    slopes = [np.array([[1.0, 0.0]])]  # unit 1 active, unit 2 off (ReLU)
    (d1,) = delta_recursion([np.eye(2), w_out], slopes, np.array([[0.2, -0.4]]))
    assert d1 == pytest.approx(np.array([[0.2 * 1.0 - 0.4 * 0.5, 0.0]]))


@pytest.mark.slow
def test_selu_self_normalises_at_layer_50(digits):
    x, y, k = digits
    p = probe("selu", 50, 100, "lecun", x, y, k, seed=0)
    print(f"SELU layer 50: mean {p.mean[-1]:+.4f}, variance {p.var[-1]:.4f}")
    assert abs(p.mean[-1]) < 0.1
    assert abs(p.var[-1] - 1) < 0.2
    # ...and with the wrong init it does not: He's doubled variance blows up through the layers.
    wrong = probe("selu", 50, 100, "he", x, y, k, seed=0)
    assert wrong.var[-1] > 10


def test_sigmoid_gradient_vanishes_relu_does_not_at_depth_20(digits):
    x, y, k = digits
    sig = probe("sigmoid", 20, 100, REGISTRY["sigmoid"].init, x, y, k)
    relu = probe("relu", 20, 100, REGISTRY["relu"].init, x, y, k)
    ratio = sig.grad_norms[0] / relu.grad_norms[0]
    print(f"depth 20, first layer: sigmoid/ReLU gradient-norm ratio {ratio:.2e}")
    assert ratio < 1e-6
    # ReLU keeps the first layer's gradient within an order of magnitude of the last layer's.
    assert 0.1 < relu.grad_norms[0] / relu.grad_norms[-1] < 10
    # Sigmoid's derivative is at most 1/4, so no layer's mean slope exceeds it.
    assert sig.mean_slope.max() <= 0.25


def test_normalisation_runs_cover_the_lesson():
    labels = [r[0] for r in NORMALISATION_RUNS]
    assert any(r[1:] == ("selu", "lecun") for r in NORMALISATION_RUNS)
    assert any(r[1] == "selu" and r[2] != "lecun" for r in NORMALISATION_RUNS)
    assert {r[1] for r in NORMALISATION_RUNS} >= {"relu", "elu", "tanh"}
    assert len(set(labels)) == len(labels)


def test_layer_statistics_do_not_depend_on_the_layers_above(digits):
    """The page answers every SELU depth from the deepest network; this is why that is exact."""
    x, y, k = digits
    deep, shallow = probe("selu", 30, 40, "lecun", x[:128], y[:128], k), probe("selu", 12, 40, "lecun", x[:128], y[:128], k)
    assert np.allclose(deep.mean[:12], shallow.mean, rtol=1e-12) and np.allclose(deep.var[:12], shallow.var, rtol=1e-12)


@pytest.mark.slow
def test_the_normalisation_text_states_what_the_probes_measure():
    """vanishing_selu.md's numbers are the page's probes (digits, batch 256, 60 layers of 100
    units, seed 0): ReLU with He is offset but stays in a band; ELU with He and SELU with He drift
    upwards; tanh with Xavier shrinks."""
    from lessons.prose import read

    text = " ".join(read("vanishing_selu").split())
    x, y, k = batch("digits", 256)
    p = {slug + "/" + init: probe(slug, 60, 100, init, x, y, k) for _, slug, init in NORMALISATION_RUNS}
    r2 = lambda v: f"{v:.2f}".replace("-", "−")  # noqa: E731
    selu = p["selu/lecun"]
    assert f"mean stays between {r2(selu.mean.min())} and {r2(selu.mean.max())}" in text
    assert f"variance between {r2(selu.var.min())} and {r2(selu.var.max())}" in text
    relu = p["relu/he"]
    assert relu.mean.min() > 0 and f"({r2(relu.mean.min())} to {r2(relu.mean.max())})" in text
    assert f"({r2(relu.var.min())} to {relu.var.max():.1f})" in text
    assert relu.var.max() < 2.5 and relu.var[-1] < 2 * relu.var[0]  # no run-away
    elu, selu_he = p["elu/he"], p["selu/he"]
    assert f"about {elu.var[-1]:.0f} by layer 60" in text and elu.var[-1] > 10 * elu.var[0]
    assert f"about {round(selu_he.var[-1], -2):,.0f} at layer 60" in text
    tanh = p["tanh/xavier"]
    assert f"from {r2(tanh.var[0])} at layer 1 to below 0.01" in text and tanh.var[-1] < 0.01
    assert "ReLU and ELU (their means are positive)" not in text


def test_he_keeps_relus_mean_square_and_inflates_elus():
    """One wide layer with He weights: ReLU passes the mean square of its input on unchanged (He et
    al., 2015); ELU's negative side adds to it, so a stack of ELU layers grows."""
    g = torch.Generator().manual_seed(100)  # not the weights' seed: the input must not reuse their draws
    a = torch.randn(2000, 200, dtype=torch.float64, generator=g) * 0.8 + 0.3  # any input; mean square 0.73
    w = weights(1, 20_000, 200, 10, "he", seed=0)[0]  # (20000, 200)
    z = a @ w.T
    q = (a**2).mean().item()
    assert (torch.relu(z) ** 2).mean().item() == pytest.approx(q, rel=0.01)
    assert (torch.nn.functional.elu(z) ** 2).mean().item() > 1.2 * q


def test_the_slope_bounds_text_states_measured_numbers():
    """vanishing_bounds.md: σ′ peaks at 0.25 and tanh′ at 1, both only at z = 0, and
    0.25²⁰ ≈ 10⁻¹²."""
    from activations import REGISTRY
    from lessons.prose import read

    z = np.linspace(-10, 10, 200_001)
    for slug, peak in (("sigmoid", 0.25), ("tanh", 1.0)):
        d = REGISTRY[slug].derivative(z)
        assert d.max() == peak and (z[d == peak] == 0).all()
    assert round(np.log10(0.25**20)) == -12
    text = read("vanishing_bounds")
    assert "**0.25**" in text and "**1**" in text and "0.25²⁰ ≈ 10⁻¹²" in text
