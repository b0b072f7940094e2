"""The dead-unit metric on constructed cases."""
import pytest
import torch

from training.metrics import dead_fraction, dead_units


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
