"""The deployment recipes checked without an engine: the Dockerfile linted, compose.yaml against the
Compose Specification's schema, the Kubernetes manifests against Kubernetes' schemas (both
schemas ship with their validators and work offline), and every setting they pass is one the
app reads."""
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from kubernetes_validate import utils as kubernetes_validate

from conftest import ROOT

BIN = Path(sys.executable).parent
DOCKERFILE = (ROOT / "Dockerfile").read_text()
COMPOSE = yaml.safe_load((ROOT / "compose.yaml").read_text())
MANIFESTS = sorted((ROOT / "deploy" / "k8s").glob("*.yaml"))
RESOURCES = {doc["kind"]: doc for path in MANIFESTS for doc in yaml.safe_load_all(path.read_text()) if doc}
POD = RESOURCES["Deployment"]["spec"]["template"]
CONTAINER = POD["spec"]["containers"][0]
SERVICE = next(iter(COMPOSE["services"].values()))


def dockerfile_env() -> dict[str, str]:
    """The image's ENV settings, from the Dockerfile's ENV lines."""
    text = DOCKERFILE.replace("\\\n", " ")
    return dict(re.findall(r"(\w+)=(\S+)", " ".join(re.findall(r"^ENV (.+)$", text, re.M))))


def test_dockerfile_passes_hadolint():
    lint = subprocess.run([BIN / "hadolint", str(ROOT / "Dockerfile")], capture_output=True, text=True)
    assert lint.returncode == 0, lint.stdout + lint.stderr


def test_dockerfile_defaults_are_production_and_pins_match_requirements():
    assert re.search(r"^ARG BASE_IMAGE=python:3\.11-slim$", DOCKERFILE, re.M)
    assert re.search(r"^ARG TORCH_INDEX=https://download\.pytorch\.org/whl/cpu$", DOCKERFILE, re.M)
    assert re.search(r"^FROM \$\{BASE_IMAGE\}$", DOCKERFILE, re.M)
    pin = re.search(r"^torch==\S+$", (ROOT / "requirements.txt").read_text(), re.M).group(0)
    assert f'--index-url "$TORCH_INDEX" {pin} ' in DOCKERFILE
    assert re.search(r"^USER 10001$", DOCKERFILE, re.M)


def test_compose_file_matches_the_compose_specification():
    check = subprocess.run([BIN / "check-jsonschema", "--builtin-schema", "vendor.compose-spec",
                            str(ROOT / "compose.yaml")], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr


@pytest.mark.parametrize("version", list(dict.fromkeys(kubernetes_validate.all_versions())))
@pytest.mark.parametrize("path", MANIFESTS, ids=[p.name for p in MANIFESTS])
def test_kubernetes_manifests_validate_strictly(path, version):
    """Every Kubernetes version the validator has schemas for; strict: no unknown fields."""
    for resource in yaml.safe_load_all(path.read_text()):
        kubernetes_validate.validate(resource, version, strict=True)  # raises when invalid


def test_kubernetes_manifests_fit_together():
    labels = POD["metadata"]["labels"]
    deployment = RESOURCES["Deployment"]
    assert deployment["spec"]["selector"]["matchLabels"].items() <= labels.items()
    service = RESOURCES["Service"]["spec"]
    assert service["selector"].items() <= labels.items()
    assert service["sessionAffinity"] == "ClientIP"  # a session is one websocket on one replica
    port = CONTAINER["ports"][0]
    assert port["containerPort"] == int(dockerfile_env()["STREAMLIT_SERVER_PORT"])
    assert {p["targetPort"] for p in service["ports"]} == {port["name"]}
    target = RESOURCES["HorizontalPodAutoscaler"]["spec"]["scaleTargetRef"]
    assert (target["kind"], target["name"]) == ("Deployment", deployment["metadata"]["name"])
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        assert CONTAINER[probe]["httpGet"] == {"path": "/_stcore/health", "port": port["name"]}
    assert {"cpu", "memory"} <= CONTAINER["resources"]["requests"].keys()
    assert {"cpu", "memory"} <= CONTAINER["resources"]["limits"].keys()  # HPA needs the requests


def test_kubernetes_pod_runs_unprivileged_on_a_read_only_root():
    pod, container = POD["spec"]["securityContext"], CONTAINER["securityContext"]
    assert pod["runAsNonRoot"] is True
    assert pod["runAsUser"] == 10001  # the image's USER
    assert container["allowPrivilegeEscalation"] is False
    assert container["capabilities"]["drop"] == ["ALL"]
    # The container test runs the image read-only with only compose's tmpfs folders writable.
    assert container["readOnlyRootFilesystem"] is True and SERVICE["read_only"] is True
    mounted = {m["mountPath"] for m in CONTAINER["volumeMounts"]}
    assert set(SERVICE["tmpfs"]) <= mounted


def test_compose_health_check_is_the_images():
    image = re.search(r"^\s*CMD (\[.+\])$", DOCKERFILE.split("HEALTHCHECK", 1)[1], re.M).group(1)
    assert SERVICE["healthcheck"]["test"] == ["CMD", *yaml.safe_load(image)]
    assert {"cpus", "memory"} <= SERVICE["deploy"]["resources"]["limits"].keys()
    assert SERVICE["restart"] == "unless-stopped"


def _cpus(value) -> float:
    return float(value[:-1]) / 1000 if str(value).endswith("m") else float(value)


@pytest.mark.parametrize("where", ["compose", "kubernetes"])
def test_settings_are_the_apps_own_and_fit_the_cpu_limit(where):
    if where == "compose":
        env, cpus = SERVICE["environment"], SERVICE["deploy"]["resources"]["limits"]["cpus"]
    else:
        env = {e["name"]: e["value"] for e in CONTAINER["env"]}
        cpus = CONTAINER["resources"]["limits"]["cpu"]
    assert env.keys() == {"STREAMLIT_SERVER_MAX_UPLOAD_SIZE", "RELU_LAB_MAX_RUNS", "RELU_LAB_TORCH_THREADS"}
    assert env.keys() <= known_settings()
    assert env.keys() <= dockerfile_env().keys()  # the image documents each with its default
    # each training run uses its own torch threads: all of them at once fit the CPU limit
    assert int(env["RELU_LAB_MAX_RUNS"]) * int(env["RELU_LAB_TORCH_THREADS"]) <= _cpus(cpus)


def known_settings() -> set[str]:
    """Environment variables the app reads: Streamlit's options and the RELU_LAB_ names in code."""
    from streamlit import config

    names = {option.env_var for option in config.get_config_options().values()}
    for path in ROOT.glob("[!.]*/**/*.py"):
        if path.parts[len(ROOT.parts)] not in ("tests", "bench"):
            names |= set(re.findall(r"""environ\.get\(["'](RELU_LAB_\w+)""", path.read_text()))
    return names
