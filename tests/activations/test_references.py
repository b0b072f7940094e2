"""The references: every paper in ``activations.REFERENCES`` backs a claim somewhere (an
activation's entry, a course lesson or a lesson page), under the name it has in
``activations.references``, and every activation cites papers from there."""
import re
from pathlib import Path

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


# An author-year citation in running text: "Glorot & Bengio (2010)", "He et al., 2015",
# "He, Zhang, Ren & Sun (2015)", "Bridle, 1990".
_NAME = r"[A-Z][A-Za-zÀ-ÿ\-]+"
_CITATION = re.compile(rf"(?P<first>{_NAME})(?:(?:, {_NAME})* & {_NAME}| et al\.)?(?: \(|, )(?P<year>(?:19|20)\d\d)\b")
ROOT = Path(__file__).resolve().parents[2]
CITING = sorted(p for p in [*ROOT.glob("lessons/text/*.md"), *ROOT.glob("lessons/course/*.md"), *ROOT.glob("lessons/*.py"),
                 *ROOT.glob("pages/*.py"), *ROOT.glob("activations/*.py"), *ROOT.glob("charts/*.py")]
                if p.name != "references.py" or p.parent.name != "activations")  # not the list itself


def test_every_citation_in_the_lessons_and_pages_is_a_reference():
    """The References page says it lists every paper the app cites: so every author-year citation
    in a lesson's text or a page's code names a paper of ``REFERENCES`` (first author and year)."""
    listed = {(r.key.split(",")[0].split(" ")[0], r.key[-4:]) for r in REFERENCES.values()}
    found, missing = set(), set()
    for path in CITING:
        text = " ".join(path.read_text(encoding="utf-8").split())  # a citation may wrap a line
        for m in _CITATION.finditer(text):
            found.add((m["first"], m["year"]))
            if (m["first"], m["year"]) not in listed:
                missing.add((path.relative_to(ROOT).as_posix(), m[0]))
    assert ("Glorot", "2010") in found and ("Bishop", "1994") in found  # the pattern does find citations
    assert sorted(missing) == []


def test_bridle_is_a_chapter_of_the_nato_book_not_the_journal():
    """Bridle (1990) appeared in the book Neurocomputing: Algorithms, Architectures and Applications
    (NATO ASI Series F68), not in the journal Neurocomputing."""
    from lessons.prose import read

    venue = references.BRIDLE.venue
    assert "Neurocomputing: Algorithms, Architectures and Applications" in venue and "NATO ASI Series F68" in venue
    assert "Neurocomputing: Algorithms, Architectures and Applications" in " ".join(read("outputs_refs").split())
