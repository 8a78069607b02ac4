"""Leases on rows: one worker at a time acts on a row for a while (a robot, a to-do, an event,
a filing run).

A lease is a compare-and-set on the row's own lease column (`busy_until` unless the model names
another): the UPDATE that sets it matches only while the row is free (never leased, or its lease
ran out), so of two workers that try at once exactly one changes a row and wins. A worker that
dies holding a lease loses it when the time runs out; one that finishes releases it at once.

    lease = take_lease(RobotEndpoint, robot.pk, seconds=120)
    if lease is None:
        return  # another worker has it
    try:
        ...  # talk to the outside world
    finally:
        release_lease(RobotEndpoint, robot.pk, lease)

The lease is its own end time, and it names its holder: every write the holder makes is
guarded by it (`renew_lease`, `write_if_held`, `release_lease`), so a holder that overran its
time, and whose row another worker has since taken, changes nothing of the other worker's.
Two holders never share a lease: a row is taken only once its lease has ended (`lease < now`),
and the new one ends `seconds` after that, so every take ends later than any lease the row
had before it.

The model keeps its own `busy_until = models.DateTimeField(null=True, blank=True)` (or passes
`field=` naming its column).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Model, Q
from django.utils import timezone

FIELD = "busy_until"


def take_lease(
    model: type[Model],
    pk: object,
    *,
    seconds: float,
    now: datetime | None = None,
    field: str = FIELD,
    where: Q | None = None,
    values: Mapping[str, Any] | None = None,
) -> datetime | None:
    """Hold the row `pk` of `model` for `seconds` from `now`: the lease (its end), or None when
    someone else holds it (or there is no such row, or it does not match `where`). `values` are
    written in the same UPDATE (a status, an attempt counted): only by the worker that won."""
    now = now or timezone.now()
    free = Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__lt": now})
    if where is not None:
        free &= where
    until = now + timedelta(seconds=seconds)
    taken = model._default_manager.filter(free, pk=pk).update(**{**(values or {}), field: until})
    return until if taken else None


def renew_lease(
    model: type[Model],
    pk: object,
    lease: datetime,
    *,
    seconds: float,
    now: datetime | None = None,
    field: str = FIELD,
    values: Mapping[str, Any] | None = None,
) -> datetime | None:
    """Hold the row `seconds` longer from `now` (a long job telling it is alive), writing
    `values` with it: the new lease, or None when this one is no longer held (another worker
    took the row over, or it was released)."""
    until = (now or timezone.now()) + timedelta(seconds=seconds)
    return (
        until
        if write_if_held(model, pk, lease, {**(values or {}), field: until}, field=field)
        else None
    )


def write_if_held(
    model: type[Model],
    pk: object,
    lease: datetime,
    values: Mapping[str, Any],
    *,
    field: str = FIELD,
) -> bool:
    """Update `values` of the row only while `lease` is its lease: True when written, False
    when another worker holds the row now (the caller must then write nothing else). To end the
    lease with the write, put `field: None` in `values`."""
    return bool(model._default_manager.filter(pk=pk, **{field: lease}).update(**values))


def release_lease(model: type[Model], pk: object, lease: datetime, *, field: str = FIELD) -> None:
    """Free the row at once (the holder's `finally`), rather than when its lease runs out; only
    while it still holds this lease, never one another worker took after it ran out."""
    write_if_held(model, pk, lease, {field: None}, field=field)
