"""ReLU Lab: entry point. Wires navigation, page config and the sidebar shared by all pages.

Run with ``streamlit run app.py``. Keep this file free of torch: pages that need it import it
themselves, so the gallery loads fast."""
# Streamlit runs this script as __main__. A training worker (multiprocessing's forkserver, see
# training/runner.py) first re-imports the server's main script as __mp_main__: there it runs nothing
# (Python's "safe importing of the main module").
if __name__ == "__main__":
    import streamlit as st

    from runtime import navigation, page_state
    from training import runner

    # Presenter mode (for a projector) starts with the sidebar folded away.
    st.set_page_config(page_title="ReLU Lab", page_icon="📈", layout="wide", initial_sidebar_state=(
        "collapsed" if page_state.presenting(st.session_state, st.query_params) else "auto"))

    PAGES = {
        "ReLU Lab": [
            st.Page("pages/home.py", title="Start here", icon="🏠", default=True),
            st.Page("pages/course.py", title="Course", icon="🎓"),
            st.Page("pages/gallery.py", title="Activation gallery", icon="📈"),
            st.Page("pages/dead_neurons.py", title="Dead neurons", icon="💀"),
            st.Page("pages/vanishing_gradients.py", title="Vanishing gradients", icon="📉"),
            st.Page("pages/output_activations.py", title="Output activations", icon="🎯"),
            st.Page("pages/mixture_density.py", title="Mixture density networks", icon="🌀"),
            st.Page("pages/maxout_crelu.py", title="Maxout and CReLU", icon="🧩"),
            st.Page("pages/training_lab.py", title="Training lab", icon="🏋️"),
            st.Page("pages/playground.py", title="Training lab: step by step", icon="🎛️"),
            st.Page("pages/references.py", title="References", icon="📚"),
        ],
    }

    runner.start()  # the training workers (they import torch, this process does not), ready before the first Train
    page = st.navigation(PAGES)
    navigation.navigation_ready = True

    with st.sidebar:
        st.caption(
            "An interactive lesson on the rectified linear unit and its variants. "
            "Every number on these pages is computed live from one registry of formulas, "
            "checked against PyTorch."
        )

    page.run()
    # After the page: its link may have switched presenter mode on (runtime/page_state.SHARED).
    st.sidebar.toggle("Presenter mode", key="app.present", persist_state="session",
                      help="Chart text at least 18 px for a projector; the link carries it (present=1).")
    navigation.freeze_new_imports()
