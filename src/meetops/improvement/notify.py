"""The one notification of this app: an improvement measure is overdue.

Texts: `templates/notifications/messages/improvement.measure.overdue/`.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from meetops.notifications import events

MEASURE_OVERDUE = events.register_event(
    "improvement.measure.overdue", _("An improvement measure is overdue"), broadcast=False
)
