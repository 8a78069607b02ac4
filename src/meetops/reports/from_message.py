"""The summary report's approval offered as buttons on each chosen leader's personal message
(work IM cards, registry "message_decisions", issue 12): the same services as the report's
page, with the person who pressed the button as the actor. A return carries the leader's
instructions (批示) from the card's comment box; an approval may carry some or none."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from meetops.core.decisions import message_ref, parse_message_ref, stale_message
from meetops.core.registry import MessageDecision
from meetops.people.models import User
from meetops.reports import services
from meetops.reports.events import REPORT_AWAITING
from meetops.reports.models import (
    Decision,
    ReportApproval,
    ReportRevision,
    ReportState,
    SummaryReport,
)


def _round(report_id: int) -> int:
    # The submission's revision row: a resubmission without edits keeps `revision` but not this.
    return (
        ReportRevision.objects.filter(report_id=report_id, action="submitted")
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
        or 0
    )


def _ref(message: Any) -> str:
    approval = (
        ReportApproval.objects.filter(
            report__meeting_id=message.meeting_id,
            report__state=ReportState.SUBMITTED,
            leader_id=message.user_id,
            decision=Decision.PENDING,
        )
        .only("pk", "report_id")
        .first()
    )
    return message_ref(approval.pk, _round(approval.report_id)) if approval else ""


def _decide(ref: str, *, actor: User, approve: bool, comment: str) -> None:
    pk, submitted = parse_message_ref(ref)
    with transaction.atomic():
        approval = ReportApproval.objects.filter(pk=pk).select_related("report__meeting").first()
        if approval is None:
            raise stale_message()
        report = approval.report
        # The service locks the report again; locked here first so the round cannot change.
        SummaryReport.objects.select_for_update().filter(pk=report.pk).first()
        if _round(report.pk) != submitted:
            raise stale_message()
        if approve:
            services.approve_report(report, actor=actor, instructions=comment)
        else:
            services.return_report(report, actor=actor, instructions=comment)


def _decided(ref: str) -> tuple[bool, str] | None:
    pk, submitted = parse_message_ref(ref)
    approval = (
        ReportApproval.objects.select_related("leader")
        .filter(pk=pk, decision__in=[Decision.APPROVED, Decision.RETURNED])
        .first()
    )
    if approval is None or _round(approval.report_id) != submitted:
        return None
    return approval.decision == Decision.APPROVED, str(approval.leader)


REPORT = MessageDecision(events=(REPORT_AWAITING.code,), ref=_ref, decide=_decide, decided=_decided)
