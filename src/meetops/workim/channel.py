"""Personal work IM messages as a notification channel (notifications/im.py).

The outbox row's address is `<platform>:<platform user id>` (selectors.im_addresses). A row
whose event has a registered sync sender (syncs.py: to-dos, calendar events) is handed to it;
any other row is a message. Sending turns the row into a `PersonalMessage`: the subject and text already rendered in the person's
language, a link that opens the page and signs them in silently, the card buttons the
decision flow offers for it, and a short reference and time at the end so that two messages
with the same text are never identical (DingTalk silently drops a second identical text to
one person in a day, reference §2.4).
"""

from __future__ import annotations

from django.utils import timezone

from meetops.core.errors import NotFound
from meetops.notifications.im import PersonalIm, register_personal_im
from meetops.notifications.models import OutboxMessage
from meetops.notifications.rendering import time_zone_of
from meetops.notifications.senders import CommitPoint, Permanent, Retry, SendError
from meetops.workim import decisions, selectors
from meetops.workim.platforms import PersonalMessage, get_platform
from meetops.workim.syncs import sync_for


def personal_message(msg: OutboxMessage, *, app_url: str) -> PersonalMessage:
    """The message as every platform gets it."""
    with timezone.override(time_zone_of(msg.user)):
        stamp = timezone.localtime(msg.created_at).strftime("%m-%d %H:%M")
    return PersonalMessage(
        title=msg.subject,
        text=f"{msg.body.strip()}\n\n{stamp} · #{msg.pk}",
        url=app_url,
        language=msg.language,
        actions=tuple(decisions.card_actions(msg)),
        dedupe_key=str(msg.uuid),
    )


def send(msg: OutboxMessage, commit_point: CommitPoint) -> str:
    sync = sync_for(msg)
    if sync is not None:
        # Not a message: bring something kept on the platform up to date (syncs.py).
        return sync(msg, commit_point)
    key, _sep, user_id = msg.address.partition(":")
    try:
        platform = get_platform(key)
    except NotFound:
        raise Permanent(f"no work IM platform {key!r}", "im_unknown_platform") from None
    if not user_id or not platform.configured():
        raise Permanent(f"{key} is not configured", "im_not_configured")
    message = personal_message(msg, app_url=platform.app_url(msg.url or "/"))
    commit_point()
    try:
        return platform.send_personal(platform_user_id=user_id, message=message)
    except Retry as exc:
        if exc.code == "timeout":
            # Sent, and no answer: it may have arrived; never send it blindly again.
            raise SendError(str(exc), exc.code, ambiguous=True) from exc
        raise


register_personal_im(PersonalIm(addresses=selectors.im_addresses, send=send))
