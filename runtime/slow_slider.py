"""A slider whose values are expensive: one helper for the lesson pages' recomputing sliders.

Each value is computed once per server (``runtime.memo.Memo``). While a learner looks at one
value, the values one step away (in the direction the slider last moved, first) are computed
ahead, and the rest of the slider's range, nearest first, in a low-priority process, so the next
key press is a memo hit. A miss shows a spinner. The rules behind this are in
docs/benchmarks.md ("Performance rules")."""
from __future__ import annotations

from typing import Sequence

import streamlit as st

from .memo import Memo


def memo_slider(memo: Memo, keys: dict[str, tuple], grid: Sequence, at: int, name: str,
                spinner: str = "Computing…") -> dict:
    """``{label: memo(*key)}`` for ``keys`` (label → memo key), whose element ``at`` is the
    slider's value, one of ``grid``. ``name`` identifies the slider in the session."""
    if all(memo.ready(*k) for k in keys.values()):
        results = {label: memo(*k) for label, k in keys.items()}
    else:
        with st.spinner(spinner):
            results = {label: memo(*k) for label, k in keys.items()}
    value = next(iter(keys.values()))[at]
    last = f"slow_slider.{name}"
    sign = 1 if value >= st.session_state.get(last, value) else -1
    st.session_state[last] = value
    i = min(range(len(grid)), key=lambda j: abs(grid[j] - value))

    def keys_at(v):
        return [k[:at] + (v,) + k[at + 1:] for k in keys.values()]

    memo.ahead(*[k for j in (i + sign, i - sign) if 0 <= j < len(grid) for k in keys_at(grid[j])])
    memo.warm(*[k for v in sorted(grid, key=lambda v: abs(v - value)) for k in keys_at(v)])
    return results
