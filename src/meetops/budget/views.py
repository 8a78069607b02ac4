"""Budget, statement and supplies pages. Each view loads with authorisation, calls one service, renders."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from meetops.budget import permissions, services
from meetops.budget.decisions import BUDGET, SETTLEMENT
from meetops.budget.exports import statement_xlsx
from meetops.budget.forms import (
    ExpenseForm,
    budget_rows,
    budget_table,
    supply_rows,
    supply_table,
)
from meetops.budget.models import BudgetStatus, Category, SettlementStatus
from meetops.budget.selectors import (
    get_expense,
    get_meeting_for_budget,
    statement_of,
    supplies_of,
    venue_costs,
)
from meetops.core.downloads import download_response, stored_file
from meetops.core.rows import TypedRows
from meetops.core.web import AuthedRequest, errors_onto
from meetops.meetings.models import Meeting

# action in the URL → service; leaders' decisions carry a comment
ACTIONS: dict[str, Callable[..., Any]] = {
    "submit": services.submit_budget,
    "approve": services.approve_budget,
    "return": services.return_budget,
    "settle": services.submit_settlement,
    "settle-approve": services.approve_settlement,
    "settle-return": services.return_settlement,
}
# What the person is told once it is done: what happened, not "Done."
DONE = {
    "submit": gettext_lazy("The budget is submitted for approval."),
    "approve": gettext_lazy("The budget is approved."),
    "return": gettext_lazy("The budget is returned for changes."),
    "settle": gettext_lazy("The settlement is submitted for approval."),
    "settle-approve": gettext_lazy("The settlement is approved."),
    "settle-return": gettext_lazy("The settlement is returned for changes."),
}
COMMENTED = frozenset({"approve", "return", "settle-approve", "settle-return"})


def _load(request: AuthedRequest, pk: int) -> Meeting:
    """404 for those who may not see the meeting, 403 for those who see it but not its budget."""
    return get_meeting_for_budget(request.user, pk)


def _context(request: AuthedRequest, meeting: Meeting, **extra: Any) -> dict[str, Any]:
    user = request.user
    statement = statement_of(meeting)
    budget = statement.budget
    status = budget.status if budget else BudgetStatus.DRAFT
    settlement = budget.settlement_status if budget else SettlementStatus.OPEN
    settlement_open = settlement in (SettlementStatus.OPEN, SettlementStatus.RETURNED)
    can_edit = permissions.can_edit_budget(user, meeting) and settlement_open
    can_spend = (
        permissions.can_record_expense(user, meeting)
        and status == BudgetStatus.APPROVED
        and settlement_open
    )
    return {
        "meeting": meeting,
        "statement": statement,
        "budget": budget,
        "status": status,
        "status_label": BudgetStatus(status).label,
        "settlement_label": SettlementStatus(settlement).label,
        "categories": Category.choices,
        "can_edit_lines": can_edit and status != BudgetStatus.SUBMITTED,
        "needs_reason": status == BudgetStatus.APPROVED,
        "can_submit": can_edit
        and status in (BudgetStatus.DRAFT, BudgetStatus.RETURNED)
        and bool(statement.lines),
        # The flows' answers: whoever submitted the budget or the settlement sees no buttons.
        "can_decide": budget is not None
        and status == BudgetStatus.SUBMITTED
        and BUDGET.can_decide(user, budget),
        "can_settle": can_edit and status == BudgetStatus.APPROVED,
        "can_decide_settlement": budget is not None
        and settlement == SettlementStatus.SUBMITTED
        and SETTLEMENT.can_decide(user, budget),
        "can_spend": can_spend,
        "can_void": can_spend,
        "expense_form": extra.pop("expense_form", None)
        or (ExpenseForm(budget=budget) if can_spend else None),
        "table": extra.pop("table", None) or budget_table(None, [f.line for f in statement.lines]),
        "venue_costs": venue_costs(meeting) if can_edit else [],
        **extra,
    }


@login_required
def budget_page(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = _load(request, pk)
    return render(request, "budget/budget.html", _context(request, meeting))


@login_required
@require_POST
def budget_save(request: AuthedRequest, pk: int) -> HttpResponse:
    """Save the lines; anything refused shows the table again as typed, each problem by row."""
    meeting = _load(request, pk)
    table = budget_table(request.POST)
    lines = budget_rows(table)
    if table.ok:
        with table.refusals():
            services.save_budget(
                meeting, lines=lines, reason=request.POST.get("reason", ""), actor=request.user
            )
            messages.success(request, _("The budget is saved."))
            return redirect("budget:page", pk=meeting.pk)
    context = _context(request, meeting, table=table, typed_reason=request.POST.get("reason", ""))
    return render(request, "budget/budget.html", context, status=422)


@login_required
@require_POST
def budget_action(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
    """Submit, approve or return the budget or its settlement; the services check who may."""
    meeting = _load(request, pk)
    service = ACTIONS.get(action)
    if service is None:
        raise Http404
    kwargs: dict[str, Any] = {"actor": request.user}
    if action in COMMENTED:
        kwargs["comment"] = request.POST.get("comment", "")
    elif action == "settle":
        kwargs["note"] = request.POST.get("note", "")
    service(meeting, **kwargs)
    messages.success(request, DONE[action])
    return redirect("budget:page", pk=meeting.pk)


@login_required
@require_POST
def expense_add(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = _load(request, pk)
    budget = statement_of(meeting).budget
    form = ExpenseForm(request.POST, request.FILES, budget=budget)
    if form.is_valid():
        with errors_onto(form):  # what was typed stays, the reason beside the amount
            _expense, over = services.add_expense(
                meeting,
                actor=request.user,
                **form.service_fields(),
            )
            messages.success(request, _("The expense is recorded."))
            if over:
                messages.warning(request, _("This expense goes over the budget."))
            return redirect("budget:page", pk=meeting.pk)
    context = _context(request, meeting, expense_form=form)
    return render(request, "budget/budget.html", context, status=422)


@login_required
@require_POST
def expense_void(request: AuthedRequest, pk: int, expense_id: int) -> HttpResponse:
    meeting = _load(request, pk)
    expense = get_expense(meeting, expense_id)
    reason = request.POST.get("reason", "")
    services.void_expense(expense, reason=reason, actor=request.user)
    messages.success(request, _("The expense is voided."))
    return redirect("budget:page", pk=meeting.pk)


@login_required
def receipt(request: AuthedRequest, pk: int, expense_id: int) -> FileResponse:
    """A receipt, for whoever may read the budget; typed by its checked content, never sniffed."""
    meeting = _load(request, pk)
    expense = get_expense(meeting, expense_id)
    if not expense.receipt:
        raise Http404
    name = (expense.receipt.name or "").rsplit("/", 1)[-1]
    return stored_file(
        expense.receipt.open("rb"),
        filename=name,
        content_type=expense.receipt_type or "application/octet-stream",
        inline=expense.receipt_type.startswith("image/"),
    )


@login_required
def statement(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = _load(request, pk)
    return render(
        request, "budget/statement.html", {"meeting": meeting, "statement": statement_of(meeting)}
    )


@login_required
def statement_excel(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = _load(request, pk)
    content = statement_xlsx(meeting, statement_of(meeting))
    name = slugify(meeting.title, allow_unicode=True) or f"meeting-{meeting.pk}"
    return download_response(
        content,
        filename=f"{name}-budget.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def _supplies(
    request: AuthedRequest, meeting: Meeting, table: TypedRows | None = None, status: int = 200
) -> HttpResponse:
    can_edit = permissions.can_edit_supplies(request.user, meeting)
    people = meeting.participants.filter(user__isnull=False).select_related("user")
    items = list(supplies_of(meeting))
    return render(
        request,
        "budget/supplies.html",
        {
            "meeting": meeting,
            "items": items,
            "can_edit": can_edit,
            "people": sorted({p.user for p in people} | ({meeting.created_by} - {None}), key=str),
            "table": table or supply_table(None, items),
        },
        status=status,
    )


@login_required
def supplies_page(request: AuthedRequest, pk: int) -> HttpResponse:
    return _supplies(request, _load(request, pk))


@login_required
@require_POST
def supplies_save(request: AuthedRequest, pk: int) -> HttpResponse:
    """Save the checklist; anything refused shows it again as typed, each problem by row."""
    meeting = _load(request, pk)
    table = supply_table(request.POST)
    rows = supply_rows(table)
    if table.ok:
        with table.refusals():
            services.save_supplies(meeting, items=rows, actor=request.user)
            messages.success(request, _("The checklist is saved."))
            return redirect("budget:supplies", pk=meeting.pk)
    return _supplies(request, meeting, table, status=422)


@login_required
@require_POST
def supplies_defaults(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = _load(request, pk)
    added = services.load_default_supplies(meeting, actor=request.user)
    messages.info(request, _("%(count)d usual items added.") % {"count": added})
    return redirect("budget:supplies", pk=meeting.pk)
