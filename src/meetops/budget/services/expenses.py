"""Expenses against the approved budget (P2.6) and their settlement (P4.6).

settlement: open/returned ──submit (organiser)──▶ submitted ──approve (leader)──▶ settled
                                                     └──return (leader, comment)──▶ returned
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from meetops.budget import errors, notify
from meetops.budget.decisions import SETTLEMENT
from meetops.budget.models import Budget, BudgetStatus, Expense, SettlementStatus
from meetops.budget.permissions import can_approve_budget, can_edit_budget, can_record_expense
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
from meetops.core.filetypes import checked_type
from meetops.meetings.models import Meeting
from meetops.partners.models import Supplier
from meetops.people.models import User

MAX_RECEIPT_BYTES = 10 * 1024 * 1024
RECEIPT_TYPES = ("pdf", "png", "jpg", "jpeg", "docx", "xlsx", "doc", "xls", "odt", "ods")
LIMITS = {"payee": 200, "description": 500, "over_budget_reason": 2000}
SETTLEMENT_OPEN = (SettlementStatus.OPEN, SettlementStatus.RETURNED)
AUDITED = [
    "line",
    "amount",
    "spent_on",
    "payee",
    "payee_supplier",
    "description",
    "over_budget_reason",
]


def _receipt_type(receipt: UploadedFile) -> str:
    """The media type of an acceptable receipt (judged by content, core.filetypes), else refused."""
    return checked_type(
        receipt, limit=MAX_RECEIPT_BYTES, allowed=RECEIPT_TYPES, refused=errors.bad_receipt
    )


def _payee_supplier(supplier_id: int | None) -> Supplier | None:
    """The register's supplier named as payee (in use), else refused by field."""
    if supplier_id is None:
        return None
    supplier = Supplier.objects.filter(pk=supplier_id, active=True).first()
    if supplier is None:
        raise errors.InvalidLines(
            [
                problem(
                    None,
                    "payee_supplier_id",
                    "unknown_supplier",
                    _("Choose a supplier of the register that is in use."),
                )
            ]
        )
    return supplier


def _clean(fields: dict[str, Any]) -> dict[str, Any]:
    problems = []
    amount = money(fields.get("amount"), allow_zero=False)
    if amount is None:
        problems.append(amount_problem(None, "amount"))
    if not isinstance(fields.get("spent_on"), date):
        problems.append(problem(None, "spent_on", "invalid_date", _("Give a date.")))
    texts, too_long = clean_texts(fields, LIMITS, None)
    fields.update(texts)
    problems.extend(too_long)
    if not fields["payee"]:
        problems.append(problem(None, "payee", "payee_required", _("Name the payee.")))
    if problems:
        raise errors.InvalidLines(problems)
    return {**fields, "amount": amount}


def add_expense(
    meeting: Meeting,
    *,
    line_id: int,
    amount: Decimal | str,
    spent_on: date,
    actor: User,
    payee: str = "",
    payee_supplier_id: int | None = None,
    description: str = "",
    over_budget_reason: str = "",
    receipt: UploadedFile | None = None,
) -> tuple[Expense, list[str]]:
    """Record money spent against a line. Returns the expense and the over-plan codes it caused.

    Preconditions: the actor manages the meeting or is its staff; the budget is approved; the
    settlement is not submitted; if the line or the total goes over plan, a reason is given.
    The payee is a name, or a supplier of the register (whose name it takes when none is typed).
    The budget row is locked, so concurrent expenses are summed one after another.
    """
    if not can_record_expense(actor, meeting):
        raise PermissionDenied()
    supplier = _payee_supplier(payee_supplier_id)
    fields = _clean(
        {
            "amount": amount,
            "spent_on": spent_on,
            "payee": (payee or "").strip() or (supplier.name if supplier else ""),
            "description": description,
            "over_budget_reason": over_budget_reason,
        }
    )
    receipt_type = _receipt_type(receipt) if receipt else ""
    with transaction.atomic():
        budget = lock_budget(meeting)
        if budget.status != BudgetStatus.APPROVED:
            raise errors.not_approved()
        if budget.settlement_status not in SETTLEMENT_OPEN:
            raise errors.settlement_locked()
        line = budget.lines.filter(pk=line_id).first()
        if line is None:
            raise errors.InvalidLines(
                [problem(None, "line_id", "unknown_line", _("Unknown budget line."))]
            )
        over = _over_plan(budget, line.pk, line.planned, fields["amount"])
        if over and not fields["over_budget_reason"]:
            raise errors.over_budget_reason_required(over=over)
        expense = Expense.objects.create(
            budget=budget,
            line=line,
            entered_by=actor,
            payee_supplier=supplier,
            receipt_type=receipt_type,
            **fields,
        )
        if receipt:
            expense.receipt.save(receipt.name or "receipt", receipt, save=True)
        audit.record(
            "budget.expense.created",
            expense,
            actor=actor,
            changes=audit.diff({}, audit.snapshot(expense, AUDITED)),
            data={"meeting": meeting.pk, "over": over},
        )
    return expense, over


def _over_plan(budget: Budget, line_id: int, planned: Decimal, amount: Decimal) -> list[str]:
    """Which limits this amount would pass: the line's plan, the total plan, both or neither."""
    counted = budget.expenses.filter(voided_at__isnull=True)
    spent_line = counted.filter(line_id=line_id).aggregate(s=Sum("amount"))["s"] or 0
    spent_total = counted.aggregate(s=Sum("amount"))["s"] or 0
    planned_total = budget.lines.aggregate(s=Sum("planned"))["s"] or 0
    over = []
    if spent_line + amount > planned:
        over.append("line_over_budget")
    if spent_total + amount > planned_total:
        over.append("total_over_budget")
    return over


def attach_receipt(expense: Expense, *, receipt: UploadedFile, actor: User) -> Expense:
    """Attach (or replace) the receipt of an expense until the settlement is submitted."""
    meeting = expense.budget.meeting
    if not can_record_expense(actor, meeting):
        raise PermissionDenied()
    media_type = _receipt_type(receipt)
    with transaction.atomic():
        budget = lock_budget(meeting)
        if budget.settlement_status not in SETTLEMENT_OPEN:
            raise errors.settlement_locked()
        expense = Expense.objects.get(pk=expense.pk)
        old = expense.receipt.name
        expense.receipt_type = media_type
        expense.receipt.save(receipt.name or "receipt", receipt, save=False)
        expense.save(update_fields=["receipt", "receipt_type"])
        audit.record(
            "budget.expense.receipt_attached",
            expense,
            actor=actor,
            changes={"receipt": [old, expense.receipt.name]},
        )
    return expense


def void_expense(expense: Expense, *, reason: str, actor: User) -> Expense:
    """Take a mistaken expense out of the sums, saying why; it stays on the statement.

    Preconditions: the actor may record expenses; the settlement is open (or was returned);
    the expense is not voided already.
    """
    meeting = expense.budget.meeting
    if not can_record_expense(actor, meeting):
        raise PermissionDenied()
    reason = reason.strip()
    if not reason:
        raise errors.void_reason_required()
    with transaction.atomic():
        budget = lock_budget(meeting)
        if budget.settlement_status not in SETTLEMENT_OPEN:
            raise errors.settlement_locked()
        expense = Expense.objects.get(pk=expense.pk)
        if expense.voided_at is not None:
            raise errors.already_voided()
        expense.voided_at, expense.voided_by = timezone.now(), actor
        expense.void_reason = reason[:500]
        expense.save(update_fields=["voided_at", "voided_by", "void_reason"])
        audit.record(
            "budget.expense.voided",
            expense,
            actor=actor,
            changes={"voided_at": [None, expense.voided_at]},
            data={"reason": expense.void_reason, "amount": f"{expense.amount:.2f}"},
        )
    return expense


def submit_settlement(meeting: Meeting, *, actor: User, note: str = "") -> Budget:
    """The organiser closes the books. Preconditions: manages the meeting; budget approved; settlement open or returned."""
    if not can_edit_budget(actor, meeting):
        raise PermissionDenied()
    with transaction.atomic():
        budget = lock_budget(meeting)
        if budget.status != BudgetStatus.APPROVED:
            raise errors.not_approved()
        if budget.settlement_status not in SETTLEMENT_OPEN:
            raise errors.wrong_settlement(budget.settlement_status, *SETTLEMENT_OPEN)
        before = budget.settlement_status
        budget.settlement_status = SettlementStatus.SUBMITTED
        budget.settlement_note = note.strip()[:2000]
        budget.settlement_submitted_by, budget.settlement_submitted_at = actor, timezone.now()
        budget.save(
            update_fields=[
                "settlement_status",
                "settlement_note",
                "settlement_submitted_by",
                "settlement_submitted_at",
                "updated_at",
            ]
        )
        audit.record(
            "budget.settlement.submitted",
            budget,
            actor=actor,
            changes={"settlement_status": [before, budget.settlement_status]},
            data={"note": budget.settlement_note, **_totals(budget)},
        )
        notify.approval_requested(budget, what="settlement", actor=actor)
    return budget


def _totals(budget: Budget) -> dict[str, str]:
    planned = budget.lines.aggregate(s=Sum("planned"))["s"] or Decimal("0.00")
    counted = budget.expenses.filter(voided_at__isnull=True)
    actual = counted.aggregate(s=Sum("amount"))["s"] or Decimal("0.00")
    return {"planned_total": f"{planned:.2f}", "actual_total": f"{actual:.2f}"}


def _decide_settlement(meeting: Meeting, *, actor: User, approve: bool, comment: str) -> Budget:
    if not can_approve_budget(actor, meeting):
        raise PermissionDenied()

    def move(budget: Budget, verdict: Verdict, stamped: list[str]) -> Audited:
        budget.settlement_status = (
            SettlementStatus.SETTLED if verdict.approve else SettlementStatus.RETURNED
        )
        budget.save(update_fields=["settlement_status", *stamped, "updated_at"])
        return Audited(
            budget,
            changes={"settlement_status": [SettlementStatus.SUBMITTED, budget.settlement_status]},
            data={"comment": verdict.comment, **_totals(budget)},
        )

    def tell(budget: Budget, verdict: Verdict) -> None:
        notify.decided(
            budget,
            what="settlement",
            approved=verdict.approve,
            comment=verdict.comment,
            recipient=budget.settlement_submitted_by,
            actor=actor,
        )

    return decide(
        SETTLEMENT,
        actor=actor,
        approve=approve,
        comment=comment,
        lock=lambda: lock_budget(meeting),
        move=move,
        notify=tell,
    )


def approve_settlement(meeting: Meeting, *, actor: User, comment: str = "") -> Budget:
    """A leader accepts the settlement (not the person who submitted it)."""
    return _decide_settlement(meeting, actor=actor, approve=True, comment=comment)


def return_settlement(meeting: Meeting, *, actor: User, comment: str) -> Budget:
    """A leader sends the settlement back, saying why; expenses can then be corrected."""
    return _decide_settlement(meeting, actor=actor, approve=False, comment=comment)
