"""Notifications of training: a person who runs meetings is untrained or due for a refresher.

Texts: `templates/notifications/messages/training.due/`."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from meetops.notifications import events

TRAINING_DUE = events.register_event(
    "training.due", _("A training you need for your duties is missing or due"), broadcast=False
)
