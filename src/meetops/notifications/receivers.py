"""Turning meeting changes into notifications.

`meetings.signals` are sent inside the meeting's transaction; each receiver
writes its outbox rows in that same transaction, so a rolled-back change
leaves no message and a committed one has its messages committed with it.

Apps that send a participant their own, personal mail about the same change
(invitations: the update or CANCEL with its .ics) register a
`personal_mailer`; those participants get the change here on their other
channels (the bell) but not by e-mail, so nobody gets two mails for one change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.dispatch import receiver

from meetops.meetings.signals import meeting_changed, meeting_stage_changed
from meetops.notifications import events
from meetops.notifications.models import PERSONAL_CHANNELS, Channel
from meetops.notifications.services import enqueue

# Changes people on the meeting need to hear about; the rest (goals, expected
# attendance, confidentiality) are the organisers' business.
NOTIFIED_FIELDS = ("title", "start", "end", "location", "format", "online_url", "description")

PersonalMailer = Callable[[Any], Iterable[int]]
_personal_mailers: list[PersonalMailer] = []


def register_personal_mailer(func: PersonalMailer) -> PersonalMailer:
    """Register `func(meeting) -> participant ids` that another app mails about meeting changes itself."""
    if func not in _personal_mailers:
        _personal_mailers.append(func)
    return func


def _notify_participants(meeting: Any, **kwargs: Any) -> None:
    """Queue the event for everyone on the meeting; those mailed personally get no e-mail from here."""
    people = list(meeting.participants.select_related("user", "contact"))
    mailed = {pk for mailer in _personal_mailers for pk in mailer(meeting)}
    personal = [p for p in people if p.pk in mailed]
    others = [p for p in people if p.pk not in mailed]
    # Robots and webhooks hear once, with the others (even when there are none).
    enqueue(recipients=others, meeting=meeting, **kwargs)
    if personal:
        enqueue(
            recipients=personal,
            meeting=meeting,
            channels=[c for c in PERSONAL_CHANNELS if c != Channel.EMAIL],
            **kwargs,
        )


@receiver(meeting_changed, dispatch_uid="notifications.meeting_changed")
def on_meeting_changed(
    sender: Any, *, meeting: Any, actor: Any, changes: dict[str, Any], **kw: Any
) -> None:
    relevant = {k: v for k, v in changes.items() if k in NOTIFIED_FIELDS}
    if not relevant or meeting.stage == "draft":
        return
    _notify_participants(
        meeting,
        event=events.CHANGED.code,
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
    if to_stage != "cancelled" or from_stage == "draft":
        return
    _notify_participants(
        meeting,
        event=events.CANCELLED.code,
        actor=actor,
        context={"meeting": meeting, "url": f"/meetings/{meeting.pk}/"},
        dedupe_key=f"cancelled:{meeting.pk}",
    )
