"""One URL state for every page, declared once.

As TensorFlow Playground declares every URL field once (``PROPS`` in its ``state.ts``) with one
reader and one writer, a page here lists its fields (name, type, range or options, default) in
one ``UrlState``; nothing else on the page reads or writes ``st.query_params``.

- ``load()``, on the page's first run in a session, reads the link. A value that is not valid
  gets a warning in plain words and the default. The link is untrusted: its text is echoed only
  through ``echo``, so it can never render as Markdown, a link, an image, colour or KaTeX.
- Each field's value lives in ``st.session_state`` under a key prefixed by the page
  (``gallery.act``), and widgets bind to it with ``**state.bind(name)``, which also keeps the
  value for the whole session when the widget is not drawn (another page, another view, another
  step): leaving a page and coming back loses nothing.
- ``sync()`` writes every value that differs from its default back into the address bar, so a
  copied link reopens exactly what is on screen.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any, Callable, Sequence

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


@dataclass(frozen=True)
class Field:
    """One setting of a page: its URL name, default, and the words that name it in a message.
    ``key`` is its name in the page's session state (default: ``name``). A ``shared`` field
    (presenter mode) belongs to the whole app: every page reads and writes it, under ``app.``."""

    name: str
    default: Any
    label: str = ""
    key: str = ""
    shared: bool = False

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


@dataclass(frozen=True)
class Number(Field):
    """A number in [lo, hi]; a whole one if ``integer``; on the slider's grid lo + k·step if
    ``step`` is given; one of ``grid`` if that is given (a select-slider's values)."""

    lo: float = 0.0
    hi: float = 1.0
    integer: bool = False
    step: float = 0.0
    grid: tuple = ()

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

    def parse(self, text: str):
        if text not in self.options:
            raise self.invalid(text, "is not one of the choices")
        return text

    def show(self, value) -> str:
        return (self.names or {}).get(value, value)

    def example(self):
        return next(o for o in self.options if o != self.default)


@dataclass(frozen=True)
class Choices(Field):
    """Several of ``options``, comma-separated in the link; repeats collapse, order is kept."""

    options: tuple = ()
    names: Any = None

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


@dataclass(frozen=True)
class Span(Field):
    """Two numbers a < b in [lo, hi], written ``a,b``."""

    lo: float = 0.0
    hi: float = 1.0

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

    def parse(self, text: str):
        if len(text) > self.max_len or not re.fullmatch(f"[{self.allowed}]*", text):
            raise self.invalid(text, f"is not {self.hint} (at most {self.max_len} characters)")
        return text

    def show(self, value) -> str:
        return echo(value)

    def example(self):
        return self.sample


class UrlState:
    """A page's settings: declared once, read from the link once a session, written back on
    every run. ``more(get)`` may add fields that depend on other fields' values, read with
    ``get(key)`` (the gallery's parameters depend on the chosen activation)."""

    def __init__(self, page: str, fields: Sequence[Field],
                 more: Callable[[Callable], Sequence[Field]] | None = None,
                 presets: tuple[str, dict[str, dict[str, Any]]] | None = None):
        names = tuple(f.key or f.name for f in fields if not f.shared)
        # A teacher's link can hide controls (as TensorFlow Playground's classroom links do):
        # the hidden widgets are not drawn, their values still apply.
        hide = Choices("hide", [], "hidden controls", options=names)
        self.page, self._fields, self._more = page, (*fields, hide), more
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

    def __getitem__(self, key: str):
        """A field's current value, by its session-state ``key`` (or name)."""
        if self.key(key) in st.session_state:
            return st.session_state[self.key(key)]
        f = next((f for f in self.fields() if (f.key or f.name) == key), None)
        return f.default if f else None

    def __setitem__(self, key: str, value) -> None:
        st.session_state[self.key(key)] = value

    def widget(self, name: str, draw: Callable, *args, **kwargs):
        """Draw ``draw(*args, **kwargs)`` bound to the field ``name`` and return its value; if
        the link hides the control, draw nothing and return the field's value."""
        if name in self["hide"]:
            return self[name]
        return draw(*args, **kwargs, **self.bind(name))

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

    def title(self, text: str) -> None:
        """The page's title, and under it what was wrong with the link, in plain words."""
        st.title(text)
        self.warn()

    def load(self) -> None:
        """Every field from the link, or its default: on the page's first run in this session,
        and whenever the page is opened with a link other than the one it last wrote (a lesson's
        "try it" link, the browser's back button). Opened with no link (the sidebar), the page
        keeps the session's values."""
        ss = st.session_state
        raw = st.query_params.to_dict()
        if ss.get(self.key("_loaded")) and (not raw or raw == ss.get(self.key("_synced"))):
            return
        warnings = []
        preset = self._presets[1].get(raw.get(self._presets[0]), {}) if self._presets else {}

        def take(fields):
            for f in fields:
                value = preset.get(f.name, f.default)
                value = list(value) if isinstance(value, tuple) and isinstance(f.default, list) else value
                if f.name in raw:
                    try:
                        value = f.parse(raw[f.name])
                    except Invalid as bad:
                        warnings.append(str(bad))
                        value = bad.value
                ss[self.key(f.key or f.name)] = value

        take(self._fields)
        take(self.fields()[len(self._fields):])
        ss[self.key("_warnings")], ss[self.key("_loaded")], ss[self.key("_synced")] = warnings, True, raw

    def warn(self) -> None:
        """Show what was wrong with the link, in plain words."""
        for message in st.session_state.get(self.key("_warnings"), ()):
            st.warning(message, icon="⚠️")

    def query(self) -> dict[str, str]:
        """The link's query: every field whose value differs from its default."""
        q = {}
        for f in self.fields():
            value = st.session_state.get(self.key(f.key or f.name), f.default)
            if value != f.default:
                q[f.name] = f.format(value)
        return q

    def sync(self) -> None:
        """Write the current values into the address bar (only when they changed)."""
        q = self.query()
        if st.query_params.to_dict() != q:
            st.query_params.from_dict(q)
        st.session_state[self.key("_synced")] = q
