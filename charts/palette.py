"""The app's one colour palette: each activation has one colour, the same in the gallery, the
lessons and the training lab.

The colours are Paul Tol's "muted" qualitative scheme (Tol, "Colour Schemes", SRON technical
note SRON/EPS/TN/09-002, issue 3.2, 2021), chosen to stay distinct for readers with any of the
common colour-vision deficiencies. Nine colours for nineteen activations: the nine the app
shows together most (its presets and default selections, the lessons' runs) have one each, and
ReLU's indigo belongs to ReLU alone, since every lesson compares ReLU with the others. The other
ten share a colour with one of those; when two activations that share a colour appear in one
chart, the later gets a free colour of the scheme for that chart (``colours``)."""
from __future__ import annotations

from typing import Sequence

INDIGO, CYAN, TEAL, GREEN, OLIVE, SAND, ROSE, WINE, PURPLE = (
    "#332288", "#88CCEE", "#44AA99", "#117733", "#999933", "#DDCC77", "#CC6677", "#882255", "#AA4499")
MUTED = (INDIGO, CYAN, TEAL, GREEN, OLIVE, SAND, ROSE, WINE, PURPLE)

#: One colour each for the activations shown together most.
PRIMARY = {"relu": INDIGO, "sigmoid": CYAN, "leaky_relu": TEAL, "prelu": GREEN, "rrelu": OLIVE, "gelu": SAND,
           "tanh": ROSE, "selu": WINE, "elu": PURPLE}
#: The others, each sharing with an activation it is less often drawn beside (never ReLU).
SECONDARY = {"celu": GREEN, "silu": PURPLE, "mish": TEAL, "softplus": ROSE, "relu6": CYAN, "hardswish": OLIVE,
             "crelu": SAND, "softmax": WINE, "maxout": CYAN, "gelu_tanh": PURPLE}
BY_SLUG = {**PRIMARY, **SECONDARY}


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
    others = [c for c in MUTED if c != BY_SLUG["relu"]]
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


def rgba(hex_colour: str, alpha: float) -> str:
    """``#rrggbb`` with opacity ``alpha``, as Plotly's ``rgba(r,g,b,a)``."""
    h = hex_colour.lstrip("#")
    return f"rgba({int(h[0:2], 16)},{int(h[2:4], 16)},{int(h[4:6], 16)},{alpha})"


# -- Signs and classes (the step-by-step lab's pictures) -------------------------------------------
#: TensorFlow Playground's diverging scheme: orange for negative (class 0), blue for positive
#: (class 1), light grey between; a dead unit is crossed out in red.
NEGATIVE, ZERO, POSITIVE, DEAD = "#f59322", "#e8eaeb", "#0877bd", "#d62728"
#: Three to five classes: class 0 and 1 as above, then three of Tol's muted colours.
CLASSES = (NEGATIVE, POSITIVE, GREEN, PURPLE, OLIVE)
