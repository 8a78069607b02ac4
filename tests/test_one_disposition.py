"""Every download names its file through core/downloads.py (issue 16).

A hand-built `Content-Disposition` is how Chinese names broke in some browsers and how a quote in
a name could end the header early; `FileResponse(…, filename=…)` writes one through Django's
helper, which leaves out the ASCII fallback. So both live in one module, and this test fails when
either appears anywhere else in the package's code (tests and migrations left out).
"""

from __future__ import annotations

import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "meetops"
HELPER = Path("core") / "downloads.py"
FORBIDDEN = re.compile(r"content[-_]disposition|\bFileResponse\(", re.IGNORECASE)


def _offences() -> list[str]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE)
        if relative == HELPER or {"tests", "migrations"} & set(relative.parts):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if FORBIDDEN.search(line):
                found.append(f"{relative}:{number}: {line.strip()}")
    return found


def test_only_the_download_helper_writes_content_disposition() -> None:
    offences = _offences()
    assert not offences, (
        "Name downloads with meetops.core.downloads (download_response, stored_file, "
        "name_download), not by hand:\n" + "\n".join(offences)
    )


def test_the_check_sees_a_hand_built_header() -> None:
    # The pattern must catch the spellings used before the helper existed.
    for line in (
        "response['Content-Disposition'] = 'attachment'",
        'response.headers["content-disposition"] = x',
        "content_disposition_header(True, name)",
        "return FileResponse(f, as_attachment=True)",
    ):
        assert FORBIDDEN.search(line), line
