"""Venues and room booking: sites → buildings → floors → rooms, external venues, bookings.

The one invariant: two holding bookings (pending or confirmed) of the same room
never overlap once the room's buffer is added after each. `effective_start` /
`effective_end` store that buffered interval; PostgreSQL enforces it with an
exclusion constraint (migration 0002), and on either database the booking
service re-checks it while holding the room's lock.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from meetops.meetings.models import TranslatedName


class Layout(models.TextChoices):
    THEATRE = "theatre", _("Theatre")
    BOARDROOM = "boardroom", _("Boardroom")
    CLASSROOM = "classroom", _("Classroom")
    U_SHAPE = "u_shape", _("U-shape")


class BookingStatus(models.TextChoices):
    """Codes are part of the API contract."""

    PENDING = "pending", _("Pending approval")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")
    RELEASED = "released", _("Released (no check-in)")


# Statuses that hold the room. The exclusion constraint's WHERE clause repeats them.
HOLDING = (BookingStatus.PENDING, BookingStatus.CONFIRMED)


class Site(models.Model):
    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=300, blank=True)
    time_zone = models.CharField(
        _("time zone"), max_length=60, blank=True, help_text=_("Empty: the server's time zone.")
    )

    class Meta:
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Building(models.Model):
    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.PROTECT, related_name="buildings"
    )
    name = models.CharField(_("name"), max_length=200)
    code = models.CharField(_("code"), max_length=40, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("building")
        verbose_name_plural = _("buildings")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Floor(models.Model):
    building = models.ForeignKey(
        Building, verbose_name=_("building"), on_delete=models.CASCADE, related_name="floors"
    )
    name = models.CharField(_("name"), max_length=100)
    level = models.IntegerField(_("level"), default=1)

    class Meta:
        verbose_name = _("floor")
        verbose_name_plural = _("floors")
        ordering = ["building", "level"]

    def __str__(self) -> str:
        return f"{self.building} · {self.name}"


class ExternalVenue(models.Model):
    """A hotel, conference centre or other place outside the organisation."""

    class Kind(models.TextChoices):
        HOTEL = "hotel", _("Hotel")
        CONFERENCE_CENTRE = "conference_centre", _("Conference centre")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.HOTEL)
    address = models.CharField(_("address"), max_length=300, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=150, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    cost_per_day = models.DecimalField(
        _("cost per day"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("external venue")
        verbose_name_plural = _("external venues")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Facility(TranslatedName):
    """An admin-editable list of what a room can offer; the code is the API's name for it."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")
        ordering = ["order", "code"]


class Room(models.Model):
    code = models.CharField(_("code"), max_length=40, blank=True)
    name = models.CharField(_("name"), max_length=200)
    building = models.ForeignKey(
        Building,
        verbose_name=_("building"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rooms",
    )
    floor = models.ForeignKey(
        Floor,
        verbose_name=_("floor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="rooms",
    )
    external_venue = models.ForeignKey(
        ExternalVenue,
        verbose_name=_("external venue"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rooms",
    )
    capacity = models.PositiveIntegerField(_("capacity"))
    layout = models.CharField(
        _("layout"), max_length=20, choices=Layout.choices, default=Layout.BOARDROOM
    )
    facilities = models.ManyToManyField(
        Facility, verbose_name=_("facilities"), blank=True, related_name="rooms"
    )
    description = models.TextField(_("description"), blank=True)
    # Bookable hours: a daily window on the listed weekdays (1 = Monday … 7 = Sunday).
    open_time = models.TimeField(
        _("opens"), null=True, blank=True, help_text=_("Empty: bookable around the clock.")
    )
    close_time = models.TimeField(_("closes"), null=True, blank=True)
    open_weekdays = models.CharField(
        _("open on weekdays"),
        max_length=7,
        default="1234567",
        help_text=_("1 = Monday … 7 = Sunday"),
    )
    max_booking_minutes = models.PositiveIntegerField(
        _("longest booking (minutes)"), null=True, blank=True
    )
    bookable_days_ahead = models.PositiveIntegerField(
        _("bookable days ahead"), null=True, blank=True
    )
    buffer_minutes = models.PositiveIntegerField(
        _("buffer after each booking (minutes)"), default=0
    )
    requires_approval = models.BooleanField(_("bookings need approval"), default=False)
    release_if_no_checkin_minutes = models.PositiveIntegerField(
        _("release if nobody checks in within (minutes)"),
        null=True,
        blank=True,
        help_text=_("Empty: never release."),
    )
    allowed_departments = models.ManyToManyField(
        "people.Department",
        verbose_name=_("may be booked by departments"),
        blank=True,
        related_name="+",
    )
    allowed_roles = models.JSONField(_("may be booked by roles"), default=list, blank=True)
    administrators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("room administrators"),
        blank=True,
        related_name="administered_rooms",
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Not a field: the administrators' ids, cached on the instance by venues.permissions (or
    # for a whole list by venues.suggestions) so a page of rooms checks them without a query each.
    _admin_ids: set[int]

    class Meta:
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        ordering = ["building__order", "building__name", "code", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=~Q(code=""), name="room_code_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}".strip()

    @property
    def buffer(self) -> timedelta:
        return timedelta(minutes=self.buffer_minutes)


class RoomPhoto(models.Model):
    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(_("photo"), upload_to="rooms/%Y/")
    content_type = models.CharField(max_length=40)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("room photo")
        verbose_name_plural = _("room photos")

    def __str__(self) -> str:
        return self.caption or self.image.name or ""


class Blackout(models.Model):
    """Maintenance or other closure: the room cannot be booked in this interval."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="blackouts")
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("blackout")
        verbose_name_plural = _("blackouts")
        ordering = ["start"]
        indexes = [models.Index(fields=["room", "start"], name="venues_blackout_room_start")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")), name="blackout_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.room} {self.start:%Y-%m-%d %H:%M}–{self.end:%H:%M}"


class BookingSeries(models.Model):
    """A recurring booking: one row per occurrence in Booking, tied here by `series`."""

    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="series")
    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.CASCADE, related_name="booking_series"
    )
    rule = models.CharField(_("recurrence rule (RRULE)"), max_length=500)
    first_start = models.DateTimeField(_("first start"))
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("booking series")
        verbose_name_plural = _("booking series")

    def __str__(self) -> str:
        return f"{self.room} · {self.rule}"


class Booking(models.Model):
    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        related_name="bookings",
    )
    room = models.ForeignKey(
        Room, verbose_name=_("room"), on_delete=models.PROTECT, related_name="bookings"
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    # The interval the booking blocks: the room's buffer added after the end.
    effective_start = models.DateTimeField()
    effective_end = models.DateTimeField()
    status = models.CharField(
        _("status"), max_length=12, choices=BookingStatus.choices, default=BookingStatus.CONFIRMED
    )
    series = models.ForeignKey(
        BookingSeries, null=True, blank=True, on_delete=models.SET_NULL, related_name="bookings"
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    # Empty: the room is for the whole meeting and must cover its time. Named ("rehearsal",
    # "afternoon session"): for that part only, which may be shorter or lie outside it.
    part = models.CharField(_("part of the meeting"), max_length=100, blank=True)
    # Set when the meeting moved and this booking could not follow (the refusal's code:
    # booking_conflict, room_blackout, ...); cleared when it is moved again.
    not_moved = models.CharField(max_length=40, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["start"]
        indexes = [
            # Availability and conflict look-ups: a room (or a building's rooms) and a time window.
            # Not partial: SQLite uses a partial index only for literal values, never bound parameters.
            models.Index(
                fields=["room", "effective_start", "effective_end"], name="venues_booking_room_time"
            ),
            models.Index(fields=["meeting", "status"], name="venues_booking_meeting"),
            models.Index(fields=["start"], name="venues_booking_start"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")), name="booking_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(effective_start__lte=F("start")) & Q(effective_end__gte=F("end")),
                name="booking_effective_covers_booking",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.room} {self.start:%Y-%m-%d %H:%M}"

    @property
    def holds_room(self) -> bool:
        return self.status in HOLDING


class WaitlistEntry(models.Model):
    """A refused request queued for a room and time; offered a pending booking when the slot frees."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        OFFERED = "offered", _("Offered a booking")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="waitlist")
    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.CASCADE, related_name="room_waitlist"
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.WAITING
    )
    booking = models.ForeignKey(
        Booking, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("waiting list entry")
        verbose_name_plural = _("waiting list entries")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["room", "status", "start"], name="venues_waitlist_room")]

    def __str__(self) -> str:
        return f"{self.room} {self.start:%Y-%m-%d %H:%M} ({self.get_status_display()})"
