"""ReLU Lab's activation registry: the single source of truth for every activation's formula,
derivative, torch module, parameters, properties and sources. No Streamlit, and no torch until
``Activation.to_torch`` is called."""
from .core import Activation, Param, Properties, Reference
from .registry import (
    REFERENCES,
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
    "RRELU_SCHEMES", "SELU_ALPHA", "SELU_LAMBDA", "get", "maxout_pieces", "rrelu_draw_slopes",
    "rrelu_expected_slopes", "rrelu_test_slopes",
]


def get(slug: str) -> Activation:
    """The activation for ``slug``; ``KeyError`` with the known slugs otherwise."""
    try:
        return REGISTRY[slug]
    except KeyError:
        raise KeyError(f"unknown activation {slug!r}; known: {', '.join(REGISTRY)}") from None
