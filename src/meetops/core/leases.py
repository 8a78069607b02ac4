"""Leases on rows: one worker at a time acts on a row for a while (a robot, a to-do, an event).

A lease is a compare-and-set on the row's own `busy_until` column: the UPDATE that sets it
matches only while the row is free (never leased, or its lease ran out), so of two workers
that try at once exactly one changes a row and wins. A worker that dies holding a lease
loses it when the time runs out; one that finishes releases it at once.

    lease = take_lease(RobotEndpoint, robot.pk, seconds=120)
    if lease is None:
        return  # another worker has it
    try:
        ...  # talk to the outside world
    finally:
        release_lease(RobotEndpoint, robot.pk, lease)

The lease is its own end time, and releasing needs it: a holder that overran its time (and
whose row another worker has since taken) must not free the other worker's lease.

The model keeps its own `busy_until = models.DateTimeField(null=True, blank=True)`.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Model, Q
from django.utils import timezone

FIELD = "busy_until"


def take_lease(
    model: type[Model], pk: object, *, seconds: float, now: datetime | None = None
) -> datetime | None:
    """Hold the row `pk` of `model` for `seconds` from `now`: the lease (its end), or None when
    someone else holds it (or there is no such row)."""
    now = now or timezone.now()
    free = Q(**{f"{FIELD}__isnull": True}) | Q(**{f"{FIELD}__lt": now})
    until = now + timedelta(seconds=seconds)
    taken = model._default_manager.filter(free, pk=pk).update(**{FIELD: until})
    return until if taken else None


def release_lease(model: type[Model], pk: object, lease: datetime) -> None:
    """Free the row at once (the holder's `finally`), rather than when its lease runs out; only
    while it still holds this lease, never one another worker took after it ran out."""
    model._default_manager.filter(pk=pk, **{FIELD: lease}).update(**{FIELD: None})
