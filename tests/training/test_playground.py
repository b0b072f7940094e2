"""The step-by-step lab's engine: input features, per-layer widths, L1 and L2, the regression
sets, and a Playground that steps, pauses and goes on exactly as one uninterrupted run."""
import math
import time

import numpy as np
import pytest
import torch

from training import datasets, features
from training.config import Config
from training.engine import Trainer, train
from training.lockstep import Playground
from training.metrics import dead_units
from training.playground import ACTIVATIONS, MAX_EPOCHS, RESHAPING, check, parse_widths, setup
from training.stack import width_after


@pytest.fixture(autouse=True, scope="module")
def one_thread():
    """As the app steps it (``runtime.threads.one_torch_thread``): these matrices are small, and on a
    busy two-core machine a second OpenMP thread only waits."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


# -- Input features ---------------------------------------------------------------------------
def test_each_feature_is_computed_from_the_two_coordinates():
    x = torch.tensor([[0.5, -2.0], [1.5, 3.0]])
    got = features.expand(x, features.FEATURES)
    a, b = x[:, 0], x[:, 1]
    want = torch.stack([a, b, a * a, b * b, a * b, torch.sin(a), torch.sin(b)], 1)
    assert torch.equal(got, want)
    assert torch.equal(features.expand(x, ("x2sq", "x1")), torch.stack([a, b * b], 1))  # the network's order


def test_features_reach_the_network():
    cfg = Config(dataset="circles", n=200, widths=(3,), features=("x1sq", "x2sq", "sin_x1"), activations=("relu",),
                 seeds=1)
    t = Trainer(cfg)
    raw = t.raw.x_train
    assert t.data.n_features == 3 and t.groups[0].weights[0].shape == (1, 3, 3)
    assert torch.equal(t.data.x_train, torch.stack([raw[:, 0] ** 2, raw[:, 1] ** 2, torch.sin(raw[:, 0])], 1))


@pytest.mark.parametrize("chosen, separates", [(("x1sq", "x2sq"), True), (("x1", "x2"), False)])
def test_a_linear_model_separates_the_circles_only_with_the_squares(chosen, separates):
    """No hidden layer: a linear model of the features. X₁² + X₂² = r² is linear in the squares."""
    r = train(Config(dataset="circles", n=500, noise=0.05, widths=(), features=chosen, activations=("relu",),
                     seeds=1, epochs=300, lr=0.1))
    assert r.trainer.groups[0].weights[0].shape == (1, 2, 2)  # inputs straight to the output
    if separates:
        assert r.train_error[-1, 0] < 0.05 and r.test_error[-1, 0] < 0.05
    else:
        assert r.train_error[-1, 0] > 0.3 and r.test_error[-1, 0] > 0.3


def test_unknown_or_no_features_are_refused():
    with pytest.raises(ValueError, match="unknown input feature"):
        Config(features=("x3",)).validate()
    with pytest.raises(ValueError, match="2-D data"):
        Config(dataset="digits", features=("x1",)).validate()
    with pytest.raises(ValueError, match="at least one input feature"):
        features.check(())


# -- Per-layer widths -------------------------------------------------------------------------
def test_per_layer_widths_reach_the_engine():
    cfg = Config(dataset="moons", n=200, widths=(4, 6, 2), activations=("relu", "tanh", "prelu"), seeds=2, epochs=5)
    assert (cfg.depth, cfg.width, cfg.layer_widths()) == (3, 6, (4, 6, 2))
    r = train(cfg)
    g = r.trainer.groups[0]
    assert [tuple(w.shape) for w in g.weights] == [(6, 2, 4), (6, 4, 6), (6, 6, 2), (6, 2, 2)]
    assert [a.slope.shape for layer in g.acts for _, a in layer if a.slope is not None] == [(2, 4), (2, 6), (2, 2)]
    assert [h.shape[1] for h in r.trainer.hidden_outputs(r.trainer.data.x_train, 0)] == [4, 6, 2]
    assert r.dead.shape[2] == 3 and np.isfinite(r.loss).all()


def test_bad_widths_are_refused():
    with pytest.raises(ValueError, match="width"):
        Config(widths=(4, 0)).validate()
    with pytest.raises(ValueError, match="depth"):
        Config(widths=(4,) * 9).validate()


@pytest.mark.parametrize("text, widths", [("4, 6, 2", (4, 6, 2)), ("4-6-2", (4, 6, 2)), (" 8 ", (8,)), ("", ())])
def test_widths_are_read_from_text(text, widths):
    assert parse_widths(text) == widths


@pytest.mark.parametrize("text, message", [("4,x,2", "whole numbers"), ("4,-1", "whole numbers"),
                                           ("4, 9", "1 to 8 units"), ("0", "1 to 8 units"),
                                           ("1,1,1,1,1,1,1", "at most 6 layers"), ("1e9", "whole numbers")])
def test_bad_widths_text_says_what_to_write(text, message):
    with pytest.raises(ValueError, match=message):
        parse_widths(text)


# -- Regularisation ---------------------------------------------------------------------------
def _weights(t: Trainer) -> torch.Tensor:
    return torch.cat([w.detach().flatten() for g in t.groups for w in g.weights])


def test_l1_drives_weights_to_exactly_zero_more_than_l2():
    runs = {reg: train(Config(dataset="moons", n=500, widths=(8, 8), activations=("relu", "tanh"), seeds=1,
                              epochs=300, optimizer="sgd", lr=0.1, regularization=reg, reg_rate=0.01))
            for reg in ("none", "l1", "l2")}
    zeros = {reg: (_weights(r.trainer) == 0).float().mean().item() for reg, r in runs.items()}
    assert zeros["l1"] > 0.2 and zeros["l2"] == 0 and zeros["none"] == 0, zeros
    assert _weights(runs["l2"].trainer).norm() < _weights(runs["none"].trainer).norm()  # L2 shrinks, but not to 0
    for r in runs.values():  # biases are not regularised
        assert all((g.biases[0] != 0).any() for g in r.trainer.groups)


@pytest.mark.parametrize("reg", ["l1", "l2"])
def test_one_sgd_step_with_regularisation_is_the_formula(reg):
    lr, rate = 0.1, 0.05
    t = Trainer(Config(dataset="moons", n=100, widths=(4,), activations=("relu",), seeds=1, optimizer="sgd", lr=lr,
                       regularization=reg, reg_rate=rate))
    g = t.groups[0]
    w0, b0 = g.weights[0].detach().clone(), g.biases[0].detach().clone()
    t.backward(t.data.x_train, t.data.y_train)
    gw, gb = g.weights[0].grad.clone(), g.biases[0].grad.clone()
    t.update()
    if reg == "l2":  # gradient of rate/2 · ‖w‖²
        want = w0 - lr * (gw + rate * w0)
    else:  # proximal step: soft threshold by lr · rate
        step = w0 - lr * gw
        want = step.sign() * (step.abs() - lr * rate).clamp_min(0)
    torch.testing.assert_close(g.weights[0].detach(), want)
    torch.testing.assert_close(g.biases[0].detach(), b0 - lr * gb)  # no penalty on biases


# -- Regression -------------------------------------------------------------------------------
def test_the_regression_sets_are_playgrounds():
    rng = np.random.default_rng(0)
    x, y = datasets._regression_2d("plane", 400, 0.0, rng)
    assert np.abs(x).max() <= 6 and np.allclose(y, (x[:, 0] + x[:, 1]) / 10)
    x, y = datasets._regression_2d("gauss", 400, 0.0, rng)
    assert y.min() >= -1 and y.max() <= 1
    assert datasets._regression_2d("gauss", 1, 0.0, np.random.default_rng(1))[1].shape == (1,)
    d = datasets.load("gauss", n=200, seed=3)
    assert d.regression and d.n_classes == 1 and d.y_train.dtype == torch.float32
    # at a bump's centre the target is its sign; between bumps (d ≥ 2 from all) it is 0
    centre = np.array([[-4.0, 2.5], [0.0, 0.0]])
    bumps = np.array(datasets.GAUSS_BUMPS, dtype=float)
    d = np.hypot(centre[:, None, 0] - bumps[:, 0], centre[:, None, 1] - bumps[:, 1])
    assert np.clip(1 - d / 2, 0, 1)[0].max() == 1 and np.clip(1 - d / 2, 0, 1)[1].max() == 0


@pytest.mark.parametrize("name", ["plane", "gauss"])
def test_regression_trains_below_the_mean_predictor(name):
    pg = Playground(setup(dataset=name, n=500, noise=0.0, widths=(8, 8), features=("x1", "x2"),
                          activations=("relu", "tanh"), batch_size=10, optimizer="adam", lr=0.03, test_fraction=0.5))
    pg.step(60)
    v = pg.view()
    d = pg.trainer.data
    mean_predictor = ((d.y_test - d.y_train.mean()) ** 2).mean().item()
    assert (v.test_loss < 0.5 * mean_predictor).all(), (v.test_loss, mean_predictor)
    assert v.regression and v.output.shape == (2, 48, 48) and np.isnan(v.train_error).all()
    # the loss is the squared error of the one linear output unit
    with torch.no_grad():
        out = pg.trainer.forward(d.x_test)[..., 0]
    np.testing.assert_allclose(v.test_loss, ((out - d.y_test) ** 2).mean(1).numpy(), rtol=1e-5)


# -- Step by step -----------------------------------------------------------------------------
def _pg(**kw) -> Playground:
    settings = dict(dataset="circles", n=300, noise=0.1, widths=(4, 3), features=("x1", "x2", "x1x2"),
                    activations=("relu", "rrelu", "prelu", "tanh"), batch_size=10, optimizer="adam", lr=0.03,
                    test_fraction=0.5, regularization="l1", reg_rate=0.001)
    return Playground(setup(**{**settings, **kw}))


def test_pause_step_play_give_the_same_weights_as_an_uninterrupted_run():
    whole = _pg()
    assert whole.step(30) == 30
    parts = _pg()
    parts.step(10)  # Play, then Pause
    parts.step(1)  # Step
    parts.step(1)  # Step
    for _ in range(6):  # Play again: a few epochs per tick
        parts.step(3)
    assert parts.epoch == whole.epoch == 30
    assert torch.equal(parts.parameters(), whole.parameters())
    assert torch.equal(parts.trainer.gen.get_state(), whole.trainer.gen.get_state())  # RReLU's draws too
    np.testing.assert_array_equal(parts.view().history_test, whole.view().history_test)


def _until(condition, timeout=60.0):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline
        time.sleep(0.02)


def test_playing_in_a_thread_then_pausing_gives_the_weights_of_an_uninterrupted_run():
    played = _pg()
    played.start(speed=1000)
    _until(lambda: played.epoch >= 4)
    played.stop()
    assert not played.playing
    paused = played.epoch
    time.sleep(0.2)
    assert played.epoch == paused  # nothing trains while paused
    played.step(2)  # Step, Step
    played.start(speed=1000)  # Play again
    _until(lambda: played.epoch >= paused + 5)
    played.stop()
    whole = _pg()
    whole.step(played.epoch)
    assert torch.equal(played.parameters(), whole.parameters())


def test_playing_holds_its_speed_and_stops_when_no_one_watches():
    pg = _pg(n=100, batch_size=30)
    pg.start(speed=10, idle=0.6)  # nobody calls touch(): the thread stops after 0.6 s
    _until(lambda: not pg.playing, timeout=10)
    assert 1 <= pg.epoch <= 8  # about 10 epochs a second for 0.6 s (never a burst)
    pg.start(speed=10, idle=0.6)
    for _ in range(5):  # a page that keeps watching keeps it playing
        time.sleep(0.2)
        pg.touch()
        assert pg.playing
    pg.stop()


def test_a_playground_trains_as_the_training_lab_does():
    """Same data, draws and batches as ``Trainer.run`` for the same config: the same weights."""
    pg = _pg(regularization="none", reg_rate=0.0)
    pg.step(12)
    lab = train(Config(**{**pg.cfg.__dict__, "epochs": 12}), data=pg.trainer.raw)
    torch.testing.assert_close(pg.parameters(), lab.trainer.flat.detach(), rtol=0, atol=0)


def test_the_learning_rate_applies_live_and_other_changes_are_a_new_network():
    pg = _pg()
    pg.step(5)
    before = pg.parameters()
    assert pg.same_network(setup(**{**pg.cfg.__dict__, "lr": 0.3, "reg_rate": 0.01}))
    assert not pg.same_network(setup(**{**pg.cfg.__dict__, "widths": (4,)}))
    assert not pg.same_network(setup(**{**pg.cfg.__dict__, "data_seed": 1}))
    pg.set_live(0.3, "l2", 0.01)
    assert pg.trainer.optimizer.param_groups[0]["lr"] == 0.3 and pg.trainer.cfg.regularization == "l2"
    assert torch.equal(pg.parameters(), before) and pg.epoch == 5  # nothing reset
    pg.step(1)
    assert not torch.equal(pg.parameters(), before)


def test_the_step_is_bounded_by_time_and_by_the_cap():
    pg = _pg()
    assert pg.step(1000, seconds=0.0) == 1  # at least one epoch, then the time is up
    pg.epoch = MAX_EPOCHS - 2
    assert pg.step(10) == 2 and pg.finished and pg.step(1) == 0


def test_the_view_holds_every_unit_and_the_dead_ones():
    pg = _pg(activations=("relu", "tanh"), lr=1.0, optimizer="sgd", widths=(8, 8))  # a high rate kills ReLUs
    pg.step(20)
    v = pg.view()
    assert v.epoch == 20 and v.entries == ("relu", "tanh") and v.features == ("x1", "x2", "x1x2")
    assert v.inputs.shape == (3, 16, 16) and [u.shape for u in v.units] == [(2, 8, 16, 16)] * 2
    assert [w.shape for w in v.weights] == [(2, 3, 8), (2, 8, 8), (2, 8, 1)]
    head = pg.trainer.groups[0].weights[-1].detach()
    np.testing.assert_array_equal(v.weights[-1][..., 0], (head[..., 1] - head[..., 0]).numpy())
    for k in range(2):  # dead = exactly 0 on every training input (training.metrics)
        hidden = pg.trainer.hidden_outputs(pg.trainer.data.x_train, k)
        for l, h in enumerate(hidden):
            np.testing.assert_array_equal(v.dead[l][k], dead_units(torch.as_tensor(h)).numpy())
            assert ((v.dead_since[l][k] >= 0) == v.dead[l][k]).all()
    assert v.dead[0][0].any() or v.dead[1][0].any()  # this run kills some ReLU units...
    assert not any(d[1].any() for d in v.dead)  # ...and no tanh unit
    assert ((v.dead_since[0][0] > 0) | ~v.dead[0][0]).all()  # found dead during training, not at the start
    # the output is P(class 1) over the plane, as the network computes it
    probs = pg.trainer.predict_proba(pg.trainer.inputs(torch.tensor(
        np.c_[np.tile(v.grid_x, len(v.grid_y)), np.repeat(v.grid_y, len(v.grid_x))], dtype=torch.float32)))
    np.testing.assert_allclose(v.output.reshape(2, -1), probs[..., 1], atol=1e-6)


def test_the_lab_offers_every_activation_that_keeps_a_layers_width():
    from activations import REGISTRY

    keeps = {s for s, a in REGISTRY.items() if width_after(s, a.defaults, 4) == (4, 4)}
    assert set(ACTIVATIONS) == keeps and set(RESHAPING) == set(REGISTRY) - keeps


def test_the_caps_say_what_to_change():
    for kw, message in [(dict(activations=("crelu",)), "CReLU|crelu"), (dict(activations=tuple(ACTIVATIONS[:7])), "1 to 6"),
                        (dict(n=5000), "between 100 and 1000"), (dict(widths=(9,)), "at most 6 layers of 1 to 8"),
                        (dict(features=()), "at least one input feature"), (dict(batch_size=0), "batch size"),
                        (dict(dataset="digits"), "data set")]:
        cfg = setup(**{**dict(dataset="circles", n=500, widths=(4,), features=("x1", "x2"), batch_size=10), **kw})
        with pytest.raises(ValueError, match=message):
            check(cfg)


def test_a_diverging_network_is_reported_and_the_others_go_on():
    pg = _pg(activations=("relu", "tanh"), lr=10.0, optimizer="sgd", regularization="none", reg_rate=0.0,
             dataset="plane", features=("x1", "x2"), widths=(8, 8))
    pg.step(20)
    v = pg.view()
    assert (v.diverged_at >= 0).any()
    assert all(math.isfinite(x) or d >= 0 for x, d in zip(v.train_loss, v.diverged_at))


@pytest.mark.parametrize("kw", [dict(widths=(4, 2)), dict(features=("x1sq",)), dict(regularization="l2", reg_rate=0.1)])
def test_the_export_refuses_what_it_does_not_rebuild(kw):
    from training.export import export_script

    with pytest.raises(ValueError, match="exported script covers"):
        export_script(Config(**kw))
