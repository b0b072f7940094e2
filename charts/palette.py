"""The app's one colour palette, designed once for a white page and a projector: each activation
has one colour, the same in the gallery, the lessons and the training lab; classes and signs
have one diverging scheme everywhere (decision boundaries, units, weights).

The nine line colours were chosen by a search over sRGB for these properties, which
``tests/charts/test_palette.py`` measures:

* each has at least 3:1 contrast against white (WCAG 2.1's 1.4.11 for graphics), so a line
  still reads on a washed-out projector;
* any two activations the app shows together (its presets, default selections and the
  lessons' runs, always with ReLU) stay at least 15 apart in CIEDE2000 for normal vision and
  after simulating protanopia, deuteranopia and tritanopia (Machado, Oliveira & Fernandes 2009,
  severity 1);
* no three of them lie within 30° of hue of each other (so no "four reds").

Nine colours for nineteen activations: the nine the app shows together most have one each, and
ReLU's blue belongs to ReLU alone, since every lesson compares ReLU with the others. The other
ten share a colour with one of those; when two activations that share a colour appear in one
chart, the later gets a free colour of the scheme for that chart (``colours``)."""
from __future__ import annotations

from typing import Sequence

BLUE, OLIVE, WINE, LAVENDER, RED, ORANGE, VIOLET, PINK, GREEN = (
    "#1f4e9c", "#505a14", "#863553", "#b478cf", "#c60026", "#d87308", "#994ffb", "#c975a6", "#41936f")
#: The line colours, in the order ``colours`` hands out free ones.
LINES = (BLUE, OLIVE, WINE, LAVENDER, RED, ORANGE, VIOLET, PINK, GREEN)

#: One colour each for the activations shown together most.
PRIMARY = {"relu": BLUE, "sigmoid": OLIVE, "leaky_relu": WINE, "prelu": LAVENDER, "rrelu": RED, "gelu": ORANGE,
           "tanh": VIOLET, "selu": PINK, "elu": GREEN}
#: The others, each sharing with an activation it is less often drawn beside (never ReLU).
SECONDARY = {"celu": LAVENDER, "silu": VIOLET, "mish": WINE, "softplus": PINK, "relu6": OLIVE, "hardswish": RED,
             "crelu": ORANGE, "softmax": PINK, "maxout": OLIVE, "gelu_tanh": VIOLET}
BY_SLUG = {**PRIMARY, **SECONDARY}

#: Neutral inks: reference lines and targets (INK), secondary marks and data points (GREY, 4.7:1
#: on white), and what is dead or off (DEAD, 5.6:1).
INK, GREY, DEAD = "#212529", "#6c757d", "#c92a2a"

#: The diverging scheme for classes and signs: class 0 and negative values orange, class 1 and
#: positive values blue, zero near white. Both ends have at least 3:1 contrast against white
#: and stay far apart (CIEDE2000 > 45) under every simulated colour-vision deficiency.
NEGATIVE, ZERO, POSITIVE = "#c85200", "#f7f7f7", "#2166ac"
DIVERGING = [[0.0, NEGATIVE], [0.5, ZERO], [1.0, POSITIVE]]
#: A class's colour: class 0 and 1 the scheme's ends, classes 2-4 (the step-by-step lab's softmax
#: sets) line colours of other hues; and the words a key uses for the two ends.
CLASSES = (NEGATIVE, POSITIVE, GREEN, VIOLET, OLIVE)
NEGATIVE_NAME, POSITIVE_NAME = "orange", "blue"
#: Three or more classes: a sequential scheme that stays ordered in grey and for every
#: colour-vision deficiency, shown with a colour bar.
MANY_CLASSES = "Viridis"


def colour(slug: str) -> str:
    """The activation's own colour (``KeyError`` for an unknown slug)."""
    return BY_SLUG[slug]


def colours(keys: Sequence[str | None]) -> list[str]:
    """A colour for each line of one chart, given what each line shows: an activation's slug, or
    anything else (``None``, a per-layer mix ``"relu+tanh"``, a second curve of one activation).

    An activation gets its own colour, the same for every line of that activation, unless
    another activation in the chart already holds it (the nine of ``PRIMARY`` first, then the
    rest in order); any other line gets the first colour not yet used in the chart, never ReLU's
    (and keeps it for its later lines). Past the scheme's nine colours they repeat."""
    out: list[str | None] = [None] * len(keys)
    owner: dict[str, str] = {}  # colour → the slug holding it in this chart
    for table in (PRIMARY, SECONDARY):
        for i, key in enumerate(keys):
            c = table.get(key) if isinstance(key, str) else None
            if c is not None and owner.setdefault(c, key) == key:
                out[i] = c
    others = [c for c in LINES if c != BY_SLUG["relu"]]
    pool = [c for c in others if c not in owner] + [c for c in others if c in owner]  # free ones first
    given: dict[str, str] = {}  # a key's colour from the pool, for its later lines
    n = 0
    for i, key in enumerate(keys):
        if out[i] is None:
            if key is not None and key in given:
                out[i] = given[key]
                continue
            out[i] = pool[n % len(pool)]
            n += 1
            if key is not None:
                given[key] = out[i]
    return out


def sign_key(negative: str = "negative", positive: str = "positive") -> str:
    """The words that say which colour is which, for a chart's caption or colour bar."""
    return f"{NEGATIVE_NAME}: {negative} · {POSITIVE_NAME}: {positive}"


def rgba(hex_colour: str, alpha: float) -> str:
    """``#rrggbb`` with opacity ``alpha``, as Plotly's ``rgba(r,g,b,a)``."""
    h = hex_colour.lstrip("#")
    return f"rgba({int(h[0:2], 16)},{int(h[2:4], 16)},{int(h[4:6], 16)},{alpha})"
