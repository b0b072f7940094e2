# ReLU Lab: one container serves a whole class (docs/deployment.md). Needs BuildKit, the
# default builder since Docker 23.
#   docker build -t relu-lab .
#   docker run --rm -p 8501:8501 relu-lab      then open http://localhost:8501
# Build arguments, for builds without the public registries (the project's CI passes stand-ins):
#   BASE_IMAGE   an image with Python 3.11 whose `python` and `pip` come first on PATH
#   TORCH_INDEX  a package index that holds torch 2.13.0 (CPU) and its dependencies
# An optional build secret `pip-ca` (docker build --secret id=pip-ca,src=FILE) gives pip a CA
# bundle, for a network behind a TLS-inspecting proxy; a secret is never stored in the image.
ARG BASE_IMAGE=python:3.11-slim
FROM ${BASE_IMAGE}

# CPU build of torch from PyTorch's own CPU index (PyPI's Linux wheel pulls several GB of CUDA).
ARG TORCH_INDEX=https://download.pytorch.org/whl/cpu
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
COPY requirements.txt .
RUN --mount=type=secret,id=pip-ca,required=false \
    if [ -s /run/secrets/pip-ca ]; then export PIP_CERT=/run/secrets/pip-ca; fi \
 && pip install --index-url "$TORCH_INDEX" torch==2.13.0 \
 && pip install -r requirements.txt

# The code belongs to root and is only read: the server runs as an unprivileged user and
# writes nothing but temporary files (it runs with a read-only root file system too).
RUN useradd --create-home --uid 10001 --user-group relulab
COPY . .
USER 10001

# Settings as environment (docs/deployment.md): the port and address, the upload cap in MB, and
# the training lab's worker pool (RELU_LAB_MAX_RUNS runs at once, RELU_LAB_TORCH_THREADS each).
ENV STREAMLIT_SERVER_PORT=8501 STREAMLIT_SERVER_ADDRESS=0.0.0.0 STREAMLIT_SERVER_MAX_UPLOAD_SIZE=1 \
    RELU_LAB_MAX_RUNS=2 RELU_LAB_TORCH_THREADS=1
EXPOSE 8501
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
  CMD ["python", "deploy/healthcheck.py"]
CMD ["streamlit", "run", "app.py"]
