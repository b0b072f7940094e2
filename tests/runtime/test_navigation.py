"""The navigation guard (runtime/navigation.py), the app's one patch of Streamlit's internals:
these tests fail loudly the day Streamlit renames the flag it writes or stops reading it, and
check that every page opened on its own (as a deep link on a fresh server is) ends up inside
app.py's navigation and sidebar."""
import inspect

import pytest
from streamlit.commands import navigation as st_navigation
from streamlit.runtime import pages_manager
from streamlit.runtime.scriptrunner import script_runner

from conftest import open_page
from runtime import navigation, page_state


def test_streamlit_still_has_the_flag_the_guard_writes():
    assert "uses_pages_directory" in vars(pages_manager.PagesManager), (
        "Streamlit renamed PagesManager.uses_pages_directory: see runtime/navigation.py")
    # Streamlit picks the old pages/ mode from it on every run, and st.navigation clears it.
    assert "if PagesManager.uses_pages_directory:" in inspect.getsource(script_runner.ScriptRunner), (
        "Streamlit no longer reads uses_pages_directory when it runs a script: see runtime/navigation.py")
    assert "PagesManager.uses_pages_directory = False" in inspect.getsource(st_navigation.navigation)


def test_the_guard_reads_the_flag(monkeypatch):
    monkeypatch.setattr(pages_manager.PagesManager, "uses_pages_directory", True)
    assert navigation.in_pages_directory_mode()
    monkeypatch.setattr(pages_manager.PagesManager, "uses_pages_directory", False)
    assert not navigation.in_pages_directory_mode()


@pytest.mark.parametrize("first, then", [("pages/home.py", "pages/references.py"),
                                         ("pages/gallery.py", "pages/course.py")])
def test_each_page_opened_first_runs_inside_the_apps_navigation(first, then):
    """AppTest starts each app in the old pages/ mode, as a fresh server does: the guard reruns
    it as app.py, so the page has the app's sidebar (its presenter-mode switch), every time."""
    for page in (first, then):
        at = open_page(page)
        assert not at.exception
        assert [t.key for t in at.sidebar.toggle] == ["app.present"], page
        assert at.title[0].value == page_state.PAGES[page].state.heading
