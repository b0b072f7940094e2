"""The step-by-step lab's set-up: input features, per-layer widths, L1 and L2 in the engine, the
regression sets, the caps, and what the server hands the browser (``training.stepwise_setup``).
The browser's training itself is tested against torch in test_stepwise_numbers.py."""
import json
import math

import numpy as np
import pytest
import torch

from training import datasets, features
from training.config import Config
from training.engine import Trainer, train
from training.stack import width_after
from training.stepwise import ACTIVATIONS, RESHAPING, check, network_key, parse_widths, setup
from training.stepwise_setup import handout, load_data


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
    k = features.SIN_SCALE
    want = torch.stack([a, b, a * a, b * b, a * b, torch.sin(k * a), torch.sin(k * b)], 1)
    assert torch.equal(got, want)
    assert torch.equal(features.expand(x, ("x2sq", "x1")), torch.stack([a, b * b], 1))  # the network's order


def test_features_reach_the_network():
    cfg = Config(dataset="circles", n=200, widths=(3,), features=("x1sq", "x2sq", "sin_x1"), activations=("relu",),
                 seeds=1)
    t = Trainer(cfg)
    raw = t.raw.x_train
    assert t.data.n_features == 3 and t.groups[0].weights[0].shape == (1, 3, 3)
    assert torch.equal(t.data.x_train, torch.stack([raw[:, 0] ** 2, raw[:, 1] ** 2,
                                                    torch.sin(features.SIN_SCALE * raw[:, 0])], 1))


@pytest.mark.parametrize("name", datasets.TOY_2D + datasets.REGRESSION_2D)
def test_sin_features_span_as_many_periods_as_playgrounds(name):
    """Playground takes sin of raw coordinates in [−6, 6]: 12 / 2π ≈ 1.9 periods across its plane.
    On Playground's own regression sets (uniform on [−6, 6]²) sin X₁ spans the same 1.9 periods across
    the data; on the other sets, noise-free or at noise 0.2, 1.5 to 2.7 (on standardised coordinates
    without the scale: 0.44 to 0.77)."""
    playground = 12 / (2 * math.pi)
    for noise in (0.0, 0.2):
        data = datasets.load(name, n=500, noise=noise, seed=0)
        x = torch.cat([data.x_train, data.x_test])
        s = features.expand(x, ("sin_x1", "sin_x2"))
        for i in (0, 1):
            periods = features.SIN_SCALE * float(x[:, i].max() - x[:, i].min()) / (2 * math.pi)
            if name in datasets.REGRESSION_2D:
                assert periods == pytest.approx(playground, abs=0.05), (noise, i)
                raw = x[:, i] * 2 * math.sqrt(3)  # Playground's coordinate: U(−6, 6) has sd 2√3
                assert (s[:, i] - raw.sin()).abs().max() < 0.15  # up to the sample's mean and sd
            else:
                assert 1.5 <= periods <= 2.7, (noise, i, periods)


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


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
def test_l1_lets_a_weight_leave_0_exactly_when_its_gradient_exceeds_the_rate(optimizer):
    """The lab's help: a weight at 0 leaves again at a step whose gradient (SGD) or Adam's averaged
    gradient exceeds the rate. At Adam's first step that average is the gradient itself."""
    def first_step(rate):
        t = Trainer(Config(dataset="circles", n=500, widths=(8, 8), activations=("relu",), seeds=1,
                           optimizer=optimizer, lr=0.1, regularization="l1", reg_rate=rate))
        mask = t._weight_mask.bool() & (torch.rand(len(t.flat), generator=torch.Generator().manual_seed(0)) < 0.3)
        with torch.no_grad():
            t.flat[mask] = 0.0  # 30 % of the weights at 0
        t.backward(t.data.x_train, t.data.y_train)
        g = t.flat.grad[mask].clone()
        t.update()
        return g, t.flat.detach()[mask] != 0

    g, _ = first_step(1.0)
    rate = float(g.abs()[g != 0].median())  # half of the moving weights above it, half below
    g, left = first_step(rate)
    clear = (g.abs() - rate).abs() > 1e-6  # not on the boundary, where rounding decides
    assert torch.equal(left[clear], (g.abs() > rate)[clear])
    assert left.sum() >= 5 and (~left & (g != 0)).sum() >= 5  # some leave, some stay
    from runtime.page_state import PLAYGROUND
    words = PLAYGROUND.field("reg").help  # the help the page's regularisation control shows
    assert "holds it at exactly 0" not in words and "exceeds the rate" in words


def test_under_l1_weights_come_back_from_0_and_adam_leaves_some_at_0():
    """Circles, network 4-2, batches of 10: under SGD weights move from exactly 0 to non-zero again
    (L1 does not hold them); under Adam, with the threshold in Adam's scaling, weights end at
    exactly 0 (with the plain learning rate as threshold, at most 1 of 20 did)."""
    def run(optimizer, lr, rate, epochs=30):
        t = Trainer(Config(dataset="circles", n=500, noise=0.1, widths=(4, 2), activations=("relu",), seeds=1,
                           optimizer=optimizer, lr=lr, regularization="l1", reg_rate=rate, test_fraction=0.5))
        mask, n = t._weight_mask.bool(), len(t.data.y_train)
        g, leaves = torch.Generator().manual_seed(0), 0
        for _ in range(epochs):
            order = torch.randperm(n, generator=g)
            for i in range(0, n, 10):
                before = (t.flat.detach() == 0) & mask
                t.backward(t.data.x_train[order[i:i + 10]], t.data.y_train[order[i:i + 10]])
                t.update()
                leaves += int((before & (t.flat.detach() != 0)).sum())
        return leaves, int(((t.flat.detach() == 0) & mask).sum())

    assert run("sgd", 0.1, 0.03)[0] > 0
    assert run("adam", 0.03, 0.01)[1] >= 3


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


# -- What the browser trains from ---------------------------------------------------------------
BASE = dict(dataset="circles", n=300, noise=0.1, widths=(4, 3), features=("x1", "x2", "x1x2", "sin_x1"),
            activations=("relu", "rrelu", "prelu", "tanh", "selu"), batch_size=10, optimizer="adam", lr=0.03,
            test_fraction=0.5, regularization="l1", reg_rate=0.001, seed=5)


def test_the_handout_holds_the_training_labs_weights_and_the_features_computed_here():
    cfg = setup(**BASE)
    h = json.loads(json.dumps(handout(cfg)))  # what the page sends: JSON
    t = Trainer(cfg, load_data(cfg))
    g = t.groups[0]
    for k, slug in enumerate(cfg.activations):
        for l, layer in enumerate(h["weights"][k]):
            assert layer["w"] == g.weights[l][k].double().flatten().tolist()
            assert layer["b"] == [0.0] * len(layer["b"])
        assert ("slope" in h["weights"][k][0]) == (slug == "prelu")
    # each activation's usual initialisation scales the same draws: He for ReLU, Xavier for tanh, LeCun for SELU
    first = [np.array(h["weights"][k][0]["w"]) for k in range(5)]
    fan_in, fan_out = 4, 4
    np.testing.assert_allclose(first[3] / first[0], math.sqrt(2 / (fan_in + fan_out)) / math.sqrt(2 / fan_in), rtol=1e-6)
    np.testing.assert_allclose(first[4] / first[0], math.sqrt(1 / fan_in) / math.sqrt(2 / fan_in), rtol=1e-6)
    d = load_data(cfg)
    np.testing.assert_array_equal(np.array(h["train"]["x"]).reshape(-1, 4), features.expand(d.x_train, cfg.features))
    np.testing.assert_array_equal(np.array(h["train"]["points"]).reshape(-1, 2), d.x_train)
    assert h["train"]["y"] == d.y_train.tolist() and len(h["test"]["y"]) == 150
    grid = np.array(h["grid"]["x"]).reshape(h["grid"]["n"] ** 2, 4)
    np.testing.assert_array_equal(grid[:, 3], np.sin(features.SIN_SCALE * grid[:, 0]))  # sin X₁ on Playground's scale, float64
    assert h["features"] == ["X₁", "X₂", "X₁X₂", "sin X₁"] and h["outputs"] == 2 and not h["regression"]


def test_the_handout_is_the_same_for_the_same_link_and_new_for_a_new_draw():
    assert handout(setup(**BASE)) == handout(setup(**BASE))
    assert handout(setup(**BASE))["id"] != handout(setup(**{**BASE, "seed": 6}))["id"]
    # what applies without a reset is not part of the set-up
    assert network_key(setup(**BASE)) == network_key(setup(**{**BASE, "lr": 1.0, "regularization": "l2"}))
    assert network_key(setup(**BASE)) != network_key(setup(**{**BASE, "widths": (4,)}))


@pytest.mark.parametrize("dataset, classes, outputs", [("spiral", 3, 3), ("blobs", 5, 5), ("plane", 2, 1)])
def test_classes_and_regression_reach_the_output_layer(dataset, classes, outputs):
    h = handout(setup(**{**BASE, "dataset": dataset, "classes": classes}))
    assert h["outputs"] == outputs and h["regression"] == (dataset == "plane")
    assert len(h["weights"][0][-1]["b"]) == outputs
    if not h["regression"]:
        assert sorted(set(h["train"]["y"]) | set(h["test"]["y"])) == list(range(classes))
    with pytest.raises(ValueError, match="classes: 2 to 5"):
        check(setup(**{**BASE, "dataset": dataset, "classes": 6}))


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


@pytest.mark.parametrize("kw", [dict(widths=(4, 2)), dict(features=("x1sq",)), dict(regularization="l2", reg_rate=0.1)])
def test_the_export_refuses_what_it_does_not_rebuild(kw):
    from training.export import export_script

    with pytest.raises(ValueError, match="exported script covers"):
        export_script(Config(**kw))
