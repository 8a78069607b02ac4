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
# The 件's 档号 (DA/T 22-2015 §5.4): 全宗号, 门类代码, 年度, 保管期限代码, 机构（问题）代码, 件号.
ITEM_FIELDS = {"fonds", "class", "year", "retention", "org", "kind", "seq"}
MIDDLE_DOT = "\u00b7"
# Parts that may be empty; an empty one leaves the number with its separator (§5.4: no 机构 code,
# no "-" either).
OPTIONAL_PARTS = ("org", "fonds")
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


def _drop_empty(pattern: str, parts: dict[str, str]) -> str:
    for name in OPTIONAL_PARTS:
        if parts.get(name):
            continue
        field = re.compile(r"\{" + name + r"[^}]*\}")
        pattern = re.sub(r"[-" + MIDDLE_DOT + r"]" + field.pattern, "", pattern, count=1)
        pattern = re.sub(field.pattern + r"[-" + MIDDLE_DOT + r"]?", "", pattern, count=1)
    return pattern


def check_item_pattern(pattern: str) -> str:
    """The 档号 rule if it names only the known parts and uses {seq}; the 门类 and the year, when
    both are present and next to each other, are joined by the middle dot U+00B7 (§5.4)."""
    check_pattern(pattern, ITEM_FIELDS)
    joined = re.search(r"\{class\}(.)\{year", pattern)
    if joined and joined.group(1) != MIDDLE_DOT:
        raise ValidationFailed(
            _("Join the record class and the year with the middle dot · (U+00B7), not “%(sep)s”.")
            % {"sep": joined.group(1)},
            "separator_not_middle_dot",
        )
    return pattern


def _item_parts(
    *, fonds: str, record_class: str, year: int, retention: str, org: str, kind: str
) -> dict[str, Any]:
    return {
        "fonds": safe(fonds, limit=20).upper() if fonds.strip() else "",
        "class": safe(record_class, limit=10).upper(),
        "year": f"{year:04d}",
        "retention": retention,
        "org": safe(org, limit=10).upper() if org.strip() else "",
        "kind": safe(kind, limit=20).upper(),
    }


def item_number(
    pattern: str,
    *,
    fonds: str,
    record_class: str,
    year: int,
    retention: str,
    org: str,
    kind: str = "",
    seq: int,
) -> str:
    """The 件's 档号, e.g. Z109-WS·2026-Y-BGS-0001."""
    parts = _item_parts(
        fonds=fonds, record_class=record_class, year=year, retention=retention, org=org, kind=kind
    )
    return _drop_empty(pattern, parts).format(**parts, seq=seq)


def item_prefix(
    pattern: str,
    *,
    fonds: str,
    record_class: str,
    year: int,
    retention: str,
    org: str,
    kind: str = "",
) -> str:
    """The counter key of the lowest class (year × retention × department by default)."""
    parts = _item_parts(
        fonds=fonds, record_class=record_class, year=year, retention=retention, org=org, kind=kind
    )
    return re.sub(r"\{seq[^}]*\}", "#", _drop_empty(pattern, parts)).format(**parts)
