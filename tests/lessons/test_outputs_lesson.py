"""The output-activation lesson's logic and the numbers its text states."""
import math

import numpy as np
import pytest

from activations import REGISTRY
from activations import outputs as formulas
from lessons import outputs
from lessons.prose import read


def test_the_seed_example_and_its_handwritten_values():
    sm = outputs.softmax(outputs.SEED_SCORES)
    assert sm.is_seed_example and outputs.class_names(5) == ["dog", "cat", "don", "tiger", "class 5"]
    np.testing.assert_allclose(sm.p, [9.36e-14, 2.06e-9, 4.54e-5, 0.99995], rtol=2e-3)
    assert np.argmax(sm.p) == 3 and np.argmax(outputs.SEED_HANDWRITTEN) == 0  # the seed's order is wrong
    assert math.exp(10) == pytest.approx(22_026, abs=0.5)  # "a factor e¹⁰ ≈ 22,026"
    text = read("outputs_softmax")
    for shown in ("9.36 × 10⁻¹⁴", "2.06 × 10⁻⁹", "4.54 × 10⁻⁵", "0.99995", "22,026"):
        assert shown in text


@pytest.mark.parametrize("scores", [[1000.0, 999.0, 990.0], [960.0 + s for s in outputs.SEED_SCORES]])
def test_large_scores_break_the_formula_as_written_but_not_log_sum_exp(scores):
    sm = outputs.softmax(scores)
    assert sm.overflow and np.isnan(sm.naive).all() and np.isinf(sm.exp).any()
    assert np.isfinite(sm.p).all() and sm.p.sum() == pytest.approx(1) and np.isfinite(sm.log_p).all()
    assert sm.shifted_exp.max() == 1.0 and (sm.shifted_exp <= 1).all()
    assert outputs.OVERFLOW == pytest.approx(709.78, abs=0.005)  # "ln(1.8 × 10³⁰⁸) ≈ 709.78"
    with np.errstate(over="ignore"):
        assert math.exp(709.78) < math.inf and np.isinf(np.exp(np.float64(709.79)))


def test_a_shift_changes_no_probability():
    for shift in (-1000.0, -10.0, 990.0):
        sm = outputs.softmax([3.0, -1.0, 0.5], 0.7, shift)
        assert sm.shift_gap < 1e-13  # rounding of x + c, nothing more
    assert outputs.softmax(outputs.SEED_SCORES, 1.0, 960.0).shift_gap == 0.0


@pytest.mark.parametrize("text, token, words", [
    ("", "", "no scores"), ("  , ,", "", "no scores"), ("10, abc, 30", "abc", "not a number"),
    ("5", "", "2 to 12 classes"), (",".join(["1"] * 13), "", "2 to 12 classes"), ("1e5, 1", "1e5", "−10,000 to 10,000"),
    ("nan, 1", "nan", "−10,000"), ("inf, 1", "inf", "−10,000"),
])
def test_bad_scores_say_what_is_wrong(text, token, words):
    with pytest.raises(outputs.ScoreError) as bad:
        outputs.parse_scores(text)
    assert bad.value.token == token and words in str(bad.value)


def test_scores_can_be_separated_by_commas_spaces_or_semicolons():
    assert outputs.parse_scores("10, 20 30;40") == [10.0, 20.0, 30.0, 40.0]
    assert outputs.parse_scores(outputs.format_scores([1000.0, -1000.0, 0.25])) == [1000.0, -1000.0, 0.25]


@pytest.mark.parametrize("pair, z, target", [("gaussian", 1.3, -0.4), ("bernoulli", -2.0, 1), ("bernoulli", 3.0, 0),
                                             ("categorical", -1.5, 0)])
def test_the_negative_log_likelihood_is_the_loss(pair, z, target):
    lk = outputs.likelihood(pair, z, target)
    constant = 0.5 * math.log(2 * math.pi) if pair == "gaussian" else 0.0
    assert lk.nll == pytest.approx(lk.loss + constant, abs=1e-12)
    if pair != "gaussian":
        assert lk.prob.sum() == pytest.approx(1)
    else:
        assert np.trapezoid(lk.prob, lk.support) == pytest.approx(1, abs=1e-5)


def test_the_bernoulli_and_categorical_tables_differ_only_by_rounding():
    """The page's table calls the difference "none, but for rounding" for these two pairs: over every
    slider value it is at most four units in the last place of max(1, loss) (measured: 3.3). P(0)
    computed as 1 − σ(z) left 3.2e−13 at z = 8, y = 0; as σ(−z) it is σ(−z) to the last bit."""
    for z in np.round(np.arange(-80, 81) / 10, 1):
        bern = outputs.likelihood("bernoulli", float(z), 0)
        assert bern.prob[0] == REGISTRY["sigmoid"].forward(-z)  # P(0) is σ(−z), to the last bit
        for pair, target in (("bernoulli", 0), ("bernoulli", 1), ("categorical", 0)):
            lk = outputs.likelihood(pair, float(z), target)
            assert abs(lk.nll - lk.loss) <= 4 * np.spacing(max(1.0, lk.nll, lk.loss)), (pair, z, target)


def test_bce_stays_finite_where_the_probability_has_rounded_to_zero():
    """outputs_bernoulli.md: for z = −1,000 and y = 1 the loss is exactly 1,000, where log σ(z) is log 0."""
    assert REGISTRY["sigmoid"].forward(-1000.0) == 0.0
    assert formulas.binary_cross_entropy(-1000.0, 1.0) == 1000.0


@pytest.mark.parametrize("unit", outputs.WHY)
def test_far_from_the_answer_the_log_loss_keeps_its_gradient_and_squared_error_loses_it(unit):
    c = outputs.why_log(unit)
    log_loss, squared = c.grads.values()
    far = c.z == -10
    assert log_loss[far][0] < -0.9999 and abs(squared[far][0]) < 1e-4
    assert (np.abs(log_loss) >= np.abs(squared)).all()  # the log pairing's push is never the smaller one
    assert np.all(np.diff(log_loss) >= 0)  # the push weakens monotonically as the score approaches the answer
