"""The engine on a CUDA device: it trains there, agrees with the CPU, and "auto" picks it.
The `gpu` tests are skipped where torch sees no CUDA device; the last test runs everywhere."""
import numpy as np
import pytest
import torch

from training.config import Config
from training.engine import Trainer, train

needs_cuda = pytest.mark.skipif(not torch.cuda.is_available(), reason="no CUDA device")
SMALL = dict(activations=("relu", "tanh", "prelu"), seeds=2, n=200, width=8, epochs=40)


@pytest.mark.gpu
@needs_cuda
def test_cuda_run_is_recorded_as_cuda_and_learns():
    r = train(Config(device="cuda", **SMALL))
    assert r.device == "cuda" and r.trainer.device.type == "cuda"
    assert np.isfinite(r.loss).all() and (r.loss[-1] < r.loss[0]).all()
    assert r.grid_probs.shape == (6, 3600, 2) and np.isfinite(r.test_error).all()


@pytest.mark.gpu
@needs_cuda
def test_cuda_matches_the_cpu_run_of_the_same_config():
    gpu, cpu = train(Config(device="cuda", **SMALL)), train(Config(device="cpu", **SMALL))
    # Same initial weights and data; only the kernels differ, so the curves agree closely.
    np.testing.assert_allclose(gpu.loss[[0, -1]], cpu.loss[[0, -1]], rtol=1e-3)


@pytest.mark.gpu
@needs_cuda
def test_auto_picks_cuda_when_present():
    assert Trainer(Config(device="auto", **SMALL)).device.type == "cuda"


def test_auto_picks_cpu_without_cuda(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert Trainer(Config(device="auto", **SMALL)).device.type == "cpu"
    with pytest.raises(ValueError, match="no CUDA device"):
        Trainer(Config(device="cuda", **SMALL))
