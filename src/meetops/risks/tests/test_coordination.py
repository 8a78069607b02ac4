"""P5.5: messages about a risk reach its owner, the organisers and the addressed departments' people."""

from __future__ import annotations

import pytest
from django.urls import reverse

from meetops.core.errors import PermissionDenied
from meetops.meetings.models import MeetingRole
from meetops.meetings.services import add_participant
from meetops.notifications.models import OutboxMessage
from meetops.people.services import create_department
from meetops.risks import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def departments():
    security = create_department(name="保卫处", actor=None)
    guards = create_department(name="门卫班", parent=security, actor=None)
    it = create_department(name="信息中心", actor=None)
    return security, guards, it


def test_a_message_reaches_the_owner_organisers_and_the_addressed_departments_people(
    meeting, organiser, make_user, add_risk, departments
):
    security, guards, it = departments
    owner = make_user("owner1", email="owner@example.org")
    guard = make_user("guard1", department=guards, email="guard@example.org")
    techie = make_user("tech1", department=it, email="tech@example.org")
    stranger = make_user("guard2", department=guards)  # not on this meeting
    for person in (owner, guard, techie):
        add_participant(meeting, actor=organiser, user=person, role=MeetingRole.STAFF)
    risk = add_risk(meeting, category="security", likelihood=4, impact=5, owner=owner)

    services.post_risk_note(
        risk,
        actor=organiser,
        text="请保卫处加派两名门卫，入口实行证件核验。",
        departments=[security],
    )
    told = set(
        OutboxMessage.objects.filter(event="risks.note.posted", channel="inapp").values_list(
            "user_id", flat=True
        )
    )
    assert told == {owner.pk, guard.pk}  # not the writer, not IT, not the guard off the meeting
    assert stranger.pk not in told and techie.pk not in told

    # The guard answers; earlier writers (the organiser) now hear of it too.
    services.post_risk_note(risk, actor=guard, text="已安排，8:00 到岗。")
    second = OutboxMessage.objects.filter(event="risks.note.posted", channel="inapp").order_by("pk")
    assert {m.user_id for m in second if m.user_id != owner.pk} >= {organiser.pk}


def test_only_people_on_the_meeting_write_and_the_page_shows_the_thread(
    client, meeting, organiser, member, outsider, add_risk, departments
):
    risk = add_risk(meeting)
    with pytest.raises(PermissionDenied):
        services.post_risk_note(risk, actor=member, text="我也想说两句")
    add_participant(meeting, actor=organiser, user=member)
    risk = type(risk).objects.select_related("meeting").get(pk=risk.pk)  # a new request's view
    services.post_risk_note(
        risk, actor=member, text="备用投影仪在三楼库房", departments=[departments[2]]
    )

    url = reverse("risk_coordination", args=[meeting.pk, risk.pk])
    client.force_login(organiser)
    page = client.get(url).content.decode()
    assert "备用投影仪在三楼库房" in page and "信息中心" in page
    response = client.post(
        url, {"text": "收到，会前试机", "departments": [departments[2].pk]}, follow=True
    )
    assert "收到，会前试机" in response.content.decode()


def test_the_api_thread(api_as, meeting, organiser, add_risk, departments):
    risk = add_risk(meeting)
    api = api_as(organiser)
    response = api.post(
        f"/api/v1/risks/{risk.pk}/coordination",
        {"text": "请信息中心会前检查网络", "department_ids": [departments[2].pk]},
    )
    assert response.status_code == 201 and response.json()["department_ids"] == [departments[2].pk]
    bad = api.post(
        f"/api/v1/risks/{risk.pk}/coordination", {"text": "x", "department_ids": [999999]}
    )
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "unknown_department"
    listed = api.get(f"/api/v1/risks/{risk.pk}/coordination").json()
    assert [n["text"] for n in listed] == ["请信息中心会前检查网络"]
