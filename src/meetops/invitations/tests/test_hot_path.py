"""The RSVP answer's statements pinned (issue 17): the answer is built from the row just written."""

from __future__ import annotations

import pytest

from meetops.invitations.models import Invitation

pytestmark = pytest.mark.django_db

# invitation by token, begin, settings, lock the invitation (with what the answer shows), update,
# audit entry on the meeting's stream (savepoint, head, insert, release), commit, agenda
ACCEPT = 11
DECLINE = ACCEPT + 1  # a declined seat of a public registration is released


def test_rsvp_answer_statements(api_as, organiser, guests, django_assert_num_queries):
    meeting = guests(1)
    api_as(organiser).post(f"/api/v1/meetings/{meeting.pk}/invitations", {"to": "all"})
    token = Invitation.objects.get().token
    anonymous = api_as(None)
    with django_assert_num_queries(ACCEPT):
        accepted = anonymous.post(f"/api/v1/rsvp/{token}", {"response": "accept"})
    with django_assert_num_queries(DECLINE):
        declined = anonymous.post(
            f"/api/v1/rsvp/{token}", {"response": "decline", "reason": "出差"}
        )
    assert accepted.json()["response"] == "accept" and accepted.json()["qr_url"]
    body = declined.json()
    assert (body["response"], body["reason"], body["qr_url"]) == ("decline", "出差", None)
    assert body["meeting"]["kind"] == meeting.kind.code
    assert Invitation.objects.get().response == "decline"
