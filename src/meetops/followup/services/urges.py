"""催办: an organiser or leader urges the owner of an overdue item, at once (issue 16 finding 13).

The hourly job escalates overdue items upwards (escalations.py); this is the person-to-person
push the other way, to the owner, limited to once per item per day.
"""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from meetops.core import audit
from meetops.core.errors import PermissionDenied
from meetops.followup import errors
from meetops.followup import events as followup_events
from meetops.followup.models import Urge
from meetops.followup.permissions import can_urge
from meetops.followup.services.common import lock, tell, text
from meetops.minutes.models import ActionItem
from meetops.people.models import User

NOTE_LIMIT = 500


def urge_owner(action: ActionItem, *, actor: User, note: str = "") -> Urge:
    """Tell the owner of an overdue, live item to finish it (in the app, by e-mail and work IM).

    Preconditions: the actor may urge (`can_urge`); the item is live, has an owner and is past
    its due date; nobody urged it today (`already_urged` names who did and when)."""
    if not can_urge(actor, action):
        raise PermissionDenied()
    body = text(note, "note", limit=NOTE_LIMIT)
    today = timezone.localdate()
    with transaction.atomic():
        locked = lock(action)
        if not locked.is_live:
            raise errors.not_live(locked.state)
        if locked.owner is None:
            raise errors.no_owner()
        if locked.due_date is None or locked.due_date >= today:
            raise errors.not_overdue()
        try:
            with transaction.atomic():
                urge = Urge.objects.create(action=locked, day=today, urged_by=actor, note=body)
        except IntegrityError:
            raise _refusal(locked, today) from None
        audit.record(
            "followup.action.urged",
            locked,
            actor=actor,
            data={"meeting": locked.meeting_id, "owner": locked.owner_id, "note": body},
        )
        tell(
            followup_events.URGED.code,
            locked,
            [locked.owner],
            actor=actor,
            key=f"{followup_events.URGED.code}:{urge.pk}",
            urge=urge,
            by=str(actor),
            days_late=(today - locked.due_date).days,
        )
    return urge


def _refusal(action: ActionItem, today: date) -> Exception:
    first = Urge.objects.select_related("urged_by").filter(action=action, day=today).first()
    if first is None:  # removed since: the caller may simply try again
        return errors.already_urged("—", "—")
    at = timezone.localtime(first.created_at).strftime("%H:%M")
    return errors.already_urged(str(first.urged_by), at)
