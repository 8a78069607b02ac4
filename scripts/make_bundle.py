"""Make dist/meetops-bundle-<version>.tar.gz: MeetOps for a machine with no network.

    wheels/     MeetOps's wheel and the wheel of every dependency at its locked version,
                for CPython 3.11 on Linux amd64 and, where the project publishes one, arm64
    fonts/      the faces the documents embed, with their licences (the wheel carries them too)
    install.sh  makes a virtualenv and installs MeetOps into it from wheels/, offline
    README.md   what is inside, how to install, which packages have no arm64 wheel

Run by `make bundle` after `make dist`; it needs the network (PyPI), the bundle does not.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from packaging.utils import parse_wheel_filename

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "dist"
FONTS = ROOT / "src" / "meetops" / "core" / "fonts"
ARCHES = ("x86_64", "aarch64")
# The oldest glibc a wheel may need: manylinux_2_28 runs on Debian 10+, Ubuntu 18.10+, RHEL 8+.
NEWEST_GLIBC = 28
PIP = [sys.executable, "-m", "pip", "--disable-pip-version-check"]

INSTALL_SH = """#!/bin/sh
# Installs MeetOps from this bundle into a virtualenv, with no network.
#   ./install.sh [TARGET]        TARGET defaults to /opt/meetops; PYTHON=python3.11 by default
set -eu
here=$(cd "$(dirname "$0")" && pwd)
target=${1:-/opt/meetops}
python=${PYTHON:-python3.11}
if ! command -v "$python" >/dev/null 2>&1; then
    echo "install.sh: $python not found; MeetOps needs CPython 3.11 (set PYTHON=/path/to/python3.11)" >&2
    exit 1
fi
"$python" -m venv "$target"
"$target/bin/python" -m pip install --quiet --disable-pip-version-check \\
    --no-index --find-links "$here/wheels" meetops
echo "MeetOps {version} is installed in $target."
echo "Next: export MEETOPS_DATA_DIR=/var/lib/meetops SECRET_KEY=...; $target/bin/meetops migrate;"
echo "      $target/bin/meetops serve --host 0.0.0.0 --port 8000   (docs/operations.md)"
"""

README = """# MeetOps {version}: offline bundle

Installs MeetOps on a Linux machine (amd64 or arm64) with CPython 3.11 and no network:

    tar xzf meetops-bundle-{version}.tar.gz
    cd meetops-bundle-{version}
    ./install.sh /opt/meetops        # or: python3.11 -m pip install --no-index --find-links wheels meetops

The PDFs need Pango from the system's packages (Debian: libpangoft2-1.0-0); their
Chinese fonts are inside MeetOps itself. `fonts/` holds the same faces with their
licences (SIL Open Font License 1.1), for anyone who wants them elsewhere.

wheels/ holds MeetOps and every dependency at the version MeetOps is tested with:
pure-Python wheels once, the others for manylinux (glibc 2.28 or newer) on amd64 and arm64.

{arm64}
"""


def main() -> None:
    wheel = _meetops_wheel()
    version = str(parse_wheel_filename(wheel.name)[1])
    name = f"meetops-bundle-{version}"
    with tempfile.TemporaryDirectory() as tmp:
        top = Path(tmp) / name
        wheels = top / "wheels"
        wheels.mkdir(parents=True)
        without_arm64 = _collect_wheels(wheel, wheels, Path(tmp) / "built")
        shutil.copytree(FONTS, top / "fonts")
        install = top / "install.sh"
        install.write_text(INSTALL_SH.replace("{version}", version), encoding="utf-8")
        install.chmod(0o755)
        arm64 = (
            "No arm64 wheel exists for: " + ", ".join(without_arm64) + "; on arm64, pip "
            "needs these from elsewhere (or a compiler and their sources)."
            if without_arm64
            else "Every dependency has an arm64 wheel."
        )
        (top / "README.md").write_text(README.format(version=version, arm64=arm64), "utf-8")
        target = DIST / f"{name}.tar.gz"
        with tarfile.open(target, "w:gz") as archive:
            archive.add(top, arcname=name)
    print(f"made {target.relative_to(ROOT)} ({target.stat().st_size // 2**20} MiB)")
    if without_arm64:
        print("no arm64 wheel: " + ", ".join(without_arm64))


def _meetops_wheel() -> Path:
    found = sorted(DIST.glob("meetops-*-py3-none-any.whl"))
    if len(found) != 1:
        sys.exit(f"need exactly one MeetOps wheel in {DIST} (run `make dist`), found {found}")
    return found[0]


def _collect_wheels(wheel: Path, into: Path, scratch: Path) -> list[str]:
    """Every wheel MeetOps needs into `into`; the names of those without an arm64 wheel."""
    constraints = scratch / "constraints.txt"
    scratch.mkdir()
    constraints.write_text("\n".join(_locked_versions()) + "\n", encoding="utf-8")
    # This machine's wheels, built from sources where PyPI has none: the pure ones serve all.
    built = subprocess.run(  # noqa: S603 - fixed arguments
        [*PIP, "wheel", "--quiet", "--wheel-dir", str(scratch), "-c", str(constraints), str(wheel)],
        capture_output=True,
        text=True,
    )
    if built.returncode:
        sys.exit(f"pip wheel failed:\n{built.stdout}{built.stderr}")
    without_arm64 = []
    for local in sorted(scratch.glob("*.whl")):
        project, version, _, tags = parse_wheel_filename(local.name)
        if all(tag.platform == "any" for tag in tags):
            shutil.copy2(local, into)
            continue
        for arch in ARCHES:
            if _download(f"{project}=={version}", arch, into):
                continue
            if arch == "aarch64":
                without_arm64.append(f"{project} {version}")
            elif any(tag.platform.endswith(arch) for tag in tags):
                shutil.copy2(local, into)  # built here from its sources, for this very arch
            else:
                sys.exit(f"no amd64 wheel of {project} {version} on PyPI")
    return without_arm64


def _download(requirement: str, arch: str, into: Path) -> bool:
    platforms = [f"manylinux_2_{glibc}_{arch}" for glibc in range(NEWEST_GLIBC, 16, -1)]
    platforms.append(f"manylinux2014_{arch}")  # pip adds manylinux2010 and manylinux1
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [
            *PIP,
            "download",
            "--quiet",
            "--no-deps",
            "--only-binary=:all:",
            "--dest",
            str(into),
            "--python-version",
            "3.11",
            "--implementation",
            "cp",
            *(arg for abi in ("cp311", "abi3", "none") for arg in ("--abi", abi)),
            *(arg for platform in platforms for arg in ("--platform", platform)),
            requirement,
        ],
        capture_output=True,
        text=True,
    )
    return result.returncode == 0


def _locked_versions() -> list[str]:
    """`name==version` for each package in requirements.lock (constraints take no hashes)."""
    text = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    return re.findall(r"^([A-Za-z0-9][A-Za-z0-9._-]*==[^\s;\\]+)", text, re.MULTILINE)


if __name__ == "__main__":
    main()
