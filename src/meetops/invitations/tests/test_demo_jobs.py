"""The demo loader and the scheduled deadline reminders."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from meetops.invitations.demo import load_demo
from meetops.invitations.jobs import remind_before_deadline
from meetops.invitations.models import Invitation
from meetops.invitations.services import invitations as invites

pytestmark = pytest.mark.django_db


def test_demo_fills_meetings_once(make_user, make_meeting):
    make_user("liuyang", email="liuyang@example.org")
    make_meeting(title="演示会议")
    assert load_demo() == 1
    assert Invitation.objects.filter(response="accept").exists()
    assert load_demo() == 0


def test_deadline_reminders_run_once_per_day(guests, organiser, outbox_mails):
    meeting = guests(2)
    invites.send_invitations(meeting, actor=organiser, to="all")
    invites.set_deadline(meeting, actor=organiser, deadline=timezone.now() + timedelta(hours=5))
    assert remind_before_deadline() == 1
    assert remind_before_deadline() == 0
    assert len([m for m in outbox_mails() if m.event == "rsvp.deadline"]) == 2
