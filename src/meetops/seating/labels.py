"""How a seat is named to people: "Row 3, Seat 12", "Rostrum, seat 3"."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _


def seat_label(seat: Any) -> str:
    """The seat's name in the active language (needs no query)."""
    values = {"row": seat.row, "number": seat.number or 0}
    if seat.section == "rostrum":
        if seat.row > 1:
            return _("Rostrum, row %(row)d, seat %(number)d") % values
        return _("Rostrum, seat %(number)d") % values
    return _("Row %(row)d, Seat %(number)d") % values
