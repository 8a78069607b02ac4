"""Notification events of the follow-up (templates in templates/notifications/messages/).

Every follow-up event speaks to the people of one action item or one proposal, never to a
meeting's whole list: none is a broadcast.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from meetops.notifications.events import EventType, register_event
from meetops.notifications.models import Channel

BELL = (Channel.INAPP,)
BELL_AND_MAIL = (Channel.INAPP, Channel.EMAIL)


def _personal(
    code: str, label: str | Promise, channels: tuple[str, ...], lane: str = "urgent"
) -> EventType:
    return register_event(code, label, default_channels=channels, broadcast=False, lane=lane)


PROGRESS = _personal(
    "followup.progress", _("Progress was reported on an action item you follow"), BELL
)
COMMENT = _personal("followup.comment", _("Someone commented on an action item you follow"), BELL)
ESCALATED = _personal(
    "followup.escalated", _("A problem with an action item was reported to you"), BELL_AND_MAIL
)
ANSWERED = _personal("followup.answered", _("Your escalation was answered"), BELL_AND_MAIL)
REVIEWED = _personal(
    "followup.reviewed", _("Your finished action item was accepted or sent back"), BELL_AND_MAIL
)
DUE_CHANGED = _personal(
    "followup.due_changed", _("The due date of your action item changed"), BELL_AND_MAIL
)
URGED = _personal(
    "followup.urged", _("Someone urged you to finish an overdue action item"), BELL_AND_MAIL
)

# --- the follow-up rules (P8.7): in the app only, like a bell -------------------------------
RULES_PROPOSED = _personal(
    "followup.rules_proposed", _("A change of the follow-up rules waits for your decision"), BELL
)
RULES_DECIDED = _personal(
    "followup.rules_decided",
    _("Your proposal to change the follow-up rules was decided"),
    BELL,
)
RULES_ADOPTED = _personal(
    "followup.rules_adopted", _("New follow-up rules are in force"), BELL, lane="auto"
)
