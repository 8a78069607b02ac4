"""Saving the security plan edits its lines where they are (ids kept), and a save that changes
nothing writes nothing: no audit entry, no new approval needed, "nothing changed" on the page."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse

from meetops.core.errors import DomainError
from meetops.core.models import AuditEntry
from meetops.meetings import services as meetings
from meetops.meetings.models import MeetingRole
from meetops.risks.models import DoorEntry, SecurityPost
from meetops.risks.security import selectors, services

pytestmark = pytest.mark.django_db


@pytest.fixture
def guard(meeting: Any, organiser: Any, make_user: Any) -> Any:
    user = make_user("guard", display_name="保安老张")
    return meetings.add_participant(meeting, actor=organiser, user=user, role=MeetingRole.STAFF)


def _post(meeting: Any, place: str, guards: list[Any]) -> dict[str, Any]:
    return {
        "place": place,
        "duty": "查验证件",
        "start": meeting.start - timedelta(hours=1),
        "end": meeting.end,
        "guard_ids": [g.pk for g in guards],
    }


def _saves() -> int:
    return AuditEntry.objects.filter(action="risks.security.saved").count()


def _planned(meeting: Any, organiser: Any, guard: Any) -> Any:
    return services.save_security_plan(
        meeting,
        actor=organiser,
        entry_checks="安检门",
        posts=[_post(meeting, "东门", [guard]), _post(meeting, "西门", [])],
        door_list=[
            {"name": "李部长", "organisation": "教育厅", "kind": "vip"},
            {"name": "赵记者", "organisation": "日报社", "kind": "press"},
        ],
    )


def _ids(model: Any) -> dict[str, int]:
    field = "place" if model is SecurityPost else "name"
    return {getattr(line, field): line.pk for line in model.objects.all()}


def test_an_edited_line_keeps_its_id_a_removed_one_goes_a_new_one_comes(meeting, organiser, guard):
    plan = _planned(meeting, organiser, guard)
    posts, door = _ids(SecurityPost), _ids(DoorEntry)
    rows = selectors.post_rows(plan)  # as the page gives them back: with their ids
    east = next(r for r in rows if r["place"] == "东门")
    east.update(duty="查验证件、安检", guard_ids=[])
    west = next(r for r in rows if r["place"] == "西门")
    rows = [east, {**_post(meeting, "北门", [guard])}]
    door_rows = selectors.door_rows(plan)
    door_rows[0]["kind"] = "normal"
    services.save_security_plan(meeting, actor=organiser, posts=rows, door_list=door_rows)

    kept = SecurityPost.objects.get(place="东门")
    assert kept.pk == posts["东门"] and kept.duty == "查验证件、安检"
    assert list(kept.guards.all()) == []
    assert not SecurityPost.objects.filter(pk=west["id"]).exists()
    assert set(_ids(SecurityPost)) == {"东门", "北门"}
    assert _ids(DoorEntry) == door
    assert DoorEntry.objects.get(pk=door_rows[0]["id"]).kind == "normal"


def test_the_same_lists_sent_again_without_ids_change_nothing(
    meeting, organiser, leader, guard, api_as
):
    _planned(meeting, organiser, guard)
    services.submit_security_plan(meeting, actor=organiser)
    services.decide_security_plan(meeting, actor=leader, approve=True)
    posts, door, saves = _ids(SecurityPost), _ids(DoorEntry), _saves()
    body = api_as(organiser).get(f"/api/v1/meetings/{meeting.pk}/security-plan").json()
    for line in [*body["posts"], *body["door_list"]]:
        line.pop("id")
    answer = api_as(organiser).put(f"/api/v1/meetings/{meeting.pk}/security-plan", body)
    assert answer.status_code == 200, answer.content
    assert answer.json()["status"] == "approved"  # nothing changed: the approval holds
    assert (_ids(SecurityPost), _ids(DoorEntry), _saves()) == (posts, door, saves)


def test_names_swapped_between_two_door_lines_keep_both_lines(meeting, organiser, guard):
    plan = _planned(meeting, organiser, guard)
    rows = selectors.door_rows(plan)
    rows[0]["name"], rows[1]["name"] = rows[1]["name"], rows[0]["name"]
    rows[0]["organisation"], rows[1]["organisation"] = (
        rows[1]["organisation"],
        rows[0]["organisation"],
    )
    services.save_security_plan(meeting, actor=organiser, door_list=rows)
    assert sorted(_ids(DoorEntry)) == ["李部长", "赵记者"]


def test_an_id_that_is_not_a_line_of_the_plan_is_refused(meeting, organiser, guard):
    _planned(meeting, organiser, guard)
    with pytest.raises(DomainError) as refused:
        services.save_security_plan(
            meeting, actor=organiser, posts=[{**_post(meeting, "南门", []), "id": 999_999}]
        )
    assert refused.value.details["fields"] == ["posts[0].id"]
    twice = selectors.post_rows(selectors.security_plan_of(meeting))[:1] * 2
    with pytest.raises(DomainError) as refused:
        services.save_security_plan(meeting, actor=organiser, posts=twice)
    assert refused.value.details["fields"] == ["posts[1].id"]
    assert set(_ids(SecurityPost)) == {"东门", "西门"}


def test_a_save_that_changes_nothing_is_not_audited_and_says_so(client, meeting, organiser, guard):
    _planned(meeting, organiser, guard)
    saves = _saves()
    services.save_security_plan(meeting, actor=organiser, entry_checks="安检门")
    assert _saves() == saves
    services.save_security_plan(meeting, actor=organiser, entry_checks="安检门、核验证件")
    assert _saves() == saves + 1

    client.force_login(organiser)
    url = reverse("security_plan", args=[meeting.pk])
    texts = {"part": "texts", "entry_checks": "安检门、核验证件", "restricted_areas": ""}
    page = client.post(url, texts, follow=True, headers={"Accept-Language": "zh-hans"})
    assert "未作修改" in page.content.decode() and _saves() == saves + 1
    texts["restricted_areas"] = "后台"
    page = client.post(url, texts, follow=True, headers={"Accept-Language": "zh-hans"})
    assert "未作修改" not in page.content.decode() and _saves() == saves + 2
