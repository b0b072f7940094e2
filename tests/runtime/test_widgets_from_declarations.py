"""Every widget tied to the link is built from its field's declaration (runtime/page_state.py):
each page is rendered in AppTest, in the views that draw its widgets, and every widget's label,
help, range, step and options are compared with the field it is bound to. A page that narrows
a range or the options to what its data allows (the inspected x to the plot range, the devices
to those the server has) is listed in NARROWED: there the widget's must lie inside the
declaration's. (tests/architecture/test_imports.py checks the pages' source: no label or range
written in a page.)"""
import math

import pytest

from conftest import open_page
from runtime import page_state

#: Pages still built the older way (``STATE.widget``): the step-by-step lab, which is being
#: rewritten as a browser component; the lead converts it after merging.
UNCONVERTED = set()

#: The links that, together, draw every widget of a page.
VIEWS = {
    "pages/gallery.py": [{}, {"act": "rrelu"}, {"act": "elu", "view": "Compare"}, {"act": "rrelu", "view": "Scrub"},
                         {"act": "maxout"}],
    "pages/dead_neurons.py": [{}, {"step": "3", "act": "elu", "units": "4"}],
    "pages/output_activations.py": [{}, {"pair": "bernoulli"}],
    "pages/training_lab.py": [{}, {"per_layer": "1", "depth": "3"}],
}

#: (state, field) pairs whose widget the page narrows to what the data allows.
NARROWED = {("gallery", "x"), ("gallery", "cmp"), ("dead", "die_step"), ("training", "device"),
            ("training", "unit_model"), ("course", "lesson")}

#: Controls under a page's prefix that are not settings of the link: rows of preset buttons.
NOT_SETTINGS = {"dead.preset"}
#: Widgets that edit a field through their own key: the softmax scores' text box.
EDITS = {"outputs.scores_text": "scores"}

KINDS = ("slider", "select_slider", "number_input", "selectbox", "radio", "multiselect", "toggle", "text_input",
         "segmented_control", "pills")


def cases():
    for file, entry in page_state.PAGES.items():
        if file not in UNCONVERTED:
            for query in VIEWS.get(file, [{}]):
                yield pytest.param(file, entry.state, query, id=f"{file.split('/')[-1]}-{'&'.join(query) or 'default'}")


def options_of(widget) -> list[str]:
    return [getattr(o, "content", o) for o in widget.options]


def check(state, field, widget, kind: str) -> None:
    args = field.widget_args()
    narrowed = (state.page, field.key or field.name) in NARROWED
    where = f"{state.page}.{field.key or field.name}"
    assert kind == field.widget, f"{where}: drawn as {kind}, declared as {field.widget}"
    label = widget.label if hasattr(widget, "label") else widget.proto.label
    assert label == args["label"], where
    assert (widget.help if hasattr(widget, "help") else widget.proto.help) == args.get("help", ""), where
    if kind in ("slider", "number_input"):
        lo, hi = widget.min, widget.max
        if narrowed:
            assert args["min_value"] <= lo <= hi <= args["max_value"], (where, lo, hi)
        else:
            assert (lo, hi) == (args["min_value"], args["max_value"]), (where, lo, hi)
        if "step" in args:
            assert math.isclose(widget.step, args["step"]), (where, widget.step, args["step"])
    if "options" in args:
        fmt = args.get("format_func", str)
        declared = [fmt(o) for o in args["options"]]
        shown = options_of(widget)
        if narrowed:
            assert all(any(d in s for d in declared) for s in shown) or len(shown) <= len(declared), (where, shown)
        else:
            assert shown == declared, (where, shown, declared)


@pytest.mark.parametrize("file, state, query", list(cases()))
def test_every_widget_shows_its_declaration(file, state, query):
    at = open_page(file, timeout=120, **query)
    assert not at.exception, [e.value for e in at.exception]
    seen = 0
    for kind in KINDS:
        for widget in getattr(at, kind):
            key = widget.key or ""
            prefix = "app." if key.startswith("app.") else f"{state.page}."
            if not key.startswith(prefix) or key in NOT_SETTINGS:
                continue  # a control that is not a setting of the link (a preset row, the share panel)
            check(state, _field(state, at, EDITS.get(key, key[len(prefix):])), widget, kind)
            seen += 1
    assert seen, "no widget of the page's state was drawn"


def _field(state, at, key):
    for f in state.fields(at.session_state):
        if (f.key or f.name) == key:
            return f
    raise AssertionError(f"{state.page}: a widget bound to {key!r}, which is not declared")


def test_a_widget_that_differs_from_its_declaration_is_caught():
    """The check itself fails on a slider drawn with another range than its field's."""
    field = page_state.MDN.field("steps")

    class Drawn:
        label, help, min, max, step, key = "Training steps", "", 100, 5000, 100, "mdn.steps"

    with pytest.raises(AssertionError):
        check(page_state.MDN, field, Drawn(), "slider")
    Drawn.max = 4000
    check(page_state.MDN, field, Drawn(), "slider")
