"""The daily digest of what waits on each person (ADR 0021): e-mail, in-app and, through the
personal message's IM copy, work IM.

It reads the inbox's one selector (`core.inbox.waiting_for_many`, `waiting_for` for many people
at once), so the digest names the same things, and the same number, as the inbox, the dashboard
and the menu badge; the sources answer for a batch of people in the same number of queries
whatever its size, so the selector's cost does not grow with the staff. Once a day per
person (the dedupe key carries the day), and only to whom something has waited for a day:
what arrived since was announced by its own notice; nobody with nothing waiting hears anything.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from itertools import groupby, islice

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from meetops.core.inbox import WaitingItem, waiting_for_many
from meetops.core.scheduler import BULK, periodic
from meetops.notifications import events
from meetops.notifications.rendering import language_of
from meetops.notifications.services import enqueue
from meetops.people.models import User

# Enough to act on from the message; the rest is one click away in the inbox.
LISTED = 20
# A fresh item had its own notice; the digest is for what is still waiting after this long.
STALE_AFTER = timedelta(days=1)
# People read per round: the selector's queries are per round, the memory is per person.
BATCH = 500

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
    for user, items in _waiting():
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


def _waiting() -> Iterator[tuple[User, list[WaitingItem]]]:
    """Every active person with what waits on them, a batch at a time."""
    people = (
        User.objects.filter(is_active=True).select_related("department").order_by("pk").iterator()
    )
    while batch := list(islice(people, BATCH)):
        # The sources name their items in the language active when they collect them.
        for language, group in groupby(sorted(batch, key=language_of), key=language_of):
            same = list(group)
            with translation.override(language):
                waiting = waiting_for_many(same)
            for user in same:
                yield user, waiting[user.pk]
