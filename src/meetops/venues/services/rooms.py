"""Writes for rooms: create, update, photos, blackouts."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from meetops.core import audit
from meetops.core.errors import DomainError, PermissionDenied, ValidationFailed
from meetops.core.filetypes import image_type
from meetops.people.models import Department, Role, User
from meetops.venues.models import (
    Blackout,
    Building,
    ExternalVenue,
    Facility,
    Floor,
    Layout,
    Room,
    RoomPhoto,
    Site,
)
from meetops.venues.permissions import can_administer_room, can_manage_rooms
from meetops.venues.services.booking import (
    MAX_BUFFER_MINUTES,
    _lock_room,
    _offer_freed_slot,
    holding_overlaps,
)

ROOM_FIELDS = [
    "code",
    "name",
    "building",
    "floor",
    "external_venue",
    "capacity",
    "layout",
    "description",
    "open_time",
    "close_time",
    "open_weekdays",
    "max_booking_minutes",
    "bookable_days_ahead",
    "buffer_minutes",
    "requires_approval",
    "release_if_no_checkin_minutes",
    "allowed_roles",
    "active",
]
# Fields only system administrators change: where the room is, its code, whether it exists.
# Room administrators change how it is booked (the rest of ROOM_FIELDS and the M2M lists).
ADMIN_ONLY_FIELDS = {"code", "building", "floor", "external_venue", "active"}
MAX_PHOTO_BYTES = 5 * 1024 * 1024
VENUE_FIELDS = [
    "name",
    "kind",
    "address",
    "contact_name",
    "contact_phone",
    "contact_email",
    "cost_per_day",
    "currency",
    "notes",
]


def resolve_facilities(codes: Iterable[str]) -> list[Facility]:
    codes = [c.strip() for c in codes if c and c.strip()]
    found = {f.code: f for f in Facility.objects.filter(code__in=codes)}
    unknown = [c for c in codes if c not in found]
    if unknown:
        raise ValidationFailed(
            _("Unknown facility: %(code)s") % {"code": ", ".join(unknown)},
            "unknown_facility",
            field="facilities",
            codes=unknown,
        )
    return [found[c] for c in dict.fromkeys(codes)]


def _validate(fields: dict[str, Any]) -> None:
    if "name" in fields and not str(fields["name"] or "").strip():
        raise ValidationFailed(
            pgettext_lazy("room", "A name is required."), "name_required", field="name"
        )
    capacity = fields.get("capacity")
    if capacity is not None and (
        not isinstance(capacity, int) or capacity < 1 or capacity > 100_000
    ):
        raise ValidationFailed(
            _("The capacity must be a whole number from 1."), "invalid_capacity", field="capacity"
        )
    buffer = fields.get("buffer_minutes")
    if buffer is not None and not 0 <= buffer <= MAX_BUFFER_MINUTES:
        raise ValidationFailed(
            _("The buffer must be between 0 and %(max)d minutes.") % {"max": MAX_BUFFER_MINUTES},
            "invalid_buffer",
            field="buffer_minutes",
        )
    if fields.get("layout") not in (None, *Layout.values):
        raise ValidationFailed(_("Unknown layout."), "unknown_layout", field="layout")
    roles = fields.get("allowed_roles")
    if roles is not None and set(roles) - set(Role.values):
        raise ValidationFailed(_("Unknown role."), "unknown_role", field="allowed_roles")
    weekdays = fields.get("open_weekdays")
    if weekdays is not None and (not weekdays or set(weekdays) - set("1234567")):
        raise ValidationFailed(
            _("Weekdays are digits 1 (Monday) to 7 (Sunday)."),
            "invalid_weekdays",
            field="open_weekdays",
        )
    opens, closes = fields.get("open_time"), fields.get("close_time")
    if (opens is None) != (closes is None) and ("open_time" in fields or "close_time" in fields):
        raise ValidationFailed(
            _("Give both the opening and the closing time, or neither."),
            "invalid_hours",
            field="open_time",
        )
    if opens is not None and closes is not None and closes <= opens:
        raise ValidationFailed(
            _("The room must close after it opens."), "invalid_hours", field="close_time"
        )
    if (
        fields.get("floor") is not None
        and fields.get("building") is not None
        and fields["floor"].building_id != fields["building"].pk
    ):
        raise ValidationFailed(
            _("The floor is not in that building."), "floor_not_in_building", field="floor"
        )


def _check_code_free(code: str, exclude: int | None = None) -> None:
    others = Room.objects.exclude(pk=exclude) if exclude is not None else Room.objects.all()
    if code and others.filter(code=code).exists():
        raise ValidationFailed(
            _("Another room has the code %(code)s.") % {"code": code},
            "room_code_taken",
            field="code",
        )


def create_room(
    *,
    actor: User | None,
    name: str,
    capacity: int,
    facilities: Iterable[str] = (),
    allowed_departments: Iterable[Department] = (),
    administrators: Iterable[User] = (),
    **fields: Any,
) -> Room:
    """Add a room. System administrators (or the operator at the command line, actor=None)."""
    if actor is not None and not can_manage_rooms(actor):
        raise PermissionDenied(_("Only administrators add rooms."))
    unknown = set(fields) - set(ROOM_FIELDS)
    if unknown:
        raise ValidationFailed(_("Unknown field."), "unknown_field", fields=sorted(unknown))
    data = {"name": name, "capacity": capacity, **fields}
    _validate(data)
    facility_rows = resolve_facilities(facilities)
    _check_code_free(data.get("code", ""))
    with transaction.atomic():
        room = Room.objects.create(**data)
        if not room.code:
            room.code = f"R{room.pk:04d}"
            room.save(update_fields=["code"])
        room.facilities.set(facility_rows)
        room.allowed_departments.set(list(allowed_departments))
        room.administrators.set(list(administrators))
        audit.record(
            "venues.room.created",
            room,
            actor=actor,
            changes=audit.diff({}, audit.snapshot(room, ROOM_FIELDS)),
            data={"facilities": [f.code for f in facility_rows]},
        )
    return room


def update_room(
    room: Room,
    *,
    actor: User | None,
    facilities: Iterable[str] | None = None,
    allowed_departments: Iterable[Department] | None = None,
    administrators: Iterable[User] | None = None,
    **fields: Any,
) -> Room:
    """Change a room. Existing bookings keep their buffered interval; new rules apply to new bookings.

    System administrators change anything; the room's administrators change how it is booked
    but not its code, place or whether it is active (ADMIN_ONLY_FIELDS).
    """
    if actor is not None and not can_manage_rooms(actor):
        if not can_administer_room(actor, room):
            raise PermissionDenied()
        if ADMIN_ONLY_FIELDS & set(fields):
            raise PermissionDenied(
                _("Only system administrators move, rename the code of or retire a room."),
                "admin_only_field",
                fields=sorted(ADMIN_ONLY_FIELDS & set(fields)),
            )
    unknown = set(fields) - set(ROOM_FIELDS)
    if unknown:
        raise ValidationFailed(_("Unknown field."), "unknown_field", fields=sorted(unknown))
    facility_rows = resolve_facilities(facilities) if facilities is not None else None
    with transaction.atomic():
        room = Room.objects.select_for_update().order_by().get(pk=room.pk)
        _validate(
            {"open_time": room.open_time, "close_time": room.close_time, **fields}
            if {"open_time", "close_time"} & set(fields)
            else fields
        )
        if "code" in fields:
            _check_code_free(fields["code"], exclude=room.pk)
        before = audit.snapshot(room, ROOM_FIELDS)
        before_fac = sorted(room.facilities.values_list("code", flat=True))
        for name, value in fields.items():
            setattr(room, name, value)
        changes = audit.diff(before, audit.snapshot(room, ROOM_FIELDS))
        if changes:
            room.save(update_fields=[*changes.keys(), "updated_at"])
        if facility_rows is not None:
            room.facilities.set(facility_rows)
            after_fac = sorted(f.code for f in facility_rows)
            if after_fac != before_fac:
                changes["facilities"] = [before_fac, after_fac]
        if allowed_departments is not None:
            room.allowed_departments.set(list(allowed_departments))
            changes["allowed_departments"] = ["…", [d.pk for d in allowed_departments]]
        if administrators is not None:
            room.administrators.set(list(administrators))
            changes["administrators"] = ["…", [u.pk for u in administrators]]
        if changes:
            audit.record("venues.room.updated", room, actor=actor, changes=changes)
    return room


def add_photo(room: Room, *, upload: UploadedFile, actor: User, caption: str = "") -> RoomPhoto:
    """Attach a photo. The content decides the type (JPEG, PNG, WebP), not the file name."""
    if not can_administer_room(actor, room):
        raise PermissionDenied()
    if upload.size is None or upload.size > MAX_PHOTO_BYTES:
        raise ValidationFailed(_("A photo may be at most 5 MB."), "file_too_large", field="image")
    head = upload.read(16)
    upload.seek(0)
    content_type = image_type(head)
    if content_type is None:
        raise ValidationFailed(
            _("Only JPEG, PNG or WebP photos are accepted."), "unsupported_file_type", field="image"
        )
    with transaction.atomic():
        photo = RoomPhoto.objects.create(
            room=room, image=upload, content_type=content_type, caption=caption[:200]
        )
        audit.record(
            "venues.room.photo_added",
            room,
            actor=actor,
            data={"photo": photo.pk, "content_type": content_type},
        )
    return photo


def delete_photo(photo: RoomPhoto, *, actor: User) -> None:
    """Remove a photo; the file goes once the row is gone for good (after commit)."""
    if not can_administer_room(actor, photo.room):
        raise PermissionDenied()
    with transaction.atomic():
        name, storage = photo.image.name or "", photo.image.storage
        audit.record(
            "venues.room.photo_deleted",
            photo.room,
            actor=actor,
            data={"photo": photo.pk, "file": name, "caption": photo.caption},
        )
        photo.delete()
        if name:
            transaction.on_commit(lambda: storage.delete(name))


def add_blackout(
    room: Room, *, start: datetime, end: datetime, reason: str, actor: User
) -> Blackout:
    """Close the room for maintenance.

    Refused (409 `blackout_over_bookings`, the bookings listed in `details`) while pending or
    confirmed bookings hold the room then: the administrator moves or cancels them first, so
    no meeting finds a closed room without having been told.

    Refused too (409 `blackout_overlap`, the closure named in `details`) when it overlaps a
    closure of the room: each closure keeps its own reason and author, so rather than merge
    them silently, the administrator changes or removes the existing one. Touching is fine.
    """
    if not can_administer_room(actor, room):
        raise PermissionDenied()
    if timezone.is_naive(start) or timezone.is_naive(end):
        raise ValidationFailed(_("Times need a time zone offset."), "naive_datetime", field="start")
    if end <= start:
        raise ValidationFailed(
            _("The closure must end after it starts."), "end_before_start", field="end"
        )
    with transaction.atomic():
        _lock_room(room)
        _raise_if_closed(room, start, end)
        clashes = list(
            holding_overlaps(room.pk, start, end).select_related("meeting").order_by("start")[:50]
        )
        if clashes:
            raise DomainError(
                _("%(count)d bookings hold the room then; move or cancel them first.")
                % {"count": len(clashes)},
                "blackout_over_bookings",
                bookings=[
                    {
                        "id": b.pk,
                        "meeting_id": b.meeting_id,
                        "meeting_title": b.meeting.title,
                        "start": timezone.localtime(b.start).isoformat(),
                        "end": timezone.localtime(b.end).isoformat(),
                        "status": b.status,
                    }
                    for b in clashes
                ],
            )
        blackout = Blackout.objects.create(
            room=room, start=start, end=end, reason=reason[:300], created_by=actor
        )
        audit.record(
            "venues.room.blackout_added",
            room,
            actor=actor,
            data={"start": start.isoformat(), "end": end.isoformat(), "reason": reason},
        )
    return blackout


def _raise_if_closed(room: Room, start: datetime, end: datetime) -> None:
    """Under the room's lock: refuse an interval that overlaps one of the room's closures."""
    other = (
        Blackout.objects.filter(room=room, start__lt=end, end__gt=start).order_by("start").first()
    )
    if other is None:
        return
    local_start, local_end = timezone.localtime(other.start), timezone.localtime(other.end)
    raise DomainError(
        _("The room is already closed from %(start)s to %(end)s; change that closure instead.")
        % {
            "start": formats.date_format(local_start, "SHORT_DATETIME_FORMAT"),
            "end": formats.date_format(local_end, "SHORT_DATETIME_FORMAT"),
        },
        "blackout_overlap",
        blackout={
            "id": other.pk,
            "start": local_start.isoformat(),
            "end": local_end.isoformat(),
            "reason": other.reason,
        },
    )


def remove_blackout(blackout: Blackout, *, actor: User) -> None:
    """Reopen the room; waiting requests for the reopened time are offered it, first come first served."""
    room = blackout.room
    if not can_administer_room(actor, room):
        raise PermissionDenied()
    with transaction.atomic():
        _lock_room(room)
        audit.record(
            "venues.room.blackout_removed",
            room,
            actor=actor,
            data={
                "blackout": blackout.pk,
                "start": blackout.start.isoformat(),
                "end": blackout.end.isoformat(),
                "reason": blackout.reason,
            },
        )
        start, end = blackout.start, blackout.end
        blackout.delete()
        _offer_freed_slot(room, start, end, actor=actor)


# ---------------------------------------------------------------- external venues


def _validate_venue(fields: dict[str, Any]) -> None:
    if "name" in fields and not str(fields["name"] or "").strip():
        raise ValidationFailed(
            pgettext_lazy("room", "A name is required."), "name_required", field="name"
        )
    if fields.get("kind") not in (None, *ExternalVenue.Kind.values):
        raise ValidationFailed(_("Unknown kind of venue."), "unknown_venue_kind", field="kind")
    cost = fields.get("cost_per_day")
    if cost is not None and cost < 0:
        raise ValidationFailed(
            _("The cost cannot be negative."), "invalid_cost", field="cost_per_day"
        )


def save_external_venue(
    venue: ExternalVenue | None, *, actor: User, **fields: Any
) -> ExternalVenue:
    """Add (venue=None) or change a hotel or conference centre. System administrators."""
    if not can_manage_rooms(actor):
        raise PermissionDenied()
    unknown = set(fields) - set(VENUE_FIELDS)
    if unknown:
        raise ValidationFailed(_("Unknown field."), "unknown_field", fields=sorted(unknown))
    _validate_venue(fields if venue else {"name": "", **fields})
    with transaction.atomic():
        if venue is None:
            venue = ExternalVenue.objects.create(**fields)
            audit.record(
                "venues.external_venue.created",
                venue,
                actor=actor,
                changes=audit.diff({}, audit.snapshot(venue, VENUE_FIELDS)),
            )
            return venue
        venue = ExternalVenue.objects.select_for_update().get(pk=venue.pk)
        before = audit.snapshot(venue, VENUE_FIELDS)
        for name, value in fields.items():
            setattr(venue, name, value)
        changes = audit.diff(before, audit.snapshot(venue, VENUE_FIELDS))
        if changes:
            venue.save(update_fields=list(changes))
            audit.record("venues.external_venue.updated", venue, actor=actor, changes=changes)
    return venue


def building_and_floor(
    building_name: str, floor_name: str, *, site_name: str = ""
) -> tuple[Building | None, Floor | None]:
    """Find (or create, for imports) a building by name and a floor in it."""
    if not building_name:
        return None, None
    building = Building.objects.filter(name=building_name).first()
    if building is None:
        site = (
            Site.objects.filter(name=site_name).first()
            if site_name
            else Site.objects.order_by("pk").first()
        )
        site = site or Site.objects.create(name=site_name or str(_("Main site")))
        building = Building.objects.create(site=site, name=building_name)
    floor = None
    if floor_name:
        floor = Floor.objects.filter(
            building=building, name=floor_name
        ).first() or Floor.objects.create(building=building, name=floor_name)
    return building, floor
