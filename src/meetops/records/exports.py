"""The destruction register (销毁清册, P7.10) as Excel and as an A4 PDF, kept as evidence."""

from __future__ import annotations

from datetime import datetime

from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from meetops.invitations.spreadsheets import write_xlsx
from meetops.records.models import Destruction

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _when(value: datetime | None) -> str:
    return formats.date_format(timezone.localtime(value), "Y-m-d H:i") if value else ""


def register_rows(rows: list[Destruction]) -> list[list[object]]:
    return [
        [
            n,
            d.dossier.archive_number,
            d.dossier.title,
            d.dossier.year,
            d.dossier.retention.name,
            len(d.files),
            sum(int(f.get("size", 0)) for f in d.files),
            d.reason,
            str(d.proposed_by or ""),
            _when(d.proposed_at),
            str(d.decided_by or ""),
            _when(d.decided_at),
            "; ".join(f"{f['file_name']} sha256:{f['sha256']}" for f in d.files),
        ]
        for n, d in enumerate(rows, start=1)
    ]


def register_headers() -> list[str]:
    return [
        _("No."),
        _("Archive number"),
        _("Title"),
        _("Year"),
        _("Retention period"),
        _("Files"),
        _("Bytes"),
        _("Reason"),
        _("Proposed by"),
        _("Proposed at"),
        _("Approved by"),
        _("Destroyed at"),
        _("Files destroyed (SHA-256)"),
    ]


def register_xlsx(rows: list[Destruction]) -> bytes:
    return write_xlsx(register_headers(), register_rows(rows), title=_("Destruction register"))


def register_pdf(rows: list[Destruction]) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "records/register_print.html",
        {
            "headers": register_headers()[:12],
            "rows": [r[:12] for r in register_rows(rows)],
            "printed_at": timezone.now(),
        },
    )
    return HTML(string=html).write_pdf()
