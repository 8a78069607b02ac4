"""The budget (P2.6): lines drafted by the organiser, approved by a leader, revised with a reason.

draft/returned ──submit──▶ submitted ──approve──▶ approved
                               └──return (comment)──▶ returned
approved ──save with a reason──▶ draft (revision + 1, the old lines kept in BudgetRevision)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from meetops.budget import errors, notify
from meetops.budget.decisions import BUDGET
from meetops.budget.models import (
    Budget,
    BudgetLine,
    BudgetRevision,
    BudgetStatus,
    Category,
    SettlementStatus,
)
from meetops.budget.permissions import can_approve_budget, can_edit_budget
from meetops.budget.services.common import (
    amount_problem,
    clean_texts,
    lock_budget,
    money,
    problem,
)
from meetops.core import audit
from meetops.core.decisions import Audited, Verdict, decide
from meetops.core.errors import PermissionDenied
from meetops.meetings.models import Meeting
from meetops.people.models import User

MAX_LINES = 100
MAX_NOTE = 300
MAX_COMMENT = 2000
EDITABLE = (BudgetStatus.DRAFT, BudgetStatus.RETURNED)


def _line_dicts(budget: Budget) -> list[dict[str, Any]]:
    return [
        {"id": line.pk, "category": line.category, "planned": str(line.planned), "note": line.note}
        for line in budget.lines.order_by("order", "id")
    ]


def _clean_lines(budget: Budget, rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Cleaned rows, or InvalidLines naming every problem."""
    problems: list[dict[str, Any]] = []
    if len(rows) > MAX_LINES:
        problems.append(problem(None, "lines", "too_many", _("Too many lines.")))
    known = set(budget.lines.values_list("pk", flat=True))
    cleaned = []
    for index, row in enumerate(rows):
        category = row.get("category")
        if category not in Category.values:
            problems.append(problem(index, "category", "invalid_category", _("Choose a category.")))
        planned = money(row.get("planned"), allow_zero=True)
        if planned is None:
            problems.append(amount_problem(index, "planned"))
        texts, too_long = clean_texts(row, {"note": MAX_NOTE}, index)
        problems.extend(too_long)
        line_id = row.get("id")
        if line_id is not None and line_id not in known:
            problems.append(problem(index, "id", "unknown_line", _("Unknown budget line.")))
        cleaned.append({"id": line_id, "category": category, "planned": planned, **texts})
    if problems:
        raise errors.InvalidLines(problems)
    return cleaned


def save_budget(
    meeting: Meeting,
    *,
    lines: Sequence[Mapping[str, Any]],
    actor: User,
    reason: str = "",
) -> Budget:
    """Replace the budget's lines (rows with an `id` keep that line and its expenses).

    Preconditions: the actor manages the meeting; the budget is a draft or was returned, or it
    is approved and `reason` says why it changes (a new revision that needs approval again);
    the settlement has not been submitted; a line with expenses is kept.
    """
    if not can_edit_budget(actor, meeting):
        raise PermissionDenied()
    reason = reason.strip()
    with transaction.atomic():
        budget = lock_budget(meeting)
        if budget.settlement_status in (SettlementStatus.SUBMITTED, SettlementStatus.SETTLED):
            raise errors.settlement_locked()
        if budget.status == BudgetStatus.SUBMITTED:
            raise errors.wrong_status(budget.status, *EDITABLE, BudgetStatus.APPROVED)
        if budget.status == BudgetStatus.APPROVED and not reason:
            raise errors.reason_required()
        cleaned = _clean_lines(budget, lines)
        before = _line_dicts(budget)
        kept = {row["id"] for row in cleaned if row["id"] is not None}
        removed = budget.lines.exclude(pk__in=kept)
        used = removed.filter(expenses__isnull=False).values_list("pk", flat=True).first()
        if used is not None:
            raise errors.line_has_expenses(used)
        data: dict[str, Any] = {"revision": budget.revision}
        if budget.status == BudgetStatus.APPROVED:
            _start_revision(budget, before=before, reason=reason, actor=actor)
            data = {"revision": budget.revision, "reason": reason}
        removed.delete()
        existing = budget.lines.in_bulk()
        for order, row in enumerate(cleaned):
            line = existing[row["id"]] if row["id"] else BudgetLine(budget=budget)
            line.order, line.category = order, row["category"]
            line.planned, line.note = row["planned"], row["note"]
            line.save()
        after = _line_dicts(budget)
        if before != after or "reason" in data:
            audit.record(
                "budget.budget.updated",
                budget,
                actor=actor,
                changes={"lines": [before, after]},
                data=data,
            )
    return budget


def _start_revision(
    budget: Budget, *, before: list[dict[str, Any]], reason: str, actor: User
) -> None:
    BudgetRevision.objects.create(
        budget=budget,
        number=budget.revision,
        reason=reason,
        previous_lines=before,
        created_by=actor,
    )
    budget.revision += 1
    budget.status = BudgetStatus.DRAFT
    budget.decided_by, budget.decided_at, budget.decision_comment = None, None, ""
    budget.save(
        update_fields=[
            "revision",
            "status",
            "decided_by",
            "decided_at",
            "decision_comment",
            "updated_at",
        ]
    )


def submit_budget(meeting: Meeting, *, actor: User) -> Budget:
    """Send the budget to a leader. Preconditions: the actor manages the meeting; draft or returned; one line at least."""
    if not can_edit_budget(actor, meeting):
        raise PermissionDenied()
    with transaction.atomic():
        budget = lock_budget(meeting)
        if budget.status not in EDITABLE:
            raise errors.wrong_status(budget.status, *EDITABLE)
        if not budget.lines.exists():
            raise errors.empty_budget()
        before = budget.status
        budget.status = BudgetStatus.SUBMITTED
        budget.submitted_by, budget.submitted_at = actor, timezone.now()
        budget.save(update_fields=["status", "submitted_by", "submitted_at", "updated_at"])
        audit.record(
            "budget.budget.submitted",
            budget,
            actor=actor,
            changes={"status": [before, budget.status]},
            data={"revision": budget.revision},
        )
        notify.approval_requested(budget, what="budget", actor=actor)
    return budget


def _decide(meeting: Meeting, *, actor: User, approve: bool, comment: str) -> Budget:
    if not can_approve_budget(actor, meeting):
        raise PermissionDenied()

    def move(budget: Budget, verdict: Verdict, stamped: list[str]) -> Audited:
        budget.status = BudgetStatus.APPROVED if verdict.approve else BudgetStatus.RETURNED
        budget.save(update_fields=["status", *stamped, "updated_at"])
        return Audited(
            budget,
            changes={"status": [BudgetStatus.SUBMITTED, budget.status]},
            data={"revision": budget.revision, "comment": verdict.comment},
        )

    def tell(budget: Budget, verdict: Verdict) -> None:
        notify.decided(
            budget,
            what="budget",
            approved=verdict.approve,
            comment=verdict.comment,
            recipient=budget.submitted_by,
            actor=actor,
        )

    return decide(
        BUDGET,
        actor=actor,
        approve=approve,
        comment=comment,
        lock=lambda: lock_budget(meeting),
        move=move,
        notify=tell,
    )


def approve_budget(meeting: Meeting, *, actor: User, comment: str = "") -> Budget:
    """Approve a submitted budget. Preconditions: a leader or admin who did not submit it."""
    return _decide(meeting, actor=actor, approve=True, comment=comment)


def return_budget(meeting: Meeting, *, actor: User, comment: str) -> Budget:
    """Send a submitted budget back for changes, saying why. Same preconditions as approving."""
    return _decide(meeting, actor=actor, approve=False, comment=comment)
