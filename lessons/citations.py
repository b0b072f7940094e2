"""Which claim each paper backs: the references page's content, gathered from the registry (the
sources of each activation's formula and properties) and the course (each lesson's sources)."""
from __future__ import annotations

from activations import REFERENCES, REGISTRY, Reference

from . import course


def citations() -> list[tuple[Reference, list[str]]]:
    """Every reference the app cites, with the claims it backs here, in order of its key."""
    claims: dict[str, list[str]] = {}
    for act in REGISTRY.values():
        for ref in act.references:
            claims.setdefault(ref.key, []).append(f"{act.name}: its formula, derivative or properties (gallery).")
    for lesson in course.lessons():
        for ref, claim in lesson.sources:
            claims.setdefault(ref.key, []).append(f"{claim[:1].upper()}{claim[1:]} (course: {lesson.title}).")
    refs = {ref.key: ref for ref in REFERENCES.values()}
    return [(refs[key], claims.get(key, [])) for key in sorted(refs, key=str.lower)]
