"""Reactions to the meetings app's signals. Meetings do not know risks; risks listens."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from meetops.meetings.models import Stage
from meetops.meetings.signals import meeting_stage_changed
from meetops.risks.services import record_readiness_at_start


@receiver(meeting_stage_changed, dispatch_uid="risks.record_readiness_at_start")
def keep_readiness_as_at_start(
    sender: Any, meeting: Any, to_stage: str = "", **kwargs: Any
) -> None:
    """The meeting starts: its readiness is recorded as it stands, in the stage change's
    transaction, and judged no more (a walk-in at the door does not un-sign it)."""
    if to_stage == Stage.IN_PROGRESS:
        record_readiness_at_start(meeting)
