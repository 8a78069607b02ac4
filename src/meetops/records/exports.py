"""The archive's standard forms as Excel and A4 landscape PDF, in the organisation's language
whoever downloads them: the destruction register (销毁清册, kept permanently, one line per
destroyed 件 with its SHA-256) and the 归档文件目录 (DA/T 22-2015 §5.5)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import pgettext

from meetops.invitations.spreadsheets import write_xlsx
from meetops.records.models import Destruction, Document, RetentionRule, Scheme

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _when(value: datetime | None) -> str:
    return formats.date_format(timezone.localtime(value), "Y-m-d H:i") if value else ""


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _legacy_items(d: Destruction) -> list[dict[str, Any]]:
    """Destructions carried out before the register kept each 件: one line per file."""
    return [
        {
            "archive_number": d.dossier.archive_number,
            "title": f"{d.dossier.title} · {f.get('file_name', '')}",
            "date": str(d.dossier.year),
            "retention": d.dossier.retention.code_in_number,
            "sha256": f.get("sha256", ""),
        }
        for f in d.files
    ] or [
        {
            "archive_number": d.dossier.archive_number,
            "title": d.dossier.title,
            "date": str(d.dossier.year),
            "retention": d.dossier.retention.code_in_number,
        }
    ]


def register_headers() -> list[str]:
    return [
        pgettext("archive register", "No."),
        pgettext("archive register", "Archive number"),
        pgettext("archive register", "Document number"),
        pgettext("archive register", "Responsible party"),
        pgettext("archive register", "Title"),
        pgettext("archive register", "Date"),
        pgettext("archive register", "Pages"),
        pgettext("archive register", "Retention period"),
        pgettext("archive register", "Reason for destruction"),
        pgettext("archive register", "Approved by"),
        pgettext("archive register", "Supervisors"),
        pgettext("archive register", "Destroyed at"),
        pgettext("archive register", "SHA-256"),
        pgettext("archive register", "Notes"),
    ]


def register_rows(rows: Sequence[Destruction]) -> list[list[object]]:
    lines: list[list[object]] = []
    for d in rows:
        supervisors = "、".join(str(u) for u in d.supervisors.all())
        for item in d.items or _legacy_items(d):
            lines.append(
                [
                    len(lines) + 1,
                    item.get("archive_number", ""),
                    item.get("reference", ""),
                    item.get("author", ""),
                    item.get("title", ""),
                    item.get("date", ""),
                    "" if item.get("pages") is None else item["pages"],
                    item.get("retention", ""),
                    d.reason,
                    str(d.decided_by or ""),
                    supervisors,
                    _when(d.decided_at),
                    item.get("sha256", ""),
                    item.get("file_name", ""),
                ]
            )
    return lines


def _in_house_language(make: Callable[[], bytes]) -> bytes:
    with translation.override(settings.LANGUAGE_CODE):
        return make()


def register_xlsx(rows: Sequence[Destruction]) -> bytes:
    return _in_house_language(
        lambda: write_xlsx(
            register_headers(),
            register_rows(rows),
            title=pgettext("archive register", "Destruction register"),
        )
    )


def _pdf(template: str, context: dict[str, Any]) -> bytes:
    # reason: WeasyPrint loads cairo and its fonts on first use; only exports need it
    from weasyprint import HTML

    return HTML(string=render_to_string(template, context)).write_pdf()


def register_pdf(rows: Sequence[Destruction]) -> bytes:
    return _in_house_language(
        lambda: _pdf(
            "records/register_print.html",
            {
                "heading": pgettext("archive register", "Destruction register"),
                "headers": register_headers(),
                "rows": register_rows(rows),
                "printed_at": timezone.now(),
            },
        )
    )


def catalogue_headers() -> list[str]:
    return [
        pgettext("archive register", "No."),
        pgettext("archive register", "Archive number"),
        pgettext("archive register", "Document number"),
        pgettext("archive register", "Responsible party"),
        pgettext("archive register", "Title"),
        pgettext("archive register", "Date"),
        pgettext("archive register", "Classification"),
        pgettext("archive register", "Pages"),
        pgettext("archive register", "Notes"),
    ]


def catalogue_rows(documents: Sequence[Document]) -> list[list[object]]:
    return [
        [
            n,
            d.archive_number,
            d.reference,
            d.author,
            d.title,
            d.dated.strftime("%Y%m%d") if d.dated else "",
            d.secrecy,
            "" if d.pages is None else d.pages,
            "",
        ]
        for n, d in enumerate(documents, start=1)
    ]


def catalogue_xlsx(documents: Sequence[Document], *, year: int) -> bytes:
    return _in_house_language(
        lambda: write_xlsx(
            catalogue_headers(),
            catalogue_rows(documents),
            title=f"{pgettext('archive register', 'Catalogue of filed documents')} {year}",
        )
    )


def catalogue_pdf(
    documents: Sequence[Document], *, year: int, scheme: Scheme, retention: RetentionRule | None
) -> bytes:
    return _in_house_language(
        lambda: _pdf(
            "records/catalogue_print.html",
            {
                "heading": pgettext("archive register", "Catalogue of filed documents"),
                "headers": catalogue_headers(),
                "rows": catalogue_rows(documents),
                "year": year,
                "scheme": scheme,
                "retention": retention,
                "printed_at": timezone.now(),
            },
        )
    )
