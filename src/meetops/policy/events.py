"""Notification events of the process (templates in templates/notifications/messages/)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from meetops.notifications.events import register_event
from meetops.notifications.models import Channel

VERSION_PUBLISHED = register_event(
    "policy.version_published",
    _("A new version of the meeting process is in force"),
    default_channels=(Channel.INAPP, Channel.EMAIL),
    broadcast=True,
    # Told to everyone at once: it must not hold up anyone's reminder.
    lane="bulk",
)

REVIEW_DUE = register_event(
    "policy.review_due",
    _("The periodic review of the meeting process is due"),
    default_channels=(Channel.INAPP, Channel.EMAIL),
    broadcast=False,
)
