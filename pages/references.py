"""References: every paper the app cites, with the claims it backs (lessons.citations)."""
import streamlit as st

from lessons.citations import citations
from runtime import page_state

STATE = page_state.REFERENCES.open()

STATE.title()
st.markdown("Every paper ReLU Lab cites, and what it backs here. Each formula in the gallery is checked against "
            "PyTorch; each lesson names its sources at its end.")
st.markdown("\n".join(f"- {ref.markdown()}\n" + "\n".join(f"    - {claim}" for claim in claims)
                      for ref, claims in citations()))
STATE.sync()
