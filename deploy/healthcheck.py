"""The container's health check: exit 0 when the server answers on /_stcore/health.

The image's HEALTHCHECK and compose.yaml run it (python:3.11-slim has no curl). It asks the port
the server listens on (STREAMLIT_SERVER_PORT, 8501 unless set)."""
import os
import sys
import urllib.request

port = os.environ.get("STREAMLIT_SERVER_PORT", "8501")
try:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=4) as response:
        sys.exit(0 if response.status == 200 else 1)
except OSError as error:
    print(f"unhealthy: {error}", file=sys.stderr)
    sys.exit(1)
