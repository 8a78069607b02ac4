"""Readable names of the venues' audit actions (see core.audit.label_actions)."""

from django.utils.translation import gettext_lazy as _

from meetops.core.audit import label_actions, label_data_keys, label_values

label_actions(
    {
        "venues.booking.created": _("Room booked"),
        "venues.booking.approved": _("Booking approved"),
        "venues.booking.rejected": _("Booking rejected"),
        "venues.booking.cancelled": _("Booking cancelled"),
        "venues.booking.moved": _("Booking moved"),
        "venues.booking.not_moved": _("Booking could not follow its meeting"),
        "venues.booking.checked_in": _("Checked in"),
        "venues.booking.released": _("Booking released (no-show)"),
        "venues.series.created": _("Booking series created"),
        "venues.waitlist.joined": _("Joined the waiting list"),
        "venues.waitlist.offered": _("Waiting list offered the slot"),
        "venues.room.created": _("Room created"),
        "venues.room.updated": _("Room changed"),
        "venues.room.blackout_added": _("Room closure added"),
        "venues.room.photo_added": _("Room photo added"),
        "venues.room.photo_deleted": _("Room photo deleted"),
        "venues.room.blackout_removed": _("Room closure removed"),
        "venues.waitlist.withdrawn": _("Left the waiting list"),
        "venues.external_venue.created": _("External venue added"),
        "venues.external_venue.updated": _("External venue changed"),
    }
)
label_data_keys(
    {
        "facilities": _("facilities"),
        "photo": _("photo"),
        "content_type": _("file type"),
        "caption": _("caption"),
        "blackout": _("closure"),
        "booked": _("booked"),
        "skipped": _("skipped"),
        "waitlist_entry": _("waiting-list entry"),
        "part": _("part of the meeting"),
    }
)
label_values(
    "reason",
    {
        "meeting_cancelled": _("the meeting was cancelled"),
        "no_check_in": _("nobody checked in"),
        "meeting_moved": _("the meeting moved"),
        "booking_conflict": _("the room is taken then"),
        "room_blackout": _("the room is closed then"),
        "outside_bookable_hours": _("the room is not bookable at that time of day"),
        "booking_in_past": _("that time is already over"),
    },
)
