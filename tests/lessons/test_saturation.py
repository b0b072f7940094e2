"""Saturation: one unit's pre-activations and slopes as its weights grow."""
import numpy as np
import pytest

from lessons import saturation


@pytest.mark.parametrize("scale", [0.1, 1.0, 3.0, 10.0])
def test_z_has_the_weight_scale_as_standard_deviation_and_relu_keeps_slope_one(scale):
    u = saturation.unit(scale)
    assert u.z.std() == pytest.approx(scale, rel=0.05)
    assert u.mean_slope("relu", active=True) == 1.0
    assert u.saturated("relu") == pytest.approx(np.mean(u.z <= 0)) and 0.45 < u.saturated("relu") < 0.55  # "half"
    assert saturation.FAN_IN == 100


def test_sigmoid_and_tanh_saturate_as_the_scale_grows():
    for act in saturation.SATURATING:
        shares = [saturation.unit(s).saturated(act) for s in (0.5, 2, 5, 10)]
        slopes = [saturation.unit(s).mean_slope(act) for s in (0.5, 2, 5, 10)]
        assert shares[0] == 0 and all(b > a for a, b in zip(shares, shares[1:])) and shares[-1] > 0.5
        assert all(b < a for a, b in zip(slopes, slopes[1:]))
    assert saturation.peak_slope("sigmoid") == 0.25 and saturation.peak_slope("tanh") == 1.0


def test_histograms_count_every_input():
    u = saturation.unit(20.0)
    assert u.z_counts().sum() == saturation.SAMPLES and u.slope_counts("tanh").sum() == saturation.SAMPLES
    with pytest.raises(ValueError):
        saturation.unit(0.0)


def test_the_initialisations_weight_norms_the_docstring_names():
    """lessons/saturation.py: He gives ‖w‖ ≈ √2 for 100 inputs; Xavier ≈ 1 in a 100 → 100 layer and
    ≈ √2 for a single unit (fan-out 1)."""
    import torch

    g = torch.Generator().manual_seed(0)
    def norm(init, fan_out):
        w = torch.empty(fan_out, 100)
        init(w, generator=g)
        return float(w.norm(dim=1).mean())
    assert norm(torch.nn.init.kaiming_normal_, 100) == pytest.approx(2 ** 0.5, rel=0.05)
    assert norm(torch.nn.init.xavier_normal_, 100) == pytest.approx(1.0, rel=0.05)
    assert norm(torch.nn.init.xavier_normal_, 1) == pytest.approx(2 ** 0.5, rel=0.15)
