"""The hand-made chain rule against torch.autograd, and the seeds' worked example."""
import dataclasses

import numpy as np
import pytest
import torch

from activations import REGISTRY
from lessons import prose
from lessons.chain_rule import CHAIN_SLUGS, SEED_EXAMPLE, Chain, walk

# torch's CELU backward rounds 1/α to float32 even for float64 tensors (at α = 0.3, z = −3 it is
# off by 4e-7 relative); the registry's derivative is the exact exp(z/α).
RTOL = {"celu": 1e-5}


def _random_params(act, rng):
    params = {p.name: float(rng.uniform(max(p.min, 0.05), p.max)) for p in act.params if not p.integer}
    if act.slug == "rrelu":
        params["lower"], params["upper"] = sorted((params["lower"], params["upper"]))
    return params


def _autograd(chain: Chain):
    """∂L/∂w_1, the loss and the updated weight from torch (float64)."""
    module = REGISTRY[chain.act].to_torch(**chain.params).double().eval()
    if chain.act == "prelu":  # nn.PReLU stores its slope in float32; set the exact value
        with torch.no_grad():
            module.weight.fill_(chain.params["a"])
    w = [torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in chain.weights]
    a = torch.tensor(chain.x, dtype=torch.float64)
    for k in range(chain.hidden):
        a = module((w[k] * a + chain.biases[k]).reshape(1)).reshape(())
    y_hat = w[-1] * a + chain.biases[-1]
    loss = 0.5 * (y_hat - chain.y) ** 2
    loss.backward()
    return w[0].grad.item(), loss.item(), y_hat.item()


@pytest.mark.parametrize("slug", CHAIN_SLUGS)
def test_chain_rule_equals_autograd_on_random_chains(slug):
    rng = np.random.default_rng(abs(hash(slug)) % 2**32)
    for _ in range(20):
        n = int(rng.integers(1, 5))
        chain = Chain(x=float(rng.normal()), weights=tuple(rng.normal(0, 1.5, n + 1)),
                      biases=tuple(rng.normal(0, 1, n + 1)), y=float(rng.normal()),
                      lr=float(rng.uniform(0.01, 1)), act=slug, params=_random_params(REGISTRY[slug], rng))
        result = walk(chain)
        grad, loss, y_hat = _autograd(chain)
        assert result.grad == pytest.approx(grad, rel=RTOL.get(slug, 1e-9), abs=1e-12)
        assert result.loss == pytest.approx(loss, rel=RTOL.get(slug, 1e-12), abs=1e-15)
        assert result.y_hat == pytest.approx(y_hat, rel=RTOL.get(slug, 1e-12), abs=1e-15)
        tol = RTOL.get(slug, 1e-9) * abs(chain.lr * grad) + 1e-12
        assert result.w_new == pytest.approx(chain.weights[0] - chain.lr * grad, abs=tol)
        assert len(result.factors) == 2 * n + 2


@pytest.mark.parametrize("slug", [s for s in REGISTRY if s not in CHAIN_SLUGS])
def test_activations_left_out_of_the_chain_are_refused_and_named_on_the_page(slug):
    with pytest.raises(ValueError, match="not an elementwise activation"):
        Chain(x=1, weights=(1, 1), biases=(0, 0), y=0, lr=0.1, act=slug)
    assert REGISTRY[slug].name.split(" ")[0].lower() in prose.read("not_in_chain").lower()


def test_seed_example_gives_exactly_zero_and_an_unchanged_weight():
    result = walk(SEED_EXAMPLE)
    assert [f.kind for f in result.factors] == ["loss", "weight", "activation", "input"]
    assert [f.value for f in result.factors] == pytest.approx([0.8, 0.4, 0.0, 0.3], abs=1e-12)
    assert result.factors[2].value == 0.0
    assert result.z[0] < 0 and result.a[0] == 0.0
    assert result.grad == 0.0
    assert result.w_new == SEED_EXAMPLE.weights[0]


def test_leaky_relu_lets_a_small_gradient_through():
    result = walk(dataclasses.replace(SEED_EXAMPLE, act="leaky_relu"))
    assert result.factors[2].value == pytest.approx(0.01)
    # The unit now outputs 0.01·z_1 = −0.01, so ŷ and the loss derivative move too: 0.8 → 0.796.
    assert result.factors[0].value == pytest.approx(0.796)
    assert result.grad == pytest.approx(0.796 * 0.4 * 0.01 * 0.3)
    assert result.w_new == pytest.approx(0.5 - 0.1 * 0.0009552)
    assert result.w_new != SEED_EXAMPLE.weights[0]


def test_a_sigmoid_layer_need_not_shrink_the_gradient():
    """σ′ ≤ 1/4, but a layer's factor is σ′·w: a second sigmoid unit with w₂ = 8 at z₂ = 0 has the
    factor 0.25 × 8 = 2, and the gradient grows (0.0214 → 0.0472). The texts say so, and no longer
    claim that every sigmoid layer shrinks the gradient at least four-fold."""
    from lessons.prose import read

    one = walk(Chain(0.3, (0.5, 0.4), (-1.15, 0.3), -0.5, 0.1, "sigmoid"))
    a1 = one.a[0]
    two = walk(Chain(0.3, (0.5, 8.0, 0.4), (-1.15, -8.0 * a1, 0.3), -0.5, 0.1, "sigmoid"))
    assert two.z[1] == pytest.approx(0.0, abs=1e-15)
    slope2, weight2 = two.factors[2].value, two.factors[3].value
    assert (two.factors[2].kind, two.factors[3].kind) == ("activation", "weight")
    assert slope2 == 0.25 and slope2 * weight2 == 2.0
    assert (round(one.grad, 4), round(two.grad, 4)) == (0.0214, 0.0472)
    con = " ".join(REGISTRY["sigmoid"].cons)
    step2 = " ".join(read("dead_step2").split())
    for text in (con, step2):
        assert "four-fold" not in text and "at least 4×" not in text and "before the weights have their say" in text
    assert "σ′·w" in con and "σ′·w" in step2 and "0.25 × 8 = 2" in step2


def test_any_factor_can_be_the_zero():
    """dead_step0.md: the zero is the activation's derivative in the seeds' example, but the loss
    factor is zero when ŷ = y and the input factor when x = 0, with the ReLU unit on."""
    from lessons.prose import read

    kinds = lambda w: {f.kind: f.value for f in w.factors if f.value == 0}  # noqa: E731
    assert set(kinds(walk(SEED_EXAMPLE))) == {"activation"}
    right = walk(Chain(x=0.3, weights=(0.5, 0.4), biases=(0.1, 0.3), y=0.4 * 0.25 + 0.3, lr=0.1))
    assert right.y_hat == right.chain.y and set(kinds(right)) == {"loss"} and right.grad == 0
    no_input = walk(Chain(x=0.0, weights=(0.5, 0.4), biases=(0.2, 0.3), y=-0.5, lr=0.1))
    assert no_input.z[0] > 0 and set(kinds(no_input)) == {"input"} and no_input.grad == 0
    text = " ".join(read("dead_step0").split())
    assert "always the activation" not in text
    assert "loss factor when the prediction is already right (ŷ = y)" in text and "input factor when x = 0" in text


def test_softmax_of_a_single_number_is_always_one_with_derivative_zero():
    act = REGISTRY["softmax"]
    x = np.linspace(-50, 50, 101)[:, None]  # one score per vector
    assert (act.forward(x) == 1).all() and (act.derivative(x) == 0).all()
