"""compose.yaml and .env.example: the default deployment as an operator starts it.

Compose cannot run on the build machine, so this reads the file as Compose would (YAML
with merge keys) and checks what a wrong edit would break: the roles and replicas, one
image for all roles, the switches for external services, the variables .env must set.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
ROLES = {"web": "web", "worker": "worker", "scheduler": "scheduler"}
BUNDLED = {"postgres": "postgres", "redis": "redis", "minio": "minio", "proxy": "proxy"}
SWITCHES = [
    "DATABASE_URL",
    "REDIS_URL",
    "MEETOPS_S3_BUCKET",
    "MEETOPS_S3_ENDPOINT_URL",
    "MEETOPS_S3_ACCESS_KEY",
    "MEETOPS_S3_SECRET_KEY",
]


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))


def env_example() -> dict[str, str]:
    pairs = {}
    for line in (ROOT / ".env.example").read_text(encoding="utf-8").splitlines():
        if "=" in line and not line.lstrip().startswith("#"):
            key, value = line.split("=", 1)
            pairs[key.strip()] = value.strip()
    return pairs


def test_every_role_runs_from_the_one_image_with_its_replicas(compose):
    services = compose["services"]
    images = {services[name]["image"] for name in [*ROLES, "migrate"]}
    assert images == {"${MEETOPS_IMAGE:-meetops:0.1.0}"}
    for service, role in ROLES.items():
        assert services[service]["command"] == [role]
    assert services["web"]["deploy"]["replicas"] == 2
    assert services["worker"]["deploy"]["replicas"] == 2
    assert "replicas" not in services["scheduler"].get("deploy", {})
    assert services["migrate"]["command"] == ["meetops", "migrate", "--no-input"]


def test_the_version_in_the_default_image_tag_is_the_project_version(compose):
    version = re.search(r'^version = "(.+)"', (ROOT / "pyproject.toml").read_text(), re.M)
    assert version is not None
    assert compose["x-meetops"]["image"].endswith(f"meetops:{version[1]}}}")
    assert env_example()["MEETOPS_IMAGE"] == f"meetops:{version[1]}"


def test_roles_start_after_the_migration_and_keep_their_data_volume(compose):
    for service in ROLES:
        spec = compose["services"][service]
        assert spec["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
        assert "meetops-data:/var/lib/meetops" in spec["volumes"]
        # Separate workers send the outbox; a web process sending too would double the load.
        assert spec["environment"]["MEETOPS_EMBEDDED_WORKER"] == "0"


def test_bundled_services_can_each_be_switched_off_for_an_external_one(compose):
    services = compose["services"]
    for service, profile in BUNDLED.items():
        assert services[service]["profiles"] == [profile]
    assert set(env_example()["COMPOSE_PROFILES"].split(",")) == set(BUNDLED.values())
    for role in [*ROLES, "migrate"]:
        spec = services[role]
        for bundled in ("postgres", "redis", "minio-init"):
            # required: false lets Compose start the role with that profile left out.
            assert spec["depends_on"][bundled]["required"] is False
        for name in SWITCHES:
            # "${NAME-default}": a value in .env replaces the bundled service's address.
            assert spec["environment"][name].startswith("${" + name + "-")


def test_every_variable_compose_needs_without_a_default_is_in_the_env_example(compose):
    text = (ROOT / "compose.yaml").read_text(encoding="utf-8")
    bare = set(re.findall(r"\$\{(\w+)\}", text))
    defaulted = {
        name for name, form in re.findall(r"\$\{(\w+)(:?[-?])", text) if form.endswith("?")
    }
    example = env_example()
    for name in bare | defaulted:
        assert name in example, f"{name} is used by compose.yaml but not in .env.example"
    for secret in ("SECRET_KEY", "POSTGRES_PASSWORD", "MINIO_ROOT_PASSWORD", "MEETOPS_AUDIT_KEY"):
        assert example[secret] == "", f"{secret} must be left for the operator to fill in"


def test_the_proxy_config_it_mounts_exists(compose):
    [mount] = compose["services"]["proxy"]["volumes"]
    source = mount.split(":")[0]
    assert (ROOT / source).is_file()
