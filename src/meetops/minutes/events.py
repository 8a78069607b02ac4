"""Notification events of minutes and action items (templates in templates/notifications/messages/)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from meetops.notifications.events import APPROVAL_WAITING, register_event
from meetops.notifications.models import Channel

MINUTES_SUBMITTED = APPROVAL_WAITING
MINUTES_RETURNED = register_event(
    "minutes.returned",
    _("Minutes you wrote were returned with a comment"),
    default_channels=(Channel.INAPP, Channel.EMAIL),
    broadcast=False,
)
MINUTES_PUBLISHED = register_event("minutes.published", _("The minutes of a meeting are published"))
ACTION_ASSIGNED = register_event(
    "action.assigned", _("An action item was assigned to you"), broadcast=False
)
