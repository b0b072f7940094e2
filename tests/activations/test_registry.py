"""The registry against PyTorch: values, derivatives (autograd), constants and contracts."""
import math
import subprocess
import sys

import numpy as np
import pytest
import torch

from activations import (
    REGISTRY,
    RRELU_NDSB_DIVISORS,
    RRELU_SCHEMES,
    SELU_ALPHA,
    SELU_LAMBDA,
    Param,
    get,
    maxout_pieces,
    rrelu_draw_slopes,
    rrelu_expected_slopes,
    rrelu_test_slopes,
)

REQUIRED = ("relu leaky_relu rrelu prelu elu selu celu gelu gelu_tanh silu mish softplus relu6 hardswish "
            "sigmoid tanh crelu softmax maxout").split()
ELEMENTWISE = [s for s, a in REGISTRY.items() if a.elementwise]
# A dense grid that hits every kink exactly (0, ±3, 6) and reaches the saturated tails.
GRID = np.unique(np.concatenate([np.linspace(-12, 12, 4801), [0.0, -3.0, 3.0, 6.0, -1e-9, 1e-9, 40.0, -40.0]]))
TOL = 1e-6


def random_params(act, n=4, seed=0):
    """The defaults, then n draws uniformly inside each parameter's slider range."""
    rng = np.random.default_rng(seed)
    draws = [act.defaults]
    for _ in range(n):
        p = {q.name: float(rng.uniform(q.min, q.max)) for q in act.params}
        p.update({q.name: float(round(p[q.name])) for q in act.params if q.integer})
        if act.slug == "rrelu" and p["lower"] > p["upper"]:
            p["lower"], p["upper"] = p["upper"], p["lower"]
        draws.append(p)
    return draws


def torch_eval(module, x):
    """Value and autograd gradient of sum(module(x)) in float64, in evaluation mode."""
    module = module.double().eval()
    xt = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    y = module(xt)
    y.sum().backward()
    return y.detach().numpy(), xt.grad.numpy()


def test_registry_has_every_required_activation_in_teaching_order():
    assert list(REGISTRY)[: len(REQUIRED) - 3] == REQUIRED[:-3]
    assert set(REQUIRED) <= set(REGISTRY)
    for slug, act in REGISTRY.items():
        assert act.slug == slug and act.name and act.latex and act.references and act.pros and act.cons
        assert act.properties is not None and len(act.properties.rows()) == 7


@pytest.mark.parametrize("slug", list(REGISTRY))
def test_params_are_well_formed(slug):
    for p in get(slug).params:
        assert isinstance(p, Param)
        assert p.min <= p.default <= p.max and p.step > 0 and p.label
        for _, v in p.presets:
            assert p.min <= v <= p.max


@pytest.mark.parametrize("slug", [s for s, a in REGISTRY.items() if a.params])
def test_integer_marks_exactly_the_parameters_that_take_whole_numbers(slug):
    """Half a step more leaves the curves of an ``integer`` parameter unchanged (its fraction is
    dropped) and moves those of every other parameter."""
    act = get(slug)
    before = act.curves(GRID, **act.defaults)
    for p in act.params:
        half = p.step / 2 if p.default + p.step / 2 <= p.max else -p.step / 2
        after = act.curves(GRID, **{**act.defaults, p.name: p.default + half})
        same = after.keys() == before.keys() and all(
            np.array_equal(a, b) for k in before for a, b in zip(after[k], before[k]))
        assert same == p.integer, p.name
        if p.integer:  # whole numbers for the slider and the link
            assert all(type(v) is int for v in (p.default, p.min, p.max, p.step)), p.name


@pytest.mark.parametrize("slug", ELEMENTWISE)
def test_forward_and_derivative_match_torch_and_autograd(slug):
    act = get(slug)
    for params in random_params(act):
        y, grad = torch_eval(act.to_torch(**params), GRID)
        np.testing.assert_allclose(act.forward(GRID, **params), y, rtol=0, atol=TOL, err_msg=f"{slug} {params}")
        np.testing.assert_allclose(act.derivative(GRID, **params), grad, rtol=0, atol=TOL,
                                   err_msg=f"{slug}' {params}")


@pytest.mark.parametrize("slug", ["relu", "leaky_relu", "prelu", "elu", "selu", "celu", "relu6", "hardswish", "rrelu"])
def test_kinks_follow_autograd(slug):
    act = get(slug)
    kinks = np.array([0.0, -3.0, 3.0, 6.0])
    _, grad = torch_eval(act.to_torch(), kinks)
    assert act.derivative(kinks).tolist() == grad.tolist()


def test_torch_modules_are_torchs_own_where_torch_has_one():
    from torch import nn

    expected = {"relu": nn.ReLU, "leaky_relu": nn.LeakyReLU, "rrelu": nn.RReLU, "prelu": nn.PReLU, "elu": nn.ELU,
                "selu": nn.SELU, "celu": nn.CELU, "gelu": nn.GELU, "gelu_tanh": nn.GELU, "silu": nn.SiLU, "mish": nn.Mish,
                "softplus": nn.Softplus, "relu6": nn.ReLU6, "hardswish": nn.Hardswish, "sigmoid": nn.Sigmoid,
                "tanh": nn.Tanh, "softmax": nn.Softmax}
    for slug, cls in expected.items():
        assert type(get(slug).to_torch()) is cls, slug


def test_prelu_can_learn_one_slope_per_unit():
    m = get("prelu").to_torch(a=0.1, num_parameters=16)
    assert m.weight.shape == (16,) and torch.allclose(m.weight, torch.full((16,), 0.1))


def test_gelu_tanh_is_torchs_approximation_and_within_the_stated_distance_of_gelu():
    assert get("gelu").to_torch().approximate == "none" and get("gelu_tanh").to_torch().approximate == "tanh"
    x = np.linspace(-10, 10, 2_000_001)
    diff = np.abs(get("gelu").forward(x) - get("gelu_tanh").forward(x))
    ddiff = np.abs(get("gelu").derivative(x) - get("gelu_tanh").derivative(x))
    assert f"{diff.max():.1e}" == "4.7e-04" and f"{abs(x[diff.argmax()]):.2f}" == "2.70"
    assert f"{ddiff.max():.1e}" == "8.7e-04" and f"{abs(x[ddiff.argmax()]):.2f}" == "2.02"
    assert diff[x <= 0].max() == pytest.approx(diff.max(), rel=1e-9)  # symmetric: also at x ≈ −2.70
    for slug in ("gelu", "gelu_tanh"):  # each entry points to the other and states the measured distance
        note = " ".join(get(slug).notes)
        assert "4.7·10⁻⁴" in note and "±2.70" in note and "8.7·10⁻⁴" in note and "±2.02" in note
    assert "tanh approximation" in get("gelu").pros[0]


def test_gelu_takes_scalars():
    assert get("gelu").forward(1.0) == pytest.approx(0.8413447460685429)
    assert get("gelu").derivative(0.0) == pytest.approx(0.5)


def test_crelu_matches_torch_concatenation_and_autograd():
    act = get("crelu")
    x = GRID[:, None]  # (N, 1) features: torch concatenates along dim 1
    xt = torch.tensor(x, requires_grad=True)
    y = act.to_torch()(xt)
    np.testing.assert_allclose(act.forward(GRID), y.detach().numpy(), atol=TOL)
    for part in (0, 1):
        (g,) = torch.autograd.grad(y[:, part].sum(), xt, retain_graph=True)
        np.testing.assert_allclose(act.derivative(GRID)[:, part], g.numpy()[:, 0], atol=TOL)
    assert np.allclose(np.linalg.norm(act.forward(GRID), axis=-1), np.abs(GRID))  # keeps the norm


@pytest.mark.parametrize("temperature", [1.0, 0.3, 2.7])
def test_softmax_and_its_jacobian_match_torch(temperature):
    act = get("softmax")
    x = np.random.default_rng(1).normal(0, 5, size=(6, 4))
    for row in x:
        xt = torch.tensor(row)
        module = act.to_torch(temperature=temperature)
        np.testing.assert_allclose(act.forward(row, temperature=temperature), module(xt).numpy(), atol=TOL)
        jac = torch.autograd.functional.jacobian(module, xt).numpy()
        np.testing.assert_allclose(act.derivative(row, temperature=temperature), jac, atol=TOL)


def test_softmax_of_the_seed_scores():
    p = get("softmax").forward(np.array([10.0, 20.0, 30.0, 40.0]))
    e = np.exp([10.0, 20.0, 30.0, 40.0])
    np.testing.assert_allclose(p, e / e.sum(), rtol=1e-12)
    assert p.sum() == pytest.approx(1) and np.all(np.diff(p) > 0)


@pytest.mark.parametrize("slug", [s for s in ELEMENTWISE if isinstance(REGISTRY[s].properties.monotonic, bool)])
def test_monotonic_property_matches_the_sign_of_the_derivative(slug):
    act = get(slug)
    for params in random_params(act):
        assert act.properties.monotonic == bool((act.derivative(GRID, **params) >= 0).all()), params


def test_softmax_raises_its_own_probability_and_lowers_the_others():
    """Softmax is not "monotonic" as a vector map: ∂p_i/∂x_i > 0 but ∂p_i/∂x_j = −p_i p_j/T < 0.
    Nor is it only an output unit: the training lab trains it as a hidden activation."""
    from training.engine import Config, train

    act = get("softmax")
    x = np.random.default_rng(2).normal(0, 3, size=(40, 4))
    for t in (0.5, 1.0, 2.0):
        jac, p = act.derivative(x, temperature=t), act.forward(x, temperature=t)
        off = ~np.eye(4, dtype=bool)
        assert (np.diagonal(jac, axis1=-2, axis2=-1) > 0).all() and (jac[:, off] < 0).all()
        np.testing.assert_allclose(jac[:, off], -(p[:, :, None] * p[:, None, :] / t)[:, off], atol=1e-15)
    mono = dict(act.properties.rows())["Monotonic"]
    assert mono == act.properties.monotonic and "its own" in mono and "falls" in mono
    assert not any("only meaningful as an output" in c.lower() for c in act.cons)
    r = train(Config(activations=("softmax",), seeds=1, n=200, epochs=30, width=8))
    assert np.isfinite(r.loss).all() and r.loss[-1, 0] < r.loss[0, 0]


@pytest.mark.parametrize("k", [2, 3, 5])
def test_maxout_matches_torch_and_autograd(k):
    act = get("maxout")
    z = np.random.default_rng(k).normal(size=(7, 4 * k))
    z[0, :k] = 0.5  # a tie: the gradient goes to the first maximal piece, as in torch
    y, grad = torch_eval(act.to_torch(k=k), z)
    np.testing.assert_allclose(act.forward(z, k=k), y, atol=TOL)
    np.testing.assert_allclose(act.derivative(z, k=k), grad, atol=TOL)


def test_maxout_with_two_pieces_is_relu_and_more_pieces_approach_softplus():
    slopes, intercepts = maxout_pieces(2)
    assert slopes.tolist() == [0, 1] and intercepts.tolist() == [0, 0]
    curves = {k: next(iter(get("maxout").curves(GRID, k=k).values()))[0] for k in (2, 8)}
    np.testing.assert_array_equal(curves[2], get("relu").forward(GRID))
    softplus = get("softplus").forward(GRID)
    assert np.all(curves[8] <= softplus + 1e-12)  # tangents of a convex function lie below it
    assert np.abs(curves[8] - softplus).max() < np.abs(curves[2] - softplus).max() / 2


def test_selu_constants_equal_klambauer_et_al():
    # Closed forms of Klambauer et al. (2017), eq. 14, for the fixed point (mean 0, variance 1).
    e, erfc, pi = math.e, math.erfc, math.pi
    alpha = -math.sqrt(2 / pi) / (erfc(1 / math.sqrt(2)) * math.exp(0.5) - 1)
    lam = (1 - math.sqrt(e) * erfc(1 / math.sqrt(2))) * math.sqrt(2 * pi) / math.sqrt(
        2 * erfc(math.sqrt(2)) * e**2 + pi * erfc(1 / math.sqrt(2)) ** 2 * e
        - 2 * (2 + pi) * erfc(1 / math.sqrt(2)) * math.sqrt(e) + pi + 2)
    assert abs(SELU_ALPHA - 1.6732632423543772848170429916717) < 1e-10
    assert abs(SELU_LAMBDA - 1.0507009873554804934193349852946) < 1e-10
    assert abs(SELU_ALPHA - alpha) < 1e-10 and abs(SELU_LAMBDA - lam) < 1e-10
    assert get("selu").defaults == {"lam": SELU_LAMBDA, "alpha": SELU_ALPHA}


def test_rrelu_test_time_slope_of_each_scheme():
    l, u = RRELU_NDSB_DIVISORS
    assert (l, u) == (3, 8) and RRELU_SCHEMES == ("slope", "divisor")
    test, expected = rrelu_test_slopes(1 / u, 1 / l), rrelu_expected_slopes(1 / u, 1 / l)
    assert test["slope"] == pytest.approx(11 / 48, abs=1e-15)  # PyTorch: the mean of the slope bounds
    assert test["divisor"] == pytest.approx(2 / 11, abs=1e-15)  # Xu et al.: one over the mean divisor
    assert expected["slope"] == test["slope"]  # uniform slopes: their mean is the test slope
    assert expected["divisor"] == pytest.approx(math.log(8 / 3) / 5, abs=1e-15)
    a = np.linspace(3, 8, 2_000_001)  # E[1/a] for a ~ U(3, 8), by the trapezoid rule
    assert np.trapezoid(1 / a, a) / 5 == pytest.approx(expected["divisor"], abs=1e-9)
    assert test["divisor"] < expected["divisor"] < expected["slope"]
    rrelu = get("rrelu")
    assert rrelu.defaults == pytest.approx({"lower": 1 / 8, "upper": 1 / 3})
    y, _ = torch_eval(rrelu.to_torch(), np.array([-1.0]))  # torch evaluates with the mean of the bounds
    assert y[0] == pytest.approx(-test["slope"], abs=1e-12)
    assert rrelu.forward(-1.0) == pytest.approx(-test["slope"], abs=1e-15)
    assert rrelu.forward(-1.0, scheme="divisor") == pytest.approx(-test["divisor"], abs=1e-15)
    with pytest.raises(ValueError):
        rrelu.forward(-1.0, scheme="guess")


@pytest.mark.parametrize("bounds", [(1 / 8, 1 / 3), (0.05, 0.5), (0.3, 0.3)])
@pytest.mark.parametrize("scheme", RRELU_SCHEMES)
def test_rrelu_expected_training_slope_is_the_mean_of_the_drawn_slopes(scheme, bounds):
    lower, upper = bounds
    x = -np.ones(10**6)
    slopes = -get("rrelu").forward(x, training=True, rng=np.random.default_rng(1), scheme=scheme, lower=lower,
                                   upper=upper)
    assert lower - 1e-15 <= slopes.min() and slopes.max() <= upper + 1e-15
    assert slopes.mean() == pytest.approx(rrelu_expected_slopes(lower, upper)[scheme], abs=5e-4)
    if scheme == "slope":  # PyTorch's own sampler agrees
        m = torch.nn.RReLU(lower, upper).train()
        torch.manual_seed(0)
        drawn = -m(torch.full((10**6,), -1.0, dtype=torch.float64))
        assert drawn.mean().item() == pytest.approx(rrelu_expected_slopes(lower, upper)["slope"], abs=5e-4)


def test_rrelu_schemes_share_the_bounds_but_not_the_distribution():
    """Uniform slopes in (1/8, 1/3) are not one over uniform divisors in (3, 8): the quartiles of
    1/slope tell them apart."""
    rng = np.random.default_rng(0)
    q = {s: np.quantile(1 / rrelu_draw_slopes(10**6, scheme=s, rng=rng), [0.25, 0.5, 0.75]) for s in RRELU_SCHEMES}
    np.testing.assert_allclose(q["slope"], [1 / (1 / 8 + 0.75 * 5 / 24), 1 / (11 / 48), 1 / (1 / 8 + 0.25 * 5 / 24)],
                               atol=0.01)
    np.testing.assert_allclose(q["slope"], [3.56, 4.36, 5.65], atol=0.01)
    np.testing.assert_allclose(q["divisor"], [4.25, 5.5, 6.75], atol=0.01)
    note = " ".join(get("rrelu").notes)
    for v in ("3.56", "5.65", "4.25", "6.75", "11/48 ≈ 0.2292", "ln(8/3)/5 ≈ 0.1962", "2/11 ≈ 0.1818"):
        assert v in note


def test_rrelu_training_mode_draws_slopes_between_the_bounds():
    x = -np.ones(20_000)
    for scheme in RRELU_SCHEMES:
        y = get("rrelu").forward(x, training=True, rng=np.random.default_rng(0), scheme=scheme)
        slopes = -y
        assert slopes.min() >= 1 / 8 and slopes.max() <= 1 / 3 and len(np.unique(slopes)) > 1000
        np.testing.assert_array_equal(get("rrelu").forward(np.arange(5.0), training=True, scheme=scheme),
                                      np.arange(5.0))


def test_unknown_parameters_and_slugs_are_rejected():
    with pytest.raises(TypeError):
        get("relu").forward(np.zeros(3), alpha=0.1)
    with pytest.raises(KeyError, match="known"):
        get("nope")


def test_importing_the_registry_does_not_import_torch():
    code = "import sys, activations; print('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=__file__.rsplit("/tests/", 1)[0])
    assert out.stdout.strip() == "False"


def test_never_and_always_claims_hold_where_they_are_made():
    """Leaky ReLU's slope is never 0 only for α > 0 (the slider allows 0); ELU's and softplus's
    gradients are positive in exact arithmetic but underflow to 0 in float32 below about −104;
    CReLU has one active part for every x except 0."""
    x = np.array([-3.0, -1.0])
    assert get("leaky_relu").param("alpha").min == 0 and (get("leaky_relu").derivative(x, alpha=0.0) == 0).all()
    assert "for α > 0" in get("leaky_relu").summary
    for slug, text in (("elu", " ".join(get("elu").pros)), ("softplus", " ".join(get("softplus").pros))):
        z = torch.tensor([-103.0, -105.0], requires_grad=True)  # float32, torch's default
        get(slug).to_torch()(z).sum().backward()
        assert z.grad[0] > 0 and z.grad[1] == 0, slug
        assert "−104" in text
    assert get("crelu").derivative(0.0).tolist() == [0.0, 0.0]
    assert (np.abs(get("crelu").derivative(GRID[GRID != 0])).sum(axis=-1) == 1).all()
    assert "x ≠ 0" in get("crelu").properties.dying_risk
