"""ReLU Lab's activation registry: the single source of truth for every activation's formula,
derivative, torch module, parameters, properties and sources. No Streamlit, and no torch until
``Activation.to_torch`` is called."""
from .core import Activation, Param, Properties, Reference
from .references import REFERENCES
from .registry import (
    REGISTRY,
    RRELU_NDSB_DIVISORS,
    RRELU_SCHEMES,
    SELU_ALPHA,
    SELU_LAMBDA,
    maxout_pieces,
    rrelu_draw_slopes,
    rrelu_expected_slopes,
    rrelu_test_slopes,
)

__all__ = [
    "Activation", "Param", "Properties", "Reference", "REFERENCES", "REGISTRY", "RRELU_NDSB_DIVISORS",
    "RRELU_SCHEMES", "SELU_ALPHA", "SELU_LAMBDA", "display_name", "get", "maxout_pieces", "rrelu_draw_slopes",
    "rrelu_expected_slopes", "rrelu_test_slopes",
]


def get(slug: str) -> Activation:
    """The activation for ``slug``; ``KeyError`` with the known slugs otherwise."""
    try:
        return REGISTRY[slug]
    except KeyError:
        raise KeyError(f"unknown activation {slug!r}; known: {', '.join(REGISTRY)}") from None


def display_name(entry: str) -> str:
    """How the app names a compared entry: an activation's display name, or a per-layer mix
    (``"relu+tanh"``) as its names joined by " + "."""
    return " + ".join(get(slug).name for slug in entry.split("+"))
