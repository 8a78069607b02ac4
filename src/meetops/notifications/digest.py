"""The daily digest of what waits on each person (ADR 0021): e-mail, in-app and, through the
personal message's IM copy, work IM.

It reads the inbox's one selector (`core.inbox.waiting_for`), so the digest names the same
things, and the same number, as the inbox, the dashboard and the menu badge. Once a day per
person (the dedupe key carries the day), and only to whom something has waited for a day:
what arrived since was announced by its own notice; nobody with nothing waiting hears anything.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from meetops.core.inbox import waiting_for
from meetops.core.scheduler import BULK, periodic
from meetops.notifications import events
from meetops.notifications.rendering import language_of
from meetops.notifications.services import enqueue
from meetops.people.models import User

# Enough to act on from the message; the rest is one click away in the inbox.
LISTED = 20
# A fresh item had its own notice; the digest is for what is still waiting after this long.
STALE_AFTER = timedelta(days=1)

WAITING_DIGEST = events.register_event(
    "waiting.digest",
    _("Daily digest of what is waiting for you"),
    broadcast=False,
    lane="bulk",
)


@periodic(every_seconds=86400, name="notifications.waiting_digest", lane=BULK)
def send_waiting_digests() -> int:
    """Queue today's digest for every active person with something waiting. Returns how many."""
    today = timezone.localdate().isoformat()
    stale = timezone.now() - STALE_AFTER
    sent = 0
    for user in User.objects.filter(is_active=True).order_by("pk").iterator():
        # The sources name their items in the language active when they collect them.
        with translation.override(language_of(user)):
            items = waiting_for(user)
        if not any(i.since is not None and i.since <= stale for i in items):
            continue
        with transaction.atomic():
            sent += bool(
                enqueue(
                    event=WAITING_DIGEST.code,
                    recipients=[user],
                    context={"items": items[:LISTED], "count": len(items), "url": "/approvals/"},
                    dedupe_key=f"{WAITING_DIGEST.code}:{user.pk}:{today}",
                )
            )
    return sent
