"""The participants / invitations / RSVP API contract."""

from __future__ import annotations

import pytest

from meetops.invitations.models import Invitation

pytestmark = pytest.mark.django_db


def test_both_routers_under_meetings_answer(api_as, organiser, make_meeting):
    meeting = make_meeting()
    api = api_as(organiser)
    assert api.get(f"/api/v1/meetings/{meeting.pk}").status_code == 200
    assert api.get(f"/api/v1/meetings/{meeting.pk}/participants").status_code == 200
    assert api.get(f"/api/v1/meetings/{meeting.pk}/steps").status_code == 200


def test_add_guest_and_user_then_list_with_rsvp_state(api_as, organiser, member, make_meeting):
    meeting = make_meeting()
    api = api_as(organiser)
    created = api.post(
        f"/api/v1/meetings/{meeting.pk}/participants",
        {"name": "张三", "email": "zhang@example.org", "role": "speaker", "attendance": "optional"},
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["name"] == "张三" and body["role"] == "speaker" and body["rsvp"] == "uninvited"
    by_user = api.post(
        f"/api/v1/meetings/{meeting.pk}/participants", {"user_id": member.pk, "role": "participant"}
    )
    assert by_user.status_code == 201 and by_user.json()["user_id"] == member.pk
    listed = api.get(f"/api/v1/meetings/{meeting.pk}/participants").json()
    assert listed["count"] == 3  # the organiser too
    assert {p["rsvp"] for p in listed["items"]} == {"uninvited"}


def test_invitations_queue_and_rsvp_round_trip(api_as, organiser, guests, outbox_mails):
    meeting = guests(2)
    api = api_as(organiser)
    sent = api.post(f"/api/v1/meetings/{meeting.pk}/invitations", {"to": "uninvited"})
    assert sent.status_code == 202, sent.content
    assert sent.json()["queued"] == 2
    assert (
        api.post(f"/api/v1/meetings/{meeting.pk}/invitations", {"to": "uninvited"}).json()["queued"]
        == 0
    )
    mails = outbox_mails()
    assert {m.address for m in mails} == {"guest1@example.org", "guest2@example.org"}
    token = Invitation.objects.get(participant__email="guest1@example.org").token
    assert f"/rsvp/{token}" in mails[0].body + mails[1].body

    anonymous = api_as(None)
    got = anonymous.get(f"/api/v1/rsvp/{token}")
    assert got.status_code == 200
    assert got.json()["meeting"]["title"] == meeting.title and got.json()["response"] == ""
    answered = anonymous.post(f"/api/v1/rsvp/{token}", {"response": "decline", "reason": "出差"})
    assert answered.status_code == 200
    assert answered.json()["response"] == "decline" and answered.json()["reason"] == "出差"
    listed = api.get(f"/api/v1/meetings/{meeting.pk}/participants").json()["items"]
    assert {p["email"]: p["rsvp"] for p in listed}["guest1@example.org"] == "decline"


def test_unknown_and_revoked_tokens_are_404(api_as, organiser, guests):
    meeting = guests(1)
    api_as(organiser).post(f"/api/v1/meetings/{meeting.pk}/invitations", {"to": "all"})
    anonymous = api_as(None)
    assert anonymous.get("/api/v1/rsvp/not-a-token").json()["error"]["code"] == "not_found"
    invitation = Invitation.objects.get()
    from meetops.invitations.services.invitations import revoke_invitation

    revoke_invitation(invitation, actor=organiser)
    assert anonymous.get(f"/api/v1/rsvp/{invitation.token}").status_code == 404
    assert (
        anonymous.post(f"/api/v1/rsvp/{invitation.token}", {"response": "accept"}).status_code
        == 404
    )


@pytest.mark.parametrize(
    ("persona", "status", "code"),
    [
        ("member", 403, "forbidden"),
        ("outsider", 403, "forbidden"),
    ],
)
def test_personas_cannot_add_or_invite(
    api_as, request, organiser, member, outsider, guests, persona, status, code
):
    meeting = guests(1)
    api = api_as(request.getfixturevalue(persona))
    added = api.post(
        f"/api/v1/meetings/{meeting.pk}/participants", {"name": "x", "email": "x@example.org"}
    )
    assert added.status_code == status and added.json()["error"]["code"] == code
    sent = api.post(f"/api/v1/meetings/{meeting.pk}/invitations", {"to": "all"})
    assert sent.status_code == status


def test_confidential_meeting_is_404_to_outsiders(api_as, outsider, guests):
    meeting = guests(1, confidentiality="confidential")
    response = api_as(outsider).get(f"/api/v1/meetings/{meeting.pk}/participants")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


def test_send_to_unknown_participant_is_422(api_as, organiser, guests):
    meeting = guests(1)
    response = api_as(organiser).post(
        f"/api/v1/meetings/{meeting.pk}/invitations", {"to": [999999]}
    )
    assert response.status_code == 422 and response.json()["error"]["code"] == "unknown_participant"
