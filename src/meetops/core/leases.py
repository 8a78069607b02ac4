"""Leases on rows: one worker at a time acts on a row for a while (a robot, a to-do, an event).

A lease is a compare-and-set on the row's own `busy_until` column: the UPDATE that sets it
matches only while the row is free (never leased, or its lease ran out), so of two workers
that try at once exactly one changes a row and wins. A worker that dies holding a lease
loses it when the time runs out; one that finishes releases it at once.

    if not take_lease(RobotEndpoint, robot.pk, seconds=120):
        return  # another worker has it
    try:
        ...  # talk to the outside world
    finally:
        release_lease(RobotEndpoint, robot.pk)

The model keeps its own `busy_until = models.DateTimeField(null=True, blank=True)`.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Model, Q
from django.utils import timezone

FIELD = "busy_until"


def take_lease(
    model: type[Model], pk: object, *, seconds: float, now: datetime | None = None
) -> bool:
    """Hold the row `pk` of `model` for `seconds` from `now`; False when someone else holds it
    (or there is no such row)."""
    now = now or timezone.now()
    free = Q(**{f"{FIELD}__isnull": True}) | Q(**{f"{FIELD}__lt": now})
    taken = model._default_manager.filter(free, pk=pk).update(
        **{FIELD: now + timedelta(seconds=seconds)}
    )
    return bool(taken)


def release_lease(model: type[Model], pk: object) -> None:
    """Free the row at once (the holder's `finally`), rather than when its lease runs out."""
    model._default_manager.filter(pk=pk).update(**{FIELD: None})
