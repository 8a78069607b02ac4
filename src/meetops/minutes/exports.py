"""The minutes as PDF (WeasyPrint, Noto CJK embedded) and DOCX (python-docx, Chinese fonts named).

Both are drawn in the active language (the viewer's). The DOCX uses the agenda
export's font set-up (方正小标宋 title, 黑体 headings, 仿宋_GB2312 body, with
fallbacks in the font table), so a plan and its minutes look alike.
"""

from __future__ import annotations

import io

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from meetops.agenda.exports import _clock, _table, _when, official_document
from meetops.minutes.attendance import AttendanceSummary
from meetops.minutes.models import ActionItem
from meetops.minutes.selectors import DecisionView, MinutesDocument


def _votes(d: DecisionView) -> str:
    if not d.has_votes:
        return ""
    return _("For %(for)s, against %(against)s, abstaining %(abstain)s") % {
        "for": d.votes_for if d.votes_for is not None else "–",
        "against": d.votes_against if d.votes_against is not None else "–",
        "abstain": d.votes_abstain if d.votes_abstain is not None else "–",
    }


def attendance_text(attendance: AttendanceSummary) -> str:
    if attendance.known:
        return _("Expected %(expected)d, present %(present)d, absent %(absent)d") % {
            "expected": attendance.expected,
            "present": attendance.present,
            "absent": attendance.absent,
        }
    return _("Expected %(expected)d (%(required)d required)") % {
        "expected": attendance.expected,
        "required": attendance.required,
    }


def minutes_docx(
    doc: MinutesDocument, attendance: AttendanceSummary, actions: list[ActionItem]
) -> bytes:
    """The minutes as a Word document (A4), laid out like the meeting plan."""
    meeting, minutes = doc.meeting, doc.minutes
    document = official_document(_("Minutes: %(title)s") % {"title": meeting.title})
    basics = [
        [_("Time"), f"{_when(meeting.start)} – {_clock(meeting.end)}"],
        [_("Attendance count"), attendance_text(attendance)],
        [_("State"), minutes.get_state_display() if minutes else ""],
        [_("Revision"), str(doc.revision)],
    ]
    if minutes and minutes.approved_by and minutes.approved_at:
        basics.append([_("Approved by"), f"{minutes.approved_by} · {_when(minutes.approved_at)}"])
    _table(document, [_("Item"), _("Details")], basics)
    if doc.notes:
        document.add_heading(_("General notes"), level=1)
        document.add_paragraph(doc.notes)
    for i, s in enumerate(doc.sections, start=1):
        document.add_heading(f"{i}. {s.title}", level=1)
        if s.notes:
            document.add_paragraph(s.notes)
        if s.decisions:
            document.add_heading(_("Decisions"), level=2)
            for d in s.decisions:
                votes = _votes(d)
                document.add_paragraph(
                    f"{d.text}" + (f"（{votes}）" if votes else ""), style="List Number"
                )
    document.add_heading(_("Closing summary"), level=1)
    document.add_paragraph(doc.summary or "—")
    document.add_heading(_("Action plan"), level=1)
    if doc.action_plan:
        document.add_paragraph(doc.action_plan)
    if actions:
        _table(
            document,
            [_("Action item"), _("Owner"), _("Due date"), _("State")],
            [
                [
                    a.title,
                    " / ".join(
                        x
                        for x in (str(a.owner or ""), a.department.name if a.department else "")
                        if x
                    ),
                    a.due_date.isoformat() if a.due_date else "",
                    a.get_state_display(),
                ]
                for a in actions
            ],
        )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def minutes_html(
    doc: MinutesDocument, attendance: AttendanceSummary, actions: list[ActionItem]
) -> str:
    return render_to_string(
        "minutes/print.html",
        {
            "doc": doc,
            "meeting": doc.meeting,
            "minutes": doc.minutes,
            "attendance": attendance,
            "actions": actions,
        },
    )


def minutes_pdf(
    doc: MinutesDocument, attendance: AttendanceSummary, actions: list[ActionItem]
) -> bytes:
    """The minutes as an A4 PDF with its fonts embedded (subsets), for archiving."""
    from weasyprint import CSS, HTML

    stylesheet = finders.find("agenda/plan.css")
    return HTML(string=minutes_html(doc, attendance, actions)).write_pdf(
        stylesheets=[CSS(filename=stylesheet)]
    )
