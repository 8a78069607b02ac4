"""Someone without e-mail or account is not "invited" by a mail they never get (issue 16
finding 3): the organiser sees their personal link and QR code on a page to print."""

from __future__ import annotations

import pytest
from django.urls import reverse

from meetops.invitations.models import Invitation
from meetops.invitations.selectors import rsvp_state
from meetops.invitations.services.invitations import send_invitations
from meetops.meetings import services as meetings
from meetops.meetings.models import Participant

pytestmark = pytest.mark.django_db


def _meeting(make_meeting, organiser, member):  # type: ignore[no-untyped-def]
    meeting = make_meeting(title="季度会")
    meetings.add_participant(meeting, actor=organiser, name="无邮箱嘉宾", phone="139")
    meetings.add_participant(meeting, actor=organiser, name="有邮箱嘉宾", email="g@example.org")
    meetings.add_participant(meeting, actor=organiser, user=member)
    return meeting


def test_without_e_mail_or_account_nobody_counts_as_invited(make_meeting, organiser, member):  # type: ignore[no-untyped-def]
    meeting = _meeting(make_meeting, organiser, member)
    result = send_invitations(meeting, actor=organiser, to="all")
    assert result.without_email >= 1
    state = {
        i.participant.display_name: rsvp_state(i.participant) for i in Invitation.objects.all()
    }
    assert state["无邮箱嘉宾"] == "uninvited"
    assert state["有邮箱嘉宾"] == "no_answer"
    assert state[Participant.objects.get(user=member).display_name] == "no_answer"


def test_the_organiser_prints_their_link_and_qr_code(client, make_meeting, organiser, member):  # type: ignore[no-untyped-def]
    meeting = _meeting(make_meeting, organiser, member)
    send_invitations(meeting, actor=organiser, to="all")
    token = Invitation.objects.get(participant__name="无邮箱嘉宾").token
    client.force_login(organiser)
    people = client.get(reverse("invitations:participants", args=[meeting.pk])).content.decode()
    assert "data-handout" in people
    page = client.get(reverse("invitations:handout", args=[meeting.pk])).content.decode()
    assert "无邮箱嘉宾" in page and f"/rsvp/{token}" in page
    assert 'src="data:image/svg+xml;base64,' in page and "data-print" in page
    assert "有邮箱嘉宾" not in page  # reached by e-mail
    client.force_login(member)
    assert client.get(reverse("invitations:handout", args=[meeting.pk])).status_code == 403
