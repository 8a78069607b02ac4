"""Venues API: rooms, availability, bookings, series, waiting list, scheduling suggestions.

Mounted at the API root with full paths (`/rooms`, `/bookings`, `/meetings/{id}/bookings`,
`/scheduling/suggestions`), none of which the meetings router defines.
"""

import json
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from ninja.responses import NinjaJSONEncoder

from meetops.core.errors import NotFound, ValidationFailed
from meetops.core.schemas import MAX_DB_ID, ApiDatetime, DbId, Input, Pagination, TimeOfDay
from meetops.core.validation import Money, SaneDate, SaneDatetime
from meetops.core.web import AuthedRequest
from meetops.meetings.selectors import get_meeting_for_hot_path, get_meeting_for_user
from meetops.people.models import Department, User
from meetops.venues import selectors, suggestions
from meetops.venues.models import Booking, Building, ExternalVenue, Floor, Layout, Room
from meetops.venues.services import booking as booking_services
from meetops.venues.services import rooms as room_services
from meetops.venues.services import waitlist as waitlist_services
from meetops.venues.services.series import book_series

router = Router(tags=["venues"])

MAX_AVAILABILITY_WINDOW = timedelta(days=62)


class ExternalVenueOut(Schema):
    id: int
    name: str
    kind: str
    address: str
    contact_name: str
    contact_phone: str
    contact_email: str
    cost_per_day: Decimal | None
    currency: str
    notes: str


class ExternalVenueIn(Schema):
    name: str = Field(..., max_length=200)
    kind: ExternalVenue.Kind = ExternalVenue.Kind.HOTEL
    address: str = Field("", max_length=300)
    contact_name: str = Field("", max_length=150)
    contact_phone: str = Field("", max_length=40)
    contact_email: str = Field("", max_length=254)
    cost_per_day: Money | None = None
    currency: str = Field("CNY", min_length=3, max_length=3)
    notes: str = Field("", max_length=5000)


class ExternalVenuePatch(Schema):
    name: str | None = Field(None, max_length=200)
    kind: ExternalVenue.Kind | None = None
    address: str | None = Field(None, max_length=300)
    contact_name: str | None = Field(None, max_length=150)
    contact_phone: str | None = Field(None, max_length=40)
    contact_email: str | None = Field(None, max_length=254)
    cost_per_day: Money | None = None
    currency: str | None = Field(None, min_length=3, max_length=3)
    notes: str | None = Field(None, max_length=5000)


class RoomOut(Schema):
    id: int
    code: str
    name: str
    building_id: DbId | None
    building: str | None
    floor_id: DbId | None
    external_venue_id: DbId | None
    capacity: int
    layout: str
    facilities: list[str]
    description: str
    requires_approval: bool
    buffer_minutes: int
    max_booking_minutes: int | None
    bookable_days_ahead: int | None
    open_time: TimeOfDay | None
    close_time: TimeOfDay | None
    open_weekdays: str
    release_if_no_checkin_minutes: int | None
    allowed_roles: list[str]
    active: bool
    external_venue: ExternalVenueOut | None = None

    @staticmethod
    def resolve_building(obj: Room) -> str | None:
        return obj.building.name if obj.building_id and obj.building else None

    @staticmethod
    def resolve_facilities(obj: Room) -> list[str]:
        return [f.code for f in obj.facilities.all()]


class RoomIn(Schema):
    name: str = Field(..., max_length=200)
    capacity: int = Field(..., ge=1, le=100_000)
    code: str = Field("", max_length=40)
    building_id: DbId | None = None
    floor_id: DbId | None = None
    external_venue_id: DbId | None = None
    layout: Layout = Layout.BOARDROOM
    facilities: list[str] = Field(default_factory=list, max_length=50)
    description: str = Field("", max_length=5000)
    requires_approval: bool = False
    buffer_minutes: int = Field(0, ge=0, le=booking_services.MAX_BUFFER_MINUTES)
    max_booking_minutes: int | None = Field(None, ge=1)
    bookable_days_ahead: int | None = Field(None, ge=0)
    open_time: TimeOfDay | None = None
    close_time: TimeOfDay | None = None
    open_weekdays: str = Field("1234567", max_length=7)
    release_if_no_checkin_minutes: int | None = Field(None, ge=1)
    allowed_roles: list[str] = Field(default_factory=list, max_length=10)
    allowed_department_ids: list[DbId] = Field(default_factory=list, max_length=200)
    administrator_ids: list[DbId] = Field(default_factory=list, max_length=200)


class RoomPatch(Schema):
    name: str | None = Field(None, max_length=200)
    capacity: int | None = Field(None, ge=1, le=100_000)
    code: str | None = Field(None, max_length=40)
    building_id: DbId | None = None
    floor_id: DbId | None = None
    external_venue_id: DbId | None = None
    layout: Layout | None = None
    facilities: list[str] | None = Field(None, max_length=50)
    description: str | None = Field(None, max_length=5000)
    requires_approval: bool | None = None
    buffer_minutes: int | None = Field(None, ge=0, le=booking_services.MAX_BUFFER_MINUTES)
    max_booking_minutes: int | None = Field(None, ge=1)
    bookable_days_ahead: int | None = Field(None, ge=0)
    open_time: TimeOfDay | None = None
    close_time: TimeOfDay | None = None
    open_weekdays: str | None = Field(None, max_length=7)
    release_if_no_checkin_minutes: int | None = Field(None, ge=1)
    allowed_roles: list[str] | None = Field(None, max_length=10)
    allowed_department_ids: list[DbId] | None = Field(None, max_length=200)
    administrator_ids: list[DbId] | None = Field(None, max_length=200)
    active: bool | None = None


class RoomFilter(Schema):
    building_id: DbId | None = None
    min_capacity: int | None = None
    facility: list[str] = Field(default_factory=list)


def _room_fields(data: dict[str, Any]) -> dict[str, Any]:
    """API names → service arguments (ids → rows, enums → codes)."""
    fields = dict(data)
    if "layout" in fields and fields["layout"] is not None:
        fields["layout"] = str(getattr(fields["layout"], "value", fields["layout"]))
    for key, model, target in (
        ("building_id", Building, "building"),
        ("floor_id", Floor, "floor"),
        ("external_venue_id", ExternalVenue, "external_venue"),
    ):
        if key in fields:
            pk = fields.pop(key)
            fields[target] = model.objects.filter(pk=pk).first() if pk else None
            if pk and fields[target] is None:
                raise ValidationFailed(
                    _("Unknown %(what)s.") % {"what": target}, f"unknown_{target}", field=key
                )
    if "allowed_department_ids" in fields:
        ids = fields.pop("allowed_department_ids")
        fields["allowed_departments"] = (
            None if ids is None else list(Department.objects.filter(pk__in=ids))
        )
    if "administrator_ids" in fields:
        ids = fields.pop("administrator_ids")
        fields["administrators"] = (
            None if ids is None else list(User.objects.filter(pk__in=ids, is_active=True))
        )
    return fields


@router.get("/rooms", response=list[RoomOut], summary="Rooms")
@paginate(Pagination)
def list_rooms(request: AuthedRequest, filters: Query[RoomFilter]) -> QuerySet[Room]:
    qs = selectors.filter_rooms(
        selectors.rooms_visible_to(request.user),
        building_id=filters.building_id,
        min_capacity=filters.min_capacity,
        facilities=filters.facility,
    )
    return qs.order_by("pk")


@router.post("/rooms", response={201: RoomOut}, summary="Add a room (administrators)")
def create_room(request: AuthedRequest, payload: RoomIn) -> Status:
    fields = _room_fields(payload.dict())
    room = room_services.create_room(actor=request.user, **fields)
    return Status(201, selectors.get_room_for_user(request.user, room.pk))


@router.get("/rooms/{int:room_id}", response=RoomOut)
def read_room(request: AuthedRequest, room_id: int) -> Room:
    return selectors.get_room_for_user(request.user, room_id)


@router.patch("/rooms/{int:room_id}", response=RoomOut, summary="Change some fields of a room")
def update_room(request: AuthedRequest, room_id: int, payload: RoomPatch) -> Room:
    room = selectors.get_room_for_user(request.user, room_id)
    fields = _room_fields(payload.dict(exclude_unset=True))
    room_services.update_room(room, actor=request.user, **fields)
    return selectors.get_room_for_user(request.user, room_id)


@router.put(
    "/rooms/{int:room_id}", response=RoomOut, summary="Change a room (fields left out stay)"
)
def replace_room(request: AuthedRequest, room_id: int, payload: RoomPatch) -> Room:
    return update_room(request, room_id, payload)


class ClosureIn(Input):
    start: ApiDatetime
    end: ApiDatetime
    reason: str = Field("", max_length=300)


class ClosureOut(Schema):
    id: int
    start: datetime
    end: datetime
    reason: str


@router.get("/rooms/{int:room_id}/closures", response=list[ClosureOut], summary="Room closures")
def list_closures(request: AuthedRequest, room_id: int) -> object:
    room = selectors.get_room_for_user(request.user, room_id)
    return room.blackouts.order_by("start")


@router.post(
    "/rooms/{int:room_id}/closures",
    response={201: ClosureOut},
    summary="Close a room (room administrators); refused over bookings or another closure",
)
def create_closure(request: AuthedRequest, room_id: int, payload: ClosureIn) -> Status:
    room = selectors.get_room_for_user(request.user, room_id)
    closure = room_services.add_blackout(
        room, start=payload.start, end=payload.end, reason=payload.reason, actor=request.user
    )
    return Status(201, closure)


@router.delete(
    "/rooms/{int:room_id}/closures/{int:closure_id}", response={204: None}, summary="Reopen"
)
def delete_closure(request: AuthedRequest, room_id: int, closure_id: int) -> Status:
    room = selectors.get_room_for_user(request.user, room_id)
    closure = room.blackouts.filter(pk=closure_id).first()
    if closure is None:
        raise NotFound()
    room_services.remove_blackout(closure, actor=request.user)
    return Status(204, None)


JSON = "application/json; charset=utf-8"  # what the API's renderer answers


class BusyOut(Schema):
    start: datetime
    end: datetime
    booking_id: DbId | None = None
    status: str | None = None
    kind: str = "booking"


class AvailabilityOut(Schema):
    busy: list[BusyOut]


class WindowQuery(Schema):
    start: SaneDatetime
    end: SaneDatetime


def _check_window(start: datetime, end: datetime) -> None:
    if end <= start or end - start > MAX_AVAILABILITY_WINDOW:
        raise ValidationFailed(
            _("The window must end after it starts and span at most 62 days."),
            "invalid_window",
            field="end",
        )


@router.get(
    "/rooms/{int:room_id}/availability", response=AvailabilityOut, summary="When the room is taken"
)
def availability(
    request: AuthedRequest, room_id: int, window: Query[WindowQuery]
) -> AvailabilityOut:
    room = selectors.get_room_for_user(request.user, room_id)
    _check_window(window.start, window.end)
    busy = selectors.busy_by_room(request.user, [room.pk], window.start, window.end).get(
        room.pk, []
    )
    return AvailabilityOut(
        busy=[
            BusyOut(
                start=b.start,
                end=b.end,
                booking_id=b.booking_id,
                status=b.status or None,
                kind=b.kind,
            )
            for b in busy
        ]
    )


class SpanOut(Schema):
    start: datetime
    end: datetime


class RoomBusyOut(BusyOut):
    title: str | None = Field(
        None, description="The meeting's title (to who may see it) or the closure's reason"
    )


class RoomAvailabilityOut(Schema):
    room_id: int
    name: str
    code: str
    busy: list[RoomBusyOut]
    free: list[SpanOut] = Field(..., description="Only with free=true")


class AvailabilityListOut(Schema):
    start: datetime
    end: datetime
    rooms: list[RoomAvailabilityOut]


class AvailabilityQuery(Schema):
    rooms: str | None = Field(
        None, max_length=4000, description="Room ids, comma-separated (or give building)"
    )
    building: DbId | None = None
    start: SaneDatetime
    end: SaneDatetime
    free: bool = Field(False, description="Also list the free intervals of the window")
    min_free_minutes: int = Field(0, ge=0, le=24 * 60)


def _room_ids(text: str) -> list[int]:
    try:
        ids = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        ids = []
    if not ids or any(not 0 < i <= MAX_DB_ID for i in ids):
        raise ValidationFailed(
            _("Give room ids separated by commas."), "invalid_rooms", field="rooms"
        )
    return ids


_ENCODER = NinjaJSONEncoder()


@router.get(
    "/availability",
    response=AvailabilityListOut,
    summary="When rooms are taken (and free), for several rooms or a building",
)
def availability_of_rooms(request: AuthedRequest, params: Query[AvailabilityQuery]) -> HttpResponse:
    if (params.rooms is None) == (params.building is None):
        raise ValidationFailed(
            _("Give either rooms or building."), "rooms_or_building", field="rooms"
        )
    _check_window(params.start, params.end)
    rooms = selectors.availability(
        request.user,
        room_ids=_room_ids(params.rooms) if params.rooms is not None else None,
        building_id=params.building,
        start=params.start,
        end=params.end,
        with_free=params.free,
        min_free=timedelta(minutes=params.min_free_minutes),
        closed=_("Closed"),
    )
    # Built as plain values and strings, encoded the way the schema would be: validating hundreds
    # of intervals through the response schema cost more than the query. A week's intervals
    # share few distinct times: each is written out once, as the API's JSON encoder writes it
    # (keyed with its zone too: the same instant in the window's zone is written differently).
    stamps: dict[tuple[datetime, Any], str] = {}

    def stamp(moment: datetime) -> str:
        key = (moment, moment.tzinfo)
        text = stamps.get(key)
        if text is None:
            text = stamps[key] = _ENCODER.default(moment)
        return text

    body = {
        "start": stamp(params.start),
        "end": stamp(params.end),
        "rooms": [
            {
                "room_id": r.room_id,
                "name": r.name,
                "code": r.code,
                "busy": [
                    {
                        "start": stamp(b.start),
                        "end": stamp(b.end),
                        "booking_id": b.booking_id,
                        "status": b.status or None,
                        "kind": b.kind,
                        "title": b.title,
                    }
                    for b in r.busy
                ],
                "free": [{"start": stamp(s), "end": stamp(e)} for s, e in r.free],
            }
            for r in rooms
        ],
    }
    return HttpResponse(json.dumps(body), content_type=JSON)


class BookingIn(Schema):
    room_id: DbId
    start: SaneDatetime
    end: SaneDatetime
    note: str = Field("", max_length=300)
    # Empty: for the whole meeting (it should cover the meeting's time). Named: that part only.
    part: str = Field("", max_length=100)


class BookingOut(Schema):
    id: int
    room_id: DbId
    meeting_id: DbId
    start: datetime
    end: datetime
    status: str
    series_id: DbId | None
    checked_in_at: datetime | None
    note: str
    part: str = ""
    # Set when the meeting moved and this booking could not follow: why (booking_conflict, ...).
    not_moved: str = ""


class BookingList(Schema):
    items: list[BookingOut]


@router.post(
    "/meetings/{int:meeting_id}/bookings",
    response={201: BookingOut},
    summary="Book a room for the meeting",
)
def create_booking(request: AuthedRequest, meeting_id: int, payload: BookingIn) -> Status:
    meeting = get_meeting_for_hot_path(request.user, meeting_id, write=True)
    room = selectors.get_room_to_book(request.user, payload.room_id)
    booking = booking_services.book_room(
        room,
        meeting=meeting,
        start=payload.start,
        end=payload.end,
        actor=request.user,
        note=payload.note,
        part=payload.part,
    )
    return Status(201, booking)


@router.get(
    "/meetings/{int:meeting_id}/bookings",
    response=BookingList,
    summary="The meeting's room bookings",
)
def list_meeting_bookings(request: AuthedRequest, meeting_id: int) -> dict[str, list[Booking]]:
    meeting = get_meeting_for_user(request.user, meeting_id)
    return {"items": list(selectors.bookings_of_meeting(meeting))}


class SeriesIn(Schema):
    room_id: DbId
    rule: str = Field(
        ...,
        max_length=500,
        description='"weekly", "monthly" or an RRULE such as "FREQ=WEEKLY;BYDAY=MO;COUNT=10"',
    )
    first_start: SaneDatetime
    duration_minutes: int = Field(..., ge=1, le=24 * 60)
    count: int | None = Field(None, ge=1, le=200)
    skip_conflicts: bool = False


class SeriesOut(Schema):
    series_id: DbId
    items: list[BookingOut]
    skipped: list[dict]


@router.post(
    "/meetings/{int:meeting_id}/booking-series",
    response={201: SeriesOut},
    summary="Book a recurring series",
)
def create_series(request: AuthedRequest, meeting_id: int, payload: SeriesIn) -> Status:
    meeting = get_meeting_for_user(request.user, meeting_id, write=True)
    room = selectors.get_room_for_user(request.user, payload.room_id)
    result = book_series(
        room,
        meeting=meeting,
        rule=payload.rule,
        first_start=payload.first_start,
        duration_minutes=payload.duration_minutes,
        count=payload.count,
        skip_conflicts=payload.skip_conflicts,
        actor=request.user,
    )
    out = {"series_id": result.series.pk, "items": result.bookings, "skipped": result.problems}
    return Status(201, out)


@router.get("/bookings/{int:booking_id}", response=BookingOut)
def read_booking(request: AuthedRequest, booking_id: int) -> object:
    return selectors.get_booking_for_user(request.user, booking_id)


def _reason(request: AuthedRequest) -> str:
    """The optional `{"reason": "..."}` body of cancel and reject; an empty body is fine."""
    import json

    if not request.body or "json" not in (request.content_type or ""):
        return ""
    try:
        data = json.loads(request.body or b"{}")
    except ValueError as exc:
        raise ValidationFailed(_("The request body is not valid JSON."), "invalid_input") from exc
    return str(data.get("reason", "") if isinstance(data, dict) else "")[:1000]


@router.post("/bookings/{int:booking_id}/cancel", response=BookingOut, summary="Give the room back")
def cancel_booking(request: AuthedRequest, booking_id: int) -> object:
    booking = selectors.get_booking_for_user(request.user, booking_id)
    return booking_services.cancel_booking(booking, actor=request.user, reason=_reason(request))


@router.post(
    "/bookings/{int:booking_id}/approve", response=BookingOut, summary="Confirm a pending booking"
)
def approve_booking(request: AuthedRequest, booking_id: int) -> object:
    booking = selectors.get_booking_for_user(request.user, booking_id)
    return booking_services.approve_booking(booking, actor=request.user)


@router.post(
    "/bookings/{int:booking_id}/reject", response=BookingOut, summary="Refuse a pending booking"
)
def reject_booking(request: AuthedRequest, booking_id: int) -> object:
    booking = selectors.get_booking_for_user(request.user, booking_id)
    return booking_services.reject_booking(booking, actor=request.user, reason=_reason(request))


@router.post(
    "/bookings/{int:booking_id}/check-in", response=BookingOut, summary="Check the booking in"
)
def check_in_booking(request: AuthedRequest, booking_id: int) -> object:
    booking = selectors.get_booking_for_user(request.user, booking_id)
    return booking_services.check_in(booking, actor=request.user)


class MoveIn(Schema):
    start: SaneDatetime
    end: SaneDatetime


@router.post(
    "/bookings/{int:booking_id}/move",
    response=BookingOut,
    summary="Move a booking (or one occurrence)",
)
def move_booking(request: AuthedRequest, booking_id: int, payload: MoveIn) -> object:
    booking = selectors.get_booking_for_user(request.user, booking_id)
    return booking_services.move_booking(
        booking, start=payload.start, end=payload.end, actor=request.user
    )


class WaitlistIn(Schema):
    meeting_id: DbId
    start: SaneDatetime
    end: SaneDatetime


class WaitlistOut(Schema):
    id: int
    room_id: DbId
    meeting_id: DbId
    start: datetime
    end: datetime
    status: str
    booking_id: DbId | None


@router.post(
    "/rooms/{int:room_id}/waitlist", response={201: WaitlistOut}, summary="Queue for a taken slot"
)
def join_waitlist(request: AuthedRequest, room_id: int, payload: WaitlistIn) -> Status:
    room = selectors.get_room_for_user(request.user, room_id)
    meeting = get_meeting_for_user(request.user, payload.meeting_id, write=True)
    entry = booking_services.join_waitlist(
        room, meeting=meeting, start=payload.start, end=payload.end, actor=request.user
    )
    return Status(201, entry)


@router.get("/waitlist", response=list[WaitlistOut], summary="My waiting-list entries")
@paginate(Pagination)
def list_waitlist(request: AuthedRequest) -> object:
    return selectors.waitlist_of(request.user)


@router.get("/waitlist/{int:entry_id}", response=WaitlistOut)
def read_waitlist_entry(request: AuthedRequest, entry_id: int) -> object:
    return selectors.get_waitlist_entry_for_user(request.user, entry_id)


@router.post(
    "/waitlist/{int:entry_id}/withdraw", response=WaitlistOut, summary="Leave the waiting list"
)
def withdraw_waitlist_entry(request: AuthedRequest, entry_id: int) -> object:
    entry = selectors.get_waitlist_entry_for_user(request.user, entry_id)
    return waitlist_services.withdraw_waitlist_entry(entry, actor=request.user)


@router.delete("/waitlist/{int:entry_id}", response=WaitlistOut, summary="Leave the waiting list")
def delete_waitlist_entry(request: AuthedRequest, entry_id: int) -> object:
    return withdraw_waitlist_entry(request, entry_id)


@router.get(
    "/external-venues", response=list[ExternalVenueOut], summary="Hotels, conference centres"
)
@paginate(Pagination)
def list_external_venues(request: AuthedRequest) -> object:
    return selectors.external_venues_visible_to(request.user)


@router.post("/external-venues", response={201: ExternalVenueOut}, summary="Add an external venue")
def create_external_venue(request: AuthedRequest, payload: ExternalVenueIn) -> Status:
    fields = payload.dict()
    fields["kind"] = str(getattr(fields["kind"], "value", fields["kind"]))
    venue = room_services.save_external_venue(None, actor=request.user, **fields)
    return Status(201, venue)


@router.patch("/external-venues/{int:venue_id}", response=ExternalVenueOut)
def update_external_venue(
    request: AuthedRequest, venue_id: int, payload: ExternalVenuePatch
) -> object:
    venue = selectors.get_external_venue_for_user(request.user, venue_id)
    fields = payload.dict(exclude_unset=True)
    if fields.get("kind") is not None:
        fields["kind"] = str(getattr(fields["kind"], "value", fields["kind"]))
    return room_services.save_external_venue(venue, actor=request.user, **fields)


class SuggestionIn(Schema):
    required: list[int] = Field(default_factory=list, max_length=500)
    optional: list[int] = Field(default_factory=list, max_length=500)
    duration_minutes: int = Field(..., ge=15, le=12 * 60)
    window_start: SaneDate | SaneDatetime
    window_end: SaneDate | SaneDatetime
    capacity: int | None = Field(None, ge=1)
    facilities: list[str] = Field(default_factory=list, max_length=50)
    preferred_building_id: DbId | None = None
    limit: int = Field(10, ge=1, le=50)


class SuggestionOut(Schema):
    start: datetime
    end: datetime
    room_id: DbId | None
    score: float
    reasons: list[str]


class SuggestionList(Schema):
    items: list[SuggestionOut]


@router.post("/scheduling/suggestions", response=SuggestionList, summary="Propose times and rooms")
def suggest(request: AuthedRequest, payload: SuggestionIn) -> SuggestionList:
    people = {
        u.pk: u
        for u in User.objects.filter(pk__in=[*payload.required, *payload.optional], is_active=True)
    }
    missing = [pk for pk in [*payload.required, *payload.optional] if pk not in people]
    if missing:
        raise ValidationFailed(_("Unknown people."), "unknown_user", field="required", ids=missing)
    building = (
        Building.objects.filter(pk=payload.preferred_building_id).first()
        if payload.preferred_building_id
        else None
    )
    items = suggestions.suggest_slots(
        required=[people[pk] for pk in payload.required],
        optional=[people[pk] for pk in payload.optional],
        duration=timedelta(minutes=payload.duration_minutes),
        window=(suggestions.as_date(payload.window_start), suggestions.as_date(payload.window_end)),
        capacity=payload.capacity,
        facilities=payload.facilities,
        preferred_building=building,
        actor=request.user,
        limit=payload.limit,
    )
    return SuggestionList(
        items=[
            SuggestionOut(
                start=s.start,
                end=s.end,
                room_id=s.room.pk if s.room else None,
                score=s.score,
                reasons=s.reasons,
            )
            for s in items
        ]
    )
