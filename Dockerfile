# ReLU Lab: one container serves a whole class. Build: docker build -t relu-lab .
# Run: docker run -p 8501:8501 relu-lab   then open http://localhost:8501
FROM python:3.11-slim

# CPU build of torch from PyTorch's own CPU index (PyPI's Linux wheel pulls several GB of CUDA).
ARG TORCH_INDEX=https://download.pytorch.org/whl/cpu
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
COPY requirements.txt .
RUN pip install --index-url "$TORCH_INDEX" torch==2.13.0 \
 && pip install -r requirements.txt

RUN useradd --create-home --uid 10001 relulab
COPY --chown=relulab:relulab . .
USER 10001

EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4)"]
CMD ["streamlit", "run", "app.py", "--server.address=0.0.0.0", "--server.port=8501"]
