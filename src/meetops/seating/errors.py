"""The seating's refusals, with stable codes."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from meetops.core.errors import DomainError, ValidationFailed


def seat_taken(label: str, name: str) -> DomainError:
    return DomainError(
        _("%(seat)s is already taken by %(name)s.") % {"seat": label, "name": name}, "seat_taken"
    )


def seat_unavailable(label: str) -> ValidationFailed:
    return ValidationFailed(
        _("%(seat)s is an aisle or blocked: nobody can sit there.") % {"seat": label},
        "seat_unavailable",
    )


def seat_in_use(labels: list[str]) -> DomainError:
    return DomainError(
        _("Someone sits on a seat this change removes or blocks: %(seats)s. Move them first.")
        % {"seats": ", ".join(labels[:10])},
        "seat_in_use",
        seats=labels,
    )


def plan_exists() -> DomainError:
    return DomainError(_("This meeting already has a seat plan for that room."), "plan_exists")


def not_on_meeting() -> ValidationFailed:
    return ValidationFailed(_("This person is not on the meeting."), "not_on_meeting")


def bad_size(field: str, maximum: int, minimum: int = 0) -> ValidationFailed:
    return ValidationFailed(
        _("%(field)s must be between %(min)d and %(max)d.")
        % {"field": field, "min": minimum, "max": maximum},
        "invalid_size",
        field=field,
    )
