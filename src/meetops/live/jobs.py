"""The worker announces materials released for a moment that has now come."""

from __future__ import annotations

from meetops.core.scheduler import periodic
from meetops.live.services import announce_due_releases


@periodic(every_seconds=60, name="live.announce_materials")
def announce_materials() -> None:
    announce_due_releases()
