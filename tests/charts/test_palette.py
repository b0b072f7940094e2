"""One palette: an activation has the same colour in the gallery, the lessons and the training lab,
the lines of one chart get distinct colours, every colour reads on white and on a projector, and
the activations shown together stay apart for readers with a colour-vision deficiency."""
import itertools
import json
import warnings

import numpy as np
import pytest

from activations import REGISTRY
from charts import palette
from charts.gallery import compare_figure, curve_figure
from charts.lessons import derivative_bounds_figure, normalisation_figure
from charts.palette import LINES, colour, colours
from lessons.chain_rule import CHAIN_SLUGS
from lessons.depth import NORMALISATION_RUNS, Probe

RELU = colour("relu")


def line_colours(fig) -> dict[str, str]:
    """Trace name → line (or marker) colour, as the browser gets them."""
    data = json.loads(fig.to_json())["data"]
    return {t["name"]: (t.get("line") or {}).get("color") or t["marker"]["color"] for t in data if t.get("name")}


def test_every_activation_has_a_colour_of_the_scheme_and_relus_is_its_own():
    assert set(palette.BY_SLUG) == set(REGISTRY)
    assert set(palette.BY_SLUG.values()) <= set(LINES)
    assert [s for s, c in palette.BY_SLUG.items() if c == RELU] == ["relu"]
    assert len(set(palette.PRIMARY.values())) == len(palette.PRIMARY) == len(LINES)


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


# --- contrast and colour-vision deficiencies -------------------------------------------------

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # colour-science warns that matplotlib is missing
    import colour as cs

DEFICIENCIES = {"protanopia": "Protanomaly", "deuteranopia": "Deuteranomaly", "tritanopia": "Tritanomaly"}


def rgb(hex_colour: str) -> np.ndarray:
    return np.array([int(hex_colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)])


def contrast(a: str, b: str = "#ffffff") -> float:
    """WCAG 2.1's contrast ratio (relative luminance of sRGB, (L1 + 0.05) / (L2 + 0.05))."""
    def lum(c):
        c = rgb(c)
        lin = np.where(c <= 0.03928, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
        return float(lin @ [0.2126, 0.7152, 0.0722])
    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def lab(hex_colour: str, deficiency: str | None = None) -> np.ndarray:
    """CIELAB (D65) of the colour as seen with full dichromacy of one kind: Machado et al. 2009's
    matrix at severity 1 applied to linear sRGB."""
    linear = cs.models.eotf_sRGB(rgb(hex_colour))
    if deficiency:
        linear = np.clip(cs.blindness.matrix_cvd_Machado2009(DEFICIENCIES[deficiency], 1.0) @ linear, 0, 1)
    xyz = cs.RGB_to_XYZ(linear, cs.RGB_COLOURSPACES["sRGB"], apply_cctf_decoding=False)
    return cs.XYZ_to_Lab(xyz)


def distance(a: str, b: str, deficiency: str | None = None) -> float:
    return float(cs.delta_E(lab(a, deficiency), lab(b, deficiency), method="CIE 2000"))


def test_the_simulation_and_the_distance_match_published_values():
    """Checks of the measuring tools themselves: WCAG's own examples, Sharma et al.'s CIEDE2000
    test pair 1, and red and green falling together for a protanope."""
    assert contrast("#000000") == pytest.approx(21)
    assert contrast("#777777") == pytest.approx(4.48, abs=0.01)
    assert float(cs.delta_E([50, 2.6772, -79.7751], [50, 0, -82.7485], method="CIE 2000")) == pytest.approx(2.0425, abs=1e-4)
    assert distance("#ff0000", "#00ff00") > 80 and distance("#c03030", "#6a6a10", "deuteranopia") < 15


@pytest.mark.parametrize("hex_colour", [*LINES, palette.INK, palette.GREY, palette.DEAD, *palette.CLASSES])
def test_every_line_colour_has_3_to_1_contrast_on_white(hex_colour):
    assert contrast(hex_colour) >= 3.0


def together_pairs():
    """Every pair of activations the app shows in one chart by itself (ReLU is beside every other)."""
    pairs = {frozenset(p) for slugs in app_sets() for p in itertools.combinations(slugs, 2)}
    pairs |= {frozenset(("relu", other)) for other in REGISTRY if other != "relu"}
    return sorted(tuple(sorted(p)) for p in pairs)


@pytest.mark.parametrize("deficiency", [None, *DEFICIENCIES])
def test_activations_shown_together_stay_15_apart_for_every_kind_of_colour_vision(deficiency):
    close = {(a, b): round(distance(colour(a), colour(b), deficiency), 1) for a, b in together_pairs()
             if distance(colour(a), colour(b), deficiency) < 15}
    assert not close, close


def test_no_three_line_colours_share_a_hue():
    """Hue angles in CIELAB: no 30° arc holds three of the nine (the old palette put ReLU's navy,
    ELU's magenta, SELU's maroon and tanh's pink-red in one family)."""
    hues = np.sort([np.degrees(np.arctan2(lab(c)[2], lab(c)[1])) % 360 for c in LINES])
    wrapped = np.r_[hues, hues + 360]
    assert min(wrapped[i + 2] - wrapped[i] for i in range(len(hues))) >= 30


@pytest.mark.parametrize("deficiency", [None, *DEFICIENCIES])
def test_the_two_ends_of_the_diverging_scheme_stay_apart(deficiency):
    assert distance(palette.NEGATIVE, palette.POSITIVE, deficiency) > 45
    for end in palette.CLASSES:
        assert distance(end, palette.ZERO, deficiency) > 30
