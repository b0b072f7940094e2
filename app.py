"""ReLU Lab: entry point. Wires navigation, page config and the sidebar shared by all pages.

Run with ``streamlit run app.py``. Keep this file free of torch: pages that need it import it
themselves, so the gallery loads fast. The pages, their titles and icons are listed once, in
``runtime.page_state.PAGES``."""
# Streamlit runs this script as __main__. A training worker (multiprocessing's forkserver, see
# training/runner.py) first re-imports the server's main script as __mp_main__: there it runs nothing
# (Python's "safe importing of the main module").
if __name__ == "__main__":
    import streamlit as st

    import app_shell
    from runtime import navigation, page_state
    from training import runner

    # Presenter mode (for a projector) starts with the sidebar folded away.
    st.set_page_config(page_icon=":material/show_chart:", layout="wide", initial_sidebar_state=(
        "collapsed" if page_state.presenting(st.session_state, st.query_params) else "auto"))

    PAGES = {p.file: st.Page(p.file, title=p.title, icon=p.icon, default=p.default)
             for p in page_state.PAGES.values()}

    runner.start()  # the training workers (they import torch, this process does not), ready before the first Train
    page = st.navigation({"ReLU Lab": list(PAGES.values())})
    navigation.mark_navigated()
    current = next(p for f, p in page_state.PAGES.items() if PAGES[f].url_path == page.url_path)
    st.set_page_config(page_title=f"{current.title} · ReLU Lab")  # the browser tab names the page

    with st.sidebar:
        st.caption(
            "An interactive lesson on the rectified linear unit and its variants. "
            "Every number on these pages is computed live from one registry of formulas, "
            "checked against PyTorch."
        )

    # Before the page: a page may end its run early (st.stop), and the styling must still be there.
    app_shell.page_style(page_state.presenting(st.session_state, st.query_params))
    page.run()
    # After the page: its link may have switched presenter mode on (runtime/page_state.SHARED).
    with st.sidebar:
        current.state.input("present")
        current.state.share()
    navigation.freeze_new_imports()
