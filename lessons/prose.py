"""Lesson text (Markdown files in ``lessons/text``) and checks of untrusted URL values."""
from __future__ import annotations

import math
from functools import lru_cache
from pathlib import Path

TEXT = Path(__file__).parent / "text"


@lru_cache(maxsize=None)
def read(name: str) -> str:
    """The Markdown of ``lessons/text/<name>.md``."""
    return (TEXT / f"{name}.md").read_text(encoding="utf-8")


def number(raw: dict, key: str, default: float, lo: float, hi: float, label: str | None = None):
    """``raw[key]`` as a finite number in [lo, hi]; otherwise the default and a warning."""
    if key not in raw:
        return default, None
    text = str(raw[key])
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if math.isfinite(value) and lo <= value <= hi:
        return value, None
    return default, (f"{label or key} = {text[:40]!r} in the link is not a number in [{lo:g}, {hi:g}]; "
                     f"using {default:g}.")


def choice(raw: dict, key: str, default: str, options, label: str | None = None):
    """``raw[key]`` if it is one of ``options``; otherwise the default and a warning."""
    if key not in raw:
        return default, None
    if raw[key] in options:
        return raw[key], None
    return default, f"{label or key} = {str(raw[key])[:40]!r} in the link is not one of the choices; using {default}."
