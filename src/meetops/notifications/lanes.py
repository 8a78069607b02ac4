"""Lanes: urgent messages never wait behind bulk work.

Every outbox message has a lane. `urgent` (the default): reminders, sign-in
alerts, approvals, RSVP deadlines, changes and cancellations. `bulk`: an
invitation to a thousand people, results sent to everyone. An event declares
its lane when it is registered (`register_event(..., lane=...)`); `auto` means
bulk when one call queues MEETOPS_BULK_FROM messages or more (inviting a whole
department), urgent otherwise (inviting one substitute). A caller may name the
lane outright (`enqueue(..., lane="bulk")`).

A worker takes the lanes it is given (`meetops worker --lanes urgent,bulk`,
MEETOPS_WORKER_LANES), urgent first, always: between two small chunks of bulk
mail it looks for urgent mail again, so one urgent message waits for at most
one chunk. Nodes that must answer at once run `--lanes urgent` and never touch
the backlog. Periodic jobs have lanes too (core/scheduler.py): backups are bulk.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings

from meetops.core.scheduler import BULK, LANES, URGENT
from meetops.notifications.models import Lane

AUTO = "auto"

__all__ = ["AUTO", "BULK", "LANES", "URGENT", "lane_for", "parse_lanes"]


def bulk_from() -> int:
    return int(getattr(settings, "MEETOPS_BULK_FROM", 100))


def lane_for(declared: str, count: int, chosen: str | None = None) -> str:
    """The lane of `count` messages queued at once for an event declared `declared`."""
    if chosen:
        return Lane(chosen).value
    if declared == AUTO:
        return BULK if count >= bulk_from() else URGENT
    return Lane(declared).value


def parse_lanes(value: str | Iterable[str]) -> tuple[str, ...]:
    """Lanes from "urgent,bulk" (or a list), urgent first; raises ValueError on an unknown one."""
    names = value.split(",") if isinstance(value, str) else list(value)
    lanes = {n.strip().lower() for n in names if n.strip()}
    unknown = lanes - set(LANES)
    if unknown or not lanes:
        raise ValueError(f"lanes must be among {', '.join(LANES)}: got {', '.join(sorted(names))}")
    return tuple(lane for lane in LANES if lane in lanes)
