"""The one URL state: every field type reads, checks and writes its value; every page's link
reopens exactly its settings in a fresh session; untrusted text never renders."""
import re

import pytest

from activations import REGISTRY
from conftest import ROOT, open_page
from runtime import page_state
from runtime.url_state import Choice, Choices, Flag, Invalid, Number, Numbers, Span, Text, echo


@pytest.mark.parametrize("field, text, value", [
    (Number("n", 1, lo=1, hi=4, integer=True), "3", 3),
    (Number("lr", 0.1, lo=0.01, hi=2.0, step=0.01), "0.37", 0.37),
    (Choice("c", "a", options=("a", "b")), "b", "b"),
    (Choices("cs", ["a"], options=("a", "b", "c")), "c,a,c", ["c", "a"]),
    (Flag("f", False), "1", True),
    (Span("xr", (-5.0, 5.0), lo=-10, hi=10), "-2,3.5", (-2.0, 3.5)),
    (Numbers("s", [10.0], lo=-1000, hi=1000), "10,20,-1000", [10.0, 20.0, -1000.0]),
    (Text("layers", "4, 2", sample="8, 8"), "4, 6, 2", "4, 6, 2"),
])
def test_each_field_reads_what_it_writes(field, text, value):
    assert field.parse(text) == value
    assert field.parse(field.format(value)) == value
    assert field.parse(field.format(field.example())) == field.example() != field.default


@pytest.mark.parametrize("field, text", [
    (Number("n", 1, lo=1, hi=4, integer=True), "2.5"),  # not whole
    (Number("n", 1, lo=1, hi=4, integer=True), "9"),
    (Number("w", 100, lo=10, hi=200, integer=True, step=10), "15"),  # off the slider's grid
    (Number("x", 0.0, lo=-1, hi=1), "nan"),
    (Number("x", 0.0, lo=-1, hi=1), "inf"),
    (Number("x", 0.0, lo=-1, hi=1), ""),
    (Choice("c", "a", options=("a", "b")), "A"),
    (Flag("f", False), "maybe"),
    (Span("xr", (-5.0, 5.0), lo=-10, hi=10), "3,1"),
    (Span("xr", (-5.0, 5.0), lo=-10, hi=10), "1"),
    (Numbers("s", [1.0], lo=-1000, hi=1000, max_len=3), "1,2,3,4"),
    (Numbers("s", [1.0], lo=-1000, hi=1000), "1,1e308"),
    (Text("layers", "4, 2", sample="8, 8"), "4,<b>x</b>"),
    (Text("layers", "4, 2", sample="8, 8", max_len=5), "1,2,3,4"),
])
def test_bad_values_fall_back_to_the_default(field, text):
    with pytest.raises(Invalid) as bad:
        field.parse(text)
    assert bad.value.value == field.default
    assert "in the link" in str(bad.value) and "using" in str(bad.value)


def test_an_activations_parameter_from_a_link_is_checked_against_its_slider():
    (alpha,) = page_state.param_fields("leaky_relu")
    assert alpha.parse("0.5") == 0.5
    for bad in ("abc", "nan", "inf", "-0.5", "7", "", "0.0005"):  # the last is off the slider's grid
        with pytest.raises(Invalid) as e:
            alpha.parse(bad)
        assert e.value.value == 0.01
    assert page_state.param_fields("relu") == []


def test_a_list_keeps_its_valid_part():
    with pytest.raises(Invalid) as bad:
        Choices("cs", ["a"], options=("a", "b")).parse("b,zzz,a")
    assert bad.value.value == ["b", "a"]


@pytest.mark.parametrize("text", [
    "[click me](https://evil.example)", "![x](https://evil.example/t.png)", "**bold**",
    ":red[alarm]", "$\\KaTeX$", "<img src=x onerror=alert(1)>", "`code` break", "www.evil.example",
    "a" * 500,
])
def test_echo_shows_only_safe_characters_inside_a_code_span(text):
    shown = echo(text)
    assert shown.startswith("`") and shown.count("`") == 2
    assert re.fullmatch(r"`[A-Za-z0-9 .,+\-_=/?]*(\.\.\.)?`", shown)
    assert len(shown) <= 40 + 5


def test_an_integer_parameter_gets_a_whole_number_field():
    for slug, act in REGISTRY.items():
        assert [f.integer for f in page_state.param_fields(slug)] == [p.integer for p in act.params], slug
    (k,) = page_state.param_fields("maxout")
    assert k.integer and type(k.default) is int and k.default == 2
    assert type(k.parse("3")) is int and k.parse("3") == 3 and k.format(3) == "3"
    with pytest.raises(Invalid):
        k.parse("2.5")


def test_the_vanishing_pages_activations_are_the_lessons():
    from lessons import depth

    assert page_state.DEPTH_SLUGS == depth.DEPTH_SLUGS


# -- Every page: a copied link reopens the same settings ------------------------------------

def cases():
    for page, entry in page_state.PAGES.items():
        state = entry.state
        # ``section`` is where a link lands, once (runtime.landing): the page's state, not a setting
        static = {f.name: f.example() for f in state._fields if f.control}
        yield pytest.param(page, state, static, id=page)
    for slug in page_state.SLUGS:  # the gallery's per-activation parameters
        fields = page_state.param_fields(slug)
        if fields:
            yield pytest.param("pages/gallery.py", page_state.GALLERY,
                               {"act": slug, **{f.name: f.example() for f in fields}}, id=f"gallery-{slug}")


def values(at, state, names):
    out = {}
    for f in state.fields(at.session_state):
        key = state.key(f.key or f.name)
        out[f.name] = at.session_state[key] if key in at.session_state else f.default
    return {n: v for n, v in out.items() if n in names}


def _cuda() -> bool:
    import torch

    return torch.cuda.is_available()


@pytest.mark.parametrize("page, state, settings", list(cases()))
def test_a_copied_link_reopens_every_setting(page, state, settings):
    fields = {f.name: f for f in state._fields}
    query = {name: (fields[name].format(v) if name in fields else str(v)) for name, v in settings.items()}
    at = open_page(page, timeout=120, **query)
    assert not at.exception and not at.session_state[state.key("_warnings")]
    shown = values(at, state, settings)
    if settings.get("device") == "cuda" and not _cuda():
        settings = {**settings, "device": "cpu"}  # the lab falls back, with a note, where there is no GPU
    for name, v in settings.items():
        assert shown[name] == pytest.approx(v) if isinstance(v, float) else shown[name] == v, name
    link = {k: v for k, v in at.query_params.items()}
    again = open_page(page, timeout=120, **link)
    assert not again.exception and not again.session_state[state.key("_warnings")]
    assert values(again, state, settings) == shown
    # The widgets drawn show the same values as the state.
    for w in [*again.slider, *again.selectbox, *again.multiselect, *again.number_input]:
        if w.key and w.key.startswith(state.page + "."):
            assert w.value == again.session_state[w.key], w.key


# -- Navigation: the sidebar keeps a page's settings, a link sets them ----------------------

def test_leaving_a_page_and_coming_back_through_the_sidebar_keeps_its_settings():
    at = open_page("pages/gallery.py", act="elu", alpha="0.5", view="Compare")
    at.switch_page("pages/home.py").run()
    at.query_params.clear()  # the sidebar opens a page without a query
    at.switch_page("pages/gallery.py").run()
    assert not at.exception
    assert at.selectbox(key="gallery.act").value == "elu"
    assert at.session_state["gallery.elu.alpha"] == 0.5 and at.session_state["gallery.view"] == "Compare"
    assert {"act": "elu", "alpha": "0.5", "view": "Compare"}.items() <= dict(at.query_params.items()).items()


def test_a_link_opened_in_the_same_session_sets_the_page_it_names():
    at = open_page("pages/gallery.py", act="elu", alpha="0.5")
    at.switch_page("pages/home.py").run()
    at.query_params.clear()
    at.query_params.update({"act": "leaky_relu", "alpha": "0.2"})  # a lesson's "try it" link
    at.switch_page("pages/gallery.py").run()
    assert at.session_state["gallery.act"] == "leaky_relu" and at.session_state["gallery.leaky_relu.alpha"] == 0.2
    assert at.session_state["gallery.elu.alpha"] == 0.5  # other activations keep theirs


def test_switching_activation_and_back_keeps_its_parameters():
    at = open_page("pages/gallery.py", act="elu", alpha="0.5")
    at.selectbox(key="gallery.act").set_value("relu").run()
    at.selectbox(key="gallery.act").set_value("elu").run()
    assert at.slider(key="gallery.elu.alpha").value == 0.5


def test_the_training_lab_keeps_its_settings_when_a_student_comes_back():
    at = open_page("pages/training_lab.py")
    at.slider(key="training.epochs").set_value(123).run()
    at.multiselect(key="training.activations").set_value(["elu", "selu"]).run()
    at.query_params.clear()
    at.switch_page("pages/gallery.py").run()
    at.query_params.clear()
    at.switch_page("pages/training_lab.py").run()
    assert at.slider(key="training.epochs").value == 123
    assert at.multiselect(key="training.activations").value == ["elu", "selu"]


# -- Presenter mode: one setting for the whole visit -----------------------------------------

def test_presenter_mode_survives_every_page_change():
    at = open_page("pages/gallery.py", present="1")
    assert at.session_state["app.present"] is True and at.query_params["present"] == "1"
    at.query_params.clear()  # the sidebar's navigation opens a page without a query
    at.switch_page("pages/dead_neurons.py").run()
    assert at.session_state["app.present"] is True
    assert at.query_params["present"] == "1"  # and the link the page writes carries it
    at.query_params.clear()
    at.query_params.update({"act": "elu"})  # a link that says nothing of presenter mode
    at.switch_page("pages/gallery.py").run()
    assert at.session_state["app.present"] is True and dict(at.query_params.items()) == {"present": "1", "act": "elu"}
    at.session_state["app.present"] = False  # the sidebar's switch turns it off
    at.query_params.clear()
    at.switch_page("pages/course.py").run()
    assert at.session_state["app.present"] is False and "present" not in at.query_params


def test_the_courses_try_links_carry_presenter_mode():
    at = open_page("pages/course.py", present="1", lesson="dying-relu", step="2")
    links = [link.proto for link in at.get("page_link")]
    assert links and all("present=1" in link.query_string for link in links), [l.query_string for l in links]
    plain = open_page("pages/course.py", lesson="dying-relu", step="2")
    assert not any("present" in link.proto.query_string for link in plain.get("page_link"))


# -- A link that already says the state is left as it is (Back stays one press) ---------------

@pytest.mark.parametrize("page, query", [
    ("pages/dead_neurons.py", {"step": "1", "die_lr": "1.2"}),  # a default written out
    ("pages/vanishing_gradients.py", {"norm_depth": "50"}),  # only the default
    ("pages/gallery.py", {"alpha": "0.50", "act": "elu"}),  # another spelling, another order
])
def test_a_link_that_says_the_state_is_not_rewritten(page, query):
    at = open_page(page, **query)
    assert not at.exception and dict(at.query_params.items()) == query
    state = page_state.PAGES[page].state
    assert state.canonical(query, at.session_state) == state.query(at.session_state) != query


def test_a_link_is_rewritten_when_it_does_not_say_the_state():
    at = open_page("pages/gallery.py", act="elu", alpha="nan")
    assert dict(at.query_params.items()) == {"act": "elu"}  # the bad value fell back to the default


def test_after_landing_a_move_is_not_undone_by_the_link_it_came_with():
    at = open_page("pages/dead_neurons.py", step="1", die_lr="1.2")
    at.slider(key="dead.die_lr").set_value(0.8).run()
    assert at.session_state["dead.die_lr"] == 0.8 and at.query_params["die_lr"] == "0.8"


# -- Teachers' hide= links ------------------------------------------------------------------

def test_a_hidden_control_shows_its_value_as_text_in_its_place():
    at = open_page("pages/gallery.py", act="elu", alpha="0.5", hide="alpha,act")
    assert not at.exception and not at.warning
    assert not [s for s in at.slider if s.key == "gallery.elu.alpha"]
    assert not [s for s in at.selectbox if s.key == "gallery.act"]
    texts = [m.value for m in at.markdown]
    assert "α: **0.5**" in texts and "Activation: **ELU**" in texts
    assert at.session_state["gallery.elu.alpha"] == 0.5  # and the value still applies


@pytest.mark.parametrize("page, name, shown", [
    ("pages/training_lab.py", "lr", "Learning rate: **0.01**"),
    ("pages/dead_neurons.py", "die_act", "Compare ReLU with: **Leaky ReLU**"),
    ("pages/vanishing_gradients.py", "acts", "Activations: **"),
    ("pages/output_activations.py", "scores", "Scores, separated by commas: **10, 20, 30, 40**"),
    ("pages/course.py", "lesson", "Lesson: **"),
])
def test_any_control_of_any_page_can_be_hidden(page, name, shown):
    at = open_page(page, hide=name)
    assert not at.exception and not at.warning
    key = page_state.PAGES[page].state.key(name)
    assert not [w for kind in ("slider", "select_slider", "selectbox", "multiselect", "text_input")
                for w in getattr(at, kind) if w.key == key]
    assert any(m.value.startswith(shown) for m in at.markdown), [m.value for m in at.markdown][:20]


def test_an_unknown_name_in_hide_gets_one_quiet_note():
    at = open_page("pages/gallery.py", act="elu", hide="alpha,nosuch")
    assert not at.exception and not at.warning
    notes = [c.value for c in at.caption if "nosuch" in c.value]
    assert len(notes) == 1 and "does not have" in notes[0]
    assert not [s for s in at.slider if s.key == "gallery.elu.alpha"]


def test_every_name_a_link_can_hide_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for file, entry in page_state.PAGES.items():
        row = next((line for line in readme.splitlines() if line.startswith(f"| `{file}`")), "")
        for name in entry.state.hideable:
            if not name.startswith("layer_") or name == "layer_0":
                assert f"`{name}`" in row, (file, name)


def test_the_share_panel_builds_the_link_with_the_ticked_controls_hidden():
    from streamlit.testing.v1 import AppTest

    # The panel is in app.py's sidebar, which AppTest draws on a session's first run only
    # (runtime/navigation.py): the ticks are set before it.
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.switch_page("pages/gallery.py")
    at.query_params.update({"act": "elu", "alpha": "0.5"})
    at.session_state["share.gallery"] = ["alpha", "view"]
    at.run()
    assert at.multiselect(key="share.gallery").value == ["alpha", "view"]
    link = at.get("code")[-1].value
    assert link.endswith("?act=elu&alpha=0.5&hide=alpha,view"), link
    again = open_page("pages/gallery.py", **dict(pair.split("=") for pair in link.split("?")[1].split("&")))
    assert not [s for s in again.slider if s.key == "gallery.elu.alpha"]


# -- One list of pages ----------------------------------------------------------------------

@pytest.mark.parametrize("file", list(page_state.PAGES))
def test_each_page_takes_its_heading_from_the_list_of_pages(file):
    at = open_page(file)
    assert at.title[0].value == page_state.PAGES[file].state.heading == (page_state.PAGES[file].heading
                                                                         or page_state.PAGES[file].title)


def test_every_icon_is_a_material_icon():
    assert all(p.icon.startswith(":material/") and p.icon.endswith(":") for p in page_state.PAGES.values())


def test_a_toggle_label_wraps_instead_of_being_cut():
    """In a narrow column (the Training lab's set-up in presenter mode at 1024 px) Streamlit cuts a
    toggle's label with "…" unless the widget is asked to wrap it."""
    from runtime.page_state import PAGES

    flags = [f for page in PAGES.values() for f in page.state.fields() if isinstance(f, Flag)]
    assert flags and all(f.widget_args()["wrap"] is True for f in flags)
