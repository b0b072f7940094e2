"""Sections of a long page: a short table of contents under the title, and a link that names a
section (``section=`` in the page's URL state, e.g. a lesson's "try it" link) opens the page
scrolled to it.

A section's heading carries an ``anchor`` (Streamlit gives the heading that element id); the
contents link to ``#anchor``, and landing runs a short script (``st.html`` with JavaScript) that
scrolls the heading into view, again while the charts above it are still growing, until the
student scrolls or clicks, for at most a few seconds."""
from __future__ import annotations

import json

import streamlit as st

#: How long the landed page keeps the section in view while the content above it is drawn (ms).
SETTLE_MS = 4000

_SCROLL = """<script>
(() => {
  const id = %s, until = Date.now() + %d;
  let moved = false;
  for (const e of ["wheel", "touchmove", "keydown", "mousedown"]) {
    window.parent.addEventListener(e, () => { moved = true; }, {once: true, capture: true});
  }
  const go = () => {
    const el = document.getElementById(id);
    if (el && !moved) el.scrollIntoView({block: "start"});
    if (!moved && Date.now() < until) setTimeout(go, 150);
  };
  go();
})();
</script>"""


def contents(sections: dict[str, str]) -> None:
    """A one-line table of contents: each section's title, linking to its heading."""
    st.markdown("On this page: " + " · ".join(f"[{title}](#{anchor})" for anchor, title in sections.items()))


def heading(sections: dict[str, str], anchor: str, sub: bool = False) -> None:
    """A section's heading, with its anchor."""
    (st.subheader if sub else st.header)(sections[anchor], anchor=anchor)


def land(state) -> None:
    """At the end of a page: if its link names a section, scroll that section into view, once
    (the field goes back to its default, so the next rerun leaves the student's scrolling alone)."""
    section = state["section"]
    if section:
        st.html(_SCROLL % (json.dumps(section), SETTLE_MS), unsafe_allow_javascript=True)
        state["section"] = ""
