"""Budget fixtures: a leader, and a meeting whose budget is drafted or already approved."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

LINES = [
    {"category": "venue", "planned": "3000.00", "note": "会议室"},
    {"category": "catering", "planned": "1200.50", "note": "茶歇"},
]


@pytest.fixture
def leader(make_user: Callable[..., Any]) -> Any:
    return make_user("leader", roles=("leader",))


@pytest.fixture
def meeting(make_meeting: Callable[..., Any]) -> Any:
    return make_meeting(title="年度预算会")


@pytest.fixture
def approved(meeting: Any, organiser: Any, leader: Any) -> Any:
    """The meeting with an approved two-line budget (venue 3000.00, catering 1200.50)."""
    from meetops.budget import services

    services.save_budget(meeting, lines=LINES, actor=organiser)
    services.submit_budget(meeting, actor=organiser)
    return services.approve_budget(meeting, actor=leader)


@pytest.fixture
def spend(organiser: Any) -> Callable[..., Any]:
    """Record an expense on the approved budget's line at `index` (0 venue, 1 catering)."""
    from meetops.budget import services

    def make(meeting: Any, amount: str, *, index: int = 0, actor: Any = None, **extra: Any) -> Any:
        line = meeting.budget.lines.order_by("order")[index]
        expense, _over = services.add_expense(
            meeting,
            line_id=line.pk,
            amount=Decimal(amount),
            spent_on=date(2026, 11, 20),
            payee=extra.pop("payee", "酒店"),
            actor=actor or organiser,
            **extra,
        )
        return expense

    return make
