"""Organiser pages and the pages without login: personas, query counts, QR, feeds, public registration."""

from __future__ import annotations

import icalendar
import pytest

from meetops.invitations.models import Invitation, PublicRegistration
from meetops.invitations.services import feeds, public
from meetops.invitations.services import invitations as invites
from meetops.meetings import services as meetings

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("persona", "status"), [("organiser", 200), ("member", 200), ("outsider", 404)]
)
def test_participants_page_by_persona(
    client, request, guests, organiser, member, outsider, persona, status
):
    meeting = guests(2, confidentiality="restricted")
    meetings.add_participant(meeting, actor=organiser, user=member)
    client.force_login(request.getfixturevalue(persona))
    response = client.get(f"/meetings/{meeting.pk}/people/")
    assert response.status_code == status
    if status == 200:
        assert "嘉宾1" in response.content.decode()
        can_send = (
            "Send to all" in response.content.decode() or "全部发送" in response.content.decode()
        )
        assert can_send == (persona == "organiser")


def test_member_cannot_send_or_see_dashboard(client, guests, member, organiser):
    meeting = guests(1)
    client.force_login(member)
    assert client.post(f"/meetings/{meeting.pk}/people/send/", {"to": "all"}).status_code == 403
    assert client.get(f"/meetings/{meeting.pk}/rsvp/").status_code == 403
    assert not Invitation.objects.exists()


def test_participants_and_dashboard_query_counts_do_not_grow(
    client, guests, organiser, django_assert_max_num_queries
):
    meeting = guests(3)
    invites.send_invitations(meeting, actor=organiser, to="all")
    client.force_login(organiser)
    with django_assert_max_num_queries(25) as small:
        client.get(f"/meetings/{meeting.pk}/people/")
    for i in range(30):
        meetings.add_participant(meeting, actor=organiser, name=f"n{i}", email=f"n{i}@example.org")
    invites.send_invitations(meeting, actor=organiser, to="all")
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(f"/meetings/{meeting.pk}/people/").status_code == 200
    with django_assert_max_num_queries(30) as dash:
        client.get(f"/meetings/{meeting.pk}/rsvp/")
    invites.respond(Invitation.objects.first(), response="decline", reason="r")
    with django_assert_max_num_queries(len(dash.captured_queries)):
        assert client.get(f"/meetings/{meeting.pk}/rsvp/").status_code == 200


def test_rsvp_page_accept_shows_qr_and_decline_keeps_reason(client, guests, organiser):
    meeting = guests(1)
    invites.send_invitations(meeting, actor=organiser, to="all")
    token = Invitation.objects.get().token
    page = client.get(f"/rsvp/{token}")
    assert page.status_code == 200 and meeting.title in page.content.decode()
    assert "signin-qr" not in page.content.decode()
    client.post(f"/rsvp/{token}", {"response": "accept"})
    page = client.get(f"/rsvp/{token}")
    assert "signin-qr" in page.content.decode()
    qr = client.get(f"/rsvp/{token}/qr.svg")
    assert qr.status_code == 200 and qr["Content-Type"] == "image/svg+xml" and b"<svg" in qr.content
    client.post(f"/rsvp/{token}", {"response": "decline", "reason": "另有安排"})
    assert Invitation.objects.get().reason == "另有安排"
    assert client.get("/rsvp/nope").status_code == 404


def test_feeds_are_token_protected_calendars(client, guests, organiser):
    meeting = guests(1)
    url = feeds.user_feed_url(organiser)
    body = client.get(url.split("://", 1)[1].split("/", 1)[1].join(["/", ""]))
    assert body.status_code == 200
    cal = icalendar.Calendar.from_ical(body.content)
    assert [str(e["SUMMARY"]) for e in cal.walk("VEVENT")] == [meeting.title]
    assert client.get("/calendar/user/wrong.ics").status_code == 404
    meeting_url = feeds.meeting_feed_url(meeting)
    assert client.get("/" + meeting_url.split("/", 3)[3]).status_code == 200


def test_public_registration_with_capacity_and_waiting_list(
    client, make_meeting, organiser, outbox_mails
):
    meeting = make_meeting(confidentiality="public", location="礼堂", goals="g")
    meetings.update_meeting(meeting, actor=organiser, description="公开讲座")
    meeting.stage = "preparing"
    meeting.save(update_fields=["stage"])
    public.set_registration(meeting, actor=organiser, open=True, capacity=1)
    assert client.get(f"/events/{meeting.pk}/").status_code == 200
    client.post(f"/events/{meeting.pk}/", {"name": "甲", "email": "a@example.org"})
    client.post(f"/events/{meeting.pk}/", {"name": "乙", "email": "b@example.org"})
    statuses = dict(PublicRegistration.objects.values_list("email", "status"))
    assert statuses == {"a@example.org": "confirmed", "b@example.org": "waitlisted"}
    assert outbox_mails("a@example.org")[0].attachments  # the invitation with .ics
    # The confirmed person declines: the first on the waiting list gets the place.
    first = Invitation.objects.get(participant__email="a@example.org")
    invites.respond(first, response="decline")
    statuses = dict(PublicRegistration.objects.values_list("email", "status"))
    assert statuses == {"a@example.org": "cancelled", "b@example.org": "confirmed"}
    assert client.get(f"/events/{meeting.pk}/qr.svg").status_code == 200


def test_public_page_shows_only_the_public_agenda_items(client, make_meeting, organiser):
    from meetops.agenda import services as agenda

    meeting = make_meeting(confidentiality="public", location="礼堂", goals="g")
    agenda.replace_agenda(
        meeting,
        items=[
            {"title": "公开报告", "duration_minutes": 30, "is_public": True},
            {"title": "内部碰头", "duration_minutes": 15, "is_public": False},
        ],
        actor=organiser,
    )
    meeting.stage = "preparing"  # a draft has no public page yet
    meeting.save(update_fields=["stage"])
    page = client.get(f"/events/{meeting.pk}/").content.decode()
    assert "公开报告" in page and "内部碰头" not in page


def test_internal_meeting_has_no_public_page(client, make_meeting):
    meeting = make_meeting()
    assert client.get(f"/events/{meeting.pk}/").status_code == 404


def test_template_editor_previews_escaped(client, organiser, member):
    client.force_login(member)
    assert client.get("/invitations/templates/").status_code == 404
    client.force_login(organiser)
    response = client.post(
        "/invitations/templates/",
        {
            "language": "en",
            "subject": "Hi {{ person.name }}",
            "body": "<i>{{ meeting.title }}</i>",
            "preview": "1",
        },
    )
    text = response.content.decode()
    assert "&lt;i&gt;Sample meeting&lt;/i&gt;" in text or "&lt;i&gt;" in text


def test_staffing_plan_edit_form_and_my_calendar_render(client, guests, organiser):
    meeting = guests(1)
    host = meetings.add_participant(
        meeting,
        actor=organiser,
        name="主持人甲",
        phone="13800000000",
        role="host",
        duties="主持会议",
    )
    client.force_login(organiser)
    plan = client.get(f"/meetings/{meeting.pk}/staffing/").content.decode()
    assert "主持人甲" in plan and "13800000000" in plan and "主持会议" in plan
    assert client.get(f"/meetings/{meeting.pk}/people/{host.pk}/").status_code == 200
    response = client.post(
        f"/meetings/{meeting.pk}/people/{host.pk}/",
        {
            "role": "staff",
            "attendance": "required",
            "duties": "签到台",
            "phone": "1",
            "seat_preference": "",
        },
    )
    assert response.status_code == 302
    host.refresh_from_db()
    assert (host.role, host.duties) == ("staff", "签到台")
    assert "/calendar/user/" in client.get("/calendar/").content.decode()
