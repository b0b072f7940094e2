"""The container for real: the image built from the Dockerfile, run as compose.yaml runs it, checked
in headless Chromium and stopped with SIGTERM.

These tests carry the `docker` mark. Where no engine answers they are skipped,
except in CI (CI=true), where they fail, as the browser tests do.

This project's machines reach no registry of images and no PyTorch index, so the image is built
with stand-ins passed as build arguments (the Dockerfile's defaults are production's):
- BASE_IMAGE: Debian bookworm's Python 3.11 from `debootstrap`, with a venv first on PATH, as
  python:3.11-slim has its own Python; made once and kept in the engine (about a minute).
- TORCH_INDEX: the torch CPU wheel in /opt/wheels (RELU_LAB_WHEELS) and its dependencies,
  served as a package index by a thread of this process on 127.0.0.1.
- the build secret `pip-ca`: the host's CA bundle, for pip on a network that inspects TLS.
RELU_LAB_DOCKER_STANDINS=0 builds with the Dockerfile's defaults instead."""
from __future__ import annotations

import contextlib
import functools
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import pytest
import yaml

from conftest import IN_CI, ROOT, wait_idle
from runtime import page_state
from runtime.harness import free_port as _free_port

# A build that takes every core; the first test to ask for the container waits for the base image,
# the build and the start (each step has its own timeout below), so the suite's 600 s a test is lifted.
pytestmark = [pytest.mark.docker, pytest.mark.xdist_group("serial"), pytest.mark.timeout(3600)]

IMAGE = "relu-lab:test"
STANDIN_BASE = "relu-lab-standin:bookworm-1"  # bump the tag when the recipe below changes
STANDIN_PATH = "/opt/python/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
WHEELS = Path(os.environ.get("RELU_LAB_WHEELS", "/opt/wheels"))
INDEX_PORT = 48501
CA_BUNDLE = Path("/etc/ssl/certs/ca-certificates.crt")
USE_STANDINS = os.environ.get("RELU_LAB_DOCKER_STANDINS", "1") != "0"


def unavailable(reason: str):
    """Skip here, fail in CI: the container tests must run there."""
    if IN_CI:
        pytest.fail(f"container tests must run in CI: {reason}")
    pytest.skip(reason)


def _run(cmd, timeout: float = 120, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, **kw)


@functools.cache
def docker_cli() -> tuple[str | None, str]:
    """A Docker client that builds with BuildKit (the Dockerfile mounts a build secret), or None
    and why not. A client from Docker 23 on builds with BuildKit only through its buildx
    plugin; an older one (Debian's docker.io) does so itself when DOCKER_BUILDKIT=1."""
    names = [os.environ.get("RELU_LAB_DOCKER"), shutil.which("docker"), "/usr/bin/docker"]
    clients = list(dict.fromkeys(n for n in names if n and os.access(n, os.X_OK)))
    if not clients:
        return None, "no docker client (apt-get install docker.io)"
    for cli in clients:
        if _run([cli, "buildx", "version"], timeout=30).returncode == 0:
            return cli, ""
        version = re.search(r"version (\d+)\.", _run([cli, "--version"], timeout=30).stdout)
        if version and int(version.group(1)) < 23:
            return cli, ""
    return None, f"no docker client that builds with BuildKit among {clients} (install buildx)"


@pytest.fixture(scope="session")
def docker():
    """The docker client, once the engine answers."""
    cli, why = docker_cli()
    if cli is None:
        unavailable(why)
    info = _run([cli, "version", "--format", "{{.Server.Version}}"], timeout=30)
    if info.returncode != 0:
        unavailable(f"no Docker engine answers: {(info.stderr or info.stdout).strip()[-300:]}")
    return cli


def _standin_base(cli: str, workdir: Path) -> str:
    """The stand-in for python:3.11-slim, made with debootstrap unless the engine has it."""
    if _run([cli, "image", "inspect", STANDIN_BASE]).returncode == 0:
        return STANDIN_BASE
    debootstrap = shutil.which("debootstrap") or "/usr/sbin/debootstrap"
    if os.geteuid() != 0 or not os.access(debootstrap, os.X_OK):
        unavailable("the stand-in base image needs root and debootstrap (apt-get install debootstrap)")
    rootfs = workdir / "rootfs"
    steps = [
        [debootstrap, "--variant=minbase", "--include=python3,python3-venv", "bookworm", str(rootfs)],
        ["chroot", str(rootfs), "/usr/bin/python3", "-m", "venv", "/opt/python"],
    ]
    for step in steps:
        done = _run(step, timeout=900)
        if done.returncode != 0:
            pytest.fail(f"{' '.join(step)} failed:\n{(done.stdout + done.stderr)[-3000:]}")
    for cache in ("var/cache/apt/archives", "var/lib/apt/lists"):
        shutil.rmtree(rootfs / cache, ignore_errors=True)
    tar = subprocess.Popen(["tar", "-C", str(rootfs), "-c", "."], stdout=subprocess.PIPE)
    imported = subprocess.run(
        [cli, "import", "--change", f"ENV PATH={STANDIN_PATH}", "--change", "ENV LANG=C.UTF-8",
         "--change", 'CMD ["python3"]', "-", STANDIN_BASE],
        stdin=tar.stdout, capture_output=True, text=True, timeout=600)
    tar.wait()
    shutil.rmtree(rootfs, ignore_errors=True)
    if imported.returncode != 0:
        pytest.fail(f"docker import failed: {imported.stderr[-2000:]}")
    return STANDIN_BASE


@contextlib.contextmanager
def _torch_index(workdir: Path):
    """A package index on 127.0.0.1 holding the local torch wheel and its dependencies."""
    pin = re.search(r"^torch==(\S+)", (ROOT / "requirements.txt").read_text(), re.M).group(1)
    wheels = workdir / "wheels"
    got = _run([sys.executable, "-m", "pip", "download", "--quiet", "--only-binary=:all:",
                "--find-links", str(WHEELS), "--dest", str(wheels), f"torch=={pin}"], timeout=600)
    if got.returncode != 0:
        pytest.fail(f"pip download torch=={pin} failed:\n{got.stderr[-3000:]}")
    simple = workdir / "simple"
    for wheel in wheels.glob("*.whl"):  # PEP 503: one folder per normalised project name
        project = simple / re.sub(r"[-_.]+", "-", wheel.name.split("-")[0]).lower()
        project.mkdir(parents=True, exist_ok=True)
        (project / wheel.name).symlink_to(wheel)

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=str(simple))
    try:  # the same address each time keeps the build argument, and so the build cache, valid
        httpd = http.server.ThreadingHTTPServer(("127.0.0.1", INDEX_PORT), handler)
    except OSError:
        httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(scope="session")
def image(docker):
    """The image built from the repository's Dockerfile; yields (tag, build seconds)."""
    with tempfile.TemporaryDirectory(prefix="relu-lab-docker-") as tmp, contextlib.ExitStack() as stack:
        cmd = [docker, "build", "--network", "host", "--progress", "plain", "-t", IMAGE]
        if USE_STANDINS:
            if not (WHEELS.is_dir() and any(WHEELS.glob("torch-*.whl"))):
                unavailable(f"no torch wheel in {WHEELS} for the stand-in index")
            index = stack.enter_context(_torch_index(Path(tmp)))
            cmd += ["--build-arg", f"BASE_IMAGE={_standin_base(docker, Path(tmp))}",
                    "--build-arg", f"TORCH_INDEX={index}"]
            if CA_BUNDLE.is_file():
                cmd += ["--secret", f"id=pip-ca,src={CA_BUNDLE}"]
        before = image_id(docker)
        start = time.monotonic()
        built = _run(cmd + [str(ROOT)], timeout=1800, env={**os.environ, "DOCKER_BUILDKIT": "1"})
        seconds = time.monotonic() - start
    if built.returncode != 0:
        pytest.fail(f"docker build failed:\n{(built.stdout + built.stderr)[-4000:]}")
    if before and before != image_id(docker):
        _run([docker, "rmi", before])  # the vfs driver keeps a full copy of every image
    print(f"\ndocker build: {seconds:.0f} s")
    return IMAGE


def image_id(docker: str) -> str | None:
    found = _run([docker, "image", "inspect", "--format", "{{.Id}}", IMAGE])
    return found.stdout.strip() if found.returncode == 0 else None


def compose_service() -> dict:
    """The one service of compose.yaml."""
    services = yaml.safe_load((ROOT / "compose.yaml").read_text())["services"]
    assert len(services) == 1
    return next(iter(services.values()))


def run_args_from_compose(service: dict) -> list[str]:
    """`docker run` options that give a container what compose.yaml gives the service: its
    environment, limits, read-only root file system and temporary folders."""
    limits = service["deploy"]["resources"]["limits"]
    args = [f"--memory={limits['memory']}", f"--cpus={limits['cpus']}"]
    args += [f"--env={k}={v}" for k, v in service["environment"].items()]
    if service.get("read_only"):
        args.append("--read-only")
    args += [f"--tmpfs={path}" for path in service.get("tmpfs", [])]
    return args


def state(docker: str, name: str) -> dict:
    return json.loads(_run([docker, "inspect", "--format", "{{json .State}}", name]).stdout)


@pytest.fixture(scope="session")
def container(docker, image):
    """A container of the image, run as compose.yaml runs it but on the host's network and a free
    loopback port; yields (name, base URL) once its health check reports `healthy`. One for the
    whole session, not per module: the serial worker (xdist_group) interleaves this module's tests
    with other modules', and a module fixture was stopped and started again each time (in a CI
    rehearsal's --durations: three starts of about 5 minutes each with the vfs driver)."""
    port = _free_port()
    name = f"relu-lab-test-{port}"
    cmd = [docker, "run", "--detach", "--name", name, "--network", "host",
           *run_args_from_compose(compose_service()),
           f"--env=STREAMLIT_SERVER_PORT={port}", "--env=STREAMLIT_SERVER_ADDRESS=127.0.0.1", image]
    start = time.monotonic()
    started = _run(cmd, timeout=600)
    if started.returncode != 0:
        pytest.fail(f"docker run failed: {started.stderr[-2000:]}")
    running = time.monotonic()
    try:
        deadline = running + 300
        while (now := state(docker, name))["Health"]["Status"] != "healthy":
            if now["Health"]["Status"] == "unhealthy" or not now["Running"] or time.monotonic() > deadline:
                logs = _run([docker, "logs", "--tail", "60", name])
                pytest.fail(f"container not healthy: {json.dumps(now)[-1500:]}\n{logs.stdout}{logs.stderr}")
            time.sleep(0.5)
        print(f"\ndocker run: {running - start:.0f} s, then healthy after {time.monotonic() - running:.0f} s")
        yield name, f"http://127.0.0.1:{port}"
    finally:
        _run([docker, "rm", "--force", name])


APP_PAGES = [(Path(p.file).stem, p.title, p.default) for p in page_state.PAGES.values()]


def test_container_is_healthy_and_serves_as_an_unprivileged_user(docker, container):
    name, url = container
    assert state(docker, name)["Health"]["Status"] == "healthy"
    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=5) as response:
        assert response.read() == b"ok"
    status = _run([docker, "exec", name, "cat", "/proc/1/status"]).stdout
    uids = re.search(r"^Uid:\s+(.+)$", status, re.M).group(1).split()
    assert uids == ["10001"] * 4  # the server's real, effective, saved and file-system uid
    assert "streamlit" in _run([docker, "exec", name, "cat", "/proc/1/cmdline"]).stdout
    shipped = set(_run([docker, "exec", name, "ls", "-A", "/app"]).stdout.split())
    assert {"app.py", "pages", "training", "deploy"} <= shipped
    assert not shipped & {".git", ".venv", "tests", ".ci", "bench"}  # .dockerignore


@pytest.mark.browser
@pytest.mark.parametrize("stem, title, default", APP_PAGES, ids=[p[0] for p in APP_PAGES])
def test_every_page_opens_without_an_exception(container, page, stem, title, default):
    _, url = container
    page.goto(f"{url}/" if default else f"{url}/{stem}")
    wait_idle(page, 120_000)
    page.locator("h1").first.wait_for()
    current = page.locator('[data-testid="stSidebarNav"] a[aria-current="page"]').inner_text()
    assert title in current.splitlines()  # the page itself, not "page not found" on the start page
    assert page.locator('[data-testid="stException"]').count() == 0


@pytest.mark.browser
def test_training_lab_trains_in_the_container(container, page):
    _, url = container
    page.goto(f"{url}/training_lab")
    wait_idle(page, 120_000)
    page.get_by_role("button", name="Train").click()
    page.wait_for_selector("text=Results", timeout=300_000)
    wait_idle(page, 60_000)
    progress = page.locator('[data-testid="stProgress"]').inner_text()
    steps = re.search(r"done: step (\d+) of (\d+)", progress)
    assert steps and steps.group(1) == steps.group(2) and int(steps.group(1)) > 0, progress
    assert page.locator('[data-testid="stException"]').count() == 0


def test_sigterm_stops_the_container_cleanly(docker, container):
    """SIGTERM, as `docker stop`, `docker compose down` and Kubernetes send it: the server exits
    by itself with status 0, before the 10 s after which they would kill it."""
    name, _ = container
    start = time.monotonic()
    stop = _run([docker, "stop", "--time", "10", name], timeout=60)
    print(f"\ndocker stop: {time.monotonic() - start:.1f} s")
    assert stop.returncode == 0, stop.stderr
    final = state(docker, name)
    assert not final["Running"]
    assert final["ExitCode"] == 0, _run([docker, "logs", "--tail", "30", name]).stderr  # 137: killed
    assert not final["OOMKilled"]
