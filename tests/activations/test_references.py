"""The references: every paper in ``activations.REFERENCES`` backs a claim somewhere (an
activation's entry, a course lesson or a lesson page), under the name it has in
``activations.references``, and every activation cites papers from there."""
from activations import REFERENCES, REGISTRY, references
from lessons import course
from lessons.citations import PAGE_SOURCES


def test_every_reference_is_cited_by_an_activation_or_a_lesson():
    by_activations = {r for act in REGISTRY.values() for r in act.references}
    by_lessons = {r for lesson in course.lessons() for r, _ in lesson.sources}
    by_pages = {REFERENCES[name] for sources in PAGE_SOURCES.values() for name, _ in sources}
    assert by_lessons  # the course does cite papers
    assert [k for k, r in REFERENCES.items() if r not in by_activations | by_lessons | by_pages] == []


def test_references_are_named_once_and_activations_cite_only_them():
    assert all(getattr(references, name) is r for name, r in REFERENCES.items())
    assert len({r.key for r in REFERENCES.values()}) == len(REFERENCES)  # no paper under two names
    for slug, act in REGISTRY.items():
        assert act.references and all(r in REFERENCES.values() for r in act.references), slug
