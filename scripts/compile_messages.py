"""Compile every gettext catalogue (.po → .mo) with Babel.

Pure Python, so setup does not depend on GNU gettext being installed. Only
catalogues whose .mo is older than the .po are rebuilt.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent / "src" / "meetops"


def main() -> None:
    for po_path in sorted(ROOT.glob("**/locale/*/LC_MESSAGES/*.po")):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        locale = po_path.parent.parent.name
        with po_path.open("rb") as po_file:
            # Babel knows zh_Hans_CN-style identifiers; the script subtag is enough here.
            catalog = read_po(po_file, locale=locale)
        with mo_path.open("wb") as mo_file:
            write_mo(mo_file, catalog, use_fuzzy=False)
        print(f"compiled {mo_path.relative_to(ROOT.parent.parent)}")


if __name__ == "__main__":
    main()
