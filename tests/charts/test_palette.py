"""One palette: an activation has the same colour in the gallery, the lessons and the training lab,
and the lines of one chart get distinct colours."""
import json

import numpy as np
import pytest

from activations import REGISTRY
from charts import palette
from charts.gallery import compare_figure, curve_figure
from charts.lessons import derivative_bounds_figure, normalisation_figure
from charts.palette import MUTED, colour, colours
from lessons.chain_rule import CHAIN_SLUGS
from lessons.depth import NORMALISATION_RUNS, Probe

RELU = colour("relu")


def line_colours(fig) -> dict[str, str]:
    """Trace name → line (or marker) colour, as the browser gets them."""
    data = json.loads(fig.to_json())["data"]
    return {t["name"]: (t.get("line") or {}).get("color") or t["marker"]["color"] for t in data if t.get("name")}


def test_every_activation_has_a_colour_of_the_scheme_and_relus_is_its_own():
    assert set(palette.BY_SLUG) == set(REGISTRY)
    assert set(palette.BY_SLUG.values()) <= set(MUTED)
    assert [s for s, c in palette.BY_SLUG.items() if c == RELU] == ["relu"]
    assert len(set(palette.PRIMARY.values())) == len(palette.PRIMARY) == len(MUTED)


def test_relu_and_tanh_keep_their_colours_in_gallery_lessons_and_training_lab():
    x = np.linspace(-3, 3, 31)
    single = line_colours(curve_figure(REGISTRY["relu"], x, {}, 0.0)[0])["ReLU"]
    compared = line_colours(compare_figure([REGISTRY["sigmoid"], REGISTRY["tanh"], REGISTRY["relu"]], x)[0])
    bounds = line_colours(derivative_bounds_figure(x))
    probe = lambda act: Probe(act, *(np.ones(3),) * 5, 0.0, 0.0)  # noqa: E731
    norm = line_colours(normalisation_figure({"ReLU, He": probe("relu"), "tanh, Xavier": probe("tanh")}))
    from charts.training import curves
    from training.config import Config
    from training.engine import train

    lab = line_colours(curves(train(Config(activations=("tanh", "relu"), seeds=1, n=100, epochs=3, width=4))))
    assert single == compared["ReLU"] == bounds["ReLU′"] == norm["ReLU, He"] == lab["ReLU"] == RELU
    assert compared["tanh"] == bounds["tanh′"] == norm["tanh, Xavier"] == lab["tanh"] == colour("tanh")


def test_a_second_run_of_one_activation_keeps_its_colour_dotted():
    probe = lambda act: Probe(act, *(np.ones(3),) * 5, 0.0, 0.0)  # noqa: E731
    fig = normalisation_figure({label: probe(act) for label, act, _ in NORMALISATION_RUNS})
    selu = [t for t in fig.data if t.name and t.name.startswith("SELU")][::2]  # mean panel
    assert [t.line.color for t in selu] == [colour("selu")] * 2
    assert [t.line.dash for t in selu] == ["solid", "dot"]


def app_sets():
    """The activations the app shows together without a student choosing them."""
    from training.config import Config
    from training.presets import PRESETS

    yield Config().activations
    yield from (p["activations"] for p in PRESETS.values())
    yield tuple(dict.fromkeys(act for _, act, _ in NORMALISATION_RUNS))
    yield ("sigmoid", "tanh", "relu", "leaky_relu", "selu")  # the vanishing-gradients page's default
    yield ("sigmoid", "tanh", "relu")  # the derivative bounds
    yield from (("relu", other) for other in CHAIN_SLUGS if other != "relu")  # dead neurons: ReLU vs one


@pytest.mark.parametrize("slugs", list(app_sets()), ids=lambda s: "+".join(s))
def test_the_apps_own_sets_need_no_borrowed_colour(slugs):
    assert colours(slugs) == [colour(s) for s in slugs]
    assert len(set(colours(slugs))) == len(slugs)


def test_any_chart_gets_distinct_colours_and_only_relu_gets_relus():
    rng = np.random.default_rng(0)
    keys = list(REGISTRY) + ["relu+tanh", "tanh+relu", None]
    for _ in range(3000):
        n = int(rng.integers(1, 10))
        chosen = [keys[i] for i in rng.choice(len(keys), n, replace=False)]
        got = colours(chosen)
        if len(chosen) <= 8 or "relu" in chosen:  # eight colours for lines other than ReLU
            assert len(set(got)) == len(chosen), chosen
        assert [k for k, c in zip(chosen, got) if c == RELU] == (["relu"] if "relu" in chosen else [])
    assert colours(["crelu", "gelu", "crelu"]) == [colours(["crelu", "gelu"])[0], colour("gelu"),
                                                   colours(["crelu", "gelu"])[0]]


def test_rgba():
    assert palette.rgba("#332288", 0.2) == "rgba(51,34,136,0.2)"
