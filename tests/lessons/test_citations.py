"""The lesson pages' sources: every paper a page lists for the References page is named in the
page's own closing text."""
from activations import REFERENCES
from lessons.citations import PAGE_SOURCES
from lessons.prose import read

REFS_TEXT = {"Output activations": "outputs_refs", "Mixture density networks": "mdn_refs",
             "Maxout and CReLU": "maxout_refs", "Vanishing gradients": "vanishing_refs"}


def test_each_page_names_the_papers_it_lists():
    assert set(PAGE_SOURCES) == set(REFS_TEXT)
    for page, sources in PAGE_SOURCES.items():
        text = read(REFS_TEXT[page])
        for name, claim in sources:
            first_author = REFERENCES[name].key.split(",")[0].split(" ")[0]
            assert f"{first_author}," in text or f"{first_author} " in text, (page, name)
            assert claim
