"""References: every paper the app cites, with the claims it backs (lessons.citations)."""
import streamlit as st

from lessons.citations import citations
from runtime import page_state
from runtime.navigation import ensure_navigation

ensure_navigation()
STATE = page_state.REFERENCES
STATE.load()

st.title("References")
STATE.warn()
st.markdown("Every paper ReLU Lab cites, and what it backs here. Each formula in the gallery is checked against "
            "PyTorch; each lesson names its sources at its end.")
st.markdown("\n".join(f"- {ref.markdown()}\n" + "\n".join(f"    - {claim}" for claim in claims)
                      for ref, claims in citations()))
STATE.sync()
