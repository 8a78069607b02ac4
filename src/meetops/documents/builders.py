"""The three documents, described once (page.py) from what the meeting recorded.

Called inside `translation.override(meeting language)`: every label is gettext'd
here and comes out in the meeting's language, whoever downloads. Nothing is
invented: an agenda item with nothing written is marked （未记录）, and the
opening sentence is made of facts only (date, host, place, title).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from django.utils import formats, timezone
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from meetops.agenda.models import AgendaItem
from meetops.documents import page
from meetops.documents.models import Issuer, Kind
from meetops.documents.page import OfficialDocument, Paragraph
from meetops.documents.people import PeopleLines
from meetops.meetings.models import Meeting
from meetops.minutes.models import ActionItem
from meetops.minutes.selectors import DecisionView, MinutesDocument
from meetops.reports.exports import section_titles
from meetops.reports.models import SummaryReport

LIST_SEPARATOR = "、"


def chinese() -> bool:
    return (get_language() or "zh-hans").lower().startswith("zh")


def document_date(value: date) -> str:
    """2026年10月28日 in Chinese; the locale's long date otherwise."""
    if chinese():
        return page.chinese_date(value)
    return formats.date_format(value, "j F Y")


def local_day(value: datetime | None) -> date:
    return timezone.localdate(value) if value is not None else timezone.localdate()


def heading(level: int, n: int, text: str, tail: str = "") -> Paragraph:
    if chinese():
        number = page.heading_number(level, n)
    else:
        number = {1: f"{n}. ", 2: f"({n}) ", 3: f"{n}. ", 4: f"({n}) "}[level]
    return Paragraph(text, level=level, number=number, tail=tail)


def paragraphs(text: str) -> list[Paragraph]:
    return [Paragraph(line.strip()) for line in text.splitlines() if line.strip()]


def join_names(names: Sequence[str]) -> str:
    return (LIST_SEPARATOR if chinese() else ", ").join(names)


def _colon(label: str) -> str:
    return f"{label}：" if chinese() else f"{label}: "


def imprint(issuer: Issuer, printed: date) -> page.Imprint:
    """版记: 抄送 ending with 。, the 印发机关 and the date it was printed."""
    copy_to = issuer.copy_to.strip().rstrip("。.")
    return page.Imprint(
        copy_to_label=_colon(pgettext("official document", "Copies to")),
        copy_to=f"{copy_to}。" if copy_to and chinese() else copy_to,
        printer=issuer.printer or issuer.name,
        printed=_("%(date)s printed") % {"date": document_date(printed)},
    )


def _votes(d: DecisionView) -> str:
    if not d.has_votes:
        return ""
    return _(" (votes: for %(for)s, against %(against)s, abstaining %(abstain)s)") % {
        "for": d.votes_for if d.votes_for is not None else "–",
        "against": d.votes_against if d.votes_against is not None else "–",
        "abstain": d.votes_abstain if d.votes_abstain is not None else "–",
    }


def _people_blocks(lines: PeopleLines) -> list[page.Block]:
    rows = [
        (pgettext("official document", "Present"), lines.present),
        (pgettext("official document", "On leave"), lines.leave),
        (pgettext("official document", "Absent"), lines.absent),
        (pgettext("official document", "Attending without a vote"), lines.observers),
        (pgettext("official document", "Minute-taker"), lines.recorders),
    ]
    return [page.Labelled(_colon(label), join_names(names)) for label, names in rows if names]


def _common_fields(doc: OfficialDocument, issuer: Issuer, number: str, day: date) -> None:
    doc.fields.update(
        {
            "编号": number,
            "发文机关": issuer.name,
            "日期": document_date(day),
            "标题": doc.title,
            "抄送": issuer.copy_to,
            "印发机关": issuer.printer or issuer.name,
            "印发日期": document_date(day),
        }
    )


def minutes_document(
    minutes: MinutesDocument,
    *,
    issuer: Issuer,
    number: str,
    lines: PeopleLines,
    actions: Sequence[ActionItem],
) -> OfficialDocument:
    """The 纪要 (GB/T 9704-2012 §10.3): mark, number, issuer and date, red rule, body, people."""
    meeting = minutes.meeting
    record = minutes.minutes
    written = local_day(record.approved_at if record and record.approved_at else None)
    mark = issuer.minutes_mark or _("%(issuer)s meeting minutes") % {"issuer": issuer.name}
    title = _("%(meeting)s: minutes") % {"meeting": meeting.title}
    doc = OfficialDocument(kind=Kind.MINUTES, language=get_language() or "zh-hans", title=title)
    blocks: list[page.Block] = [
        page.Mark(mark),
        page.NumberLine(number or _("(not numbered yet)")),
        page.IssuerLine(issuer.name, document_date(written)),
        page.RedRule(),
        page.Title(title),
        Paragraph(_opening(meeting, lines.host, has_decisions=_has_decisions(minutes))),
        *paragraphs(minutes.notes),
    ]
    n = 0
    for section in minutes.sections:
        n += 1
        blocks.append(heading(1, n, section.title))
        blocks += paragraphs(section.notes)
        several = len(section.decisions) > 1
        for i, decision in enumerate(section.decisions, start=1):
            text = decision.text.strip() + _votes(decision)
            blocks.append(heading(2, i, "", tail=text) if several else Paragraph(text))
        if not section.notes.strip() and not section.decisions:
            blocks.append(Paragraph(_("(not recorded)"), muted=True))
    if minutes.summary.strip():
        n += 1
        blocks.append(heading(1, n, pgettext("official document", "Closing summary")))
        blocks += paragraphs(minutes.summary)
    if minutes.action_plan.strip() or actions:
        n += 1
        blocks.append(heading(1, n, pgettext("official document", "Action plan")))
        blocks += paragraphs(minutes.action_plan)
        for i, action in enumerate(actions, start=1):
            blocks.append(heading(3, i, action.title, tail=_action_tail(action)))
    blocks += _people_blocks(lines)
    blocks.append(imprint(issuer, written))
    doc.blocks = blocks
    _common_fields(doc, issuer, number, written)
    doc.fields.update(
        {
            "标志": mark,
            "出席": join_names(lines.present),
            "请假": join_names(lines.leave),
            "缺席": join_names(lines.absent),
            "列席": join_names(lines.observers),
            "记录": join_names(lines.recorders),
        }
    )
    return doc


def _has_decisions(minutes: MinutesDocument) -> bool:
    return any(s.decisions for s in minutes.sections)


def _opening(meeting: Meeting, host: str, *, has_decisions: bool) -> str:
    facts = {
        "date": document_date(local_day(meeting.start)),
        "host": host,
        "place": meeting.location or pgettext("official document", "online"),
        "meeting": meeting.title,
    }
    if host:
        text = _("On %(date)s %(host)s chaired %(meeting)s at %(place)s.") % facts
    else:
        text = _("%(meeting)s was held on %(date)s at %(place)s.") % facts
    if has_decisions:
        text += ("" if chinese() else " ") + _(
            "The matters the meeting agreed are recorded as follows:"
        )
    return text


def _action_tail(action: ActionItem) -> str:
    owner = " / ".join(
        x
        for x in (str(action.owner or ""), action.department.name if action.department else "")
        if x
    )
    parts = []
    if owner:
        parts.append(_colon(pgettext("official document", "Owner")) + owner)
    if action.due_date:
        parts.append(_colon(pgettext("official document", "Due")) + document_date(action.due_date))
    return (
        ("（" + "，".join(parts) + "）")
        if parts and chinese()
        else (f" ({'; '.join(parts)})" if parts else "")
    )


def notice_document(
    meeting: Meeting,
    *,
    issuer: Issuer,
    number: str,
    lines: PeopleLines,
    items: Sequence[AgendaItem],
    answer_by: date | None,
    written: date,
) -> OfficialDocument:
    """The 会议通知 (通用格式, 下行文): red 版头, 文号 centred, title, 主送, body, signature."""
    title = _("%(issuer)s notice of %(meeting)s") % {
        "issuer": issuer.name,
        "meeting": meeting.title,
    }
    doc = OfficialDocument(kind=Kind.NOTICE, language=get_language() or "zh-hans", title=title)
    start, end = timezone.localtime(meeting.start), timezone.localtime(meeting.end)
    when = f"{document_date(start.date())} {formats.time_format(start, 'H:i')}–" + (
        formats.time_format(end, "H:i")
        if end.date() == start.date()
        else f"{document_date(end.date())} {formats.time_format(end, 'H:i')}"
    )
    intro = _("It has been decided to hold %(meeting)s. The arrangements are as follows:") % {
        "meeting": meeting.title
    }
    if meeting.goals.strip():
        intro = _(
            "To %(goals)s, it has been decided to hold %(meeting)s. The arrangements are as follows:"
        ) % {"goals": meeting.goals.strip().rstrip("。."), "meeting": meeting.title}
    blocks: list[page.Block] = [
        page.Mark(issuer.name),
        page.NumberLine(number),
        page.RedRule(),
        page.Title(title),
    ]
    if issuer.main_to:
        blocks.append(page.Addressee(_colon(issuer.main_to)))
    blocks.append(Paragraph(intro))
    n = 1
    blocks += [heading(1, n, pgettext("official document", "Time")), Paragraph(when)]
    n += 1
    place = meeting.location or meeting.online_url or pgettext("official document", "online")
    blocks += [heading(1, n, pgettext("official document", "Place")), Paragraph(place)]
    attendees = lines.present + lines.leave + lines.absent
    if attendees:
        n += 1
        blocks += [
            heading(1, n, pgettext("official document", "Participants")),
            Paragraph(join_names(attendees)),
        ]
        if lines.observers:
            blocks.append(
                Paragraph(
                    _colon(pgettext("official document", "Attending without a vote"))
                    + join_names(lines.observers)
                )
            )
    if items:
        n += 1
        blocks.append(heading(1, n, pgettext("official document", "Agenda")))
        for i, item in enumerate(items, start=1):
            tail = (
                f"（{item.presenter}）"
                if item.presenter and chinese()
                else (f" ({item.presenter})" if item.presenter else "")
            )
            blocks.append(heading(3, i, item.title, tail=tail))
    if answer_by:
        n += 1
        blocks += [
            heading(1, n, pgettext("official document", "Requirements")),
            Paragraph(
                _("Please confirm your attendance by %(date)s.")
                % {"date": document_date(answer_by)}
            ),
        ]
    blocks += [page.Signature(issuer.name, document_date(written)), imprint(issuer, written)]
    doc.blocks = blocks
    _common_fields(doc, issuer, number, written)
    doc.fields.update({"标志": issuer.name, "主送": issuer.main_to})
    return doc


def _instructions(report: SummaryReport) -> list[page.Block]:
    """The leaders' 批示 below the signature, as on the 呈批件 that comes back."""
    decided = [a for a in report.approvals.all() if a.decided_at is not None]
    if not decided:
        return []
    title = pgettext("official document", "Leaders' instructions")
    blocks: list[page.Block] = [Paragraph(title, level=1)]
    for approval in decided:
        who = f"{approval.leader}（{approval.get_decision_display()}，"
        who += f"{document_date(timezone.localdate(approval.decided_at))}）"
        text = approval.instructions.strip() or _("No instructions.")
        blocks.append(page.Labelled(_colon(who), text.replace("\n", " ")))
    return blocks


def report_document(
    report: SummaryReport, *, issuer: Issuer, number: str, signer: str, written: date
) -> OfficialDocument:
    """The 会议情况报告 (通用格式, 上行文): 文号 flush left with 签发人, body, 特此报告。"""
    doc = OfficialDocument(
        kind=Kind.REPORT, language=get_language() or "zh-hans", title=report.title
    )
    blocks: list[page.Block] = [
        page.Mark(issuer.name),
        page.NumberLine(
            number,
            signer=signer,
            signer_label=_colon(pgettext("official document", "Signed off by")) if signer else "",
        ),
        page.RedRule(),
        page.Title(report.title),
    ]
    if issuer.report_to:
        blocks.append(page.Addressee(_colon(issuer.report_to)))
    n = 0
    for name, label in section_titles():
        text = getattr(report, name)
        if text.strip():
            n += 1
            blocks.append(heading(1, n, label))
            blocks += paragraphs(text)
    blocks.append(Paragraph(_("This is our report.")))
    blocks.append(page.Signature(issuer.name, document_date(written)))
    blocks += _instructions(report)
    blocks.append(imprint(issuer, written))
    doc.blocks = blocks
    _common_fields(doc, issuer, number, written)
    doc.fields.update({"标志": issuer.name, "主送": issuer.report_to, "签发人": signer})
    return doc
