"""MeetOps installed from its offline bundle, as on an intranet server: no network, no make.

The bundle (`make bundle`) is built once beforehand and named by MEETOPS_BUNDLE; .ci/run
does both. Its install.sh puts MeetOps's wheel and its dependencies' wheels into a fresh
virtualenv with pip --no-index; where this machine can cut the network off (`unshare -n`,
as root) the install, migrate and demo run without any.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tarfile
import urllib.request
from pathlib import Path

import pytest

from tests.served import embedded_fonts, free_port, log_in, wait_until_up

BUNDLE = os.environ.get("MEETOPS_BUNDLE", "")

pytestmark = [
    pytest.mark.server,
    pytest.mark.skipif(
        not BUNDLE,
        reason="needs a built bundle: `make bundle`, then MEETOPS_BUNDLE=dist/"
        "meetops-bundle-<version>.tar.gz (.ci/run does both)",
    ),
]


def _offline() -> list[str]:
    """A prefix that runs a command with no network at all, where this machine allows it."""
    unshare = shutil.which("unshare")
    if unshare and subprocess.run([unshare, "-n", "true"], capture_output=True).returncode == 0:
        return [unshare, "-n"]
    return []


@pytest.fixture
def installed(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """The bundle unpacked and installed into tmp/venv; the environment to run it in."""
    with tarfile.open(BUNDLE) as archive:
        archive.extractall(tmp_path, filter="data")
    (top,) = tmp_path.glob("meetops-bundle-*")
    venv = tmp_path / "venv"
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("MEETOPS_", "DJANGO_", "PYTHON", "VIRTUAL_ENV"))
        and k not in ("DATABASE_URL", "REDIS_URL")
    }
    # The interpreter the tests run on is a CPython 3.11 like the server's.
    env["PYTHON"] = sys.executable
    subprocess.run(
        [*_offline(), "sh", str(top / "install.sh"), str(venv)],
        env=env,
        cwd=tmp_path,
        check=True,
        capture_output=True,
        timeout=600,
    )
    env.update(
        MEETOPS_DATA_DIR=str(tmp_path / "data"),
        MEETOPS_DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(48),
        MEETOPS_AUDIT_KEY=secrets.token_urlsafe(48),
        MEETOPS_WORKERS="2",
    )
    return venv, env


def test_the_bundle_installs_offline_and_serves_the_demo_with_styles_scripts_and_fonts(
    installed, tmp_path
):
    venv, env = installed
    meetops = str(venv / "bin" / "meetops")
    where = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import meetops; print(meetops.__file__)"],
        env=env,
        cwd=tmp_path,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert where.startswith(str(venv)), where  # the wheel's copy, not this checkout's
    for argv in (["migrate", "--no-input"], ["demo", "--if-empty"]):
        subprocess.run(
            [*_offline(), meetops, *argv], env=env, cwd=tmp_path, check=True, timeout=300
        )

    port = free_port()
    log_path = tmp_path / "serve.log"
    with log_path.open("w+") as log:
        server = subprocess.Popen(
            [meetops, "serve", "--port", str(port)],
            env=env,
            cwd=tmp_path,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until_up(base, log_path)
            with urllib.request.urlopen(f"{base}/login/") as response:
                page = response.read().decode()
            # Every stylesheet and script the page names, served by MeetOps itself.
            assets = re.findall(r'(?:href|src)="(/static/[^"]+\.(?:css|js))"', page)
            assert any("htmx" in a for a in assets) and any(a.endswith(".css") for a in assets)
            for asset in assets:
                with urllib.request.urlopen(base + asset) as response:
                    assert response.status == 200 and response.read(), asset

            # The minutes of a closed demo meeting, drawn with the faces in the wheel.
            token = subprocess.run(
                [meetops, "token", "create", "admin"],
                env=env,
                cwd=tmp_path,
                check=True,
                capture_output=True,
                text=True,
            ).stdout.strip()
            api = urllib.request.Request(
                f"{base}/api/v1/meetings?limit=100", headers={"Authorization": f"Bearer {token}"}
            )
            with urllib.request.urlopen(api) as response:
                closed = next(m for m in json.load(response)["items"] if m["stage"] == "closed")
            browser = log_in(base, "wangfang", "meetops-demo")
            with browser.open(f"{base}/meetings/{closed['id']}/minutes.pdf") as response:
                fonts = embedded_fonts(response.read())
            assert fonts & {"NotoSerifSC", "NotoSansSCBold"}, fonts
        finally:
            server.terminate()
            server.wait(timeout=30)
    assert ".notdef" not in log_path.read_text()
