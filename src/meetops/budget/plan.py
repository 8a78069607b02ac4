"""The budget's section of the meeting plan (P2.1 names the budget as part of the plan)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from meetops.agenda.plan import PlanSection, register_plan_section
from meetops.budget.money import format_money
from meetops.budget.permissions import can_view_budget
from meetops.budget.selectors import ZERO, budget_of, line_figures
from meetops.meetings.models import Meeting
from meetops.people.models import User


@register_plan_section
def budget_section(meeting: Meeting, viewer: User) -> PlanSection | None:
    """Planned amount per line and in total, with the budget's status; only for its readers."""
    if not can_view_budget(viewer, meeting):
        return None
    budget = budget_of(meeting)
    if budget is None:
        return None
    figures = line_figures(budget)
    if not figures:
        return None
    rows = [
        (
            f"{f.line.get_category_display()}{' · ' + f.line.note if f.line.note else ''}",
            format_money(f.line.planned),
        )
        for f in figures
    ]
    total = sum((f.line.planned for f in figures), ZERO)
    rows.append((_("Total"), f"{format_money(total)} ({budget.get_status_display()})"))
    return PlanSection(title=_("Budget"), rows=rows, order=50)
