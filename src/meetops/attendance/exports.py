"""The attendance sheet: Excel for the record, a printed page (and PDF) with a signature column for the desk."""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import load_workbook

from meetops.attendance import selectors
from meetops.attendance.selectors import late_after
from meetops.attendance.services import PaperRow
from meetops.core.downloads import download_response
from meetops.core.errors import ValidationFailed
from meetops.invitations.spreadsheets import write_xlsx
from meetops.meetings.models import Meeting

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _when(value: datetime | None) -> str:
    return formats.date_format(timezone.localtime(value), "Y-m-d H:i") if value else ""


def sheet_context(meeting: Meeting) -> dict[str, Any]:
    return {
        "meeting": meeting,
        "rows": selectors.sheet_rows(meeting),
        "summary": selectors.summary(meeting),
        "late_after": late_after(meeting),
        "printed_at": timezone.now(),
    }


def xlsx_response(meeting: Meeting) -> HttpResponse:
    headers = [
        pgettext("person", "Name"),
        _("Department/company"),
        _("Role"),
        _("Attendance"),
        _("Phone"),
        _("Signed in at"),
        _("Method"),
        _("Late"),
        _("Attending for"),
        _("Walk-in"),
        _("Participant ID"),
    ]
    rows = (
        [
            p.display_name,
            p.organisation,
            p.get_role_display(),
            p.get_attendance_display(),
            p.phone,
            _when(p.signin.signed_in_at) if p.signin else "",
            p.signin.get_method_display() if p.signin else "",
            (_("Yes") if p.signin.late else _("No")) if p.signin else "",
            _substitute_name(p),
            (_("Yes") if p.signin.walk_in else "") if p.signin else "",
            p.pk,
        ]
        for p in selectors.sheet_rows(meeting)
    )
    data = write_xlsx(headers, rows, title=meeting.title)
    return download_response(data, filename=f"attendance-{meeting.pk}.xlsx", content_type=XLSX)


def _substitute_name(participant: Any) -> str:
    signin = participant.signin
    original = (signin.substitute_for if signin else None) or participant.substitute_for
    return original.display_name if original else ""


def sheet_pdf(meeting: Meeting) -> bytes:
    """The sign-in sheet as an A4 PDF with its fonts embedded (Noto CJK via WeasyPrint)."""
    from weasyprint import CSS, HTML

    html = render_to_string("attendance/sheet_print.html", sheet_context(meeting))
    stylesheet = finders.find("attendance/sheet.css")
    return HTML(string=html).write_pdf(stylesheets=[CSS(filename=stylesheet)])


def _spellings(text: str) -> set[str]:
    """A header in every interface language, so a sheet exported in one language reads in another."""
    names = set()
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            names.add(str(_(text)).strip().lower())
    return names


def read_paper_sheet(data: bytes) -> list[PaperRow]:
    """The lines of a filled-in attendance sheet (.xlsx as exported): participant ID and sign-in time."""
    try:
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).active
        table = list(sheet.iter_rows(values_only=True))
    except Exception as exc:
        raise ValidationFailed(
            _("The file could not be read as .xlsx."), "unreadable_file"
        ) from exc
    header = [str(h or "").strip().lower() for h in (table[0] if table else [])]
    ids, times = _spellings("Participant ID"), _spellings("Signed in at")
    id_col = next((n for n, h in enumerate(header) if h in ids), None)
    time_col = next((n for n, h in enumerate(header) if h in times), None)
    if id_col is None or time_col is None:
        raise ValidationFailed(
            _(
                "Use the exported attendance sheet: it needs the columns “Participant ID” and “Signed in at”."
            ),
            "not_an_attendance_sheet",
        )
    rows = []
    for number, raw in enumerate(table[1:], start=2):
        cells = list(raw) + [None] * (max(id_col, time_col) + 1 - len(raw))
        pid = cells[id_col]
        rows.append(
            PaperRow(
                row=number,
                participant_id=int(pid) if str(pid or "").strip().isdigit() else None,
                time=cells[time_col],
            )
        )
    return rows
