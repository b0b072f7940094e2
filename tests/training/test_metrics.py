"""The dead-unit metric on constructed cases, and dead units that come back (or not) in real runs."""
import numpy as np
import pytest
import torch

from activations import REGISTRY
from training.engine import Config, train
from training.metrics import Revival, dead_fraction, dead_units, revivals
from training.presets import PRESETS


def test_all_dead():
    h = torch.zeros(50, 8)
    assert dead_units(h).tolist() == [True] * 8
    assert dead_fraction(h) == 1.0


def test_none_dead():
    h = torch.relu(torch.randn(100, 6, generator=torch.Generator().manual_seed(0)))
    h[0] = 1.0  # every unit fires on at least one input
    assert dead_units(h).tolist() == [False] * 6
    assert dead_fraction(h) == 0.0


def test_one_dead_unit():
    h = torch.rand(20, 5) + 0.1
    h[:, 3] = 0.0
    assert dead_units(h).tolist() == [False, False, False, True, False]
    assert dead_fraction(h) == pytest.approx(0.2)


def test_a_unit_that_fires_on_a_single_input_is_alive():
    h = torch.zeros(30, 4)
    h[17, 2] = 1e-6
    assert dead_units(h).tolist() == [True, True, False, True]
    assert dead_fraction(h) == pytest.approx(0.75)


def test_negative_outputs_are_not_dead():
    """A Leaky ReLU unit with only negative inputs still outputs (small) non-zero values."""
    z = -torch.rand(40, 3) - 1.0
    assert dead_fraction(torch.nn.functional.leaky_relu(z, 0.01)) == 0.0
    assert dead_fraction(torch.relu(z)) == 1.0


def test_conv_channels():
    h = torch.ones(4, 3, 5, 5)
    h[:, 1] = 0.0
    assert dead_units(h).tolist() == [False, True, False]
    with pytest.raises(ValueError):
        dead_units(torch.zeros(5))


def test_revivals_find_layers_whose_dead_fraction_fell_again():
    dead = np.array([[[0.0, 0.5]], [[0.25, 0.5]], [[0.0, 0.5]]])  # (logs, models, layers)
    assert revivals(dead, np.array([10, 20, 30])) == [Revival(model=0, layer=0, peak=0.25, peak_step=20, end=0.0)]
    assert revivals(dead[:2], np.array([10, 20])) == []
    assert revivals(dead[:0], np.array([])) == []


@pytest.fixture(scope="module")
def dying_preset():
    return dict(PRESETS["Dying ReLU at high learning rate"], activations=("relu",))


def test_dead_units_come_back_under_adam(dying_preset):
    """The training lab's "Dying ReLU at high learning rate" preset trains with Adam: seed 3's first
    layer has 25 % dead units at a logged step and none at the end. Its gradient was zero; Adam's
    running averages moved it anyway. So the ReLU entry must not say that death is final."""
    r = train(Config(**dying_preset))
    back = revivals(r.dead, r.log_steps)
    # seed 3's first layer: 25 % dead, then none (where it stands among the revivals, which come in
    # order of their drop, depends on the machine's last bits: second on one machine, first on another)
    assert ("ReLU / seed 3", 0, 0.25, 0.0) in [(r.label(b.model), b.layer, b.peak, b.end) for b in back]
    assert {(b.model, b.layer) for b in back} >= {(m, 0) for m in range(4)}  # every seed's first layer
    con = REGISTRY["relu"].cons[0]
    assert "no momentum, no weight decay" in con and "Adam" in con and "come back" in con


def test_a_dead_first_layer_unit_stays_dead_under_plain_sgd(dying_preset):
    """Plain full-batch SGD: zero gradient, inputs fixed, so the first layer's dead fraction never
    falls. Deeper layers can still come back: the layers below change their inputs."""
    r = train(Config(**{**dying_preset, "optimizer": "sgd", "lr": 1.0, "seeds": 6}))
    assert r.dead[:, :, 0].max() > 0  # some first-layer units did die
    back = revivals(r.dead, r.log_steps)
    assert back and all(b.layer > 0 for b in back)
