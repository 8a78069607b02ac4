"""A department head gives one of their department's items to someone of it (P8.8)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from meetops.core import audit
from meetops.core.errors import PermissionDenied, ValidationFailed
from meetops.followup import errors
from meetops.followup.permissions import can_assign, is_manager
from meetops.followup.services.common import lock, tell
from meetops.minutes import events as minute_events
from meetops.minutes.models import ActionItem
from meetops.minutes.signals import send_if_shown
from meetops.people.models import User
from meetops.people.selectors import headed_department_ids


def assign_action(action: ActionItem, *, actor: User, owner: User) -> ActionItem:
    """Make `owner` the item's owner; they are told. Preconditions: the item is open or in
    progress and its meeting not closed; the actor heads its department (or manages the
    meeting's actions); a head may choose only people of the departments they head."""
    if not can_assign(actor, action):
        raise PermissionDenied()
    # Who manages the meeting's actions gives to anyone, as in the minutes; a head only within.
    as_head = not is_manager(actor, action)
    if not owner.is_active or (as_head and owner.department_id not in headed_department_ids(actor)):
        raise ValidationFailed(
            _("Choose someone of the departments you head."), "not_in_department", field="owner"
        )
    with transaction.atomic():
        locked = lock(action)
        if not locked.is_live:
            raise errors.not_live(locked.state)
        before = locked.owner
        if before is not None and before.pk == owner.pk:
            return locked
        locked.owner = owner
        locked.save(update_fields=["owner", "updated_at"])
        changes = {"owner": [str(before) if before else None, str(owner)]}
        audit.record(
            "followup.action.assigned",
            locked,
            actor=actor,
            changes=changes,
            data={"meeting": locked.meeting_id},
        )
        send_if_shown(locked, actor=actor, changes=changes)
        tell(
            minute_events.ACTION_ASSIGNED.code,
            locked,
            [owner],
            actor=actor,
            key=f"action.assigned:{locked.pk}:{owner.pk}",
        )
    return locked
