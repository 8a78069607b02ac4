"""Meetings into the invitees' work IM calendars (issue 12 item 6, ADR 0033).

What happens: once a meeting's invitations are sent, each configured platform that offers a
calendar (`Platform.offers_calendar`: Feishu / Lark and WeCom) holds one event for it — the
meeting's title, time, place and a link back to MeetOps — whose attendees are the invitees
linked to that platform. A change of time or place updates the event, a cancellation
deletes it, invitees invited or taken off later are added or removed as attendees.

How: the change's transaction queues a *sync request* in the outbox (`queue_sync`: a
`Channel.IM` row with event `CALENDAR_EVENT`, address `<platform>:calendar`), never an HTTP
call. The worker hands it to `sync`, which reads the meeting as it is then and makes the
platform's event match it: so any number of requests, in any order, retried at any point,
end in the same one event. The platform's event id is stored in `CalendarEvent` the moment
the platform answers, so a retry updates and never creates a second event; the create itself
carries an idempotency key, for the case where the answer was lost. Failures are delivery
attempts with the platform's code, retried by the worker like any message.

A meeting that is deleted takes its `CalendarEvent` rows with it; for one that still has an
event on the platform, the same transaction queues a request of its own (`GONE_EVENT`, with
the platform, calendar and event ids) and `sync_gone` deletes the event there.

`MEETOPS_IM_CALENDAR=0` switches it off (nothing is queued; queued requests do nothing).
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.urls import reverse

from meetops.core.errors import NotFound
from meetops.core.leases import release_lease, take_lease
from meetops.identity.models import ExternalIdentity
from meetops.invitations.services.invitations import invitees
from meetops.meetings.models import Meeting, Participant, Stage
from meetops.notifications.models import Channel, Lane, OutboxMessage, Status
from meetops.notifications.senders import CommitPoint, Permanent, Retry, SendError
from meetops.workim.models import CalendarEvent
from meetops.workim.platforms import (
    CalendarEntry,
    Platform,
    PlatformCalendar,
    configured_platforms,
    get_platform,
)
from meetops.workim.syncs import queue_removal, register_sync

CALENDAR_EVENT = "workim.calendar"
GONE_EVENT = "workim.calendar_gone"
ADDRESS_SUFFIX = "calendar"
# How long one worker may hold a meeting's event while it talks to the platform.
LEASE_SECONDS = 120


def enabled() -> bool:
    return bool(getattr(settings, "MEETOPS_IM_CALENDAR", True))


def calendar_platforms() -> list[Platform]:
    """The configured platforms that put meetings into calendars."""
    if not enabled():
        return []
    return [p for p in configured_platforms().values() if p.offers_calendar]


def queue_sync(meeting: Meeting, *, reason: str) -> int:
    """Inside the change's transaction: ask the worker to bring the meeting's calendar events
    up to date on every calendar platform. Nothing is queued for a meeting that has no event
    and no invitation sent, or while a request for it is still waiting (it will read the
    meeting as it is when it runs). Returns the number of requests queued."""
    platforms = calendar_platforms()
    if not platforms:
        return 0
    has_event = set(
        CalendarEvent.objects.filter(meeting=meeting)
        .exclude(event_id="")
        .values_list("platform", flat=True)
    )
    invited = _sent_invitations(meeting).exists()
    waiting = set(
        OutboxMessage.objects.filter(
            meeting=meeting, event=CALENDAR_EVENT, status=Status.QUEUED
        ).values_list("address", flat=True)
    )
    rows = [
        OutboxMessage(
            channel=Channel.IM,
            event=CALENDAR_EVENT,
            address=address(p.key),
            meeting=meeting,
            language=meeting.language,
            subject=meeting.title[:300],
            payload={"calendar": p.key, "reason": reason},
            lane=Lane.URGENT,
        )
        for p in platforms
        if (invited or p.key in has_event) and address(p.key) not in waiting
    ]
    OutboxMessage.objects.bulk_create(rows)
    return len(rows)


def address(platform_key: str) -> str:
    return f"{platform_key}:{ADDRESS_SUFFIX}"


def _sent_invitations(meeting: Meeting) -> QuerySet[Participant]:
    return invitees(meeting).filter(
        invitation__first_sent_at__isnull=False, invitation__revoked_at__isnull=True
    )


def attendees(meeting: Meeting, platform_key: str) -> tuple[str, ...]:
    """The platform user ids of the invitees linked to the platform (invitation sent, not
    withdrawn, still on the meeting), sorted."""
    users = _sent_invitations(meeting).filter(user__is_active=True).values("user_id")
    ids = ExternalIdentity.objects.filter(
        provider=platform_key, user_id__in=users, left_at__isnull=True
    ).values_list("external_id", flat=True)
    return tuple(sorted(set(ids)))


def entry_for(meeting: Meeting, platform: Platform) -> CalendarEntry:
    return CalendarEntry(
        title=meeting.title,
        description=meeting.description,
        start=meeting.start,
        end=meeting.end,
        location=meeting.location or meeting.online_url,
        url=platform.app_url(reverse("meeting_detail", args=[meeting.pk])),
        time_zone=settings.TIME_ZONE,
        attendees=attendees(meeting, platform.key),
    )


def fingerprint(entry: CalendarEntry) -> str:
    shown = "\n".join(
        [
            entry.title,
            entry.description,
            entry.start.isoformat(),
            entry.end.isoformat(),
            entry.location,
            entry.url,
            entry.time_zone,
        ]
    )
    return hashlib.sha256(shown.encode()).hexdigest()


def idempotency_key(row: CalendarEvent) -> str:
    """The same for every attempt at one event; a new one once the event was deleted."""
    name = f"{settings.SITE_URL}/meetings/{row.meeting_id}#{row.platform}:{row.generation}"
    return str(uuid.uuid5(uuid.NAMESPACE_URL, name))


# --- the worker's side ------------------------------------------------------------------------


def _lease(meeting_id: int, platform_key: str) -> tuple[CalendarEvent, datetime]:
    """This meeting's event row, held for us until the lease runs out (Retry when another
    worker holds it: two syncs at once could both create)."""
    mine: dict[str, Any] = {"meeting_id": meeting_id, "platform": platform_key}
    try:
        with transaction.atomic():
            row, _created = CalendarEvent.objects.get_or_create(**mine)
    except IntegrityError:  # created by a concurrent sync meanwhile: it exists now
        row = CalendarEvent.objects.get(**mine)
    lease = take_lease(CalendarEvent, row.pk, seconds=LEASE_SECONDS)
    if lease is None:
        raise Retry("another worker is updating this calendar event", "busy", retry_after=30)
    # Read after taking it: the previous holder may have changed it since.
    return CalendarEvent.objects.get(pk=row.pk), lease


def _calendar_of(key: str) -> tuple[Platform, PlatformCalendar]:
    try:
        platform = get_platform(key)
    except NotFound:
        raise Permanent(f"no work IM platform {key!r}", "im_unknown_platform") from None
    api = platform.calendar()
    if api is None or not platform.offers_calendar or not platform.configured():
        raise Permanent(f"{key} puts no meetings into calendars", "im_no_calendar")
    return platform, api


def sync(msg: OutboxMessage, commit_point: CommitPoint) -> str:
    """The sender of a calendar request: make the platform's event match the meeting.
    Returns what was done (the delivery log's response code)."""
    key = str((msg.payload or {}).get("calendar") or msg.address.partition(":")[0])
    if not enabled():
        return "off"
    if msg.meeting_id is None:
        return "no_meeting"  # deleted: its event rows went with it (see `on_event_deleted`)
    platform, api = _calendar_of(key)
    row, lease = _lease(msg.meeting_id, key)
    try:
        meeting = Meeting.objects.get(pk=msg.meeting_id)
        entry = entry_for(meeting, platform)
        wanted = meeting.stage != Stage.CANCELLED and bool(entry.attendees)
        commit_point()
        return _reconcile(row, api, entry, wanted=wanted)
    finally:
        release_lease(CalendarEvent, row.pk, lease)


def _reconcile(
    row: CalendarEvent, api: PlatformCalendar, entry: CalendarEntry, *, wanted: bool
) -> str:
    if not wanted:
        if not row.event_id:
            return "nothing"
        api.delete(row.calendar_id, row.event_id)
        row.remember(
            event_id="",
            attendees=[],
            fingerprint="",
            generation=row.generation + 1,
        )
        return "deleted"
    done = []
    shown = fingerprint(entry)
    if not row.event_id:
        try:
            calendar_id, event_id = api.create(entry, idempotency_key=idempotency_key(row))
        except Retry as exc:
            if exc.code == "timeout" and not api.idempotent_create:
                # Sent, no answer: the event may exist, and this platform cannot dedupe a
                # second create. Held as unconfirmed for a person, like a message would be.
                raise SendError(str(exc), exc.code, ambiguous=True) from exc
            raise
        row.remember(calendar_id=calendar_id, event_id=event_id, fingerprint=shown)
        done.append("created")
    elif row.fingerprint != shown:
        api.update(row.calendar_id, row.event_id, entry)
        row.remember(fingerprint=shown)
        done.append("updated")
    held = set(row.attendees)
    added = [u for u in entry.attendees if u not in held]
    removed = sorted(held - set(entry.attendees))
    if added:
        api.add_attendees(row.calendar_id, row.event_id, added, entry=entry)
        row.remember(attendees=sorted(held | set(added)))
        done.append(f"+{len(added)}")
    if removed:
        api.remove_attendees(row.calendar_id, row.event_id, removed, entry=entry)
        row.remember(attendees=list(entry.attendees))
        done.append(f"-{len(removed)}")
    return " ".join(done) or "unchanged"


@receiver(post_delete, sender=CalendarEvent, dispatch_uid="workim.calendar_gone")
def on_event_deleted(sender: Any, *, instance: CalendarEvent, **kwargs: Any) -> None:
    """The meeting was deleted while the platform still shows its event: ask the worker to
    delete it there (a cancelled meeting's event is deleted by `sync`, which keeps the row)."""
    if instance.event_id:
        queue_removal(
            GONE_EVENT,
            address=address(instance.platform),
            subject="",
            payload={
                "platform": instance.platform,
                "calendar_id": instance.calendar_id,
                "event_id": instance.event_id,
            },
            key=f"{instance.platform}:{instance.event_id}",
            lane=Lane.URGENT,
        )


def sync_gone(msg: OutboxMessage, commit_point: CommitPoint) -> str:
    """Delete the event of a deleted meeting (`on_event_deleted`); "deleted" for the log."""
    if not enabled():
        return "off"
    payload = msg.payload or {}
    _platform, api = _calendar_of(str(payload.get("platform") or ""))
    api.delete(str(payload.get("calendar_id") or ""), str(payload.get("event_id") or ""))
    return "deleted"


register_sync(CALENDAR_EVENT, sync)
register_sync(GONE_EVENT, sync_gone)
