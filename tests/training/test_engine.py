"""The training engine: reproducibility, batching, every activation, divergence, stop, caps."""
import threading

import numpy as np
import pytest
import torch

from activations import REGISTRY
from training.config import MAX_MODELS, Config
from training.datasets import load
from training.engine import Trainer, train
from training.metrics import dead_fraction, dead_fraction_stacked

SMALL = dict(n=200, epochs=20, width=8)


def test_same_seed_gives_identical_curves():
    cfg = Config(activations=("relu", "rrelu", "prelu"), seeds=2, **SMALL)
    a, b = train(cfg), train(cfg)
    for field in ("loss", "train_error", "test_error", "dead", "grad_norm"):
        np.testing.assert_array_equal(getattr(a, field), getattr(b, field))
    c = train(Config(activations=("relu", "rrelu", "prelu"), seeds=2, seed=7, **SMALL))
    assert not np.array_equal(a.loss, c.loss)


def test_initial_weights_identical_across_activations_per_seed():
    t = Trainer(Config(activations=("relu", "tanh", "selu", "prelu"), seeds=3, init="he", **SMALL))
    (g,) = t.groups  # all elementwise: one stack of 4 × 3 models
    for w in g.weights:
        per_act = w.detach().unflatten(0, (4, 3))
        for k in range(1, 4):
            assert torch.equal(per_act[0], per_act[k])
        assert not torch.equal(per_act[0, 0], per_act[0, 1])  # seeds differ
    # With each activation's default init the draws are shared and only the scale differs.
    auto = Trainer(Config(activations=("relu", "tanh", "selu"), seeds=2, **SMALL)).groups[0].weights[0].detach()
    relu, tanh, selu = auto.unflatten(0, (3, 2))
    fan_in, fan_out = 2, 8
    torch.testing.assert_close(tanh, relu * np.sqrt(2 / (fan_in + fan_out)) / np.sqrt(2 / fan_in))  # Xavier
    torch.testing.assert_close(selu, relu * np.sqrt(1 / fan_in) / np.sqrt(2 / fan_in))  # LeCun normal


@pytest.mark.parametrize("optimizer", ["adam", "momentum"])
def test_batched_run_equals_sequential_runs(optimizer):
    acts = ("relu", "tanh", "elu", "prelu", "crelu", "maxout", "relu+tanh")
    cfg = Config(activations=acts, seeds=2, depth=2, optimizer=optimizer, **SMALL)
    batched = train(cfg)
    assert len(Trainer(cfg).groups) == 3  # elementwise, CReLU, Maxout: three stacks
    for i, act in enumerate(acts):
        for s in range(2):
            single = train(Config(activations=(act,), seeds=1, seed=s, depth=2, optimizer=optimizer, **SMALL))
            m = i * 2 + s
            np.testing.assert_allclose(batched.loss[:, m], single.loss[:, 0], atol=1e-5, rtol=1e-5)
            np.testing.assert_allclose(batched.grad_norm[:, m], single.grad_norm[:, 0], atol=1e-5, rtol=1e-4)


def test_relu_beats_95_percent_on_moons():
    r = train(Config(activations=("relu",), seeds=2, epochs=300))  # noise 0.2, 700 training points
    assert (1 - r.test_error[-1]).min() > 0.95
    assert r.device == "cpu"


def test_every_registry_activation_trains_in_the_mlp():
    r = train(Config(activations=tuple(REGISTRY), seeds=1, n=100, epochs=3, width=6, params={"maxout": {"k": 3}}))
    assert r.loss.shape == (3, len(REGISTRY)) and np.isfinite(r.loss).all()
    assert r.dead.shape == (3, len(REGISTRY), 2)


def test_conv_net_on_digits_with_crelu_maxout_prelu():
    cfg = Config(dataset="digits", model="conv", depth=3, width=4, activations=("relu", "crelu", "maxout", "prelu"),
                 seeds=1, epochs=1, batch_size=256)
    r = train(cfg)
    assert r.steps == 5 and np.isfinite(r.loss).all()
    assert r.dead.shape[1:] == (4, 3) and np.isfinite(r.prelu_slope[-1, 3]).all()
    with pytest.raises(ValueError, match="digits"):
        Config(model="conv").validate()


def test_rrelu_is_random_in_training_and_uses_the_mean_slope_in_evaluation():
    lo, up = 0.1, 0.3
    cfg = Config(activations=("rrelu", "leaky_relu"), seeds=1, init="he",
                 params={"rrelu": {"lower": lo, "upper": up}, "leaky_relu": {"alpha": (lo + up) / 2}}, **SMALL)
    t = Trainer(cfg)
    x = t.data.x_test
    with torch.no_grad():
        ev = t.forward(x)
        torch.testing.assert_close(ev[0], ev[1])  # same weights; RReLU in evaluation = leaky with the mean slope
        torch.testing.assert_close(t.forward(x)[0], ev[0])  # deterministic
        tr1, tr2 = t.forward(x, training=True), t.forward(x, training=True)
    assert not torch.allclose(tr1[0], tr2[0]) and not torch.allclose(tr1[0], ev[0])


def test_unit_outputs_cover_the_decision_boundarys_plane():
    t = Trainer(Config(activations=("relu", "tanh"), seeds=2, **SMALL))
    r = t.run()
    outputs = t.unit_outputs(3, 7)  # tanh, seed 1
    assert [o.shape for o in outputs] == [(49, 8), (49, 8)]
    corners = torch.tensor(r.grid[[0, -1]])  # the boundary grid's lower-left and upper-right points
    for o, h in zip(outputs, t.hidden_outputs(corners, 3)):
        np.testing.assert_allclose(o[[0, -1]], h, rtol=1e-5, atol=1e-6)


def test_prelu_slopes_move_and_are_per_unit():
    r = train(Config(activations=("prelu",), seeds=1, **SMALL))
    assert r.prelu_slope[0, 0] == pytest.approx(0.25, abs=0.02)
    assert abs(r.prelu_slope[-1, 0] - 0.25).max() > 0.01
    slopes = r.trainer.groups[0].acts[0][0][1].slope.detach()
    assert slopes.shape == (1, 8) and slopes.std() > 0
    shared = Trainer(Config(activations=("prelu",), seeds=1, prelu_per_unit=False, **SMALL))
    assert shared.groups[0].acts[0][0][1].slope.shape == (1, 1)


def test_diverging_run_is_reported_and_the_others_finish():
    cfg = Config(activations=("relu", "tanh"), seeds=2, epochs=30, optimizer="sgd", lr=5.0, n=200, depth=3, width=32)
    r = train(cfg)
    assert r.diverged_at.tolist() == [-1, 7, -1, -1]
    assert np.isnan(r.loss[-1, 1]) and np.isfinite(r.loss[:, [0, 2, 3]]).all()
    assert r.step == r.steps == 30
    relu = r.summary()[0]
    assert relu["diverged"] == "seed 1 at step 7"
    assert r.summary()[1]["diverged"] == "none"


def test_stop_flag_ends_the_run_cleanly():
    stop, seen = threading.Event(), []

    def callback(res):
        seen.append(res.step)
        if res.step >= 10:
            stop.set()

    r = train(Config(activations=("relu", "tanh"), seeds=2, epochs=200, n=200, log_every=5, snapshot_every=0),
              callback=callback,
              stop=stop)
    assert r.stopped and r.done and r.step == 10 and r.loss.shape == (10, 4)
    assert seen[-1] == 10 and len(r.summary()) == 2


def test_stop_acts_inside_an_epoch():
    """With mini-batches the flag is read before every batch, not once an epoch: a long epoch
    does not delay Stop."""
    stop = threading.Event()

    def callback(res):
        if res.step >= 3 and not res.done:
            stop.set()

    cfg = Config(activations=("relu",), seeds=1, epochs=5, n=1000, batch_size=10, log_every=1, snapshot_every=0)
    r = train(cfg, callback=callback, stop=stop)
    assert r.stopped and r.step == 3 and r.steps == 5 * 70  # 70 batches an epoch; stopped in the first


def test_callback_sees_growing_snapshots():
    snaps = []
    r = train(Config(activations=("relu",), seeds=1, log_every=4, snapshot_every=0, **SMALL), callback=snaps.append)
    assert [s.step for s in snaps[:-1]] == [4, 8, 12, 16, 20] and snaps[-1].done
    assert snaps[0].loss.shape == (4, 1) and snaps[0].grid_probs.shape == (1, 3600, 2)
    assert r.log_steps.tolist() == [4, 8, 12, 16, 20]


def test_time_to_target_and_ratio_against_tanh():
    r = train(Config(activations=("relu", "tanh"), seeds=2, **SMALL))
    steps = r.steps_to_target()
    first = [int(np.argmax(r.train_error[:, m] <= 0.25)) + 1 for m in range(4)]
    assert steps.tolist() == first
    row = r.summary()[0]
    assert row["speed-up vs tanh"] == pytest.approx(np.mean(steps[2:]) / np.mean(steps[:2]))
    assert row["seconds to 25%"] > 0


@pytest.mark.parametrize("change, message", [
    (dict(width=10_000), "width"), (dict(depth=50), "depth"), (dict(epochs=10**6), "epochs"),
    (dict(seeds=MAX_MODELS), "exceeds the cap"), (dict(n=10**6), "data size"), (dict(lr=-1.0), "learning rate"),
    (dict(n=5000, width=256, depth=8, epochs=2000, seeds=5), "multiply-adds"),
    (dict(n=5000, width=256, depth=8, epochs=1, seeds=2), "cap of 0.5 s a step"),
    (dict(n=5000, width=2, depth=8, epochs=150, batch_size=32, seeds=3, activations=(
        "relu", "leaky_relu", "rrelu", "prelu", "elu", "selu", "celu", "gelu", "gelu_tanh", "silu", "mish", "softplus",
        "relu6", "hardswish", "sigmoid", "tanh")), "cap of 60 s a run"),
    (dict(n=5000, width=128, depth=8, epochs=1, seeds=8, batch_size=250, activations=("relu", "crelu")),
     "cap of 1 GB a run"),
    (dict(activations=("relu", "nope")), "unknown activation"), (dict(activations=("relu+tanh+elu",)), "one per hidden"),
])
def test_caps_reject_oversize_requests(change, message):
    with pytest.raises((ValueError, KeyError), match=message):
        Config(**change).validate()


def test_dead_fraction_stacked_matches_per_model_rule():
    h = torch.relu(torch.randn(3, 40, 6, generator=torch.Generator().manual_seed(1)) - 1.5)
    h[1, :, 2] = 0
    expect = [dead_fraction(h[g]) for g in range(3)]
    assert dead_fraction_stacked(h).tolist() == pytest.approx(expect)
    conv = torch.ones(2, 5, 4, 3, 3)
    conv[0, :, 1] = 0
    assert dead_fraction_stacked(conv).tolist() == [0.25, 0.0]


@pytest.mark.parametrize("cfg", [Config(), Config(dataset="spiral", n=333, test_fraction=0.25),
                                 Config(dataset="digits"), Config(dataset="breast_cancer", test_fraction=0.5)])
def test_caps_count_the_training_points_the_split_makes(cfg):
    data = load(cfg.dataset, n=cfg.n, test_fraction=cfg.test_fraction)
    assert cfg.n_train() == len(data.x_train)
