"""Reads for rooms and bookings, limited to what the caller may see, in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from operator import attrgetter
from typing import Any, NamedTuple, Protocol

from django.db.models import Exists, OuterRef, Q, QuerySet, Value
from django.utils.translation import gettext as _

from meetops.core.errors import NotFound, PermissionDenied
from meetops.core.prepared import Prepared
from meetops.core.schemas import MAX_DB_ID
from meetops.meetings.models import OVER_STAGES, Meeting, MeetingRole, Participant
from meetops.meetings.selectors import meeting_visibility, meetings_visible_to
from meetops.people.models import User
from meetops.venues.decisions import pending_bookings
from meetops.venues.models import (
    HOLDING,
    Blackout,
    Booking,
    BookingStatus,
    Building,
    ExternalVenue,
    Room,
    WaitlistEntry,
)
from meetops.venues.permissions import can_administer_room, can_manage_rooms, can_see_booking_owner
from meetops.venues.services.booking import LOOKBACK
from meetops.venues.timeutil import zone


def rooms_visible_to(user: User) -> QuerySet[Room]:
    """Rooms are not secret: every signed-in user sees the active ones; administrators see all."""
    qs = Room.objects.select_related("building__site", "floor", "external_venue").prefetch_related(
        "facilities"
    )
    if not user.is_authenticated:
        return qs.none()
    return qs if can_manage_rooms(user) else qs.filter(active=True)


def filter_rooms(
    qs: QuerySet[Room],
    *,
    building_id: int | None = None,
    min_capacity: int | None = None,
    facilities: list[str] | tuple[str, ...] = (),
) -> QuerySet[Room]:
    """Narrow a room list: one building, at least so many seats, every facility named."""
    if building_id:
        qs = qs.filter(building_id=building_id)
    if min_capacity:
        qs = qs.filter(capacity__gte=min_capacity)
    for code in facilities:
        qs = qs.filter(facilities__code=code)
    return qs


def get_room_for_user(user: User, pk: int, *, write: bool = False, facilities: bool = True) -> Room:
    """The room, 404 for who may not see it; `facilities=False` for writers that never list them."""
    qs = rooms_visible_to(user)
    if not facilities:
        qs = qs.prefetch_related(None)
    room = qs.filter(pk=pk).first()
    if room is None:
        raise NotFound()
    if write and not can_administer_room(user, room):
        raise PermissionDenied()
    return room


# Compiled once per connection (core.prepared): building it cost more than running it.
_room_to_book = Prepared(
    lambda user_id, pk: (
        Room.objects.select_related("building__site")
        .annotate(
            _caller_administers=Exists(
                Room.administrators.through.objects.filter(room_id=OuterRef("pk"), user_id=user_id)
            ),
            _names_departments=Exists(
                Room.allowed_departments.through.objects.filter(room_id=OuterRef("pk"))
            ),
        )
        .filter(pk=pk)
        .order_by()[:1]
    ),
    -1,
    -2,
    plan_once=True,  # a look-up by primary key: PostgreSQL plans it once per connection
)


def get_room_to_book(user: User, pk: int) -> Room:
    """`get_room_for_user(…, facilities=False)` for the booking write, in one statement.

    The room with its building and site (its time zone), whether the caller administers it
    and whether it names departments that may book it, so `can_book_room` and
    `can_administer_room` ask no further query in the common case.
    """
    found = _room_to_book(user.pk, pk) if user.is_authenticated and 0 < pk <= MAX_DB_ID else []
    room = found[0] if found else None
    if room is None or not (room.active or can_manage_rooms(user)):
        raise NotFound()
    room._administered_by = {user.pk: room._caller_administers}  # type: ignore[attr-defined]
    return room


def get_booking_for_user(user: User, pk: int) -> Booking:
    """A booking is visible to whoever may see its meeting and to the room's administrators."""
    booking = (
        Booking.objects.select_related("room__building__site", "meeting", "created_by")
        .filter(pk=pk)
        .first()
    )
    if booking is None or not can_see_booking_owner(user, booking):
        raise NotFound()
    return booking


def holding_in(
    room_ids: list[int], start: datetime, end: datetime, *, since: datetime | None = None
) -> QuerySet[Booking]:
    """Holding bookings of these rooms overlapping [start, end), buffers included. Uses the index.

    `since` is `start - LOOKBACK` (no booking starting earlier can reach `start`), given
    apart only by a prepared read, whose arguments must reach the SQL unchanged.
    """
    return Booking.objects.filter(
        room_id__in=room_ids,
        status__in=HOLDING,
        effective_start__lt=end,
        effective_end__gt=start,
        effective_start__gte=start - LOOKBACK if since is None else since,
    )


@dataclass
class Busy:
    room_id: int
    start: datetime
    end: datetime
    booking: Booking | None = None  # set only when the caller may see which meeting it is
    status: str = ""
    kind: str = "booking"  # or "blackout"
    reason: str = ""

    @property
    def booking_id(self) -> int | None:
        return self.booking.pk if self.booking else None


def busy_by_room(
    user: User, room_ids: list[int], start: datetime, end: datetime
) -> dict[int, list[Busy]]:
    """What blocks each room in the window: bookings (buffered) and blackouts. Three or four queries."""
    bookings = list(
        holding_in(room_ids, start, end)
        .select_related("meeting")
        .only(
            "id",
            "room_id",
            "start",
            "end",
            "effective_start",
            "effective_end",
            "status",
            "checked_in_at",
            "meeting__id",
            "meeting__title",
            "meeting__confidentiality",
            "meeting__created_by_id",
            "meeting__department_id",
            "meeting__stage",
            "meeting__start",
            "meeting__end",
        )
        .order_by("effective_start")
    )
    visible = _visible_meeting_ids(user, {b.meeting_id for b in bookings}, room_ids)
    result: dict[int, list[Busy]] = defaultdict(list)
    for b in bookings:
        shown = b if (b.meeting_id in visible or b.room_id in visible.admin_rooms) else None
        result[b.room_id].append(
            Busy(b.room_id, b.effective_start, b.effective_end, shown, b.status)
        )
    for bo in Blackout.objects.filter(room_id__in=room_ids, start__lt=end, end__gt=start):
        result[bo.room_id].append(
            Busy(bo.room_id, bo.start, bo.end, None, "", "blackout", bo.reason)
        )
    for items in result.values():
        items.sort(key=lambda x: x.start)
    return result


class Span(NamedTuple):
    """One busy interval of the availability API, as plain values (no model objects)."""

    start: datetime
    end: datetime
    booking_id: int | None  # None when the caller may not learn which meeting holds it
    status: str
    kind: str  # "booking" or "blackout"
    title: str | None  # the meeting's title (to who may see it) or the closure's reason


@dataclass
class RoomAvailability:
    room_id: int
    name: str
    code: str
    busy: list[Span]
    free: list[tuple[datetime, datetime]]


MAX_AVAILABILITY_ROOMS = 500


class _Interval(Protocol):
    @property
    def start(self) -> datetime: ...
    @property
    def end(self) -> datetime: ...


def free_between(
    busy: Sequence[_Interval],
    start: datetime,
    end: datetime,
    *,
    min_length: timedelta = timedelta(0),
) -> list[tuple[datetime, datetime]]:
    """The gaps of [start, end) that no busy item covers (items sorted by start), at least `min_length` long."""
    gaps: list[tuple[datetime, datetime]] = []
    cursor = start
    for item in busy:
        if item.start > cursor:
            gaps.append((cursor, min(item.start, end)))
        cursor = max(cursor, item.end)
        if cursor >= end:
            break
    if cursor < end:
        gaps.append((cursor, end))
    return [(s, e) for s, e in gaps if e > s and e - s >= min_length]


# The availability reads, compiled once per connection and shape (core.prepared): building
# them cost more than the database answering them. A list of room ids is padded (with its
# last id) to the next power of two, so a handful of shapes serve every list.
_AT, _UNTIL, _SINCE = (datetime(year, 1, 1, tzinfo=UTC) for year in (2001, 2002, 2000))


def _ids(size: int) -> tuple[int, ...]:
    return tuple(range(-10, -10 - size, -1))


def _padded(ids: list[int]) -> list[int]:
    size = 1 << max(len(ids) - 1, 0).bit_length()
    return ids + ids[-1:] * (size - len(ids))


@cache
def _rooms_read(admin: bool, size: int | None) -> Prepared[tuple[int, str, str, bool]]:
    """Rooms with whether the caller administers each: one building's (`size` None) or named."""

    def build(user_id: int, *where: int) -> QuerySet[Room, tuple[int, str, str, bool]]:
        rooms = Room.objects.all() if admin else Room.objects.filter(active=True)
        rooms = rooms.filter(building_id=where[0]) if size is None else rooms.filter(pk__in=where)
        administers = (
            Value(True)
            if admin
            else Exists(
                Room.administrators.through.objects.filter(room_id=OuterRef("pk"), user_id=user_id)
            )
        )
        return (
            rooms.annotate(administers=administers)
            .order_by("building_id", "code", "name", "id")
            .values_list("id", "name", "code", "administers")[:MAX_AVAILABILITY_ROOMS]
        )

    return Prepared(build, -1, *(_ids(1) if size is None else _ids(size)))


@cache
def _bookings_read(size: int) -> Prepared[tuple[Any, ...]]:
    """The rooms' holding bookings in a window, with the facts that say who may see each meeting."""

    def build(
        user_id: int, start: datetime, end: datetime, since: datetime, *ids: int
    ) -> QuerySet[Booking, tuple[Any, ...]]:
        on_meeting = Exists(
            Participant.objects.filter(meeting_id=OuterRef("meeting_id"), user_id=user_id)
        )
        return (
            holding_in(list(ids), start, end, since=since)
            .annotate(on_meeting=on_meeting)
            .order_by("effective_start")
            .values_list(
                "room_id",
                "effective_start",
                "effective_end",
                "status",
                "id",
                "meeting__title",
                "meeting__confidentiality",
                "meeting__department_id",
                "meeting__created_by_id",
                "on_meeting",
            )
        )

    return Prepared(build, -1, _AT, _UNTIL, _SINCE, *_ids(size))


@cache
def _closures_read(size: int) -> Prepared[tuple[int, datetime, datetime, str]]:
    return Prepared(
        lambda start, end, *ids: Blackout.objects.filter(
            room_id__in=ids, start__lt=end, end__gt=start
        ).values_list("room_id", "start", "end", "reason"),
        _AT,
        _UNTIL,
        *_ids(size),
    )


def availability(
    user: User,
    *,
    room_ids: list[int] | None = None,
    building_id: int | None = None,
    start: datetime,
    end: datetime,
    with_free: bool = False,
    min_free: timedelta = timedelta(0),
    closed: str = "",
) -> list[RoomAvailability]:
    """Busy intervals (and, asked for, free ones) of the rooms named or of one building's rooms.

    The rooms the caller may see (as `rooms_visible_to`), each busy item naming its booking only
    to who may see the meeting (`meeting_visibility`, judged from each row's meeting columns)
    or administers the room (as the grid). Plain values, no model objects: rooms with the
    caller's administration, every room's bookings in one range scan of the (room,
    effective_start, effective_end) index, closures. Three queries whatever the rooms and rows.
    `closed` titles a closure that gives no reason.
    """
    admin = can_manage_rooms(user)
    named = _padded(room_ids[:MAX_AVAILABILITY_ROOMS]) if room_ids else []
    if named:
        rooms = _rooms_read(admin, len(named))(user.pk, *named)
    elif room_ids is None and building_id is not None:
        rooms = _rooms_read(admin, None)(user.pk, building_id)
    else:
        rooms = []
    if not rooms:
        return []
    ids = _padded([r[0] for r in rooms])
    by_room: dict[int, list[Span]] = {r[0]: [] for r in rooms}
    administered = {r[0] for r in rooms if r[3]}
    sees = meeting_visibility(user)
    bookings = _bookings_read(len(ids))(user.pk, start, end, start - LOOKBACK, *ids)
    for room_id, b_start, b_end, status, pk, title, *facts in bookings:
        if room_id in administered or sees(*facts):
            by_room[room_id].append(Span(b_start, b_end, pk, status, "booking", title))
        else:
            by_room[room_id].append(Span(b_start, b_end, None, status, "booking", None))
    for room_id, b_start, b_end, reason in _closures_read(len(ids))(start, end, *ids):
        by_room[room_id].append(Span(b_start, b_end, None, "", "blackout", reason or closed))
    out = []
    for pk, name, code, _administers in rooms:
        busy = by_room[pk]
        busy.sort(key=attrgetter("start"))
        free = free_between(busy, start, end, min_length=min_free) if with_free else []
        out.append(RoomAvailability(pk, name, code, busy, free))
    return out


class _Visible(set[int]):
    admin_rooms: set[int]


def _visible_meeting_ids(user: User, meeting_ids: set[int], room_ids: list[int]) -> _Visible:
    visible = _Visible()
    visible.admin_rooms = set()
    if user.is_admin:
        visible.update(meeting_ids)
        visible.admin_rooms = set(room_ids)
        return visible
    if meeting_ids:
        visible.update(
            meetings_visible_to(user).filter(pk__in=meeting_ids).values_list("pk", flat=True)
        )
    visible.admin_rooms = set(
        user.administered_rooms.filter(pk__in=room_ids).values_list("pk", flat=True)
    )
    return visible


def bookings_of_meeting(meeting: Meeting) -> QuerySet[Booking]:
    return meeting.bookings.select_related("room__building", "series").order_by("start", "pk")


def pending_for_approver(user: User) -> list[Booking]:
    """The approvals page: pending bookings of rooms this user administers (every room for
    admins), their own included (they may confirm it: `BOOKING.own_allowed`)."""
    if not user.is_authenticated:
        return []
    return [b for b in pending_bookings([user]) if can_administer_room(user, b.room)]


def meetings_bookable_by(user: User) -> QuerySet[Meeting]:
    """Meetings the user may book rooms for (manages, still being planned)."""
    qs = Meeting.objects.exclude(stage__in=OVER_STAGES)
    if not user.is_admin:
        qs = qs.filter(
            Q(created_by=user)
            | Q(participants__user=user, participants__role=MeetingRole.ORGANISER)
        ).distinct()
    return qs.order_by("start")


# ---------------------------------------------------------------- the building grid


@dataclass
class GridCell:
    """One half-hour of one room, with its state worked out here so the template only prints.

    `state` is "busy", "past" or "free"; `css` the cell's class; `label` the busy item's
    local "HH:MM–HH:MM title"; `value` the free cell's "<room id>|<ISO start>"; `hhmm` its time.
    """

    start: datetime
    end: datetime
    busy: Busy | None = None
    past: bool = False
    state: str = "free"
    css: str = "free"
    label: str = ""
    value: str = ""
    hhmm: str = ""
    in_meeting: bool = False  # inside the chosen meeting's own time


def day_slots(
    day: date, tz: Any, *, first_hour: int = 8, last_hour: int = 20, step_minutes: int = 30
) -> list[tuple[datetime, datetime]]:
    start = datetime.combine(day, time(first_hour), tzinfo=tz)
    out = []
    t = start
    while t.hour < last_hour and t.date() == day:
        out.append((t, t + timedelta(minutes=step_minutes)))
        t += timedelta(minutes=step_minutes)
    return out


def _busy_label(item: Busy, tz: Any) -> str:
    text = f"{item.start.astimezone(tz):%H:%M}–{item.end.astimezone(tz):%H:%M}"
    if item.booking:
        return f"{text} {item.booking.meeting.title}"
    return f"{text} {item.reason}".strip()


def _day_cells(
    room: Room, items: list[Busy], slots: list[tuple[datetime, datetime]], now: datetime, tz: Any
) -> list[GridCell]:
    """Walk the room's busy items (sorted by start) and the slots together: no slots × items scan."""
    cells: list[GridCell] = []
    labels: dict[int, str] = {}
    book_at = _("Book %(room)s at %(time)s")
    first = 0
    for s, e in slots:
        while first < len(items) and items[first].end <= s:
            first += 1
        hit = None
        for j in range(first, len(items)):
            b = items[j]
            if b.start >= e:
                break
            if b.end > s:
                hit = b
                break
        if hit is not None:
            if id(hit) not in labels:
                labels[id(hit)] = _busy_label(hit, tz)
            css = " ".join(
                filter(None, ("busy", hit.status, "blackout" if hit.kind == "blackout" else ""))
            )
            cells.append(GridCell(s, e, hit, e <= now, "busy", css, labels[id(hit)]))
        elif e <= now:
            cells.append(GridCell(s, e, None, True, "past", "past"))
        else:
            local = s.astimezone(tz)
            hhmm = f"{local:%H:%M}"
            cells.append(
                GridCell(
                    s,
                    e,
                    state="free",
                    css="free",
                    label=book_at % {"room": room.name, "time": hhmm},
                    value=f"{room.pk}|{local.isoformat()}",
                    hhmm=hhmm,
                )
            )
    return cells


def _grid_rooms(user: User, building: Building) -> list[Room]:
    return list(
        rooms_visible_to(user).filter(building=building).order_by("floor__level", "code", "name")
    )


def _hours_for(day: date, tz: Any, meeting: Meeting | None) -> tuple[int, int]:
    """08:00–20:00, widened to show the meeting's own time on its day (a 07:00 or 21:00 meeting)."""
    first, last = 8, 20
    if meeting is not None:
        start, end = meeting.start.astimezone(tz), meeting.end.astimezone(tz)
        if start.date() == day:
            first = min(first, start.hour)
        if end.date() == day:
            last = max(last, end.hour + (1 if end.minute else 0))
        elif start.date() == day:
            last = 24
    return first, last


def building_grid(
    user: User,
    building: Building,
    day: date,
    *,
    days: int = 1,
    now: datetime,
    meeting: Meeting | None = None,
) -> dict[str, Any]:
    """Rooms × half-hour slots for `days` days. Query count is fixed, whatever the rows.

    With a `meeting`, its own time is marked on the grid, and each room that is free for all
    of it (`whole_free`) can be booked for exactly that time.
    """
    tz = zone(building.site.time_zone)
    rooms = _grid_rooms(user, building)
    slots: list[tuple[datetime, datetime]] = []
    for offset in range(days):
        first, last = _hours_for(day + timedelta(days=offset), tz, meeting)
        slots += day_slots(day + timedelta(days=offset), tz, first_hour=first, last_hour=last)
    window_start, window_end = slots[0][0], slots[-1][1]
    if meeting is not None:
        window_start, window_end = min(window_start, meeting.start), max(window_end, meeting.end)
    busy = busy_by_room(user, [r.pk for r in rooms], window_start, window_end)
    rows = []
    for room in rooms:
        items = busy.get(room.pk, [])
        cells = _day_cells(room, items, slots, now, tz)
        whole_free = False
        if meeting is not None:
            for cell in cells:
                cell.in_meeting = cell.start < meeting.end and cell.end > meeting.start
            whole_free = meeting.end > now and not any(
                b.start < meeting.end and b.end > meeting.start for b in items
            )
        rows.append({"room": room, "cells": cells, "whole_free": whole_free})
    header = [(s, meeting is not None and s < meeting.end and e > meeting.start) for s, e in slots]
    return {"rooms": rooms, "slots": slots, "header": header, "rows": rows, "tz": tz}


@dataclass
class WeekItem:
    status: str
    label: str


def building_week(user: User, building: Building, monday: date) -> dict[str, Any]:
    """Rooms × seven days, each day a list of what holds the room between 08:00 and 20:00.

    No half-hour cells: the week view only lists bookings, so it is rooms × items, not
    rooms × 168 slots. Query count is fixed.
    """
    tz = zone(building.site.time_zone)
    rooms = _grid_rooms(user, building)
    days = [monday + timedelta(days=i) for i in range(7)]
    windows = [(day_slots(d, tz)[0][0], day_slots(d, tz)[-1][1]) for d in days]
    busy = busy_by_room(user, [r.pk for r in rooms], windows[0][0], windows[-1][1])
    closed = str(_("Closed"))
    rows = []
    for room in rooms:
        per_day: list[tuple[date, list[WeekItem]]] = []
        items = busy.get(room.pk, [])
        for d, (ws, we) in zip(days, windows, strict=True):
            shown = []
            for b in items:
                if b.start < we and b.end > ws:
                    title = (
                        b.booking.meeting.title
                        if b.booking
                        else (closed if b.kind == "blackout" else "")
                    )
                    text = f"{b.start.astimezone(tz):%H:%M}–{b.end.astimezone(tz):%H:%M} {title}"
                    shown.append(WeekItem(b.status, text.strip()))
            per_day.append((d, shown))
        rows.append({"room": room, "days": per_day})
    return {"rooms": rooms, "rows": rows, "days": days, "tz": tz}


# ---------------------------------------------------------------- occupancy


def _open_minutes(room: Room, start: date, end: date) -> int:
    """Minutes the room is bookable between two dates (default 09:00–18:00 on weekdays)."""
    if room.open_time and room.close_time:
        per_day = (
            datetime.combine(date.min, room.close_time) - datetime.combine(date.min, room.open_time)
        ).seconds // 60
        weekdays = room.open_weekdays
    else:
        per_day, weekdays = 9 * 60, "12345"
    total, d = 0, start
    while d < end:
        if str(d.isoweekday()) in weekdays:
            total += per_day
        d += timedelta(days=1)
    return total


def occupancy(
    user: User, *, start: date, end: date, building: Building | None = None
) -> dict[str, Any]:
    """Utilisation per room and per organising department over [start, end): confirmed booked minutes
    against the room's bookable minutes."""
    from django.utils import timezone

    tz = timezone.get_default_timezone()
    window_start = datetime.combine(start, time.min, tzinfo=tz)
    window_end = datetime.combine(end, time.min, tzinfo=tz)
    rooms = list(rooms_visible_to(user).filter(**({"building": building} if building else {})))
    room_ids = [r.pk for r in rooms]
    rows = Booking.objects.filter(
        room_id__in=room_ids,
        status=BookingStatus.CONFIRMED,
        start__lt=window_end,
        end__gt=window_start,
        start__gte=window_start - LOOKBACK,
    ).values_list("room_id", "start", "end", "meeting__department__name")
    booked_room: dict[int, int] = defaultdict(int)
    booked_dept: dict[str, int] = defaultdict(int)
    for room_id, s, e, dept in rows:
        minutes = int((min(e, window_end) - max(s, window_start)).total_seconds() // 60)
        booked_room[room_id] += minutes
        booked_dept[dept or ""] += minutes
    per_room = []
    total_open = 0
    for room in rooms:
        open_min = _open_minutes(room, start, end)
        total_open += open_min
        pct = round(100 * booked_room[room.pk] / open_min, 1) if open_min else 0.0
        per_room.append(
            {
                "room": room,
                "booked_hours": round(booked_room[room.pk] / 60, 1),
                "percent": min(pct, 100.0),
            }
        )
    per_dept = [
        {
            "department": name,
            "booked_hours": round(m / 60, 1),
            "percent": round(100 * m / total_open, 1) if total_open else 0.0,
        }
        for name, m in sorted(booked_dept.items(), key=lambda kv: -kv[1])
    ]
    total_booked = sum(booked_room.values())
    return {
        "rooms": per_room,
        "departments": per_dept,
        "overall": round(100 * total_booked / total_open, 1) if total_open else 0.0,
    }


# ---------------------------------------------------------------- waiting list


def waitlist_of(user: User) -> QuerySet[WaitlistEntry]:
    """The entries the user queued or that are for meetings the user organises, newest first."""
    qs = WaitlistEntry.objects.select_related("room__building", "meeting", "booking")
    if not user.is_authenticated:
        return qs.none()
    mine = (
        Q(created_by=user)
        | Q(meeting__created_by=user)
        | Q(
            meeting__participants__user=user,
            meeting__participants__role=MeetingRole.ORGANISER,
        )
    )
    ids = WaitlistEntry.objects.filter(mine).values("pk")
    return qs.filter(pk__in=ids).order_by("-created_at", "-id")


def get_waitlist_entry_for_user(user: User, pk: int) -> WaitlistEntry:
    """404 for entries the user neither queued nor organises: same answer as a missing one."""
    entry = waitlist_of(user).filter(pk=pk).first()
    if entry is None:
        raise NotFound()
    return entry


# ---------------------------------------------------------------- external venues


def external_venues_visible_to(user: User) -> QuerySet[ExternalVenue]:
    """Like rooms, external venues are not secret to signed-in users."""
    qs = ExternalVenue.objects.order_by("name", "pk")
    return qs if user.is_authenticated else qs.none()


def get_external_venue_for_user(user: User, pk: int) -> ExternalVenue:
    venue = external_venues_visible_to(user).filter(pk=pk).first()
    if venue is None:
        raise NotFound()
    return venue
