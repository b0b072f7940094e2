"""Two things every run of the app needs once: the navigation guard and the GC freeze.

``ensure_navigation`` is called first by every page (``UrlState.open``, runtime/url_state.py).
Streamlit still supports the old multipage mode in which every file in ``pages/`` is its own app,
and it picks that mode while no script of the server has called ``st.navigation``: the first
page a fresh server opens, if it is a deep link (say ``/gallery?act=elu``), runs on its own,
without ``app.py``'s page config, navigation and sidebar. The guard switches the server to
``st.navigation`` for good and reruns, so shared links work on a fresh server.

This is the app's one patch of Streamlit's internals, kept here and nowhere else. There is no
supported way: the layout (``app.py`` beside ``pages/``) is fixed by the design, Streamlit has no
option to turn the ``pages/`` mode off, and its maintainers saw the same clash of a ``pages``
folder with ``st.navigation`` on a deep link when they made ``st.navigation`` the default
(https://github.com/streamlit/streamlit/pull/10276, review of 2025-02-21; the report
https://github.com/streamlit/streamlit/issues/9624). tests/runtime/test_navigation.py fails the
day Streamlit renames the flag or stops reading it, and the deep-link browser test
(tests/pages/test_gallery_browser.py) fails if the guard stops working."""
import gc
import sys

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

_modules_frozen = 0
NAVIGATED = "app._navigated"  # in a session's state once app.py has run in it


def in_pages_directory_mode() -> bool:
    """Whether this run is Streamlit's old ``pages/`` mode (a page run without ``app.py``)."""
    return bool(PagesManager.uses_pages_directory)


def mark_navigated() -> None:
    """app.py has run ``st.navigation`` in this session."""
    st.session_state[NAVIGATED] = True


def ensure_navigation() -> None:
    """In the old ``pages/`` mode, switch the server to ``st.navigation``, and on a session's
    first run rerun it as ``app.py``. (A server leaves that mode for good on its first run; only
    Streamlit's AppTest starts every run in it, and there a later run goes on as the page alone,
    since a rerun would drop the button press that started it.)"""
    if in_pages_directory_mode():
        PagesManager.uses_pages_directory = False
        if not st.session_state.get(NAVIGATED):
            st.rerun()


def freeze_new_imports() -> None:
    """Hide long-lived objects from the garbage collector once a page has imported new modules.

    torch alone brings about 140,000 objects, and a full collection has to walk every one of
    them: about 70 ms here, several times in the reruns of one slider move. ``gc.freeze`` moves
    everything alive into a permanent generation that collections skip. It runs only when
    ``sys.modules`` has grown (a page's first visit in this process), so what it keeps alive is
    bounded."""
    global _modules_frozen
    if len(sys.modules) > _modules_frozen:
        _modules_frozen = len(sys.modules)
        gc.freeze()
