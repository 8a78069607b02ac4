"""deploy/systemd: the units for web, worker and scheduler on a plain host.

`systemd-analyze verify` reads them as systemd would; it reports unknown keys and bad
values only as warnings, so any output fails. It also wants ExecStart's program to
exist, so the copies verified here point at this checkout's `meetops`.
"""

from __future__ import annotations

import configparser
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
UNITS = ROOT / "deploy" / "systemd"
ROLES = {"web": "serve", "worker": "worker --no-jobs", "scheduler": "scheduler"}
INSTALLED = "/opt/meetops/bin/meetops"


def read_unit(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # keys keep their case, as systemd reads them
    parser.read(path, encoding="utf-8")
    return parser


def test_each_role_has_a_unit_running_its_command_as_the_meetops_user():
    for role, command in ROLES.items():
        unit = read_unit(UNITS / f"meetops-{role}.service")
        service = unit["Service"]
        assert service["ExecStart"] == f"{INSTALLED} {command}"
        assert service["User"] == "meetops"
        assert service["EnvironmentFile"] == "/etc/meetops/meetops.env"
        assert unit["Install"]["WantedBy"] == "meetops.target"
    target = read_unit(UNITS / "meetops.target")
    assert set(target["Unit"]["Wants"].split()) == {f"meetops-{r}.service" for r in ROLES}


def test_the_environment_file_example_sets_the_required_settings():
    example = (UNITS / "meetops.env.example").read_text(encoding="utf-8")
    keys = {
        line.split("=", 1)[0] for line in example.splitlines() if "=" in line and line[0] != "#"
    }
    assert {"SECRET_KEY", "MEETOPS_SITE_URL", "DATABASE_URL", "EMAIL_URL"} <= keys


@pytest.mark.skipif(
    shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed"
)
def test_systemd_accepts_the_units(tmp_path: Path):
    meetops = Path(sys.executable).with_name("meetops")
    for unit in [*UNITS.glob("*.service"), *UNITS.glob("*.target")]:
        text = unit.read_text(encoding="utf-8").replace(INSTALLED, str(meetops))
        (tmp_path / unit.name).write_text(text, encoding="utf-8")
    result = subprocess.run(
        ["systemd-analyze", "verify", *sorted(str(p) for p in tmp_path.iterdir())],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == "", result.stderr
