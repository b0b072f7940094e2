"""Any link to any page, with any values for any of its real URL keys: the page runs without an
exception, every value it keeps is one its field accepts (a whole number where it wants one, no
repeats in a list), and the link's text reaches the page only through ``runtime.url_state.echo``
(inside a code span, safe characters only): never as Markdown, a link, an image, HTML, colour or
maths."""
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import open_page
from runtime import page_state

MARK = "ZQX"  # every hostile value carries it, so its echo can be found on the page
HOSTILE = [f"[{MARK}](https://evil.example)", f"![{MARK}](https://evil.example/t.png)", f"**{MARK}**",
           f":red[{MARK}]", f"${MARK}$", f"<img src=x onerror=alert(1)>{MARK}", f"`{MARK}` break",
           f"{MARK}\n# heading", f"{MARK}" + "a" * 300, f"relu,{MARK}", f"{MARK}:{MARK}",
           f"<script>{MARK}</script>", f"{MARK}&amp;&#60;", f"\\{MARK}\\", f"{MARK} %0A %00"]
NUMBERS = ["nan", "NaN", "inf", "-inf", "1e308", "-1e308", "1e-320", "-0", "3.5", "2.5", "0.0005", "", " ",
           "0x10", "1_000", "١", "10,20", "1,1e308", "relu,relu,relu", "relu,tanh,relu", "0", "1", "-1", "9" * 30]
TEXT_ELEMENTS = ("markdown", "warning", "error", "info", "success", "caption", "title", "header", "subheader",
                 "exception", "toast", "latex", "code")
CODE_SPAN = re.compile(r"`([^`]*)`")


def value_strategy(field):
    valid = [field.format(field.example()), field.format(field.default)]
    return st.one_of(st.sampled_from(HOSTILE), st.sampled_from(NUMBERS), st.sampled_from(valid),
                     st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12)
                     .map(lambda t: MARK + t))


def link_strategy(state):
    fields = list(state.fields({}))
    return st.lists(st.sampled_from(fields), max_size=len(fields), unique_by=lambda f: f.name).flatmap(
        lambda chosen: st.fixed_dictionaries({f.name: value_strategy(f) for f in chosen}))


def texts(at) -> list[str]:
    out = []
    for kind in TEXT_ELEMENTS:
        for element in at.get(kind):
            value = getattr(element, "value", None)
            out.append(value if isinstance(value, str) else str(getattr(element.proto, "body", "")))
    return out


@pytest.mark.parametrize("page, state", [(f, p.state) for f, p in page_state.PAGES.items()],
                         ids=[p.split("/")[-1] for p in page_state.PAGES])
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_any_link_runs_and_echoes_only_through_echo(page, state, data):
    query = data.draw(link_strategy(state), label="query")
    at = open_page(page, **query)
    assert not at.exception, (query, [e.value for e in at.exception])
    for text in texts(at):
        for span in CODE_SPAN.findall(text):
            if MARK in span:  # an echo: safe characters only (runtime.url_state.echo)
                assert re.fullmatch(r"[A-Za-z0-9 .,+\-_=/?]*(\.\.\.)?", span), (query, text)
        assert MARK not in CODE_SPAN.sub("", text), (query, text)  # the link's text outside an echo
    session = at.session_state
    for field in state.fields(session):
        key = state.key(field.key or field.name)
        if key in session:
            value = session[key]
            assert field.parse(field.format(value)) == value, (query, field.name, value)
