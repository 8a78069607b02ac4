"""The attendance sheet: Excel for the record, a printed page (and PDF) with a signature column for the desk."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from meetops.attendance import selectors
from meetops.attendance.services import late_after
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
    ]
    rows = (
        [
            p.display_name,
            p.organisation,
            p.get_role_display(),
            p.get_attendance_display(),
            p.phone,
            _when(p.signin.signed_in_at) if p.signin else "",  # type: ignore[attr-defined]
            p.signin.get_method_display() if p.signin else "",  # type: ignore[attr-defined]
            (_("Yes") if p.signin.late else _("No")) if p.signin else "",  # type: ignore[attr-defined]
            _substitute_name(p),
            (_("Yes") if p.signin.walk_in else "") if p.signin else "",  # type: ignore[attr-defined]
        ]
        for p in selectors.sheet_rows(meeting)
    )
    data = write_xlsx(headers, rows, title=meeting.title)
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="attendance-{meeting.pk}.xlsx"'
    return response


def _substitute_name(participant: Any) -> str:
    signin = participant.signin
    original = (signin.substitute_for if signin else None) or participant.substitute_for
    return original.display_name if original else ""


def sheet_pdf(meeting: Meeting) -> bytes:
    """The sign-in sheet as an A4 PDF with its fonts embedded (Noto CJK via WeasyPrint)."""
    from weasyprint import CSS, HTML

    html = render_to_string("attendance/sheet_print.html", sheet_context(meeting))
    stylesheet = finders.find("attendance/sheet.css")
    return HTML(string=html).write_pdf(stylesheets=[CSS(filename=stylesheet)])  # type: ignore[no-any-return]
