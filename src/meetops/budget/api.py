"""Budget API under /meetings/{id}/: budget, expenses, settlement and supplies.

Mounted at the same "/meetings" prefix as the meetings router; the paths do not overlap.
Amounts are decimal strings in CNY with two places ("1200.50"), never floats.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.urls import reverse
from ninja import Field, File, Router, Schema, Status, UploadedFile

from meetops.budget import services
from meetops.budget.models import Budget, Expense, SupplyItem
from meetops.budget.selectors import (
    Statement,
    get_expense,
    get_meeting_for_budget,
    statement_of,
    supplies_of,
    venue_costs,
)
from meetops.core.schemas import DbId, Input
from meetops.core.validation import Money, Quantity, SaneDate
from meetops.core.web import AuthedRequest
from meetops.meetings.models import Meeting

router = Router(tags=["budget"])


class LineOut(Schema):
    id: int
    category: str
    category_label: str
    planned: Decimal
    actual: Decimal
    remaining: Decimal
    over: bool
    note: str


class WarningOut(Schema):
    code: str
    message: str
    details: dict[str, Any]


class VenueCostOut(Schema):
    venue: str
    per_day: Decimal
    days: int
    total: Decimal


class BudgetOut(Schema):
    status: str
    revision: int
    currency: str
    decision_comment: str
    settlement_status: str
    settlement_note: str
    settlement_comment: str
    lines: list[LineOut]
    planned_total: Decimal
    actual_total: Decimal
    remaining_total: Decimal
    warnings: list[WarningOut]
    venue_costs: list[VenueCostOut] = Field(
        default_factory=list, description="External venues booked for the meeting: day rate × days"
    )


class LineIn(Input):
    id: int | None = Field(None, description="An existing line to keep (with its expenses)")
    category: str = Field(..., max_length=40)
    planned: Money = Field(..., description="Planned amount in CNY, at most two decimals")
    note: str = Field("", max_length=2000)


class BudgetIn(Input):
    lines: list[LineIn] = Field(..., max_length=500)
    reason: str = Field("", max_length=2000, description="Required to revise an approved budget")


class BudgetCommentIn(Input):
    comment: str = Field("", max_length=2000)


class SettlementIn(Input):
    note: str = Field("", max_length=2000)


class ExpenseOut(Schema):
    id: int
    line_id: DbId
    category: str
    amount: Decimal
    spent_on: date
    payee: str
    payee_supplier_id: int | None = None
    description: str
    over_budget_reason: str
    receipt_url: str | None
    entered_by: str
    created_at: datetime
    voided: bool
    void_reason: str


class ExpenseCreated(ExpenseOut):
    warnings: list[str]


class ExpenseList(Schema):
    items: list[ExpenseOut] = Field(..., description="Counted expenses, then voided ones")
    total: Decimal


class VoidIn(Input):
    reason: str = Field(..., max_length=2000)


class ExpenseIn(Input):
    line_id: DbId = Field(..., ge=1)
    amount: Money
    spent_on: SaneDate
    payee: str = Field("", max_length=2000, description="Empty: the supplier's name")
    payee_supplier_id: DbId | None = Field(None, description="A supplier of the register")
    description: str = Field("", max_length=5000)
    over_budget_reason: str = Field("", max_length=5000)


class SupplyOut(Schema):
    id: int
    name: str
    quantity: int
    unit: str
    responsible_id: DbId | None
    responsible: str
    prepared: bool
    reusable: bool
    recovered_quantity: int | None
    note: str


class SupplyIn(Input):
    id: int | None = None
    name: str = Field("", max_length=2000)
    quantity: Quantity = 1
    unit: str = Field("", max_length=200)
    responsible_id: DbId | None = None
    prepared: bool = False
    reusable: bool = False
    recovered_quantity: Quantity | None = None
    note: str = Field("", max_length=2000)


class SuppliesIn(Input):
    items: list[SupplyIn] = Field(..., max_length=1000)


class SupplyList(Schema):
    items: list[SupplyOut]


def _budget_out(statement: Statement, meeting: Meeting) -> BudgetOut:
    budget = statement.budget or Budget()
    return BudgetOut(
        status=budget.status,
        revision=budget.revision,
        currency=budget.currency,
        decision_comment=budget.decision_comment,
        settlement_status=budget.settlement_status,
        settlement_note=budget.settlement_note,
        settlement_comment=budget.settlement_comment,
        lines=[
            LineOut(
                id=f.line.pk,
                category=f.line.category,
                category_label=str(f.line.get_category_display()),
                planned=f.line.planned,
                actual=f.actual,
                remaining=f.remaining,
                over=f.over,
                note=f.line.note,
            )
            for f in statement.lines
        ],
        planned_total=statement.planned_total,
        actual_total=statement.actual_total,
        remaining_total=statement.remaining_total,
        warnings=[WarningOut(**w) for w in statement.warnings],
        venue_costs=[
            VenueCostOut(venue=c.venue, per_day=c.per_day, days=c.days, total=c.total)
            for c in venue_costs(meeting)
        ],
    )


def _expense_out(expense: Expense) -> dict[str, Any]:
    receipt = (
        reverse("budget:receipt", args=[expense.budget.meeting_id, expense.pk])
        if expense.receipt
        else None
    )
    return {
        "id": expense.pk,
        "line_id": expense.line_id,
        "category": expense.line.category,
        "amount": expense.amount,
        "spent_on": expense.spent_on,
        "payee": expense.payee,
        "payee_supplier_id": expense.payee_supplier_id,
        "description": expense.description,
        "over_budget_reason": expense.over_budget_reason,
        "receipt_url": receipt,
        "entered_by": str(expense.entered_by or ""),
        "created_at": expense.created_at,
        "voided": expense.voided_at is not None,
        "void_reason": expense.void_reason,
    }


def _supply_out(item: SupplyItem) -> SupplyOut:
    return SupplyOut(
        id=item.pk,
        name=item.name,
        quantity=item.quantity,
        unit=item.unit,
        responsible_id=item.responsible_id,
        responsible=str(item.responsible or ""),
        prepared=item.prepared,
        reusable=item.reusable,
        recovered_quantity=item.recovered_quantity,
        note=item.note,
    )


@router.get("/{int:meeting_id}/budget", response=BudgetOut, summary="Planned against actual")
def read_budget(request: AuthedRequest, meeting_id: int) -> BudgetOut:
    meeting = get_meeting_for_budget(request.user, meeting_id)
    return _budget_out(statement_of(meeting), meeting)


@router.put("/{int:meeting_id}/budget", response=BudgetOut, summary="Replace the budget lines")
def replace_budget(request: AuthedRequest, meeting_id: int, payload: BudgetIn) -> BudgetOut:
    meeting = get_meeting_for_budget(request.user, meeting_id)
    rows = [row.dict() for row in payload.lines]
    services.save_budget(meeting, lines=rows, reason=payload.reason, actor=request.user)
    return _budget_out(statement_of(meeting), meeting)


@router.post("/{int:meeting_id}/budget/submit", response=BudgetOut, summary="Submit for approval")
def submit_budget(request: AuthedRequest, meeting_id: int) -> BudgetOut:
    meeting = get_meeting_for_budget(request.user, meeting_id)
    services.submit_budget(meeting, actor=request.user)
    return _budget_out(statement_of(meeting), meeting)


@router.post("/{int:meeting_id}/budget/approve", response=BudgetOut, summary="Approve (leaders)")
def approve_budget(request: AuthedRequest, meeting_id: int, payload: BudgetCommentIn) -> BudgetOut:
    meeting = get_meeting_for_budget(request.user, meeting_id)
    services.approve_budget(meeting, actor=request.user, comment=payload.comment)
    return _budget_out(statement_of(meeting), meeting)


@router.post(
    "/{int:meeting_id}/budget/return", response=BudgetOut, summary="Return with a comment (leaders)"
)
def return_budget(request: AuthedRequest, meeting_id: int, payload: BudgetCommentIn) -> BudgetOut:
    meeting = get_meeting_for_budget(request.user, meeting_id)
    services.return_budget(meeting, actor=request.user, comment=payload.comment)
    return _budget_out(statement_of(meeting), meeting)


@router.get("/{int:meeting_id}/expenses", response=ExpenseList, summary="Every expense")
def list_expenses(request: AuthedRequest, meeting_id: int) -> ExpenseList:
    meeting = get_meeting_for_budget(request.user, meeting_id)
    statement = statement_of(meeting)
    return ExpenseList(
        items=[ExpenseOut(**_expense_out(e)) for e in statement.expenses + statement.voided],
        total=statement.actual_total,
    )


@router.post(
    "/{int:meeting_id}/expenses",
    response={201: ExpenseCreated},
    summary="Record an expense against a budget line (over plan: give over_budget_reason)",
)
def create_expense(request: AuthedRequest, meeting_id: int, payload: ExpenseIn) -> Status:
    meeting = get_meeting_for_budget(request.user, meeting_id)
    expense, over = services.add_expense(meeting, actor=request.user, **payload.dict())
    return Status(201, ExpenseCreated(**_expense_out(expense), warnings=over))


@router.post(
    "/{int:meeting_id}/expenses/{int:expense_id}/receipt",
    response=ExpenseOut,
    summary="Attach the receipt (multipart, field `file`: PDF, PNG, JPEG or office document)",
)
def upload_receipt(
    request: AuthedRequest, meeting_id: int, expense_id: int, file: File[UploadedFile]
) -> ExpenseOut:
    meeting = get_meeting_for_budget(request.user, meeting_id)
    expense = services.attach_receipt(
        get_expense(meeting, expense_id), receipt=file, actor=request.user
    )
    return ExpenseOut(**_expense_out(expense))


@router.post(
    "/{int:meeting_id}/expenses/{int:expense_id}/void",
    response=ExpenseOut,
    summary="Void a mistaken expense with a reason (it stays listed, out of the sums)",
)
def void_expense(
    request: AuthedRequest, meeting_id: int, expense_id: int, payload: VoidIn
) -> ExpenseOut:
    meeting = get_meeting_for_budget(request.user, meeting_id)
    expense = services.void_expense(
        get_expense(meeting, expense_id), reason=payload.reason, actor=request.user
    )
    return ExpenseOut(**_expense_out(expense))


@router.post(
    "/{int:meeting_id}/settlement/submit", response=BudgetOut, summary="Submit the settlement"
)
def submit_settlement(request: AuthedRequest, meeting_id: int, payload: SettlementIn) -> BudgetOut:
    meeting = get_meeting_for_budget(request.user, meeting_id)
    services.submit_settlement(meeting, actor=request.user, note=payload.note)
    return _budget_out(statement_of(meeting), meeting)


@router.post(
    "/{int:meeting_id}/settlement/approve",
    response=BudgetOut,
    summary="Approve the settlement (leaders)",
)
def approve_settlement(
    request: AuthedRequest, meeting_id: int, payload: BudgetCommentIn
) -> BudgetOut:
    meeting = get_meeting_for_budget(request.user, meeting_id)
    services.approve_settlement(meeting, actor=request.user, comment=payload.comment)
    return _budget_out(statement_of(meeting), meeting)


@router.post(
    "/{int:meeting_id}/settlement/return",
    response=BudgetOut,
    summary="Return the settlement with a comment (leaders)",
)
def return_settlement(
    request: AuthedRequest, meeting_id: int, payload: BudgetCommentIn
) -> BudgetOut:
    meeting = get_meeting_for_budget(request.user, meeting_id)
    services.return_settlement(meeting, actor=request.user, comment=payload.comment)
    return _budget_out(statement_of(meeting), meeting)


@router.get("/{int:meeting_id}/supplies", response=SupplyList, summary="The supplies checklist")
def read_supplies(request: AuthedRequest, meeting_id: int) -> SupplyList:
    meeting = get_meeting_for_budget(request.user, meeting_id)
    return SupplyList(items=[_supply_out(i) for i in supplies_of(meeting)])


@router.put("/{int:meeting_id}/supplies", response=SupplyList, summary="Replace the checklist")
def replace_supplies(request: AuthedRequest, meeting_id: int, payload: SuppliesIn) -> SupplyList:
    meeting = get_meeting_for_budget(request.user, meeting_id)
    services.save_supplies(meeting, items=[i.dict() for i in payload.items], actor=request.user)
    return SupplyList(items=[_supply_out(i) for i in supplies_of(meeting)])
