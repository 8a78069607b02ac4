"""The board as an Excel workbook and the leadership summary as a PDF (WeasyPrint)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from meetops.core.downloads import download_response
from meetops.followup.selectors import Summary
from meetops.meetings.selectors import meeting_titles_for
from meetops.venues.services.spreadsheet import safe_cell

if TYPE_CHECKING:
    from meetops.followup.selectors import BoardItem
    from meetops.people.models import User

TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def download(content: bytes, name: str) -> HttpResponse:
    return download_response(content, filename=name, content_type=TYPES[name.rsplit(".", 1)[-1]])


def board_xlsx(rows: Sequence[BoardItem], *, reader: User) -> bytes:
    """One row per item as the board shows it to `reader` (rows come annotated by
    `selectors.annotated`); a meeting the reader may not see is not named."""
    from openpyxl import Workbook

    meetings = meeting_titles_for(reader, {a.meeting_id for a in rows})

    wb = Workbook()
    ws = wb.active
    ws.title = _("Follow-up")[:31]
    ws.append(
        [
            _("Action item"),
            _("Meeting"),
            _("Owner"),
            _("Department"),
            _("Cooperating departments"),
            _("Due date"),
            _("State"),
            _("Percent done"),
            _("Overdue"),
            _("Open escalations"),
            pgettext("review", "Accepted"),
            _("Quality"),
        ]
    )
    today = timezone.localdate()
    for a in rows:
        overdue = a.is_live and a.due_date is not None and a.due_date < today
        ws.append(
            [
                safe_cell(a.title),
                safe_cell(meetings[a.meeting_id].title),
                safe_cell(str(a.owner or "")),
                safe_cell(a.department.name if a.department else ""),
                safe_cell("、".join(c.department.name for c in a.cooperations.all())),
                a.due_date,
                str(a.get_state_display()),
                a.percent,
                _("yes") if overdue else "",
                a.open_escalations or 0,
                _("yes") if a.accepted else "",
                a.quality,
            ]
        )
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def summary_pdf(summary: Summary) -> bytes:
    """The leadership summary as an A4 PDF with its fonts embedded."""
    from weasyprint import CSS, HTML

    html = render_to_string(
        "followup/summary_print.html", {"summary": summary, "today": timezone.localdate()}
    )
    stylesheet = finders.find("agenda/plan.css")
    return HTML(string=html).write_pdf(stylesheets=[CSS(filename=stylesheet)])
