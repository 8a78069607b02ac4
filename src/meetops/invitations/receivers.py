"""Calendar updates and cancellations when a meeting changes (signals sent after commit)."""

from __future__ import annotations

import logging
from typing import Any

from django.dispatch import receiver

from meetops.meetings.models import Meeting, Stage
from meetops.meetings.signals import meeting_changed, meeting_stage_changed

logger = logging.getLogger(__name__)


@receiver(meeting_changed, dispatch_uid="invitations.announce_change")
def on_meeting_changed(
    sender: Any, *, meeting: Meeting, changes: dict[str, Any], **kwargs: Any
) -> None:
    from meetops.invitations.services.invitations import announce_change

    announce_change(
        Meeting.objects.select_related("kind", "created_by").get(pk=meeting.pk), changes=changes
    )


@receiver(meeting_stage_changed, dispatch_uid="invitations.announce_cancellation")
def on_stage_changed(sender: Any, *, meeting: Meeting, to_stage: str, **kwargs: Any) -> None:
    if to_stage != Stage.CANCELLED:
        return
    from meetops.invitations.services.invitations import announce_cancellation

    announce_cancellation(Meeting.objects.select_related("kind", "created_by").get(pk=meeting.pk))
