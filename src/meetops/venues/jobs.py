"""Periodic venue work, run by `meetops worker` and the embedded worker."""

from __future__ import annotations

from meetops.core.scheduler import periodic
from meetops.venues.services.booking import release_no_shows as release


@periodic(every_seconds=60, name="venues.release_no_shows")
def release_no_shows() -> int:
    """Release the bookings nobody checked in to (the organisers are told). Returns how many."""
    return len(release())
