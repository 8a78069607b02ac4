"""Notification events of summary reports (templates in templates/notifications/messages/)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from meetops.notifications.events import register_event
from meetops.notifications.models import Channel

REPORT_AWAITING = register_event(
    "reports.awaiting",
    _("A meeting's summary report awaits your approval and instructions"),
    default_channels=(Channel.INAPP, Channel.EMAIL),
    broadcast=False,
)
REPORT_INSTRUCTED = register_event(
    "reports.instructed",
    _("A leader decided on a summary report you submitted"),
    default_channels=(Channel.INAPP, Channel.EMAIL),
    broadcast=False,
)
