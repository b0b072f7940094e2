"""Which claim each paper backs: the references page's content, gathered from the registry (the
sources of each activation's formula and properties), the course (each lesson's sources) and the
lesson pages (the sources each names at its end, ``PAGE_SOURCES``)."""
from __future__ import annotations

from activations import REFERENCES, REGISTRY, Reference

from . import course

#: The papers each lesson page cites at its end (lessons/text/*_refs.md), by their names in the
#: registry, with the claim each one backs there.
PAGE_SOURCES = {
    "Output activations": (
        ("GOODFELLOW16", "output units and their losses as maximum likelihood; the log undoing the exponential"),
        ("BRIDLE", "softmax outputs as the probabilities of a categorical distribution")),
    "Mixture density networks": (
        ("BISHOP94", "mixture density networks, and the inverse sine they are trained on"),
        ("GOODFELLOW16", "a mixture density network's three groups of output units")),
    "Maxout and CReLU": (
        ("GOODFELLOW13", "a maxout unit is the maximum of K affine pieces and approximates convex functions"),
        ("MAGNANI09", "the least-squares partition method that fits a maxout unit's pieces"),
        ("FLEURET", "maxout encodes ReLU and |x| and approximates any convex function; "
                    "CReLU keeps the signal's norm forwards"),
        ("SHANG", "CReLU keeps both ReLU(x) and ReLU(−x); lower convolutional layers learn filters in opposite pairs"),
        ("HE", "PReLU with one slope per channel or one shared by the layer, starting at 0.25")),
    "Vanishing gradients": (
        ("GLOROT10", "Xavier/Glorot initialisation, variance 2/(fan_in + fan_out)"),
        ("HE", "He initialisation, variance 2/fan_in"),
        ("LECUN98", "LeCun initialisation, variance 1/fan_in"),
        ("KLAMBAUER", "SELU keeps activations at mean 0 and variance 1 through layers"),
        ("KRIZHEVSKY", "a four-layer ReLU network reached 25 % training error on CIFAR-10 six times faster than with tanh")),
}


def citations() -> list[tuple[Reference, list[str]]]:
    """Every reference the app cites, with the claims it backs here, in order of its key."""
    claims: dict[str, list[str]] = {}
    for act in REGISTRY.values():
        for ref in act.references:
            claims.setdefault(ref.key, []).append(f"{act.name}: its formula, derivative or properties (gallery).")
    for lesson in course.lessons():
        for ref, claim in lesson.sources:
            claims.setdefault(ref.key, []).append(f"{claim[:1].upper()}{claim[1:]} (course: {lesson.title}).")
    for page, sources in PAGE_SOURCES.items():
        for name, claim in sources:
            claims.setdefault(REFERENCES[name].key, []).append(f"{claim[:1].upper()}{claim[1:]} ({page} page).")
    refs = {ref.key: ref for ref in REFERENCES.values()}
    return [(refs[key], claims.get(key, [])) for key in sorted(refs, key=str.lower)]
