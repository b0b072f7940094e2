"""Two things every run of the app needs once: the navigation guard and the GC freeze.

``ensure_navigation`` is called first by every page (``UrlState.open``, runtime/url_state.py). Streamlit still supports the old
multipage mode in which every file in ``pages/`` is its own app, and a server picks the mode on
the first page a browser opens: if that is a deep link (say ``/gallery?act=elu``), the page
would run on its own, without ``app.py``'s page config and sidebar. The guard switches the
server to ``st.navigation`` for good and reruns, so shared links work on a fresh server.

Why it writes to Streamlit's private ``PagesManager``: the layout ``pages/`` is fixed by the
design, and Streamlit offers no public switch for that first run. If a Streamlit upgrade moves
the attribute, the deep-link browser test (tests/pages/test_gallery_browser.py) fails."""
import gc
import sys

import streamlit as st

navigation_ready = False  # set by app.py once st.navigation has run in this process
_modules_frozen = 0


def ensure_navigation() -> None:
    from streamlit.runtime.pages_manager import PagesManager

    if not navigation_ready and PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
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
