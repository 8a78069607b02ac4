"""The security plan's page and API by persona: organisers edit, approvers decide, guards
read their posts (here, on the staffing plan and on the meeting page), others are refused."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse

from meetops.meetings import services as meetings
from meetops.meetings.models import MeetingRole
from meetops.risks.models import SecurityPlan

pytestmark = pytest.mark.django_db


@pytest.fixture
def guard(make_user: Any) -> Any:
    return make_user("guard", display_name="保安老张")


@pytest.fixture
def on_meeting(meeting: Any, organiser: Any, guard: Any, member: Any) -> dict[str, Any]:
    return {
        "guard": meetings.add_participant(
            meeting, actor=organiser, user=guard, role=MeetingRole.STAFF, duties="安保"
        ),
        "member": meetings.add_participant(meeting, actor=organiser, user=member),
    }


def _when(meeting: Any, hours: int = 0) -> str:
    return (meeting.start + timedelta(hours=hours)).isoformat()


def test_security_plan_api(api_as, meeting, organiser, leader, member, outsider, on_meeting):
    secret_meeting = meeting.__class__.objects.filter(pk=meeting.pk)
    base = f"/api/v1/meetings/{meeting.pk}/security-plan"
    empty = api_as(organiser).get(base).json()
    assert (empty["status"], empty["posts"], empty["ready"]) == ("draft", [], False)
    body = {
        "entry_checks": "安检门",
        "restricted_areas": "后台",
        "posts": [
            {
                "place": "东门",
                "duty": "查验证件",
                "start": _when(meeting, -1),
                "end": _when(meeting, 2),
                "guard_ids": [on_meeting["guard"].pk],
            }
        ],
        "door_list": [
            {"name": "李部长", "organisation": "教育厅", "kind": "vip"},
            {"name": "会员", "participant_id": on_meeting["member"].pk},
        ],
    }
    bad = api_as(organiser).put(
        base, {**body, "posts": [{**body["posts"][0], "end": _when(meeting, -2)}]}
    )
    assert bad.status_code == 422
    error = bad.json()["error"]
    assert error["code"] == "invalid_security_plan"
    assert [f["field"] for f in error["details"]["fields"]] == ["posts[0].end"]
    saved = api_as(organiser).put(base, body)
    assert saved.status_code == 200, saved.content
    plan = saved.json()
    assert plan["posts"][0]["guard_ids"] == [on_meeting["guard"].pk]
    assert [(e["name"], e["kind"], e["badge_colour"]) for e in plan["door_list"]] == [
        ("会员", "normal", "blue"),
        ("李部长", "vip", "red"),
    ]
    assert api_as(member).get(base).json()["error"]["code"] == "forbidden"
    assert api_as(member).put(base, body).status_code == 403
    assert api_as(outsider).get(f"{base}").status_code in (403, 404)
    assert api_as(on_meeting["guard"].user).get(base).status_code == 200
    assert api_as(organiser).post(f"{base}/submit").json()["status"] == "submitted"
    decided = api_as(leader).post(f"{base}/decide", {"approve": True})
    assert decided.status_code == 200 and decided.json()["ready"] is True
    check = f"/api/v1/meetings/{meeting.pk}/participants/{on_meeting['member'].pk}/door-check"
    assert api_as(organiser).get(check).json() == {
        "checked": True,
        "listed": True,
        "kind": "normal",
        "badge_colour": "blue",
    }
    paths = api_as(organiser).get("/api/v1/openapi.json").json()["paths"]
    assert {
        "/api/v1/meetings/{meeting_id}/security-plan",
        "/api/v1/meetings/{meeting_id}/security-plan/submit",
        "/api/v1/meetings/{meeting_id}/security-plan/decide",
        "/api/v1/support-tickets/{ticket_id}/risk-event",
    } <= set(paths)
    assert secret_meeting.exists()


def test_confidential_plans_are_404_to_outsiders(api_as, client, make_meeting, outsider):
    secret = make_meeting(title="保密会议", confidentiality="confidential")
    assert api_as(outsider).get(f"/api/v1/meetings/{secret.pk}/security-plan").status_code == 404
    client.force_login(outsider)
    assert client.get(reverse("security_plan", args=[secret.pk])).status_code == 404


def test_the_page_by_persona(client, meeting, organiser, leader, member, guard, on_meeting):
    url = reverse("security_plan", args=[meeting.pk])
    client.force_login(organiser)
    page = client.get(url)
    assert page.status_code == 200 and 'id="add-post"' in page.content.decode()
    bad = client.post(
        url,
        {
            "part": "post",
            "place": "东门",
            "duty": "查验证件",
            "start": "2026-12-01T10:00",
            "end": "2026-12-01T09:00",
        },
    )
    assert bad.status_code == 422 and not SecurityPlan.objects.exists()
    client.post(
        url,
        {
            "part": "post",
            "place": "东门",
            "duty": "查验证件",
            "start": "2026-12-01T08:00",
            "end": "2026-12-01T12:00",
            "guards": [on_meeting["guard"].pk],
        },
    )
    client.post(url, {"part": "door", "name": "李部长", "organisation": "教育厅", "kind": "vip"})
    client.post(reverse("security_door_from_participants", args=[meeting.pk]))
    client.post(url, {"part": "texts", "entry_checks": "安检门", "restricted_areas": "后台"})
    plan = SecurityPlan.objects.get()
    assert plan.entry_checks == "安检门" and plan.posts.get().guards.get() == on_meeting["guard"]
    assert {e.name for e in plan.door_list.all()} >= {"李部长", "保安老张"}
    client.post(reverse("security_submit", args=[meeting.pk]))
    # A plain participant may see the meeting but not its security plan: the styled refusal.
    client.force_login(member)
    refused = client.get(url)
    assert refused.status_code == 403 and "<html" in refused.content.decode()
    assert url not in client.get(reverse("meeting_detail", args=[meeting.pk])).content.decode()
    # The guard reads the plan and their posts, and cannot change it.
    client.force_login(guard)
    read = client.get(url).content.decode()
    assert 'id="my-posts"' in read and 'id="add-post"' not in read
    assert client.post(url, {"part": "texts", "entry_checks": "x"}).status_code == 403
    detail = client.get(reverse("meeting_detail", args=[meeting.pk])).content.decode()
    assert 'id="my-security-posts"' in detail and "东门" in detail
    staffing = client.get(reverse("invitations:staffing", args=[meeting.pk])).content.decode()
    assert 'id="staffing-security"' in staffing and 'data-mine="1"' in staffing
    # The leader decides.
    client.force_login(leader)
    assert 'id="security-decision"' in client.get(url).content.decode()
    client.post(reverse("security_approve", args=[meeting.pk]), {"note": "同意"})
    plan.refresh_from_db()
    assert plan.status == "approved"


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("zh-hans", ("安保方案", "准入名单", "疏散路线")),
        ("zh-hant", ("安保方案", "准入名單", "疏散路線")),
        ("en", ("Security plan", "Door list", "Evacuation routes")),
    ],
)
def test_the_page_speaks_the_readers_language(client, meeting, organiser, language, words):
    client.force_login(organiser)
    page = client.get(
        reverse("security_plan", args=[meeting.pk]), headers={"Accept-Language": language}
    ).content.decode()
    assert all(w in page for w in words)


def test_a_line_added_by_someone_else_meanwhile_is_kept_when_another_is_added(
    client, meeting, organiser, monkeypatch
):
    """Two people add to the door list at once: the second does not wipe the first's line.
    The line the page adds is put to the list as it is under the lock, not as it was read."""
    from meetops.risks.models import DoorEntry
    from meetops.risks.security import services

    url = reverse("security_plan", args=[meeting.pk])
    client.force_login(organiser)
    client.post(url, {"part": "door", "name": "李部长", "kind": "vip"})
    original, done = services._locked_plan, []

    def someone_else_first(*args: Any, **kwargs: Any) -> Any:
        if not done:  # another request's line, committed before this one takes the lock
            done.append(True)
            plan = SecurityPlan.objects.get(meeting=meeting)
            DoorEntry.objects.create(plan=plan, name="王记者", kind="press")
        return original(*args, **kwargs)

    monkeypatch.setattr(services, "_locked_plan", someone_else_first)
    assert client.post(url, {"part": "door", "name": "赵处长", "kind": "normal"}).status_code == 302
    names = sorted(
        SecurityPlan.objects.get(meeting=meeting).door_list.values_list("name", flat=True)
    )
    assert names == sorted(["李部长", "王记者", "赵处长"])
