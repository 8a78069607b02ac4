"""The sign-in desk's part of the demo: the evidence for the P3.1 step."""

from __future__ import annotations

from typing import Any

from meetops.attendance.models import Method
from meetops.attendance.services import sign_in
from meetops.core.demo import demo_evidence
from meetops.meetings.models import MeetingRole, ParticipantStatus


@demo_evidence("attendance.signin_recorded")
def sign_in_the_host(meeting: Any, actor: Any) -> None:
    """The desk signs in the host (or the first person on the list). Refused before the desk opens."""
    people = meeting.participants.filter(status=ParticipantStatus.ACTIVE)
    first = people.filter(role=MeetingRole.HOST).first() or people.first()
    if first is not None:
        sign_in(meeting, participant=first, actor=actor, method=Method.DESK_MANUAL)
