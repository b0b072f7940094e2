"""The step-by-step lab driven headlessly with AppTest: Step, Play, Pause and Reset, live settings,
the pictures, and bad input answered with a message, never a traceback."""
import time

import numpy as np
import pytest
import torch

from conftest import chart_spec, decode, open_page
from training.lockstep import Playground
from training.playground import setup

PAGE = "pages/playground.py"


def _until(condition, timeout=60.0):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline
        time.sleep(0.02)


def epoch(at) -> int:
    text = next(m.value for m in at.markdown if m.value.startswith("### Epoch"))
    return int(text.removeprefix("### Epoch ").replace(",", ""))


def heatmaps(spec: dict) -> list[np.ndarray]:
    return [decode(t["z"]["bdata"] and t["z"]).copy() for t in spec["data"] if t["type"] == "heatmap"]


def ok(at) -> None:
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]


def test_the_page_draws_every_network_and_steps_an_epoch():
    at = open_page(PAGE)
    ok(at)
    assert epoch(at) == 0
    outputs, net = chart_spec(at, key="pg_outputs"), chart_spec(at, key="pg_network")
    titles = [a["text"] for a in outputs["layout"]["annotations"]]
    assert [t.split("<br>")[0] for t in titles[:5]] == ["<b>ReLU</b>", "<b>Leaky ReLU</b>", "<b>ELU</b>", "<b>tanh</b>",
                                                        "<b>Sigmoid</b>"]
    # the network: features, 4 and 2 hidden units and the output as pictures, one heatmap per column, and the
    # output over the plane; every weight as a line, each named on hover
    columns = [t for t in net["data"] if t["type"] == "heatmap"]
    assert len(columns) == 5
    hover = next(t for t in net["data"] if t.get("mode") == "markers" and "weight" in str(t.get("text", "")))
    assert len(hover["text"]) == 2 * 4 + 4 * 2 + 2 * 1
    before = heatmaps(net)
    at.button(key="pg_step").click().run()
    ok(at)
    assert epoch(at) == 1
    after = heatmaps(chart_spec(at, key="pg_network"))
    assert any(not np.array_equal(a, b, equal_nan=True) for a, b in zip(before, after))  # the pictures moved
    assert at.session_state["pg_model"].epoch == 1
    at.button(key="pg_reset").click().run()
    assert epoch(at) == 0
    again = heatmaps(chart_spec(at, key="pg_network"))
    assert all(np.array_equal(a, b, equal_nan=True) for a, b in zip(before, again))  # the same draws as at first


def test_play_pause_step_play_equals_one_uninterrupted_run():
    at = open_page(PAGE, activations="relu,tanh,prelu,rrelu", layers="4-3", optimizer="adam")
    ok(at)
    at.button(key="pg_play").click().run()  # Play: the networks train in their own thread
    m = at.session_state["pg_model"]
    assert at.session_state["pg_playing"] and m.playing
    _until(lambda: m.epoch >= 3)
    at.run()  # a tick of the timer: the board shows the epoch it is at
    assert epoch(at) >= 3
    at.button(key="pg_pause").click().run()
    ok(at)
    paused = epoch(at)
    assert not at.session_state["pg_playing"] and paused >= 2
    at.run()
    assert epoch(at) == paused  # paused: nothing trains
    at.button(key="pg_step").click().run()
    at.button(key="pg_step").click().run()
    at.button(key="pg_play").click().run()
    _until(lambda: m.epoch >= paused + 4)
    at.button(key="pg_pause").click().run()
    ok(at)
    assert not m.playing and at.session_state["pg_model"] is m
    whole = Playground(m.cfg)
    whole.step(m.epoch)
    assert m.epoch == epoch(at) >= paused + 4
    assert torch.equal(whole.parameters(), m.parameters())


def test_the_learning_rate_applies_live_and_a_new_layer_starts_again():
    at = open_page(PAGE)
    for _ in range(3):
        at.button(key="pg_step").click().run()
    at.select_slider(key="playground.lr").set_value(0.3).run()
    ok(at)
    m = at.session_state["pg_model"]
    assert epoch(at) == 3 and m.trainer.optimizer.param_groups[0]["lr"] == 0.3
    at.segmented_control(key="playground.reg").set_value("l1").run()
    at.select_slider(key="playground.reg_rate").set_value(0.01).run()
    assert epoch(at) == 3 and at.session_state["pg_model"] is m and m.trainer.cfg.regularization == "l1"
    at.text_input(key="playground.layers").set_value("4, 6, 2").run()
    ok(at)
    assert epoch(at) == 0 and at.session_state["pg_model"].cfg.widths == (4, 6, 2)
    assert at.query_params["layers"] == "4, 6, 2" and at.query_params["lr"] == "0.3"


def test_a_segmented_control_clicked_off_keeps_the_link_valid():
    at = open_page(PAGE, reg="l2", view="tanh")
    at.segmented_control(key="playground.reg").set_value(None).run()
    at.segmented_control(key="playground.view").set_value(None).run()
    ok(at)
    assert at.session_state["playground.reg"] == "none" and at.session_state["playground.view"] == "relu"
    assert "reg" not in at.query_params and "view" not in at.query_params


def test_features_and_a_linear_model():
    at = open_page(PAGE, features="x1sq,x2sq", layers="", noise="0.05")
    ok(at)
    assert at.session_state["pg_model"].trainer.data.n_features == 2
    net = chart_spec(at, key="pg_network")
    assert len([t for t in net["data"] if t["type"] == "heatmap"]) == 3  # features, output unit, the plane
    labels = next(t for t in net["data"] if t.get("mode") == "text" and t.get("textposition") == "middle left")
    assert labels["text"] == ["X₁²", "X₂²"]


def test_regression_draws_the_output_and_no_error_rate():
    at = open_page(PAGE, dataset="plane", activations="relu,tanh")
    ok(at)
    at.button(key="pg_step").click().run()
    ok(at)
    table = next(m.value for m in at.markdown if "training loss" in m.value)
    assert "error" not in table
    plane = next(t for t in chart_spec(at, key="pg_outputs")["data"] if t["type"] == "heatmap")
    assert plane["zmin"] == -1 and plane["zmax"] == 1


def test_dead_units_are_marked_as_they_die():
    at = open_page(PAGE, activations="relu,tanh", layers="8,8", lr="3", dataset="xor")
    for _ in range(5):
        at.button(key="pg_step").click().run()
    ok(at)
    m = at.session_state["pg_model"]
    v = m.view()
    dead = int(sum(d[0].sum() for d in v.dead))
    assert dead > 0  # this learning rate kills ReLU units in a few epochs
    crosses = next(t for t in chart_spec(at, key="pg_network")["data"] if t.get("name") == "dead")
    assert len(crosses["x"]) == dead and all("dead since epoch" in t for t in crosses["text"])
    table = next(m.value for m in at.markdown if "dead units" in m.value)
    assert f"| {dead} of 16 |" in table


@pytest.mark.parametrize("widget, value, message", [
    ("layers", "4,x,2", "whole numbers of units separated by commas, like 4, 6, 2"),
    ("layers", "100, 2", "1 to 8 units"),
    ("layers", "1,1,1,1,1,1,1", "at most 6 layers"),
    ("features", [], "at least one input feature"),
    ("activations", [], "Choose 1 to 6 activations"),
])
def test_bad_input_gets_a_message_not_a_traceback(widget, value, message):
    at = open_page(PAGE)
    element = {"layers": at.text_input, "features": at.pills, "activations": at.multiselect}[widget]
    element(key=f"playground.{widget}").set_value(value).run()
    assert not at.exception
    assert any(message in e.value for e in at.error), [e.value for e in at.error]
    assert not at.get("plotly_chart")


def test_a_bad_link_is_explained_and_the_rest_still_trains():
    at = open_page(PAGE, n="1e9", lr="1e9", batch="-5", layers="8;<b>", noise="nan", features="x9,x1",
                   activations="relu,crelu", view="tanh")
    assert not at.exception and not at.error
    warned = " ".join(w.value for w in at.warning)
    for words in ("Points", "Learning rate", "Batch size", "Hidden layers", "Noise", "Input features", "Activations"):
        assert words in warned, words
    assert "<b>" not in warned
    m = at.session_state["pg_model"]
    assert m.cfg.n == 500 and m.cfg.lr == 0.03 and m.cfg.widths == (4, 2) and m.cfg.activations == ("relu",)
    at.button(key="pg_step").click().run()
    assert not at.exception and epoch(at) == 1


def test_a_diverging_network_is_named_and_the_others_go_on():
    at = open_page(PAGE, dataset="plane", activations="relu,sigmoid", lr="10", layers="8,8")
    for _ in range(3):
        at.button(key="pg_step").click().run()
    assert not at.exception
    assert any("Diverged" in w.value and "ReLU" in w.value for w in at.warning)
    assert epoch(at) == 3


def test_the_same_network_as_the_library_builds():
    at = open_page(PAGE, activations="relu,elu", layers="3", seed="7", ratio="70", data_seed="2")
    m = at.session_state["pg_model"]
    want = setup(dataset="circles", n=500, noise=0.1, data_seed=2, test_fraction=1 - 0.7, widths=(3,),
                 features=("x1", "x2"), activations=("relu", "elu"), init="usual", seed=7, optimizer="sgd", lr=0.03,
                 batch_size=10, regularization="none", reg_rate=0.0)
    assert m.cfg == want
