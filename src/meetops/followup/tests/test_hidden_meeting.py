"""Issue 14: whoever may follow an action item (its owner, its departments) but may not see its
meeting is never told the meeting's name: not on the board, the item page, the API, the Excel
export or the leadership summary. Those who may see the meeting still read its title."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

SECRET = "绝密人事调整会议"
HIDDEN = "您无权查看的会议"


@pytest.fixture
def secret_item(make_meeting, make_item, item, departments):
    """An item of a confidential meeting owned by `owner` and the budget section (neither on
    the meeting), beside `item` of an internal meeting (季度工作会议) everyone may see."""
    secret = make_meeting(title=SECRET, confidentiality="confidential")
    return make_item(title="整理调整名单", target=secret, department=departments["budget"])


def xlsx_meetings(response: Any) -> dict[str, str]:
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(response.content)).active
    return {row[0]: row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}


def test_the_owner_follows_the_item_but_never_reads_the_meeting_title(
    client, api_as, secret_item, owner
):
    client.force_login(owner)
    board = client.get(reverse("followup:board")).content.decode()
    assert "整理调整名单" in board and "季度工作会议" in board
    # Neither in its row nor among the board's meeting filter.
    assert SECRET not in board and HIDDEN in board

    page = client.get(reverse("followup:item", args=[secret_item.pk])).content.decode()
    assert "整理调整名单" in page and SECRET not in page and HIDDEN in page
    assert reverse("meeting_actions", args=[secret_item.meeting_id]) not in page

    export = client.get(reverse("followup:board"), {"format": "xlsx"})
    assert xlsx_meetings(export) == {"整理调整名单": HIDDEN, "拿出差旅预算方案": "季度工作会议"}

    api = api_as(owner)
    listed = {
        i["title"]: i["meeting_title"] for i in api.get("/api/v1/followup/items").json()["items"]
    }
    assert listed == {"整理调整名单": HIDDEN, "拿出差旅预算方案": "季度工作会议"}
    detail = api.get(f"/api/v1/actions/{secret_item.pk}/followup").json()["item"]
    assert (detail["meeting_id"], detail["meeting_title"]) == (secret_item.meeting_id, HIDDEN)


def test_the_organiser_of_the_meeting_still_reads_its_title(client, api_as, secret_item, organiser):
    client.force_login(organiser)
    assert SECRET in client.get(reverse("followup:board")).content.decode()
    page = client.get(reverse("followup:item", args=[secret_item.pk])).content.decode()
    assert SECRET in page and reverse("meeting_actions", args=[secret_item.meeting_id]) in page
    export = client.get(reverse("followup:board"), {"format": "xlsx"})
    assert xlsx_meetings(export)["整理调整名单"] == SECRET
    detail = api_as(organiser).get(f"/api/v1/actions/{secret_item.pk}/followup").json()["item"]
    assert detail["meeting_title"] == SECRET
    summary = client.get(reverse("followup:summary")).content.decode()
    assert SECRET in summary and HIDDEN not in summary


def test_a_leader_of_the_owning_department_gets_the_summary_without_the_title(
    client, api_as, secret_item, make_user, departments
):
    # A leader sees the whole board, and this item through their department, but a confidential
    # meeting they are not on stays unnamed.
    chief = make_user("chief", roles=("leader",), department=departments["budget"])
    client.force_login(chief)
    summary = client.get(reverse("followup:summary")).content.decode()
    assert "季度工作会议" in summary and SECRET not in summary and HIDDEN in summary
    lines = api_as(chief).get("/api/v1/followup/summary").json()["meetings"]
    assert {m["meeting_id"]: m["title"] for m in lines}[secret_item.meeting_id] == HIDDEN


def test_the_actions_api_names_the_meeting_only_to_who_may_see_it(
    api_as, secret_item, owner, organiser
):
    """`/api/v1/actions` (the list and one item's change) as the owner and the organiser."""
    mine = api_as(owner).get("/api/v1/actions", mine=1).json()["items"]
    assert {i["title"]: i["meeting_title"] for i in mine}["整理调整名单"] == HIDDEN
    changed = api_as(owner).patch(f"/api/v1/actions/{secret_item.pk}", {"state": "in_progress"})
    assert changed.status_code == 200, changed.content
    assert changed.json()["meeting_title"] == HIDDEN
    listed = api_as(organiser).get("/api/v1/actions").json()["items"]
    assert {i["title"]: i["meeting_title"] for i in listed}["整理调整名单"] == SECRET


def test_the_answer_to_an_owner_who_may_not_see_the_meeting_does_not_name_it(
    secret_item, owner, organiser
):
    from meetops.followup import services
    from meetops.notifications.models import OutboxMessage

    raised = services.raise_escalation(
        secret_item, actor=owner, kind="decision", text_="名单来源不全"
    )
    services.answer_escalation(raised, actor=organiser, answer="找人事处补齐")
    told = OutboxMessage.objects.filter(user=owner, event="followup.answered")
    assert told.exists()
    for message in told:
        assert "找人事处补齐" in message.body
        assert SECRET not in message.subject + message.body
    # The organiser, who may see the meeting, is still told which meeting it is.
    assert any(
        SECRET in m.body
        for m in OutboxMessage.objects.filter(event="followup.escalated", user=organiser)
    )
