"""Meetings into the work IM calendars: each change that the invitees' calendars should show
queues a calendar sync in the change's own transaction (calendars.py); the worker does the
rest. Connected by contributions.py."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from meetops.invitations.services.invitations import CALENDAR_FIELDS
from meetops.invitations.signals import invitations_sent
from meetops.meetings.models import Meeting, Participant, Stage
from meetops.meetings.signals import meeting_changed, meeting_stage_changed, participant_removed
from meetops.workim.calendars import queue_sync


@receiver(invitations_sent, dispatch_uid="workim.calendar_invited")
def on_invitations_sent(sender: Any, *, meeting: Meeting, **kwargs: Any) -> None:
    queue_sync(meeting, reason="invited")


@receiver(meeting_changed, dispatch_uid="workim.calendar_changed")
def on_meeting_changed(
    sender: Any, *, meeting: Meeting, changes: dict[str, Any], **kwargs: Any
) -> None:
    if CALENDAR_FIELDS & set(changes):
        queue_sync(meeting, reason="changed")


@receiver(meeting_stage_changed, dispatch_uid="workim.calendar_cancelled")
def on_stage_changed(sender: Any, *, meeting: Meeting, to_stage: str, **kwargs: Any) -> None:
    if to_stage == Stage.CANCELLED:
        queue_sync(meeting, reason="cancelled")


@receiver(participant_removed, dispatch_uid="workim.calendar_removed")
def on_participant_removed(sender: Any, *, participant: Participant, **kwargs: Any) -> None:
    queue_sync(participant.meeting, reason="removed")
