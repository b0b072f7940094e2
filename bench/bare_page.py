"""A bare one-slider Streamlit + Plotly page: the floor a server round trip allows (the benchmarks
measure each page against it). Its body runs only as Streamlit's script: the training workers that
app.py starts in a benchmark's process re-import whatever script AppTest last ran (see
training/runner.py), and must find this file there and run nothing."""
if __name__ == "__main__":
    import numpy as np
    import plotly.graph_objects as go
    import streamlit as st

    a = st.slider("a", 0.0, 1.0, 0.01, 0.01)
    x = np.linspace(-5, 5, 401)
    st.plotly_chart(go.Figure(go.Scatter(x=x, y=a * x)))
