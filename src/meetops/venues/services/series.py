"""Recurring bookings: an iCalendar RRULE expands into one booking per occurrence.

Conflicts are judged and reported per occurrence. Each occurrence is an
ordinary booking afterwards: moving or cancelling one leaves the rest alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from dateutil.rrule import rrulestr
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meetops.core import audit
from meetops.core.errors import DomainError, PermissionDenied, ValidationFailed
from meetops.meetings.models import Meeting
from meetops.meetings.permissions import can_manage_meeting
from meetops.people.models import User
from meetops.venues.models import Booking, BookingSeries, BookingStatus, Room
from meetops.venues.permissions import can_administer_room, can_book_room
from meetops.venues.services.booking import _check_meeting_open, check_booking_rules, insert_booking
from meetops.venues.timeutil import room_tz

MAX_OCCURRENCES = 200
HORIZON = timedelta(days=2 * 366)
PRESETS = {
    "weekly": "FREQ=WEEKLY",
    "biweekly": "FREQ=WEEKLY;INTERVAL=2",
    "monthly": "FREQ=MONTHLY",
    "daily": "FREQ=DAILY",
}


@dataclass
class SeriesResult:
    series: BookingSeries
    bookings: list[Booking] = field(default_factory=list)
    problems: list[dict[str, Any]] = field(default_factory=list)


def expand_rule(
    rule: str, *, first_start: datetime, tz: Any, count: int | None = None
) -> list[datetime]:
    """Occurrence starts, in wall-clock time of the room's zone (so 09:00 stays 09:00 across DST)."""
    text = PRESETS.get(rule.strip().lower(), rule.strip())
    text = text.removeprefix("RRULE:")
    if count and "COUNT=" not in text.upper() and "UNTIL=" not in text.upper():
        text += f";COUNT={count}"
    if "COUNT=" not in text.upper() and "UNTIL=" not in text.upper():
        raise ValidationFailed(
            _("A recurrence needs an end: a count or an until date."),
            "rule_unbounded",
            field="rule",
        )
    local = first_start.astimezone(tz).replace(tzinfo=None)
    try:
        recurrence = rrulestr(text, dtstart=local, ignoretz=True)
    except (ValueError, TypeError) as exc:
        raise ValidationFailed(
            _("The recurrence rule is not valid."), "invalid_rule", field="rule"
        ) from exc
    starts: list[datetime] = []
    for occurrence in recurrence:
        if len(starts) >= MAX_OCCURRENCES or occurrence - local > HORIZON:
            break
        starts.append(occurrence.replace(tzinfo=tz))
    return starts


def book_series(
    room: Room,
    *,
    meeting: Meeting,
    rule: str,
    first_start: datetime,
    duration_minutes: int,
    actor: User,
    count: int | None = None,
    skip_conflicts: bool = False,
) -> SeriesResult:
    """Book every occurrence of the rule.

    Each occurrence is checked against the room's rules and holding bookings.
    Any problem and `skip_conflicts` false: nothing is booked, and 409
    `series_conflicts` lists the occurrences that failed and why. With
    `skip_conflicts`, the free occurrences are booked and the others reported.
    """
    if not can_manage_meeting(actor, meeting):
        raise PermissionDenied()
    if not can_book_room(actor, room):
        raise PermissionDenied(_("You may not book this room."), "room_not_bookable")
    _check_meeting_open(meeting)
    if timezone.is_naive(first_start):
        raise ValidationFailed(
            _("Times need a time zone offset."), "naive_datetime", field="first_start"
        )
    if duration_minutes <= 0:
        raise ValidationFailed(
            _("The duration must be positive."), "invalid_duration", field="duration_minutes"
        )
    starts = expand_rule(rule, first_start=first_start, tz=room_tz(room), count=count)
    privileged = can_administer_room(actor, room)
    status = (
        BookingStatus.PENDING
        if room.requires_approval and not privileged
        else BookingStatus.CONFIRMED
    )
    length = timedelta(minutes=duration_minutes)
    with transaction.atomic():
        series = BookingSeries.objects.create(
            room=room,
            meeting=meeting,
            rule=rule,
            first_start=first_start,
            duration_minutes=duration_minutes,
            created_by=actor,
        )
        result = SeriesResult(series=series)
        for start in starts:
            try:
                check_booking_rules(room, start, start + length, privileged=privileged)
                result.bookings.append(
                    insert_booking(
                        room,
                        meeting=meeting,
                        start=start,
                        end=start + length,
                        status=status,
                        actor=actor,
                        series=series,
                    )
                )
            except DomainError as exc:
                result.problems.append(
                    {
                        "start": start.isoformat(),
                        "end": (start + length).isoformat(),
                        "code": exc.code,
                        "message": str(exc.message),
                        **exc.details,
                    }
                )
        if result.problems and not skip_conflicts:
            raise DomainError(
                _("%(n)d of %(total)d occurrences cannot be booked.")
                % {"n": len(result.problems), "total": len(starts)},
                "series_conflicts",
                occurrences=result.problems,
            )
        if not result.bookings:
            raise DomainError(
                _("No occurrence could be booked."), "series_conflicts", occurrences=result.problems
            )
        audit.record(
            "venues.series.created",
            series,
            actor=actor,
            data={
                "rule": rule,
                "booked": len(result.bookings),
                "skipped": [p["start"] for p in result.problems],
            },
        )
    return result
