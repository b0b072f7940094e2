"""Pure logic behind ReLU Lab's lessons (no Streamlit): the chain-rule walk-through, the dying-unit experiment and the deep-network probes."""
