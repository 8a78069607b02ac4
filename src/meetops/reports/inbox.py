""" "Waiting for me": everything that awaits the signed-in user's decision, across apps.

One query per source, whatever the number of rows:
- summary reports submitted to the user (this app);
- minutes submitted for review where the user is the host (or, on a meeting
  without a host, its organiser or creator);
- emergency plans submitted for approval, for leaders and admins who may see the meeting;
- budgets and settlements submitted for approval, for leaders and admins who may see the
  meeting, except those the user submitted (they may not approve their own);
- problems with action items reported upwards to the user, not yet answered (followup app);
- action items marked done that the user should accept or send back (followup app);
- archive destructions proposed (records app), for leaders and admins who may see the dossier,
  except their own proposals.
Other apps' models are only read here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from meetops.budget.models import Budget, BudgetStatus, SettlementStatus
from meetops.meetings.models import Meeting, MeetingRole, Participant, Stage
from meetops.meetings.selectors import managed_by, meetings_visible_to
from meetops.minutes.models import Minutes, MinutesState
from meetops.people.models import Role, User
from meetops.reports.models import Decision, ReportApproval, ReportState
from meetops.risks.models import EmergencyPlan, PlanStatus

LIVE = ~Q(stage__in=[Stage.CLOSED, Stage.CANCELLED])
LIMIT = 200


@dataclass(frozen=True)
class WaitingItem:
    # "report" | "minutes" | "emergency_plan" | "budget" | "settlement" | "escalation" |
    # "acceptance" | "destruction": part of the API contract
    kind: str
    label: str
    meeting: Meeting
    url: str
    since: datetime | None
    by: str


def _items(rows: Iterable[Any], kind: str, label: str, page: str) -> list[WaitingItem]:
    """Rows of one source (each with .meeting, .submitted_at, .submitted_by) as inbox items."""
    return [
        WaitingItem(
            kind,
            label,
            r.meeting,
            f"/meetings/{r.meeting_id}/{page}/",
            r.submitted_at,
            str(r.submitted_by or ""),
        )
        for r in rows
    ]


def _reports(user: User) -> list[WaitingItem]:
    rows = (
        ReportApproval.objects.filter(
            leader=user,
            decision=Decision.PENDING,
            report__state=ReportState.SUBMITTED,
            report__meeting__in=meetings_visible_to(user).filter(LIVE).values("pk"),
        )
        .select_related("report__meeting", "report__submitted_by")
        .order_by("report__submitted_at", "id")[:LIMIT]
    )
    return _items((r.report for r in rows), "report", _("Summary report to approve"), "report")


def _minutes(user: User) -> list[WaitingItem]:
    hosts = Participant.objects.filter(meeting=OuterRef("meeting_id"), role=MeetingRole.HOST)
    i_host = Exists(hosts.filter(user=user))
    no_host = ~Exists(hosts.filter(user__isnull=False))
    managed = Meeting.objects.filter(managed_by(user)).values("pk")
    rows = (
        Minutes.objects.filter(state=MinutesState.SUBMITTED)
        .filter(meeting__in=meetings_visible_to(user).filter(LIVE).values("pk"))
        .filter(Q(i_host) | (no_host & Q(meeting__in=managed)))
        .select_related("meeting", "submitted_by")
        .order_by("submitted_at", "id")[:LIMIT]
    )
    return _items(rows, "minutes", _("Minutes to review"), "minutes")


def _plans(user: User) -> list[WaitingItem]:
    if not user.has_role(Role.LEADER, Role.ADMIN):
        return []
    rows = (
        EmergencyPlan.objects.filter(
            status=PlanStatus.SUBMITTED,
            meeting__in=meetings_visible_to(user).filter(LIVE).values("pk"),
        )
        .select_related("meeting", "submitted_by")
        .order_by("submitted_at", "id")[:LIMIT]
    )
    return _items(rows, "emergency_plan", _("Emergency plan to approve"), "emergency-plan")


def _budgets(user: User) -> list[WaitingItem]:
    """Budgets and settlements waiting for a leader: one query for both."""
    if not user.has_role(Role.LEADER, Role.ADMIN):
        return []
    budget_waits = Q(status=BudgetStatus.SUBMITTED) & ~Q(submitted_by=user)
    settlement_waits = Q(settlement_status=SettlementStatus.SUBMITTED) & ~Q(
        settlement_submitted_by=user
    )
    rows = (
        Budget.objects.filter(budget_waits | settlement_waits)
        .filter(meeting__in=meetings_visible_to(user).filter(LIVE).values("pk"))
        .select_related("meeting", "submitted_by", "settlement_submitted_by")
        .order_by("meeting__start", "id")[:LIMIT]
    )
    items = []
    for b in rows:
        if b.status == BudgetStatus.SUBMITTED and b.submitted_by_id != user.pk:
            items.append(
                WaitingItem(
                    "budget",
                    _("Budget to approve"),
                    b.meeting,
                    f"/meetings/{b.meeting_id}/budget/",
                    b.submitted_at,
                    str(b.submitted_by or ""),
                )
            )
        if (
            b.settlement_status == SettlementStatus.SUBMITTED
            and b.settlement_submitted_by_id != user.pk
        ):
            items.append(
                WaitingItem(
                    "settlement",
                    _("Expense settlement to approve"),
                    b.meeting,
                    f"/meetings/{b.meeting_id}/budget/statement/",
                    b.settlement_submitted_at,
                    str(b.settlement_submitted_by or ""),
                )
            )
    return items


def _followup(user: User) -> list[WaitingItem]:
    from meetops.followup.inbox import waiting_items

    return waiting_items(user, limit=LIMIT)


def _destructions(user: User) -> list[WaitingItem]:
    """Archive destructions proposed by someone else (the records app decides who, P7.10)."""
    from meetops.records.inbox import LABEL, URL, destructions_waiting

    return [
        WaitingItem(
            "destruction",
            str(LABEL),
            r.dossier.meeting,
            URL,
            r.proposed_at,
            str(r.proposed_by or ""),
        )
        for r in destructions_waiting(user)
    ]


def waiting_for(user: User) -> list[WaitingItem]:
    """Everything awaiting this user's decision, oldest first."""
    if not user.is_authenticated:
        return []
    items = (
        _reports(user)
        + _minutes(user)
        + _plans(user)
        + _budgets(user)
        + _followup(user)
        + _destructions(user)
    )
    return sorted(items, key=lambda i: (i.since is None, i.since or i.meeting.start))
