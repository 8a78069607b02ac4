"""The registry of events people can be notified about.

An event names its message templates and the channels a user gets when they
have not chosen any. Other apps register their own with `register_event` in a
module their `contributions.py` imports (action items, approvals, ...), then call
`services.enqueue(event=...)`.

Templates live in `notifications/messages/<code>/subject.txt`, `body.txt` and,
optionally, `body.html`; a code's dots become folder names' dots unchanged
(`meeting.invited/subject.txt`). Without its own templates an event uses
`generic/`, which prints `context["title"]` and `context["text"]`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from meetops.core.registry import Store, calling_owner, registry
from meetops.notifications.models import Channel


@dataclass(frozen=True)
class EventType:
    code: str
    label: str | Promise
    default_channels: tuple[str, ...] = (Channel.EMAIL, Channel.INAPP)
    # Whether group robots and outgoing webhooks hear about it too.
    broadcast: bool = True
    # "urgent", "bulk", or "auto" (bulk when one call queues many; notifications/lanes.py).
    lane: str = "urgent"


# The core registry's "events" store: a code registered twice is refused.
EVENTS: Store[EventType] = registry["events"]


def register_event(
    code: str,
    label: str | Promise,
    *,
    default_channels: tuple[str, ...] = (Channel.EMAIL, Channel.INAPP),
    broadcast: bool = True,
    lane: str = "urgent",
) -> EventType:
    if lane not in ("urgent", "bulk", "auto"):
        raise ValueError(f"unknown lane {lane!r} for event {code!r}")
    event = EventType(code, label, tuple(default_channels), broadcast, lane)
    return EVENTS.register(code, event, owner=calling_owner())


def get_event(code: str) -> EventType:
    try:
        return EVENTS[code]
    except KeyError:
        raise LookupError(f"unknown notification event {code!r}: register it first") from None


INVITED = register_event(
    "meeting.invited", _("You are invited to a meeting"), broadcast=False, lane="auto"
)
CHANGED = register_event("meeting.changed", _("A meeting changed (time, place, agenda)"))
CANCELLED = register_event("meeting.cancelled", _("A meeting was cancelled"))
REMINDER = register_event("meeting.reminder", _("Reminder before a meeting starts"))
RSVP_DEADLINE = register_event(
    "rsvp.deadline", _("The deadline to answer an invitation is near"), broadcast=False
)
ACTION_DUE = register_event("action.due", _("An action item is due"), broadcast=False)
ACTION_OVERDUE = register_event("action.overdue", _("An action item is overdue"), broadcast=False)
APPROVAL_WAITING = register_event(
    "approval.waiting",
    _("An approval is waiting for you"),
    default_channels=(Channel.INAPP,),
    broadcast=False,
)
UNCONFIRMED = register_event(
    "notifications.unconfirmed",
    _("A message's delivery could not be confirmed"),
    broadcast=False,
)
TEST = register_event("notifications.test", _("Test message"), default_channels=(Channel.INAPP,))
