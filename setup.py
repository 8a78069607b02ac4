"""Refuse to build an sdist or a wheel without what git does not hold.

The compiled catalogues (.mo), the front-end assets (htmx, jsQR) and the fonts the
documents embed are made by `make install` and are git-ignored; an installed MeetOps
needs them and has no network to fetch them. `make dist` makes them, then builds.
Everything else is in pyproject.toml.
"""

from __future__ import annotations

from pathlib import Path

from setuptools import setup
from setuptools.command.bdist_wheel import bdist_wheel
from setuptools.command.sdist import sdist

PACKAGE = Path(__file__).resolve().parent / "src" / "meetops"


def missing() -> list[str]:
    """What a build would lack, as paths under src/meetops."""
    lacking = [
        name
        for name in (
            "core/static/vendor/htmx.min.js",
            "core/static/vendor/jsQR.js",
            "core/static/vendor/dingtalk.js",
        )
        if not (PACKAGE / name).is_file()
    ]
    if not list((PACKAGE / "core" / "fonts").glob("*.ttf")):
        lacking.append("core/fonts/*.ttf")
    for po in sorted(PACKAGE.glob("*/locale/*/LC_MESSAGES/*.po")):
        mo = po.with_suffix(".mo")
        # Existence, not age: a build from the sdist unpacks files with times of the
        # unpacker's choosing (uv's made .po newer than .mo). `make dist` runs `make install`,
        # which compiles every changed catalogue first.
        if not mo.is_file() or mo.stat().st_size == 0:
            lacking.append(str(mo.relative_to(PACKAGE)))
    return lacking


def refuse_if_incomplete(command: str) -> None:
    lacking = missing()
    if lacking:
        shown = ", ".join(lacking[:5]) + (
            f" and {len(lacking) - 5} more" if len(lacking) > 5 else ""
        )
        raise SystemExit(
            f"meetops {command}: the package lacks {shown}; run `make dist` "
            "(or `make install` first), which fetches and compiles them."
        )


class CompleteSdist(sdist):
    def run(self) -> None:
        refuse_if_incomplete("sdist")
        super().run()


class CompleteWheel(bdist_wheel):
    def run(self) -> None:
        refuse_if_incomplete("wheel")
        super().run()


setup(cmdclass={"sdist": CompleteSdist, "bdist_wheel": CompleteWheel})
