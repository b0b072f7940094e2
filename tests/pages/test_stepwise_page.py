"""The step-by-step lab's server side, driven headlessly with AppTest: what the page sends the
browser's board (the set-up from the link: data, features, initial weights; the live settings; the
palette), when it starts new networks, and bad input answered with a message, never a traceback.
AppTest runs no JavaScript: the board itself is tested in Chromium (test_stepwise_browser.py,
test_stepwise_numbers.py)."""
import json
import threading

import pytest

from charts import palette
from conftest import open_page
from training.stepwise import setup
from training.stepwise_setup import handout

PAGE = "pages/playground.py"


def sent(at) -> dict:
    """The data the page sent the board on its last run."""
    boards = at.get("bidi_component")
    assert len(boards) == 1
    return json.loads(boards[0].proto.json)


def ok(at) -> None:
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]


def test_the_page_sends_the_set_up_of_its_link_and_trains_nothing_itself():
    before = {t.name for t in threading.enumerate()}
    at = open_page(PAGE, activations="relu,elu", layers="3", seed="7", ratio="70", data_seed="2", lr="0.1")
    ok(at)
    want = setup(dataset="circles", n=500, noise=0.1, data_seed=2, test_fraction=1 - 0.7, widths=(3,),
                 features=("x1", "x2"), activations=("relu", "elu"), init="usual", seed=7, optimizer="sgd", lr=0.1,
                 batch_size=10, regularization="none", reg_rate=0.0)
    data = sent(at)
    assert data["setup"] == json.loads(json.dumps(handout(want)))  # a link reproduces the same run
    assert data["live"] == {"lr": 0.1, "reg": "none", "reg_rate": 0.0, "show_test": False, "discretize": False,
                            "view": "relu"}
    assert data["max_epochs"] == 10_000
    assert data["palette"]["negative"] == palette.NEGATIVE and data["palette"]["classes"] == list(palette.CLASSES)
    assert data["colours"] == palette.colours(["relu", "elu"])
    assert not any("playground" in t.name for t in threading.enumerate() if t.name not in before)
    assert "trains in your browser" in " ".join(m.value for m in at.markdown)


def test_live_settings_keep_the_networks_and_a_set_up_change_starts_new_ones():
    at = open_page(PAGE)
    first = sent(at)["setup"]["id"]
    at.select_slider(key="playground.lr").set_value(0.3).run()
    at.segmented_control(key="playground.reg").set_value("l1").run()
    at.toggle(key="playground.show_test").set_value(True).run()
    ok(at)
    data = sent(at)
    assert data["setup"]["id"] == first
    assert data["live"]["lr"] == 0.3 and data["live"]["reg"] == "l1" and data["live"]["show_test"]
    at.text_input(key="playground.layers").set_value("4, 6, 2").run()
    ok(at)
    assert sent(at)["setup"]["id"] != first and sent(at)["setup"]["widths"] == [4, 6, 2]
    assert at.query_params["layers"] == "4, 6, 2" and at.query_params["lr"] == "0.3"
    at.button(key=next(b.key for b in at.button if "Regenerate" in b.label)).click().run()
    assert at.query_params["data_seed"] == "1" and sent(at)["setup"]["train"] != data["setup"]["train"]


def test_a_segmented_control_clicked_off_keeps_the_link_valid():
    at = open_page(PAGE, reg="l2")
    at.segmented_control(key="playground.reg").set_value(None).run()
    ok(at)
    assert at.session_state["playground.reg"] == "none" and "reg" not in at.query_params
    assert sent(at)["live"]["reg"] == "none"


@pytest.mark.parametrize("query, outputs, classes", [
    (dict(dataset="spiral", classes="4"), 4, 4), (dict(dataset="blobs", classes="3"), 3, 3),
    (dict(dataset="moons", classes="4"), 2, 2), (dict(dataset="plane"), 1, None)])
def test_classes_and_regression(query, outputs, classes):
    at = open_page(PAGE, **query)
    ok(at)
    s = sent(at)["setup"]
    assert s["outputs"] == outputs and s["regression"] == (classes is None)
    if classes:
        assert set(s["train"]["y"]) == set(range(classes))


def test_features_and_a_linear_model():
    at = open_page(PAGE, features="x1sq,x2sq", layers="", noise="0.05")
    ok(at)
    s = sent(at)["setup"]
    assert s["features"] == ["X₁²", "X₂²"] and s["widths"] == [] and len(s["weights"][0]) == 1


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
    assert not at.get("bidi_component")


def test_a_bad_link_is_explained_and_the_rest_still_trains():
    at = open_page(PAGE, n="1e9", lr="1e9", batch="-5", layers="8;<b>", noise="nan", features="x9,x1",
                   activations="relu,crelu", view="tanh", classes="9")
    assert not at.exception and not at.error
    warned = " ".join(w.value for w in at.warning)
    for words in ("Points", "Learning rate", "Batch size", "Hidden layers", "Noise", "Input features", "Activations",
                  "Classes"):
        assert words in warned, words
    assert "<b>" not in warned
    data = sent(at)
    assert len(data["setup"]["train"]["y"]) == 250 and data["live"]["lr"] == 0.03
    assert data["setup"]["widths"] == [4, 2] and [a["slug"] for a in data["setup"]["activations"]] == ["relu"]
