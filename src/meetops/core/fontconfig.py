"""The faces every PDF embeds come with MeetOps, not from the machine it runs on.

The print stylesheets name Noto CJK (`"Noto Serif CJK SC"`, `"Noto Sans CJK TC"`, …),
which a fresh server does not have: there WeasyPrint draws every Chinese character
as a .notdef box. `make install` (scripts/fetch_assets.py) puts Noto Serif/Sans
SC/TC into `core/fonts/`, the wheel carries them, and at start-up MeetOps writes a
private fontconfig file that adds that folder to the machine's own configuration
and makes the project's faces answer for the names the stylesheets use, so a
document comes out with the same glyphs on every machine. WeasyPrint reads
FONTCONFIG_FILE each time it lays out a document (FontConfiguration), so setting it
before the first PDF is enough.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from ctypes.util import find_library
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from django.core.checks import CheckMessage, register
from django.core.checks import Warning as CheckWarning

FONTS_DIR = Path(__file__).resolve().parent / "fonts"
FACE_SUFFIXES = (".ttf", ".otf")

# The family a stylesheet asks for → the project's face that draws it.
ALIASES = {
    "Noto Serif CJK SC": "Noto Serif SC",
    "Noto Serif CJK TC": "Noto Serif TC",
    "Noto Sans CJK SC": "Noto Sans SC",
    "Noto Sans CJK TC": "Noto Sans TC",
    "Source Han Serif SC": "Noto Serif SC",
    "Source Han Serif TC": "Noto Serif TC",
    "Source Han Sans": "Noto Sans SC",
    "Source Han Sans SC": "Noto Sans SC",
    "Source Han Sans TC": "Noto Sans TC",
    # The faces an official DOCX names (documents/page.py): LibreOffice on the server
    # converting one draws them with the faces the PDFs embed, not with a Japanese fallback.
    "仿宋_GB2312": "Noto Serif SC",
    "仿宋": "Noto Serif SC",
    "FangSong": "Noto Serif SC",
    "方正小标宋简体": "Noto Serif SC",
    "宋体": "Noto Serif SC",
    "SimSun": "Noto Serif SC",
    "楷体_GB2312": "Noto Serif SC",
    "KaiTi": "Noto Serif SC",
    "黑体": "Noto Sans SC",
    "SimHei": "Noto Sans SC",
}

# The configuration that was in force before MeetOps replaced it: a process started by
# one that already set up the fonts (gunicorn's workers, a test's server) builds on it.
BASE_VARIABLE = "MEETOPS_FONTCONFIG_BASE"
# No FONTCONFIG_FILE set: fontconfig finds its own default by this name.
DEFAULT_BASE = "fonts.conf"


def faces(folder: Path | None = None) -> list[Path]:
    """The font files MeetOps carries (none when `make install` has not fetched them)."""
    folder = folder or FONTS_DIR
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in FACE_SUFFIXES)


def config_xml(*, base: str, fonts_dir: Path, cache_dir: Path) -> str:
    """A fontconfig file: the machine's configuration, the project's folder, the aliases."""
    aliases = "\n".join(
        f'  <alias binding="same"><family>{escape(asked)}</family>'
        f"<prefer><family>{escape(face)}</family></prefer></alias>"
        for asked, face in ALIASES.items()
    )
    return (
        '<?xml version="1.0"?>\n'
        '<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
        "<!-- Written by MeetOps at start-up (meetops/core/fontconfig.py); edits are lost. -->\n"
        "<fontconfig>\n"
        f'  <include ignore_missing="yes">{escape(base)}</include>\n'
        f"  <dir>{escape(str(fonts_dir))}</dir>\n"
        # After the base's own cache folders: used only when none of those is writable.
        f"  <cachedir>{escape(str(cache_dir))}</cachedir>\n"
        f"{aliases}\n"
        "</fontconfig>\n"
    )


def install(data_dir: Path, *, fonts_dir: Path | None = None) -> Path | None:
    """Point fontconfig (so WeasyPrint) at MeetOps's fonts; the file written, or None.

    Without fonts in `fonts_dir` nothing changes and the machine's fonts are used
    (the system check meetops.W023 says so).
    """
    fonts_dir = fonts_dir or FONTS_DIR
    if not faces(fonts_dir):
        return None
    folder = data_dir / "fontconfig"
    path = folder / "fonts.conf"
    current = os.environ.get("FONTCONFIG_FILE")
    base = os.environ.get(BASE_VARIABLE) or (
        current if current and Path(current) != path else DEFAULT_BASE
    )
    text = config_xml(base=base, fonts_dir=fonts_dir, cache_dir=folder / "cache")
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        folder.mkdir(parents=True, exist_ok=True)
        # Several processes start at once (test workers, gunicorn): never show a half file.
        partial = folder / f"fonts.conf.{os.getpid()}"
        partial.write_text(text, encoding="utf-8")
        partial.replace(path)
    os.environ[BASE_VARIABLE] = base
    os.environ["FONTCONFIG_FILE"] = str(path)
    return path


@register()
def check_pdf_fonts(app_configs: Sequence[Any] | None = None, **kwargs: Any) -> list[CheckMessage]:
    """Warn when a PDF cannot be made the same here as elsewhere: no Pango, or no fonts."""
    found: list[CheckMessage] = []
    if not find_library("pangoft2-1.0"):
        found.append(
            CheckWarning(
                "Pango (libpangoft2) was not found: every PDF export (plans, minutes, reports, "
                "sheets, seat charts) fails on this machine.",
                hint="Install it from the system's packages (Debian: apt-get install "
                "libpangoft2-1.0-0).",
                id="meetops.W024",
            )
        )
    if not faces():
        found.append(
            CheckWarning(
                f"MeetOps's document fonts are missing from {FONTS_DIR}: Chinese PDFs use "
                "whatever fonts this machine has, and a machine without a CJK font draws boxes.",
                hint="Run `make install` (it fetches them), or install MeetOps from its wheel.",
                id="meetops.W023",
            )
        )
    return found
