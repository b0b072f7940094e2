"""ReLU Lab's training engine: pure PyTorch (no Streamlit). Data sets, models, the training
loop, metrics and device choice; progress is reported through a callback."""
