"""The settlement statement as an Excel workbook: lines (planned, actual) and every expense."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _

from meetops.budget.selectors import Statement
from meetops.meetings.models import Meeting
from meetops.venues.services.spreadsheet import safe_cell


def statement_xlsx(meeting: Meeting, statement: Statement) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = _("Budget")[:31]
    ws.append([safe_cell(meeting.title)])
    ws.append([_("Category"), _("Note"), _("Planned"), _("Actual"), _("Remaining")])
    for f in statement.lines:
        ws.append(
            [
                safe_cell(str(f.line.get_category_display())),
                safe_cell(f.line.note),
                f.line.planned,
                f.actual,
                f.remaining,
            ]
        )
    ws.append(
        [_("Total"), "", statement.planned_total, statement.actual_total, statement.remaining_total]
    )
    sheet = wb.create_sheet(_("Expenses")[:31])
    sheet.append(
        [
            _("Date"),
            _("Category"),
            _("Payee"),
            _("Description"),
            _("Amount"),
            _("Reason, if over budget"),
            _("Receipt"),
        ]
    )
    for e in statement.expenses:
        sheet.append(
            [
                e.spent_on,
                safe_cell(str(e.line.get_category_display())),
                safe_cell(e.payee),
                safe_cell(e.description),
                e.amount,
                safe_cell(e.over_budget_reason),
                _("yes") if e.receipt else _("no"),
            ]
        )
    if statement.voided:
        voided = wb.create_sheet(_("Voided expenses")[:31])
        voided.append([_("Date"), _("Payee"), _("Amount"), _("Reason for voiding")])
        for e in statement.voided:
            voided.append([e.spent_on, safe_cell(e.payee), e.amount, safe_cell(e.void_reason)])
    for sh, columns in ((ws, "CDE"), (sheet, "E")):
        for column in columns:
            for cell in sh[column][1:]:
                cell.number_format = "#,##0.00"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
