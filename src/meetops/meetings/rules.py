"""Completion rules this app can judge from its own evidence."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from meetops.core.completion import completion_rule
from meetops.core.registry import registry
from meetops.meetings.models import Format, Meeting, MeetingRole, holding


@completion_rule(
    "meetings.plan_complete",
    _("The plan states goals, time and place (a written place or a booked room)"),
)
def plan_complete(meeting: Meeting) -> bool:
    if not (meeting.title and meeting.goals.strip() and meeting.start and meeting.end):
        return False
    if meeting.format == Format.ONLINE:
        return bool(meeting.online_url)
    if meeting.location or meeting.online_url:
        return True
    # A room booked for the meeting's time is its place: nobody should have to type it again.
    return any(
        hook.place(meeting)
        for hook in registry["meeting_hooks"].ordered()
        if hook.place is not None
    )


@completion_rule("meetings.host_named", _("A host is named"))
def host_named(meeting: Meeting) -> bool:
    return meeting.participants.filter(holding(MeetingRole.HOST)).exists()


@completion_rule("meetings.recorder_named", _("A minute-taker is named"))
def recorder_named(meeting: Meeting) -> bool:
    return meeting.participants.filter(holding(MeetingRole.RECORDER)).exists()


@completion_rule("meetings.participants_listed", _("Participants are listed"))
def participants_listed(meeting: Meeting) -> bool:
    return meeting.participants.filter(holding(MeetingRole.PARTICIPANT)).exists()
