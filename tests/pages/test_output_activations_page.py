"""AppTest for the Output activations page: likelihoods, the softmax calculator with good and bad
scores, why the log matters, the live regression, bad links."""
import numpy as np
import pytest

from conftest import chart_spec, decode, open_page, open_with_bad_link, rerun_until

PAGE = "pages/output_activations.py"


def table_rows(at, header: str) -> list[list[str]]:
    """The rows of the Markdown table whose header starts with ``header``."""
    md = next(m.value for m in at.markdown if m.value.startswith(header))
    lines = [line for line in md.splitlines() if line.startswith("|")][2:]
    return [[cell.strip() for cell in line.strip("|").split("|")] for line in lines]


def test_the_seed_example_with_its_true_and_handwritten_probabilities():
    at = open_page(PAGE)
    assert not at.exception and not at.warning and not at.error
    bars = {t["name"]: decode(t["y"]) for t in chart_spec(at, key="softmax_chart")["data"]}
    np.testing.assert_allclose(bars["softmax (true)"], [9.357e-14, 2.061e-9, 4.540e-5, 0.99995], rtol=1e-3)
    assert list(bars["written in the course notes"]) == [0.4, 0.1, 0.2, 0.3]
    rows = table_rows(at, "| class")
    assert [r[0] for r in rows] == ["dog", "cat", "don", "tiger"]
    assert [r[5] for r in rows] == ["**9.3572e−14**", "**2.06106e−09**", "**4.53979e−05**", "**0.999955**"]


def test_scores_of_a_thousand_work_and_the_formula_as_written_does_not():
    at = open_page(PAGE)
    at.text_input(key="outputs.scores_text").input("1000, 999, 990").run()
    assert not at.exception and not at.error
    assert at.query_params["scores"] == "1000,999,990"
    rows = table_rows(at, "| class")
    assert [r[2] for r in rows] == ["inf"] * 3 and [r[3] for r in rows] == ["nan"] * 3
    p = decode(chart_spec(at, key="softmax_chart")["data"][0]["y"])
    assert p.sum() == pytest.approx(1) and p[0] == pytest.approx(1 / (1 + np.exp(-1) + np.exp(-10)))
    assert any("overflows to inf here" in m.value for m in at.markdown)


@pytest.mark.parametrize("text, shown", [
    ("", "**Scores:** there are no scores."), ("10, abc, 30", "**Scores:** `abc` is not a number."),
    ("7", "a softmax needs 2 to 12 classes"), ("10, [x](http://evil.example)", "`?x??http?//evil.example?` is not a number"),
])
def test_bad_scores_get_a_message_not_a_traceback(text, shown):
    at = open_page(PAGE)
    at.text_input(key="outputs.scores_text").input(text).run()
    assert not at.exception
    assert any(shown in e.value for e in at.error), [e.value for e in at.error]
    assert "softmax_chart" not in "".join(c.proto.id for c in at.get("plotly_chart"))
    assert at.query_params.get("scores") is None  # the link keeps the last good scores


def test_temperature_shift_and_log_scale():
    at = open_page(PAGE)
    at.slider(key="outputs.t").set_value(5.0).run()
    p = decode(chart_spec(at, key="softmax_chart")["data"][0]["y"])
    np.testing.assert_allclose(p, np.exp([2, 4, 6, 8]) / np.exp([2, 4, 6, 8]).sum(), rtol=1e-12)
    at.slider(key="outputs.shift").set_value(-1000.0).run()
    assert decode(chart_spec(at, key="softmax_chart")["data"][0]["y"]) == pytest.approx(p, rel=1e-12)
    at.toggle(key="outputs.logp").set_value(True).run()
    assert chart_spec(at, key="softmax_chart")["layout"]["yaxis"]["type"] == "log"
    assert at.query_params["t"] == "5" and at.query_params["shift"] == "-1000" and at.query_params["logp"] == "1"


@pytest.mark.parametrize("pair", ["gaussian", "bernoulli", "categorical"])
def test_each_output_unit_shows_its_distribution_and_equal_losses(pair):
    at = open_page(PAGE, pair=pair, z="-2")
    assert not at.exception and not at.warning
    nll, loss, diff = table_rows(at, "| −log p(y")[0]
    constant = 0.5 * np.log(2 * np.pi) if pair == "gaussian" else 0.0
    assert float(diff.split()[0].replace("−", "-")) == pytest.approx(constant, abs=1e-3)
    data = chart_spec(at, key="mle_chart")["data"]
    assert data[0]["type"] == ("scatter" if pair == "gaussian" else "bar")


def test_why_the_log_matters_table_at_the_chosen_score():
    at = open_page(PAGE, at="-10")
    (ce, ce_loss, ce_grad), (se, se_loss, se_grad) = table_rows(at, "| at z = -10")
    assert (ce, se) == ("softmax + cross-entropy", "softmax + squared error")
    assert float(ce_grad.replace("−", "-")) < -0.999 and abs(float(se_grad.replace("−", "-"))) < 1e-4
    at.segmented_control(key="outputs.why").set_value("sigmoid").run()
    assert [r[0] for r in table_rows(at, "| at z")] == ["sigmoid + binary cross-entropy", "sigmoid + squared error"]
    assert at.query_params["why"] == "sigmoid"


@pytest.mark.parametrize("query, expected", [
    ({"t": "0"}, "Temperature = `0` in the link is not a number from 0.1 to 5"),
    ({"scores": "10,abc"}, "Scores = `10,abc` in the link is not 2 to 12 numbers"),
    ({"scores": ""}, "Scores = (empty) in the link"), ({"scores": "5"}, "Scores = `5` in the link"),
    ({"pair": "poisson"}, "Target = `poisson`"), ({"reg_act": "crelu"}, "Hidden activation = `crelu`"),
    ({"reg_width": "6"}, "not a step of 4"),
])
def test_bad_link_values_warn_and_fall_back(query, expected):
    at = open_with_bad_link(PAGE, expected, **query)
    assert chart_spec(at, key="softmax_chart")["data"]


def test_the_regression_trains_live_and_its_result_is_shared():
    at = open_page(PAGE, reg_steps="300")
    assert "reg_chart" not in "".join(c.proto.id for c in at.get("plotly_chart"))
    at.button(key="outputs.reg.train").click().run()
    rerun_until(at, lambda at: any(m.value.startswith("| training MSE") for m in at.markdown))
    y = decode(next(t for t in chart_spec(at, key="reg_chart")["data"] if t["name"].startswith("network"))["y"])
    assert len(y) == 241 and np.isfinite(y).all()
    other = open_page(PAGE, reg_steps="300")  # another session, same settings: the result is there at once
    assert any(m.value.startswith("| training MSE") for m in other.markdown)
    assert other.button(key="outputs.reg.train").disabled


def test_a_link_in_the_same_session_rewrites_the_scores_box_and_a_teacher_can_hide_it():
    at = open_page(PAGE, scores="1,2,3")
    assert at.text_input(key="outputs.scores_text").value == "1, 2, 3"
    at.switch_page("pages/home.py").run()
    at.query_params.clear()
    at.query_params.update({"scores": "5,-5"})  # a lesson's "try it" link
    at.switch_page(PAGE).run()
    assert at.text_input(key="outputs.scores_text").value == "5, -5" and at.session_state["outputs.scores"] == [5, -5]
    hidden = open_page(PAGE, scores="0,1000", hide="scores,t")
    assert not hidden.exception and not [t for t in hidden.text_input if t.key == "outputs.scores_text"]
    assert decode(chart_spec(hidden, key="softmax_chart")["data"][0]["y"])[1] == pytest.approx(1.0)
    assert "outputs.t" not in [s.key for s in hidden.slider]


@pytest.mark.parametrize("page, query", [
    (PAGE, {"scores": "1,2,3", "t": "2.5", "why": "sigmoid", "reg_act": "elu"}),
    ("pages/mixture_density.py", {"m": "5", "scale": "softplus", "x": "0.3"}),
    ("pages/maxout_crelu.py", {"target": "square", "k": "6", "kernel": "1", "p_data": "xor"}),
])
def test_leaving_a_new_page_and_coming_back_through_the_sidebar_keeps_its_settings(page, query):
    at = open_page(page, **query)
    at.switch_page("pages/home.py").run()
    at.query_params.clear()  # the sidebar opens a page without a query
    at.switch_page(page).run()
    assert not at.exception and not at.warning
    assert query.items() <= dict(at.query_params.items()).items()
    if page == PAGE:
        assert at.text_input(key="outputs.scores_text").value == "1, 2, 3"
