"""Data the benchmarks share, seeded inside a configured Django process (after `django.setup()`)."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any


def seed_bookings(
    rooms: Sequence[Any],
    meetings: Sequence[Any],
    *,
    per_room: int,
    first_day: date,
    rng: random.Random,
    created_by: Any,
    half_hours: bool = False,
) -> None:
    """Confirmed bookings over the two years from `first_day`: `per_room` distinct days a room
    (at most 730), one booking a day starting between 8 and 16 h (on the hour, or on the half
    hour too with `half_hours`) for 30 to 120 minutes, each for a meeting drawn from `meetings`."""
    # Django is set up by the caller (a benchmark's child process); importing earlier fails.
    from django.utils import timezone

    from meetops.venues.models import Booking

    tz = timezone.get_default_timezone()
    batch: list[Booking] = []
    for room in rooms:
        for offset in sorted(rng.sample(range(730), per_room)):
            day = first_day + timedelta(days=offset)
            hour = rng.randint(8, 16)
            minute = rng.choice([0, 30]) if half_hours else 0
            start = datetime(day.year, day.month, day.day, hour, minute, tzinfo=tz)
            end = start + timedelta(minutes=rng.choice([30, 60, 90, 120]))
            batch.append(
                Booking(
                    meeting=rng.choice(meetings),
                    room=room,
                    start=start,
                    end=end,
                    effective_start=start,
                    effective_end=end,
                    status="confirmed",
                    created_by=created_by,
                )
            )
            if len(batch) >= 10_000:
                Booking.objects.bulk_create(batch)
                batch = []
    Booking.objects.bulk_create(batch)
