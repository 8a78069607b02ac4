"""Calendar updates and cancellations when a meeting changes.

`meetings.signals` are sent inside the meeting's transaction: the mails are
written to the outbox in it and leave only after commit (the outbox worker).
"""

from __future__ import annotations

import logging
from typing import Any

from django.dispatch import receiver

from meetops.invitations.models import Invitation
from meetops.invitations.services.invitations import (
    SENDABLE_STAGES,
    announce_cancellation,
    announce_change,
    announce_removal,
)
from meetops.meetings.models import Meeting, Participant, Stage
from meetops.meetings.signals import meeting_changed, meeting_stage_changed, participant_removed

logger = logging.getLogger(__name__)


@receiver(meeting_changed, dispatch_uid="invitations.announce_change")
def on_meeting_changed(
    sender: Any, *, meeting: Meeting, changes: dict[str, Any], **kwargs: Any
) -> None:
    announce_change(
        Meeting.objects.select_related("kind", "created_by").get(pk=meeting.pk), changes=changes
    )


@receiver(meeting_stage_changed, dispatch_uid="invitations.announce_cancellation")
def on_stage_changed(sender: Any, *, meeting: Meeting, to_stage: str, **kwargs: Any) -> None:
    if to_stage != Stage.CANCELLED:
        return

    announce_cancellation(Meeting.objects.select_related("kind", "created_by").get(pk=meeting.pk))


@receiver(participant_removed, dispatch_uid="invitations.cancel_for_removed_participant")
def on_participant_removed(sender: Any, *, participant: Participant, **kwargs: Any) -> None:
    announce_removal(participant)


def personally_mailed(meeting: Meeting) -> list[int]:
    """The participants this app mails itself about a change or cancellation of the meeting
    (notifications then leaves out its own e-mail to them). Those without an e-mail address
    are not among them: notifications tells them on the bell and work IM."""
    if meeting.stage not in SENDABLE_STAGES | {Stage.CANCELLED}:
        return []
    return list(
        Invitation.objects.filter(
            meeting=meeting, first_sent_at__isnull=False, revoked_at__isnull=True
        )
        .exclude(participant__email="")
        .values_list("participant_id", flat=True)
    )
