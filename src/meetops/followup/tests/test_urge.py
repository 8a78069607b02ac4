"""催办 (issue 16 finding 13): organisers and leaders urge the owner of an overdue item at once;
notified through the usual channels, audited, once per item per day, refused in words."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from meetops.core.errors import DomainError, PermissionDenied
from meetops.core.models import AuditEntry
from meetops.followup.models import Urge
from meetops.followup.services import urge_owner
from meetops.followup.tests.conftest import days_ago
from meetops.minutes.models import ActionItem
from meetops.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db


@pytest.fixture
def overdue(item: Any) -> Any:
    ActionItem.objects.filter(pk=item.pk).update(due_date=days_ago(3))
    item.refresh_from_db()
    return item


def test_an_organiser_urges_the_owner_who_hears_at_once(overdue, organiser, owner) -> None:
    urge = urge_owner(overdue, actor=organiser, note="请本周内完成")
    assert Urge.objects.get() == urge and urge.urged_by == organiser
    told = OutboxMessage.objects.filter(event="followup.urged", user=owner)
    assert {m.channel for m in told} == {"inapp", "email"}
    assert "请本周内完成" in told.first().body  # type: ignore[union-attr]
    entry = AuditEntry.objects.get(action="followup.action.urged")
    assert entry.actor == organiser and entry.data["owner"] == owner.pk


def test_a_leader_may_urge_the_owner_and_a_member_may_not(overdue, leader, member) -> None:
    assert urge_owner(overdue, actor=leader).urged_by == leader
    with pytest.raises(PermissionDenied):
        urge_owner(overdue, actor=member)


def test_once_per_item_per_day_and_the_refusal_says_who_and_when(
    overdue, organiser, leader, owner
) -> None:
    urge_owner(overdue, actor=organiser)
    with pytest.raises(DomainError) as refused:
        urge_owner(overdue, actor=leader)
    assert refused.value.code == "already_urged"
    assert str(organiser) in str(refused.value.message)
    assert (
        OutboxMessage.objects.filter(event="followup.urged", user=owner).count() == 2
    )  # one urge: in-app and e-mail
    assert Urge.objects.count() == 1


def test_only_an_overdue_live_item_can_be_urged(item, organiser) -> None:
    with pytest.raises(DomainError) as refused:
        urge_owner(item, actor=organiser)
    assert refused.value.code == "not_overdue"
    assert not Urge.objects.exists()


def test_the_page_offers_urging_and_shows_the_refusal(client, overdue, organiser, owner) -> None:
    url = reverse("followup:item", args=[overdue.pk])
    client.force_login(owner)
    assert 'id="urge-form"' not in client.get(url).content.decode()  # not one's own
    client.force_login(organiser)
    assert 'id="urge-form"' in client.get(url).content.decode()
    move = reverse("followup:item_move", args=[overdue.pk, "urge"])
    client.post(move, {"note": ""}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert Urge.objects.count() == 1
    page = client.post(move, {"note": ""}, follow=True, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "每天只能催办一次" in page.content.decode()


def test_the_api_urges_and_refuses_in_the_one_error_shape(client, overdue, organiser) -> None:
    client.force_login(organiser)
    url = f"/api/v1/actions/{overdue.pk}/urge"
    first = client.post(url, {"note": "尽快"}, content_type="application/json")
    assert first.status_code == 201 and first.json()["owner"]
    again = client.post(url, {}, content_type="application/json")
    assert again.status_code >= 400
    assert again.json()["error"]["code"] == "already_urged"
    assert set(again.json()["error"]) == {"code", "message", "details"}
