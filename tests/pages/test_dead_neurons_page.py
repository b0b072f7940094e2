"""AppTest for the Dead neurons page: every walk-through step, the presets, bad link values."""
import pytest

from conftest import chart_spec, decode, open_page, open_with_bad_link
from lessons import dying

PAGE = "pages/dead_neurons.py"


def metric(at, label) -> str:
    """A value of the walk-through's read-out table, by its column's label."""
    table = next(m.value for m in at.markdown if m.value.startswith("| ∂L/∂w₁ |"))
    head, _, values = table.splitlines()
    cells = dict(zip([c.strip() for c in head.split("|")[1:-1]], [c.strip() for c in values.split("|")[1:-1]]))
    return cells[label].replace("−", "-")


def cell(at, name, column) -> str:
    """The cell of ``name``'s row in the results table under the heading ``column``."""
    table = next(m.value for m in at.markdown if "| Units off at the end |" in m.value).splitlines()
    index = [c.strip() for c in table[0].split("|")].index(column)
    row = next(line for line in table if line.startswith(f"| **{name}** |"))
    return row.split("|")[index].strip()


def off_at_the_end(at, name) -> str:
    return cell(at, name, "Units off at the end")


def choose_preset(at, key):
    at.button_group(key="dead.preset").set_value(key).run()
    assert at.button_group(key="dead.preset").value == key  # shown as chosen while the sliders are at it


def test_walk_through_every_step():
    at = open_page(PAGE)
    assert not at.exception and not at.warning
    # Step 1: the seeds' example. Gradient exactly 0, weight unchanged.
    assert "Step 1 of 3" in at.markdown[1].value
    assert metric(at, "∂L/∂w₁") == "0"
    assert metric(at, "w_old") == metric(at, "w_new = w_old − η·∂L/∂w₁") == "0.5"
    dot = at.get("graphviz_chart")[0].proto.spec
    assert "∂a₁/∂z₁ = 0" in dot and "∂L/∂ŷ = 0.8" in dot and "∂ŷ/∂a₁ = 0.4" in dot and "∂z₁/∂w₁ = 0.3" in dot
    assert r"0.8 \times 0.4 \times 0 \times 0.3 = 0" in at.latex[0].value
    # The diagram's text alternative says the same chain in words, the zero factor named.
    text = at.expander(key="dead_chain.text").markdown[0].value
    assert "∂a₁/∂z₁ = 0 (activation, zero)" in text and "∂L/∂w₁ = 0." in text and "ReLU(z₁) = 0" in text
    # Step 2: Leaky ReLU. Small, non-zero gradient; the weight moves by η·∂L/∂w₁.
    at.button(key="next").click().run()
    assert at.query_params["step"] == "2"
    assert metric(at, "∂L/∂w₁") == "0.0009552"
    assert metric(at, "w_new = w_old − η·∂L/∂w₁") == "0.49990448"
    assert "∂a₁/∂z₁ = 0.01" in at.get("graphviz_chart")[0].proto.spec
    assert "∂a₁/∂z₁ = 0.01 (activation)" in at.expander(key="dead_chain.text").markdown[0].value
    assert any("−0.4" in m.value for m in at.markdown)  # seed 003's Leaky ReLU slip, corrected
    # Step 3: free play. Every number follows the inputs.
    at.button(key="next").click().run()
    assert at.query_params["step"] == "3"
    at.number_input(key="dead.b1").set_value(1.0).run()  # z₁ = 0.5·0.3 + 1 > 0: ReLU passes slope 1
    assert metric(at, "∂L/∂w₁") != "0"
    at.selectbox(key="dead.act").set_value("sigmoid").run()
    assert at.query_params["act"] == "sigmoid"
    assert "Sigmoid" in at.get("graphviz_chart")[0].proto.spec
    at.slider(key="dead.units").set_value(3).run()
    assert at.get("graphviz_chart")[0].proto.spec.count("(activation)") == 3
    at.slider(key="dead.lr").set_value(1.0).run()
    assert not at.exception
    at.button(key="back").click().run()
    assert at.query_params["step"] == "2" and metric(at, "∂L/∂w₁") == "0.0009552"


def test_a_link_reopens_its_step():
    at = open_page(PAGE, step="3", act="elu", lr="0.5")
    assert not at.warning
    assert at.selectbox(key="dead.act").value == "elu" and at.slider(key="dead.lr").value == 0.5
    assert "ELU" in at.get("graphviz_chart")[0].proto.spec


@pytest.mark.parametrize("query, expected", [
    ({"step": "99"}, "Step = `99`"), ({"step": "abc"}, "Step = `abc`"), ({"step": "1.5"}, "not a whole number"),
    ({"act": "garbage", "step": "3"}, "Activation = `garbage`"), ({"lr": "abc"}, "Learning rate = `abc`"),
    ({"lr": "nan"}, "Learning rate"), ({"die_bias": "-1e9"}, "Initial bias"),
    ({"die_lr": "inf"}, "Training learning rate"), ({"w1": "1e999"}, "W1 = `1e999`"),
])
def test_bad_link_values_warn_and_fall_back(query, expected):
    at = open_with_bad_link(PAGE, expected, **query)
    assert metric(at, "∂L/∂w₁") in ("0", "0.0009552")  # a default chain is shown


def test_presets():
    at = open_page(PAGE)
    choose_preset(at, "negative_bias")
    assert (at.slider(key="dead.die_lr").value, at.slider(key="dead.die_bias").value) == (0.5, -3.0)
    # Dead = zero on every training input: exactly the units whose bias never moves.
    run = dying.train("relu", 0.5, -3.0)
    frozen = int((run.bias == run.bias[0]).all(axis=0).sum())
    assert frozen == 11
    assert off_at_the_end(at, "ReLU") == cell(at, "ReLU", "Dead at the end") == f"{frozen} of 16"
    heat = chart_spec(at, key="die_heat")["layout"]["annotations"][0]["text"]
    assert f"{frozen} of 16 off, {frozen} dead" in heat
    assert any("1,258 training digits" in c.value for c in at.caption)
    assert off_at_the_end(at, "Leaky ReLU") == "9 of 16" and cell(at, "Leaky ReLU", "Dead at the end") == "0 of 16"
    heat = chart_spec(at, key="die_heat")["data"]
    assert decode(heat[0]["z"]).size == 16 * 60
    assert chart_spec(at, key="die_heat")["layout"]["yaxis"]["range"] == [15.5, -0.5]  # one row per unit
    bias = chart_spec(at, key="die_bias_chart")["data"]
    assert len(bias) == 4  # per run: the units on at the end, and those off (red), each one trace
    assert len(set(decode(bias[1]["customdata"]))) == 11  # ReLU's 11 units off at the end
    for key in ("die_heat", "die_frac", "die_bias_chart"):
        assert "shapes" not in chart_spec(at, key=key)["layout"]  # shapes double Plotly's redraw
    at.selectbox(key="dead.die_act").set_value("prelu").run()
    assert off_at_the_end(at, "Parametric ReLU (PReLU)") == "2 of 16"

    choose_preset(at, "high_lr")
    assert at.slider(key="dead.die_lr").value == 1.2
    assert off_at_the_end(at, "ReLU") == "6 of 16"
    assert any("One step, one dead unit" in m.value for m in at.markdown)
    assert any("diverged" in w.value for w in at.warning)  # PReLU's learned slopes blow up at η = 1.2

    choose_preset(at, "healthy")
    assert off_at_the_end(at, "ReLU") == "0 of 16"
    at.slider(key="dead.die_step").set_value(0).run()
    assert not at.exception
