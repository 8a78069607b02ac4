"""Notification events of the follow-up (templates in templates/notifications/messages/)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from meetops.notifications.events import register_event
from meetops.notifications.models import Channel

PROGRESS = register_event(
    "followup.progress",
    _("Progress was reported on an action item you follow"),
    default_channels=(Channel.INAPP,),
    broadcast=False,
)
COMMENT = register_event(
    "followup.comment",
    _("Someone commented on an action item you follow"),
    default_channels=(Channel.INAPP,),
    broadcast=False,
)
ESCALATED = register_event(
    "followup.escalated",
    _("A problem with an action item was reported to you"),
    default_channels=(Channel.INAPP, Channel.EMAIL),
    broadcast=False,
)
ANSWERED = register_event(
    "followup.answered",
    _("Your escalation was answered"),
    default_channels=(Channel.INAPP, Channel.EMAIL),
    broadcast=False,
)
REVIEWED = register_event(
    "followup.reviewed",
    _("Your finished action item was accepted or sent back"),
    default_channels=(Channel.INAPP, Channel.EMAIL),
    broadcast=False,
)
DUE_CHANGED = register_event(
    "followup.due_changed",
    _("The due date of your action item changed"),
    default_channels=(Channel.INAPP, Channel.EMAIL),
    broadcast=False,
)
URGED = register_event(
    "followup.urged",
    _("Someone urged you to finish an overdue action item"),
    default_channels=(Channel.INAPP, Channel.EMAIL),
    broadcast=False,
)

# --- the follow-up rules (P8.7): in the app only, like a bell -------------------------------
RULES_PROPOSED = register_event(
    "followup.rules_proposed",
    _("A change of the follow-up rules waits for your decision"),
    default_channels=(Channel.INAPP,),
    broadcast=False,
)
RULES_DECIDED = register_event(
    "followup.rules_decided",
    _("Your proposal to change the follow-up rules was decided"),
    default_channels=(Channel.INAPP,),
    broadcast=False,
)
RULES_ADOPTED = register_event(
    "followup.rules_adopted",
    _("New follow-up rules are in force"),
    default_channels=(Channel.INAPP,),
    broadcast=False,
    lane="auto",
)
