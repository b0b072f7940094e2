"""One guard every page calls first: make sure the app runs through ``app.py``'s navigation.

Streamlit still supports the old multipage mode in which every file in ``pages/`` is its own
app. A server decides which mode to use on the first page a browser opens: if that first page is
a deep link (say ``/gallery?act=elu``), the page would run on its own, without ``app.py``'s
page config and sidebar. This guard notices that case, switches the server to ``st.navigation``
for good and reruns, so shared links work on a freshly started server too."""
import streamlit as st


def ensure_navigation() -> None:
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
