"""Reads of budgets and supplies. The meeting is loaded and authorised by the caller.

Totals are summed here from the rows, never read from a stored figure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import DecimalField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from meetops.budget.models import Budget, BudgetLine, Expense, SupplyItem
from meetops.budget.money import format_money as money
from meetops.budget.permissions import can_view_budget
from meetops.core.errors import NotFound, PermissionDenied
from meetops.meetings.models import Meeting
from meetops.meetings.selectors import get_meeting_for_user, meetings_of, meetings_visible_to
from meetops.partners.permissions import can_manage_register
from meetops.people.models import Role, User
from meetops.venues.models import Booking, BookingStatus

ZERO = Decimal("0.00")


@dataclass
class LineFigures:
    line: BudgetLine
    actual: Decimal

    @property
    def remaining(self) -> Decimal:
        return self.line.planned - self.actual

    @property
    def over(self) -> bool:
        return self.actual > self.line.planned


@dataclass
class Statement:
    """A budget with planned against actual per line, its expenses, and what is over plan."""

    budget: Budget | None
    lines: list[LineFigures] = field(default_factory=list)
    expenses: list[Expense] = field(default_factory=list)
    voided: list[Expense] = field(default_factory=list)

    @property
    def planned_total(self) -> Decimal:
        return sum((f.line.planned for f in self.lines), ZERO)

    @property
    def actual_total(self) -> Decimal:
        return sum((f.actual for f in self.lines), ZERO)

    @property
    def remaining_total(self) -> Decimal:
        return self.planned_total - self.actual_total

    @property
    def warnings(self) -> list[dict[str, Any]]:
        found = [
            {
                "code": "line_over_budget",
                "message": _("%(line)s is over plan by %(amount)s.")
                % {"line": f.line, "amount": money(-f.remaining)},
                "details": {"line_id": f.line.pk, "over_by": str(-f.remaining)},
            }
            for f in self.lines
            if f.over
        ]
        if self.lines and self.actual_total > self.planned_total:
            found.append(
                {
                    "code": "total_over_budget",
                    "message": _("The total is over plan by %(amount)s.")
                    % {"amount": money(-self.remaining_total)},
                    "details": {"over_by": str(-self.remaining_total)},
                }
            )
        return found


def budget_of(meeting: Meeting) -> Budget | None:
    return (
        Budget.objects.select_related(
            "submitted_by", "decided_by", "settlement_submitted_by", "settled_by"
        )
        .filter(meeting=meeting)
        .first()
    )


def line_figures(budget: Budget) -> list[LineFigures]:
    """Each line with the sum of its expenses, in one query."""
    money = DecimalField(max_digits=14, decimal_places=2)
    counted = Q(expenses__voided_at__isnull=True)
    lines = budget.lines.annotate(
        actual=Coalesce(Sum("expenses__amount", filter=counted), Value(ZERO), output_field=money)
    ).order_by("order", "id")
    return [LineFigures(line=line, actual=Decimal(line.actual).quantize(ZERO)) for line in lines]


def expenses_of(budget: Budget) -> QuerySet[Expense]:
    return budget.expenses.select_related("line", "entered_by", "voided_by").order_by(
        "spent_on", "id"
    )


def statement_of(meeting: Meeting) -> Statement:
    """The whole picture in three queries, however many lines and expenses."""
    budget = budget_of(meeting)
    if budget is None:
        return Statement(budget=None)
    every = list(expenses_of(budget))
    return Statement(
        budget=budget,
        lines=line_figures(budget),
        expenses=[e for e in every if e.voided_at is None],
        voided=[e for e in every if e.voided_at is not None],
    )


def get_expense(meeting: Meeting, expense_id: int) -> Expense:
    expense = (
        Expense.objects.select_related("budget", "line")
        .filter(pk=expense_id, budget__meeting=meeting)
        .first()
    )
    if expense is None:
        raise NotFound()
    return expense


def supplies_of(meeting: Meeting) -> QuerySet[SupplyItem]:
    return (
        SupplyItem.objects.filter(meeting=meeting)
        .select_related("responsible")
        .order_by("order", "id")
    )


def get_meeting_for_budget(user: User, pk: int) -> Meeting:
    """The meeting, if the user may read its budget: 404 if they may not see the meeting, 403 if
    they see it but not its money."""
    meeting = get_meeting_for_user(user, pk)
    if not can_view_budget(user, meeting):
        raise PermissionDenied()
    return meeting


@dataclass
class VenueCost:
    """What an external venue booked for the meeting should cost: its day rate × booked days."""

    venue: str
    per_day: Decimal
    days: int

    @property
    def total(self) -> Decimal:
        return self.per_day * self.days


def venue_costs(meeting: Meeting) -> list[VenueCost]:
    """Costs of the external venues (venues app) that the meeting's live bookings hold; one query."""
    bookings = (
        Booking.objects.filter(
            meeting=meeting,
            status__in=[BookingStatus.CONFIRMED, BookingStatus.PENDING],
            room__external_venue__cost_per_day__isnull=False,
        )
        .select_related("room__external_venue")
        .order_by("start")
    )
    days: dict[int, set[Any]] = {}
    venues: dict[int, Any] = {}
    for booking in bookings:
        venue = booking.room.external_venue
        if venue is None:  # excluded by the filter; for the type checker
            continue
        venues[venue.pk] = venue
        days.setdefault(venue.pk, set()).add(timezone.localtime(booking.start).date())
    return [
        VenueCost(venue=v.name, per_day=v.cost_per_day, days=len(days[pk]))
        for pk, v in venues.items()
    ]


def payments_to(supplier: Any, user: User) -> list[Expense]:
    """What meetings paid a supplier of the register (counted expenses, newest first), for the
    supplier's page: to those who keep the register and to leaders, of the meetings whose
    budget they may read (can_view_budget: every visible one for leaders, archivists and
    admins; otherwise the meetings they are on)."""
    if not (can_manage_register(user) or user.has_role(Role.LEADER)):
        return []
    whole = user.is_admin or user.has_role(Role.LEADER, Role.ARCHIVIST)
    visible = (meetings_visible_to(user) if whole else meetings_of(user)).values("pk")
    return list(
        Expense.objects.filter(
            payee_supplier=supplier, voided_at__isnull=True, budget__meeting__in=visible
        )
        .select_related("budget__meeting")
        .order_by("-spent_on", "-pk")[:200]
    )
