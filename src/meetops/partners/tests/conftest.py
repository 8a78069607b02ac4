"""Partners fixtures: a keeper of the register, suppliers, and a meeting that took place."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

# Two codes that pass GB 32100-2015 (check characters 3 and L).
CODE = "91350100M000100Y43"
CODE2 = "91110000600037341L"


@pytest.fixture
def keeper(make_user: Callable[..., Any], admin_user: Any) -> Any:
    """A staff member appointed to keep the register."""
    from meetops.partners.services import appoint_manager

    user = make_user("keeper", roles=("staff",))
    appoint_manager(user, actor=admin_user)
    return user


@pytest.fixture
def leader(make_user: Callable[..., Any]) -> Any:
    return make_user("leader", roles=("leader",))


@pytest.fixture
def add_supplier(keeper: Any) -> Callable[..., Any]:
    from meetops.partners.services import save_supplier

    def make(name: str = "华音视听设备有限公司", **fields: Any) -> Any:
        return save_supplier(None, actor=keeper, name=name, **{"kind": "av", **fields})

    return make


@pytest.fixture
def supplier(add_supplier: Callable[..., Any]) -> Any:
    return add_supplier()


@pytest.fixture
def add_contract(keeper: Any) -> Callable[..., Any]:
    from meetops.partners.services import add_contract

    def make(supplier: Any, ends_on: date, number: str = "HT-1", **fields: Any) -> Any:
        return add_contract(
            supplier,
            actor=keeper,
            number=number,
            starts_on=fields.pop("starts_on", ends_on - timedelta(days=365)),
            ends_on=ends_on,
            amount=fields.pop("amount", Decimal("1000.00")),
            **fields,
        )

    return make


@pytest.fixture
def held(make_meeting: Callable[..., Any]) -> Any:
    """An internal meeting that took place (concluded)."""
    from meetops.meetings.models import Meeting, Stage

    meeting = make_meeting(title="年度供应商评议会", confidentiality="internal")
    Meeting.objects.filter(pk=meeting.pk).update(stage=Stage.CONCLUDED)
    meeting.refresh_from_db()
    return meeting


@pytest.fixture
def used(held: Any, supplier: Any, organiser: Any) -> Any:
    """The held meeting used the supplier."""
    from meetops.partners.services import link_supplier

    return link_supplier(held, supplier=supplier, supplied="音响与投影", actor=organiser)


def set_stage(meeting: Any, stage: str) -> Any:
    from meetops.meetings.models import Meeting

    Meeting.objects.filter(pk=meeting.pk).update(stage=stage)
    meeting.refresh_from_db()
    return meeting
