"""The Training lab page driven headlessly with AppTest: a short comparison end to end."""
import time

from conftest import chart_spec, decode, open_page

PAGE = "pages/training_lab.py"


def train_until_done(at, timeout=60):
    at.button[0].click().run()
    deadline = time.monotonic() + timeout
    while not at.session_state["tl_run"].finished:
        assert time.monotonic() < deadline
        time.sleep(0.2)
    return at.run()


def test_short_comparison_draws_curves_table_and_exports():
    at = open_page(PAGE)
    assert not at.exception and not at.error
    at.slider(key="tl_n").set_value(200)
    at.slider(key="tl_epochs").set_value(30)
    at.multiselect(key="tl_activations").set_value(["relu", "tanh", "prelu"])
    at.slider(key="tl_seeds").set_value(2)
    at = train_until_done(at.run())
    assert not at.exception and not at.error
    assert at.session_state["tl_run"].state == "done"
    curves = chart_spec(at)["data"]
    names = [t.get("name") for t in curves if t.get("showlegend", True) is not False]
    assert names == ["relu", "tanh", "prelu"]
    assert decode(curves[1]["x"]).max() == 30  # the relu mean line spans all 30 steps
    table = at.dataframe[0].value
    assert list(table["activation"]) == ["relu", "tanh", "prelu"]
    assert table.loc[1, "speed-up vs tanh"] == 1.0
    assert len(at.get("download_button")) == 2
    assert any("Device: **CPU" in c.value or "Device: **CUDA" in c.value for c in at.caption)
    # every hidden unit of the chosen network over the plane: 2 layers × 16 units, 30 × 30 points each
    squares = chart_spec(at, key="tl_units")["data"]
    assert len(squares) == 32 and all(s["z"]["shape"] == "30, 30" for s in squares)


def test_bad_requests_show_a_message_not_a_traceback():
    at = open_page(PAGE)
    at.multiselect(key="tl_activations").set_value([]).run()
    assert not at.exception and "at least one activation" in at.error[0].value
    assert at.button[0].disabled  # Train
    at.multiselect(key="tl_activations").set_value(["relu"]).run()
    at.selectbox(key="tl_dataset").set_value("moons")
    at.radio(key="tl_model").set_value("conv").run()
    assert not at.exception and "digits" in at.error[0].value
    at.radio(key="tl_model").set_value("mlp")
    at.selectbox(key="tl_dataset").set_value("upload (CSV)").run()
    assert not at.exception and "Upload a CSV" in at.info[0].value


def test_presets_fill_the_controls():
    at = open_page(PAGE)
    at.selectbox(key="tl_preset").set_value("Dying ReLU at high learning rate").run()
    assert not at.exception and not at.error
    assert at.session_state["tl_lr"] == 0.3 and at.session_state["tl_activations"] == ["relu", "leaky_relu", "elu"]
    assert at.query_params["preset"] == "Dying ReLU at high learning rate"


def test_a_network_with_one_activation_per_layer_joins_the_comparison():
    at = open_page(PAGE)
    at.toggle(key="tl_per_layer").set_value(True).run()
    assert [s.label for s in at.selectbox if s.key.startswith("tl_layer_")] == ["Layer 1", "Layer 2"]
    at.selectbox(key="tl_layer_1").set_value("tanh")
    at.slider(key="tl_epochs").set_value(5)
    at.slider(key="tl_seeds").set_value(1)
    at = train_until_done(at.run())
    assert not at.exception and not at.error
    assert list(at.dataframe[0].value["activation"]) == ["relu", "tanh", "relu+tanh"]
