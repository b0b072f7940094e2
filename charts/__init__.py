"""Plotly figure builders for the pages: plain functions, no Streamlit, so tests can call them."""
