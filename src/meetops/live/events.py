"""Notification events of the room (texts in templates/notifications/messages/<code>/)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from meetops.notifications.events import register_event
from meetops.notifications.models import Channel

# In-app for the people on duty; group robots routed to the meeting hear it too.
SUPPORT_REPORTED = register_event(
    "live.support.reported",
    _("A problem in the meeting room was reported"),
    default_channels=(Channel.INAPP,),
).code
SUPPORT_UPDATED = register_event(
    "live.support.updated",
    _("Your reported problem is being handled or was resolved"),
    default_channels=(Channel.INAPP,),
    broadcast=False,
).code
MATERIALS_RELEASED = register_event(
    "live.materials.released", _("A meeting's materials are available")
).code
