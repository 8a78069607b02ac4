"""Reminders go to the people still expected (issue 16 finding 3): not to who declined or sent
a substitute; the accepted substitute gets them instead; a refused substitute's invitee again."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from meetops.invitations.models import Invitation
from meetops.invitations.services.invitations import decide_substitute, respond, send_invitations
from meetops.meetings import services as meetings
from meetops.notifications.models import OutboxMessage
from meetops.notifications.reminders import send_due_reminders

pytestmark = pytest.mark.django_db


def _reminded(start: Any) -> set[str]:
    with time_machine.travel(start - timedelta(hours=23), tick=False):
        send_due_reminders()
    rows = OutboxMessage.objects.filter(event="meeting.reminder", channel="email")
    return set(rows.values_list("address", flat=True))


def test_who_declined_or_sent_a_substitute_is_not_reminded(make_meeting, organiser) -> None:  # type: ignore[no-untyped-def]
    start = (timezone.now() + timedelta(days=3)).replace(microsecond=0)
    meeting = make_meeting(start=start, title="周例会")
    for name in ("sunli", "zhangwei", "wuhong", "qianfei"):
        meetings.add_participant(meeting, actor=organiser, name=name, email=f"{name}@example.org")
    meeting.stage = "preparing"
    meeting.save(update_fields=["stage"])
    send_invitations(meeting, actor=organiser, to="all")
    invitation = {i.participant.email.split("@")[0]: i for i in Invitation.objects.all()}
    respond(invitation["sunli"], response="decline", reason="出差")
    respond(
        invitation["zhangwei"],
        response="substitute",
        substitute={"name": "代理人", "email": "deputy@example.org"},
    )
    respond(
        invitation["qianfei"],
        response="substitute",
        substitute={"name": "被拒代理人", "email": "refused@example.org"},
    )
    decide_substitute(invitation["zhangwei"], actor=organiser, accept=True)
    decide_substitute(invitation["qianfei"], actor=organiser, accept=False)

    reminded = _reminded(start)
    assert "sunli@example.org" not in reminded
    assert "zhangwei@example.org" not in reminded
    assert "deputy@example.org" in reminded  # the substitute instead
    assert "qianfei@example.org" in reminded  # their substitute was refused: they are expected
    assert "wuhong@example.org" in reminded  # no answer yet: still expected
