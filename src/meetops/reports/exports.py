"""The summary report as PDF (WeasyPrint, Noto CJK embedded) and DOCX (python-docx, official layout).

The leaders' instructions (批示) are drawn in a box, as on a paper 呈批件:
a bordered one-cell table in Word, a bordered block in the PDF.
"""

from __future__ import annotations

import io

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from meetops.agenda.exports import HEADING_FONT, _set_fonts, _when, official_document
from meetops.reports.models import Decision, ReportApproval, SummaryReport


def section_titles() -> list[tuple[str, str]]:
    return [
        ("overview", _("Time, place and attendance")),
        ("topics", _("Topics")),
        ("discussion", _("Discussion")),
        ("consensus", _("Consensus and decisions")),
        ("summary", _("The host's closing summary")),
        ("follow_up", _("Follow-up actions")),
    ]


def _decided(report: SummaryReport) -> list[ReportApproval]:
    return [a for a in report.approvals.all() if a.decision != Decision.PENDING]


def _instruction_text(approval: ReportApproval) -> str:
    return approval.instructions or _("No instructions.")


def report_docx(report: SummaryReport) -> bytes:
    """The report as a Word document (A4), the instructions in a bordered box."""
    document = official_document(report.title)
    for name, label in section_titles():
        text = getattr(report, name)
        if text:
            document.add_heading(label, level=1)
            for line in text.splitlines():
                document.add_paragraph(line)
    document.add_heading(pgettext("summary report", "Leaders' instructions (批示)"), level=1)
    box = document.add_table(rows=1, cols=1)
    box.style = "Table Grid"
    cell = box.rows[0].cells[0]
    decided = _decided(report)
    if not decided:
        cell.text = _("No leader has decided yet.")
    for i, approval in enumerate(decided):
        paragraph = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
        when = _when(approval.decided_at) if approval.decided_at else ""
        run = paragraph.add_run(f"{approval.leader} · {approval.get_decision_display()} · {when}")
        run.bold = True
        _set_fonts(run._r, HEADING_FONT)
        for line in _instruction_text(approval).splitlines():
            cell.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def report_html(report: SummaryReport) -> str:
    sections = [(label, getattr(report, name)) for name, label in section_titles()]
    return render_to_string(
        "reports/print.html",
        {
            "report": report,
            "meeting": report.meeting,
            "sections": sections,
            "decided": _decided(report),
        },
    )


def report_pdf(report: SummaryReport) -> bytes:
    """The report as an A4 PDF with its fonts embedded (subsets), for archiving."""
    from weasyprint import CSS, HTML

    stylesheet = finders.find("agenda/plan.css")
    return HTML(string=report_html(report)).write_pdf(stylesheets=[CSS(filename=stylesheet)])
