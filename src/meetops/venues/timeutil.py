"""The time zone a room lives in: its site's, else the server's."""

from __future__ import annotations

from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.utils import timezone

if TYPE_CHECKING:
    from datetime import tzinfo

    from meetops.venues.models import Room


def zone(name: str | None) -> tzinfo:
    if name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return timezone.get_default_timezone()


def room_tz(room: Room) -> tzinfo:
    building = room.building if room.building_id else None
    return zone(building.site.time_zone if building is not None else None)
