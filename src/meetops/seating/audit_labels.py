"""Readable names of this app's audit actions (see core.audit.label_actions)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from meetops.core.audit import label_actions, label_data_keys

label_actions(
    {
        "seating.plan.created": _("Seat plan created"),
        "seating.plan.updated": _("Seat plan layout changed"),
        "seating.plan.deleted": _("Seat plan deleted"),
        "seating.plan.precedence_set": _("Rostrum protocol order set"),
        "seating.plan.auto_assigned": _("Seats assigned by protocol order"),
        "seating.plan.assignments_replaced": _("Seating replaced"),
        "seating.seat.changed": _("Seat changed (aisle, blocked, reserved)"),
        "seating.seat.assigned": _("Seat assigned"),
        "seating.seat.cleared": _("Seat cleared"),
    }
)
label_data_keys(
    {
        "seat": pgettext_lazy("seating", "seat"),
        "from": _("previous seat"),
        "assigned": _("seated"),
        "kept": _("kept"),
        "before": _("before"),
        "unseated": _("without a seat"),
        "special_cells": _("special cells"),
        "assignments": _("seat assignments"),
    }
)
