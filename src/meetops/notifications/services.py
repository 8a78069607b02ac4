"""Writing notifications into the outbox, and the user-facing notification actions.

THE INTERFACE OTHER APPS USE (stable; extend, don't change)
-----------------------------------------------------------

    from meetops.notifications import services as notify

    notify.enqueue(
        event="meeting.changed",          # a code registered in notifications.events
        recipients=[user, "guest@example.org", participant],   # User | e-mail str | Participant
        context={"meeting": meeting, "changes": {...}, "url": "/meetings/5/"},
        meeting=meeting,                  # optional: logs, robot endpoints, delivery filters
        channels=None,                    # optional: restrict to e.g. ["email"]
        dedupe_key="meeting.changed:5:3", # optional: one message per recipient+channel ever
        attachments=[("invite.ics", ics_bytes, "text/calendar; method=REQUEST")],
        actor=request_user,               # optional: who caused it (not notified of it)
        lane=None,                        # optional: "urgent" | "bulk"; default: the event's (lanes.py)
        robots=None,                      # optional: these robot endpoints instead of the meeting's
    ) -> int                              # messages written

    notify.enqueue_email(
        to="guest@example.org", subject="...", text="...", html=None | "...",
        attachments=[(filename, bytes, mimetype)], dedupe_key="invite:42:1", meeting=meeting,
    ) -> OutboxMessage | None             # None: the dedupe key was already used

    notify.enqueue_emails([{...same keywords as enqueue_email...}, ...]) -> int   # bulk, fast

Both write rows in the CALLER's transaction (call them inside `transaction.atomic`):
if the caller rolls back, nothing is sent. Nothing leaves before commit; a
worker (`meetops worker`, or the thread inside `meetops serve`) sends them.

`enqueue` renders the event's templates once per recipient in the recipient's
language and time zone, and writes one row per recipient per channel, as the
user chose on "My channels" (`ChannelPreference`, else the event's defaults).
E-mail addresses (and external contacts) get e-mail only. A person whose account is linked
to a work IM platform (WeCom, DingTalk, Feishu) also gets one copy there, unless `channels`
leaves out "im" (notifications/im.py); so does the account of a pre-rendered mail. If the event is a
broadcast event and `meeting` is given, every enabled robot endpoint of the
meeting or of its department (or each of `robots`, when given) gets one message too, and every enabled
outgoing webhook subscribed to the event gets a signed JSON POST.

`dedupe_key` is made unique per recipient and channel (`<key>|<channel>|<who>`);
a second enqueue with the same key writes nothing for those already queued.
Use it for anything a periodic job may produce twice (reminders).

`enqueue_email` sends a pre-rendered personal mail (invitations with their
`.ics`); its `dedupe_key` is used as it is. Attachments are kept in the row as
base64: keep them small (an .ics, a QR code).
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meetops.core import audit
from meetops.core.errors import NotFound, PermissionDenied, ValidationFailed
from meetops.notifications import events as registry
from meetops.notifications import im, queue
from meetops.notifications.lanes import URGENT, lane_for
from meetops.notifications.models import (
    PERSONAL_CHANNELS,
    ROBOT_CHANNELS,
    Channel,
    ChannelPreference,
    Notification,
    OutboxMessage,
    RobotEndpoint,
    Status,
    WebhookEndpoint,
)
from meetops.notifications.permissions import can_manage_endpoints, can_see_delivery
from meetops.notifications.rendering import language_of, render, time_zone_of
from meetops.people.models import User

Attachment = tuple[str, bytes, str]


def _dedupe(key: str | None, channel: str, who: str) -> str | None:
    if not key:
        return None
    full = f"{key}|{channel}|{who}"
    if len(full) <= 200:
        return full
    return f"{full[:150]}#{hashlib.sha256(full.encode()).hexdigest()[:40]}"


def _attachments(attachments: Sequence[Attachment] | None) -> list[dict[str, str]]:
    return [
        {"filename": name, "mimetype": mimetype, "content_b64": base64.b64encode(content).decode()}
        for name, content, mimetype in (attachments or ())
    ]


def _jsonable(value: Any) -> Any:
    """The context's plain values for webhook payloads; objects become their id and text."""
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if hasattr(value, "pk"):
        return {"id": value.pk, "text": str(value)}
    return str(value)


def _meeting_payload(meeting: Any) -> dict[str, Any] | None:
    if meeting is None:
        return None
    return {
        "id": meeting.pk,
        "title": meeting.title,
        "stage": meeting.stage,
        "start": meeting.start.isoformat(),
        "end": meeting.end.isoformat(),
        "location": meeting.location,
    }


def _split_recipients(recipients: Iterable[Any]) -> tuple[list[User], list[str]]:
    users: dict[int, User] = {}
    addresses: dict[str, None] = {}
    for r in recipients:
        if isinstance(r, User):
            users[r.pk] = r
        elif isinstance(r, str):
            if r.strip():
                addresses[r.strip()] = None
        elif getattr(r, "user_id", None):
            users[r.user_id] = r.user
        elif getattr(r, "contact_id", None) and r.contact.email:
            addresses[r.contact.email] = None
        elif getattr(r, "email", None):
            addresses[r.email] = None
    return list(users.values()), list(addresses)


def _robots_for(meeting: Any, event: str) -> list[RobotEndpoint]:
    where = Q(meeting=meeting)
    if meeting.department_id:
        where |= Q(department_id=meeting.department_id, meeting__isnull=True)
    return [
        r
        for r in RobotEndpoint.objects.filter(where, enabled=True)
        if not r.events or event in r.events
    ]


def enqueue(
    *,
    event: str,
    recipients: Iterable[Any] = (),
    context: dict[str, Any],
    meeting: Any = None,
    channels: Sequence[str] | None = None,
    dedupe_key: str | None = None,
    attachments: Sequence[Attachment] | None = None,
    actor: User | None = None,
    lane: str | None = None,
    robots: Sequence[RobotEndpoint] | None = None,
) -> int:
    """Queue the event's message for each recipient on their channels. See the module docstring."""
    spec = registry.get_event(event)
    allowed = set(channels) if channels is not None else set(Channel.values)
    users, addresses = _split_recipients(recipients)
    if actor is not None:
        users = [u for u in users if u.pk != actor.pk]
    prefs = dict(
        ChannelPreference.objects.filter(user__in=users, event=event).values_list(
            "user_id", "channels"
        )
    )
    files = _attachments(attachments)
    url = str(context.get("url", ""))
    base = {"event": event, "meeting": meeting, "url": url}
    rows: list[OutboxMessage] = []
    cache: dict[tuple[str, str], Any] = {}

    def rendered(lang: str, tz: str, recipient: Any) -> Any:
        # Per recipient only when the templates may greet them by name.
        key = (lang, tz)
        if "per_recipient" in context or key not in cache:
            cache[key] = render(
                event, {**context, "recipient": recipient}, language=lang, time_zone=tz
            )
        return cache[key]

    for user in users:
        if not user.is_active:
            continue
        wanted = [
            c
            for c in prefs.get(user.pk, spec.default_channels)
            if c in PERSONAL_CHANNELS and c in allowed
        ]
        first = len(rows)
        for channel in wanted:
            if channel == Channel.EMAIL and not user.email:
                continue
            msg = rendered(language_of(user), time_zone_of(user), user)
            rows.append(
                OutboxMessage(
                    **base,
                    channel=channel,
                    user=user,
                    address=user.email if channel == Channel.EMAIL else "",
                    language=language_of(user),
                    subject=msg.subject,
                    body=msg.text,
                    html=msg.html,
                    attachments=files if channel == Channel.EMAIL else [],
                    dedupe_key=_dedupe(dedupe_key, channel, f"u{user.pk}"),
                )
            )
        if len(rows) > first and Channel.IM in allowed:
            # One copy to work IM per person, made when the worker sends it (notifications/im.py).
            im.mark(rows[first])
    if Channel.EMAIL in allowed:
        for address in addresses:
            msg = rendered(language_of(None), time_zone_of(None), address)
            rows.append(
                OutboxMessage(
                    **base,
                    channel=Channel.EMAIL,
                    address=address,
                    language=language_of(None),
                    subject=msg.subject,
                    body=msg.text,
                    html=msg.html,
                    attachments=files,
                    dedupe_key=_dedupe(dedupe_key, Channel.EMAIL, address.lower()),
                )
            )
    if spec.broadcast:
        rows += _broadcast_rows(spec.code, context, meeting, allowed, dedupe_key, base, robots)
    _set_lane(rows, lane_for(spec.lane, len(rows), lane))
    OutboxMessage.objects.bulk_create(rows, batch_size=500, ignore_conflicts=bool(dedupe_key))
    if rows:
        transaction.on_commit(wake_workers)
    return len(rows)


def _broadcast_rows(
    event: str,
    context: dict[str, Any],
    meeting: Any,
    allowed: set[str],
    dedupe_key: str | None,
    base: dict[str, Any],
    robots: Sequence[RobotEndpoint] | None = None,
) -> list[OutboxMessage]:
    rows: list[OutboxMessage] = []
    lang, tz = language_of(None), time_zone_of(None)
    msg = None
    if meeting is not None and allowed & set(ROBOT_CHANNELS):
        chosen = _robots_for(meeting, event) if robots is None else robots
        for robot in chosen:
            if robot.kind not in allowed:
                continue
            msg = msg or render(event, {**context, "recipient": None}, language=lang, time_zone=tz)
            rows.append(
                OutboxMessage(
                    **base,
                    channel=robot.kind,
                    robot=robot,
                    language=lang,
                    subject=msg.subject,
                    body=msg.text,
                    dedupe_key=_dedupe(dedupe_key, robot.kind, f"r{robot.pk}"),
                )
            )
    if Channel.WEBHOOK in allowed:
        hooks = [
            h
            for h in WebhookEndpoint.objects.filter(enabled=True)
            if not h.events or event in h.events
        ]
        if hooks:
            payload = {
                "event": event,
                "meeting": _meeting_payload(meeting),
                "data": _jsonable({k: v for k, v in context.items() if k != "meeting"}),
            }
            for hook in hooks:
                rows.append(
                    OutboxMessage(
                        **base,
                        channel=Channel.WEBHOOK,
                        webhook=hook,
                        payload=payload,
                        dedupe_key=_dedupe(dedupe_key, Channel.WEBHOOK, f"w{hook.pk}"),
                    )
                )
    return rows


def _set_lane(rows: list[OutboxMessage], lane: str) -> None:
    for row in rows:
        row.lane = lane


def _declared_lane(event: str) -> str:
    """The lane an event was registered with; pre-rendered mail of no known event is urgent."""
    spec = registry.EVENTS.get(event)
    return spec.lane if spec else URGENT


def _email_row(
    *,
    to: str,
    subject: str,
    text: str,
    html: str | None = None,
    attachments: Sequence[Attachment] | None = None,
    dedupe_key: str | None = None,
    meeting: Any = None,
    event: str = "email",
    user: User | None = None,
    url: str = "",
) -> OutboxMessage:
    # Without an address, a message composed for an account goes to its bell instead (and
    # from there to work IM): a person without e-mail is still reached (an invitation).
    mail = bool(to) or user is None
    row = OutboxMessage(
        channel=Channel.EMAIL if mail else Channel.INAPP,
        event=event,
        address=to,
        user=user,
        meeting=meeting,
        subject=" ".join(subject.split())[:300],
        body=text,
        html=(html or "") if mail else "",
        url=url,
        attachments=_attachments(attachments) if mail else [],
        dedupe_key=dedupe_key or None,
    )
    # A mail to an account (an invitation) reaches the person on work IM too.
    return im.mark(row) if user is not None else row


def enqueue_email(
    *,
    to: str,
    subject: str,
    text: str,
    html: str | None = None,
    attachments: Sequence[Attachment] | None = None,
    dedupe_key: str | None = None,
    meeting: Any = None,
    event: str = "meeting.invited",
    user: User | None = None,
    lane: str | None = None,
) -> OutboxMessage | None:
    """Queue one pre-rendered e-mail. Returns None if `dedupe_key` was already used."""
    if dedupe_key and OutboxMessage.objects.filter(dedupe_key=dedupe_key).exists():
        return None
    row = _email_row(
        to=to,
        subject=subject,
        text=text,
        html=html,
        attachments=attachments,
        dedupe_key=dedupe_key,
        meeting=meeting,
        event=event,
        user=user,
    )
    row.lane = lane_for(_declared_lane(event), 1, lane)
    row.save(force_insert=True)
    transaction.on_commit(wake_workers)
    return row


def enqueue_emails(mails: Iterable[dict[str, Any]], *, lane: str | None = None) -> int:
    """Queue many pre-rendered e-mails at once (keywords as `enqueue_email`); skips used dedupe keys.
    One with a `user` and no `to` goes to that account's bell instead, and on to work IM.

    The lane is the events' (an `auto` event is bulk when the call queues many), or `lane`.
    """
    rows = [_email_row(**mail) for mail in mails]
    for row in rows:
        row.lane = lane_for(_declared_lane(row.event), len(rows), lane)
    OutboxMessage.objects.bulk_create(
        rows, batch_size=500, ignore_conflicts=any(r.dedupe_key for r in rows)
    )
    if rows:
        transaction.on_commit(wake_workers)
    return len(rows)


def wake_workers() -> None:
    """Tell waiting workers there is work (Redis if configured, else the in-process worker)."""
    queue.wake()


# --- what users do ---------------------------------------------------------


def mark_read(notification: Notification, *, actor: User) -> Notification:
    """Mark one of the actor's notifications read (idempotent)."""
    if notification.user_id != actor.pk:
        raise NotFound()
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=timezone.now()
        )
        notification.refresh_from_db(fields=["read_at"])
    return notification


def mark_all_read(*, actor: User) -> int:
    return Notification.objects.filter(user=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def set_channel_preferences(*, actor: User, choices: dict[str, list[str]]) -> None:
    """Replace the actor's channels per event: {event code: [channels]} (an empty list: none)."""
    for event, chans in choices.items():
        if event not in registry.EVENTS:
            raise ValidationFailed(_("Unknown event."), "unknown_event", event=event)
        bad = [c for c in chans if c not in PERSONAL_CHANNELS]
        if bad:
            raise ValidationFailed(_("Unknown channel."), "unknown_channel", channels=bad)
    with transaction.atomic():
        for event, chans in choices.items():
            ChannelPreference.objects.update_or_create(
                user=actor, event=event, defaults={"channels": sorted(set(chans))}
            )
        audit.record(
            "notifications.preferences.changed", actor, actor=actor, data={"choices": choices}
        )


ROBOT_FIELDS = [
    "name",
    "kind",
    "url",
    "department",
    "meeting",
    "events",
    "enabled",
    "rate_per_minute",
]


def save_robot_endpoint(
    robot: RobotEndpoint | None, *, actor: User, secret: str | None = None, **fields: Any
) -> RobotEndpoint:
    """Create or change a robot endpoint. Administrators only; the secret is kept unless a new one is given."""
    if not can_manage_endpoints(actor):
        raise PermissionDenied()
    unknown = set(fields) - set(ROBOT_FIELDS)
    if unknown:
        raise ValidationFailed(_("Unknown field."), "unknown_field", fields=sorted(unknown))
    if fields.get("kind", robot.kind if robot else None) not in ROBOT_CHANNELS:
        raise ValidationFailed(_("Unknown robot service."), "unknown_channel", field="kind")
    with transaction.atomic():
        created = robot is None
        robot = robot or RobotEndpoint()
        before = audit.snapshot(robot, ROBOT_FIELDS)
        for name, value in fields.items():
            setattr(robot, name, value)
        secret_changed = bool(secret) and secret != robot.secret
        if secret:
            robot.secret = secret
        changes = audit.diff(before, audit.snapshot(robot, ROBOT_FIELDS))
        audit.note_outcome(robot, {**changes, **({"secret": True} if secret_changed else {})})
        if not created and audit.nothing_changed(robot):  # as it was: nothing written
            return robot
        robot.save()
        # The URL and secret are credentials: the log says they changed, not what they are.
        audit.record(
            "notifications.robot.saved",
            robot,
            actor=actor,
            changes={k: v for k, v in changes.items() if k != "url"},
            data={"secret_changed": bool(secret), "url": robot.masked_url},
        )
    return robot


def send_test_message(robot: RobotEndpoint, *, actor: User) -> int:
    """Queue a test message to one robot (the "test send" button)."""
    if not can_manage_endpoints(actor):
        raise PermissionDenied()
    with transaction.atomic():
        msg = render(
            registry.TEST.code,
            {
                "title": _("MeetOps test message"),
                "text": _("If you can read this, the robot works."),
            },
            language=language_of(actor),
            time_zone=time_zone_of(actor),
        )
        OutboxMessage.objects.create(
            channel=robot.kind,
            event=registry.TEST.code,
            robot=robot,
            subject=msg.subject,
            body=msg.text,
            language=language_of(actor),
        )
        audit.record("notifications.robot.tested", robot, actor=actor)
        transaction.on_commit(wake_workers)
    return 1


WEBHOOK_FIELDS = ["name", "url", "events", "enabled"]


def _check_events(events: list[str]) -> None:
    unknown = sorted(set(events) - set(registry.EVENTS))
    if unknown:
        raise ValidationFailed(_("Unknown event."), "unknown_event", field="events", events=unknown)


def save_webhook_endpoint(
    hook: WebhookEndpoint | None, *, actor: User, **fields: Any
) -> tuple[WebhookEndpoint, str | None]:
    """Create or change an outgoing webhook. Administrators only.

    A new endpoint gets a generated signing secret, returned (the only time it
    is shown in full) as the second value; a change returns None there.
    """
    if not can_manage_endpoints(actor):
        raise PermissionDenied()
    unknown = set(fields) - set(WEBHOOK_FIELDS)
    if unknown:
        raise ValidationFailed(_("Unknown field."), "unknown_field", fields=sorted(unknown))
    _check_events(list(fields.get("events") or []))
    if "url" in fields or hook is None:
        try:
            URLValidator(schemes=["http", "https"])(fields.get("url") or "")
        except DjangoValidationError:
            raise ValidationFailed(
                _("Enter an http or https address."), "invalid_url", field="url"
            ) from None
    with transaction.atomic():
        created = hook is None
        hook = hook or WebhookEndpoint()
        before = audit.snapshot(hook, WEBHOOK_FIELDS)
        for name, value in fields.items():
            setattr(hook, name, value)
        changes = audit.diff(before, audit.snapshot(hook, WEBHOOK_FIELDS))
        audit.note_outcome(hook, changes)
        if not created and not changes:  # as it was: nothing written
            return hook, None
        secret = secrets.token_urlsafe(32) if created else None
        if secret:
            hook.secret = secret
        hook.save()
        # The address is a credential: the log shows it masked, not as a change.
        audit.record(
            "notifications.webhook.created" if created else "notifications.webhook.saved",
            hook,
            actor=actor,
            changes={k: v for k, v in changes.items() if k != "url"},
            data={"url": hook.masked_url},
        )
    return hook, secret


def rotate_webhook_secret(hook: WebhookEndpoint, *, actor: User) -> str:
    """Give the webhook a new signing secret and return it (shown once); the old one stops working."""
    if not can_manage_endpoints(actor):
        raise PermissionDenied()
    secret = secrets.token_urlsafe(32)
    with transaction.atomic():
        WebhookEndpoint.objects.filter(pk=hook.pk).update(secret=secret)
        hook.secret = secret
        audit.record("notifications.webhook.secret_rotated", hook, actor=actor)
    return secret


def send_test_webhook(hook: WebhookEndpoint, *, actor: User) -> OutboxMessage:
    """Queue a signed test POST to one webhook (the "test send" button); the result shows in the delivery log."""
    if not can_manage_endpoints(actor):
        raise PermissionDenied()
    with transaction.atomic():
        msg = OutboxMessage.objects.create(
            channel=Channel.WEBHOOK,
            event=registry.TEST.code,
            webhook=hook,
            subject=str(_("MeetOps test message")),
            payload={
                "event": registry.TEST.code,
                "meeting": None,
                "data": {"title": str(_("MeetOps test message"))},
            },
        )
        audit.record("notifications.webhook.tested", hook, actor=actor)
        transaction.on_commit(wake_workers)
    return msg


def retry_message(message: OutboxMessage, *, actor: User) -> OutboxMessage:
    """Put a dead or failed message back in the queue (from the delivery log)."""
    if not can_see_delivery(actor, message):
        raise NotFound()
    with transaction.atomic():
        updated = OutboxMessage.objects.filter(
            pk=message.pk, status__in=[Status.DEAD, Status.FAILED]
        ).update(status=Status.QUEUED, next_attempt_at=timezone.now(), attempts=0, last_error="")
        if not updated:
            raise ValidationFailed(_("Only failed messages can be retried."), "not_retryable")
        audit.record("notifications.message.retried", message, actor=actor)
        transaction.on_commit(wake_workers)
    message.refresh_from_db()
    return message


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
