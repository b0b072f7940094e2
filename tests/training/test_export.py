"""The exported standalone script runs and reproduces the engine's results."""
import csv
import io
import subprocess
import sys

import numpy as np
import pytest

from training.config import Config
from training.datasets import parse_csv
from training.engine import train
from training.export import export_script

pytestmark = pytest.mark.slow  # trains networks for seconds: not in the fast tier

CASES = [
    Config(activations=("relu", "prelu", "crelu", "maxout", "selu"), seeds=2, n=120, epochs=15, width=6,
           params={"maxout": {"k": 3}}),
    Config(dataset="digits", model="conv", depth=3, width=3, activations=("relu", "tanh+prelu+crelu"), seeds=1,
           epochs=1, batch_size=400, optimizer="momentum", lr=0.05),
]


def run_script(source: str, tmp_path) -> dict:
    path = tmp_path / "exported.py"
    path.write_text(source)
    out = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, timeout=300, check=True).stdout
    return {(r["activation"], int(r["seed"])): r for r in csv.DictReader(io.StringIO(out))}


@pytest.mark.parametrize("cfg", CASES, ids=["mlp", "conv"])
def test_exported_script_reproduces_the_engine(cfg, tmp_path):
    source = export_script(cfg)
    assert "streamlit" not in source and "activations import" not in source and "from training" not in source
    rows = run_script(source, tmp_path)
    r = train(cfg)
    assert len(rows) == len(cfg.activations) * cfg.seeds
    for m in range(len(rows)):
        entry, seed = cfg.activations[m // cfg.seeds], cfg.seed + m % cfg.seeds
        row = rows[(entry, seed)]
        assert float(row["final_train_loss"]) == pytest.approx(float(r.loss[-1, m]), rel=1e-4, abs=1e-5)
        assert float(row["test_error"]) == pytest.approx(float(r.test_error[-1, m]), abs=1e-3)


def test_exported_rrelu_script_is_reproducible(tmp_path):
    """nn.RReLU draws its training slopes from torch's global generator: the script seeds it, so
    two runs of one script give the same losses. (The engine draws from its own generator, so its
    losses are close to the script's but not equal.)"""
    cfg = Config(activations=("rrelu", "relu+rrelu"), seeds=2, n=200, epochs=30, width=8)
    source = export_script(cfg)
    first, second = run_script(source, tmp_path), run_script(source, tmp_path)
    assert len(first) == 4
    for key, row in first.items():
        assert float(row["final_train_loss"]) == pytest.approx(float(second[key]["final_train_loss"]), abs=1e-6)
        assert row["test_error"] == second[key]["test_error"]
    r = train(cfg)
    for m in range(4):
        entry, seed = cfg.activations[m // 2], cfg.seed + m % 2
        assert float(first[(entry, seed)]["final_train_loss"]) == pytest.approx(float(r.loss[-1, m]), rel=0.2)


def test_export_with_uploaded_data(tmp_path):
    rng = np.random.default_rng(3)
    pts = rng.normal(size=(60, 2))
    text = "x,y,label\n" + "\n".join(f"{a},{b},{int(a * b > 0)}" for a, b in pts)
    data = parse_csv(text)
    cfg = Config(dataset="custom", activations=("relu",), seeds=1, epochs=10, width=4)
    rows = run_script(export_script(cfg, data), tmp_path)
    r = train(cfg, data)
    assert float(rows[("relu", 0)]["final_train_loss"]) == pytest.approx(float(r.loss[-1, 0]), rel=1e-4)


def test_export_with_huge_values_runs(tmp_path):
    """Values near 1e308 are standardised without overflow, so every model trains and the script runs."""
    rng = np.random.default_rng(4)
    pts = rng.normal(size=(40, 2))
    text = "\n".join(f"{a * 1e307:.6e},{b},{int(a > 0)}" for a, b in pts)
    data = parse_csv(text)
    assert torch_finite(data.x_train) and abs(float(data.x_train[:, 0].std()) - 1) < 0.05
    cfg = Config(dataset="custom", activations=("relu",), seeds=1, epochs=10, width=4)
    r = train(cfg, data)
    assert (r.diverged_at == -1).all()
    rows = run_script(export_script(cfg, data), tmp_path)
    assert float(rows[("relu", 0)]["final_train_loss"]) == pytest.approx(float(r.loss[-1, 0]), rel=1e-4)


def test_exported_script_writes_non_finite_numbers_it_can_read(tmp_path):
    """Whatever non-finite number reaches the script (a module's parameter, a config value) is
    written as a name the script defines, not a bare ``nan`` that fails with NameError."""
    from unittest import mock

    cfg = Config(activations=("relu",), seeds=1, epochs=2, width=4, n=100, noise=float("inf"))
    with mock.patch.object(Config, "validate", lambda self, data=None: None):  # past the checks that refuse it
        source = export_script(cfg)
    assert "'noise': inf" in source
    path = tmp_path / "exported.py"
    path.write_text(source.replace('if __name__ == "__main__":', "if False:"))
    subprocess.run([sys.executable, str(path)], check=True, timeout=120)  # defines CONFIG = {... 'noise': inf ...}


def torch_finite(t) -> bool:
    import torch

    return bool(torch.isfinite(t).all())
