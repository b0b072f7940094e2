"""Maxout fits, CReLU's norm and its cost: what the Maxout and CReLU page states."""
import numpy as np
import pytest
import torch

from activations import REGISTRY
from lessons import maxout


@pytest.mark.parametrize("target", ["abs", "relu"])
def test_two_pieces_fit_abs_and_relu_exactly(target):
    fit = maxout.fits(target)[1]
    assert fit.k == 2 and fit.max_error <= 1e-4
    assert fit.max_error < 1e-12  # exact but for rounding
    f = maxout.TARGETS[target][1]
    np.testing.assert_allclose(fit(maxout.X), f(maxout.X), atol=1e-12)


@pytest.mark.parametrize("target", list(maxout.TARGETS))
def test_the_error_never_rises_with_k(target):
    fits = maxout.fits(target)
    rms, worst = [f.rms for f in fits], [f.max_error for f in fits]
    assert [f.k for f in fits] == list(range(1, maxout.K_MAX + 1))
    assert all(b <= a for a, b in zip(rms, rms[1:])), rms
    assert all(b <= a + 1e-12 for a, b in zip(worst, worst[1:])), worst


def test_the_three_piece_target_is_exact_from_three_pieces_and_smooth_ones_never_are():
    assert [f.max_error < 1e-12 for f in maxout.fits("pwl")] == [False, False] + [True] * (maxout.K_MAX - 2)
    for target in ("square", "softplus"):
        assert min(f.max_error for f in maxout.fits(target)) > 1e-3


def test_for_x_squared_the_error_falls_about_fourfold_when_k_doubles():
    rms = {f.k: f.rms for f in maxout.fits("square")}
    assert 3.5 < rms[2] / rms[4] < 4.5 and 3.5 < rms[4] / rms[8] < 4.5


@pytest.mark.parametrize("target, k, rms, max_error", [("pwl", 2, 0.292, 0.721), ("softplus", 8, 0.00297, 0.0074)])
def test_the_fits_are_as_good_as_an_independent_search_found(target, k, rms, max_error):
    """Issue 19: a review found better fits than the full-step iterations' (three-piece target, K = 2:
    RMS 0.313, max 0.981; softplus, K = 8: 0.00333, 0.0107). The damped iterations reach them: 0.2920
    and 0.7206; 0.002978 and 0.0077."""
    fit = maxout.fits(target)[k - 1]
    assert fit.rms <= rms * 1.005 and fit.max_error <= max_error * 1.05


def test_the_unit_is_the_registrys_maxout_over_its_pieces():
    fit = maxout.fits("softplus")[3]
    lines = torch.tensor(fit.lines(), dtype=torch.float64)
    torch_out = REGISTRY["maxout"].to_torch(k=fit.k)(lines)[:, 0].numpy()
    np.testing.assert_allclose(fit(), torch_out, atol=1e-12)
    assert fit.lines().shape == (len(maxout.X), 4)


def test_crelu_keeps_the_norm_forward_and_backward():
    x = np.linspace(-1000, 1000, 200_001)
    assert maxout.crelu_norm_gap(x) == (0.0, 0.0)
    zero = torch.zeros(1, 1, requires_grad=True)  # crelu.md: "at x = 0 PyTorch returns (0, 0)"
    out = REGISTRY["crelu"].to_torch()(zero)
    assert [torch.autograd.grad(out[0, i], zero, retain_graph=True)[0].item() for i in (0, 1)] == [0.0, 0.0]
    assert maxout.X[0] == -3 and maxout.X[-1] == 3  # "fitted to the target on [−3, 3]"


def test_the_gradient_reaching_x_is_one_part_of_the_two_so_its_norm_is_not_kept():
    """crelu.md: ∂L/∂x is g₊ for x > 0 and −g₋ for x < 0, so |∂L/∂x| ≤ ‖(g₊, g₋)‖, equal only when
    the other part is 0."""
    from lessons.prose import read

    x = torch.tensor([[1.5], [-0.7]], dtype=torch.float64, requires_grad=True)
    out = REGISTRY["crelu"].to_torch()(x)  # (2, 2): each row (max(0, x), max(0, −x))
    g = torch.tensor([[0.3, -0.4], [0.6, 0.8]], dtype=torch.float64)
    out.backward(g)
    assert x.grad[:, 0].tolist() == [0.3, -0.8]  # g₊ of the first row, −g₋ of the second
    assert (x.grad[:, 0].abs() < g.norm(dim=1)).all()  # norms 0.5 and 1.0: not kept
    text = " ".join(read("crelu").split())
    assert "Backwards the same holds" not in text and "|∂L/∂x| ≤ ‖(g₊, g₋)‖" in text


@pytest.mark.parametrize("units, after, kernel", [(64, 128, 1), (64, 128, 3), (3, 5, 7)])
def test_the_next_layers_parameters_match_torch(units, after, kernel):
    def count(n_in):
        layer = torch.nn.Linear(n_in, after) if kernel == 1 else torch.nn.Conv2d(n_in, after, kernel)
        return sum(p.numel() for p in layer.parameters())

    assert maxout.next_layer_parameters(units, after, kernel) == {"relu": count(units), "crelu": count(2 * units)}


def test_unknown_targets_are_refused():
    with pytest.raises(ValueError, match="unknown target"):
        maxout.fits("sin")
