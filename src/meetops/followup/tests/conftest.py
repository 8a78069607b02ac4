"""Follow-up fixtures: the minutes app's meeting (organiser, host, recorder, member), a department
tree, and an action item owned by `owner` (a member of the Finance department) with a leader."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from meetops.minutes.tests.conftest import agenda_ids, host, meeting, recorder  # noqa: F401


@pytest.fixture
def departments(db: Any) -> dict[str, Any]:
    from meetops.people.services import create_department

    finance = create_department(name="财务处", actor=None)
    budget = create_department(name="预算科", actor=None, parent=finance)
    it = create_department(name="信息中心", actor=None)
    return {"finance": finance, "budget": budget, "it": it}


@pytest.fixture
def owner(make_user: Callable[..., Any], departments: dict[str, Any]) -> Any:
    return make_user(
        "owner", roles=("member",), email="owner@example.org", department=departments["budget"]
    )


@pytest.fixture
def leader(make_user: Callable[..., Any]) -> Any:
    return make_user("leader", roles=("leader",), email="leader@example.org")


@pytest.fixture
def make_item(meeting: Any, organiser: Any, owner: Any) -> Callable[..., Any]:  # noqa: F811
    from meetops.followup.selectors import get_item_for_user
    from meetops.minutes import services

    def make(
        *,
        title: str = "拿出差旅预算方案",
        due_in: int | None = 10,
        target: Any = None,
        **fields: Any,
    ) -> Any:
        fields.setdefault("owner", owner)
        due = timezone.localdate() + timedelta(days=due_in) if due_in is not None else None
        action = services.create_action(
            target or meeting, actor=organiser, title=title, due_date=due, **fields
        )
        return get_item_for_user(organiser, action.pk)

    return make


@pytest.fixture
def item(make_item: Callable[..., Any]) -> Any:
    return make_item()


def fresh(action: Any, user: Any) -> Any:
    """The item again, as the board loads it for `user`."""
    from meetops.followup.selectors import get_item_for_user

    return get_item_for_user(user, action.pk)


def days_ago(n: int) -> date:
    return timezone.localdate() - timedelta(days=n)
