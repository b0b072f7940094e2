"""The step-by-step lab's board, a Streamlit component (``st.components.v2.component``: HTML, CSS
and JavaScript inline, no build step) that trains in the student's browser.

Its JavaScript and CSS live beside this file: ``engine.js`` (the networks, their training and the
seeded generator, in float64; a plain script the browser tests load on their own) and ``board.js``
(the controls and the pictures, an ES module that uses the engine), ``board.css``. ``board``
mounts it with the set-up ``training.stepwise_setup.handout`` computed, the settings that apply
without a reset, and the palette's colours; it returns the summary the browser sent at its last
pause (epoch, losses, errors, dead units), or None."""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from charts import palette

HERE = Path(__file__).parent
ENGINE_JS = (HERE / "engine.js").read_text(encoding="utf-8")
_BOARD = st.components.v2.component(
    "relu_lab.stepwise_board",
    js=ENGINE_JS + "\n" + (HERE / "board.js").read_text(encoding="utf-8"),
    css=(HERE / "board.css").read_text(encoding="utf-8"),
)


def colours(activations) -> dict:
    """The palette's colours for the board: signs and classes, dead units, focus, and one line
    colour per compared activation."""
    primary = st.get_option("theme.primaryColor") or "#d9480f"
    return {"palette": {"negative": palette.NEGATIVE, "zero": palette.ZERO, "positive": palette.POSITIVE,
                        "classes": list(palette.CLASSES), "dead": palette.DEAD, "focus": primary,
                        "primary": primary, "text": "#31333f", "lines": "#9aa0a6"},
            "colours": palette.colours(list(activations))}


def board(setup: dict, live: dict, max_epochs: int, key: str = "stepwise_board"):
    """Mount the board; the summary of the last pause (a dict) or None."""
    data = {"setup": setup, "live": live, "max_epochs": max_epochs,
            **colours([a["slug"] for a in setup["activations"]])}
    result = _BOARD(key=key, data=data, default={"summary": None}, on_summary_change=lambda: None)
    return result.get("summary")
