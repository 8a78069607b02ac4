"""Reactions to other apps' signals. Meetings do not know venues; venues listen."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from meetops.meetings.models import Stage
from meetops.meetings.signals import meeting_stage_changed
from meetops.venues.services.booking import release_meeting_bookings


@receiver(meeting_stage_changed, dispatch_uid="venues.release_rooms_of_cancelled_meeting")
def release_rooms_of_cancelled_meeting(
    sender: Any, meeting: Any, actor: Any = None, to_stage: str = "", **kwargs: Any
) -> None:
    """A cancelled meeting gives its rooms back, in the cancellation's transaction (the signal is
    sent inside it): the rooms are released, and the organisers told, only if the cancellation commits."""
    if to_stage != Stage.CANCELLED:
        return

    release_meeting_bookings(meeting, actor=actor)
