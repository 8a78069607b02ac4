"""Completion rules this app can judge from its own evidence."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from meetops.core.completion import completion_rule
from meetops.meetings.models import Format, Meeting, MeetingRole, holding


@completion_rule("meetings.plan_complete", _("The plan states goals, time and place"))
def plan_complete(meeting: Meeting) -> bool:
    place = (
        meeting.online_url
        if meeting.format == Format.ONLINE
        else meeting.location or meeting.online_url
    )
    return bool(meeting.title and meeting.goals.strip() and meeting.start and meeting.end and place)


@completion_rule("meetings.host_named", _("A host is named"))
def host_named(meeting: Meeting) -> bool:
    return meeting.participants.filter(holding(MeetingRole.HOST)).exists()


@completion_rule("meetings.recorder_named", _("A minute-taker is named"))
def recorder_named(meeting: Meeting) -> bool:
    return meeting.participants.filter(holding(MeetingRole.RECORDER)).exists()


@completion_rule("meetings.participants_listed", _("Participants are listed"))
def participants_listed(meeting: Meeting) -> bool:
    return meeting.participants.filter(holding(MeetingRole.PARTICIPANT)).exists()
