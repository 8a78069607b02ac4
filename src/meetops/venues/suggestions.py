"""Finding a time and a room.

Candidate slots are working days, 09:00–18:00 in the site's time zone, every
30 minutes. A slot qualifies when every required person is free (not on a
non-cancelled meeting then) and, if rooms match at all, one of them is free.
Ranking: fewest optional people busy, then the room whose size fits best, the
preferred building, the earlier day. Each suggestion says why in words.
Four queries whatever the number of people, rooms or days.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from meetops.core.errors import ValidationFailed
from meetops.meetings.models import Participant, Stage
from meetops.people.models import User
from meetops.venues.models import Blackout, Building, Room
from meetops.venues.permissions import can_book_room
from meetops.venues.selectors import holding_in, rooms_visible_to
from meetops.venues.services.booking import within_bookable_hours
from meetops.venues.timeutil import zone

DAY_START, DAY_END = time(9), time(18)
STEP = timedelta(minutes=30)
MAX_WINDOW_DAYS = 62


@dataclass
class Suggestion:
    start: datetime
    end: datetime
    room: Room | None
    score: float
    reasons: list[str] = field(default_factory=list)


class Intervals:
    """Sorted, possibly overlapping intervals with a fast "anything overlaps?" test."""

    def __init__(self, items: list[tuple[datetime, datetime]]) -> None:
        self.items = sorted(items)
        self.starts = [s for s, _e in self.items]
        # The longest interval bounds how far back an overlapping one can start.
        self.longest = max((e - s for s, e in self.items), default=timedelta(0))

    def overlaps(self, start: datetime, end: datetime) -> bool:
        i = bisect_left(self.starts, start - self.longest)
        for s, e in self.items[i:]:
            if s >= end:
                return False
            if e > start:
                return True
        return False


def as_date(value: date | datetime) -> date:
    return timezone.localtime(value).date() if isinstance(value, datetime) else value


def _candidate_slots(
    first: date, last: date, duration: timedelta, tz: Any, now: datetime
) -> list[tuple[datetime, datetime]]:
    slots = []
    day = first
    while day <= last:
        if day.isoweekday() <= 5:
            t = datetime.combine(day, DAY_START, tzinfo=tz)
            close = datetime.combine(day, DAY_END, tzinfo=tz)
            while t + duration <= close:
                if t >= now:
                    slots.append((t, t + duration))
                t += STEP
        day += timedelta(days=1)
    return slots


def _busy_people(user_ids: list[int], start: datetime, end: datetime) -> dict[int, Intervals]:
    rows = (
        Participant.objects.filter(
            user_id__in=user_ids, meeting__start__lt=end, meeting__end__gt=start
        )
        .exclude(meeting__stage=Stage.CANCELLED)
        .values_list("user_id", "meeting__start", "meeting__end")
    )
    per_user: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
    for user_id, s, e in rows:
        per_user[user_id].append((s, e))
    return {uid: Intervals(per_user.get(uid, [])) for uid in user_ids}


def _candidate_rooms(actor: User, capacity: int | None, facilities: list[str]) -> list[Room]:
    qs = rooms_visible_to(actor).filter(active=True).prefetch_related("allowed_departments")
    if capacity:
        qs = qs.filter(capacity__gte=capacity)
    if facilities:
        qs = (
            qs.filter(facilities__code__in=facilities)
            .annotate(n=Count("facilities", distinct=True))
            .filter(n=len(set(facilities)))
        )
    rooms = list(qs)
    administered = (
        set() if actor.is_admin else set(actor.administered_rooms.values_list("pk", flat=True))
    )
    for room in rooms:
        room._admin_ids = {actor.pk} if room.pk in administered else set()
    return [r for r in rooms if can_book_room(actor, r)]


def _busy_rooms(rooms: list[Room], start: datetime, end: datetime) -> dict[int, Intervals]:
    ids = [r.pk for r in rooms]
    per_room: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
    for room_id, s, e in holding_in(ids, start, end).values_list(
        "room_id", "effective_start", "effective_end"
    ):
        per_room[room_id].append((s, e))
    for room_id, s, e in Blackout.objects.filter(
        room_id__in=ids, start__lt=end, end__gt=start
    ).values_list("room_id", "start", "end"):
        per_room[room_id].append((s, e))
    return {rid: Intervals(per_room.get(rid, [])) for rid in ids}


def _names(users: list[User]) -> str:
    return "、".join(str(u) for u in users[:5]) + ("…" if len(users) > 5 else "")


def suggest_slots(
    *,
    required: list[User],
    optional: list[User],
    duration: timedelta,
    window: tuple[date, date],
    capacity: int | None = None,
    facilities: list[str] | None = None,
    preferred_building: Building | None = None,
    actor: User,
    limit: int = 10,
    now: datetime | None = None,
) -> list[Suggestion]:
    """The best slots and rooms for a meeting, ranked, each with its reasons."""
    first, last = window
    if last < first or (last - first).days > MAX_WINDOW_DAYS:
        raise ValidationFailed(
            _("The window must end after it starts and span at most 62 days."),
            "invalid_window",
            field="window_end",
        )
    facilities = list(dict.fromkeys(facilities or []))
    tz = zone(preferred_building.site.time_zone if preferred_building else None)
    now = now or timezone.now()
    slots = _candidate_slots(first, last, duration, tz, now)
    if not slots:
        return []
    span = (slots[0][0], slots[-1][1] + timedelta(hours=4))
    required = list({u.pk: u for u in required}.values())
    optional = [
        u for u in {u.pk: u for u in optional}.values() if u.pk not in {r.pk for r in required}
    ]
    busy = _busy_people([u.pk for u in (*required, *optional)], *span)
    rooms = _candidate_rooms(actor, capacity, facilities)
    need = capacity or 1
    preferred_id = preferred_building.pk if preferred_building else None
    rooms.sort(
        key=lambda r: (
            r.building_id != preferred_id if preferred_id else False,
            r.capacity - need,
            r.pk,
        )
    )
    room_busy = _busy_rooms(rooms, *span)

    results: list[Suggestion] = []
    for day_index, (start, end) in enumerate(slots):
        if any(busy[u.pk].overlaps(start, end) for u in required):
            continue
        room = next(
            (
                r
                for r in rooms
                if not room_busy[r.pk].overlaps(start, end + r.buffer)
                and within_bookable_hours(r, start, end)
            ),
            None,
        )
        if rooms and room is None:
            continue
        opt_busy = [u for u in optional if busy[u.pk].overlaps(start, end)]
        results.append(
            _rank(
                start,
                end,
                room,
                required,
                optional,
                opt_busy,
                need,
                facilities,
                preferred_id,
                day_index / max(len(slots), 1),
            )
        )
    results.sort(key=lambda s: (-s.score, s.start))
    return results[:limit]


def _rank(
    start: datetime,
    end: datetime,
    room: Room | None,
    required: list[User],
    optional: list[User],
    opt_busy: list[User],
    need: int,
    facilities: list[str],
    preferred_id: int | None,
    lateness: float,
) -> Suggestion:
    score = 100.0
    reasons = []
    if required:
        reasons.append(
            ngettext(
                "The required participant is free.",
                "All %(n)d required participants are free.",
                len(required),
            )
            % {"n": len(required)}
        )
    if optional:
        if opt_busy:
            score -= 10 * len(opt_busy)
            reasons.append(
                ngettext(
                    "%(n)d optional participant is busy: %(names)s.",
                    "%(n)d optional participants are busy: %(names)s.",
                    len(opt_busy),
                )
                % {"n": len(opt_busy), "names": _names(opt_busy)}
            )
        else:
            reasons.append(_("Every optional participant is free too."))
    if room is not None:
        spare = room.capacity - need
        score -= min(20.0, 20.0 * spare / max(room.capacity, 1))
        reasons.append(
            _("%(room)s seats %(cap)d for %(need)d people (%(spare)d spare).")
            % {"room": room.name, "cap": room.capacity, "need": need, "spare": spare}
        )
        if preferred_id:
            if room.building_id == preferred_id:
                score += 5
                reasons.append(_("In the preferred building."))
            else:
                reasons.append(_("Not in the preferred building: no room there fits."))
        if facilities:
            reasons.append(_("Has what was asked for: %(list)s.") % {"list": ", ".join(facilities)})
    else:
        reasons.append(
            _("No room matches the capacity and facilities asked for; the time alone is suggested.")
        )
    score -= 5 * lateness  # earlier is slightly better
    return Suggestion(start, end, room, round(score, 2), reasons)
