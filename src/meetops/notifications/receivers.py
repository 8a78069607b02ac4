"""Turning meeting changes into notifications.

`meetings.signals` fire after the meeting's transaction commits; each receiver
writes its outbox rows in a transaction of its own.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.dispatch import receiver

from meetops.meetings.signals import meeting_changed, meeting_stage_changed
from meetops.notifications import events

# Changes people on the meeting need to hear about; the rest (goals, expected
# attendance, confidentiality) are the organisers' business.
NOTIFIED_FIELDS = ("title", "start", "end", "location", "format", "online_url", "description")


def _people(meeting: Any) -> list[Any]:
    return list(meeting.participants.select_related("user", "contact"))


@receiver(meeting_changed, dispatch_uid="notifications.meeting_changed")
def on_meeting_changed(
    sender: Any, *, meeting: Any, actor: Any, changes: dict[str, Any], **kw: Any
) -> None:
    from meetops.notifications.services import enqueue

    relevant = {k: v for k, v in changes.items() if k in NOTIFIED_FIELDS}
    if not relevant or meeting.stage == "draft":
        return
    with transaction.atomic():
        enqueue(
            event=events.CHANGED.code,
            recipients=_people(meeting),
            meeting=meeting,
            actor=actor,
            context={
                "meeting": meeting,
                "changed": sorted(relevant),
                "url": f"/meetings/{meeting.pk}/",
            },
        )


@receiver(meeting_stage_changed, dispatch_uid="notifications.meeting_stage_changed")
def on_meeting_stage_changed(
    sender: Any, *, meeting: Any, actor: Any, from_stage: str, to_stage: str, **kw: Any
) -> None:
    from meetops.notifications.services import enqueue

    if to_stage != "cancelled" or from_stage == "draft":
        return
    with transaction.atomic():
        enqueue(
            event=events.CANCELLED.code,
            recipients=_people(meeting),
            meeting=meeting,
            actor=actor,
            context={"meeting": meeting, "url": f"/meetings/{meeting.pk}/"},
            dedupe_key=f"cancelled:{meeting.pk}",
        )
