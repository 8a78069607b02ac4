"""Messages handed over without an answer: hold them and tell a person, or queue them again.

SMTP and the database cannot commit together (RFC 1047): a message whose sent
marker is committed but whose final "." may not have left, or whose server
answer never came, may or may not have arrived. `MEETOPS_OUTBOX_UNCONFIRMED`
decides (docs/adr/0008-delivery-guarantee.md):

- `hold` (default): the message becomes 'unconfirmed' and is never sent again
  by the worker. In the same transaction the people responsible (the
  meeting's organisers, else the administrators) get an in-app notification
  and an e-mail naming the recipient and subject, with a link to the delivery
  log filtered to unconfirmed messages, where one click sends it again.
- `resend`: e-mail and webhook messages go back to the queue with the same
  Message-ID / X-MeetOps-Delivery id, so a receiver that drops repeats
  (Exchange, Gmail) shows one copy: at least once. Robot messages carry no id
  a chat group could drop repeats by, so they are always held.

Sending again re-queues the same row: its Message-ID stays the same by
construction, and its attempts log keeps the whole story.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meetops.core import audit
from meetops.core.errors import NotFound, ValidationFailed
from meetops.meetings.models import MeetingRole
from meetops.notifications import events as registry
from meetops.notifications import services
from meetops.notifications.models import Channel, Notification, OutboxMessage, Status
from meetops.notifications.permissions import can_see_delivery
from meetops.notifications.rendering import language_of, render, time_zone_of
from meetops.notifications.services import wake_workers
from meetops.people.models import Role, User

RESENDABLE = (Channel.EMAIL, Channel.WEBHOOK)  # carry a stable id the receiver can dedupe by

ALERT = registry.UNCONFIRMED


def mode_for(msg: OutboxMessage) -> str:
    """'resend' or 'hold' for this message, from MEETOPS_OUTBOX_UNCONFIRMED and its channel."""
    wanted = getattr(settings, "MEETOPS_OUTBOX_UNCONFIRMED", "hold")
    return "resend" if wanted == "resend" and msg.channel in RESENDABLE else "hold"


def settle(mine: QuerySet[OutboxMessage], msg: OutboxMessage, *, error: str, retry_at: Any) -> int:
    """Settle a handed-over message with no answer; `mine` selects it under the caller's claim.

    Call inside the caller's transaction (the worker's or recovery's). Returns the rows changed.
    """
    from meetops.notifications.worker import max_attempts  # a cycle: the worker imports this module

    if mode_for(msg) == "resend" and msg.attempts < max_attempts():
        return mine.update(
            status=Status.QUEUED,
            handed_over_at=None,
            claimed_until=None,
            claim_token="",
            claimed_by="",
            next_attempt_at=retry_at,
            last_error=f"{error}; queued again with the same Message-ID"[:2000],
        )
    done = mine.update(
        status=Status.UNCONFIRMED,
        sent_at=None,
        claimed_until=None,
        claim_token="",
        last_error=f"{error}; it may not have arrived: check, then send it again"[:2000],
    )
    if done:
        alert(msg)
    return done


def responsible_people(msg: OutboxMessage) -> list[User]:
    """The meeting's organisers (its creator and organiser participants), else the administrators."""
    people = User.objects.none()
    if msg.meeting is not None:
        people = User.objects.filter(
            Q(pk=msg.meeting.created_by_id)
            | Q(
                participations__meeting_id=msg.meeting_id,
                participations__role=MeetingRole.ORGANISER,
            ),
            is_active=True,
        )
    found = list(people.distinct().order_by("pk"))
    if found:
        return found
    admins = Q(role_assignments__role=Role.ADMIN) | Q(is_superuser=True)
    return list(User.objects.filter(admins, is_active=True).distinct().order_by("pk"))


def log_url(msg: OutboxMessage) -> str:
    base = "/notifications/deliveries/?status=unconfirmed"
    return f"{base}&meeting={msg.meeting_id}" if msg.meeting_id else base


def alert(msg: OutboxMessage) -> int:
    """Tell the people responsible, in the caller's transaction: in-app now, e-mail via the outbox."""
    if msg.event == ALERT.code:
        return 0  # an alert about an alert would never end; it stays listed as unconfirmed
    people = responsible_people(msg)
    url = log_url(msg)
    context = {"item": msg, "url": url, "meeting": None}
    cache: dict[tuple[str, str], Any] = {}
    notes = []
    for person in people:
        key = (language_of(person), time_zone_of(person))
        if key not in cache:
            cache[key] = render(ALERT.code, context, language=key[0], time_zone=key[1])
        notes.append(
            Notification(
                user=person,
                event=ALERT.code,
                title=cache[key].subject,
                body=cache[key].text,
                url=url,
                meeting_id=msg.meeting_id,
            )
        )
    Notification.objects.bulk_create(notes)
    services.enqueue(
        event=ALERT.code,
        recipients=people,
        context=context,
        channels=[Channel.EMAIL],
        dedupe_key=f"unconfirmed:{msg.pk}:{msg.attempts}",
    )
    return len(people)


def resend_message(message: OutboxMessage, *, actor: User | None) -> OutboxMessage:
    """Queue an unconfirmed message again, same row and Message-ID.

    `actor` None is the operator at the command line. Raises NotFound for
    someone who may not see it, ValidationFailed(not_unconfirmed) otherwise.
    """
    if actor is not None and not can_see_delivery(actor, message):
        raise NotFound()
    with transaction.atomic():
        updated = OutboxMessage.objects.filter(pk=message.pk, status=Status.UNCONFIRMED).update(
            status=Status.QUEUED,
            handed_over_at=None,
            next_attempt_at=timezone.now(),
            attempts=0,
            last_error="",
        )
        if not updated:
            raise ValidationFailed(
                _("Only unconfirmed messages can be sent again."), "not_unconfirmed"
            )
        audit.record(
            "notifications.message.resent",
            message,
            actor=actor,
            data={"message_id": message.message_id, "recipient": message.recipient_label},
        )
        transaction.on_commit(services_wake)
    message.refresh_from_db()
    return message


def resend_all(messages: QuerySet[OutboxMessage], *, actor: User | None) -> int:
    """Queue every unconfirmed message of `messages` (already limited to what `actor` may see) again."""
    count = 0
    with transaction.atomic():
        for message in messages.filter(status=Status.UNCONFIRMED).select_for_update(of=("self",)):
            resend_message(message, actor=actor)
            count += 1
    return count


def services_wake() -> None:
    wake_workers()
