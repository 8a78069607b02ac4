"""What users see: the bell, their notifications, their channels, the delivery log, robots."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from meetops.notifications import services
from meetops.notifications.models import (
    ChannelPreference,
    Notification,
    OutboxMessage,
    RobotEndpoint,
)
from meetops.notifications.worker import Worker


def notify(meeting: Any, *users: Any) -> None:
    with transaction.atomic():
        services.enqueue(
            event="meeting.changed",
            recipients=list(users),
            meeting=meeting,
            context={"meeting": meeting, "url": f"/meetings/{meeting.pk}/"},
        )
    Worker().run_once()


def test_my_notifications_and_mark_read(
    api_as: Any, make_meeting: Any, member: Any, outsider: Any
) -> None:
    meeting = make_meeting(title="周例会")
    notify(meeting, member, outsider)
    api = api_as(member)
    body = api.get("/api/v1/notifications").json()
    assert body["count"] == 1
    [item] = body["items"]
    assert item["title"].endswith("周例会") and item["read_at"] is None
    assert api.get("/api/v1/notifications", unread=True).json()["count"] == 1
    response = api.post(f"/api/v1/notifications/{item['id']}/read")
    assert response.status_code == 200 and response.json()["read_at"]
    assert api.get("/api/v1/notifications", unread=True).json()["count"] == 0


def test_someone_elses_notification_is_not_found(
    api_as: Any, make_meeting: Any, member: Any, outsider: Any
) -> None:
    notify(make_meeting(), member)
    theirs = Notification.objects.get(user=member)
    response = api_as(outsider).post(f"/api/v1/notifications/{theirs.pk}/read")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_delivery_log_api_by_persona(
    api_as: Any, make_meeting: Any, organiser: Any, member: Any, outsider: Any, admin_user: Any
) -> None:
    meeting = make_meeting()
    notify(meeting, member)
    path = "/api/v1/deliveries"
    own = api_as(organiser).get(path, meeting_id=meeting.pk)
    assert own.status_code == 200
    assert {d["channel"] for d in own.json()["items"]} == {"inapp"}
    assert own.json()["items"][0]["attempts_log"][0]["outcome"] == "sent"
    assert api_as(admin_user).get(path).json()["count"] == 1
    assert api_as(member).get(path, meeting_id=meeting.pk).json()["error"]["code"] == "forbidden"
    assert api_as(member).get(path).status_code == 403
    assert api_as(outsider).get(path, meeting_id=meeting.pk + 999).status_code == 404


def test_delivery_log_page_query_count_does_not_grow(
    client: Any,
    make_meeting: Any,
    organiser: Any,
    make_user: Any,
    django_assert_max_num_queries: Any,
) -> None:
    meeting = make_meeting()
    notify(meeting, *[make_user(email=f"u{i}@example.org") for i in range(3)])
    client.force_login(organiser)
    with django_assert_max_num_queries(12):
        small = client.get(f"/notifications/deliveries/?meeting={meeting.pk}")
    notify(meeting, *[make_user(email=f"v{i}@example.org") for i in range(15)])
    with django_assert_max_num_queries(12):
        large = client.get(f"/notifications/deliveries/?meeting={meeting.pk}")
    assert small.status_code == large.status_code == 200
    assert large.content.count(b"<tr>") > small.content.count(b"<tr>")


@pytest.mark.parametrize(
    ("persona", "status"), [("organiser", 200), ("member", 403), ("admin_user", 200)]
)
def test_delivery_log_page_personas(client: Any, request: Any, persona: str, status: int) -> None:
    client.force_login(request.getfixturevalue(persona))
    assert client.get("/notifications/deliveries/").status_code == status


def test_bell_and_list_pages(
    client: Any, make_meeting: Any, member: Any, django_assert_max_num_queries: Any
) -> None:
    notify(make_meeting(title="党委会"), member)
    client.force_login(member)
    bell = client.get("/notifications/bell/", headers={"HX-Request": "true"})
    assert b">1<" in bell.content
    with django_assert_max_num_queries(10):
        page = client.get("/notifications/")
    assert "党委会" in page.content.decode()
    n = Notification.objects.get(user=member)
    fragment = client.post(f"/notifications/{n.pk}/read/", headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and b"unread" not in fragment.content
    assert b'bell-count"' in client.get("/notifications/bell/").content  # no badge any more
    assert b'hx-get="/notifications/bell/"' in client.get("/notifications/").content


def test_my_channels_page_changes_what_i_get(
    client: Any, make_meeting: Any, make_user: Any
) -> None:
    user = make_user("carol", email="carol@example.org")
    client.force_login(user)
    assert client.get("/notifications/channels/").status_code == 200
    response = client.post(
        "/notifications/channels/", {"ch-meeting.changed": ["email"], "ch-meeting.cancelled": []}
    )
    assert response.status_code == 302
    assert ChannelPreference.objects.get(user=user, event="meeting.changed").channels == ["email"]
    assert ChannelPreference.objects.get(user=user, event="meeting.cancelled").channels == []
    meeting = make_meeting()
    with transaction.atomic():
        services.enqueue(
            event="meeting.changed",
            recipients=[user],
            meeting=meeting,
            context={"meeting": meeting},
        )
        services.enqueue(
            event="meeting.cancelled",
            recipients=[user],
            meeting=meeting,
            context={"meeting": meeting},
        )
    assert list(OutboxMessage.objects.values_list("event", "channel")) == [
        ("meeting.changed", "email")
    ]


def test_robot_management_is_for_admins_and_hides_the_token(
    client: Any, admin_user: Any, organiser: Any
) -> None:
    client.force_login(organiser)
    assert client.get("/notifications/robots/").status_code == 403
    client.force_login(admin_user)
    response = client.post(
        "/notifications/robots/new/",
        {
            "name": "党办群",
            "kind": "dingtalk",
            "url": "https://oapi.dingtalk.com/robot/send?access_token=SECRET-TOKEN",
            "secret": "SECxyz",
            "enabled": "on",
            "rate_per_minute": 20,
        },
    )
    assert response.status_code == 302, response.content
    robot = RobotEndpoint.objects.get()
    assert robot.secret == "SECxyz"
    page = client.get("/notifications/robots/").content.decode()
    assert "党办群" in page and "SECRET-TOKEN" not in page
    form = client.get(f"/notifications/robots/{robot.pk}/").content.decode()
    assert "SECRET-TOKEN" not in form and "SECxyz" not in form
    client.post(
        f"/notifications/robots/{robot.pk}/",
        {"name": "党办群2", "kind": "dingtalk", "url": "", "secret": "", "rate_per_minute": 10},
    )
    robot.refresh_from_db()
    assert (robot.name, robot.secret, robot.enabled, robot.rate_per_minute) == (
        "党办群2",
        "SECxyz",
        False,
        10,
    )
    assert "SECRET-TOKEN" in robot.url
    assert client.post(f"/notifications/robots/{robot.pk}/test/").status_code == 302
    assert OutboxMessage.objects.get(robot=robot).event == "notifications.test"
