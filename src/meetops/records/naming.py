"""The naming rules (P7.2): file names from meeting, date and document type; archive numbers (档号).

Patterns use Python format fields, e.g. `{date}_{meeting}_{category}_{seq:02d}.{ext}` and
`{year}-{kind}-{seq:04d}`. Names keep letters of any script (Chinese too), digits, `-` and
`_`; everything else becomes `-`, so a name is safe on every file system and in a URL.
"""

from __future__ import annotations

import re
import string
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from meetops.core.errors import ValidationFailed

FILE_FIELDS = {"date", "year", "meeting", "category", "code", "seq", "ext", "number"}
NUMBER_FIELDS = {"year", "kind", "seq"}
_UNSAFE = re.compile(r"[^\w\-]+", re.UNICODE)
_DASHES = re.compile(r"-{2,}")
MAX_PART = 60


def safe(text: str, *, limit: int = MAX_PART) -> str:
    """`text` with only letters, digits, `-` and `_` (any script), at most `limit` characters."""
    cleaned = _DASHES.sub("-", _UNSAFE.sub("-", text.strip())).strip("-_")
    return cleaned[:limit].rstrip("-_") or "x"


def _sample(fields: set[str]) -> dict[str, Any]:
    values: dict[str, Any] = {"seq": 1}
    return {name: values.get(name, "a") for name in fields}


def check_pattern(pattern: str, allowed: set[str]) -> str:
    """The pattern if it only names `allowed` fields and formats; else ValidationFailed."""
    try:
        names = {f for _lit, f, _spec, _conv in string.Formatter().parse(pattern) if f is not None}
        if not names <= allowed or "seq" not in names:
            raise ValueError
        pattern.format(**_sample(allowed))
    except (ValueError, IndexError, KeyError):
        raise ValidationFailed(
            _("The rule may only use the fields %(fields)s, and must use {seq}.")
            % {"fields": ", ".join(f"{{{f}}}" for f in sorted(allowed))},
            "invalid_pattern",
        ) from None
    return pattern


def file_name(
    pattern: str,
    *,
    meeting_title: str,
    day: date,
    category_name: str,
    category_code: str,
    seq: int,
    ext: str,
    number: str,
) -> str:
    """The archived file's name by the rule; the extension is the real one, lower case."""
    stem = pattern.rsplit(".{ext}", 1)[0] if pattern.endswith(".{ext}") else pattern
    name = stem.format(
        date=day.strftime("%Y%m%d"),
        year=day.year,
        meeting=safe(meeting_title),
        category=safe(category_name, limit=20),
        code=safe(category_code, limit=20),
        seq=seq,
        ext=ext,
        number=safe(number, limit=40),
    )
    return f"{safe(name, limit=180)}.{ext.lower()}"


def archive_number(pattern: str, *, year: int, kind: str, seq: int) -> str:
    return pattern.format(year=year, kind=safe(kind, limit=20).upper(), seq=seq)


def number_prefix(pattern: str, *, year: int, kind: str) -> str:
    """The counter key: the number with its sequence left out, so each prefix counts from 1."""
    return re.sub(r"\{seq[^}]*\}", "#", pattern).format(
        year=year, kind=safe(kind, limit=20).upper()
    )
