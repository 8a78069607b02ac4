"""The notification event an announcement goes out as (its templates are in
templates/notifications/messages/promotion.announcement/)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from meetops.notifications.events import register_event
from meetops.notifications.models import Channel

ANNOUNCEMENT = register_event(
    "promotion.announcement",
    _("A meeting is announced to you"),
    default_channels=(Channel.EMAIL, Channel.INAPP),
    lane="auto",
)
