"""Seat plans (P3.2): a grid of seats per meeting (and per booked room), and who sits where.

Two invariants, each held by a database constraint and by the services'
lock on the plan row: a seat holds at most one person, and a person has at
most one seat in a plan.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from meetops.seating.labels import seat_label

MAX_ROWS = 60
MAX_COLUMNS = 80
MAX_ROSTRUM_ROWS = 3
MAX_ROSTRUM_SEATS = 40


class Section(models.TextChoices):
    """Where a seat is. The codes are part of the API contract."""

    ROSTRUM = "rostrum", _("Rostrum (主席台)")
    AUDIENCE = "audience", _("Audience")


class SeatKind(models.TextChoices):
    SEAT = "seat", pgettext_lazy("seating", "Seat")
    AISLE = "aisle", _("Aisle")
    BLOCKED = "blocked", _("Blocked")


class SeatPlan(models.Model):
    """The seating of one meeting in one room: rostrum rows at the front, then the audience rows."""

    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.CASCADE, related_name="seat_plans"
    )
    room = models.ForeignKey(
        "venues.Room",
        verbose_name=_("room"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=200)
    rostrum_rows = models.PositiveSmallIntegerField(_("rostrum rows"), default=1)
    rostrum_seats = models.PositiveSmallIntegerField(_("seats per rostrum row"), default=5)
    rows = models.PositiveSmallIntegerField(_("audience rows"))
    columns = models.PositiveSmallIntegerField(_("columns of the audience area"))
    # Audience columns (1-based, left to right as the audience sees them) that are aisles.
    aisle_columns = models.JSONField(_("aisle columns"), default=list, blank=True)
    # Participant ids in protocol order (rank 1 first) for the rostrum; empty: the default order.
    precedence = models.JSONField(_("protocol order"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("seat plan")
        verbose_name_plural = _("seat plans")
        ordering = ["meeting", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "room"],
                condition=Q(room__isnull=False),
                name="seat_plan_once_per_room",
            ),
            models.UniqueConstraint(
                fields=["meeting"],
                condition=Q(room__isnull=True),
                name="seat_plan_once_without_room",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Seat(models.Model):
    """One cell of the grid: a seat (perhaps reserved), an aisle, or a blocked place."""

    plan = models.ForeignKey(SeatPlan, on_delete=models.CASCADE, related_name="seats")
    section = models.CharField(_("section"), max_length=10, choices=Section.choices)
    row = models.PositiveSmallIntegerField(_("row"))
    col = models.PositiveSmallIntegerField(_("column"))
    # Seat number within the row, left to right as the audience sees it; none for aisles.
    number = models.PositiveSmallIntegerField(_("seat number"), null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=SeatKind.choices, default="seat")
    reserved = models.BooleanField(_("reserved"), default=False)
    note = models.CharField(_("note"), max_length=100, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("seating", "seat")
        verbose_name_plural = _("seats")
        ordering = ["plan", "section", "row", "col"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "section", "row", "col"], name="seat_cell_once"
            ),
        ]

    def __str__(self) -> str:
        return str(self.label)

    @property
    def label(self) -> str:
        return seat_label(self)


class SeatAssignment(models.Model):
    """A person on a seat. `manual`: placed by hand, kept when the plan is filled automatically again."""

    plan = models.ForeignKey(SeatPlan, on_delete=models.CASCADE, related_name="assignments")
    seat = models.ForeignKey(Seat, on_delete=models.CASCADE, related_name="assignments")
    participant = models.ForeignKey(
        "meetings.Participant", on_delete=models.CASCADE, related_name="seat_assignments"
    )
    manual = models.BooleanField(_("placed by hand"), default=False)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("seat assignment")
        verbose_name_plural = _("seat assignments")
        constraints = [
            models.UniqueConstraint(fields=["seat"], name="one_person_per_seat"),
            models.UniqueConstraint(fields=["plan", "participant"], name="one_seat_per_person"),
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} → {self.seat_id}"
