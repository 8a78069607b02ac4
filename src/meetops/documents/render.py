"""From a meeting to a file: the language, the number, the description, the renderer.

The document is written in the meeting's language (`Meeting.language`, else the
site's), whoever asks. A number is issued the first time a final document is made
(minutes approved or published, a report approved, any notice: its organisers send
it); a draft says it is not numbered yet and takes no number.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone, translation

from meetops.agenda.selectors import items_of
from meetops.documents import builders, numbering, pdf, templates, word
from meetops.documents.models import Issuer, Kind, OfficeTemplate
from meetops.documents.page import OfficialDocument
from meetops.documents.people import people_lines
from meetops.documents.services import default_issuer
from meetops.invitations.models import InvitationSettings
from meetops.meetings.models import Meeting
from meetops.minutes.models import MinutesState
from meetops.minutes.selectors import MinutesDocument, actions_of
from meetops.people.models import User
from meetops.reports.models import ReportState, SummaryReport

PDF = "pdf"
DOCX = "docx"


def meeting_language(meeting: Meeting) -> str:
    return meeting.language or settings.LANGUAGE_CODE


def _number(meeting: Meeting, issuer: Issuer, kind: str, *, final: bool, actor: User | None) -> str:
    issued = (
        numbering.issue_number(meeting, issuer=issuer, kind=kind, actor=actor)
        if final
        else numbering.number_of(meeting, kind)
    )
    return numbering.number_text(issued, issuer=issuer, kind=kind)


@dataclass(frozen=True)
class Rendered:
    content: bytes
    document: OfficialDocument


def _output(doc: OfficialDocument, issuer: Issuer, fmt: str) -> bytes:
    if fmt == PDF:
        return pdf.render_pdf(doc)
    template = OfficeTemplate.objects.filter(issuer=issuer, kind=doc.kind).first()
    if template is not None:
        return templates.fill(bytes(template.content), doc)
    return word.render_docx(doc)


def minutes_file(minutes: MinutesDocument, *, fmt: str, actor: User | None) -> Rendered:
    meeting = minutes.meeting
    issuer = default_issuer()
    final = minutes.state in (MinutesState.APPROVED, MinutesState.PUBLISHED)
    with translation.override(meeting_language(meeting)):
        doc = builders.minutes_document(
            minutes,
            issuer=issuer,
            number=_number(meeting, issuer, Kind.MINUTES, final=final, actor=actor),
            lines=people_lines(meeting),
            actions=list(actions_of(meeting).select_related("department")),
        )
        return Rendered(_output(doc, issuer, fmt), doc)


def notice_file(meeting: Meeting, *, fmt: str, actor: User | None) -> Rendered:
    issuer = default_issuer()
    answer = InvitationSettings.objects.filter(meeting=meeting).values_list(
        "rsvp_deadline", flat=True
    )
    deadline = next(iter(answer), None)
    with translation.override(meeting_language(meeting)):
        doc = builders.notice_document(
            meeting,
            issuer=issuer,
            number=_number(meeting, issuer, Kind.NOTICE, final=True, actor=actor),
            lines=people_lines(meeting),
            items=list(items_of(meeting)),
            answer_by=timezone.localdate(deadline) if deadline else None,
            written=timezone.localdate(),
        )
        return Rendered(_output(doc, issuer, fmt), doc)


def report_file(report: SummaryReport, *, fmt: str, actor: User | None) -> Rendered:
    meeting = report.meeting
    issuer = default_issuer()
    final = report.state == ReportState.APPROVED
    signer = next((str(a.leader) for a in report.approvals.all() if a.decided_at is not None), "")
    written = timezone.localdate(report.approved_at) if report.approved_at else timezone.localdate()
    with translation.override(meeting_language(meeting)):
        doc = builders.report_document(
            report,
            issuer=issuer,
            number=_number(meeting, issuer, Kind.REPORT, final=final, actor=actor),
            signer=signer,
            written=written,
        )
        return Rendered(_output(doc, issuer, fmt), doc)
