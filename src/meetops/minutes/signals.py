"""Signals for apps that follow action items without the minutes knowing them.

Sent inside the transaction of the change, like meetings' signals: receivers write only to
the database (outbox rows) and leave anything outside it to the outbox worker.
"""

from collections.abc import Mapping

from django.dispatch import Signal

action_item_changed = Signal()
"""An action item changed in a way its owner's task list shows: created, given to someone
else, retitled, moved to another due date, done, reopened, cancelled. Arguments: action (the
saved item), actor, changes ({field: [old, new]}; the fields that changed).

Sent inside the transaction; receivers write only to the database — outbox rows — and leave
real side effects to the outbox worker.
"""

# What a task list shows of an item: a change to another field sends nothing.
TASK_FIELDS = frozenset({"title", "description", "owner", "due_date", "state"})


def send_if_shown(action: object, *, actor: object, changes: Mapping[str, object]) -> None:
    """Send `action_item_changed` when `changes` touches what a task list shows."""
    shown = {k: v for k, v in changes.items() if k in TASK_FIELDS}
    if shown:
        action_item_changed.send(type(action), action=action, actor=actor, changes=shown)
