"""Demo data for invitations: people, invitations and answers on the demo meetings.

`load_demo()` is idempotent: meetings that already have invitations are left alone.
"""

from __future__ import annotations

from django.db import transaction

from meetops.invitations.models import Invitation, Response
from meetops.invitations.services.invitations import (
    SENDABLE_STAGES,
    invitees,
    queue_invitations,
    respond,
)
from meetops.invitations.services.participants import add_people
from meetops.meetings.models import Meeting, MeetingRole
from meetops.people.models import User

GUESTS = [("周华", "市财政局", "zhouhua@example.org"), ("吴婷", "市审计局", "wuting@example.org")]
REASONS = ["当天出差", "另有会议"]


def load_demo() -> int:
    """Add people and answers to up to five upcoming demo meetings. Returns how many meetings were filled."""
    filled = 0
    users = list(User.objects.filter(is_active=True).exclude(email=""))
    for meeting in (
        Meeting.objects.filter(stage__in=list(SENDABLE_STAGES))
        .select_related("created_by")
        .order_by("start")[:5]
    ):
        if meeting.created_by is None or Invitation.objects.filter(meeting=meeting).exists():
            continue
        with transaction.atomic():
            add_people(
                meeting,
                actor=meeting.created_by,
                users=[u for u in users if u.pk != meeting.created_by_id],
            )
            from meetops.meetings.models import Participant

            for name, organisation, email in GUESTS:
                Participant.objects.get_or_create(
                    meeting=meeting,
                    email=email,
                    role=MeetingRole.OBSERVER,
                    defaults={"name": name, "organisation": organisation},
                )
            queue_invitations(meeting, invitees(meeting), actor=meeting.created_by, label="demo")
        if meeting.start > meeting.created_at:
            answers = list(
                Invitation.objects.filter(meeting=meeting).select_related("participant", "meeting")
            )
            for i, invitation in enumerate(answers[:-1]):
                response = Response.ACCEPT if i % 3 else Response.DECLINE
                try:
                    respond(
                        invitation,
                        response=response,
                        reason=REASONS[i % 2] if response == Response.DECLINE else "",
                    )
                except Exception:  # noqa: S112 - a demo meeting already past: leave it unanswered
                    continue
        filled += 1
    return filled
