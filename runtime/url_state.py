"""One URL state for every page, declared once.

As TensorFlow Playground declares every URL field once (``PROPS`` in its ``state.ts``) with one
reader and one writer, a page here lists its fields (name, type, range or options, default) in
one ``UrlState``; nothing else on the page reads or writes ``st.query_params``.

- ``load()``, on the page's first run in a session, reads the link. A value that is not valid
  gets a warning in plain words and the default. The link is untrusted: its text is echoed only
  through ``echo``, so it can never render as Markdown, a link, an image, colour or KaTeX.
- Each field's value lives in ``st.session_state`` under a key prefixed by the page
  (``gallery.act``). ``input(name, where)`` draws the field's widget from its declaration (label,
  range, step, options and their names, help, widget kind) bound to it, which also keeps the
  value for the whole session when the widget is not drawn (another page, another view, another
  step): leaving a page and coming back loses nothing. A control the link hides (``hide=``) is
  shown as its value in plain text.
- ``sync()`` writes every value that differs from its default back into the address bar, so a
  copied link reopens exactly what is on screen; a link that already says the state is left as
  it is (each write adds a browser-history entry).
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any, Callable, Sequence
from urllib.parse import urlencode

import streamlit as st

from .navigation import ensure_navigation

_UNSAFE = re.compile(r"[^A-Za-z0-9 .,+\-_=/]")


def echo(text: object, limit: int = 40) -> str:
    """Untrusted text for a message: at most ``limit`` characters, only letters, digits, space
    and ``. , + - _ = /`` (anything else becomes ``?``), inside a code span, where Markdown,
    HTML, links, images and maths do not render."""
    text = str(text)
    shown = _UNSAFE.sub("?", text[:limit]) + ("..." if len(text) > limit else "")
    return f"`{shown}`" if shown.strip() else "(empty)"


class Invalid(ValueError):
    """A link value that cannot be used; ``value`` is what is used instead (the default, or
    the valid part of a list)."""

    def __init__(self, message: str, value: Any):
        super().__init__(message)
        self.value = value


def _fmt(v: float) -> str:
    return f"{v:.6g}".replace("-", "−")


#: The widget each kind of field gets unless its declaration names another (``kind``).
WIDGETS = ("slider", "select_slider", "number_input", "selectbox", "radio", "segmented_control", "multiselect",
           "pills", "toggle", "text_input")


@dataclass(frozen=True)
class Field:
    """One setting of a page: its URL name, default, and the words that name it in a message.
    ``key`` is its name in the page's session state (default: ``name``). A ``shared`` field
    (presenter mode) belongs to the whole app: every page reads and writes it, under ``app.``.

    The field also declares its widget, which ``UrlState.input`` builds from it: ``title`` (the
    widget's label), ``help``, and ``kind``, one of ``WIDGETS`` (default: the usual one for the
    field's type). A page only says which field goes where. A field that is no ``control`` has no
    widget (where a link lands, ``section``): a link cannot hide it."""

    name: str
    default: Any
    label: str = ""
    key: str = ""
    shared: bool = False
    title: str = ""
    help: str = ""
    kind: str = ""
    control: bool = True

    @property
    def words(self) -> str:
        return self.label or self.name

    def invalid(self, text: str, why: str, value: Any = None) -> Invalid:
        shown = self.show(self.default) if value is None else self.show(value)
        words = self.words[:1].upper() + self.words[1:] if self.words[:1].isascii() else self.words
        return Invalid(f"{words} = {echo(text)} in the link {why}; using {shown}.",
                       self.default if value is None else value)

    def parse(self, text: str) -> Any:  # pragma: no cover - every field type overrides it
        raise NotImplementedError

    def format(self, value: Any) -> str:
        return str(value)

    def show(self, value: Any) -> str:
        return self.format(value)

    def example(self) -> Any:
        """A valid value other than the default (for the round-trip tests)."""
        raise NotImplementedError

    @property
    def widget(self) -> str:
        """The Streamlit widget that shows this field (``st.<widget>``)."""
        return self.kind or self.usual_widget

    usual_widget = "text_input"

    def widget_args(self) -> dict:
        """The widget's arguments as declared: label, range or options, step, help."""
        args = {"label": self.title or self.words[:1].upper() + self.words[1:]}
        if self.help:
            args["help"] = self.help
        return args


@dataclass(frozen=True)
class Number(Field):
    """A number in [lo, hi]; a whole one if ``integer``; on the slider's grid lo + k·step if
    ``step`` is given; one of ``grid`` if that is given (a select-slider's values)."""

    lo: float = 0.0
    hi: float = 1.0
    integer: bool = False
    step: float = 0.0
    grid: tuple = ()
    increment: float = 0.0  # the widget's step where the link may hold any value (a number input's ±)
    fmt: str = ""  # the widget's number format, e.g. "%.4g"

    @property
    def usual_widget(self) -> str:
        return "select_slider" if self.grid else "slider"

    def options(self) -> tuple:
        """A select-slider's or select box's values: the grid, or every whole number in range."""
        return self.grid or tuple(range(int(self.lo), int(self.hi) + 1))

    def widget_args(self) -> dict:
        args = super().widget_args()
        if self.widget in ("select_slider", "selectbox", "radio", "segmented_control"):
            args["options"] = self.options()
            if self.widget == "segmented_control":
                args["required"] = True
            return args
        cast = int if self.integer else float
        args.update(min_value=cast(self.lo), max_value=cast(self.hi))
        step = self.step or self.increment
        if step or self.integer:
            args["step"] = cast(step or 1)
        if self.fmt:
            args["format"] = self.fmt
        return args

    def parse(self, text: str):
        try:
            v = float(text)
        except ValueError:
            v = math.nan
        kind = "a whole number" if self.integer else "a number"
        if not (math.isfinite(v) and self.lo <= v <= self.hi) or (self.integer and not v.is_integer()):
            raise self.invalid(text, f"is not {kind} from {_fmt(self.lo)} to {_fmt(self.hi)}")
        if self.grid and not any(math.isclose(v, g, rel_tol=1e-9) for g in self.grid):
            raise self.invalid(text, f"is not one of {', '.join(_fmt(g) for g in self.grid)}")
        if self.grid:
            v = next(g for g in self.grid if math.isclose(v, g, rel_tol=1e-9))
        if self.step:
            k = round((v - self.lo) / self.step)
            if abs(self.lo + k * self.step - v) > 1e-9 * max(1.0, abs(v)):
                raise self.invalid(text, f"is not a step of {_fmt(self.step)} from {_fmt(self.lo)}")
        return int(v) if self.integer else v

    def format(self, value) -> str:
        return str(int(value)) if self.integer else f"{value:.6g}"

    def show(self, value) -> str:
        return _fmt(value)

    def example(self):
        if self.grid:
            return next(g for g in reversed(self.grid) if g != self.default)
        v = self.hi if self.default != self.hi else self.lo
        if self.step:  # the grid's last point
            v = min(round(self.lo + math.floor((v - self.lo) / self.step + 1e-9) * self.step, 9), self.hi)
        return int(v) if self.integer else float(v)


@dataclass(frozen=True)
class Choice(Field):
    """One of ``options``; ``names`` (a dict) gives the words a message uses for an option."""

    options: tuple = ()
    names: Any = None

    usual_widget = "selectbox"

    def parse(self, text: str):
        if text not in self.options:
            raise self.invalid(text, "is not one of the choices")
        return text

    def widget_args(self) -> dict:
        args = {**super().widget_args(), "options": self.options}
        if self.names:
            args["format_func"] = self.show
        if self.widget == "segmented_control":
            args["required"] = True
        return args

    def show(self, value) -> str:
        return (self.names or {}).get(value, value)

    def example(self):
        return next(o for o in self.options if o != self.default)


@dataclass(frozen=True)
class Choices(Field):
    """Several of ``options``, comma-separated in the link; repeats collapse, order is kept."""

    options: tuple = ()
    names: Any = None

    usual_widget = "multiselect"

    def widget_args(self) -> dict:
        args = {**super().widget_args(), "options": self.options}
        if self.names:
            args["format_func"] = lambda v: self.names.get(v, v)
        if self.widget == "pills":
            args["selection_mode"] = "multi"
        return args

    def parse(self, text: str):
        chosen = list(dict.fromkeys(s for s in text.split(",") if s))
        known = [s for s in chosen if s in self.options]
        unknown = [s for s in chosen if s not in self.options]
        if unknown:
            raise self.invalid(",".join(unknown), "names unknown choices, left out", known)
        return known

    def format(self, value) -> str:
        return ",".join(value)

    def show(self, value) -> str:
        return ", ".join((self.names or {}).get(v, v) for v in value) or "none"

    def example(self):
        return [o for o in self.options if o not in self.default][:2] or list(self.options[:1])


@dataclass(frozen=True)
class Flag(Field):
    usual_widget = "toggle"

    def parse(self, text: str):
        if text.lower() in ("1", "true", "yes", "on"):
            return True
        if text.lower() in ("0", "false", "no", "off"):
            return False
        raise self.invalid(text, "is not 1 or 0")

    def format(self, value) -> str:
        return "1" if value else "0"

    def show(self, value) -> str:
        return "on" if value else "off"

    def example(self):
        return not self.default

    def widget_args(self) -> dict:
        # The label wraps instead of ending in "…" where a column is narrow (presenter mode at
        # 1024 px cut the Training lab's "One activation per layer" to "One activation p…").
        return {**super().widget_args(), "wrap": True}


@dataclass(frozen=True)
class Span(Field):
    """Two numbers a < b in [lo, hi], written ``a,b``."""

    lo: float = 0.0
    hi: float = 1.0
    increment: float = 0.0

    usual_widget = "slider"

    def widget_args(self) -> dict:
        args = {**super().widget_args(), "min_value": float(self.lo), "max_value": float(self.hi)}
        if self.increment:
            args["step"] = float(self.increment)
        return args

    def parse(self, text: str):
        try:
            a, b = (float(t) for t in text.split(","))
        except ValueError:
            a = b = math.nan
        if not (self.lo <= a < b <= self.hi):
            raise self.invalid(text, f"is not two numbers a < b from {_fmt(self.lo)} to {_fmt(self.hi)}")
        return (a, b)

    def format(self, value) -> str:
        return f"{value[0]:.6g},{value[1]:.6g}"

    def show(self, value) -> str:
        return f"{_fmt(value[0])} to {_fmt(value[1])}"

    def example(self):
        return (self.lo, self.hi) if tuple(self.default) != (self.lo, self.hi) else (self.lo, (self.lo + self.hi) / 2)


@dataclass(frozen=True)
class Numbers(Field):
    """A list of numbers, comma-separated, each in [lo, hi], between ``min_len`` and
    ``max_len`` of them."""

    lo: float = -1e3
    hi: float = 1e3
    min_len: int = 1
    max_len: int = 10

    def parse(self, text: str):
        try:
            values = [float(t) for t in text.split(",")]
        except ValueError:
            values = [math.nan]
        if not (self.min_len <= len(values) <= self.max_len
                and all(math.isfinite(v) and self.lo <= v <= self.hi for v in values)):
            raise self.invalid(text, f"is not {self.min_len} to {self.max_len} numbers from "
                                     f"{_fmt(self.lo)} to {_fmt(self.hi)}, separated by commas")
        return values

    def format(self, value) -> str:
        return ",".join(f"{v:.6g}" for v in value)

    def show(self, value) -> str:
        return ", ".join(_fmt(v) for v in value)

    def example(self):
        return [self.lo] * self.min_len if list(self.default) != [self.lo] * self.min_len else [self.hi] * self.min_len


@dataclass(frozen=True)
class Text(Field):
    """Short text a widget reads as the student types it (a text input): at most ``max_len``
    characters, each matching ``allowed`` (a regular-expression character class). Whether it makes
    sense is the page's to say, through the library that reads it; ``sample`` is a valid value other
    than the default (for the round-trip tests)."""

    max_len: int = 40
    allowed: str = "0-9 ,"
    sample: str = ""
    hint: str = "short text"  # what the field holds, for the message: "whole numbers separated by commas"

    def widget_args(self) -> dict:
        return {**super().widget_args(), "max_chars": self.max_len}

    def parse(self, text: str):
        if len(text) > self.max_len or not re.fullmatch(f"[{self.allowed}]*", text):
            raise self.invalid(text, f"is not {self.hint} (at most {self.max_len} characters)")
        return text

    def show(self, value) -> str:
        return echo(value)

    def example(self):
        return self.sample


@dataclass(frozen=True)
class Hide(Choices):
    """``hide=``: the controls a teacher's link hides. A name the page does not have is left out
    with a quiet note (``UrlState.warn`` shows it as a caption, not a warning box)."""

    def parse(self, text: str):
        chosen = list(dict.fromkeys(s for s in text.split(",") if s))
        unknown = [s for s in chosen if s not in self.options]
        if unknown:
            raise Invalid(f"This link hides {echo(','.join(unknown))}, which this page does not have; "
                          "the rest is hidden as asked.", [s for s in chosen if s in self.options])
        return chosen


class UrlState:
    """A page's settings: declared once, read from the link once a session, written back on
    every run. ``more(get)`` may add fields that depend on other fields' values, read with
    ``get(key)`` (the gallery's parameters depend on the chosen activation); ``more_names`` are
    the URL names ``more`` can add, so a link may hide them whichever fields are current."""

    def __init__(self, page: str, fields: Sequence[Field],
                 more: Callable[[Callable], Sequence[Field]] | None = None, more_names: Sequence[str] = (),
                 presets: tuple[str, dict[str, dict[str, Any]]] | None = None):
        names = tuple(dict.fromkeys((*(f.name for f in fields if f.control and not f.shared), *more_names)))
        # A teacher's link can hide controls (as TensorFlow Playground's classroom links do):
        # a hidden control's value is shown as text in its place, and still applies.
        hide = Hide("hide", [], "hidden controls", options=names)
        self.page, self._fields, self._more = page, (*fields, hide), more
        self.heading = page  # the list of pages (``Page``) gives each state its page's heading
        # (field, {option: {field: value}}): a link that names a preset takes its values for every
        # field the link does not set itself (the training lab's presets).
        self._presets = presets
        names = [f.name for f in self._fields]
        assert len(names) == len(set(names)), f"{page}: a URL name is declared twice"

    def key(self, name: str) -> str:
        """The session-state key of a field (by its ``key``, or its name)."""
        if any(f.shared and (f.key or f.name) == name for f in self._fields):
            return f"app.{name}"
        return f"{self.page}.{name}"

    def fields(self, session=None) -> tuple[Field, ...]:
        """Every field; ``more`` sees the values in ``session`` (default: this session's)."""
        if not self._more:
            return self._fields
        session = st.session_state if session is None else session
        static = {f.key or f.name: f.default for f in self._fields}

        def get(key):
            return session[self.key(key)] if self.key(key) in session else static.get(key)

        return self._fields + tuple(self._more(get))

    def field(self, key: str) -> Field:
        """A field, by its session-state ``key`` (or name)."""
        found = next((f for f in self.fields() if (f.key or f.name) == key), None)
        if found is None:
            raise KeyError(f"{self.page} declares no field {key!r}")
        return found

    def __getitem__(self, key: str):
        """A field's current value, by its session-state ``key`` (or name)."""
        if self.key(key) in st.session_state:
            return st.session_state[self.key(key)]
        f = next((f for f in self.fields() if (f.key or f.name) == key), None)
        return f.default if f else None

    def __setitem__(self, key: str, value) -> None:
        st.session_state[self.key(key)] = value

    def hidden(self, key: str) -> bool:
        """Whether the link hides this field's control."""
        return self.field(key).name in self["hide"]

    def input(self, key: str, where=None, **overrides):
        """The field's widget, built from its declaration (``Field.widget_args``), drawn in
        ``where`` (a column, the sidebar; default: the page) and bound to the field; returns its
        value. ``overrides`` are what only the page knows: a range or options narrowed to what
        the data allows (inside the declared ones), ``disabled``, ``on_change``, layout. If the
        link hides the control, its value is shown as text in its place."""
        f = self.field(key)
        where = st if where is None else where
        args = {**f.widget_args(), **overrides}
        if f.name in self["hide"]:
            shown = f.show(self[key])
            if "format_func" in args and not isinstance(self[key], (list, tuple)):
                shown = args["format_func"](self[key])
            where.markdown(f"{args['label']}: **{shown}**")
            return self[key]
        return getattr(where, f.widget)(**args, **self.bind(key))

    def bind(self, name: str) -> dict:
        """Keyword arguments that bind a widget to a field and keep its value while it is not
        drawn (``persist_state="session"``)."""
        return {"key": self.key(name), "persist_state": "session"}

    def open(self) -> "UrlState":
        """A page's first call: the navigation guard (``runtime.navigation``), then the link's
        values (``load``). Returns the page's state."""
        ensure_navigation()
        self.load()
        return self

    def title(self) -> None:
        """The page's heading (from the list of pages, ``Page``), and under it what was wrong with
        the link, in plain words."""
        st.title(self.heading)
        self.warn()

    def load(self) -> None:
        """Every field from the link, or its default: on the page's first run in this session,
        and whenever the page is opened with a link other than the one it last wrote (a lesson's
        "try it" link, the browser's back button). Opened with no link (the sidebar), the page
        keeps the session's values. A shared field (presenter mode) is one setting for the whole
        visit: a link sets it, a link without it leaves it as it is."""
        ss = st.session_state
        raw = st.query_params.to_dict()
        if ss.get(self.key("_loaded")) and (not raw or raw == ss.get(self.key("_synced"))):
            return
        warnings, notes = [], []
        preset = self._preset(raw.get(self._presets[0]) if self._presets else None)

        def take(fields):
            for f in fields:
                value = self._base(f, preset)
                if f.shared and f.name not in raw:
                    ss.setdefault(self.key(f.key or f.name), f.default)
                    continue
                if f.name in raw:
                    try:
                        value = f.parse(raw[f.name])
                    except Invalid as bad:
                        (notes if isinstance(f, Hide) else warnings).append(str(bad))
                        value = bad.value
                ss[self.key(f.key or f.name)] = value

        take(self._fields)
        take(self.fields()[len(self._fields):])
        ss[self.key("_warnings")], ss[self.key("_notes")] = warnings, notes
        ss[self.key("_loaded")], ss[self.key("_synced")] = True, raw

    def warn(self) -> None:
        """Show what was wrong with the link, in plain words (an unknown name in ``hide=`` only
        as a quiet caption: the class sees it on the projector)."""
        for message in st.session_state.get(self.key("_warnings"), ()):
            st.warning(message, icon=":material/warning:")
        for message in st.session_state.get(self.key("_notes"), ()):
            st.caption(message)

    def _preset(self, chosen) -> dict[str, Any]:
        """The values of the preset ``chosen`` names ({} for none)."""
        return self._presets[1].get(chosen, {}) if self._presets else {}

    @staticmethod
    def _base(f: Field, preset: dict[str, Any]) -> Any:
        """A field's value when the link does not set it: the chosen preset's, else the default."""
        value = preset.get(f.name, f.default)
        return list(value) if isinstance(value, tuple) and isinstance(f.default, list) else value

    def query(self, session=None) -> dict[str, str]:
        """The link's query: every field whose value differs from what the link would give it
        without it (the chosen preset's value, else the default). So a preset link a student
        arrives by is already the page's link: no rewrite, no extra history entry."""
        session = st.session_state if session is None else session
        preset = self._preset(session.get(self.key(self._presets[0])) if self._presets else None)
        q = {}
        for f in self.fields(session):
            value = session.get(self.key(f.key or f.name), f.default)
            if value != self._base(f, preset):
                q[f.name] = f.format(value)
        return q

    @property
    def hideable(self) -> tuple[str, ...]:
        """The URL names a link may hide (``hide=``): every control the page can draw."""
        return self._fields[-1].options

    def canonical(self, raw: dict[str, str], session=None) -> dict[str, str] | None:
        """The query ``sync`` would write for the state a link describes (its values, the
        defaults for the rest), or None if the link holds a name or value this page would not
        accept as it is."""
        values, known = {}, {}
        for f in self.fields(session):
            known[f.name] = f
        for name, text in raw.items():
            if name not in known:
                return None
            try:
                values[name] = known[name].parse(text)
            except Invalid:
                return None
        preset = self._preset(values.get(self._presets[0]) if self._presets else None)
        return {n: known[n].format(v) for n, v in values.items() if v != self._base(known[n], preset)}

    def carry(self, query: dict[str, str]) -> dict[str, str]:
        """A link's query with the visit's shared settings added (presenter mode): every link
        the app writes carries them."""
        shared = {f.name: f.format(self[f.key or f.name]) for f in self._fields
                  if f.shared and self[f.key or f.name] != f.default}
        return {**shared, **query}

    def sync(self) -> None:
        """Write the current values into the address bar, only when the link there does not
        already say them (in another order or spelling, or with defaults written out): Streamlit
        adds a browser-history entry for each change of the query (``st.query_params`` pushes;
        see docs/architecture.md), so a link that lands as it is leaves Back one press from the
        page the student came from."""
        q = self.query()
        raw = st.query_params.to_dict()
        if raw != q and self.canonical(raw) != q:
            st.query_params.from_dict(q)
            raw = q
        st.session_state[self.key("_synced")] = raw

    def names(self) -> list[tuple[str, str]]:
        """(URL name, the control's label) of every control of the page as it is now."""
        return [(f.name, f.widget_args()["label"]) for f in self.fields() if not f.shared and f.name != "hide"]

    def share(self) -> None:
        """The "Share this view" panel: the link to this view, with the controls a teacher ticks
        hidden (``hide=``). A fragment: ticking a box rebuilds only the link, from the values now."""
        _share_panel(self)


@dataclass(frozen=True)
class Page:
    """One entry of the list of pages (``runtime.page_state.PAGES``): the page's file, its title
    (the navigation's label and the browser tab's title), its icon (a ``:material/…:`` name: the
    icon font ships with Streamlit, where an emoji needs a font the computer may lack) and its
    settings. ``heading`` is the title the page shows at its top (default: ``title``)."""

    file: str
    title: str
    icon: str
    state: UrlState
    heading: str = ""
    default: bool = False

    def __post_init__(self):
        self.state.heading = self.heading or self.title


@st.fragment
def _share_panel(state: UrlState) -> None:
    with st.expander("Share this view", icon=":material/share:"):
        names = dict(state.names())
        hide = st.multiselect("Hide these controls", list(names), format_func=lambda n: f"{names[n]} ({n})",
                              key=f"share.{state.page}",
                              help="Students who open the link see these values as text, not as controls.")
        query = {k: v for k, v in state.query().items() if k != "hide"}
        if hide:
            query["hide"] = ",".join(hide)
        base = (st.context.url or "").split("?")[0]
        st.code(base + ("?" + urlencode(query, safe=",") if query else ""), language=None, wrap_lines=True)
        st.caption("Copy the link with the button at its right. It holds every setting that differs from "
                   "the page's defaults.")
