"""Lesson text: the Markdown files in ``lessons/text``."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

TEXT = Path(__file__).parent / "text"


@lru_cache(maxsize=None)
def read(name: str) -> str:
    """The Markdown of ``lessons/text/<name>.md``."""
    return (TEXT / f"{name}.md").read_text(encoding="utf-8")
