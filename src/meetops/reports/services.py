"""Writing the summary report and moving it through the leaders' approval (P4.2, P4.4).

    draft ──submit──▶ submitted ──every leader approves──▶ approved (locked)
      ▲                   │
      │                   └──any leader returns──▶ returned ──edit, submit──▶ submitted
      └── draft_report (re-drafts from the meeting's data; draft or returned only)

Every save and move keeps a `ReportRevision` and an audit entry. Leaders are told
when a report awaits them, the organiser when a leader has decided; both go to
the outbox in the same transaction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from meetops.core import audit
from meetops.core.decisions import Audited, Verdict, decide
from meetops.core.errors import PermissionDenied, ValidationFailed
from meetops.meetings.models import Meeting
from meetops.minutes import services as minutes_services
from meetops.minutes.models import ActionItem
from meetops.notifications import services as notify
from meetops.people.models import Department, User
from meetops.reports import errors
from meetops.reports import events as report_events
from meetops.reports.decisions import REPORT, not_your_report
from meetops.reports.drafting import draft_content
from meetops.reports.models import (
    SECTIONS,
    Decision,
    Instruction,
    ReportApproval,
    ReportRevision,
    ReportState,
    SummaryReport,
)
from meetops.reports.permissions import can_write_report, may_be_chosen

MAX_TITLE = 300
MAX_TEXT = 50000
MAX_LEADERS = 20
EDITABLE = (ReportState.DRAFT, ReportState.RETURNED)


def _url(meeting: Meeting) -> str:
    return f"/meetings/{meeting.pk}/report/"


def _lock(meeting: Meeting, *, create: bool = False) -> SummaryReport:
    """The meeting's report locked for this transaction (created with an empty title if asked)."""
    if create:
        SummaryReport.objects.get_or_create(meeting=meeting, defaults={"title": meeting.title})
    report = SummaryReport.objects.select_for_update().filter(meeting=meeting).first()
    if report is None:
        raise errors.not_drafted()
    report.meeting = meeting
    return report


def _revision(report: SummaryReport, *, action: str, actor: User | None) -> ReportRevision:
    return ReportRevision.objects.create(
        report=report,
        number=report.revision,
        state=report.state,
        action=action,
        snapshot=report.content(),
        created_by=actor if getattr(actor, "pk", None) else None,
    )


def _clean(fields: Mapping[str, Any]) -> dict[str, str]:
    out = {k: str(fields.get(k) or "").strip() for k in ("title", *SECTIONS) if k in fields}
    if "title" in out and not out["title"]:
        raise ValidationFailed(_("A title is required."), "title_required", field="title")
    for key, value in out.items():
        limit = MAX_TITLE if key == "title" else MAX_TEXT
        if len(value) > limit:
            raise ValidationFailed(
                _("Too long (at most %(max)d characters).") % {"max": limit}, "too_long", field=key
            )
    return out


def _write(
    meeting: Meeting, *, actor: User, content: dict[str, str], action: str, revision: int | None
) -> SummaryReport:
    if meeting.is_frozen:
        raise errors.frozen()
    if not can_write_report(actor, meeting):
        raise PermissionDenied()
    with transaction.atomic():
        report = _lock(meeting, create=True)
        if report.state not in EDITABLE:
            raise errors.locked()
        if revision is not None and revision != report.revision:
            raise errors.changed(report.revision)
        before = report.content()
        for key, value in content.items():
            setattr(report, key, value)
        report.revision += 1
        report.updated_by = actor
        report.save()
        _revision(report, action=action, actor=actor)
        changes = audit.diff(before, report.content()) if report.revision > 1 else {}
        audit.record(
            f"reports.report.{action}",
            report,
            actor=actor,
            changes={k: [len(v[0] or ""), len(v[1] or "")] for k, v in changes.items()},
            data={"meeting": meeting.pk, "revision": report.revision},
        )
    return report


def draft_report(meeting: Meeting, *, actor: User, revision: int | None = None) -> SummaryReport:
    """Write (or rewrite) the report from the meeting's data in one step. Organisers; draft or returned only."""
    return _write(
        meeting, actor=actor, content=draft_content(meeting), action="drafted", revision=revision
    )


def save_report(
    meeting: Meeting, *, actor: User, fields: Mapping[str, Any], revision: int | None = None
) -> SummaryReport:
    """Change the report's text. `revision`, when given, must be the one the caller read (`report_changed`)."""
    return _write(meeting, actor=actor, content=_clean(fields), action="saved", revision=revision)


def submit_report(report: SummaryReport, *, actor: User, leaders: Sequence[User]) -> SummaryReport:
    """Draft/returned → submitted to the chosen leaders, who are told (in-app and e-mail).

    Each leader must have the leader role and may see the meeting (`invalid_leader`).
    """
    meeting = report.meeting
    if not can_write_report(actor, meeting):
        raise PermissionDenied()
    chosen = list({u.pk: u for u in leaders}.values())
    if not chosen:
        raise ValidationFailed(
            _("Choose at least one leader to submit the report to."),
            "leaders_required",
            field="leaders",
        )
    if len(chosen) > MAX_LEADERS:
        raise ValidationFailed(_("Too many leaders."), "too_many", field="leaders")
    if any(u.pk == actor.pk for u in chosen):
        # The one who submits never decides (ADR 0010): they cannot be their own approver.
        raise ValidationFailed(
            _("Submit the report to leaders other than yourself."),
            "own_submission",
            field="leaders",
        )
    wrong = [u.pk for u in chosen if not may_be_chosen(u, meeting)]
    if wrong:
        raise ValidationFailed(
            _("Only leaders who may see the meeting can receive its report."),
            "invalid_leader",
            field="leaders",
            leaders=wrong,
        )
    with transaction.atomic():
        locked = _lock(meeting)
        if locked.state not in EDITABLE:
            raise errors.wrong_state(locked.state, *EDITABLE)
        if not (locked.topics or locked.discussion or locked.consensus or locked.summary):
            raise ValidationFailed(_("Write the report before submitting it."), "report_empty")
        # A new round: every chosen leader decides again; instruction lines already given stay.
        ReportApproval.objects.filter(report=locked).exclude(
            leader__in=[u.pk for u in chosen]
        ).delete()
        for leader in chosen:
            ReportApproval.objects.update_or_create(
                report=locked,
                leader=leader,
                defaults={"decision": Decision.PENDING, "decided_at": None},
            )
        from_state = locked.state
        locked.state = ReportState.SUBMITTED
        locked.submitted_by, locked.submitted_at = actor, timezone.now()
        locked.save(update_fields=["state", "submitted_by", "submitted_at", "updated_at"])
        row = _revision(locked, action="submitted", actor=actor)
        audit.record(
            "reports.report.submitted",
            locked,
            actor=actor,
            changes={"state": [from_state, locked.state]},
            data={"meeting": meeting.pk, "leaders": [u.pk for u in chosen]},
        )
        notify.enqueue(
            event=report_events.REPORT_AWAITING.code,
            recipients=chosen,
            meeting=meeting,
            context={"meeting": meeting, "report": locked, "by": str(actor), "url": _url(meeting)},
            dedupe_key=f"reports.awaiting:{locked.pk}:{row.pk}",
            actor=actor,
        )
    return locked


def _decide(
    report: SummaryReport, *, actor: User, decision: str, instructions: str
) -> SummaryReport:
    """Record the leader's decision and instruction lines; move the report; tell who submitted it."""
    meeting = report.meeting
    if len((instructions or "").strip()) > MAX_TEXT:
        raise ValidationFailed(
            _("Too long (at most %(max)d characters).") % {"max": MAX_TEXT},
            "too_long",
            field="instructions",
        )
    if meeting.is_frozen:
        raise errors.frozen()
    revisions: list[ReportRevision] = []

    def lock() -> ReportApproval:
        locked = _lock(meeting)
        if locked.state != ReportState.SUBMITTED:
            raise errors.wrong_state(locked.state, ReportState.SUBMITTED)
        approval = (
            ReportApproval.objects.select_for_update().filter(report=locked, leader=actor).first()
        )
        if approval is None:
            raise not_your_report()
        approval.report = locked
        return approval

    def move(approval: ReportApproval, verdict: Verdict, stamped: list[str]) -> Audited:
        locked, text = approval.report, verdict.comment
        approval.decision, approval.no_instructions = decision, not text
        approval.save(update_fields=["decision", "no_instructions", *stamped])
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        last = locked.instructions.order_by("-number").values_list("number", flat=True).first() or 0
        Instruction.objects.bulk_create(
            [
                Instruction(report=locked, leader=actor, number=last + i, text=line[:MAX_TEXT])
                for i, line in enumerate(lines, start=1)
            ]
        )
        from_state = locked.state
        if decision == Decision.RETURNED:
            locked.state = ReportState.RETURNED
        elif not locked.approvals.exclude(decision=Decision.APPROVED).exists():
            locked.state, locked.approved_at = ReportState.APPROVED, timezone.now()
        locked.save(update_fields=["state", "approved_at", "updated_at"])
        revisions.append(_revision(locked, action=decision, actor=actor))
        return Audited(
            locked,
            changes={"state": [from_state, locked.state]} if from_state != locked.state else {},
            data={"meeting": meeting.pk, "instructions": text, "no_instructions": not text},
        )

    def tell(approval: ReportApproval, verdict: Verdict) -> None:
        locked = approval.report
        notify.enqueue(
            event=report_events.REPORT_INSTRUCTED.code,
            recipients=[locked.submitted_by] if locked.submitted_by else [],
            meeting=meeting,
            context={
                "meeting": meeting,
                "leader": str(actor),
                "decision": approval.get_decision_display(),
                "instructions": verdict.comment,
                "url": _url(meeting),
            },
            dedupe_key=f"reports.instructed:{approval.pk}:{revisions[-1].pk}",
            actor=actor,
        )

    approval = decide(
        REPORT,
        actor=actor,
        approve=decision == Decision.APPROVED,
        comment=instructions,
        lock=lock,
        move=move,
        notify=tell,
    )
    return approval.report


def approve_report(report: SummaryReport, *, actor: User, instructions: str = "") -> SummaryReport:
    """A chosen leader approves, with instructions (批示) or none. The last approval locks the report."""
    return _decide(report, actor=actor, decision=Decision.APPROVED, instructions=instructions)


def return_report(report: SummaryReport, *, actor: User, instructions: str) -> SummaryReport:
    """A chosen leader returns the report with instructions saying what should change."""
    return _decide(report, actor=actor, decision=Decision.RETURNED, instructions=instructions)


def plan_instruction(
    instruction: Instruction,
    *,
    actor: User,
    owner: User | None = None,
    department: Department | None = None,
    due_date: date | None = None,
    title: str = "",
) -> ActionItem:
    """Turn one instruction line into an action item (through the minutes app), linked back to it.

    Organisers only; a line already planned is `instruction_planned`.
    """
    meeting = instruction.report.meeting
    if not can_write_report(actor, meeting):
        raise PermissionDenied()
    with transaction.atomic():
        locked = Instruction.objects.select_for_update().get(pk=instruction.pk)
        if locked.action_id is not None:
            raise ValidationFailed(
                _("This instruction already has an action item."),
                "instruction_planned",
                action=locked.action_id,
            )
        action = minutes_services.create_action(
            meeting,
            actor=actor,
            title=(title or locked.text)[:MAX_TITLE],
            description=_("Leader's instruction (批示): %(text)s") % {"text": locked.text},
            owner=owner,
            department=department,
            due_date=due_date,
        )
        locked.action = action
        locked.save(update_fields=["action"])
        audit.record(
            "reports.instruction.planned",
            instruction.report,
            actor=actor,
            data={"meeting": meeting.pk, "instruction": locked.number, "action": action.pk},
        )
    return action


def plan_instructions(
    report: SummaryReport, *, actor: User, rows: Sequence[Mapping[str, Any]]
) -> list[ActionItem]:
    """Turn several instruction lines into action items at once (all or nothing).

    Each row: `instruction` (an Instruction of this report), `owner`, `department`, `due_date`.
    """
    with transaction.atomic():
        return [
            plan_instruction(
                row["instruction"],
                actor=actor,
                owner=row.get("owner"),
                department=row.get("department"),
                due_date=row.get("due_date"),
            )
            for row in rows
        ]
