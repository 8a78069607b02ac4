"""Real identity servers for the sign-in tests, each in its own process on a loopback port.

- CAS 3.0: django-cas-server (tests/servers/cas_idp), people in cas_idp/users.py.
- OpenID Connect: django-oauth-toolkit with OIDC on (tests/servers/oidc_op).
- SAML 2.0: a pysaml2 IdP (tests/servers/saml_idp), run with MeetOps's own Python, which has
  pysaml2 through djangosaml2; it signs with the xmlsec1 program.

The CAS and OIDC servers need packages MeetOps does not: they get a virtualenv of their own,
built from PyPI with uv on first use and cached by the hash of requirements.txt. A server
that cannot be installed or started skips its tests with the reason.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REQUIREMENTS = HERE / "requirements.txt"
# Where MeetOps runs in the tests: the test client and pytest-django's live server.
HOSTS = ("testserver", "localhost", "127.0.0.1")


@dataclass(frozen=True)
class Server:
    url: str
    data: Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def server_python() -> Path:
    """The cached virtualenv's python, built once per requirements hash (xdist-safe)."""
    digest = hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()[:16]
    root = Path(os.environ.get("MEETOPS_TEST_SERVERS_VENV", tempfile.gettempdir()))
    venv = root / f"meetops-sso-servers-{digest}"
    python = venv / "bin" / "python"
    uv = shutil.which("uv", path=str(Path(sys.executable).parent)) or shutil.which("uv")
    root.mkdir(parents=True, exist_ok=True)
    with open(root / f"meetops-sso-servers-{digest}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if (venv / ".complete").exists():
            return python
        if uv is None:
            pytest.skip("the test identity servers need uv to build their virtualenv")
        shutil.rmtree(venv, ignore_errors=True)
        steps = [
            [uv, "venv", "--quiet", "--python", sys.executable, str(venv)],
            [uv, "pip", "install", "--quiet", "--python", str(python), "-r", str(REQUIREMENTS)],
        ]
        for step in steps:
            done = subprocess.run(step, capture_output=True, text=True, timeout=600, check=False)
            if done.returncode != 0:
                pytest.skip(
                    "could not install the test identity servers from PyPI "
                    f"({' '.join(step[:3])}): {done.stderr.strip()[-500:]}"
                )
        (venv / ".complete").touch()
    return python


def wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the test server for {url} exited:\n{log.read_text()[-3000:]}")
        with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=2):
            return
        time.sleep(0.2)
    process.terminate()
    pytest.fail(f"the test server for {url} did not answer in 60 s:\n{log.read_text()[-3000:]}")


@contextlib.contextmanager
def run_server(
    python: Path, module: str, args: list[str], probe: str, port: int
) -> Iterator[Server]:
    data = Path(tempfile.mkdtemp(prefix=f"meetops-{module.split('.')[0]}-"))
    log = data / "server.log"
    env = {**os.environ, "PYTHONPATH": str(HERE), "SSO_SERVER_DATA": str(data)}
    for name in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL"):
        env.pop(name, None)
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [str(python), "-m", module, str(port), *args],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=data,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base + probe, process, log)
        yield Server(url=base, data=data)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(data, ignore_errors=True)


@pytest.fixture(scope="session")
def cas_server() -> Iterator[Server]:
    """A django-cas-server; its CAS root is `cas_server.url + "/cas/"`."""
    port = free_port()
    with run_server(server_python(), "cas_idp.run", [], "/cas/login", port) as server:
        yield server


@pytest.fixture(scope="session")
def oidc_provider() -> Iterator[Server]:
    """A django-oauth-toolkit OpenID provider; its issuer is `oidc_provider.url + "/o"`.

    Client `meetops` / `meetops-oidc-secret`; loopback redirect URIs match on any port.
    """
    port = free_port()
    redirect = ",".join(f"http://{host}/sso/oidc/callback/" for host in HOSTS)
    after_logout = ",".join(f"http://{host}/login/" for host in HOSTS)
    args = [redirect, after_logout]
    probe = "/o/.well-known/openid-configuration"
    with run_server(server_python(), "oidc_op.run", args, probe, port) as server:
        yield server


@pytest.fixture(scope="session")
def saml_idp() -> Iterator[Server]:
    """A pysaml2 IdP at http://localhost:port; its metadata is at `saml_idp.url + "/idp/metadata"`."""
    if not shutil.which("xmlsec1"):
        pytest.skip("SAML needs the xmlsec1 program (Debian package xmlsec1); it is not installed")
    port = free_port()
    with run_server(
        Path(sys.executable), "saml_idp.run", ["localhost"], "/idp/metadata", port
    ) as server:
        yield Server(url=server.url.replace("127.0.0.1", "localhost"), data=server.data)
